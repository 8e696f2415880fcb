package dev.embtrain.training.kinds;

import static dev.embtrain.training.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import dev.embtrain.datasets.tables.ExampleTables;
import dev.embtrain.datasets.io.TableFile;
import dev.embtrain.datasets.synthetic.SyntheticMovieLens;
import dev.embtrain.training.cli.CliRun.Result;
import dev.embtrain.training.run.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A config whose data files are {@code s3://} objects trains exactly as it does on the same
 * files on disk; a missing object is a config error naming the URI and the status.
 */
class S3DataTest {

    static {
        // fastexcel's Aalto parser would be found first as the StAX implementation; S3Mock's
        // Jackson XML sets Woodstox properties on it, so name Woodstox before S3Mock starts.
        System.setProperty("javax.xml.stream.XMLOutputFactory", "com.ctc.wstx.stax.WstxOutputFactory");
        System.setProperty("javax.xml.stream.XMLInputFactory", "com.ctc.wstx.stax.WstxInputFactory");
    }

    @RegisterExtension
    static final S3MockExtension S3 = S3MockExtension.builder().silent().withSecureConnection(false)
            .withInitialBuckets("shop").build();

    @BeforeAll
    static void pointTheSdkAtTheServer() {
        System.setProperty("aws.endpointUrlS3", "http://localhost:" + S3.getHttpPort());
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        System.setProperty("aws.region", "us-east-1");
    }

    @AfterAll
    static void forgetIt() {
        for (String s : List.of("aws.endpointUrlS3", "aws.accessKeyId", "aws.secretAccessKey", "aws.region",
                "javax.xml.stream.XMLOutputFactory", "javax.xml.stream.XMLInputFactory")) {
            System.clearProperty(s);
        }
    }

    @Test
    void theShippedRatingsConfigTrainsOnS3ObjectsAsOnLocalFiles(@TempDir Path tmp) throws Exception {
        Path shop = tmp.resolve("shop");
        ExampleTables.Written w = ExampleTables.write(new SyntheticMovieLens.Spec(60, 40, 2000, 2, 0.5, 42), shop,
                TableFile.Format.PARQUET);
        try (S3Client client = S3.createS3ClientV2()) {
            for (Path f : List.of(w.ratings(), w.users(), w.items())) {
                client.putObject(r -> r.bucket("shop").key("tables/" + f.getFileName()), RequestBody.fromFile(f));
            }
        }
        Path config = Path.of("..").toAbsolutePath().normalize().resolve("configs/ratings-csv.yaml");
        Result local = run("train", config.toString(), "--run-dir", tmp.resolve("local").toString(),
                "--set", "dataset.path=" + w.ratings(), "--set", "dataset.users.path=" + w.users(),
                "--set", "dataset.items.path=" + w.items(), "--set", "training.epochs=2");
        assertEquals(0, local.status(), local.err());
        Result remote = run("train", config.toString(), "--run-dir", tmp.resolve("remote").toString(),
                "--set", "dataset.path=s3://shop/tables/ratings.parquet",
                "--set", "dataset.users.path=s3://shop/tables/users.parquet",
                "--set", "dataset.items.path=s3://shop/tables/items.parquet", "--set", "training.epochs=2");
        assertEquals(0, remote.status(), remote.err());
        for (int line = 1; line <= 2; line++) {
            String[] a = Files.readAllLines(tmp.resolve("local").resolve(RunFiles.METRICS)).get(line).split(",");
            String[] b = Files.readAllLines(tmp.resolve("remote").resolve(RunFiles.METRICS)).get(line).split(",");
            // train_loss and valid_mse of each epoch, exactly.
            assertEquals(a[1] + "," + a[2], b[1] + "," + b[2]);
        }
        assertTrue(Files.readString(tmp.resolve("remote").resolve(RunFiles.CONFIG))
                .contains("path: s3://shop/tables/ratings.parquet"));

        Result missing = run("train", config.toString(), "--run-dir", tmp.resolve("missing").toString(),
                "--set", "dataset.path=s3://shop/tables/nothing.csv");
        assertEquals(2, missing.status());
        assertEquals("embtrain: dataset.path: s3://shop/tables/nothing.csv: HTTP 404 NoSuchKey"
                + " (--set dataset.path=s3://shop/tables/nothing.csv)\n", missing.err());
    }
}
