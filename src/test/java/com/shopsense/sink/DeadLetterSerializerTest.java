package com.shopsense.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.event.DeadLetter;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class DeadLetterSerializerTest {
    private final DeadLetterSerializer s = new DeadLetterSerializer("dlq");

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void anUnexpectedErrorCarriesItsClassAndMessageAContractViolationDoesNot() {
        ProducerRecord<byte[], byte[]> bug = s.serialize(new DeadLetter(new byte[] {1}, "unexpected_error: sessionize threw X",
                "t", -1, -1, DeadLetter.STAGE_SESSIONIZE, "java.lang.X", "boom (at a.B.c:1)"), null, null);
        assertThat(header(bug, DeadLetterSerializer.H_STAGE)).isEqualTo("sessionize");
        assertThat(header(bug, DeadLetterSerializer.H_ERROR_CLASS)).isEqualTo("java.lang.X");
        assertThat(header(bug, DeadLetterSerializer.H_ERROR_MESSAGE)).isEqualTo("boom (at a.B.c:1)");
        assertThat(bug.value()).containsExactly(1);

        ProducerRecord<byte[], byte[]> bad = s.serialize(new DeadLetter(new byte[0], "tombstone: x", "t", 0, 5,
                DeadLetter.STAGE_PARSE), null, null);
        assertThat(header(bad, DeadLetterSerializer.H_ERROR_CLASS)).isNull();
        assertThat(header(bad, DeadLetterSerializer.H_REASON)).isEqualTo("tombstone: x");
    }
}
