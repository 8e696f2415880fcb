package dev.embtrain.datasets.io.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import dev.embtrain.datasets.io.DataFormatException;
import dev.embtrain.datasets.io.ParquetTable;
import dev.embtrain.datasets.io.TableFile;
import dev.embtrain.datasets.labelled.EmbeddingsFile;
import dev.embtrain.datasets.labelled.LabelledEmbeddings;
import dev.embtrain.datasets.movielens.RatingsTable;
import dev.embtrain.datasets.retail.OnlineRetail;
import dev.embtrain.datasets.tables.RatingsFile;
import dev.embtrain.datasets.tables.SessionsFile;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code s3://} paths read through the AWS SDK from a real S3-compatible server (S3Mock, started
 * in this JVM, found through {@code aws.endpointUrlS3} as {@code AWS_ENDPOINT_URL_S3} would give
 * it): the same tables as local files, streamed; missing objects name the URI and the status.
 */
class S3ReadTest {

    static {
        // fastexcel's Aalto parser would be found first as the StAX implementation; S3Mock's
        // Jackson XML sets Woodstox properties on it, so name Woodstox before S3Mock starts.
        System.setProperty("javax.xml.stream.XMLOutputFactory", "com.ctc.wstx.stax.WstxOutputFactory");
        System.setProperty("javax.xml.stream.XMLInputFactory", "com.ctc.wstx.stax.WstxInputFactory");
    }

    @RegisterExtension
    static final S3MockExtension S3 = S3MockExtension.builder().silent().withSecureConnection(false)
            .withInitialBuckets("data").build();

    private static final String[] SETTINGS = {"aws.endpointUrlS3", "aws.accessKeyId", "aws.secretAccessKey",
        "aws.region"};

    @TempDir
    static Path dir;

    @BeforeAll
    static void pointTheSdkAtTheServer() {
        System.setProperty("aws.endpointUrlS3", "http://localhost:" + S3.getHttpPort());
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        System.setProperty("aws.region", "us-east-1");
    }

    @AfterAll
    static void forgetIt() {
        for (String s : SETTINGS) {
            System.clearProperty(s);
        }
    }

    private static S3Path upload(Path local, String key) {
        try (S3Client client = S3.createS3ClientV2()) {
            client.putObject(r -> r.bucket("data").key(key), RequestBody.fromFile(local));
        }
        return S3Path.of("s3://data/" + key);
    }

    private static void assertSameRatings(RatingsTable a, RatingsTable b) {
        assertArrayEquals(a.users(), b.users());
        assertArrayEquals(a.items(), b.items());
        assertArrayEquals(a.ratings(), b.ratings());
        assertArrayEquals(a.timestamps(), b.timestamps());
    }

