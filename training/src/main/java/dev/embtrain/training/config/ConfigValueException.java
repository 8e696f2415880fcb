package dev.embtrain.training.config;

/**
 * A value a config record refuses, with the key it belongs to; the YAML loader adds the dotted
 * path and the line, Java callers see {@code key: message}.
 */
public final class ConfigValueException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String reason;

    /**
     * Creates the exception.
     *
     * @param key the YAML key of the refused value ({@code validation}, {@code y_range})
     * @param reason what was expected and what was found
     */
    public ConfigValueException(String key, String reason) {
        super(key + ": " + reason);
        this.key = key;
        this.reason = reason;
    }

    /**
     * Returns the key.
     *
     * @return the YAML key
     */
    public String key() {
        return key;
    }

    /**
     * Returns the reason without the key.
     *
     * @return what was expected and found
     */
    public String reason() {
        return reason;
    }
}
