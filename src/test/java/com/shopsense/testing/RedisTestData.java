package com.shopsense.testing;

import com.shopsense.scoring.Recommendation;
import com.shopsense.scoring.UserScoreUpdate;
import java.util.ArrayList;
import java.util.List;

/** Deterministic streams of sink input, with stale (older, replayed) records mixed in. */
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
        return new Recommendation(user, ids, scores, "recommend", "v" + (gen % 3), T0 + gen * 1000L, "e-" + user + "-" + gen);
    }

    /** {@code n} recommendations over {@code users} users; every 7th is a stale repeat of an older generation. */
    public static List<Recommendation> recos(int users, int n, int k) {
        List<Recommendation> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String u = "u" + (i % users);
            int gen = i / users;
            out.add(i % 7 == 6 && gen > 2 ? reco(u, gen - 2, k) : reco(u, gen, k));
        }
        return out;
    }

    /** Partial score updates: intent always, churn every 3rd, segment every 5th; every 9th one is stale. */
    public static List<UserScoreUpdate> scores(int users, int n) {
        List<UserScoreUpdate> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String u = "u" + (i % users);
            int gen = i / users;
            int g = i % 9 == 8 && gen > 3 ? gen - 3 : gen;
            List<String> f = new ArrayList<>(List.of("intent"));
            List<String> v = new ArrayList<>(List.of(String.format("%.4f", (g % 97) / 97.0)));
            if (g % 3 == 0) {
                f.add("churn");
                v.add(String.format("%.4f", (g % 13) / 13.0));
            }
            if (g % 5 == 0) {
                f.add("segment");
                v.add("seg" + (g % 4));
            }
            out.add(new UserScoreUpdate(u, f.toArray(new String[0]), v.toArray(new String[0]), T0 + g * 1000L));
        }
        return out;
    }
}
