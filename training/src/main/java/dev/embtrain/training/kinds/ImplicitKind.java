package dev.embtrain.training.kinds;

import dev.embtrain.training.objectives.Metrics;
import dev.embtrain.training.modeltypes.ModelTypes;
import dev.embtrain.training.run.RunFiles;
import dev.embtrain.training.run.SavedRun;
import dev.embtrain.training.serving.ServingExport;
import dev.embtrain.models.serving.FeatureValuesTranslator;
import dev.embtrain.models.Head;
import dev.embtrain.models.DenseGroup;
import dev.embtrain.models.CategoricalField;
import ai.djl.Model;
import dev.embtrain.datasets.split.Split;
import dev.embtrain.datasets.split.Splits;
import dev.embtrain.datasets.synthetic.SyntheticFeat2Vec;
import dev.embtrain.models.FactorizationMachine;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.FactorizationMachineConfig;
import dev.embtrain.training.config.RunConfig;
import dev.embtrain.training.config.LabelConfig;
import dev.embtrain.training.config.RatingsDatasetConfig;
import dev.embtrain.training.config.SyntheticFeat2VecConfig;
import dev.embtrain.training.engine.EpochRecord;
import dev.embtrain.training.export.Neighbors;
import dev.embtrain.training.export.Npy;
import dev.embtrain.training.export.TableExport;
import dev.embtrain.training.objectives.Implicit;
import dev.embtrain.training.plot.Plots;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Implicit feedback (feat2vec): a {@code factorization-machine} with {@code objective: implicit}
 * trained on positive rows alone against sampled negatives ({@link Implicit}); every feature
 * value gets an embedding. The run prints what feat2vec's example notebook looks at (nearest
 * neighbours over all feature values, cos(y_0, y_1)) and exports every table, labelled by value,
 * which {@code embtrain neighbors} searches.
 */
final class ImplicitKind implements RunKind {

    /** Lists the exported tables, a line each: name, tab, the excluded row (0, the unknown slot) or nothing. */
    static final String TABLES = RunFiles.VOCAB_DIR + "/tables.tsv";
    /** The values the notebook looks at. */
    static final List<String> QUERIES = List.of("y:0", "id:5", "item:3", "attrs:attr1");
    /** Neighbours printed per query. */
    private static final int K = 5;

    @Override
    public String name() {
        return "implicit";
    }

    @Override
    public boolean accepts(RunConfig config) {
        return config.dataset() instanceof SyntheticFeat2VecConfig || onRatings(config);
    }

    /**
     * Tells whether a config trains feat2vec on a ratings table: its rows (user, item and the
     * side features {@code dataset.features} names) are the positives.
     *
     * @param config the config
     * @return whether the dataset holds ratings and the model is an implicit factorization machine
     */
    static boolean onRatings(RunConfig config) {
        return DatasetTypes.of(config.dataset()).data() == DatasetTypes.Data.RATINGS
                && config.model() instanceof FactorizationMachineConfig fm
                && fm.objective() == FactorizationMachineConfig.Objective.IMPLICIT;
    }

    @Override
    public Set<Command> commands() {
        return EnumSet.of(Command.TRAIN, Command.EVALUATE, Command.NEIGHBORS, Command.EXPORT, Command.BENCHMARK);
    }

    @Override
    public void check(ConfigLoader.Loaded loaded) {
        RunConfig config = loaded.config();
        if (ModelTypes.of(config.model()) != ModelTypes.FACTORIZATION_MACHINE) {
            throw loaded.error("model.type", config.model().type() + " does not train on synthetic-feat2vec rows;"
                    + " use factorization-machine with objective: implicit");
        }
        if (onRatings(config) && !((RatingsDatasetConfig) config.dataset()).crosses().isEmpty()) {
            throw loaded.error("dataset.crosses", "implicit training embeds every field and bag and interacts them"
                    + " all already; leave out dataset.crosses");
        }
        if (onRatings(config) && ((RatingsDatasetConfig) config.dataset()).label().type()
                != LabelConfig.LabelType.RATING) {
            throw loaded.error("dataset.label", "objective: implicit (feat2vec) draws negatives for every field and"
                    + " reads no label; leave out dataset.label, or rank items with label: {type: implicit} and"
                    + " objective: regression");
        }
        if (onRatings(config) && ((RatingsDatasetConfig) config.dataset()).evaluation().ranking() != null) {
            throw loaded.error("dataset.evaluation", "objective: implicit (feat2vec) reports valid_loss, not ranking"
                    + " metrics; leave out dataset.evaluation, or rank items with label: {type: implicit} and"
                    + " objective: regression");
        }
        FactorizationMachineConfig fm = (FactorizationMachineConfig) config.model();
        if (fm.objective() != FactorizationMachineConfig.Objective.IMPLICIT) {
            throw loaded.error("model.objective", fm.objective().name().toLowerCase(Locale.ROOT)
                    + " needs labels, and synthetic-feat2vec rows are positives only; use objective: implicit");
        }
    }

