package dev.embtrain.training.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PrunersTest {

    private static SortedMap<Integer, Double> reports(double... values) {
        SortedMap<Integer, Double> m = new TreeMap<>();
        for (int i = 0; i < values.length; i++) {
            m.put(i + 1, values[i]);
        }
        return m;
    }

    private static FrozenTrial done(int number, TrialState state, double... values) {
        return new FrozenTrial(number, state, values[values.length - 1], Map.of(), reports(values), 0);
    }

    /** Completed trials' reports per epoch: epoch 2 holds 0.70, 0.65, 0.72 (median 0.70). */
    private static final List<FrozenTrial> THREE = List.of(
            done(0, TrialState.COMPLETE, 0.60, 0.70, 0.75),
            done(1, TrialState.COMPLETE, 0.50, 0.65, 0.80),
            done(2, TrialState.COMPLETE, 0.70, 0.72, 0.74));

    @Test
    void medianPrunesBelowTheMedianOfCompletedTrialsAtTheSameEpoch() {
        MedianPruner p = new MedianPruner(3, 1);
        // Epoch 1 is warm-up, however bad.
        assertFalse(p.prune(3, reports(0.40), THREE));
        // Best so far 0.66 < median(0.70, 0.65, 0.72) = 0.70.
        assertTrue(p.prune(3, reports(0.40, 0.66), THREE));
        // 0.70 is not below 0.70.
        assertFalse(p.prune(3, reports(0.40, 0.70), THREE));
        // Epoch 3: the best so far (0.71, from epoch 2) against median(0.75, 0.80, 0.74) = 0.75.
        assertFalse(p.prune(3, reports(0.40, 0.71), THREE));
        assertTrue(p.prune(3, reports(0.40, 0.71, 0.60), THREE));
        // The trial's best over epochs counts, not its last value: 0.76 at epoch 2 beats 0.75.
        assertFalse(p.prune(3, reports(0.40, 0.76, 0.60), THREE));
        // No completed trial reached epoch 4: nothing to compare with.
        assertFalse(p.prune(3, reports(0.1, 0.1, 0.1, 0.1), THREE));
        // NaN prunes.
        assertTrue(p.prune(3, reports(0.9, Double.NaN), THREE));
    }

    @Test
    void medianWaitsForStartupTrialsAndIgnoresPrunedOnes() {
        List<FrozenTrial> history = new ArrayList<>(THREE.subList(0, 2));
        history.add(done(2, TrialState.PRUNED, 0.99, 0.99));
        MedianPruner p = new MedianPruner(3, 0);
        // Two completed trials only (the pruned one does not count): never prune.
        assertFalse(p.prune(3, reports(0.0, 0.0), history));
        MedianPruner two = new MedianPruner(2, 0);
        // Median of the two completed at epoch 2: (0.70 + 0.65) / 2 = 0.675; the pruned 0.99 is ignored.
        assertTrue(two.prune(3, reports(0.60, 0.674), history));
        assertFalse(two.prune(3, reports(0.60, 0.675), history));
    }

    @Test
    void percentileInterpolatesLikeNumpy() {
        assertEquals(0.75, MedianPruner.percentile(new double[] {0.9, 0.6, 0.8, 0.7}, 50), 1e-12);
        assertEquals(2.0, MedianPruner.percentile(new double[] {3, 1, 2}, 50), 0);
        assertEquals(1.5, MedianPruner.percentile(new double[] {1, 2, 3}, 25), 1e-12);
    }

    @Test
    void successiveHalvingRungs() {
        SuccessiveHalvingPruner p = new SuccessiveHalvingPruner(1, 2, 0);
        assertEquals(List.of(1L, 2L, 4L, 8L), List.of(p.rungEpoch(0), p.rungEpoch(1), p.rungEpoch(2), p.rungEpoch(3)));
        SuccessiveHalvingPruner q = new SuccessiveHalvingPruner(2, 3, 1);
        assertEquals(List.of(6L, 18L), List.of(q.rungEpoch(0), q.rungEpoch(1)));
    }

    /**
     * η = 2, rungs at epochs 1, 2, 4. A trial reaching a rung goes on when its value there is
     * among the top max(1, ⌊m/2⌋) of the m values recorded there, its own included.
     */
    @Test
    void successiveHalvingPrunesExactlyTheHandWorkedTrials() throws Exception {
        double[][] scripts = {
            {0.60, 0.70, 0.71, 0.72}, // alone at every rung: runs all 4 epochs
            {0.50, 0.90, 0.90, 0.90}, // rung 0: [0.50, 0.60], top 1 is 0.60 -> pruned after epoch 1
            {0.65, 0.68, 0.90, 0.90}, // rung 0: top 1 of 3 is itself; rung 1: [0.68, 0.70] -> pruned after 2
            {0.55, 0.90, 0.90, 0.90}, // rung 0: top 2 of [0.55, 0.60, 0.50, 0.65] are 0.65, 0.60 -> pruned
            {0.60, 0.75, 0.70, 0.73}, // rung 0: top 2 of 5 include 0.60 (tie); rung 1: top 1 of
                                      // [0.75, 0.70, 0.68] is itself; rung 2 (epoch 4): [0.73, 0.72] -> on
        };
        Study study = new Study(new SearchSpace().add("id", new Distribution.IntUniform(0, 10)),
                (space, finished, random) -> Map.of("id", finished.size()), p(), 1);
        Study.Objective objective = trial -> {
            double[] s = scripts[trial.number()];
            for (int e = 1; e <= s.length; e++) {
                trial.report(e, s[e - 1]);
            }
            return s[s.length - 1];
        };
        study.optimize(scripts.length, objective, null, null);
        List<String> outcome = study.trials().stream().map(t -> t.state() + "@" + t.epochs()).toList();
        assertEquals(List.of("COMPLETE@4", "PRUNED@1", "PRUNED@2", "PRUNED@1", "COMPLETE@4"), outcome);
        assertEquals(0.50, study.trials().get(1).value());
        assertEquals(4, study.best().number());
    }

    private static Pruner p() {
        return new SuccessiveHalvingPruner(1, 2, 0);
    }

    @Test
    void badSettingsAreRefused() {
        assertEquals("successive halving needs min_resource >= 1, reduction_factor >= 2 and"
                + " min_early_stopping_rate >= 0, found 1, 1 and 0",
                assertThrows(IllegalArgumentException.class, () -> new SuccessiveHalvingPruner(1, 1, 0)).getMessage());
        assertEquals("startup trials and warmup epochs must be >= 0, found -1 and 0",
                assertThrows(IllegalArgumentException.class, () -> new MedianPruner(-1, 0)).getMessage());
    }
}
