package dev.embtrain.datasets.movielens;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.embtrain.datasets.io.DataFormatException;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MovieLensTest {
    @TempDir
    Path dir;

    /** One u.item line: 24 fields, the last genre flag set. */
    static String item(String id, String title) {
        return id + "|" + title + "|01-Jan-1995||http://us.imdb.com/M/title-exact?x" + "|0".repeat(18) + "|1";
    }

    static void write(Path file, String text, Charset charset) throws IOException {
        Files.write(file, text.getBytes(charset));
    }

    private void writeMl100k(String data, String... items) throws IOException {
        write(dir.resolve("u.data"), data, StandardCharsets.US_ASCII);
        write(dir.resolve("u.item"), String.join("\n", items) + "\n", StandardCharsets.ISO_8859_1);
    }

    private String message(ItemKey key) {
        return assertThrows(DataFormatException.class, () -> MovieLens.read(dir, key)).getMessage();
    }

    @Test
    void readsMl100kWithLatin1Titles() throws IOException {
        // "Misérables" with é as the single latin-1 byte 0xE9, as in the real u.item.
        byte[] items = (item("1", "Toy Story (1995)") + "\n" + item("2", "Les Mis\u00e9rables (1995)") + "\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        int e = item("1", "Toy Story (1995)").length() + 1 + "2|Les Mis".length();
        assertEquals((byte) 0xE9, items[e]);
        Files.write(dir.resolve("u.item"), items);
        write(dir.resolve("u.data"), "196\t2\t3\t881250949\n186\t1\t5\t891717742\n196\t1\t1\t878887116\n\n\n",
                StandardCharsets.US_ASCII);

        RatingsTable table = MovieLens.read(dir, ItemKey.ID);

        assertEquals(3, table.size());
        assertEquals("ml-100k", table.format());
        assertEquals(dir, table.source());
        assertArrayEquals(new String[] {"196", "186", "196"}, table.users());
        assertArrayEquals(new String[] {"2", "1", "1"}, table.items());
        assertArrayEquals(new float[] {3, 5, 1}, table.ratings());
        assertArrayEquals(new long[] {881250949L, 891717742L, 878887116L}, table.timestamps());
        assertEquals(Map.of("1", "Toy Story (1995)", "2", "Les Mis\u00e9rables (1995)"), table.itemLabels());
        assertEquals(List.of("1", "2"), List.copyOf(table.itemLabels().keySet()));
    }

    @Test
    void titleKeyMergesIdsWithTheSameTitle() throws IOException {
        writeMl100k("1\t10\t4\t100\n2\t11\t2\t101\n3\t12\t5\t102\n",
                item("10", "Chasing Amy (1997)"), item("11", "Chasing Amy (1997)"), item("12", "Kolya (1996)"));

        RatingsTable byTitle = MovieLens.read(dir, ItemKey.TITLE);
        assertArrayEquals(new String[] {"Chasing Amy (1997)", "Chasing Amy (1997)", "Kolya (1996)"}, byTitle.items());
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("Chasing Amy (1997)", "Chasing Amy (1997)");
        labels.put("Kolya (1996)", "Kolya (1996)");
        assertEquals(labels, byTitle.itemLabels());

        RatingsTable byId = MovieLens.read(dir, ItemKey.ID);
        assertArrayEquals(new String[] {"10", "11", "12"}, byId.items());
        assertEquals(3, byId.itemLabels().size());
    }

    @Test
    void readsMl1m() throws IOException {
        write(dir.resolve("ratings.dat"), "1::1193::5::978300760\n1::661::3::978302109\n2::1193::4::978298413\n",
                StandardCharsets.US_ASCII);
        write(dir.resolve("movies.dat"), "661::James and the Giant Peach (1996)::Animation|Children's|Musical\n"
                + "1193::One Flew Over the Cuckoo's Nest (1975)::Drama\n"
                + "2000::Caf\u00e9 au lait (1993)::Comedy\n", StandardCharsets.ISO_8859_1);

        RatingsTable table = MovieLens.read(dir, ItemKey.TITLE);

        assertEquals("ml-1m", table.format());
        assertArrayEquals(new String[] {"1", "1", "2"}, table.users());
        assertArrayEquals(new String[] {"One Flew Over the Cuckoo's Nest (1975)", "James and the Giant Peach (1996)",
            "One Flew Over the Cuckoo's Nest (1975)"}, table.items());
        assertArrayEquals(new float[] {5, 3, 4}, table.ratings());
        assertArrayEquals(new long[] {978300760L, 978302109L, 978298413L}, table.timestamps());
        assertEquals("Caf\u00e9 au lait (1993)", table.itemLabels().get("Caf\u00e9 au lait (1993)"));
    }

    @Test
    void readsMlLatestWithQuotedTitlesAndHalfStars() throws IOException {
        write(dir.resolve("ratings.csv"), "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,11,3.5,964981247\n"
                + "2,3,0.5,1445714835\n", StandardCharsets.UTF_8);
        write(dir.resolve("movies.csv"), "movieId,title,genres\n1,Toy Story (1995),Adventure|Animation\n"
                + "3,Am\u00e9lie (2001),Comedy|Romance\n"
                + "11,\"American President, The (1995)\",Comedy|Drama|Romance\n", StandardCharsets.UTF_8);

        RatingsTable byId = MovieLens.read(dir, ItemKey.ID);
        assertEquals("ml-latest", byId.format());
        assertArrayEquals(new String[] {"1", "1", "2"}, byId.users());
        assertArrayEquals(new String[] {"1", "11", "3"}, byId.items());
        assertArrayEquals(new float[] {4.0f, 3.5f, 0.5f}, byId.ratings());
        assertArrayEquals(new long[] {964982703L, 964981247L, 1445714835L}, byId.timestamps());
        assertEquals("American President, The (1995)", byId.itemLabels().get("11"));
        assertEquals("Am\u00e9lie (2001)", byId.itemLabels().get("3"));

        RatingsTable byTitle = MovieLens.read(dir, ItemKey.TITLE);
        assertArrayEquals(new String[] {"Toy Story (1995)", "American President, The (1995)", "Am\u00e9lie (2001)"},
                byTitle.items());
    }

    @Test
    void findsCsvColumnsByHeaderName() throws IOException {
        write(dir.resolve("ratings.csv"), "timestamp,rating,movieId,userId\n964982703,2.5,1,7\n", StandardCharsets.UTF_8);
        write(dir.resolve("movies.csv"), "title,movieId\nToy Story (1995),1\n", StandardCharsets.UTF_8);

        RatingsTable table = MovieLens.read(dir, ItemKey.ID);

        assertArrayEquals(new String[] {"7"}, table.users());
        assertArrayEquals(new String[] {"1"}, table.items());
        assertArrayEquals(new float[] {2.5f}, table.ratings());
        assertEquals(Map.of("1", "Toy Story (1995)"), table.itemLabels());
    }

    static Stream<Arguments> badUDataLines() {
        return Stream.of(
                Arguments.of("1\t1\t3", "expected 4 tab-separated fields (user, item, rating, timestamp), found 3"),
                Arguments.of("1\t1\t3\t5\t6", "expected 4 tab-separated fields (user, item, rating, timestamp), found 5"),
                Arguments.of("1\t1\tx\t881250949", "rating \"x\" is not a number"),
                Arguments.of("1\t1\t\t881250949", "rating \"\" is not a number"),
                Arguments.of("1\t1\tNaN\t881250949", "rating \"NaN\" is not a number"),
                Arguments.of("1\t1\t7\t881250949", "rating 7.0 is outside [0.5, 5]"),
                Arguments.of("1\t1\t0\t881250949", "rating 0.0 is outside [0.5, 5]"),
                Arguments.of("1\t1\t-1.5\t881250949", "rating -1.5 is outside [0.5, 5]"),
                Arguments.of("1\t1\t4\tyesterday", "timestamp \"yesterday\" is not an integer"),
                Arguments.of("\t1\t4\t881250949", "user is empty"),
                Arguments.of("1\t\t4\t881250949", "movie id is empty"),
                Arguments.of("1\t99999\t4\t881250949", "movie 99999 is not in u.item"));
    }

    @ParameterizedTest
    @MethodSource("badUDataLines")
    void namesFileLineAndProblemOfABadRatingLine(String line, String problem) throws IOException {
        writeMl100k("1\t1\t3\t881250949\n2\t1\t4\t881250950\n" + line + "\n3\t1\t5\t881250951\n", item("1", "Kolya (1996)"));

        assertEquals(dir.resolve("u.data") + ":3: " + problem, message(ItemKey.ID));
    }

    @Test
    void rejectsABlankLineBeforeTheEnd() throws IOException {
        writeMl100k("1\t1\t3\t881250949\n\n2\t1\t4\t881250950\n", item("1", "Kolya (1996)"));

        assertEquals(dir.resolve("u.data") + ":2: blank line before the end of the file", message(ItemKey.ID));
    }

    @Test
    void namesTheBadLineOfTheMovieFiles() throws IOException {
        writeMl100k("1\t1\t3\t881250949\n", item("1", "Kolya (1996)"), "2|Short|line");
        assertEquals(dir.resolve("u.item") + ":2: expected 24 \"|\"-separated fields (movie id, title, release date, "
                + "video release date, IMDb URL, 19 genre flags), found 3", message(ItemKey.ID));

        writeMl100k("1\t1\t3\t881250949\n", item("1", "Kolya (1996)"), item("1", "Kolya again (1996)"));
        assertEquals(dir.resolve("u.item") + ":2: movie 1 appears twice (first on line 1)", message(ItemKey.ID));

        writeMl100k("1\t1\t3\t881250949\n", item("1", "Kolya (1996)").replace("|1", "|x"));
        assertEquals(dir.resolve("u.item") + ":1: genre flag 19 is \"x\", expected 0 or 1", message(ItemKey.ID));

        writeMl100k("1\t1\t3\t881250949\n", item("1", ""));
        assertEquals(dir.resolve("u.item") + ":1: title of movie 1 is empty", message(ItemKey.ID));
    }

    @Test
    void namesTheBadLineOfMl1mFiles() throws IOException {
        write(dir.resolve("movies.dat"), "1193::One Flew Over the Cuckoo's Nest (1975)::Drama\n", StandardCharsets.ISO_8859_1);
        write(dir.resolve("ratings.dat"), "1::1193::5::978300760\n1::1193::5\n", StandardCharsets.US_ASCII);
        assertEquals(dir.resolve("ratings.dat") + ":2: expected 4 \"::\"-separated fields (UserID, MovieID, Rating, "
                + "Timestamp), found 3", message(ItemKey.ID));

        write(dir.resolve("ratings.dat"), "1::1193::5::978300760\n1::7::5::978300761\n", StandardCharsets.US_ASCII);
        assertEquals(dir.resolve("ratings.dat") + ":2: movie 7 is not in movies.dat", message(ItemKey.TITLE));

        write(dir.resolve("movies.dat"), "1193::Drama\n", StandardCharsets.ISO_8859_1);
        assertEquals(dir.resolve("movies.dat") + ":1: expected 3 \"::\"-separated fields (MovieID, Title, Genres), found 2",
                message(ItemKey.ID));
    }

    @Test
    void namesTheBadLineOfCsvFiles() throws IOException {
        write(dir.resolve("movies.csv"), "movieId,title,genres\n1,Toy Story (1995),Animation\n", StandardCharsets.UTF_8);
        write(dir.resolve("ratings.csv"), "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,1,4.0,964982703,9\n",
                StandardCharsets.UTF_8);
        assertEquals(dir.resolve("ratings.csv") + ":3: expected 4 comma-separated fields (userId, movieId, rating, "
                + "timestamp), found 5", message(ItemKey.ID));

        write(dir.resolve("ratings.csv"), "userId,movieId,rating,timestamp\n1,1,4.5.5,964982703\n", StandardCharsets.UTF_8);
        assertEquals(dir.resolve("ratings.csv") + ":2: rating \"4.5.5\" is not a number", message(ItemKey.ID));

        write(dir.resolve("ratings.csv"), "userId,movieId,stars,timestamp\n1,1,4.0,964982703\n", StandardCharsets.UTF_8);
        assertEquals(dir.resolve("ratings.csv") + ":1: header has no column \"rating\"; found userId,movieId,stars,timestamp",
                message(ItemKey.ID));

        write(dir.resolve("ratings.csv"), "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n", StandardCharsets.UTF_8);
        write(dir.resolve("movies.csv"), "movieId,title,genres\n1,Toy Story (1995),Animation\n"
                + "2,\"Jumanji, (1995)\",Adventure\n3,Heat (1995)\n", StandardCharsets.UTF_8);
        assertEquals(dir.resolve("movies.csv") + ":4: expected 3 comma-separated fields (movieId, title, genres), found 2",
                message(ItemKey.ID));

        // A quoted title spanning two lines: the next record's line number still counts both.
        write(dir.resolve("movies.csv"), "movieId,title,genres\n1,\"Toy\nStory (1995)\",Animation\n2,Heat (1995),Action\n\n"
                + "3,Casino (1995),Drama\n", StandardCharsets.UTF_8);
        assertEquals(dir.resolve("movies.csv") + ":5: blank line before the end of the file", message(ItemKey.ID));

        write(dir.resolve("movies.csv"), "movieId,title,genres\n1,Toy Story (1995),Animation\n"
                + "2,\"Jumanji\" (1995),Adventure\n", StandardCharsets.UTF_8);
        String malformed = message(ItemKey.ID);
        assertEquals(true, malformed.startsWith(dir.resolve("movies.csv") + ":3: malformed CSV: "), malformed);
    }

    @Test
    void rejectsADirectoryWithoutRatings() throws IOException {
        Files.writeString(dir.resolve("README"), "hello");
        assertEquals(dir + ": no MovieLens ratings file here: expected u.data (ml-100k), ratings.dat (ml-1m) or "
                + "ratings.csv (ml-latest, ml-25m)", message(ItemKey.ID));

        Path missing = dir.resolve("nope");
        assertEquals(missing + ": directory does not exist",
                assertThrows(DataFormatException.class, () -> MovieLens.read(missing, ItemKey.ID)).getMessage());
    }

    @Test
    void titleKeyNeedsTheMovieFileButIdKeyDoesNot() throws IOException {
        write(dir.resolve("u.data"), "1\t5\t3\t881250949\n", StandardCharsets.US_ASCII);

        assertEquals(dir.resolve("u.item") + ": file does not exist; item_key title needs the movie titles",
                message(ItemKey.TITLE));

        RatingsTable table = MovieLens.read(dir, ItemKey.ID);
        assertEquals(Map.of("5", "5"), table.itemLabels());
    }

    @Test
    void tableGettersCopyAndSelectPicksRows() throws IOException {
        writeMl100k("1\t1\t3\t10\n2\t1\t4\t11\n3\t1\t5\t12\n", item("1", "Kolya (1996)"));
        RatingsTable table = MovieLens.read(dir, ItemKey.ID);

        table.users()[0] = "changed";
        assertEquals("1", table.user(0));

        RatingsTable picked = table.select(new int[] {2, 0});
        assertArrayEquals(new String[] {"3", "1"}, picked.users());
        assertArrayEquals(new float[] {5, 3}, picked.ratings());
        assertEquals(4.0, table.meanRating(), 1e-12);
    }
}
