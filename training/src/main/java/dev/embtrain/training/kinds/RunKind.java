package dev.embtrain.training.kinds;

import dev.embtrain.training.run.SavedRun;
import dev.embtrain.training.serving.ServingExport;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.RunConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A kind of run (ratings, sessions, implicit, labelled): chosen once from the config by
 * {@link RunKinds}, written into the run directory, and what every command dispatches on. It
 * holds every model/dataset compatibility rule and the kind's data preparation; training itself
 * is the one loop ({@code engine.Learner}), driven by {@code train.Training}.
 */
public interface RunKind {

    /**
     * Returns the kind's name, as written under {@code resolved.kind} in a run's config.
     *
     * @return e.g. {@code ratings}
     */
    String name();

    /**
     * Returns whether a config is this kind's.
     *
     * @param config the config
     * @return whether this kind trains it
     */
    boolean accepts(RunConfig config);

    /**
     * Returns the commands a run of this kind supports.
     *
     * @return the commands
     */
    Set<Command> commands();

    /**
     * Checks everything that can be checked before data is read: model against dataset, export
     * keys, keys this kind cannot use.
     *
     * @param loaded the config
     * @throws dev.embtrain.training.config.ConfigException naming the key and its line
     */
    void check(ConfigLoader.Loaded loaded);

    /**
     * Returns the validation metrics an epoch reports, in column order.
     *
     * @param config the config
     * @return the names
     */
    List<String> metrics(RunConfig config);

    /**
     * Returns what {@code early_stopping.metric: auto} monitors: the first metric the objective
     * declares, or the training loss when there is no validation split.
     *
     * @param config the config
     * @return one of {@link #metrics}, or train_loss
     */
    default String defaultMonitor(RunConfig config) {
        List<String> metrics = metrics(config);
        return metrics.isEmpty() ? dev.embtrain.training.engine.Monitor.TRAIN_LOSS : metrics.get(0);
    }

    /**
     * Returns the dataset keys a search may vary: keys that change how rows are prepared, not
     * which rows are read.
     *
     * @return dotted paths
     */
    default Set<String> tunableDatasetKeys() {
        return Set.of();
    }

    /**
     * Reads and splits the data, freezing vocabularies on the training split.
     *
     * @param loaded the config
     * @param report where to say what was read
     * @return the prepared data
     * @throws IOException when the data cannot be read
     */
    Prepared prepare(ConfigLoader.Loaded loaded, Consumer<String> report) throws IOException;

    /**
     * What a saved run of this kind rebuilds besides its files: the block its kept parameters
     * load into (null for a kind whose model lives elsewhere), the vocabularies, the schema.
     *
     * @param block the block, or null
     * @param vocabularies by field or table name
     * @param schema the ratings' feature schema, or null
     */
    record Opened(ai.djl.nn.Block block, Map<String, dev.embtrain.datasets.features.Vocabulary> vocabularies,
            dev.embtrain.datasets.features.FeatureSchema schema) {}

    /**
     * Rebuilds what a saved run of this kind needs to answer commands (the one place that knows
     * how; {@link SavedRun#open} loads the parameters into the block).
     *
     * @param dir the run directory
     * @param loaded the run's config as written
     * @param trained the kept model's config (the best trial's after a search)
     * @return the block, vocabularies and schema
     * @throws IOException when a vocabulary cannot be read
     */
    default Opened open(Path dir, ConfigLoader.Loaded loaded, RunConfig trained) throws IOException {
        return new Opened(null, Map.of(), null);
    }

    /**
     * Returns the tables of a finished run that {@code neighbors} searches.
     *
     * @param run the run
     * @return the tables, each labelled, in the model's order
     * @throws IOException when a file cannot be read
     */
    default List<dev.embtrain.training.export.Neighbors.Table> tables(SavedRun run) throws IOException {
        return List.of();
    }

    /**
     * What a run's serving directory holds beside its parameters and the models jar.
     *
     * @param spec the block's spec, written to {@code serving.properties}
     * @param translator the translator DJL Serving answers requests with
     * @param properties further entries the translator reads
     * @param files run-relative files copied to the same place
     * @param written run-relative files written with this text
     */
    record Serving(dev.embtrain.models.BlockSpec spec, Class<?> translator, Map<String, String> properties,
            List<String> files, Map<String, String> written) {}

    /**
     * Returns what a finished run of this kind serves: its block's spec, its translator and the
     * files they read.
     *
     * @param runDir the run
     * @param config the kept model's config (the best trial's after a search)
     * @param loaded the run's config as written
     * @return the serving directory's contents
     * @throws IOException when a file of the run cannot be read
     */
    Serving serving(Path runDir, RunConfig config, ConfigLoader.Loaded loaded) throws IOException;

    /**
     * Writes a finished run's DJL Serving directory.
     *
     * @param runDir the run
     * @param out the directory to write
     * @param overwrite whether it may replace one
     * @throws IOException when writing fails
     */
    default void exportServing(Path runDir, Path out, boolean overwrite) throws IOException {
        ServingExport.write(runDir, out, overwrite);
    }
}
