package dev.embtrain.training.job;

import dev.embtrain.training.config.ConfigBinder;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.FactorizationMachineConfig;
import dev.embtrain.training.config.RunConfig;
import dev.embtrain.training.config.SyntheticFeat2VecConfig;
import dev.embtrain.training.config.TrainingConfig;
import dev.embtrain.training.engine.ImplicitTraining;
import dev.embtrain.training.export.Neighbors;
import dev.embtrain.training.export.TableExport;
import dev.embtrain.training.run.RunDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code embtrain train} for feat2vec: a {@code synthetic-feat2vec} dataset with a
 * {@code factorization-machine} whose {@code objective} is {@code implicit}. Trains with
 * {@link ImplicitTraining} (the two-step negative sampler), prints what feat2vec's notebook looks
 * at (nearest neighbours over all feature values, cos(y_0, y_1)) and writes a run directory:
 * {@code config.yaml} with a resolved section, {@code metrics.csv}, every table under
 * {@code embeddings/} (Projector TSV + .npy, labelled by value), which {@code embtrain neighbors}
 * searches.
 */
public final class Feat2VecJob {

    /** Lists the exported tables, a line each: name, tab, the excluded row (0, the unknown slot) or nothing. */
    static final String TABLES = RunFiles.VOCAB_DIR + "/tables.tsv";

    /** The metrics file's header. */
    static final String CSV_HEADER = "epoch,train_loss,valid_loss,seconds";

    private final ConfigLoader.Loaded loaded;
    private final Path target;
    private final boolean overwrite;
    private final PrintStream out;

    /**
     * What a finished run reports.
     *
     * @param runDir the run directory
     * @param report the figures the notebook looks at
     */
    public record Outcome(Path runDir, Feat2VecSyntheticJob.Report report) {}

    /**
     * Prepares a job.
     *
     * @param loaded the config
     * @param runDir where the run goes, or null for {@code runs/<name>}
     * @param overwrite whether an existing run may be replaced
     * @param out where progress and neighbours are printed
     */
    public Feat2VecJob(ConfigLoader.Loaded loaded, Path runDir, boolean overwrite, PrintStream out) {
        this.loaded = loaded;
        this.target = runDir != null ? runDir : Path.of("runs", loaded.config().name());
        this.overwrite = overwrite;
        this.out = out;
    }

    /**
     * Returns whether a config is a feat2vec run: its dataset is {@code synthetic-feat2vec}.
     *
     * @param config the config
     * @return true for this job
     */
    public static boolean handles(RunConfig config) {
        return config.dataset() instanceof SyntheticFeat2VecConfig;
    }

    /**
     * Maps the YAML onto the trainer's options, refusing a model that cannot train implicitly.
     *
     * @param loaded the config
     * @return the options
     */
    static ImplicitTraining.Options options(ConfigLoader.Loaded loaded) {
        RunConfig config = loaded.config();
        if (!(config.model() instanceof FactorizationMachineConfig fm)) {
            throw loaded.error("model.type", config.model().type() + " does not train on synthetic-feat2vec rows;"
                    + " use factorization-machine with objective: implicit");
        }
        if (fm.objective() != FactorizationMachineConfig.Objective.IMPLICIT) {
            throw loaded.error("model.objective", fm.objective().name().toLowerCase(Locale.ROOT)
                    + " needs labels, and synthetic-feat2vec rows are positives only; use objective: implicit");
        }
        TrainingConfig t = config.training();
        ImplicitTraining.Loss loss = fm.loss() == FactorizationMachineConfig.ImplicitLoss.NCE
                ? ImplicitTraining.Loss.NCE : ImplicitTraining.Loss.NEGATIVE_SAMPLING;
        return new ImplicitTraining.Options(fm.factors(), fm.negatives(), fm.fieldExponent(), fm.valueExponent(),
                fm.valueBias(), loss, t.epochs(), t.batchSize(), (float) t.optimizer().learningRate(),
                (float) t.optimizer().weightDecay(), (float) fm.initStd(), config.seed());
    }

