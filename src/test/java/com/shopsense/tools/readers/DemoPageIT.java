package com.shopsense.tools.readers;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.scoring.AlertIds;
import com.shopsense.scoring.FraudAlert;
import com.shopsense.scoring.Recommendation;
import com.shopsense.scoring.UserScoreUpdate;
import com.shopsense.sink.RedisBatchWriter;
import com.shopsense.sink.RedisSettings;
import com.shopsense.sink.RedisWrites;
import com.shopsense.testing.SharedRedis;
import com.sun.net.httpserver.HttpServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The storefront demo page, rendered by a real headless Chromium, shows what the job wrote to Redis. */
@ExtendWith(SharedRedis.class)
class DemoPageIT {
    @TempDir
    Path profile;

    @Test
    void thePageShowsRecommendationsScoresAndAlertsOfTheChosenUser() throws Exception {
        RedisSettings s = SharedRedis.settings("demo");
        try (RedisBatchWriter w = new RedisBatchWriter(s.createClient("demo"), s, new RedisBatchWriter.Listener() { })) {
            w.add(RedisWrites.recommendation(new Recommendation("u-demo", new String[] {"item-777", "item-888"},
                    new float[] {0.9f, 0.4f}, Recommendation.MODEL, "recommend", "v1", 1_700_000_000_000L, "e1", new String[] {"item-5"}), s.keys(), s));
            w.add(RedisWrites.scores(new UserScoreUpdate("u-demo", new String[] {"intent"}, new String[] {"0.4321"},
                    1_700_000_000_000L), s.keys(), s));
            w.add(RedisWrites.alert(new FraudAlert(AlertIds.of("p1", "v1"), "u-demo", "p1", 0.97, 0.5, "fraud", "v1",
                    new String[] {"AMOUNT_8X_MEDIAN"}, 1_700_000_000_000L, 1_700_000_000_500L, "m1", 912.5, null, null),
                    s.keys(), s));
            w.flush();
        }
        try (StorefrontReader reader = new StorefrontReader(s, List.of(), 20)) {
            HttpServer server = reader.serve(0);
            try {
                String dom = renderWithChromium("http://127.0.0.1:" + server.getAddress().getPort() + "/?user=u-demo");
                assertThat(dom).contains("item-777").contains("item-888");
                assertThat(dom).contains("0.4321");
                assertThat(dom).contains("AMOUNT_8X_MEDIAN").contains("912.5");
                assertThat(dom).contains("<span id=\"current\" class=\"muted\">u-demo</span>");
            } finally {
                server.stop(0);
            }
        }
    }

    private String renderWithChromium(String url) throws Exception {
        String chromium = Files.isExecutable(Path.of("/usr/bin/chromium")) ? "/usr/bin/chromium" : "chromium";
        Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--virtual-time-budget=8000", "--dump-dom", url)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }
}
