package dev.embtrain.training.kinds;

import dev.embtrain.training.run.RunFiles;
import dev.embtrain.training.run.SavedRun;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.modality.Input;
import ai.djl.modality.Output;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.embtrain.datasets.io.DataFormatException;
import dev.embtrain.training.export.AtomicFiles;
import dev.embtrain.training.run.RunDirectory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * {@code embtrain predict}: a whole file through a run's DJL Serving directory, in batches, by
 * the same translator a served request takes, so a file and a request cannot be answered
 * differently. A ratings run reads a CSV with {@code user} and {@code item} columns (by name,
 * in any order) and writes {@code user,item,rating} ({@code user,item,logit,probability} for a
 * binary head); a labelled-embeddings run reads what {@code embtrain score} reads and writes
 * {@code rid,score}. The output appears whole or not at all.
 */
public final class Predict {

    private static final Pattern ELEMENT = Pattern.compile(" in element (\\d+)");

    /**
     * What was predicted.
     *
     * @param rows rows written
     * @param seconds wall time, loading included
     */
    public record Result(long rows, double seconds) {}

    private Predict() {}

    /**
     * Predicts a file.
     *
     * @param run the run directory
     * @param in the input file
     * @param ids a {@code .npy} input's ids file, else null
     * @param out the output CSV
     * @param batch rows per request
     * @return the count and time
     * @throws IOException when a file cannot be read or written
     */
    public static Result predict(Path run, Path in, Path ids, Path out, int batch) throws IOException {
        long start = System.nanoTime();
        RunKind kind;
        try (SavedRun saved = SavedRun.open(run)) {
            kind = saved.kind();
        }
        if (kind instanceof LabelledKind) {
            // The classifier's arithmetic is the translator's own (models' Preprocessing and
            // ClassifierTranslator.probability); only the JSON is skipped: 512 floats a row as
            // JSON ran at 1,973 rows/s against the scorer's 170,000.
            LabelledScorer.Result r = LabelledScorer.score(run, in, ids, out, batch);
            return new Result(r.rows(), (System.nanoTime() - start) / 1e9);
        }
        Path serving = run.resolve(RunFiles.SERVING_DIR);
        Path scratch = null;
        if (!Files.isRegularFile(serving.resolve("serving.properties"))) {
            scratch = Files.createTempDirectory("embtrain-predict");
            serving = scratch.resolve("serving");
            kind.exportServing(run, serving, false);
        }
        long[] rows = {0};
        Criteria<Input, Output> criteria = Criteria.builder().setTypes(Input.class, Output.class)
                .optModelPath(serving).optEngine("PyTorch").build();
        try (ZooModel<Input, Output> model = criteria.loadModel();
                Predictor<Input, Output> predictor = model.newPredictor()) {
            rows[0] = ratings(in, out, batch, predictor);
        } catch (ModelNotFoundException | MalformedModelException e) {
            throw new IOException("cannot load the serving directory " + serving + ": " + e.getMessage(), e);
        } finally {
            if (scratch != null) {
                RunDirectory.deleteTree(scratch);
            }
        }
        return new Result(rows[0], (System.nanoTime() - start) / 1e9);
    }

    private static long ratings(Path in, Path out, int batch, Predictor<Input, Output> predictor) throws IOException {
        long[] rows = {0};
        try (Reader reader = Files.newBufferedReader(in, StandardCharsets.UTF_8);
                CSVParser csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                        .parse(reader)) {
            Map<String, Integer> header = csv.getHeaderMap();
            for (String column : List.of("user", "item")) {
                if (!header.containsKey(column)) {
                    throw new DataFormatException(in, 1, "no \"" + column + "\" column; the columns are "
                            + csv.getHeaderNames());
                }
            }
            AtomicFiles.write(out, stream -> {
                List<CSVRecord> pending = new ArrayList<>(batch);
                boolean[] binary = {false};
                boolean[] headed = {false};
                for (CSVRecord r : csv) {
                    pending.add(r);
                    if (pending.size() == batch) {
                        rows[0] += ratingBatch(in, pending, predictor, stream, binary, headed);
                        pending.clear();
                    }
                }
                if (!pending.isEmpty() || !headed[0]) {
                    rows[0] += ratingBatch(in, pending, predictor, stream, binary, headed);
                }
            });
        }
        return rows[0];
    }

    private static int ratingBatch(Path in, List<CSVRecord> records, Predictor<Input, Output> predictor,
            OutputStream stream, boolean[] binary, boolean[] headed) throws IOException {
        if (records.isEmpty()) {
            stream.write("user,item,rating\n".getBytes(StandardCharsets.UTF_8));
            headed[0] = true;
            return 0;
        }
        JsonArray request = new JsonArray();
        for (CSVRecord r : records) {
            JsonObject o = new JsonObject();
            o.addProperty("user", r.get("user"));
            o.addProperty("item", r.get("item"));
            request.add(o);
        }
        JsonArray answers = ask(in, records.get(0).getRecordNumber(), request, predictor).getAsJsonArray();
        StringBuilder sb = new StringBuilder(records.size() * 24);
        if (!headed[0]) {
            binary[0] = answers.get(0).getAsJsonObject().has("logit");
            sb.append(binary[0] ? "user,item,logit,probability\n" : "user,item,rating\n");
            headed[0] = true;
        }
        for (JsonElement e : answers) {
            JsonObject a = e.getAsJsonObject();
            sb.append(field(a.get("user").getAsString())).append(',').append(field(a.get("item").getAsString()));
            if (binary[0]) {
                sb.append(',').append(a.get("logit").getAsFloat()).append(',').append(a.get("probability").getAsFloat());
            } else {
                sb.append(',').append(a.get("rating").getAsFloat());
            }
            sb.append('\n');
        }
        stream.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        return records.size();
    }

    /**
     * Sends one batch; a 400 becomes an error naming the file and the row of the element it names.
     *
     * @param firstRow the data row (from 1) of the batch's first element
     */
    private static JsonElement ask(Path in, long firstRow, JsonArray request, Predictor<Input, Output> predictor)
            throws IOException {
        Input input = new Input();
        input.add(request.toString());
        Output output;
        try {
            output = predictor.predict(input);
        } catch (TranslateException e) {
            throw new IOException("the model failed on rows " + firstRow + "-" + (firstRow + request.size() - 1)
                    + " of " + in + ": " + e.getMessage(), e);
        }
        String body = output.getData().getAsString();
        if (output.getCode() != 200) {
            String error = JsonParser.parseString(body).getAsJsonObject().get("error").getAsString();
            Matcher m = ELEMENT.matcher(error);
            long row = m.find() ? firstRow + Long.parseLong(m.group(1)) : firstRow;
            throw new DataFormatException(in, row + 1, m.replaceFirst(""));
        }
        return JsonParser.parseString(body);
    }

    private static String field(String s) {
        return LabelledScorer.csvField(s);
    }
}
