package dev.embtrain.training.optim;

import java.util.List;

/**
 * An optimizer and its schedules in plain numbers: what {@link Optimizers} builds from, whoever
 * wrote them (a YAML config's {@code training} section, or Java code).
 *
 * @param rule the update rule
 * @param learningRate the peak learning rate (one-cycle's maximum)
 * @param weightDecay decoupled for adamw, L2 for adam, sgd and adagrad
 * @param betas Adam's beta1 (when not scheduled) and beta2
 * @param eps Adam's and Adagrad's epsilon
 * @param momentum sgd's momentum
 * @param schedule the learning-rate schedule
 * @param divFactor one-cycle starts at {@code learningRate / divFactor}
 * @param finalDivFactor one-cycle and linear end at {@code learningRate / finalDivFactor}
 * @param pctStart one-cycle's warm-up fraction
 * @param cycleMomentum whether one-cycle cycles Adam's beta1 through {@code moms}
 * @param moms beta1 at start, peak and end of the cycle
 * @param lazy row-sparse Adam(W) leaves the rows a step skips as they are, instead of catching
 *     them up when next touched
 */
public record OptimizerSpec(Rule rule, double learningRate, double weightDecay, List<Double> betas, double eps,
        double momentum, Schedule schedule, double divFactor, double finalDivFactor, double pctStart,
        boolean cycleMomentum, List<Double> moms, boolean lazy) {

    /** The update rules. */
    public enum Rule {
        /** Adam with decoupled weight decay. */
        ADAMW,
        /** Adam with L2 weight decay. */
        ADAM,
        /** Stochastic gradient descent with momentum. */
        SGD,
        /** Row-wise Adagrad for tables, element-wise Adagrad for the rest. */
        ROWWISE_ADAGRAD
    }

    /** The learning-rate schedules. */
    public enum Schedule {
        /** fastai's one-cycle: warm up, then cosine down, with beta1 cycled the other way. */
        ONE_CYCLE,
        /** Linear decay to {@code learningRate / finalDivFactor}. */
        LINEAR,
        /** The same rate every step. */
        CONSTANT
    }

    /** Copies the lists. */
    public OptimizerSpec {
        betas = List.copyOf(betas);
        moms = List.copyOf(moms);
    }
}
