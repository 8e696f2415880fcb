package dev.embtrain.datasets.movielens;

import dev.embtrain.datasets.io.DataFormatException;
import dev.embtrain.datasets.io.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.apache.commons.codec.binary.Hex;
import org.apache.commons.codec.digest.DigestUtils;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Downloads and unpacks the official MovieLens zips from GroupLens into a cache directory,
 * verifying each against a known SHA-256 so a truncated or tampered download is never read.
 *
 * <p>Nothing is left half-done: a download goes to a {@code .part} file that is deleted
 * unless its checksum matches, and {@link #extract(Path, Path)} unpacks into a temporary
 * directory that is moved into place only when every entry was written.
 */
public final class MovieLensDownload {
    /** Where GroupLens serves the zips; a variant's URL is this plus {@code <variant>.zip}. */
    public static final String BASE_URL = "https://files.grouplens.org/datasets/movielens/";

    /** The variants {@link #fetch(String, Path)} knows, smallest first. */
    public static final List<String> VARIANTS = List.of("ml-100k", "ml-1m", "ml-latest-small", "ml-25m");

    /**
     * SHA-256 of each variant's zip, as recorded in TensorFlow Datasets'
     * {@code url_checksums/movielens.txt}. A variant missing here is refused rather than
     * downloaded unverified. GroupLens regenerates ml-latest-small now and then; a mismatch
     * there more likely means a new release than a bad download, and the error says both
     * checksums so the entry can be updated.
     */
    public static final Map<String, String> KNOWN_SHA256 = Map.of(
            "ml-100k", "50d2a982c66986937beb9ffb3aa76efe955bf3d5c6b761f4e3a7cd717c6a3229",
            "ml-1m", "a6898adb50b9ca05aa231689da44c217cb524e7ebd39d264c56e2832f2c54e20",
            "ml-latest-small", "696d65a3dfceac7c45750ad32df2c259311949efec81f0f144fdfb91ebc9e436",
            "ml-25m", "8b21cfb7eb1706b4ec0aac894368d90acf26ebdfb6aced3ebd4ad5bd1eb9c6aa");

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Logger LOG = LogManager.getLogger(MovieLensDownload.class);

    private MovieLensDownload() {}

    /**
     * Returns {@code cacheDir/<variant>}, downloading and unpacking the official zip first when
     * that directory does not exist yet.
     *
     * @param variant one of {@link #VARIANTS}
     * @throws IllegalArgumentException for an unknown variant, or one without a known checksum
     * @throws IOException when the download fails or its checksum does not match
     */
    public static Path fetch(String variant, Path cacheDir) throws IOException {
        if (!VARIANTS.contains(variant)) {
            throw new IllegalArgumentException("MovieLens variant: expected one of " + VARIANTS + ", found "
                    + (variant == null ? "null" : "\"" + variant + "\""));
        }
        String sha256 = KNOWN_SHA256.get(variant);
        if (sha256 == null) {
            throw new IllegalArgumentException("no known SHA-256 for " + variant
                    + "; refusing to download it unverified (use fetchFrom with a checksum)");
        }
        // Each official zip holds one top-level directory named after the variant.
        return fetchFrom(URI.create(BASE_URL + variant + ".zip"), sha256, cacheDir, variant);
    }

    /**
     * Downloads the zip at {@code uri} (http, https or file), checks its SHA-256, and unpacks
     * it into {@code cacheDir}; every entry must lie under the top-level directory
     * {@code name}, which is returned. When {@code cacheDir/name} already exists it is
     * returned as it is, without downloading.
     *
     * @throws IOException when the download fails, or its checksum is not
     *     {@code expectedSha256} (the message gives both; the download is deleted)
     * @throws DataFormatException when the archive is not a zip, has entries outside
     *     {@code name/}, or has entries that escape the cache directory
     */
    public static Path fetchFrom(URI uri, String expectedSha256, Path cacheDir, String name) throws IOException {
        if (expectedSha256 == null || !SHA256_HEX.matcher(expectedSha256).matches()) {
            throw new IllegalArgumentException("expected SHA-256 must be 64 hex digits, found "
                    + (expectedSha256 == null ? "null" : "\"" + expectedSha256 + "\""));
        }
        if (name == null || name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new IllegalArgumentException("data set name must be a plain directory name, found "
                    + (name == null ? "null" : "\"" + name + "\""));
        }
        String expected = expectedSha256.toLowerCase(Locale.ROOT);
        Path target = cacheDir.resolve(name);
        if (Files.isDirectory(target)) {
            LOG.info("using {} (already downloaded)", target);
            return target;
        }
        Files.createDirectories(cacheDir);
        Path part = FileTrees.createUniqueFile(cacheDir, "." + name + "-", ".zip.part");
        try {
            LOG.info("downloading {} to {}", uri, cacheDir);
            String actual = download(uri, part);
            if (!actual.equals(expected)) {
                throw new IOException(uri + ": SHA-256 mismatch: expected " + expected + ", actual " + actual
                        + "; deleted the download");
            }
            checkLayout(part, name);
            extract(part, cacheDir);
        } finally {
            Files.deleteIfExists(part);
        }
        LOG.info("unpacked {}", target);
        return target;
    }

    /** Copies {@code uri} to {@code file}, returning the SHA-256 of what was copied. */
    private static String download(URI uri, Path file) throws IOException {
        MessageDigest digest = sha256Digest();
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("http") || scheme.equals("https")) {
            HttpClient client = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(Duration.ofSeconds(30))
                    .build();
            HttpRequest request = HttpRequest.newBuilder(uri).GET().build();
            HttpResponse<InputStream> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while downloading " + uri, e);
            }
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException("GET " + uri + " returned HTTP " + response.statusCode());
                }
                copy(new DigestInputStream(body, digest), file);
            }
        } else {
            try (InputStream in = uri.toURL().openStream()) {
                copy(new DigestInputStream(in, digest), file);
            }
        }
        return Hex.encodeHexString(digest.digest());
    }

    private static void copy(InputStream in, Path file) throws IOException {
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Requires every entry under {@code name/}, so unpacking into the cache creates exactly that directory. */
    private static void checkLayout(Path zip, String name) throws IOException {
        try (ZipFile archive = open(zip)) {
            Enumeration<? extends ZipEntry> entries = archive.entries();
            while (entries.hasMoreElements()) {
                String entry = entries.nextElement().getName();
                if (!entry.startsWith(name + "/")) {
                    throw new DataFormatException(zip, 0, "entry \"" + entry + "\" is not under " + name
                            + "/; expected the layout of the official MovieLens zips");
                }
            }
        }
    }

    /** The SHA-256 of {@code file}, as 64 lower-case hex digits. */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return DigestUtils.sha256Hex(in);
        }
    }

    /**
     * Unpacks {@code zip} into {@code targetDir}, refusing any entry that would land outside it
     * ("zip slip": {@code ../} components or absolute paths).
     *
     * <p>All entries are checked before anything is written. They are unpacked into a
     * temporary directory; then, if {@code targetDir} did not exist, that directory is renamed
     * to it, and otherwise each top-level entry is renamed into it (each appears whole or not
     * at all). A top-level entry that already exists in {@code targetDir} is refused, never
     * overwritten.
     *
     * @throws DataFormatException when the file is not a zip, an entry escapes
     *     {@code targetDir}, or an entry appears twice
     * @throws FileAlreadyExistsException when a top-level entry already exists in {@code targetDir}
     */
    public static void extract(Path zip, Path targetDir) throws IOException {
        Path target = targetDir.toAbsolutePath().normalize();
        try (ZipFile archive = open(zip)) {
            List<ZipEntry> entries = new ArrayList<>();
            Set<String> topLevel = new LinkedHashSet<>();
            Enumeration<? extends ZipEntry> all = archive.entries();
            while (all.hasMoreElements()) {
                ZipEntry entry = all.nextElement();
                Path resolved = target.resolve(entry.getName()).normalize();
                if (!resolved.startsWith(target) || (resolved.equals(target) && !entry.isDirectory())) {
                    throw new DataFormatException(zip, 0,
                            "entry \"" + entry.getName() + "\" escapes the target directory; refusing to extract");
                }
                if (!resolved.equals(target)) {
                    topLevel.add(target.relativize(resolved).getName(0).toString());
                    entries.add(entry);
                }
            }
            boolean merge = Files.exists(target);
            if (merge) {
                if (!Files.isDirectory(target)) {
                    throw new FileAlreadyExistsException(target.toString(), null, "exists and is not a directory");
                }
                for (String name : topLevel) {
                    if (Files.exists(target.resolve(name))) {
                        throw new FileAlreadyExistsException(target.resolve(name).toString(), null,
                                "already exists; refusing to overwrite it with the contents of " + zip);
                    }
                }
            } else {
                Files.createDirectories(target.getParent());
            }
            // Inside the target when merging, beside it otherwise: either way on the same file system, so renames work.
            Path staging = merge
                    ? FileTrees.createUniqueDirectory(target, ".extract-")
                    : FileTrees.createUniqueDirectory(target.getParent(), "." + target.getFileName() + ".extract-");
            try {
                for (ZipEntry entry : entries) {
                    Path out = staging.resolve(entry.getName()).normalize();
                    if (entry.isDirectory()) {
                        Files.createDirectories(out);
                        continue;
                    }
                    Files.createDirectories(out.getParent());
                    try (InputStream in = archive.getInputStream(entry)) {
                        Files.copy(in, out);
                    } catch (FileAlreadyExistsException e) {
                        throw new DataFormatException(zip, 0, "entry \"" + entry.getName() + "\" appears twice", e);
                    }
                }
                if (merge) {
                    for (String name : topLevel) {
                        move(staging.resolve(name), target.resolve(name));
                    }
                } else {
                    move(staging, target);
                }
            } finally {
                FileTrees.deleteRecursively(staging);
            }
        }
        LOG.info("extracted {} into {}", zip, target);
    }

    private static ZipFile open(Path zip) throws IOException {
        try {
            return new ZipFile(zip.toFile());
        } catch (ZipException e) {
            throw new DataFormatException(zip, 0, "not a zip archive (" + e.getMessage() + ")", e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }
}
