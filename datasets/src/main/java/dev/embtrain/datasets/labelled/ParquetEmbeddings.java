package dev.embtrain.datasets.labelled;

import dev.embtrain.datasets.io.DataFormatException;
import dev.embtrain.datasets.io.ParquetCodecs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.ParquetReadOptions;
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
import org.apache.parquet.io.LocalInputFile;
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

    /** Opens a local file without Hadoop's file systems. */
    static ParquetFileReader open(Path file) throws IOException {
        try {
            return ParquetFileReader.open(new LocalInputFile(file),
                    ParquetReadOptions.builder(new PlainParquetConfiguration())
                            .withCodecFactory(ParquetCodecs.INSTANCE).build());
        } catch (RuntimeException | IOException e) {
            throw new DataFormatException(file, 0, "not a readable Parquet file: " + e.getMessage(), e);
        }
    }

    /** Finds the only leaf column under a top-level field. */
    static ColumnDescriptor leaf(Path file, MessageType schema, String name) {
        List<ColumnDescriptor> found = new ArrayList<>();
        List<String> top = new ArrayList<>();
        schema.getFields().forEach(f -> top.add(f.getName()));
        for (ColumnDescriptor c : schema.getColumns()) {
            if (c.getPath()[0].equals(name)) {
                found.add(c);
            }
        }
        if (found.isEmpty()) {
            throw new DataFormatException(file, 0, "missing column \"" + name + "\"; found " + top);
        }
        if (found.size() > 1) {
            throw new DataFormatException(file, 0, "column \"" + name + "\" holds " + found.size()
                    + " leaf columns; expected one list of numbers");
        }
        return found.get(0);
    }

    static void read(Path file, String column, RowSink sink) throws IOException {
        try (ParquetFileReader reader = open(file)) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            ColumnDescriptor rid = leaf(file, schema, "rid");
            ColumnDescriptor vec = leaf(file, schema, column);
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
                    String id = scalar(ids, rid, file, row, "rid");
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

    /**
     * Reads the current value of a flat column as text (integers in decimal), and moves on.
     *
     * @return the value, or null for a null
     */
    static String scalar(ColumnReader reader, ColumnDescriptor c, Path file, long row, String name) {
        if (reader.getCurrentDefinitionLevel() < c.getMaxDefinitionLevel()) {
            reader.consume();
            return null;
        }
        String v = switch (c.getPrimitiveType().getPrimitiveTypeName()) {
            case BINARY, FIXED_LEN_BYTE_ARRAY -> reader.getBinary().toStringUsingUTF8();
            case INT32 -> Integer.toString(reader.getInteger());
            case INT64 -> Long.toString(reader.getLong());
            case BOOLEAN -> Boolean.toString(reader.getBoolean());
            case FLOAT -> Float.toString(reader.getFloat());
            case DOUBLE -> Double.toString(reader.getDouble());
            default -> throw new DataFormatException(file, 0, "column \"" + name + "\" has unsupported type "
                    + c.getPrimitiveType());
        };
        reader.consume();
        return v;
    }

    /**
     * Reads flat columns row by row as text.
     *
     * @param names the columns that must exist
     * @param optional columns read when present (null values otherwise)
     * @param handler receives each row: values in the order of names then optional, and the row
     */
    static void readTable(Path file, List<String> names, List<String> optional, RowHandler handler)
            throws IOException {
        try (ParquetFileReader reader = open(file)) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            List<ColumnDescriptor> cols = new ArrayList<>();
            for (String n : names) {
                cols.add(flat(file, schema, n));
            }
            for (String n : optional) {
                cols.add(schema.containsField(n) ? flat(file, schema, n) : null);
            }
            List<String> all = new ArrayList<>(names);
            all.addAll(optional);
            String createdBy = reader.getFooter().getFileMetaData().getCreatedBy();
            long row = 0;
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages,
                        new GroupRecordConverter(schema).getRootConverter(), schema, createdBy);
                ColumnReader[] readers = new ColumnReader[cols.size()];
                for (int i = 0; i < readers.length; i++) {
                    readers[i] = cols.get(i) == null ? null : store.getColumnReader(cols.get(i));
                }
                for (long r = 0; r < pages.getRowCount(); r++) {
                    row++;
                    String[] values = new String[readers.length];
                    for (int i = 0; i < readers.length; i++) {
                        values[i] = readers[i] == null ? null : scalar(readers[i], cols.get(i), file, row, all.get(i));
                    }
                    handler.row(values, row);
                }
            }
        }
    }

    /** Receives one row of a flat table. */
    @FunctionalInterface
    interface RowHandler {
        void row(String[] values, long row) throws IOException;
    }

    private static ColumnDescriptor flat(Path file, MessageType schema, String name) {
        ColumnDescriptor c = leaf(file, schema, name);
        if (c.getMaxRepetitionLevel() != 0 || c.getPath().length != 1) {
            throw new DataFormatException(file, 0, "column \"" + name + "\" must hold one value per row");
        }
        return c;
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
        StringBuilder sb = new StringBuilder("message table {");
        for (String n : names) {
            sb.append(" optional binary ").append(n).append(" (STRING);");
        }
        MessageType schema = MessageTypeParser.parseMessageType(sb.append(" }").toString());
        java.nio.file.Files.deleteIfExists(file);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file)).withType(schema)
                .withConf(new PlainParquetConfiguration()).withCodecFactory(ParquetCodecs.INSTANCE)
                .withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
            SimpleGroupFactory f = new SimpleGroupFactory(schema);
            for (String[] row : rows) {
                Group g = f.newGroup();
                for (int i = 0; i < names.size(); i++) {
                    if (row[i] != null) {
                        g.append(names.get(i), row[i]);
                    }
                }
                w.write(g);
            }
        }
    }
}
