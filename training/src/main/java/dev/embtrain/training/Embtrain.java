package dev.embtrain.training;

import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.RunConfig;
import dev.embtrain.training.engine.Listener;
import dev.embtrain.training.train.Training;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;

/**
 * Training from Java: the same run {@code embtrain train} makes (checks, data, the one loop,
 * search and refit, exports, {@code config.yaml}), from a config built in Java or a YAML file,
 * with listeners of your own on the kept model's training (a search's trials get none).
 *
 * <pre>{@code
 * RunConfig config = new RunConfig("my-run", 42, dataset, Configs.defaults(DotProductBiasConfig.class),
 *         training, Configs.defaults(ExportConfig.class), null);
 * Training.Outcome run = Embtrain.train(config, Path.of("runs/my-run"), myListener);
 * }</pre>
 *
 * <p>A record's canonical constructor refuses a bad value naming its key; a config whose
 * sections do not fit, or that changes a key the run does not read, fails here as it would from
 * YAML, naming the record component where YAML would give a line. Status lines go to Log4j
 * ({@code dev.embtrain.training.Embtrain}, info) unless a consumer is given.
 */
public final class Embtrain {

    private Embtrain() {}

    /**
     * Trains a config built in Java into {@code runDir}, which must not exist yet.
     *
     * @param config the config
     * @param runDir the run directory
     * @param listeners called around every step and epoch of the kept model's training
     * @return what the run measured, and where it is
     * @throws Exception when the config does not fit, or reading, training or writing fails
     */
    public static Training.Outcome train(RunConfig config, Path runDir, Listener... listeners) throws Exception {
        return train(ConfigLoader.of(config), runDir, log(), listeners);
    }

    /**
     * Trains a YAML config with {@code --set}-style overrides into {@code runDir}, which must not
     * exist yet.
     *
     * @param yaml the config file
     * @param overrides {@code dotted.path=value} strings, such as {@code training.epochs=3}
     * @param runDir the run directory
     * @param listeners called around every step and epoch of the kept model's training
     * @return what the run measured, and where it is
     * @throws Exception when the config does not fit, or reading, training or writing fails
     */
    public static Training.Outcome train(Path yaml, List<String> overrides, Path runDir, Listener... listeners)
            throws Exception {
        return train(ConfigLoader.load(yaml, overrides), runDir, log(), listeners);
    }

    /**
     * Trains a loaded config, sending status lines to {@code report}.
     *
     * @param loaded the config and where its keys came from ({@link ConfigLoader#of} or {@link ConfigLoader#load})
     * @param runDir the run directory
     * @param report status lines (the data read, the model, its memory, a search's trials); epochs reach
     *     listeners, not this
     * @param listeners called around every step and epoch of the kept model's training
     * @return what the run measured, and where it is
     * @throws Exception when the config does not fit, or reading, training or writing fails
     */
    public static Training.Outcome train(ConfigLoader.Loaded loaded, Path runDir, Consumer<String> report,
            Listener... listeners) throws Exception {
        return new Training(loaded, runDir, false, List.of(listeners), report).run();
    }

    private static Consumer<String> log() {
        return LogManager.getLogger(Embtrain.class)::info;
    }
}
