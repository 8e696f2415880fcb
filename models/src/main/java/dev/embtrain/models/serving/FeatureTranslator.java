package dev.embtrain.models.serving;

import ai.djl.modality.Input;
import ai.djl.modality.Output;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.ServingTranslator;
import ai.djl.translate.TranslatorContext;
import dev.embtrain.models.shared.HashedCross;
import dev.embtrain.models.shared.VocabularyFile;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Serves a model over side features (factorization machine, wide-and-deep): the request names
 * a user and an item, as for {@link RatingTranslator}; the translator fills in their side
 * features from the tables exported into the model directory and encodes the row exactly as
 * training did ({@code dev.embtrain.datasets.features.FeatureSchema}): vocabulary indices (0 = unknown),
 * hashed crosses (one bucket per bag element, 0 = padding), mean-normalised multi-hot bags.
 *
 * <p>Files it reads: {@code vocab/schema.tsv} (the column layout), {@code vocab/<field>.txt},
 * {@code features/user.tsv} and {@code features/item.tsv} (side values per key),
 * {@code features/crosses.tsv} ({@code name, buckets, fields}) and {@code serving.properties}
 * ({@code head}). A regression answers {@code {"user", "item", "rating"}}; a binary model
 * {@code {"user", "item", "logit", "probability"}}. Bad requests get status 400 as with
 * {@link RatingTranslator}.
 */
public final class FeatureTranslator implements ServingTranslator {

    private static final String ERROR = RatingTranslator.ERROR;
    private static final String PAIRS = RatingTranslator.PAIRS;
    private static final String SINGLE = RatingTranslator.SINGLE;

    private record Column(String name, String kind, int size, int start, int width, float[] scale) {}

    private List<Column> columns;
    private int idWidth;
    private int denseWidth;
    private final Map<String, Map<String, Integer>> vocabularies = new HashMap<>();
    private final Map<String, List<String>> crossFields = new HashMap<>();
    private final Map<String, Integer> crossBuckets = new HashMap<>();
    private final Map<String, HashedCross> crosses = new HashMap<>();
    private List<String> userFields;
    private List<String> itemFields;
    private Map<String, List<String>> users;
    private Map<String, List<String>> items;
    private boolean binary;
    private TopKItems topK;

    /** {@inheritDoc} */
    @Override
    public void setArguments(Map<String, ?> arguments) {
        // Everything this translator needs is in the model directory.
    }

