package dev.embtrain.benchmarks;

import dev.embtrain.datasets.labelled.LabelledEmbeddings;
import dev.embtrain.datasets.split.StratifiedSplit;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.LabelledDataset;
import dev.embtrain.training.labelled.LabelledData;
import dev.embtrain.models.shared.Preprocessing;
import dev.embtrain.training.labelled.Preprocess;
import dev.embtrain.training.metrics.BinaryMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Side by side with an embtrain labelled-embeddings run: re-reads the run's data, makes the
 * same stratified split (the run's split seed), standardises every column with the training
 * split's mean and deviation, trains Tribuo's {@code LogisticRegressionTrainer} (linear SGD,
 * AdaGrad, its defaults) on the training rows, and prints its validation and test AUC next to
 * the run's own test AUC from {@code config.yaml}; then the same trainer tuned on validation
 * AUC over a small grid (AdaGrad rate, epochs, minibatch), as our run is tuned by its search.
 *
 * <p>Usage: {@code benchmarks/labelled-peer/run.sh --run runs/labelled-embeddings}.
 */
public final class LabelledPeer {
    private LabelledPeer() {}

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("org.tribuo").setLevel(java.util.logging.Level.WARNING);
        if (args.length != 2 || !args[0].equals("--run")) {
            System.err.println("usage: LabelledPeer --run DIR");
            System.exit(2);
        }
        Path run = Path.of(args[1]);
        ConfigLoader.Loaded loaded = ConfigLoader.load(run.resolve("config.yaml"), List.of());
        LabelledDataset ds = (LabelledDataset) loaded.config().dataset();
        String ours = Files.readAllLines(run.resolve("config.yaml")).stream()
                .filter(l -> l.startsWith("  test_auc: ")).findFirst()
                .map(l -> l.substring("  test_auc: ".length())).orElse("?");
        long start = System.nanoTime();
        LabelledEmbeddings.Joined j = LabelledData.read(loaded).joined();
        StratifiedSplit.Parts parts = StratifiedSplit.split(j.labels(), ds.split().validation(), ds.split().test(),
                ds.split().seed());
        Preprocessing pre = Preprocess.fit(j.vectors(), j.labels(), parts.train(), 0, true);
        String[] names = new String[pre.width()];
        for (int k = 0; k < names.length; k++) {
            names[k] = String.format(Locale.ROOT, "x%04d", k);
        }
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> train = new MutableDataset<>(new SimpleDataSourceProvenance("embtrain split", factory),
                factory);
        for (int r : parts.train()) {
            train.add(example(j, pre, r, names));
        }
        long read = System.nanoTime();
        Model<Label> model = new LogisticRegressionTrainer().train(train);
        double seconds = (System.nanoTime() - read) / 1e9;
        double valid = auc(model, j, pre, parts.valid(), names);
        double test = auc(model, j, pre, parts.test(), names);
        // Tuned as fairly as ours: a grid over AdaGrad's rate, epochs and minibatch, picked on
        // validation AUC; the test split is scored once, for the pick.
        double bestValid = Double.NEGATIVE_INFINITY;
        Model<Label> tuned = null;
        String tunedName = "";
        double[] tunedSetting = null;
        for (double lr : new double[] {1.0, 0.1, 0.01, 0.001}) {
            for (int epochs : new int[] {1, 5, 20}) {
                for (int minibatch : new int[] {1, 64}) {
                    Model<Label> m = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(lr, 0.1), epochs,
                            Integer.MAX_VALUE, minibatch, 1L).train(train);
                    double v = auc(m, j, pre, parts.valid(), names);
                    if (v > bestValid) {
                        bestValid = v;
                        tuned = m;
                        tunedSetting = new double[] {lr, epochs, minibatch};
                        tunedName = String.format(Locale.ROOT, "AdaGrad rate %s, %d epochs, minibatch %d", lr, epochs,
                                minibatch);
                    }
                }
            }
        }
        double tunedTest = auc(tuned, j, pre, parts.test(), names);
        // When the run refits on training + validation rows, the peer's pick gets the same.
        double refitTest = Double.NaN;
        if (ds.split().refit()) {
            int[] rows = parts.trainAndValid();
            Preprocessing all = Preprocess.fit(j.vectors(), j.labels(), rows, 0, true);
            MutableDataset<Label> both = new MutableDataset<>(
                    new SimpleDataSourceProvenance("embtrain train+valid", factory), factory);
            for (int r : rows) {
                both.add(example(j, all, r, names));
            }
            Model<Label> m = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(tunedSetting[0], 0.1),
                    (int) tunedSetting[1], Integer.MAX_VALUE, (int) tunedSetting[2], 1L).train(both);
            refitTest = auc(m, j, all, parts.test(), names);
        }
        System.out.printf(Locale.ROOT, "split    %d training, %d validation, %d test rows (seed %d), %d columns%n",
                parts.train().length, parts.valid().length, parts.test().length, ds.split().seed(), pre.width());
        System.out.printf(Locale.ROOT, "embtrain %s test_auc %s (from %s/config.yaml)%n",
                loaded.config().model().type(), ours, run);
        System.out.printf(Locale.ROOT, "tribuo   LogisticRegressionTrainer (defaults) test_auc %.4f, valid_auc %.4f;"
                + " trained in %.1f s (data read in %.1f s)%n", test, valid, seconds, (read - start) / 1e9);
        System.out.printf(Locale.ROOT, "tribuo   LinearSGDTrainer(LogMulticlass), best of 24 settings on validation (%s): test_auc"
                + " %.4f, valid_auc %.4f%n", tunedName, tunedTest, bestValid);
        if (ds.split().refit()) {
            System.out.printf(Locale.ROOT, "tribuo   the same setting refit on %d training + validation rows, as the run"
                    + " was: test_auc %.4f%n", parts.train().length + parts.valid().length, refitTest);
        }
    }

    private static Example<Label> example(LabelledEmbeddings.Joined j, Preprocessing pre, int row, String[] names) {
        float[] x = new float[pre.width()];
        pre.apply(j.vectors()[row], x, 0);
        double[] values = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            values[k] = x[k];
        }
        return new ArrayExample<>(new Label(Integer.toString(j.labels()[row])), names, values);
    }

    private static double auc(Model<Label> model, LabelledEmbeddings.Joined j, Preprocessing pre, int[] rows,
            String[] names) {
        double[] scores = new double[rows.length];
        int[] y = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            Prediction<Label> p = model.predict(example(j, pre, rows[i], names));
            scores[i] = p.getOutputScores().get("1").getScore();
            y[i] = j.labels()[rows[i]];
        }
        return BinaryMetrics.auc(scores, y);
    }
}
