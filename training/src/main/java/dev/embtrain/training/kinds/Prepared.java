package dev.embtrain.training.kinds;

import dev.embtrain.training.run.SavedRun;
import ai.djl.Device;
import ai.djl.Model;
import dev.embtrain.training.config.RunConfig;
import dev.embtrain.training.engine.FitResult;
import dev.embtrain.training.engine.Objective;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** A kind's data, read once per run; it builds a model and its objective for each config trained on it. */
public interface Prepared {

    /**
     * One model to train: its objective (the block is already set on the model) and what the
     * kind needs back after training.
     *
     * @param objective the batches, loss and validation
     * @param description the model line's text, e.g. {@code dot-product-bias}
     * @param oneDevice whether the objective's batches cannot be split across devices
     * @param state the kind's own (e.g. a labelled run's fitted preprocessing), or null
     */
    record Trainable(Objective objective, String description, boolean oneDevice, Object state) {}

    /**
     * What a finished training hands the kind.
     *
     * @param config the kept config (a search's best trial's)
     * @param fit the kept model's history
     * @param model the model, holding the kept parameters
     * @param trainable what {@link #build} returned for it
     * @param dir the run directory being written
     * @param resolved the {@code resolved:} section, to add the kind's entries to
     * @param report where to print
     * @param devices the devices trained on
     */
    record Finished(RunConfig config, FitResult fit, Model model, Trainable trainable, Path dir,
            Map<String, Object> resolved, Consumer<String> report, Device[] devices) {}

    /**
     * Builds the block for a config, sets it on the model, and makes its objective. The engine's
     * random seed is set just before the call.
     *
     * @param config the config (the run's, or a trial's)
     * @param model the model to set the block on; its manager owns the objective's arrays
     * @param refit train on training + validation rows ({@link #refits})
     * @return the objective and the model line
     * @throws IOException when data must be read
     */
    Trainable build(RunConfig config, Model model, boolean refit) throws IOException;

    /**
     * Returns whether the kept config is trained again from scratch on training + validation
     * rows for the epochs early stopping chose (scikit-learn's refit).
     *
     * @param config the kept config
     * @return false unless the kind offers and the config asks for it
     */
    default boolean refits(RunConfig config) {
        return false;
    }

    /**
     * Checks that the data still gives what a saved run was trained with.
     *
     * @param run the run
     * @throws IllegalStateException when it does not
     */
    default void checkSaved(SavedRun run) {}

    /**
     * Writes the kind's files (vocabularies, exports, plots, test scores) and resolved entries.
     *
     * @param f the finished training
     * @throws IOException when writing fails
     */
    void finish(Finished f) throws IOException;

    /**
     * Returns lines {@code embtrain evaluate} prints after the validation metrics (test scores).
     *
     * @param model the model with the saved parameters
     * @param trainable what {@link #build} returned for it
     * @return the lines
     */
    default List<String> evaluateMore(Model model, Trainable trainable) {
        return List.of();
    }
}
