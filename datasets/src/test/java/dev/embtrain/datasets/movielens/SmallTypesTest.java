package dev.embtrain.datasets.movielens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.embtrain.datasets.io.DataFormatException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** ItemKey and DataFormatException. */
class SmallTypesTest {
    @Test
    void itemKeyParsesTheYamlSpelling() {
        assertEquals(ItemKey.ID, ItemKey.parse("id"));
        assertEquals(ItemKey.TITLE, ItemKey.parse("title"));
        assertEquals("title", ItemKey.TITLE.toString());
        assertEquals("item_key: expected one of [id, title], found \"Title\"",
                assertThrows(IllegalArgumentException.class, () -> ItemKey.parse("Title")).getMessage());
    }

    @Test
    void dataFormatExceptionPrefixesFileAndLine() {
        DataFormatException withLine = new DataFormatException(Path.of("data/u.data"), 7, "rating \"x\" is not a number");
        assertEquals("data/u.data:7: rating \"x\" is not a number", withLine.getMessage());
        assertEquals(Path.of("data/u.data"), withLine.file());
        assertEquals(7, withLine.line());
        assertEquals("rating \"x\" is not a number", withLine.detail());

        assertEquals("data: directory does not exist",
                new DataFormatException(Path.of("data"), 0, "directory does not exist").getMessage());
    }
}
