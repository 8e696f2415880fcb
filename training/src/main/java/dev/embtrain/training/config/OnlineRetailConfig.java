package dev.embtrain.training.config;

import dev.embtrain.datasets.retail.OnlineRetail;
import java.nio.file.Path;

/**
 * The UCI Online Retail transactions, grouped into purchase sessions for item2vec.
 *
 * @param path the {@code .xlsx} UCI serves, or a {@code .csv} / {@code .csv.xz} export
 * @param by what a session is: a customer's rows or an invoice's
 * @param dropCancellations drop rows of invoices starting with C
 * @param dropNonPositiveQuantity drop rows with quantity &lt;= 0
 * @param minRows the fewest rows a session keeps
 * @param minCount the fewest occurrences an item needs to get a vector
 * @param evaluation the held-out next-item pairs
 */
@Doc("UCI Online Retail transactions (.xlsx, .csv or .csv.xz) as purchase sessions, for item2vec; item labels are"
        + " the descriptions.")
public record OnlineRetailConfig(
        @Doc("The .xlsx UCI serves, or a .csv / .csv.xz with the same columns.") Path path,
        @Doc("customer: a customer's rows in file order (the common protocol: 4,234 sessions); invoice: one basket.")
                @Default("customer") OnlineRetail.SessionBy by,
        @Doc("Drop rows of cancelled invoices (InvoiceNo starting with C).") @Default("false")
                boolean dropCancellations,
        @Doc("Drop rows whose Quantity is <= 0.") @Default("false") boolean dropNonPositiveQuantity,
        @Doc("Keep sessions with at least this many rows (after dropping rows with an empty field).")
                @Default("3") int minRows,
        @Doc("Items seen fewer times in the training sessions get no vector (they map to unknown; gensim's"
                        + " min_count).")
                @Default("1") int minCount,
        @Doc("The held-out next-item pairs.") @Default("{}") EvaluationConfig evaluation)
        implements SessionsDatasetConfig {

    /** Validates the section. */
    public OnlineRetailConfig {
        if (path == null) {
            throw new ConfigValueException("path", "required key is missing");
        }
        Check.positive("min_rows", minRows);
        Check.positive("min_count", minCount);
    }

    /**
     * Returns the session options of the reader.
     *
     * @return the options
     */
    public OnlineRetail.Options options() {
        return new OnlineRetail.Options(by, dropCancellations, dropNonPositiveQuantity, minRows);
    }
}
