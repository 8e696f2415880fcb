package dev.embtrain.models.shared;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a run's vocabulary file, {@code vocab/<field>.txt}: one token per line in index order,
 * line 1 the unknown slot (index 0). The format training writes and every served request is
 * looked up in.
 */
public final class VocabularyFile {

    private VocabularyFile() {}

    /**
     * Returns each token's index.
     *
     * @param file the vocabulary file
     * @param withUnknown whether the unknown slot's token maps to 0 (an encoder that must map
     *     every token as training did) or is left out (a lookup that must never answer with it)
     * @return token to index
     * @throws IOException when the file cannot be read
     */
    public static Map<String, Integer> index(Path file, boolean withUnknown) throws IOException {
        List<String> tokens = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, Integer> index = new HashMap<>();
        for (int i = withUnknown ? 0 : 1; i < tokens.size(); i++) {
            index.putIfAbsent(tokens.get(i), i);
        }
        return index;
    }
}
