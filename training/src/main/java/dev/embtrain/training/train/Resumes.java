package dev.embtrain.training.train;

import dev.embtrain.training.config.ConfigBinder;
import dev.embtrain.training.config.ConfigException;
import dev.embtrain.training.config.Configs;
import dev.embtrain.training.config.RunConfig;
import dev.embtrain.training.config.UnreadKeys;
import dev.embtrain.training.run.Checkpoints;
import dev.embtrain.training.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** What {@code --resume} may continue: a checkpoint, or a search, whose config differs from now only in its counts. */
final class Resumes {

    private Resumes() {}

    /**
     * Reads the checkpoint to continue, refusing a config that differs from the checkpoint's in
     * anything but {@code training.epochs}.
     */
    static Checkpoints.Saved resumable(Path dir, RunConfig config) throws IOException {
        Checkpoints.Saved saved = Checkpoints.read(dir);
        if (saved == null) {
            throw new java.nio.file.NoSuchFileException(dir.toString(), null, dir.getFileName().toString()
                    .endsWith(RunDirectory.PARTIAL) ? "nothing to resume: the run stopped before its first epoch"
                    + " ended" : "nothing to resume: this run has no checkpoint (it was written before runs kept"
                    + " one)");
        }
        String differs = differsFrom(saved.config(), config);
        if (differs != null) {
            throw new ConfigException("--resume: " + differs + "; only training.epochs (and a search's trials) may"
                    + " change when a run is resumed");
        }
        if (saved.history().size() >= config.training().epochs()) {
            throw new ConfigException("--resume: the checkpoint already holds " + saved.history().size()
                    + " epochs, and training.epochs is " + config.training().epochs());
        }
        return saved;
    }

    /**
     * Compares a config a run wrote when it started with the config now, leaving out keys nothing
     * reads (files written before dumps left them out still hold them).
     *
     * @param written the YAML the run wrote
     * @param config the config now
     * @return the first difference, or null
     */
    static String differsFrom(String written, RunConfig config) {
        Object then = new org.yaml.snakeyaml.Yaml().load(written);
        if (then instanceof Map<?, ?> tree) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) tree;
            then = UnreadKeys.prune(map, config);
        }
        Object now = new org.yaml.snakeyaml.Yaml().load(ConfigBinder.dump(Configs.written(config)));
        return difference("", then, now);
    }

    /**
     * The first dotted key whose values differ, with both values; null when they are equal but
     * for the counts a resumed run may raise (training.epochs, search.trials).
     */
    static String difference(String path, Object then, Object now) {
        if (path.equals("training.epochs") || path.equals("search.trials")) {
            return null;
        }
        if (then instanceof Map<?, ?> a && now instanceof Map<?, ?> b) {
            java.util.Set<Object> keys = new java.util.LinkedHashSet<>(a.keySet());
            keys.addAll(b.keySet());
            for (Object k : keys) {
                String d = difference(path.isEmpty() ? k.toString() : path + "." + k, a.get(k), b.get(k));
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        return java.util.Objects.equals(then, now) ? null
                : path + " was " + then + " in the interrupted run and is " + now + " now";
    }

}
