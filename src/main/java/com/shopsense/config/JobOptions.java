package com.shopsense.config;

import java.util.List;

/**
 * Every job option with its default and meaning. docs/configuration.md is generated from this
 * list ({@code DocsInSyncTest} fails when they drift), so add options here, nowhere else.
 */
public final class JobOptions {
    private JobOptions() {
    }

    public static final JobOption KAFKA_BOOTSTRAP = new JobOption("kafka.bootstrap-servers", "localhost:9092",
            "Kafka bootstrap servers for every topic the job reads and writes.");
    /** Not one key but a prefix: {@link KafkaClientProperties}; its row documents the whole family. */
    public static final JobOption KAFKA_PROPERTIES = new JobOption(KafkaClientProperties.PREFIX + "<name>", "",
            "Kafka client property <name> (security.protocol, sasl.mechanism, sasl.jaas.config, ssl.truststore.location, ...) "
                    + "for every source, sink and admin client; env:NAME or file:PATH reads a secret. Properties the job "
                    + "sets itself are rejected. See docs/kafka-security.md.");
    public static final JobOption KAFKA_PREFLIGHT_TIMEOUT = new JobOption("kafka.preflight-timeout", "30 s",
            "At start-up the job connects to kafka.bootstrap-servers with its client settings and fails with a clear "
                    + "message (authentication, TLS, unreachable) within this time; 0 s skips the check.");
    public static final JobOption KAFKA_GROUP = new JobOption("kafka.group-id", "shopsense",
            "Consumer group of the event source (offsets are committed on checkpoints).");
    public static final JobOption TOPIC_EVENTS = new JobOption("kafka.topic.events", "shop-events",
            "Input topic of shop events (JSON, key = userId).");
    public static final JobOption TOPIC_DLQ = new JobOption("kafka.topic.dlq", "shop-events-dlq",
            "Dead-letter topic: raw bytes of rejected and late records, reason and source offset in headers.");
    public static final JobOption TOPIC_SESSIONS = new JobOption("kafka.topic.sessions", "shop-sessions",
            "Closed sessions as JSON, key = userId.");
    public static final JobOption DELIVERY_GUARANTEE = new JobOption("kafka.delivery-guarantee", "exactly-once",
            "Guarantee of the Kafka sinks: exactly-once (transactions committed on checkpoints), at-least-once or none.");
    public static final JobOption TRANSACTIONAL_ID_PREFIX = new JobOption("kafka.transactional-id-prefix",
            "shopsense", "Prefix of the sinks' transactional ids; unique per job on a cluster.");
    public static final JobOption TRANSACTION_TIMEOUT = new JobOption("kafka.transaction-timeout", "10 min",
            "Producer transaction timeout; must be below the broker's transaction.max.timeout.ms.");
    public static final JobOption STARTING_OFFSETS = new JobOption("kafka.starting-offsets", "committed",
            "Where a job without state starts: committed (falls back to earliest), earliest or latest.");
    public static final JobOption BOUNDED = new JobOption("kafka.bounded", "false",
            "Stop at the offsets that are latest at start-up (replays, tests); the job then finishes.");
    public static final JobOption OUT_OF_ORDERNESS = new JobOption("watermark.out-of-orderness", "5 s",
            "Bounded out-of-orderness of event time; must be shorter than session.gap.");
    public static final JobOption IDLENESS = new JobOption("watermark.idleness", "30 s",
            "A partition without events for this long stops holding back the watermark.");
    public static final JobOption SESSION_GAP = new JobOption("session.gap", "30 min",
            "Inactivity that closes a session (event time).");
    public static final JobOption SESSION_MAX_DURATION = new JobOption("session.max-duration", "4 h",
            "A session is closed and a new one started after this long (bounds bots and hot keys).");
    public static final JobOption ALLOWED_LATENESS = new JobOption("session.allowed-lateness", "0 s",
            "Events older than the watermark minus this go to the dead-letter topic with reason late.");
    public static final JobOption KEPT_ITEMS = new JobOption("session.kept-items", "20",
            "Item ids kept per open session, newest last: the recommender's input window (20 for the shipped model).");
    public static final JobOption PROFILE_TTL = new JobOption("profile.ttl", "90 d",
            "User profile state expires this long after its last update.");
    public static final JobOption PROFILE_MAX_KNOWN = new JobOption("profile.max-known-values", "8",
            "Devices and countries remembered per user (most recent first).");
    public static final JobOption MAX_PAYLOAD = new JobOption("event.max-payload-bytes", "65536",
            "Larger records are rejected (payload_too_large).");
    public static final JobOption MAX_ID_LENGTH = new JobOption("event.max-id-length", "128",
            "Longest eventId, userId, itemId, categoryId, deviceId, cardFingerprint, merchantId.");
    public static final JobOption MAX_QUERY_LENGTH = new JobOption("event.max-query-length", "512",
            "Longest search query.");
    public static final JobOption MAX_TEXT_LENGTH = new JobOption("event.max-text-length", "4096",
            "Longest review text.");
    public static final JobOption MAX_AMOUNT = new JobOption("event.max-amount", "1000000",
            "Largest accepted price or amount; at most 1e12 (so price x quantity and sums stay finite).");
    public static final JobOption MAX_QUANTITY = new JobOption("event.max-quantity", "10000",
            "Largest accepted quantity; at most 1000000.");
    public static final JobOption MAX_FUTURE_SKEW = new JobOption("event.max-future-skew", "1 d",
            "Events stamped further than this ahead of the wall clock are rejected (ts_out_of_range); at most 365 d.");
    public static final JobOption DLQ_MAX_UNEXPECTED = new JobOption("dlq.max-unexpected-per-minute", "100",
            "A record a user function throws on goes to the DLQ (reason unexpected_error); more than this many within a minute, per operator instance, fail the job (a bug must not hide in the DLQ). 0 fails on the first.");
    public static final JobOption MODELS_DIR = new JobOption("models.dir", "onnx-models",
            "Directory with manifest.json, feature_spec.json and the models, or classpath:onnx-models for the copy in the job JAR.");
    public static final JobOption PROVIDER = new JobOption("inference.provider", "auto",
            "auto: CUDA when it loads, else CPU (logged, metric executionProvider); cpu; cuda (fail without it).");
    public static final JobOption REQUIRE_GPU = new JobOption("inference.require-gpu", "false",
            "Fail at start-up instead of falling back to CPU when CUDA cannot be used.");
    public static final JobOption CUDA_DEVICE = new JobOption("inference.cuda-device", "0",
            "CUDA device id.");
    public static final JobOption INTRA_OP_THREADS = new JobOption("inference.intra-op-threads", "1",
            "ONNX Runtime intra-op threads per model session (sessions are shared by the slots of a TaskManager).");
    public static final JobOption MAX_BATCH = new JobOption("inference.max-batch", "256",
            "A micro-batch runs as soon as it holds this many requests.");
    public static final JobOption MAX_BATCH_PER_MODEL = new JobOption("inference.max-batch-per-model", "recommend=32",
            "Per-model exceptions to inference.max-batch, model=size[,model=size] (load-tests/RESULTS.md: the recommender is fastest at 32).");
    public static final JobOption MAX_WAIT = new JobOption("inference.max-wait", "5 ms",
            "... or when its oldest request has waited this long.");
    public static final JobOption ASYNC_CAPACITY = new JobOption("inference.async-capacity", "1000",
            "In-flight requests per async scoring subtask (Async I/O capacity).");
    public static final JobOption ASYNC_TIMEOUT = new JobOption("inference.async-timeout", "30 s",
            "A scoring request not answered in this time fails the task (it restarts from the last checkpoint).");
    public static final JobOption RECO_MIN_INTERVAL = new JobOption("reco.min-interval", "10 s",
            "Event-time minimum between two recommendation refreshes of one user (bounds recommender load).");

