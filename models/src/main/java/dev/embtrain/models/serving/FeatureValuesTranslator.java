package dev.embtrain.models.serving;

import ai.djl.modality.Output;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.TranslatorContext;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.embtrain.models.DenseGroup;
import dev.embtrain.models.FactorizationMachine;
import dev.embtrain.models.shared.Cosine;
import dev.embtrain.models.shared.TopK;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Serves a feat2vec run: every feature value's embedding, from the trained factorization
 * machine's tables (one per field, a row per value; one per dense group, a row per column).
 *
 * <ul>
 *   <li>{@code {"feature": "y", "value": "0", "k": 10}} gives the values nearest it across every
 *       table, as {@code embtrain neighbors --table all} prints them: {@code {"feature": "y",
 *       "value": "0", "neighbors": [{"feature": ..., "value": ..., "score": ...}, ...]}};
 *   <li>{@code {"feature": "y", "value": "0"}} gives its vector: {@code {"feature": ..., "value":
 *       ..., "vector": [...]}}.
 * </ul>
 * An unknown feature or value is a 400 naming it; the unknown slot (row 0 of a field) is never
 * an answer and cannot be asked for.
 */
public final class FeatureValuesTranslator extends TableTranslator {

    /** One table: its rows, labels and whether row 0 is the unknown slot. */
    private record Table(String name, float[][] rows, List<String> labels, boolean unknownRow) {}

    private final Map<String, Table> tables = new LinkedHashMap<>();
    private int fields;
    private int denseWidth;

    /** {@inheritDoc} */
    @Override
    public void prepare(TranslatorContext ctx) throws IOException {
        if (!tables.isEmpty()) {
            return;
        }
        Path dir = ctx.getModel().getModelPath();
        Properties p = Responses.properties(ctx);
        FactorizationMachine.Spec spec = (FactorizationMachine.Spec) Specs.read(p);
        fields = spec.fields().size();
        for (DenseGroup g : spec.denseGroups()) {
            denseWidth += g.width();
        }
        for (String line : Files.readAllLines(dir.resolve("vocab/tables.tsv"), StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", -1);
            tables.put(f[0], new Table(f[0], Responses.table(ctx, f[0]),
                    Files.readAllLines(dir.resolve("vocab/" + f[0] + ".labels.txt"), StandardCharsets.UTF_8),
                    f[1].equals("0")));
        }
    }

    @Override
    NDList zeros(NDManager manager) {
        NDList out = new NDList(manager.zeros(new Shape(1, fields), DataType.INT64));
        if (denseWidth > 0) {
            out.add(manager.zeros(new Shape(1, denseWidth), DataType.FLOAT32));
        }
        return out;
    }

    @Override
    Output answer(JsonElement json) {
        if (!json.isJsonObject()) {
            throw new RatingTranslator.BadRequest("expected {\"feature\": ..., \"value\": ..., \"k\": 10}");
        }
        JsonObject o = json.getAsJsonObject();
        String feature = Responses.text(o, "feature", "");
        String value = Responses.text(o, "value", "");
        Table home = tables.get(feature);
        if (home == null) {
            throw new RatingTranslator.BadRequest("unknown feature \"" + feature + "\"; the features are "
                    + tables.keySet());
        }
        int row = home.labels().indexOf(value);
        if (row < 0 || (row == 0 && home.unknownRow())) {
            throw new RatingTranslator.BadRequest("unknown value \"" + value + "\" of feature \"" + feature
                    + "\": the model was not trained on it");
        }
        JsonObject out = new JsonObject();
        out.addProperty("feature", feature);
        out.addProperty("value", value);
        float[] query = home.rows()[row];
        if (!o.has("k")) {
            JsonArray vector = new JsonArray();
            for (float x : query) {
                vector.add(x);
            }
            out.add("vector", vector);
            return Responses.ok(out);
        }
        int k = Responses.k(o, 10);
        // Every table as wide as the query's, as one: fields and groups share the width D.
        List<Table> same = new ArrayList<>();
        List<float[]> all = new ArrayList<>();
        List<Boolean> skip = new ArrayList<>();
        List<String[]> names = new ArrayList<>();
        for (Table t : tables.values()) {
            if (t.rows().length == 0 || t.rows()[0].length != query.length) {
                continue;
            }
            same.add(t);
            for (int i = 0; i < t.rows().length; i++) {
                all.add(t.rows()[i]);
                skip.add((i == 0 && t.unknownRow()) || (t == home && i == row));
                names.add(new String[] {t.name(), t.labels().get(i)});
            }
        }
        boolean[] skipped = new boolean[all.size()];
        for (int i = 0; i < skipped.length; i++) {
            skipped[i] = skip.get(i);
        }
        TopK.Result best = Cosine.nearest(all.toArray(new float[0][]), query, k, skipped);
        JsonArray neighbors = new JsonArray();
        for (int r = 0; r < best.indices().length; r++) {
            String[] n = names.get(best.indices()[r]);
            JsonObject entry = new JsonObject();
            entry.addProperty("feature", n[0]);
            entry.addProperty("value", n[1]);
            entry.addProperty("score", best.scores()[r]);
            neighbors.add(entry);
        }
        out.add("neighbors", neighbors);
        return Responses.ok(out);
    }
}
