package dev.embtrain.datasets.movielens;

import dev.embtrain.datasets.io.DataFormatException;
import dev.embtrain.datasets.io.Lines;
import dev.embtrain.datasets.split.Split;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * MovieLens 100k's official train/test splits, as GroupLens's {@code mku.sh} makes them from
 * {@code u.data}: {@code u1} to {@code u5} (five disjoint test sets of a fifth of the ratings
 * each, in file order, for 5-fold cross-validation) and {@code ua}, {@code ub} (each user's
 * first ten ratings in file order, and the next ten, in the test set). Each is a pair of files
 * {@code NAME.base} and {@code NAME.test} in u.data's layout, sorted by user then item.
 */
public final class MovieLensFolds {
    private MovieLensFolds() {}

    /** Every official split, in the order GroupLens lists them. */
    public static final List<String> NAMES = List.of("u1", "u2", "u3", "u4", "u5", "ua", "ub");

    /** The five folds of the official cross-validation. */
    public static final List<String> CROSS_VALIDATION = NAMES.subList(0, 5);

    /**
     * Returns whether a directory holds every official split.
     *
     * @param dir the directory
     * @return true when every {@code .base} and {@code .test} file is there
     */
    public static boolean present(Path dir) {
        return NAMES.stream().allMatch(n -> Files.isRegularFile(dir.resolve(n + ".base"))
                && Files.isRegularFile(dir.resolve(n + ".test")));
    }

    /**
     * Writes every split from a directory's {@code u.data}, as {@code mku.sh} does: u1-u5 from
     * consecutive fifths of the file (the last taking what a fifth leaves over), ua and ub by
     * {@code allbut.pl} (a user's 1st-10th and 11th-20th ratings in file order to test). Each
     * file is written whole, then renamed into place.
     *
     * @param dir the directory
     * @throws IOException when a file cannot be read or written
     */
    public static void write(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        Lines.forEach(dir.resolve("u.data"), StandardCharsets.ISO_8859_1, (line, number) -> lines.add(line));
        int n = lines.size();
        int fifth = n / 5;
        for (int f = 0; f < 5; f++) {
            int from = f * fifth;
            int to = f == 4 ? n : from + fifth;
            List<String> test = new ArrayList<>(lines.subList(from, to));
            List<String> base = new ArrayList<>(lines.subList(0, from));
            base.addAll(lines.subList(to, n));
            write(dir, "u" + (f + 1), base, test);
        }
        allBut(dir, "ua", lines, 1, 10);
        allBut(dir, "ub", lines, 11, 20);
    }

    private static void allBut(Path dir, String name, List<String> lines, int start, int stop) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        List<String> base = new ArrayList<>();
        List<String> test = new ArrayList<>();
        for (String line : lines) {
            int count = counts.merge(line.substring(0, line.indexOf('\t')), 1, Integer::sum);
            (count >= start && count <= stop ? test : base).add(line);
        }
        write(dir, name, base, test);
    }

    private static void write(Path dir, String name, List<String> base, List<String> test) throws IOException {
        Comparator<String> byUserItem = Comparator.comparingLong((String l) -> field(l, 0))
                .thenComparingLong(l -> field(l, 1));
        for (String part : new String[] {"base", "test"}) {
            List<String> rows = new ArrayList<>(part.equals("base") ? base : test);
            rows.sort(byUserItem);
            Path file = dir.resolve(name + "." + part);
            Path tmp = dir.resolve(name + "." + part + ".partial");
            Files.write(tmp, rows, StandardCharsets.ISO_8859_1);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static long field(String line, int index) {
        String[] f = line.split("\t", 3);
        return Long.parseLong(f[index]);
    }

    /**
     * Splits the rows of a directory's {@code u.data} (row i = its i-th line, as
     * {@link MovieLens#read} reads them) by an official split: the {@code .base} file's ratings
     * train, the {@code .test} file's validate.
     *
     * @param dir the directory
     * @param name one of {@link #NAMES}
     * @return the split, rows ascending
     * @throws DataFormatException naming file and line of a rating u.data does not have, or a
     *     rating given twice
     * @throws IOException when a file cannot be read
     */
    public static Split split(Path dir, String name) throws IOException {
        Map<String, Integer> rows = new HashMap<>();
        Lines.forEach(dir.resolve("u.data"), StandardCharsets.ISO_8859_1, (line, number) ->
                rows.put(key(line), rows.size()));
        int[] part = new int[rows.size()];
        Arrays.fill(part, -1);
        int[] counts = new int[2];
        for (int p = 0; p < 2; p++) {
            Path file = dir.resolve(name + (p == 0 ? ".base" : ".test"));
            int which = p;
            Lines.forEach(file, StandardCharsets.ISO_8859_1, (line, number) -> {
                Integer row = rows.get(key(line));
                if (row == null) {
                    throw new DataFormatException(file, number, "this rating is not in " + dir.resolve("u.data"));
                }
                if (part[row] >= 0) {
                    throw new DataFormatException(file, number, "this rating is in both " + name + ".base and "
                            + name + ".test, or twice in one");
                }
                part[row] = which;
                counts[which]++;
            });
        }
        int[] train = new int[counts[0]];
        int[] valid = new int[counts[1]];
        int t = 0;
        int v = 0;
        for (int row = 0; row < part.length; row++) {
            if (part[row] == 0) {
                train[t++] = row;
            } else if (part[row] == 1) {
                valid[v++] = row;
            }
        }
        return new Split(train, valid);
    }

    /** A rating's user and item, the key by which base and test lines find their u.data row. */
    private static String key(String line) {
        int first = line.indexOf('\t');
        int second = line.indexOf('\t', first + 1);
        return second < 0 ? line : line.substring(0, second);
    }
}
