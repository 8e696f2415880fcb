package dev.embtrain.training.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyTest {

    private static SearchSpace space() {
        return new SearchSpace()
                .add("training.optimizer.learning_rate", new Distribution.LogUniform(1e-5, 1e-1))
                .add("model.dropout", new Distribution.Uniform(0.0, 0.8))
                .add("model.layers", new Distribution.Choice(List.of("[]", "[64]", "[128, 64]")))
                .add("training.epochs", new Distribution.IntUniform(2, 5));
    }

    /**
     * A deterministic stand-in for training: an AUC-like curve that rises with the epochs and
     * peaks at learning rate 1e-3, dropout 0.2, layers [64].
     */
    private static double objective(Trial t) {
        double lr = Math.log10(t.numeric("training.optimizer.learning_rate"));
        double dropout = t.numeric("model.dropout");
        double bonus = t.params().get("model.layers").equals("[64]") ? 0.05 : 0.0;
        int epochs = (Integer) t.params().get("training.epochs");
        double quality = 0.9 - 0.03 * (lr + 3) * (lr + 3) - 0.2 * (dropout - 0.2) * (dropout - 0.2) + bonus;
        double value = 0;
        for (int e = 1; e <= epochs; e++) {
            value = quality * (1 - Math.pow(0.5, e));
            t.report(e, value);
        }
        return value;
    }

    private static List<String> fingerprint(Study study) {
        List<String> out = new ArrayList<>();
        for (FrozenTrial t : study.trials()) {
            out.add(t.number() + " " + t.state() + " " + t.value() + " " + t.params() + " " + t.reports());
        }
        return out;
    }

    @Test
    void aFixedSeedGivesTheSameTrialsTwice() throws Exception {
        for (Sampler sampler : List.of(new RandomSampler(), new TpeSampler(5, 24))) {
            Study a = new Study(space(), sampler, new MedianPruner(3, 1), 7);
            Study b = new Study(space(), sampler, new MedianPruner(3, 1), 7);
            a.optimize(15, StudyTest::objective, null, null);
            b.optimize(15, StudyTest::objective, null, null);
            assertEquals(fingerprint(a), fingerprint(b));
            Study c = new Study(space(), sampler, new MedianPruner(3, 1), 8);
            c.optimize(15, StudyTest::objective, null, null);
            assertNotEquals(fingerprint(a), fingerprint(c));
            assertTrue(a.trials().stream().anyMatch(t -> t.state() == TrialState.PRUNED), "some trials pruned");
        }
    }

    @Test
    void trialsCsvHoldsOneRowPerTrial(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("trials.csv");
        Study study = new Study(space(), new RandomSampler(), new MedianPruner(2, 1), 3);
        List<String> lines = new ArrayList<>();
        FrozenTrial best = study.optimize(6, StudyTest::objective, csv, t -> lines.add(study.progressLine(t)));
        List<String> rows = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertEquals("number,state,value,epochs,seconds,training.optimizer.learning_rate,model.dropout,model.layers,"
                + "training.epochs,reports", rows.get(0));
        assertEquals(7, rows.size());
        for (FrozenTrial t : study.trials()) {
            String row = rows.get(t.number() + 1);
            String[] f = row.split(",", 6);
            assertEquals(String.valueOf(t.number()), f[0]);
            assertEquals(t.state().name(), f[1]);
            assertEquals(String.valueOf(t.value()), f[2]);
            assertEquals(String.valueOf(t.epochs()), f[3]);
            Object layers = t.params().get("model.layers");
            String quotedLayers = layers.toString().contains(",") ? "\"" + layers + "\"" : layers.toString();
            StringBuilder reports = new StringBuilder();
            t.reports().forEach((e, v) -> reports.append(reports.length() == 0 ? "" : ";").append(e).append(':')
                    .append(v));
            assertEquals(t.params().get("training.optimizer.learning_rate") + "," + t.params().get("model.dropout")
                    + "," + quotedLayers + "," + t.params().get("training.epochs") + "," + reports, f[5]);
        }
        // The table reads back to the same trials, and a study resumed from its first three
        // proposes the other three again.
        assertEquals(study.trials(), study.readCsv(csv).stream().map(t -> new FrozenTrial(t.number(), t.state(),
                t.value(), t.params(), t.reports(), study.trials().get(t.number()).seconds())).toList());
        Study resumed = new Study(space(), new RandomSampler(), new MedianPruner(2, 1), 3);
        resumed.resume(study.readCsv(csv).subList(0, 3));
        resumed.optimize(3, StudyTest::objective, null, null);
        for (int i = 3; i < 6; i++) {
            assertEquals(study.trials().get(i).params(), resumed.trials().get(i).params());
            assertEquals(study.trials().get(i).state(), resumed.trials().get(i).state());
            assertEquals(study.trials().get(i).value(), resumed.trials().get(i).value());
        }
        assertEquals(6, lines.size());
        assertTrue(lines.get(0).startsWith("trial 0 COMPLETE value "), lines.get(0));
        // Each line names the best complete trial up to it.
        for (int i = 0; i < lines.size(); i++) {
            FrozenTrial top = null;
            for (FrozenTrial t : study.trials().subList(0, i + 1)) {
                if (t.state() == TrialState.COMPLETE && (top == null || t.value() > top.value())) {
                    top = t;
                }
            }
            String expected = top == null ? "; no complete trial yet " : String.format(java.util.Locale.ROOT,
                    "; best so far %.4f (trial %d) ", study.metric(top), top.number());
            assertTrue(lines.get(i).contains(expected), lines.get(i) + " lacks " + expected);
        }
        double bestValue = study.trials().stream().filter(t -> t.state() == TrialState.COMPLETE)
                .mapToDouble(FrozenTrial::value).max().orElseThrow();
        assertEquals(bestValue, best.value());
    }

    @Test
    void overridesAreKeyEqualsValue() throws Exception {
        Study study = new Study(space(), (s, f, r) -> Map.of("training.optimizer.learning_rate", 0.001,
                "model.dropout", 0.25, "model.layers", "[128, 64]", "training.epochs", 3), Pruner.none(), 1);
        List<List<String>> seen = new ArrayList<>();
        study.optimize(1, t -> {
            seen.add(t.overrides());
            return 0.5;
        }, null, null);
        assertTrue(seen.get(0).containsAll(List.of("training.optimizer.learning_rate=0.001", "model.dropout=0.25",
                "model.layers=[128, 64]", "training.epochs=3")));
    }

    @Test
    void queuedTrialsRunFirstAndLeaveTheRandomStreamAlone() throws Exception {
        Map<String, Object> defaults = Map.of("training.optimizer.learning_rate", 0.001, "model.dropout", 0.2,
                "model.layers", "[64]", "training.epochs", 5);
        Study plain = new Study(space(), new TpeSampler(3, 24), Pruner.none(), 11);
        plain.optimize(4, StudyTest::objective, null, null);
        Study queued = new Study(space(), new TpeSampler(3, 24), Pruner.none(), 11);
        queued.enqueue(defaults);
        queued.optimize(5, StudyTest::objective, null, null);
        assertEquals(defaults, queued.trials().get(0).params());
        // With 3 startup trials and the queued one finished, two random draws follow: the same
        // draws as without the queue (a queued trial takes nothing from the random stream).
        for (int i = 0; i < 2; i++) {
            assertEquals(plain.trials().get(i).params(), queued.trials().get(i + 1).params());
        }
        assertTrue(queued.best().value() >= queued.trials().get(0).value());
        assertEquals("queued value model.dropout=0.9 is outside Uniform[low=0.0, high=0.8]",
                assertThrows(IllegalArgumentException.class, () -> queued.enqueue(Map.of(
                        "training.optimizer.learning_rate", 0.001, "model.dropout", 0.9, "model.layers", "[64]",
                        "training.epochs", 5))).getMessage());
        assertEquals("queued trial must set exactly [training.optimizer.learning_rate, model.dropout, model.layers,"
                + " training.epochs], found [model.dropout]", assertThrows(IllegalArgumentException.class,
                        () -> queued.enqueue(Map.of("model.dropout", 0.1))).getMessage());
    }

    @Test
    void bestRefusesWhenNothingCompleted() throws Exception {
        Study study = new Study(space(), new RandomSampler(), (n, r, f) -> true, 1);
        Study.Objective objective = t -> {
            t.report(1, 0.5);
            return 0.5;
        };
        assertEquals("no trial completed out of 2",
                assertThrows(IllegalStateException.class, () -> study.optimize(2, objective, null, null)).getMessage());
        assertEquals(2, study.trials().size());
    }

    /** Minimising (x − 0.7)² + (y − 0.2)², rescaled to a maximisation in (0, 1]. */
    private static double bowl(Trial t) {
        double x = Math.log10(t.numeric("x")) + 4; // in [0, 4]
        double y = t.numeric("y");
        return 1 / (1 + (x - 0.7) * (x - 0.7) + 4 * (y - 0.2) * (y - 0.2));
    }

    /**
     * TPE should find better points than random search with the same budget. Over 10 seeds,
     * 40 trials each, TPE's mean regret (1 − best value) must be below random's, and TPE must
     * win in most seeds; on this smooth 2-D bowl the gap is large, so this is no coin toss.
     */
    @Test
    void tpeBeatsRandomSearchOnABowl() throws Exception {
        SearchSpace s = new SearchSpace().add("x", new Distribution.LogUniform(1e-4, 1))
                .add("y", new Distribution.Uniform(-1, 1));
        double tpeRegret = 0;
        double randomRegret = 0;
        int tpeWins = 0;
        for (long seed = 0; seed < 10; seed++) {
            double tpe = new Study(s, new TpeSampler(10, 24), Pruner.none(), seed)
                    .optimize(40, StudyTest::bowl, null, null).value();
            double rnd = new Study(s, new RandomSampler(), Pruner.none(), seed)
                    .optimize(40, StudyTest::bowl, null, null).value();
            tpeRegret += 1 - tpe;
            randomRegret += 1 - rnd;
            tpeWins += tpe > rnd ? 1 : 0;
        }
        System.out.printf("mean regret over 10 seeds: TPE %.5f, random %.5f; TPE better in %d%n", tpeRegret / 10,
                randomRegret / 10, tpeWins);
        assertTrue(tpeRegret < 0.5 * randomRegret, "TPE regret " + tpeRegret + " vs random " + randomRegret);
        assertTrue(tpeWins >= 7, "TPE better in " + tpeWins + " of 10 seeds");
    }

    @Test
    void tpeHandlesChoices() throws Exception {
        // Only the choice matters: "b" scores 1, the others 0. After 10 random trials TPE should
        // pick "b" far more often than a third of the time.
        SearchSpace s = new SearchSpace().add("c", new Distribution.Choice(List.of("a", "b", "c")));
        Study study = new Study(s, new TpeSampler(10, 24), Pruner.none(), 5);
        study.optimize(40, t -> t.params().get("c").equals("b") ? 1 : 0, null, null);
        long picks = study.trials().subList(10, 40).stream().filter(t -> t.params().get("c").equals("b")).count();
        assertTrue(picks >= 20, "TPE chose b in " + picks + " of 30 trials");
    }

    @Test
    void tpeHelpersMatchOptuna() {
        assertEquals(List.of(1, 1, 2, 3, 25), List.of(TpeSampler.gamma(1), TpeSampler.gamma(10), TpeSampler.gamma(11),
                TpeSampler.gamma(30), TpeSampler.gamma(1000)));
        double[] w = TpeSampler.weights(28);
        // Ramp over the first 3 from 1/28 to 1: 1/28, (1/28 + 1)/2, 1; then 25 ones.
        assertEquals(1.0 / 28, w[0], 1e-15);
        assertEquals((1.0 / 28 + 1) / 2, w[1], 1e-15);
        assertEquals(1.0, w[2], 1e-15);
        assertEquals(1.0, w[27], 0);
        assertEquals(24, TpeSampler.weights(24).length);
    }

    @Test
    void parzenDensitiesIntegrateToOne() {
        Distribution d = new Distribution.Uniform(0, 2);
        TpeSampler.Parzen p = TpeSampler.Parzen.fit(d, new double[] {0.1, 0.15, 1.9});
        double sum = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(p.logPdf((i + 0.5) * 2.0 / n)) * 2.0 / n;
        }
        assertEquals(1.0, sum, 2e-6);
        // Samples stay in range.
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 1000; i++) {
            double x = p.sample(r);
            assertTrue(x >= 0 && x <= 2, "sample " + x);
        }
    }

    @Test
    void categoricalParzenMatchesHandComputedMasses() {
        // Observations a, a, c of {a, b, c}; n = 3, so each kernel starts at 1/4 per value, the
        // observed value gets +1, rows sum to 1.75; the prior row is 1/3 each; weights 1, total 4.
        TpeSampler.Parzen p = TpeSampler.Parzen.fit(new Distribution.Choice(List.of("a", "b", "c")),
                new double[] {0, 0, 2});
        double a = (1.0 / 3 + 2 * 1.25 / 1.75 + 0.25 / 1.75) / 4;
        double b = (1.0 / 3 + 3 * 0.25 / 1.75) / 4;
        double c = (1.0 / 3 + 2 * 0.25 / 1.75 + 1.25 / 1.75) / 4;
        assertEquals(1.0, a + b + c, 1e-12);
        assertEquals(Math.log(a), p.logPdf(0), 1e-12);
        assertEquals(Math.log(b), p.logPdf(1), 1e-12);
        assertEquals(Math.log(c), p.logPdf(2), 1e-12);
    }

    @Test
    void distributionsMapToTheirInternalSpace() {
        Distribution.LogUniform lr = new Distribution.LogUniform(1e-4, 1e-2);
        assertEquals(Math.log(1e-4), lr.internalLow(), 0);
        assertEquals(1e-3, (Double) lr.fromInternal(Math.log(1e-3)), 1e-15);
        Distribution.IntUniform n = new Distribution.IntUniform(2, 4);
        assertEquals(1.5, n.internalLow());
        assertEquals(4.5, n.internalHigh());
        assertEquals(2, n.fromInternal(1.5));
        assertEquals(4, n.fromInternal(4.49));
        assertEquals("log-uniform range must have 0 < low < high, found [0.0, 1.0]",
                assertThrows(IllegalArgumentException.class, () -> new Distribution.LogUniform(0, 1)).getMessage());
        assertEquals("choice values must differ, found [a, a]", assertThrows(IllegalArgumentException.class,
                () -> new Distribution.Choice(List.of("a", "a"))).getMessage());
        assertEquals("search key x appears twice", assertThrows(IllegalArgumentException.class,
                () -> new SearchSpace().add("x", n).add("x", n)).getMessage());
    }
}
