package dev.embtrain.datasets.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.datasets.io.DataFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyTest {
    @TempDir
    Path dir;

    @Test
    void indexesTokensInOrderOfFirstAppearanceAfterUnknown() {
        Vocabulary vocabulary = Vocabulary.build(List.of("b", "a", "b", "c", "a"));

        assertEquals(4, vocabulary.size());
        assertEquals(List.of("<unk>", "b", "a", "c"), vocabulary.tokens());
        assertEquals(1, vocabulary.index("b"));
        assertEquals(2, vocabulary.index("a"));
        assertEquals(3, vocabulary.index("c"));
        assertEquals("c", vocabulary.token(3));
        assertEquals("<unk>", vocabulary.token(0));
        assertArrayEquals(new int[] {3, 0, 1}, vocabulary.indices(new String[] {"c", "zzz", "b"}));
    }

    @Test
    void unknownTokensMapToZero() {
        Vocabulary vocabulary = Vocabulary.build(List.of("x"));

        assertEquals(0, vocabulary.index("never seen"));
        assertEquals(0, vocabulary.index("<unk>"));
        assertFalse(vocabulary.contains("never seen"));
        assertTrue(vocabulary.contains("x"));
        assertThrows(IndexOutOfBoundsException.class, () -> vocabulary.token(2));
    }

    @Test
    void literalUnknownTokenInTheDataGetsNoRowOfItsOwn() {
        Vocabulary vocabulary = Vocabulary.build(List.of("a", "<unk>", "b"));

        assertEquals(List.of("<unk>", "a", "b"), vocabulary.tokens());
    }

    @Test
    void saveAndLoadRoundTrip() throws IOException {
        Vocabulary vocabulary = Vocabulary.build(List.of("Kolya (1996)", "Am\u00e9lie (2001)", "", "a\tb"));
        Path file = dir.resolve("sub/items.vocab");

        vocabulary.save(file);
        Vocabulary loaded = Vocabulary.load(file);

        assertEquals(vocabulary, loaded);
        assertEquals(vocabulary.tokens(), loaded.tokens());
        assertEquals(2, loaded.index("Am\u00e9lie (2001)"));
        assertEquals("<unk>\nKolya (1996)\nAm\u00e9lie (2001)\n\na\tb\n", Files.readString(file, StandardCharsets.UTF_8));
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void rejectsTokensWithLineBreaks() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Vocabulary.build(List.of("ok", "two\nlines")));
        assertEquals("vocabulary token \"two\\nlines\" contains a line break, which a vocabulary file cannot hold",
                e.getMessage());
    }

    @Test
    void loadRejectsFilesThatWouldShiftIndices() throws IOException {
        Path file = dir.resolve("bad.vocab");
        Files.writeString(file, "a\nb\n");
        assertEquals(file + ":1: expected the unknown token \"<unk>\" on the first line, found \"a\"",
                assertThrows(DataFormatException.class, () -> Vocabulary.load(file)).getMessage());

        Files.writeString(file, "<unk>\na\nb\na\n");
        assertEquals(file + ":4: token \"a\" repeats line 2",
                assertThrows(DataFormatException.class, () -> Vocabulary.load(file)).getMessage());
    }
}
