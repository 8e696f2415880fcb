package dev.embtrain.training.kinds;

import static dev.embtrain.training.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.datasets.io.TableFile;
import dev.embtrain.datasets.retail.OnlineRetail;
import dev.embtrain.datasets.synthetic.SyntheticSessions;
import dev.embtrain.datasets.tables.ExampleTables;
import dev.embtrain.training.Embtrain;
import dev.embtrain.training.cli.CliRun;
import dev.embtrain.training.cli.CliRun.Result;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.train.Training;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dataset.type: sessions}: a user's clickstream, as a table in any format or as text,
 * trains exactly as the sessions it was written from; an Online Retail export gives the
 * {@code online-retail} type's sessions and test Recall@10; its mistakes are one line.
 */
class SessionsFileTypeTest {

    private static final String MODEL = "model: {type: embedding-bag, mode: skip-gram, vector_size: 8, window: 3,"
            + " negative: 3}\ntraining: {epochs: 2, batch_size: 256, optimizer: {type: adam, learning_rate: 0.01,"
            + " weight_decay: 0.0}, schedule: {type: constant}}\n";
    private static final String EVALUATION = "evaluation: {validation: 40, test: 40, seed: 3}";
    private static final SyntheticSessions.Spec SPEC = new SyntheticSessions.Spec(60, 6, 300, 3, 8, 0.8, 11);

    private static Training.Outcome train(Path tmp, String name, String dataset) throws Exception {
        Path config = Files.writeString(tmp.resolve(name + ".yaml"), "name: " + name + "\nseed: 5\n" + dataset + MODEL);
        return Embtrain.train(config, List.of(), tmp.resolve("runs").resolve(name));
    }

    /** The summary's test scores, without its timing line. */
    private static List<String> scores(Training.Outcome o) {
        return o.summary().stream().filter(line -> !line.startsWith("time ")).toList();
    }

    private static DatasetTypes.Reader<SessionsData.Source> reader(ConfigLoader.Loaded loaded) {
        return DatasetTypes.of(loaded.config().dataset()).sessions();
    }

    private static SessionsData.Source read(Path tmp, String dataset) throws Exception {
        Path config = Files.writeString(tmp.resolve("read.yaml"), "name: read\n" + dataset + MODEL);
        ConfigLoader.Loaded loaded = ConfigLoader.load(config, List.of());
        return reader(loaded).read(loaded);
    }

    @Test
    void aClickstreamInAnyFormatTrainsExactlyAsTheSessionsItWasWrittenFrom(@TempDir Path tmp) throws Exception {
        Training.Outcome generated = train(tmp, "generated", String.format(Locale.ROOT, "dataset: {type:"
                + " synthetic-sessions, items: %d, clusters: %d, sessions: %d, min_length: %d, max_length: %d, stay:"
                + " %s, generator_seed: %d, %s}\n", SPEC.items(), SPEC.clusters(), SPEC.sessions(), SPEC.minLength(),
                SPEC.maxLength(), SPEC.stay(), SPEC.seed(), EVALUATION));
        for (String format : List.of("csv", "tsv", "parquet", "txt")) {
            boolean text = format.equals("txt");
            ExampleTables.WrittenSessions w = ExampleTables.writeSessions(SPEC, tmp.resolve(format),
                    text ? TableFile.Format.CSV : TableFile.Format.valueOf(format.toUpperCase(Locale.ROOT)), text);
            String dataset = "dataset: {type: sessions, path: " + w.sessions()
                    + (text ? "" : ", columns: {session: session_id, item: item_id, order: ts}")
                    + ", labels: {path: " + w.items() + ", key: item_id}, " + EVALUATION + "}\n";
            Training.Outcome own = train(tmp, format, dataset);
            assertEquals(generated.fit().history().size(), own.fit().history().size());
            for (int e = 0; e < own.fit().history().size(); e++) {
                assertEquals(generated.fit().history().get(e).trainLoss(), own.fit().history().get(e).trainLoss());
                assertEquals(generated.fit().history().get(e).valid(), own.fit().history().get(e).valid());
            }
            assertEquals(scores(generated), scores(own), format);
            // Items are labelled from the labels table, as the generator labels them.
            assertEquals(Files.readAllLines(tmp.resolve("runs/generated/embeddings/item_metadata.tsv")).subList(1, 61),
                    Files.readAllLines(tmp.resolve("runs/" + format + "/embeddings/item_metadata.tsv")).subList(1, 61));
        }
    }

