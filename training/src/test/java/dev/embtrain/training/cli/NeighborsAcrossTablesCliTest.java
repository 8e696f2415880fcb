package dev.embtrain.training.cli;

import static dev.embtrain.training.cli.CliRun.run;
import dev.embtrain.training.cli.CliRun.Result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.training.export.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code embtrain neighbors --table all}: one search over every table of the query's width. */
class NeighborsAcrossTablesCliTest {

    private static final String SMALL = """
            name: small
            dataset:
              type: synthetic-movielens
              path: DATA
              users: 60
              items: 40
              ratings: 1800
              factors: 2
            model:
              type: dot-product-bias
              factors: 4
            training:
              epochs: 2
              batch_size: 64
            export:
              plots: false
            """;

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void searchesUsersAndItemsTogether(@TempDir Path tmp) throws Exception {
        Path config = Files.writeString(tmp.resolve("c.yaml"), SMALL.replace("DATA", tmp.resolve("data").toString()));
        Path dir = tmp.resolve("run");
        Result train = run("train", config.toString(), "--run-dir", dir.toString());
        assertEquals(0, train.status(), train.err());
        List<String> titles = Files.readAllLines(dir.resolve("vocab/item.labels.txt"));
        List<String> users = Files.readAllLines(dir.resolve("vocab/user.txt"));
        float[][] item = Npy.readFloat32Matrix(dir.resolve("embeddings/item.npy"));
        float[][] user = Npy.readFloat32Matrix(dir.resolve("embeddings/user.npy"));

        Result r = run("neighbors", "--run", dir.toString(), "--table", "all", "--query", "item:" + titles.get(3),
                "-k", "99");
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("nearest to \"item:" + titles.get(3) + "\" in tables [user, item] (cosine similarity):",
                lines.get(0));
        // Every trained user and every other trained item: 60 + 39; never an unknown row or the query.
        assertEquals(1 + 60 + 39, lines.size());
        double previous = 2;
        int usersSeen = 0;
        for (String line : lines.subList(1, lines.size())) {
            double c = Double.parseDouble(line.substring(0, 8).trim());
            assertTrue(c <= previous, line);
            previous = c;
            String label = line.substring(10);
            // Each printed cosine is the one between the saved rows, whichever table the row is in.
            if (label.startsWith("user:")) {
                usersSeen++;
                int row = users.indexOf(label.substring(5));
                assertTrue(row > 0, line);
                assertEquals(String.format(Locale.ROOT, "%8.4f", cosine(item[3], user[row])), line.substring(0, 8));
            } else {
                assertTrue(label.startsWith("item:"), line);
                int row = titles.indexOf(label.substring(5));
                assertTrue(row > 0 && row != 3, line);
                assertEquals(String.format(Locale.ROOT, "%8.4f", cosine(item[3], item[row])), line.substring(0, 8));
            }
        }
        assertEquals(60, usersSeen);

        Result bare = run("neighbors", "--run", dir.toString(), "--table", "all", "--query", titles.get(3));
        assertEquals(2, bare.status());
        assertEquals("embtrain: neighbors: \"" + titles.get(3) + "\" does not name a table: write table:label with a"
                + " table among [user, item]\n", bare.err());
        Result unknown = run("neighbors", "--run", dir.toString(), "--table", "all", "--query", "user:<unk>");
        assertEquals(2, unknown.status());
        assertEquals("embtrain: neighbors: row 0 of table user is the unknown slot; query a trained value\n",
                unknown.err());
    }
}
