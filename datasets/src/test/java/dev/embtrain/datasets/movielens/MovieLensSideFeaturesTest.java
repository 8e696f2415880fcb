package dev.embtrain.datasets.movielens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.embtrain.datasets.io.DataFormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MovieLensSideFeaturesTest {

    private static final String FLAGS_COMEDY_DRAMA = "0|0|0|0|0|1|0|0|1|0|0|0|0|0|0|0|0|0|0";

    @Test
    void ml100kUsersAndItems(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("u.data"), "1\t1\t5\t881250949\n");
        Files.writeString(dir.resolve("u.user"), "1|24|M|technician|85711\n2|53|F|other|K1A0B\n");
        Files.write(dir.resolve("u.item"), ("1|Toy Story (1995)|01-Jan-1995||http://x|" + FLAGS_COMEDY_DRAMA + "\n"
                + "2|Café (1999)|||http://y|" + FLAGS_COMEDY_DRAMA.replace("0|1|0|0|1", "0|0|0|0|0") + "\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        Map<String, MovieLensSideFeatures.User> users = MovieLensSideFeatures.readUsers(dir);
        assertEquals(new MovieLensSideFeatures.User("18-24", "M", "technician", "8"), users.get("1"));
        assertEquals(new MovieLensSideFeatures.User("50-55", "F", "other", "?"), users.get("2"));
        Map<String, MovieLensSideFeatures.Item> items = MovieLensSideFeatures.readItems(dir, ItemKey.ID);
        assertEquals(new MovieLensSideFeatures.Item(List.of("Comedy", "Drama"), "1995"), items.get("1"));
        // No release date: the year comes from the title; latin-1 decoded.
        assertEquals(new MovieLensSideFeatures.Item(List.of(), "1999"),
                MovieLensSideFeatures.readItems(dir, ItemKey.TITLE).get("Café (1999)"));
    }

    @Test
    void ml1mAndMlLatest(@TempDir Path dir) throws Exception {
        Path m1 = Files.createDirectory(dir.resolve("ml-1m"));
        Files.writeString(m1.resolve("ratings.dat"), "1::1193::5::978300760\n");
        Files.writeString(m1.resolve("users.dat"), "1::F::1::10::48067\n");
        Files.writeString(m1.resolve("movies.dat"), "1193::One Flew Over the Cuckoo's Nest (1975)::Drama\n");
        assertEquals(new MovieLensSideFeatures.User("1", "F", "10", "4"), MovieLensSideFeatures.readUsers(m1).get("1"));
        assertEquals(new MovieLensSideFeatures.Item(List.of("Drama"), "1975"),
                MovieLensSideFeatures.readItems(m1, ItemKey.ID).get("1193"));

        Path latest = Files.createDirectory(dir.resolve("ml-latest"));
        Files.writeString(latest.resolve("ratings.csv"), "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n");
        Files.writeString(latest.resolve("movies.csv"), "movieId,title,genres\n"
                + "1,\"American President, The (1995)\",Comedy|Drama|Romance\n2,Untitled,(no genres listed)\n");
        assertEquals(Map.of(), MovieLensSideFeatures.readUsers(latest));
        Map<String, MovieLensSideFeatures.Item> items = MovieLensSideFeatures.readItems(latest, ItemKey.ID);
        assertEquals(new MovieLensSideFeatures.Item(List.of("Comedy", "Drama", "Romance"), "1995"), items.get("1"));
        assertEquals(new MovieLensSideFeatures.Item(List.of(), "?"), items.get("2"));
    }

    @Test
    void bucketsAndErrors(@TempDir Path dir) throws Exception {
        assertEquals(List.of("<18", "18-24", "25-34", "35-44", "45-49", "50-55", "56+"),
                List.of(17, 18, 34, 35, 49, 55, 56).stream().map(MovieLensSideFeatures::ageBucket).toList());
        Files.writeString(dir.resolve("u.data"), "1\t1\t5\t881250949\n");
        Files.writeString(dir.resolve("u.user"), "1|24|M|technician|85711\n2|old|F|other|1\n");
        var e = assertThrows(DataFormatException.class, () -> MovieLensSideFeatures.readUsers(dir));
        assertEquals(dir.resolve("u.user") + ":2: age \"old\" is not a whole number", e.getMessage());
        Files.writeString(dir.resolve("u.user"), "1|24|M|technician\n");
        e = assertThrows(DataFormatException.class, () -> MovieLensSideFeatures.readUsers(dir));
        assertEquals(dir.resolve("u.user") + ":1: expected 5 fields (id|age|gender|occupation|zip), found 4",
                e.getMessage());
    }

    @Test
    void realMl100kWhenALocalCopyExists() throws Exception {
        String local = System.getenv("EMBTRAIN_ML100K"); // MovieLens may not be redistributed: bring your own
        org.junit.jupiter.api.Assumptions.assumeTrue(local != null && Files.isRegularFile(Path.of(local, "u.user")),
                "set EMBTRAIN_ML100K to a local ml-100k directory to run this check");
        Path dir = Path.of(local);
        assertEquals(943, MovieLensSideFeatures.readUsers(dir).size());
        Map<String, MovieLensSideFeatures.Item> items = MovieLensSideFeatures.readItems(dir, ItemKey.ID);
        assertEquals(1682, items.size());
        assertEquals(List.of("Action", "Adventure", "Romance", "Sci-Fi", "War"), items.get("50").genres()); // Star Wars
        assertEquals("1977", items.get("50").year());
    }
}
