package dev.embtrain.datasets.movielens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.datasets.io.DataFormatException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MovieLensDownloadTest {
    @TempDir
    Path tmp;

    /** Writes a zip of {@code entries} (name → content; null content makes a directory entry). */
    private Path zip(String name, Map<String, String> entries) throws IOException {
        Path file = tmp.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                if (entry.getValue() != null) {
                    zip.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                }
                zip.closeEntry();
            }
        }
        return file;
    }

    private Path tinyMovieLensZip() throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("ml-tiny/", null);
        entries.put("ml-tiny/u.data", "1\t1\t5\t881250949\n");
        entries.put("ml-tiny/u.item", MovieLensTest.item("1", "Kolya (1996)") + "\n");
        entries.put("ml-tiny/docs/README", "tiny\n");
        return zip("ml-tiny.zip", entries);
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    @Test
    void extractsANormalZip() throws IOException {
        Path zip = tinyMovieLensZip();
        Path target = tmp.resolve("out");

        MovieLensDownload.extract(zip, target);

        assertEquals("1\t1\t5\t881250949\n", Files.readString(target.resolve("ml-tiny/u.data")));
        assertEquals("tiny\n", Files.readString(target.resolve("ml-tiny/docs/README")));
        assertEquals(List.of(target.resolve("ml-tiny")), list(target));
        assertEquals(List.of(tmp.resolve("ml-tiny.zip"), target), list(tmp), "no staging directory left behind");
        assertEquals(1, MovieLens.read(target.resolve("ml-tiny"), ItemKey.TITLE).size());
    }

    @Test
    void extractsIntoAnExistingDirectoryButNeverOverwrites() throws IOException {
        Path zip = tinyMovieLensZip();
        Path target = Files.createDirectories(tmp.resolve("cache"));
        Files.writeString(target.resolve("other.txt"), "keep");

        MovieLensDownload.extract(zip, target);
        assertEquals(List.of(target.resolve("ml-tiny"), target.resolve("other.txt")), list(target));

        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                () -> MovieLensDownload.extract(zip, target));
        assertEquals(target.resolve("ml-tiny") + ": already exists; refusing to overwrite it with the contents of " + zip,
                e.getMessage());
        assertEquals(List.of(target.resolve("ml-tiny"), target.resolve("other.txt")), list(target));
    }

    @Test
    void refusesEntriesThatClimbOutOfTheTarget() throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("fine.txt", "ok");
        entries.put("../evil.txt", "pwned");
        Path zip = zip("slip.zip", entries);
        Path target = tmp.resolve("out");

        DataFormatException e = assertThrows(DataFormatException.class, () -> MovieLensDownload.extract(zip, target));

        assertEquals(zip + ": entry \"../evil.txt\" escapes the target directory; refusing to extract", e.getMessage());
        assertFalse(Files.exists(tmp.resolve("evil.txt")));
        assertEquals(List.of(zip), list(tmp), "nothing extracted, no staging directory");
    }

    @Test
    void refusesNestedClimbsAndAbsoluteEntries() throws IOException {
        Path zip = zip("nested.zip", Map.of("ok/../../evil.txt", "pwned"));
        Path target = tmp.resolve("out");
        assertEquals(zip + ": entry \"ok/../../evil.txt\" escapes the target directory; refusing to extract",
                assertThrows(DataFormatException.class, () -> MovieLensDownload.extract(zip, target)).getMessage());

        String absolute = tmp.resolve("absolute-evil.txt").toAbsolutePath().toString();
        Path zip2 = zip("absolute.zip", Map.of(absolute, "pwned"));
        assertEquals(zip2 + ": entry \"" + absolute + "\" escapes the target directory; refusing to extract",
                assertThrows(DataFormatException.class, () -> MovieLensDownload.extract(zip2, target)).getMessage());
        assertFalse(Files.exists(tmp.resolve("absolute-evil.txt")));
        assertFalse(Files.exists(target));
    }

    @Test
    void refusesAFileThatIsNotAZip() throws IOException {
        Path notZip = Files.writeString(tmp.resolve("data.zip"), "this is not a zip");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> MovieLensDownload.extract(notZip, tmp.resolve("out")));
        assertTrue(e.getMessage().startsWith(notZip + ": not a zip archive"), e.getMessage());
    }

    @Test
    void sha256IsLowerCaseHex() throws IOException {
        Path file = Files.writeString(tmp.resolve("abc.txt"), "abc");
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", MovieLensDownload.sha256(file));
    }

    @Test
    void fetchFromVerifiesAndUnpacksThenReusesTheCache() throws IOException {
        Path zip = tinyMovieLensZip();
        String sha = MovieLensDownload.sha256(zip);
        Path cache = tmp.resolve("cache");

        Path dir = MovieLensDownload.fetchFrom(zip.toUri(), sha.toUpperCase(), cache, "ml-tiny");

        assertEquals(cache.resolve("ml-tiny"), dir);
        assertEquals(List.of(dir), list(cache), "no .part file left behind");
        assertEquals("Kolya (1996)", MovieLens.read(dir, ItemKey.ID).itemLabels().get("1"));

        Files.delete(zip);
        assertEquals(dir, MovieLensDownload.fetchFrom(zip.toUri(), sha, cache, "ml-tiny"), "served from the cache");
    }

    @Test
    void fetchFromDeletesADownloadWithTheWrongChecksum() throws IOException {
        Path zip = tinyMovieLensZip();
        String actual = MovieLensDownload.sha256(zip);
        String wrong = "0".repeat(64);
        Path cache = tmp.resolve("cache");

        IOException e = assertThrows(IOException.class,
                () -> MovieLensDownload.fetchFrom(zip.toUri(), wrong, cache, "ml-tiny"));

        assertEquals(zip.toUri() + ": SHA-256 mismatch: expected " + wrong + ", actual " + actual
                + "; deleted the download", e.getMessage());
        assertEquals(List.of(), list(cache));
    }

    @Test
    void fetchFromRequiresTheNamedTopLevelDirectory() throws IOException {
        Path zip = zip("flat.zip", Map.of("u.data", "1\t1\t5\t1\n"));
        Path cache = tmp.resolve("cache");

        DataFormatException e = assertThrows(DataFormatException.class,
                () -> MovieLensDownload.fetchFrom(zip.toUri(), MovieLensDownload.sha256(zip), cache, "ml-tiny"));

        assertTrue(e.getMessage().endsWith(": entry \"u.data\" is not under ml-tiny/; expected the layout of the "
                + "official MovieLens zips"), e.getMessage());
        assertEquals(List.of(), list(cache));
    }

    @Test
    void fetchKnowsTheOfficialVariantsAndTheirChecksums() {
        assertEquals("MovieLens variant: expected one of [ml-100k, ml-1m, ml-latest-small, ml-25m], found \"ml-99k\"",
                assertThrows(IllegalArgumentException.class,
                        () -> MovieLensDownload.fetch("ml-99k", tmp)).getMessage());
        for (String variant : MovieLensDownload.VARIANTS) {
            assertTrue(MovieLensDownload.KNOWN_SHA256.get(variant).matches("[0-9a-f]{64}"), variant);
        }
        assertEquals("expected SHA-256 must be 64 hex digits, found \"abc\"", assertThrows(IllegalArgumentException.class,
                () -> MovieLensDownload.fetchFrom(URI.create("file:///nowhere.zip"), "abc", tmp, "x")).getMessage());
    }
}
