package dev.embtrain.training.recommend;

import dev.embtrain.models.shared.TopK;
import dev.embtrain.training.metrics.UserRanking;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The ranking protocols, for any scorer: a saved run's ({@link Recommender}) or the model being
 * trained (the per-epoch ranking metrics). Each user with held-out items has every item scored,
 * row 0 (the unknown item) and the user's training items left out, and is ranked by the model
 * and by popularity (training rows of an item, ties by vocabulary order) on the same candidates.
 */
public final class Rankings {

    /** Users scored together: a block's scores are users × items floats. */
    static final int BLOCK_CELLS = 1 << 22;

    /** Scores items for users. */
    @FunctionalInterface
    public interface Scorer {
        /**
         * Scores every item for a block of users.
         *
         * @param users vocabulary indices of users
         * @return per user, a score per item vocabulary index (index 0 is ignored)
         */
        float[][] score(int[] users);
    }

    /**
     * The model's ranking beside popularity's, at each cut-off.
     *
     * @param ks the cut-offs
     * @param model the model's scores, one per cut-off; null for popularity alone
     * @param popularity popularity's, one per cut-off
     */
    public record Evaluation(List<Integer> ks, List<UserRanking.Scores> model, List<UserRanking.Scores> popularity) {}

    private final int[][] seen;
    private final int items;
    private final float[] popularity;

    /**
     * Prepares the protocols.
     *
     * @param seen per user vocabulary index, the items it has training rows with
     * @param items the item vocabulary's size, unknown included
     */
    public Rankings(int[][] seen, int items) {
        this.seen = seen;
        this.items = items;
        this.popularity = new float[items];
        for (int[] rated : seen) {
            for (int i : rated) {
                popularity[i]++;
            }
        }
    }

    /**
     * Returns how many users have training rows with each item.
     *
     * @return a count per item vocabulary index
     */
    public float[] popularity() {
        return popularity.clone();
    }

    /**
     * Scores users a block at a time, handing each user's scores over in order.
     *
     * @param scorer the scorer
     * @param users the users' vocabulary indices
     * @param items the item vocabulary's size
     * @param sink takes (user, scores)
     */
    static void blocks(Scorer scorer, int[] users, int items, java.util.function.ObjIntConsumer<float[]> sink) {
        int block = Math.max(1, BLOCK_CELLS / items);
        for (int from = 0; from < users.length; from += block) {
            int[] part = Arrays.copyOfRange(users, from, Math.min(users.length, from + block));
            float[][] scores = scorer.score(part);
            for (int b = 0; b < part.length; b++) {
                sink.accept(scores[b], part[b]);
            }
        }
    }

