package dev.embtrain.training.kinds;

import dev.embtrain.datasets.io.TableFile;
import dev.embtrain.datasets.synthetic.SyntheticMovieLens;
import dev.embtrain.datasets.synthetic.SyntheticSessions;
import dev.embtrain.datasets.tables.ExampleTables;
import dev.embtrain.training.train.Training;
import dev.embtrain.training.run.Provenance;
import dev.embtrain.training.run.RunFiles;
import dev.embtrain.training.run.SavedRun;
import dev.embtrain.training.serving.ServingExport;
import static dev.embtrain.training.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import dev.embtrain.training.Embtrain;
import dev.embtrain.training.cli.CliRun.Result;
import dev.embtrain.training.engine.Listener;
import dev.embtrain.training.engine.Step;
import dev.embtrain.training.export.Neighbors;
import dev.embtrain.training.modeltypes.ModelType;
import dev.embtrain.training.modeltypes.ModelTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The capability matrix: every model family, on small generated data, through the same
 * commands, so that a capability written once in the engine holds for all seven. The README's
 * matrix states what this test checks.
 */
class CapabilityMatrixTest {

    @TempDir
    static Path tmp;

    private static final String TRAINING = """
            training:
              epochs: 3
              batch_size: %d
              optimizer: {type: adamw, learning_rate: %s, weight_decay: 0.0}
              schedule: {type: constant}
              progress: false
            export: {embeddings: [npy], plots: false}
            """;

    /** The config of a family, its data under {@link #tmp}. */
    private static String config(String family) throws Exception {
        Path data = tmp.resolve("data-" + family.replace(FILE, "").replace(SESSIONS_FILE, "-sessions-file"));
        String ratings = """
                dataset:
                  type: synthetic-movielens
                  path: %s
                  users: 60
                  items: 40
                  ratings: 1500
                  factors: 2
                  noise: 0.5
                """.formatted(data);
        boolean file = family.endsWith(FILE);
        if (file) {
            // The same ratings as a user's own CSV, its columns in another order and named otherwise.
            Path csv = tmp.resolve("ratings-" + family.replace(FILE, "") + ".csv");
            SyntheticMovieLens.write(new SyntheticMovieLens.Spec(60, 40, 1500, 2, 0.5, 42), data);
            StringBuilder sb = new StringBuilder("ts,stars,product,customer\n");
            for (String line : Files.readAllLines(data.resolve("u.data"))) {
                String[] f = line.split("\t");
                sb.append(f[3]).append(',').append(f[2]).append(',').append(f[1]).append(',').append(f[0]).append('\n');
            }
            Files.writeString(csv, sb);
            ratings = """
                    dataset:
                      type: ratings
                      path: %s
                      columns: {user: customer, item: product, rating: stars, timestamp: ts}
                    """.formatted(csv);
            family = family.replace(FILE, "");
        }
        String sessions = """
                dataset:
                  type: synthetic-sessions
                  items: 60
                  clusters: 6
                  sessions: 300
                  min_length: 4
                  max_length: 8
                  stay: 0.9
                  evaluation: {validation: 60, test: 60, seed: 1}
                """;
        if (family.endsWith(SESSIONS_FILE)) {
            // The same sessions as a user's own clickstream CSV with an items table.
            ExampleTables.WrittenSessions w = ExampleTables.writeSessions(new SyntheticSessions.Spec(60, 6, 300, 4, 8,
                    0.9, 42), data, TableFile.Format.CSV, false);
            sessions = """
                    dataset:
                      type: sessions
                      path: %s
                      columns: {session: session_id, item: item_id, order: ts}
                      labels: {path: %s, key: item_id}
                      evaluation: {validation: 60, test: 60, seed: 1}
                    """.formatted(w.sessions(), w.items());
            family = family.replace(SESSIONS_FILE, "");
        }
        return "name: " + family + "\nseed: 5\n" + switch (family) {
            case "dot-product-bias" -> ratings + "model: {type: dot-product-bias, factors: 4}\n"
                    + TRAINING.formatted(64, "1.0e-2");
            case "deep-collaborative" -> ratings + "model: {type: deep-collaborative, layers: [8]}\n"
                    + TRAINING.formatted(64, "1.0e-2");
            case "factorization-machine" -> ratings + "model: {type: factorization-machine, factors: 4}\n"
                    + TRAINING.formatted(64, "1.0e-2");
            case "wide-and-deep" -> ratings + "  label: {type: binary, threshold: 4}\n"
                    + "model: {type: wide-and-deep, objective: binary, layers: [8]}\n" + TRAINING.formatted(64, "1.0e-2");
            case "embedding-bag" -> sessions + "model: {type: embedding-bag, vector_size: 8, window: 2, negative: 3}\n"
                    + TRAINING.formatted(128, "2.0e-2");
            case "feat2vec" -> file ? ratings + "model: {type: factorization-machine, objective: implicit, factors: 4,"
                    + " negatives: 3}\n" + TRAINING.formatted(100, "1.0e-2") : """
                    dataset:
                      type: synthetic-feat2vec
                      rows: 1000
                      split: {validation: 0.1}
                    model: {type: factorization-machine, objective: implicit, factors: 4, negatives: 3}
                    """ + TRAINING.formatted(100, "1.0e-2");
            case "labelled" -> """
                    dataset:
                      type: synthetic-labelled-embeddings
                      path: %s
                      ids: 600
                      width: 8
                    model: {type: wide-and-deep, layers: []}
                    """.formatted(data) + TRAINING.formatted(32, "1.0e-2");
            // A model type added to the registry trains here with its defaults.
            default -> ratings + "model: {type: " + family + "}\n" + TRAINING.formatted(64, "1.0e-2");
        };
    }

