package dev.embtrain.training.cli;

import dev.embtrain.datasets.io.ParquetTable;
import dev.embtrain.training.kinds.RatingsData;
import dev.embtrain.training.kinds.Command;
import dev.embtrain.training.recommend.Recommender;
import dev.embtrain.training.run.SavedRun;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code embtrain recommend}: the top-k items for a user, a list of users, or every user. */
final class RecommendCommand extends CliCommand {

    /** Users written between progress lines. */
    private static final int USERS_PER_BLOCK = 2048;

    RecommendCommand(PrintStream out, PrintStream err) {
        super("recommend", out, err);
    }

    @Override
    int run(String[] args) throws Exception {
        Options options = new Options()
                .addOption(Option.builder().longOpt("run").hasArg().argName("DIR").required()
                        .desc("a ratings run directory written by embtrain train").build())
                .addOption(Option.builder().longOpt("user").hasArg().argName("ID")
                        .desc("one user: prints rank, score, item and label").build())
                .addOption(Option.builder().longOpt("users").hasArg().argName("FILE")
                        .desc("a file of user ids, one a line (a first line \"user\" is a header); needs --out").build())
                .addOption(Option.builder().longOpt("all").desc("every user the run knows; needs --out").build())
                .addOption(Option.builder().longOpt("out").hasArg().argName("FILE")
                        .desc("where --users or --all write user,item,rank,score: .csv or .parquet").build())
                .addOption(Option.builder("k").hasArg().argName("N").desc("items per user (default 10)").build())
                .addOption(Option.builder().longOpt("evaluate")
                        .desc("rank every unseen item for each user of the run's validation split and print"
                                + " Recall@k, HR@k, NDCG@k and MRR@k against the held-out items, beside the"
                                + " popularity baseline (re-reads the run's data)").build())
                .addOption(Option.builder().longOpt("protocol").hasArg().argName("P")
                        .desc("with --evaluate: full (rank every unseen item, the default) or sampled (NCF: each"
                                + " held-out item among --negatives drawn items)").build())
                .addOption(Option.builder().longOpt("negatives").hasArg().argName("N")
                        .desc("with --protocol sampled: items drawn per held-out item (default 99)").build())
                .addOption(Option.builder().longOpt("seed").hasArg().argName("N")
                        .desc("with --protocol sampled: the draw's seed (default 42)").build())
                .addOption(Option.builder().longOpt("min-rating").hasArg().argName("R")
                        .desc("with --evaluate, only held-out items rated R or more are relevant (default: every"
                                + " held-out item)").build())
                .addOption(Option.builder().longOpt("include-seen")
                        .desc("also recommend items the user rated in training (left out by default)").build())
                .addOption(Option.builder().longOpt("help").desc("this text").build());
        if (Arrays.asList(args).contains("--help")) {
            help("recommend --run DIR (--user ID | --users FILE --out FILE | --all --out FILE | --evaluate) [-k N]"
                    + " [--include-seen]",
                    "Scores every item for each user with a ratings run's model and keeps the k best, leaving out"
                            + " the items the user rated in training. A dot-product-bias model scores a block of"
                            + " users with one matrix product; other models score each pair, side features"
                            + " included.", options,
                    "Example: ./embtrain recommend --run runs/quickstart --user 42 -k 10\n"
                            + "Every user: ./embtrain recommend --run runs/quickstart --all --out recs.parquet");
            return 0;
        }
        CommandLine cl = new DefaultParser().parse(options, args);
        int k = positive("recommend: -k", cl.getOptionValue("k", "10"));
        if (cl.hasOption("evaluate")) {
            double min;
            try {
                min = Double.parseDouble(cl.getOptionValue("min-rating", "-Infinity"));
            } catch (NumberFormatException e) {
                throw new UsageException("recommend: --min-rating expects a number, found \""
                        + cl.getOptionValue("min-rating") + "\"");
            }
            String protocol = cl.getOptionValue("protocol", "full");
            if (!protocol.equals("full") && !protocol.equals("sampled")) {
                throw new UsageException("recommend: --protocol expects full or sampled, found \"" + protocol + "\"");
            }
            int negatives = protocol.equals("sampled") ? positive("recommend: --negatives",
                    cl.getOptionValue("negatives", "99")) : 0;
            long seed = Long.parseLong(cl.getOptionValue("seed", "42"));
            return evaluate(Path.of(cl.getOptionValue("run")), k, min, negatives, seed);
        }
        int chosen = (cl.hasOption("user") ? 1 : 0) + (cl.hasOption("users") ? 1 : 0) + (cl.hasOption("all") ? 1 : 0);
        if (chosen != 1) {
            throw new UsageException("recommend: name the users with one of --user ID, --users FILE or --all");
        }
        Path outFile = cl.hasOption("out") ? Path.of(cl.getOptionValue("out")) : null;
        if (!cl.hasOption("user") && outFile == null) {
            throw new UsageException("recommend: --users and --all write a file; add --out FILE (.csv or .parquet)");
        }
        boolean parquet = outFile != null && outFile.getFileName().toString().toLowerCase(Locale.ROOT)
                .endsWith(".parquet");
        if (outFile != null && !parquet && !outFile.getFileName().toString().toLowerCase(Locale.ROOT)
                .endsWith(".csv")) {
            throw new UsageException("recommend: --out must end in .csv or .parquet, found " + outFile.getFileName());
        }
        try (SavedRun run = SavedRun.open(Path.of(cl.getOptionValue("run")))) {
            require(run, Command.RECOMMEND, "");
            Recommender recommender;
            try {
                recommender = new Recommender(run, cl.hasOption("include-seen"));
            } catch (IllegalArgumentException e) {
                throw new UsageException("recommend: " + e.getMessage());
            }
            List<String> users = cl.hasOption("all") ? recommender.users()
                    : cl.hasOption("users") ? readUsers(Path.of(cl.getOptionValue("users")))
                    : List.of(cl.getOptionValue("user"));
            if (cl.hasOption("user") && outFile == null) {
                List<Recommender.Item> top;
                try {
                    top = recommender.recommend(users, k).get(0);
                } catch (IllegalArgumentException e) {
                    throw new UsageException("recommend: " + e.getMessage());
                }
                out.println(String.format(Locale.ROOT, "top %d for user %s (%s):", top.size(), users.get(0),
                        cl.hasOption("include-seen") ? "rated items included"
                                : recommender.seenCount(users.get(0)) + " rated items left out"));
                for (int r = 0; r < top.size(); r++) {
                    Recommender.Item it = top.get(r);
                    out.println(String.format(Locale.ROOT, "%4d  %8.4f  %s%s", r + 1, it.score(), it.item(),
                            it.label().equals(it.item()) ? "" : "  " + it.label()));
                }
                return 0;
            }
            long start = System.nanoTime();
            write(recommender, users, k, outFile, parquet);
            double seconds = (System.nanoTime() - start) / 1e9;
            out.println(String.format(Locale.ROOT, "wrote %s: top %d for %,d users in %.1f s (%,.0f users/s, %s)",
                    outFile, k, users.size(), seconds, users.size() / seconds,
                    recommender.fast() ? "one matrix product a block" : "every pair through the model"));
        }
        return 0;
    }

