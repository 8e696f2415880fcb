package dev.embtrain.training.docs;

import static dev.embtrain.training.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.training.cli.CliRun.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every {@code ./embtrain} command line in a code block of the README or docs/ names a command
 * (and a spark job) that exists, and only options that command's {@code --help} lists, so a
 * renamed option cannot leave a page behind.
 */
class DocsCommandsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** The command lines of a page's code blocks, continuation lines joined. */
    static List<String> commands(String page) {
        List<String> out = new ArrayList<>();
        boolean code = false;
        StringBuilder pending = null;
        for (String line : page.split("\n")) {
            if (line.startsWith("```")) {
                code = !code;
                continue;
            }
            if (!code) {
                continue;
            }
            String l = line.strip();
            if (pending != null) {
                pending.append(' ').append(l);
            } else if (l.startsWith("./embtrain ")) {
                pending = new StringBuilder(l);
            } else {
                continue;
            }
            if (pending.toString().endsWith("\\")) {
                pending.setLength(pending.length() - 1);
            } else {
                out.add(pending.toString());
                pending = null;
            }
        }
        return out;
    }

    /** The {@code ./embtrain} command lines written as inline code outside code blocks (the README's tour), a
     * bare {@code ./embtrain spark} in prose left out. */
    static List<String> inlineCommands(String page) {
        List<String> out = new ArrayList<>();
        boolean code = false;
        for (String line : page.split("\n")) {
            if (line.startsWith("```")) {
                code = !code;
                continue;
            }
            if (code) {
                continue;
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("`(\\./embtrain [^`]*)`").matcher(line);
            while (m.find()) {
                for (String part : m.group(1).split(" && ")) {
                    if (part.startsWith("./embtrain ") && words(part).size() > 2) {
                        out.add(part);
                    }
                }
            }
        }
        return out;
    }

    /** Splits a shell line into words: quotes group, a # outside quotes starts a comment, && ends it. */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        char quote = 0;
        boolean any = false;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    w.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                any = true;
            } else if (c == '#' && w.length() == 0 && !any) {
                break;
            } else if (Character.isWhitespace(c)) {
                if (w.length() > 0 || any) {
                    out.add(w.toString());
                }
                w.setLength(0);
                any = false;
            } else {
                w.append(c);
                any = true;
            }
        }
        if (w.length() > 0 || any) {
            out.add(w.toString());
        }
        int and = out.indexOf("&&");
        return and < 0 ? out : out.subList(0, and);
    }

    @Test
    void everyDocumentedCommandLineUsesOptionsItsHelpLists() throws Exception {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        Map<String, String> helps = new HashMap<>();
        int checked = 0;
        for (Path page : pages) {
            String text = Files.readString(page);
            List<String> lines = new ArrayList<>(commands(text));
            lines.addAll(inlineCommands(text));
            for (String line : lines) {
                List<String> w = words(line.contains("MODEL_TYPE")
                        ? line.replace("MODEL_TYPE", "dot-product-bias").replace("[--dataset TYPE]", "") : line);
                String command = w.get(1);
                boolean spark = command.equals("spark");
                String key = spark ? "spark " + w.get(2) : command;
                String help = helps.computeIfAbsent(key, k -> {
                    Result r = spark ? run("spark", w.get(2), "--help") : run(command, "--help");
                    assertEquals(0, r.status(), page + ": " + line + "\n" + r.err());
                    return r.out();
                });
                for (String word : w.subList(spark ? 3 : 2, w.size())) {
                    if (word.startsWith("--") || word.equals("-k")) {
                        String option = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
                        assertTrue(help.contains(option + " ") || help.contains(option + "\n")
                                || help.contains(option + ","), page.getFileName() + ": " + line + " uses " + option
                                + ", which embtrain " + key + " --help does not list");
                    }
                }
                checked++;
            }
        }
        assertTrue(checked >= 30, "only " + checked + " command lines found");
    }

    /**
     * The README's command lines run as written, in the order a reader meets them, in a directory
     * holding a copy of configs/ (each in a child JVM started there, as the launcher starts one),
     * and the quickstart prints the figures the README shows. Only the tour's MovieLens lines,
     * which download, are left to the option check above and ConfigsTest.
     */
    @Test
    void readmeCommandsRunAsWritten(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        copyTree(ROOT.resolve("configs"), dir.resolve("configs"));
        String readme = Files.readString(ROOT.resolve("README.md"));
        List<String> lines = new ArrayList<>(commands(readme));
        List<String> tour = inlineCommands(readme);
        lines.addAll(1, tour); // the tour comes between the quickstart block and the after-training block
        int ran = 0;
        boolean checkedQuickstart = false;
        for (String line : lines) {
            List<String> w = words(line);
            if (w.contains("dataset.download=true") || line.contains("MODEL_TYPE")) {
                continue;
            }
            String out = runChild(dir, w.subList(1, w.size()));
            boolean quickstart = w.equals(List.of("./embtrain", "train", "configs/quickstart.yaml"));
            if (quickstart) {
                checkedQuickstart = true;
                List<String> shown = readme.lines().filter(l -> l.startsWith("best epoch ")
                        || l.startsWith("noise floor ") || l.startsWith("split ")).toList();
                assertEquals(3, shown.size(), "the README's quickstart output: " + shown);
                for (String l : shown) {
                    assertTrue(out.contains(l), "README shows \"" + l + "\"; the run printed:\n" + out);
                }
            }
            ran++;
        }
        assertTrue(ran >= 12, "only " + ran + " README command lines ran");
        assertTrue(checkedQuickstart, "no quickstart line in the README");
        assertTrue(Files.isDirectory(dir.resolve("near.parquet")) && Files.isRegularFile(
                dir.resolve("serving/quickstart/serving.properties")), "the after-training commands wrote nothing");
    }

    private static String runChild(Path dir, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("surefire.test.class.path",
                System.getProperty("java.class.path")), "-Dai.djl.offline=true", "-DDJL_CACHE_DIR="
                + System.getProperty("DJL_CACHE_DIR", ""), "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1", "dev.embtrain.training.cli.Main"));
        command.addAll(args);
        Path log = Files.createTempFile(dir, "command", ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES), "./embtrain " + args + " still running");
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), "./embtrain " + String.join(" ", args) + " failed:\n" + out);
        return out;
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /**
     * Every YAML block of the README and docs/ loads and passes the checks a run makes before its
     * data; a block that shows only a dataset section gets a name and a model that reads it.
     */
    @Test
    void everyDocumentedYamlBlockLoads() throws Exception {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        int loaded = 0;
        for (Path page : pages) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("```yaml\n(.*?)```",
                    java.util.regex.Pattern.DOTALL).matcher(Files.readString(page));
            while (m.find()) {
                String yaml = m.group(1);
                if (!yaml.contains("\nname:") && !yaml.startsWith("name:")) {
                    yaml = "name: docs-snippet\n" + yaml;
                }
                if (!yaml.contains("\nmodel:")) {
                    yaml += yaml.contains("type: sessions") || yaml.contains("type: online-retail")
                            || yaml.contains("type: synthetic-sessions") ? "model: {type: embedding-bag}\n"
                            : "model: {type: factorization-machine}\n";
                }
                dev.embtrain.training.config.ConfigLoader.Loaded l = dev.embtrain.training.config.ConfigLoader.load(
                        yaml, page.getFileName().toString(), List.of());
                dev.embtrain.training.train.ConfigChecks.check(l);
                loaded++;
            }
        }
        assertTrue(loaded >= 2, "only " + loaded + " YAML blocks found");
    }

    @Test
    void wordsFollowTheShell() {
        assertEquals(List.of("./embtrain", "neighbors", "--query", "Star Wars (1977)", "-k", "5"),
                words("./embtrain neighbors --query \"Star Wars (1977)\" -k 5   # a comment"));
        assertEquals(List.of("./embtrain", "generate", "ratings"), words("./embtrain generate ratings && x y"));
        assertEquals(List.of("./embtrain", "train", "a.yaml", "--set", "search={type: random}"),
                commands("```\n./embtrain train a.yaml \\\n    --set 'search={type: random}'\n```\n").stream()
                        .map(DocsCommandsTest::words).findFirst().orElseThrow());
    }
}
