package dev.embtrain.training.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableExportTest {

    @TempDir
    Path root;

    private static final float[][] VECTORS = {{0f, 0f}, {0.5f, -1f}, {2f, 0.25f}};
    private static final List<String> LABELS = List.of("<unk>", "Heat (1995)", "Up (2009)");

    @Test
    void writesEveryFormatInAStableOrder() throws IOException {
        Path dir = root.resolve("export/nested");
        // Insertion order tsv-then-npy must not change the returned order.
        List<Path> written = TableExport.write(dir, "item", VECTORS, LABELS, new LinkedHashSet<>(List.of("tsv", "npy")));
        assertEquals(List.of(dir.resolve("item.npy"), dir.resolve("item_vectors.tsv"), dir.resolve("item_metadata.tsv")),
                written);
        assertEquals(List.of("item.npy", "item_metadata.tsv", "item_vectors.tsv", "projector_config.pbtxt"), list(dir));

        float[][] back = Npy.readFloat32Matrix(dir.resolve("item.npy"));
        for (int i = 0; i < VECTORS.length; i++) {
            assertArrayEquals(VECTORS[i], back[i]);
        }
        assertEquals("0.0\t0.0\n0.5\t-1.0\n2.0\t0.25\n", Files.readString(dir.resolve("item_vectors.tsv")));
        assertEquals("<unk>\nHeat (1995)\nUp (2009)\n", Files.readString(dir.resolve("item_metadata.tsv")));
    }

    /** TensorBoard opens the directory as it is: every vectors/metadata pair is named, sorted, relative. */
    @Test
    void theProjectorConfigNamesEveryTablePairInTheDirectory() throws IOException {
        TableExport.write(root, "user", VECTORS, LABELS, Set.of("tsv"));
        TableExport.write(root, "item", VECTORS, LABELS, Set.of("tsv"));
        TableExport.write(root, "item_bias", new float[][] {{1f}, {2f}, {3f}}, LABELS, Set.of("tsv"));
        assertEquals("""
                embeddings {
                  tensor_name: "item"
                  tensor_path: "item_vectors.tsv"
                  metadata_path: "item_metadata.tsv"
                }
                embeddings {
                  tensor_name: "user"
                  tensor_path: "user_vectors.tsv"
                  metadata_path: "user_metadata.tsv"
                }
                """, Files.readString(root.resolve(ProjectorTsv.CONFIG)));
    }

    @Test
    void writesOnlyWhatIsAsked() throws IOException {
        assertEquals(List.of(root.resolve("user.npy")), TableExport.write(root, "user", VECTORS, LABELS, Set.of("npy")));
        assertEquals(List.of("user.npy"), list(root));
        assertEquals(List.of(root.resolve("genre_vectors.tsv"), root.resolve("genre_metadata.tsv")),
                TableExport.write(root, "genre", VECTORS, LABELS, Set.of("tsv")));
    }

    @Test
    void badRequestsAreRejectedBeforeAnyFileIsWritten() throws IOException {
        assertRejected("unknown export format \"csv\"; expected one of [npy, tsv, word2vec]",
                () -> TableExport.write(root, "item", VECTORS, LABELS, Set.of("npy", "csv")));
        assertRejected("formats must name at least one of [npy, tsv, word2vec]",
                () -> TableExport.write(root, "item", VECTORS, LABELS, Set.of()));
        assertRejected("table item has 3 vectors but 2 labels",
                () -> TableExport.write(root, "item", VECTORS, LABELS.subList(0, 2), Set.of("npy")));
        assertRejected("table name must be a plain file name, found \"../item\"",
                () -> TableExport.write(root, "../item", VECTORS, LABELS, Set.of("npy")));
        // The npy file alone would be fine; the TSV check runs before it is written.
        assertRejected("vector 1 has NaN at position 0; the Embedding Projector reads only finite values",
                () -> TableExport.write(root, "item", new float[][] {{1, 2}, {Float.NaN, 1}, {3, 4}}, LABELS,
                        Set.of("npy", "tsv")));
        assertRejected("metadata row 2 has null in column \"label\"",
                () -> TableExport.write(root, "item", VECTORS, java.util.Arrays.asList("a", "b", null),
                        Set.of("npy", "tsv")));
        assertFalse(Files.exists(root.resolve("item.npy")));
    }

    private void assertRejected(String message, ThrowingCall call) throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertEquals(message, e.getMessage());
        assertEquals(List.of(), list(root));
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws IOException;
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aBiasVectorIsALabelValueTableAndAOneDimensionalNpy(@TempDir Path dir) throws IOException {
        float[][] bias = {{0.5f}, {-1.25f}, {2f}};
        List<Path> written = TableExport.write(dir, "item_bias", bias, List.of("<unk>", "Heat (1995)", "a\tb"),
                new LinkedHashSet<>(List.of("npy", "tsv")));
        assertEquals(List.of(dir.resolve("item_bias.npy"), dir.resolve("item_bias.tsv")), written);
        assertEquals("label\tvalue\n<unk>\t0.5\nHeat (1995)\t-1.25\na b\t2.0\n",
                Files.readString(dir.resolve("item_bias.tsv")));
        assertArrayEquals(new float[] {0.5f, -1.25f, 2f}, Npy.readFloat32Vector(dir.resolve("item_bias.npy")));
    }
}
