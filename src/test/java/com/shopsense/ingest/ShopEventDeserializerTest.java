package com.shopsense.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.event.EventLimits;
import com.shopsense.event.ParsedRecord;
import com.shopsense.event.ReasonCodes;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The Kafka side of parsing: coordinates on dead letters, tombstone vs empty value, the key check. */
class ShopEventDeserializerTest {
    private static final String VALID = "{\"eventId\":\"e\",\"userId\":\"u-1\",\"type\":\"search\",\"ts\":1700000000000}";
    private final ShopEventDeserializer deserializer = new ShopEventDeserializer(EventLimits.defaults());

    private static ConsumerRecord<byte[], byte[]> record(String key, byte[] value) {
        return new ConsumerRecord<>("shop-events", 3, 77L, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
    }

    @Test
    void aTombstoneAndAZeroLengthValueGetDifferentReasons() {
        ParsedRecord tombstone = deserializer.parse(record("u", null));
        ParsedRecord empty = deserializer.parse(record("u", new byte[0]));
        assertThat(tombstone.deadLetter().reasonCode()).isEqualTo(ReasonCodes.TOMBSTONE);
        assertThat(empty.deadLetter().reasonCode()).isEqualTo(ReasonCodes.EMPTY_PAYLOAD);
        assertThat(tombstone.deadLetter().raw()).as("written as an empty value; the header tells them apart").isEmpty();
        assertThat(tombstone.deadLetter().sourcePartition()).isEqualTo(3);
        assertThat(tombstone.deadLetter().sourceOffset()).isEqualTo(77L);
        assertThat(tombstone.deadLetter().errorClass()).isNull();
    }

    @Test
    void aKeyOtherThanTheUserIdIsAcceptedButCounted() {
        byte[] v = VALID.getBytes(StandardCharsets.UTF_8);
        assertThat(deserializer.parse(record("u-1", v)).isValid()).isTrue();
        assertThat(deserializer.keyCheck().mismatches()).isZero();
        assertThat(deserializer.parse(record("u-2", v)).isValid()).isTrue();
        assertThat(deserializer.parse(record(null, v)).isValid()).isTrue();
        assertThat(deserializer.keyCheck().mismatches()).isEqualTo(1);
        assertThat(deserializer.keyCheck().missing()).isEqualTo(1);
        deserializer.parse(record("u-2", new byte[0]));
        assertThat(deserializer.keyCheck().mismatches()).as("dead letters are not key-checked").isEqualTo(1);
    }

    @Test
    void theRestartLoopRecordsOfIssue16BecomeDeadLetters() {
        for (String ts : new String[] {"\"9999999999999999999\"", "\"+999999999-12-31T23:59:59Z\""}) {
            ParsedRecord r = deserializer.parse(record("u", VALID.replace("1700000000000", ts).getBytes(StandardCharsets.UTF_8)));
            assertThat(r.isValid()).isFalse();
            assertThat(r.deadLetter().reasonCode()).isEqualTo(ReasonCodes.TS_OUT_OF_RANGE);
        }
    }

    @Test
    void labelsGetTheSameEnvelopeRules() {
        FraudLabelDeserializer labels = new FraudLabelDeserializer(EventLimits.defaults());
        assertThat(labels.parse(record("k", null)).deadLetter().reasonCode()).isEqualTo(ReasonCodes.TOMBSTONE);
        assertThat(labels.parse(record("k", "{\"labelId\":\"l\",\"labelId\":\"m\"}".getBytes(StandardCharsets.UTF_8)))
                .deadLetter().reasonCode()).isEqualTo(ReasonCodes.DUPLICATE_KEY);
    }
}
