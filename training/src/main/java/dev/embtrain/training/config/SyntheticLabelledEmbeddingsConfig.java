package dev.embtrain.training.config;

import java.nio.file.Path;

/**
 * Labelled embeddings generated with a planted linear signal of known strength, so a run needs
 * no data and its best possible test AUC (the Bayes-optimal AUC) is known.
 *
 * @param path where the files are written (reused when the same spec is there)
 * @param ids the number of ids
 * @param width the vectors' width
 * @param strength the logit's slope along the planted direction
 * @param prevalence the population share of positives
 * @param generatorSeed the generator's seed
 * @param format how the vectors are written
 * @param split the stratified split
 * @param selectKBest columns kept by SelectKBest, 0 for all
 * @param standardize whether to standardise columns
 * @param classWeight how the classes weigh in the loss
 * @param threshold the test report's probability threshold
 */
@Doc("Labelled vectors with a planted linear signal (label ~ Bernoulli(sigmoid(s·w·x + b)), x ~ N(0, I)) whose"
        + " Bayes-optimal AUC is known; no download.")
public record SyntheticLabelledEmbeddingsConfig(
        @Doc("Directory labels.csv and the embeddings are written to (reused when it holds the same spec).")
                @Default("data/synthetic-labelled-embeddings") Path path,
        @Doc("Number of ids.") @Default("10000") int ids,
        @Doc("Width of each vector.") @Default("512") int width,
        @Doc("s: the logit's slope along the one planted direction; 0 is no signal.") @Default("2.0")
                double strength,
        @Doc("Population share of positives; the intercept b is solved from it.") @Default("0.35") double prevalence,
        @Doc("Seed of the generator (the run's seed drives training).") @Default("42") long generatorSeed,
        @Doc("How the vectors are written: npy (with ids.csv), csv or parquet.") @Default("npy")
                LabelledEmbeddingsConfig.Format format,
        @Doc("Stratified train/validation/test split.") @Default("{}") LabelledSplitConfig split,
        @Doc("Keep the k columns with the largest ANOVA F on the training split; 0 keeps all.") @Default("0")
                int selectKBest,
        @Doc("Standardise each column with the training split's mean and standard deviation.") @Default("true")
                boolean standardize,
        @Doc("none, or balanced: a row of class c weighs n / (2 n_c) in the loss.") @Default("none")
                ClassWeight classWeight,
        @Doc("Probability above which the test report predicts 1.") @Default("0.5") double threshold)
        implements LabelledDataset {

    /** {@inheritDoc} The generator writes its vectors under one fixed column. */
    @Override
    public String column() {
        return dev.embtrain.datasets.synthetic.SyntheticLabelledEmbeddings.COLUMN;
    }

    /** Validates the section. */
    public SyntheticLabelledEmbeddingsConfig {
        if (path == null) {
            throw new ConfigValueException("path", "required key is missing");
        }
        Check.positive("ids", ids);
        Check.positive("width", width);
        Check.nonNegative("strength", strength);
        Check.openInterval("prevalence", prevalence, 0, 1);
        if (format == LabelledEmbeddingsConfig.Format.AUTO) {
            throw new ConfigValueException("format", "expected one of [npy, csv, parquet], found \"auto\"");
        }
        LabelledDataset.check(selectKBest, threshold);
    }
}
