package dev.embtrain.training.kinds;

import dev.embtrain.training.run.Checkpoints;
import dev.embtrain.training.run.RunFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.training.cli.CliRun;
import dev.embtrain.training.export.Npy;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs that survive: a JVM killed during epoch 3 (kill -9), or stopped by SIGTERM or SIGINT,
 * continues with {@code --resume} from its last checkpoint and ends exactly where an
 * uninterrupted run ends: the same metrics.csv (timings aside) and the same parameters.
 */
class ResumeTest {

    private static final String RATINGS = """
            name: r
            seed: 3
            dataset: {type: synthetic-movielens, path: DATA, users: 200, items: 150, ratings: 20000}
            model: {type: dot-product-bias, factors: 8}
            training: {epochs: 4, batch_size: 16, optimizer: {type: adamw, learning_rate: 1.0e-2}, progress: false}
            export: {embeddings: [npy], plots: false}
            """;

    private static final String SESSIONS = """
            name: s
            seed: 3
            dataset: {type: synthetic-sessions, items: 300, clusters: 20, sessions: 3000, min_length: 5, max_length: 15,
              evaluation: {validation: 200, test: 200, seed: 1}}
            model: {type: embedding-bag, vector_size: 16, window: 3, negative: 4}
            training: {epochs: 4, batch_size: 64, optimizer: {type: adam, learning_rate: 1.0e-2, weight_decay: 0.0},
              schedule: {type: linear, final_div_factor: 10}, progress: false}
            export: {embeddings: [npy], plots: false}
            """;

