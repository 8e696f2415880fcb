package dev.embtrain.training.optim;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.List;

/**
 * Builds the learning-rate schedule and the optimizer an {@link OptimizerSpec} describes; every
 * kind of run builds them here, so that the same YAML means the same optimizer.
 */
public final class Optimizers {

    private Optimizers() {}

    /**
     * Builds the learning-rate schedule.
     *
     * @param o the optimizer and its schedules
     * @param totalSteps optimizer steps in the run
     * @return the tracker
     */
    public static Tracker learningRate(OptimizerSpec o, int totalSteps) {
        return switch (o.schedule()) {
            case ONE_CYCLE -> OneCycle.learningRate((float) o.learningRate(), o.divFactor(), o.finalDivFactor(),
                    totalSteps, o.pctStart());
            case LINEAR -> new LinearDecay((float) o.learningRate(), (float) (o.learningRate() / o.finalDivFactor()),
                    totalSteps);
            case CONSTANT -> Tracker.fixed((float) o.learningRate());
        };
    }

    /**
     * Builds the optimizer.
     *
     * @param o the optimizer and its schedules
     * @param lr the learning-rate schedule
     * @param totalSteps optimizer steps in the run (one-cycle's momentum schedule spans them)
     * @return the optimizer
     */
    public static Optimizer optimizer(OptimizerSpec o, Tracker lr, int totalSteps) {
        return switch (o.rule()) {
            case ADAMW, ADAM -> ScheduledAdam.builder()
                    .setLearningRateTracker(lr)
                    .optBeta1(beta1(o, totalSteps))
                    .optBeta2(o.betas().get(1).floatValue())
                    .optEpsilon((float) o.eps())
                    .optDecoupledWeightDecay(o.rule() == OptimizerSpec.Rule.ADAMW)
                    .optWeightDecays((float) o.weightDecay())
                    .build();
            case SGD -> Optimizer.sgd()
                    .setLearningRateTracker(lr)
                    .optMomentum((float) o.momentum())
                    .optWeightDecays((float) o.weightDecay())
                    .build();
            case ROWWISE_ADAGRAD -> DenseAdagrad.builder(lr, (float) o.eps())
                    .optWeightDecays((float) o.weightDecay())
                    .build();
        };
    }

    /**
     * Builds the update of row-sparse tables that goes with {@link #optimizer}: the same rule,
     * the same schedules, applied to the rows a step touched.
     *
     * @param o the optimizer and its schedules
     * @param lr the learning-rate schedule
     * @param totalSteps optimizer steps in the run
     * @return the row optimizer, or null for sgd, which has none
     */
    public static RowOptimizer rowOptimizer(OptimizerSpec o, Tracker lr, int totalSteps) {
        return switch (o.rule()) {
            case ADAMW, ADAM -> new RowSparseAdam(lr, beta1(o, totalSteps), o.betas().get(1).floatValue(),
                    (float) o.eps(), (float) o.weightDecay(), o.rule() == OptimizerSpec.Rule.ADAMW,
                    o.lazy() ? 0 : SkippedSteps.horizon(maxBeta1(o), o.betas().get(1)));
            case ROWWISE_ADAGRAD -> new RowwiseAdagrad(lr, (float) o.eps(), (float) o.weightDecay());
            case SGD -> null;
        };
    }

    /** The largest beta1 the run uses. */
    private static double maxBeta1(OptimizerSpec o) {
        if (o.schedule() == OptimizerSpec.Schedule.ONE_CYCLE && o.cycleMomentum()) {
            return o.moms().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        }
        return o.betas().get(0);
    }

    /** Adam's beta1: fixed, or one-cycle's momentum schedule. */
    private static Tracker beta1(OptimizerSpec o, int totalSteps) {
        if (o.schedule() == OptimizerSpec.Schedule.ONE_CYCLE && o.cycleMomentum()) {
            List<Double> moms = o.moms();
            return new OneCycle(moms.get(0).floatValue(), moms.get(1).floatValue(), moms.get(2).floatValue(),
                    totalSteps, o.pctStart());
        }
        return Tracker.fixed(o.betas().get(0).floatValue());
    }
}
