package dev.embtrain.training.engine.listeners;

import dev.embtrain.training.engine.EpochRecord;
import dev.embtrain.training.engine.Listener;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes {@code metrics.csv}, one row an epoch, flushed after each so a crash keeps the epochs
 * done. The header is written when the file is opened.
 */
public final class MetricsCsv implements Listener, AutoCloseable {

    private final BufferedWriter out;

    /**
     * Opens the file and writes its header.
     *
     * @param file the file
     * @param metrics the objective's validation metrics
     * @throws IOException when it cannot be written
     */
    public MetricsCsv(Path file, List<String> metrics) throws IOException {
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        out.write(EpochRecord.csvHeader(metrics));
        out.newLine();
        out.flush();
    }

    /**
     * Writes a whole history at once (a search's kept trial).
     *
     * @param file the file
     * @param metrics the validation metrics
     * @param history the epochs
     * @throws IOException when it cannot be written
     */
    public static void write(Path file, List<String> metrics, List<EpochRecord> history) throws IOException {
        try (MetricsCsv csv = new MetricsCsv(file, metrics)) {
            history.forEach(csv::onEpoch);
        }
    }

    /** {@inheritDoc} */
    @Override
    public Decision onEpoch(EpochRecord record) {
        try {
            out.write(record.csvRow());
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Decision.CONTINUE;
    }

    /** {@inheritDoc} */
    @Override
    public void close() throws IOException {
        out.close();
    }
}
