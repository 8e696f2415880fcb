package dev.embtrain.training.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A directory that appears whole or not at all: everything is written into a visible staging
 * directory beside the target, {@code NAME.partial}, which is renamed into place when the work
 * succeeds and deleted when it fails. Whoever writes holds a lock inside it, so a second
 * writer of the same target is refused while the first works, and a {@code NAME.partial} that
 * no process holds is known to be left over from a killed one.
 *
 * <p>An existing target is replaced only when asked, only after the new one is complete, and
 * only when embtrain wrote it (it holds {@link #MARKER}): {@code --overwrite} never deletes a
 * folder of the user's own files, nor a file.
 */
public final class RunDirectory implements AutoCloseable {

    /** The file that marks a directory embtrain wrote, and so may replace. */
    public static final String MARKER = ".embtrain";
    /** The suffix of the staging directory. */
    public static final String PARTIAL = ".partial";

    private static final String LOCK = ".lock";

    private final Path target;
    private final Path staging;
    private final boolean overwrite;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private boolean committed;
    private boolean kept;

    private RunDirectory(Path target, Path staging, boolean overwrite, FileChannel lockChannel, FileLock lock) {
        this.target = target;
        this.staging = staging;
        this.overwrite = overwrite;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Checks that a run may be written to {@code target}, without creating anything.
     *
     * @param target the run directory
     * @param overwrite whether an existing run may be replaced
     * @throws FileAlreadyExistsException when it exists and {@code overwrite} is false, or it is
     *     not a directory embtrain wrote
     */
    public static void checkWritable(Path target, boolean overwrite) throws FileAlreadyExistsException {
        if (!Files.exists(target)) {
            return;
        }
        if (!overwrite) {
            throw new FileAlreadyExistsException(target.toString(), null,
                    "a run already exists there; pass --overwrite to replace it, or --run-dir to write elsewhere");
        }
        if (!Files.isDirectory(target)) {
            throw new FileAlreadyExistsException(target.toString(), null,
                    "a file is there, and --overwrite replaces only a directory embtrain wrote; pick another"
                            + " --run-dir, or move the file away");
        }
        if (!isEmbtrains(target)) {
            throw new FileAlreadyExistsException(target.toString(), null,
                    "this directory was not written by embtrain (it has no " + MARKER + "), and --overwrite"
                            + " replaces only runs; pick another --run-dir, or move it away");
        }
    }

    /**
     * Returns whether embtrain wrote a directory: it holds the marker, or (directories written
     * before the marker) a run's {@code config.yaml} with its {@code resolved:} section or an
     * exported {@code serving.properties}.
     *
     * @param dir the directory
     * @return whether it may be replaced
     */
    static boolean isEmbtrains(Path dir) {
        if (Files.isRegularFile(dir.resolve(MARKER))) {
            return true;
        }
        try {
            Path config = dir.resolve("config.yaml");
            Path serving = dir.resolve("serving.properties");
            return Files.isRegularFile(config) && Files.readString(config, StandardCharsets.UTF_8).contains("\nresolved:")
                    || Files.isRegularFile(serving) && Files.readString(serving, StandardCharsets.UTF_8)
                            .startsWith("# Written by embtrain");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Starts writing: creates and locks the staging directory {@code NAME.partial}.
     *
     * @param target where the directory will be
     * @param overwrite whether an existing one (and a left-over partial one) may be replaced
     * @return the run directory
     * @throws IOException when the staging directory cannot be created, another process is
     *     writing it, or the target exists
     */
    public static RunDirectory begin(Path target, boolean overwrite) throws IOException {
        checkWritable(target, overwrite);
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path staging = parent.resolve(target.getFileName() + PARTIAL);
        if (Files.exists(staging)) {
            if (held(staging)) {
                throw new FileAlreadyExistsException(staging.toString(), null,
                        "another embtrain process is writing " + target + " now; wait for it, or pick another"
                                + " --run-dir");
            }
            if (!overwrite) {
                throw new FileAlreadyExistsException(staging.toString(), null,
                        "left over from a run that stopped before it finished (no process holds it); delete it,"
                                + " or pass --overwrite to replace it");
            }
            deleteTree(staging);
        }
        try {
            // Not Files.createTempDirectory: that makes it owner-only, and the run would stay so.
            Files.createDirectory(staging);
        } catch (FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(staging.toString(), null,
                    "another embtrain process is writing " + target + " now; wait for it, or pick another --run-dir");
        }
        FileChannel channel = FileChannel.open(staging.resolve(LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new FileAlreadyExistsException(staging.toString(), null,
                    "another embtrain process is writing " + target + " now; wait for it, or pick another --run-dir");
        }
        Files.writeString(staging.resolve(MARKER), "written by embtrain\n", StandardCharsets.UTF_8);
        return new RunDirectory(target, staging, overwrite, channel, lock);
    }

    /**
     * Takes over the staging directory a stopped run left, to continue it.
     *
     * @param target where the run will be
     * @return the run directory, its files as they were left
     * @throws IOException when there is nothing to resume, the run finished, or another process
     *     holds it
     */
    public static RunDirectory resume(Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Path staging = parent.resolve(target.getFileName() + PARTIAL);
        if (!Files.isDirectory(staging)) {
            if (!Files.isDirectory(target) || !isEmbtrains(target)) {
                throw new java.nio.file.NoSuchFileException(staging.toString(), null,
                        "nothing to resume: no run was interrupted there");
            }
            // A finished run: extended in a copy, which replaces it only once the longer run is complete.
            copyTree(target, staging);
        }
        if (held(staging)) {
            throw new FileAlreadyExistsException(staging.toString(), null,
                    "another embtrain process is writing " + target + " now; wait for it, or pick another --run-dir");
        }
        FileChannel channel = FileChannel.open(staging.resolve(LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock();
        if (lock == null) {
            channel.close();
            throw new FileAlreadyExistsException(staging.toString(), null,
                    "another embtrain process is writing " + target + " now; wait for it, or pick another --run-dir");
        }
        return new RunDirectory(target, staging, true, channel, lock);
    }

    /**
     * Keeps the staging directory when closed, unlocked, for {@link #resume}: a run stopped on
     * request keeps its checkpoint.
     *
     * @throws IOException when the lock cannot be released
     */
    public void keep() throws IOException {
        unlock();
        kept = true;
    }

    /** Whether a live process (this one included) holds a staging directory's lock. */
    private static boolean held(Path staging) {
        Path file = staging.resolve(LOCK);
        if (!Files.exists(file)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock probe = channel.tryLock();
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
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
     * Moves the finished directory into place, replacing an old one if allowed.
     *
     * @throws IOException when the move fails; the staging directory is then kept for inspection
     */
    public void commit() throws IOException {
        checkWritable(target, overwrite);
        unlock();
        Path old = null;
        if (Files.exists(target)) {
            old = staging.getParent().resolve(target.getFileName() + ".old");
            deleteTree(old);
            move(target, old);
        }
        move(staging, target);
        committed = true;
        if (old != null) {
            deleteTree(old);
        }
    }

    private void unlock() throws IOException {
        if (lock.isValid()) {
            lock.release();
        }
        lockChannel.close();
        Files.deleteIfExists(staging.resolve(LOCK));
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
        if (!committed && !kept) {
            try {
                unlock();
                deleteTree(staging);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete staging directory " + staging, e);
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
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
