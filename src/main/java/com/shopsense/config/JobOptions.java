package com.shopsense.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * Every job option: a Flink {@link ConfigOption} with its type, typed default (or none) and meaning.
 * To add an option, declare one more {@code public static final ConfigOption<T>} field here: {@link #all()}
 * finds it by reflection, {@link JobConfig} then accepts and type-checks its key, and
 * docs/configuration.md gets its row ({@code DocsInSyncTest} fails until deploy/update-docs.sh has
 * regenerated the table). Read it with {@link JobConfig#get} or {@link JobConfig#getOptional}.
 * The table lists the options in the order they are declared here.
 */
public final class JobOptions {
    private JobOptions() {
    }

    /** Where a job without state starts reading ({@code kafka.starting-offsets}). */
    public enum StartingOffsets {
        /** The group's committed offsets; earliest where the group has none. */
        COMMITTED,
        EARLIEST,
        LATEST;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code inference.provider}. */
    public enum InferenceProvider {
        AUTO,
        CPU,
        CUDA;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code redis.mode}. */
    public enum RedisMode {
        STANDALONE,
        CLUSTER;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    // --- Kafka: brokers, topics, delivery (README "Configuration") ---
    public static final ConfigOption<String> KAFKA_BOOTSTRAP = key("kafka.bootstrap-servers")
            .stringType().defaultValue("localhost:9092")
            .withDescription("Kafka bootstrap servers for every topic the job reads and writes.");
    /** Not one key but a prefix ({@link KafkaClientProperties}): this row documents the whole family. */
    public static final ConfigOption<String> KAFKA_PROPERTIES = key(KafkaClientProperties.PREFIX + "<name>")
            .stringType().noDefaultValue()
            .withDescription("Kafka client property <name> (security.protocol, sasl.mechanism, sasl.jaas.config, ssl.truststore.location, ...) "
                    + "for every source, sink and admin client; env:NAME or file:PATH reads a secret. Properties the job "
                    + "sets itself are rejected. See docs/kafka-security.md.");
    public static final ConfigOption<Duration> KAFKA_PREFLIGHT_TIMEOUT = key("kafka.preflight-timeout")
            .durationType().defaultValue(Duration.ofSeconds(30))
            .withDescription("At start-up the job connects to kafka.bootstrap-servers with its client settings and fails with a clear "
                    + "message (authentication, TLS, unreachable) within this time; 0 s skips the check.");
    public static final ConfigOption<String> KAFKA_GROUP = key("kafka.group-id")
            .stringType().defaultValue("shopsense")
            .withDescription("Consumer group of the event source (offsets are committed on checkpoints).");
    public static final ConfigOption<String> TOPIC_EVENTS = key("kafka.topic.events")
            .stringType().defaultValue("shop-events")
            .withDescription("Input topic of shop events (JSON, key = userId).");
    public static final ConfigOption<String> TOPIC_DLQ = key("kafka.topic.dlq")
            .stringType().defaultValue("shop-events-dlq")
            .withDescription("Dead-letter topic: raw bytes of rejected and late records, reason and source offset in headers.");
    public static final ConfigOption<String> TOPIC_SESSIONS = key("kafka.topic.sessions")
            .stringType().defaultValue("shop-sessions")
            .withDescription("Closed sessions as JSON, key = userId; written only with kafka.publish-sessions.");
    public static final ConfigOption<Boolean> PUBLISH_SESSIONS = key("kafka.publish-sessions")
            .booleanType().defaultValue(false)
            .withDescription("Write every closed session to kafka.topic.sessions (exactly-once, ~0.4 records per event). "
                    + "Off by default: no part of ShopSense reads that topic (segments, churn and KPIs use the in-job stream).");
    public static final ConfigOption<DeliveryGuarantee> DELIVERY_GUARANTEE = key("kafka.delivery-guarantee")
            .enumType(DeliveryGuarantee.class)
            .defaultValue(DeliveryGuarantee.EXACTLY_ONCE)
            .withDescription("Guarantee of the Kafka sinks: exactly-once (transactions committed on checkpoints), at-least-once or none.");
    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX = key("kafka.transactional-id-prefix")
            .stringType().defaultValue("shopsense")
            .withDescription("Prefix of the sinks' transactional ids; unique per job on a cluster.");
    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT = key("kafka.transaction-timeout")
            .durationType().defaultValue(Duration.ofMinutes(10))
            .withDescription("Producer transaction timeout; must be below the broker's transaction.max.timeout.ms.");
    public static final ConfigOption<StartingOffsets> STARTING_OFFSETS = key("kafka.starting-offsets")
            .enumType(StartingOffsets.class)
            .defaultValue(StartingOffsets.COMMITTED)
            .withDescription("Where a job without state starts: committed (falls back to earliest), earliest or latest.");
    public static final ConfigOption<Boolean> BOUNDED = key("kafka.bounded")
            .booleanType().defaultValue(false)
            .withDescription("Stop at the offsets that are latest at start-up (replays, tests); the job then finishes.");

    // --- Event time, sessions and profiles ---
    public static final ConfigOption<Duration> OUT_OF_ORDERNESS = key("watermark.out-of-orderness")
            .durationType().defaultValue(Duration.ofSeconds(5))
            .withDescription("Bounded out-of-orderness of event time; must be shorter than session.gap.");
    public static final ConfigOption<Duration> IDLENESS = key("watermark.idleness")
            .durationType().defaultValue(Duration.ofSeconds(30))
            .withDescription("A partition without events for this long stops holding back the watermark.");
    public static final ConfigOption<Duration> SESSION_GAP = key("session.gap")
            .durationType().defaultValue(Duration.ofMinutes(30))
            .withDescription("Inactivity that closes a session (event time).");
    public static final ConfigOption<Duration> SESSION_MAX_DURATION = key("session.max-duration")
            .durationType().defaultValue(Duration.ofHours(4))
            .withDescription("A session is closed and a new one started after this long (bounds bots and hot keys).");
    public static final ConfigOption<Duration> ALLOWED_LATENESS = key("session.allowed-lateness")
            .durationType().defaultValue(Duration.ofSeconds(0))
            .withDescription("Events older than the watermark minus this go to the dead-letter topic with reason late.");
    public static final ConfigOption<Integer> KEPT_ITEMS = key("session.kept-items")
            .intType().defaultValue(20)
            .withDescription("Item ids kept per open session, newest last: the recommender's input window (20 for the shipped model).");
    public static final ConfigOption<Duration> PROFILE_TTL = key("profile.ttl")
            .durationType().defaultValue(Duration.ofDays(90))
            .withDescription("User profile state expires this long after its last update.");
    public static final ConfigOption<Integer> PROFILE_MAX_KNOWN = key("profile.max-known-values")
            .intType().defaultValue(8)
            .withDescription("Devices and countries remembered per user (most recent first).");

    // --- Bad input: limits of an accepted event and the unexpected-error budget (docs/event-contract.md) ---
    public static final ConfigOption<Integer> MAX_PAYLOAD = key("event.max-payload-bytes")
            .intType().defaultValue(65536)
            .withDescription("Larger records are rejected (payload_too_large).");
    public static final ConfigOption<Integer> MAX_ID_LENGTH = key("event.max-id-length")
            .intType().defaultValue(128)
            .withDescription("Longest eventId, userId, itemId, categoryId, deviceId, cardFingerprint, merchantId.");
    public static final ConfigOption<Integer> MAX_QUERY_LENGTH = key("event.max-query-length")
            .intType().defaultValue(512)
            .withDescription("Longest search query.");
    public static final ConfigOption<Integer> MAX_TEXT_LENGTH = key("event.max-text-length")
            .intType().defaultValue(4096)
            .withDescription("Longest review text.");
    public static final ConfigOption<Double> MAX_AMOUNT = key("event.max-amount")
            .doubleType().defaultValue(1000000.0)
            .withDescription("Largest accepted price or amount; at most 1e12 (so price x quantity and sums stay finite).");
    public static final ConfigOption<Integer> MAX_QUANTITY = key("event.max-quantity")
            .intType().defaultValue(10000)
            .withDescription("Largest accepted quantity; at most 1000000.");
    public static final ConfigOption<Duration> MAX_FUTURE_SKEW = key("event.max-future-skew")
            .durationType().defaultValue(Duration.ofDays(1))
            .withDescription("Events stamped further than this ahead of the wall clock are rejected (ts_out_of_range); at most 365 d.");
    public static final ConfigOption<Integer> DLQ_MAX_UNEXPECTED = key("dlq.max-unexpected-per-minute")
            .intType().defaultValue(100)
            .withDescription("A record a user function throws on goes to the DLQ (reason unexpected_error); more than this many within a minute, per operator instance, fail the job (a bug must not hide in the DLQ). 0 fails on the first.");
    public static final ConfigOption<Integer> PARALLELISM = key("job.parallelism")
            .intType().noDefaultValue()
            .withDescription("Job parallelism; empty means the cluster default (parallelism.default).");

    // --- Models and inference (README "Inference") ---
    public static final ConfigOption<String> MODELS_DIR = key("models.dir")
            .stringType().defaultValue("onnx-models")
            .withDescription("Directory with manifest.json, feature_spec.json and the models, or classpath:onnx-models for the copy in the job JAR.");
    public static final ConfigOption<String> RECOMMEND_MODELS_DIR = key("recommend.models-dir")
            .stringType().noDefaultValue()
            .withDescription("Directory (or classpath:...) with manifest.json, feature_spec.json and the recommend model that serves the recommendations (variant A under an A/B test); empty = models.dir. Lets a shop's own recommender run beside the shipped intent, churn and fraud models; the local run sets onnx-models/demo-taobao, a recommender trained on the replayed shop's earlier history.");
    public static final ConfigOption<InferenceProvider> PROVIDER = key("inference.provider")
            .enumType(InferenceProvider.class)
            .defaultValue(InferenceProvider.AUTO)
            .withDescription("auto: CUDA when it loads, else CPU (logged, metric executionProvider); cpu; cuda (fail without it).");
    public static final ConfigOption<Boolean> REQUIRE_GPU = key("inference.require-gpu")
            .booleanType().defaultValue(false)
            .withDescription("Fail at start-up instead of falling back to CPU when CUDA cannot be used.");
    public static final ConfigOption<Integer> CUDA_DEVICE = key("inference.cuda-device")
            .intType().defaultValue(0)
            .withDescription("CUDA device id.");
    public static final ConfigOption<Integer> INTRA_OP_THREADS = key("inference.intra-op-threads")
            .intType().defaultValue(1)
            .withDescription("ONNX Runtime intra-op threads per model session (sessions are shared by the slots of a TaskManager).");
    public static final ConfigOption<Integer> MAX_BATCH = key("inference.max-batch")
            .intType().defaultValue(256)
            .withDescription("A micro-batch runs as soon as it holds this many requests.");
    public static final ConfigOption<String> MAX_BATCH_PER_MODEL = key("inference.max-batch-per-model")
            .stringType().defaultValue("recommend=32")
            .withDescription("Per-model exceptions to inference.max-batch, model=size[,model=size] (load-tests/RESULTS.md: the recommender is fastest at 32).");
    public static final ConfigOption<Duration> MAX_WAIT = key("inference.max-wait")
            .durationType().defaultValue(Duration.ofMillis(5))
            .withDescription("... or when its oldest request has waited this long.");
    public static final ConfigOption<Integer> ASYNC_CAPACITY = key("inference.async-capacity")
            .intType().defaultValue(1000)
            .withDescription("In-flight requests per async scoring subtask (Async I/O capacity).");
    public static final ConfigOption<Duration> ASYNC_TIMEOUT = key("inference.async-timeout")
            .durationType().defaultValue(Duration.ofSeconds(30))
            .withDescription("A scoring request not answered in this time fails the task (it restarts from the last checkpoint).");
    public static final ConfigOption<Duration> RECO_MIN_INTERVAL = key("reco.min-interval")
            .durationType().defaultValue(Duration.ofSeconds(10))
            .withDescription("Event-time minimum between two recommendation refreshes of one user (bounds recommender load).");
    public static final ConfigOption<Integer> RECO_MIN_SESSION_EVENTS = key("reco.min-session-events")
            .intType().defaultValue(2)
            .withDescription("A session's events before the first refresh (a one-event bounce keeps the user's previous list).");
    public static final ConfigOption<Double> RECO_MAX_RATE = key("reco.max-refreshes-per-second")
            .doubleType().defaultValue(0.0)
            .withDescription("Refresh budget per sessionizer subtask (token bucket, processing time); over it refreshes are shed and counted. 0 = unbounded.");

    // --- Outputs: Redis (storefront), fraud alerts (risk team), pseudonymisation (README "Outputs") ---
    public static final ConfigOption<RedisMode> REDIS_MODE = key("redis.mode")
            .enumType(RedisMode.class)
            .defaultValue(RedisMode.STANDALONE)
            .withDescription("standalone (one server, or a proxy) or cluster (Redis Cluster; keys carry a per-user hash tag).");
    public static final ConfigOption<String> REDIS_NODES = key("redis.nodes")
            .stringType().defaultValue("localhost:6379")
            .withDescription("host:port of the server, or comma-separated seed nodes in cluster mode.");
    public static final ConfigOption<Integer> REDIS_DATABASE = key("redis.database")
            .intType().defaultValue(0)
            .withDescription("Logical database (standalone only; Redis Cluster has only database 0).");
    public static final ConfigOption<String> REDIS_USER = key("redis.user")
            .stringType().noDefaultValue()
            .withDescription("ACL user name; empty means the default user.");
    public static final ConfigOption<String> REDIS_PASSWORD = key("redis.password")
            .stringType().noDefaultValue()
            .withDescription("Password of the ACL user (or requirepass); env:NAME reads it from environment variable NAME, file:PATH from a file.");
    public static final ConfigOption<Boolean> REDIS_TLS = key("redis.tls")
            .booleanType().defaultValue(false)
            .withDescription("Connect with TLS (JVM trust store, javax.net.ssl.* system properties).");
    public static final ConfigOption<Duration> REDIS_TIMEOUT = key("redis.timeout")
            .durationType().defaultValue(Duration.ofSeconds(2))
            .withDescription("Connect and socket timeout of Redis commands.");
    public static final ConfigOption<String> REDIS_KEY_PREFIX = key("redis.key-prefix")
            .stringType().defaultValue("shopsense")
            .withDescription("First part of every key the job writes: prefix:{userId}:reco, prefix:{userId}:scores, ...");
    public static final ConfigOption<Duration> REDIS_RECO_TTL = key("redis.reco-ttl")
            .durationType().defaultValue(Duration.ofDays(7))
            .withDescription("Recommendations expire this long after their last write; online recommendation quality evaluates a list against its user's next item event only while it is younger than this.");
    public static final ConfigOption<Duration> REDIS_SCORES_TTL = key("redis.scores-ttl")
            .durationType().defaultValue(Duration.ofDays(30))
            .withDescription("A user's score hash expires this long after its last update.");
    public static final ConfigOption<Double> REDIS_INTENT_MIN_DELTA = key("redis.intent-min-delta")
            .doubleType().defaultValue(0.02)
            .withDescription("Smallest change of a user's intent probability since its last write that is written to the score hash; the first score of a session, a new model version and a crossing of the manifest's highIntent threshold are always written. 0 writes every score.");
    public static final ConfigOption<Duration> REDIS_ALERTS_TTL = key("redis.alerts-ttl")
            .durationType().defaultValue(Duration.ofDays(30))
            .withDescription("A user's latest-alerts set expires this long after its last alert.");
    public static final ConfigOption<Integer> REDIS_ALERTS_PER_USER = key("redis.alerts-per-user")
            .intType().defaultValue(20)
            .withDescription("Latest alerts kept per user in Redis for dashboards (by event time).");
    public static final ConfigOption<Integer> REDIS_ALERTS_SHOP_WIDE = key("redis.alerts-shop-wide")
            .intType().defaultValue(200)
            .withDescription("Latest alerts kept shop-wide in Redis (prefix:{alerts}:latest, by event time) for the merchandiser's page.");
    public static final ConfigOption<Duration> BACKGROUND_BUFFER_TIMEOUT = key("background.buffer-timeout")
            .durationType().defaultValue(Duration.ofMillis(100))
            .withDescription("Network buffer timeout of the edges no reader waits on (trending, KPI panes, segments, recommendation feedback and A/B deltas, the label and rule feeds and their quality joins, review insight, dead letters, journey actions, and the churn, segment, fraud and review scores of the score hash): their buffers are flushed at least this often. The per-user path (events, scores, recommendations, alerts) keeps execution.buffer-timeout.interval (5 ms); each flush costs CPU whether or not the buffer is full. 0 = the same as that path.");
    public static final ConfigOption<Integer> REDIS_BATCH_SIZE = key("redis.batch-size")
            .intType().defaultValue(500)
            .withDescription("Writes per pipeline: a full batch is flushed at once.");
    public static final ConfigOption<Duration> REDIS_MAX_DELAY = key("redis.max-delay")
            .durationType().defaultValue(Duration.ofMillis(10))
            .withDescription("A non-empty batch is flushed at the latest this long after its first write (and on every checkpoint).");
    public static final ConfigOption<Integer> REDIS_MAX_RETRIES = key("redis.max-retries")
            .intType().defaultValue(8)
            .withDescription("Retries of a failed pipeline (exponential backoff) before the task fails and restarts from a checkpoint.");
    public static final ConfigOption<Duration> REDIS_RETRY_BACKOFF = key("redis.retry-backoff")
            .durationType().defaultValue(Duration.ofMillis(100))
            .withDescription("First retry delay; doubled per retry up to redis.retry-backoff-max.");
    public static final ConfigOption<Duration> REDIS_RETRY_BACKOFF_MAX = key("redis.retry-backoff-max")
            .durationType().defaultValue(Duration.ofSeconds(5))
            .withDescription("Longest delay between two retries.");
    public static final ConfigOption<String> TOPIC_ALERTS = key("kafka.topic.alerts")
            .stringType().defaultValue("fraud-alerts")
            .withDescription("Fraud alerts as JSON (key = userId), written exactly-once: read with isolation.level=read_committed.");
    public static final ConfigOption<String> TOPIC_ACTIONS = key("kafka.topic.actions")
            .stringType().defaultValue("shop-actions")
            .withDescription("Journey actions for marketing systems (cart_abandoned, entered_at_risk, high_intent) as JSON "
                    + "(key = userId, docs/actions.md), written exactly-once: read with isolation.level=read_committed.");
    public static final ConfigOption<String> PSEUDONYMIZATION_KEY = key("privacy.pseudonymization-key")
            .stringType().noDefaultValue()
            .withDescription("HMAC-SHA256 key (at least 32 bytes) for IPs, card fingerprints and device ids; env:NAME reads an environment variable, file:PATH a file.");
    public static final ConfigOption<Boolean> PSEUDONYMIZATION_DEV_KEY = key("privacy.allow-dev-key")
            .booleanType().defaultValue(false)
            .withDescription("Local runs only: true allows a built-in, public key when privacy.pseudonymization-key is empty.");

    // --- Risk feedback: fraud labels from the risk team and card networks (README "Fraud labels") ---
    public static final ConfigOption<String> TOPIC_LABELS = key("kafka.topic.labels")
            .stringType().defaultValue("fraud-labels")
            .withDescription("Fraud labels (case outcomes, chargebacks) as JSON; may not exist yet (subscribed by pattern).");
    public static final ConfigOption<String> TOPIC_RULES = key("kafka.topic.fraud-rules")
            .stringType().defaultValue("fraud-rules")
            .withDescription("The risk team's fraud rule versions as JSON (docs/fraud.md \"Fraud rules\"), key = ruleId; must exist, empty is fine (the pre-flight check refuses to start without it: payments would wait for the rules' watermark).");
    public static final ConfigOption<Duration> RULES_IDLENESS = key("fraud.rules-idleness")
            .durationType().defaultValue(Duration.ofSeconds(5))
            .withDescription("Payments wait for the fraud-rules topic's watermark before rules are applied; a rules partition without new records for this long stops holding them back (docs/fraud.md \"Fraud rules\").");
    public static final ConfigOption<Boolean> FEEDBACK_FEATURES = key("fraud.feedback-features")
            .booleanType().defaultValue(true)
            .withDescription("Fill the fraud model's merchant_fraud_<N>d inputs from labels; false scores as if none had arrived (labels still count for alert quality).");
    public static final ConfigOption<Duration> MERCHANT_STATE_TTL = key("fraud.merchant-state-ttl")
            .durationType().defaultValue(Duration.ofDays(60))
            .withDescription("A merchant's confirmed-fraud labels are dropped this long after the last label (processing time).");
    public static final ConfigOption<Duration> FEEDBACK_SLACK = key("fraud.feedback-slack")
            .durationType().defaultValue(Duration.ofDays(1))
            .withDescription("A payment this far behind its merchant's newest payment still sees every label of its windows.");
    public static final ConfigOption<Integer> MAX_LABELS_PER_MERCHANT = key("fraud.max-labels-per-merchant")
            .intType().defaultValue(10000)
            .withDescription("Confirmed-fraud labels kept per merchant (newest decisions kept).");
    public static final ConfigOption<Duration> OUTCOME_TTL = key("fraud.outcome-ttl")
            .durationType().defaultValue(Duration.ofDays(180))
            .withDescription("A scored payment stays joinable with its labels this long (chargebacks take months).");
    public static final ConfigOption<Duration> REDIS_QUALITY_TTL = key("redis.quality-ttl")
            .durationType().defaultValue(Duration.ofDays(400))
            .withDescription("Alert-quality totals per fraud model version expire this long after their last change.");

    // --- Recommendation A/B and model hot-swap (README "Recommendation A/B and model hot-swap") ---
    public static final ConfigOption<Duration> MODELS_WATCH_INTERVAL = key("models.watch-interval")
            .durationType().defaultValue(Duration.ofSeconds(0))
            .withDescription("How often each TaskManager checks models.dir (and reco.variant-b.models-dir) for a new model version and swaps it in without a restart; 0 s = never.");
    public static final ConfigOption<String> RECO_VARIANT_B_DIR = key("reco.variant-b.models-dir")
            .stringType().noDefaultValue()
            .withDescription("Directory (or classpath:...) with manifest.json, feature_spec.json and a second recommend model served side by side; empty = no A/B test.");
    public static final ConfigOption<Integer> RECO_VARIANT_B_PERCENT = key("reco.variant-b.percent")
            .intType().defaultValue(50)
            .withDescription("Percent of users (stable hash of userId) served by variant B when reco.variant-b.models-dir is set.");
    public static final ConfigOption<Duration> RECO_ATTRIBUTION_WINDOW = key("reco.attribution-window")
            .durationType().defaultValue(Duration.ofHours(24))
            .withDescription("A reco_click counts for a list shown at most this long before it, and an order this long after an attributed click is its conversion.");
    public static final ConfigOption<Integer> RECO_ATTRIBUTION_LISTS = key("reco.attribution-lists")
            .intType().defaultValue(16)
            .withDescription("Recommendation lists kept per user for click attribution (newest).");
    public static final ConfigOption<Duration> RECO_QUALITY_INTERVAL = key("reco.quality-interval")
            .durationType().defaultValue(Duration.ofMinutes(10))
            .withDescription("A user's item events are evaluated against the recommendation lists live before them (online HitRate@20 and MRR@20) together, once the watermark passes the end of this interval of event time: longer costs fewer timers and state reads per event, shorter makes the quality totals fresher. The results do not depend on it.");
    public static final ConfigOption<Duration> REDIS_RECO_AB_TTL = key("redis.reco-ab-ttl")
            .durationType().defaultValue(Duration.ofDays(400))
            .withDescription("A/B totals per recommender version expire this long after their last change.");

    // --- Customer insight: segments and live KPIs (README "Segments and KPIs") ---
    public static final ConfigOption<Duration> SEGMENTS_RETENTION = key("segments.retention")
            .durationType().defaultValue(Duration.ofDays(180))
            .withDescription("A user leaves the segment counts this long after their last session (dormant users count until then); longer than dormantDays of segments.json.");
    public static final ConfigOption<Duration> KPI_TUMBLING = key("kpi.tumbling")
            .durationType().defaultValue(Duration.ofMinutes(1))
            .withDescription("Size of the tumbling KPI windows (event time, aligned to the epoch).");
    public static final ConfigOption<Duration> KPI_SLIDING = key("kpi.sliding")
            .durationType().defaultValue(Duration.ofHours(1))
            .withDescription("Size of the sliding KPI windows; empty turns them off.");
    public static final ConfigOption<Duration> KPI_SLIDING_STEP = key("kpi.sliding-step")
            .durationType().defaultValue(Duration.ofMinutes(5))
            .withDescription("Slide of the sliding KPI windows (divides kpi.sliding).");
    public static final ConfigOption<Duration> REDIS_KPI_RETENTION = key("redis.kpi-retention")
            .durationType().defaultValue(Duration.ofDays(7))
            .withDescription("KPI windows are kept in Redis for this long of event time before the newest one (and the key's TTL).");

    // --- Trending items: the storefront's cold start and the recommender's fallback (docs/insight.md "Trending items") ---
    public static final ConfigOption<Duration> TRENDING_WINDOW = key("trending.window")
            .durationType().defaultValue(Duration.ofHours(1))
            .withDescription("Sliding event-time window of the trending items (a multiple of trending.pane).");
    public static final ConfigOption<Duration> TRENDING_PANE = key("trending.pane")
            .durationType().defaultValue(Duration.ofMinutes(1))
            .withDescription("Slide of the trending window: events are summed per pane, and the lists are written at every pane end the watermark passes.");
    public static final ConfigOption<Duration> TRENDING_HALF_LIFE = key("trending.half-life")
            .durationType().defaultValue(Duration.ofMinutes(30))
            .withDescription("An event's weight halves every half-life of its pane's age in the window.");
    public static final ConfigOption<Integer> TRENDING_MIN_SUPPORT = key("trending.min-support")
            .intType().defaultValue(3)
            .withDescription("Events (views, cart adds, orders) an item needs in the window to be listed.");
    public static final ConfigOption<Integer> TRENDING_TOP_K = key("trending.top-k")
            .intType().defaultValue(50)
            .withDescription("Items listed per trending scope (shop-wide and each category).");
    public static final ConfigOption<Integer> TRENDING_WEIGHT_VIEW = key("trending.weight.view")
            .intType().defaultValue(1)
            .withDescription("What a view adds to its item's trending score.");
    public static final ConfigOption<Integer> TRENDING_WEIGHT_CART = key("trending.weight.cart")
            .intType().defaultValue(3)
            .withDescription("What a cart add adds to its item's trending score.");
    public static final ConfigOption<Integer> TRENDING_WEIGHT_ORDER = key("trending.weight.order")
            .intType().defaultValue(5)
            .withDescription("What an order adds to its item's trending score.");
    public static final ConfigOption<Duration> TRENDING_MIN_WRITE_INTERVAL = key("trending.min-write-interval")
            .durationType().defaultValue(Duration.ofSeconds(10))
            .withDescription("A scope's trending list is written at most once per this much processing time: when the watermark passes pane ends faster (catching up a backlog, a replay), only the newest window of the interval is written, at its end; live, one pane per trending.pane, nothing is skipped while this is shorter. The newest window is always written, at the latest this long after it completes, and at once at the end of the input. 0 s writes every window.");
    public static final ConfigOption<Duration> REDIS_TRENDING_TTL = key("redis.trending-ttl")
            .durationType().defaultValue(Duration.ofDays(1))
            .withDescription("Trending lists expire this long after their last write (a stopped job leaves no stale list behind for long).");
    public static final ConfigOption<Boolean> REVIEW_ENABLED = key("review.enabled")
            .booleanType().defaultValue(true)
            .withDescription("Score every review event's text with the review model and keep review insight (per product and category windows, negative_review_surge actions, the user's reviewSentiment). Off: review events are sessionized like any other event and the review model is never loaded.");
    public static final ConfigOption<Duration> REVIEW_WINDOW = key("review.window")
            .durationType().defaultValue(Duration.ofDays(30))
            .withDescription("Sliding event-time window of the review insight per product and category (a multiple of review.slide); its Redis hashes expire this long after their last write.");
    public static final ConfigOption<Duration> REVIEW_SLIDE = key("review.slide")
            .durationType().defaultValue(Duration.ofDays(1))
            .withDescription("Slide of the review window: reviews are summed per slide, and each product's and category's window is written at every slide end the watermark passes while it holds reviews.");
    public static final ConfigOption<Integer> REVIEW_SURGE_LAST_N = key("review.surge.last-n")
            .intType().defaultValue(20)
            .withDescription("negative_review_surge: the product's recent reviews whose negative share is compared with its long-run share (the reviews before them).");
    public static final ConfigOption<Double> REVIEW_SURGE_MARGIN = key("review.surge.margin")
            .doubleType().defaultValue(0.2)
            .withDescription("negative_review_surge: the negative share of the last review.surge.last-n reviews must exceed the long-run share by more than this (0..1).");
    public static final ConfigOption<Integer> REVIEW_SURGE_MIN_REVIEWS = key("review.surge.min-reviews")
            .intType().defaultValue(30)
            .withDescription("negative_review_surge: long-run reviews (before the last review.surge.last-n) a product needs before a surge can be raised.");
    public static final ConfigOption<Duration> REVIEW_SURGE_TTL = key("review.surge.ttl")
            .durationType().defaultValue(Duration.ofDays(365))
            .withDescription("A product's surge state (its review counts and last review.surge.last-n flags) is dropped this long after its last review (processing time).");

    private static final Map<String, Declared> DECLARED = discover(JobOptions.class);

    /** One declared option and the type of its values (the field's type argument). */
    record Declared(ConfigOption<?> option, Class<?> type) {
    }

    /**
     * Every {@code public static final ConfigOption} field of this class, in declaration order: the job's
     * options and the {@link #KAFKA_PROPERTIES} family row (a prefix; {@link JobConfig} accepts any key under it).
     */
    public static List<ConfigOption<?>> all() {
        List<ConfigOption<?>> out = new ArrayList<>();
        DECLARED.values().forEach(d -> out.add(d.option()));
        return Collections.unmodifiableList(out);
    }

    /** The declared option with this key, or null (keys under {@code kafka.properties.} are not options). */
    static Declared declared(String key) {
        return KafkaClientProperties.isPassThrough(key) ? null : DECLARED.get(key);
    }

    /** The {@code public static final ConfigOption} fields of {@code holder} by key, in declaration order. */
    static Map<String, Declared> discover(Class<?> holder) {
        Map<String, Declared> out = new LinkedHashMap<>();
        // getDeclaredFields returns source order on HotSpot/OpenJDK (the table keeps the order of this file).
        for (Field f : holder.getDeclaredFields()) {
            int m = f.getModifiers();
            if (f.getType() != ConfigOption.class || !Modifier.isPublic(m) || !Modifier.isStatic(m)
                    || !Modifier.isFinal(m)) {
                continue;
            }
            if (!(f.getGenericType() instanceof ParameterizedType p) || !(p.getActualTypeArguments()[0] instanceof Class<?> type)) {
                throw new IllegalStateException(holder.getSimpleName() + "." + f.getName() + " must be a ConfigOption<ConcreteType>");
            }
            ConfigOption<?> option;
            try {
                option = (ConfigOption<?>) f.get(null);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            if (out.put(option.key(), new Declared(option, type)) != null) {
                throw new IllegalStateException("Two job options have the key " + option.key());
            }
        }
        return out;
    }
}
