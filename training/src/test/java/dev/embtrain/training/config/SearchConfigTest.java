package dev.embtrain.training.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.training.search.Distribution;
import dev.embtrain.training.search.MedianPruner;
import dev.embtrain.training.search.SuccessiveHalvingPruner;
import dev.embtrain.training.search.TpeSampler;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Node;

class SearchConfigTest {

    /** A document holding only a {@code search:} section, as RunConfig will hold one. */
    record Root(SearchConfig search) {}

    /** Binds the {@code search:} section with the same binder RunConfig uses, paths included. */
    private static SearchConfig bind(String yaml) {
        Node root = new Yaml().compose(new StringReader(yaml));
        return new ConfigBinder("x.yaml", ConfigBinder.newOrigins()).bind(Root.class, root).search();
    }

    private static String error(String yaml) {
        return assertThrows(ConfigException.class, () -> bind(yaml)).getMessage();
    }

    private static final String FULL = """
            search:
              trials: 20
              sampler: {type: tpe, startup_trials: 8}
              pruner: {type: successive-halving, reduction_factor: 2}
              seed: 7
              space:
                - {key: training.optimizer.learning_rate, type: log-uniform, low: 1.0e-4, high: 1.0e-1}
                - {key: training.optimizer.weight_decay, type: log-uniform, low: 1.0e-6, high: 1.0e-2}
                - {key: model.dropout, type: uniform, low: 0.0, high: 0.5}
                - {key: training.batch_size, type: int, low: 64, high: 512}
                - {key: model.layers, type: choice, values: ["[]", "[64]", "[256, 64]"]}
            """;

    @Test
    void bindsEveryKindOfEntry() {
        SearchConfig c = bind(FULL);
        assertEquals(20, c.trials());
        assertEquals(7, c.seed());
        assertEquals(new SearchConfig.TpeSamplerConfig(8, 24), c.sampler());
        assertInstanceOf(TpeSampler.class, c.sampler().create());
        assertEquals(new SearchConfig.SuccessiveHalvingPrunerConfig(1, 2, 0), c.pruner());
        SuccessiveHalvingPruner p = assertInstanceOf(SuccessiveHalvingPruner.class, c.pruner().create());
        assertEquals(4, p.rungEpoch(2));
        Map<String, Distribution> space = c.searchSpace().params();
        assertEquals(List.of("training.optimizer.learning_rate", "training.optimizer.weight_decay", "model.dropout",
                "training.batch_size", "model.layers"), List.copyOf(space.keySet()));
        assertEquals(new Distribution.LogUniform(1e-4, 1e-1), space.get("training.optimizer.learning_rate"));
        assertEquals(new Distribution.Uniform(0.0, 0.5), space.get("model.dropout"));
        assertEquals(new Distribution.IntUniform(64, 512), space.get("training.batch_size"));
        assertEquals(new Distribution.Choice(List.of("[]", "[64]", "[256, 64]")), space.get("model.layers"));
        assertEquals("successive-halving", c.pruner().type());
    }

    @Test
    void defaultsAreTpeWithTheMedianPruner() {
        SearchConfig c = bind("search:\n  space:\n    - {key: model.dropout, type: uniform, low: 0, high: 0.5}\n");
        assertEquals(20, c.trials());
        assertEquals(42, c.seed());
        assertEquals(new SearchConfig.TpeSamplerConfig(10, 24), c.sampler());
        assertEquals(new SearchConfig.MedianPrunerConfig(5, 1), c.pruner());
        assertInstanceOf(MedianPruner.class, c.pruner().create());
    }

    /**
     * The contract with the job: a trial's values, applied as {@code --set} overrides of the
     * run's file, land in the config records (Java's Double.toString spelling included).
     */
    @Test
    void trialOverridesApplyThroughTheConfigLoader() throws Exception {
        SearchConfig c = bind("""
                search:
                  trials: 1
                  space:
                    - {key: training.optimizer.learning_rate, type: log-uniform, low: 1.0e-5, high: 1.0e-3}
                    - {key: training.batch_size, type: int, low: 64, high: 512}
                    - {key: training.optimizer.weight_decay, type: choice, values: ["0", "0.01"]}
                """);
        dev.embtrain.training.search.Study study = new dev.embtrain.training.search.Study(c.searchSpace(),
                c.sampler().create(), c.pruner().create(), c.seed());
        String yaml = "name: t\ndataset:\n  type: movielens\n  path: data/ml-100k\nmodel:\n  type: dot-product-bias\n";
        study.optimize(1, trial -> {
            RunConfig run = ConfigLoader.load(yaml, "x.yaml", trial.overrides()).config();
            assertEquals(trial.numeric("training.optimizer.learning_rate"), run.training().optimizer().learningRate());
            assertEquals(trial.params().get("training.batch_size"), run.training().batchSize());
            assertEquals(Double.parseDouble((String) trial.params().get("training.optimizer.weight_decay")),
                    run.training().optimizer().weightDecay());
            return 0.5;
        }, null, null);
        double lr = (Double) study.trials().get(0).params().get("training.optimizer.learning_rate");
        assertTrue(Double.toString(lr).contains("E-"), "exponent spelling exercised: " + lr);
    }

    @Test
    void errorsNameThePathAndLine() {
        assertEquals("search.space[0].high: must be > low (0.1), found 0.01 (x.yaml:6)",
                error("search:\n  space:\n    - key: training.optimizer.learning_rate\n      type: log-uniform\n"
                        + "      low: 0.1\n      high: 0.01\n"));
        assertEquals("search.space[0].type: expected one of [log-uniform, uniform, int, choice], found \"loguniform\""
                + " (x.yaml:3)", error("search:\n  space:\n    - {key: a, type: loguniform, low: 1, high: 2}\n"));
        assertEquals("search.pruner.type: expected one of [none, median, successive-halving], found \"asha\""
                + " (x.yaml:2)", error("search:\n  pruner: {type: asha}\n  space: []\n"));
        assertEquals("search.space: must list at least one key to tune (x.yaml:3)",
                error("search:\n  trials: 3\n  space: []\n"));
        assertEquals("search.space: key a appears twice (x.yaml:3)", error("search:\n  space:\n"
                + "    - {key: a, type: int, low: 1, high: 2}\n    - {key: a, type: int, low: 1, high: 3}\n"));
        assertEquals("search.space[0].values[1]: expected a string, found a list (x.yaml:3)",
                error("search:\n  space:\n    - {key: model.layers, type: choice, values: [\"[]\", [64]]}\n"));
        assertEquals("search.trials: must be > 0, found 0 (x.yaml:2)",
                error("search:\n  trials: 0\n  space:\n    - {key: a, type: int, low: 1, high: 2}\n"));
    }
}
