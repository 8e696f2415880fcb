package dev.embtrain.training.kinds;

import dev.embtrain.training.train.ConfigChecks;
import dev.embtrain.training.train.Training;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.embtrain.training.config.ConfigException;
import dev.embtrain.training.config.ConfigLoader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** A training key the chosen optimizer or schedule does not read is a config error, never dropped. */
class UnusedKeysTest {

    private static final String CONFIG = """
            name: t
            dataset: {type: synthetic-sessions}
            model: {type: embedding-bag}
            training:
              optimizer: {type: adamw}
              schedule: {type: one-cycle}
            """;

    private static String refused(String... sets) {
        Executable check = () -> ConfigChecks.check(ConfigLoader.load(CONFIG, "t.yaml", List.of(sets)));
        return org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, check).getMessage();
    }

    @Test
    void adamKeysWithSgdAndMomentumWithAdamAreRefused() {
        assertEquals("training.optimizer.betas: optimizer sgd does not use it; remove it, or pick adam or adamw"
                + " (--set training.optimizer.betas=[0.9, 0.999])", refused("training.optimizer.type=sgd",
                "training.optimizer.betas=[0.9, 0.999]"));
        assertEquals("training.optimizer.momentum: optimizer adamw does not use it; remove it, or pick sgd"
                + " (--set training.optimizer.momentum=0.5)", refused("training.optimizer.momentum=0.5"));
        assertEquals("training.schedule.moms: optimizer sgd does not use it (sgd keeps training.optimizer.momentum"
                + " fixed); remove it, or pick adam or adamw (--set training.schedule.moms=[0.9, 0.8, 0.9])",
                refused("training.optimizer.type=sgd", "training.schedule.moms=[0.9, 0.8, 0.9]"));
    }

    @Test
    void lazyIsReadOnlyByAdamOnTablesThatTrainRowByRow() {
        assertEquals("training.optimizer.lazy: optimizer sgd does not use it; remove it, or pick adam or adamw"
                + " (--set training.optimizer.lazy=true)", refused("training.optimizer.type=sgd",
                "training.optimizer.lazy=true"));
        assertEquals("training.optimizer.lazy: optimizer rowwise-adagrad does not use it; remove it, or pick adam or"
                + " adamw (--set training.optimizer.lazy=true)", refused("training.optimizer.type=rowwise-adagrad",
                "training.optimizer.lazy=true"));
        assertEquals("training.optimizer.lazy: sparse: false trains no table row by row; remove it, or set sparse:"
                + " auto or true (--set training.optimizer.lazy=true)", refused("training.optimizer.sparse=false",
                "training.optimizer.lazy=true"));
        ConfigChecks.check(ConfigLoader.load(CONFIG, "t.yaml", List.of("training.optimizer.lazy=true")));
    }

    @Test
    void rowwiseAdagradRefusesAdamAndSgdKeysAndSparseFalse() {
        assertEquals("training.optimizer.betas: optimizer rowwise-adagrad does not use it; remove it, or pick adam or"
                + " adamw (--set training.optimizer.betas=[0.9, 0.999])", refused("training.optimizer.type=rowwise-adagrad",
                "training.optimizer.betas=[0.9, 0.999]"));
        assertEquals("training.optimizer.momentum: optimizer rowwise-adagrad does not use it; remove it, or pick sgd"
                + " (--set training.optimizer.momentum=0.5)", refused("training.optimizer.type=rowwise-adagrad",
                "training.optimizer.momentum=0.5"));
        assertEquals("training.schedule.moms: optimizer rowwise-adagrad does not use it; remove it, or pick adam or"
                + " adamw (--set training.schedule.moms=[0.9, 0.8, 0.9])", refused(
                "training.optimizer.type=rowwise-adagrad", "training.schedule.moms=[0.9, 0.8, 0.9]"));
        ConfigException sparse = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> ConfigLoader.load(CONFIG, "t.yaml", List.of("training.optimizer.type=rowwise-adagrad",
                        "training.optimizer.sparse=false")));
        assertEquals("training.optimizer.sparse: rowwise-adagrad trains its tables row by row; use true or auto, or"
                + " another optimizer (--set training.optimizer.sparse=false)", sparse.getMessage());
        ConfigException sgd = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> ConfigLoader.load(CONFIG, "t.yaml", List.of("training.optimizer.type=sgd",
                        "training.optimizer.sparse=true")));
        assertEquals("training.optimizer.sparse: sgd has no row-sparse update; use adam, adamw or rowwise-adagrad, or"
                + " sparse: false (--set training.optimizer.sparse=true)", sgd.getMessage());
    }

    @Test
    void oneCycleKeysWithAnotherScheduleAreRefused() {
        assertEquals("training.schedule.pct_start: schedule linear does not use it; remove it, or pick schedule.type:"
                + " one-cycle (--set training.schedule.pct_start=0.3)", refused("training.schedule.type=linear",
                "training.schedule.pct_start=0.3"));
        assertEquals("training.schedule.final_div_factor: schedule constant does not use it; remove it, or pick"
                + " schedule.type: one-cycle or linear (--set training.schedule.final_div_factor=10)",
                refused("training.schedule.type=constant", "training.schedule.final_div_factor=10"));
    }

    /** A model's own choices leave keys unread: the sampler of a regression, cbow's pooling under skip-gram. */
    @Test
    void modelKeysItsOwnChoicesLeaveUnreadAreRefused() {
        String ratings = """
                name: t
                dataset: {type: synthetic-movielens}
                model: {type: factorization-machine, negatives: 3}
                """;
        ConfigException fm = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> ConfigChecks.check(ConfigLoader.load(ratings, "t.yaml", List.of())));
        assertEquals("model.negatives: objective regression does not use it (it configures the implicit sampler);"
                + " remove it, or pick objective: implicit (t.yaml:3)", fm.getMessage());
        ConfigException wd = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> ConfigChecks.check(ConfigLoader.load(ratings.replace("factorization-machine, negatives: 3",
                        "wide-and-deep, y_range: [0, 5]"), "t.yaml", List.of("dataset.label={type: binary}"))));
        assertEquals("model.y_range: objective binary does not use it (only a regression maps into a range);"
                + " remove it, or pick objective: regression (t.yaml:3)", wd.getMessage());
        assertEquals("model.pooling: mode skip-gram does not use it (only cbow pools a context); remove it, or pick"
                + " mode: cbow (--set model.pooling=sum)", refused("model.pooling=sum"));
        ConfigChecks.check(ConfigLoader.load(CONFIG, "t.yaml", List.of("model.mode=cbow", "model.pooling=sum")));
    }

    @Test
    void keysInUseAndKeysLeftOutAreNotRefused() {
        // sgd with every Adam key left out, and one-cycle's keys under one-cycle.
        ConfigChecks.check(ConfigLoader.load(CONFIG, "t.yaml", List.of("training.optimizer.type=sgd")));
        ConfigChecks.check(ConfigLoader.load(CONFIG, "t.yaml", List.of("training.schedule.pct_start=0.3",
                "training.optimizer.betas=[0.9, 0.999]")));
        ConfigChecks.check(ConfigLoader.load(CONFIG, "t.yaml", List.of("training.optimizer={type: sgd, momentum: 0.5}")));
    }

    /** The case: betas written at their default under sgd are dropped all the same, so refused. */
    @Test
    void anUnreadKeyIsRefusedEvenAtItsDefaultValue() {
        String yaml = """
                name: t
                dataset: {type: synthetic-sessions}
                model: {type: embedding-bag}
                training:
                  optimizer: {type: sgd, learning_rate: 5.0e-3, betas: [0.9, 0.99]}
                """;
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> ConfigChecks.check(ConfigLoader.load(yaml, "t.yaml", List.of())));
        assertEquals("training.optimizer.betas: optimizer sgd does not use it; remove it, or pick adam or adamw"
                + " (t.yaml:5)", e.getMessage());
    }

    /** What a run writes leaves unread keys out, so it loads again, and keeps every key it reads. */
    @Test
    void aDumpedConfigLeavesUnreadKeysOutAndLoadsAgain() {
        ConfigLoader.Loaded sgd = ConfigLoader.load(CONFIG, "t.yaml", List.of("training.optimizer.type=sgd",
                "training.schedule.type=constant"));
        String dumped = dev.embtrain.training.config.ConfigBinder.dump(dev.embtrain.training.config.Configs.written(sgd.config()));
        assertEquals("""
                  optimizer:
                    type: sgd
                    learning_rate: 0.005
                    weight_decay: 0.1
                    momentum: 0.9
                    sparse: auto
                  schedule:
                    type: constant
                """, dumped.substring(dumped.indexOf("  optimizer:\n"), dumped.indexOf("  device:")));
        ConfigLoader.Loaded again = ConfigLoader.load(dumped, "config.yaml", List.of());
        ConfigChecks.check(again);
        assertEquals(sgd.config(), again.config());
    }
}
