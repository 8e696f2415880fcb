package dev.embtrain.training.labelled;

import dev.embtrain.datasets.labelled.EmbeddingsFile;
import dev.embtrain.datasets.labelled.LabelledEmbeddings;
import dev.embtrain.datasets.synthetic.SyntheticLabelledEmbeddings;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.LabelledEmbeddingsConfig;
import dev.embtrain.training.config.SyntheticLabelledEmbeddingsConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads (or generates) the labelled vectors a {@code labelled-embeddings} or
 * {@code synthetic-labelled-embeddings} section names and joins them on rid.
 *
 * @param joined the joined rows and the counts of what did not match
 * @param labels the labels file
 * @param embeddings the embeddings file
 * @param synthetic the generator's result, or null for real data
 * @param bias the generator's intercept, NaN for real data
 * @param spec the generator's spec, or null for real data
 */
public record LabelledData(LabelledEmbeddings.Joined joined, Path labels, EmbeddingsFile embeddings,
        SyntheticLabelledEmbeddings.Result synthetic, double bias, SyntheticLabelledEmbeddings.Spec spec) {

    /**
     * Reads the data a config names.
     *
     * @param loaded the config
     * @return the joined data
     * @throws IOException when a file cannot be read
     * @throws dev.embtrain.datasets.io.DataFormatException naming file and row of bad data
     */
    public static LabelledData read(ConfigLoader.Loaded loaded) throws IOException {
        return dev.embtrain.training.kinds.DatasetTypes.of(loaded.config().dataset()).labelled().read(loaded);
    }

    /**
     * Generates {@code dataset.type: synthetic-labelled-embeddings} into its directory and reads it.
     *
     * @param loaded the config
     * @return the joined data, with the generator's spec
     * @throws IOException when writing or reading fails
     */
    public static LabelledData generate(ConfigLoader.Loaded loaded) throws IOException {
        SyntheticLabelledEmbeddingsConfig s = (SyntheticLabelledEmbeddingsConfig) loaded.config().dataset();
        double bias = biasFor(s.strength(), s.prevalence());
        SyntheticLabelledEmbeddings.Spec spec = new SyntheticLabelledEmbeddings.Spec(s.ids(), s.width(),
                s.strength(), bias, s.generatorSeed());
        SyntheticLabelledEmbeddings.Result r;
        try {
            r = SyntheticLabelledEmbeddings.write(spec, s.path(), format(s.format()));
        } catch (IllegalArgumentException e) {
            throw loaded.error("dataset.path", e.getMessage());
        }
        EmbeddingsFile file = r.embeddingsFile();
        return new LabelledData(LabelledEmbeddings.read(r.labels(), file), r.labels(), file, r, bias, spec);
    }

    /**
     * Reads {@code dataset.type: labelled-embeddings}: the labels joined to the vectors by id.
     *
     * @param loaded the config
     * @return the joined data
     * @throws IOException when a file cannot be read
     */
    public static LabelledData readFiles(ConfigLoader.Loaded loaded) throws IOException {
        LabelledEmbeddingsConfig c = (LabelledEmbeddingsConfig) loaded.config().dataset();
        EmbeddingsFile file = new EmbeddingsFile(c.embeddings(), c.column(), c.ids().isBlank() ? null : Path.of(c.ids()));
        if (c.format() != LabelledEmbeddingsConfig.Format.AUTO) {
            EmbeddingsFile.Format byName;
            try {
                byName = file.format();
            } catch (RuntimeException e) {
                byName = null;
            }
            if (byName != format(c.format())) {
                throw loaded.error("dataset.format", c.format().name().toLowerCase(Locale.ROOT) + " does not match the"
                        + " file name " + c.embeddings().getFileName() + "; the reader goes by the extension (.csv,"
                        + " .parquet, .npy): rename the file or use format: auto");
            }
        }
        LabelledEmbeddings.Joined joined = LabelledEmbeddings.read(c.labels(), file);
        return new LabelledData(joined, c.labels(), file, null, Double.NaN, null);
    }

    /**
     * The AUC of the generator's true probabilities on some rows: what the Bayes-optimal
     * classifier scores on exactly those rows and labels, the fair yardstick for a model scored on
     * them (the population value differs from it by the rows' sampling noise).
     *
     * @param rows indices into the joined rows
     * @return the AUC, or NaN for real data or rows of one class
     */
    public double bayesAucOn(int[] rows) {
        if (spec == null) {
            return Double.NaN;
        }
        float[][] vectors = new float[rows.length][];
        int[] y = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            vectors[i] = joined.vectors()[rows[i]];
            y[i] = joined.labels()[rows[i]];
        }
        double[] p = SyntheticLabelledEmbeddings.trueProbabilities(spec, vectors);
        return dev.embtrain.training.metrics.BinaryMetrics.auc(p, y);
    }

    private static EmbeddingsFile.Format format(LabelledEmbeddingsConfig.Format f) {
        return switch (f) {
            case CSV -> EmbeddingsFile.Format.CSV;
            case PARQUET -> EmbeddingsFile.Format.PARQUET;
            case NPY -> EmbeddingsFile.Format.NPY;
            case AUTO -> throw new IllegalArgumentException("auto has no format of its own");
        };
    }

    /**
     * Solves the generator's intercept b for a population share of positives (the share is
     * increasing in b), by bisection to 1e-12.
     *
     * @param strength s
     * @param prevalence the share of positives, in (0, 1)
     * @return b
     */
    static double biasFor(double strength, double prevalence) {
        double lo = -60;
        double hi = 60;
        for (int i = 0; i < 60 && hi - lo > 1e-12; i++) {
            double mid = (lo + hi) / 2;
            if (SyntheticLabelledEmbeddings.prevalence(strength, mid) < prevalence) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        // Rounded so that the value written to synthetic.properties is the one read back.
        return Math.round((lo + hi) / 2 * 1e9) / 1e9;
    }
}
