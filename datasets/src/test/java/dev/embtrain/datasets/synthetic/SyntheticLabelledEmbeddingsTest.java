package dev.embtrain.datasets.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.datasets.labelled.EmbeddingsFile;
import dev.embtrain.datasets.labelled.LabelledEmbeddings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticLabelledEmbeddingsTest {
    @TempDir
    Path dir;

    @Test
    void bayesAucHasItsKnownLimits() {
        // No signal: positives and negatives have the same density.
        assertEquals(0.5, SyntheticLabelledEmbeddings.bayesAuc(0, -1), 1e-9);
        // With b = 0 the model is symmetric in z, so half the population is positive.
        assertEquals(0.5, SyntheticLabelledEmbeddings.prevalence(3, 0), 1e-9);
        // Stronger signal, higher AUC, towards 1.
        double a1 = SyntheticLabelledEmbeddings.bayesAuc(1, 0);
        double a2 = SyntheticLabelledEmbeddings.bayesAuc(2, 0);
        assertTrue(0.5 < a1 && a1 < a2 && a2 < 1, a1 + " " + a2);
        assertTrue(SyntheticLabelledEmbeddings.bayesAuc(200, 0) > 0.999);
    }

    /**
     * Against SciPy's adaptive quadrature (SciPy 1.17.1) of the
     * same double integral over the whole line:
     *
     * <pre>
     * f1 = lambda z: expit(2*z - 1) * norm.pdf(z); f0 = lambda z: (1 - expit(2*z - 1)) * norm.pdf(z)
     * p1 = quad(f1, -inf, inf)[0]                                          # 0.3522735615
     * quad(lambda z: f1(z) * quad(f0, -inf, z)[0], -inf, inf)[0] / (p1 * (1 - p1))  # 0.8639654052
     * </pre>
     */
    @Test
    void bayesAucMatchesScipyQuadrature() {
        assertEquals(0.3522735615, SyntheticLabelledEmbeddings.prevalence(2, -1), 2e-10);
        assertEquals(0.8639654052, SyntheticLabelledEmbeddings.bayesAuc(2, -1), 2e-10);
    }

    /**
     * The integral against an independent Monte Carlo estimate: 400,000 draws of z, labels
     * from sigmoid(s·z + b), AUC of z by ranks. The estimate's standard error is about 0.0008,
     * so 0.003 is about four of them.
     */
    @Test
    void bayesAucAgreesWithALargeMonteCarloSample() {
        double s = 2;
        double b = -1;
        SplittableRandom r = new SplittableRandom(3);
        int n = 400_000;
        double[] z = new double[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double u = 1 - r.nextDouble();
            z[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
            y[i] = r.nextDouble() < SyntheticLabelledEmbeddings.sigmoid(s * z[i] + b) ? 1 : 0;
        }
        double mc = SyntheticLabelledEmbeddings.auc(z, y);
        double exact = SyntheticLabelledEmbeddings.bayesAuc(s, b);
        System.out.printf("s=2 b=-1: Bayes AUC %.6f (integral), %.6f (Monte Carlo, n=4e5); prevalence %.4f%n", exact,
                mc, SyntheticLabelledEmbeddings.prevalence(s, b));
        assertEquals(exact, mc, 0.003);
    }

    @Test
    void aucCountsTiesAsHalf() {
        // Pairs (pos, neg): (0.8 vs 0.1) win, (0.8 vs 0.4) win, (0.4 vs 0.1) win, (0.4 vs 0.4) tie:
        // 3.5 of 4.
        assertEquals(0.875, SyntheticLabelledEmbeddings.auc(new double[] {0.1, 0.4, 0.4, 0.8},
                new int[] {0, 0, 1, 1}), 1e-15);
    }

    @Test
    void everyFormatHoldsTheSameRowsAndLabels() throws IOException {
        SyntheticLabelledEmbeddings.Spec spec = new SyntheticLabelledEmbeddings.Spec(300, 16, 3, -0.5, 9);
        List<LabelledEmbeddings.Joined> joined = new ArrayList<>();
        List<byte[]> labelFiles = new ArrayList<>();
        for (EmbeddingsFile.Format f : EmbeddingsFile.Format.values()) {
            Path d = dir.resolve(f.name());
            SyntheticLabelledEmbeddings.Result r = SyntheticLabelledEmbeddings.write(spec, d, f);
            joined.add(LabelledEmbeddings.read(r.labels(), r.embeddingsFile()));
            labelFiles.add(Files.readAllBytes(r.labels()));
            assertEquals(SyntheticLabelledEmbeddings.bayesAuc(3, -0.5), r.bayesAuc());
            assertEquals(joined.get(joined.size() - 1).positives(), r.positives());
        }
        for (int i = 1; i < joined.size(); i++) {
            assertArrayEquals(labelFiles.get(0), labelFiles.get(i));
            assertArrayEquals(joined.get(0).ids(), joined.get(i).ids());
            assertArrayEquals(joined.get(0).labels(), joined.get(i).labels());
            for (int k = 0; k < 300; k++) {
                assertArrayEquals(joined.get(0).vectors()[k], joined.get(i).vectors()[k]);
            }
        }
        assertEquals("u0000001", joined.get(0).ids()[0]);
        assertEquals(List.of("synthetic"), joined.get(0).evkeys());
        assertEquals(0, joined.get(0).labelsWithoutEmbeddings());
    }

    @Test
    void sameSpecSameBytesAndReuse() throws IOException {
        SyntheticLabelledEmbeddings.Spec spec = new SyntheticLabelledEmbeddings.Spec(50, 8, 1, 0, 4);
        SyntheticLabelledEmbeddings.Result a = SyntheticLabelledEmbeddings.write(spec, dir.resolve("a"),
                EmbeddingsFile.Format.CSV);
        SyntheticLabelledEmbeddings.Result b = SyntheticLabelledEmbeddings.write(spec, dir.resolve("b"),
                EmbeddingsFile.Format.CSV);
        assertArrayEquals(Files.readAllBytes(a.embeddings()), Files.readAllBytes(b.embeddings()));
        assertArrayEquals(Files.readAllBytes(a.labels()), Files.readAllBytes(b.labels()));
        long modified = Files.getLastModifiedTime(a.embeddings()).toMillis();
        SyntheticLabelledEmbeddings.Result again = SyntheticLabelledEmbeddings.write(spec, dir.resolve("a"),
                EmbeddingsFile.Format.CSV);
        assertEquals(a, again);
        assertEquals(modified, Files.getLastModifiedTime(a.embeddings()).toMillis());
        SyntheticLabelledEmbeddings.Spec other = new SyntheticLabelledEmbeddings.Spec(50, 8, 1, 0, 5);
        String m = assertThrows(IllegalArgumentException.class, () -> SyntheticLabelledEmbeddings.write(other,
                dir.resolve("a"), EmbeddingsFile.Format.CSV)).getMessage();
        assertTrue(m.startsWith(dir.resolve("a") + " holds another synthetic data set"), m);
    }

    /**
     * The planted signal is where the generator says: the sample AUC of the true probabilities
     * is within sampling error of the population value (n = 20,000: standard error about 0.003).
     */
    @Test
    void sampleAucIsNearThePopulationValue() throws IOException {
        SyntheticLabelledEmbeddings.Result r = SyntheticLabelledEmbeddings.write(
                new SyntheticLabelledEmbeddings.Spec(20_000, 4, 2, -1, 42), dir.resolve("s"),
                EmbeddingsFile.Format.NPY);
        assertEquals(r.bayesAuc(), r.sampleBayesAuc(), 0.012);
    }

    /**
     * The true probabilities recomputed from the vectors read back are the generator's own: their
     * AUC over every row is the recorded sample value to the last digit, and a row's probability
     * is what its logit says.
     */
    @Test
    void trueProbabilitiesFromTheVectorsReadBackReproduceTheGenerator() throws IOException {
        SyntheticLabelledEmbeddings.Spec spec = new SyntheticLabelledEmbeddings.Spec(2_000, 8, 2, -1, 5);
        SyntheticLabelledEmbeddings.Result r = SyntheticLabelledEmbeddings.write(spec, dir.resolve("t"),
                EmbeddingsFile.Format.NPY);
        LabelledEmbeddings.Joined j = LabelledEmbeddings.read(r.labels(), r.embeddingsFile());
        double[] p = SyntheticLabelledEmbeddings.trueProbabilities(spec, j.vectors());
        int[] y = j.labels();
        assertEquals(r.sampleBayesAuc(), SyntheticLabelledEmbeddings.auc(p, y), 0.0);
        for (double v : p) {
            assertTrue(v > 0 && v < 1, "probability " + v);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SyntheticLabelledEmbeddings.trueProbabilities(spec, new float[][] {new float[3]}));
        assertEquals("vector 0 has width 3, the spec 8", e.getMessage());
    }
}
