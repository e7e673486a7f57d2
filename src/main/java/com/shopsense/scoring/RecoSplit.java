package com.shopsense.scoring;

import com.shopsense.features.IdHash;
import java.io.Serializable;

/**
 * Which recommender variant serves a user: variant B (the models of {@code reco.variant-b.models-dir})
 * for {@code reco.variant-b.percent} percent of users, chosen by a stable hash of the user id, so a
 * user sees one variant for the whole test and both variants see the same kind of traffic. The hash is
 * salted so that the split does not line up with other per-user hashes (e.g. the replay's planted fraud).
 *
 * @param variantBModelsDir empty: no variant B, every user gets the main recommender
 */
public record RecoSplit(String variantBModelsDir, int variantBPercent) implements Serializable {

    public RecoSplit {
        if (variantBPercent < 0 || variantBPercent > 100) {
            throw new IllegalArgumentException("reco.variant-b.percent must be in 0..100, got " + variantBPercent);
        }
    }

    public static RecoSplit none() {
        return new RecoSplit("", 0);
    }

    public boolean hasVariantB() {
        return variantBModelsDir != null && !variantBModelsDir.isBlank();
    }

    /** The user's bucket in [0, 100). */
    public static int bucket(String userId) {
        return (int) (IdHash.fnv1a32("reco-ab/" + userId) % 100);
    }

    public boolean servesB(String userId) {
        return hasVariantB() && bucket(userId) < variantBPercent;
    }
}
