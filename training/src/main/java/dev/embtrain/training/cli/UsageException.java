package dev.embtrain.training.cli;

/** A command line that cannot be acted on; exit status 2. */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message one line saying what is wrong and what to do
     */
    public UsageException(String message) {
        super(message);
    }
}
