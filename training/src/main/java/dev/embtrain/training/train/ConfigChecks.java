package dev.embtrain.training.train;

import dev.embtrain.training.config.ConfigBinder;
import dev.embtrain.training.config.ConfigException;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.Configs;
import dev.embtrain.training.config.EarlyStoppingConfig;
import dev.embtrain.training.config.RunConfig;
import dev.embtrain.training.config.SearchConfig;
import dev.embtrain.training.config.UnreadKeys;
import dev.embtrain.training.engine.Monitor;
import dev.embtrain.training.kinds.RunKind;
import dev.embtrain.training.kinds.RunKinds;
import dev.embtrain.training.search.Distribution;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Everything a run checks before it reads data: the kind's rules, the keys nothing reads, the
 * monitored metric and the search space, each failing with one line that names the key.
 */
public final class ConfigChecks {

    private ConfigChecks() {}

    /**
     * Checks a config for its kind without reading data: the kind's rules, the device, the
     * optimizer keys, the monitored metric and the search space.
     *
     * @param loaded the config
     * @return the kind
     * @throws ConfigException naming the key and its line
     */
    public static RunKind check(ConfigLoader.Loaded loaded) {
        RunKind kind = RunKinds.of(loaded);
        kind.check(loaded);
        checkUnusedKeys(loaded);
        monitor(loaded, kind);
        if (loaded.config().search() != null) {
            checkSearch(loaded, kind);
        }
        return kind;
    }

    /**
     * Resolves {@code training.early_stopping.metric} for a kind.
     *
     * @param loaded the config
     * @param kind the kind
     * @return the monitored metric
     * @throws ConfigException when the kind does not measure it
     */
    public static Monitor monitor(ConfigLoader.Loaded loaded, RunKind kind) {
        RunConfig config = loaded.config();
        EarlyStoppingConfig.Metric m = config.training().earlyStopping().metric();
        List<String> metrics = kind.metrics(config);
        String name = m == EarlyStoppingConfig.Metric.AUTO ? kind.defaultMonitor(config) : m.yamlName();
        if (!name.equals(Monitor.TRAIN_LOSS) && !metrics.contains(name)) {
            throw loaded.error("training.early_stopping.metric", name + " is not measured by " + kind.name()
                    + " runs of " + config.model().type() + "; expected one of auto, "
                    + String.join(", ", metrics) + (metrics.isEmpty() ? "" : ", ") + Monitor.TRAIN_LOSS);
        }
        return dev.embtrain.training.objectives.Metrics.named(name);
    }

    /**
     * Refuses a key the user wrote that the chosen optimizer or schedule does not read, so
     * nothing written is dropped without a word.
     *
     * @param loaded the config
     * @throws ConfigException naming the key, its line, and what would read it
     */
    public static void checkUnusedKeys(ConfigLoader.Loaded loaded) {
        for (Map.Entry<String, String> unread : UnreadKeys.of(loaded.config()).entrySet()) {
            if (loaded.given(unread.getKey())) {
                throw loaded.error(unread.getKey(), unread.getValue());
            }
        }
    }

    /** The keys a search may name, checked before any data is read. */
    private static void checkSearch(ConfigLoader.Loaded loaded, RunKind kind) {
        SearchConfig search = loaded.config().search();
        Set<String> tunable = kind.tunableDatasetKeys();
        for (int i = 0; i < search.space().size(); i++) {
            SearchConfig.ParamConfig p = search.space().get(i);
            String where = "search.space[" + i + "].key";
            if (p.key().startsWith("search.") || p.key().equals("name") || (p.key().startsWith("dataset.")
                    && !tunable.contains(p.key()))) {
                throw loaded.error("search.space", p.key() + " cannot be searched: the search tunes how the model is"
                        + " trained; " + (tunable.isEmpty() ? "no dataset key of " + kind.name() + " runs may vary"
                        : "of the dataset keys only " + new java.util.TreeSet<>(tunable) + " may vary") + " ("
                        + where + ")");
            }
            Distribution d = p.distribution();
            for (Object v : List.of(d.fromInternal(d.internalLow()), d.fromInternal(d.internalHigh()))) {
                try {
                    trialConfig(loaded, kind, List.of(p.key() + "=" + v));
                } catch (ConfigException e) {
                    throw loaded.error("search.space", "entry " + i + " does not fit the config: " + e.getMessage());
                }
            }
        }
    }

    /** Loads the run's config with a trial's values applied, through the same binder and checks. */
    static ConfigLoader.Loaded trialConfig(ConfigLoader.Loaded loaded, RunKind kind, List<String> overrides) {
        Map<String, Object> tree = Configs.written(loaded.config());
        tree.remove("search");
        ConfigLoader.Loaded l = ConfigLoader.load(ConfigBinder.dump(tree), "the search's trial config", overrides);
        kind.check(l);
        return l;
    }

}
