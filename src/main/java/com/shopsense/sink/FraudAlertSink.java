package com.shopsense.sink;

import com.shopsense.scoring.FraudAlert;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/** The fraud-alerts KafkaSink: exactly-once (per kafka.delivery-guarantee), transactional ids "prefix-alerts". */
public final class FraudAlertSink {
    private FraudAlertSink() {
    }

    public static KafkaSink<FraudAlert> create(KafkaSinkSettings s, String topic) {
        return KafkaSinks.create(s, "alerts", new FraudAlertSerializer(topic));
    }
}
