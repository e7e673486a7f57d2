package com.shopsense.readers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopsense.sink.RedisKeys;
import com.shopsense.sink.RedisSettings;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.Tuple;

/**
 * The storefront side of the Redis contract (README "Outputs"): a user's recommendations
 * (one GET of the whole JSON, so never a partial list), falling back to the popular-items sorted set
 * {@code prefix:popular} and then to a configured list when the user has none; and the user's score
 * hash. Serves {@code GET /recommendations/{userId}} and {@code GET /users/{userId}} over HTTP.
 *
 * <pre>
 * java -cp target/classes:$(cat cp.txt) com.shopsense.readers.StorefrontReader \
 *     --redis.nodes localhost:6379 --http-port 8088 --popular item1,item2,item3
 * curl localhost:8088/recommendations/u42
 * </pre>
 */
public final class StorefrontReader implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final UnifiedJedis redis; // pooled client: safe to use from the HTTP threads
    private final RedisKeys keys;
    private final List<String> popularFallback;
    private final int k;

    public StorefrontReader(RedisSettings settings, List<String> popularFallback, int k) {
        this.redis = settings.createClient("shopsense-storefront");
        this.keys = settings.keys();
        this.popularFallback = List.copyOf(popularFallback);
        this.k = k;
    }

    /** The stored recommendation JSON of a user with "source":"personal", or popular items with "source":"popular". */
    public ObjectNode recommendations(String userId) throws IOException {
        String stored = redis.get(keys.reco(userId));
        if (stored != null) {
            ObjectNode n = (ObjectNode) JSON.readTree(stored);
            n.put("source", "personal");
            return n;
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("userId", userId);
        ArrayNode items = n.putArray("items");
        List<Tuple> popular = redis.zrevrangeWithScores(keys.popular(), 0, k - 1);
        if (!popular.isEmpty()) {
            for (Tuple t : popular) {
                items.addObject().put("itemId", t.getElement()).put("score", t.getScore());
            }
        } else {
            popularFallback.stream().limit(k).forEach(id -> items.addObject().put("itemId", id));
        }
        n.put("model", "popular");
        n.put("source", "popular");
        return n;
    }

    /** The user's score hash (intent, churn, fraud, segment, ..., updatedAt); empty when unknown or expired. */
    public Map<String, String> scores(String userId) {
        return new TreeMap<>(redis.hgetAll(keys.scores(userId)));
    }

    /** The user's latest alerts (newest first), as stored JSON documents. */
    public List<String> latestAlerts(String userId) {
        List<String> ids = redis.zrevrange(keys.alerts(userId), 0, -1);
        if (ids.isEmpty()) {
            return List.of();
        }
        return redis.hmget(keys.alertBodies(userId), ids.toArray(new String[0])).stream()
                .filter(s -> s != null).collect(Collectors.toList());
    }

    public HttpServer serve(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 64);
        server.createContext("/recommendations/", ex -> handle(ex, "/recommendations/", true));
        server.createContext("/users/", ex -> handle(ex, "/users/", false));
        server.createContext("/sample-users", this::sampleUsers);
        server.createContext("/", this::demoPage);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return server;
    }

    private void handle(HttpExchange ex, String base, boolean reco) throws IOException {
        try (ex) {
            String userId = URLDecoder.decode(ex.getRequestURI().getPath().substring(base.length()),
                    StandardCharsets.UTF_8);
            if (!"GET".equals(ex.getRequestMethod()) || userId.isEmpty() || userId.contains("/")) {
                reply(ex, 400, "{\"error\":\"GET " + base + "{userId}\"}");
                return;
            }
            if (reco) {
                reply(ex, 200, JSON.writeValueAsString(recommendations(userId)));
            } else {
                ObjectNode n = JSON.createObjectNode();
                n.put("userId", userId);
                n.set("scores", JSON.valueToTree(scores(userId)));
                ArrayNode alerts = n.putArray("latestAlerts");
                for (String a : latestAlerts(userId)) {
                    alerts.add(JSON.readTree(a));
                }
                reply(ex, 200, JSON.writeValueAsString(n));
            }
        } catch (RuntimeException e) {
            reply(ex, 503, "{\"error\":\"redis unavailable\"}");
        }
    }

    /** GET /: the storefront demo page (recommendations, scores and alerts of one user, refreshing live). */
    private void demoPage(HttpExchange ex) throws IOException {
        try (ex; var in = StorefrontReader.class.getResourceAsStream("/demo/index.html")) {
            if (!ex.getRequestURI().getPath().equals("/") || in == null) {
                reply(ex, 404, "{\"error\":\"not found\"}");
                return;
            }
            byte[] page = in.readAllBytes();
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(200, page.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(page);
            }
        }
    }

    /** GET /sample-users: a few user ids for the demo, users with alerts first. */
    private void sampleUsers(HttpExchange ex) throws IOException {
        try (ex) {
            List<String> withAlerts = new java.util.ArrayList<>();
            List<String> others = new java.util.ArrayList<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            int pages = 0;
            do {
                var page = redis.scan(cursor, new ScanParams()
                        .match(keys.prefix() + ":{*}:*").count(1000));
                for (String k : page.getResult()) {
                    String user = k.substring(k.indexOf('{') + 1, k.lastIndexOf('}'));
                    if (k.endsWith("}:alerts") && withAlerts.size() < 8 && !withAlerts.contains(user)) {
                        withAlerts.add(user);
                    } else if (k.endsWith("}:reco") && others.size() < 8 && !others.contains(user)) {
                        others.add(user);
                    }
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START) && ++pages < 50);
            withAlerts.addAll(others.stream().filter(u -> !withAlerts.contains(u)).limit(8).toList());
            reply(ex, 200, JSON.writeValueAsString(withAlerts));
        } catch (RuntimeException e) {
            reply(ex, 503, "{\"error\":\"redis unavailable\"}");
        }
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        redis.close();
    }

    /**
     * {@code [--http-port 8088] [--popular a,b,c] [--k 20] [--user u42]} plus job options (redis.*, --config).
     * With --user it prints that user's recommendations and scores once and exits.
     */
    public static void main(String[] args) throws Exception {
        ReaderArgs a = new ReaderArgs(args, Set.of("http-port", "popular", "k", "user"));
        List<String> popular = Arrays.stream(a.get("popular", "").split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).collect(Collectors.toList());
        StorefrontReader reader = new StorefrontReader(RedisSettings.fromConfig(a.job), popular,
                Integer.parseInt(a.get("k", "20")));
        if (a.own.containsKey("user")) {
            try (reader) {
                System.out.println(JSON.writeValueAsString(reader.recommendations(a.own.get("user"))));
                System.out.println(JSON.writeValueAsString(reader.scores(a.own.get("user"))));
            }
            return;
        }
        int port = Integer.parseInt(a.get("http-port", "8088"));
        reader.serve(port);
        System.out.println("storefront reader on http://localhost:" + port + "/recommendations/{userId} and /users/{userId}");
    }
}
