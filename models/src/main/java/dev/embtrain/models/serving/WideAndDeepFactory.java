package dev.embtrain.models.serving;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import dev.embtrain.models.WideAndDeep;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds a {@link WideAndDeep} for DJL Serving from {@code serving.properties}: {@code fields}
 * ({@code name:size:width:slots,...} in column order), {@code dense_width}, {@code layers}
 * (comma-separated, may be empty), {@code dropout}, {@code batch_norm}, {@code head} (binary or
 * regression) and, for a regression, {@code y_lo}, {@code y_hi}.
 */
public final class WideAndDeepFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    /** {@inheritDoc} */
    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) {
        List<WideAndDeep.Field> fields = new ArrayList<>();
        for (String[] f : FactorizationMachineFactory.pairs(Arguments.string(arguments, "fields"))) {
            fields.add(new WideAndDeep.Field(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                    Integer.parseInt(f[3])));
        }
        List<Integer> layers = new ArrayList<>();
        for (String s : Arguments.string(arguments, "layers").split(",")) {
            if (!s.isBlank()) {
                layers.add(Integer.parseInt(s.trim()));
            }
        }
        WideAndDeep.Builder b = WideAndDeep.builder()
                .setFields(fields)
                .optDenseWidth(Arguments.integer(arguments, "dense_width"))
                .optLayers(layers)
                .optDropout(Arguments.number(arguments, "dropout"))
                .optBatchNorm(Boolean.parseBoolean(Arguments.string(arguments, "batch_norm")))
                // Directories written before the deep-only variant existed have no "wide" key.
                .optWide(!"false".equals(arguments.get("wide")));
        if (Arguments.string(arguments, "head").equals("binary")) {
            b.optBinary();
        } else {
            b.optRegression(Arguments.number(arguments, "y_lo"), Arguments.number(arguments, "y_hi"));
        }
        return b.build();
    }
}
