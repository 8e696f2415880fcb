package dev.embtrain.training.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The word2vec text format gensim's {@code KeyedVectors.load_word2vec_format(path, binary=False)}
 * and fastText's {@code .vec} readers take: a first line {@code N D}, then one line per row, its
 * key and its {@code D} values separated by single spaces. A reader splits a line on spaces, so
 * whitespace inside a key becomes {@code _} ({@code Heat (1995)} is written {@code Heat_(1995)})
 * and an empty key is written {@code _}.
 */
public final class Word2VecText {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private Word2VecText() {}

    /**
     * Writes a table, whole, then renames it into place.
     *
     * @param file where to write
     * @param vectors N rows of D values
     * @param keys one key per row
     * @throws IOException when writing fails
     * @throws IllegalArgumentException when the keys do not match the rows, or rows differ in width
     */
    public static void write(Path file, float[][] vectors, List<String> keys) throws IOException {
        if (keys.size() != vectors.length) {
            throw new IllegalArgumentException(vectors.length + " vectors but " + keys.size() + " keys");
        }
        int width = Npy.width(vectors);
        AtomicFiles.write(file, out -> {
            out.write((vectors.length + " " + width + "\n").getBytes(StandardCharsets.US_ASCII));
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < vectors.length; i++) {
                line.setLength(0);
                line.append(key(keys.get(i)));
                for (float v : vectors[i]) {
                    line.append(' ').append(v);
                }
                out.write(line.append('\n').toString().getBytes(StandardCharsets.UTF_8));
            }
        });
    }

    /**
     * Returns a key as the format can hold it.
     *
     * @param key the label or id
     * @return it with every run of whitespace replaced by {@code _}, or {@code _} when empty
     */
    static String key(String key) {
        String k = WHITESPACE.matcher(key == null ? "" : key.strip()).replaceAll("_");
        return k.isEmpty() ? "_" : k;
    }
}
