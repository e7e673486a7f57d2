package com.shopsense.testing;

import com.shopsense.scoring.Recommendation;
import com.shopsense.scoring.UserScoreUpdate;
import java.util.ArrayList;
import java.util.List;

/** Deterministic streams of sink input: in order per user where the job guarantees it, stale records elsewhere. */
public final class RedisTestData {
    public static final long T0 = 1_700_000_000_000L;

    private RedisTestData() {
    }

    /** Recommendation of generation {@code gen}: k items "g{gen}-i{j}", generatedAt grows with gen. */
    public static Recommendation reco(String user, int gen, int k) {
        String[] ids = new String[k];
        float[] scores = new float[k];
        for (int j = 0; j < k; j++) {
            ids[j] = "g" + gen + "-i" + j;
            scores[j] = 1f - j / (float) (k + 1);
        }
        return new Recommendation(user, ids, scores, Recommendation.MODEL, "recommend", "v" + (gen % 3), T0 + gen * 1000L, "e-" + user + "-" + gen,
                new String[] {"seen-" + gen});
    }

    /**
     * {@code n} recommendations over {@code users} users, generation i / users: in order per user, as the job's
     * ordered recommend call delivers them (the sink writes them plainly, the last one wins).
     */
    public static List<Recommendation> recos(int users, int n, int k) {
        List<Recommendation> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(reco("u" + (i % users), i / users, k));
        }
        return out;
    }

    /** In-order intent update of generation {@code gen} (written plainly, as the job's intent stream is). */
    public static UserScoreUpdate intent(String user, int gen) {
        return new UserScoreUpdate(user, new String[] {"intent", "intentModel"},
                new String[] {String.format("%.4f", (gen % 97) / 97.0), "intent:v" + (gen % 2)}, T0 + gen * 1000L, true);
    }

    /**
     * Score updates of {@code n} events over {@code users} users: an intent update per event, in order per user;
     * after it a churn update every 3rd generation and a segment update every 5th (script writes, which may
     * arrive out of order: every 9th event's are stale, 3 generations old).
     */
    public static List<UserScoreUpdate> scores(int users, int n) {
        List<UserScoreUpdate> out = new ArrayList<>(n + n / 2);
        for (int i = 0; i < n; i++) {
            String u = "u" + (i % users);
            int gen = i / users;
            out.add(intent(u, gen));
            int g = i % 9 == 8 && gen > 3 ? gen - 3 : gen;
            if (g % 3 == 0) {
                out.add(new UserScoreUpdate(u, new String[] {"churn"}, new String[] {String.format("%.4f", (g % 13) / 13.0)},
                        T0 + g * 1000L));
            }
            if (g % 5 == 0) {
                out.add(new UserScoreUpdate(u, new String[] {"segment"}, new String[] {"seg" + (g % 4)}, T0 + g * 1000L));
            }
        }
        return out;
    }
}
