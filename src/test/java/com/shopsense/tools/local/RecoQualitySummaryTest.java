package com.shopsense.tools.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.feedback.RecoAbTotals;
import com.shopsense.feedback.RecoQuality;
import com.shopsense.sink.RedisKeys;
import com.shopsense.sink.RedisWrites;
import com.shopsense.sink.ScriptWrite;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The summary prints, per version and source, the online quality fields the job writes to the A/B hash. */
class RecoQualitySummaryTest {

    /** The hash the job's A/B write leaves in Redis (field/value pairs after the sequence and the TTL). */
    private static Map<String, String> hashOf(RecoAbTotals t) {
        List<String> args = ((ScriptWrite) RedisWrites.recoAb(t, new RedisKeys("p"), 1_000)).args();
        Map<String, String> hash = new HashMap<>();
        for (int i = 2; i < args.size(); i += 2) {
            hash.put(args.get(i), args.get(i + 1));
        }
        return hash;
    }

    @Test
    void onlineHitRateAndMrrPerVersionAndSource() {
        // Version v1: 4 model lists, hits at ranks 1 and 4; 2 trending lists, a hit at rank 2.
        RecoQuality model = new RecoQuality(4, 2, RecoQuality.RR_UNIT + RecoQuality.RR_UNIT / 4);
        RecoQuality trending = new RecoQuality(2, 1, RecoQuality.RR_UNIT / 2);
        Map<String, Map<String, String>> byVersion = new TreeMap<>();
        byVersion.put("v1", hashOf(new RecoAbTotals("v1", 10, 1, 0, 17, model, trending)));
        byVersion.put("v2", hashOf(new RecoAbTotals("v2", 3, 0, 0, 3)));

        List<String> lines = RecoQualitySummary.lines(byVersion);

        assertThat(lines).hasSize(1 + 2 * 3);
        assertThat(lines.get(1)).contains("v1", "model", "4 lists", "2 hits", "HitRate@20 0.5000",
                "MRR@20 " + String.format(java.util.Locale.ROOT, "%.4f", (1 + 0.25) / 4));
        assertThat(lines.get(2)).contains("v1", "trending", "2 lists", "1 hits", "HitRate@20 0.5000", "MRR@20 0.2500");
        assertThat(lines.get(3)).contains("v1", "all", "6 lists", "3 hits", "HitRate@20 0.5000",
                "MRR@20 " + String.format(java.util.Locale.ROOT, "%.4f", (1 + 0.25 + 0.5) / 6));
        assertThat(lines.get(4)).contains("v2", "model", "0 lists", "HitRate@20 0.0000");
    }

    @Test
    void saysSoWhenNoVersionWroteAnything() {
        assertThat(RecoQualitySummary.lines(Map.of())).contains("  no recommender version in Redis");
    }
}
