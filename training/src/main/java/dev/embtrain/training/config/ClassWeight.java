package dev.embtrain.training.config;

/** How the two classes of a binary label weigh in the loss. */
public enum ClassWeight {
    /** Every row weighs 1. */
    NONE,
    /**
     * scikit-learn's {@code class_weight="balanced"}: a row of class c weighs n / (2 n_c) on
     * the training split, so both classes weigh the same in total and the mean weight is 1.
     */
    BALANCED
}
