package dev.embtrain.training.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a run's YAML file, applies {@code --set path=value} overrides, and binds the result to
 * a {@link RunConfig}.
 *
 * <p>A top-level {@code resolved:} section, which embtrain writes into a run directory's
 * {@code config.yaml} to record data-derived sizes and versions, is skipped on reading: the data
 * decides those again, so a run's saved config can be trained again as it is.
 */
public final class ConfigLoader {

    private static final Pattern OVERRIDE_KEY = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");
    /** The top-level section embtrain writes and skips. */
    public static final String RESOLVED = "resolved";

    private ConfigLoader() {}

    /**
     * A loaded config and where each of its keys came from, so that a problem found later (a
     * missing data directory, an absent GPU) can still cite the line.
     *
     * @param config the config
     * @param locations dotted path to {@code file:line} or {@code --set ...}
     * @param explicit the dotted paths the YAML or a {@code --set} wrote (defaults left out)
     */
    public record Loaded(RunConfig config, Map<String, String> locations, java.util.Set<String> explicit) {
        /**
         * Returns whether the user wrote a key, rather than its default filling it in.
         *
         * @param path the dotted path
         * @return whether it was written
         */
        public boolean given(String path) {
            return explicit.contains(path);
        }

        /**
         * Builds a one-line error about a key.
         *
         * @param path the dotted path
         * @param message what is wrong and what to do
         * @return the exception
         */
        public ConfigException error(String path, String message) {
            String at = locations.get(path);
            return new ConfigException(path + ": " + message + (at == null ? "" : " (" + at + ")"));
        }
    }

