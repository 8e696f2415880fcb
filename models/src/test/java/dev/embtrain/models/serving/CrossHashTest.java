package dev.embtrain.models.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The serving copy of the cross hash gives the buckets HashedCrossTest pins for the training one. */
class CrossHashTest {

    @Test
    void bucketsEqualThoseTrainingComputes() {
        assertEquals(281, CrossHash.bucket(List.of("30-39", "Berlin"), 1000));
        assertEquals(149, CrossHash.bucket(List.of("x", "y"), 1000));
        assertEquals(157, CrossHash.bucket(List.of("y", "x"), 1000));
        assertEquals(948, CrossHash.bucket(List.of("ab", "c"), 1000));
        assertEquals(527, CrossHash.bucket(List.of("a", "bc"), 1000));
    }
}
