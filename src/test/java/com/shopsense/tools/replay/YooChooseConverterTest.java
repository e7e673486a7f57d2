package com.shopsense.tools.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import com.shopsense.testing.Datasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YooChooseConverterTest {
    @TempDir
    Path tmp;

    @Test
    void aSessionIsAUserAndAClickAViewAtItsOwnTimeInTimeOrder() throws Exception {
        Path train = Files.writeString(tmp.resolve("train.txt"), """
                SessionId\tItemId\tTime
                3\t214716935\t1396437466.94
                3\t214832672\t1396437400.0006
                6\t214701242\t1396437450.5
                """);
        Path test = Files.writeString(tmp.resolve("test.txt"), """
                SessionId\tItemId\tTime
                1\t214536502\t1396860669.277
                """);
        List<ShopEvent> events = YooChooseConverter.read(List.of(train, test), null, 1_000_000);

        // ids number each session's clicks by time (session 3's second row is its first click); the list is by time
        assertThat(events).extracting(ShopEvent::eventId, ShopEvent::userId, ShopEvent::type, ShopEvent::timestampMs,
                ShopEvent::itemId).containsExactly(
                        tuple("yc-3-0", "yc-3", EventType.VIEW, 1396437400001L, "214832672"),
                        tuple("yc-6-0", "yc-6", EventType.VIEW, 1396437450500L, "214701242"),
                        tuple("yc-3-1", "yc-3", EventType.VIEW, 1396437466940L, "214716935"),
                        tuple("yc-1-0", "yc-1", EventType.VIEW, 1396860669277L, "214536502"));
        assertThat(events).allSatisfy(e -> assertThat(e.amount()).isNull());
        assertThat(YooChooseConverter.read(List.of(train, test), null, 2)).hasSize(2);
    }

    @Test
    void columnsAreFoundByNameAndBuysBecomeOrdersWithTheirPrice() throws Exception {
        Path clicks = Files.writeString(tmp.resolve("clicks.txt"), """
                Time\tSessionId\tItemId
                1396437400\t9\t111
                """);
        Path buys = Files.writeString(tmp.resolve("yoochoose-buys.dat"), """
                9,2014-04-02T11:17:00.500Z,111,1046,2
                9,2014-04-02T11:18:00Z,222,0,1
                """);
        List<ShopEvent> events = YooChooseConverter.read(List.of(clicks), buys, 100);

        assertThat(events).extracting(ShopEvent::eventId, ShopEvent::type, ShopEvent::itemId, ShopEvent::price,
                ShopEvent::quantity).containsExactly(
                        tuple("yc-9-0", EventType.VIEW, "111", null, null),
                        tuple("ycb-9-0", EventType.ORDER, "111", 1046.0, 2),
                        tuple("ycb-9-1", EventType.ORDER, "222", null, 1)); // price 0 = unknown
        assertThat(events.get(1).timestampMs()).isEqualTo(1396437420500L);
        // the synthetic layer pays for the orders: one payment each, and the replay stays in time order
        List<ShopEvent> replay = SyntheticPayments.addTo(events, 0).events();
        assertThat(replay).filteredOn(e -> e.type() == EventType.PAYMENT).hasSize(2);
        assertThat(replay).isSortedAccordingTo(java.util.Comparator.comparingLong(ShopEvent::timestampMs));
    }

    @Test
    void copiesRemapUsersAndEventIdsAndKeepTheTimes() throws Exception {
        Path clicks = Files.writeString(tmp.resolve("clicks.txt"), """
                SessionId\tItemId\tTime
                5\t1\t1396437400
                5\t2\t1396437460
                """);
        List<ShopEvent> base = YooChooseConverter.read(List.of(clicks), null, 100);
        Set<String> users = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (int k = 0; k < 3; k++) {
            for (ShopEvent e : base) {
                ShopEvent c = k == 0 ? e : ReplayProducer.remap(e, k); // as the load harness pre-loads copies
                users.add(c.userId());
                ids.add(c.eventId());
                assertThat(c.timestampMs()).isEqualTo(e.timestampMs());
                assertThat(c.itemId()).isEqualTo(e.itemId());
            }
        }
        assertThat(users).containsExactlyInAnyOrder("yc-5", "yc-5~1", "yc-5~2");
        assertThat(ids).hasSize(6);
    }

    @Test
    @Tag(Datasets.TAG)
    void theSharedSampleHasItsDocumentedClicksAndSessions() throws Exception {
        Datasets.file(YooChooseConverter.FOLDER + "/" + YooChooseConverter.CLICK_FILES.get(0));
        List<ShopEvent> events = YooChooseConverter.readFolder(Datasets.root().resolve(YooChooseConverter.FOLDER),
                Integer.MAX_VALUE);
        assertThat(events).hasSize(70_278 + 13_568);
        assertThat(events.stream().map(ShopEvent::userId).distinct().count()).isEqualTo(17_794 + 3_416);
        assertThat(events).isSortedAccordingTo(java.util.Comparator.comparingLong(ShopEvent::timestampMs));
    }
}
