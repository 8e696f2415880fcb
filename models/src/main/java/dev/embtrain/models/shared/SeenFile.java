package dev.embtrain.models.shared;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's {@code vocab/seen.txt}: line u (from 0) lists the item vocabulary indices user
 * vocabulary index u rated in training, space-separated, ascending. {@code embtrain recommend}
 * and the served top-k read it alike, to leave those items out.
 */
public final class SeenFile {
    private SeenFile() {}

    /**
     * Reads the file.
     *
     * @param file the file
     * @return per user index, its training item indices
     * @throws IOException when it cannot be read
     * @throws IllegalArgumentException naming the line that holds something other than indices
     */
    public static int[][] read(Path file) throws IOException {
        List<int[]> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = line.isEmpty() ? new String[0] : line.split(" ");
                int[] items = new int[f.length];
                try {
                    for (int i = 0; i < f.length; i++) {
                        items[i] = Integer.parseInt(f[i]);
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("line " + (out.size() + 1)
                            + ": expected item indices separated by spaces");
                }
                out.add(items);
            }
        }
        return out.toArray(new int[0][]);
    }
}
