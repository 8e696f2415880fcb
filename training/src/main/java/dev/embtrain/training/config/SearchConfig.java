package dev.embtrain.training.config;

import dev.embtrain.training.search.Distribution;
import dev.embtrain.training.search.MedianPruner;
import dev.embtrain.training.search.Pruner;
import dev.embtrain.training.search.RandomSampler;
import dev.embtrain.training.search.Sampler;
import dev.embtrain.training.search.SearchSpace;
import dev.embtrain.training.search.SuccessiveHalvingPruner;
import dev.embtrain.training.search.TpeSampler;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code search} section: which config keys to tune, over which ranges, with which sampler
 * and pruner, for how many trials. Each trial's values are applied to the run's config as
 * {@code --set key=value} overrides, so every key is a dotted config path and goes through the
 * same validation as the YAML file.
 *
 * @param trials the number of trials
 * @param sampler how values are proposed
 * @param pruner when weak trials stop early
 * @param seed the sampler's seed
 * @param space the hyperparameters, one entry per key
 */
@Doc("Hyperparameter search: trials run one after another, each with values drawn for the keys in space.")
public record SearchConfig(
        @Doc("Number of trials.") @Default("20") int trials,
        @Doc("How values are proposed: random, or tpe (Tree-structured Parzen Estimator).") @Default("{type: tpe}")
                SamplerConfig sampler,
        @Doc("When a weak trial stops early, from its per-epoch validation AUC: none, median or successive-halving.")
                @Default("{type: median}") PrunerConfig pruner,
        @Doc("Seed of the sampler.") @Default("42") long seed,
        @Doc("The keys to tune: each entry names a dotted config path (key) and its range (type log-uniform, uniform,"
                        + " int with low and high; choice with values).")
                List<ParamConfig> space) {

    /** Validates the section. */
    public SearchConfig {
        Check.positive("trials", trials);
        space = List.copyOf(space);
        if (space.isEmpty()) {
            throw new ConfigValueException("space", "must list at least one key to tune");
        }
        Set<String> seen = new HashSet<>();
        for (ParamConfig p : space) {
            if (!seen.add(p.key())) {
                throw new ConfigValueException("space", "key " + p.key() + " appears twice");
            }
        }
    }

    /**
     * Builds the search space.
     *
     * @return the space, keys in the order listed
     */
    public SearchSpace searchSpace() {
        SearchSpace s = new SearchSpace();
        space.forEach(p -> s.add(p.key(), p.distribution()));
        return s;
    }

    /** The {@code search.sampler} section. */
    public sealed interface SamplerConfig extends Variants permits RandomSamplerConfig, TpeSamplerConfig {
        /** The samplers, by the name written in {@code type}. */
        Variants.Table VARIANTS = new Variants.Table(table(
                "random", RandomSamplerConfig.class, "tpe", TpeSamplerConfig.class));

        /**
         * Creates the sampler.
         *
         * @return the sampler
         */
        Sampler create();
    }

    /** Random search: every value drawn independently. */
    @Doc("Random search: every value drawn independently and uniformly (log-uniformly for log-uniform keys).")
    public record RandomSamplerConfig() implements SamplerConfig {
        @Override
        public Sampler create() {
            return new RandomSampler();
        }
    }

    /**
     * TPE, as Optuna's default sampler.
     *
     * @param startupTrials trials drawn at random first
     * @param candidates draws from the good trials' density per proposal
     */
    @Doc("Tree-structured Parzen Estimator (Bergstra et al. 2011), univariate, with Optuna's defaults.")
    public record TpeSamplerConfig(
            @Doc("Trials drawn at random before TPE starts.") @Default("10") int startupTrials,
            @Doc("Candidates drawn from the good trials' density; the one with the best l(x)/g(x) is tried.")
                    @Default("24") int candidates) implements SamplerConfig {
        /** Validates the section. */
        public TpeSamplerConfig {
            Check.positive("startup_trials", startupTrials);
            Check.positive("candidates", candidates);
        }

        @Override
        public Sampler create() {
            return new TpeSampler(startupTrials, candidates);
        }
    }

    /** The {@code search.pruner} section. */
    public sealed interface PrunerConfig extends Variants
            permits NoPrunerConfig, MedianPrunerConfig, SuccessiveHalvingPrunerConfig {
        /** The pruners, by the name written in {@code type}. */
        Variants.Table VARIANTS = new Variants.Table(table("none", NoPrunerConfig.class,
                "median", MedianPrunerConfig.class, "successive-halving", SuccessiveHalvingPrunerConfig.class));

        /**
         * Creates the pruner.
         *
         * @return the pruner
         */
        Pruner create();
    }

    /** Every trial runs all its epochs. */
    @Doc("No pruning: every trial runs all its epochs.")
    public record NoPrunerConfig() implements PrunerConfig {
        @Override
        public Pruner create() {
            return Pruner.none();
        }
    }

    /**
     * Optuna's MedianPruner.
     *
     * @param startupTrials completed trials before anything is pruned
     * @param warmupEpochs epochs at the start of each trial never pruned
     */
    @Doc("Stops a trial whose best validation AUC so far is below the median of completed trials at that epoch.")
    public record MedianPrunerConfig(
            @Doc("Completed trials needed before any trial is pruned.") @Default("5") int startupTrials,
            @Doc("Epochs at the start of every trial that are never pruned.") @Default("1") int warmupEpochs)
            implements PrunerConfig {
        /** Validates the section. */
        public MedianPrunerConfig {
            nonNegative("startup_trials", startupTrials);
            nonNegative("warmup_epochs", warmupEpochs);
        }

        @Override
        public Pruner create() {
            return new MedianPruner(startupTrials, warmupEpochs);
        }
    }

    /**
     * Asynchronous successive halving.
     *
     * @param minResource epochs before the first rung
     * @param reductionFactor about 1/η of the trials reaching a rung go on
     * @param minEarlyStoppingRate rungs skipped at the start
     */
    @Doc("Successive halving (ASHA): at epochs min_resource·η^k a trial goes on only if in the top 1/η there.")
    public record SuccessiveHalvingPrunerConfig(
            @Doc("Epochs before the first rung.") @Default("1") int minResource,
            @Doc("η: about 1/η of the trials reaching a rung are promoted.") @Default("3") int reductionFactor,
            @Doc("Rungs skipped at the start (s): the first rung is at min_resource·η^s.") @Default("0")
                    int minEarlyStoppingRate) implements PrunerConfig {
        /** Validates the section. */
        public SuccessiveHalvingPrunerConfig {
            Check.positive("min_resource", minResource);
            if (reductionFactor < 2) {
                throw new ConfigValueException("reduction_factor", "must be >= 2, found " + reductionFactor);
            }
            nonNegative("min_early_stopping_rate", minEarlyStoppingRate);
        }

        @Override
        public Pruner create() {
            return new SuccessiveHalvingPruner(minResource, reductionFactor, minEarlyStoppingRate);
        }
    }

    /** One entry of {@code search.space}. */
    public sealed interface ParamConfig extends Variants
            permits LogUniformParam, UniformParam, IntParam, ChoiceParam {
        /** The ranges, by the name written in {@code type}. */
        Variants.Table VARIANTS = new Variants.Table(table("log-uniform", LogUniformParam.class,
                "uniform", UniformParam.class, "int", IntParam.class, "choice", ChoiceParam.class));

        /**
         * Returns the dotted config path the values go to.
         *
         * @return the key
         */
        String key();

        /**
         * Returns the range.
         *
         * @return the distribution
         */
        Distribution distribution();
    }

    /**
     * A log-uniform range.
     *
     * @param key the dotted config path
     * @param low the smallest value
     * @param high the largest value
     */
    @Doc("A real value whose logarithm is uniform: learning rates, weight decay.")
    public record LogUniformParam(@Doc("Dotted config path.") String key, @Doc("Smallest value, > 0.") double low,
            @Doc("Largest value.") double high) implements ParamConfig {
        /** Validates the entry. */
        public LogUniformParam {
            Check.notBlank("key", key);
            Check.positive("low", low);
            above("high", high, low);
        }

        @Override
        public Distribution distribution() {
            return new Distribution.LogUniform(low, high);
        }
    }

    /**
     * A uniform range.
     *
     * @param key the dotted config path
     * @param low the smallest value
     * @param high the largest value
     */
    @Doc("A real value drawn uniformly: dropout, say.")
    public record UniformParam(@Doc("Dotted config path.") String key, @Doc("Smallest value.") double low,
            @Doc("Largest value.") double high) implements ParamConfig {
        /** Validates the entry. */
        public UniformParam {
            Check.notBlank("key", key);
            above("high", high, low);
        }

        @Override
        public Distribution distribution() {
            return new Distribution.Uniform(low, high);
        }
    }

    /**
     * An integer range, both ends included.
     *
     * @param key the dotted config path
     * @param low the smallest value
     * @param high the largest value
     */
    @Doc("An integer drawn uniformly from low to high, both included.")
    public record IntParam(@Doc("Dotted config path.") String key, @Doc("Smallest value.") int low,
            @Doc("Largest value.") int high) implements ParamConfig {
        /** Validates the entry. */
        public IntParam {
            Check.notBlank("key", key);
            if (high < low) {
                throw new ConfigValueException("high", "must be >= low (" + low + "), found " + high);
            }
        }

        @Override
        public Distribution distribution() {
            return new Distribution.IntUniform(low, high);
        }
    }

    /**
     * A choice among values written as YAML text.
     *
     * @param key the dotted config path
     * @param values the values
     */
    @Doc("One of a list of values, each YAML text applied as is; quote lists: values: [\"[]\", \"[64]\"].")
    public record ChoiceParam(@Doc("Dotted config path.") String key,
            @Doc("The values, as YAML text (numbers, words, or quoted lists such as \"[128, 64]\").")
                    List<String> values) implements ParamConfig {
        /** Validates the entry. */
        public ChoiceParam {
            Check.notBlank("key", key);
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new ConfigValueException("values", "must list at least one value");
            }
            if (values.stream().distinct().count() != values.size()) {
                throw new ConfigValueException("values", "must differ, found " + values);
            }
        }

        @Override
        public Distribution distribution() {
            return new Distribution.Choice(values);
        }
    }

    private static void nonNegative(String key, int value) {
        if (value < 0) {
            throw new ConfigValueException(key, "must be >= 0, found " + value);
        }
    }

    private static void above(String key, double high, double low) {
        if (!(high > low) || !Double.isFinite(high)) {
            throw new ConfigValueException(key, "must be > low (" + low + "), found " + high);
        }
    }

    private static Map<String, Class<? extends Record>> table(Object... nameThenClass) {
        Map<String, Class<? extends Record>> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenClass.length; i += 2) {
            @SuppressWarnings("unchecked")
            Class<? extends Record> c = (Class<? extends Record>) nameThenClass[i + 1];
            m.put((String) nameThenClass[i], c);
        }
        return m;
    }
}
