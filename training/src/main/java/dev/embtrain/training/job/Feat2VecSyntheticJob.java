package dev.embtrain.training.job;

import dev.embtrain.datasets.split.Split;
import dev.embtrain.datasets.split.Splits;
import dev.embtrain.datasets.synthetic.SyntheticFeat2Vec;
import dev.embtrain.training.config.SplitConfig;
import dev.embtrain.training.config.SyntheticFeat2VecConfig;
import dev.embtrain.training.engine.ImplicitTraining;
import dev.embtrain.training.export.Neighbors;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * feat2vec's example notebook end to end: generate its toy data, train a factorization machine
 * on the rows as implicit feedback, and print what the notebook looks at, the nearest
 * neighbours over all feature values.
 *
 * <p>The entry point behind a future {@code synthetic-feat2vec} dataset with the
 * {@code factorization-machine} model's {@code objective: implicit}; until that config exists
 * it runs from the command line:
 *
 * <pre>
 * java -cp 'training/target/embtrain.jar:training/target/lib/*' dev.embtrain.training.job.Feat2VecSyntheticJob \
 *     [rows] [epochs] [factors] [validation]
 * </pre>
 *
 * (defaults: the notebook's 100,000 rows, 8 epochs, 100 factors, no validation rows; every
 * other setting is {@link ImplicitTraining.Options#feat2vec()}).
 */
public final class Feat2VecSyntheticJob {

    /** The values the notebook and the issue look at. */
    static final List<String> QUERIES = List.of("y:0", "id:5", "item:3", "attrs:attr1");

    /**
     * What a run ends with.
     *
     * @param history one entry per epoch
     * @param cosineY0Y1 the cosine between the embeddings of y = 0 and y = 1
     * @param nearestToY0 y_0's nearest neighbour over all tables, {@code table:label}
     * @param sameIdClassPrecision among each id's 4 nearest ids, the share equal to it modulo 10
     *     (what the notebook shows for id 5; chance is 4/49 ≈ 0.08)
     */
    public record Report(List<ImplicitTraining.Epoch> history, double cosineY0Y1, String nearestToY0,
                         double sameIdClassPrecision) {}

    private Feat2VecSyntheticJob() {}

    /**
     * Generates the data, trains and prints the epochs and the neighbours of {@link #QUERIES}.
     *
     * @param rows how many rows to generate
     * @param generatorSeed the generator's seed
     * @param options how to train
     * @param k neighbours to print per query
     * @param out where to print
     * @return the figures
     */
    public static Report run(int rows, long generatorSeed, ImplicitTraining.Options options, int k, PrintStream out) {
        SyntheticFeat2Vec.Data data = SyntheticFeat2Vec.generate(rows, SyntheticFeat2Vec.Outcome.BINARY, generatorSeed);
        describe(data, out);
        try {
            return train(ImplicitTraining.Rows.of(data), null, options, k, out, tables -> { });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Generates the data a {@code synthetic-feat2vec} dataset section describes, holds out its
     * validation rows, trains on the others and prints what {@link #run(int, long,
     * ImplicitTraining.Options, int, PrintStream)} prints, with a validation loss per epoch.
     * This is what a {@code factorization-machine} model with {@code objective: implicit} runs
     * on this dataset, its options mapped onto {@code options}.
     *
     * @param dataset the dataset section
     * @param options how to train
     * @param k neighbours to print per query
     * @param out where to print
     * @return the figures
     */
    public static Report run(SyntheticFeat2VecConfig dataset, ImplicitTraining.Options options, int k,
            PrintStream out) {
        try {
            return run(dataset, options, k, out, tables -> { });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Receives the trained tables before the model is freed. */
    public interface TablesSink {
        /**
         * Takes the tables.
         *
         * @param tables every field's embedding and the dense group's projection
         * @throws java.io.IOException when writing them fails
         */
        void accept(List<Neighbors.Table> tables) throws java.io.IOException;
    }

    /**
     * As {@link #run(SyntheticFeat2VecConfig, ImplicitTraining.Options, int, PrintStream)}, handing
     * the trained tables to {@code sink} (to export them) before the model is freed.
     *
     * @param dataset the dataset section
     * @param options how to train
     * @param k neighbours to print per query
     * @param out where to print
     * @param sink receives the tables
     * @return the figures
     * @throws java.io.IOException when the sink fails
     */
    public static Report run(SyntheticFeat2VecConfig dataset, ImplicitTraining.Options options, int k,
            PrintStream out, TablesSink sink) throws java.io.IOException {
        SyntheticFeat2Vec.Data data = SyntheticFeat2Vec.generate(dataset.rows(), dataset.outcome(),
                dataset.generatorSeed());
        describe(data, out);
        Split split = Splits.random(data.rows(), dataset.split().validation(), dataset.split().seed());
        out.printf(Locale.ROOT, "split    %,d training, %,d validation rows%n", split.train().length,
                split.valid().length);
        ImplicitTraining.Rows all = ImplicitTraining.Rows.of(data);
        return train(all.select(split.train()), all.select(split.valid()), options, k, out, sink);
    }

    private static void describe(SyntheticFeat2Vec.Data data, PrintStream out) {
        out.printf(Locale.ROOT, "data     synthetic-feat2vec: %,d rows, fields %s, dense group %s %s%n", data.rows(),
                SyntheticFeat2Vec.FIELDS, SyntheticFeat2Vec.DENSE_GROUP, SyntheticFeat2Vec.ATTRIBUTES);
    }

    private static Report train(ImplicitTraining.Rows rows, ImplicitTraining.Rows valid,
            ImplicitTraining.Options options, int k, PrintStream out, TablesSink sink) throws java.io.IOException {
        out.println("options  " + options);
        long begin = System.nanoTime();
        try (ImplicitTraining t = ImplicitTraining.train(rows, valid, options)) {
            t.history().forEach(e -> out.println(e.describe()));
            out.printf(Locale.ROOT, "trained  in %.1f s%n", (System.nanoTime() - begin) / 1e9);
            List<Neighbors.Table> tables = t.tables();
            sink.accept(tables);
            String nearestToY0 = null;
            for (String query : QUERIES) {
                int[] at = Neighbors.findQualifiedLabel(tables, query);
                List<Neighbors.TableNeighbor> found =
                        Neighbors.nearestAcross(tables, tables.get(at[0]).name(), at[1], k);
                if (query.equals("y:0")) {
                    nearestToY0 = found.get(0).qualifiedLabel();
                }
                out.println("nearest to " + query + ":");
                for (Neighbors.TableNeighbor n : found) {
                    out.printf(Locale.ROOT, "%8.4f  %s%n", n.cosine(), n.qualifiedLabel());
                }
            }
            Neighbors.Table y = table(tables, "y");
            double cosine = Neighbors.nearestAcross(List.of(y), "y", y.labels().indexOf("0"), y.vectors().length)
                    .stream().filter(n -> n.label().equals("1")).findFirst().orElseThrow().cosine();
            double precision = sameIdClassPrecision(table(tables, "id"));
            out.printf(Locale.ROOT, "cosine(y_0, y_1) %.4f; ids whose 4 nearest ids share their value mod 10: %.3f"
                    + " (chance 0.082)%n", cosine, precision);
            return new Report(t.history(), cosine, nearestToY0, precision);
        }
    }

    private static Neighbors.Table table(List<Neighbors.Table> tables, String name) {
        return tables.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    /** Among each id's 4 nearest ids, the share equal to it modulo 10. */
    static double sameIdClassPrecision(Neighbors.Table ids) {
        int hits = 0;
        int total = 0;
        for (int row = 1; row < ids.vectors().length; row++) {
            int id = Integer.parseInt(ids.labels().get(row));
            for (Neighbors.TableNeighbor n : Neighbors.nearestAcross(List.of(ids), ids.name(), row, 4)) {
                hits += Integer.parseInt(n.label()) % 10 == id % 10 ? 1 : 0;
                total++;
            }
        }
        return hits / (double) total;
    }

    /**
     * Runs the notebook's example.
     *
     * @param args optional rows, epochs, factors and a validation fraction to hold out
     */
    public static void main(String[] args) {
        ImplicitTraining.Options d = ImplicitTraining.Options.feat2vec();
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : d.epochs();
        int factors = args.length > 2 ? Integer.parseInt(args[2]) : d.factors();
        ImplicitTraining.Options options = new ImplicitTraining.Options(factors, d.negatives(), d.fieldExponent(),
                d.valueExponent(), d.valueBias(), d.loss(), epochs, d.batchSize(), d.learningRate(), d.weightDecay(),
                d.initStd(), d.seed());
        if (args.length > 3) {
            // As the notebook: hold out a fraction of the rows and report their loss every epoch.
            SplitConfig split = new SplitConfig(SplitConfig.SplitType.RANDOM, Double.parseDouble(args[3]), 42);
            run(new SyntheticFeat2VecConfig(rows, SyntheticFeat2Vec.Outcome.BINARY, 1, split), options, 5, System.out);
        } else {
            run(rows, 1, options, 5, System.out);
        }
    }
}
