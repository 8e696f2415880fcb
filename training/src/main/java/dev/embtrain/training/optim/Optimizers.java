package dev.embtrain.training.optim;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.embtrain.training.config.OptimizerConfig;
import dev.embtrain.training.config.ScheduleConfig;
import dev.embtrain.training.config.TrainingConfig;
import java.util.List;

/**
 * Builds the learning-rate schedule and the optimizer a {@code training} section describes; every
 * job (ratings, item2vec) builds them here so that the same YAML means the same optimizer.
 */
public final class Optimizers {

    private Optimizers() {}

    /**
     * Builds the learning-rate schedule.
     *
     * @param training the training section
     * @param totalSteps optimizer steps in the run
     * @return the tracker
     */
    public static Tracker learningRate(TrainingConfig training, int totalSteps) {
        OptimizerConfig o = training.optimizer();
        ScheduleConfig s = training.schedule();
        return switch (s.type()) {
            case ONE_CYCLE -> OneCycle.learningRate((float) o.learningRate(), s.divFactor(), s.finalDivFactor(),
                    totalSteps, s.pctStart());
            case LINEAR -> new LinearDecay((float) o.learningRate(), (float) (o.learningRate() / s.finalDivFactor()),
                    totalSteps);
            case CONSTANT -> Tracker.fixed((float) o.learningRate());
        };
    }

    /**
     * Builds the optimizer.
     *
     * @param training the training section
     * @param lr the learning-rate schedule
     * @param totalSteps optimizer steps in the run (one-cycle's momentum schedule spans them)
     * @return the optimizer
     */
    public static Optimizer optimizer(TrainingConfig training, Tracker lr, int totalSteps) {
        OptimizerConfig o = training.optimizer();
        return switch (o.type()) {
            case ADAMW, ADAM -> ScheduledAdam.builder()
                    .setLearningRateTracker(lr)
                    .optBeta1(beta1(training, totalSteps))
                    .optBeta2(o.betas().get(1).floatValue())
                    .optEpsilon((float) o.eps())
                    .optDecoupledWeightDecay(o.type() == OptimizerConfig.OptimizerType.ADAMW)
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
     * @param training the training section
     * @param lr the learning-rate schedule
     * @param totalSteps optimizer steps in the run
     * @return the row optimizer, or null for sgd, which has none
     */
    public static RowOptimizer rowOptimizer(TrainingConfig training, Tracker lr, int totalSteps) {
        OptimizerConfig o = training.optimizer();
        return switch (o.type()) {
            case ADAMW, ADAM -> new LazyAdam(lr, beta1(training, totalSteps), o.betas().get(1).floatValue(),
                    (float) o.eps(), (float) o.weightDecay(), o.type() == OptimizerConfig.OptimizerType.ADAMW);
            case ROWWISE_ADAGRAD -> new RowwiseAdagrad(lr, (float) o.eps(), (float) o.weightDecay());
            case SGD -> null;
        };
    }

    /** Adam's beta1: fixed, or one-cycle's momentum schedule. */
    private static Tracker beta1(TrainingConfig training, int totalSteps) {
        OptimizerConfig o = training.optimizer();
        ScheduleConfig s = training.schedule();
        if (s.type() == ScheduleConfig.ScheduleType.ONE_CYCLE && s.cycleMomentum()) {
            List<Double> moms = s.moms();
            return new OneCycle(moms.get(0).floatValue(), moms.get(1).floatValue(), moms.get(2).floatValue(),
                    totalSteps, s.pctStart());
        }
        return Tracker.fixed(o.betas().get(0).floatValue());
    }
}
