package dev.embtrain.training.run;

import dev.embtrain.training.kinds.RunKind;
import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.embtrain.training.config.ConfigBinder;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.RunConfig;
import dev.embtrain.training.engine.FitResult;
import dev.embtrain.training.engine.Monitor;
import dev.embtrain.training.search.FrozenTrial;
import dev.embtrain.training.search.Study;
import dev.embtrain.training.search.TrialState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one writer of a run's {@code config.yaml}: the config as trained, with every default
 * filled in, and a {@code resolved:} section that a reader ignores as config: the kind of run
 * (what every later command dispatches on), the kind's data-derived sizes and counts, the kept
 * epoch and its metrics, the search's outcome, and where it ran (devices, DJL and engine
 * versions, git commit, Java).
 */
public final class Provenance {

    private Provenance() {}

    /**
     * Writes {@code config.yaml}.
     *
     * @param dir the run directory
     * @param config the run's config
     * @param kind the kind of run
     * @param monitor the monitored metric
     * @param kindEntries the kind's own resolved entries, in order
     * @param fit the kept model's history
     * @param study the search, or null
     * @param devices the devices trained on
     * @throws IOException when it cannot be written
     */
    public static void writeConfig(Path dir, RunConfig config, RunKind kind, Monitor monitor,
            Map<String, Object> kindEntries, FitResult fit, Study study, Device[] devices) throws IOException {
        Map<String, Object> tree = dev.embtrain.training.config.Configs.written(config);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("note", "written by embtrain; ignored when this file is read as a config");
        r.put("kind", kind.name());
        r.putAll(kindEntries);
        r.put("monitor", monitor.name());
        r.put("best_epoch", fit.bestEpoch());
        for (Map.Entry<String, Double> m : fit.best().valid().entrySet()) {
            r.put("best_" + m.getKey(), m.getValue());
        }
        r.put("epochs_run", fit.history().size());
        r.put("stopped_early", fit.stoppedEarly());
        if (study != null) {
            FrozenTrial best = study.best();
            List<FrozenTrial> trials = study.trials();
            r.put("search_best_trial", best.number());
            Map<String, Object> params = new LinkedHashMap<>(best.params());
            r.put("search_best_params", params);
            r.put("search_trials_complete", trials.stream().filter(t -> t.state() == TrialState.COMPLETE).count());
            r.put("search_trials_pruned", trials.stream().filter(t -> t.state() == TrialState.PRUNED).count());
        }
        r.put("devices", List.of(devices).stream().map(Device::toString).toList());
        r.put("djl_version", Engine.getDjlVersion());
        r.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        r.put("git_commit", System.getProperty("embtrain.git.commit", "unknown"));
        r.put("java", System.getProperty("java.version"));
        r.put("finished", Instant.now().toString());
        tree.put(ConfigLoader.RESOLVED, r);
        Files.writeString(dir.resolve(RunFiles.CONFIG), ConfigBinder.dump(tree), StandardCharsets.UTF_8);
    }

    /**
     * Reads a run's {@code resolved:} section.
     *
     * @param dir the run directory
     * @return the section, or null when there is none
     * @throws IOException when the file cannot be read
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> resolved(Path dir) throws IOException {
        Object tree = new org.yaml.snakeyaml.Yaml().load(Files.readString(dir.resolve(RunFiles.CONFIG),
                StandardCharsets.UTF_8));
        if (tree instanceof Map<?, ?> m && m.get(ConfigLoader.RESOLVED) instanceof Map<?, ?> r) {
            return (Map<String, Object>) r;
        }
        return null;
    }
}