    /**
     * Runs the job; the run directory appears only when everything succeeded.
     *
     * @return the run directory and the figures
     * @throws IOException when writing the run fails
     */
    public Outcome run() throws IOException {
        RunConfig config = loaded.config();
        ImplicitTraining.Options options = options(loaded);
        RunDirectory.checkWritable(target, overwrite);
        SyntheticFeat2VecConfig dataset = (SyntheticFeat2VecConfig) config.dataset();
        try (RunDirectory run = RunDirectory.begin(target, overwrite)) {
            Path dir = run.dir();
            Map<String, List<Long>> shapes = new LinkedHashMap<>();
            Feat2VecSyntheticJob.Report report = Feat2VecSyntheticJob.run(dataset, options, 5, out, tables -> {
                if (config.export().embeddings().isEmpty()) {
                    return;
                }
                Path embeddings = Files.createDirectories(dir.resolve(RunFiles.EMBEDDINGS_DIR));
                Files.createDirectories(dir.resolve(RunFiles.VOCAB_DIR));
                List<String> index = new ArrayList<>();
                for (Neighbors.Table t : tables) {
                    TableExport.write(embeddings, t.name(), t.vectors(), t.labels(),
                            new LinkedHashSet<>(config.export().embeddings()));
                    Files.write(dir.resolve(RunFiles.labels(t.name())), t.labels(), StandardCharsets.UTF_8);
                    index.add(t.name() + "\t" + (t.exclude().contains(0) ? "0" : ""));
                    shapes.put(t.name(), List.of((long) t.vectors().length, (long) t.vectors()[0].length));
                }
                Files.write(dir.resolve(TABLES), index, StandardCharsets.UTF_8);
            });
            List<String> csv = new ArrayList<>();
            csv.add(CSV_HEADER);
            for (ImplicitTraining.Epoch e : report.history()) {
                csv.add(e.epoch() + "," + e.loss() + "," + (Double.isNaN(e.validLoss()) ? "" : e.validLoss()) + ","
                        + String.format(Locale.ROOT, "%.3f", e.seconds()));
            }
            Files.write(dir.resolve(RunFiles.METRICS), csv, StandardCharsets.UTF_8);
            writeConfig(dir, config, options, shapes, report);
            run.commit();
            return new Outcome(target, report);
        }
    }

    /**
     * Reads a feat2vec run's exported tables back for {@code embtrain neighbors}: the model is
     * not rebuilt, its tables are the {@code .npy} files it wrote.
     *
     * @param dir a run directory
     * @return the tables, or null when the run is not a feat2vec run
     * @throws IOException when the run's files cannot be read
     */
    public static List<Neighbors.Table> savedTables(Path dir) throws IOException {
        Path config = dir.resolve(RunFiles.CONFIG);
        if (!Files.isRegularFile(config) || !handles(ConfigLoader.load(config, List.of()).config())) {
            return null;
        }
        Path index = dir.resolve(TABLES);
        if (!Files.isRegularFile(index)) {
            throw new IllegalArgumentException(dir + " exported no embedding tables (export.embeddings was empty)");
        }
        List<Neighbors.Table> tables = new ArrayList<>();
        for (String line : Files.readAllLines(index, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", -1);
            Path npy = dir.resolve(RunFiles.EMBEDDINGS_DIR).resolve(f[0] + ".npy");
            if (!Files.isRegularFile(npy)) {
                throw new IllegalArgumentException(npy + " is missing: the run must export npy to be searched");
            }
            tables.add(new Neighbors.Table(f[0], dev.embtrain.training.export.Npy.readFloat32Matrix(npy),
                    Files.readAllLines(dir.resolve(RunFiles.labels(f[0])), StandardCharsets.UTF_8),
                    f[1].isEmpty() ? java.util.Set.of() : java.util.Set.of(0)));
        }
        return tables;
    }

    private static void writeConfig(Path dir, RunConfig config, ImplicitTraining.Options options,
            Map<String, List<Long>> shapes, Feat2VecSyntheticJob.Report report) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = (Map<String, Object>) ConfigBinder.toYaml(config);
        Map<String, Object> resolved = new LinkedHashMap<>();
        resolved.put("note", "written by embtrain; ignored when this file is read as a config");
        resolved.put("trainer", "implicit: " + options);
        resolved.put("table_shapes", shapes);
        resolved.put("epochs_run", report.history().size());
        resolved.put("final_train_loss", report.history().get(report.history().size() - 1).loss());
        resolved.put("cosine_y0_y1", report.cosineY0Y1());
        resolved.put("nearest_to_y0", report.nearestToY0());
        resolved.put("same_id_class_precision_at_4", report.sameIdClassPrecision());
        resolved.put("git_commit", System.getProperty("embtrain.git.commit", "unknown"));
        resolved.put("finished", Instant.now().toString());
        tree.put(ConfigLoader.RESOLVED, resolved);
        Files.writeString(dir.resolve(RunFiles.CONFIG), ConfigBinder.dump(tree), StandardCharsets.UTF_8);
    }
}
