package dev.embtrain.training.job;

import dev.embtrain.training.config.FactorizationMachineConfig;
import dev.embtrain.training.config.RunConfig;
import dev.embtrain.training.config.WideAndDeepConfig;

/** Tells the models that read the whole feature schema (side features, crosses) from those over ids alone. */
final class FeatureModels {

    private FeatureModels() {}

    /**
     * Returns whether a run's model reads the feature schema.
     *
     * @param config the run
     * @return true for factorization-machine and wide-and-deep
     */
    static boolean uses(RunConfig config) {
        return config.model() instanceof FactorizationMachineConfig || config.model() instanceof WideAndDeepConfig;
    }
}
