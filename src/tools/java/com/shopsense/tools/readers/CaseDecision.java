package com.shopsense.tools.readers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopsense.config.JobOptions;
import com.shopsense.event.EventLimits;
import com.shopsense.event.InvalidEventException;
import com.shopsense.event.LabelParser;
import com.shopsense.tools.kafka.KafkaClientProps;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends one case outcome of the risk team to the label topic (README "Risk feedback"), after checking
 * it against the same contract the job applies, so a typo fails here and not in the DLQ.
 *
 * <pre>
 * java -cp ... com.shopsense.tools.readers.CaseDecision --kafka.bootstrap-servers localhost:9092 \
 *     --event-id e-981 --label fraud [--alert-id 5d0c...] [--merchant-id m7] [--user-id u42] \
 *     [--source case] [--label-id case-123] [--decided-at 2026-11-24T10:00:00Z]
 * </pre>
 */
public final class CaseDecision {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CaseDecision() {
    }

    public static void main(String[] args) throws Exception {
        ReaderArgs a = new ReaderArgs(args, Set.of("event-id", "label", "alert-id", "merchant-id", "user-id", "source",
                "label-id", "decided-at"));
        byte[] json = json(a.get("label-id", "case-" + UUID.randomUUID()), a.get("event-id", ""), a.get("alert-id", ""),
                a.get("user-id", ""), a.get("merchant-id", ""), a.get("label", ""), a.get("source", "case"),
                a.get("decided-at", Instant.now().toString()));
        try {
            new LabelParser(EventLimits.defaults(), System::currentTimeMillis).parse(json, "cli", 0, 0);
        } catch (InvalidEventException e) {
            System.err.println("not sent, the label breaks the contract: " + e.getMessage());
            System.exit(2);
        }
        String topic = a.job.get(JobOptions.TOPIC_LABELS);
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(KafkaClientProps.bytesProducer(a.job))) {
            var meta = p.send(new ProducerRecord<>(topic, a.get("event-id", "").getBytes(StandardCharsets.UTF_8), json))
                    .get();
            System.out.println("sent to " + topic + "-" + meta.partition() + "@" + meta.offset() + ": "
                    + new String(json, StandardCharsets.UTF_8));
        }
    }

    /** The label document; empty optional values are left out. */
    static byte[] json(String labelId, String eventId, String alertId, String userId, String merchantId, String label,
            String source, String decidedAt) {
        ObjectNode n = JSON.createObjectNode();
        n.put("labelId", labelId);
        n.put("eventId", eventId);
        putIfPresent(n, "alertId", alertId);
        putIfPresent(n, "userId", userId);
        putIfPresent(n, "merchantId", merchantId);
        n.put("label", label);
        n.put("source", source);
        n.put("decidedAt", decidedAt);
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void putIfPresent(ObjectNode n, String field, String value) {
        if (value != null && !value.isEmpty()) {
            n.put(field, value);
        }
    }
}
