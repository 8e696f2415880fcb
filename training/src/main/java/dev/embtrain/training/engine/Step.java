package dev.embtrain.training.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One optimizer step as the listeners see it, from before its forward pass to after its update
 * (fastai's {@code before_batch}, {@code after_loss}, {@code after_backward} and
 * {@code after_step}): which batch it is, the batch's loss once computed, the gradients once the
 * backward pass has run, and two levers, {@link #skip()} (no update for this batch) and
 * {@link #stop()} (no batch after it). The loop reuses one instance for every step; a listener
 * must not keep it, or what it hands out, past the event.
 */
public final class Step {

    /** Where in the step the loop stands; what a listener may read depends on it. */
    enum Phase {
        /** Before the forward pass. */
        BEFORE_FORWARD,
        /** The loss is computed, the backward pass has not run. */
        AFTER_LOSS,
        /** Gradients are computed, the update has not run. */
        AFTER_BACKWARD,
        /** The update has run (or was skipped). */
        AFTER_STEP
    }

    private final List<Parameter> parameters;
    private final RowSparse rowSparse;
    private final boolean oneDevice;
    private int epoch;
    private int batch;
    private int batches;
    private int number;
    private Phase phase;
    private NDArray loss;
    private boolean skipped;
    private boolean stopped;
    private NDManager parent;
    private NDManager manager;
    private List<NDArray> gradients;

    /**
     * Creates the step of a loop.
     *
     * @param parameters the model's trained parameters
     * @param rowSparse the run's row-sparse tables, or null
     * @param oneDevice whether the run trains on one device (gradients are visible only then)
     */
    Step(List<Parameter> parameters, RowSparse rowSparse, boolean oneDevice) {
        this.parameters = parameters;
        this.rowSparse = rowSparse;
        this.oneDevice = oneDevice;
    }

    /** Opens the next step. */
    void begin(NDManager parent, int epoch, int batch, int batches, int number) {
        this.epoch = epoch;
        this.batch = batch;
        this.batches = batches;
        this.number = number;
        this.phase = Phase.BEFORE_FORWARD;
        this.loss = null;
        this.skipped = false;
        this.parent = parent;
        this.gradients = null;
    }

    /** Moves to a later phase. */
    void phase(Phase next) {
        phase = next;
    }

    /** Sets the loss of the batch (or of one device's slice of it). */
    void loss(NDArray value) {
        loss = value;
        phase = Phase.AFTER_LOSS;
    }

    /** Frees what the step handed out; the loop calls it once the update has run. */
    void end() {
        phase = Phase.AFTER_STEP;
        loss = null;
        gradients = null;
        parent = null;
        if (manager != null) {
            manager.close();
            manager = null;
        }
    }

    /**
     * Returns the epoch, from 1.
     *
     * @return the epoch
     */
    public int epoch() {
        return epoch;
    }

    /**
     * Returns the batch within the epoch, from 1.
     *
     * @return the batch
     */
    public int batch() {
        return batch;
    }

    /**
     * Returns how many batches the epoch has.
     *
     * @return the count
     */
    public int batches() {
        return batches;
    }

    /**
     * Returns the step's number in the run, from 1 (resumed steps included).
     *
     * @return the number
     */
    public int number() {
        return number;
    }

    /**
     * Returns the batch's loss, a scalar on the training device (reading it back waits for the
     * device; a listener that does so every step slows the loop).
     *
     * @return the loss
     * @throws IllegalStateException before the loss is computed or after the step
     */
    public NDArray loss() {
        if (loss == null) {
            throw new IllegalStateException("the loss is visible from afterLoss to afterBackward, not in " + phase);
        }
        return loss;
    }

    /**
     * Returns the model's trained parameters, in the order of the dense part of
     * {@link #gradients()} (a listener reads their values; changing them is the optimizer's job).
     * A row-sparse table's array holds its weights on the CPU, and lags them on a GPU until the
     * epoch ends.
     *
     * @return the parameters
     */
    public List<Parameter> parameters() {
        return parameters;
    }

    /**
     * Returns the gradients the update is about to apply: every dense trained parameter's, then
     * the rows of every row-sparse table the batch looked up (the rows it did not look up have
     * none, which is what their gradient is). Scaling them in place ({@code muli}) changes the
     * update; arrays computed from them belong to the step and are freed after it.
     *
     * @return the gradients, in a fixed order
     * @throws IllegalStateException outside {@link Listener#afterBackward}, or when the run
     *     trains on several devices
     */
    public List<NDArray> gradients() {
        if (phase != Phase.AFTER_BACKWARD) {
            throw new IllegalStateException("gradients are visible in afterBackward only, not in " + phase);
        }
        if (!oneDevice) {
            throw new IllegalStateException("gradients are visible to listeners on one device; this run trains"
                    + " on several (set training.device to one)");
        }
        if (gradients == null) {
            List<NDArray> all = new ArrayList<>();
            for (Parameter p : parameters) {
                if (rowSparse == null || !rowSparse.hosts(p)) {
                    all.add(own(p.getArray().getGradient()));
                }
            }
            if (rowSparse != null) {
                for (NDArray g : rowSparse.gradients()) {
                    all.add(own(g));
                }
            }
            gradients = Collections.unmodifiableList(all);
        }
        return gradients;
    }

    private NDArray own(NDArray gradient) {
        if (manager == null) {
            manager = parent.newSubManager();
        }
        gradient.attach(manager);
        return gradient;
    }

    /**
     * Says no update for this batch: parameters and optimizer state stay as they are, its
     * gradients are dropped, and its loss does not count in the epoch's training loss. It still
     * counts in {@link #number()}, and so in the schedule of row-sparse tables, which follow the
     * step number; the dense optimizer's schedule counts the updates it applied.
     *
     * @throws IllegalStateException after the update
     */
    public void skip() {
        if (phase == Phase.AFTER_STEP) {
            throw new IllegalStateException("the update has run; skip() is for the events before it");
        }
        skipped = true;
    }

    /**
     * Says whether a listener skipped this step.
     *
     * @return true when skipped
     */
    public boolean skipped() {
        return skipped;
    }

    /**
     * Ends the run after this step: the epoch in progress is validated and recorded, as after a
     * step bound, and no batch follows.
     */
    public void stop() {
        stopped = true;
    }

    /** Says whether a listener asked to stop. */
    boolean stopped() {
        return stopped;
    }
}
