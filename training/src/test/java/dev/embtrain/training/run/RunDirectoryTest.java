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

/** Runs appear whole or not at all, replace only what embtrain wrote, and one writer at a time. */
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
        Files.writeString(target.resolve(RunDirectory.MARKER), ""); // a run embtrain wrote
        try (RunDirectory run = RunDirectory.begin(target, true)) {
            Files.writeString(run.dir().resolve("new.txt"), "new");
            assertTrue(Files.exists(target.resolve("old.txt")), "the old run stays until the new one is complete");
            run.commit();
        }
        assertFalse(Files.exists(target.resolve("old.txt")));
        assertEquals("new", Files.readString(target.resolve("new.txt")));
        assertEquals(1, entries(tmp));
    }

    @Test
    void overwriteRefusesAFolderOfTheUsersOwnFilesAndAFileLeavingThemIntact(@TempDir Path tmp) throws Exception {
        Path thesis = Files.createDirectories(tmp.resolve("thesis"));
        Files.writeString(thesis.resolve("chapter1.tex"), "mine");
        var e = assertThrows(FileAlreadyExistsException.class, () -> RunDirectory.begin(thesis, true));
        assertEquals(thesis + ": this directory was not written by embtrain (it has no .embtrain), and --overwrite"
                + " replaces only runs; pick another --run-dir, or move it away", e.getMessage());
        assertEquals("mine", Files.readString(thesis.resolve("chapter1.tex")));
        Path notes = Files.writeString(tmp.resolve("notes.txt"), "also mine");
        e = assertThrows(FileAlreadyExistsException.class, () -> RunDirectory.begin(notes, true));
        assertEquals(notes + ": a file is there, and --overwrite replaces only a directory embtrain wrote; pick"
                + " another --run-dir, or move the file away", e.getMessage());
        assertEquals("also mine", Files.readString(notes));
        assertEquals(2, entries(tmp), "nothing was staged beside them");
    }

    @Test
    void aCommittedRunIsMarkedSoItCanBeReplacedLater(@TempDir Path tmp) throws Exception {
        Path target = tmp.resolve("run");
        try (RunDirectory run = RunDirectory.begin(target, false)) {
            run.commit();
        }
        assertTrue(Files.isRegularFile(target.resolve(RunDirectory.MARKER)));
        assertFalse(Files.exists(target.resolve(".lock")), "the lock does not outlive the writer");
        try (RunDirectory run = RunDirectory.begin(target, true)) {
            run.commit();
        }
        assertEquals(1, entries(tmp));
    }

    @Test
    void aSecondWriterOfTheSameRunIsRefusedWhileTheFirstWorks(@TempDir Path tmp) throws Exception {
        Path target = tmp.resolve("run");
        try (RunDirectory first = RunDirectory.begin(target, false)) {
            assertEquals(tmp.resolve("run.partial"), first.dir());
            for (boolean overwrite : new boolean[] {false, true}) {
                var e = assertThrows(FileAlreadyExistsException.class, () -> RunDirectory.begin(target, overwrite));
                assertEquals(first.dir() + ": another embtrain process is writing " + target + " now; wait for it,"
                        + " or pick another --run-dir", e.getMessage());
            }
            assertTrue(Files.isDirectory(first.dir()), "the refusal leaves the first writer's files alone");
        }
        assertEquals(0, entries(tmp));
    }

    @Test
    void aPartialRunNoProcessHoldsIsNamedAndReplacedOnlyWhenAsked(@TempDir Path tmp) throws Exception {
        Path target = tmp.resolve("run");
        Path left = Files.createDirectories(tmp.resolve("run.partial"));
        Files.writeString(left.resolve(".lock"), "");
        Files.writeString(left.resolve("metrics.csv"), "epoch\n");
        var e = assertThrows(FileAlreadyExistsException.class, () -> RunDirectory.begin(target, false));
        assertEquals(left + ": left over from a run that stopped before it finished (no process holds it); delete"
                + " it, or pass --overwrite to replace it", e.getMessage());
        assertTrue(Files.exists(left.resolve("metrics.csv")));
        try (RunDirectory run = RunDirectory.begin(target, true)) {
            assertFalse(Files.exists(run.dir().resolve("metrics.csv")));
            run.commit();
        }
        assertEquals(1, entries(tmp));
    }
}
