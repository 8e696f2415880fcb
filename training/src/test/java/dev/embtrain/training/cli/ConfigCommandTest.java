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

    @Test
    void aKeyTheRunWouldNotReadIsExitTwoNamingIt() {
        CliRun.Result r = run("config", QUICKSTART.toString(), "--no-data", "--set", "training.optimizer.type=sgd",
                "--set", "training.schedule.pct_start=0.3", "--set", "training.schedule.type=constant");
        assertEquals(2, r.status());
        assertEquals("embtrain: training.schedule.pct_start: schedule constant does not use it; remove it, or pick"
                + " schedule.type: one-cycle (--set training.schedule.pct_start=0.3)\n", r.err());
    }
}