    @Test
    void csvGzipAndParquetTablesReadFromS3AsFromDisk() throws Exception {
        StringBuilder csv = new StringBuilder("customer,product,stars,ts\n");
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            String user = "c" + (i % 97);
            String item = "p" + (i * 7 % 131);
            double stars = 1 + i % 5;
            long ts = 1_600_000_000L + i;
            csv.append(user).append(',').append(item).append(',').append((int) stars).append(',').append(ts)
                    .append('\n');
            rows.add(new Object[] {user, item, stars, ts});
        }
        Path local = Files.writeString(dir.resolve("r.csv"), csv);
        Path gz = dir.resolve("r.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(csv.toString().getBytes(StandardCharsets.UTF_8));
        }
        Path parquet = dir.resolve("r.parquet");
        ParquetTable.write(parquet, List.of("customer", "product", "stars", "ts"), rows);
        RatingsFile.Columns columns = new RatingsFile.Columns("customer", "product", "stars", "ts", null);
        RatingsTable expected = RatingsFile.read(local, columns).table();
        for (Path file : List.of(local, gz, parquet)) {
            S3Path remote = upload(file, "shop/" + file.getFileName());
            assertEquals("s3://data/shop/" + file.getFileName(), remote.toString());
            assertNull(TableFile.unreadable(remote));
            RatingsFile.Read read = RatingsFile.read(remote, columns);
            assertSameRatings(expected, read.table());
            assertEquals(remote, read.table().source());
        }
    }

    @Test
    void aChannelSeeksWithRangedReads() throws Exception {
        byte[] bytes = new byte[200_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        S3Path remote = upload(Files.write(dir.resolve("blob"), bytes), "blob");
        assertEquals(bytes.length, Files.size(remote));
        try (SeekableByteChannel ch = Files.newByteChannel(remote)) {
            ByteBuffer tail = ByteBuffer.allocate(10);
            ch.position(bytes.length - 10);
            assertEquals(10, ch.read(tail));
            assertEquals(-1, ch.read(ByteBuffer.allocate(1)));
            ch.position(5);
            ByteBuffer head = ByteBuffer.allocate(3);
            ch.read(head);
            assertArrayEquals(new byte[] {bytes[5], bytes[6], bytes[7]}, head.array());
            assertArrayEquals(java.util.Arrays.copyOfRange(bytes, bytes.length - 10, bytes.length), tail.array());
        }
        try (InputStream in = Files.newInputStream(remote)) {
            assertArrayEquals(bytes, in.readAllBytes());
        }
    }

    @Test
    void sessionsReadFromS3() throws Exception {
        Path text = Files.writeString(dir.resolve("s.txt"), "a b c\nd e\n");
        assertEquals(SessionsFile.readText(text).sessions(), SessionsFile.readText(upload(text, "s.txt")).sessions());
        Path table = Files.writeString(dir.resolve("s.csv"), "session,item,at\nx,b,2\nx,a,1\n");
        SessionsFile.Columns columns = new SessionsFile.Columns("session", "item", "at", null);
        assertEquals(SessionsFile.read(table, columns).sessions(),
                SessionsFile.read(upload(table, "s.csv"), columns).sessions());
    }

    /** What the embeddings cookbook reads "local or S3": labels joined to vectors, CSV and .npy with an ids file. */
    @Test
    void labelledEmbeddingsJoinFromS3AsFromDisk() throws Exception {
        StringBuilder labels = new StringBuilder("rid,label\n");
        StringBuilder csv = new StringBuilder("rid,bottleneck\n");
        StringBuilder ids = new StringBuilder("rid\n");
        int n = 300;
        int width = 4;
        java.nio.ByteBuffer data = java.nio.ByteBuffer.allocate(n * width * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            labels.append("id").append(i).append(',').append(i % 3 == 0 ? 1 : 0).append('\n');
            ids.append("id").append(i).append('\n');
            csv.append("id").append(i).append(',');
            for (int k = 0; k < width; k++) {
                float v = (i * 7 + k) / 16f;
                csv.append(k == 0 ? "" : " ").append(v);
                data.putFloat(v);
            }
            csv.append('\n');
        }
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + n + ", " + width + "), }";
        String header = dict + " ".repeat(128 - 10 - dict.length() - 1) + "\n";
        Path npy = dir.resolve("e.npy");
        try (OutputStream out = Files.newOutputStream(npy)) {
            out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
            out.write(header.getBytes(StandardCharsets.ISO_8859_1));
            out.write(data.array());
        }
        Path labelsFile = Files.writeString(dir.resolve("labels.csv"), labels);
        Path csvFile = Files.writeString(dir.resolve("e.csv"), csv);
        Path idsFile = Files.writeString(dir.resolve("ids.csv"), ids);
        LabelledEmbeddings.Joined local = LabelledEmbeddings.read(labelsFile,
                new EmbeddingsFile(csvFile, "bottleneck", null));
        S3Path remoteLabels = upload(labelsFile, "churn/labels.csv");
        for (EmbeddingsFile remote : List.of(new EmbeddingsFile(upload(csvFile, "churn/e.csv"), "bottleneck", null),
                new EmbeddingsFile(upload(npy, "churn/e.npy"), "bottleneck", upload(idsFile, "churn/ids.csv")))) {
            LabelledEmbeddings.Joined joined = LabelledEmbeddings.read(remoteLabels, remote);
            assertArrayEquals(local.ids(), joined.ids());
            assertArrayEquals(local.labels(), joined.labels());
            assertArrayEquals(local.vectors(), joined.vectors());
        }
        NoSuchFileException missing = assertThrows(NoSuchFileException.class, () -> LabelledEmbeddings.read(
                S3Path.of("s3://data/churn/nope.csv"), new EmbeddingsFile(csvFile, "bottleneck", null)));
        assertEquals("s3://data/churn/nope.csv: HTTP 404 NoSuchKey", missing.getMessage());
    }

    /** The UCI Online Retail file, as .csv from S3. */
    @Test
    void onlineRetailReadsFromS3() throws Exception {
        Path csv = Files.writeString(dir.resolve("retail.csv"), """
                InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
                536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom
                536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850.0,United Kingdom
                """);
        assertEquals(OnlineRetail.read(csv), OnlineRetail.read(upload(csv, "retail.csv")));
    }

    @Test
    void aMissingObjectOrBucketNamesTheUriAndTheStatus() throws Exception {
        S3Path missing = S3Path.of("s3://data/nothing/here.csv");
        assertEquals("s3://data/nothing/here.csv: HTTP 404 NoSuchKey", TableFile.unreadable(missing));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Files.newInputStream(missing));
        assertEquals("s3://data/nothing/here.csv: HTTP 404 NoSuchKey", e.getMessage());
        NoSuchFileException bucket = assertThrows(NoSuchFileException.class,
                () -> Files.newInputStream(S3Path.of("s3://no-such-bucket/r.csv")));
        assertEquals("s3://no-such-bucket/r.csv: HTTP 404 NoSuchBucket", bucket.getMessage());
        Path bad = Files.writeString(dir.resolve("bad.csv"), "customer,product,stars\nu,i,x\n");
        S3Path remote = upload(bad, "bad.csv");
        DataFormatException format = assertThrows(DataFormatException.class,
                () -> RatingsFile.read(remote, new RatingsFile.Columns("customer", "product", "stars", null, null)));
        assertEquals("s3://data/bad.csv:2: column \"stars\": \"x\" is not a number", format.getMessage());
        assertEquals("expected s3://bucket/key, found \"s3://data\"",
                assertThrows(IllegalArgumentException.class, () -> S3Path.of("s3://data")).getMessage());
    }
}
