package dev.embtrain.training.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowSparseTablesTest {

    /** Records what the store hands over and moves each touched value by its gradient. */
    private static final class Recording implements RowOptimizer {
        int[] rows;
        float[] grad;
        int step;

        @Override
        public void update(String tableId, TableRows weights, long rowCount, int cols, int[] rows, int count,
                float[] grad, int step) {
            this.rows = Arrays.copyOf(rows, count);
            this.grad = grad.clone();
            this.step = step;
            for (int u = 0; u < count; u++) {
                for (int c = 0; c < cols; c++) {
                    int at = rows[u] * cols + c;
                    weights.put(at, weights.get(at) - grad[u * cols + c]);
                }
            }
        }

        @Override
        public long stateBytes(long rows, long cols) {
            return 0;
        }

        @Override
        public String describe() {
            return "recording";
        }

        @Override
        public void writeState(DataOutputStream out, Map<String, String> namesById) {}

        @Override
        public void readState(DataInputStream in, Map<String, NDArray> weightsByName, Map<String, String> idsByName) {}
    }

    private static Parameter table(NDManager manager) {
        Parameter p = Parameter.builder().setName("t").setType(Parameter.Type.WEIGHT).build();
        NDArray w = manager.create(new float[] {0, 1, 10, 11, 20, 21, 30, 31}, new Shape(4, 2));
        w.setRequiresGradient(true);
        p.setArray(w);
        return p;
    }

    /**
     * Ids 0, 2, 0 and 0 in one array and 2, 3 in another: the rows come back as the table's, the
     * step hands over rows 0, 2, 3 once each in first-seen order, with the gradients of their
     * repeats summed (loss = sum of rows · weights, so a row's gradient is the sum of the
     * weights of the places it was read), and the update reaches the table's own array.
     */
    @Test
    void repeatedIdsAccumulateAndOnlyTouchedRowsChange() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter p = table(manager);
            Recording recording = new Recording();
            RowSparseTables tables = new RowSparseTables(manager, recording, 0);
            tables.begin(manager);
            assertTrue(tables.isRowSparse(p));
            NDArray first = manager.create(new long[] {0, 2, 0, 0});
            NDArray second = manager.create(new long[] {2, 3});
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList rows = tables.rows(p, Device.cpu(), new NDList(first, second));
                assertArrayEquals(new float[] {0, 1, 20, 21, 0, 1, 0, 1}, rows.get(0).toFloatArray());
                assertArrayEquals(new float[] {20, 21, 30, 31}, rows.get(1).toFloatArray());
                NDArray a = manager.create(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, new Shape(4, 2));
                NDArray b = manager.create(new float[] {100, 200, 300, 400}, new Shape(2, 2));
                collector.backward(rows.get(0).mul(a).sum().add(rows.get(1).mul(b).sum()));
            }
            assertTrue(tables.hosts(p));
            tables.step(7);
            assertEquals(7, recording.step);
            assertArrayEquals(new int[] {0, 2, 3}, recording.rows);
            // row 0: places 0, 2, 3 of the first array; row 2: place 1, and place 0 of the second.
            assertArrayEquals(new float[] {1 + 5 + 7, 2 + 6 + 8, 3 + 100, 4 + 200, 300, 400}, recording.grad);
            assertArrayEquals(new float[] {-13, -15, 10, 11, -83, -183, -270, -369}, p.getArray().toFloatArray());
            // A second step starts afresh: only the rows it names.
            tables.begin(manager);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList rows = tables.rows(p, Device.cpu(), new NDList(manager.create(new long[] {1})));
                collector.backward(rows.head().sum());
            }
            tables.step(8);
            assertArrayEquals(new int[] {1}, recording.rows);
            assertArrayEquals(new float[] {1, 1}, recording.grad);
        }
    }

    /**
     * The step's rows' gradients are handed out before the update; halving them in place halves
     * what the optimizer receives. A discarded step changes no row and leaves nothing behind.
     */
    @Test
    void gradientsScaledInPlaceReachTheUpdateAndADiscardedStepChangesNothing() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter p = table(manager);
            Recording recording = new Recording();
            RowSparseTables tables = new RowSparseTables(manager, recording, 0);
            tables.begin(manager);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList rows = tables.rows(p, Device.cpu(), new NDList(manager.create(new long[] {3, 1, 3})));
                collector.backward(rows.head().sum());
            }
            java.util.List<NDArray> gradients = tables.gradients();
            assertEquals(1, gradients.size());
            assertArrayEquals(new float[] {2, 2, 1, 1}, gradients.get(0).toFloatArray());
            gradients.get(0).muli(0.5f);
            tables.step(1);
            assertArrayEquals(new int[] {3, 1}, recording.rows);
            assertArrayEquals(new float[] {1, 1, 0.5f, 0.5f}, recording.grad);
            float[] after = p.getArray().toFloatArray();
            assertArrayEquals(new float[] {0, 1, 9.5f, 10.5f, 20, 21, 29, 30}, after);
            tables.begin(manager);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList rows = tables.rows(p, Device.cpu(), new NDList(manager.create(new long[] {0, 2})));
                collector.backward(rows.head().sum());
            }
            tables.discard();
            assertArrayEquals(after, p.getArray().toFloatArray());
            assertTrue(tables.gradients().isEmpty());
            tables.begin(manager);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList rows = tables.rows(p, Device.cpu(), new NDList(manager.create(new long[] {2})));
                collector.backward(rows.head().sum());
            }
            tables.step(2);
            assertArrayEquals(new int[] {2}, recording.rows);
        }
    }

    @Test
    void refusesWholeTableReadsTwoLookupsAndIdsOutOfRange() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter p = table(manager);
            RowSparseTables tables = new RowSparseTables(manager, new Recording(), 0);
            tables.begin(manager);
            tables.rows(p, Device.cpu(), new NDList(manager.create(new long[] {1})));
            assertEquals("table t was looked up twice in one step; look every set of ids up in one call to"
                    + " Layers.lookups", assertThrows(IllegalStateException.class,
                            () -> tables.rows(p, Device.cpu(), new NDList(manager.create(new long[] {2}))))
                            .getMessage());
            assertEquals("table t trains row by row: a model must read it through Layers.lookups, never as a"
                    + " whole", assertThrows(IllegalStateException.class,
                            () -> tables.getValue(p, Device.cpu(), true)).getMessage());
            tables.step(1);
            tables.begin(manager);
            assertEquals("id 4 is outside table t of 4 rows", assertThrows(IndexOutOfBoundsException.class,
                    () -> tables.rows(p, Device.cpu(), new NDList(manager.create(new long[] {4})))).getMessage());
        }
    }

    /**
     * A host step's gather: rows numbered in first-seen order over both id arrays, each id's
     * position, a copy of the rows and a zeroed gradient the kernel fills; the update applies that
     * gradient, or the listeners' view of it once they were shown it (scaled in place here); a
     * second gather of the table in the step and an id outside it are refused, and a store whose
     * row threshold leaves the table dense offers no host rows.
     */
    @Test
    void aHostStepGathersRowsFillsTheirGradientAndTheUpdateAppliesIt() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter p = table(manager);
            Recording recording = new Recording();
            RowSparseTables tables = new RowSparseTables(manager, recording, 0);
            assertSame(tables, tables.hostRows(java.util.List.of(p)));
            assertNull(new RowSparseTables(manager, recording, 5).hostRows(java.util.List.of(p)));
            tables.begin(manager);
            dev.embtrain.training.engine.HostRows.Rows rows = tables.gather(p, new long[] {3, 1, 3}, new long[] {1, 0});
            assertEquals(2, rows.cols());
            assertArrayEquals(new int[] {0, 1, 0}, rows.positions()[0]);
            assertArrayEquals(new int[] {1, 2}, rows.positions()[1]);
            assertArrayEquals(new float[] {30, 31, 10, 11, 0, 1}, rows.values());
            assertArrayEquals(new float[6], rows.gradient());
            assertEquals("table t was looked up twice in one step; look every set of ids up in one call to"
                    + " Layers.lookups", assertThrows(IllegalStateException.class,
                            () -> tables.gather(p, new long[] {2})).getMessage());
            rows.gradient()[0] = 4;
            rows.gradient()[3] = 2;
            assertTrue(tables.hosts(p));
            tables.step(3);
            assertArrayEquals(new int[] {3, 1, 0}, recording.rows);
            assertArrayEquals(new float[] {4, 0, 0, 2, 0, 0}, recording.grad);
            assertArrayEquals(new float[] {0, 1, 10, 9, 20, 21, 26, 31}, p.getArray().toFloatArray());
            tables.begin(manager);
            rows = tables.gather(p, new long[] {2});
            rows.gradient()[1] = 8;
            java.util.List<NDArray> shown = tables.gradients();
            assertArrayEquals(new float[] {0, 8}, shown.get(0).toFloatArray());
            shown.get(0).muli(0.25f);
            tables.step(4);
            assertArrayEquals(new float[] {0, 2}, recording.grad);
            tables.begin(manager);
            assertEquals("id 4 is outside table t of 4 rows", assertThrows(IndexOutOfBoundsException.class,
                    () -> tables.gather(p, new long[] {4})).getMessage());
            tables.discard();
        }
    }

    @Test
    void smallTablesStayDenseUnderTheRowThreshold() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter p = table(manager);
            RowSparseTables tables = new RowSparseTables(manager, new Recording(), 5);
            tables.begin(manager);
            assertFalse(tables.isRowSparse(p));
            assertFalse(tables.hosts(p));
        }
    }
}
