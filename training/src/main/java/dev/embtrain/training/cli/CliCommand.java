package dev.embtrain.training.cli;

import dev.embtrain.training.config.ConfigLoader;
import dev.embtrain.training.kinds.Command;
import dev.embtrain.training.kinds.RunKind;
import dev.embtrain.training.run.SavedRun;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Options;

/**
 * One {@code embtrain} command: its name, its options and what it does; {@link Main}
 * dispatches on the name and turns what it throws into an exit status.
 */
abstract class CliCommand {

    /** The name typed after {@code embtrain}. */
    final String name;
    /** Standard output: results and help. */
    final PrintStream out;
    /** Standard error: progress bars. */
    final PrintStream err;

    CliCommand(String name, PrintStream out, PrintStream err) {
        this.name = name;
        this.out = out;
        this.err = err;
    }

    /**
     * Runs the command.
     *
     * @param args the arguments after its name
     * @return the exit status
     * @throws Exception mapped to an exit status by {@link Main}
     */
    abstract int run(String[] args) throws Exception;

    /**
     * Loads the one CONFIG file a command names, with its {@code --set} overrides.
     *
     * @param cl the parsed command line, with a {@code set} option
     * @return the config
     * @throws UsageException when there is not exactly one positional argument
     */
    final ConfigLoader.Loaded loadConfig(CommandLine cl) {
        List<String> positional = cl.getArgList();
        if (positional.size() != 1) {
            throw new UsageException(name + ": expected one CONFIG file, found " + positional.size()
                    + (positional.isEmpty() ? "" : " " + positional) + " (embtrain " + name + " --help)");
        }
        String[] sets = cl.getOptionValues("set");
        return ConfigLoader.load(Path.of(positional.get(0)), sets == null ? List.of() : List.of(sets));
    }

    /** Prints a command's help: usage line, what it does, its options, an example. */
    final void help(String usage, String what, Options options, String example) {
        PrintWriter pw = new PrintWriter(out);
        new HelpFormatter().printHelp(pw, 100, "embtrain " + usage, what, options, 2, 2, example);
        pw.flush();
    }

    /**
     * Refuses a command that a run's kind does not support: a usage error naming the commands it has.
     *
     * @param run the run
     * @param command the command
     * @param why what does support it, appended to the message, or empty
     */
    static void require(SavedRun run, Command command, String why) {
        RunKind kind = run.kind();
        if (!kind.commands().contains(command)) {
            throw new UsageException(command.cli() + ": " + run.dir() + " is a " + kind.name() + " run, which supports "
                    + kind.commands().stream().map(Command::cli).collect(java.util.stream.Collectors.joining(", "))
                    + why);
        }
    }

    /**
     * Parses a whole number &gt; 0 given on the command line.
     *
     * @param option the command and option, for the message ({@code predict: --batch})
     * @param value what was given
     * @return the number
     * @throws UsageException naming the option when it is not a whole number &gt; 0
     */
    static int positive(String option, String value) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new UsageException(option + " expects a whole number, found \"" + value + "\"");
        }
        if (n < 1) {
            throw new UsageException(option + " must be > 0, found " + n);
        }
        return n;
    }

}
