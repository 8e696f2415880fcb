package dev.embtrain.training.spark;

/**
 * The rule for a Spark job's {@code --out} name, in a class that names nothing of Spark's, so the
 * command line checks it before Spark is on the classpath and the jobs check it again from Java.
 */
public final class OutputName {

    private OutputName() {}

    /**
     * Says what is wrong with an output's name, if anything.
     *
     * @param out the path
     * @return the problem, or null for a name ending .parquet or .csv
     */
    public static String problem(String out) {
        return out.endsWith(".parquet") || out.endsWith(".csv") ? null : "--out " + out + ": expected a name ending"
                + " .parquet (a directory of part files) or .csv (one file)";
    }
}
