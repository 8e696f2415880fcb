package dev.embtrain.training.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the command line in-process, as the tests of every job do, and keeps what it printed. */
public final class CliRun {

    private CliRun() {}

    /**
     * What a command did.
     *
     * @param status its exit status
     * @param out what it printed on standard output
     * @param err what it printed on standard error
     */
    public record Result(int status, String out, String err) {}

    /**
     * Runs {@code embtrain ARGS}.
     *
     * @param args the arguments, command first
     * @return the status and both outputs
     */
    public static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Trains a config that must be refused: exit with exactly {@code embtrain: message} on stderr
     * ({@code CONFIG} in it stands for the config file's path) and no run directory.
     *
     * @param tmp where the config and the would-be run go
     * @param body the config after its name
     * @param message the expected message
     * @throws java.io.IOException when the config cannot be written
     */
    public static void assertRefused(java.nio.file.Path tmp, String body, String message) throws java.io.IOException {
        java.nio.file.Path config = java.nio.file.Files.writeString(tmp.resolve("c.yaml"), "name: bad\n" + body);
        Result r = run("train", config.toString(), "--run-dir", tmp.resolve("run").toString());
        org.junit.jupiter.api.Assertions.assertEquals("embtrain: " + message.replace("CONFIG", config.toString())
                + "\n", r.err());
        org.junit.jupiter.api.Assertions.assertFalse(java.nio.file.Files.exists(tmp.resolve("run")));
    }
}
