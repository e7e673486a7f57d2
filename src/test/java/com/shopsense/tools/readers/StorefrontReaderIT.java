package com.shopsense.tools.readers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.scoring.Recommendation;
import com.shopsense.scoring.UserScoreUpdate;
import com.shopsense.sink.RedisBatchWriter;
import com.shopsense.sink.RedisSettings;
import com.shopsense.sink.RedisWrites;
import com.shopsense.tools.local.RedisServerProcess;
import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storefront HTTP endpoint against a real redis-server of its own (so it can be stopped and
 * stalled without disturbing other tests): ids are decoded exactly once, and a stalled or gone Redis
 * answers 503 with a JSON body within the client timeout, not an empty reply.
 */
class StorefrontReaderIT {
    /** Ids that a double decode, a form decode or a naive path split would get wrong. */
    static final List<String> IDS = List.of("a+b", "a b", "100%", "%41", "a/b", "用户42", "😀 shopper", "x%2By");

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;
    private RedisServerProcess redis;
    private StorefrontReader reader;
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServerProcess.start(dir);
        RedisSettings s = RedisSettings.fromConfig(JobConfig.of(Map.of(JobOptions.REDIS_NODES.key(), redis.address(),
                JobOptions.REDIS_KEY_PREFIX.key(), "ids", JobOptions.REDIS_TIMEOUT.key(), "1 s")));
        try (RedisBatchWriter w = new RedisBatchWriter(s.createClient("seed"), s, new RedisBatchWriter.Listener() { })) {
            for (int i = 0; i < IDS.size(); i++) {
                String id = IDS.get(i);
                w.add(RedisWrites.scores(new UserScoreUpdate(id, new String[] {"intent"}, new String[] {"0.0" + i},
                        1_700_000_000_000L), s.keys(), s));
                w.add(RedisWrites.recommendation(new Recommendation(id, new String[] {"item-of-" + i},
                        new float[] {0.5f}, Recommendation.MODEL, "recommend", "v1", 1_700_000_000_000L, "e" + i, new String[0]), s.keys(), s));
            }
            w.flush();
        }
        reader = new StorefrontReader(s, List.of("fallback-item"), 20);
        server = reader.serve(0);
    }

    @AfterEach
    void stop() throws Exception {
        signal("CONT"); // never leave a stopped server behind a failed assertion
        server.stop(0);
        reader.close();
        redis.close();
    }

    @Test
    void everyIdIsLookedUpAsItWasEncodedOnce() throws Exception {
        for (int i = 0; i < IDS.size(); i++) {
            String id = IDS.get(i);
            HttpResponse<String> users = get("/users/" + encode(id));
            assertThat(users.statusCode()).as(id).isEqualTo(200);
            JsonNode u = JSON.readTree(users.body());
            assertThat(u.get("userId").asText()).isEqualTo(id);
            assertThat(u.get("scores").get("intent").asText()).as("the score of " + id).isEqualTo("0.0" + i);

            JsonNode r = JSON.readTree(get("/recommendations/" + encode(id)).body());
            assertThat(r.get("source").asText()).as(id).isEqualTo("personal");
            assertThat(r.get("items").get(0).get("itemId").asText()).isEqualTo("item-of-" + i);
        }
    }

    @Test
    void aLiteralPlusInThePathIsAPlusNotASpace() throws Exception {
        JsonNode plus = JSON.readTree(get("/users/a+b").body());
        assertThat(plus.get("userId").asText()).isEqualTo("a+b");
        assertThat(plus.get("scores").get("intent").asText()).isEqualTo("0.0" + IDS.indexOf("a+b"));
    }

    @Test
    void anUnknownIdFallsBackAndABrokenEscapeIsA400WithABody() throws Exception {
        JsonNode r = JSON.readTree(get("/recommendations/" + encode("nobody%")).body());
        assertThat(r.get("source").asText()).isEqualTo("popular");
        assertThat(r.get("items").get(0).get("itemId").asText()).isEqualTo("fallback-item");

        for (String path : List.of("/users/%E7%94", "/users/a/b", "/users/")) {
            HttpResponse<String> bad = get(path);
            assertThat(bad.statusCode()).as(path).isEqualTo(400);
            assertThat(JSON.readTree(bad.body()).get("error").asText()).contains("userId");
        }
        // A raw '%' is not even a valid URI, so java.net.http will not send it: a plain socket does.
        assertThat(rawGet("/users/100%")).startsWith("HTTP/1.1 400");
    }

    @Test
    void aStalledRedisAnswers503WithinTheTimeoutAndRecovers() throws Exception {
        assertThat(get("/users/" + encode("a b")).statusCode()).isEqualTo(200); // a pooled connection exists
        signal("STOP");
        for (String path : List.of("/users/" + encode("a b"), "/recommendations/" + encode("用户42"), "/sample-users")) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = get(path);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(r.statusCode()).as(path).isEqualTo(503);
            assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("redis unavailable");
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
            // redis.timeout is 1 s: one command's timeout, or two when a new connection is made first.
            assertThat(ms).as(path + " answered in ms").isLessThan(5_000);
        }
        signal("CONT");
        assertThat(get("/users/" + encode("a b")).statusCode()).as("served again once Redis is back").isEqualTo(200);
    }

    @Test
    void aRedisThatIsGoneAnswers503() throws Exception {
        redis.close();
        HttpResponse<String> r = get("/recommendations/u1");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("redis unavailable");
    }

    @Test
    void itListensOnLoopbackOnly() {
        assertThat(server.getAddress().getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private String rawGet(String path) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.getAddress().getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Percent-encodes every byte outside RFC 3986's unreserved set, as encodeURIComponent does. */
    static String encode(String id) {
        StringBuilder b = new StringBuilder();
        for (byte x : id.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (Character.isLetterOrDigit(c) && c < 0x80 || "-_.~".indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c));
            }
        }
        return b.toString();
    }

    private void signal(String sig) throws Exception {
        if (redis.isAlive()) {
            Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(redis.pid())).inheritIO().start();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
