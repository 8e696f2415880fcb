package dev.embtrain.training.kinds;

import dev.embtrain.models.DeepCollaborative;
import dev.embtrain.models.DotProductBias;
import dev.embtrain.training.config.DeepCollaborativeConfig;
import dev.embtrain.training.config.DotProductBiasConfig;
import dev.embtrain.training.config.RunConfig;
import dev.embtrain.training.run.RunDirectory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Writes a finished run as a model directory that DJL Serving (or any {@code Criteria<Input,
 * Output>}) loads with none of embtrain's classes on its classpath: {@code serving.properties}
 * naming a {@code BlockFactory} and a {@code ServingTranslator}, the best epoch's parameters,
 * the vocabularies, and the models jar twice, at the root (where DJL looks for the block
 * factory) and in {@code libs/} (where it looks for the translator).
 */
public final class ServingExport {

    /** The models jar's name inside the directory. */
    public static final String MODELS_JAR = "embtrain-models.jar";

    private ServingExport() {}

    /**
     * Exports a run.
     *
     * @param runDir a run directory written by {@code embtrain train}
     * @param out the model directory to write; appears whole or not at all
     * @param overwrite whether an existing directory may be replaced
     * @return {@code out}
     * @throws IOException when a file cannot be read or written
     */
    public static Path write(Path runDir, Path out, boolean overwrite) throws IOException {
        dev.embtrain.training.config.ConfigLoader.Loaded loaded =
                dev.embtrain.training.config.ConfigLoader.load(runDir.resolve(RunFiles.CONFIG), List.of());
        RunKind kind = RunKinds.saved(loaded, Provenance.resolved(runDir));
        // After a search the kept model is the best trial's, whose model section may differ.
        Path best = runDir.resolve(Training.BEST);
        RunConfig config = Files.isRegularFile(best)
                ? dev.embtrain.training.config.ConfigLoader.load(best, List.of()).config() : loaded.config();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("engine", "PyTorch");
        properties.put("option.modelName", RunFiles.MODEL_NAME);
        List<String> files = new java.util.ArrayList<>();
        if (kind instanceof SessionsKind) {
            sessions(config, runDir, properties, files);
        } else if (kind instanceof ImplicitKind) {
            implicit(runDir, properties, files);
        } else if (kind instanceof LabelledKind) {
            labelled(config, runDir, properties, files);
        } else if (FeatureModels.uses(config)) {
            properties.putAll(featureProperties(config, SavedRun.schema(runDir, loaded)));
        } else {
            properties.putAll(properties(config, runDir));
            for (String field : RatingsData.FIELDS) {
                files.add(RunFiles.vocabulary(field));
            }
        }
        try (RunDirectory target = RunDirectory.begin(out, overwrite)) {
            Path dir = target.dir();
            Path params = bestParams(runDir.resolve(RunFiles.MODEL_DIR));
            Files.copy(params, dir.resolve(params.getFileName()));
            Files.createDirectories(dir.resolve(RunFiles.VOCAB_DIR));
            if (FeatureModels.uses(config) && kind instanceof RatingsKind) {
                copyFeatures(runDir, dir, loaded);
            }
            for (String f : files) {
                Files.createDirectories(dir.resolve(f).getParent());
                Files.copy(runDir.resolve(f), dir.resolve(f));
            }
            StringBuilder sb = new StringBuilder("# Written by embtrain export; loaded by DJL Serving.\n");
            properties.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
            Files.writeString(dir.resolve("serving.properties"), sb.toString(), StandardCharsets.UTF_8);
            writeModelsJar(dir.resolve(MODELS_JAR));
            Files.createDirectories(dir.resolve("libs"));
            Files.copy(dir.resolve(MODELS_JAR), dir.resolve("libs").resolve(MODELS_JAR));
            target.commit();
        }
        return out;
    }

