package dev.embtrain.training.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.Batchifier;
import dev.embtrain.training.engine.listeners.Divergence;
import dev.embtrain.training.engine.listeners.EarlyStopping;
import dev.embtrain.training.engine.listeners.MetricsCsv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks that {@link Learner#fit} calls its listeners in order, closes every batch and epoch, and records each epoch's loss, samples, rate and best epoch. */
class LearnerTest {

    private static final String METRIC = "valid_x";
    private static final Monitor LOWER = new Monitor(METRIC, false);
    private static final Monitor HIGHER = new Monitor(METRIC, true);
    private static final String HINT = "lower training.optimizer.learning_rate";
    private static final float W = 0.5f;
    private static final float B = 0.25f;

    // ---- the fake objective ----

    /** First feature of row {@code i} of batch {@code k} (both from 0). */
    private static float x1(int k, int i) {
        return 0.5f * (k + 1) + i;
    }

    /** Second feature of row {@code i} of batch {@code k}. */
    private static float x2(int k, int i) {
        return 1f - 0.5f * i;
    }

    /** Label of row {@code i} of batch {@code k}. */
    private static float label(int k, int i) {
        return k + 0.25f * i;
    }

    /**
     * Batches of the given sizes every epoch over {@link #x1}, {@link #x2} and {@link #label};
     * validation returns the scripted {@code valid_x} of each epoch; records every batch's
     * manager and every epoch.
     */
    private static final class FakeObjective implements Objective {
        final int[] sizes;
        final double[] values;
        int nanLabelEpoch;
        final Loss loss = new MseLoss();
        final List<NDManager> batchManagers = new ArrayList<>();
        final List<NDManager> epochManagers = new ArrayList<>();
        final List<FakeEpoch> epochs = new ArrayList<>();
        int validations;

        FakeObjective(int[] sizes, double... values) {
            this.sizes = sizes;
            this.values = values;
        }

        @Override
        public Shape[] inputShapes() {
            return new Shape[] {new Shape(1, 2)};
        }

        @Override
        public int batchesPerEpoch() {
            return sizes.length;
        }

        @Override
        public List<String> metrics() {
            return List.of(METRIC);
        }

        @Override
        public Epoch epoch(NDManager manager, int epoch) {
            epochManagers.add(manager);
            FakeEpoch e = new FakeEpoch(manager, epoch);
            epochs.add(e);
            return e;
        }

        @Override
        public Loss loss() {
            return loss;
        }

        @Override
        public Map<String, Double> validate(Trainer trainer) {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put(METRIC, values[validations++]);
            return m;
        }

        boolean allBatchesClosed() {
            return batchManagers.stream().noneMatch(NDManager::isOpen);
        }

        boolean allEpochsClosed() {
            return epochs.stream().allMatch(e -> e.closed) && epochManagers.stream().noneMatch(NDManager::isOpen);
        }

        final class FakeEpoch implements Objective.Epoch {
            final NDManager manager;
            final int epoch;
            int next;
            boolean closed;

            FakeEpoch(NDManager manager, int epoch) {
                this.manager = manager;
                this.epoch = epoch;
            }

            @Override
            public int batches() {
                return sizes.length;
            }

            @Override
            public boolean hasNext() {
                return next < sizes.length;
            }

            @Override
            public Batch next() {
                int k = next++;
                int size = sizes[k];
                float[] x = new float[size * 2];
                float[] y = new float[size];
                for (int i = 0; i < size; i++) {
                    x[2 * i] = x1(k, i);
                    x[2 * i + 1] = x2(k, i);
                    y[i] = label(k, i);
                }
                if (epoch == nanLabelEpoch && k == 0) {
                    y[0] = Float.NaN;
                }
                NDManager m = manager.newSubManager();
                batchManagers.add(m);
                return new Batch(m, new NDList(m.create(x, new Shape(size, 2))), new NDList(m.create(y, new Shape(size, 1))),
                        size, Batchifier.STACK, Batchifier.STACK, k, sizes.length);
            }

            @Override
            public void close() {
                closed = true;
            }
        }
    }

    /** Writes every event as a string. */
    private static final class Recorder implements Listener {
        final List<String> events = new ArrayList<>();
        final List<EpochRecord> records = new ArrayList<>();

        @Override
        public void onTrainingBegin(int epochs) {
            events.add("begin " + epochs);
        }

        @Override
        public void afterStep(Step step) {
            events.add("batch " + step.epoch() + " " + step.batch() + "/" + step.batches());
        }

        @Override
        public Decision onEpoch(EpochRecord record) {
            events.add("epoch " + record.epoch());
            records.add(record);
            return Decision.CONTINUE;
        }

        @Override
        public void onTrainingEnd(FitResult result) {
            events.add("end " + result.history().size());
        }
    }

    /** What a fit ended with, and the block's parameters after it. */
    private record Run(FitResult result, float[] weight, float[] bias) {}

    private static Run run(FakeObjective objective, int epochs, Monitor monitor, double minDelta, float lr,
            Tracker reported, List<Listener> listeners) {
        return run(objective, epochs, monitor, minDelta, lr, reported, listeners, 0);
    }

    private static Run run(FakeObjective objective, int epochs, Monitor monitor, double minDelta, float lr,
            Tracker reported, List<Listener> listeners, int maxSteps) {
        Block block = Linear.builder().setUnits(1).build();
        block.setInitializer(new ConstantInitializer(W), Parameter.Type.WEIGHT);
        block.setInitializer(new ConstantInitializer(B), Parameter.Type.BIAS);
        Optimizer opt = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(lr)).build();
        try (Model model = Model.newInstance("t", Device.cpu())) {
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(objective.loss())
                    .optOptimizer(opt).optDevices(new Device[] {Device.cpu()}))) {
                trainer.initialize(objective.inputShapes());
                FitOptions options = new FitOptions(epochs, monitor, minDelta, reported, opt, null, maxSteps);
                FitResult result = Learner.fit(trainer, objective, options, listeners);
                return new Run(result, block.getParameters().get("weight").getArray().toFloatArray(),
                        block.getParameters().get("bias").getArray().toFloatArray());
            }
        }
    }

    private static FitResult fit(FakeObjective objective, int epochs, Monitor monitor, double minDelta,
            List<Listener> listeners) {
        return run(objective, epochs, monitor, minDelta, 0.1f, Tracker.fixed(0.1f), listeners).result();
    }

    private static FitResult fit(FakeObjective objective, int epochs, List<Listener> listeners) {
        return fit(objective, epochs, LOWER, 0, listeners);
    }

    private static List<Boolean> improved(FitResult result) {
        return result.history().stream().map(EpochRecord::improved).toList();
    }

    private static List<Integer> bestEpochs(FitResult result) {
        return result.history().stream().map(EpochRecord::bestEpoch).toList();
    }

    /** The MSE of batch {@code k} of the given size under weights (w1, w2) and bias b. */
    private static double mse(int k, int size, double w1, double w2, double b) {
        double sum = 0;
        for (int i = 0; i < size; i++) {
            double d = w1 * x1(k, i) + w2 * x2(k, i) + b - label(k, i);
            sum += d * d;
        }
        return sum / size;
    }

    // ---- events ----

    @Test
    void listenersSeeBeginThenEachBatchInOrderThenTheEpochAndOneEndAtTheEnd() {
        FakeObjective objective = new FakeObjective(new int[] {2, 2, 2}, 3, 2);
        Recorder recorder = new Recorder();
        fit(objective, 2, List.of(recorder));
        assertEquals(List.of("begin 2",
                "batch 1 1/3", "batch 1 2/3", "batch 1 3/3", "epoch 1",
                "batch 2 1/3", "batch 2 2/3", "batch 2 3/3", "epoch 2",
                "end 2"), recorder.events);
        assertEquals(List.of(1, 2), recorder.records.stream().map(EpochRecord::epoch).toList());
        assertEquals(2, objective.validations);
    }

    /** A step bound cuts the epoch it falls in, validates it, and ends the run; the record counts its samples. */
    @Test
    void aStepBoundEndsTheRunInsideAnEpochAfterValidatingIt() {
        FakeObjective objective = new FakeObjective(new int[] {2, 3, 1}, 3, 2, 1);
        Recorder recorder = new Recorder();
        FitResult result = run(objective, 3, LOWER, 0, 0.1f, Tracker.fixed(0.1f), List.of(recorder), 4).result();
        assertEquals(List.of("begin 3",
                "batch 1 1/3", "batch 1 2/3", "batch 1 3/3", "epoch 1",
                "batch 2 1/3", "epoch 2",
                "end 2"), recorder.events);
        assertEquals(List.of(6L, 2L), result.history().stream().map(EpochRecord::samples).toList());
        assertEquals(2, objective.validations);
        assertTrue(objective.epochManagers.stream().noneMatch(NDManager::isOpen));
    }

    /** A bound at an epoch's last step does not open an empty epoch after it. */
    @Test
    void aStepBoundAtAnEpochsEndEndsThere() {
        FakeObjective objective = new FakeObjective(new int[] {2, 3}, 3, 2);
        FitResult result = run(objective, 3, LOWER, 0, 0.1f, Tracker.fixed(0.1f), List.of(), 2).result();
        assertEquals(List.of(5L), result.history().stream().map(EpochRecord::samples).toList());
        assertEquals(1, objective.epochs.size());
    }

    @Test
    void aStopFromOneListenerStillLetsTheLaterListenersSeeThatEpochAndEndsTheRun() {
        FakeObjective objective = new FakeObjective(new int[] {2}, 1, 2, 3);
        Listener stopper = new Listener() {
            @Override
            public Decision onEpoch(EpochRecord record) {
                return Decision.STOP;
            }
        };
        Recorder recorder = new Recorder();
        FitResult result = fit(objective, 3, List.of(stopper, recorder));
        assertEquals(List.of("begin 3", "batch 1 1/1", "epoch 1", "end 1"), recorder.events);
        assertEquals(1, result.history().size());
        assertTrue(result.stoppedEarly());
    }

    // ---- listeners that act on a step ----

    /** Writes the step events of every batch, with the step's number. */
    private static final class StepRecorder implements Listener {
        final List<String> events = new ArrayList<>();
        final String name;
        final int order;

        StepRecorder(String name, int order) {
            this.name = name;
            this.order = order;
        }

        @Override
        public int order() {
            return order;
        }

        @Override
        public void beforeForward(Step step) {
            events.add(name + " forward " + step.number());
        }

        @Override
        public void afterLoss(Step step) {
            events.add(name + " loss " + step.number());
        }

        @Override
        public void afterBackward(Step step) {
            events.add(name + " backward " + step.number());
        }

        @Override
        public void afterStep(Step step) {
            events.add(name + " step " + step.number());
        }
    }

    @Test
    void everyStepRaisesForwardLossBackwardAndStepInThatOrderNumberedAcrossEpochs() {
        StepRecorder r = new StepRecorder("r", 0);
        fit(new FakeObjective(new int[] {2, 2}, 1, 2), 2, List.of(r));
        List<String> expected = new ArrayList<>();
        for (int n = 1; n <= 4; n++) {
            for (String e : List.of("forward", "loss", "backward", "step")) {
                expected.add("r " + e + " " + n);
            }
        }
        assertEquals(expected, r.events);
    }

    /** Lower order first; equal orders keep the order given (fastai's {@code order}). */
    @Test
    void listenersRunInAscendingOrderAndInTheGivenOrderAmongEquals() {
        List<String> events = new ArrayList<>();
        List<Listener> listeners = new ArrayList<>();
        for (String[] spec : new String[][] {{"a", "5"}, {"b", "0"}, {"c", "-1"}, {"d", "0"}}) {
            listeners.add(new Listener() {
                @Override
                public int order() {
                    return Integer.parseInt(spec[1]);
                }

                @Override
                public void afterBackward(Step step) {
                    events.add(spec[0]);
                }
            });
        }
        fit(new FakeObjective(new int[] {2}, 1), 1, listeners);
        assertEquals(List.of("c", "b", "d", "a"), events);
    }

    /**
     * A step skipped after its backward pass leaves the parameters as they were and drops its
     * gradient: the next batch's update is one SGD step from the initial parameters, and the
     * epoch's training loss is that batch's alone.
     */
    @Test
    void aSkippedStepChangesNothingAndItsGradientDoesNotReachTheNextStep() {
        float lr = 0.1f;
        Listener skipFirst = new Listener() {
            @Override
            public void afterBackward(Step step) {
                if (step.batch() == 1) {
                    step.skip();
                }
            }
        };
        Run run = run(new FakeObjective(new int[] {2, 3}, 1), 1, LOWER, 0, lr, Tracker.fixed(lr), List.of(skipFirst));
        double[] p = sgdStep(1, 3, new double[] {W, W, B}, lr);
        assertArrayEquals(new float[] {(float) p[0], (float) p[1]}, run.weight(), 1e-5f);
        assertArrayEquals(new float[] {(float) p[2]}, run.bias(), 1e-5f);
        assertEquals(mse(1, 3, W, W, B), run.result().last().trainLoss(), 1e-5);
        assertEquals(5, run.result().last().samples());
    }

    /** A guard that skips non-finite losses trains on: the NaN batch's NaN gradient is dropped. */
    @Test
    void skippingANonFiniteLossBeforeBackwardKeepsTheParametersFinite() {
        float lr = 0.1f;
        FakeObjective objective = new FakeObjective(new int[] {2, 3}, 1, 1);
        objective.nanLabelEpoch = 1;
        List<Integer> skipped = new ArrayList<>();
        Listener guard = new Listener() {
            @Override
            public void afterLoss(Step step) {
                if (!Float.isFinite(step.loss().getFloat())) {
                    step.skip();
                    skipped.add(step.number());
                }
            }
        };
        Run run = run(objective, 1, LOWER, 0, lr, Tracker.fixed(lr), List.of(guard));
        assertEquals(List.of(1), skipped);
        double[] p = sgdStep(1, 3, new double[] {W, W, B}, lr);
        assertArrayEquals(new float[] {(float) p[0], (float) p[1]}, run.weight(), 1e-5f);
        assertEquals(mse(1, 3, W, W, B), run.result().last().trainLoss(), 1e-5);
    }

    /** The same guard after backward: the NaN gradient was computed, and is zeroed, not applied. */
    @Test
    void skippingANonFiniteStepAfterBackwardZeroesItsNaNGradient() {
        float lr = 0.1f;
        FakeObjective objective = new FakeObjective(new int[] {2, 3}, 1, 1);
        objective.nanLabelEpoch = 1;
        Listener guard = new Listener() {
            @Override
            public void afterBackward(Step step) {
                for (ai.djl.ndarray.NDArray g : step.gradients()) {
                    if (g.isNaN().any().getBoolean()) {
                        step.skip();
                    }
                }
            }
        };
        Run run = run(objective, 1, LOWER, 0, lr, Tracker.fixed(lr), List.of(guard));
        double[] p = sgdStep(1, 3, new double[] {W, W, B}, lr);
        assertArrayEquals(new float[] {(float) p[0], (float) p[1]}, run.weight(), 1e-5f);
        assertArrayEquals(new float[] {(float) p[2]}, run.bias(), 1e-5f);
    }

    @Test
    void aStopFromAStepEndsTheRunAfterItValidatingThatEpoch() {
        FakeObjective objective = new FakeObjective(new int[] {2, 2, 2}, 3, 2);
        Listener stopAtTwo = new Listener() {
            @Override
            public void afterStep(Step step) {
                if (step.number() == 2) {
                    step.stop();
                }
            }
        };
        Recorder recorder = new Recorder();
        FitResult result = fit(objective, 2, List.of(stopAtTwo, recorder));
        assertEquals(List.of("begin 2", "batch 1 1/3", "batch 1 2/3", "epoch 1", "end 1"), recorder.events);
        assertEquals(4L, result.last().samples());
        assertTrue(result.stoppedEarly());
    }

    @Test
    void gradientsAreVisibleAfterBackwardOnlyAndTheLossFromAfterLoss() {
        List<String> errors = new ArrayList<>();
        Listener probe = new Listener() {
            @Override
            public void beforeForward(Step step) {
                errors.add(assertThrows(IllegalStateException.class, step::loss).getMessage());
            }

            @Override
            public void afterLoss(Step step) {
                errors.add(assertThrows(IllegalStateException.class, step::gradients).getMessage());
            }

            @Override
            public void afterBackward(Step step) {
                assertEquals(2, step.gradients().size());
            }

            @Override
            public void afterStep(Step step) {
                errors.add(assertThrows(IllegalStateException.class, step::gradients).getMessage());
                errors.add(assertThrows(IllegalStateException.class, step::skip).getMessage());
            }
        };
        fit(new FakeObjective(new int[] {2}, 1), 1, List.of(probe));
        assertEquals(List.of("the loss is visible from afterLoss to afterBackward, not in BEFORE_FORWARD",
                "gradients are visible in afterBackward only, not in AFTER_LOSS",
                "gradients are visible in afterBackward only, not in AFTER_STEP",
                "the update has run; skip() is for the events before it"), errors);
    }

    /** One SGD step on batch {@code k} of the given size from parameters (w1, w2, b). */
    private static double[] sgdStep(int k, int n, double[] p, float lr) {
        double[] grad = gradient(k, n, p);
        double[] out = p.clone();
        for (int j = 0; j < 3; j++) {
            out[j] -= lr * grad[j];
        }
        return out;
    }

    /** The MSE gradient of batch {@code k} with respect to (w1, w2, b). */
    static double[] gradient(int k, int n, double[] p) {
        double[] grad = new double[3];
        for (int i = 0; i < n; i++) {
            double d = p[0] * x1(k, i) + p[1] * x2(k, i) + p[2] - label(k, i);
            grad[0] += 2 * d * x1(k, i) / n;
            grad[1] += 2 * d * x2(k, i) / n;
            grad[2] += 2 * d / n;
        }
        return grad;
    }

    /**
     * Clipping to a norm below the first batch's gradient norm scales that step's update to it:
     * the parameters move by exactly {@code maxNorm / (norm + 1e-6)} of the SGD step.
     */
    @Test
    void gradientClippingScalesAStepWhoseNormIsAboveTheBoundAndLeavesOneBelowIt() {
        float lr = 0.1f;
        double[] p0 = {W, W, B};
        double[] g = gradient(0, 2, p0);
        double norm = Math.sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]);
        double maxNorm = norm / 4;
        Run clipped = run(new FakeObjective(new int[] {2}, 1), 1, LOWER, 0, lr, Tracker.fixed(lr),
                List.of(new dev.embtrain.training.engine.listeners.GradientClipping(maxNorm)));
        double factor = maxNorm / (norm + 1e-6);
        assertArrayEquals(new float[] {(float) (W - lr * factor * g[0]), (float) (W - lr * factor * g[1])},
                clipped.weight(), 1e-6f);
        assertArrayEquals(new float[] {(float) (B - lr * factor * g[2])}, clipped.bias(), 1e-6f);
        Run loose = run(new FakeObjective(new int[] {2}, 1), 1, LOWER, 0, lr, Tracker.fixed(lr),
                List.of(new dev.embtrain.training.engine.listeners.GradientClipping(norm * 2)));
        double[] p = sgdStep(0, 2, p0, lr);
        assertArrayEquals(new float[] {(float) p[0], (float) p[1]}, loose.weight(), 1e-6f);
    }

    @Test
    void gradientClippingRefusesANormThatIsNotPositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new dev.embtrain.training.engine.listeners.GradientClipping(0));
        assertEquals("the largest gradient norm must be positive and finite, found 0.0", e.getMessage());
    }

    // ---- closing ----

    @Test
    void everyBatchAndEveryEpochIsClosedWhenFitReturns() {
        FakeObjective objective = new FakeObjective(new int[] {2, 3, 1}, 3, 2);
        fit(objective, 2, List.of());
        assertEquals(6, objective.batchManagers.size());
        assertTrue(objective.allBatchesClosed());
        assertEquals(2, objective.epochs.size());
        assertTrue(objective.allEpochsClosed());
    }

    @Test
    void eachBatchIsClosedBeforeItsAfterStep() {
        FakeObjective objective = new FakeObjective(new int[] {2, 2}, 1);
        List<Boolean> closedAtEvent = new ArrayList<>();
        Listener probe = new Listener() {
            @Override
            public void afterStep(Step step) {
                closedAtEvent.add(objective.batchManagers.size() == step.batch()
                        && !objective.batchManagers.get(step.batch() - 1).isOpen());
            }
        };
        fit(objective, 1, List.of(probe));
        assertEquals(List.of(true, true), closedAtEvent);
    }

    @Test
    void aListenerFailingInOnEpochPropagatesWithTheEpochsBatchesAndTheEpochClosedAndNoEnd() {
        FakeObjective objective = new FakeObjective(new int[] {2, 3, 1}, 3, 2, 1);
        IllegalStateException boom = new IllegalStateException("boom");
        Listener failing = new Listener() {
            @Override
            public Decision onEpoch(EpochRecord record) {
                if (record.epoch() == 2) {
                    throw boom;
                }
                return Decision.CONTINUE;
            }
        };
        Recorder recorder = new Recorder();
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> fit(objective, 3, List.of(failing, recorder)));
        assertEquals(boom, thrown);
        assertEquals(6, objective.batchManagers.size());
        assertTrue(objective.allBatchesClosed());
        assertEquals(2, objective.epochs.size());
        assertTrue(objective.allEpochsClosed());
        assertEquals(List.of("begin 3",
                "batch 1 1/3", "batch 1 2/3", "batch 1 3/3", "epoch 1",
                "batch 2 1/3", "batch 2 2/3", "batch 2 3/3"), recorder.events);
    }

    @Test
    void aListenerFailingInAfterStepLeavesTheOpenedBatchesAndTheEpochClosed() {
        FakeObjective objective = new FakeObjective(new int[] {2, 3, 1}, 3);
        Listener failing = new Listener() {
            @Override
            public void afterStep(Step step) {
                if (step.batch() == 2) {
                    throw new IllegalArgumentException("batch 2");
                }
            }
        };
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> fit(objective, 1, List.of(failing)));
        assertEquals("batch 2", thrown.getMessage());
        assertEquals(2, objective.batchManagers.size());
        assertTrue(objective.allBatchesClosed());
        assertEquals(1, objective.epochs.size());
        assertTrue(objective.allEpochsClosed());
        assertEquals(0, objective.validations);
    }

    // ---- best epoch ----

    @Test
    void lowerIsBetterImprovesOnEachNewLowAndKeepsTheBestEpoch() {
        FitResult result = fit(new FakeObjective(new int[] {2}, 3, 1, 2), 3, LOWER, 0, List.of());
        assertEquals(List.of(true, true, false), improved(result));
        assertEquals(List.of(1, 2, 2), bestEpochs(result));
        assertEquals(2, result.bestEpoch());
        assertEquals(2, result.best().epoch());
        assertEquals(1.0, result.best().value(METRIC));
    }

    @Test
    void higherIsBetterImprovesOnlyOnANewHigh() {
        FitResult result = fit(new FakeObjective(new int[] {2}, 3, 1, 2), 3, HIGHER, 0, List.of());
        assertEquals(List.of(true, false, false), improved(result));
        assertEquals(List.of(1, 1, 1), bestEpochs(result));
        assertEquals(1, result.bestEpoch());
    }

    @Test
    void aGainSmallerThanMinDeltaIsNoImprovement() {
        FitResult result = fit(new FakeObjective(new int[] {2}, 1.0, 0.95), 2, LOWER, 0.1, List.of());
        assertEquals(List.of(true, false), improved(result));
        assertEquals(List.of(1, 1), bestEpochs(result));
        assertEquals(1, result.bestEpoch());
    }

    @Test
    void aGainLargerThanMinDeltaIsAnImprovement() {
        FitResult result = fit(new FakeObjective(new int[] {2}, 1.0, 0.85), 2, LOWER, 0.1, List.of());
        assertEquals(List.of(true, true), improved(result));
        assertEquals(2, result.bestEpoch());
    }

    @Test
    void aTrainLossMonitorReadsTheEpochsTrainingLoss() {
        // learning rate 0: the same loss every epoch, so only the first improves
        FakeObjective objective = new FakeObjective(new int[] {2, 3}, 5, 4);
        FitResult result = run(objective, 2, new Monitor(Monitor.TRAIN_LOSS, false), 0, 0f, Tracker.fixed(0f),
                List.of()).result();
        assertEquals(List.of(true, false), improved(result));
        assertEquals(List.of(1, 1), bestEpochs(result));
    }

    // ---- early stopping ----

    @Test
    void earlyStoppingWithPatienceOneStopsAfterTheFirstEpochWithoutImprovement() {
        FakeObjective objective = new FakeObjective(new int[] {2}, 1, 2, 3, 4);
        FitResult result = fit(objective, 4, List.of(new EarlyStopping(1)));
        assertEquals(2, result.history().size());
        assertTrue(result.stoppedEarly());
        assertEquals(1, result.bestEpoch());
        assertEquals(2, objective.epochs.size());
    }

    @Test
    void earlyStoppingWithPatienceTwoWaitsTwoEpochsWithoutImprovement() {
        FitResult result = fit(new FakeObjective(new int[] {2}, 1, 2, 3, 4), 4, List.of(new EarlyStopping(2)));
        assertEquals(3, result.history().size());
        assertTrue(result.stoppedEarly());
    }

    @Test
    void earlyStoppingWithPatienceZeroNeverStops() {
        FitResult result = fit(new FakeObjective(new int[] {2}, 1, 2, 3, 4), 4, List.of(new EarlyStopping(0)));
        assertEquals(4, result.history().size());
        assertFalse(result.stoppedEarly());
    }

    @Test
    void earlyStoppingRunsEveryEpochWhileTheValueImproves() {
        FitResult result = fit(new FakeObjective(new int[] {2}, 4, 3, 2, 1), 4, List.of(new EarlyStopping(1)));
        assertEquals(4, result.history().size());
        assertFalse(result.stoppedEarly());
        assertEquals(4, result.bestEpoch());
    }

    @Test
    void aStopAtTheLastEpochIsNotAnEarlyStop() {
        FitResult result = fit(new FakeObjective(new int[] {2}, 1, 2), 2, List.of(new EarlyStopping(1)));
        assertEquals(2, result.history().size());
        assertFalse(result.stoppedEarly());
    }

    // ---- divergence ----

    @Test
    void aMonitorTheObjectiveDoesNotMeasureIsRefusedBeforeTheFirstStep() {
        FakeObjective objective = new FakeObjective(new int[] {2, 2}, 1, 0.5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fit(objective, 2, new Monitor("valid_y", false), 0, List.of()));
        assertEquals("the monitored metric valid_y is not measured; expected train_loss or one of [valid_x]",
                e.getMessage());
        assertTrue(objective.batchManagers.isEmpty());
    }

    @Test
    void aNaNMonitoredMetricFailsTheRunNamingTheEpochAndTheHint() {
        FakeObjective objective = new FakeObjective(new int[] {2, 2}, 1, Double.NaN, 0.5);
        Recorder recorder = new Recorder();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> fit(objective, 3, List.of(new Divergence(METRIC, HINT), recorder)));
        assertEquals("epoch 2: valid_x is NaN; training diverged (" + HINT + ")", e.getMessage());
        assertEquals(List.of("epoch 1"), recorder.events.stream().filter(s -> s.startsWith("epoch")).toList());
        assertFalse(recorder.events.contains("end 1"));
        assertTrue(objective.allBatchesClosed());
        assertTrue(objective.allEpochsClosed());
    }

    @Test
    void aNaNTrainingLossFailsTheRunBeforeTheMetricIsChecked() {
        FakeObjective objective = new FakeObjective(new int[] {2, 2}, 1, 0.5);
        objective.nanLabelEpoch = 1;
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> fit(objective, 2, List.of(new Divergence(METRIC, HINT))));
        assertEquals("epoch 1: train_loss is NaN; training diverged (" + HINT + ")", e.getMessage());
        assertEquals(1, objective.epochs.size());
    }

    @Test
    void aNaNMonitoredValueIsNeverAnImprovement() {
        FitResult result = fit(new FakeObjective(new int[] {2}, 2, Double.NaN, 1), 3, LOWER, 0, List.of());
        assertEquals(List.of(true, false, true), improved(result));
        assertEquals(List.of(1, 1, 3), bestEpochs(result));
    }

    // ---- the record's numbers ----

    @Test
    void samplesSumTheBatchSizesAndTrainLossIsTheMeanOfTheBatchLosses() {
        int[] sizes = {2, 3, 1};
        FakeObjective objective = new FakeObjective(sizes, 3, 2);
        // learning rate 0: every batch sees the initial parameters
        FitResult result = run(objective, 2, LOWER, 0, 0f, Tracker.fixed(0f), List.of()).result();
        double expected = (mse(0, 2, W, W, B) + mse(1, 3, W, W, B) + mse(2, 1, W, W, B)) / 3;
        for (EpochRecord r : result.history()) {
            assertEquals(6, r.samples());
            assertEquals(expected, r.trainLoss(), 1e-5);
            assertEquals(0f, r.learningRate());
            assertTrue(r.seconds() > 0);
        }
    }

    @Test
    void eachBatchTakesOneSgdStepFromTheParametersTheLastStepLeft() {
        int[] sizes = {2, 3};
        float lr = 0.1f;
        Run run = run(new FakeObjective(sizes, 1), 1, LOWER, 0, lr, Tracker.fixed(lr), List.of());
        double[] p = {W, W, B};
        double lossSum = 0;
        for (int k = 0; k < sizes.length; k++) {
            int n = sizes[k];
            lossSum += mse(k, n, p[0], p[1], p[2]);
            double[] grad = new double[3];
            for (int i = 0; i < n; i++) {
                double d = p[0] * x1(k, i) + p[1] * x2(k, i) + p[2] - label(k, i);
                grad[0] += 2 * d * x1(k, i) / n;
                grad[1] += 2 * d * x2(k, i) / n;
                grad[2] += 2 * d / n;
            }
            for (int j = 0; j < 3; j++) {
                p[j] -= lr * grad[j];
            }
        }
        assertArrayEquals(new float[] {(float) p[0], (float) p[1]}, run.weight(), 1e-5f);
        assertArrayEquals(new float[] {(float) p[2]}, run.bias(), 1e-5f);
        EpochRecord r = run.result().last();
        assertEquals(lossSum / 2, r.trainLoss(), 1e-5);
        assertEquals(5, r.samples());
        assertEquals(lr, r.learningRate());
    }

    @Test
    void theLearningRateIsTheSchedulesAtTheEpochsLastStep() {
        FakeObjective objective = new FakeObjective(new int[] {1, 1, 1}, 2, 1);
        Tracker byStep = n -> n / 1000f;
        FitResult result = run(objective, 2, LOWER, 0, 0.1f, byStep, List.of()).result();
        assertEquals(3 / 1000f, result.history().get(0).learningRate());
        assertEquals(6 / 1000f, result.history().get(1).learningRate());
    }

    @Test
    void theRecordCarriesTheValidationMetricsOfItsEpoch() {
        FitResult result = fit(new FakeObjective(new int[] {2}, 3, 1), 2, List.of());
        assertEquals(Map.of(METRIC, 3.0), result.history().get(0).valid());
        assertEquals(Map.of(METRIC, 1.0), result.history().get(1).valid());
    }

    // ---- metrics.csv ----

    @Test
    void metricsCsvWritesTheHeaderAndOneRowPerEpoch(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("metrics.csv");
        FakeObjective objective = new FakeObjective(new int[] {2, 2}, 3, 1);
        FitResult result;
        try (MetricsCsv csv = new MetricsCsv(file, objective.metrics())) {
            result = fit(objective, 2, List.of(csv));
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(3, lines.size());
        assertEquals("epoch,train_loss,valid_x,seconds,samples_per_second,learning_rate", lines.get(0));
        for (int e = 1; e <= 2; e++) {
            String[] fields = lines.get(e).split(",");
            assertEquals(6, fields.length);
            assertEquals(String.valueOf(e), fields[0]);
            assertEquals(String.valueOf(result.history().get(e - 1).trainLoss()), fields[1]);
            assertEquals(e == 1 ? "3.0" : "1.0", fields[2]);
            assertEquals("0.1", fields[5]);
        }
    }
}
