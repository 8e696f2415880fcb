package dev.embtrain.training.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys of a config that nothing reads once the optimizer, the schedule and the model's own
 * choices are made (Adam's betas under sgd, one-cycle's keys under a constant rate, the implicit
 * sampler's keys of a regression; {@link ModelConfig#unreadKeys}), each with what would read it. A key
 * the user wrote that nothing reads is a config error naming it; a dumped config
 * ({@code config.yaml}, {@code best.yaml}, a checkpoint's) leaves them out, so what a run writes
 * loads again as it is and a user's edit of it cannot slip through unread.
 */
public final class UnreadKeys {

    private UnreadKeys() {}

    /**
     * Returns the unread keys of a config.
     *
     * @param config the config
     * @return each unread dotted path, in a fixed order, with why and what would read it
     */
    public static Map<String, String> of(RunConfig config) {
        TrainingConfig t = config.training();
        OptimizerConfig.OptimizerType type = t.optimizer().type();
        boolean sgd = type == OptimizerConfig.OptimizerType.SGD;
        // sgd and rowwise-adagrad have no beta1 for one-cycle's moms to schedule.
        boolean noMomentum = sgd || type == OptimizerConfig.OptimizerType.ROWWISE_ADAGRAD;
        String optimizer = "optimizer " + ConfigBinder.yamlName(type);
        Map<String, String> unread = new LinkedHashMap<>();
        for (String key : switch (type) {
            case SGD -> List.of("betas", "eps", "lazy");
            case ROWWISE_ADAGRAD -> List.of("betas", "momentum", "lazy");
            case ADAM, ADAMW -> List.of("momentum");
        }) {
            unread.put("training.optimizer." + key, optimizer + " does not use it; remove it, or pick "
                    + (key.equals("momentum") ? "sgd" : "adam or adamw"));
        }
        if (!sgd && type != OptimizerConfig.OptimizerType.ROWWISE_ADAGRAD
                && t.optimizer().sparse() == OptimizerConfig.Sparse.FALSE) {
            unread.put("training.optimizer.lazy", "sparse: false trains no table row by row; remove it, or set"
                    + " sparse: auto or true");
        }
        ScheduleConfig.ScheduleType schedule = t.schedule().type();
        String scheduleName = "schedule " + ConfigBinder.yamlName(schedule);
        if (schedule != ScheduleConfig.ScheduleType.ONE_CYCLE) {
            for (String key : List.of("div_factor", "pct_start", "cycle_momentum", "moms")) {
                unread.put("training.schedule." + key, scheduleName
                        + " does not use it; remove it, or pick schedule.type: one-cycle");
            }
        } else if (noMomentum) {
            for (String key : List.of("cycle_momentum", "moms")) {
                unread.put("training.schedule." + key, optimizer + " does not use it"
                        + (sgd ? " (sgd keeps training.optimizer.momentum fixed)" : "")
                        + "; remove it, or pick adam or adamw");
            }
        }
        if (schedule == ScheduleConfig.ScheduleType.CONSTANT) {
            unread.put("training.schedule.final_div_factor", scheduleName
                    + " does not use it; remove it, or pick schedule.type: one-cycle or linear");
        }
        config.model().unreadKeys().forEach((key, why) -> unread.put("model." + key, why));
        config.dataset().unreadKeys().forEach((key, why) -> unread.put("dataset." + key, why));
        return unread;
    }

    /**
     * Returns a config's YAML tree without its unread keys.
     *
     * @param tree the tree, as {@link ConfigBinder#toYaml} writes it; not changed
     * @param config the config it was written from
     * @return a copy without the keys {@link #of} names
     */
    public static Map<String, Object> prune(Map<String, Object> tree, RunConfig config) {
        Map<String, Object> copy = copy(tree);
        for (String path : of(config).keySet()) {
            remove(copy, path);
        }
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> copy(Map<String, Object> tree) {
        Map<String, Object> copy = new LinkedHashMap<>();
        tree.forEach((k, v) -> copy.put(k, v instanceof Map<?, ?> m ? copy((Map<String, Object>) m) : v));
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static void remove(Map<String, Object> tree, String path) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            tree.remove(path);
        } else if (tree.get(path.substring(0, dot)) instanceof Map<?, ?> child) {
            remove((Map<String, Object>) child, path.substring(dot + 1));
        }
    }
}