    private static Result train(Path config, Path runDir, String... sets) {
        String[] args = new String[4 + 2 * sets.length];
        args[0] = "train";
        args[1] = config.toString();
        args[2] = "--run-dir";
        args[3] = runDir.toString();
        for (int i = 0; i < sets.length; i++) {
            args[4 + 2 * i] = "--set";
            args[5 + 2 * i] = sets[i];
        }
        return run(args);
    }

    private static List<Double> trainLosses(Path runDir) throws Exception {
        return Files.readAllLines(runDir.resolve(RunFiles.METRICS)).stream().skip(1)
                .map(l -> Double.parseDouble(l.split(",")[1])).toList();
    }

    /** A family trained on {@code dataset.type: ratings} (a CSV file) rather than generated data. */
    private static final String FILE = "-on-a-ratings-file";

    /** A family trained on {@code dataset.type: sessions} (a clickstream CSV) rather than generated data. */
    private static final String SESSIONS_FILE = "-on-a-sessions-file";

    /**
     * Every model type in the registry, the two kinds that train a model type another way, and
     * every rating model again on a ratings file.
     */
    static Stream<String> families() {
        return Stream.of(ModelTypes.all().stream().map(ModelType::name), Stream.of("feat2vec", "labelled"),
                ModelTypes.all().stream().filter(t -> t.data() == ModelType.Data.RATINGS).map(t -> t.name() + FILE),
                Stream.of("feat2vec" + FILE),
                ModelTypes.all().stream().filter(t -> t.data() == ModelType.Data.SESSIONS)
                        .map(t -> t.name() + SESSIONS_FILE))
                .flatMap(s -> s);
    }

    private static boolean ratings(String family) {
        String name = family.replace(FILE, "");
        return ModelTypes.all().stream().anyMatch(t -> t.name().equals(name) && t.data() == ModelType.Data.RATINGS);
    }

