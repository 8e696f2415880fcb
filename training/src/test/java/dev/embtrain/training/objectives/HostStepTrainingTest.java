package dev.embtrain.training.objectives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import dev.embtrain.training.Embtrain;
import dev.embtrain.training.engine.Listener;
import dev.embtrain.training.engine.Step;
import dev.embtrain.training.run.SavedTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * item2vec through the loop with {@link CandidateKernel} and through autograd
 * ({@code -Dembtrain.host_steps=false}): the same run ends with the same tables, step losses and
 * gradient norms, to rounding, for skip-gram and CBOW; and a listener that scales the kernel's
 * gradients in place changes the update as it does autograd's.
 */
class HostStepTrainingTest {

    private static final String CONFIG = """
            name: host-step
            seed: 3
            dataset: {type: synthetic-sessions, items: 120, clusters: 12, sessions: 400, min_length: 4,
              max_length: 12, stay: 0.8, evaluation: {validation: 50, test: 50, seed: 1}}
            model: {type: embedding-bag, mode: %s, vector_size: 12, window: 2, negative: 3}
            training:
              epochs: 2
              batch_size: 100
              optimizer: {type: adam, learning_rate: 5.0e-2, weight_decay: 0.0, sparse: true}
              schedule: {type: constant}
              device: cpu
            """;

    /** Records each step's loss and gradient norm, and halves every gradient when asked. */
    private static final class Recorder implements Listener {
        final List<Float> losses = new ArrayList<>();
        final List<Float> norms = new ArrayList<>();
        final boolean halve;

        Recorder(boolean halve) {
            this.halve = halve;
        }

        @Override
        public void afterLoss(Step step) {
            losses.add(step.loss().getFloat());
        }

        @Override
        public void afterBackward(Step step) {
            float sum = 0;
            for (NDArray g : step.gradients()) {
                sum += g.square().sum().getFloat();
                if (halve) {
                    g.muli(0.5f);
                }
            }
            norms.add((float) Math.sqrt(sum));
        }
    }

    private static Map<String, float[]> train(Path dir, String mode, boolean host, Recorder recorder)
            throws Exception {
        String name = mode + (host ? "-host" : "-autograd") + (recorder.halve ? "-halved" : "");
        Path config = Files.writeString(dir.resolve(name + ".yaml"), CONFIG.formatted(mode));
        Path run = dir.resolve(name);
        String before = System.getProperty("embtrain.host_steps");
        System.setProperty("embtrain.host_steps", Boolean.toString(host));
        try {
            Embtrain.train(config, List.of(), run, recorder);
        } finally {
            if (before == null) {
                System.clearProperty("embtrain.host_steps");
            } else {
                System.setProperty("embtrain.host_steps", before);
            }
        }
        return SavedTables.of(run);
    }

    private static void sameRun(Path dir, String mode) throws Exception {
        Recorder hostRecord = new Recorder(false);
        Recorder autogradRecord = new Recorder(false);
        Map<String, float[]> host = train(dir, mode, true, hostRecord);
        Map<String, float[]> autograd = train(dir, mode, false, autogradRecord);
        assertEquals(autogradRecord.losses.size(), hostRecord.losses.size());
        assertTrue(hostRecord.losses.size() > 10, "steps: " + hostRecord.losses.size());
        for (int i = 0; i < hostRecord.losses.size(); i++) {
            assertEquals(autogradRecord.losses.get(i), hostRecord.losses.get(i), 1e-4, mode + " loss of step " + i);
            assertEquals(autogradRecord.norms.get(i), hostRecord.norms.get(i), 1e-4 * autogradRecord.norms.get(i),
                    mode + " gradient norm of step " + i);
        }
        double difference = SavedTables.maxDifference(host, autograd);
        assertTrue(difference < 1e-4, mode + ": tables differ by " + difference);
        // Not bit-identical: the kernel adds in another order, so it did run.
        assertTrue(difference > 0, mode + ": both runs took the same path");
    }

    @Test
    void skipGramTrainsAsThroughAutograd(@TempDir Path dir) throws Exception {
        sameRun(dir, "skip-gram");
    }

    @Test
    void cbowTrainsAsThroughAutograd(@TempDir Path dir) throws Exception {
        sameRun(dir, "cbow");
    }

    @Test
    void gradientsScaledByAListenerScaleTheUpdate(@TempDir Path dir) throws Exception {
        Map<String, float[]> host = train(dir, "skip-gram", true, new Recorder(true));
        Map<String, float[]> autograd = train(dir, "skip-gram", false, new Recorder(true));
        Map<String, float[]> unscaled = train(dir, "skip-gram", true, new Recorder(false));
        assertTrue(SavedTables.maxDifference(host, autograd) < 1e-4, "halved: " + SavedTables.maxDifference(host, autograd));
        // Adam is almost scale-free, but its eps is not, and a run halved from its first step ends elsewhere.
        assertTrue(SavedTables.maxDifference(host, unscaled) > 1e-6, "halving changed nothing");
    }
}
