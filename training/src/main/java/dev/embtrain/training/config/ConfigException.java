package dev.embtrain.training.config;

/**
 * A config that cannot be used, with a one-line message that names the dotted path, what was
 * expected, what was found and where ({@code file:line} or the {@code --set} that gave it).
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the whole one-line message
     */
    public ConfigException(String message) {
        super(message);
    }
}
