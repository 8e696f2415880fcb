package dev.embtrain.training.kinds;

import dev.embtrain.models.Head;
import dev.embtrain.models.WideAndDeep;
import java.util.List;
import dev.embtrain.training.config.LabelledDataset;
import dev.embtrain.training.run.RunFiles;
import ai.djl.Device;
import ai.djl.Model;
import dev.embtrain.datasets.labelled.EmbeddingsFile;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.RunConfig;
import dev.embtrain.training.config.WideAndDeepConfig;
import dev.embtrain.training.export.AtomicFiles;
import dev.embtrain.training.labelled.LabelledModel;
import dev.embtrain.models.shared.Preprocessing;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code embtrain score}: writes {@code rid,score} (the probability of label 1) for every id of
 * an embeddings file with a labelled-embeddings run's model, streaming the file in chunks of
 * {@code batch} rows through the run's preprocessing and the model, so memory is bounded by
 * one chunk (plus the set of ids seen, which refuses a repeated rid). The output appears only
 * once complete (temporary file, then rename).
 */
public final class LabelledScorer {
    private LabelledScorer() {}

    /**
     * What was scored.
     *
     * @param rows ids scored
     * @param seconds wall time
     */
    public record Result(long rows, double seconds) {}

    /**
     * Returns whether a directory is a labelled-embeddings run.
     *
     * @param run the directory
     * @return whether it has a preprocessing file and a model
     */
    public static boolean isRun(Path run) {
        return Files.isRegularFile(run.resolve(Preprocessing.FILE)) && Files.isRegularFile(run.resolve(RunFiles.CONFIG));
    }

    /**
     * Returns the classifier's block for a model section: wide-and-deep over the preprocessed
     * vector alone, with a binary head; for training, scoring and serving alike.
     *
     * @param config the model section (binary objective)
     * @param width G, the preprocessed width
     * @return the spec
     */
    public static WideAndDeep.Spec spec(WideAndDeepConfig config, int width) {
        return new WideAndDeep.Spec(List.of(), width, true, config.layers(), (float) config.dropout(),
                config.batchNorm(), Head.BINARY, 0f, 1f, (float) config.initStd());
    }

    /**
     * Scores a file.
     *
     * @param run the run directory
     * @param embeddings the vectors (.csv, .parquet, or .npy with {@code ids})
     * @param ids the ids file of a .npy file, else null
     * @param out where to write {@code rid,score}
     * @param batch rows per chunk
     * @return the count and time
     * @throws IOException when reading or writing fails
     */
    public static Result score(Path run, Path embeddings, Path ids, Path out, int batch) throws IOException {
        long start = System.nanoTime();
        long[] rows = {0};
        try (Opened scorer = open(run)) {
            EmbeddingsFile file = new EmbeddingsFile(embeddings, scorer.column(), ids);
            AtomicFiles.write(out, stream -> {
                OutputStream o = stream;
                o.write("rid,score\n".getBytes(StandardCharsets.UTF_8));
                StringBuilder sb = new StringBuilder(batch * 24);
                file.stream(batch, scorer.rawWidth(), true, chunk -> {
                    int n = chunk.size();
                    float[] p = scorer.probabilities(chunk.vectors(), n);
                    sb.setLength(0);
                    for (int i = 0; i < n; i++) {
                        sb.append(csvField(chunk.ids()[i])).append(',').append(p[i]).append('\n');
                    }
                    o.write(sb.toString().getBytes(StandardCharsets.UTF_8));
                    rows[0] += n;
                });
            });
        }
        return new Result(rows[0], (System.nanoTime() - start) / 1e9);
    }

    /**
     * Opens a run's classifier and preprocessing for scoring.
     *
     * @param run the run directory
     * @return the scorer; close it
     * @throws IOException when the run cannot be read
     */
    public static Opened open(Path run) throws IOException {
        if (!isRun(run)) {
            throw new NoSuchFileException(run.toString(), null, "not a labelled-embeddings run directory (no "
                    + Preprocessing.FILE + " and " + RunFiles.CONFIG + ")");
        }
        // After a search the kept model is the best trial's, whose model section may differ from
        // the run's: best.yaml holds it.
        Path best = run.resolve(RunFiles.BEST);
        RunConfig config = ConfigLoader.load(Files.isRegularFile(best) ? best : run.resolve(RunFiles.CONFIG),
                java.util.List.of()).config();
        String column = ((LabelledDataset) config.dataset()).column();
        Preprocessing pre = Preprocessing.load(run.resolve(Preprocessing.FILE));
        Model model = LabelledModel.load(spec((WideAndDeepConfig) config.model(), pre.width()),
                run.resolve(RunFiles.MODEL_DIR), Device.cpu());
        return new Opened(model, pre, column);
    }

    /** A run's classifier, open: the probability of label 1 for raw vectors. */
    public static final class Opened implements AutoCloseable {
        private final Model model;
        private final Preprocessing pre;
        private final String column;
        private float[] x = new float[0];

        private Opened(Model model, Preprocessing pre, String column) {
            this.model = model;
            this.pre = pre;
            this.column = column;
        }

        /**
         * Returns the vector column the run was trained on.
         *
         * @return the column's name
         */
        public String column() {
            return column;
        }

        /**
         * Returns the width of a raw vector.
         *
         * @return the width before preprocessing
         */
        public int rawWidth() {
            return pre.rawWidth();
        }

        /**
         * Scores raw vectors through the preprocessing and the classifier.
         *
         * @param vectors the vectors, at least {@code n}
         * @param n how many to score
         * @return the probability of label 1 of each
         */
        public float[] probabilities(float[][] vectors, int n) {
            int width = pre.width();
            if (x.length < n * width) {
                x = new float[n * width];
            }
            for (int i = 0; i < n; i++) {
                pre.apply(vectors[i], x, i * width);
            }
            float[] in = x.length == n * width ? x : java.util.Arrays.copyOf(x, n * width);
            float[] logits = LabelledModel.logits(model, in, n, width);
            float[] p = new float[n];
            for (int i = 0; i < n; i++) {
                p[i] = LabelledModel.probability(logits[i]);
            }
            return p;
        }

        @Override
        public void close() {
            model.close();
        }
    }

    /** Quotes a rid as RFC 4180 does where it holds a comma, a quote or a line break. */
    public static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
