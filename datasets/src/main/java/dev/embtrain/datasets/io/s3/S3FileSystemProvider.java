package dev.embtrain.datasets.io.s3;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.spi.FileSystemProvider;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads {@code s3://bucket/key} objects through the AWS SDK for Java v2, streamed, never
 * downloaded whole: {@code Files.newInputStream} is one GET; {@code Files.newByteChannel} (what
 * Parquet's footer-first reads use) opens a ranged GET from the position read and reopens only
 * when a read jumps. Credentials come from the SDK's standard chain (environment, system
 * properties, profile, container or instance role); the region from its chain, else
 * {@code us-east-1}; {@code AWS_ENDPOINT_URL_S3} or {@code AWS_ENDPOINT_URL} (or the system
 * properties {@code aws.endpointUrlS3}, {@code aws.endpointUrl}) point it at an S3-compatible
 * store (MinIO, S3Mock), with path-style addressing. Nothing is written.
 *
 * <p>Errors name the object and the status: {@code s3://b/k: HTTP 404 NoSuchKey},
 * {@code s3://b/k: HTTP 403 AccessDenied} (as {@link NoSuchFileException} and
 * {@link AccessDeniedException}).
 */
public final class S3FileSystemProvider extends FileSystemProvider {

    static final S3FileSystemProvider INSTANCE = new S3FileSystemProvider();

    private static S3Client client;
    private static String clientEndpoint;

    private S3FileSystemProvider() {}

    /**
     * Returns the endpoint of an S3-compatible store, if one is configured.
     *
     * @return the endpoint URL, or null for AWS
     */
    static String endpoint() {
        for (String[] setting : new String[][] {{"aws.endpointUrlS3", "AWS_ENDPOINT_URL_S3"},
                {"aws.endpointUrl", "AWS_ENDPOINT_URL"}}) {
            String v = System.getProperty(setting[0], System.getenv(setting[1]));
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }

    /** The client, built on first use and again when the endpoint setting changes. */
    static synchronized S3Client client() {
        String endpoint = endpoint();
        if (client == null || !Objects.equals(endpoint, clientEndpoint)) {
            if (client != null) {
                client.close();
            }
            S3ClientBuilder b = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
            Region region;
            try {
                region = new DefaultAwsRegionProviderChain().getRegion();
            } catch (SdkException e) {
                region = Region.US_EAST_1;
            }
            b.region(region);
            if (endpoint != null) {
                b.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
            }
            client = b.build();
            clientEndpoint = endpoint;
        }
        return client;
    }

    private static S3Path s3(Path path) {
        if (!(path instanceof S3Path p)) {
            throw new ProviderMismatchException();
        }
        if (!p.isAbsolute()) {
            throw new IllegalArgumentException("a relative S3 path names no bucket: " + p);
        }
        return p;
    }

    /**
     * Turns an SDK failure into an I/O error naming the object and the HTTP status.
     *
     * @param path the object
     * @param e the failure
     * @return the error to throw
     */
    static IOException error(S3Path path, SdkException e) {
        if (e instanceof S3Exception s) {
            String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
            String status = "HTTP " + s.statusCode() + (code == null || code.isEmpty() ? "" : " " + code);
            if (s.statusCode() == 404) {
                return new NoSuchFileException(path.toString(), null, status);
            }
            if (s.statusCode() == 403) {
                return new AccessDeniedException(path.toString(), null, status);
            }
            return new IOException(path + ": " + status);
        }
        return new IOException(path + ": " + e.getMessage(), e);
    }

    static HeadObjectResponse head(S3Path p) throws IOException {
        try {
            return client().headObject(r -> r.bucket(p.bucket()).key(p.key()));
        } catch (SdkException e) {
            throw error(p, e);
        }
    }

    static ResponseInputStream<GetObjectResponse> get(S3Path p, long from) throws IOException {
        try {
            GetObjectRequest.Builder r = GetObjectRequest.builder().bucket(p.bucket()).key(p.key());
            if (from > 0) {
                r.range("bytes=" + from + "-");
            }
            return client().getObject(r.build());
        } catch (SdkException e) {
            throw error(p, e);
        }
    }

    @Override
    public String getScheme() {
        return S3Path.SCHEME;
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
        return S3FileSystem.INSTANCE;
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        return S3FileSystem.INSTANCE;
    }

    @Override
    public Path getPath(URI uri) {
        return S3Path.of(uri.toString());
    }

    @Override
    public InputStream newInputStream(Path path, OpenOption... options) throws IOException {
        return get(s3(path), 0);
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
            FileAttribute<?>... attrs) throws IOException {
        for (OpenOption o : options) {
            if (o != StandardOpenOption.READ) {
                throw new ReadOnlyFileSystemException();
            }
        }
        S3Path p = s3(path);
        return new Channel(p, head(p).contentLength());
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) {
        throw new UnsupportedOperationException("S3 prefixes cannot be listed here: name each object, "
                + dir + " is a prefix");
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void delete(Path path) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public boolean isSameFile(Path path, Path path2) {
        return path.equals(path2);
    }

    @Override
    public boolean isHidden(Path path) {
        return false;
    }

    @Override
    public FileStore getFileStore(Path path) {
        throw new UnsupportedOperationException("S3 has no file stores");
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        for (AccessMode m : modes) {
            if (m != AccessMode.READ) {
                throw new AccessDeniedException(path.toString(), null, "read-only");
            }
        }
        head(s3(path));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        if (type != BasicFileAttributeView.class) {
            return null;
        }
        S3Path p = s3(path);
        return (V) new BasicFileAttributeView() {
            @Override
            public String name() {
                return "basic";
            }

            @Override
            public BasicFileAttributes readAttributes() throws IOException {
                return attributes(p);
            }

            @Override
            public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime) {
                throw new ReadOnlyFileSystemException();
            }
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        if (type != BasicFileAttributes.class) {
            throw new UnsupportedOperationException("S3 objects have basic attributes only");
        }
        return (A) attributes(s3(path));
    }

    private static BasicFileAttributes attributes(S3Path p) throws IOException {
        HeadObjectResponse h = head(p);
        long size = h.contentLength();
        FileTime modified = h.lastModified() == null ? FileTime.fromMillis(0) : FileTime.from(h.lastModified());
        return new BasicFileAttributes() {
            @Override
            public FileTime lastModifiedTime() {
                return modified;
            }

            @Override
            public FileTime lastAccessTime() {
                return modified;
            }

            @Override
            public FileTime creationTime() {
                return modified;
            }

            @Override
            public boolean isRegularFile() {
                return true;
            }

            @Override
            public boolean isDirectory() {
                return false;
            }

            @Override
            public boolean isSymbolicLink() {
                return false;
            }

            @Override
            public boolean isOther() {
                return false;
            }

            @Override
            public long size() {
                return size;
            }

            @Override
            public Object fileKey() {
                return null;
            }
        };
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
            throws IOException {
        BasicFileAttributes a = attributes(s3(path));
        return Map.of("size", a.size(), "lastModifiedTime", a.lastModifiedTime(), "isRegularFile", true,
                "isDirectory", false);
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) {
        throw new ReadOnlyFileSystemException();
    }

    /**
     * A read-only channel over one object: reads stream from one ranged GET, which is replaced
     * when the position moves elsewhere (Parquet reads its footer, then its column chunks).
     */
    private static final class Channel implements SeekableByteChannel {
        private final S3Path path;
        private final long size;
        private long position;
        private ResponseInputStream<GetObjectResponse> in;
        private long streamAt = -1;
        private boolean open = true;
        private byte[] buffer = new byte[0];

        Channel(S3Path path, long size) {
            this.path = path;
            this.size = size;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (!open) {
                throw new java.nio.channels.ClosedChannelException();
            }
            if (position >= size) {
                return -1;
            }
            if (in == null || streamAt != position) {
                drop();
                in = get(path, position);
                streamAt = position;
            }
            int want = (int) Math.min(dst.remaining(), Math.min(size - position, 1 << 16));
            if (buffer.length < want) {
                buffer = new byte[want];
            }
            int n = in.read(buffer, 0, want);
            if (n < 0) {
                throw new IOException(path + ": the object ended at byte " + position + " of " + size);
            }
            dst.put(buffer, 0, n);
            position += n;
            streamAt += n;
            return n;
        }

        private void drop() {
            if (in != null) {
                in.abort();
                in = null;
            }
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public SeekableByteChannel position(long newPosition) {
            position = newPosition;
            return this;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public SeekableByteChannel truncate(long newSize) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            drop();
            open = false;
        }
    }
}
