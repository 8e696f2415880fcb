package dev.embtrain.datasets.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.datasets.movielens.ItemKey;
import dev.embtrain.datasets.movielens.MovieLens;
import dev.embtrain.datasets.movielens.RatingsTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticMovieLensTest {
    private static final SyntheticMovieLens.Spec SMALL = new SyntheticMovieLens.Spec(50, 40, 1500, 3, 0.8, 1);
    private static final List<String> FILES = List.of("u.data", "u.item", "u.user", "synthetic.properties");

    @TempDir
    Path tmp;

    @Test
    void sameSpecGivesByteIdenticalFiles() throws IOException {
        SyntheticMovieLens.Result a = SyntheticMovieLens.write(SMALL, tmp.resolve("a"));
        SyntheticMovieLens.Result b = SyntheticMovieLens.write(SMALL, tmp.resolve("b"));

        assertEquals(a.noiseFloorMse(), b.noiseFloorMse(), 0.0);
        for (String file : FILES) {
            assertArrayEquals(Files.readAllBytes(a.dir().resolve(file)), Files.readAllBytes(b.dir().resolve(file)), file);
        }
        SyntheticMovieLens.Result c = SyntheticMovieLens.write(
                new SyntheticMovieLens.Spec(50, 40, 1500, 3, 0.8, 2), tmp.resolve("c"));
        assertTrue(!Files.readString(a.dir().resolve("u.data")).equals(Files.readString(c.dir().resolve("u.data"))));
    }

    /** Exposure: users rate what the true model scores high, the pairs stay distinct, and the truth is written. */
    @Test
    void exposureFavoursCellsTheTrueModelScoresHigh() throws IOException {
        SyntheticMovieLens.Spec spec = new SyntheticMovieLens.Spec(60, 80, 1500, 3, 0.8, 1, 3.0);
        SyntheticMovieLens.Result a = SyntheticMovieLens.write(spec, tmp.resolve("e"));
        SyntheticMovieLens.Result b = SyntheticMovieLens.write(spec, tmp.resolve("f"));
        for (String file : List.of("u.data", "synthetic.properties", "truth/users.tsv", "truth/items.tsv")) {
            assertArrayEquals(Files.readAllBytes(a.dir().resolve(file)), Files.readAllBytes(b.dir().resolve(file)), file);
        }
        List<double[]> users = Files.readAllLines(a.dir().resolve("truth/users.tsv")).stream()
                .map(l -> java.util.Arrays.stream(l.split("\t")).mapToDouble(Double::parseDouble).toArray()).toList();
        List<double[]> items = Files.readAllLines(a.dir().resolve("truth/items.tsv")).stream()
                .map(l -> java.util.Arrays.stream(l.split("\t")).mapToDouble(Double::parseDouble).toArray()).toList();
        assertEquals(60, users.size());
        assertEquals(80, items.size());
        assertEquals(4, items.get(0).length);
        double all = 0;
        for (int u = 0; u < 60; u++) {
            for (int i = 0; i < 80; i++) {
                all += score(users.get(u), items.get(i)) / (60 * 80);
            }
        }
        RatingsTable table = MovieLens.read(a.dir(), ItemKey.ID);
        Set<String> cells = new HashSet<>();
        Set<String> raters = new HashSet<>();
        double rated = 0;
        for (int r = 0; r < table.size(); r++) {
            int u = Integer.parseInt(table.user(r)) - 1;
            int i = Integer.parseInt(table.item(r)) - 1;
            cells.add(u + "," + i);
            raters.add(table.user(r));
            rated += score(users.get(u), items.get(i)) / table.size();
        }
        assertEquals(1500, cells.size());
        assertEquals(60, raters.size());
        // exp(3 s) tilts the draw: the rated cells' mean true score is well above the catalogue's.
        assertTrue(rated > all + 0.5, "rated " + rated + ", all " + all);
        // Exposure 0 is the uniform generator, with no truth files.
        SyntheticMovieLens.Result uniform = SyntheticMovieLens.write(new SyntheticMovieLens.Spec(50, 40, 1500, 3, 0.8,
                1, 0.0), tmp.resolve("u"));
        SyntheticMovieLens.Result small = SyntheticMovieLens.write(SMALL, tmp.resolve("s"));
        assertArrayEquals(Files.readAllBytes(small.dir().resolve("u.data")),
                Files.readAllBytes(uniform.dir().resolve("u.data")));
        assertTrue(!Files.exists(uniform.dir().resolve("truth")));
        assertEquals("exposure scores every user-item cell: users·items must be <= 100000000, found 100000001",
                assertThrows(IllegalArgumentException.class, () -> new SyntheticMovieLens.Spec(100_000_001, 1, 1, 1,
                        0, 1, 1.0)).getMessage());
    }

    /** b_i + p_u . q_i from the truth files' lines (bias, then factors). */
    private static double score(double[] user, double[] item) {
        double s = item[0];
        for (int k = 1; k < item.length; k++) {
            s += user[k] * item[k];
        }
        return s;
    }

    @Test
    void writesAnMl100kDirectoryTheReaderAccepts() throws IOException {
        SyntheticMovieLens.Result result = SyntheticMovieLens.write(SMALL, tmp.resolve("ml"));
        RatingsTable table = MovieLens.read(result.dir(), ItemKey.ID);

        assertEquals(1500, result.ratings());
        assertEquals(1500, table.size());
        assertEquals("ml-100k", table.format());
        Set<String> pairs = new HashSet<>();
        Set<String> users = new HashSet<>();
        Set<String> items = new HashSet<>();
        long previous = Long.MIN_VALUE;
        for (int row = 0; row < table.size(); row++) {
            assertTrue(pairs.add(table.user(row) + "/" + table.item(row)), "distinct pairs");
            users.add(table.user(row));
            items.add(table.item(row));
            float r = table.rating(row);
            assertTrue(r >= 1 && r <= 5 && r == Math.rint(r), "whole stars 1..5, found " + r);
            assertTrue(table.timestamp(row) > previous, "increasing timestamps");
            previous = table.timestamp(row);
        }
        assertEquals(50, users.size(), "every user rated");
        assertEquals(40, items.size(), "every item rated");
        assertEquals(40, table.itemLabels().size());
        assertTrue(table.itemLabels().get("17").matches("Synthetic Movie 17 \\(\\d{4}\\)"), table.itemLabels().get("17"));
        for (String line : Files.readAllLines(result.dir().resolve("u.user"))) {
            assertTrue(line.matches("\\d+\\|\\d+\\|[MF]\\|[a-z]+\\|\\d{5}"), line);
        }
        OptionalDouble floor = SyntheticMovieLens.readNoiseFloor(result.dir());
        assertEquals(result.noiseFloorMse(), floor.getAsDouble(), 0.0);
        try (var siblings = Files.list(tmp)) {
            assertEquals(List.of(tmp.resolve("ml")), siblings.toList(), "no temporary directory left behind");
        }
    }

    @Test
    void defaultSpecLooksLikeMl100k() throws IOException {
        SyntheticMovieLens.Result result = SyntheticMovieLens.write(SyntheticMovieLens.Spec.defaults(), tmp.resolve("d"));
        RatingsTable table = MovieLens.read(result.dir(), ItemKey.ID);

        assertEquals(100_000, table.size());
        assertEquals(3.5, table.meanRating(), 0.15);
        // Rounding noise of 0.8 on a 1..5 scale leaves a floor between the pure-noise bound and zero.
        assertTrue(result.noiseFloorMse() > 0.3 && result.noiseFloorMse() < 0.64, "floor " + result.noiseFloorMse());
    }

    @Test
    void ratingVarianceIsExactForTheDiscretisedGaussian() {
        // x = 3.0, noise 0.5: the cell boundaries 1.5, 2.5, 3.5, 4.5 are at z = -3, -1, 1, 3.
        double phi1 = 0.8413447460685429; // Φ(1), normal table
        double phi3 = 0.9986501019683699; // Φ(3)
        double p3 = 2 * phi1 - 1;
        double p2 = phi3 - phi1; // = p4
        double p1 = 1 - phi3; // = p5, r clamped to 1 below 1.5 and to 5 from 4.5
        assertEquals(1.0, p1 + p2 + p3 + p2 + p1, 1e-15);
        double expected = 2 * p2 * 1 + 2 * p1 * 4; // mean is 3 by symmetry
        assertEquals(0.3254098960526948, expected, 1e-15);
        assertEquals(expected, SyntheticMovieLens.ratingVariance(3.0, 0.5), 1e-13);
    }

    @Test
    void ratingVarianceVanishesWithoutNoiseAwayFromBoundaries() {
        assertEquals(0.0, SyntheticMovieLens.ratingVariance(3.0, 0.0), 0.0);
        assertEquals(0.0, SyntheticMovieLens.ratingVariance(3.2, 1e-3), 1e-300);
        assertEquals(0.0, SyntheticMovieLens.ratingVariance(5.4, 1e-3), 1e-300); // clamped to 5
        assertEquals(0.0, SyntheticMovieLens.ratingVariance(0.6, 1e-3), 1e-300); // clamped to 1
        // On a boundary the rating is 2 or 3 with even odds: variance 1/4.
        assertEquals(0.25, SyntheticMovieLens.ratingVariance(2.5, 1e-3), 1e-15);
    }

    @Test
    void noNoiseMeansNoFloor() throws IOException {
        SyntheticMovieLens.Result result = SyntheticMovieLens.write(
                new SyntheticMovieLens.Spec(20, 20, 200, 2, 0.0, 3), tmp.resolve("clean"));

        assertEquals(0.0, result.noiseFloorMse(), 0.0);
        assertEquals(0.0, SyntheticMovieLens.readNoiseFloor(result.dir()).getAsDouble(), 0.0);
    }

    @Test
    void reusesADirectoryWithTheSameSpecAndRefusesOthers() throws IOException {
        Path dir = tmp.resolve("ml");
        SyntheticMovieLens.Result first = SyntheticMovieLens.write(SMALL, dir);
        FileTime written = Files.getLastModifiedTime(dir.resolve("u.data"));
        Files.setLastModifiedTime(dir.resolve("u.data"), FileTime.fromMillis(written.toMillis() - 60_000));

        SyntheticMovieLens.Result again = SyntheticMovieLens.write(SMALL, dir);
        assertEquals(first, again);
        assertEquals(written.toMillis() - 60_000, Files.getLastModifiedTime(dir.resolve("u.data")).toMillis(),
                "not regenerated");

        SyntheticMovieLens.Spec other = new SyntheticMovieLens.Spec(50, 40, 1500, 3, 0.5, 1);
        assertEquals(dir.toAbsolutePath() + " holds synthetic data of another spec (users=50, items=40, ratings=1500, "
                + "factors=3, noise=0.8, seed=1, generator_version=1), not users=50, items=40, ratings=1500, factors=3, "
                + "noise=0.5, seed=1, generator_version=1; choose another directory or delete it",
                assertThrows(IllegalArgumentException.class, () -> SyntheticMovieLens.write(other, dir)).getMessage());

        Path real = Files.createDirectories(tmp.resolve("real"));
        Files.writeString(real.resolve("u.data"), "1\t1\t5\t1\n");
        assertEquals(real.toAbsolutePath() + " exists and is not a synthetic MovieLens directory (no "
                + "synthetic.properties); refusing to overwrite it",
                assertThrows(IllegalArgumentException.class, () -> SyntheticMovieLens.write(SMALL, real)).getMessage());
        assertEquals(OptionalDouble.empty(), SyntheticMovieLens.readNoiseFloor(real));
    }

    @Test
    void fillsAnExistingEmptyDirectory() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        SyntheticMovieLens.write(SMALL, dir);
        assertTrue(Files.isRegularFile(dir.resolve("u.data")));
    }

    @Test
    void denseSpecsCoverEveryCell() throws IOException {
        SyntheticMovieLens.Result result = SyntheticMovieLens.write(
                new SyntheticMovieLens.Spec(10, 12, 120, 2, 0.3, 5), tmp.resolve("full"));
        RatingsTable table = MovieLens.read(result.dir(), ItemKey.ID);
        Set<String> pairs = new HashSet<>();
        for (int row = 0; row < table.size(); row++) {
            pairs.add(table.user(row) + "/" + table.item(row));
        }
        assertEquals(120, pairs.size());
    }

    @Test
    void specRejectsImpossibleValues() {
        assertEquals("users must be > 0, found 0", assertThrows(IllegalArgumentException.class,
                () -> new SyntheticMovieLens.Spec(0, 10, 10, 2, 0.5, 1)).getMessage());
        assertEquals("factors must be > 0, found -1", assertThrows(IllegalArgumentException.class,
                () -> new SyntheticMovieLens.Spec(10, 10, 10, -1, 0.5, 1)).getMessage());
        assertEquals("noise must be finite and >= 0, found -0.1", assertThrows(IllegalArgumentException.class,
                () -> new SyntheticMovieLens.Spec(10, 10, 10, 2, -0.1, 1)).getMessage());
        assertEquals("ratings must be <= users·items = 100, found 101", assertThrows(IllegalArgumentException.class,
                () -> new SyntheticMovieLens.Spec(10, 10, 101, 2, 0.5, 1)).getMessage());
        assertEquals(new SyntheticMovieLens.Spec(600, 400, 100_000, 4, 0.8, 42), SyntheticMovieLens.Spec.defaults());
    }
}
