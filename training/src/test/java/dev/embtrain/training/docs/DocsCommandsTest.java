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
            for (String line : commands(Files.readString(page))) {
                List<String> w = words(line);
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
