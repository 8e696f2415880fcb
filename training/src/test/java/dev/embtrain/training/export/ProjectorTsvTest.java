package dev.embtrain.training.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectorTsvTest {

    @TempDir
    Path dir;

    private static final float[][] VECTORS = {{1f, -2.5f}, {0.1f, 3e-5f}};

    @Test
    void twoColumnsGetAHeader() throws IOException {
        write(VECTORS, List.of("title", "genre"), List.of(List.of("Heat", "Crime"), List.of("Up", "Animation")));
        assertEquals("1.0\t-2.5\n0.1\t3.0E-5\n", Files.readString(dir.resolve("v.tsv")));
        assertEquals("title\tgenre\nHeat\tCrime\nUp\tAnimation\n", Files.readString(dir.resolve("m.tsv")));
    }

    @Test
    void oneColumnHasNoHeader() throws IOException {
        write(VECTORS, List.of("title"), List.of(List.of("Heat"), List.of("Up")));
        assertEquals("1.0\t-2.5\n0.1\t3.0E-5\n", Files.readString(dir.resolve("v.tsv")));
        assertEquals("Heat\nUp\n", Files.readString(dir.resolve("m.tsv")));
    }

    @Test
    void floatsReadBackExactly() throws IOException {
        float[][] v = {{0.1f, 1f / 3, -0f, Float.MIN_VALUE}, {Float.MAX_VALUE, 123456.79f, 1e-10f, -7f}};
        write(v, List.of("x"), List.of(List.of("a"), List.of("b")));
        List<String> lines = Files.readAllLines(dir.resolve("v.tsv"));
        assertEquals("0.1\t0.33333334\t-0.0\t1.4E-45", lines.get(0));
        assertEquals("3.4028235E38\t123456.79\t1.0E-10\t-7.0", lines.get(1));
        for (int i = 0; i < v.length; i++) {
            String[] parts = lines.get(i).split("\t");
            for (int j = 0; j < parts.length; j++) {
                assertEquals(Float.floatToRawIntBits(v[i][j]), Float.floatToRawIntBits(Float.parseFloat(parts[j])));
            }
        }
    }

    @Test
    void separatorsInsideValuesBecomeOneSpace() throws IOException {
        write(VECTORS, List.of("title", "note\tx"),
                List.of(List.of("Star\tWars", "a\r\nb"), List.of("Up\n", "Ü\t\tñ")));
        assertEquals("title\tnote x\nStar Wars\ta b\nUp \tÜ ñ\n", Files.readString(dir.resolve("m.tsv")));
    }

    @Test
    void blankRowsKeepTheirLine() throws IOException {
        // The Projector skips blank lines, which would pair every later label with the wrong vector.
        float[][] v = {{1, 2}, {3, 4}, {5, 6}};
        write(v, List.of("title"), List.of(List.of(""), List.of(" \t"), List.of("Up")));
        assertEquals("(blank)\n(blank)\nUp\n", Files.readString(dir.resolve("m.tsv")));
        write(v, List.of("title", "genre"), List.of(List.of("", ""), List.of("", "Crime"), List.of("\u00a0", " ")));
        assertEquals("title\tgenre\n(blank)\t\n\tCrime\n(blank)\t \n", Files.readString(dir.resolve("m.tsv")));
    }

    @Test
    void emptyTableWritesEmptyVectorsAndHeaderOnly() throws IOException {
        write(new float[0][], List.of("title", "genre"), List.of());
        assertEquals("", Files.readString(dir.resolve("v.tsv")));
        assertEquals("title\tgenre\n", Files.readString(dir.resolve("m.tsv")));
    }

    @Test
    void mismatchesAreRejectedBeforeWriting() throws IOException {
        assertRejected(VECTORS, List.of("title"), List.of(List.of("Heat")),
                "metadata has 1 rows but there are 2 vectors; the Projector pairs them line by line");
        assertRejected(VECTORS, List.of("title", "genre"), List.of(List.of("Heat", "Crime"), List.of("Up")),
                "metadata row 1 has 1 values, expected 2 (one per column [title, genre])");
        assertRejected(VECTORS, List.of(), List.of(List.of(), List.of()),
                "metadataColumns must name at least one column");
        assertRejected(VECTORS, List.of("a", "a"), List.of(List.of("1", "2"), List.of("3", "4")),
                "metadata column name \"a\" appears twice; the Projector would keep only one of them");
        assertRejected(VECTORS, List.of("a", " "), List.of(List.of("1", "2"), List.of("3", "4")),
                "metadata column 1 has a blank name");
        assertRejected(VECTORS, List.of("a"), List.of(List.of("1"), java.util.Collections.singletonList(null)),
                "metadata row 1 has null in column \"a\"");
    }

    @Test
    void vectorsTheProjectorCannotReadAreRejected() throws IOException {
        List<List<String>> two = List.of(List.of("a"), List.of("b"));
        assertRejected(new float[][] {{1, 2}, {3, Float.NaN}}, List.of("x"), two,
                "vector 1 has NaN at position 1; the Embedding Projector reads only finite values");
        assertRejected(new float[][] {{Float.POSITIVE_INFINITY, 2}, {3, 4}}, List.of("x"), two,
                "vector 0 has Infinity at position 0; the Embedding Projector reads only finite values");
        assertRejected(new float[][] {{1}, {2}}, List.of("x"), two,
                "the Embedding Projector needs vectors of at least 2 dimensions, found 1");
        assertRejected(new float[][] {{1, 2}, {2}}, List.of("x"), two,
                "row 1 has 1 values, expected 2 like row 0 (a matrix must be rectangular)");
    }

    private void write(float[][] vectors, List<String> columns, List<List<String>> rows) throws IOException {
        ProjectorTsv.write(dir.resolve("v.tsv"), dir.resolve("m.tsv"), vectors, columns, rows);
    }

    private void assertRejected(float[][] vectors, List<String> columns, List<List<String>> rows, String message)
            throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> write(vectors, columns, rows));
        assertEquals(message, e.getMessage());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count(), "nothing may be written");
        }
    }
}