    @Test
    void aSessionsCsvMadeFromOnlineRetailGivesItsSessionsAndTestRecall(@TempDir Path tmp) throws Exception {
        // An Online Retail file: customers' purchases drawn from clustered items, some rows with no
        // customer (dropped by the protocol), some customers with fewer than 3 rows.
        SplittableRandom random = new SplittableRandom(3);
        StringBuilder retail = new StringBuilder("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,"
                + "CustomerID,Country\n");
        List<OnlineRetail.Session> drawn = SyntheticSessions.generate(new SyntheticSessions.Spec(60, 6, 300, 1, 8,
                0.8, 11)).sessions();
        int minute = 0;
        for (int s = 0; s < drawn.size(); s++) {
            for (String item : drawn.get(s).items()) {
                String customer = random.nextInt(20) == 0 ? "" : (12000 + s) + ".0";
                retail.append(String.format(Locale.ROOT, "%d,%s,THING %s,2,2011-01-%02d %02d:%02d:00,1.25,%s,France%n",
                        536000 + s, item.toUpperCase(Locale.ROOT), item.substring(1), 1 + minute / 1440,
                        minute / 60 % 24, minute % 60, customer));
                minute++;
            }
        }
        Path file = Files.writeString(tmp.resolve("online_retail.csv"), retail);
        // The export a user would make: the rows with every field, as customer, item, time and label.
        Path sessions = tmp.resolve("purchases.csv");
        Files.writeString(sessions, export(OnlineRetail.read(file)));

        String theirs = "dataset: {type: online-retail, path: " + file + ", " + EVALUATION + "}\n";
        String ours = "dataset: {type: sessions, path: " + sessions + ", columns: {session: customer, item: stock_code,"
                + " order: invoice_date, label: description}, min_length: 3, " + EVALUATION + "}\n";
        SessionsData.Source a = read(tmp, theirs);
        SessionsData.Source b = read(tmp, ours);
        assertTrue(a.sessions().size() > 200 && a.sessions().size() < 300, a.source());
        assertEquals(a.sessions(), b.sessions());
        assertEquals(a.labels(), b.labels());
        Training.Outcome retailRun = train(tmp, "retail", theirs);
        Training.Outcome sessionsRun = train(tmp, "sessions", ours);
        assertEquals(scores(retailRun), scores(sessionsRun));
        assertTrue(scores(sessionsRun).get(1).startsWith("  item2vec                  Recall@10 0."),
                scores(sessionsRun).toString());
        for (int e = 0; e < 2; e++) {
            assertEquals(retailRun.fit().history().get(e).valid(), sessionsRun.fit().history().get(e).valid());
        }
    }

    /** The real file, where a shared copy exists: the same 4,234 sessions. */
    @Test
    void theRealOnlineRetailFileExportedAsSessionsGivesTheSameSessions(@TempDir Path tmp) throws Exception {
        Path shared = Path.of("../../shared/data/online-retail/online_retail.csv.xz");
        Assumptions.assumeTrue(Files.exists(shared), "no shared copy at " + shared.toAbsolutePath());
        Path sessions = Files.writeString(tmp.resolve("purchases.csv"), export(OnlineRetail.read(shared)));
        SessionsData.Source a = read(tmp, "dataset: {type: online-retail, path: " + shared.toAbsolutePath() + "}\n");
        SessionsData.Source b = read(tmp, "dataset: {type: sessions, path: " + sessions + ", columns: {session:"
                + " customer, item: stock_code, order: invoice_date}, min_length: 3}\n");
        assertEquals(4_234, b.sessions().size());
        assertEquals(a.sessions(), b.sessions());
    }

    private static String export(List<OnlineRetail.Row> rows) {
        StringBuilder csv = new StringBuilder("customer,stock_code,invoice_date,description\n");
        for (OnlineRetail.Row row : rows) {
            if (!row.hasEmptyField()) {
                csv.append(row.customerId()).append(',').append(row.stockCode()).append(',').append(row.date())
                        .append(",\"").append(row.description().replace("\"", "\"\"")).append("\"\n");
            }
        }
        return csv.toString();
    }

