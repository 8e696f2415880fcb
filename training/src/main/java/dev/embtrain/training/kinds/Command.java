package dev.embtrain.training.kinds;

import java.util.Locale;

/** The commands that act on a finished run; each kind of run supports some of them. */
public enum Command {
    /** Trains a config (every kind). */
    TRAIN,
    /** Scores the validation split again with the kept parameters. */
    EVALUATE,
    /** Prints the rows nearest one row of a trained table. */
    NEIGHBORS,
    /** Writes a DJL Serving model directory. */
    EXPORT,
    /** Scores an embeddings file with a classifier. */
    SCORE,
    /** Predicts a file through the serving translator. */
    PREDICT,
    /** Prints or writes the top-k items for users. */
    RECOMMEND,
    /** Trains configs and prints their speed and metrics. */
    BENCHMARK;

    /**
     * Returns the command's name on the command line.
     *
     * @return e.g. {@code neighbors}
     */
    public String cli() {
        return name().toLowerCase(Locale.ROOT);
    }
}
