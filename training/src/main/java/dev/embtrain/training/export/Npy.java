package dev.embtrain.training.export;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes float32 matrices as NumPy {@code .npy} files, so that trained embedding
 * tables open with one {@code np.load} in a notebook, without DJL or Java.
 *
 * <p>Files are format version 1.0 (NEP 1), dtype {@code <f4}, C order, shape {@code (R, C)} for
 * a matrix or {@code (N,)} for a vector. The header is byte-for-byte what NumPy 2.x writes for
 * the same array, padded so that the data starts at a multiple of 64 bytes.
 *
 * @see <a href="https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html">numpy.lib.format</a>
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Magic, two version bytes and the little-endian uint16 header length of version 1.0. */
    private static final int V1_PREFIX_LENGTH = MAGIC.length + 2 + 2;
    /** NumPy aligns the data to 64 bytes (it accepts 16) so it can be memory-mapped and read with SIMD. */
    private static final int ALIGN = 64;
    /**
     * NumPy leaves room in the header for the growing axis to reach 21 digits, so that a writer
     * appending rows can rewrite the header in place; copying that makes our headers identical.
     */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    /** Headers longer than this are corrupt: even a 2-D shape with 20-digit sizes fits in 128 bytes. */
    private static final int MAX_HEADER_LENGTH = 1 << 16;

    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(\\w+)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");
    /** Python 2 NumPy wrote long sizes as {@code 3L}. */
    private static final Pattern DIMENSION = Pattern.compile("(\\d+)L?");

    private Npy() {}

    /**
     * Writes a matrix as a 2-D {@code .npy} file of shape {@code (rows.length, rows[0].length)};
     * an empty matrix has shape {@code (0, 0)}.
     *
     * @throws IllegalArgumentException if the rows do not all have the same length
     */
    public static void writeFloat32(Path file, float[][] rows) throws IOException {
        Objects.requireNonNull(file, "file");
        int cols = width(rows);
        byte[] header = header(rows.length, cols);
        AtomicFiles.write(file, out -> {
            out.write(header);
            ByteBuffer buffer = ByteBuffer.allocate(cols * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (float[] row : rows) {
                buffer.clear();
                buffer.asFloatBuffer().put(row);
                out.write(buffer.array(), 0, buffer.capacity());
            }
        });
    }

    /** Writes a vector as a 1-D {@code .npy} file of shape {@code (vector.length,)}. */
    public static void writeFloat32(Path file, float[] vector) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(vector, "vector");
        byte[] header = header(vector.length);
        AtomicFiles.write(file, out -> {
            out.write(header);
            ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            buffer.asFloatBuffer().put(vector);
            out.write(buffer.array());
        });
    }

    /**
     * Reads a {@code <f4}, C-order {@code .npy} file of version 1.0 or 2.0. A 2-D array of shape
     * {@code (R, C)} gives R rows of C values; a 1-D array of shape {@code (N,)} gives one row
     * of N values, as {@code np.atleast_2d} would.
     *
     * @throws IOException if the file is not such an array, naming the file and what it found
     */
    public static float[][] readFloat32Matrix(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long[] shape = readHeader(file, channel);
            int rows = shape.length == 2 ? (int) shape[0] : 1;
            int cols = (int) shape[shape.length - 1];
            float[][] matrix = new float[rows][cols];
            ByteBuffer buffer = ByteBuffer.allocate(cols * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (float[] row : matrix) {
                readFully(file, channel, buffer.clear());
                buffer.flip().asFloatBuffer().get(row);
            }
            return matrix;
        }
    }

    /**
     * Reads a 1-D {@code <f4} {@code .npy} file, the inverse of {@link #writeFloat32(Path, float[])}.
     *
     * @throws IOException if the file is not a 1-D float32 array, naming the file and what it found
     */
    public static float[] readFloat32Vector(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long[] shape = readHeader(file, channel);
            if (shape.length != 1) {
                throw new IOException(file + ": expected a 1-D array, found shape " + shapeRepr(shape));
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) shape[0] * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            readFully(file, channel, buffer);
            float[] vector = new float[(int) shape[0]];
            buffer.flip().asFloatBuffer().get(vector);
            return vector;
        }
    }

    /**
     * Returns the common row length, so that a ragged matrix fails before anything is written
     * rather than producing a file whose shape lies about its data.
     */
    static int width(float[][] rows) {
        Objects.requireNonNull(rows, "rows");
        if (rows.length == 0) {
            return 0;
        }
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null) {
                throw new IllegalArgumentException("row " + i + " is null");
            }
        }
        int cols = rows[0].length;
        for (int i = 1; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length
                        + " values, expected " + cols + " like row 0 (a matrix must be rectangular)");
            }
        }
        return cols;
    }

    /** The complete version 1.0 header (magic to final newline) for a float32 C-order array. */
    static byte[] header(long... shape) {
        StringBuilder dict = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': ")
                .append(shapeRepr(shape)).append(", }");
        if (shape.length > 0) {
            dict.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - Long.toString(shape[0]).length()));
        }
        int unpadded = V1_PREFIX_LENGTH + dict.length() + 1;
        // Like NumPy, pad by a full 64 when already aligned (the remainder is never negative).
        int padding = ALIGN - unpadded % ALIGN;
        dict.append(" ".repeat(padding)).append('\n');
        int headerLength = dict.length();
        ByteBuffer buffer = ByteBuffer.allocate(V1_PREFIX_LENGTH + headerLength).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) headerLength);
        buffer.put(dict.toString().getBytes(StandardCharsets.ISO_8859_1));
        return buffer.array();
    }

    /** Python's repr of a shape tuple: {@code (4,)} for one axis, {@code (2, 3)} for two. */
    private static String shapeRepr(long[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                s.append(", ");
            }
            s.append(shape[i]);
        }
        return s.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /**
     * Reads and checks the header, leaving the channel at the first data byte, and returns a
     * 1-D or 2-D shape whose data is exactly the rest of the file and fits Java arrays.
     */
    private static long[] readHeader(Path file, FileChannel channel) throws IOException {
        ByteBuffer prefix = ByteBuffer.allocate(MAGIC.length + 2).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, channel, prefix);
        prefix.flip();
        for (byte b : MAGIC) {
            if (prefix.get() != b) {
                throw new IOException(file + ": not a NumPy .npy file (the first bytes are not \\x93NUMPY)");
            }
        }
        int major = Byte.toUnsignedInt(prefix.get());
        int minor = Byte.toUnsignedInt(prefix.get());
        if ((major != 1 && major != 2) || minor != 0) {
            throw new IOException(file + ": expected .npy format version 1.0 or 2.0, found " + major + "." + minor);
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, channel, lengthBytes);
        lengthBytes.flip();
        long headerLength = major == 1
                ? Short.toUnsignedInt(lengthBytes.getShort())
                : Integer.toUnsignedLong(lengthBytes.getInt());
        if (headerLength > MAX_HEADER_LENGTH || headerLength > channel.size() - channel.position()) {
            throw new IOException(file + ": header length " + headerLength + " is larger than the file allows");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(file, channel, headerBytes);
        String header = new String(headerBytes.array(), StandardCharsets.ISO_8859_1).strip();

        String descr = find(file, DESCR, header, "descr");
        if (!descr.equals("<f4")) {
            throw new IOException(file + ": expected dtype '<f4' (little-endian float32), found '" + descr + "'");
        }
        String fortran = find(file, FORTRAN, header, "fortran_order");
        if (!fortran.equals("False")) {
            throw new IOException(file + ": expected C order (fortran_order False), found fortran_order " + fortran);
        }
        long[] shape = parseShape(file, find(file, SHAPE, header, "shape"));
        if (shape.length != 1 && shape.length != 2) {
            throw new IOException(file + ": expected a 1-D or 2-D array, found shape " + shapeRepr(shape));
        }
        long rows = shape.length == 2 ? shape[0] : 1;
        long cols = shape[shape.length - 1];
        if (rows > Integer.MAX_VALUE - 8 || cols > (Integer.MAX_VALUE - 8) / Float.BYTES) {
            throw new IOException(file + ": shape " + shapeRepr(shape) + " is too large for a Java float array");
        }
        long expected = rows * cols * Float.BYTES;
        long found = channel.size() - channel.position();
        if (found != expected) {
            throw new IOException(file + ": shape " + shapeRepr(shape) + " needs " + expected
                    + " data bytes, found " + found + " (truncated or corrupt file)");
        }
        return shape;
    }

    private static String find(Path file, Pattern pattern, String header, String key) throws IOException {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw new IOException(file + ": header has no readable '" + key + "' entry: " + header);
        }
        return m.group(1);
    }

    private static long[] parseShape(Path file, String tuple) throws IOException {
        List<Long> dims = new ArrayList<>();
        for (String part : tuple.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue; // the trailing comma of "(4,)" or "(2, 3,)"
            }
            Matcher m = DIMENSION.matcher(p);
            if (!m.matches() || m.group(1).length() > 18) {
                throw new IOException(file + ": cannot read shape (" + tuple + ")");
            }
            dims.add(Long.parseLong(m.group(1)));
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private static void readFully(Path file, FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException(file + ": unexpected end of file at byte " + channel.position());
            }
        }
    }
}
