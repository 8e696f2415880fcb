package dev.embtrain.training.kinds;

import dev.embtrain.training.config.DeepCollaborativeConfig;
import dev.embtrain.training.config.FactorizationMachineConfig;
import dev.embtrain.training.config.MovieLensConfig;
import dev.embtrain.training.config.SyntheticMovieLensConfig;
import dev.embtrain.training.config.RunConfig;
import dev.embtrain.training.config.WideAndDeepConfig;
import java.util.List;
import java.util.Set;

/** Tells the models that read the whole feature schema (side features, crosses) from those over ids alone. */
final class FeatureModels {

    private FeatureModels() {}

    /**
     * Returns whether a run's model reads the feature schema.
     *
     * @param config the run
     * @return true for factorization-machine and wide-and-deep, and for deep-collaborative when
     *     the dataset names side features
     */
    static boolean uses(RunConfig config) {
        if (config.model() instanceof FactorizationMachineConfig || config.model() instanceof WideAndDeepConfig) {
            return true;
        }
        List<String> features = config.dataset() instanceof MovieLensConfig m ? m.features()
                : config.dataset() instanceof SyntheticMovieLensConfig s ? s.features() : List.of();
        return config.model() instanceof DeepCollaborativeConfig && !Set.copyOf(features).equals(Set.of("user", "item"));
    }
}
