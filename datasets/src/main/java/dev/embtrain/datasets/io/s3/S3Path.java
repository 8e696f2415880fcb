package dev.embtrain.datasets.io.s3;

import java.net.URI;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An object in S3, {@code s3://bucket/key}, as a {@link Path}, so that the readers that take a
 * path ({@code Files.newInputStream}, {@code Files.newByteChannel}, {@code Files.size}) read it as
 * they read a local file. A relative path (what {@link #getFileName()} returns) has no bucket.
 * Read-only: see {@link S3FileSystemProvider}.
 */
public final class S3Path implements Path {

    /** The scheme. */
    public static final String SCHEME = "s3";
    /** What an S3 location starts with. */
    public static final String PREFIX = "s3://";

    private final S3FileSystem fs;
    private final String bucket;
    private final String key;

    S3Path(S3FileSystem fs, String bucket, String key) {
        this.fs = fs;
        this.bucket = bucket;
        this.key = key;
    }

    /**
     * Tells whether a string names an S3 object.
     *
     * @param location a path or URI as a user wrote it
     * @return whether it starts with {@code s3://}
     */
    public static boolean isS3(String location) {
        return location.startsWith(PREFIX);
    }

    /**
     * Parses {@code s3://bucket/key}.
     *
     * @param location the location
     * @return its path
     * @throws IllegalArgumentException when it has no bucket or no key
     */
    public static S3Path of(String location) {
        if (!isS3(location)) {
            throw new IllegalArgumentException("expected s3://bucket/key, found \"" + location + "\"");
        }
        String rest = location.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new IllegalArgumentException("expected s3://bucket/key, found \"" + location + "\"");
        }
        return new S3Path(S3FileSystem.INSTANCE, rest.substring(0, slash), rest.substring(slash + 1));
    }

    /**
     * Returns the bucket.
     *
     * @return the bucket, or null for a relative path
     */
    public String bucket() {
        return bucket;
    }

    /**
     * Returns the key.
     *
     * @return the object's key
     */
    public String key() {
        return key;
    }

    private List<String> names() {
        return key.isEmpty() ? List.of() : Arrays.asList(key.split("/", -1));
    }

    @Override
    public S3FileSystem getFileSystem() {
        return fs;
    }

    @Override
    public boolean isAbsolute() {
        return bucket != null;
    }

    @Override
    public Path getRoot() {
        return bucket == null ? null : new S3Path(fs, bucket, "");
    }

    @Override
    public Path getFileName() {
        List<String> n = names();
        return n.isEmpty() ? null : new S3Path(fs, null, n.get(n.size() - 1));
    }

    @Override
    public Path getParent() {
        int slash = key.lastIndexOf('/');
        if (slash < 0) {
            return getRoot();
        }
        return new S3Path(fs, bucket, key.substring(0, slash));
    }

    @Override
    public int getNameCount() {
        return names().size();
    }

    @Override
    public Path getName(int index) {
        return new S3Path(fs, null, names().get(index));
    }

    @Override
    public Path subpath(int beginIndex, int endIndex) {
        return new S3Path(fs, null, String.join("/", names().subList(beginIndex, endIndex)));
    }

    @Override
    public boolean startsWith(Path other) {
        return other instanceof S3Path o && Objects.equals(o.bucket, bucket)
                && (o.key.isEmpty() || key.equals(o.key) || key.startsWith(o.key + "/"));
    }

    @Override
    public boolean endsWith(Path other) {
        return other instanceof S3Path o && (o.bucket == null ? key.equals(o.key) || key.endsWith("/" + o.key)
                : equals(o));
    }

    @Override
    public Path normalize() {
        return this;
    }

    @Override
    public Path resolve(Path other) {
        if (!(other instanceof S3Path o)) {
            return resolve(other.toString());
        }
        if (o.isAbsolute()) {
            return o;
        }
        return new S3Path(fs, bucket, key.isEmpty() ? o.key : key + "/" + o.key);
    }

    @Override
    public Path resolve(String other) {
        return other.isEmpty() ? this : isS3(other) ? of(other) : resolve(new S3Path(fs, null, other));
    }

    @Override
    public Path relativize(Path other) {
        if (!(other instanceof S3Path o) || !o.startsWith(this)) {
            throw new IllegalArgumentException(other + " is not under " + this);
        }
        return new S3Path(fs, null, o.key.equals(key) ? "" : o.key.substring(key.isEmpty() ? 0 : key.length() + 1));
    }

    @Override
    public URI toUri() {
        return URI.create(toString());
    }

    @Override
    public Path toAbsolutePath() {
        if (!isAbsolute()) {
            throw new IllegalStateException("a relative S3 path has no bucket: " + key);
        }
        return this;
    }

    @Override
    public Path toRealPath(LinkOption... options) {
        return toAbsolutePath();
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
        throw new UnsupportedOperationException("S3 objects cannot be watched");
    }

    @Override
    public int compareTo(Path other) {
        if (!(other instanceof S3Path)) {
            throw new ProviderMismatchException();
        }
        return toString().compareTo(other.toString());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof S3Path p && Objects.equals(p.bucket, bucket) && p.key.equals(key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bucket, key);
    }

    /**
     * Returns {@code s3://bucket/key}, or the key alone for a relative path.
     *
     * @return the location
     */
    @Override
    public String toString() {
        return bucket == null ? key : PREFIX + bucket + "/" + key;
    }

    /** Splits into names, for {@code iterator()}. */
    @Override
    public java.util.Iterator<Path> iterator() {
        List<Path> out = new ArrayList<>();
        for (String n : names()) {
            out.add(new S3Path(fs, null, n));
        }
        return out.iterator();
    }
}
