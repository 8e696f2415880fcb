package dev.embtrain.models.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HashedCrossTest {

    /** The chi-square value with 15 degrees of freedom that a uniform hash exceeds with probability 0.001. */
    private static final double CHI_SQUARE_15_P001 = 37.697;

    private static final HashedCross AGE_X_CITY = new HashedCross("age_x_city", List.of("age", "city"), 1000);

    @Test
    void equalValuesGiveEqualBuckets() {
        HashedCross again = new HashedCross("age_x_city", List.of("age", "city"), 1000);
        // new String(...) so that equality, not identity, is what is hashed
        assertEquals(AGE_X_CITY.bucket(List.of("30-39", "Berlin")),
                again.bucket(List.of(new String("30-39"), new String("Berlin"))));
        assertEquals(1001, AGE_X_CITY.size());
    }

    @Test
    void theHashIsPinnedBecauseSavedModelsDependOnIt() {
        // Published 64-bit FNV-1a test vectors (draft-eastlake-fnv).
        assertEquals(0xcbf29ce484222325L, HashedCross.fnv1a64(new byte[0]));
        assertEquals(0xaf63dc4c8601ec8cL, HashedCross.fnv1a64(bytes("a")));
        assertEquals(0x85944171f73967e8L, HashedCross.fnv1a64(bytes("foobar")));
        // "30-39" U+001F "Berlin" through FNV-1a and fmix64; a change here moves every trained row.
        assertEquals(0x599efa55e7c479f0L, AGE_X_CITY.hash(List.of("30-39", "Berlin")));
        assertEquals(281, AGE_X_CITY.bucket(List.of("30-39", "Berlin")));
    }

    @Test
    void theFinaliserSeparatesValuesFnvAloneWouldNot() {
        // FNV-1a's low 4 bits see only the low 4 bits of each byte: '1' (0x31) and 'A' (0x41) agree.
        assertEquals(Math.floorMod(HashedCross.fnv1a64(bytes("1\u001Fx")), 16),
                Math.floorMod(HashedCross.fnv1a64(bytes("A\u001Fx")), 16));
        HashedCross cross = new HashedCross("c", List.of("a", "b"), 16);
        assertNotEquals(cross.bucket(List.of("1", "x")), cross.bucket(List.of("A", "x")));
    }

    @Test
    void orderAndBoundariesOfValuesMatter() {
        HashedCross cross = new HashedCross("a_x_b", List.of("a", "b"), 1000);
        assertEquals(149, cross.bucket(List.of("x", "y")));
        assertEquals(157, cross.bucket(List.of("y", "x")));
        // The separator keeps ("ab", "c") and ("a", "bc") apart; plain concatenation would not.
        assertEquals(948, cross.bucket(List.of("ab", "c")));
        assertEquals(527, cross.bucket(List.of("a", "bc")));
    }

    @Test
    void everyBucketIsWithinOneToBuckets() {
        Random random = new Random(42);
        for (int buckets : new int[] {1, 7, 16, 1000}) {
            HashedCross cross = new HashedCross("c", List.of("a", "b", "c"), buckets);
            int[] seen = new int[buckets + 1];
            for (int i = 0; i < 100_000; i++) {
                int bucket = cross.bucket(List.of(randomString(random), randomString(random), randomString(random)));
                assertTrue(bucket >= 1 && bucket <= buckets, "bucket " + bucket + " of " + buckets);
                seen[bucket]++;
            }
            assertEquals(0, seen[0]);
            for (int b = 1; b <= buckets; b++) {
                assertTrue(seen[b] > 0, "bucket " + b + " of " + buckets + " never used");
            }
        }
    }

    @Test
    void bucketsAreRoughlyUniform() {
        HashedCross cross = new HashedCross("c", List.of("a", "b"), 16);
        // Random ids from a fixed seed, then the kind of input that defeats weak hashes: short,
        // structured, all distinct (String.hashCode gives chi-square 38.3 on it).
        Random random = new Random(42);
        List<List<String>> randomIds = new ArrayList<>();
        List<List<String>> grid = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            randomIds.add(List.of(Integer.toString(random.nextInt(1_000_000)),
                    Integer.toString(random.nextInt(1_000_000))));
            grid.add(List.of(Integer.toString(i / 100), Integer.toString(i % 100)));
        }
        for (List<List<String>> inputs : List.of(randomIds, grid)) {
            long[] counts = new long[17];
            inputs.forEach(v -> counts[cross.bucket(v)]++);
            double expected = inputs.size() / 16.0;
            double chiSquare = 0;
            for (int b = 1; b <= 16; b++) {
                chiSquare += (counts[b] - expected) * (counts[b] - expected) / expected;
            }
            assertTrue(chiSquare < CHI_SQUARE_15_P001, "chi-square " + chiSquare + " " + Arrays.toString(counts));
        }
    }

    @Test
    void errorsNameTheCrossAndTheValue() {
        assertEquals("hashed cross \"age_x_city\": buckets must be >= 1, found 0", message(
                () -> new HashedCross("age_x_city", List.of("age", "city"), 0)));
        assertEquals("hashed cross \"age_x_city\": a cross needs at least 2 fields, found [age]", message(
                () -> new HashedCross("age_x_city", List.of("age"), 10)));
        assertEquals("hashed cross \"age_x_city\": fields must be distinct, found \"age\" twice", message(
                () -> new HashedCross("age_x_city", List.of("age", "age"), 10)));
        assertEquals("hashed cross name must not be blank, found \"\"", message(
                () -> new HashedCross("", List.of("age", "city"), 10)));
        assertEquals("hashed cross \"age_x_city\": buckets must be < 2147483647, found 2147483647", message(
                () -> new HashedCross("age_x_city", List.of("age", "city"), Integer.MAX_VALUE)));
        assertEquals("hashed cross \"age_x_city\": expected 2 values for fields [age, city], found 3", message(
                () -> AGE_X_CITY.bucket(List.of("30-39", "Berlin", "x"))));
        assertEquals("hashed cross \"age_x_city\": the value of field \"city\" is null", message(
                () -> AGE_X_CITY.bucket(Arrays.asList("30-39", null))));
        assertEquals("hashed cross \"age_x_city\": the value \"Ber\\u001Flin\" of field \"city\" contains U+001F,"
                + " the separator of crossed values", message(
                () -> AGE_X_CITY.bucket(List.of("30-39", "Ber\u001Flin"))));
    }

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** 0-8 characters from ASCII letters, digits, Latin-1 and CJK, so UTF-8 of 1-3 bytes a character. */
    private static String randomString(Random random) {
        String alphabet = "abcXYZ019-_ äöüé東京";
        char[] chars = new char[random.nextInt(9)];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return new String(chars);
    }
}