    @ParameterizedTest
    @MethodSource("families")
    void everyCapabilityHoldsForEveryFamily(String family) throws Exception {
        Path config = Files.writeString(tmp.resolve(family + ".yaml"), config(family));
        Path runDir = tmp.resolve("run-" + family);

        // Trains, and records its kind and the monitored metric.
        Result trained = train(config, runDir);
        assertEquals(0, trained.status(), trained.err());
        Map<String, Object> resolved = Provenance.resolved(runDir);
        String kind = resolved.get("kind").toString();
        String monitor = resolved.get("monitor").toString();
        assertEquals(3, trainLosses(runDir).size());

        // device: gpu without a GPU is a config error, before any data is read.
        Result gpu = train(config, tmp.resolve("gpu-" + family), "training.device=gpu");
        assertEquals(2, gpu.status(), gpu.out());
        assertTrue(gpu.err().startsWith("embtrain: training.device: gpu was asked for, but the PyTorch engine sees no"
                + " CUDA GPU"), gpu.err());

        // sgd trains another trajectory, and the run records it.
        Path sgdRun = tmp.resolve("sgd-" + family);
        Result sgd = train(config, sgdRun, "training.optimizer.type=sgd");
        assertEquals(0, sgd.status(), sgd.err());
        assertNotEquals(trainLosses(runDir), trainLosses(sgdRun));
        assertTrue(Files.readString(sgdRun.resolve(RunFiles.CONFIG)).contains("    type: sgd\n"));

        // sgd's trajectory, exactly, through the Java API: every parameter's first two steps are
        // w1 = w0 - lr g1 and w2 = w1 - lr (g2 + momentum g1), with g the gradient clipping
        // left (at most clip_grad_norm, and scaled to it where it was larger).
        assertSgdTrajectoryWithClipping(config, tmp.resolve("sgd-java-" + family));

        // sparse: true trains every embedding table row by row, the steps a row skips caught up
        // when it is next read, to the dense run's losses within 1% (eps stands in over skipped
        // steps: CaughtUpTrainingTest); the labelled classifier has no table and trains exactly as before.
        Path sparseRun = tmp.resolve("sparse-" + family);
        Result sparse = train(config, sparseRun, "training.optimizer.sparse=true");
        assertEquals(0, sparse.status(), sparse.err());
        List<Double> denseLosses = trainLosses(runDir);
        List<Double> sparseLosses = trainLosses(sparseRun);
        if (family.equals("labelled")) {
            assertTrue(!sparse.out().contains("row by row"), sparse.out());
            assertEquals(denseLosses, sparseLosses);
        } else {
            assertTrue(sparse.out().contains("\ntables   row by row with adamw, skipped steps caught up: "), sparse.out());
            for (int e = 0; e < 3; e++) {
                assertEquals(denseLosses.get(e), sparseLosses.get(e), 0.01 * denseLosses.get(e),
                        denseLosses + " " + sparseLosses);
            }
        }

        // patience 1 stops once the metric stalls (min_delta 1000: no change counts as an improvement).
        Path stopRun = tmp.resolve("stop-" + family);
        Result stop = train(config, stopRun, "training.early_stopping.patience=1",
                "training.early_stopping.min_delta=1000");
        assertEquals(0, stop.status(), stop.err());
        assertEquals(2, trainLosses(stopRun).size());
        assertTrue(stop.out().contains("stopped early: no improvement for 1 epochs"), stop.out());

        // A two-trial search writes a row per trial.
        Path searched = Files.writeString(tmp.resolve(family + "-search.yaml"), config(family) + """
                search:
                  trials: 2
                  sampler: {type: random}
                  pruner: {type: none}
                  space:
                    - {key: training.optimizer.learning_rate, type: log-uniform, low: 1.0e-3, high: 3.0e-2}
                """);
        Path searchRun = tmp.resolve("search-" + family);
        Result search = train(searched, searchRun);
        assertEquals(0, search.status(), search.err());
        List<String> trials = Files.readAllLines(searchRun.resolve(RunFiles.TRIALS));
        assertEquals(3, trials.size(), trials.toString());
        assertTrue(Files.isRegularFile(searchRun.resolve(RunFiles.BEST)));

        // evaluate reprints the kept epoch's validation metric.
        Result evaluate = run("evaluate", "--run", runDir.toString());
        assertEquals(0, evaluate.status(), evaluate.err());
        Matcher m = Pattern.compile(monitor + " ([-0-9.]+)").matcher(evaluate.out());
        assertTrue(m.find(), evaluate.out());
        double best = ((Number) resolved.get("best_" + monitor)).doubleValue();
        assertEquals(best, Double.parseDouble(m.group(1)), 1e-4, evaluate.out());

        // neighbors answers for every table, or says which commands the kind has.
        List<Neighbors.Table> tables;
        try (SavedRun saved = SavedRun.open(runDir)) {
            tables = saved.kind().commands().contains(Command.NEIGHBORS) ? saved.tables() : List.of();
        }
        if (kind.equals("labelled")) {
            Result none = run("neighbors", "--run", runDir.toString(), "--query", "x");
            assertEquals(2, none.status());
            assertEquals("embtrain: neighbors: " + runDir + " is a labelled run, which supports train, evaluate,"
                    + " export, score, predict, benchmark\n", none.err());
        } else {
            assertTrue(!tables.isEmpty(), family);
            for (Neighbors.Table t : tables) {
                String label = t.labels().get(1);
                Result n = run("neighbors", "--run", runDir.toString(), "--table", t.name(), "--query", label, "-k", "2");
                if (t.vectors()[0].length < 2) {
                    assertEquals(2, n.status(), t.name());
                    assertTrue(n.err().contains("holds one number per row"), n.err());
                } else {
                    assertEquals(0, n.status(), t.name() + ": " + n.err());
                    // k = 2 neighbours, or every other row of a smaller table (y has two values).
                    long others = t.vectors().length - 1 - t.exclude().size();
                    assertEquals(1 + Math.min(2, others), n.out().lines().count(), n.out());
                    assertTrue(n.out().startsWith("nearest to \"" + label + "\" in table " + t.name()), n.out());
                }
            }
        }

        // export writes a serving directory for every kind.
        Path serving = tmp.resolve("serving-" + family);
        Result export = run("export", "--run", runDir.toString(), "--serving", serving.toString());
        assertEquals(0, export.status(), export.err());
        assertTrue(Files.isRegularFile(serving.resolve("serving.properties")));
        assertTrue(Files.isRegularFile(serving.resolve("libs").resolve(ServingExport.MODELS_JAR)));
        assertEquals(ratings(family) ? "ratings" : family.startsWith("embedding-bag") ? "sessions"
                : family.startsWith("feat2vec") ? "implicit" : "labelled", kind);
        if (ratings(family)) {
            // ... which DJL Serving loads and answers from, with none of the trainer's classes.
            List<String> lines = ServingExportTest.runClient(serving, Files.write(tmp.resolve("requests-" + family),
                    List.of("{\"user\": \"1\", \"item\": \"1\"}")), tmp);
            assertEquals("CLEAN", lines.get(lines.size() - 1), String.join("\n", lines));
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("200\t")), String.join("\n", lines));
        }
    }

    private static final double LR = 1.0;
    private static final double MOMENTUM = 0.9;
    private static final double CLIP = 1.0e-3;

    /** The gradients' global norm as the clipping listener (order 0) found it, and as it left it. */
    private static final class Norms implements Listener {
        final int order;
        final List<Double> norms = new ArrayList<>();

        Norms(int order) {
            this.order = order;
        }

        @Override
        public int order() {
            return order;
        }

        @Override
        public void afterBackward(Step step) {
            if (norms.size() < 2) {
                double sum = 0;
                for (NDArray g : step.gradients()) {
                    sum += g.square().sum().getFloat();
                }
                norms.add(Math.sqrt(sum));
            }
        }
    }

    /** Every trained parameter before steps 1 and 2 and after step 2, and the gradients the updates applied. */
    private static final class Trajectory implements Listener {
        final List<List<float[]>> weights = new ArrayList<>();
        final List<List<float[]>> gradients = new ArrayList<>();

        @Override
        public int order() {
            return 10; // after clipping
        }

        @Override
        public void afterBackward(Step step) {
            if (gradients.size() < 2) {
                weights.add(values(step.parameters(), false));
                gradients.add(values(step.parameters(), true));
            }
        }

        @Override
        public void afterStep(Step step) {
            if (step.number() == 2 && weights.size() == 2) {
                weights.add(values(step.parameters(), false));
                step.stop();
            }
        }

        private static List<float[]> values(List<Parameter> parameters, boolean gradient) {
            List<float[]> out = new ArrayList<>();
            for (Parameter p : parameters) {
                if (gradient) {
                    try (NDArray g = p.getArray().getGradient()) {
                        out.add(g.toFloatArray());
                    }
                } else {
                    out.add(p.getArray().toFloatArray());
                }
            }
            return out;
        }
    }

    private static void assertSgdTrajectoryWithClipping(Path config, Path runDir) throws Exception {
        Norms before = new Norms(-10);
        Norms after = new Norms(10);
        Trajectory t = new Trajectory();
        Embtrain.train(config, List.of("training.optimizer.type=sgd", "training.optimizer.learning_rate=" + LR,
                "training.clip_grad_norm=" + CLIP), runDir, before, after, t);
        assertEquals(3, t.weights.size());
        assertTrue(before.norms.get(0) > CLIP, "clipping must bind on the first step: " + before.norms);
        for (int s = 0; s < 2; s++) {
            // PyTorch's factor: min(1, clip / (norm + 1e-6)).
            double norm = before.norms.get(s);
            double expected = norm * Math.min(1, CLIP / (norm + 1e-6));
            assertEquals(expected, after.norms.get(s), 1e-5 * expected, before.norms + " " + after.norms);
        }
        double moved = 0;
        for (int i = 0; i < t.gradients.get(0).size(); i++) {
            float[] w0 = t.weights.get(0).get(i);
            float[] w1 = t.weights.get(1).get(i);
            float[] w2 = t.weights.get(2).get(i);
            float[] g1 = t.gradients.get(0).get(i);
            float[] g2 = t.gradients.get(1).get(i);
            for (int k = 0; k < w0.length; k++) {
                double step1 = LR * g1[k];
                double step2 = LR * (g2[k] + MOMENTUM * g1[k]);
                assertEquals(w0[k] - step1, w1[k], 1e-7 + 1e-6 * Math.abs(w0[k]), "parameter " + i + "[" + k + "]");
                assertEquals(w1[k] - step2, w2[k], 1e-7 + 1e-6 * Math.abs(w1[k]), "parameter " + i + "[" + k + "]");
                moved = Math.max(moved, Math.abs(w1[k] - w0[k]));
            }
        }
        assertTrue(moved > 1e-5, "the first step moved no parameter by more than " + moved);
    }
}
