package dev.embtrain.training.search;

/** How a trial ended. */
public enum TrialState {
    /** It ran to the end and returned its value. */
    COMPLETE,
    /** A pruner stopped it after an epoch; its value is the last one reported. */
    PRUNED
}