    /**
     * Loads a config file with overrides.
     *
     * @param file the YAML file
     * @param overrides {@code dotted.path=value} strings; the value is read as YAML
     * @return the validated config and where its keys came from
     * @throws ConfigException naming file, path and line of the first problem
     */
    public static Loaded load(Path file, List<String> overrides) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": config file not found");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read config file: " + e.getMessage());
        }
        return load(text, file.toString(), overrides);
    }

    /**
     * Loads config text with overrides.
     *
     * @param yaml the YAML text
     * @param source the name errors cite
     * @param overrides {@code dotted.path=value} strings
     * @return the validated config and where its keys came from
     */
    public static Loaded load(String yaml, String source, List<String> overrides) {
        Map<Node, String> origins = ConfigBinder.newOrigins();
        Node root = compose(new StringReader(yaml), source);
        if (root == null) {
            throw new ConfigException(source + ": the config file is empty");
        }
        if (!(root instanceof MappingNode map)) {
            throw new ConfigException(source + ": expected a mapping of keys at the top, found "
                    + (root instanceof ScalarNode ? "a single value" : "a list"));
        }
        map.getValue().removeIf(t -> t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(RESOLVED));
        for (String o : overrides) {
            apply(map, o, origins);
        }
        ConfigBinder binder = new ConfigBinder(source, origins);
        RunConfig config = binder.bind(RunConfig.class, map);
        Loaded loaded = new Loaded(config, Map.copyOf(binder.locations()), java.util.Set.copyOf(binder.explicit()));
        checkModelFitsData(loaded);
        return loaded;
    }

    /**
     * Takes a config built in Java as if loaded: the same cross-section checks, errors that name
     * the record component where a file would give a line ({@code (set in Java:
     * OptimizerConfig.betas)}), and the keys whose value differs from their record's default
     * counted as written, so a key the run does not read is refused when it was changed.
     *
     * @param config the config
     * @return the config with where its keys came from
     * @throws ConfigException when its sections do not fit together
     */
    public static Loaded of(RunConfig config) {
        Map<String, String> locations = new java.util.LinkedHashMap<>();
        java.util.Set<String> explicit = new java.util.LinkedHashSet<>();
        for (String section : List.of("dataset", "model")) {
            locations.put(section + ".type", "set in Java: RunConfig." + section);
            explicit.add(section + ".type");
        }
        walk(config, "", locations, explicit);
        Loaded loaded = new Loaded(config, Map.copyOf(locations), java.util.Set.copyOf(explicit));
        checkModelFitsData(loaded);
        return loaded;
    }

    /** Records where each component of a record and of the records inside it was set. */
    private static void walk(Record r, String path, Map<String, String> locations, java.util.Set<String> explicit) {
        Record defaults = Configs.defaultsOrNull(r.getClass());
        for (java.lang.reflect.RecordComponent c : r.getClass().getRecordComponents()) {
            String key = (path.isEmpty() ? "" : path + ".") + ConfigBinder.snake(c.getName());
            Object value = component(c, r);
            locations.put(key, "set in Java: " + r.getClass().getSimpleName() + "." + c.getName());
            if (defaults == null || !java.util.Objects.equals(ConfigBinder.toYaml(value),
                    ConfigBinder.toYaml(component(c, defaults)))) {
                explicit.add(key);
            }
            if (value instanceof Record child) {
                walk(child, key, locations, explicit);
            }
        }
    }

    private static Object component(java.lang.reflect.RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Session models need session data and rating models ratings; anything else is a config error. */
    private static void checkModelFitsData(Loaded loaded) {
        RunConfig c = loaded.config();
        boolean sessionModel = dev.embtrain.training.modeltypes.ModelTypes.of(c.model()).data()
                == dev.embtrain.training.modeltypes.ModelType.Data.SESSIONS;
        boolean sessionData = dev.embtrain.training.kinds.DatasetTypes.of(c.dataset()).data()
                == dev.embtrain.training.kinds.DatasetTypes.Data.SESSIONS;
        if (sessionModel && !sessionData) {
            throw loaded.error("model.type", c.model().type() + " learns from sessions, but dataset.type "
                    + c.dataset().type() + " holds ratings; use it with " + sessionTypes());
        }
        if (!sessionModel && sessionData) {
            throw loaded.error("model.type", c.model().type() + " predicts ratings, but dataset.type "
                    + c.dataset().type() + " holds sessions; use embedding-bag");
        }
    }

    /** The session dataset types, as {@code a, b or c}. */
    private static String sessionTypes() {
        java.util.List<String> names = dev.embtrain.training.kinds.DatasetTypes.all().stream()
                .filter(t -> t.data() == dev.embtrain.training.kinds.DatasetTypes.Data.SESSIONS)
                .map(dev.embtrain.training.kinds.DatasetTypes.DatasetType::name).toList();
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    private static Node compose(Reader reader, String source) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // the binder reports them with their line
        try {
            return new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new ConfigException(source + ":" + line + ": not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new ConfigException(source + ": not valid YAML: " + e.getMessage());
        }
    }

    private static void apply(MappingNode root, String override, Map<Node, String> origins) {
        String origin = "--set " + override;
        int eq = override.indexOf('=');
        if (eq < 0) {
            throw new ConfigException(origin + ": expected path=value, such as training.epochs=10");
        }
        String path = override.substring(0, eq).trim();
        if (!OVERRIDE_KEY.matcher(path).matches()) {
            throw new ConfigException(origin + ": \"" + path
                    + "\" is not a dotted path of keys, such as training.optimizer.learning_rate");
        }
        Node value;
        try {
            value = compose(new StringReader(override.substring(eq + 1)), origin);
        } catch (ConfigException e) {
            throw new ConfigException(origin + ": the value is not valid YAML");
        }
        if (value == null) {
            value = new ScalarNode(Tag.NULL, "", null, null, org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN);
        }
        ConfigBinder.markAll(value, origin, origins);
        String[] keys = path.split("\\.");
        MappingNode map = root;
        List<String> walked = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            walked.add(keys[i]);
            NodeTuple found = null;
            int at = -1;
            for (int j = 0; j < map.getValue().size(); j++) {
                NodeTuple t = map.getValue().get(j);
                if (t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(keys[i])) {
                    found = t;
                    at = j;
                }
            }
            if (i == keys.length - 1) {
                ScalarNode key = key(keys[i], origin, origins);
                if (found == null) {
                    map.getValue().add(new NodeTuple(key, value));
                } else {
                    map.getValue().set(at, new NodeTuple(found.getKeyNode(), value));
                }
                return;
            }
            if (found == null) {
                MappingNode section = new MappingNode(Tag.MAP, new ArrayList<>(), org.yaml.snakeyaml.DumperOptions.FlowStyle.BLOCK);
                origins.put(section, origin);
                map.getValue().add(new NodeTuple(key(keys[i], origin, origins), section));
                map = section;
            } else if (found.getValueNode() instanceof MappingNode section) {
                map = section;
            } else {
                throw new ConfigException(origin + ": " + String.join(".", walked)
                        + " is a value, not a section, so it has no key " + keys[i + 1]);
            }
        }
    }

    private static ScalarNode key(String name, String origin, Map<Node, String> origins) {
        ScalarNode key = new ScalarNode(Tag.STR, name, null, null, org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN);
        origins.put(key, origin);
        return key;
    }
}
