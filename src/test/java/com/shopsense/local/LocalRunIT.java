package com.shopsense.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.testing.Datasets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, unattended and shortened: it starts its own broker, redis-server and
 * MiniCluster, replays real sessions with planted fraud, and its summary (read back from Kafka and
 * Redis, not from log lines) shows every part worked.
 */
class LocalRunIT {
    @TempDir
    Path work;

    @Test
    void aShortUnattendedRunReplaysScoresRecommendsAndAlerts() throws Exception {
        LocalRun.Summary s = LocalRun.run(new String[] {
                "--duration", "35", "--rows", "20000", "--rate", "4000", "--fraud-every", "10",
                "--workdir", work.toString(), "--web-ui-port", "0", "--demo-port", "0", "--datasets", Datasets.root().toString(),
                "--session.gap", "5 min"});

        assertThat(s.eventsReplayed()).isGreaterThan(20_000);
        assertThat(s.sessionsClosed()).isPositive();
        assertThat(s.usersWithScores()).isPositive();
        assertThat(s.usersWithRecommendations()).isPositive();
        assertThat(s.plantedFraudUsers()).isNotEmpty();
        assertThat(s.plantedFraudUsersAlerted()).isPositive();
        assertThat(s.alerts()).isPositive();
        assertThat(s.deadLetters()).isEqualTo(s.malformedInjected() + s.invalidInData());
        assertThat(s.healthy()).isTrue();
    }
}
