package dev.embtrain.datasets.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Reads (and, for tests and generators, writes) flat Parquet tables with Parquet-MR's column readers, one row group at a time, every
 * value as text, with no Hadoop file system and no record objects per row.
 */
public final class ParquetTable {
    private ParquetTable() {}

    /**
     * Opens a file (local, or s3://) without Hadoop's file systems.
     *
     * @param file the file
     * @return the reader
     * @throws IOException when it cannot be read
     */
    public static ParquetFileReader open(Path file) throws IOException {
        try {
            return ParquetFileReader.open(new ChannelInputFile(file),
                    ParquetReadOptions.builder(new PlainParquetConfiguration())
                            .withCodecFactory(ParquetCodecs.INSTANCE).build());
        } catch (RuntimeException | IOException e) {
            throw new DataFormatException(file, 0, "not a readable Parquet file: " + e.getMessage(), e);
        }
    }

    /**
     * Finds the only leaf column under a top-level field.
     *
     * @param file the file, for errors
     * @param schema its schema
     * @param name the field
     * @return the leaf column
     */
    public static ColumnDescriptor leaf(Path file, MessageType schema, String name) {
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

    /**
     * Reads the current value of a flat column as text (integers in decimal), and moves on.
     *
     * @param reader the column's reader
     * @param c the column
     * @param file the file, for errors
     * @param row the row, for errors
     * @param name the column's name, for errors
     * @return the value, or null for a null
     */
    public static String scalar(ColumnReader reader, ColumnDescriptor c, Path file, long row, String name) {
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
     * @param file the file
     * @param names the columns that must exist
     * @param optional columns read when present (null values otherwise)
     * @param handler receives each row: values in the order of names then optional, the row
     *     group (from 1), the row in it (from 1) and the row in the file (from 1)
     * @throws IOException when it cannot be read
     */
    public static void read(Path file, List<String> names, List<String> optional, RowHandler handler)
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
            int group = 0;
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                group++;
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
                    handler.row(values, group, r + 1, row);
                }
            }
        }
    }

    /** Receives one row of a flat table. */
    @FunctionalInterface
    public interface RowHandler {
        /**
         * Takes a row.
         *
         * @param values its values, as text, null for a null
         * @param group its row group, from 1
         * @param rowInGroup its row in the group, from 1
         * @param row its row in the file, from 1
         * @throws IOException when the handler fails
         */
        void row(String[] values, int group, long rowInGroup, long row) throws IOException;
    }

    private static ColumnDescriptor flat(Path file, MessageType schema, String name) {
        ColumnDescriptor c = leaf(file, schema, name);
        if (c.getMaxRepetitionLevel() != 0 || c.getPath().length != 1) {
            throw new DataFormatException(file, 0, "column \"" + name + "\" must hold one value per row");
        }
        return c;
    }

    /**
     * Writes a flat table, one row group per 32 MB: each column's type is that of its first
     * non-null value ({@code String} as a UTF-8 string, {@code Integer} int32, {@code Long}
     * int64, {@code Float}, {@code Double}, {@code Boolean}); nulls are written as nulls.
     *
     * @param file the file, replaced
     * @param names the column names
     * @param rows the rows, one value a column
     * @throws IOException when it cannot be written
     */
    public static void write(Path file, List<String> names, List<Object[]> rows) throws IOException {
        StringBuilder sb = new StringBuilder("message table {");
        for (int i = 0; i < names.size(); i++) {
            Object first = null;
            for (Object[] row : rows) {
                if (row[i] != null) {
                    first = row[i];
                    break;
                }
            }
            String type = first instanceof Integer ? "int32" : first instanceof Long ? "int64"
                    : first instanceof Float ? "float" : first instanceof Double ? "double"
                    : first instanceof Boolean ? "boolean" : "binary";
            sb.append(" optional ").append(type).append(' ').append(names.get(i))
                    .append(type.equals("binary") ? " (STRING);" : ";");
        }
        MessageType schema = MessageTypeParser.parseMessageType(sb.append(" }").toString());
        Files.deleteIfExists(file);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file)).withType(schema)
                .withConf(new PlainParquetConfiguration()).withCodecFactory(ParquetCodecs.INSTANCE)
                .withCompressionCodec(CompressionCodecName.SNAPPY).withRowGroupSize(32L << 20).build()) {
            SimpleGroupFactory f = new SimpleGroupFactory(schema);
            for (Object[] row : rows) {
                Group g = f.newGroup();
                for (int i = 0; i < names.size(); i++) {
                    String name = names.get(i);
                    Object v = row[i];
                    if (v instanceof Integer x) {
                        g.append(name, x);
                    } else if (v instanceof Long x) {
                        g.append(name, x);
                    } else if (v instanceof Float x) {
                        g.append(name, x);
                    } else if (v instanceof Double x) {
                        g.append(name, x);
                    } else if (v instanceof Boolean x) {
                        g.append(name, x);
                    } else if (v != null) {
                        g.append(name, v.toString());
                    }
                }
                w.write(g);
            }
        }
    }
}
