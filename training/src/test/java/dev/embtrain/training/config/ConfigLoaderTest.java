package dev.embtrain.training.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    private static final String MINIMAL = """
            name: t
            dataset:
              type: movielens
              path: data/ml-100k
            model:
              type: dot-product-bias
            """;

    private static String error(String yaml, String... overrides) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(yaml, "x.yaml", List.of(overrides)))
                .getMessage();
    }

    @Test
    void defaultsFillEverythingLeftOut() {
        RunConfig c = ConfigLoader.load(MINIMAL, "x.yaml", List.of()).config();
        assertEquals(42, c.seed());
        MovieLensConfig ml = assertInstanceOf(MovieLensConfig.class, c.dataset());
        assertEquals(Path.of("data/ml-100k"), ml.path());
        assertEquals(0.2, ml.split().validation());
        assertEquals(SplitConfig.SplitType.RANDOM, ml.split().type());
        DotProductBiasConfig m = assertInstanceOf(DotProductBiasConfig.class, c.model());
        assertEquals(50, m.factors());
        assertEquals(List.of(0.0, 5.5), m.yRange());
        assertEquals(5, c.training().epochs());
        assertEquals(64, c.training().batchSize());
        assertEquals(OptimizerConfig.OptimizerType.ADAMW, c.training().optimizer().type());
        assertEquals(List.of(0.9, 0.99), c.training().optimizer().betas());
        assertEquals(ScheduleConfig.ScheduleType.ONE_CYCLE, c.training().schedule().type());
        assertEquals(EarlyStoppingConfig.Metric.AUTO, c.training().earlyStopping().metric());
        assertEquals(List.of("tsv", "npy"), c.export().embeddings());
    }

    @Test
    void unknownKeyNamesPathLineAndSuggestion() {
        String yaml = MINIMAL + "training:\n  epoch: 3\n";
        assertEquals("training.epoch: unknown key (did you mean \"epochs\"?); expected one of [epochs, batch_size,"
                + " optimizer, schedule, device, early_stopping, progress, clip_grad_norm] (x.yaml:8)", error(yaml));
    }

    @Test
    void wrongTypeNamesExpectedAndFound() {
        assertEquals("training.epochs: expected an integer, found \"ten\" (x.yaml:8)",
                error(MINIMAL + "training:\n  epochs: ten\n"));
        assertEquals("training.epochs: expected an integer, found 2.5 (x.yaml:8)",
                error(MINIMAL + "training:\n  epochs: 2.5\n"));
        assertEquals("model.y_range: expected a list, found 5.5 (x.yaml:7)",
                error(MINIMAL.replace("type: dot-product-bias", "type: dot-product-bias\n  y_range: 5.5")));
    }

    @Test
    void badEnumListsTheChoices() {
        String yaml = MINIMAL + "training:\n  optimizer:\n    type: adamx\n";
        assertEquals("training.optimizer.type: expected one of [adamw, adam, sgd, rowwise-adagrad], found"
                + " \"adamx\" (x.yaml:9)",
                error(yaml));
    }

    @Test
    void unknownVariantListsTheTypes() {
        assertEquals("model.type: expected one of [dot-product-bias, deep-collaborative, factorization-machine, wide-and-deep,"
                + " embedding-bag], found \"dot-product\" (x.yaml:6)",
                error(MINIMAL.replace("type: dot-product-bias", "type: dot-product")));
        assertEquals("dataset.type: required key is missing; expected one of [movielens, synthetic-movielens, ratings, synthetic-feat2vec,"
                + " labelled-embeddings, synthetic-labelled-embeddings, online-retail, synthetic-sessions, sessions] (x.yaml:3)",
                error(MINIMAL.replace("  type: movielens\n", "")));
    }

    @Test
    void recordValidationGetsPathAndLine() {
        String yaml = MINIMAL.replace("path: data/ml-100k", "path: data/ml-100k\n  split: {validation: 1.5}");
        assertEquals("dataset.split.validation: must be in (0, 1), found 1.5 (x.yaml:5)", error(yaml));
        assertEquals("model.y_range: expected [lo, hi] with lo < hi, found [5.0, 1.0] (x.yaml:7)",
                error(MINIMAL + "  y_range: [5, 1]\n"));
        assertEquals("training.batch_size: must be > 0, found 0 (x.yaml:8)",
                error(MINIMAL + "training:\n  batch_size: 0\n"));
        assertEquals("training.device: expected one of auto, cpu, gpu, gpu:N, found \"tpu\" (x.yaml:8)",
                error(MINIMAL + "training:\n  device: tpu\n"));
    }

    @Test
    void missingRequiredKeyCitesItsSection() {
        assertEquals("dataset.path: required key is missing (x.yaml:3)",
                error(MINIMAL.replace("  path: data/ml-100k\n", "")));
        assertEquals("name: required key is missing (x.yaml:1)", error(MINIMAL.replace("name: t\n", "")));
    }

    @Test
    void duplicateKeyIsAnError() {
        assertEquals("seed: duplicate key (x.yaml:2)", error("seed: 1\nseed: 2\n" + MINIMAL));
    }

    @Test
    void overridesReplaceAddAndCiteThemselves() {
        RunConfig c = ConfigLoader.load(MINIMAL, "x.yaml",
                List.of("training.epochs=10", "model.y_range=[1, 5]", "dataset.split.seed=7")).config();
        assertEquals(10, c.training().epochs());
        assertEquals(List.of(1.0, 5.0), ((DotProductBiasConfig) c.model()).yRange());
        assertEquals(7, ((RatingsDatasetConfig) c.dataset()).split().seed());
        assertEquals("training.epochs: expected an integer, found \"x\" (--set training.epochs=x)",
                error(MINIMAL, "training.epochs=x"));
        assertEquals("training.epoch: unknown key (did you mean \"epochs\"?); expected one of [epochs, batch_size,"
                + " optimizer, schedule, device, early_stopping, progress, clip_grad_norm] (--set training.epoch=3)",
                error(MINIMAL, "training.epoch=3"));
        assertEquals("--set seed.x=1: seed is a value, not a section, so it has no key x",
                error(MINIMAL + "seed: 3\n", "seed.x=1"));
        assertEquals("--set epochs: expected path=value, such as training.epochs=10", error(MINIMAL, "epochs"));
    }

    @Test
    void numbersInScientificNotationAndUnderscores() {
        RunConfig c = ConfigLoader.load(MINIMAL + "training:\n  optimizer: {learning_rate: 5e-3}\n", "x.yaml",
                List.of("training.batch_size=1_024")).config();
        assertEquals(5e-3, c.training().optimizer().learningRate());
        assertEquals(1024, c.training().batchSize());
        assertEquals("training.optimizer.learning_rate: expected a number, found \"NaN\" (x.yaml:9)",
                error(MINIMAL + "training:\n  optimizer:\n    learning_rate: NaN\n"));
    }

    @Test
    void syntaxErrorsAndEmptyFiles() {
        assertEquals("x.yaml: the config file is empty", error(""));
        assertEquals("x.yaml: expected a mapping of keys at the top, found a list", error("- a\n- b\n"));
        assertEquals("x.yaml:2: not valid YAML: mapping values are not allowed here", error("name: t\n  x: : y\n"));
    }

    @Test
    void resolvedSectionIsSkippedAndRoundTrips() {
        RunConfig c = ConfigLoader.load(MINIMAL, "x.yaml", List.of("training.epochs=3")).config();
        @SuppressWarnings("unchecked")
        var tree = (java.util.Map<String, Object>) ConfigBinder.toYaml(c);
        tree.put("resolved", java.util.Map.of("vocabulary_sizes", java.util.Map.of("user", 944)));
        RunConfig again = ConfigLoader.load(ConfigBinder.dump(tree), "config.yaml", List.of()).config();
        assertEquals(c, again);
    }

    @Test
    void javaCallersGetTheKeyInTheMessage() {
        var e = assertThrows(ConfigValueException.class, () -> new SplitConfig(SplitConfig.SplitType.RANDOM, 0, 1, "split", null, 5));
        assertEquals("validation: must be in (0, 1), found 0.0", e.getMessage());
    }

    @Test
    void locationsAreKeptForLaterErrors() {
        ConfigLoader.Loaded loaded = ConfigLoader.load(MINIMAL, "x.yaml", List.of());
        assertEquals("dataset.path: no such directory (x.yaml:4)",
                loaded.error("dataset.path", "no such directory").getMessage());
    }
}
