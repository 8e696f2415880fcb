package dev.embtrain.training.docs;

import dev.embtrain.training.train.ConfigChecks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.embtrain.training.Embtrain;
import dev.embtrain.training.config.ConfigException;
import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.config.Configs;
import dev.embtrain.training.config.DotProductBiasConfig;
import dev.embtrain.training.config.ExportConfig;
import dev.embtrain.training.config.MovieLensConfig;
import dev.embtrain.training.config.OptimizerConfig;
import dev.embtrain.training.config.RunConfig;
import dev.embtrain.training.config.SyntheticMovieLensConfig;
import dev.embtrain.training.config.TrainingConfig;
import dev.embtrain.training.engine.Listener;
import dev.embtrain.training.engine.Step;
import dev.embtrain.training.train.Training;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java API: docs/architecture.md's example compiles (it is this module's test source) and trains; Java configs fail as YAML ones do. */
class JavaApiTest {

    private static final Path ROOT = Path.of("..");

    @Test
    void theReadmesJavaExampleIsTheCompiledExampleWordForWord() throws Exception {
        String readme = Files.readString(ROOT.resolve("docs/architecture.md"));
        Matcher m = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "docs/architecture.md has no java block");
        String source = Files.readString(Path.of("src/test/java/dev/embtrain/training/docs/JavaApiExample.java"));
        String example = source.substring(source.indexOf("// java-example:start\n") + "// java-example:start\n".length(),
                source.indexOf("// java-example:end"));
        assertEquals(example, m.group(1));
    }

    /**
     * The example trains: its run directory holds a config.yaml that loads back to the very
     * config built in Java, and its own listener and one of the test's saw every step.
     */
    @Test
    void theExampleTrainsWithItsListenersAndWritesAConfigThatLoadsBackToIt(@TempDir Path dir) throws Exception {
        List<Integer> steps = new ArrayList<>();
        Listener counter = new Listener() {
            @Override
            public void afterStep(Step step) {
                steps.add(step.number());
            }
        };
        JavaApiExample.LossEvery100 losses = new JavaApiExample.LossEvery100();
        Training.Outcome run = JavaApiExample.train(dir, losses, counter);
        assertEquals(dir.resolve("run"), run.runDir());
        assertEquals(3, run.fit().history().size());
        int perEpoch = steps.size() / 3;
        assertEquals(3 * perEpoch, steps.size());
        assertEquals(steps.size(), steps.get(steps.size() - 1));
        assertEquals(steps.size() / 100, losses.log.toString().lines().count());
        assertTrue(losses.log.toString().startsWith("step 100 loss "), losses.log.toString());
        RunConfig written = ConfigLoader.load(run.runDir().resolve("config.yaml"), List.of()).config();
        SyntheticMovieLensConfig data = (SyntheticMovieLensConfig) written.dataset();
        assertEquals(dir.resolve("data"), data.path());
        assertEquals(new DotProductBiasConfig(8, List.of(0.0, 5.5), 0.01), written.model());
        assertEquals(1.0, written.training().clipGradNorm());
        assertEquals("cpu", written.training().device());
    }

    private static RunConfig withOptimizer(OptimizerConfig optimizer) {
        TrainingConfig t = Configs.defaults(TrainingConfig.class);
        return new RunConfig("j", 42, Configs.defaults(SyntheticMovieLensConfig.class),
                Configs.defaults(DotProductBiasConfig.class), new TrainingConfig(t.epochs(), t.batchSize(), optimizer,
                        t.schedule(), t.device(), t.earlyStopping(), t.progress(), t.clipGradNorm()),
                Configs.defaults(ExportConfig.class), null);
    }

    /** Without a YAML line, an error names the record component; a key left at its default is not "written". */
    @Test
    void aJavaConfigThatChangesAKeyTheRunDoesNotReadFailsNamingTheRecordComponent(@TempDir Path dir) {
        OptimizerConfig o = Configs.defaults(OptimizerConfig.class);
        RunConfig sgdWithBetas = withOptimizer(new OptimizerConfig(OptimizerConfig.OptimizerType.SGD,
                o.learningRate(), o.weightDecay(), List.of(0.9, 0.999), o.eps(), o.momentum(), o.sparse(), o.lazy()));
        ConfigException e = assertThrows(ConfigException.class,
                () -> Embtrain.train(sgdWithBetas, dir.resolve("run")));
        assertEquals("training.optimizer.betas: optimizer sgd does not use it; remove it, or pick adam or adamw"
                + " (set in Java: OptimizerConfig.betas)", e.getMessage());
        assertTrue(!Files.exists(dir.resolve("run")));
        // sgd with every Adam component at its default: nothing was changed, so nothing is refused.
        RunConfig sgd = withOptimizer(new OptimizerConfig(OptimizerConfig.OptimizerType.SGD, o.learningRate(),
                o.weightDecay(), o.betas(), o.eps(), o.momentum(), o.sparse(), o.lazy()));
        ConfigChecks.check(ConfigLoader.of(sgd));
    }

    @Test
    void recordsRefuseBadValuesNamingTheKeyAndDefaultsNeedEveryComponentToHaveOne() {
        TrainingConfig t = Configs.defaults(TrainingConfig.class);
        IllegalArgumentException epochs = assertThrows(IllegalArgumentException.class, () -> new TrainingConfig(0,
                t.batchSize(), t.optimizer(), t.schedule(), t.device(), t.earlyStopping(), t.progress(), 0));
        assertEquals("epochs: must be > 0, found 0", epochs.getMessage());
        IllegalArgumentException path = assertThrows(IllegalArgumentException.class,
                () -> Configs.defaults(MovieLensConfig.class));
        assertTrue(path.getMessage().startsWith("MovieLensConfig has no defaults for every component: path"),
                path.getMessage());
        assertEquals(5, t.epochs());
        assertEquals(List.of(0.9, 0.99), Configs.defaults(OptimizerConfig.class).betas());
    }
}
