package com.shopsense.config;

import java.util.List;

/**
 * Every job option with its default and meaning. README "Configuration" is generated from this
 * list ({@code JobOptionsDocTest} fails when they drift), so add options here, nowhere else.
 */
public final class JobOptions {
    private JobOptions() {
    }

    public static final JobOption KAFKA_BOOTSTRAP = new JobOption("kafka.bootstrap-servers", "localhost:9092",
            "Kafka bootstrap servers for every topic the job reads and writes.");
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
    public static final JobOption KEPT_EVENTS = new JobOption("session.kept-events", "50",
            "Recent events kept per open session (ring buffer; the recommender's window comes from it).");
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
            "Largest accepted price or amount.");
    public static final JobOption MAX_QUANTITY = new JobOption("event.max-quantity", "10000",
            "Largest accepted quantity.");
    public static final JobOption MAX_FUTURE_SKEW = new JobOption("event.max-future-skew", "1 d",
            "Events stamped further than this ahead of the wall clock are rejected (ts_out_of_range).");
    public static final JobOption PARALLELISM = new JobOption("job.parallelism", "",
            "Job parallelism; empty means the cluster default (parallelism.default).");

    public static List<JobOption> all() {
        return List.of(KAFKA_BOOTSTRAP, KAFKA_GROUP, TOPIC_EVENTS, TOPIC_DLQ, TOPIC_SESSIONS, DELIVERY_GUARANTEE,
                TRANSACTIONAL_ID_PREFIX, TRANSACTION_TIMEOUT, STARTING_OFFSETS,
                BOUNDED, OUT_OF_ORDERNESS, IDLENESS, SESSION_GAP, SESSION_MAX_DURATION, ALLOWED_LATENESS,
                KEPT_EVENTS, PROFILE_TTL, PROFILE_MAX_KNOWN, MAX_PAYLOAD, MAX_ID_LENGTH, MAX_QUERY_LENGTH,
                MAX_TEXT_LENGTH, MAX_AMOUNT, MAX_QUANTITY, MAX_FUTURE_SKEW, PARALLELISM);
    }
}
