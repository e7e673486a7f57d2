package com.shopsense.sink;

import com.shopsense.feedback.AlertQuality;
import com.shopsense.feedback.RuleQuality;
import com.shopsense.feedback.RecoAbTotals;
import com.shopsense.insight.KpiWindow;
import com.shopsense.insight.ReviewWindow;
import com.shopsense.insight.SegmentCount;
import com.shopsense.insight.TrendingList;
import com.shopsense.scoring.FraudAlert;
import com.shopsense.scoring.Recommendation;
import com.shopsense.scoring.UserScoreUpdate;
import java.io.IOException;
import java.io.Serializable;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Flink Sink V2 writing one of the job's output streams to Redis (README "Outputs"):
 * pipelined, idempotent, flushed when a batch is full, after redis.max-delay and on every checkpoint
 * (so a completed checkpoint implies every earlier record is in Redis: at-least-once writes that
 * converge to exactly-once state). Use one sink per stream:
 * {@code recos.sinkTo(RedisSink.recommendations(cfg)).name("redis-reco")}.
 */
public final class RedisSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    /** Maps a record to its write; must be serializable (a lambda over serializable captures is). */
    @FunctionalInterface
    public interface Mapper<T> extends Serializable {
        RedisWrite map(T record, RedisKeys keys, RedisSettings settings);
    }

    /** Maps a record to several writes (e.g. in different slots), sent in this order. */
    @FunctionalInterface
    public interface MultiMapper<T> extends Serializable {
        java.util.List<RedisWrite> map(T record, RedisKeys keys, RedisSettings settings);
    }

    private final RedisSettings settings;
    private final Mapper<T> mapper;
    private final MultiMapper<T> multiMapper;
    private final String name;

    public RedisSink(RedisSettings settings, Mapper<T> mapper, String name) {
        this(settings, mapper, null, name);
    }

    private RedisSink(RedisSettings settings, Mapper<T> mapper, MultiMapper<T> multiMapper, String name) {
        this.settings = settings;
        this.mapper = mapper;
        this.multiMapper = multiMapper;
        this.name = name;
    }

    /** A sink whose records each become several writes. */
    public static <T> RedisSink<T> ofMany(RedisSettings settings, MultiMapper<T> mapper, String name) {
        return new RedisSink<>(settings, null, mapper, name);
    }

    public static RedisSink<Recommendation> recommendations(RedisSettings s) {
        return new RedisSink<>(s, RedisWrites::recommendation, "reco");
    }

    public static RedisSink<UserScoreUpdate> scores(RedisSettings s) {
        return new RedisSink<>(s, RedisWrites::scores, "scores");
    }

    /** The user's latest alerts and the shop-wide latest alerts ({@link RedisWrites#alerts}). */
    public static RedisSink<FraudAlert> alerts(RedisSettings s) {
        return ofMany(s, RedisWrites::alerts, "alerts");
    }

    /** Alert-quality totals per fraud model version, kept for {@code ttlMs} after their last change. */
    public static RedisSink<AlertQuality> alertQuality(RedisSettings s, long ttlMs) {
        return new RedisSink<>(s, (q, keys, settings) -> RedisWrites.alertQuality(q, keys, ttlMs), "quality");
    }

    /** Quality totals per fraud rule version, kept for {@code ttlMs} after their last change. */
    public static RedisSink<RuleQuality> ruleQuality(RedisSettings s, long ttlMs) {
        return new RedisSink<>(s, (q, keys, settings) -> RedisWrites.ruleQuality(q, keys, ttlMs), "rule-quality");
    }

    /** A/B totals per recommender version, kept for {@code ttlMs} after their last change. */
    public static RedisSink<RecoAbTotals> recoAb(RedisSettings s, long ttlMs) {
        return new RedisSink<>(s, (t, keys, settings) -> RedisWrites.recoAb(t, keys, ttlMs), "reco-ab");
    }

    /** Users per segment, one hash for the shop. */
    public static RedisSink<SegmentCount> segmentCounts(RedisSettings s) {
        return new RedisSink<>(s, (c, keys, settings) -> RedisWrites.segmentCount(c, keys), "segments");
    }

    /** KPI windows, one time series per window name, kept for {@code retentionMs} of event time. */
    public static RedisSink<KpiWindow> kpis(RedisSettings s, long retentionMs) {
        return new RedisSink<>(s, (w, keys, settings) -> RedisWrites.kpi(w, keys, retentionMs), "kpi");
    }

    /** Trending lists, one key per scope, kept for {@code ttlMs} after their last write. */
    public static RedisSink<TrendingList> trending(RedisSettings s, long ttlMs) {
        return new RedisSink<>(s, (l, keys, settings) -> RedisWrites.trending(l, keys, ttlMs), "trending");
    }

    /** Review windows, one hash per product and category, kept for {@code ttlMs} after their last write. */
    public static RedisSink<ReviewWindow> reviewWindows(RedisSettings s, long ttlMs) {
        return new RedisSink<>(s, (w, keys, settings) -> RedisWrites.reviewWindow(w, keys, ttlMs), "review");
    }

    public RedisSettings settings() {
        return settings;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return new RedisSinkWriter<>(settings, mapper, multiMapper, name, context);
    }
}
