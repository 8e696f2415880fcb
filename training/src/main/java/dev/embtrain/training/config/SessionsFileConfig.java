package dev.embtrain.training.config;

import dev.embtrain.datasets.tables.SessionsFile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A user's own sessions: a table of events (CSV, TSV or Parquet) or a text file with one session a
 * line.
 *
 * @param path the file
 * @param columns which columns hold the session, item, order and label (tables only)
 * @param labels a table of item labels, or null
 * @param minLength the fewest items a session keeps
 * @param minCount the fewest occurrences an item needs to get a vector
 * @param evaluation the held-out next-item pairs
 */
@Doc("Sessions of your own, for item2vec: a table of events (.csv, .tsv, .parquet; .csv.gz and .tsv.gz too), one row"
        + " an item in a session, its columns named under columns; or a .txt (.txt.gz) with one session a line, items"
        + " separated by spaces, as gensim's LineSentence reads it.")
public record SessionsFileConfig(
        @Doc("The file, or a directory written by embtrain spark prepare.") Path path,
        @Doc("Which columns hold the session, the item and (optionally) the order and the item's label; a .txt file"
                        + " has none.")
                @Default("{}") SessionsColumnsConfig columns,
        @Doc("A table of item labels joined by item id; absent: columns.label, else the id.") @Default("null")
                ItemLabelsConfig labels,
        @Doc("Keep sessions of at least this many items (one item trains nothing and cannot be held out).")
                @Default("2") int minLength,
        @Doc("Items seen fewer times in the training sessions get no vector (they map to unknown; gensim's"
                        + " min_count).")
                @Default("1") int minCount,
        @Doc("The held-out next-item pairs.") @Default("{}") EvaluationConfig evaluation)
        implements SessionsDatasetConfig {

    /** Validates the section. */
    public SessionsFileConfig {
        if (path == null) {
            throw new ConfigValueException("path", "required key is missing");
        }
        Check.positive("min_length", minLength);
        Check.positive("min_count", minCount);
    }

    /**
     * The columns a table of events is read by, for the file reader and embtrain spark prepare.
     *
     * @return the column names
     */
    public SessionsFile.Columns tableColumns() {
        return new SessionsFile.Columns(columns.session(), columns.item(), columns.order(), columns.label());
    }

    @Override
    public Map<String, String> unreadKeys() {
        Map<String, String> unread = new LinkedHashMap<>();
        if (SessionsFile.isText(path)) {
            unread.put("columns", "a .txt file holds one session a line and has no columns; remove it, or point"
                    + " dataset.path at a table");
        }
        return unread;
    }
}
