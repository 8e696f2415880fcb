package dev.embtrain.training.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void failedWriteKeepsTheOldFileAndLeavesNoTemporary() throws IOException {
        Path file = dir.resolve("t.tsv");
        AtomicFiles.write(file, out -> out.write("old\n".getBytes()));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write("half a new fi".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals("old\n", Files.readString(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void writtenFileIsNotOwnerOnly() throws IOException {
        // Files.createTempFile would give 0600, which the exported file would keep.
        Path file = dir.resolve("t.npy");
        AtomicFiles.write(file, out -> out.write(1));
        String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
        assertEquals(Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain"))),
                Files.getPosixFilePermissions(file), perms);
    }
}
