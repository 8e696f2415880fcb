package dev.embtrain.models;

/** What a model's output is: a rating in a sigmoid range, or the logit of a binary label. */
public enum Head {
    /** A value in {@code [y_lo, y_hi]} through a sigmoid range. */
    REGRESSION,
    /** A logit; the loss and the served probability apply the sigmoid. */
    BINARY
}
