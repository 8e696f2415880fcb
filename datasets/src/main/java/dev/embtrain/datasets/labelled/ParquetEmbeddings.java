package dev.embtrain.datasets.labelled;

import dev.embtrain.datasets.io.DataFormatException;
import dev.embtrain.datasets.io.ParquetCodecs;
import dev.embtrain.datasets.io.ParquetTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Reads and writes Parquet files of ids with a vector list column (and flat label tables) with
 * Parquet-MR's column readers: one row group at a time, values decoded straight into float
 * arrays, with no record objects per row.
 */
public final class ParquetEmbeddings {
    private ParquetEmbeddings() {}

    static void read(Path file, String column, RowSink sink) throws IOException {
        try (ParquetFileReader reader = ParquetTable.open(file)) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            ColumnDescriptor rid = ParquetTable.leaf(file, schema, "rid");
            ColumnDescriptor vec = ParquetTable.leaf(file, schema, column);
            if (rid.getMaxRepetitionLevel() != 0) {
                throw new DataFormatException(file, 0, "column \"rid\" is repeated; expected one id per row");
            }
            PrimitiveTypeName vt = vec.getPrimitiveType().getPrimitiveTypeName();
            if (vec.getMaxRepetitionLevel() != 1 || (vt != PrimitiveTypeName.FLOAT && vt != PrimitiveTypeName.DOUBLE)) {
                throw new DataFormatException(file, 0, "column \"" + column + "\" must be a list of float or double, found "
                        + vec.getPrimitiveType());
            }
            String createdBy = reader.getFooter().getFileMetaData().getCreatedBy();
            long row = 0;
            PageReadStore pages;
            float[] buffer = new float[64];
            while ((pages = reader.readNextRowGroup()) != null) {
                ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages,
                        new GroupRecordConverter(schema).getRootConverter(), schema, createdBy);
                ColumnReader ids = store.getColumnReader(rid);
                ColumnReader values = store.getColumnReader(vec);
                long rows = pages.getRowCount();
                int maxDef = vec.getMaxDefinitionLevel();
                int listDef = repeatedLevel(schema, vec);
                long total = values.getTotalValueCount();
                long consumed = 0;
                for (long r = 0; r < rows; r++) {
                    row++;
                    String id = ParquetTable.scalar(ids, rid, file, row, "rid");
                    // The first value of a row has repetition level 0; the row's list goes on while
                    // the level is 1. A definition level below the maximum is a null or empty list,
                    // or a null element.
                    int n = 0;
                    boolean first = true;
                    while (first || (consumed < total && values.getCurrentRepetitionLevel() == 1)) {
                        if (consumed == total) {
                            throw sink.error(row, column + " has fewer values than rows");
                        }
                        int def = values.getCurrentDefinitionLevel();
                        if (def < maxDef) {
                            if (first && def < listDef) {
                                values.consume();
                                throw sink.error(row, column + " is null or empty");
                            }
                            throw sink.error(row, column + "[" + n + "] is null");
                        }
                        if (n == buffer.length) {
                            buffer = Arrays.copyOf(buffer, n * 2);
                        }
                        buffer[n++] = vt == PrimitiveTypeName.FLOAT ? values.getFloat() : (float) values.getDouble();
                        values.consume();
                        consumed++;
                        first = false;
                    }
                    sink.add(id, Arrays.copyOf(buffer, n), row);
                }
            }
        }
    }

    /**
     * The definition level at which a list is present and not empty: the number of optional or
     * repeated fields on the path down to and including the repeated one (2 for pyarrow's
     * optional list of optional elements, 1 for a legacy repeated field).
     */
    private static int repeatedLevel(MessageType schema, ColumnDescriptor c) {
        int level = 0;
        String[] path = c.getPath();
        for (int i = 1; i <= path.length; i++) {
            org.apache.parquet.schema.Type t = schema.getType(Arrays.copyOf(path, i));
            if (!t.isRepetition(org.apache.parquet.schema.Type.Repetition.REQUIRED)) {
                level++;
            }
            if (t.isRepetition(org.apache.parquet.schema.Type.Repetition.REPEATED)) {
                break;
            }
        }
        return level;
    }

    /** Supplies the rows to write; each method is called once per row, in row order. */
    public interface RowSource {
        /** Returns the id of row i. */
        String id(long i);

        /** Returns the vector of row i. */
        float[] vector(long i);
    }

    /**
     * Writes ids and float vectors as pyarrow does: {@code rid} a string, {@code column} a list
     * of float in the three-level LIST layout, in row groups of at most 32 MB (Parquet-MR's
     * default is 128 MB) because a reader holds a whole row group in memory.
     */
    public static void write(Path file, String column, long rows, RowSource source, CompressionCodecName codec)
            throws IOException {
        MessageType schema = MessageTypeParser.parseMessageType("message embeddings { required binary rid (STRING);"
                + " optional group " + column + " (LIST) { repeated group list { optional float element; } } }");
        java.nio.file.Files.deleteIfExists(file);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file)).withType(schema)
                .withConf(new PlainParquetConfiguration()).withCodecFactory(ParquetCodecs.INSTANCE)
                .withCompressionCodec(codec).withRowGroupSize(32L << 20).build()) {
            SimpleGroupFactory f = new SimpleGroupFactory(schema);
            for (long i = 0; i < rows; i++) {
                Group g = f.newGroup().append("rid", source.id(i));
                Group list = g.addGroup(column);
                for (float v : source.vector(i)) {
                    list.addGroup("list").append("element", v);
                }
                w.write(g);
            }
        }
    }

    /** Writes a flat table of string columns (for labels); null values are written as nulls. */
    static void writeStrings(Path file, List<String> names, List<String[]> rows) throws IOException {
        ParquetTable.write(file, names, new ArrayList<>(rows));
    }
}
