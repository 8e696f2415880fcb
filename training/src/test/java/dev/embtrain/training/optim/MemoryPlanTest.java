package dev.embtrain.training.optim;

import static dev.embtrain.training.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.tracker.Tracker;
import dev.embtrain.training.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryPlanTest {

    private static Parameter table(String name, long rows, long cols) {
        return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(new Shape(rows, cols)).build();
    }

    private static OptimizerSpec.Rule optimizer(String type) {
        return OptimizerSpec.Rule.valueOf(type.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }

    /**
     * A 1,000 x 8 table from 100 rows trains row by row, a 50 x 8 one densely, and a layer without
     * a shape yet is left out. AdamW: engine = both tables' weights + 3 copies (gradient, two
     * moments) of the dense one = (8,000 + 400) · 4 + 3 · 400 · 4 = 38,400 bytes; heap = lazy Adam's
     * two moments of the row-sparse one = 2 · 8,000 · 4 = 64,000. Row-wise Adagrad: 2 copies of
     * the dense table, one float per sparse row.
     */
    @Test
    void countsWeightsDenseStateAndRowSparseStateByHand() {
        List<Parameter> parameters = List.of(table("big", 1000, 8), table("small", 50, 8),
                Parameter.builder().setName("mlp").setType(Parameter.Type.WEIGHT).build());
        RowSparseAdam lazy = new RowSparseAdam(Tracker.fixed(0.1f), Tracker.fixed(0.9f), 0.99f, 1e-5f, 0f, true);
        MemoryPlan adam = MemoryPlan.of(parameters, optimizer("adamw"), lazy, 100, Device.cpu());
        assertEquals(new MemoryPlan(38_400, 64_000, "big 1,000 x 8", 32_000, null), adam);
        assertNull(adam.problem(Device.cpu()));
        MemoryPlan adagrad = MemoryPlan.of(parameters, optimizer("rowwise-adagrad"),
                new RowwiseAdagrad(Tracker.fixed(0.1f), 1e-8f, 0f), 100, Device.cpu());
        assertEquals(new MemoryPlan(33_600 + 2 * 1_600, 4_000, "big 1,000 x 8", 32_000, null), adagrad);
        MemoryPlan dense = MemoryPlan.of(parameters, optimizer("adamw"), null, Long.MAX_VALUE, Device.cpu());
        assertEquals(new MemoryPlan(33_600 + 3 * 33_600, 0, "big 1,000 x 8", 32_000, null), dense);
    }

    /**
     * A table over 2 GB trains row by row (and is saved in row blocks), but not densely; a table
     * over 2^31 - 9 values not at all. Refused whatever the machine has.
     */
    @Test
    void aTableOverTwoGigabytesTrainsOnlyRowByRow() {
        List<Parameter> user = List.of(table("user", 10_000_000, 64));
        MemoryPlan sparse = MemoryPlan.of(user, optimizer("rowwise-adagrad"),
                new RowwiseAdagrad(Tracker.fixed(0.1f), 1e-8f, 0f), 0, Device.cpu());
        assertNull(sparse.tableProblem());
        assertEquals(new MemoryPlan(2_560_000_000L, 40_000_000, "user 10,000,000 x 64", 2_560_000_000L, null), sparse);
        MemoryPlan dense = MemoryPlan.of(user, optimizer("adamw"), null, Long.MAX_VALUE, Device.cpu());
        assertEquals("table user 10,000,000 x 64 holds 2.56 GB, and a table over 2 GB trains only row by row (the"
                + " dense update moves a parameter through one Java buffer); set training.optimizer.sparse: true or"
                + " auto, or use fewer factors", dense.problem(Device.cpu()));
        MemoryPlan huge = MemoryPlan.of(List.of(table("user", 40_000_000, 64)), optimizer("rowwise-adagrad"),
                new RowwiseAdagrad(Tracker.fixed(0.1f), 1e-8f, 0f), 0, Device.cpu());
        assertEquals("table user 40,000,000 x 64 holds 2,560,000,000 values, but a table holds at most 2,147,483,639"
                + " (checkpoints, exports and the row-sparse moments keep it in one Java array); use fewer factors,"
                + " or fewer rows (a higher min_count)", huge.problem(Device.cpu()));
    }

    /**
     * Tables that fit DJL's format but no machine: 200 tables of 10^7 x 50 (2.0 GB each) under
     * dense AdamW need four copies of 4 bytes: 200 · 5 · 10^8 · 16 = 1600 GB of host memory.
     */
    @Test
    void tablesBeyondTheHostsMemoryAreRefusedWithTheNumbers() {
        List<Parameter> tables = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            tables.add(table("t" + i, 10_000_000, 50));
        }
        String problem = MemoryPlan.of(tables, optimizer("adamw"), null, Long.MAX_VALUE, Device.cpu())
                .problem(Device.cpu());
        assertTrue(problem.startsWith("the parameters, their gradients and optimizer state need 1600.00 GB of host"
                + " memory (largest table t0 10,000,000 x 50), but "), problem);
        assertTrue(problem.endsWith(" is free; use fewer factors, training.optimizer.sparse: true, or"
                + " training.optimizer.type: rowwise-adagrad"), problem);
    }

    /** A model that cannot be saved is refused before training: exit 2, one line, nothing written. */
    @Test
    void aModelThatCannotFitIsRefusedBeforeTraining(@TempDir Path tmp) throws Exception {
        Path config = Files.writeString(tmp.resolve("big.yaml"), """
                name: big
                dataset: {type: synthetic-movielens, path: %s, users: 60, items: 40, ratings: 1500}
                model: {type: dot-product-bias, factors: 1000000000}
                training: {epochs: 1, progress: false}
                """.formatted(tmp.resolve("data")));
        CliRun.Result r = run("train", config.toString(), "--run-dir", tmp.resolve("run").toString());
        assertEquals(2, r.status(), r.err());
        assertEquals("embtrain: model: table user_factors 61 x 1000000000 holds 61,000,000,000 values, but a table"
                + " holds at most 2,147,483,639 (checkpoints, exports and the row-sparse moments keep it in one Java"
                + " array); use fewer factors, or fewer rows (a higher min_count) (" + config + ":3)\n", r.err());
        assertEquals(1, r.err().lines().count());
        assertFalse(Files.exists(tmp.resolve("run")));
    }
}
