package dev.embtrain.training.config;

import java.util.List;

/**
 * The optimizer.
 *
 * @param type adamw (decoupled weight decay), adam (L2 added to the gradient) or sgd
 * @param learningRate the peak learning rate
 * @param weightDecay the weight decay
 * @param betas Adam's beta1 and beta2
 * @param eps Adam's epsilon
 * @param momentum SGD's momentum
 */
@Doc("The optimizer.")
public record OptimizerConfig(
        @Doc("adamw: Adam with decoupled weight decay (fastai's default); adam: weight decay added to the"
                        + " gradient; sgd: with momentum.")
                @Default("adamw") OptimizerType type,
        @Doc("Peak learning rate (the one-cycle schedule's maximum).") @Default("5.0e-3") double learningRate,
        @Doc("Weight decay; decoupled for adamw (w -= lr * wd * w each step).") @Default("0.1")
                double weightDecay,
        @Doc("Adam's beta1, beta2; fastai's [0.9, 0.99] beat PyTorch's 0.999 on MovieLens."
                        + " With one-cycle and cycle_momentum, beta1 follows the schedule's moms.")
                @Default("[0.9, 0.99]") List<Double> betas,
        @Doc("Adam's epsilon, added to sqrt of the debiased second moment (fastai's 1e-5).")
                @Default("1.0e-5") double eps,
        @Doc("Momentum for sgd.") @Default("0.9") double momentum) {

    /** Validates the section. */
    public OptimizerConfig {
        Check.positive("learning_rate", learningRate);
        Check.nonNegative("weight_decay", weightDecay);
        Check.size("betas", betas, 2);
        for (double b : betas) {
            if (!(b >= 0 && b < 1)) {
                throw new ConfigValueException("betas", "each must be in [0, 1), found " + betas);
            }
        }
        Check.positive("eps", eps);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new ConfigValueException("momentum", "must be in [0, 1), found " + momentum);
        }
        betas = List.copyOf(betas);
    }

    /** The optimizers. */
    public enum OptimizerType {
        /** Adam with decoupled weight decay. */
        ADAMW,
        /** Adam with L2 weight decay. */
        ADAM,
        /** Stochastic gradient descent with momentum. */
        SGD
    }
}
