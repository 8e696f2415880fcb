package dev.embtrain.training.train;

import ai.djl.Model;
import dev.embtrain.training.config.RunConfig;
import dev.embtrain.training.engine.FitResult;
import dev.embtrain.training.kinds.Prepared;

/**
 * One trained model, open until closed.
 *
 * @param config the config it was trained with
 * @param fit its history and best epoch
 * @param model the model, with the kept epoch's parameters
 * @param trainable the objective and state the kind built for it
 */
record Trained(RunConfig config, FitResult fit, Model model, Prepared.Trainable trainable) implements AutoCloseable {
    @Override
    public void close() {
        model.close();
    }
}
