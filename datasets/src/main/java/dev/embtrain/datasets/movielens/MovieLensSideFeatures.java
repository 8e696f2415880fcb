package dev.embtrain.datasets.movielens;

import dev.embtrain.datasets.io.DataFormatException;
import dev.embtrain.datasets.io.Lines;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * The side features MovieLens ships beside its ratings: each user's age, gender, occupation and
 * zip code, each movie's genres and release year, as strings ready to become categorical fields
 * (age and zip bucketed the usual way) or a bag (genres).
 *
 * <p>ml-100k: {@code u.user} ({@code id|age|gender|occupation|zip}) and the genre flags and
 * release date of {@code u.item}. ml-1m: {@code users.dat}
 * ({@code UserID::Gender::Age::Occupation::Zip-code}, age and occupation already coded) and the
 * genres of {@code movies.dat}. ml-latest has no user file; genres come from {@code movies.csv}.
 * Years come from the release date, else from the "(1995)" at the end of a title.
 */
public final class MovieLensSideFeatures {

    /** ml-100k's genre flags, in file order (u.genre). */
    static final List<String> ML100K_GENRES = List.of("unknown", "Action", "Adventure", "Animation", "Children's",
            "Comedy", "Crime", "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery",
            "Romance", "Sci-Fi", "Thriller", "War", "Western");
    private static final Pattern TITLE_YEAR = Pattern.compile("\\((\\d{4})\\)\\s*$");
    private static final Pattern DATE_YEAR = Pattern.compile("(\\d{4})$");

    private MovieLensSideFeatures() {}

    /**
     * A user's side features.
     *
     * @param age the age bucket ({@link #ageBucket(int)}; ml-1m's own code there)
     * @param gender M or F
     * @param occupation the occupation (ml-1m: its numeric code)
     * @param zipPrefix the first digit of the zip code, "?" when it is not a digit
     */
    public record User(String age, String gender, String occupation, String zipPrefix) {}

    /**
     * A movie's side features.
     *
     * @param genres its genres, in file order (may be empty)
     * @param year the release year, "?" when unknown
     */
    public record Item(List<String> genres, String year) {}

    /**
     * Reads the users of a MovieLens directory.
     *
     * @param dir the directory
     * @return user id to features, in file order; empty when the format has no user file
     * @throws IOException when a file cannot be read
     * @throws DataFormatException naming file and line for a malformed line
     */
    public static Map<String, User> readUsers(Path dir) throws IOException {
        Map<String, User> users = new LinkedHashMap<>();
        switch (MovieLens.detectFormat(dir)) {
            case "ml-100k" -> {
                Path file = dir.resolve("u.user");
                String[] f = new String[5];
                Lines.forEach(file, StandardCharsets.ISO_8859_1, (line, number) -> {
                    expect(file, number, Lines.split(line, "|", f), 5, "id|age|gender|occupation|zip");
                    int age;
                    try {
                        age = Integer.parseInt(f[1]);
                    } catch (NumberFormatException e) {
                        throw new DataFormatException(file, number, "age \"" + f[1] + "\" is not a whole number");
                    }
                    users.put(f[0], new User(ageBucket(age), f[2], f[3], zipPrefix(f[4])));
                });
            }
            case "ml-1m" -> {
                Path file = dir.resolve("users.dat");
                if (Files.isRegularFile(file)) {
                    String[] f = new String[5];
                    Lines.forEach(file, StandardCharsets.ISO_8859_1, (line, number) -> {
                        expect(file, number, Lines.split(line, "::", f), 5,
                                "UserID::Gender::Age::Occupation::Zip-code");
                        users.put(f[0], new User(f[2], f[1], f[3], zipPrefix(f[4])));
                    });
                }
            }
            default -> { }
        }
        return users;
    }

    /**
     * Reads the movies of a MovieLens directory, keyed the way ratings key them.
     *
     * @param dir the directory
     * @param key movie id or title; with titles, a title's first movie wins
     * @return item key to features, in file order
     * @throws IOException when a file cannot be read
     * @throws DataFormatException naming file and line for a malformed line
     */
    public static Map<String, Item> readItems(Path dir, ItemKey key) throws IOException {
        Map<String, Item> items = new LinkedHashMap<>();
        switch (MovieLens.detectFormat(dir)) {
            case "ml-100k" -> {
                Path file = dir.resolve("u.item");
                String[] f = new String[5 + ML100K_GENRES.size()];
                Lines.forEach(file, StandardCharsets.ISO_8859_1, (line, number) -> {
                    expect(file, number, Lines.split(line, "|", f), f.length,
                            "movie id|title|release date|video release date|IMDb URL|19 genre flags");
                    List<String> genres = new ArrayList<>();
                    for (int g = 0; g < ML100K_GENRES.size(); g++) {
                        if (f[5 + g].equals("1")) {
                            genres.add(ML100K_GENRES.get(g));
                        }
                    }
                    Matcher date = DATE_YEAR.matcher(f[2]);
                    String year = date.find() ? date.group(1) : titleYear(f[1]);
                    items.putIfAbsent(key == ItemKey.TITLE ? f[1] : f[0], new Item(List.copyOf(genres), year));
                });
            }
            case "ml-1m" -> {
                Path file = dir.resolve("movies.dat");
                String[] f = new String[3];
                Lines.forEach(file, StandardCharsets.ISO_8859_1, (line, number) -> {
                    expect(file, number, Lines.split(line, "::", f), 3, "MovieID::Title::Genres");
                    items.putIfAbsent(key == ItemKey.TITLE ? f[1] : f[0], new Item(genres(f[2]), titleYear(f[1])));
                });
            }
            default -> {
                Path file = dir.resolve("movies.csv");
                try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                            .parse(in)) {
                        if (!r.isConsistent()) {
                            throw new DataFormatException(file, r.getRecordNumber() + 1,
                                    "expected 3 fields (movieId, title, genres), found " + r.size());
                        }
                        String title = r.get("title");
                        items.putIfAbsent(key == ItemKey.TITLE ? title : r.get("movieId"),
                                new Item(genres(r.get("genres")), titleYear(title)));
                    }
                }
            }
        }
        return items;
    }

    /**
     * Buckets an age as ml-1m does: under 18, 18-24, 25-34, 35-44, 45-49, 50-55, 56 and over.
     *
     * @param age years
     * @return the bucket's name
     */
    public static String ageBucket(int age) {
        if (age < 18) {
            return "<18";
        }
        if (age < 25) {
            return "18-24";
        }
        if (age < 35) {
            return "25-34";
        }
        if (age < 45) {
            return "35-44";
        }
        if (age < 50) {
            return "45-49";
        }
        return age < 56 ? "50-55" : "56+";
    }

    /**
     * Returns a zip code's first digit, the usual coarse region; "?" for non-US codes.
     *
     * @param zip the zip code
     * @return its first digit, or "?"
     */
    public static String zipPrefix(String zip) {
        return !zip.isEmpty() && Character.isDigit(zip.charAt(0)) ? zip.substring(0, 1) : "?";
    }

    private static String titleYear(String title) {
        Matcher m = TITLE_YEAR.matcher(title);
        return m.find() ? m.group(1) : "?";
    }

    private static List<String> genres(String text) {
        if (text.isBlank() || text.equals("(no genres listed)")) {
            return List.of();
        }
        return List.of(text.split("\\|"));
    }

    private static void expect(Path file, long number, int found, int expected, String fields) {
        if (found != expected) {
            throw new DataFormatException(file, number,
                    "expected " + expected + " fields (" + fields + "), found " + found);
        }
    }
}
