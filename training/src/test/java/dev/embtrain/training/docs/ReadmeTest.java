package dev.embtrain.training.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.training.cli.Main;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.ConfigReference;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps the README and configs/ honest: its commands run, its reference matches the loader. */
class ReadmeTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path README = ROOT.resolve("README.md");
    private static final Path REFERENCE = ROOT.resolve("docs/config-reference.md");

    @Test
    void everyConfigFileLoadsAndPassesTheChecksMadeBeforeData() throws Exception {
        List<Path> configs;
        try (Stream<Path> s = Files.list(ROOT.resolve("configs"))) {
            configs = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(configs.size() >= 3, configs.toString());
        for (Path c : configs) {
            String name = c.getFileName().toString().replace(".yaml", "");
            ConfigLoader.Loaded loaded = ConfigLoader.load(c, List.of());
            assertEquals(name, loaded.config().name(), "a config's name is its file name");
            // Every check a run makes before reading data: unread keys, the monitor, the search space.
            dev.embtrain.training.train.ConfigChecks.check(loaded);
        }
    }

    @Test
    void configReferenceMatchesTheRecords() throws Exception {
        String readme = Files.readString(REFERENCE);
        Matcher m = Pattern.compile("<!-- config-reference:start -->\n(.*)<!-- config-reference:end -->",
                Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "docs/config-reference.md has no config-reference markers");
        String expected = ConfigReference.markdown();
        if (!expected.equals(m.group(1))) {
            Path fresh = Files.writeString(Path.of("target", "config-reference.md"), expected);
            assertEquals(expected, m.group(1), "docs/config-reference.md is stale; paste " + fresh.toAbsolutePath()
                    + " between the markers");
        }
    }

    @Test
    void everyConfigAndDocTheReadmeAndDocsNameExists() throws Exception {
        List<Path> pages = new java.util.ArrayList<>(List.of(README));
        try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        int found = 0;
        for (Path page : pages) {
            String text = Files.readString(page);
            Matcher m = Pattern.compile("configs/[a-z0-9-]+\\.yaml").matcher(text);
            while (m.find()) {
                assertTrue(Files.isRegularFile(ROOT.resolve(m.group())), page + " names " + m.group());
                found++;
            }
            Matcher link = Pattern.compile("\\]\\((docs/)?([a-z0-9-]+\\.md)\\)").matcher(text);
            while (link.find()) {
                assertTrue(Files.isRegularFile(ROOT.resolve("docs").resolve(link.group(2))), page + " links "
                        + link.group());
                found++;
            }
        }
        assertTrue(found > 0);
    }

    /** The README is a landing page; the rest lives in docs/. */
    @Test
    void theReadmeIsALandingPage() throws Exception {
        long lines = Files.readAllLines(README).size();
        assertTrue(lines <= 250, "README.md has " + lines + " lines; move detail into docs/");
    }

    @Test
    void theQuickstartCommandGetsWithinTenPercentOfTheNoiseFloor(@TempDir Path tmp) throws Exception {
        String readme = Files.readString(README);
        assertTrue(readme.contains("./embtrain train configs/quickstart.yaml "), "the README's run command");
        assertTrue(readme.contains("mvn -B test "), "the README's test command");
        assertTrue(Files.readString(ROOT.resolve(".ci/run")).contains("\nmvn -B test\n"), ".ci/run runs it");

        Path run = tmp.resolve("run");
        String out = cli("train", ROOT.resolve("configs/quickstart.yaml").toString(), "--run-dir", run.toString(),
                "--set", "dataset.path=" + tmp.resolve("data"));
        Matcher ratio = Pattern.compile("noise floor ([0-9.]+): valid_mse is ([0-9.]+)x").matcher(out);
        assertTrue(ratio.find(), out);
        double r = Double.parseDouble(ratio.group(2));
        assertTrue(r >= 1.0 && r <= 1.10, "valid MSE / noise floor = " + r + "\n" + out);

        Matcher example = Pattern.compile("--query \"([^\"]+)\" -k 5").matcher(readme);
        assertTrue(example.find());
        String neighbours = cli("neighbors", "--run", run.toString(), "--table", "item", "--query", example.group(1),
                "-k", "5");
        assertEquals(6, neighbours.lines().count(), neighbours);
    }

    private static String cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }
}
