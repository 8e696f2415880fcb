package dev.embtrain.training.optim;

import ai.djl.Device;
import ai.djl.nn.Parameter;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.cuda.CudaUtils;
import dev.embtrain.models.LargeArrays;
import java.io.IOException;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;

/**
 * What a run's parameters and optimizer state will take, worked out from the parameters' shapes
 * before anything is allocated, and checked against what the machine has: engine memory (host RAM,
 * or the GPU's) for the parameters, their dense gradients and dense optimizer state; the Java heap
 * for a row-sparse optimizer's state (and, off the CPU, the tables' host copies). A run that
 * cannot fit is refused before training, instead of dying inside PyTorch's allocator.
 *
 * @param engineBytes bytes the engine will hold
 * @param heapBytes bytes the Java heap will hold
 * @param largest the largest table, as {@code name rows x cols}
 * @param largestBytes its bytes
 * @param tableProblem why one table cannot train as asked, whatever the machine has, or null
 */
public record MemoryPlan(long engineBytes, long heapBytes, String largest, long largestBytes,
        String tableProblem) {

    /**
     * The most values one table may hold: checkpoints, exports and the row-sparse moments keep a
     * table in one Java float array.
     */
    public static final long MAX_TABLE_VALUES = Integer.MAX_VALUE - 8;

    /**
     * Works out the plan.
     *
     * @param parameters the model's parameters; those without a shape yet (layers sized by their
     *     input) are left out, being small beside the tables
     * @param rule the dense update rule (how many arrays of state it keeps per parameter)
     * @param rowOptimizer the row-sparse update, or null when every table trains densely
     * @param sparseFrom rows from which a table trains row by row
     * @param device where the run trains
     * @return the plan
     */
    public static MemoryPlan of(Collection<Parameter> parameters, OptimizerSpec.Rule rule, RowOptimizer rowOptimizer,
            long sparseFrom, Device device) {
        long engine = 0;
        long heap = 0;
        long largestValues = -1;
        String largest = "none";
        String tableProblem = null;
        int denseCopies = switch (rule) {
            case ADAM, ADAMW -> 3; // gradient and two moments
            case SGD, ROWWISE_ADAGRAD -> 2; // gradient and one momentum or accumulator
        };
        for (Parameter p : parameters) {
            Shape shape = p.getShape();
            if (shape == null) {
                continue;
            }
            long values = shape.size();
            engine += values * Float.BYTES;
            boolean sparse = rowOptimizer != null && shape.dimension() == 2 && shape.get(0) >= sparseFrom;
            if (sparse) {
                heap += rowOptimizer.stateBytes(shape.get(0), shape.get(1));
                if (!device.equals(Device.cpu())) {
                    heap += values * Float.BYTES;
                }
            } else if (p.requiresGradient()) {
                engine += denseCopies * values * Float.BYTES;
            }
            String name = String.format(Locale.ROOT, "%s %,d x %d", p.getName(), shape.get(0),
                    shape.dimension() == 2 ? shape.get(1) : 1);
            if (values > largestValues) {
                largestValues = values;
                largest = name;
            }
            if (tableProblem == null && values > MAX_TABLE_VALUES) {
                tableProblem = String.format(Locale.ROOT, "table %s holds %,d values, but a table holds at most %,d"
                        + " (checkpoints, exports and the row-sparse moments keep it in one Java array); use fewer"
                        + " factors, or fewer rows (a higher min_count)", name, values, MAX_TABLE_VALUES);
            } else if (tableProblem == null && !sparse && LargeArrays.large(shape)) {
                tableProblem = String.format(Locale.ROOT, "table %s holds %s, and a table over 2 GB trains only row"
                        + " by row (the dense update moves a parameter through one Java buffer); set"
                        + " training.optimizer.sparse: true or auto, or use fewer factors", name,
                        gb(values * Float.BYTES));
            }
        }
        return new MemoryPlan(engine, heap, largest, Math.max(0, largestValues) * Float.BYTES, tableProblem);
    }

    /**
     * Checks the plan against the machine.
     *
     * @param device where the run trains
     * @return null when it fits, else what does not, with the numbers, in one line
     */
    public String problem(Device device) {
        if (tableProblem != null) {
            return tableProblem;
        }
        long engineFree = device.isGpu() ? gpuFree(device) : hostAvailable();
        if (engineFree > 0 && engineBytes > engineFree) {
            return String.format(Locale.ROOT, "the parameters, their gradients and optimizer state need %s of %s"
                    + " memory (largest table %s), but %s is free; use fewer factors, training.optimizer.sparse:"
                    + " true, or training.optimizer.type: rowwise-adagrad", gb(engineBytes),
                    device.isGpu() ? device.toString() : "host", largest, gb(engineFree));
        }
        Runtime rt = Runtime.getRuntime();
        long heapFree = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (heapBytes > heapFree) {
            return String.format(Locale.ROOT, "the row-sparse optimizer keeps %s on the Java heap (largest table %s),"
                    + " but the heap has %s free; raise -Xmx (EMBTRAIN_JAVA_OPTS=-Xmx...) or use"
                    + " training.optimizer.type: rowwise-adagrad, one value per row", gb(heapBytes), largest,
                    gb(heapFree));
        }
        return null;
    }

    /**
     * Describes the plan for the start-up line.
     *
     * @return e.g. {@code memory   1.20 GB in the engine (...), 300.0 MB on the Java heap (...)}
     */
    public String describe() {
        return "memory   " + gb(engineBytes) + " in the engine (parameters, gradients, dense optimizer state), "
                + gb(heapBytes) + " on the Java heap (row-sparse optimizer state)";
    }

    private static String gb(long bytes) {
        return bytes < 1e9 ? String.format(Locale.ROOT, "%.1f MB", bytes / 1e6)
                : String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
    }

    /** MemAvailable from /proc/meminfo, or 0 where it cannot be read (then engine memory is not checked). */
    static long hostAvailable() {
        Path meminfo = Path.of("/proc/meminfo");
        try {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.trim().split("\\s+")[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    private static long gpuFree(Device device) {
        try {
            MemoryUsage usage = CudaUtils.getGpuMemory(device);
            return usage.getMax() - usage.getCommitted();
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