    /** Starts {@code embtrain train} in a child JVM, as a user's shell would. */
    static Process child(Path config, Path run, Path log, String... jvmOptions) throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", classPath, "-Dai.djl.offline=true",
                "-DDJL_CACHE_DIR=" + System.getProperty("DJL_CACHE_DIR", ""), "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1", "--add-modules", "jdk.incubator.vector"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("dev.embtrain.training.cli.Main", "train", config.toString(), "--run-dir",
                run.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Whether this JVM ignores SIGINT (bit 2 of SigIgn in /proc/self/status), so its children do too. */
    private static boolean sigintIgnored() throws java.io.IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & 0b10) != 0;
            }
        }
        return false;
    }

    /** Waits until the child's checkpoint holds {@code epochs} epochs. */
    private static void awaitCheckpoint(Process p, Path run, int epochs, Path log) throws Exception {
        Path staging = run.resolveSibling(run.getFileName() + ".partial");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertTrue(p.isAlive(), () -> "the child ended early: " + read(log));
            try {
                Checkpoints.Saved saved = Checkpoints.read(staging);
                if (saved != null && saved.history().size() >= epochs) {
                    assertEquals(epochs, saved.history().size(), "the child ran past the epoch to stop in");
                    return;
                }
            } catch (java.io.IOException | RuntimeException e) {
                // a checkpoint being moved into place; look again
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no checkpoint of epoch " + epochs + ": " + read(log));
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    /** metrics.csv without its timing columns (seconds, samples_per_second). */
    private static List<String> metrics(Path run) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve(RunFiles.METRICS))) {
            List<String> f = new ArrayList<>(Arrays.asList(line.split(",")));
            int n = f.size();
            f.remove(n - 2);
            f.remove(n - 3);
            out.add(String.join(",", f));
        }
        return out;
    }

    private static void assertSameRun(Path expected, Path actual, String table) throws Exception {
        assertEquals(metrics(expected), metrics(actual));
        float[][] a = Npy.readFloat32Matrix(expected.resolve("embeddings").resolve(table + ".npy"));
        float[][] b = Npy.readFloat32Matrix(actual.resolve("embeddings").resolve(table + ".npy"));
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], 1e-6f, table + " row " + i);
        }
        assertTrue(Files.isDirectory(actual.resolve(Checkpoints.DIR)), "a finished run keeps its checkpoint");
        assertFalse(Files.exists(actual.resolveSibling(actual.getFileName() + ".partial")));
    }

    private static void killedDuringEpochThreeResumesToTheSameRun(Path tmp, String yaml, String table,
            String... childOptions) throws Exception {
        Path config = Files.writeString(tmp.resolve("c.yaml"), yaml.replace("DATA", tmp.resolve("data").toString()));
        Path straight = tmp.resolve("straight");
        CliRun.Result r = CliRun.run("train", config.toString(), "--run-dir", straight.toString());
        assertEquals(0, r.status(), r.err());

        Path run = tmp.resolve("killed");
        Path log = tmp.resolve("child.log");
        Process p = child(config, run, log, childOptions);
        awaitCheckpoint(p, run, 2, log);
        p.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
        assertFalse(Files.exists(run));
        assertTrue(Files.isDirectory(tmp.resolve("killed.partial")));
        // A plain train refuses what the killed run left, naming it.
        CliRun.Result plain = CliRun.run("train", config.toString(), "--run-dir", run.toString());
        assertEquals(2, plain.status());
        assertEquals("embtrain: " + tmp.resolve("killed.partial") + ": left over from a run that stopped before it"
                + " finished (no process holds it); delete it, or pass --overwrite to replace it\n", plain.err());

        CliRun.Result resumed = CliRun.run("train", config.toString(), "--run-dir", run.toString(), "--resume");
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().contains("resume   from the checkpoint of epoch 2 of 4"), resumed.out());
        assertSameRun(straight, run, table);
    }

    @Test
    void aRatingsRunKilledDuringEpochThreeResumesToTheSameRun(@TempDir Path tmp) throws Exception {
        killedDuringEpochThreeResumesToTheSameRun(tmp, RATINGS, "item");
    }

    @Test
    void anItem2VecRunKilledDuringEpochThreeResumesToTheSameRun(@TempDir Path tmp) throws Exception {
        killedDuringEpochThreeResumesToTheSameRun(tmp, SESSIONS, "item");
    }

    /** Implicit feedback's draws replay: the resumed epochs draw what the uninterrupted run drew. */
    @Test
    void anImplicitFeedbackRunKilledDuringEpochThreeResumesToTheSameRun(@TempDir Path tmp) throws Exception {
        killedDuringEpochThreeResumesToTheSameRun(tmp, RATINGS.replace("ratings: 20000}",
                "ratings: 20000, exposure: 2, label: {type: implicit, negatives: 2}}"), "item");
    }

    /** Row-sparse AdamW's moments and step, which its catch-up of skipped steps starts from, are restored exactly. */
    @Test
    void aRowSparseRatingsRunKilledDuringEpochThreeResumesToTheSameRun(@TempDir Path tmp) throws Exception {
        killedDuringEpochThreeResumesToTheSameRun(tmp, RATINGS.replace("learning_rate: 1.0e-2}",
                "learning_rate: 1.0e-2, sparse: true}"), "item");
    }

    /**
     * Tables over the size limit, here lowered to 2,000 bytes (the user table, 201 x 8 floats, is
     * 6,432), train through row blocks of 4 rows, are checkpointed, saved and resumed as whole
     * ones are, and end where the same run with the limit at 2 GB ends.
     */
    @Test
    void aRunWithTablesInRowBlocksResumesToTheSameRunAsWholeTables(@TempDir Path tmp) throws Exception {
        String yaml = RATINGS.replace("learning_rate: 1.0e-2}", "learning_rate: 1.0e-2, sparse: true}");
        Path config = Files.writeString(tmp.resolve("c.yaml"), yaml.replace("DATA", tmp.resolve("data").toString()));
        Path whole = tmp.resolve("whole");
        assertEquals(0, CliRun.run("train", config.toString(), "--run-dir", whole.toString()).status());
        dev.embtrain.models.LargeArrays.limits(2_000, 128);
        try {
            Path blocks = Files.createDirectories(tmp.resolve("blocks"));
            killedDuringEpochThreeResumesToTheSameRun(blocks, yaml, "user", "-Dembtrain.large.limit=2000",
                    "-Dembtrain.large.block=128");
            assertSameRun(whole, blocks.resolve("killed"), "user");
            assertSameRun(whole, blocks.resolve("killed"), "item");
        } finally {
            dev.embtrain.models.LargeArrays.limits(dev.embtrain.models.LargeArrays.LIMIT_BYTES,
                    dev.embtrain.models.LargeArrays.BLOCK_BYTES);
        }
    }

    /** Row-wise Adagrad's accumulators are restored exactly. */
    @Test
    void aRowwiseAdagradItem2VecRunKilledDuringEpochThreeResumesToTheSameRun(@TempDir Path tmp) throws Exception {
        killedDuringEpochThreeResumesToTheSameRun(tmp, SESSIONS.replace("{type: adam, learning_rate: 1.0e-2",
                "{type: rowwise-adagrad, learning_rate: 1.0e-1"), "item");
    }

    @Test
    void sigtermAndSigintStopBetweenStepsKeepTheCheckpointAndResume(@TempDir Path tmp) throws Exception {
        Path config = Files.writeString(tmp.resolve("c.yaml"), RATINGS.replace("DATA", tmp.resolve("data").toString()));
        // A child inherits an ignored SIGINT (what a non-interactive shell gives a background job,
        // e.g. `mvn test &`), and its JVM then never sees one: test SIGINT only where it can arrive.
        for (String signal : sigintIgnored() ? List.of("TERM") : List.of("TERM", "INT")) {
            Path run = tmp.resolve("run-" + signal);
            Path log = tmp.resolve(signal + ".log");
            Process p = child(config, run, log);
            awaitCheckpoint(p, run, 1, log);
            if (signal.equals("TERM")) {
                p.destroy();
            } else {
                assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor());
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child did not stop");
            assertEquals(130, p.exitValue(), read(log));
            Path staging = tmp.resolve("run-" + signal + ".partial");
            String said = read(log).lines().filter(l -> l.startsWith("embtrain: ")).findFirst().orElse(read(log));
            assertEquals("embtrain: interrupted during epoch 2; " + staging + " keeps the checkpoint of epoch 1:"
                    + " continue with embtrain train CONFIG --resume", said);
            assertTrue(Files.isDirectory(staging.resolve(Checkpoints.DIR)));
            CliRun.Result resumed = CliRun.run("train", config.toString(), "--run-dir", run.toString(), "--resume");
            assertEquals(0, resumed.status(), resumed.err());
            assertEquals(5, Files.readAllLines(run.resolve(RunFiles.METRICS)).size());
        }
    }

    @Test
    void resumeRefusesAConfigThatChangedAndANothingToResume(@TempDir Path tmp) throws Exception {
        Path config = Files.writeString(tmp.resolve("c.yaml"), RATINGS.replace("DATA", tmp.resolve("data").toString()));
        Path run = tmp.resolve("run");
        CliRun.Result none = CliRun.run("train", config.toString(), "--run-dir", run.toString(), "--resume");
        assertEquals(2, none.status());
        assertEquals("embtrain: " + tmp.resolve("run.partial") + ": nothing to resume: no run was interrupted there\n",
                none.err());
        Path log = tmp.resolve("child.log");
        Process p = child(config, run, log);
        awaitCheckpoint(p, run, 1, log);
        p.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
        CliRun.Result changed = CliRun.run("train", config.toString(), "--run-dir", run.toString(), "--resume",
                "--set", "training.optimizer.learning_rate=0.02");
        assertEquals(2, changed.status());
        assertEquals("embtrain: --resume: training.optimizer.learning_rate was 0.01 in the interrupted run and is 0.02"
                + " now; only training.epochs (and a search's trials) may change when a run is resumed\n", changed.err());
        CliRun.Result longer = CliRun.run("train", config.toString(), "--run-dir", run.toString(), "--resume",
                "--set", "training.epochs=5");
        assertEquals(0, longer.status(), longer.err());
        assertEquals(6, Files.readAllLines(run.resolve(RunFiles.METRICS)).size());
    }

    @Test
    void aFinishedRunIsExtendedWithMoreEpochs(@TempDir Path tmp) throws Exception {
        Path config = Files.writeString(tmp.resolve("c.yaml"), RATINGS.replace("DATA", tmp.resolve("data").toString())
                .replace("epochs: 4", "epochs: 2"));
        Path run = tmp.resolve("run");
        assertEquals(0, CliRun.run("train", config.toString(), "--run-dir", run.toString()).status());
        List<String> two = Files.readAllLines(run.resolve(RunFiles.METRICS));
        CliRun.Result same = CliRun.run("train", config.toString(), "--run-dir", run.toString(), "--resume");
        assertEquals(2, same.status());
        assertEquals("embtrain: --resume: the checkpoint already holds 2 epochs, and training.epochs is 2\n",
                same.err());
        assertFalse(Files.exists(tmp.resolve("run.partial")));
        CliRun.Result longer = CliRun.run("train", config.toString(), "--run-dir", run.toString(), "--resume",
                "--set", "training.epochs=3");
        assertEquals(0, longer.status(), longer.err());
        List<String> three = Files.readAllLines(run.resolve(RunFiles.METRICS));
        assertEquals(4, three.size());
        assertEquals(two, three.subList(0, 3), "the finished epochs stay as they were");
        assertFalse(Files.exists(tmp.resolve("run.partial")));
    }
}