    /** {@inheritDoc} */
    @Override
    public void prepare(TranslatorContext ctx) throws IOException {
        if (columns != null) {
            return;
        }
        Path dir = ctx.getModel().getModelPath();
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(dir.resolve("serving.properties"), StandardCharsets.UTF_8)) {
            p.load(in);
        }
        binary = "binary".equals(p.getProperty("head"));
        topK = TopKItems.read(dir);
        List<Column> cs = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("vocab/schema.tsv"), StandardCharsets.UTF_8)) {
            String[] f = line.split("\t");
            boolean numeric = f[1].equals("numeric");
            int width = Integer.parseInt(f[4]);
            // A numeric field's columns' means and sds follow its layout: mean1, sd1, mean2, sd2, ...
            float[] scale = new float[numeric ? 2 * width : 0];
            for (int i = 0; i < scale.length; i++) {
                scale[i] = Float.parseFloat(f[5 + i]);
            }
            Column c = new Column(f[0], f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), width, scale);
            cs.add(c);
            if (c.kind.equals("bag") || numeric) {
                denseWidth += c.width;
            } else {
                idWidth += c.width;
            }
            if (c.kind.equals("categorical") || c.kind.equals("bag")) {
                vocabularies.put(c.name, VocabularyFile.index(dir.resolve("vocab/" + c.name + ".txt"), true));
            }
        }
        for (String line : Files.readAllLines(dir.resolve("features/crosses.tsv"), StandardCharsets.UTF_8)) {
            String[] f = line.split("\t");
            crossBuckets.put(f[0], Integer.parseInt(f[1]));
            crossFields.put(f[0], List.of(f[2].split(",")));
            crosses.put(f[0], new HashedCross(f[0], crossFields.get(f[0]), crossBuckets.get(f[0])));
        }
        users = new HashMap<>();
        items = new HashMap<>();
        userFields = table(dir.resolve("features/user.tsv"), users);
        itemFields = table(dir.resolve("features/item.tsv"), items);
        columns = List.copyOf(cs);
    }

    private static List<String> table(Path file, Map<String, List<String>> rows) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String[] header = lines.get(0).split("\t", -1);
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split("\t", -1);
            rows.put(f[0], List.of(f).subList(1, f.length));
        }
        return List.of(header).subList(1, header.length);
    }

    /** {@inheritDoc} */
    @Override
    public NDList processInput(TranslatorContext ctx, Input input) {
        NDManager manager = ctx.getNDManager();
        try {
            var json = RatingTranslator.json(input.getData() == null ? "" : input.getData().getAsString());
            ctx.setAttachment(SINGLE, json.isJsonObject());
            com.google.gson.JsonObject similar = topK.similar(json, ctx.getModel().getBlock());
            if (similar != null) {
                ctx.setAttachment(TopKItems.SIMILAR, similar);
                NDList list = new NDList(manager.zeros(new Shape(1, idWidth), DataType.INT64));
                if (denseWidth > 0) {
                    list.add(manager.zeros(new Shape(1, denseWidth), DataType.FLOAT32));
                }
                return list;
            }
            Map<String, Integer> userIndex = known(vocabularies.get("user"));
            List<String[]> pairs = topK.expand(json, userIndex, ctx);
            if (pairs == null) {
                pairs = RatingTranslator.pairs(json);
            }
            Map<String, Integer> itemIndex = known(vocabularies.get("item"));
            long[] ids = new long[pairs.size() * idWidth];
            float[] dense = new float[pairs.size() * denseWidth];
            for (int r = 0; r < pairs.size(); r++) {
                RatingTranslator.lookup(userIndex, "user", pairs.get(r)[0], r, pairs.size());
                RatingTranslator.lookup(itemIndex, "item", pairs.get(r)[1], r, pairs.size());
                encode(pairs.get(r)[0], pairs.get(r)[1], ids, r * idWidth, dense, r * denseWidth);
            }
            ctx.setAttachment(PAIRS, pairs);
            NDList list = new NDList(manager.create(ids, new Shape(pairs.size(), idWidth)));
            if (denseWidth > 0) {
                list.add(manager.create(dense, new Shape(pairs.size(), denseWidth)));
            }
            return list;
        } catch (RatingTranslator.BadRequest e) {
            ctx.setAttachment(ERROR, e.getMessage());
            // A harmless row (everything unknown) keeps the forward pass valid; the output is the error.
            NDList list = new NDList(manager.zeros(new Shape(1, idWidth), DataType.INT64));
            if (denseWidth > 0) {
                list.add(manager.zeros(new Shape(1, denseWidth), DataType.FLOAT32));
            }
            return list;
        }
    }

    /** The vocabulary without index 0, which a request may not name. */
    private static Map<String, Integer> known(Map<String, Integer> vocabulary) {
        Map<String, Integer> out = new HashMap<>(vocabulary);
        out.values().remove(0);
        return out;
    }

    private void encode(String user, String item, long[] ids, int idBase, float[] dense, int denseBase) {
        for (Column c : columns) {
            switch (c.kind) {
                case "categorical" -> {
                    String v = value(c.name, user, item);
                    Integer index = v == null ? null : vocabularies.get(c.name).get(v);
                    ids[idBase + c.start] = index == null ? 0 : index;
                }
                case "cross", "bag_cross" -> {
                    List<Integer> buckets = new ArrayList<>();
                    product(c.name, crossFields.get(c.name), user, item, 0, new ArrayList<>(), buckets);
                    for (int s = 0; s < Math.min(c.width, buckets.size()); s++) {
                        ids[idBase + c.start + s] = buckets.get(s);
                    }
                }
                case "bag" -> {
                    List<String> values = bag(c.name, user, item);
                    for (String v : values) {
                        Integer index = vocabularies.get(c.name).get(v);
                        dense[denseBase + c.start + (index == null ? 0 : index)] += 1f / values.size();
                    }
                }
                case "numeric" -> {
                    // As the trainer standardised it (a group's values joined by |); a missing or
                    // unreadable value is the mean, 0.
                    String v = value(c.name, user, item);
                    String[] parts = v == null ? new String[0] : c.width == 1 ? new String[] {v} : v.split("\\|", -1);
                    for (int k = 0; k < c.width; k++) {
                        float x = 0f;
                        if (k < parts.length && !parts[k].isEmpty()) {
                            try {
                                double d = Double.parseDouble(parts[k]);
                                x = Double.isFinite(d) ? (float) ((d - c.scale[2 * k]) / c.scale[2 * k + 1]) : 0f;
                            } catch (NumberFormatException e) {
                                x = 0f;
                            }
                        }
                        dense[denseBase + c.start + k] = x;
                    }
                }
                default -> throw new IllegalStateException("unknown column kind " + c.kind);
            }
        }
    }

    private void product(String cross, List<String> fields, String user, String item, int depth, List<String> prefix,
            List<Integer> out) {
        if (depth == fields.size()) {
            out.add(crosses.get(cross).bucket(prefix));
            return;
        }
        String field = fields.get(depth);
        List<String> values;
        if (isBag(field)) {
            values = bag(field, user, item);
        } else {
            String v = value(field, user, item);
            values = List.of(v == null ? "<unk>" : v);
        }
        for (String v : values) {
            prefix.add(v);
            product(cross, fields, user, item, depth + 1, prefix, out);
            prefix.remove(prefix.size() - 1);
        }
    }

    private boolean isBag(String field) {
        return columns.stream().anyMatch(c -> c.name.equals(field) && c.kind.equals("bag"));
    }

    private String value(String field, String user, String item) {
        if (field.equals("user")) {
            return user;
        }
        if (field.equals("item")) {
            return item;
        }
        String v = raw(field, user, item);
        return v == null || v.equals("<unk>") ? null : v;
    }

    private List<String> bag(String field, String user, String item) {
        String v = raw(field, user, item);
        return v == null || v.isEmpty() ? List.of() : List.of(v.split("\\|"));
    }

    private String raw(String field, String user, String item) {
        int u = userFields.indexOf(field);
        if (u >= 0) {
            List<String> values = users.get(user);
            return values == null ? null : values.get(u);
        }
        List<String> values = items.get(item);
        return values == null ? null : values.get(itemFields.indexOf(field));
    }

    /** {@inheritDoc} */
    @Override
    public Output processOutput(TranslatorContext ctx, NDList list) {
        return RatingTranslator.respond(ctx, list, binary);
    }

    /** {@inheritDoc} */
    @Override
    public Batchifier getBatchifier() {
        return null; // a request is already a batch of pairs
    }
}