    // --- Risk feedback: fraud labels from the risk team and card networks (README "Fraud labels") ---
    public static final JobOption TOPIC_LABELS = new JobOption("kafka.topic.labels", "fraud-labels",
            "Fraud labels (case outcomes, chargebacks) as JSON; may not exist yet (subscribed by pattern).");
    public static final JobOption FEEDBACK_FEATURES = new JobOption("fraud.feedback-features", "true",
            "Fill the fraud model's merchant_fraud_<N>d inputs from labels; false scores as if none had arrived (labels still count for alert quality).");
    public static final JobOption MERCHANT_STATE_TTL = new JobOption("fraud.merchant-state-ttl", "60 d",
            "A merchant's confirmed-fraud labels are dropped this long after the last label (processing time).");
    public static final JobOption FEEDBACK_SLACK = new JobOption("fraud.feedback-slack", "1 d",
            "A payment this far behind its merchant's newest payment still sees every label of its windows.");
    public static final JobOption MAX_LABELS_PER_MERCHANT = new JobOption("fraud.max-labels-per-merchant", "10000",
            "Confirmed-fraud labels kept per merchant (newest decisions kept).");
    public static final JobOption OUTCOME_TTL = new JobOption("fraud.outcome-ttl", "180 d",
            "A scored payment stays joinable with its labels this long (chargebacks take months).");
    public static final JobOption REDIS_QUALITY_TTL = new JobOption("redis.quality-ttl", "400 d",
            "Alert-quality totals per fraud model version expire this long after their last change.");

