package dev.embtrain.datasets.io;

/**
 * Shares one String per distinct id while reading, looking a slice of a line up without
 * copying it first: ml-25m repeats 162,541 user ids over 25 million lines, and a substring
 * per line plus a HashMap lookup was most of the reading time.
 */
public final class StringPool {
    private String[] table = new String[1 << 12];
    private int size;
    /** The last string returned: files sorted by user (ml-1m, ml-25m) repeat it line after line. */
    private String last = "";

    /** The pooled String equal to {@code line.substring(start, end)}, adding it when new. */
    public String intern(String line, int start, int end) {
        int length = end - start;
        if (last.length() == length && last.regionMatches(0, line, start, length)) {
            return last;
        }
        int hash = 0;
        for (int i = start; i < end; i++) {
            hash = 31 * hash + line.charAt(i);
        }
        int mask = table.length - 1;
        for (int slot = spread(hash) & mask; ; slot = (slot + 1) & mask) {
            String candidate = table[slot];
            if (candidate == null) {
                String added = line.substring(start, end);
                table[slot] = added;
                if (++size * 2 > table.length) {
                    grow();
                }
                last = added;
                return added;
            }
            // String caches its hash, so most mismatches cost one int comparison.
            if (candidate.hashCode() == hash && candidate.length() == length
                    && candidate.regionMatches(0, line, start, length)) {
                last = candidate;
                return candidate;
            }
        }
    }

    /** The pooled String equal to {@code value}. */
    public String intern(String value) {
        return intern(value, 0, value.length());
    }

    private void grow() {
        String[] old = table;
        table = new String[old.length * 2];
        int mask = table.length - 1;
        for (String value : old) {
            if (value != null) {
                int slot = spread(value.hashCode()) & mask;
                while (table[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                table[slot] = value;
            }
        }
    }

    private static int spread(int hash) {
        int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
