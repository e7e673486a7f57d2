package com.shopsense.feedback;

/** A recommendation list a user was shown, kept for attribution; a Flink POJO. */
public class RecoShownList {
    public long generatedAt;
    public String modelVersion;
    public String[] itemIds;

    public RecoShownList() {
    }

    RecoShownList(long generatedAt, String modelVersion, String[] itemIds) {
        this.generatedAt = generatedAt;
        this.modelVersion = modelVersion;
        this.itemIds = itemIds;
    }

    boolean contains(String itemId) {
        for (String i : itemIds) {
            if (i.equals(itemId)) {
                return true;
            }
        }
        return false;
    }
}
