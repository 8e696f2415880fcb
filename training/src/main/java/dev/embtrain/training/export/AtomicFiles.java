package dev.embtrain.training.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that readers see either the old content or the complete new content, never
 * a half-written file: a notebook or TensorBoard reading an export while a run rewrites it
 * would otherwise load a truncated matrix without any error.
 */
public final class AtomicFiles {

    /** Produces the file's bytes; the stream is buffered and closed by {@link #write}. */
    @FunctionalInterface
    public interface Body {
        /**
         * Writes the file's content.
         *
         * @param out where to write it
         * @throws IOException when writing fails
         */
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {}

    /**
     * Writes {@code target} through a temporary file in the same directory (a rename is only
     * atomic within one file system), then moves it over {@code target}.
     */
    public static void write(Path target, Body body) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path tmp = createTemp(absolute);
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                body.writeTo(out);
                out.flush();
                // Without forcing, a crash soon after the rename can leave the new name
                // pointing at an empty file on some file systems.
                channel.force(true);
            }
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Creates the temporary file with the default permissions; {@code Files.createTempFile}
     * would make it owner-only (0600), and the exported file would keep those permissions
     * after the move, unreadable to a TensorBoard run by another user.
     */
    private static Path createTemp(Path target) throws IOException {
        Path dir = target.getParent();
        String prefix = "." + target.getFileName() + ".";
        for (int attempt = 0; ; attempt++) {
            long suffix = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
            Path tmp = dir.resolve(prefix + Long.toString(suffix, 36) + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }
}
