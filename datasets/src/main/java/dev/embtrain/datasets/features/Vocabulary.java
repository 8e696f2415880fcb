package dev.embtrain.datasets.features;

import dev.embtrain.datasets.io.DataFormatException;
import dev.embtrain.datasets.io.FileTrees;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Maps the tokens of one categorical field (user ids, movie titles, ...) to the embedding
 * rows that represent them; frozen once built, so a model and its saved vocabulary always
 * agree.
 *
 * <p>Index 0 is reserved for tokens never seen when the vocabulary was built (its token is
 * {@value #UNKNOWN}); the real tokens get 1..n in order of first appearance, so building from
 * the same data always gives the same indices. A token that is literally {@value #UNKNOWN} in
 * the input maps to index 0 rather than getting a row of its own, so that a saved vocabulary
 * reads back unchanged.
 */
public final class Vocabulary {
    /** The token of index 0, standing for every token not in the vocabulary. */
    public static final String UNKNOWN = "<unk>";

    private final List<String> tokens;
    private final Map<String, Integer> indices;

    private Vocabulary(List<String> tokens, Map<String, Integer> indices) {
        this.tokens = Collections.unmodifiableList(tokens);
        this.indices = indices;
    }

    /**
     * Builds a vocabulary from tokens in data order; repeated tokens keep their first index.
     *
     * @throws IllegalArgumentException when a token is null or contains a line break, which
     *     would not survive {@link #save(Path)}
     */
    public static Vocabulary build(Iterable<String> tokens) {
        List<String> list = new ArrayList<>();
        Map<String, Integer> map = new HashMap<>();
        list.add(UNKNOWN);
        map.put(UNKNOWN, 0);
        for (String token : tokens) {
            if (token == null) {
                throw new IllegalArgumentException("vocabulary token " + list.size() + " is null");
            }
            if (map.containsKey(token)) {
                continue;
            }
            checkToken(token);
            map.put(token, list.size());
            list.add(token);
        }
        return new Vocabulary(list, map);
    }

    private static void checkToken(String token) {
        if (token.indexOf('\n') >= 0 || token.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(
                    "vocabulary token \"" + token.replace("\n", "\\n").replace("\r", "\\r")
                            + "\" contains a line break, which a vocabulary file cannot hold");
        }
    }

    /** The index of {@code token}, or 0 when it is not in the vocabulary. */
    public int index(String token) {
        Integer index = indices.get(token);
        return index == null ? 0 : index;
    }

    /** The indices of {@code tokens}, each as {@link #index(String)} gives it. */
    public int[] indices(String[] tokens) {
        int[] out = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            out[i] = index(tokens[i]);
        }
        return out;
    }

    /** Whether {@code token} has an index of its own (is not mapped to unknown). */
    public boolean contains(String token) {
        Integer index = indices.get(token);
        return index != null && index != 0;
    }

    /**
     * The token at {@code index}; {@value #UNKNOWN} for 0.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= index < size()}
     */
    public String token(int index) {
        Objects.checkIndex(index, tokens.size());
        return tokens.get(index);
    }

    /** The number of indices, including the unknown slot: an embedding table needs this many rows. */
    public int size() {
        return tokens.size();
    }

    /** All tokens in index order, {@value #UNKNOWN} first; unmodifiable. */
    public List<String> tokens() {
        return tokens;
    }

    /**
     * Writes one token a line, UTF-8, in index order ({@value #UNKNOWN} first). The file is
     * written beside its final name and then moved into place, so a crash never leaves a
     * truncated vocabulary that would load with shifted indices.
     */
    public void save(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        Path tmp = FileTrees.createUniqueFile(dir, "." + absolute.getFileName() + ".", ".tmp");
        try {
            try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                for (String token : tokens) {
                    out.write(token);
                    out.write('\n');
                }
            }
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads a vocabulary written by {@link #save(Path)}.
     *
     * @throws DataFormatException when the file is not UTF-8, does not start with
     *     {@value #UNKNOWN}, or repeats a token (which would make indices ambiguous)
     */
    public static Vocabulary load(Path file) throws IOException {
        List<String> list = new ArrayList<>();
        Map<String, Integer> map = new HashMap<>();
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder))) {
            String line;
            while ((line = in.readLine()) != null) {
                int lineNumber = list.size() + 1;
                if (list.isEmpty() && !UNKNOWN.equals(line)) {
                    throw new DataFormatException(file, 1,
                            "expected the unknown token \"" + UNKNOWN + "\" on the first line, found \"" + line + "\"");
                }
                Integer previous = map.putIfAbsent(line, list.size());
                if (previous != null) {
                    throw new DataFormatException(file, lineNumber,
                            "token \"" + line + "\" repeats line " + (previous + 1));
                }
                list.add(line);
            }
        } catch (CharacterCodingException e) {
            throw new DataFormatException(file, 0, "not valid UTF-8", e);
        }
        if (list.isEmpty()) {
            throw new DataFormatException(file, 0, "empty vocabulary file: expected \"" + UNKNOWN + "\" on the first line");
        }
        return new Vocabulary(list, map);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary other && tokens.equals(other.tokens);
    }

    @Override
    public int hashCode() {
        return tokens.hashCode();
    }

    @Override
    public String toString() {
        return "Vocabulary[size=" + size() + "]";
    }
}
