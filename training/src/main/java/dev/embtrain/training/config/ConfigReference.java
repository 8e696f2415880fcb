package dev.embtrain.training.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the config reference (every key, its type, default and meaning) as Markdown from the
 * records themselves, so the README's reference cannot drift from what the loader accepts.
 */
public final class ConfigReference {

    private ConfigReference() {}

    /**
     * Returns the reference.
     *
     * @return Markdown tables, one per section
     */
    public static String markdown() {
        StringBuilder sb = new StringBuilder();
        section(sb, "(top level)", RunConfig.class, "");
        return sb.toString().trim() + "\n";
    }

    private static void section(StringBuilder sb, String title, Class<?> record, String prefix) {
        List<Runnable> nested = new ArrayList<>();
        sb.append("\n#### ").append(title).append("\n\n");
        Doc classDoc = record.getAnnotation(Doc.class);
        if (classDoc != null && !prefix.isEmpty()) {
            sb.append(classDoc.value()).append("\n\n");
        }
        sb.append("| key | type | default | meaning |\n|---|---|---|---|\n");
        if (Variants.class.isAssignableFrom(record) && !record.isInterface()) {
            sb.append("| `").append(prefix).append("type` | `").append(variantName(record))
                    .append("` | required | selects this table |\n");
        }
        for (RecordComponent c : record.getRecordComponents()) {
            String key = prefix + ConfigBinder.snake(c.getName());
            Default d = c.getAnnotation(Default.class);
            Doc doc = c.getAnnotation(Doc.class);
            Class<?> type = c.getType();
            String shown = d == null ? "required" : "`" + d.value() + "`";
            if (type.isRecord()) {
                shown = d == null ? "required" : "see below";
                nested.add(() -> section(sb, "`" + key + "`", type, key + "."));
            } else if (c.getGenericType() instanceof java.lang.reflect.ParameterizedType p
                    && p.getActualTypeArguments()[0] instanceof Class<?> element && element.isRecord()) {
                // A list of sections (dataset.crosses): document the keys of one entry.
                nested.add(() -> section(sb, "each entry of `" + key + "`", element, key + "[]."));
            } else if (type.isInterface() && Variants.class.isAssignableFrom(type)) {
                for (Map.Entry<String, Class<? extends Record>> v : ConfigBinder.variantsOf(type).entrySet()) {
                    nested.add(() -> section(sb, "`" + key + "` with `type: " + v.getKey() + "`", v.getValue(),
                            key + "."));
                }
                shown = "required";
            }
            sb.append("| `").append(key).append("` | ").append(typeName(c.getGenericType())).append(" | ")
                    .append(shown).append(" | ").append(doc == null ? "" : doc.value()).append(" |\n");
        }
        nested.forEach(Runnable::run);
    }

    private static String variantName(Class<?> record) {
        for (Class<?> iface : record.getInterfaces()) {
            if (Variants.class.isAssignableFrom(iface) && iface != Variants.class) {
                for (Map.Entry<String, Class<? extends Record>> v : ConfigBinder.variantsOf(iface).entrySet()) {
                    if (v.getValue() == record) {
                        return v.getKey();
                    }
                }
            }
        }
        throw new IllegalStateException(record + " is not a listed variant");
    }

    private static String typeName(Type t) {
        if (t instanceof ParameterizedType p) {
            return "list of " + typeName(p.getActualTypeArguments()[0]) + "s";
        }
        Class<?> c = (Class<?>) t;
        if (c == int.class || c == long.class || c == Integer.class || c == Long.class) {
            return "integer";
        }
        if (c == double.class || c == float.class || c == Double.class) {
            return "number";
        }
        if (c == boolean.class) {
            return "boolean";
        }
        if (c == String.class) {
            return "string";
        }
        if (c == Path.class) {
            return "path";
        }
        if (c.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object e : c.getEnumConstants()) {
                names.add(ConfigBinder.yamlName((Enum<?>) e));
            }
            return "one of " + String.join(", ", names);
        }
        if (c.isRecord()) {
            return "section";
        }
        if (c.isInterface()) {
            return "section with `type`";
        }
        return c.getSimpleName();
    }
}
