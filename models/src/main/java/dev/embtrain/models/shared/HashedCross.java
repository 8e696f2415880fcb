package dev.embtrain.models.shared;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A feature cross of two or more categorical fields, hashed into a fixed number of buckets so
 * that the combinations are never enumerated (Google's Machine Learning Crash Course,
 * "Feature crosses"; the crossed columns of Cheng et al. 2016,
 * <a href="https://arxiv.org/abs/1606.07792">Wide &amp; Deep Learning for Recommender
 * Systems</a>).
 *
 * <p>A cross is one more categorical column: {@link #bucket} gives its index in [1,
 * {@code buckets}] and index 0 stays "unknown" as in a vocabulary, so a model needs a
 * table of {@link #size()} = {@code buckets + 1} rows. Distinct combinations may share a
 * bucket; more buckets mean fewer collisions and more parameters.
 *
 * <p>The hash is part of every saved model that uses the cross, so it is fixed here and pinned
 * by a test: the values are joined with U+001F, the unit separator (which no value may contain,
 * so that {@code ("ab", "c")} and {@code ("a", "bc")} stay apart), encoded as UTF-8, hashed
 * with 64-bit FNV-1a, and the result mixed with MurmurHash3's {@code fmix64} finaliser. FNV-1a
 * alone is not enough: its low k bits depend only on the low k bits of every byte, so with 16
 * buckets the digits "1" and "A" would always agree. The bucket is {@code 1 +
 * floorMod(hash, buckets)}. {@link String#hashCode} is not used: it is 32 bits and clusters
 * short strings.
 *
 * @param name the cross's name, the column a model knows it by ({@code age_x_city})
 * @param fields the crossed fields, in the order their values are given to {@link #bucket}
 * @param buckets the number of hash buckets, at least 1
 */
public record HashedCross(String name, List<String> fields, int buckets) {

    /** Joins the values before hashing: the ASCII unit separator, U+001F. */
    public static final char SEPARATOR = '\u001F';

    private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    /**
     * Checks the cross and freezes its fields.
     *
     * @throws IllegalArgumentException naming the cross and the bad value
     */
    public HashedCross {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("hashed cross name must not be blank, found "
                    + (name == null ? "null" : "\"" + name + "\""));
        }
        if (fields == null) {
            throw new IllegalArgumentException("hashed cross \"" + name + "\": fields must be set");
        }
        Set<String> seen = new HashSet<>();
        for (String field : fields) {
            if (field == null) {
                throw new IllegalArgumentException("hashed cross \"" + name + "\": a field name is null");
            }
            if (!seen.add(field)) {
                throw new IllegalArgumentException(
                        "hashed cross \"" + name + "\": fields must be distinct, found \"" + field + "\" twice");
            }
        }
        if (fields.size() < 2) {
            throw new IllegalArgumentException(
                    "hashed cross \"" + name + "\": a cross needs at least 2 fields, found " + fields);
        }
        if (buckets < 1) {
            throw new IllegalArgumentException(
                    "hashed cross \"" + name + "\": buckets must be >= 1, found " + buckets);
        }
        if (buckets == Integer.MAX_VALUE) {
            // size() = buckets + 1 must fit an int: it is the rows of a model's table.
            throw new IllegalArgumentException(
                    "hashed cross \"" + name + "\": buckets must be < " + Integer.MAX_VALUE + ", found " + buckets);
        }
        fields = List.copyOf(fields);
    }

    /**
     * Returns the rows a model's table for this cross needs: the buckets plus the unknown row 0.
     *
     * @return {@code buckets + 1}
     */
    public int size() {
        return buckets + 1;
    }

    /**
     * Returns the bucket of one combination of values.
     *
     * @param values one value per field, in the order of {@link #fields()}
     * @return the bucket, in [1, {@code buckets}]
     * @throws IllegalArgumentException when the number of values is wrong, a value is null or a
     *     value contains {@link #SEPARATOR}
     */
    public int bucket(List<String> values) {
        return 1 + (int) Math.floorMod(hash(values), (long) buckets);
    }

    /**
     * Returns the 64-bit hash {@link #bucket} reduces: {@code fmix64(fnv1a64(utf8(v1 ␟ v2 ␟ ...)))}.
     *
     * @param values one value per field, in the order of {@link #fields()}
     * @return the hash; the same on every platform and JVM
     * @throws IllegalArgumentException as {@link #bucket}
     */
    public long hash(List<String> values) {
        if (values == null || values.size() != fields.size()) {
            throw new IllegalArgumentException("hashed cross \"" + name + "\": expected " + fields.size()
                    + " values for fields " + fields + ", found " + (values == null ? "null" : values.size()));
        }
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            if (value == null) {
                throw new IllegalArgumentException(
                        "hashed cross \"" + name + "\": the value of field \"" + fields.get(i) + "\" is null");
            }
            if (value.indexOf(SEPARATOR) >= 0) {
                throw new IllegalArgumentException("hashed cross \"" + name + "\": the value \""
                        + value.replace(String.valueOf(SEPARATOR), "\\u001F") + "\" of field \"" + fields.get(i)
                        + "\" contains U+001F, the separator of crossed values");
            }
            if (i > 0) {
                joined.append(SEPARATOR);
            }
            joined.append(value);
        }
        return fmix64(fnv1a64(joined.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** 64-bit FNV-1a (Fowler, Noll and Vo; IETF draft-eastlake-fnv): xor each byte in, then multiply. */
    public static long fnv1a64(byte[] bytes) {
        long h = FNV_OFFSET_BASIS;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= FNV_PRIME;
        }
        return h;
    }

    /** MurmurHash3's 64-bit finaliser: a bijection after which every output bit depends on every input bit. */
    public static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
