package dev.embtrain.training.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The word2vec text format, by hand: header {@code N D}, then key and values separated by single spaces. */
class Word2VecTextTest {

    @TempDir
    Path root;

    @Test
    void aTableIsWrittenAsGensimReadsItWithWhitespaceInKeysReplaced() throws IOException {
        List<Path> written = TableExport.write(root, "item", new float[][] {{0f, 1.5f}, {-0.25f, 1.0e-5f}, {2f, 3f}},
                List.of("<unk>", "Heat (1995)", "  "), Set.of("word2vec"));
        assertEquals(List.of(root.resolve("item_word2vec.txt")), written);
        assertEquals("3 2\n<unk> 0.0 1.5\nHeat_(1995) -0.25 1.0E-5\n_ 2.0 3.0\n",
                Files.readString(root.resolve("item_word2vec.txt")));
    }

    @Test
    void aBiasVectorHasNoWord2VecFileAndMismatchedKeysAreRefused() throws IOException {
        assertEquals(List.of(), TableExport.write(root, "item_bias", new float[][] {{1f}, {2f}}, List.of("a", "b"),
                Set.of("word2vec")));
        assertFalse(Files.exists(root.resolve("item_bias_word2vec.txt")));
        assertEquals("2 vectors but 1 keys", assertThrows(IllegalArgumentException.class,
                () -> Word2VecText.write(root.resolve("x.txt"), new float[][] {{1f, 2f}, {3f, 4f}}, List.of("a")))
                .getMessage());
    }
}
