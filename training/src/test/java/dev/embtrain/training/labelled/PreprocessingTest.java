package dev.embtrain.training.labelled;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDList;
import dev.embtrain.models.shared.Preprocessing;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Standardising and selection fitted on training rows, saved and read back; the class-weighted loss by hand. */
class PreprocessingTest {

    private static final float[][] X = {{1, 10, 0}, {3, 10, 5}, {5, 10, 1}, {7, 10, 2}, {100, -50, 9}};
    private static final int[] Y = {0, 0, 1, 1, 1};

    @Test
    void standardisesWithTheTrainingRowsAlone() {
        // Training rows 0-3: column 0 has mean 4 and population deviation sqrt(20 / 4) = sqrt 5;
        // column 1 is constant (deviation 1 is used); row 4 (not training) changes nothing.
        Preprocessing p = Preprocess.fit(X, Y, new int[] {0, 1, 2, 3}, 0, true);
        assertArrayEquals(new int[] {0, 1, 2}, p.columns());
        assertArrayEquals(new float[] {4f, 10f, 2f}, p.mean());
        assertEquals((float) Math.sqrt(5), p.std()[0]);
        assertEquals(1f, p.std()[1]);
        float[] out = new float[3];
        p.apply(new float[] {6, 12, 2}, out, 0);
        assertArrayEquals(new float[] {2 / (float) Math.sqrt(5), 2f, 0f}, out);
    }

    @Test
    void keepsTheSelectedColumnsAndRoundTripsThroughItsFile(@TempDir Path tmp) throws Exception {
        // On rows 0-3 column 0 has F = 16 / (4 / 2) = 8, column 2 F = 1 / (13 / 2) = 0.15, column 1 (constant) NaN.
        Preprocessing p = Preprocess.fit(X, Y, new int[] {0, 1, 2, 3}, 1, false);
        assertArrayEquals(new int[] {0}, p.columns());
        assertArrayEquals(new float[] {0f}, p.mean());
        assertArrayEquals(new float[] {1f}, p.std());
        Path f = tmp.resolve("p.tsv");
        Preprocessing q = Preprocess.fit(X, Y, new int[] {0, 1, 2, 3}, 2, true);
        q.save(f);
        Preprocessing back = Preprocessing.load(f);
        assertEquals(3, back.rawWidth());
        assertArrayEquals(q.columns(), back.columns());
        assertArrayEquals(q.mean(), back.mean());
        assertArrayEquals(q.std(), back.std());
    }

    @Test
    void classWeightsScaleEachRowsCrossEntropy() {
        try (NDManager m = NDManager.newBaseManager()) {
            // Logits 0: each row costs ln 2; weights 0.5 (label 0) and 2 (label 1): mean(2 ln 2, 0.5 ln 2).
            float loss = new WeightedSigmoidBceLoss(0.5f, 2f).evaluate(new NDList(m.create(new float[] {1, 0})),
                    new NDList(m.create(new float[] {0, 0}))).getFloat();
            assertEquals(1.25 * Math.log(2), loss, 1e-6);
        }
    }
}