    /** Ranks every unseen item for the validation users and prints the metrics beside popularity's. */
    private int evaluate(Path dir, int k, double minRating, int negatives, long seed) throws IOException {
        try (SavedRun run = SavedRun.open(dir)) {
            require(run, Command.RECOMMEND, "");
            Recommender recommender;
            try {
                recommender = new Recommender(run, false);
            } catch (IllegalArgumentException e) {
                throw new UsageException("recommend: " + e.getMessage());
            }
            RatingsData data = RatingsData.load(run.trainedConfig());
            int[] users = data.schema().ids(data.valid(), "user");
            int[] items = data.schema().ids(data.valid(), "item");
            Map<Integer, Set<Integer>> heldOut = new HashMap<>();
            int unknown = 0;
            int[] validRows = data.split().valid();
            for (int r = 0; r < users.length; r++) {
                if (data.table().rating(validRows[r]) < minRating) {
                    continue;
                }
                int u = users[r];
                int i = items[r];
                if (u == 0 || i == 0) {
                    unknown++;
                    continue;
                }
                heldOut.computeIfAbsent(u, x -> new HashSet<>()).add(i);
            }
            long start = System.nanoTime();
            Recommender.Evaluation e;
            try {
                e = negatives > 0 ? recommender.evaluateSampled(heldOut, k, negatives, seed)
                        : recommender.evaluate(heldOut, k);
            } catch (IllegalArgumentException ex) {
                throw new UsageException("recommend: " + ex.getMessage());
            }
            String rated = minRating == Double.NEGATIVE_INFINITY ? "" : " rated " + minRating + " or more";
            out.println(negatives > 0
                    ? String.format(Locale.ROOT, "ranking  %,d held-out items%s, each among %d drawn unseen items"
                            + " (seed %d; %,d of users or items unknown to training left out), %.1f s",
                            e.model().users(), rated, negatives, seed, unknown, (System.nanoTime() - start) / 1e9)
                    : String.format(Locale.ROOT, "ranking  %,d validation users, every unseen item ranked against"
                            + " their held-out items%s (%,d of users or items unknown to training left out), %.1f s",
                            e.model().users(), rated, unknown, (System.nanoTime() - start) / 1e9));
            out.println(String.format(Locale.ROOT, "  model       Recall@%d %.4f  HR@%d %.4f  NDCG@%d %.4f  MRR@%d %.4f",
                    k, e.model().recall(), k, e.model().hitRate(), k, e.model().ndcg(), k, e.model().mrr()));
            out.println(String.format(Locale.ROOT, "  popularity  Recall@%d %.4f  HR@%d %.4f  NDCG@%d %.4f  MRR@%d %.4f",
                    k, e.popularity().recall(), k, e.popularity().hitRate(), k, e.popularity().ndcg(), k,
                    e.popularity().mrr()));
        }
        return 0;
    }

