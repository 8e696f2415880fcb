package dev.embtrain.training.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a JSON Schema (draft 2020-12) of a run config from the config records themselves, as
 * {@link ConfigReference} writes the Markdown reference: every key with its type, meaning and
 * default, a section's unknown keys refused, a {@code type}-selected section as one variant per
 * type. Editors' YAML support (the YAML language server's {@code # yaml-language-server:
 * $schema=...} line) completes and checks keys from it. It checks the shape only: ranges and
 * cross-key rules stay with the loader, whose errors name the line.
 */
public final class ConfigSchema {

    private ConfigSchema() {}

    /**
     * Returns the schema as nested maps and lists (ready for a JSON writer).
     *
     * @return the schema of {@link RunConfig}
     */
    public static Map<String, Object> schema() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("title", "embtrain run config");
        root.putAll(object(RunConfig.class, null));
        return root;
    }

    /**
     * Returns the schema as JSON text.
     *
     * @return the JSON
     */
    public static String json() {
        StringBuilder sb = new StringBuilder();
        write(sb, schema(), "");
        return sb.append('\n').toString();
    }

    private static Map<String, Object> object(Class<?> record, String variant) {
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        if (variant != null) {
            properties.put("type", ordered("const", variant));
            required.add("type");
        }
        for (RecordComponent c : record.getRecordComponents()) {
            String key = ConfigBinder.snake(c.getName());
            Default d = c.getAnnotation(Default.class);
            Doc doc = c.getAnnotation(Doc.class);
            Map<String, Object> s = new LinkedHashMap<>(type(c.getGenericType()));
            if (d != null && d.value().equals(ConfigBinder.OPTIONAL)) {
                Map<String, Object> orNull = new LinkedHashMap<>();
                orNull.put("anyOf", List.of(s, ordered("type", "null")));
                s = orNull;
            }
            if (doc != null) {
                s.put("description", doc.value() + (d == null || d.value().equals(ConfigBinder.OPTIONAL) ? ""
                        : " Default: " + d.value() + "."));
            }
            properties.put(key, s);
            if (d == null) {
                required.add(key);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        Doc classDoc = record.getAnnotation(Doc.class);
        if (classDoc != null) {
            out.put("description", classDoc.value());
        }
        out.put("type", "object");
        out.put("properties", properties);
        if (!required.isEmpty()) {
            out.put("required", required);
        }
        out.put("additionalProperties", false);
        return out;
    }

    private static Map<String, Object> type(Type t) {
        if (t instanceof ParameterizedType p) {
            return ordered("type", "array", "items", type(p.getActualTypeArguments()[0]));
        }
        Class<?> c = (Class<?>) t;
        if (c == int.class || c == long.class || c == Integer.class || c == Long.class) {
            return ordered("type", "integer");
        }
        if (c == double.class || c == float.class || c == Double.class || c == Float.class) {
            return ordered("type", "number");
        }
        if (c == boolean.class || c == Boolean.class) {
            return ordered("type", "boolean");
        }
        if (c == String.class || c == Path.class) {
            return ordered("type", "string");
        }
        if (c.isEnum()) {
            List<Object> names = new ArrayList<>();
            for (Object e : c.getEnumConstants()) {
                names.add(ConfigBinder.yamlName((Enum<?>) e));
            }
            // YAML reads an unquoted true or false as a boolean; the loader takes it as the constant so named.
            for (Boolean b : new Boolean[] {true, false}) {
                if (names.contains(b.toString())) {
                    names.add(b);
                }
            }
            return ordered("enum", names);
        }
        if (c.isRecord()) {
            return object(c, null);
        }
        if (c.isInterface() && Variants.class.isAssignableFrom(c)) {
            List<Object> variants = new ArrayList<>();
            for (Map.Entry<String, Class<? extends Record>> v : ConfigBinder.variantsOf(c).entrySet()) {
                variants.add(object(v.getValue(), v.getKey()));
            }
            return ordered("oneOf", variants);
        }
        throw new IllegalStateException("no JSON Schema type for " + c.getName());
    }

    /** A map that keeps its keys in the order given: Map.of's order changes from one JVM to the next. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static void write(StringBuilder sb, Object v, String indent) {
        if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(indent).append("  ");
                string(sb, e.getKey().toString());
                sb.append(": ");
                write(sb, e.getValue(), indent + "  ");
                sb.append(++i < m.size() ? ",\n" : "\n");
            }
            sb.append(indent).append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (l.get(i) instanceof Map<?, ?>) {
                    sb.append(i == 0 ? "\n" : "").append(indent).append("  ");
                    write(sb, l.get(i), indent + "  ");
                    sb.append(i + 1 < l.size() ? ",\n" : "\n" + indent);
                } else {
                    write(sb, l.get(i), indent);
                    sb.append(i + 1 < l.size() ? ", " : "");
                }
            }
            sb.append(']');
        } else if (v instanceof String s) {
            string(sb, s);
        } else {
            sb.append(v);
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        sb.append('"');
    }
}
