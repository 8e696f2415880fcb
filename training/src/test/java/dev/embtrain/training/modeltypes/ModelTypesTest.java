package dev.embtrain.training.modeltypes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.embtrain.datasets.features.FeatureSchema;
import dev.embtrain.datasets.features.FeatureSpec;
import dev.embtrain.models.shared.HashedCross;
import dev.embtrain.datasets.movielens.ItemKey;
import dev.embtrain.datasets.movielens.MovieLens;
import dev.embtrain.datasets.movielens.MovieLensFeatures;
import dev.embtrain.models.EmbeddingSizeRule;
import dev.embtrain.models.FactorizationMachine;
import dev.embtrain.models.WideAndDeep;
import dev.embtrain.training.config.FactorizationMachineConfig;
import dev.embtrain.training.config.FieldMode;
import dev.embtrain.training.config.FieldSize;
import dev.embtrain.training.config.WideAndDeepConfig;
import dev.embtrain.training.engine.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The blocks the model types build on a feature schema: their columns, widths and output shapes. */
class ModelTypesTest {

    private static final String FLAGS = "|0|0|0|0|0|1|0|0|1|0|0|0|0|0|0|0|0|0|0\n";

    private static FeatureSchema.Encoded encoded;

    private static FeatureSchema schema(Path dir, boolean binary, List<HashedCross> crosses) throws Exception {
        Files.writeString(dir.resolve("u.data"), "1\t1\t5\t10\n2\t1\t3\t11\n1\t2\t4\t12\n3\t2\t2\t13\n");
        Files.writeString(dir.resolve("u.user"), "1|24|M|technician|85711\n2|53|F|other|K1A0B\n");
        Files.writeString(dir.resolve("u.item"), "1|Toy Story (1995)|01-Jan-1995||http://x" + FLAGS
                + "2|GoldenEye (1995)|01-Jan-1996||http://y" + FLAGS);
        MovieLensFeatures source = MovieLensFeatures.read(MovieLens.read(dir, ItemKey.ID), dir, ItemKey.ID);
        FeatureSpec spec = new FeatureSpec(List.of("user", "item", "age", "genres", "year"), crosses,
                binary ? FeatureSpec.Label.atLeast(4) : FeatureSpec.Label.RATING);
        FeatureSchema schema = FeatureSchema.build(spec, source, new int[] {0, 1, 2});
        encoded = schema.encode(source, new int[] {0, 1, 2, 3});
        return schema;
    }

    private static float[] forward(Block block, FeatureSchema schema) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape[] shapes = ModelTypes.inputShapes(schema, 4);
            block.initialize(manager, DataType.FLOAT32, shapes);
            NDList input = new NDList(manager.create(encoded.ids(), shapes[0]), manager.create(encoded.dense(), shapes[1]));
            NDArray out = block.forward(new ParameterStore(manager, false), input, false).head();
            assertEquals(block.getOutputShapes(shapes)[0], out.getShape());
            assertEquals(new Shape(4), out.getShape());
            return out.toFloatArray();
        }
    }

    @Test
    void factorizationMachineTakesEveryFieldCrossAndBagInLayoutOrder(@TempDir Path dir) throws Exception {
        FeatureSchema schema = schema(dir, false, List.of(new HashedCross("age_x_year", List.of("age", "year"), 9)));
        FactorizationMachineConfig config = new FactorizationMachineConfig(3, FactorizationMachineConfig.Objective.REGRESSION,
                List.of(new FieldMode("year", FieldMode.Mode.BIAS_ONLY)), true, List.of(1.0, 5.0), 0.01, 5, 0.25, 0.75,
                1.0, FactorizationMachineConfig.ImplicitLoss.NS);
        FactorizationMachine fm = (FactorizationMachine) ModelTypes.of(config).spec(config, schema).newBlock();
        assertEquals(List.of("user", "item", "age", "year", "age_x_year", "genres"), fm.fieldNames());
        assertEquals(FactorizationMachine.Mode.BIAS_ONLY, fm.fieldMode("year"));
        assertEquals(10, fm.categoricalFields().get(4).vocabularySize());
        assertEquals(schema.vocabulary("genres").size(), fm.denseGroups().get(0).width());
        assertEquals(Task.REGRESSION, ModelTypes.of(config).task(config));
        for (float rating : forward(fm, schema)) {
            assertEquals(true, rating > 1 && rating < 5, "rating " + rating);
        }
    }

    @Test
    void wideAndDeepWidthsComeFromTheRuleUnlessGivenAndCrossesAreWideOnly(@TempDir Path dir) throws Exception {
        FeatureSchema schema = schema(dir, true, List.of(new HashedCross("user_x_genres", List.of("user", "genres"), 7)));
        WideAndDeepConfig config = new WideAndDeepConfig(WideAndDeepConfig.Objective.BINARY, List.of(4), 0.0, false,
                EmbeddingSizeRule.FOURTH_ROOT, List.of(new FieldSize("item", 5)), List.of(0.0, 5.5), 0.01);
        // fourth root of the vocabulary sizes 3 (users, unknown included), 3 (ages), 3 (years): round(1.316) = 1
        assertEquals(Map.of("user", 1, "item", 5, "age", 1, "year", 1), ModelTypes.embeddingWidths(config, schema));
        WideAndDeep wd = (WideAndDeep) ModelTypes.of(config).spec(config, schema).newBlock();
        assertEquals(List.of(new WideAndDeep.Field("user", 3, 1), new WideAndDeep.Field("item", 3, 5),
                new WideAndDeep.Field("age", 3, 1), new WideAndDeep.Field("year", 3, 1),
                new WideAndDeep.Field("user_x_genres", 8, 0, 2)), wd.fields());
        assertEquals(1 + 5 + 1 + 1 + schema.denseWidth(), wd.deepWidth());
        assertEquals(Task.BINARY, ModelTypes.of(config).task(config));
        forward(wd, schema);

        WideAndDeepConfig unknown = new WideAndDeepConfig(WideAndDeepConfig.Objective.BINARY, List.of(4), 0.0, false,
                EmbeddingSizeRule.FASTAI, List.of(new FieldSize("genres", 5)), List.of(0.0, 5.5), 0.01);
        var e = assertThrows(IllegalArgumentException.class, () -> ModelTypes.of(unknown).spec(unknown, schema));
        assertEquals("no embedded field \"genres\"; the embedded fields are [user, item, age, year]", e.getMessage());
    }
}
