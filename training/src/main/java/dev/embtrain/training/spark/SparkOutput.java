package dev.embtrain.training.spark;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Writes a job's rows where {@code --out} says, in the format its name says: a {@code .parquet}
 * directory (one part file a partition, as Spark writes it), or one {@code .csv} file with a
 * header, for a local {@code --out}. Nothing is written over: an existing OUT is refused before
 * the job runs, and a CSV file appears only once complete.
 */
final class SparkOutput {

    private SparkOutput() {}

    /**
     * Checks an output path before any work.
     *
     * @param out the path
     * @throws IllegalArgumentException for a name that is neither .parquet nor .csv
     * @throws FileAlreadyExistsException when it exists
     */
    static void check(String out) throws FileAlreadyExistsException {
        String bad = OutputName.problem(out);
        if (bad != null) {
            throw new IllegalArgumentException(bad);
        }
        if (!out.contains("://") && Files.exists(Path.of(out))) {
            throw new FileAlreadyExistsException(out, null, "exists; remove it or pick another --out");
        }
    }

    /**
     * Writes the rows.
     *
     * @param rows the rows
     * @param out the path, checked by {@link #check}
     * @throws IOException when moving the CSV into place fails
     */
    static void write(Dataset<Row> rows, String out) throws IOException {
        if (out.endsWith(".parquet")) {
            try {
                rows.write().parquet(out);
            } catch (Exception e) {
                // (Scala's exceptions are undeclared: a failed job's SparkException is caught here too.)
                // A failed job leaves the directory Spark made; check() saw none before, so it goes.
                if (!out.contains("://")) {
                    deleteTree(Path.of(out));
                }
                throw e;
            }
            return;
        }
        Path target = Path.of(out).toAbsolutePath();
        Path parent = Files.createDirectories(target.getParent());
        Path tmp = parent.resolve("." + target.getFileName() + ".tmp-" + System.nanoTime());
        try {
            rows.coalesce(1).write().option("header", "true").csv(tmp.toString());
            List<Path> parts;
            try (Stream<Path> s = Files.list(tmp)) {
                parts = s.filter(p -> p.getFileName().toString().startsWith("part-")).toList();
            }
            if (parts.size() != 1) {
                throw new IOException("Spark wrote " + parts.size() + " CSV part files into " + tmp + ", expected 1");
            }
            Files.move(parts.get(0), target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteTree(tmp);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
