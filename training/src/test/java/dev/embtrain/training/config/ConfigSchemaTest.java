package dev.embtrain.training.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docs/config.schema.json is what the records say, and every shipped config validates against it. */
class ConfigSchemaTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path FILE = ROOT.resolve("docs/config.schema.json");

    private static Schema schema() {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(ConfigSchema.json());
    }

    private static List<Error> validate(String yaml) {
        Object tree = new org.yaml.snakeyaml.Yaml().load(yaml);
        JsonNode node = new ObjectMapper().valueToTree(tree);
        return schema().validate(node);
    }

    @Test
    void theShippedSchemaIsTheRecordsSchema() throws Exception {
        String expected = ConfigSchema.json();
        if (!Files.isRegularFile(FILE) || !expected.equals(Files.readString(FILE))) {
            Path fresh = Files.writeString(Path.of("target", "config.schema.json"), expected);
            assertEquals(expected, Files.isRegularFile(FILE) ? Files.readString(FILE) : "",
                    "docs/config.schema.json is stale; copy " + fresh.toAbsolutePath() + " there");
        }
    }

    @Test
    void everyConfigInConfigsValidates() throws Exception {
        List<Path> configs;
        try (Stream<Path> s = Files.list(ROOT.resolve("configs"))) {
            configs = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(configs.size() >= 10, configs.toString());
        for (Path c : configs) {
            assertEquals(List.of(), validate(Files.readString(c)), c.toString());
        }
    }

    @Test
    void anUnknownKeyOrAWrongTypeIsReported() {
        String good = """
                name: x
                dataset: {type: synthetic-movielens}
                model: {type: dot-product-bias}
                """;
        assertEquals(List.of(), validate(good));
        List<Error> unknown = validate(good.replace("model: {type: dot-product-bias}",
                "model: {type: dot-product-bias, factor: 8}"));
        assertTrue(unknown.toString().contains("factor"), unknown.toString());
        List<Error> wrong = validate(good + "training: {epochs: many}\n");
        assertTrue(wrong.toString().contains("epochs"), wrong.toString());
        List<Error> variant = validate(good.replace("dot-product-bias", "dot-product"));
        assertTrue(!variant.isEmpty());
    }
}
