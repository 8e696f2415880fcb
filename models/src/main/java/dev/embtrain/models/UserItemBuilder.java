package dev.embtrain.models;

import java.util.List;

/**
 * What every builder of a user-item rating model takes: the batch's fields, the vocabulary
 * sizes, the output range and the embeddings' initialisation, with one set of checks.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class UserItemBuilder<B extends UserItemBuilder<B>> {

    List<String> fields = List.of("user", "item");
    String userField = "user";
    String itemField = "item";
    int numUsers = -1;
    int numItems = -1;
    float lo = 0f;
    float hi = 5.5f;
    float initStd = 0.01f;
    Head head = Head.REGRESSION;

    UserItemBuilder() {}

    /**
     * Returns this builder as its concrete type.
     *
     * @return this
     */
    protected abstract B self();

    /**
     * Sets the vocabulary sizes, unknown slot included; they come from the data.
     *
     * @param numUsers rows of the user tables
     * @param numItems rows of the item tables
     * @return this builder
     */
    public B setVocabularySizes(int numUsers, int numItems) {
        this.numUsers = numUsers;
        this.numItems = numItems;
        return self();
    }

    /**
     * Sets the batch's categorical fields in column order (default {@code [user, item]}).
     *
     * @param fields the field names
     * @return this builder
     */
    public B optFields(List<String> fields) {
        this.fields = List.copyOf(fields);
        return self();
    }

    /**
     * Names the user and item fields (default {@code user}, {@code item}).
     *
     * @param userField the user field
     * @param itemField the item field
     * @return this builder
     */
    public B optUserItemFields(String userField, String itemField) {
        this.userField = userField;
        this.itemField = itemField;
        return self();
    }

    /**
     * Sets the output range (default [0, 5.5], fastai's for 1–5 star ratings: a little above 5
     * so that a sigmoid can reach 5).
     *
     * @param lo lower end
     * @param hi upper end
     * @return this builder
     */
    public B optYRange(float lo, float hi) {
        this.lo = lo;
        this.hi = hi;
        return self();
    }

    /**
     * Sets what the output is: a value in the sigmoid range (the default), or the raw score,
     * a logit (a binary label, or implicit feedback ranked by BPR or cross-entropy).
     *
     * @param head the head
     * @return this builder
     */
    public B optHead(Head head) {
        this.head = java.util.Objects.requireNonNull(head, "head");
        return self();
    }

    /**
     * Sets the standard deviation of the embeddings' normal initialisation (default 0.01).
     *
     * @param initStd the standard deviation, &gt; 0
     * @return this builder
     */
    public B optInitStd(float initStd) {
        this.initStd = initStd;
        return self();
    }

    /**
     * Checks the values every user-item model needs.
     *
     * @throws IllegalArgumentException naming the first bad value
     */
    void validate() {
        if (numUsers < 2 || numItems < 2) {
            throw new IllegalArgumentException("vocabulary sizes must be >= 2 (unknown + one id), found users="
                    + numUsers + ", items=" + numItems);
        }
        if (!(initStd > 0) || !Float.isFinite(initStd)) {
            throw new IllegalArgumentException("init_std must be > 0, found " + initStd);
        }
        SigmoidRange.validate(lo, hi);
    }
}
