package dev.embtrain.training.serving;

import dev.embtrain.training.run.Provenance;
import dev.embtrain.training.run.RunFiles;
import dev.embtrain.training.kinds.RunKind;
import dev.embtrain.training.kinds.RunKinds;
import dev.embtrain.models.DotProductBias;
import dev.embtrain.models.serving.Specs;
import dev.embtrain.training.config.ConfigLoader;
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
        ConfigLoader.Loaded loaded = ConfigLoader.load(runDir.resolve(RunFiles.CONFIG), List.of());
        RunKind kind = RunKinds.saved(loaded, Provenance.resolved(runDir));
        // After a search the kept model is the best trial's, whose model section may differ.
        Path best = runDir.resolve(RunFiles.BEST);
        RunConfig config = Files.isRegularFile(best) ? ConfigLoader.load(best, List.of()).config() : loaded.config();
        RunKind.Serving serving = kind.serving(runDir, config, loaded);
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("engine", "PyTorch");
        properties.put("option.modelName", RunFiles.MODEL_NAME);
        properties.put("translator", serving.translator().getName());
        properties.putAll(Specs.write(serving.spec()));
        properties.putAll(serving.properties());
        try (RunDirectory target = RunDirectory.begin(out, overwrite)) {
            Path dir = target.dir();
            Path params = bestParams(runDir.resolve(RunFiles.MODEL_DIR));
            Files.copy(params, dir.resolve(params.getFileName()));
            Files.createDirectories(dir.resolve(RunFiles.VOCAB_DIR));
            for (String f : serving.files()) {
                Files.createDirectories(dir.resolve(f).getParent());
                Files.copy(runDir.resolve(f), dir.resolve(f));
            }
            for (Map.Entry<String, String> w : serving.written().entrySet()) {
                Files.createDirectories(dir.resolve(w.getKey()).getParent());
                Files.writeString(dir.resolve(w.getKey()), w.getValue(), StandardCharsets.UTF_8);
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

    /**
     * Returns the lines of a text file: a vocabulary's size.
     *
     * @param file the file
     * @return its line count
     * @throws IOException when it cannot be read
     */
    public static int lines(Path file) throws IOException {
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
