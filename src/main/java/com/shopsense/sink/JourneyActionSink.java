package com.shopsense.sink;

import com.shopsense.scoring.JourneyAction;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/**
 * The journey-actions KafkaSink: exactly-once (per kafka.delivery-guarantee), transactional ids "prefix-actions",
 * like the fraud alerts.
 */
public final class JourneyActionSink {
    private JourneyActionSink() {
    }

    public static KafkaSink<JourneyAction> create(KafkaSinkSettings s, String topic) {
        return KafkaSinks.create(s, "actions", new JourneyActionSerializer(topic));
    }
}
