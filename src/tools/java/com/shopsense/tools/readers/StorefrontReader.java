package com.shopsense.tools.readers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopsense.sink.RedisKeys;
import com.shopsense.sink.RedisSettings;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.Tuple;

/**
 * The storefront side of the Redis contract (README "Outputs"): a user's recommendations
 * (one GET of the whole JSON, so never a partial list), falling back to the job's trending items (of the
 * {@code ?category=} given, else shop-wide) and then to a configured list when the user has none; and the user's
 * score hash. Serves {@code GET /recommendations/{userId}}, {@code GET /users/{userId}} ({@link UserView}),
 * {@code GET /shop} ({@link ShopOverview}) and the merchandiser's page at {@code /} over HTTP
 * (docs/readers.md).
 *
 * <pre>
 * java -cp target/classes:$(cat cp.txt) com.shopsense.tools.readers.StorefrontReader \
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
    private final Catalogue catalogue;
    private final ScoreThresholds thresholds;
    private final ShopOverview shop;

    public StorefrontReader(RedisSettings settings, List<String> popularFallback, int k) {
        this(settings, popularFallback, k, Catalogue.empty(), ScoreThresholds.NONE);
    }

    /** With the shop's item categories and the models' decision thresholds, for the merchandiser's page. */
    public StorefrontReader(RedisSettings settings, List<String> popularFallback, int k, Catalogue catalogue,
            ScoreThresholds thresholds) {
        this.redis = settings.createClient("shopsense-storefront");
        this.keys = settings.keys();
        this.popularFallback = List.copyOf(popularFallback);
        this.k = k;
        this.catalogue = catalogue;
        this.thresholds = thresholds;
        this.shop = new ShopOverview(redis, keys, catalogue, thresholds,
                new KeyDirectory(redis, keys, 30_000, System::currentTimeMillis), k);
    }

    /** {@link #recommendations(String, String)} without a category. */
    public ObjectNode recommendations(String userId) throws IOException {
        return recommendations(userId, null);
    }

    /**
     * The stored recommendation JSON of a user, with "source":"personal" for the model's lists and "trending" for
     * the job's trending fallback; without a stored list, the trending items of {@code categoryId} (when given and
     * listed), else the shop-wide ones ({@code prefix:popular}), with "source":"trending"; else the configured list
     * with "source":"popular".
     */
    public ObjectNode recommendations(String userId, String categoryId) throws IOException {
        String stored = redis.get(keys.reco(userId));
        if (stored != null) {
            ObjectNode n = (ObjectNode) JSON.readTree(stored);
            if (!"trending".equals(n.path("source").asText())) {
                n.put("source", "personal");
            }
            return n;
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("userId", userId);
        ArrayNode items = n.putArray("items");
        List<Tuple> trending = List.of();
        if (categoryId != null && !categoryId.isEmpty() && categoryId.chars().noneMatch(
                c -> c == '{' || c == '}' || Character.isWhitespace(c))) {
            trending = redis.zrevrangeWithScores(keys.popularCategory(categoryId), 0, k - 1);
            if (!trending.isEmpty()) {
                n.put("category", categoryId);
            }
        }
        if (trending.isEmpty()) {
            trending = redis.zrevrangeWithScores(keys.popular(), 0, k - 1);
        }
        if (!trending.isEmpty()) {
            for (Tuple t : trending) {
                items.addObject().put("itemId", t.getElement()).put("score", t.getScore());
            }
            n.put("model", "trending");
            n.put("source", "trending");
            return n;
        }
        popularFallback.stream().limit(k).forEach(id -> items.addObject().put("itemId", id));
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

    /** {@code GET /users/{id}}: the user's scores in words, recommendations with categories, latest alerts. */
    public ObjectNode userView(String userId) throws IOException {
        String stored = redis.get(keys.reco(userId));
        List<Tuple> trending = stored != null ? List.of() : redis.zrevrangeWithScores(keys.popular(), 0, k - 1);
        return UserView.build(userId, scores(userId), stored, trending, latestAlerts(userId), thresholds, catalogue);
    }

    /** {@code GET /shop}: the shop-wide view. */
    public ObjectNode shopOverview() throws IOException {
        return shop.read();
    }

    /** Serves on the loopback interface: the storefront API and demo page are local unless asked otherwise. */
    public HttpServer serve(int port) throws IOException {
        return serve(InetAddress.getLoopbackAddress(), port);
    }

    /** Serves on {@code bind} (e.g. 0.0.0.0 to open it to the network), port 0 for any free one. */
    public HttpServer serve(InetAddress bind, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 64);
        server.createContext("/recommendations/", ex -> handle(ex, "/recommendations/", true));
        server.createContext("/users/", ex -> handle(ex, "/users/", false));
        server.createContext("/sample-users", this::sampleUsers);
        server.createContext("/shop", this::shopView);
        server.createContext("/", this::demoPage);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return server;
    }

    /** A status and JSON body, decided before anything is written (so an error can still become a 503). */
    private record Reply(int status, String body) {
        static final Reply REDIS_UNAVAILABLE = new Reply(503, "{\"error\":\"redis unavailable\"}");
    }

    /** One query parameter, decoded (null when absent). */
    private static String query(HttpExchange ex, String name) {
        String q = ex.getRequestURI().getRawQuery();
        if (q == null) {
            return null;
        }
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private void handle(HttpExchange ex, String base, boolean reco) throws IOException {
        reply(ex, answer(ex, base, reco));
    }

    private Reply answer(HttpExchange ex, String base, boolean reco) {
        // The raw path: getPath() has already decoded it once, and a second decode turns "a+b" into "a b".
        Optional<String> id = PathId.of(ex.getRequestURI().getRawPath(), base);
        if (!"GET".equals(ex.getRequestMethod()) || id.isEmpty()) {
            return new Reply(400, "{\"error\":\"GET " + base + "{userId}, userId percent-encoded UTF-8\"}");
        }
        String userId = id.get();
        try {
            if (reco) {
                return new Reply(200, JSON.writeValueAsString(recommendations(userId, query(ex, "category"))));
            }
            return new Reply(200, JSON.writeValueAsString(userView(userId)));
        } catch (JedisException down) {
            // Refused, reset or timed out (redis.timeout bounds every command): the caller may retry.
            return Reply.REDIS_UNAVAILABLE;
        } catch (IOException | RuntimeException e) {
            return new Reply(500, "{\"error\":\"unreadable stored value\"}");
        }
    }

    /** GET /: the storefront demo page (recommendations, scores and alerts of one user, refreshing live). */
    private void demoPage(HttpExchange ex) throws IOException {
        try (ex; var in = StorefrontReader.class.getResourceAsStream("/demo/index.html")) {
            if (!ex.getRequestURI().getPath().equals("/") || in == null) {
                reply(ex, new Reply(404, "{\"error\":\"not found\"}"));
                return;
            }
            byte[] page = in.readAllBytes();
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            // The page runs only its own inline script and talks only to this server (it works offline).
            ex.getResponseHeaders().set("Content-Security-Policy",
                    "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:");
            ex.sendResponseHeaders(200, page.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(page);
            }
        }
    }

    /** GET /shop: the shop-wide view (exactly that path). */
    private void shopView(HttpExchange ex) throws IOException {
        Reply r;
        if (!"GET".equals(ex.getRequestMethod()) || !ex.getRequestURI().getRawPath().equals("/shop")) {
            r = new Reply(404, "{\"error\":\"not found\"}");
        } else {
            try {
                r = new Reply(200, JSON.writeValueAsString(shopOverview()));
            } catch (JedisException down) {
                r = Reply.REDIS_UNAVAILABLE;
            } catch (IOException | RuntimeException e) {
                r = new Reply(500, "{\"error\":\"unreadable stored value\"}");
            }
        }
        reply(ex, r);
    }

    /** GET /sample-users: a few user ids for the demo, users with alerts first. */
    private void sampleUsers(HttpExchange ex) throws IOException {
        Reply r;
        try {
            r = new Reply(200, JSON.writeValueAsString(sampleUserIds()));
        } catch (JedisException down) {
            r = Reply.REDIS_UNAVAILABLE;
        }
        reply(ex, r);
    }

    private List<String> sampleUserIds() {
        List<String> withAlerts = new ArrayList<>();
        List<String> others = new ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        int pages = 0;
        do {
            var page = redis.scan(cursor, new ScanParams().match(keys.prefix() + ":{*}:*").count(1000));
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
        return withAlerts;
    }

    /** Writes the reply and closes the exchange (the only place that does, so it is never closed twice). */
    private static void reply(HttpExchange ex, Reply r) throws IOException {
        try (ex) {
            byte[] b = r.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff"); // never sniffed into HTML
            if (r.status() == 503) {
                ex.getResponseHeaders().set("Retry-After", "2");
            }
            ex.sendResponseHeaders(r.status(), b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        }
    }

    @Override
    public void close() {
        redis.close();
    }

    /**
     * The manifest's thresholds from {@code modelsDir}, else from the JAR's copy (the reader may run anywhere);
     * none when neither is readable (the page then shows scores without thresholds, and says so).
     */
    public static ScoreThresholds thresholdsOf(String modelsDir) {
        for (String dir : List.of(modelsDir, "classpath:onnx-models")) {
            try {
                return ScoreThresholds.load(dir);
            } catch (RuntimeException unreadable) {
                System.err.println("storefront reader: no model manifest in " + dir + ": " + unreadable.getMessage());
            }
        }
        return ScoreThresholds.NONE;
    }

    /**
     * {@code [--http-port 8088] [--bind-address 127.0.0.1] [--popular a,b,c] [--k 20] [--catalogue items.csv]
     * [--user u42]} plus job options (redis.*, models.dir, --config). With --user it prints that user's
     * recommendations and scores once and exits.
     */
    public static void main(String[] args) throws Exception {
        ReaderArgs a = new ReaderArgs(args, Set.of("http-port", "bind-address", "popular", "k", "user", "catalogue"));
        List<String> popular = Arrays.stream(a.get("popular", "").split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).collect(Collectors.toList());
        Catalogue catalogue = a.own.containsKey("catalogue") ? Catalogue.load(java.nio.file.Path.of(a.get("catalogue", "")))
                : Catalogue.empty();
        StorefrontReader reader = new StorefrontReader(RedisSettings.fromConfig(a.job), popular,
                Integer.parseInt(a.get("k", "20")), catalogue,
                thresholdsOf(a.job.get(com.shopsense.config.JobOptions.MODELS_DIR)));
        if (a.own.containsKey("user")) {
            try (reader) {
                System.out.println(JSON.writeValueAsString(reader.recommendations(a.own.get("user"))));
                System.out.println(JSON.writeValueAsString(reader.scores(a.own.get("user"))));
            }
            return;
        }
        int port = Integer.parseInt(a.get("http-port", "8088"));
        HttpServer server = reader.serve(InetAddress.getByName(a.get("bind-address", "127.0.0.1")), port);
        String at = "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
        System.out.println("storefront reader on " + at + "/recommendations/{userId} and " + at + "/users/{userId}");
    }
}
