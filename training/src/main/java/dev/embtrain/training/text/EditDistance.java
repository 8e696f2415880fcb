package dev.embtrain.training.text;

/** Edit distance, for "did you mean" suggestions in config keys and table labels. */
public final class EditDistance {

    private EditDistance() {}

    /**
     * Returns the edit distance with unit costs for insertion, deletion and substitution.
     *
     * @param a one string
     * @param b the other
     * @return the number of edits from a to b
     */
    public static int levenshtein(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            char ca = a.charAt(i - 1);
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (ca == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
