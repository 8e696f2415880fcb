package dev.embtrain.training.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.embtrain.datasets.retail.OnlineRetail;
import dev.embtrain.models.EmbeddingBag;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class Item2VecConfigTest {

    private static final String RETAIL = """
            name: t
            dataset:
              type: online-retail
              path: data/online_retail.csv.xz
            model:
              type: embedding-bag
            """;

    private static String error(String yaml, String... overrides) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(yaml, "x.yaml", List.of(overrides)))
                .getMessage();
    }

    @Test
    void defaultsAreGensimsAndTheCommonProtocol() {
        RunConfig c = ConfigLoader.load(RETAIL, "x.yaml", List.of()).config();
        OnlineRetailConfig d = assertInstanceOf(OnlineRetailConfig.class, c.dataset());
        assertEquals(Path.of("data/online_retail.csv.xz"), d.path());
        assertEquals(OnlineRetail.Options.COMMON, d.options());
        assertEquals(1, d.minCount());
        assertEquals(new EvaluationConfig(1000, 1000, 42), d.evaluation());
        EmbeddingBagConfig m = assertInstanceOf(EmbeddingBagConfig.class, c.model());
        assertEquals(new EmbeddingBagConfig(EmbeddingBag.Mode.SKIP_GRAM, EmbeddingBag.Pooling.MEAN, 64, 5, 5, 0.75, 0.0,
                EmbeddingBagConfig.Loss.NEGATIVE_SAMPLING, 0), m);
    }

    @Test
    void everyKeyBindsByItsYamlName() {
        RunConfig c = ConfigLoader.load(RETAIL, "x.yaml", List.of("dataset.by=invoice",
                "dataset.drop_cancellations=true", "dataset.drop_non_positive_quantity=true", "dataset.min_rows=2",
                "dataset.min_count=5", "dataset.evaluation={validation: 10, test: 20, seed: 3}", "model.mode=cbow",
                "model.pooling=sum", "model.vector_size=8", "model.window=2", "model.negative=15",
                "model.ns_exponent=-0.5", "model.sample=1e-3", "model.loss=sampled-softmax", "model.shared_negatives=0",
                "training.schedule.type=linear")).config();
        OnlineRetailConfig d = (OnlineRetailConfig) c.dataset();
        assertEquals(new OnlineRetail.Options(OnlineRetail.SessionBy.INVOICE, true, true, 2), d.options());
        assertEquals(5, d.minCount());
        assertEquals(new EvaluationConfig(10, 20, 3), d.evaluation());
        assertEquals(new EmbeddingBagConfig(EmbeddingBag.Mode.CBOW, EmbeddingBag.Pooling.SUM, 8, 2, 15, -0.5, 1e-3,
                EmbeddingBagConfig.Loss.SAMPLED_SOFTMAX, 0), c.model());
        assertEquals(ScheduleConfig.ScheduleType.LINEAR, c.training().schedule().type());
    }

    @Test
    void syntheticSessionsHaveSmallDefaults() {
        RunConfig c = ConfigLoader.load(RETAIL.replace("type: online-retail\n  path: data/online_retail.csv.xz",
                "type: synthetic-sessions"), "x.yaml", List.of()).config();
        SyntheticSessionsConfig s = assertInstanceOf(SyntheticSessionsConfig.class, c.dataset());
        assertEquals(new SyntheticSessionsConfig(500, 50, 4000, 4, 20, 0.8, 42, 1, new EvaluationConfig(500, 500, 42)), s);
    }

    @Test
    void aModelThatDoesNotFitTheDataIsAnErrorAtModelType() {
        assertEquals("model.type: embedding-bag learns from sessions, but dataset.type movielens holds ratings; use it"
                + " with online-retail, synthetic-sessions or sessions (x.yaml:6)",
                error(RETAIL.replace("type: online-retail\n  path: data/online_retail.csv.xz",
                        "type: movielens\n  path: data/ml-100k")));
        assertEquals("model.type: dot-product-bias predicts ratings, but dataset.type online-retail holds sessions; use"
                + " embedding-bag (x.yaml:6)", error(RETAIL.replace("type: embedding-bag", "type: dot-product-bias")));
        assertEquals("model.type: deep-collaborative predicts ratings, but dataset.type online-retail holds sessions;"
                + " use embedding-bag (--set model={type: deep-collaborative})",
                error(RETAIL, "model={type: deep-collaborative}"));
    }

    @Test
    void badValuesNamePathAndLine() {
        assertEquals("model.sample: must be in [0, 1), found 1.0 (x.yaml:7)", error(RETAIL + "  sample: 1.0\n"));
        assertEquals("model.negative: must be > 0, found 0 (x.yaml:7)", error(RETAIL + "  negative: 0\n"));
        assertEquals("model.mode: expected one of [skip-gram, cbow], found \"sg\" (x.yaml:7)", error(RETAIL + "  mode: sg\n"));
        assertEquals("model.shared_negatives: must be >= 0 (0 = a draw per example), found -1 (x.yaml:7)",
                error(RETAIL + "  shared_negatives: -1\n"));
        assertEquals("model.shared_negatives: a shared pool is scored by negative sampling only; set loss:"
                + " negative-sampling or shared_negatives: 0 (x.yaml:8)",
                error(RETAIL + "  loss: sampled-softmax\n  shared_negatives: 64\n"));
        assertEquals(64, ((EmbeddingBagConfig) ConfigLoader.load(RETAIL, "x.yaml", List.of("model.shared_negatives=64"))
                .config().model()).sharedNegatives());
        assertEquals("dataset.by: expected one of [customer, invoice], found \"day\" (--set dataset.by=day)",
                error(RETAIL, "dataset.by=day"));
        assertEquals("dataset.evaluation.test: must be > 0, found 0 (--set dataset.evaluation.test=0)",
                error(RETAIL, "dataset.evaluation.test=0"));
        assertEquals("dataset.path: required key is missing (x.yaml:3)",
                error(RETAIL.replace("  path: data/online_retail.csv.xz\n", "")));
        assertEquals("dataset.max_length: must be >= min_length = 4, found 3 (--set dataset.max_length=3)",
                error(RETAIL.replace("type: online-retail\n  path: data/online_retail.csv.xz", "type: synthetic-sessions"),
                        "dataset.max_length=3"));
    }
}
