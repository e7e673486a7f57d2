package com.shopsense.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.event.ShopEventSamples;
import com.shopsense.scoring.Recommendation;
import com.shopsense.serial.FormatSerializerContract;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class RecoShownListsSerializerTest extends FormatSerializerContract<RecoShownLists> {

    @Override
    protected TypeSerializer<RecoShownLists> createSerializer() {
        return RecoShownListsSerializer.INSTANCE;
    }

    @Override
    protected Class<RecoShownLists> getTypeClass() {
        return RecoShownLists.class;
    }

    /** Up to 16 lists of 0-20 items built by add() (keys of 32 bits, as kept), an empty value, null arrays. */
    @Override
    protected RecoShownLists[] getTestData() {
        Random r = new Random(13);
        Stream<RecoShownLists> random = Stream.generate(() -> lists(r, r.nextInt(17))).limit(40);
        RecoShownLists nulls = new RecoShownLists();
        nulls.generatedAt = null;
        nulls.modelVersion = null;
        nulls.source = null;
        nulls.itemEnd = null;
        nulls.itemHashes = null;
        return Stream.concat(random, Stream.of(new RecoShownLists(), nulls)).toArray(RecoShownLists[]::new);
    }

    private static RecoShownLists lists(Random r, int n) {
        RecoShownLists l = new RecoShownLists();
        for (int i = 0; i < n; i++) {
            l.add(r.nextInt(1_000_000), r.nextInt(5) == 0 ? null : ShopEventSamples.string(r),
                    r.nextBoolean() ? Recommendation.MODEL : Recommendation.TRENDING, r.longs(r.nextInt(21)).toArray(), 16);
        }
        l.expiryTimer = r.nextLong();
        l.evaluatedThrough = r.nextLong();
        return l;
    }

    @Test
    void itemKeysTakeFourBytesAndStillFindEveryItemByItsFullHash() throws Exception {
        Random r = new Random(17);
        RecoShownLists l = new RecoShownLists();
        long[] items = r.longs(20).toArray();
        l.add(100, "v1", Recommendation.MODEL, items, 16);
        byte[] written = bytes(l);
        assertThat(written.length).as("20 keys of 4 bytes and the rest").isLessThan(20 * 4 + 40);
        RecoShownLists back = RecoShownListsSerializer.INSTANCE.deserialize(new DataInputDeserializer(written));
        for (int i = 0; i < items.length; i++) {
            assertThat(back.rank(0, items[i], 20)).isEqualTo(i + 1);
            assertThat(back.latestWith(items[i], 0, 1_000)).isEqualTo("v1");
        }
        assertThat(back.rank(0, items[0] ^ 1, 20)).as("another key").isZero();
    }

    @Test
    void thePojoStateOfTheReleaseBeforeMigratesAndItsFullHashesStillMatch() throws Exception {
        Random r = new Random(19);
        RecoShownLists before = lists(r, 5);
        long[] full = r.longs(20).toArray(); // as the release before kept them: 64 bits
        RecoShownLists old = new RecoShownLists();
        old.generatedAt = new long[] {500};
        old.modelVersion = new String[] {"v0"};
        old.source = new String[] {Recommendation.MODEL};
        old.itemEnd = new int[] {full.length};
        old.itemHashes = full;
        for (RecoShownLists l : new RecoShownLists[] {before, old}) {
            // what the migration writes: the POJO-read value in this serializer's bytes
            RecoShownLists now = RecoShownListsSerializer.INSTANCE.deserialize(new DataInputDeserializer(
                    bytes(migratedFromPojo(l))));
            assertThat(now.generatedAt).isEqualTo(l.generatedAt);
            assertThat(now.itemEnd).isEqualTo(l.itemEnd);
            assertThat(now.modelVersion).isEqualTo(l.modelVersion);
            assertThat(now.evaluatedThrough).isEqualTo(l.evaluatedThrough);
        }
        RecoShownLists now = RecoShownListsSerializer.INSTANCE.deserialize(new DataInputDeserializer(
                bytes(migratedFromPojo(old))));
        for (int i = 0; i < full.length; i++) {
            assertThat(now.rank(0, full[i], 20)).as("a click hashed as before finds its item").isEqualTo(i + 1);
        }
    }

    private static byte[] bytes(RecoShownLists l) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        RecoShownListsSerializer.INSTANCE.serialize(l, out);
        return out.getCopyOfBuffer();
    }

    @Test
    void flinksTypeExtractionPicksIt() {
        assertThat(TypeInformation.of(RecoShownLists.class).createSerializer(new SerializerConfigImpl()))
                .isSameAs(RecoShownListsSerializer.INSTANCE);
    }
}
