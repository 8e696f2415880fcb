package dev.embtrain.training.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import dev.embtrain.models.LargeArrays;
import dev.embtrain.models.RowLookup;
import dev.embtrain.training.engine.HostRows;
import dev.embtrain.training.engine.RowSparse;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The row-sparse tables of a run, and the parameter store its training forward passes read.
 *
 * <p>Each step, for every table a model looks up: the ids are read once, their distinct rows
 * numbered in first-seen order (an int per table row, reset after the step, so it costs O(batch)),
 * those rows copied out of the table into one small array that autograd sees as a leaf, and the
 * ids replaced by their positions in it; the model gathers from the leaf as it would from the
 * table. After the backward pass the leaf's gradient, already summed over repeated ids, goes to a
 * {@link RowOptimizer} with the rows it belongs to. Per table and step that is four crossings
 * into the engine (ids out, leaf in, positions in, gradient out), whatever the table's size.
 *
 * <p>A {@link dev.embtrain.training.engine.HostStep} gathers the same rows through
 * {@link #gather}, as floats on the heap with a gradient array beside them that it fills itself;
 * no leaf is made and nothing crosses into the engine.
 *
 * <p>Where the floats live: on the CPU the table's own parameter array, written in place through
 * a direct buffer that aliases it (checked once per table, as {@link ScheduledAdam} does), so no
 * copy is kept. On another device a host copy is kept, its rows cross to the device once a
 * step, and {@link #sync} writes it back before validation and checkpoints.
 */
public final class RowSparseTables extends ParameterStore implements RowLookup, RowSparse, HostRows {

    private final RowOptimizer optimizer;
    private final long minRows;
    private final Map<String, Table> tables = new LinkedHashMap<>();
    private NDManager step;

    /**
     * Creates the tables of a run.
     *
     * @param manager the trainer's manager
     * @param optimizer the update of touched rows
     * @param minRows tables with at least this many rows train row by row; the others densely
     */
    public RowSparseTables(NDManager manager, RowOptimizer optimizer, long minRows) {
        super(manager, false);
        this.optimizer = optimizer;
        this.minRows = minRows;
    }

    /** One table: where its floats are, and the step's rows. */
    private static final class Table {
        final Parameter parameter;
        final long rowCount;
        final int cols;
        final TableRows weights;
        final boolean aliased;
        /** Each table row's position among the step's rows, or -1. */
        final int[] slot;
        int[] rows = new int[256];
        int count;
        /** The step's leaf, when the rows went to autograd. */
        NDArray leaf;
        /** The step's gradient, when a host step gathered the rows. */
        float[] hostGradient;
        /** The host gradient as {@link #gradients} showed it to listeners, who may have scaled it. */
        NDArray hostGradientView;

        Table(Parameter parameter) {
            this.parameter = parameter;
            NDArray array = parameter.getArray();
            Shape shape = array.getShape();
            this.rowCount = shape.get(0);
            long values = shape.size();
            if (values > MemoryPlan.MAX_TABLE_VALUES) {
                throw new IllegalArgumentException("table " + parameter.getName() + " holds " + values
                        + " values; a row-sparse table holds at most " + MemoryPlan.MAX_TABLE_VALUES);
            }
            this.cols = Math.toIntExact(values / Math.max(1, rowCount));
            // A table over 2 GB is aliased a block of rows at a time: Java buffers end at 2 GB.
            boolean cpu = array.getDevice().equals(Device.cpu());
            List<NDArray> blocks = LargeArrays.large(shape) ? LargeArrays.rowBlocks(array) : List.of(array);
            boolean alias = cpu;
            for (NDArray block : blocks) {
                alias = alias && ScheduledAdam.aliases(block);
            }
            this.aliased = alias;
            if (aliased) {
                List<FloatBuffer> buffers = new ArrayList<>();
                for (NDArray block : blocks) {
                    buffers.add(ScheduledAdam.buffer(block));
                }
                this.weights = TableRows.of(buffers, blocks.size() == 1 ? Math.max(1, (int) values)
                        : Math.toIntExact(LargeArrays.blockRows(cols) * cols));
            } else {
                this.weights = TableRows.wrap(LargeArrays.toFloats(array));
            }
            // The buffers point into the table's own storage, which outlives the views.
            if (blocks.size() > 1) {
                blocks.forEach(NDArray::close);
            }
            this.slot = new int[Math.toIntExact(rowCount)];
            Arrays.fill(slot, -1);
        }
    }

    /** {@inheritDoc} */
    @Override
    public ParameterStore begin(NDManager parent) {
        if (step != null) {
            step.close();
        }
        step = parent.newSubManager();
        return this;
    }

    /** {@inheritDoc} */
    @Override
    public boolean isRowSparse(Parameter table) {
        return tables.containsKey(table.getId()) || (step != null && qualifies(table));
    }

    /** Says whether a parameter is a table this store trains row by row. */
    private boolean qualifies(Parameter table) {
        NDArray array = table.getArray();
        return array.getShape().dimension() == 2 && array.getDataType() == DataType.FLOAT32
                && array.getShape().get(0) >= minRows;
    }

    /** {@inheritDoc} */
    @Override
    public HostRows hostRows(List<Parameter> parameters) {
        for (Parameter p : parameters) {
            if (!qualifies(p) || !p.getArray().getDevice().equals(Device.cpu())) {
                return null;
            }
        }
        return this;
    }

    /** {@inheritDoc} */
    @Override
    public boolean hosts(Parameter parameter) {
        return tables.containsKey(parameter.getId());
    }

    /** {@inheritDoc} */
    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        if (training && tables.containsKey(parameter.getId())) {
            throw new IllegalStateException("table " + parameter.getName() + " trains row by row: a model must read"
                    + " it through Layers.lookups, never as a whole");
        }
        return super.getValue(parameter, device, training);
    }

    /** {@inheritDoc} */
    @Override
    public NDList rows(Parameter table, Device device, NDList ids) {
        Table t = claim(table);
        List<long[]> positions = new ArrayList<>(ids.size());
        for (NDArray array : ids) {
            long[] v = array.toType(DataType.INT64, false).toLongArray();
            for (int k = 0; k < v.length; k++) {
                v[k] = position(t, v[k]);
            }
            positions.add(v);
        }
        NDArray leaf = step.create(values(t), new Shape(t.count, t.cols)).toDevice(device, false);
        leaf.setRequiresGradient(true);
        t.leaf = leaf;
        NDList out = new NDList(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            NDArray at = step.create(positions.get(i), ids.get(i).getShape()).toDevice(device, false);
            out.add(Embedding.embedding(at, leaf, SparseFormat.DENSE).head());
        }
        return out;
    }

    /** {@inheritDoc} */
    @Override
    public Rows gather(Parameter table, long[]... ids) {
        Table t = claim(table);
        int[][] positions = new int[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            long[] v = ids[i];
            int[] at = new int[v.length];
            for (int k = 0; k < v.length; k++) {
                at[k] = position(t, v[k]);
            }
            positions[i] = at;
        }
        float[] values = values(t);
        t.hostGradient = new float[values.length];
        return new Rows(t.cols, values, positions, t.hostGradient);
    }

    /** Returns a table's state for this step, which must be open and must not have read it yet. */
    private Table claim(Parameter table) {
        if (step == null) {
            throw new IllegalStateException("no step is open: call begin() before the forward pass");
        }
        Table t = tables.computeIfAbsent(table.getId(), k -> new Table(table));
        if (t.leaf != null || t.hostGradient != null) {
            throw new IllegalStateException("table " + table.getName() + " was looked up twice in one step; look"
                    + " every set of ids up in one call to Layers.lookups");
        }
        return t;
    }

    /** Numbers an id's row among the step's rows, in first-seen order, and returns its position. */
    private static int position(Table t, long id) {
        if (id < 0 || id >= t.rowCount) {
            throw new IndexOutOfBoundsException("id " + id + " is outside table " + t.parameter.getName() + " of "
                    + t.rowCount + " rows");
        }
        int at = t.slot[(int) id];
        if (at < 0) {
            at = t.count++;
            if (at == t.rows.length) {
                t.rows = Arrays.copyOf(t.rows, at * 2);
            }
            t.rows[at] = (int) id;
            t.slot[(int) id] = at;
        }
        return at;
    }

    /** Brings the step's rows up to date and copies them out, row-major. */
    private float[] values(Table t) {
        optimizer.catchUp(t.parameter.getId(), t.weights, t.rowCount, t.cols, t.rows, t.count);
        float[] values = new float[t.count * t.cols];
        for (int u = 0; u < t.count; u++) {
            t.weights.get(t.rows[u] * t.cols, values, u * t.cols, t.cols);
        }
        return values;
    }

    /** {@inheritDoc} */
    @Override
    public void step(int stepNumber) {
        finish(stepNumber, true);
    }

    /** {@inheritDoc} */
    @Override
    public void discard() {
        finish(0, false);
    }

    /** {@inheritDoc} */
    @Override
    public List<NDArray> gradients() {
        List<NDArray> out = new ArrayList<>();
        for (Table t : tables.values()) {
            if (t.leaf != null) {
                out.add(t.leaf.getGradient());
            } else if (t.hostGradient != null) {
                if (t.hostGradientView == null) {
                    t.hostGradientView = step.create(t.hostGradient, new Shape(t.count, t.cols));
                }
                out.add(t.hostGradientView);
            }
        }
        return out;
    }

    /** Updates the step's rows (or not) and resets the step. */
    private void finish(int stepNumber, boolean update) {
        try {
            for (Table t : tables.values()) {
                if (t.leaf == null && t.hostGradient == null) {
                    continue;
                }
                if (update) {
                    float[] grad;
                    if (t.leaf != null) {
                        try (NDArray g = t.leaf.getGradient()) {
                            grad = g.toFloatArray();
                        }
                    } else {
                        grad = t.hostGradientView != null ? t.hostGradientView.toFloatArray() : t.hostGradient;
                    }
                    optimizer.update(t.parameter.getId(), t.weights, t.rowCount, t.cols, t.rows, t.count, grad,
                            stepNumber);
                }
                for (int u = 0; u < t.count; u++) {
                    t.slot[t.rows[u]] = -1;
                }
                t.count = 0;
                t.leaf = null;
                t.hostGradient = null;
                t.hostGradientView = null;
            }
        } finally {
            if (step != null) {
                step.close();
                step = null;
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    public void sync() {
        for (Table t : tables.values()) {
            optimizer.settle(t.parameter.getId(), t.weights, t.rowCount, t.cols);
            if (!t.aliased) {
                t.weights.copyTo(t.parameter.getArray());
            }
        }
    }

    /**
     * Returns the optimizer of the tables, whose state a checkpoint keeps.
     *
     * @return the optimizer
     */
    public RowOptimizer optimizer() {
        return optimizer;
    }

    /**
     * Says how many tables train row by row so far (they are claimed at their first lookup).
     *
     * @return the count
     */
    public int tableCount() {
        return tables.size();
    }
}
