package dev.embtrain.training.train;

import static dev.embtrain.training.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.training.cli.CliRun.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code embtrain lr-find}: the ramp, and a suggestion inside the range swept, on the quickstart's data. */
class LearningRateFinderTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theRampRisesGeometricallyFromStartToEnd() {
        var ramp = LearningRateFinder.ramp(1e-4, 1.0, 5);
        assertEquals(1e-4, ramp.getNewValue(1), 1e-9);
        assertEquals(1e-3, ramp.getNewValue(2), 1e-8);
        assertEquals(1e-2, ramp.getNewValue(3), 1e-7);
        assertEquals(1.0, ramp.getNewValue(5), 1e-6);
        assertEquals(1.0, ramp.getNewValue(9), 1e-6);
    }

    @Test
    void onTheQuickstartDataItSuggestsARateInsideTheRangeAndDrawsIt(@TempDir Path tmp) throws Exception {
        Path plot = tmp.resolve("lr.png");
        Result r = run("lr-find", ROOT.resolve("configs/quickstart.yaml").toString(), "--set",
                "dataset.path=" + tmp.resolve("data"), "--start", "1e-5", "--end", "10", "--steps", "60",
                "--plot", plot.toString());
        assertEquals(0, r.status(), r.err());
        Matcher m = Pattern.compile("suggested learning rate ([0-9.e+-]+): a tenth of the rate at the lowest loss"
                + " \\(([0-9.e+-]+)\\), fastai's lr_min; the loss falls fastest at ([0-9.e+-]+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        for (int g = 1; g <= 3; g++) {
            double rate = Double.parseDouble(m.group(g));
            assertTrue(rate >= 1e-5 && rate <= 10, m.group());
        }
        double suggested = Double.parseDouble(m.group(1));
        assertEquals(Math.max(1e-5, Double.parseDouble(m.group(2)) / 10), suggested, 1e-2 * suggested);
        assertTrue(Files.size(plot) > 1000);
        // Nothing of the run is kept.
        assertFalse(Files.exists(ROOT.resolve("runs/quickstart.partial")));
        Result bad = run("lr-find", ROOT.resolve("configs/quickstart.yaml").toString(), "--start", "1", "--end",
                "0.1");
        assertEquals("embtrain: lr-find: --end must be above --start, found 1.0 and 0.1\n", bad.err());
    }
}
