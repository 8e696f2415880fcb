package dev.embtrain.training.cli;

import dev.embtrain.training.export.Neighbors;
import dev.embtrain.training.kinds.Command;
import dev.embtrain.training.run.SavedRun;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code embtrain neighbors}: the rows nearest to one row of a trained table, or across tables. */
final class NeighborsCommand extends CliCommand {

    NeighborsCommand(PrintStream out, PrintStream err) {
        super("neighbors", out, err);
    }

    @Override
    int run(String[] args) throws Exception {
        Options options = new Options()
                .addOption(Option.builder().longOpt("run").hasArg().argName("DIR").required()
                        .desc("a run directory written by embtrain train").build())
                .addOption(Option.builder().longOpt("table").hasArg().argName("NAME")
                        .desc("the table to search (default item), or all: every table as wide as the query's,"
                                + " queried as table:label; a run lists its tables on error").build())
                .addOption(Option.builder().longOpt("query").hasArg().argName("LABEL").required()
                        .desc("the row's label or id, e.g. a movie title, a user id, a product description or"
                                + " StockCode").build())
                .addOption(Option.builder("k").hasArg().argName("N").desc("how many neighbours (default 10)").build())
                .addOption(Option.builder().longOpt("help").desc("this text").build());
        if (Arrays.asList(args).contains("--help")) {
            help("neighbors --run DIR --query LABEL [--table NAME] [-k N]",
                    "Prints the rows most cosine-similar to one row of a trained embedding table.", options,
                    "Example: ./embtrain neighbors --run runs/movielens-dot-bias --table item"
                            + " --query \"Star Wars (1977)\" -k 10\nAcross tables: ./embtrain neighbors --run"
                            + " runs/movielens-dot-bias --table all --query \"item:Star Wars (1977)\"");
            return 0;
        }
        CommandLine cl = new DefaultParser().parse(options, args);
        int k = positive("neighbors: -k", cl.getOptionValue("k", "10"));
        String table = cl.getOptionValue("table", "item");
        try (SavedRun run = SavedRun.open(Path.of(cl.getOptionValue("run")))) {
            require(run, Command.NEIGHBORS, "");
            List<Neighbors.Table> tables;
            try {
                tables = run.tables();
            } catch (IllegalArgumentException e) {
                throw new UsageException("neighbors: " + e.getMessage());
            }
            if (table.equals(ALL_TABLES)) {
                // Cosine between one-number rows is only their sign: such tables take no part.
                return printAcrossTables(tables.stream().filter(t -> t.vectors().length > 0
                        && t.vectors()[0].length >= 2).toList(), cl.getOptionValue("query"), k);
            }
            List<String> names = tables.stream().map(Neighbors.Table::name).toList();
            Neighbors.Table t = tables.stream().filter(x -> x.name().equals(table)).findFirst().orElseThrow(() ->
                    new UsageException("neighbors: no table \"" + table + "\" in this run; its tables are " + names));
            int query;
            try {
                query = run.findRow(t, cl.getOptionValue("query"));
            } catch (IllegalArgumentException e) {
                throw new UsageException("neighbors: " + e.getMessage());
            }
            if (t.vectors()[0].length < 2) {
                // Cosine between 1-D rows is only their sign: every row would tie with half the table.
                throw new UsageException("neighbors: table " + table + " holds one number per row, so cosine"
                        + " similarity means nothing; sort embeddings/" + table + ".tsv instead, or pick one of "
                        + names);
            }
            List<Neighbors.Neighbor> found = Neighbors.nearest(t.vectors(), t.labels(), query, k, t.exclude());
            out.println("nearest to \"" + t.labels().get(query) + "\" in table " + table + " (cosine similarity):");
            for (Neighbors.Neighbor n : found) {
                out.println(String.format(Locale.ROOT, "%8.4f  %s", n.cosine(), n.label()));
            }
        }
        return 0;
    }

    /** The --table value that searches every table as wide as the query's (feat2vec's kNN over all values). */
    static final String ALL_TABLES = "all";

    private int printAcrossTables(List<Neighbors.Table> all, String query, int k) {
        int[] at;
        try {
            at = Neighbors.findQualifiedLabel(all, query);
        } catch (IllegalArgumentException e) {
            throw new UsageException("neighbors: " + e.getMessage());
        }
        Neighbors.Table home = all.get(at[0]);
        // Tables of other widths live in other spaces (fastai's rule sizes user and item apart).
        int width = home.vectors()[0].length;
        List<Neighbors.Table> same = all.stream().filter(t -> t.vectors()[0].length == width).toList();
        if (at[1] == 0 && home.exclude().contains(0)) {
            throw new UsageException("neighbors: row 0 of table " + home.name() + " is the unknown slot;"
                    + " query a trained value");
        }
        List<Neighbors.TableNeighbor> found = Neighbors.nearestAcross(same, home.name(), at[1], k);
        out.println("nearest to \"" + home.name() + ":" + home.labels().get(at[1]) + "\" in tables "
                + same.stream().map(Neighbors.Table::name).toList() + " (cosine similarity):");
        for (Neighbors.TableNeighbor n : found) {
            out.println(String.format(Locale.ROOT, "%8.4f  %s", n.cosine(), n.qualifiedLabel()));
        }
        return 0;
    }

}
