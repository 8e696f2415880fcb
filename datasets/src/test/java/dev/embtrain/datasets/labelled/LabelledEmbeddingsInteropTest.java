package dev.embtrain.datasets.labelled;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.embtrain.datasets.io.DataFormatException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads files that pyarrow 25.0.1 and NumPy 2.4.6 wrote (src/test/resources/interop, made by
 * its make_fixtures.py; under 1 KB each), so the readers are checked against the writers users
 * have rather than only against our own.
 */
class LabelledEmbeddingsInteropTest {
    private static final float[][] X = {
        {0.5f, -1.25f, 2.0f}, {0.0f, 3.5f, -0.125f}, {1e-3f, -7.0f, 0.25f}, {4.0f, 0.75f, -2.5f},
    };

    @TempDir
    Path dir;

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(LabelledEmbeddingsInteropTest.class.getResource("/interop/" + name).toURI());
    }

    private List<String> ids = new ArrayList<>();

    private float[][] read(EmbeddingsFile file) throws IOException {
        List<float[]> rows = new ArrayList<>();
        ids = new ArrayList<>();
        file.stream(3, c -> {
            rows.addAll(Arrays.asList(c.vectors()));
            ids.addAll(Arrays.asList(c.ids()));
        });
        return rows.toArray(new float[0][]);
    }

    @Test
    void pyarrowDefaultsSnappyDictionaryPageV1() throws Exception {
        assertArrayEquals(X, read(new EmbeddingsFile(fixture("pyarrow-snappy.parquet"), "bottleneck", null)));
        assertEquals(List.of("a", "b", "c", "d"), ids);
    }

    @Test
    void pyarrowZstdPageV2DoublesAndIntegerIds() throws Exception {
        assertArrayEquals(X, read(new EmbeddingsFile(fixture("pyarrow-zstd-v2-f64.parquet"), "bottleneck", null)));
        assertEquals(List.of("10", "20", "30", "40"), ids);
    }

    @Test
    void pyarrowNullVectorIsNamedByRow() throws Exception {
        Path f = fixture("pyarrow-null-vector.parquet");
        assertEquals(f + ": row 3: bottleneck is null or empty", assertThrows(DataFormatException.class,
                () -> read(new EmbeddingsFile(f, "bottleneck", null))).getMessage());
    }

    @Test
    void pyarrowLabelsJoinNumpyVectors() throws Exception {
        Path idFile = dir.resolve("ids.csv");
        Files.writeString(idFile, "rid\na\nb\nc\nd\n");
        LabelledEmbeddings.Joined j = LabelledEmbeddings.read(fixture("pyarrow-labels.parquet"),
                new EmbeddingsFile(fixture("numpy-f32.npy"), "bottleneck", idFile));
        assertArrayEquals(new int[] {1, 0, 0, 1}, j.labels());
        assertArrayEquals(X, j.vectors());
        assertEquals(List.of("m1"), j.evkeys());
    }
}
