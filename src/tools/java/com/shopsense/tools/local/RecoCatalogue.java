package com.shopsense.tools.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.sink.RedisSettings;
import com.shopsense.tools.replay.DemoData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Whether the storefront got the replayed shop's recommendations: the recommendation lists in Redis at the end of
 * a local run, how many differ (a recommender that shows everyone the same list is no recommender), every item id
 * checked against the shop's catalogue (the item ids of its Taobao files: a recommender of another shop names
 * items that do not exist here), and the share of lists by source (model, trending).
 *
 * @param users users with a recommendation list
 * @param distinctLists distinct item-id sequences among them
 * @param recommendedItems item ids in all lists
 * @param notInCatalogue of those, ids that are not an item of the shop
 * @param listsBySource lists per {@code source}
 * @param blindModelLists model lists computed from sessions without one item the model knows (its input is
 *     padding and unknown items only, so they are all alike: the users a fallback should serve)
 * @param distinctSeeingLists distinct lists among the other lists
 * @param distinctBySource distinct lists per {@code source} (a trending fallback is shared by design: everyone on
 *     a category gets its list)
 */
record RecoCatalogue(long users, long distinctLists, long recommendedItems, long notInCatalogue,
        Map<String, Long> listsBySource, long blindModelLists, long distinctSeeingLists,
        Map<String, Long> distinctBySource) {
    /** The target for distinct lists per user. */
    static final double DISTINCT_TARGET = 0.5;
    private static final ObjectMapper JSON = new ObjectMapper();

    double distinctPerUser() {
        return users == 0 ? 0 : (double) distinctLists / users;
    }

    /** Every recommended item is one of the shop's (and there was something to check). */
    boolean allInCatalogue() {
        return recommendedItems > 0 && notInCatalogue == 0;
    }

    /**
     * The counts over recommendation JSON documents (docs/redis.md); an unreadable document counts as a user only.
     * {@code known}: the recommender's vocabulary (empty: not known, no list counts as blind).
     */
    static RecoCatalogue of(Collection<String> lists, Set<String> catalogue, Set<String> known) {
        Set<List<String>> distinct = new HashSet<>();
        Set<List<String>> distinctSeeing = new HashSet<>();
        long blind = 0;
        Map<String, Long> bySource = new TreeMap<>();
        Map<String, Set<List<String>>> distinctPerSource = new TreeMap<>();
        long items = 0;
        long missing = 0;
        for (String doc : lists) {
            JsonNode n;
            try {
                n = JSON.readTree(doc);
            } catch (IOException e) {
                continue;
            }
            List<String> ids = new ArrayList<>();
            n.path("items").forEach(i -> ids.add(i.path("itemId").asText()));
            distinct.add(ids);
            boolean seesAnItem = known.isEmpty() || !"model".equals(n.path("source").asText());
            for (JsonNode i : n.path("recentItems")) {
                seesAnItem |= known.contains(i.asText());
            }
            if (seesAnItem) {
                distinctSeeing.add(ids);
            } else {
                blind++;
            }
            items += ids.size();
            missing += ids.stream().filter(id -> !catalogue.contains(id)).count();
            bySource.merge(n.path("source").asText("?"), 1L, Long::sum);
            distinctPerSource.computeIfAbsent(n.path("source").asText("?"), k -> new HashSet<>()).add(ids);
        }
        Map<String, Long> distinctBySource = new TreeMap<>();
        distinctPerSource.forEach((source, d) -> distinctBySource.put(source, (long) d.size()));
        return new RecoCatalogue(lists.size(), distinct.size(), items, missing, bySource, blind, distinctSeeing.size(),
                distinctBySource);
    }

    /** Reads every {@code prefix:{user}:reco} key; empty when Redis cannot be read (the summary says so). */
    static Optional<RecoCatalogue> read(RedisSettings settings, Set<String> catalogue, Set<String> known) {
        try (UnifiedJedis jedis = settings.createClient("local-run-reco")) {
            List<String> keys = new ArrayList<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor,
                        new ScanParams().match(settings.keyPrefix() + ":*}:reco").count(5000));
                keys.addAll(page.getResult());
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            List<String> docs = new ArrayList<>(keys.size());
            for (int i = 0; i < keys.size(); i += 500) { // the local run's redis-server is one node: MGET is fine
                for (String v : jedis.mget(keys.subList(i, Math.min(keys.size(), i + 500)).toArray(new String[0]))) {
                    if (v != null) { // expired between SCAN and MGET
                        docs.add(v);
                    }
                }
            }
            return Optional.of(of(docs, catalogue, known));
        } catch (JedisException unreachable) {
            return Optional.empty();
        }
    }

    /** The recommender's vocabulary (items.txt of its models directory), empty for a classpath: directory. */
    static Set<String> vocabulary(String modelsDir) throws IOException {
        if (modelsDir.startsWith("classpath:")) {
            return Set.of();
        }
        Path dir = Path.of(modelsDir);
        String file = com.shopsense.features.FeatureSpec.load(dir.resolve("feature_spec.json")).section("recommend")
                .get("vocabularyFile").asText();
        Set<String> ids = new HashSet<>(Files.readAllLines(dir.resolve(file), StandardCharsets.UTF_8));
        ids.remove("<pad>");
        ids.remove("<unk>");
        return ids;
    }

    /** The shop's catalogue: the item ids (second column) of the bundled Taobao files and of the replayed file. */
    static Set<String> catalogue(Path replayed) throws IOException {
        Set<String> ids = new HashSet<>();
        for (Path f : new java.util.LinkedHashSet<>(List.of(DemoData.TAOBAO, DemoData.TAOBAO_LATER, replayed))) {
            if (!Files.isRegularFile(f)) {
                continue;
            }
            try (BufferedReader r = new BufferedReader(new InputStreamReader(f.toString().endsWith(".gz")
                    ? new GZIPInputStream(Files.newInputStream(f), 1 << 16) : Files.newInputStream(f),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    String[] c = line.split(",", 3);
                    if (c.length >= 2) {
                        ids.add(c[1]);
                    }
                }
            }
        }
        return ids;
    }

    void print(PrintStream out) {
        out.printf(Locale.ROOT, "distinct reco lists/users  %,d / %,d = %.2f (target >= %.1f)%n", distinctLists, users,
                distinctPerUser(), DISTINCT_TARGET);
        out.printf(Locale.ROOT, "recommended items in shop  %,d of %,d (not in the replayed shop's catalogue: %,d)%n",
                recommendedItems - notInCatalogue, recommendedItems, notInCatalogue);
        StringBuilder b = new StringBuilder();
        listsBySource.forEach((source, n) -> b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT,
                "%s %,d (%.1f%%)", source, n, users == 0 ? 0 : 100.0 * n / users)));
        out.println("reco lists by source       " + (b.length() == 0 ? "none" : b));
        StringBuilder d = new StringBuilder();
        distinctBySource.forEach((source, n) -> d.append(d.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT,
                "%s %,d / %,d = %.2f", source, n, listsBySource.getOrDefault(source, 0L),
                (double) n / Math.max(1, listsBySource.getOrDefault(source, 0L)))));
        out.println("distinct lists by source   " + (d.length() == 0 ? "none" : d));
        if (blindModelLists > 0) { // only where the model was asked about sessions it knows nothing of
            long seeing = users - blindModelLists;
            out.printf(Locale.ROOT, "model lists, no known item %,d (%.1f%%: the session has no item the recommender "
                    + "knows, so one list for all; distinct among the other %,d: %,d = %.2f)%n", blindModelLists,
                    100.0 * blindModelLists / users, seeing, distinctSeeingLists,
                    seeing == 0 ? 0 : (double) distinctSeeingLists / seeing);
        }
    }
}
