package dev.embtrain.benchmarks;

import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.EmbeddingBagConfig;
import dev.embtrain.training.kinds.Item2VecJob;
import dev.embtrain.training.kinds.SessionsData;
import dev.embtrain.training.metrics.NextItem;
import dev.embtrain.training.run.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.feature.Word2Vec;
import org.apache.spark.mllib.feature.Word2VecModel;

/**
 * Trains embtrain's item2vec and Spark MLlib's {@code Word2Vec} (local mode) on the same training
 * sessions, in one JVM, and scores both item tables with the same next-item code
 * ({@link NextItem}) on the same validation and test pairs.
 *
 * <p>Settings are matched where both have them: vector size, window, epochs (Spark's
 * {@code numIterations}), min_count, threads. They differ where Spark has no choice: Spark
 * trains skip-gram with hierarchical softmax (no negative sampling), plain SGD with word2vec's
 * linearly decaying rate from {@code learningRate} (0.025), and it splits sentences longer than
 * {@code maxSentenceLength} (set here above the longest session, so none is split).
 *
 * <p>Usage: {@code Item2VecPeer CONFIG [--threads N] [--partitions P] [--set path=value]...};
 * {@code --partitions} is Spark's {@code numPartitions} (1, its default, trains on one thread;
 * more average per-partition models each iteration, which costs quality).
 */
public final class Item2VecPeer {

    private Item2VecPeer() {}

    /**
     * Runs the comparison.
     *
     * @param args CONFIG [--threads N] [--partitions P] [--set path=value]...
     * @throws Exception when either side fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: Item2VecPeer CONFIG [--threads N] [--partitions P] [--set path=value]...");
            System.exit(2);
        }
        Path config = Path.of(args[0]);
        int threads = 2;
        int partitions = 1;
        List<String> sets = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--partitions" -> partitions = Integer.parseInt(args[++i]);
                case "--set" -> sets.add(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        // Same epochs for both: no early stopping on our side, so the times compare.
        sets.add("training.early_stopping.patience=0");
        sets.add("training.progress=false");
        sets.add("export.plots=false");
        ConfigLoader.Loaded loaded = ConfigLoader.load(config, sets);
        EmbeddingBagConfig m = (EmbeddingBagConfig) loaded.config().model();
        int epochs = loaded.config().training().epochs();

        List<String> report = new ArrayList<>();
        report.add(String.format(Locale.ROOT, "config %s; vector_size %d, window %d, epochs %d, min_count %d, %d threads;"
                        + " java %s, %d cores", config, m.vectorSize(), m.window(), epochs,
                ((dev.embtrain.training.config.SessionsDatasetConfig) loaded.config().dataset()).minCount(), threads,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors()));

        // ---- ours
        Path scratch = Files.createTempDirectory("item2vec-peer");
        Item2VecJob.Outcome ours;
        long oursStart = System.nanoTime();
        try {
            ours = new Item2VecJob(loaded, scratch.resolve("run"), false, new Item2VecJob.Progress() {
                @Override
                public void onEpoch(Item2VecJob.Epoch e, boolean best) {
                    System.out.println(String.format(Locale.ROOT, "embtrain epoch %d: %.2f s, valid Recall@10 %.4f",
                            e.epoch(), e.seconds(), e.validRecall()));
                }
            }, System.out::println).run();
        } finally {
            RunDirectory.deleteTree(scratch);
        }
        double oursWall = (System.nanoTime() - oursStart) / 1e9;
        double oursTrain = ours.history().stream().mapToDouble(Item2VecJob.Epoch::seconds).sum();
        SessionsData data = ours.data();

        // ---- Spark, on the same training sessions (vocabulary ids, unknowns dropped)
        List<List<String>> sentences = new ArrayList<>();
        int longest = 0;
        for (int[] session : data.train()) {
            List<String> tokens = new ArrayList<>(session.length);
            for (int id : session) {
                if (id != 0) {
                    tokens.add(data.vocabulary().token(id));
                }
            }
            if (!tokens.isEmpty()) {
                sentences.add(tokens);
                longest = Math.max(longest, tokens.size());
            }
        }
        SparkConf conf = new SparkConf().setMaster("local[" + threads + "]").setAppName("item2vec-peer")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.sql.shuffle.partitions", Integer.toString(threads));
        double sparkTrain;
        float[][] sparkTable = new float[data.vocabulary().size()][m.vectorSize()];
        int missing = 0;
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            spark.setLogLevel("WARN");
            JavaRDD<List<String>> rdd = spark.parallelize(sentences, threads).cache();
            rdd.count(); // materialise before timing
            Word2Vec w2v = new Word2Vec().setVectorSize(m.vectorSize()).setWindowSize(m.window())
                    .setNumIterations(epochs).setMinCount(1).setSeed(loaded.config().seed())
                    .setNumPartitions(partitions).setMaxSentenceLength(Math.max(longest, 1000));
            long start = System.nanoTime();
            Word2VecModel model = w2v.fit(rdd);
            sparkTrain = (System.nanoTime() - start) / 1e9;
            for (int i = 1; i < data.vocabulary().size(); i++) {
                try {
                    double[] v = model.transform(data.vocabulary().token(i)).toArray();
                    for (int d = 0; d < v.length; d++) {
                        sparkTable[i][d] = (float) v[d];
                    }
                } catch (IllegalStateException notInVocabulary) {
                    missing++;
                }
            }
        }
        NextItem.Scores sparkValid = NextItem.embedding(sparkTable, data.valid().queries(), data.valid().targets());
        NextItem.Scores sparkTest = NextItem.embedding(sparkTable, data.test().queries(), data.test().targets());

        report.add(String.format(Locale.ROOT, "sessions %,d; training items %,d; vocabulary %,d; Spark missed %d items",
                data.sessions().size(), data.trainingItems(), data.vocabulary().size() - 1, missing));
        report.add(String.format(Locale.ROOT, "%-44s %10s %10s %13s %13s %10s %10s", "", "train_s", "s/epoch",
                "valid_R@10", "valid_MRR@10", "test_R@10", "test_MRR@10"));
        Item2VecJob.Epoch best = ours.best();
        report.add(String.format(Locale.ROOT, "%-44s %10.1f %10.2f %13.4f %13.4f %10.4f %10.4f",
                "embtrain item2vec (" + m.negative() + " negatives, epoch " + best.epoch() + ")",
                oursTrain, oursTrain / epochs, best.validRecall(), best.validMrr(), ours.test().recall(),
                ours.test().mrr()));
        report.add(String.format(Locale.ROOT, "%-44s %10.1f %10.2f %13.4f %13.4f %10.4f %10.4f",
                "Spark MLlib Word2Vec (hier. softmax, p=" + partitions + ")", sparkTrain, sparkTrain / epochs,
                sparkValid.recall(), sparkValid.mrr(), sparkTest.recall(), sparkTest.mrr()));
        report.add(String.format(Locale.ROOT, "embtrain: %.1f s wall for the whole job (data, %d validations, export);"
                + " its last epoch's valid Recall@10 %.4f", oursWall, ours.history().size(),
                ours.history().get(ours.history().size() - 1).validRecall()));
        report.add(String.format(Locale.ROOT, "baselines on the test pairs: popularity Recall@10 %.4f MRR@10 %.4f;"
                        + " next-item co-occurrence Recall@10 %.4f MRR@10 %.4f", ours.popularity().recall(),
                ours.popularity().mrr(), ours.cooccurrence().recall(), ours.cooccurrence().mrr()));
        System.out.println();
        report.forEach(System.out::println);
    }
}
