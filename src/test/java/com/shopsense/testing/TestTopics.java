package com.shopsense.testing;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Fresh topic names and a fresh Redis key prefix per test, so tests sharing one broker and one
 * redis-server never see each other's records.
 */
public record TestTopics(String events, String dlq, String sessions, String alerts, String group, String redisPrefix,
        String labels, String actions, String rules) {

    public TestTopics(String events, String dlq, String sessions, String alerts, String group, String redisPrefix,
            String labels) {
        this(events, dlq, sessions, alerts, group, redisPrefix, labels, group.replaceFirst("-group$", "") + "-actions",
                group.replaceFirst("-group$", "") + "-rules");
    }

    public static TestTopics fresh(String prefix) {
        String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        return new TestTopics(id + "-events", id + "-dlq", id + "-sessions", id + "-alerts", id + "-group", id,
                id + "-labels", id + "-actions", id + "-rules");
    }

    /** The same input topics (events, labels, rules), every output fresh: for comparing two runs over one input. */
    public TestTopics sameInputFreshOutputs(String prefix) {
        TestTopics f = fresh(prefix);
        return new TestTopics(events, f.dlq, f.sessions, f.alerts, f.group, f.redisPrefix, labels, f.actions, rules);
    }

    public String[] allTopics() {
        return new String[] {events, dlq, sessions, alerts, labels, actions, rules};
    }

    /** Job options pointing at these topics on the shared broker and redis-server, replaying start to end. */
    public JobConfig jobConfig(Map<String, String> extra) {
        Map<String, String> m = new HashMap<>();
        m.put(JobOptions.KAFKA_BOOTSTRAP.key(), SharedKafka.bootstrap());
        m.put(JobOptions.TOPIC_EVENTS.key(), events);
        m.put(JobOptions.TOPIC_DLQ.key(), dlq);
        m.put(JobOptions.TOPIC_SESSIONS.key(), sessions);
        m.put(JobOptions.PUBLISH_SESSIONS.key(), "true");
        m.put(JobOptions.TOPIC_ALERTS.key(), alerts);
        m.put(JobOptions.TOPIC_ACTIONS.key(), actions);
        m.put(JobOptions.TOPIC_LABELS.key(), labels);
        m.put(JobOptions.TOPIC_RULES.key(), rules);
        m.put(JobOptions.KAFKA_GROUP.key(), group);
        m.put(JobOptions.STARTING_OFFSETS.key(), "earliest");
        m.put(JobOptions.BOUNDED.key(), "true");
        m.put(JobOptions.TRANSACTIONAL_ID_PREFIX.key(), group);
        m.put(JobOptions.REDIS_NODES.key(), SharedRedis.server().address());
        m.put(JobOptions.REDIS_KEY_PREFIX.key(), redisPrefix);
        m.put(JobOptions.PSEUDONYMIZATION_DEV_KEY.key(), "true");
        // Input is written before the job starts: no partition is ever really idle, and on a loaded CI
        // machine a wall-clock idleness of seconds could mark a backpressured one idle and make its events late.
        m.put(JobOptions.IDLENESS.key(), "10 min");
        // Replays read at full speed: one source reader may start minutes of event time after the other
        // (split assignment), so events of the late starter would be behind the watermark.
        m.put(JobOptions.OUT_OF_ORDERNESS.key(), "10 min");
        m.putAll(extra);
        return JobConfig.of(m);
    }
}
