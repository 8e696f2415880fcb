package dev.embtrain.datasets.labelled;

import dev.embtrain.datasets.synthetic.SyntheticLabelledEmbeddings;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Measures the chunked reader on synthetic embeddings (not a test: run by hand, under
 * {@code /usr/bin/time -v} for the peak RSS). Generates {@code ids × width} rows into {@code dir} once, then
 * streams them in chunks of 4096 rows, summing every value so nothing is optimised away.
 *
 * <pre>
 * java -cp ... dev.embtrain.datasets.labelled.EmbeddingsReadBenchmark DIR FORMAT IDS WIDTH [generate|read] [dups|nodups]
 * </pre>
 */
public final class EmbeddingsReadBenchmark {
    private EmbeddingsReadBenchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param args directory, format (csv, parquet, npy), ids, width, generate or read, dups or nodups
     * @throws Exception when generating or reading fails
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        EmbeddingsFile.Format format = EmbeddingsFile.Format.valueOf(args[1].toUpperCase(Locale.ROOT));
        int ids = Integer.parseInt(args[2]);
        int width = Integer.parseInt(args[3]);
        String mode = args.length > 4 ? args[4] : "read";
        boolean dups = args.length <= 5 || args[5].equals("dups");
        SyntheticLabelledEmbeddings.Spec spec = new SyntheticLabelledEmbeddings.Spec(ids, width, 2.0, -1.0, 42);
        long t0 = System.nanoTime();
        SyntheticLabelledEmbeddings.Result r = SyntheticLabelledEmbeddings.write(spec, dir, format);
        if (mode.equals("generate")) {
            System.out.printf(Locale.ROOT, "generated %s in %.1f s; Bayes AUC %.4f%n", r.embeddings(),
                    (System.nanoTime() - t0) / 1e9, r.bayesAuc());
            return;
        }
        long start = System.nanoTime();
        double[] sum = {0};
        long[] rows = {0};
        int w = r.embeddingsFile().stream(EmbeddingsFile.DEFAULT_CHUNK_ROWS, 0, dups, chunk -> {
            for (float[] v : chunk.vectors()) {
                for (float f : v) {
                    sum[0] += f;
                }
            }
            rows[0] += chunk.size();
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        long bytes = java.nio.file.Files.size(r.embeddings());
        System.out.printf(Locale.ROOT, "%s: %d rows x %d in %.1f s = %.0f rows/s, %.0f MB/s of file; duplicate"
                + " check %s; checksum %.3f; max heap %d MB%n", r.embeddings().getFileName(), rows[0], w, seconds,
                rows[0] / seconds, bytes / 1e6 / seconds, dups ? "on" : "off", sum[0],
                Runtime.getRuntime().maxMemory() >> 20);
    }
}
