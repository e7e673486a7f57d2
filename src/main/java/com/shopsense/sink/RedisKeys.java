package com.shopsense.sink;

import java.io.Serializable;

/**
 * The Redis key schema (README "Outputs"). Every key of one user carries the user id as a
 * Redis Cluster hash tag, {@code prefix:{userId}:...}, so all of a user's keys live in one slot and
 * the sink's Lua scripts, which touch several of them, work on Redis Cluster. Only the first
 * {@code {...}} of a key is its hash tag, so the prefix must not contain braces; a user id that itself
 * contains '}' still maps all of that user's keys to one slot (the tag is cut at the same place).
 */
public record RedisKeys(String prefix) implements Serializable {

    public RedisKeys {
        validatePrefix(prefix);
    }

    static void validatePrefix(String prefix) {
        if (prefix == null || prefix.isEmpty() || prefix.contains("{") || prefix.contains("}")
                || prefix.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("redis.key-prefix must be non-empty, without braces or spaces: '"
                    + prefix + "'");
        }
    }

    private String user(String userId, String suffix) {
        if (userId == null || userId.isEmpty()) {
            throw new IllegalArgumentException("empty userId");
        }
        return prefix + ":{" + userId + "}:" + suffix;
    }

    /** STRING: the recommendation JSON, replaced as a whole, with a TTL. */
    public String reco(String userId) {
        return user(userId, "reco");
    }

    /** HASH: score fields (intent, churn, fraud, segment, model versions...) plus updatedAt, with a TTL. */
    public String scores(String userId) {
        return user(userId, "scores");
    }

    /**
     * HASH: per fraud/churn/segment field, the event time of its current value (replays and reordering converge).
     * Intent is written in order and has no entry here.
     */
    public String scoresVersions(String userId) {
        return user(userId, "scores:ts");
    }

    /** ZSET: the user's latest alert ids, scored by event time (capped at redis.alerts-per-user). */
    public String alerts(String userId) {
        return user(userId, "alerts");
    }

    /** HASH: alertId -> alert JSON, for the ids in {@link #alerts(String)}. */
    public String alertBodies(String userId) {
        return user(userId, "alerts:body");
    }

    /**
     * HASH: alert quality of one fraud model version (alerts, confirmed fraud/legit, precision, recall).
     * Not per user: all versions share the {quality} slot.
     */
    public String alertQuality(String modelVersion) {
        if (modelVersion == null || modelVersion.isEmpty()) {
            throw new IllegalArgumentException("empty model version");
        }
        return prefix + ":{quality}:fraud:" + modelVersion;
    }

    /**
     * HASH: quality of one fraud rule version (hits, alerts, confirmed fraud/legit among them, precision), key
     * {@code prefix:{quality}:rule:<ruleId>@<version>}; in the {quality} slot with the model versions'.
     */
    public String ruleQuality(String ruleKey) {
        if (ruleKey == null || ruleKey.isEmpty()) {
            throw new IllegalArgumentException("empty rule key");
        }
        return prefix + ":{quality}:rule:" + ruleKey;
    }

    /**
     * HASH: A/B counts of one recommender version (impressions, clicks, ctr, conversions, conversionRate).
     * Not per user: all versions share the {reco-ab} slot.
     */
    public String recoAb(String modelVersion) {
        if (modelVersion == null || modelVersion.isEmpty()) {
            throw new IllegalArgumentException("empty model version");
        }
        return prefix + ":{reco-ab}:" + modelVersion;
    }

    /** HASH: segment -> users currently in it. Shop-wide: its own {segments} slot. */
    public String segmentCounts() {
        return prefix + ":{segments}:users";
    }

    /** HASH: segment -> sequence of its current count (makes replays converge). */
    public String segmentCountsVersions() {
        return prefix + ":{segments}:users:seq";
    }

    /** ZSET: one KPI window's JSON per member, scored by window end (e.g. window "1m", "1h"). */
    public String kpi(String window) {
        if (window == null || window.isEmpty() || window.contains("{") || window.contains("}")) {
            throw new IllegalArgumentException("bad KPI window name '" + window + "'");
        }
        return prefix + ":{kpi}:" + window;
    }

    /**
     * ZSET: the latest alert ids shop-wide, scored by event time (capped at redis.alerts-shop-wide). Its own
     * {alerts} slot, so it is written by a script call of its own, apart from the user's alert keys.
     */
    public String latestAlerts() {
        return prefix + ":{alerts}:latest";
    }

    /** HASH: alertId -> alert JSON, for the ids in {@link #latestAlerts()}. */
    public String latestAlertBodies() {
        return prefix + ":{alerts}:latest:body";
    }

    /**
     * ZSET: shop-wide trending item ids by decayed score, the storefront's fallback (not per user: its own slot).
     * Written by the job (docs/insight.md "Trending items").
     */
    public String popular() {
        return prefix + ":popular";
    }

    /** ZSET: the trending item ids of one category by decayed score (ids with braces or spaces have none). */
    public String popularCategory(String categoryId) {
        if (categoryId == null || categoryId.isEmpty() || categoryId.contains("{") || categoryId.contains("}")
                || categoryId.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("bad category id for a trending key '" + categoryId + "'");
        }
        return prefix + ":popular:cat:" + categoryId;
    }

    /**
     * HASH: one product's reviews in the latest written window (docs/redis.md "Review insight"). One key per script
     * call: any id works, on Redis Cluster too.
     */
    public String reviewItem(String itemId) {
        return review("item", itemId);
    }

    /** HASH: one category's reviews in the latest written window, as {@link #reviewItem}. */
    public String reviewCategory(String categoryId) {
        return review("cat", categoryId);
    }

    private String review(String scope, String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("review key needs an id");
        }
        return prefix + ":review:" + scope + ":" + id;
    }

    /**
     * ZSET: where the next list of a trending key is built before a RENAME swaps it in (it exists only between the
     * commands of one write). Its hash tag is the whole trending key, which has no braces, so both hash to the same
     * slot: RENAME works on Redis Cluster, and the cluster pipeline sends both to one node in order.
     */
    public static String trendingStaging(String trendingKey) {
        return "{" + trendingKey + "}:next";
    }
}
