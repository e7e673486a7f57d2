package com.shopsense.sink;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.scoring.FraudAlert;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/** The fraud-alerts KafkaSink: exactly-once (per kafka.delivery-guarantee), transactional ids "prefix-alerts". */
public final class FraudAlertSink {
    private FraudAlertSink() {
    }

    public static KafkaSink<FraudAlert> create(JobConfig cfg) {
        return KafkaSinks.create(cfg, "alerts", new FraudAlertSerializer(cfg.get(JobOptions.TOPIC_ALERTS)));
    }
}
