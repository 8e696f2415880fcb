package dev.embtrain.training.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.embtrain.datasets.synthetic.SyntheticFeat2Vec;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticFeat2VecConfigTest {

    private static final String YAML = """
            name: f2v
            dataset:
              type: synthetic-feat2vec
            model:
              type: dot-product-bias
            """;

    @Test
    void defaultsAreTheNotebooks() {
        SyntheticFeat2VecConfig c = assertInstanceOf(SyntheticFeat2VecConfig.class,
                ConfigLoader.load(YAML, "f.yaml", List.of()).config().dataset());
        assertEquals(100_000, c.rows());
        assertEquals(SyntheticFeat2Vec.Outcome.BINARY, c.outcome());
        assertEquals(1, c.generatorSeed());
        assertEquals(SplitConfig.SplitType.RANDOM, c.split().type());
        SyntheticFeat2VecConfig set = assertInstanceOf(SyntheticFeat2VecConfig.class, ConfigLoader.load(YAML, "f.yaml",
                List.of("dataset.rows=5000", "dataset.outcome=floor", "dataset.split.validation=0.1")).config().dataset());
        assertEquals(5000, set.rows());
        assertEquals(SyntheticFeat2Vec.Outcome.FLOOR, set.outcome());
        assertEquals(0.1, set.split().validation());
    }

    @Test
    void refusesWhatTheGeneratorCannotDo() {
        assertEquals("dataset.rows: must be > 0, found 0 (f.yaml:4)", assertThrows(ConfigException.class,
                () -> ConfigLoader.load(YAML.replace("feat2vec\n", "feat2vec\n  rows: 0\n"), "f.yaml", List.of()))
                .getMessage());
        assertEquals("dataset.split: leave-last-out needs users and timestamps, which these rows lack; use type:"
                + " random (f.yaml:4)", assertThrows(ConfigException.class, () -> ConfigLoader.load(
                        YAML.replace("feat2vec\n", "feat2vec\n  split: {type: leave-last-out}\n"), "f.yaml", List.of()))
                .getMessage());
    }
}
