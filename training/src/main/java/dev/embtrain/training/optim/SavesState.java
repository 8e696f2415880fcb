package dev.embtrain.training.optim;

import ai.djl.ndarray.NDArray;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;

/** An optimizer whose state a checkpoint keeps, by parameter name, so that a resumed run continues exactly. */
public interface SavesState {

    /** Floats converted per bulk write or read. */
    int CHUNK = 8192;

    /**
     * Writes the state.
     *
     * @param out where to write
     * @param namesById each parameter's name by its id
     * @throws IOException when writing fails
     */
    void writeState(DataOutputStream out, Map<String, String> namesById) throws IOException;

    /**
     * Reads what {@link #writeState} wrote, before the first update.
     *
     * @param in where to read
     * @param weightsByName each trained parameter's array by name
     * @param idsByName each parameter's id by name
     * @throws IOException when the state does not fit the parameters
     */
    void readState(DataInputStream in, Map<String, NDArray> weightsByName, Map<String, String> idsByName)
            throws IOException;

    /** Writes the state of one parameter. */
    interface EntryWriter {
        /**
         * Writes it.
         *
         * @param id the parameter's id
         * @throws IOException when writing fails
         */
        void write(String id) throws IOException;
    }

    /** Reads the state of one parameter. */
    interface EntryReader {
        /**
         * Reads it.
         *
         * @param name the parameter's name
         * @param id its id in this model
         * @param weight its array
         * @throws IOException when the state does not fit it
         */
        void read(String name, String id, NDArray weight) throws IOException;
    }

    /**
     * Writes per-parameter state: the count, then for each parameter, in id order, its name and
     * what {@code entry} writes.
     *
     * @param out where to write
     * @param namesById each parameter's name by its id
     * @param ids the parameters that have state
     * @param entry writes one parameter's state
     * @throws IOException when writing fails
     */
    static void writeEntries(DataOutputStream out, Map<String, String> namesById, java.util.Set<String> ids,
            EntryWriter entry) throws IOException {
        out.writeInt(ids.size());
        for (String id : new java.util.TreeSet<>(ids)) {
            out.writeUTF(namesById.get(id));
            entry.write(id);
        }
    }

    /**
     * Reads what {@link #writeEntries} wrote, refusing a name this model does not have.
     *
     * @param in where to read
     * @param weightsByName each trained parameter's array by name
     * @param idsByName each parameter's id by name
     * @param what what the state belongs to, for the message ({@code optimizer state names parameter})
     * @param entry reads one parameter's state
     * @throws IOException when the state does not fit the parameters
     */
    static void readEntries(DataInputStream in, Map<String, NDArray> weightsByName, Map<String, String> idsByName,
            String what, EntryReader entry) throws IOException {
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            NDArray weight = weightsByName.get(name);
            if (weight == null) {
                throw new IOException("the checkpoint's " + what + " " + name + ", which this model does not have");
            }
            entry.read(name, idsByName.get(name), weight);
        }
    }

    /**
     * Writes one array of state: its length and values.
     *
     * @param out where to write
     * @param values the values
     * @throws IOException when writing fails
     */
    static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        out.writeInt(values.length);
        java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(CHUNK * Float.BYTES);
        for (int from = 0; from < values.length; from += CHUNK) {
            int n = Math.min(CHUNK, values.length - from);
            chunk.clear();
            chunk.asFloatBuffer().put(values, from, n);
            out.write(chunk.array(), 0, n * Float.BYTES);
        }
    }

    /**
     * Reads what {@link #writeFloats} wrote into an array of the expected length.
     *
     * @param in where to read
     * @param name the parameter's name, for the message
     * @param expected the length the state must have
     * @return the values
     * @throws IOException when the length differs
     */
    static float[] readFloats(DataInputStream in, String name, long expected) throws IOException {
        int length = in.readInt();
        if (length != expected) {
            throw new IOException("the checkpoint's optimizer state of " + name + " holds " + length
                    + " values, this run's needs " + expected);
        }
        return readFloats(in, length);
    }

    /**
     * Reads {@code length} floats as {@link #writeFloats} wrote them after their length
     * (big-endian, as {@link DataOutputStream#writeFloat}), in bulk.
     *
     * @param in where to read
     * @param length how many
     * @return the values
     * @throws IOException when the stream ends first
     */
    static float[] readFloats(DataInputStream in, int length) throws IOException {
        float[] values = new float[length];
        byte[] bytes = new byte[CHUNK * Float.BYTES];
        java.nio.FloatBuffer view = java.nio.ByteBuffer.wrap(bytes).asFloatBuffer();
        for (int from = 0; from < length; from += CHUNK) {
            int n = Math.min(CHUNK, length - from);
            in.readFully(bytes, 0, n * Float.BYTES);
            view.get(0, values, from, n);
        }
        return values;
    }
}
