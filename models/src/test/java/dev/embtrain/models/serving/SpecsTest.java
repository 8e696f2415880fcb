package dev.embtrain.models.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.embtrain.models.BlockSpec;
import dev.embtrain.models.CategoricalField;
import dev.embtrain.models.DeepCollaborative;
import dev.embtrain.models.DenseGroup;
import dev.embtrain.models.DotProductBias;
import dev.embtrain.models.EmbeddingBag;
import dev.embtrain.models.FactorizationMachine;
import dev.embtrain.models.Head;
import dev.embtrain.models.WideAndDeep;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecsTest {

    @Test
    void writesOneEntryPerComponentInSnakeCase() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("blockFactory", "dev.embtrain.models.serving.SpecFactory");
        expected.put("spec", "dev.embtrain.models.DotProductBias$Spec");
        expected.put("users", "944");
        expected.put("items", "1683");
        expected.put("factors", "50");
        expected.put("head", "regression");
        expected.put("y_lo", "0.0");
        expected.put("y_hi", "5.5");
        expected.put("init_std", "0.01");
        assertEquals(expected, Specs.write(new DotProductBias.Spec(944, 1683, 50, Head.REGRESSION, 0f, 5.5f, 0.01f)));
    }

    @Test
    void listsOfRecordsAndEnumsHaveTheirSeparators() {
        FactorizationMachine.Spec fm = new FactorizationMachine.Spec(
                List.of(new CategoricalField("user", 10), new CategoricalField("item", 20)),
                List.of(new DenseGroup("genres", 3)), 4,
                List.of(new FactorizationMachine.FieldMode("user", FactorizationMachine.Mode.BIAS_ONLY)),
                true, Head.BINARY, 0f, 1f, 0.01f);
        Map<String, String> p = Specs.write(fm);
        assertEquals("user:10,item:20", p.get("fields"));
        assertEquals("genres:3", p.get("dense_groups"));
        assertEquals("user:bias-only", p.get("modes"));
        assertEquals("binary", p.get("head"));
        assertEquals(fm, Specs.read(p));
    }

    @Test
    void everyModelsSpecReadsBackEqualAndBuilds() {
        List<BlockSpec> specs = List.of(
                new DotProductBias.Spec(5, 6, 3, Head.BINARY, 0.5f, 5.5f, 0.01f),
                new DeepCollaborative.Spec(5, 6, 0, 4, List.of(8, 4), 0.1f, true, Head.BINARY, 0f, 5.5f, 0.01f),
                new FactorizationMachine.Spec(List.of(new CategoricalField("user", 5)), List.of(), 2, List.of(), false,
                        Head.REGRESSION, 1f, 5f, 0.01f),
                new WideAndDeep.Spec(List.of(new WideAndDeep.Field("user", 5, 3), new WideAndDeep.Field("user_x_item",
                        9, 0, 1)), 2, true, List.of(), 0f, false, Head.REGRESSION, 0f, 5f, 0.01f),
                new EmbeddingBag.Spec(7, 4, EmbeddingBag.Mode.CBOW, EmbeddingBag.Pooling.SUM));
        for (BlockSpec spec : specs) {
            Map<String, String> p = Specs.write(spec);
            assertEquals(spec, Specs.read(p));
            assertEquals(spec.newBlock().getClass(), new SpecFactory().newBlock(null, null, p).getClass());
        }
        assertEquals("cbow", Specs.write(specs.get(4)).get("mode"));
        assertEquals("", Specs.write(specs.get(2)).get("dense_groups"));
    }

    @Test
    void badEntriesAreNamed() {
        Map<String, String> p = new HashMap<>(Specs.write(new DotProductBias.Spec(5, 6, 3, Head.REGRESSION, 0f, 5f, 0.01f)));
        p.put("factors", "three");
        assertEquals("serving.properties: factors must be a number, found \"three\"",
                assertThrows(IllegalArgumentException.class, () -> Specs.read(p)).getMessage());
        p.remove("factors");
        assertEquals("serving.properties lacks factors",
                assertThrows(IllegalArgumentException.class, () -> Specs.read(p)).getMessage());
        Map<String, String> bag = new HashMap<>(Specs.write(new EmbeddingBag.Spec(7, 4, EmbeddingBag.Mode.CBOW,
                EmbeddingBag.Pooling.SUM)));
        bag.put("mode", "glove");
        assertEquals("serving.properties: mode must be one of [skip-gram, cbow], found \"glove\"",
                assertThrows(IllegalArgumentException.class, () -> Specs.read(bag)).getMessage());
        bag.put("spec", "java.lang.String");
        assertEquals("serving.properties: spec names java.lang.String, which is not a BlockSpec record",
                assertThrows(IllegalArgumentException.class, () -> Specs.read(bag)).getMessage());
        assertEquals("fields holds \"a:b\": names in a served model may not contain , : = or a line break",
                assertThrows(IllegalArgumentException.class, () -> Specs.write(new FactorizationMachine.Spec(
                        List.of(new CategoricalField("a:b", 5)), List.of(), 2, List.of(), false, Head.REGRESSION, 1f,
                        5f, 0.01f))).getMessage());
    }
}
