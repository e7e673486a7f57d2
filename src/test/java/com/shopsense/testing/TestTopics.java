package com.shopsense.testing;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import java.util.Map;
import java.util.UUID;

/** Fresh topic names per test so tests sharing one broker never see each other's records. */
public record TestTopics(String events, String dlq, String sessions, String group) {

    public static TestTopics fresh(String prefix) {
        String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        return new TestTopics(id + "-events", id + "-dlq", id + "-sessions", id + "-group");
    }

    /** Job options pointing the job at these topics on the shared broker, replaying from the start to the end. */
    public JobConfig jobConfig(Map<String, String> extra) {
        JobConfig c = JobConfig.of(Map.of(
                JobOptions.KAFKA_BOOTSTRAP.key(), SharedKafka.bootstrap(),
                JobOptions.TOPIC_EVENTS.key(), events,
                JobOptions.TOPIC_DLQ.key(), dlq,
                JobOptions.TOPIC_SESSIONS.key(), sessions,
                JobOptions.KAFKA_GROUP.key(), group,
                JobOptions.STARTING_OFFSETS.key(), "earliest",
                JobOptions.BOUNDED.key(), "true",
                JobOptions.TRANSACTIONAL_ID_PREFIX.key(), group));
        for (Map.Entry<String, String> e : extra.entrySet()) {
            c = c.with(e.getKey(), e.getValue());
        }
        return c;
    }
}