    // --- Customer insight: segments and live KPIs (README "Segments and KPIs") ---
    public static final JobOption SEGMENTS_RETENTION = new JobOption("segments.retention", "180 d",
            "A user leaves the segment counts this long after their last session (dormant users count until then); longer than dormantDays of segments.json.");
    public static final JobOption KPI_TUMBLING = new JobOption("kpi.tumbling", "1 min",
            "Size of the tumbling KPI windows (event time, aligned to the epoch).");
    public static final JobOption KPI_SLIDING = new JobOption("kpi.sliding", "1 h",
            "Size of the sliding KPI windows; empty turns them off.");
    public static final JobOption KPI_SLIDING_STEP = new JobOption("kpi.sliding-step", "5 min",
            "Slide of the sliding KPI windows (divides kpi.sliding).");
    public static final JobOption REDIS_KPI_RETENTION = new JobOption("redis.kpi-retention", "7 d",
            "KPI windows are kept in Redis for this long of event time before the newest one (and the key's TTL).");
    public static final JobOption RECO_MIN_SESSION_EVENTS = new JobOption("reco.min-session-events", "2",
            "A session's events before the first refresh (a one-event bounce keeps the user's previous list).");
    public static final JobOption RECO_MAX_RATE = new JobOption("reco.max-refreshes-per-second", "0",
            "Refresh budget per intent subtask (token bucket, processing time); over it refreshes are shed and counted. 0 = unbounded.");

    // --- Recommendation A/B and model hot-swap (README "Recommendation A/B and model hot-swap") ---
    public static final JobOption MODELS_WATCH_INTERVAL = new JobOption("models.watch-interval", "0 s",
            "How often each TaskManager checks models.dir (and reco.variant-b.models-dir) for a new model version and swaps it in without a restart; 0 s = never.");
    public static final JobOption RECO_VARIANT_B_DIR = new JobOption("reco.variant-b.models-dir", "",
            "Directory (or classpath:...) with manifest.json, feature_spec.json and a second recommend model served side by side; empty = no A/B test.");
    public static final JobOption RECO_VARIANT_B_PERCENT = new JobOption("reco.variant-b.percent", "50",
            "Percent of users (stable hash of userId) served by variant B when reco.variant-b.models-dir is set.");
    public static final JobOption RECO_ATTRIBUTION_WINDOW = new JobOption("reco.attribution-window", "24 h",
            "A reco_click counts for a list shown at most this long before it, and an order this long after an attributed click is its conversion.");
    public static final JobOption RECO_ATTRIBUTION_LISTS = new JobOption("reco.attribution-lists", "16",
            "Recommendation lists kept per user for click attribution (newest).");
    public static final JobOption REDIS_RECO_AB_TTL = new JobOption("redis.reco-ab-ttl", "400 d",
            "A/B totals per recommender version expire this long after their last change.");
    public static final JobOption PARALLELISM = new JobOption("job.parallelism", "",
            "Job parallelism; empty means the cluster default (parallelism.default).");

    // --- Outputs: Redis (storefront), fraud alerts (risk team), pseudonymisation (README "Outputs") ---
    public static final JobOption REDIS_MODE = new JobOption("redis.mode", "standalone",
            "standalone (one server, or a proxy) or cluster (Redis Cluster; keys carry a per-user hash tag).");
    public static final JobOption REDIS_NODES = new JobOption("redis.nodes", "localhost:6379",
            "host:port of the server, or comma-separated seed nodes in cluster mode.");
    public static final JobOption REDIS_DATABASE = new JobOption("redis.database", "0",
            "Logical database (standalone only; Redis Cluster has only database 0).");
    public static final JobOption REDIS_USER = new JobOption("redis.user", "",
            "ACL user name; empty means the default user.");
    public static final JobOption REDIS_PASSWORD = new JobOption("redis.password", "",
            "Password of the ACL user (or requirepass); env:NAME reads it from environment variable NAME, file:PATH from a file.");
    public static final JobOption REDIS_TLS = new JobOption("redis.tls", "false",
            "Connect with TLS (JVM trust store, javax.net.ssl.* system properties).");
    public static final JobOption REDIS_TIMEOUT = new JobOption("redis.timeout", "2 s",
            "Connect and socket timeout of Redis commands.");
    public static final JobOption REDIS_KEY_PREFIX = new JobOption("redis.key-prefix", "shopsense",
            "First part of every key the job writes: prefix:{userId}:reco, prefix:{userId}:scores, ...");
    public static final JobOption REDIS_RECO_TTL = new JobOption("redis.reco-ttl", "7 d",
            "Recommendations expire this long after their last write.");
    public static final JobOption REDIS_SCORES_TTL = new JobOption("redis.scores-ttl", "30 d",
            "A user's score hash expires this long after its last update.");
    public static final JobOption REDIS_ALERTS_TTL = new JobOption("redis.alerts-ttl", "30 d",
            "A user's latest-alerts set expires this long after its last alert.");
    public static final JobOption REDIS_ALERTS_PER_USER = new JobOption("redis.alerts-per-user", "20",
            "Latest alerts kept per user in Redis for dashboards (by event time).");
    public static final JobOption REDIS_BATCH_SIZE = new JobOption("redis.batch-size", "500",
            "Writes per pipeline: a full batch is flushed at once.");
    public static final JobOption REDIS_MAX_DELAY = new JobOption("redis.max-delay", "20 ms",
            "A non-empty batch is flushed at the latest this long after its first write (and on every checkpoint).");
    public static final JobOption REDIS_MAX_RETRIES = new JobOption("redis.max-retries", "8",
            "Retries of a failed pipeline (exponential backoff) before the task fails and restarts from a checkpoint.");
    public static final JobOption REDIS_RETRY_BACKOFF = new JobOption("redis.retry-backoff", "100 ms",
            "First retry delay; doubled per retry up to redis.retry-backoff-max.");
    public static final JobOption REDIS_RETRY_BACKOFF_MAX = new JobOption("redis.retry-backoff-max", "5 s",
            "Longest delay between two retries.");
    public static final JobOption TOPIC_ALERTS = new JobOption("kafka.topic.alerts", "fraud-alerts",
            "Fraud alerts as JSON (key = userId), written exactly-once: read with isolation.level=read_committed.");
    public static final JobOption PSEUDONYMIZATION_KEY = new JobOption("privacy.pseudonymization-key", "",
            "HMAC-SHA256 key (at least 32 bytes) for IPs, card fingerprints and device ids; env:NAME reads an environment variable, file:PATH a file.");
    public static final JobOption PSEUDONYMIZATION_DEV_KEY = new JobOption("privacy.allow-dev-key", "false",
            "Local runs only: true allows a built-in, public key when privacy.pseudonymization-key is empty.");

