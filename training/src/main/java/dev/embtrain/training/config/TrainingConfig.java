package dev.embtrain.training.config;

import java.util.regex.Pattern;

/**
 * How to train.
 *
 * @param epochs passes over the training split
 * @param batchSize rows per step
 * @param optimizer the optimizer
 * @param schedule the learning-rate schedule
 * @param device where to train
 * @param earlyStopping when to stop and which epoch to keep
 * @param progress whether to draw a progress bar
 * @param clipGradNorm the largest global gradient norm of a step, or 0 for no clipping
 */
@Doc("How to train.")
public record TrainingConfig(
        @Doc("Passes over the training split.") @Default("5") int epochs,
        @Doc("Rows per optimizer step.") @Default("64") int batchSize,
        @Doc("The optimizer.") @Default("{}") OptimizerConfig optimizer,
        @Doc("The learning-rate (and momentum) schedule.") @Default("{}") ScheduleConfig schedule,
        @Doc("auto (every CUDA GPU the engine sees, else the CPU), cpu, gpu (the first GPU) or gpu:N.")
                @Default("auto") String device,
        @Doc("Which validation metric picks the kept epoch, and when to stop.") @Default("{}")
                EarlyStoppingConfig earlyStopping,
        @Doc("Draw a progress bar on the terminal (off when output is not a terminal).") @Default("true")
                boolean progress,
        @Doc("Clip each step's gradients to this global L2 norm (PyTorch's clip_grad_norm_, over every"
                + " table and layer together); 0 turns clipping off.") @Default("0") double clipGradNorm) {

    private static final Pattern DEVICE = Pattern.compile("auto|cpu|gpu|gpu:\\d+");

    /** Validates the section. */
    public TrainingConfig {
        Check.positive("epochs", epochs);
        Check.positive("batch_size", batchSize);
        Check.nonNegative("clip_grad_norm", clipGradNorm);
        if (device == null || !DEVICE.matcher(device).matches()) {
            throw new ConfigValueException(
                    "device", "expected one of auto, cpu, gpu, gpu:N, found \"" + device + "\"");
        }
    }
}
