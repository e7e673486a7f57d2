package com.shopsense.tools.local;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Records behind the job's committed offsets (Flink commits them with each checkpoint), read with
 * short timeouts so that a stalled broker costs the progress loop a few seconds and a "broker
 * unreachable", never the run.
 */
final class KafkaLag implements AutoCloseable {
    enum Kind { KNOWN, NO_OFFSETS, UNREACHABLE }

    record Lag(Kind kind, long records) {
        static final Lag NO_OFFSETS = new Lag(Kind.NO_OFFSETS, 0);
        static final Lag UNREACHABLE = new Lag(Kind.UNREACHABLE, 0);
    }

    private static final long TIMEOUT_MS = 3_000;
    private final Admin admin;
    private final String group;

    KafkaLag(String bootstrap, String group) {
        this(props(bootstrap), group);
    }

    /** @param adminProperties the job's admin client settings (brokers and kafka.properties.*) */
    KafkaLag(java.util.Properties adminProperties, String group) {
        java.util.Properties p = new java.util.Properties();
        p.putAll(adminProperties);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
        this.admin = Admin.create(p);
        this.group = group;
    }

    private static java.util.Properties props(String bootstrap) {
        java.util.Properties p = new java.util.Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return p;
    }

    Lag read() {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>(admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
            committed.values().removeIf(o -> o == null);
            if (committed.isEmpty()) {
                return Lag.NO_OFFSETS;
            }
            Map<TopicPartition, OffsetSpec> q = new HashMap<>();
            committed.keySet().forEach(tp -> q.put(tp, OffsetSpec.latest()));
            long lag = 0;
            for (var e : admin.listOffsets(q).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).entrySet()) {
                lag += Math.max(0, e.getValue().offset() - committed.get(e.getKey()).offset());
            }
            return new Lag(Kind.KNOWN, lag);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Lag.UNREACHABLE;
        } catch (Exception e) {
            return Lag.UNREACHABLE;
        }
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(5));
    }
}
