package dev.embtrain.datasets.labelled;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.embtrain.datasets.io.DataFormatException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelledEmbeddingsTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    private static final String LABELS = "rid,label,evkey\na,1,vendor-v2\nb,0,vendor-v2\nc,1,vendor-v2\nd,0,vendor-v2\n";

    private String message(Path labels, EmbeddingsFile emb) {
        return assertThrows(DataFormatException.class, () -> LabelledEmbeddings.read(labels, emb)).getMessage();
    }

    private String embError(String csv) throws IOException {
        Path e = write("e.csv", csv);
        return assertThrows(DataFormatException.class,
                () -> new EmbeddingsFile(e, "bottleneck", null).stream(10, c -> { })).getMessage();
    }

    @Test
    void joinKeepsLabelOrderAndCountsBothKindsOfLeftovers() throws IOException {
        Path labels = write("labels.csv", LABELS);
        // b has no vector; x and y have no label. Rows come in another order than the labels.
        Path emb = write("emb.csv", "rid,bottleneck\nx,0.5 0.5\nc,3 3.5\na,\"[1.0, -2.0]\"\ny,9 9\nd,4e-1 -0\n");
        LabelledEmbeddings.Joined j = LabelledEmbeddings.read(labels, new EmbeddingsFile(emb, "bottleneck", null));
        assertArrayEquals(new String[] {"a", "c", "d"}, j.ids());
        assertArrayEquals(new int[] {1, 1, 0}, j.labels());
        assertArrayEquals(new float[] {1.0f, -2.0f}, j.vectors()[0]);
        assertArrayEquals(new float[] {3f, 3.5f}, j.vectors()[1]);
        assertArrayEquals(new float[] {0.4f, -0f}, j.vectors()[2]);
        assertEquals(2, j.width());
        assertEquals(1, j.labelsWithoutEmbeddings());
        assertEquals(2, j.embeddingsWithoutLabels());
        assertEquals(List.of("vendor-v2"), j.evkeys());
        assertEquals(2, j.positives());
    }

    @Test
    void wideColumnsInAnyOrder() throws IOException {
        Path labels = write("labels.csv", "label,rid\n1,a\n0,b\n");
        Path emb = write("emb.csv", "e_1,rid,e_0,e_2\n2,a,1,3\n5,b,4,6\n");
        LabelledEmbeddings.Joined j = LabelledEmbeddings.read(labels, new EmbeddingsFile(emb, "e", null));
        assertArrayEquals(new float[] {1, 2, 3}, j.vectors()[0]);
        assertArrayEquals(new float[] {4, 5, 6}, j.vectors()[1]);
        assertEquals(List.of(), j.evkeys());
        Path noUnderscore = write("emb2.csv", "rid,e0,e1\na,1,2\nb,3,4\n");
        assertArrayEquals(new float[] {3, 4},
                LabelledEmbeddings.read(labels, new EmbeddingsFile(noUnderscore, "e", null)).vectors()[1]);
        assertEquals(dir.resolve("emb3.csv") + ":1: wide vector columns of e skip index 1",
                embErrorNamed("emb3.csv", "rid,e_0,e_2\na,1,2\n", "e"));
    }

    private String embErrorNamed(String name, String csv, String column) throws IOException {
        Path e = write(name, csv);
        return assertThrows(DataFormatException.class,
                () -> new EmbeddingsFile(e, column, null).stream(10, c -> { })).getMessage();
    }

    @Test
    void everyBadEmbeddingRowIsNamedByFileAndLine() throws IOException {
        String e = dir.resolve("e.csv").toString();
        assertEquals(e + ":3: bottleneck has 3 values, expected 2", embError("rid,bottleneck\na,1 2\nb,1 2 3\n"));
        assertEquals(e + ":3: duplicate rid \"a\" (first on line 2)", embError("rid,bottleneck\na,1 2\na,1 2\n"));
        assertEquals(e + ":2: bottleneck[1] is NaN", embError("rid,bottleneck\na,1 NaN\n"));
        assertEquals(e + ":2: bottleneck[0] is Infinity", embError("rid,bottleneck\na,Infinity 2\n"));
        assertEquals(e + ":2: bottleneck[0] is -Infinity", embError("rid,bottleneck\na,-1e39 2\n"));
        assertEquals(e + ":2: bottleneck[1]: \"x\" is not a number", embError("rid,bottleneck\na,1 x\n"));
        assertEquals(e + ":2: bottleneck[0]: \"1f\" is not a number", embError("rid,bottleneck\na,1f 2\n"));
        assertEquals(e + ":1: missing column \"rid\"; found [id, bottleneck]", embError("id,bottleneck\na,1 2\n"));
        assertEquals(e + ":1: missing column \"bottleneck\" (or bottleneck_0, bottleneck_1, ...); found [rid, v]",
                embError("rid,v\na,1 2\n"));
        assertEquals(e + ":2: expected 2 fields, found 3", embError("rid,bottleneck\na,1,2\n"));
        assertEquals(e + ":2: rid is empty", embError("rid,bottleneck\n,1 2\n"));
        assertEquals(e + ":2: bottleneck is empty", embError("rid,bottleneck\na,[]\n"));
        assertEquals(e + ":2: bottleneck: unbalanced brackets in \"[1 2\"", embError("rid,bottleneck\na,[1 2\n"));
        assertEquals(e + ": empty file; expected a header with rid and bottleneck", embError(""));
    }

    @Test
    void everyBadLabelIsNamedByFileAndLine() throws IOException {
        Path emb = write("emb.csv", "rid,bottleneck\na,1 2\n");
        EmbeddingsFile e = new EmbeddingsFile(emb, "bottleneck", null);
        Path l = write("l.csv", "rid,label\na,1\nb,2\n");
        assertEquals(l + ":3: label must be 0 or 1, found \"2\"", message(l, e));
        l = write("l.csv", "rid,label\na,1\nb,0.5\n");
        assertEquals(l + ":3: label must be 0 or 1, found \"0.5\"", message(l, e));
        l = write("l.csv", "rid,label\na,1\nb,true\n");
        assertEquals(l + ":3: label must be 0 or 1, found \"true\"", message(l, e));
        l = write("l.csv", "rid,label\na,1\nb,0\na,0\n");
        assertEquals(l + ":4: duplicate rid \"a\" (first on line 2)", message(l, e));
        l = write("l.csv", "rid,y\na,1\n");
        assertEquals(l + ":1: missing column \"label\"; found [rid, y]", message(l, e));
        l = write("l.csv", "rid,label\nz,1\ny,0\n");
        assertEquals(l + ": no rid has a vector in " + emb + " (2 labelled, 1 embedded)", message(l, e));
        l = write("l.csv", "rid,label\nz,1\ny,1\nx,1\n");
        assertEquals(l + ": every label is 1 (3 rows); a classifier needs both classes", message(l, e));
        Path txt = write("l.txt", "rid,label\n");
        assertEquals(txt + ": unknown labels format; expected a .csv or .parquet file", message(txt, e));
    }

    @Test
    void chunksComeInOrderWithTheirFirstRow() throws IOException {
        StringBuilder sb = new StringBuilder("rid,v\n");
        for (int i = 0; i < 10; i++) {
            sb.append("r").append(i).append(',').append(i).append(' ').append(-i).append('\n');
        }
        Path e = write("e.csv", sb.toString());
        List<String> seen = new ArrayList<>();
        int width = new EmbeddingsFile(e, "v", null).stream(4, c ->
                seen.add(c.firstRow() + ":" + String.join("", c.ids()) + ":" + c.vectors()[c.size() - 1][1]));
        assertEquals(2, width);
        assertEquals(List.of("1:r0r1r2r3:-3.0", "5:r4r5r6r7:-7.0", "9:r8r9:-9.0"), seen);
    }

    private static float[][] matrix(int rows, int width) {
        float[][] m = new float[rows][width];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < width; k++) {
                m[i][k] = i + k / 8f;
            }
        }
        return m;
    }

    @Test
    void parquetRoundTripsWithEveryCodec() throws IOException {
        float[][] m = matrix(7, 5);
        Path labels = write("labels.csv", "rid,label\nr0,1\nr3,0\nr6,1\nzz,0\n");
        for (CompressionCodecName codec : List.of(CompressionCodecName.UNCOMPRESSED, CompressionCodecName.SNAPPY,
                CompressionCodecName.GZIP, CompressionCodecName.ZSTD, CompressionCodecName.LZ4_RAW)) {
            Path p = dir.resolve("emb-" + codec + ".parquet");
            ParquetEmbeddings.write(p, "bottleneck", m.length, new ParquetEmbeddings.RowSource() {
                @Override
                public String id(long i) {
                    return "r" + i;
                }

                @Override
                public float[] vector(long i) {
                    return m[(int) i];
                }
            }, codec);
            List<float[]> rows = new ArrayList<>();
            new EmbeddingsFile(p, "bottleneck", null).stream(3, c -> rows.addAll(Arrays.asList(c.vectors())));
            assertEquals(7, rows.size(), codec.toString());
            for (int i = 0; i < 7; i++) {
                assertArrayEquals(m[i], rows.get(i), codec.toString());
            }
            LabelledEmbeddings.Joined j = LabelledEmbeddings.read(labels, new EmbeddingsFile(p, "bottleneck", null));
            assertArrayEquals(new String[] {"r0", "r3", "r6"}, j.ids());
            assertArrayEquals(m[3], j.vectors()[1]);
            assertEquals(1, j.labelsWithoutEmbeddings());
            assertEquals(4, j.embeddingsWithoutLabels());
        }
    }

    @Test
    void parquetErrorsNameTheRow() throws IOException {
        Path p = dir.resolve("bad.parquet");
        ParquetEmbeddings.write(p, "bottleneck", 3, new ParquetEmbeddings.RowSource() {
            @Override
            public String id(long i) {
                return i == 2 ? "r0" : "r" + i;
            }

            @Override
            public float[] vector(long i) {
                return new float[] {1, 2};
            }
        }, CompressionCodecName.SNAPPY);
        EmbeddingsFile e = new EmbeddingsFile(p, "bottleneck", null);
        assertEquals(p + ": row 3: duplicate rid \"r0\" (first on row 1)",
                assertThrows(DataFormatException.class, () -> e.stream(10, c -> { })).getMessage());
        assertEquals(p + ": missing column \"vec\"; found [rid, bottleneck]", assertThrows(DataFormatException.class,
                () -> new EmbeddingsFile(p, "vec", null).stream(10, c -> { })).getMessage());
        Path w = dir.resolve("wide.parquet");
        ParquetEmbeddings.write(w, "bottleneck", 2, new ParquetEmbeddings.RowSource() {
            @Override
            public String id(long i) {
                return "r" + i;
            }

            @Override
            public float[] vector(long i) {
                return i == 0 ? new float[] {1, 2} : new float[] {1, Float.NaN};
            }
        }, CompressionCodecName.UNCOMPRESSED);
        assertEquals(w + ": row 2: bottleneck[1] is NaN", assertThrows(DataFormatException.class,
                () -> new EmbeddingsFile(w, "bottleneck", null).stream(10, c -> { })).getMessage());
        Path empty = dir.resolve("empty.parquet");
        ParquetEmbeddings.write(empty, "bottleneck", 2, new ParquetEmbeddings.RowSource() {
            @Override
            public String id(long i) {
                return "r" + i;
            }

            @Override
            public float[] vector(long i) {
                return i == 0 ? new float[] {1, 2} : new float[0];
            }
        }, CompressionCodecName.UNCOMPRESSED);
        assertEquals(empty + ": row 2: bottleneck is null or empty", assertThrows(DataFormatException.class,
                () -> new EmbeddingsFile(empty, "bottleneck", null).stream(10, c -> { })).getMessage());
        Path notParquet = write("x.parquet", "rid,bottleneck\n");
        String m = assertThrows(DataFormatException.class,
                () -> new EmbeddingsFile(notParquet, "bottleneck", null).stream(10, c -> { })).getMessage();
        assertEquals(notParquet + ": not a readable Parquet file: ", m.substring(0, m.indexOf(':', 
                notParquet.toString().length() + 2) + 2));
    }

    @Test
    void parquetLabels() throws IOException {
        Path l = dir.resolve("labels.parquet");
        ParquetEmbeddings.writeStrings(l, List.of("rid", "label", "evkey"),
                List.of(new String[] {"a", "1", "m1"}, new String[] {"b", "0", null}, new String[] {"c", "1", "m2"}));
        LabelledEmbeddings.Labels labels = LabelledEmbeddings.readLabels(l);
        assertArrayEquals(new String[] {"a", "b", "c"}, labels.ids());
        assertArrayEquals(new int[] {1, 0, 1}, labels.labels());
        assertEquals(List.of("m1", "m2"), labels.evkeys());
        Path bad = dir.resolve("bad.parquet");
        ParquetEmbeddings.writeStrings(bad, List.of("rid", "label"),
                List.of(new String[] {"a", "1"}, new String[] {"b", "yes"}));
        assertEquals(bad + ": row 2: label must be 0 or 1, found \"yes\"",
                assertThrows(DataFormatException.class, () -> LabelledEmbeddings.readLabels(bad)).getMessage());
    }

    private Path npy(String name, float[][] m, boolean float64) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(p)) {
            if (float64) {
                String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + m.length + ", " + m[0].length
                        + "), }";
                String header = dict + " ".repeat(128 - 10 - dict.length() - 1) + "\n";
                out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
                out.write(header.getBytes(StandardCharsets.ISO_8859_1));
                ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                for (float[] row : m) {
                    for (float v : row) {
                        out.write(b.clear().putDouble(v).array());
                    }
                }
            } else {
                NpyFloats.writeHeader(out, m.length, m[0].length);
                ByteBuffer scratch = ByteBuffer.allocate(m[0].length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float[] row : m) {
                    NpyFloats.writeRow(out, row, scratch);
                }
            }
        }
        return p;
    }

    /** A range of a .npy file's rows: those rows, numbered as in the whole file, and nothing else read. */
    @Test
    void npyRowRanges() throws IOException {
        float[][] m = new float[10][];
        StringBuilder ids = new StringBuilder("rid\n");
        for (int i = 0; i < m.length; i++) {
            m[i] = new float[] {i, -i};
            ids.append("r").append(i).append('\n');
        }
        m[5][1] = Float.NaN;
        EmbeddingsFile file = new EmbeddingsFile(npy("ranges.npy", m, false), "v", write("range-ids.csv",
                ids.toString()));
        List<String> got = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        assertEquals(2, file.streamRows(2, 5, 2, 0, c -> {
            for (int i = 0; i < c.size(); i++) {
                got.add(c.ids()[i]);
                vectors.add(c.vectors()[i].clone());
            }
        }));
        assertEquals(List.of("r2", "r3", "r4"), got);
        assertArrayEquals(new float[] {4, -4}, vectors.get(2));
        got.clear();
        file.streamRows(8, 99, 4, 2, c -> got.addAll(Arrays.asList(c.ids()).subList(0, c.size())));
        assertEquals(List.of("r8", "r9"), got);
        DataFormatException e = assertThrows(DataFormatException.class, () -> file.streamRows(4, 8, 4, 2, c -> { }));
        assertEquals(dir.resolve("ranges.npy") + ": row 6: v[1] is NaN", e.getMessage());
    }

    @Test
    void npyWithAnIdsFile() throws IOException {
        float[][] m = matrix(2500, 3);
        StringBuilder ids = new StringBuilder("rid\n");
        for (int i = 0; i < m.length; i++) {
            ids.append("id").append(i).append('\n');
        }
        Path idFile = write("ids.csv", ids.toString());
        for (boolean f64 : new boolean[] {false, true}) {
            Path p = npy("e" + f64 + ".npy", m, f64);
            List<float[]> rows = new ArrayList<>();
            List<String> names = new ArrayList<>();
            new EmbeddingsFile(p, "ignored", idFile).stream(1000, c -> {
                rows.addAll(Arrays.asList(c.vectors()));
                names.addAll(Arrays.asList(c.ids()));
            });
            assertEquals(2500, rows.size());
            assertArrayEquals(m[2499], rows.get(2499));
            assertArrayEquals(m[1024], rows.get(1024));
            assertEquals("id1024", names.get(1024));
        }
        Path p = npy("e.npy", m, false);
        Path shortIds = write("short.csv", "rid\na\nb\n");
        assertEquals(p + ": the array has 2500 rows but the ids file has 2 ids", assertThrows(DataFormatException.class,
                () -> new EmbeddingsFile(p, "x", shortIds).stream(10, c -> { })).getMessage());
        assertEquals(p + ": a .npy file needs an ids file (a CSV with a rid column)",
                assertThrows(DataFormatException.class, () -> new EmbeddingsFile(p, "x", null).stream(10, c -> { }))
                        .getMessage());
        Path dupIds = write("dup.csv", "rid\na\na\n");
        Path small = npy("small.npy", matrix(2, 2), false);
        assertEquals(small + ": row 2: duplicate rid \"a\" (first on row 1)", assertThrows(DataFormatException.class,
                () -> new EmbeddingsFile(small, "x", dupIds).stream(10, c -> { })).getMessage());
    }
}
