package dev.embtrain.training.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    @TempDir
    Path dir;

    @Test
    void metricCurvesWritesAnEightHundredByFiveHundredPng() throws IOException {
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("train_loss", new double[] {1.3634, 0.9, 0.75, 0.68, 0.64, 0.61, 0.5925, 0.5847});
        series.put("valid_mse", new double[] {1.0323, 0.8, 0.7, 0.66, 0.64, 0.63, 0.6247, 0.6248});
        Path file = dir.resolve("plots/metrics.png");
        Path written = Plots.metricCurves(file, "quickstart", List.of(1, 2, 3, 4, 5, 6, 7, 8), series, "MSE");
        assertEquals(file, written);
        assertPng(file, 800, 500);
        assertTrue(GraphicsEnvironment.isHeadless(), "rendering ran headless");
    }

    @Test
    void metricCurvesDrawsNaNAsAGap() throws IOException {
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("train_loss", new double[] {1.2, Double.NaN, 0.7});
        series.put("valid_mse", new double[] {Double.NaN, Double.NaN, Double.NaN});
        Path file = dir.resolve("gap.png");
        Plots.metricCurves(file, "with gaps", List.of(1, 2, 3), series, "loss");
        assertPng(file, 800, 500);
    }

    @Test
    void embeddingMapWritesAThousandByEightHundredPng() throws IOException {
        Random random = new Random(11);
        int n = 300;
        float[][] vectors = new float[n][50];
        float[] bias = new float[n];
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 50; j++) {
                vectors[i][j] = (float) (random.nextGaussian() * (j < 2 ? 1.0 : 0.2));
            }
            bias[i] = (float) random.nextGaussian();
            labels.add("Synthetic Movie " + i + " (19" + (40 + i % 60) + ")");
        }
        Set<Integer> highlight = Plots.extremes(bias, 8, Set.of(0));
        assertEquals(16, highlight.size());
        Path file = dir.resolve("item_map.png");
        Path written = Plots.embeddingMap(file, "items: highest and lowest bias", vectors, labels, highlight);
        assertEquals(file, written);
        assertPng(file, 1000, 800);
    }

    @Test
    void writingReplacesAnOldFileAndLeavesNoTemporary() throws IOException {
        Path file = dir.resolve("metrics.png");
        Files.writeString(file, "an older chart");
        Plots.metricCurves(file, "t", List.of(1, 2), Map.of("train_loss", new double[] {2, 1}), "loss");
        assertPng(file, 800, 500);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void extremesPicksLowestAscendingThenHighestDescendingWithTiesByIndex() {
        //                 0     1    2    3     4    5    6     7    8
        float[] values = {-9f, 3f, -1f, 5f, -1f, 7f, 0f, 5f, -4f};
        // Row 0 is excluded although it is the lowest; -1 at 2 and 4 ties, and 5 at 3 and 7.
        assertEquals(List.of(8, 2, 5, 3), List.copyOf(Plots.extremes(values, 2, Set.of(0))));
        assertEquals(List.of(8, 2, 4, 5, 3, 7), List.copyOf(Plots.extremes(values, 3, Set.of(0))));
        assertEquals(List.of(0, 5), List.copyOf(Plots.extremes(values, 1, Set.of())));
        assertEquals(List.of(), List.copyOf(Plots.extremes(values, 0, Set.of(0))));
    }

    @Test
    void extremesOverlapWhenFewValuesAreEligible() {
        float[] values = {0f, 2f, 1f};
        // Two eligible values, n = 2: both groups hold indices 1 and 2, each listed once.
        assertEquals(List.of(2, 1), List.copyOf(Plots.extremes(values, 2, Set.of(0))));
        assertEquals(List.of(2, 1), List.copyOf(Plots.extremes(values, 5, Set.of(0))));
    }

    @Test
    void rejectsBadInputNamingTheValues() {
        assertEquals("n must be >= 0, found -1", assertThrows(IllegalArgumentException.class,
                () -> Plots.extremes(new float[] {1f}, -1, Set.of())).getMessage());
        assertEquals("exclude index 3 is outside the values [0, 2)", assertThrows(IllegalArgumentException.class,
                () -> Plots.extremes(new float[] {1f, 2f}, 1, Set.of(3))).getMessage());
        assertEquals("values[1] is NaN; exclude it or fix the values", assertThrows(IllegalArgumentException.class,
                () -> Plots.extremes(new float[] {1f, Float.NaN}, 1, Set.of())).getMessage());

        Path file = dir.resolve("x.png");
        assertEquals("series valid_mse has 1 values for 2 epochs", assertThrows(IllegalArgumentException.class,
                () -> Plots.metricCurves(file, "t", List.of(1, 2), Map.of("valid_mse", new double[] {1}), "y"))
                .getMessage());
        assertEquals("series train_loss is Infinity at epoch 2; pass NaN for a missing value",
                assertThrows(IllegalArgumentException.class, () -> Plots.metricCurves(file, "t", List.of(1, 2),
                        Map.of("train_loss", new double[] {1, Double.POSITIVE_INFINITY}), "y")).getMessage());
        assertEquals("metricCurves needs at least one series, found {}", assertThrows(IllegalArgumentException.class,
                () -> Plots.metricCurves(file, "t", List.of(1), Map.of(), "y")).getMessage());

        float[][] vectors = {{1, 2}, {3, 4}, {5, 7}};
        assertEquals("embeddingMap needs one label per row: 3 rows, 2 labels",
                assertThrows(IllegalArgumentException.class, () -> Plots.embeddingMap(file, "t", vectors,
                        List.of("a", "b"), Set.of())).getMessage());
        assertEquals("highlight index 3 is outside the rows [0, 3)", assertThrows(IllegalArgumentException.class,
                () -> Plots.embeddingMap(file, "t", vectors, List.of("a", "b", "c"), Set.of(3))).getMessage());
        assertEquals("embeddingMap needs rows at least 2 wide for two components, found 1",
                assertThrows(IllegalArgumentException.class, () -> Plots.embeddingMap(file, "t",
                        new float[][] {{1}, {2}}, List.of("a", "b"), Set.of())).getMessage());
        assertTrue(Files.notExists(file), "nothing written for bad input");
    }

    private static void assertPng(Path file, int width, int height) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, 8));
        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(width, image.getWidth());
        assertEquals(height, image.getHeight());
        assertTrue(bytes.length > 5_000 && bytes.length < 2_000_000, file + " has " + bytes.length + " bytes");
    }
}
