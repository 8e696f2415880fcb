package dev.embtrain.models.serving;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The bucket of a hashed feature cross, computed exactly as {@code dev.embtrain.datasets.features.HashedCross}
 * does at training time (values joined with U+001F, UTF-8, 64-bit FNV-1a, MurmurHash3's fmix64,
 * {@code 1 + floorMod(hash, buckets)}). A copy, because a served model directory holds the models
 * jar alone; a test holds the two equal.
 */
final class CrossHash {

    private CrossHash() {}

    static int bucket(List<String> values, int buckets) {
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                joined.append('\u001F');
            }
            joined.append(values.get(i));
        }
        long h = 0xcbf29ce484222325L;
        for (byte b : joined.toString().getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return 1 + (int) Math.floorMod(h, (long) buckets);
    }
}
