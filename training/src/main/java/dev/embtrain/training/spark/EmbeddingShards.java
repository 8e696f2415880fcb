package dev.embtrain.training.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What {@code spark score --embeddings} names, when it is not Parquet: {@code .csv} and
 * {@code .npy} files scored one task a file, each read as {@code embtrain score} reads it. A
 * {@code .npy} shard's ids are {@code --ids} for a single file, else the CSV beside it named
 * {@code NAME.ids.csv}. A .npy file of more than 250,000 rows is read by several tasks, a range
 * of rows each. No Spark class: the command line checks the shards before Spark starts.
 */
public final class EmbeddingShards {

    /** Rows of a .npy file one task reads (a test makes it small). */
    static long rowsATask = 250_000;

    private EmbeddingShards() {}

    /**
     * Lists the shards.
     *
     * @param embeddings a .csv or .npy file, a directory of them, or a glob in a directory
     *     ({@code vectors/part-*.npy}); a name ending .parquet, or a directory of Parquet parts,
     *     is read as one Spark table instead
     * @param ids the ids file of a single .npy file, or null
     * @return each task's file, ids file (null for CSV) and row range (from, to; null for a whole
     *     CSV file): a .npy file of more than 250,000 rows is split into ranges of 250,000, so
     *     that one big file is still read by many tasks; in name order; null for Parquet
     * @throws IOException when the directory cannot be listed
     * @throws NoSuchFileException when nothing is found, or a .npy shard has no ids file
     */
    public static List<String[]> list(String embeddings, String ids) throws IOException {
        String lower = embeddings.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".parquet") || embeddings.contains("://")) {
            return null;
        }
        Path path = Path.of(embeddings);
        String leaf = path.getFileName() == null ? "" : path.getFileName().toString();
        List<Path> files = new ArrayList<>();
        if (leaf.contains("*") || leaf.contains("?")) {
            Path parent = path.toAbsolutePath().getParent();
            PathMatcher glob = parent.getFileSystem().getPathMatcher("glob:" + leaf);
            try (Stream<Path> s = Files.list(parent)) {
                s.filter(p -> glob.matches(p.getFileName()) && shard(p)).sorted().forEach(files::add);
            }
        } else if (Files.isDirectory(path)) {
            try (Stream<Path> s = Files.list(path)) {
                List<Path> all = s.sorted().toList();
                if (all.stream().anyMatch(p -> p.getFileName().toString().endsWith(".parquet"))
                        && all.stream().noneMatch(EmbeddingShards::shard)) {
                    return null;
                }
                all.stream().filter(EmbeddingShards::shard).forEach(files::add);
            }
        } else if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(embeddings, null, "no such file or directory");
        } else if (shard(path)) {
            files.add(path);
        } else {
            throw new NoSuchFileException(embeddings, null, "expected .parquet, .csv or .npy (or a directory or glob"
                    + " of .csv and .npy shards)");
        }
        if (files.isEmpty()) {
            throw new NoSuchFileException(embeddings, null, "no .csv or .npy shards");
        }
        if (ids != null && (files.size() != 1 || !files.get(0).getFileName().toString().endsWith(".npy"))) {
            throw new IllegalArgumentException("--ids is for a single .npy file; " + embeddings + " is not one (shards"
                    + " take their ids from NAME.ids.csv beside NAME.npy)");
        }
        List<String[]> out = new ArrayList<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            String idsFile = null;
            if (name.endsWith(".npy")) {
                Path chosen = ids != null ? Path.of(ids)
                        : f.resolveSibling(name.substring(0, name.length() - 4) + ".ids.csv");
                if (!Files.isRegularFile(chosen)) {
                    throw new NoSuchFileException(f.toString(), null, "a .npy shard needs its ids: " + chosen
                            + " (a CSV with a rid column) is missing" + (files.size() == 1 ? "; or give --ids" : ""));
                }
                idsFile = chosen.toAbsolutePath().toString();
            }
            if (idsFile == null) {
                out.add(new String[] {f.toAbsolutePath().toString(), null, null, null});
                continue;
            }
            // A large .npy file is read by several tasks, a range of rows each.
            long rows = dev.embtrain.datasets.labelled.NpyFloats.rows(f);
            for (long from = 0; from < Math.max(rows, 1); from += rowsATask) {
                out.add(new String[] {f.toAbsolutePath().toString(), idsFile, Long.toString(from),
                        Long.toString(Math.min(rows, from + rowsATask))});
            }
        }
        return out;
    }

    private static boolean shard(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (name.endsWith(".npy") || name.endsWith(".csv") && !name.endsWith(".ids.csv"));
    }
}
