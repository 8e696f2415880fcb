package dev.embtrain.training.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A saved run's parameters by name, and how far two runs' parameters are apart; for tests that compare runs. */
public final class SavedTables {

    private SavedTables() {}

    /**
     * Reads every parameter of a run's saved model.
     *
     * @param run the run directory
     * @return the values by parameter name, in the block's order
     * @throws Exception when the run cannot be opened
     */
    public static Map<String, float[]> of(Path run) throws Exception {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (SavedRun saved = SavedRun.open(run)) {
            for (Pair<String, Parameter> p : saved.block().getParameters()) {
                out.put(p.getKey(), p.getValue().getArray().toFloatArray());
            }
        }
        return out;
    }

    /**
     * Returns the largest absolute difference between two runs' values, the same parameters in both.
     *
     * @param a one run's parameters
     * @param b the other's
     * @return the largest difference
     */
    public static double maxDifference(Map<String, float[]> a, Map<String, float[]> b) {
        double max = 0;
        for (Map.Entry<String, float[]> e : a.entrySet()) {
            float[] x = e.getValue();
            float[] y = b.get(e.getKey());
            assertEquals(x.length, y.length, e.getKey());
            for (int i = 0; i < x.length; i++) {
                max = Math.max(max, Math.abs(x[i] - y[i]));
            }
        }
        return max;
    }
}