    @Override
    public List<String> metrics(RunConfig config) {
        return onRatings(config) || ((SyntheticFeat2VecConfig) config.dataset()).split().validation() > 0
                ? Metrics.names(Implicit.METRICS)
                : List.of();
    }

    /** feat2vec: every feature value's vector and its neighbours across tables. */
    @Override
    public Serving serving(Path runDir, RunConfig config, ConfigLoader.Loaded loaded) throws IOException {
        List<CategoricalField> fields = new ArrayList<>();
        List<DenseGroup> groups = new ArrayList<>();
        List<FactorizationMachine.FieldMode> modes = new ArrayList<>();
        List<String> files = new ArrayList<>();
        files.add(TABLES);
        for (String line : Files.readAllLines(runDir.resolve(TABLES), StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", -1);
            int rows = ServingExport.lines(runDir.resolve(RunFiles.labels(f[0])));
            // A field's table is indexed by its vocabulary (row 0 unknown); a group's has a row per column.
            if (f[1].equals("0")) {
                fields.add(new CategoricalField(f[0], rows));
            } else {
                groups.add(new DenseGroup(f[0], rows));
            }
            modes.add(new FactorizationMachine.FieldMode(f[0], FactorizationMachine.Mode.EMBEDDINGS_ONLY));
            files.add(RunFiles.labels(f[0]));
        }
        FactorizationMachineConfig fm = (FactorizationMachineConfig) loaded.config().model();
        FactorizationMachine.Spec spec = new FactorizationMachine.Spec(fields, groups, fm.factors(), modes, true,
                Head.BINARY, 0f, 1f, (float) fm.initStd());
        return new Serving(spec, FeatureValuesTranslator.class, Map.of(), files, Map.of());
    }

    @Override
    public Prepared prepare(ConfigLoader.Loaded loaded, Consumer<String> report) throws IOException {
        if (onRatings(loaded.config())) {
            RatingsData data = RatingsData.load(loaded);
            Implicit.Rows train = Implicit.Rows.of(data.schema(), data.train());
            List<String> fields = train.fields().stream().map(Implicit.Field::name).toList();
            List<String> groups = train.groups().stream().map(Implicit.Group::name).toList();
            report.accept(String.format(Locale.ROOT, "data     %s: %,d rows as positives, fields %s%s", data.source(),
                    data.table().size(), fields, groups.isEmpty() ? "" : ", dense features (bags, numbers) " + groups));
            report.accept(String.format(Locale.ROOT, "split    %,d training, %,d validation rows",
                    data.train().rows(), data.valid().rows()));
            return new Data(train, data.valid().rows() == 0 ? null : Implicit.Rows.of(data.schema(), data.valid()),
                    false);
        }
        SyntheticFeat2VecConfig dataset = (SyntheticFeat2VecConfig) loaded.config().dataset();
        SyntheticFeat2Vec.Data data = SyntheticFeat2Vec.generate(dataset.rows(), dataset.outcome(),
                dataset.generatorSeed());
        report.accept(String.format(Locale.ROOT, "data     synthetic-feat2vec: %,d rows, fields %s, dense group %s %s",
                data.rows(), SyntheticFeat2Vec.FIELDS, SyntheticFeat2Vec.DENSE_GROUP, SyntheticFeat2Vec.ATTRIBUTES));
        Split split = Splits.random(data.rows(), dataset.split().validation(), dataset.split().seed());
        report.accept(String.format(Locale.ROOT, "split    %,d training, %,d validation rows", split.train().length,
                split.valid().length));
        Implicit.Rows all = Implicit.Rows.of(data);
        return new Data(all.select(split.train()), split.valid().length == 0 ? null : all.select(split.valid()),
                true);
    }

    @Override
    public List<Neighbors.Table> tables(SavedRun run) throws IOException {
        Path dir = run.dir();
        Path index = dir.resolve(TABLES);
        if (!Files.isRegularFile(index)) {
            throw new IllegalArgumentException(dir + " exported no embedding tables (export.embeddings was empty)");
        }
        List<Neighbors.Table> tables = new ArrayList<>();
        for (String line : Files.readAllLines(index, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", -1);
            Path npy = dir.resolve(RunFiles.EMBEDDINGS_DIR).resolve(f[0] + ".npy");
            if (!Files.isRegularFile(npy)) {
                throw new IllegalArgumentException(npy + " is missing: the run must export npy to be searched");
            }
            tables.add(new Neighbors.Table(f[0], Npy.readFloat32Matrix(npy),
                    Files.readAllLines(dir.resolve(RunFiles.labels(f[0])), StandardCharsets.UTF_8),
                    f[1].isEmpty() ? Set.of() : Set.of(0)));
        }
        return tables;
    }

    /** Among each id's 4 nearest ids, the share equal to it modulo 10 (what the notebook shows for id 5). */
    static double sameIdClassPrecision(Neighbors.Table ids) {
        int hits = 0;
        int total = 0;
        for (int row = 1; row < ids.vectors().length; row++) {
            int id = Integer.parseInt(ids.labels().get(row));
            for (Neighbors.TableNeighbor n : Neighbors.nearestAcross(List.of(ids), ids.name(), row, 4)) {
                hits += Integer.parseInt(n.label()) % 10 == id % 10 ? 1 : 0;
                total++;
            }
        }
        return hits / (double) total;
    }

    private static List<Neighbors.TableNeighbor> printNearest(Consumer<String> out, List<Neighbors.Table> tables,
            String table, int row) {
        List<Neighbors.TableNeighbor> found = Neighbors.nearestAcross(tables, table, row, K);
        Neighbors.Table t = table(tables, table);
        out.accept("nearest to " + table + ":" + t.labels().get(row) + ":");
        for (Neighbors.TableNeighbor n : found) {
            out.accept(String.format(Locale.ROOT, "%8.4f  %s", n.cosine(), n.qualifiedLabel()));
        }
        return found;
    }

    private static Neighbors.Table table(List<Neighbors.Table> tables, String name) {
        return tables.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    private static FactorizationMachineConfig fm(RunConfig config) {
        return (FactorizationMachineConfig) config.model();
    }

    /** The training and validation positives. */
    private static final class Data implements Prepared {
        private final Implicit.Rows train;
        private final Implicit.Rows valid;
        private final boolean synthetic;

        Data(Implicit.Rows train, Implicit.Rows valid, boolean synthetic) {
            this.train = train;
            this.valid = valid;
            this.synthetic = synthetic;
        }

        @Override
        public Trainable build(RunConfig config, Model model, boolean refit) {
            FactorizationMachineConfig fm = (FactorizationMachineConfig) config.model();
            Implicit.Options options = new Implicit.Options(fm.factors(), fm.negatives(), fm.fieldExponent(),
                    fm.valueExponent(), fm.valueBias(), fm.loss() == FactorizationMachineConfig.ImplicitLoss.NCE,
                    config.training().batchSize());
            Implicit objective = new Implicit(train, valid, options, config.seed());
            model.setBlock(Implicit.block(train, fm.factors(), (float) fm.initStd()));
            String description = String.format(Locale.ROOT, "factorization-machine, implicit (%s, %d negatives per"
                    + " positive, field exponent %s, value exponent %s, value bias %s), factors %d",
                    fm.loss() == FactorizationMachineConfig.ImplicitLoss.NCE ? "nce" : "negative sampling",
                    fm.negatives(), fm.fieldExponent(), fm.valueExponent(), fm.valueBias(), fm.factors());
            return new Trainable(objective, description, true, null);
        }

        @Override
        public void finish(Finished f) throws IOException {
            RunConfig config = f.config();
            Path dir = f.dir();
            List<Neighbors.Table> tables = Implicit.tables((FactorizationMachine) f.model().getBlock(), train);
            Map<String, List<Long>> shapes = new LinkedHashMap<>();
            // The table index and labels are written always: neighbors and the serving export read them.
            Files.createDirectories(dir.resolve(RunFiles.VOCAB_DIR));
            List<String> index = new ArrayList<>();
            for (Neighbors.Table t : tables) {
                Files.write(dir.resolve(RunFiles.labels(t.name())), t.labels(), StandardCharsets.UTF_8);
                index.add(t.name() + "\t" + (t.exclude().contains(0) ? "0" : ""));
            }
            Files.write(dir.resolve(TABLES), index, StandardCharsets.UTF_8);
            if (!config.export().embeddings().isEmpty()) {
                Path embeddings = Files.createDirectories(dir.resolve(RunFiles.EMBEDDINGS_DIR));
                for (Neighbors.Table t : tables) {
                    TableExport.write(embeddings, t.name(), t.vectors(), t.labels(),
                            new LinkedHashSet<>(config.export().embeddings()));
                }
            }
            for (Neighbors.Table t : tables) {
                shapes.put(t.name(), List.of((long) t.vectors().length, (long) t.vectors()[0].length));
            }
            Consumer<String> out = f.report();
            if (!synthetic) {
                // Each table's first value (the first seen in training), and its nearest values in every table.
                for (Neighbors.Table t : tables) {
                    int row = t.exclude().contains(0) ? 1 : 0;
                    if (row < t.vectors().length) {
                        printNearest(out, tables, t.name(), row);
                    }
                }
            }
            String nearestToY0 = null;
            double cosine = Double.NaN;
            double precision = Double.NaN;
            if (synthetic) {
                for (String query : QUERIES) {
                    int[] at = Neighbors.findQualifiedLabel(tables, query);
                    List<Neighbors.TableNeighbor> found = printNearest(out, tables, tables.get(at[0]).name(), at[1]);
                    if (query.equals("y:0")) {
                        nearestToY0 = found.get(0).qualifiedLabel();
                    }
                }
                Neighbors.Table y = table(tables, "y");
                cosine = Neighbors.nearestAcross(List.of(y), "y", y.labels().indexOf("0"), y.vectors().length)
                        .stream().filter(n -> n.label().equals("1")).findFirst().orElseThrow().cosine();
                precision = sameIdClassPrecision(table(tables, "id"));
                out.accept(String.format(Locale.ROOT, "cosine(y_0, y_1) %.4f; ids whose 4 nearest ids share their"
                        + " value mod 10: %.3f (chance 0.082)", cosine, precision));
            }
            if (config.export().plots()) {
                List<EpochRecord> h = f.fit().history();
                Map<String, double[]> series = new LinkedHashMap<>();
                series.put("train_loss", h.stream().mapToDouble(EpochRecord::trainLoss).toArray());
                if (valid != null) {
                    series.put("valid_loss", h.stream().mapToDouble(e -> e.valid().get("valid_loss")).toArray());
                }
                Plots.metricCurves(dir.resolve(RunFiles.PLOTS_DIR).resolve("metrics.png"), config.name()
                        + ": loss per epoch", h.stream().map(EpochRecord::epoch).toList(), series,
                        fm(config).loss() == FactorizationMachineConfig.ImplicitLoss.NCE ? "NCE loss"
                                : "negative-sampling loss");
            }
            Map<String, Object> r = f.resolved();
            r.put("table_shapes", shapes);
            r.put("train_rows", train.ids().length);
            r.put("valid_rows", valid == null ? 0 : valid.ids().length);
            r.put("final_train_loss", f.fit().last().trainLoss());
            if (synthetic) {
                r.put("cosine_y0_y1", cosine);
                r.put("nearest_to_y0", nearestToY0);
                r.put("same_id_class_precision_at_4", precision);
            }
        }
    }
}
