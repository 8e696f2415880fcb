package dev.embtrain.training.cli;

import static dev.embtrain.training.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.training.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code embtrain config}: the resolved config loads back to the same config; a bad key is exit 2 naming it. */
class ConfigCommandTest {

    private static final Path QUICKSTART = Path.of("..", "configs", "quickstart.yaml");

    @Test
    void printsTheResolvedConfigWhichLoadsBackToTheSameAndItsKindWithoutData(@TempDir Path dir) throws Exception {
        CliRun.Result r = run("config", QUICKSTART.toString(), "--no-data", "--set", "training.epochs=3");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().endsWith("# kind: ratings; monitored: valid_mse (lower is better)\n"), r.out());
        Path printed = Files.writeString(dir.resolve("printed.yaml"), r.out());
        assertEquals(ConfigLoader.load(QUICKSTART, List.of("training.epochs=3")).config(),
                ConfigLoader.load(printed, List.of()).config());
        assertTrue(!Files.exists(Path.of("runs", "quickstart-config-test")));
    }

    /** Training the printed config gives the run the original gives: the same metrics, epoch by epoch. */
    @Test
    void thePrintedConfigTrainsTheSameRun(@TempDir Path dir) throws Exception {
        String[] sets = {"--set", "dataset.path=" + dir.resolve("data"), "--set", "dataset.ratings=3000", "--set",
            "training.epochs=2", "--set", "training.progress=false"};
        CliRun.Result printed = run(concat(new String[] {"config", QUICKSTART.toString(), "--no-data"}, sets));
        assertEquals(0, printed.status(), printed.err());
        Path file = Files.writeString(dir.resolve("printed.yaml"), printed.out());
        CliRun.Result a = run(concat(new String[] {"train", QUICKSTART.toString(), "--run-dir",
            dir.resolve("a").toString()}, sets));
        assertEquals(0, a.status(), a.err());
        CliRun.Result b = run("train", file.toString(), "--run-dir", dir.resolve("b").toString());
        assertEquals(0, b.status(), b.err());
        assertEquals(metrics(dir.resolve("a")), metrics(dir.resolve("b")));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** metrics.csv without its timing columns (seconds, samples per second). */
    private static List<String> metrics(Path run) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        for (String line : lines) {
            String[] f = line.split(",");
            StringBuilder kept = new StringBuilder();
            for (int i = 0; i < f.length; i++) {
                if (!header.get(i).equals("seconds") && !header.get(i).equals("samples_per_second")) {
                    kept.append(f[i]).append(',');
                }
            }
            out.add(kept.toString());
        }
        assertEquals(3, out.size());
        return out;
    }

    @Test
    void aKeyTheRunWouldNotReadIsExitTwoNamingIt() {
        CliRun.Result r = run("config", QUICKSTART.toString(), "--no-data", "--set", "training.optimizer.type=sgd",
                "--set", "training.schedule.pct_start=0.3", "--set", "training.schedule.type=constant");
        assertEquals(2, r.status());
        assertEquals("embtrain: training.schedule.pct_start: schedule constant does not use it; remove it, or pick"
                + " schedule.type: one-cycle (--set training.schedule.pct_start=0.3)\n", r.err());
    }
}
