package com.shopsense.tools.replay;

import com.shopsense.event.EventJson;
import com.shopsense.event.ShopEvent;
import com.shopsense.tools.kafka.KafkaClientProps;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Replays events to Kafka in time order at a fixed rate (open loop: the schedule does not wait for
 * the job). {@code copies > 1} replays the slice that many times side by side with remapped user
 * and event ids ({@code u~k}), to scale the number of users. Malformed records are mixed in at an
 * even spacing so the dead-letter path is exercised too.
 */
public final class ReplayProducer implements Runnable {
    private final Properties producerProps;
    private final String topic;
    private final List<ShopEvent> events;
    private final List<byte[]> malformed;
    private final int copies;
    private final double ratePerSecond;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong malformedSent = new AtomicLong();
    private final AtomicLong reviewsSent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final org.apache.kafka.clients.producer.Callback onAck = (metadata, error) -> {
        if (error != null) {
            failed.incrementAndGet();
        }
    };
    private volatile boolean stopped;

    public ReplayProducer(String bootstrap, String topic, List<ShopEvent> events, List<byte[]> malformed, int copies,
            double ratePerSecond) {
        this(KafkaClientProps.bytesProducer(bootstrap), topic, events, malformed, copies, ratePerSecond);
    }

    /** With these producer settings, e.g. {@link KafkaClientProps#bytesProducer(com.shopsense.config.JobConfig)}. */
    public ReplayProducer(Properties producerProps, String topic, List<ShopEvent> events, List<byte[]> malformed,
            int copies, double ratePerSecond) {
        this.producerProps = producerProps;
        this.topic = topic;
        this.events = events;
        this.malformed = malformed;
        this.copies = copies;
        this.ratePerSecond = ratePerSecond;
    }

    public long sent() {
        return sent.get();
    }

    public long malformedSent() {
        return malformedSent.get();
    }

    /** Review events sent (copies included). */
    public long reviewsSent() {
        return reviewsSent.get();
    }

    public long total() {
        return (long) events.size() * copies + malformed.size();
    }

    /** Records the broker never acknowledged (a run with any is not a valid replay). */
    public long failed() {
        return failed.get();
    }

    public boolean finished() {
        return sent.get() >= total();
    }

    public void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        Properties p = producerProps;
        long total = total();
        long every = malformed.isEmpty() ? Long.MAX_VALUE : Math.max(1, total / (malformed.size() + 1));
        long start = System.nanoTime();
        int m = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            long n = 0;
            for (ShopEvent e : events) {
                for (int k = 0; k < copies && !stopped; k++) {
                    if (m < malformed.size() && n > 0 && n % every == 0) {
                        producer.send(new ProducerRecord<>(topic, ("junk-" + m).getBytes(StandardCharsets.UTF_8),
                                malformed.get(m++)), onAck);
                        malformedSent.incrementAndGet();
                        pace(start, ++n);
                    }
                    ShopEvent copy = k == 0 ? e : remap(e, k);
                    producer.send(new ProducerRecord<>(topic, copy.userId().getBytes(StandardCharsets.UTF_8),
                            EventJson.toBytes(copy)), onAck);
                    if (copy.type() == com.shopsense.event.EventType.REVIEW) {
                        reviewsSent.incrementAndGet();
                    }
                    pace(start, ++n);
                }
                if (stopped) {
                    break;
                }
            }
            while (m < malformed.size() && !stopped) {
                producer.send(new ProducerRecord<>(topic, ("junk-" + m).getBytes(StandardCharsets.UTF_8), malformed.get(m++)),
                        onAck);
                malformedSent.incrementAndGet();
                pace(start, ++n);
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pace(long start, long n) throws InterruptedException {
        sent.set(n);
        if (ratePerSecond <= 0) {
            return;
        }
        long due = start + (long) (n * 1e9 / ratePerSecond);
        long wait = due - System.nanoTime();
        if (wait > 1_000_000) {
            Thread.sleep(wait / 1_000_000);
        }
    }

    /** Copy {@code k} of an event: user, event, card and device ids suffixed {@code ~k}, so copies are new users. */
    public static ShopEvent remap(ShopEvent e, int k) {
        return new ShopEvent(e.eventId() + "~" + k, e.userId() + "~" + k, e.type(), e.timestampMs(), e.itemId(),
                e.categoryId(), e.price(), e.quantity(), e.amount(), e.currency(), e.query(), e.paymentMethod(),
                e.cardFingerprint() == null ? null : e.cardFingerprint() + "~" + k,
                e.deviceId() == null ? null : e.deviceId() + "~" + k, e.ip(), e.country(), e.rating(), e.text(),
                e.merchantId());
    }
}
