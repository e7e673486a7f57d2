package com.shopsense.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.scoring.AlertIds;
import com.shopsense.scoring.FraudAlert;
import com.shopsense.tools.readers.RiskConsole;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class FraudAlertSerializerTest {
    @Test
    void alertIdsAreDeterministicPerEventAndModelVersion() {
        assertThat(AlertIds.of("e1", "abc")).isEqualTo(AlertIds.of("e1", "abc")).hasSize(32).matches("[0-9a-f]+");
        assertThat(AlertIds.of("e1", "abc")).isNotEqualTo(AlertIds.of("e1", "abd")).isNotEqualTo(AlertIds.of("e2", "abc"));
    }

    @Test
    void jsonFollowsTheContractKeyedByUser() throws Exception {
        FraudAlert a = new FraudAlert(AlertIds.of("e1", "f9"), "u1", "e1", 0.97, 0.8, "fraud", "f9",
                new String[] {"AMOUNT_8X_MEDIAN", "NEW_DEVICE"}, 1_700_000_000_000L, 1_700_000_000_500L, "m3", 912.5, null, null);
        ProducerRecord<byte[], byte[]> r = new FraudAlertSerializer("fraud-alerts").serialize(a, null, null);
        assertThat(r.topic()).isEqualTo("fraud-alerts");
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("u1");
        assertThat(r.timestamp()).as("wall-clock emission time, so retention keeps replayed alerts").isEqualTo(1_700_000_000_500L);
        JsonNode n = new ObjectMapper().readTree(r.value());
        assertThat(n.fieldNames()).toIterable().containsExactly("schemaVersion", "alertId", "userId", "eventId", "score",
                "threshold", "model", "modelVersion", "reasons", "eventTime", "emittedAt", "merchantId", "amount");
        assertThat(n.get("eventTime").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(n.get("reasons").get(1).asText()).isEqualTo("NEW_DEVICE");
        assertThat(RiskConsole.line(r.value())).contains("ALERT " + a.alertId()).contains("user=u1")
                .contains("score=0.970>=0.800").contains("reasons=AMOUNT_8X_MEDIAN,NEW_DEVICE");
    }
}
