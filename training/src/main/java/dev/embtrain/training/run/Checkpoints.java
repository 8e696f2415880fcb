package dev.embtrain.training.run;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.embtrain.training.engine.EpochRecord;
import dev.embtrain.training.optim.SavesState;
import dev.embtrain.training.run.RunDirectory;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's checkpoint, {@code NAME.partial/checkpoint/}, rewritten whole after every epoch (a
 * new one is written beside it and renamed into place): the parameters after the last epoch, the
 * optimizer's moments and step counts, every epoch's record (from which the best epoch and
 * early stopping's state follow) and the config it was trained with. The objective's random
 * streams are not stored: resuming replays their draws ({@code Learner.fit} with a history).
 */
public final class Checkpoints {

    /** The checkpoint's directory inside the staging directory. */
    public static final String DIR = "checkpoint";

    private static final String STATE = "state.bin";
    private static final String OPTIMIZER = "optimizer.bin";
    private static final String CONFIG = "config.yaml";
    /**
     * Version 3: the row-sparse Adam state starts with its step. Version 2 streamed its files
     * (version 1 held everything in one array, at most 2 GB).
     */
    private static final String MAGIC = "embtrain-checkpoint-3";

    /**
     * A checkpoint read back.
     *
     * @param dir its directory
     * @param history the epochs it holds
     * @param steps optimizer steps taken
     * @param config the config it was trained with, as YAML
     * @param parameters every parameter's values, by name
     * @param optimizerState the file of the optimizers' state, read by {@link #restore}
     */
    public record Saved(Path dir, List<EpochRecord> history, int steps, String config, Map<String, float[]> parameters,
            Path optimizerState) {}

    private Checkpoints() {}

    /**
     * Writes a checkpoint, replacing the last one.
     *
     * @param staging the run's staging directory
     * @param model the model, its parameters as the epoch left them
     * @param optimizers the optimizers whose state the run needs, in a fixed order
     * @param history every epoch so far
     * @param steps optimizer steps so far
     * @param config the config as YAML
     * @throws IOException when it cannot be written
     */
    public static void write(Path staging, Model model, List<SavesState> optimizers, List<EpochRecord> history, int steps,
            String config) throws IOException {
        Path tmp = staging.resolve(DIR + ".tmp");
        RunDirectory.deleteTree(tmp);
        Files.createDirectories(tmp);
        try (DataOutputStream out = stream(tmp.resolve(STATE))) {
            out.writeUTF(MAGIC);
            // The parameters by name, restored into the arrays the trainer already holds: DJL's
            // Model.load would put new arrays in place, and the trainer's parameter store would
            // go on forwarding the old ones.
            List<Pair<String, Parameter>> parameters = new ArrayList<>();
            model.getBlock().getParameters().forEach(parameters::add);
            out.writeInt(parameters.size());
            for (Pair<String, Parameter> p : parameters) {
                out.writeUTF(p.getKey());
                SavesState.writeFloats(out, dev.embtrain.models.LargeArrays.toFloats(p.getValue().getArray()));
            }
            out.writeInt(steps);
            writeHistory(out, history);
        }
        Map<String, String> names = new HashMap<>();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            names.put(p.getValue().getId(), p.getKey());
        }
        try (DataOutputStream out = stream(tmp.resolve(OPTIMIZER))) {
            for (SavesState optimizer : optimizers) {
                optimizer.writeState(out, names);
            }
        }
        Files.writeString(tmp.resolve(CONFIG), config, StandardCharsets.UTF_8);
        Path current = staging.resolve(DIR);
        Path old = staging.resolve(DIR + ".old");
        RunDirectory.deleteTree(old);
        if (Files.exists(current)) {
            Files.move(current, old);
        }
        Files.move(tmp, current);
        RunDirectory.deleteTree(old);
    }

    /**
     * Reads a run's checkpoint.
     *
     * @param staging the run's staging directory
     * @return the checkpoint, or null when no epoch finished
     * @throws IOException when it cannot be read
     */
    public static Saved read(Path staging) throws IOException {
        Path dir = staging.resolve(DIR);
        if (!Files.isRegularFile(dir.resolve(STATE))) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(
                dir.resolve(STATE)), 1 << 16))) {
            return read(dir, in);
        }
    }

    private static Saved read(Path dir, DataInputStream in) throws IOException {
        String magic = in.readUTF();
        if (!MAGIC.equals(magic)) {
            throw new IOException(dir.resolve(STATE) + (magic.startsWith("embtrain-checkpoint-")
                    ? ": a checkpoint of another embtrain version (" + magic + "); train the run again"
                    : ": not a checkpoint embtrain wrote"));
        }
        Map<String, float[]> parameters = new LinkedHashMap<>();
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            parameters.put(name, SavesState.readFloats(in, in.readInt()));
        }
        int steps = in.readInt();
        List<EpochRecord> history = readHistory(in);
        return new Saved(dir, history, steps, Files.readString(dir.resolve(CONFIG), StandardCharsets.UTF_8),
                parameters, dir.resolve(OPTIMIZER));
    }

    /**
     * Writes epoch records exactly as the loop made them (a search keeps its best trial's so).
     *
     * @param file where to write, replaced
     * @param history the records
     * @throws IOException when writing fails
     */
    public static void writeHistory(Path file, List<EpochRecord> history) throws IOException {
        try (DataOutputStream out = stream(file)) {
            out.writeUTF(MAGIC);
            writeHistory(out, history);
        }
    }

    /**
     * Reads what {@link #writeHistory(Path, List)} wrote.
     *
     * @param file the file
     * @return the records
     * @throws IOException when it cannot be read, or another version wrote it
     */
    public static List<EpochRecord> readHistory(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            String magic = in.readUTF();
            if (!MAGIC.equals(magic)) {
                throw new IOException(file + ": epoch records of another embtrain version (" + magic + ")");
            }
            return readHistory(in);
        }
    }

    private static void writeHistory(DataOutputStream out, List<EpochRecord> history) throws IOException {
        out.writeInt(history.size());
        for (EpochRecord r : history) {
            out.writeInt(r.epoch());
            out.writeDouble(r.trainLoss());
            out.writeInt(r.valid().size());
            for (Map.Entry<String, Double> v : r.valid().entrySet()) {
                out.writeUTF(v.getKey());
                out.writeDouble(v.getValue());
            }
            out.writeDouble(r.seconds());
            out.writeLong(r.samples());
            out.writeFloat(r.learningRate());
            out.writeBoolean(r.improved());
            out.writeInt(r.bestEpoch());
        }
    }

    private static List<EpochRecord> readHistory(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<EpochRecord> history = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int epoch = in.readInt();
            double trainLoss = in.readDouble();
            int metrics = in.readInt();
            Map<String, Double> valid = new LinkedHashMap<>();
            for (int j = 0; j < metrics; j++) {
                valid.put(in.readUTF(), in.readDouble());
            }
            history.add(new EpochRecord(epoch, trainLoss, valid, in.readDouble(), in.readLong(), in.readFloat(),
                    in.readBoolean(), in.readInt()));
        }
        return history;
    }

    /**
     * Loads a checkpoint's parameters and optimizer state into an initialised model and its
     * optimizer.
     *
     * @param saved the checkpoint
     * @param model the model
     * @param optimizers its optimizers, before their first update, in the order they were written
     * @throws IOException when they do not fit
     */
    public static void restore(Saved saved, Model model, List<SavesState> optimizers) throws IOException {
        Map<String, NDArray> weights = new HashMap<>();
        Map<String, String> ids = new HashMap<>();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            float[] values = saved.parameters().get(p.getKey());
            NDArray array = p.getValue().getArray();
            if (values == null || values.length != array.size()) {
                throw new IOException(saved.dir() + ": the checkpoint does not fit this model: parameter "
                        + p.getKey() + " has " + array.size() + " values here and "
                        + (values == null ? "none" : values.length) + " there");
            }
            dev.embtrain.models.LargeArrays.set(array, values);
            weights.put(p.getKey(), array);
            ids.put(p.getKey(), p.getValue().getId());
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(
                saved.optimizerState()), 1 << 16))) {
            for (SavesState optimizer : optimizers) {
                optimizer.readState(in, weights, ids);
            }
        }
    }

    private static DataOutputStream stream(Path file) throws IOException {
        return new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
    }
}