    public static List<JobOption> all() {
        return List.of(KAFKA_BOOTSTRAP, KAFKA_PROPERTIES, KAFKA_PREFLIGHT_TIMEOUT, KAFKA_GROUP, TOPIC_EVENTS, TOPIC_DLQ,
                TOPIC_SESSIONS, DELIVERY_GUARANTEE,
                TRANSACTIONAL_ID_PREFIX, TRANSACTION_TIMEOUT, STARTING_OFFSETS,
                BOUNDED, OUT_OF_ORDERNESS, IDLENESS, SESSION_GAP, SESSION_MAX_DURATION, ALLOWED_LATENESS,
                KEPT_ITEMS, PROFILE_TTL, PROFILE_MAX_KNOWN, MAX_PAYLOAD, MAX_ID_LENGTH, MAX_QUERY_LENGTH,
                MAX_TEXT_LENGTH, MAX_AMOUNT, MAX_QUANTITY, MAX_FUTURE_SKEW, DLQ_MAX_UNEXPECTED, PARALLELISM,
                MODELS_DIR, PROVIDER, REQUIRE_GPU, CUDA_DEVICE, INTRA_OP_THREADS, MAX_BATCH, MAX_BATCH_PER_MODEL, MAX_WAIT,
                ASYNC_CAPACITY, ASYNC_TIMEOUT, RECO_MIN_INTERVAL, RECO_MIN_SESSION_EVENTS, RECO_MAX_RATE,
                REDIS_MODE, REDIS_NODES, REDIS_DATABASE, REDIS_USER, REDIS_PASSWORD, REDIS_TLS, REDIS_TIMEOUT,
                REDIS_KEY_PREFIX, REDIS_RECO_TTL, REDIS_SCORES_TTL, REDIS_ALERTS_TTL, REDIS_ALERTS_PER_USER,
                REDIS_BATCH_SIZE, REDIS_MAX_DELAY, REDIS_MAX_RETRIES, REDIS_RETRY_BACKOFF, REDIS_RETRY_BACKOFF_MAX,
                TOPIC_ALERTS, PSEUDONYMIZATION_KEY, PSEUDONYMIZATION_DEV_KEY, TOPIC_LABELS, FEEDBACK_FEATURES,
                MERCHANT_STATE_TTL, FEEDBACK_SLACK, MAX_LABELS_PER_MERCHANT, OUTCOME_TTL, REDIS_QUALITY_TTL,
                MODELS_WATCH_INTERVAL, RECO_VARIANT_B_DIR, RECO_VARIANT_B_PERCENT, RECO_ATTRIBUTION_WINDOW,
                RECO_ATTRIBUTION_LISTS, REDIS_RECO_AB_TTL,
                SEGMENTS_RETENTION, KPI_TUMBLING, KPI_SLIDING, KPI_SLIDING_STEP, REDIS_KPI_RETENTION);
    }
}
