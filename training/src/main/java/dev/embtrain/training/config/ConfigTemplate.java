package dev.embtrain.training.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a starter config for {@code embtrain init}: a model type on a dataset type, every key
 * of its sections written with its default and, above it, what it means (the records' own
 * {@link Doc}), so that the file documents itself and loads as the defaults it shows. Keys that
 * are absent by default are shown commented out; the search section is left out.
 */
public final class ConfigTemplate {

    private static final int WIDTH = 100;

    private ConfigTemplate() {}

    /**
     * Returns the starter config.
     *
     * @param model the {@code model.type}
     * @param dataset the {@code dataset.type}
     * @return the YAML text
     * @throws IllegalArgumentException for an unknown type, naming the known ones
     */
    public static String yaml(String model, String dataset) {
        return yaml(model, dataset, Map.of());
    }

    /**
     * Returns the starter config with some values of its own.
     *
     * @param model the {@code model.type}
     * @param dataset the {@code dataset.type}
     * @param values dotted key to the YAML value written for it ({@code model.objective} to
     *     {@code implicit})
     * @return the YAML text
     * @throws IllegalArgumentException for an unknown type, naming the known ones, or a key the
     *     config does not have
     */
    public static String yaml(String model, String dataset, Map<String, String> values) {
        Map<String, Class<? extends Record>> models = ConfigBinder.variantsOf(ModelConfig.class);
        Map<String, Class<? extends Record>> datasets = ConfigBinder.variantsOf(DatasetConfig.class);
        if (!models.containsKey(model)) {
            throw new IllegalArgumentException("unknown model type \"" + model + "\"; expected one of "
                    + models.keySet());
        }
        if (!datasets.containsKey(dataset)) {
            throw new IllegalArgumentException("unknown dataset type \"" + dataset + "\"; expected one of "
                    + datasets.keySet());
        }
        // Keys the defaults' own choices do not read (a random split's fold) are shown commented
        // out: written, the loader would refuse them, naming what reads them.
        List<String> sets = new ArrayList<>();
        values.forEach((k, v) -> sets.add(k + "=" + v));
        RunConfig defaults = ConfigLoader.load("name: x\ndataset: {type: " + dataset + "}\nmodel: {type: " + model
                + "}\n", "init", sets).config();
        Map<String, String> unwritten = new java.util.LinkedHashMap<>(values);
        java.util.Set<String> unread = UnreadKeys.of(defaults).keySet();
        StringBuilder sb = new StringBuilder();
        sb.append("# A starter config: ").append(model).append(" on ").append(dataset)
                .append(", written by embtrain init.\n")
                .append("# Every key shows its default; delete the ones you keep as they are. Train it with\n")
                .append("#   ./embtrain train THIS.yaml\n")
                .append("# Every key: docs/config-reference.md. A search section: see there, \"search\".\n");
        sb.append("name: my-").append(model).append('\n');
        for (RecordComponent c : RunConfig.class.getRecordComponents()) {
            switch (c.getName()) {
                case "name", "search" -> { }
                case "dataset" -> section(sb, c, datasets.get(dataset), dataset, "", "dataset.", unread, unwritten);
                case "model" -> section(sb, c, models.get(model), model, "", "model.", unread, unwritten);
                default -> component(sb, c, "", "", unread, unwritten);
            }
        }
        if (!unwritten.isEmpty()) {
            throw new IllegalArgumentException("no key " + unwritten.keySet().iterator().next() + " in a "
                    + model + " on " + dataset + " config");
        }
        return sb.toString();
    }

    private static void section(StringBuilder sb, RecordComponent c, Class<?> record, String type, String indent,
            String prefix, java.util.Set<String> unread, Map<String, String> values) {
        comment(sb, c, indent);
        Doc doc = record.getAnnotation(Doc.class);
        StringBuilder body = new StringBuilder();
        if (doc != null) {
            wrap(body, doc.value(), indent + "  ");
        }
        if (type != null) {
            body.append(indent).append("  type: ").append(type).append('\n');
        }
        for (RecordComponent inner : record.getRecordComponents()) {
            component(body, inner, indent + "  ", prefix, unread, values);
        }
        // A section whose every key is absent by default is an empty mapping, not a null.
        boolean written = body.toString().lines().anyMatch(l -> !l.isBlank() && !l.strip().startsWith("#"));
        sb.append(indent).append(ConfigBinder.snake(c.getName())).append(written ? ":\n" : ": {}\n").append(body);
    }

    private static void component(StringBuilder sb, RecordComponent c, String indent, String prefix,
            java.util.Set<String> unread, Map<String, String> values) {
        Default d = c.getAnnotation(Default.class);
        String key = ConfigBinder.snake(c.getName());
        Class<?> type = c.getType();
        String given = values.remove(prefix + key);
        if (d != null && d.value().equals("{}") && type.isRecord() && given == null) {
            section(sb, c, type, null, indent, prefix + key + ".", unread, values);
            return;
        }
        comment(sb, c, indent);
        if (given != null) {
            sb.append(indent).append(key).append(": ").append(given).append('\n');
        } else if (unread.contains(prefix + key)) {
            sb.append(indent).append("# ").append(key).append(": ").append(d == null ? "" : d.value())
                    .append("   (not read with the choices above)\n");
        } else if (d == null) {
            sb.append(indent).append("# ").append(key).append(":   (required; no default)\n");
        } else if (d.value().equals(ConfigBinder.OPTIONAL)) {
            sb.append(indent).append("# ").append(key).append(":   (absent by default)\n");
        } else {
            sb.append(indent).append(key).append(": ").append(d.value()).append('\n');
        }
    }

    private static void comment(StringBuilder sb, RecordComponent c, String indent) {
        Doc doc = c.getAnnotation(Doc.class);
        if (doc != null) {
            wrap(sb, doc.value() + choices(c), indent);
        }
    }

    /** The names an enum key takes, which its Doc does not always list. */
    private static String choices(RecordComponent c) {
        Class<?> t = c.getType();
        if (c.getGenericType() instanceof ParameterizedType || !t.isEnum()) {
            return "";
        }
        List<String> names = new ArrayList<>();
        for (Object e : t.getEnumConstants()) {
            names.add(ConfigBinder.yamlName((Enum<?>) e));
        }
        return " (" + String.join(" | ", names) + ")";
    }

    private static void wrap(StringBuilder sb, String text, String indent) {
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && indent.length() + 2 + line.length() + 1 + word.length() > WIDTH) {
                sb.append(indent).append("# ").append(line).append('\n');
                line.setLength(0);
            }
            line.append(line.length() == 0 ? "" : " ").append(word);
        }
        if (line.length() > 0) {
            sb.append(indent).append("# ").append(line).append('\n');
        }
    }
}
