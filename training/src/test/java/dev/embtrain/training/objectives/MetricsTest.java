package dev.embtrain.training.objectives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.training.config.EarlyStoppingConfig;
import dev.embtrain.training.engine.Monitor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Metric names and directions are declared by the objectives; the config's allowed values follow them. */
class MetricsTest {

    @Test
    void earlyStoppingAcceptsAutoAndExactlyTheMetricsTheObjectivesDeclare() {
        List<String> declared = new ArrayList<>(List.of("auto"));
        Metrics.all().forEach(m -> declared.add(m.name()));
        assertEquals(declared, Arrays.stream(EarlyStoppingConfig.Metric.values()).map(EarlyStoppingConfig.Metric::yamlName)
                .toList());
    }

    @Test
    void directionsAreTheObjectivesAndNamesAreUnique() {
        assertTrue(Metrics.named("valid_auc").higherIsBetter());
        assertTrue(Metrics.named("valid_recall_at_10").higherIsBetter());
        assertFalse(Metrics.named("valid_mse").higherIsBetter());
        assertFalse(Metrics.named("valid_loss").higherIsBetter());
        assertEquals(Monitor.TRAINING, Metrics.named("train_loss"));
        assertEquals(Metrics.all().size(), Metrics.all().stream().map(Monitor::name).distinct().count());
        assertEquals("no objective measures valid_ndcg", assertThrows(IllegalArgumentException.class,
                () -> Metrics.named("valid_ndcg")).getMessage());
    }
}
