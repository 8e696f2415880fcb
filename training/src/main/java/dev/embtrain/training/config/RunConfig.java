package dev.embtrain.training.config;

import java.util.regex.Pattern;

/**
 * One training run, as written in YAML: what data, which model, how to train, what to export.
 *
 * @param name the run's name, also its directory under {@code runs/}
 * @param seed the seed for initialisation and batch order
 * @param dataset where the data comes from
 * @param model the model and its hyperparameters
 * @param training epochs, batches, optimizer, schedule, device
 * @param export what is written after training
 * @param search the hyperparameter search, or null for none
 */
@Doc("One training run: data, model, training, export.")
public record RunConfig(
        @Doc("Name of the run; its directory is runs/<name>.") String name,
        @Doc("Seed for initialisation and batch order.") @Default("42") long seed,
        @Doc("Where the data comes from (see dataset types).") DatasetConfig dataset,
        @Doc("The model (see model types).") ModelConfig model,
        @Doc("How to train.") @Default("{}") TrainingConfig training,
        @Doc("What to write after training.") @Default("{}") ExportConfig export,
        @Doc("Optional hyperparameter search over config keys, for every kind of run; absent: one run.")
                @Default(ConfigBinder.OPTIONAL) SearchConfig search) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** Validates the run. */
    public RunConfig {
        Check.notBlank("name", name);
        if (!NAME.matcher(name).matches()) {
            throw new ConfigValueException(
                    "name", "expected letters, digits, '.', '_' or '-' (it names a directory), found \"" + name + "\"");
        }
        if (dataset == null) {
            throw new ConfigValueException("dataset", "required section is missing");
        }
        if (model == null) {
            throw new ConfigValueException("model", "required section is missing");
        }
    }
}