    @Test
    void theShippedConfigTrainsOnTheClickstreamGenerateWrites(@TempDir Path tmp) throws Exception {
        Path clicks = tmp.resolve("data/clicks");
        Result g = run("generate", "sessions", "--out", clicks.toString(), "--items", "80", "--sessions", "600");
        assertEquals(0, g.status(), g.err());
        assertEquals("wrote " + clicks.resolve("sessions.csv") + " (600 sessions) and " + clicks.resolve("items.csv")
                + "\n", g.out());
        assertEquals("session_id,item_id,ts", Files.readAllLines(clicks.resolve("sessions.csv")).get(0));
        Path config = Path.of("..").toAbsolutePath().normalize().resolve("configs/sessions-csv.yaml");
        Result r = run("train", config.toString(), "--run-dir", tmp.resolve("run").toString(),
                "--set", "dataset.path=" + clicks.resolve("sessions.csv"),
                "--set", "dataset.labels.path=" + clicks.resolve("items.csv"), "--set", "training.epochs=1",
                "--set", "dataset.evaluation.validation=100", "--set", "dataset.evaluation.test=100");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("data     sessions " + clicks.resolve("sessions.csv") + " (csv): "), r.out());
        Result n = run("neighbors", "--run", tmp.resolve("run").toString(), "--query", "item 7 (cluster 6)", "-k", "3");
        assertEquals(0, n.status(), n.err());
        Result bad = run("generate", "sessions", "--out", clicks.toString(), "--format", "xlsx");
        assertEquals("embtrain: generate: --format expects csv, tsv, parquet or txt, found \"xlsx\"\n", bad.err());
        Result what = run("generate", "clicks", "--out", clicks.toString());
        assertEquals("embtrain: generate: expected what to generate, ratings or sessions, found [clicks]\n",
                what.err());
    }

    private static void assertRefused(Path tmp, String dataset, String message) throws Exception {
        CliRun.assertRefused(tmp, dataset + MODEL, message);
    }

    @Test
    void mistakesAreOneLineNamingTheKeyOrTheFile(@TempDir Path tmp) throws Exception {
        Path csv = Files.writeString(tmp.resolve("s.csv"), "session,item\na,x\na,y\nb,z\n");
        Path txt = Files.writeString(tmp.resolve("s.txt"), "x y\nz\n");
        assertRefused(tmp, "dataset: {type: sessions, path: " + tmp.resolve("none.csv") + "}\n",
                "dataset.path: no such file " + tmp.resolve("none.csv") + " (CONFIG:2)");
        assertRefused(tmp, "dataset: {type: sessions, path: " + tmp.resolve("c.yaml") + "}\n",
                "dataset.path: unknown table format; expected .csv, .tsv or .parquet (.csv.gz and .tsv.gz too), or"
                        + " .txt (.txt.gz) with one session a line, found c.yaml (CONFIG:2)");
        assertRefused(tmp, "dataset: {type: sessions, path: " + csv + ", columns: {session: visit}}\n",
                csv + ":1: missing column \"visit\"; found [session, item]");
        assertRefused(tmp, "dataset: {type: sessions, path: " + csv + ", min_length: 3}\n",
                csv + ": no sessions of 3 or more items (dataset.min_length) among the 2 sessions read");
        assertRefused(tmp, "dataset: {type: sessions, path: " + csv + "}\n",
                "dataset.evaluation: validation + test = 2000 pairs need as many sessions of two or more items, but"
                        + " there are 1 (CONFIG:2)");
        assertRefused(tmp, "dataset: {type: sessions, path: " + txt + ", columns: {session: visit}}\n",
                "dataset.columns: a .txt file holds one session a line and has no columns; remove it, or point"
                        + " dataset.path at a table (CONFIG:2)");
        assertRefused(tmp, "dataset: {type: sessions, path: " + csv + ", columns: {session: item}}\n",
                "dataset.columns: session, item, order and label must name different columns, found [item, item]"
                        + " (CONFIG:2)");
        assertRefused(tmp, "dataset: {type: sessions, path: " + csv + ", labels: {path: " + tmp.resolve("l.csv")
                + "}}\n", "dataset.labels.path: no such file " + tmp.resolve("l.csv") + " (CONFIG:2)");
        Path labels = Files.writeString(tmp.resolve("labels.csv"), "item,title\nx,X\n");
        assertRefused(tmp, "dataset: {type: sessions, path: " + csv + ", labels: {path: " + labels + "}}\n",
                labels + ":1: missing column \"label\"; found [item, title]");
    }
}
