package dev.embtrain.datasets.tables;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.embtrain.datasets.io.DataFormatException;
import dev.embtrain.datasets.io.ParquetTable;
import dev.embtrain.datasets.movielens.RatingsTable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RatingsFileTest {

    @TempDir
    Path dir;

    private static final RatingsFile.Columns COLUMNS = new RatingsFile.Columns("customer", "product", "stars", "ts",
            null);

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    private static void assertSame(RatingsTable expected, RatingsTable actual) {
        assertArrayEquals(expected.users(), actual.users());
        assertArrayEquals(expected.items(), actual.items());
        assertArrayEquals(expected.ratings(), actual.ratings());
        assertArrayEquals(expected.timestamps(), actual.timestamps());
        assertEquals(expected.itemLabels(), actual.itemLabels());
    }

    @Test
    void csvTsvGzipAndParquetReadTheSameRatingsWhateverTheColumnOrder() throws IOException {
        RatingsTable csv = RatingsFile.read(write("r.csv", "customer,product,stars,ts\n"
                + "u1,\"mug, blue\",4,100\nu2,lamp,3.5,200\nu1,lamp,1,300\n"), COLUMNS).table();
        assertArrayEquals(new String[] {"u1", "u2", "u1"}, csv.users());
        assertArrayEquals(new String[] {"mug, blue", "lamp", "lamp"}, csv.items());
        assertArrayEquals(new float[] {4f, 3.5f, 1f}, csv.ratings());
        assertArrayEquals(new long[] {100, 200, 300}, csv.timestamps());
        assertEquals("mug, blue", csv.itemLabels().get("mug, blue"));
        assertEquals("csv", csv.format());

        RatingsTable reordered = RatingsFile.read(write("o.csv", "ts,stars,extra,product,customer\n"
                + "100,4,x,\"mug, blue\",u1\n200,3.5,y,lamp,u2\n300,1,z,lamp,u1\n"), COLUMNS).table();
        assertSame(csv, reordered);

        RatingsTable tsv = RatingsFile.read(write("r.tsv", "product\tcustomer\tts\tstars\n"
                + "mug, blue\tu1\t100\t4\nlamp\tu2\t200\t3.5\nlamp\tu1\t300\t1\n"), COLUMNS).table();
        assertSame(csv, tsv);

        Path gz = dir.resolve("r.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(dir.resolve("r.csv")));
        }
        assertSame(csv, RatingsFile.read(gz, COLUMNS).table());

        Path pq = dir.resolve("r.parquet");
        ParquetTable.write(pq, List.of("stars", "product", "customer", "ts"), List.of(
                new Object[] {4.0, "mug, blue", "u1", 100L}, new Object[] {3.5, "lamp", "u2", 200L},
                new Object[] {1.0, "lamp", "u1", 300L}));
        assertSame(csv, RatingsFile.read(pq, COLUMNS).table());
    }

    @Test
    void integerIdsInParquetReadAsTheirDecimalText() throws IOException {
        Path pq = dir.resolve("ids.parquet");
        ParquetTable.write(pq, List.of("user", "item", "rating"), List.<Object[]>of(new Object[] {7, 12L, 5}));
        RatingsTable t = RatingsFile.read(pq, new RatingsFile.Columns("user", "item", "rating", null, null)).table();
        assertArrayEquals(new String[] {"7"}, t.users());
        assertArrayEquals(new String[] {"12"}, t.items());
        assertArrayEquals(new float[] {5f}, t.ratings());
        assertArrayEquals(new long[] {0}, t.timestamps());
    }

    @Test
    void timestampsAreUnixSecondsOrIsoDatesReadAsUtc() throws IOException {
        RatingsTable t = RatingsFile.read(write("t.csv", "customer,product,stars,ts\n"
                + "a,x,1,1700000000\na,x,1,2010-12-01\na,x,1,2010-12-01 08:26:00\na,x,1,2010-12-01T08:26:00Z\n"
                + "a,x,1,2010-12-01T08:26:00+01:00\na,x,1,1700000000.75\n"), COLUMNS).table();
        assertArrayEquals(new long[] {1700000000L, 1291161600L, 1291191960L, 1291191960L, 1291188360L,
            1700000000L}, t.timestamps());
    }

    @Test
    void aSplitColumnSaysWhichRowsAreWhich() throws IOException {
        RatingsFile.Read r = RatingsFile.read(write("s.csv", "customer,product,stars,part\n"
                + "a,x,1,train\nb,y,2,validation\nc,z,3,test\nd,w,4,valid\n"),
                new RatingsFile.Columns("customer", "product", "stars", null, "part"));
        assertArrayEquals(new byte[] {RatingsFile.TRAIN, RatingsFile.VALIDATION, RatingsFile.TEST,
            RatingsFile.VALIDATION}, r.splits());
        assertNull(RatingsFile.read(dir.resolve("s.csv"),
                new RatingsFile.Columns("customer", "product", "stars", null, null)).splits());
    }

    private String error(Path file, RatingsFile.Columns columns) {
        return assertThrows(DataFormatException.class, () -> RatingsFile.read(file, columns)).getMessage();
    }

    @Test
    void errorsNameTheFileTheLineAndTheColumn() throws IOException {
        Path f = write("a.csv", "customer,product,rating,ts\nu,i,4,1\n");
        assertEquals(f + ":1: missing column \"stars\"; found [customer, product, rating, ts]", error(f, COLUMNS));
        f = write("b.csv", "customer,product,stars,ts\nu,i,4,1\nu,i,four,2\n");
        assertEquals(f + ":3: column \"stars\": \"four\" is not a number", error(f, COLUMNS));
        f = write("c.tsv", "customer\tproduct\tstars\tts\nu\ti\t4\tyesterday\n");
        assertEquals(f + ":2: column \"ts\": \"yesterday\" is not a unix time or an ISO-8601 date-time",
                error(f, COLUMNS));
        f = write("d.csv", "customer,product,stars,ts\nu,,4,1\n");
        assertEquals(f + ":2: column \"product\" is empty", error(f, COLUMNS));
        f = write("e.csv", "customer,product,stars,ts\nu,i,4\n");
        assertEquals(f + ":2: expected 4 fields, found 3", error(f, COLUMNS));
        f = write("f.csv", "");
        assertEquals(f + ": empty file; expected a header line naming the columns [customer, product, stars, ts]",
                error(f, COLUMNS));
        f = write("g.csv", "customer,product,stars,ts\n");
        assertEquals(f + ": no ratings: the file has a header and no rows", error(f, COLUMNS));
        f = write("h.csv", "customer,product,stars,part\nu,i,4,holdout\n");
        assertEquals(f + ":2: column \"part\": \"holdout\" is not train, validation or test",
                error(f, new RatingsFile.Columns("customer", "product", "stars", null, "part")));
        f = write("ratings.json", "{}");
        assertEquals(f + ": unknown table format; expected .csv, .tsv or .parquet (.csv.gz and .tsv.gz too)",
                error(f, COLUMNS));
        f = write("i.csv", "customer,product,stars,ts\nu,i,NaN,1\n");
        assertEquals(f + ":2: column \"stars\": \"NaN\" is not a number", error(f, COLUMNS));
    }

    @Test
    void parquetErrorsNameTheRowGroupAndRow() throws IOException {
        Path pq = dir.resolve("bad.parquet");
        ParquetTable.write(pq, List.of("customer", "product", "stars", "ts"), List.of(
                new Object[] {"u", "i", "4", 1L}, new Object[] {"u", "j", "x", 2L}));
        assertEquals(pq + ": row group 1, row 2: column \"stars\": \"x\" is not a number", error(pq, COLUMNS));
        ParquetTable.write(pq, List.of("customer", "item", "stars"), List.<Object[]>of(new Object[] {"u", "i", 4.0}));
        assertEquals(pq + ": missing column \"product\"; found [customer, item, stars]", error(pq, COLUMNS));
        ParquetTable.write(pq, List.of("customer", "product", "stars", "ts"), List.<Object[]>of(
                new Object[] {"u", null, 4.0, 1L}));
        assertEquals(pq + ": row group 1, row 1: column \"product\" is empty", error(pq, COLUMNS));
    }
}
