package dev.embtrain.training.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {

    private static long entries(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void appearsOnlyWhenCommitted(@TempDir Path tmp) throws Exception {
        Path target = tmp.resolve("run");
        try (RunDirectory run = RunDirectory.begin(target, false)) {
            Files.writeString(run.dir().resolve("a.txt"), "a");
            assertFalse(Files.exists(target));
            run.commit();
        }
        assertEquals("a", Files.readString(target.resolve("a.txt")));
        assertEquals(1, entries(tmp), "no staging directory is left behind");
    }

    @Test
    void aFailedRunLeavesNothing(@TempDir Path tmp) throws Exception {
        try (RunDirectory run = RunDirectory.begin(tmp.resolve("run"), false)) {
            Files.writeString(run.dir().resolve("half.txt"), "half");
        }
        assertEquals(0, entries(tmp));
    }

    @Test
    void refusesToReplaceWithoutOverwrite(@TempDir Path tmp) throws Exception {
        Path target = Files.createDirectory(tmp.resolve("run"));
        var e = assertThrows(FileAlreadyExistsException.class, () -> RunDirectory.begin(target, false));
        assertEquals(target + ": a run already exists there; pass --overwrite to replace it, or --run-dir to write"
                + " elsewhere", e.getMessage());
    }

    @Test
    void overwriteReplacesTheOldRunWhole(@TempDir Path tmp) throws Exception {
        Path target = Files.createDirectory(tmp.resolve("run"));
        Files.writeString(target.resolve("old.txt"), "old");
        try (RunDirectory run = RunDirectory.begin(target, true)) {
            Files.writeString(run.dir().resolve("new.txt"), "new");
            assertTrue(Files.exists(target.resolve("old.txt")), "the old run stays until the new one is complete");
            run.commit();
        }
        assertFalse(Files.exists(target.resolve("old.txt")));
        assertEquals("new", Files.readString(target.resolve("new.txt")));
        assertEquals(1, entries(tmp));
    }
}