    /** item2vec: the item table's neighbours, by id or label, or of a basket. */
    private static void sessions(RunConfig config, Path runDir, Map<String, String> p, List<String> files)
            throws IOException {
        dev.embtrain.training.config.EmbeddingBagConfig m = (dev.embtrain.training.config.EmbeddingBagConfig)
                config.model();
        p.put("blockFactory", dev.embtrain.models.serving.EmbeddingBagFactory.class.getName());
        p.put("translator", dev.embtrain.models.serving.NeighborsTranslator.class.getName());
        p.put("items", Integer.toString(lines(runDir.resolve(RunFiles.vocabulary("item")))));
        p.put("vector_size", Integer.toString(m.vectorSize()));
        p.put("mode", dev.embtrain.training.config.ConfigBinder.yamlName(m.mode()));
        p.put("pooling", dev.embtrain.training.config.ConfigBinder.yamlName(m.pooling()));
        // EmbeddingBag's input vectors: the item table embtrain neighbors searches.
        p.put("table", "input");
        files.add(RunFiles.vocabulary("item"));
        files.add(RunFiles.labels("item"));
    }

    /** feat2vec: every feature value's vector and its neighbours across tables. */
    private static void implicit(Path runDir, Map<String, String> p, List<String> files) throws IOException {
        List<String> fields = new java.util.ArrayList<>();
        List<String> groups = new java.util.ArrayList<>();
        List<String> modes = new java.util.ArrayList<>();
        int factors = 0;
        files.add(ImplicitKind.TABLES);
        for (String line : Files.readAllLines(runDir.resolve(ImplicitKind.TABLES), StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", -1);
            int rows = lines(runDir.resolve(RunFiles.labels(f[0])));
            // A field's table is indexed by its vocabulary (row 0 unknown); a group's has a row per column.
            (f[1].equals("0") ? fields : groups).add(f[0] + ":" + rows);
            modes.add(f[0] + ":" + dev.embtrain.models.FactorizationMachine.Mode.EMBEDDINGS_ONLY.name());
            files.add(RunFiles.labels(f[0]));
        }
        dev.embtrain.training.config.FactorizationMachineConfig fm = (dev.embtrain.training.config
                .FactorizationMachineConfig) dev.embtrain.training.config.ConfigLoader.load(
                runDir.resolve(RunFiles.CONFIG), List.of()).config().model();
        factors = fm.factors();
        p.put("blockFactory", dev.embtrain.models.serving.FactorizationMachineFactory.class.getName());
        p.put("translator", dev.embtrain.models.serving.FeatureValuesTranslator.class.getName());
        p.put("fields", String.join(",", fields));
        p.put("dense_groups", String.join(",", groups));
        p.put("factors", Integer.toString(factors));
        p.put("modes", String.join(",", modes));
        p.put("global_bias", "true");
        p.put("head", "binary");
    }

    /** A labelled-embeddings classifier, with the run's preprocessing applied in the translator. */
    private static void labelled(RunConfig config, Path runDir, Map<String, String> p, List<String> files)
            throws IOException {
        dev.embtrain.training.config.WideAndDeepConfig wd = (dev.embtrain.training.config.WideAndDeepConfig)
                config.model();
        int width = dev.embtrain.models.shared.Preprocessing.load(
                runDir.resolve(dev.embtrain.models.shared.Preprocessing.FILE)).width();
        dev.embtrain.models.WideAndDeep block = (dev.embtrain.models.WideAndDeep)
                dev.embtrain.training.labelled.LabelledModel.build(wd, width);
        p.put("blockFactory", dev.embtrain.models.serving.WideAndDeepFactory.class.getName());
        p.put("translator", dev.embtrain.models.serving.ClassifierTranslator.class.getName());
        p.put("fields", "");
        p.put("dense_width", Integer.toString(width));
        p.put("wide", Boolean.toString(block.hasWide()));
        p.put("layers", wd.layers().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")));
        p.put("dropout", Double.toString(wd.dropout()));
        p.put("batch_norm", Boolean.toString(wd.batchNorm()));
        p.put("head", "binary");
        files.add(dev.embtrain.models.shared.Preprocessing.FILE);
    }

    private static Map<String, String> properties(RunConfig config, Path runDir) throws IOException {
        Map<String, String> p = new LinkedHashMap<>();
        if (config.model() instanceof DotProductBiasConfig dpb) {
            p.put("blockFactory", dev.embtrain.models.serving.DotProductBiasFactory.class.getName());
            p.put("translator", dev.embtrain.models.serving.RatingTranslator.class.getName());
            p.put("users", Integer.toString(lines(runDir.resolve(RunFiles.vocabulary("user")))));
            p.put("items", Integer.toString(lines(runDir.resolve(RunFiles.vocabulary("item")))));
            p.put("factors", Integer.toString(dpb.factors()));
            p.put("y_lo", Double.toString(dpb.yRange().get(0)));
            p.put("y_hi", Double.toString(dpb.yRange().get(1)));
            return p;
        }
        if (config.model() instanceof DeepCollaborativeConfig dc) {
            int users = lines(runDir.resolve(RunFiles.vocabulary("user")));
            int items = lines(runDir.resolve(RunFiles.vocabulary("item")));
            // Widths as the trainer resolved them (rule or given), through the same factory.
            int[] widths = ((DeepCollaborative) ModelFactory.build(dc, Map.of("user", users, "item", items)))
                    .embeddingWidths();
            p.put("blockFactory", dev.embtrain.models.serving.DeepCollaborativeFactory.class.getName());
            p.put("translator", dev.embtrain.models.serving.RatingTranslator.class.getName());
            p.put("users", Integer.toString(users));
            p.put("items", Integer.toString(items));
            p.put("user_width", Integer.toString(widths[0]));
            p.put("item_width", Integer.toString(widths[1]));
            p.put("layers", dc.layers().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")));
            p.put("dropout", Double.toString(dc.dropout()));
            p.put("batch_norm", Boolean.toString(dc.batchNorm()));
            p.put("y_lo", Double.toString(dc.yRange().get(0)));
            p.put("y_hi", Double.toString(dc.yRange().get(1)));
            return p;
        }
        throw new IllegalArgumentException("model type " + config.model().type() + " cannot be exported for serving yet");
    }

    /**
     * Copies what {@link dev.embtrain.models.serving.FeatureTranslator} encodes a request with:
     * the layout, every vocabulary, the side-feature tables and the crosses' definitions.
     */
    private static void copyFeatures(Path runDir, Path dir, dev.embtrain.training.config.ConfigLoader.Loaded loaded)
            throws IOException {
        Files.copy(runDir.resolve(RunFiles.SCHEMA), dir.resolve(RunFiles.SCHEMA));
        dev.embtrain.datasets.features.FeatureSchema schema = SavedRun.schema(runDir, loaded);
        for (String field : schema.spec().fields()) {
            Files.copy(runDir.resolve(RunFiles.vocabulary(field)), dir.resolve(RunFiles.vocabulary(field)));
        }
        Path features = Files.createDirectories(dir.resolve(RunFiles.FEATURES_DIR));
        for (String table : List.of(dev.embtrain.datasets.movielens.SideTables.USERS, dev.embtrain.datasets.movielens.SideTables.ITEMS)) {
            Files.copy(runDir.resolve(RunFiles.FEATURES_DIR).resolve(table), features.resolve(table));
        }
        StringBuilder crosses = new StringBuilder();
        for (dev.embtrain.models.shared.HashedCross c : schema.spec().crosses()) {
            crosses.append(c.name()).append('\t').append(c.buckets()).append('\t')
                    .append(String.join(",", c.fields())).append('\n');
        }
        Files.writeString(features.resolve("crosses.tsv"), crosses.toString(), StandardCharsets.UTF_8);
    }

    private static Map<String, String> featureProperties(RunConfig config, dev.embtrain.datasets.features.FeatureSchema schema) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("translator", dev.embtrain.models.serving.FeatureTranslator.class.getName());
        if (config.model() instanceof dev.embtrain.training.config.FactorizationMachineConfig fm) {
            dev.embtrain.models.FactorizationMachine block =
                    (dev.embtrain.models.FactorizationMachine) ModelFactory.build(fm, schema);
            p.put("blockFactory", dev.embtrain.models.serving.FactorizationMachineFactory.class.getName());
            p.put("fields", block.categoricalFields().stream().map(f -> f.name() + ":" + f.vocabularySize())
                    .collect(java.util.stream.Collectors.joining(",")));
            p.put("dense_groups", block.denseGroups().stream().map(g -> g.name() + ":" + g.width())
                    .collect(java.util.stream.Collectors.joining(",")));
            p.put("factors", Integer.toString(fm.factors()));
            p.put("modes", fm.fieldModes().stream().map(m -> m.field() + ":" + m.mode().name())
                    .collect(java.util.stream.Collectors.joining(",")));
            p.put("global_bias", Boolean.toString(fm.globalBias()));
            p.put("head", block.isBinary() ? "binary" : "regression");
            p.put("y_lo", Double.toString(fm.yRange().get(0)));
            p.put("y_hi", Double.toString(fm.yRange().get(1)));
            return p;
        }
        // wide-and-deep, or deep-collaborative over side features (the same block without its wide part)
        dev.embtrain.models.WideAndDeep block = (dev.embtrain.models.WideAndDeep) ModelFactory.build(config.model(), schema);
        List<Integer> layers;
        double dropout;
        boolean batchNorm;
        List<Double> yRange;
        if (config.model() instanceof dev.embtrain.training.config.WideAndDeepConfig wd) {
            layers = wd.layers();
            dropout = wd.dropout();
            batchNorm = wd.batchNorm();
            yRange = wd.yRange();
        } else {
            DeepCollaborativeConfig dc = (DeepCollaborativeConfig) config.model();
            layers = dc.layers();
            dropout = dc.dropout();
            batchNorm = dc.batchNorm();
            yRange = dc.yRange();
        }
        p.put("blockFactory", dev.embtrain.models.serving.WideAndDeepFactory.class.getName());
        p.put("fields", block.fields().stream().map(f -> f.name() + ":" + f.vocabularySize() + ":" + f.embeddingWidth()
                + ":" + f.slots()).collect(java.util.stream.Collectors.joining(",")));
        p.put("dense_width", Integer.toString(schema.denseWidth()));
        p.put("wide", Boolean.toString(block.hasWide()));
        p.put("layers", layers.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")));
        p.put("dropout", Double.toString(dropout));
        p.put("batch_norm", Boolean.toString(batchNorm));
        p.put("head", block.isRegression() ? "regression" : "binary");
        p.put("y_lo", Double.toString(yRange.get(0)));
        p.put("y_hi", Double.toString(yRange.get(1)));
        return p;
    }

    private static int lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).size();
    }

    private static Path bestParams(Path modelDir) throws IOException {
        try (Stream<Path> s = Files.list(modelDir)) {
            List<Path> params = s.filter(p -> p.getFileName().toString().endsWith(".params")).sorted().toList();
            if (params.size() != 1) {
                throw new IOException(modelDir + ": expected one .params file, found " + params.size());
            }
            return params.get(0);
        }
    }

    /**
     * Writes the models module's classes as a jar: a copy of the jar they were loaded from, or,
     * when they come from a build directory (tests, an IDE), a jar made from it.
     */
    private static void writeModelsJar(Path jar) throws IOException {
        Path source;
        try {
            source = Path.of(DotProductBias.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the models classes", e);
        }
        if (Files.isRegularFile(source)) {
            Files.copy(source, jar);
            return;
        }
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os);
                Stream<Path> files = Files.walk(source)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(source.relativize(f).toString().replace('\\', '/')));
                try {
                    Files.copy(f, out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                out.closeEntry();
            }
        }
    }
}
