package com.shopsense.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.event.ParsedRecord;
import com.shopsense.testing.FlinkTestConfig;
import com.shopsense.testing.KafkaTestClient;
import com.shopsense.testing.SharedKafka;
import com.shopsense.testing.SharedRedis;
import com.shopsense.testing.TestTopics;
import com.shopsense.testing.UpgradeFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Makes the savepoint {@link PojoSavepointMigrationIT} restores: not a test, a program that must be run with the
 * RELEASE BEFORE (the commit whose state it is meant to hold), so it compiles against both. It replays the events
 * of {@link UpgradeFixture} before its cut, waits until the job has checkpointed all of them, stops it with a
 * canonical savepoint (not drained: sessions stay open, timers pending) and writes into the directory
 * {@code shopsense.savepoint.out}: the savepoint's files and {@code sessions-before.jsonl} (the closed sessions the
 * old job published before it stopped). With RocksDB timers, as that release ran. How (from the repository root):
 *
 * <pre>
 * git worktree add --detach ../wt-old 480baa7
 * cp src/test/java/com/shopsense/testing/UpgradeFixture.java ../wt-old/src/test/java/com/shopsense/testing/
 * cp src/test/java/com/shopsense/job/PojoSavepointGeneratorIT.java ../wt-old/src/test/java/com/shopsense/job/
 * (cd ../wt-old &amp;&amp; mvn -o verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=PojoSavepointGeneratorIT -Dshopsense.savepoint.out=$PWD/../&lt;repo&gt;/src/test/resources/savepoints/pojo-480baa7)
 * git worktree remove --force ../wt-old
 * </pre>
 */
@EnabledIfSystemProperty(named = "shopsense.savepoint.out", matches = ".+")
@ExtendWith({SharedKafka.class, SharedRedis.class})
class PojoSavepointGeneratorIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkTestConfig.miniCluster(1, 2);

    @TempDir
    Path dir;

    @Test
    void stopTheOldReleaseWithACanonicalSavepointMidStream() throws Exception {
        Path out = Path.of(System.getProperty("shopsense.savepoint.out"));
        UpgradeFixture fixture = UpgradeFixture.build();
        KafkaTestClient kafka = new KafkaTestClient(SharedKafka.bootstrap());
        TestTopics topics = UpgradeFixture.topics("old");
        kafka.createTopics(2, topics.allTopics());
        kafka.produce(topics.events(), fixture.beforeCut());

        JobConfig cfg = topics.jobConfig(UpgradeFixture.jobOptions(Map.of(JobOptions.BOUNDED.key(), "false")));
        Configuration conf = FlinkTestConfig.rocksDbWithCheckpoints(dir.resolve("run"), Duration.ofMillis(300));
        conf.setString("state.backend.rocksdb.timer-service.factory", "ROCKSDB"); // the old release's timers
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        DataStream<ParsedRecord> records = env
                .fromSource(ShopSenseJob.source(cfg), ShopSenseJob.watermarks(cfg), "Kafka shop-events")
                .uid("kafka-shop-events");
        ShopSenseJob.attachSinks(ShopSenseJob.defineWorkflow(records, cfg), cfg);
        JobClient job = env.executeAsync("pojo-savepoint-generator");

        kafka.awaitCommittedToEnd(cfg.get(JobOptions.KAFKA_GROUP), topics.events(), Duration.ofMinutes(3));
        Thread.sleep(3_000); // the watermark past the first sessions' gaps: their closes, churn and segments through
        String savepoint = job.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get(2, TimeUnit.MINUTES);

        List<String> closed = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readAllCommitted(topics.sessions())) {
            closed.add(new String(r.value(), StandardCharsets.UTF_8));
        }
        assertThat(closed).as("first sessions closed before the stop").isNotEmpty();

        Path from = Path.of(java.net.URI.create(savepoint.startsWith("file:") ? savepoint : "file://" + savepoint));
        if (Files.exists(out)) {
            try (Stream<Path> old = Files.walk(out)) {
                old.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(out)
                        && !p.getFileName().toString().equals("README.md")).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(out);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path to = out.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        closed.sort(null);
        Files.write(out.resolve("sessions-before.jsonl"), closed, StandardCharsets.UTF_8);
    }
}
