package dev.embtrain.training.spark;

import dev.embtrain.training.cli.Main;

/**
 * The class {@code spark-submit} runs: {@code spark-submit --class dev.embtrain.training.spark.SparkMain
 * embtrain.jar COMMAND ...} is {@code embtrain spark COMMAND ...} with spark-submit's master.
 */
public final class SparkMain {

    private SparkMain() {}

    /**
     * Runs {@code embtrain spark} with these arguments.
     *
     * @param args the command and its arguments
     */
    public static void main(String[] args) {
        String[] all = new String[args.length + 1];
        all[0] = "spark";
        System.arraycopy(args, 0, all, 1, args.length);
        Main.main(all);
    }
}
