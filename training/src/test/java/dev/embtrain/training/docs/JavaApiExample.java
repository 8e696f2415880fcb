package dev.embtrain.training.docs;

// java-example:start
import dev.embtrain.training.Embtrain;
import dev.embtrain.training.config.Configs;
import dev.embtrain.training.config.DotProductBiasConfig;
import dev.embtrain.training.config.ExportConfig;
import dev.embtrain.training.config.RunConfig;
import dev.embtrain.training.config.SyntheticMovieLensConfig;
import dev.embtrain.training.config.TrainingConfig;
import dev.embtrain.training.engine.Listener;
import dev.embtrain.training.engine.Step;
import dev.embtrain.training.train.Training;
import java.nio.file.Path;
import java.util.List;

/** Trains a dot-product model on generated MovieLens-format ratings, from Java, with a listener of its own. */
public final class JavaApiExample {

    /** Notes the loss of every 100th step (reading a loss back waits for the device: not every step). */
    static final class LossEvery100 implements Listener {
        final StringBuilder log = new StringBuilder();

        @Override
        public void afterLoss(Step step) {
            if (step.number() % 100 == 0) {
                log.append(String.format("step %d loss %.4f%n", step.number(), step.loss().getFloat()));
            }
        }
    }

    public static Training.Outcome train(Path dir, Listener... more) throws Exception {
        // Every record has a canonical constructor; Configs.defaults gives the YAML defaults to copy from.
        SyntheticMovieLensConfig d = Configs.defaults(SyntheticMovieLensConfig.class);
        SyntheticMovieLensConfig data = new SyntheticMovieLensConfig(dir.resolve("data"), 200, 100, 6000,
                d.factors(), d.noise(), d.exposure(), d.generatorSeed(), d.itemKey(), d.split(), d.features(), d.crosses(),
                d.label(), d.evaluation());
        TrainingConfig t = Configs.defaults(TrainingConfig.class);
        TrainingConfig training = new TrainingConfig(3, 64, t.optimizer(), t.schedule(), "cpu",
                t.earlyStopping(), false, 1.0);
        RunConfig config = new RunConfig("java-example", 42, data, new DotProductBiasConfig(8, List.of(0.0, 5.5), 0.01),
                training, new ExportConfig(List.of("npy"), false, false), null);
        return Embtrain.train(config, dir.resolve("run"), more);
    }

    public static void main(String[] args) throws Exception {
        LossEvery100 losses = new LossEvery100();
        Training.Outcome run = train(Path.of(args.length > 0 ? args[0] : "java-example"), losses);
        System.out.print(losses.log);
        System.out.printf("best epoch %d, %s %.4f, in %s%n", run.fit().bestEpoch(), run.monitor().name(),
                run.fit().best().value(run.monitor().name()), run.runDir());
    }
}
// java-example:end
