package com.shopsense.testing;

import com.shopsense.tools.local.KafkaBrokerProcess;
import java.nio.file.Files;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension: one real Kafka broker (KRaft, child JVM) for the whole test run, started on
 * first use and stopped when the run ends, so CI pays its start-up once.
 */
public final class SharedKafka implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SharedKafka.class);
    private static KafkaBrokerProcess broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(NS).getOrComputeIfAbsent("broker", k -> {
            start();
            return (ExtensionContext.Store.CloseableResource) SharedKafka::stop;
        });
    }

    /** The broker of this test run (started on first call). */
    public static synchronized KafkaBrokerProcess broker() {
        start();
        return broker;
    }

    public static String bootstrap() {
        return broker().bootstrapServers();
    }

    private static synchronized void start() {
        if (broker == null) {
            try {
                broker = KafkaBrokerProcess.start(Files.createTempDirectory("shopsense-kafka-"));
            } catch (Exception e) {
                throw new IllegalStateException("could not start the test Kafka broker", e);
            }
        }
    }

    private static synchronized void stop() throws InterruptedException {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
