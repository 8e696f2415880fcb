package dev.embtrain.datasets.io.s3;

import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Set;

/** The one S3 file system: every bucket the credentials reach, read-only. */
public final class S3FileSystem extends FileSystem {

    static final S3FileSystem INSTANCE = new S3FileSystem();

    private S3FileSystem() {}

    @Override
    public S3FileSystemProvider provider() {
        return S3FileSystemProvider.INSTANCE;
    }

    @Override
    public void close() {
        // Nothing to release: clients live as long as the JVM.
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public boolean isReadOnly() {
        return true;
    }

    @Override
    public String getSeparator() {
        return "/";
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        return List.of();
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return List.of();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return Set.of("basic");
    }

    @Override
    public Path getPath(String first, String... more) {
        String joined = more.length == 0 ? first : first + "/" + String.join("/", more);
        return S3Path.of(joined);
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        throw new UnsupportedOperationException("S3 paths have no matcher");
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        throw new UnsupportedOperationException("S3 has no user principals");
    }

    @Override
    public WatchService newWatchService() {
        throw new UnsupportedOperationException("S3 objects cannot be watched");
    }
}
