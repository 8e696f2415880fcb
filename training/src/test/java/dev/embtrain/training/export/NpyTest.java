package dev.embtrain.training.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    @TempDir
    Path dir;

    /** Exactly what {@code np.save} of NumPy 2.4.6 writes for a float32 array of shape (2, 3). */
    private static final String NUMPY_HEADER_2_3 = "\u0093NUMPY\u0001\u0000v\u0000"
            + "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"
            + " ".repeat(58) + "\n";
    /** Exactly what {@code np.save} of NumPy 2.4.6 writes for a float32 array of shape (4,). */
    private static final String NUMPY_HEADER_4 = "\u0093NUMPY\u0001\u0000v\u0000"
            + "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }"
            + " ".repeat(60) + "\n";

    @Test
    void headerMatchesNumpyByteForByte() {
        assertEquals(NUMPY_HEADER_2_3, latin1(Npy.header(2, 3)));
        assertEquals(NUMPY_HEADER_4, latin1(Npy.header(4)));
        assertEquals(128, Npy.header(100_000, 64).length);
        assertEquals(128, Npy.header(0, 0).length);
    }

    @Test
    void writesHeaderThenLittleEndianRows() throws IOException {
        Path file = dir.resolve("m.npy");
        Npy.writeFloat32(file, new float[][] {{1f, 2f, 3f}, {4f, 5f, -0.5f}});

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(NUMPY_HEADER_2_3.getBytes(StandardCharsets.ISO_8859_1));
        // 1.0f = 0x3F800000, 2.0f = 0x40000000, ... -0.5f = 0xBF000000, lowest byte first.
        expected.writeBytes(new byte[] {
            0, 0, (byte) 0x80, 0x3F, 0, 0, 0, 0x40, 0, 0, 0x40, 0x40,
            0, 0, (byte) 0x80, 0x40, 0, 0, (byte) 0xA0, 0x40, 0, 0, 0, (byte) 0xBF});
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(file));
    }

    @Test
    void matrixRoundTripKeepsEveryBit() throws IOException {
        float[][] m = {
            {0f, -0f, 1.5f, Float.MIN_VALUE},
            {Float.MAX_VALUE, Float.NaN, Float.NEGATIVE_INFINITY, 0.1f},
            {-3e-30f, 7f, 1e30f, -1f}};
        Path file = dir.resolve("m.npy");
        Npy.writeFloat32(file, m);
        float[][] back = Npy.readFloat32Matrix(file);
        assertEquals(3, back.length);
        for (int i = 0; i < m.length; i++) {
            assertArrayEquals(bits(m[i]), bits(back[i]), "row " + i);
        }
        assertEquals(128 + 3 * 4 * 4, Files.size(file));
    }

    @Test
    void vectorRoundTripAndReadAsOneRow() throws IOException {
        float[] v = {1f, -2f, 3.25f, 0f};
        Path file = dir.resolve("v.npy");
        Npy.writeFloat32(file, v);
        assertEquals(NUMPY_HEADER_4, latin1(java.util.Arrays.copyOf(Files.readAllBytes(file), 128)));
        assertArrayEquals(v, Npy.readFloat32Vector(file));
        float[][] asMatrix = Npy.readFloat32Matrix(file);
        assertEquals(1, asMatrix.length);
        assertArrayEquals(v, asMatrix[0]);
    }

    @Test
    void emptyMatrixHasShapeZeroByZero() throws IOException {
        Path file = dir.resolve("e.npy");
        Npy.writeFloat32(file, new float[0][]);
        assertEquals(latin1(Npy.header(0, 0)), latin1(Files.readAllBytes(file)));
        assertEquals(0, Npy.readFloat32Matrix(file).length);
    }

    @Test
    void raggedMatrixIsRejectedBeforeAnythingIsWritten() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Npy.writeFloat32(dir.resolve("r.npy"), new float[][] {{1, 2}, {3, 4}, {5}}));
        assertEquals("row 2 has 1 values, expected 2 like row 0 (a matrix must be rectangular)", e.getMessage());
        assertEquals(List.of(), listDir());
    }

    @Test
    void overwritesAtomicallyWithoutLeavingTemporaryFiles() throws IOException {
        Path file = dir.resolve("m.npy");
        Npy.writeFloat32(file, new float[][] {{1, 2}});
        Npy.writeFloat32(file, new float[][] {{3, 4}, {5, 6}});
        assertArrayEquals(new float[] {5, 6}, Npy.readFloat32Matrix(file)[1]);
        assertEquals(List.of("m.npy"), listDir());
    }

    @Test
    void readsVersion2Header() throws IOException {
        // Version 2.0 differs only in a 4-byte header length; padding to 64 bytes is the same.
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }";
        String padded = dict + " ".repeat(128 - 12 - dict.length() - 1) + "\n";
        ByteBuffer b = ByteBuffer.allocate(12 + padded.length() + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 2).put((byte) 0);
        b.putInt(padded.length()).put(padded.getBytes(StandardCharsets.US_ASCII)).putFloat(1.5f).putFloat(-2f);
        Path file = dir.resolve("v2.npy");
        Files.write(file, b.array());
        assertArrayEquals(new float[] {1.5f, -2f}, Npy.readFloat32Matrix(file)[0]);
    }

    @Test
    void rejectsWhatItDoesNotWriteNamingFileAndFinding() throws IOException {
        assertReadFails("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), }", 8,
                "expected dtype '<f4' (little-endian float32), found '<f8'");
        assertReadFails("{'descr': '>f4', 'fortran_order': False, 'shape': (1, 1), }", 4,
                "expected dtype '<f4' (little-endian float32), found '>f4'");
        assertReadFails("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", 16,
                "expected C order (fortran_order False), found fortran_order True");
        assertReadFails("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 2), }", 8,
                "expected a 1-D or 2-D array, found shape (1, 1, 2)");
        assertReadFails("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", 4,
                "expected a 1-D or 2-D array, found shape ()");
        assertReadFails("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 20,
                "shape (2, 3) needs 24 data bytes, found 20 (truncated or corrupt file)");
        assertReadFails("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 28,
                "shape (2, 3) needs 24 data bytes, found 28 (truncated or corrupt file)");
    }

    @Test
    void rejectsOtherFilesAndVersions() throws IOException {
        Path text = dir.resolve("x.npy");
        Files.writeString(text, "hello, this is not numpy");
        IOException e = assertThrows(IOException.class, () -> Npy.readFloat32Matrix(text));
        assertEquals(text + ": not a NumPy .npy file (the first bytes are not \\x93NUMPY)", e.getMessage());

        byte[] v3 = Npy.header(1, 1);
        v3[6] = 3;
        Path file = dir.resolve("v3.npy");
        Files.write(file, v3);
        e = assertThrows(IOException.class, () -> Npy.readFloat32Matrix(file));
        assertEquals(file + ": expected .npy format version 1.0 or 2.0, found 3.0", e.getMessage());

        Path matrix = dir.resolve("m.npy");
        Npy.writeFloat32(matrix, new float[][] {{1, 2}});
        e = assertThrows(IOException.class, () -> Npy.readFloat32Vector(matrix));
        assertEquals(matrix + ": expected a 1-D array, found shape (1, 2)", e.getMessage());
    }

    private void assertReadFails(String dict, int dataBytes, String expected) throws IOException {
        String padded = dict + " ".repeat(128 - 10 - dict.length() - 1) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + padded.length() + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) padded.length()).put(padded.getBytes(StandardCharsets.US_ASCII));
        Path file = dir.resolve("bad.npy");
        Files.write(file, b.array());
        IOException e = assertThrows(IOException.class, () -> Npy.readFloat32Matrix(file));
        assertEquals(file + ": " + expected, e.getMessage());
    }

    private List<String> listDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static int[] bits(float[] row) {
        int[] bits = new int[row.length];
        for (int j = 0; j < row.length; j++) {
            bits[j] = Float.floatToRawIntBits(row[j]);
        }
        return bits;
    }
}
