package dev.embtrain.training.engine;


/** What a supervised model is trained to predict; {@code objectives.Supervised} declares each task's metrics. */
public enum Task {
    /** A rating: MSE loss. */
    REGRESSION,
    /** A 0/1 label from a logit: sigmoid cross-entropy. */
    BINARY
}
