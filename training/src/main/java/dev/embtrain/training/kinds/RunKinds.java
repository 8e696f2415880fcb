package dev.embtrain.training.kinds;

import dev.embtrain.training.config.ConfigException;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.RunConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one registry of run kinds: the kind of a config is chosen here, once, and a saved run's
 * kind is read back from {@code resolved.kind}. Adding a kind is one entry in {@link #ALL}.
 */
public final class RunKinds {

    /** Every kind, in the order they are asked. */
    public static final List<RunKind> ALL = List.of(new LabelledKind(), new ImplicitKind(), new SessionsKind(),
            new RatingsKind());

    private RunKinds() {}

    /**
     * Returns the kind that trains a config.
     *
     * @param loaded the config
     * @return the kind
     * @throws ConfigException when no kind trains its dataset with its model
     */
    public static RunKind of(ConfigLoader.Loaded loaded) {
        RunConfig config = loaded.config();
        return find(config).orElseThrow(() -> loaded.error("model.type", config.model().type()
                + " does not train on dataset.type " + config.dataset().type()));
    }

    /**
     * Returns the kind that trains a config, if any.
     *
     * @param config the config
     * @return the kind
     */
    public static Optional<RunKind> find(RunConfig config) {
        return ALL.stream().filter(k -> k.accepts(config)).findFirst();
    }

    /**
     * Returns the kind a saved run names in {@code resolved.kind}, else the one its config gives
     * (runs written before kinds were recorded).
     *
     * @param loaded the run's config
     * @param resolved its resolved section, or null
     * @return the kind
     */
    public static RunKind saved(ConfigLoader.Loaded loaded, Map<String, Object> resolved) {
        Object name = resolved == null ? null : resolved.get("kind");
        if (name != null) {
            return named(name.toString());
        }
        return of(loaded);
    }

    /**
     * Returns a kind by name.
     *
     * @param name e.g. {@code ratings}
     * @return the kind
     * @throws IllegalArgumentException naming the kinds there are
     */
    public static RunKind named(String name) {
        return ALL.stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown kind of run \"" + name + "\"; expected one of "
                        + ALL.stream().map(RunKind::name).toList()));
    }
}
