package dev.embtrain.training.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** Checks that what the Dockerfiles and the compose file name exists, and that images are pinned. */
class DockerFilesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern FROM = Pattern.compile("(?m)^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?");
    private static final Pattern COPY = Pattern.compile("(?m)^COPY\\s+(--from=\\S+\\s+)?(.+)$");

    private static void assertPinned(String image) {
        assertTrue(image.matches("[a-z0-9./_-]+:[A-Za-z0-9._-]+"), image + " has no tag");
        String tag = image.substring(image.lastIndexOf(':') + 1);
        assertFalse(tag.equals("latest") || !tag.matches(".*\\d.*"), image + " is not pinned to a version");
    }

    @Test
    void dockerfilesPinTheirBasesAndCopyWhatExists() throws Exception {
        String pom = Files.readString(ROOT.resolve("training/pom.xml"));
        assertTrue(pom.contains("<finalName>embtrain</finalName>"), "the jar the images copy");
        assertTrue(pom.contains("<outputDirectory>${project.build.directory}/lib</outputDirectory>"), "its lib/");
        for (String name : List.of("Dockerfile.gpu", "Dockerfile.cpu")) {
            String text = Files.readString(ROOT.resolve("docker").resolve(name));
            Matcher from = FROM.matcher(text);
            int stages = 0;
            while (from.find()) {
                assertPinned(from.group(1));
                stages++;
            }
            assertEquals(2, stages, name);
            Matcher copy = COPY.matcher(text);
            int copies = 0;
            while (copy.find()) {
                String[] parts = copy.group(2).trim().split("\\s+");
                for (int i = 0; i < parts.length - 1; i++) {
                    String source = parts[i];
                    if (copy.group(1) != null) {
                        // From the build stage: the Maven build's outputs, named by training/pom.xml.
                        assertTrue(source.equals("/src/training/target/embtrain.jar")
                                || source.equals("/src/training/target/lib/"), name + ": " + source);
                    } else {
                        assertTrue(Files.exists(ROOT.resolve(source)), name + ": COPY " + source + " does not exist");
                    }
                }
                copies++;
            }
            assertTrue(copies >= 8, name);
        }
        assertTrue(Files.readString(ROOT.resolve("docker/Dockerfile.gpu")).contains("ENV PYTORCH_FLAVOR=cu128"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeTrainsAConfigThatExistsAndServesWhatItExports() throws Exception {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker/compose.yaml")));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        Map<String, Object> train = (Map<String, Object>) services.get("train");
        Map<String, Object> build = (Map<String, Object>) train.get("build");
        Path context = ROOT.resolve("docker").resolve((String) build.get("context")).normalize();
        assertEquals(ROOT, context);
        assertTrue(Files.isRegularFile(context.resolve((String) build.get("dockerfile"))));
        List<String> command = (List<String>) train.get("command");
        assertEquals("train", command.get(0));
        assertTrue(Files.isRegularFile(ROOT.resolve(command.get(1))), command.get(1));
        String runDir = command.get(command.indexOf("--run-dir") + 1);
        assertTrue(command.contains("export.serving=true"));
        for (String volume : (List<String>) train.get("volumes")) {
            if (volume.startsWith("../configs:")) {
                assertTrue(Files.isDirectory(ROOT.resolve("configs")));
            }
        }

        Map<String, Object> serve = (Map<String, Object>) services.get("serve");
        assertPinned((String) serve.get("image"));
        String volume = ((List<String>) serve.get("volumes")).get(0);
        assertEquals("../" + runDir + "/serving", volume.substring(0, volume.indexOf(':')),
                "serve mounts the directory train exports");
        assertTrue(volume.contains(":/opt/ml/model/ratings"), volume);
    }
}