    private static List<String> readUsers(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new UsageException("recommend: no such file " + file);
        }
        List<String> users = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String id = line.strip();
            if (!id.isEmpty() && !(users.isEmpty() && id.equals("user"))) {
                users.add(id);
            }
        }
        if (users.isEmpty()) {
            throw new UsageException("recommend: " + file + " holds no user ids");
        }
        return users;
    }

    /** Writes every user's top-k, block by block, to a staging file moved into place at the end. */
    private void write(Recommender recommender, List<String> users, int k, Path file, boolean parquet)
            throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path staging = parent.resolve(file.getFileName() + ".partial");
        try {
            List<Object[]> rows = parquet ? new ArrayList<>() : null;
            try (BufferedWriter w = parquet ? null : Files.newBufferedWriter(staging, StandardCharsets.UTF_8)) {
                if (w != null) {
                    w.write("user,item,rank,score\n");
                }
                for (int from = 0; from < users.size(); from += USERS_PER_BLOCK) {
                    List<String> block = users.subList(from, Math.min(users.size(), from + USERS_PER_BLOCK));
                    List<List<Recommender.Item>> tops;
                    try {
                        tops = recommender.recommend(block, k);
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("recommend: " + e.getMessage());
                    }
                    for (int b = 0; b < block.size(); b++) {
                        List<Recommender.Item> top = tops.get(b);
                        for (int r = 0; r < top.size(); r++) {
                            Recommender.Item it = top.get(r);
                            if (w != null) {
                                w.write(csv(block.get(b)) + "," + csv(it.item()) + "," + (r + 1) + ","
                                        + it.score() + "\n");
                            } else {
                                rows.add(new Object[] {block.get(b), it.item(), (long) (r + 1), (double) it.score()});
                            }
                        }
                    }
                    if (users.size() > USERS_PER_BLOCK) {
                        err.print(String.format(Locale.ROOT, "\rrecommend: %,d of %,d users",
                                Math.min(users.size(), from + USERS_PER_BLOCK), users.size()));
                    }
                }
            }
            if (users.size() > USERS_PER_BLOCK) {
                err.println();
            }
            if (parquet) {
                ParquetTable.write(staging, List.of("user", "item", "rank", "score"), rows);
            }
            Files.move(staging, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(staging);
        }
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
