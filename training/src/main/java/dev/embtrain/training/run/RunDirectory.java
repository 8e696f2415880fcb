package dev.embtrain.training.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A run directory that appears whole or not at all: everything is written into a hidden staging
 * directory beside the target, which is renamed into place when the run succeeds and deleted
 * when it fails. An existing run is replaced only when asked, and only after the new one is
 * complete.
 */
public final class RunDirectory implements AutoCloseable {

    private final Path target;
    private final Path staging;
    private final boolean overwrite;
    private boolean committed;

    private RunDirectory(Path target, Path staging, boolean overwrite) {
        this.target = target;
        this.staging = staging;
        this.overwrite = overwrite;
    }

    /**
     * Checks that a run may be written to {@code target}, without creating anything.
     *
     * @param target the run directory
     * @param overwrite whether an existing run may be replaced
     * @throws FileAlreadyExistsException when it exists and {@code overwrite} is false
     */
    public static void checkWritable(Path target, boolean overwrite) throws FileAlreadyExistsException {
        if (Files.exists(target) && !overwrite) {
            throw new FileAlreadyExistsException(target.toString(), null,
                    "a run already exists there; pass --overwrite to replace it, or --run-dir to write elsewhere");
        }
    }

    /**
     * Starts a run: creates the staging directory.
     *
     * @param target where the run will be
     * @param overwrite whether an existing run may be replaced
     * @return the run directory
     * @throws IOException when the staging directory cannot be created, or the run exists
     */
    public static RunDirectory begin(Path target, boolean overwrite) throws IOException {
        checkWritable(target, overwrite);
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        // Not Files.createTempDirectory: that makes it owner-only, and the run would stay so.
        Path staging = parent.resolve("." + target.getFileName() + ".partial-" + Long.toHexString(System.nanoTime()));
        Files.createDirectory(staging);
        return new RunDirectory(target, staging, overwrite);
    }

    /**
     * Returns where files are written until {@link #commit()}.
     *
     * @return the staging directory
     */
    public Path dir() {
        return staging;
    }

    /**
     * Returns where the run will be.
     *
     * @return the target
     */
    public Path target() {
        return target;
    }

    /**
     * Moves the finished run into place, replacing an old one if allowed.
     *
     * @throws IOException when the move fails; the staging directory is then kept for inspection
     */
    public void commit() throws IOException {
        checkWritable(target, overwrite);
        Path old = null;
        if (Files.exists(target)) {
            old = staging.getParent().resolve("." + target.getFileName() + ".old-" + Long.toHexString(System.nanoTime()));
            move(target, old);
        }
        move(staging, target);
        committed = true;
        if (old != null) {
            deleteTree(old);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /** Deletes the staging directory unless the run was committed. */
    @Override
    public void close() {
        if (!committed) {
            try {
                deleteTree(staging);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete staging directory " + staging, e);
            }
        }
    }

    /**
     * Deletes a directory tree.
     *
     * @param dir the tree
     * @throws IOException when a file cannot be deleted
     */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
