package dev.embtrain.models.serving;

import java.util.Map;

/** Reads the typed values that {@code serving.properties} hands a factory as strings. */
final class Arguments {

    private Arguments() {}

    static String string(Map<String, ?> arguments, String key) {
        Object value = arguments.get(key);
        if (value == null) {
            throw new IllegalArgumentException("serving.properties lacks " + key);
        }
        return value.toString().trim();
    }

    static int integer(Map<String, ?> arguments, String key) {
        String value = string(arguments, key);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("serving.properties: " + key + " must be an integer, found \"" + value + "\"",
                    e);
        }
    }

    static float number(Map<String, ?> arguments, String key) {
        String value = string(arguments, key);
        try {
            return Float.parseFloat(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("serving.properties: " + key + " must be a number, found \"" + value + "\"",
                    e);
        }
    }
}
