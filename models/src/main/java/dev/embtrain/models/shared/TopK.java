package dev.embtrain.models.shared;

/**
 * The k best (index, score) entries of a stream, highest score first, equal scores by lower
 * index: a bounded binary min-heap whose root is the worst kept entry, so a candidate costs one
 * comparison unless it enters the top k. Shared by nearest-neighbour search and ranking metrics.
 */
public final class TopK {

    private final int[] index;
    private final double[] score;
    private int size;

    /**
     * Creates an empty selection.
     *
     * @param k how many entries to keep, at least 1
     */
    public TopK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, found " + k);
        }
        index = new int[k];
        score = new double[k];
    }

    /**
     * The kept entries, best first.
     *
     * @param indices their indices
     * @param scores their scores
     */
    public record Result(int[] indices, double[] scores) {}

    /** Whether entry a ranks below entry b (lower score, or the same score and a higher index). */
    private static boolean worse(double sa, int ia, double sb, int ib) {
        return sa < sb || (sa == sb && ia > ib);
    }

    /**
     * Offers an entry.
     *
     * @param i its index
     * @param s its score
     */
    public void offer(int i, double s) {
        if (size < index.length) {
            index[size] = i;
            score[size] = s;
            siftUp(size++);
        } else if (worse(score[0], index[0], s, i)) {
            index[0] = i;
            score[0] = s;
            siftDown(0);
        }
    }

    private void siftUp(int at) {
        while (at > 0) {
            int parent = (at - 1) / 2;
            if (!worse(score[at], index[at], score[parent], index[parent])) {
                return;
            }
            swap(at, parent);
            at = parent;
        }
    }

    private void siftDown(int at) {
        while (true) {
            int left = 2 * at + 1;
            if (left >= size) {
                return;
            }
            int worst = left;
            int right = left + 1;
            if (right < size && worse(score[right], index[right], score[left], index[left])) {
                worst = right;
            }
            if (!worse(score[worst], index[worst], score[at], index[at])) {
                return;
            }
            swap(at, worst);
            at = worst;
        }
    }

    private void swap(int a, int b) {
        int i = index[a];
        index[a] = index[b];
        index[b] = i;
        double s = score[a];
        score[a] = score[b];
        score[b] = s;
    }

    /**
     * Returns the kept entries best first, and empties the selection.
     *
     * @return indices and scores, best first
     */
    public Result drainBestFirst() {
        int n = size;
        int[] outIndex = new int[n];
        double[] outScore = new double[n];
        for (int at = n - 1; at >= 0; at--) {
            outIndex[at] = index[0];
            outScore[at] = score[0];
            size--;
            if (size > 0) {
                index[0] = index[size];
                score[0] = score[size];
                siftDown(0);
            }
        }
        return new Result(outIndex, outScore);
    }
}