    /**
     * Returns the best {@code k} items of a user's scores, leaving out row 0 and the items it
     * has training rows with ({@link TopK}: highest score first, ties by vocabulary order).
     *
     * @param scores a score per item; the left-out entries are overwritten with -∞
     * @param rated the user's training items, or null to keep them
     * @param k how many
     * @return the items' indices and scores
     */
    static TopK.Result top(float[] scores, int[] rated, int k) {
        scores[0] = Float.NEGATIVE_INFINITY;
        if (rated != null) {
            for (int i : rated) {
                scores[i] = Float.NEGATIVE_INFINITY;
            }
        }
        TopK top = new TopK(k);
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] != Float.NEGATIVE_INFINITY) {
                top.offer(i, scores[i]);
            }
        }
        return top.drainBestFirst();
    }

    /**
     * Hands each user with held-out items over in index order: with the model's scores, or with
     * none (null) when there is no scorer, so that popularity alone costs no scoring.
     */
    private void visit(Scorer scorer, Map<Integer, Set<Integer>> heldOut,
            java.util.function.ObjIntConsumer<float[]> sink) {
        int[] users = heldOut.keySet().stream().mapToInt(x -> x).sorted().toArray();
        if (scorer == null) {
            for (int u : users) {
                sink.accept(null, u);
            }
        } else {
            blocks(scorer, users, items, sink);
        }
    }

    /** The scores of each cut-off, or null for a ranking nobody made. */
    private static List<UserRanking.Scores> at(List<int[]> ranked, List<Set<Integer>> relevant, List<Integer> ks) {
        if (ranked == null) {
            return null;
        }
        List<UserRanking.Scores> out = new ArrayList<>();
        for (int k : ks) {
            out.add(UserRanking.at(ranked, relevant, k));
        }
        return out;
    }

    /** The scores of each cut-off from ranks, or null for ranks nobody made. */
    private static List<UserRanking.Scores> ofRanks(List<Integer> ranks, List<Integer> ks) {
        if (ranks == null) {
            return null;
        }
        int[] r = ranks.stream().mapToInt(x -> x).toArray();
        List<UserRanking.Scores> out = new ArrayList<>();
        for (int k : ks) {
            out.add(UserRanking.ofRanks(r, k));
        }
        return out;
    }

    /**
     * Ranks every item a user has no training row with (the full protocol) and scores the top k
     * against the held-out items, beside popularity on the same users.
     *
     * @param scorer the model, or null for popularity alone
     * @param heldOut per user vocabulary index, held-out item indices (unknown items left out)
     * @param ks the cut-offs
     * @return both scores at each cut-off
     * @throws IllegalArgumentException when no user has a held-out item
     */
    public Evaluation full(Scorer scorer, Map<Integer, Set<Integer>> heldOut, List<Integer> ks) {
        int maxK = ks.stream().mapToInt(x -> x).max().orElseThrow();
        List<Integer> byCount = new ArrayList<>();
        for (int i = 1; i < items; i++) {
            byCount.add(i);
        }
        byCount.sort((a, b) -> popularity[a] != popularity[b] ? Float.compare(popularity[b], popularity[a])
                : Integer.compare(a, b));
        List<int[]> model = scorer == null ? null : new ArrayList<>();
        List<int[]> popular = new ArrayList<>();
        List<Set<Integer>> relevant = new ArrayList<>();
        visit(scorer, heldOut, (scores, user) -> {
            if (scores != null) {
                model.add(top(scores, seen[user], maxK).indices());
            }
            Set<Integer> rated = new HashSet<>();
            for (int i : seen[user]) {
                rated.add(i);
            }
            popular.add(byCount.stream().filter(i -> !rated.contains(i)).limit(maxK).mapToInt(x -> x).toArray());
            relevant.add(heldOut.get(user));
        });
        return new Evaluation(List.copyOf(ks), at(model, relevant, ks), at(popular, relevant, ks));
    }

    /**
     * The NCF protocol: each held-out item ranked among {@code negatives} items drawn uniformly,
     * without replacement, from those the user neither has training rows with nor holds out
     * (users in increasing index order, one seeded stream), by the model and by popularity.
     *
     * @param scorer the model, or null for popularity alone (the same draws)
     * @param heldOut per user vocabulary index, held-out item indices
     * @param ks the cut-offs
     * @param negatives items drawn per held-out item
     * @param seed the draw's seed
     * @param knob what sets the negatives, named by the error when every user is skipped
     * @return both scores at each cut-off; a user with too few candidates is skipped
     * @throws IllegalArgumentException when every user is skipped
     */
    public Evaluation sampled(Scorer scorer, Map<Integer, Set<Integer>> heldOut, List<Integer> ks, int negatives,
            long seed, String knob) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Integer> model = scorer == null ? null : new ArrayList<>();
        List<Integer> popular = new ArrayList<>();
        visit(scorer, heldOut, (scores, user) -> {
            boolean[] excluded = new boolean[items];
            excluded[0] = true;
            for (int i : seen[user]) {
                excluded[i] = true;
            }
            Set<Integer> held = heldOut.get(user);
            held.forEach(i -> excluded[i] = true);
            int[] candidates = IntStream.range(0, items).filter(i -> !excluded[i]).toArray();
            if (candidates.length < negatives) {
                return;
            }
            for (int target : held.stream().sorted().toList()) {
                // A partial Fisher-Yates shuffle draws the negatives without replacement.
                for (int j = 0; j < negatives; j++) {
                    int pick = j + random.nextInt(candidates.length - j);
                    int t = candidates[j];
                    candidates[j] = candidates[pick];
                    candidates[pick] = t;
                }
                int[] drawn = Arrays.copyOf(candidates, negatives);
                if (scores != null) {
                    model.add(UserRanking.sampledRank(scores, target, drawn));
                }
                popular.add(UserRanking.sampledRank(popularity, target, drawn));
            }
        });
        if (popular.isEmpty()) {
            throw new IllegalArgumentException("no held-out item can be ranked: every user with one has fewer than "
                    + negatives + " items neither rated in training nor held out to draw from; lower " + knob);
        }
        return new Evaluation(List.copyOf(ks), ofRanks(model, ks), ofRanks(popular, ks));
    }
}
