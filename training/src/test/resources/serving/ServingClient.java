import ai.djl.inference.Predictor;
import ai.djl.modality.Input;
import ai.djl.modality.Output;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads an exported model directory the way DJL Serving does, in a JVM whose classpath holds
 * DJL's jars only, and answers one JSON request per line of a file: "code TAB body" per line.
 * Run by ServingExportTest as a single-file source program.
 */
public class ServingClient {
    public static void main(String[] args) throws Exception {
        Criteria<Input, Output> criteria = Criteria.builder()
                .setTypes(Input.class, Output.class)
                .optModelPath(Path.of(args[0]))
                .optEngine("PyTorch")
                .build();
        try (ZooModel<Input, Output> model = criteria.loadModel();
                Predictor<Input, Output> predictor = model.newPredictor()) {
            for (String request : Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8)) {
                Input input = new Input();
                input.add(request);
                Output output = predictor.predict(input);
                System.out.println(output.getCode() + "\t" + output.getData().getAsString());
            }
        }
        // The classes it could not see: proof that nothing of embtrain was on the classpath.
        try {
            Class.forName("dev.embtrain.models.DotProductBias");
            System.out.println("LEAK\tembtrain classes are on the client's classpath");
        } catch (ClassNotFoundException expected) {
            System.out.println("CLEAN");
        }
    }
}
