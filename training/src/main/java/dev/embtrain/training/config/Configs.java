package dev.embtrain.training.config;

import java.util.List;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Config records for Java code: every record of a config can be built with its canonical
 * constructor, whose checks refuse a bad value naming the key; {@link #defaults} gives a record
 * with every component at the default YAML would give it, to copy from.
 */
public final class Configs {

    private Configs() {}

    /**
     * Returns a config record with every component at its default, as an empty YAML section
     * binds it (sections inside it at theirs).
     *
     * @param type the record, such as {@code TrainingConfig.class} or {@code DotProductBiasConfig.class}
     * @param <R> the record type
     * @return the record
     * @throws IllegalArgumentException when a component has no default (a dataset's path), naming it
     */
    public static <R extends Record> R defaults(Class<R> type) {
        MappingNode empty = new MappingNode(Tag.MAP, List.of(), DumperOptions.FlowStyle.FLOW);
        java.util.Map<org.yaml.snakeyaml.nodes.Node, String> origins = ConfigBinder.newOrigins();
        ConfigBinder.markAll(empty, "the defaults", origins);
        try {
            return new ConfigBinder("the defaults of " + type.getSimpleName(), origins).bind(type, empty);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(type.getSimpleName() + " has no defaults for every component: "
                    + e.getMessage(), e);
        }
    }

    /** The defaults of a record type, or null when one of its components has none. */
    static Record defaultsOrNull(Class<? extends Record> type) {
        try {
            return defaults(type);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Returns a config as a run writes it ({@code config.yaml}, {@code best.yaml}, a checkpoint's):
     * every key the run reads, defaults filled in, the keys nothing reads left out
     * ({@link UnreadKeys}), so that it loads again as it is.
     *
     * @param config the config
     * @return plain maps, lists and scalars, for {@link ConfigBinder#dump}
     */
    @SuppressWarnings("unchecked")
    public static java.util.Map<String, Object> written(RunConfig config) {
        return UnreadKeys.prune((java.util.Map<String, Object>) ConfigBinder.toYaml(config), config);
    }
}
