package dev.embtrain.models.serving;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import dev.embtrain.models.CategoricalField;
import dev.embtrain.models.DenseGroup;
import dev.embtrain.models.FactorizationMachine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds a {@link FactorizationMachine} for DJL Serving from {@code serving.properties}:
 * {@code fields} ({@code name:size,...} in column order), {@code dense_groups}
 * ({@code name:width,...}, may be empty), {@code factors}, {@code modes}
 * ({@code name:BIAS_ONLY,...}, may be empty), {@code global_bias}, {@code head} (binary or
 * regression) and, for a regression, {@code y_lo}, {@code y_hi}.
 */
public final class FactorizationMachineFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    /** {@inheritDoc} */
    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) {
        List<CategoricalField> fields = new ArrayList<>();
        for (String[] f : pairs(Arguments.string(arguments, "fields"))) {
            fields.add(new CategoricalField(f[0], Integer.parseInt(f[1])));
        }
        List<DenseGroup> groups = new ArrayList<>();
        for (String[] g : pairs(Arguments.string(arguments, "dense_groups"))) {
            groups.add(new DenseGroup(g[0], Integer.parseInt(g[1])));
        }
        FactorizationMachine.Builder b = FactorizationMachine.builder()
                .setCategoricalFields(fields)
                .optDenseGroups(groups)
                .setFactors(Arguments.integer(arguments, "factors"))
                .optGlobalBias(Boolean.parseBoolean(Arguments.string(arguments, "global_bias")));
        for (String[] m : pairs(Arguments.string(arguments, "modes"))) {
            b.optFieldMode(m[0], FactorizationMachine.Mode.valueOf(m[1]));
        }
        if (Arguments.string(arguments, "head").equals("binary")) {
            b.optBinary();
        } else {
            b.optRegression(Arguments.number(arguments, "y_lo"), Arguments.number(arguments, "y_hi"));
        }
        return b.build();
    }

    /** Splits {@code a:1,b:2} into {@code [a, 1], [b, 2]}; an empty string gives none. */
    static List<String[]> pairs(String list) {
        List<String[]> out = new ArrayList<>();
        for (String item : list.split(",")) {
            if (!item.isBlank()) {
                out.add(item.trim().split(":"));
            }
        }
        return out;
    }
}
