package dev.embtrain.datasets.labelled;

import dev.embtrain.datasets.io.DataFormatException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Streams the rows of a 2-D NumPy {@code .npy} array of little-endian float32 or float64 in C
 * order (what {@code np.save(f, x.astype(np.float32))} writes), and writes float32 ones.
 * Here rather than in training's {@code Npy} because datasets does not depend on training, and
 * this reader never holds more than one chunk.
 */
public final class NpyFloats {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(\\w+)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");
    private static final int ROWS_PER_READ = 1024;

    private NpyFloats() {}

    /** The parsed header. */
    record Header(boolean float64, long rows, int cols, long dataOffset) {}

    static Header header(Path file, SeekableByteChannel channel) throws IOException {
        ByteBuffer prefix = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, channel, prefix);
        prefix.flip();
        for (byte b : MAGIC) {
            if (prefix.get() != b) {
                throw new DataFormatException(file, 0, "not a .npy file (no \\x93NUMPY magic)");
            }
        }
        int major = prefix.get();
        prefix.get();
        long headerLength;
        long start;
        if (major == 1) {
            headerLength = prefix.getShort() & 0xFFFF;
            start = 10;
        } else if (major == 2 || major == 3) {
            headerLength = prefix.getInt() & 0xFFFFFFFFL;
            start = 12;
        } else {
            throw new DataFormatException(file, 0, ".npy format version " + major + " is not supported");
        }
        if (headerLength > 1 << 20) {
            throw new DataFormatException(file, 0, ".npy header of " + headerLength + " bytes is corrupt");
        }
        ByteBuffer text = ByteBuffer.allocate((int) headerLength);
        channel.position(start);
        readFully(file, channel, text);
        String dict = new String(text.array(), StandardCharsets.ISO_8859_1);
        String descr = group(file, DESCR, dict, "descr");
        boolean float64;
        if (descr.equals("<f4") || descr.equals("f4")) {
            float64 = false;
        } else if (descr.equals("<f8") || descr.equals("f8")) {
            float64 = true;
        } else {
            throw new DataFormatException(file, 0, "dtype " + descr + " is not supported; expected <f4 or <f8");
        }
        if (!group(file, FORTRAN, dict, "fortran_order").equals("False")) {
            throw new DataFormatException(file, 0, "Fortran-order arrays are not supported; save with C order");
        }
        String[] dims = group(file, SHAPE, dict, "shape").split(",");
        List<String> shape = java.util.Arrays.stream(dims).map(String::strip).filter(d -> !d.isEmpty()).toList();
        if (shape.size() != 2) {
            throw new DataFormatException(file, 0, "expected a 2-D array (rows, width), found shape ("
                    + String.join(", ", shape) + ")");
        }
        long rows = Long.parseLong(shape.get(0).replace("L", ""));
        long cols = Long.parseLong(shape.get(1).replace("L", ""));
        if (cols < 1 || cols > Integer.MAX_VALUE / 8) {
            throw new DataFormatException(file, 0, "width " + cols + " is out of range");
        }
        long dataOffset = start + headerLength;
        long expected = dataOffset + rows * cols * (float64 ? 8 : 4);
        if (channel.size() < expected) {
            throw new DataFormatException(file, 0, "truncated: shape (" + rows + ", " + cols + ") needs " + expected
                    + " bytes, the file has " + channel.size());
        }
        return new Header(float64, rows, (int) cols, dataOffset);
    }

    private static String group(Path file, Pattern p, String dict, String key) {
        Matcher m = p.matcher(dict);
        if (!m.find()) {
            throw new DataFormatException(file, 0, ".npy header has no " + key + ": " + dict.strip());
        }
        return m.group(1);
    }

    /**
     * Reads a .npy file's row count from its header.
     *
     * @param file the file
     * @return its rows
     * @throws IOException when it cannot be read
     */
    public static long rows(Path file) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ)) {
            return header(file, channel).rows();
        }
    }

    /**
     * The ids of some rows of an ids file.
     *
     * @param values the ids of rows {@code first, first + 1, ...}
     * @param first the row of the first
     * @param total the ids the file holds
     */
    record Ids(List<String> values, long first, long total) {
        String get(long row) {
            return values.get((int) (row - first));
        }
    }

    static void read(Path file, List<String> ids, RowSink sink) throws IOException {
        read(file, new Ids(ids, 0, ids.size()), 0, Long.MAX_VALUE, sink);
    }

    /** Reads rows [from, to) (to clamped to the array), numbered as in the whole file; ids holds theirs. */
    static void read(Path file, Ids ids, long from, long to, RowSink sink) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ)) {
            Header h = header(file, channel);
            if (h.rows() != ids.total()) {
                throw new DataFormatException(file, 0, "the array has " + h.rows() + " rows but the ids file has "
                        + ids.total() + " ids");
            }
            int bytesPerValue = h.float64() ? 8 : 4;
            ByteBuffer buffer = ByteBuffer.allocate(ROWS_PER_READ * h.cols() * bytesPerValue)
                    .order(ByteOrder.LITTLE_ENDIAN);
            long end = Math.min(to, h.rows());
            channel.position(h.dataOffset() + Math.min(from, end) * h.cols() * bytesPerValue);
            long row = Math.min(from, end);
            while (row < end) {
                int n = (int) Math.min(ROWS_PER_READ, end - row);
                buffer.clear().limit(n * h.cols() * bytesPerValue);
                readFully(file, channel, buffer);
                buffer.flip();
                for (int r = 0; r < n; r++) {
                    float[] v = new float[h.cols()];
                    if (h.float64()) {
                        for (int k = 0; k < v.length; k++) {
                            v[k] = (float) buffer.getDouble();
                        }
                    } else {
                        buffer.asFloatBuffer().get(v);
                        buffer.position(buffer.position() + v.length * 4);
                    }
                    sink.add(ids.get(row + r), v, row + r + 1);
                }
                row += n;
            }
        }
    }

    private static void readFully(Path file, SeekableByteChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new DataFormatException(file, 0, "truncated .npy file");
            }
        }
    }

    /**
     * Writes the header of a float32 (rows, cols) array, padded so the data starts at a multiple
     * of 64 bytes, as NumPy does.
     */
    public static void writeHeader(OutputStream out, long rows, int cols) throws IOException {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int unpadded = 10 + dict.length() + 1;
        int padded = (unpadded + 63) / 64 * 64;
        StringBuilder sb = new StringBuilder(dict);
        sb.append(" ".repeat(padded - unpadded)).append('\n');
        int length = sb.length();
        out.write(MAGIC);
        out.write(new byte[] {1, 0, (byte) (length & 0xFF), (byte) (length >> 8)});
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Writes one float32 row. */
    public static void writeRow(OutputStream out, float[] row, ByteBuffer scratch) throws IOException {
        scratch.clear();
        for (float f : row) {
            scratch.putFloat(f);
        }
        out.write(scratch.array(), 0, scratch.position());
    }
}
