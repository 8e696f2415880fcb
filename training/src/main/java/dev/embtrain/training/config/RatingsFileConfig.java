package dev.embtrain.training.config;

import dev.embtrain.datasets.tables.RatingsFile;
import java.nio.file.Path;
import java.util.List;

/**
 * A user's own ratings table: CSV, TSV or Parquet, its columns named, never taken by position.
 *
 * @param path the file
 * @param columns which columns hold the user, item, rating and timestamp
 * @param split how rows are split
 * @param users the users' feature table, or null
 * @param items the items' feature table, or null
 * @param features the fields to encode
 * @param crosses hashed crosses of those fields
 * @param label the label
 * @param evaluation the ranking metrics on the validation split
 */
@Doc("A ratings table of your own: .csv, .tsv or .parquet (.csv.gz and .tsv.gz too), one row a rating, its columns"
        + " named under columns.")
public record RatingsFileConfig(
        @Doc("The file: .csv or .tsv with a header line, or .parquet; or a directory written by embtrain spark"
                + " prepare.") Path path,
        @Doc("Which columns hold the user, item, rating and (optionally) timestamp.") @Default("{}")
                RatingsColumnsConfig columns,
        @Doc("How ratings are split into training and validation.") @Default("{}") SplitConfig split,
        @Doc("A table of user features joined by user id; absent: none.") @Default("null") SideTableConfig users,
        @Doc("A table of item features joined by item id; absent: none.") @Default("null") SideTableConfig items,
        @Doc("Fields to encode, by name: user, item and the feature columns of users and items.")
                @Default("[user, item]") List<String> features,
        @Doc("Hashed feature crosses of those fields, e.g. [{fields: [user, item], buckets: 10000}].")
                @Default("[]") List<CrossConfig> crosses,
        @Doc("What is predicted: the rating or a binary rating >= threshold (threshold: 1 for a 0/1 column).")
                @Default("{}") LabelConfig label,
        @Doc("Ranking metrics on the validation split; an implicit label always ranks.") @Default("{}")
                RatingsEvaluationConfig evaluation)
        implements RatingsDatasetConfig {

    /** Validates the section. */
    public RatingsFileConfig {
        if (path == null) {
            throw new ConfigValueException("path", "required key is missing");
        }
        features = List.copyOf(features);
        crosses = List.copyOf(crosses);
    }

    /**
     * The columns the table is read by: those under columns, and the split column where
     * {@code split.type: column} names one. The file reader and embtrain spark prepare both take these.
     *
     * @return the column names
     */
    public RatingsFile.Columns tableColumns() {
        return new RatingsFile.Columns(columns.user(), columns.item(), columns.rating(), columns.timestamp(),
                split.type() == SplitConfig.SplitType.COLUMN ? split.column() : null);
    }
}
