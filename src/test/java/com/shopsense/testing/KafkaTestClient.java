package com.shopsense.testing;

import com.shopsense.tools.kafka.KafkaClientProps;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/** Plain Kafka clients for tests: create topics, produce records, read a topic to its end. */
public final class KafkaTestClient {
    private final String bootstrap;
    private final Properties clientProps;

    public KafkaTestClient(String bootstrap) {
        this(bootstrap, new Properties());
    }

    /** With extra client properties on every client (security.protocol, sasl.*, ssl.*). */
    public KafkaTestClient(String bootstrap, Properties clientProps) {
        this.bootstrap = bootstrap;
        this.clientProps = clientProps;
    }

    /** The brokers and kafka.properties.* of a job: reads and writes what that job reads and writes. */
    public static KafkaTestClient of(com.shopsense.config.JobConfig cfg) {
        return new KafkaTestClient(cfg.get(com.shopsense.config.JobOptions.KAFKA_BOOTSTRAP), cfg.kafkaClientProperties());
    }

    private Admin admin() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.putAll(clientProps);
        return Admin.create(p);
    }

    private Properties with(Properties p) {
        p.putAll(clientProps);
        return p;
    }

    public void createTopics(int partitions, String... topics) throws Exception {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> fresh = java.util.Arrays.stream(topics).filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, partitions, (short) 1)).collect(Collectors.toList());
            admin.createTopics(fresh).all().get(30, TimeUnit.SECONDS);
        }
    }

    public KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(with(KafkaClientProps.bytesProducer(bootstrap)));
    }

    /** Sends key/value pairs in order and waits until all are acknowledged. */
    public void produce(String topic, List<Map.Entry<String, byte[]>> records) {
        List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (Map.Entry<String, byte[]> r : records) {
                byte[] key = r.getKey() == null ? null : r.getKey().getBytes(StandardCharsets.UTF_8);
                sent.add(producer.send(new ProducerRecord<>(topic, key, r.getValue())));
            }
            producer.flush();
            for (var f : sent) {
                f.get(); // a lost record must fail the test here, not show up as a wrong count later
            }
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("producing test input to " + topic + " failed", e);
        }
    }

    /** Reads committed records of a topic from the beginning until {@code done} holds or the timeout passes. */
    public List<ConsumerRecord<byte[], byte[]>> readCommitted(
            String topic, Duration timeout, Predicate<List<ConsumerRecord<byte[], byte[]>>> done) {
        Properties p = with(KafkaClientProps.committedBytesConsumer(bootstrap));
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).collect(Collectors.toList());
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                if (done.test(out)) {
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Reads every committed record of a topic whose writers have finished: polls until the
     * read_committed position has passed each partition's high watermark, i.e. until every
     * transaction in the topic is resolved (committed records read, aborted ones skipped).
     */
    public List<ConsumerRecord<byte[], byte[]>> readAllCommitted(String topic) {
        return readAll(topic, "read_committed");
    }

    /**
     * Every record written to the topic, committed or not: for a job that was cancelled, whose last transaction
     * stays open until it times out. Only where nothing was aborted (no restart), else aborted records count too.
     */
    public List<ConsumerRecord<byte[], byte[]>> readAllWritten(String topic) {
        return readAll(topic, "read_uncommitted");
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic, String isolation) {
        Map<TopicPartition, Long> highWatermarks = new java.util.HashMap<>();
        try (Admin admin = admin()) {
            Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()),
                            org.apache.kafka.clients.admin.OffsetSpec.latest()));
            admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, i) -> highWatermarks.put(tp, i.offset()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read end offsets of " + topic, e);
        }
        Properties p = with(KafkaClientProps.committedBytesConsumer(bootstrap));
        p.setProperty("isolation.level", isolation);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.assign(highWatermarks.keySet());
            consumer.seekToBeginning(highWatermarks.keySet());
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (highWatermarks.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("transactions in " + topic + " still open after 2 minutes");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** Waits until a consumer group has committed any offset (a Flink source commits on checkpoints). */
    public void awaitSomeCommitted(String group, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                if (!admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                        .isEmpty()) {
                    return;
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("group " + group + " committed nothing within " + timeout);
    }

    /** Records of a topic behind a consumer group's committed offsets (all of them when it has committed none). */
    public long lag(String group, String topic) throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()),
                            org.apache.kafka.clients.admin.OffsetSpec.latest()));
            Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            long lag = 0;
            for (var e : admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).entrySet()) {
                var c = committed.get(e.getKey());
                lag += e.getValue().offset() - (c == null ? 0 : c.offset());
            }
            return lag;
        }
    }

    /** Waits until a consumer group has committed the end offset of every partition of a topic. */
    public void awaitCommittedToEnd(String group, String topic, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = admin()) {
            Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()),
                            org.apache.kafka.clients.admin.OffsetSpec.latest()));
            Map<TopicPartition, Long> end = new java.util.HashMap<>();
            admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> end.put(tp, info.offset()));
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                boolean done = end.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                        && committed.get(e.getKey()).offset() >= e.getValue());
                if (done) {
                    return;
                }
                Thread.sleep(200);
            }
        }
        throw new AssertionError("group " + group + " did not commit the end of " + topic + " within " + timeout);
    }

    public static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
