package com.shopsense.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LabelParserTest {
    private static final long NOW = Instant.parse("2026-11-24T00:00:00Z").toEpochMilli();
    private final LabelParser parser = new LabelParser(EventLimits.defaults(), () -> NOW);

    private FraudLabel parse(String json) throws InvalidEventException {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8), "fraud-labels", 1, 42);
    }

    @Test
    void aChargebackForAPaymentIsReadWithItsSourceCoordinates() throws Exception {
        FraudLabel l = parse("""
                {"labelId":"lbl-1","eventId":"fh-9","userId":"fh-3","merchantId":"T7","label":"fraud",
                 "source":"chargeback","decidedAt":"2018-07-08T10:00:00Z","scenario":2}""");
        assertThat(l.labelId()).isEqualTo("lbl-1");
        assertThat(l.eventId()).isEqualTo("fh-9");
        assertThat(l.merchantId()).isEqualTo("T7");
        assertThat(l.fraud()).isTrue();
        assertThat(l.source()).isEqualTo("chargeback");
        assertThat(l.decidedAt()).isEqualTo(Instant.parse("2018-07-08T10:00:00Z").toEpochMilli());
        assertThat(l.alertId()).isNull();
        assertThat(l.toDeadLetter("x: y").sourceOffset()).isEqualTo(42);
        assertThat(l.toDeadLetter("x: y").stage()).isEqualTo(DeadLetter.STAGE_LABEL);
    }

    @Test
    void aCaseOutcomeMayNameTheAlertAndNeedNoMerchant() throws Exception {
        FraudLabel l = parse("""
                {"labelId":"c-1","eventId":"e-1","alertId":"ab12","label":"legit","source":"case","decidedAt":1531044000000}""");
        assertThat(l.fraud()).isFalse();
        assertThat(l.alertId()).isEqualTo("ab12");
        assertThat(l.hasMerchant()).isFalse();
    }

    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(delimiter = '|', value = {
            "{\"labelId\":\"l\",\"eventId\":\"e\",\"label\":\"fraud\",\"source\":\"case\"}                         | missing_field",
            "{\"labelId\":\"l\",\"label\":\"fraud\",\"source\":\"case\",\"decidedAt\":1531044000000}                   | missing_field",
            "{\"eventId\":\"e\",\"label\":\"fraud\",\"source\":\"case\",\"decidedAt\":1531044000000}                   | missing_field",
            "{\"labelId\":\"l\",\"eventId\":\"e\",\"label\":\"maybe\",\"source\":\"case\",\"decidedAt\":1531044000000}  | invalid_value",
            "{\"labelId\":\"l\",\"eventId\":\"e\",\"label\":\"fraud\",\"source\":\"rumour\",\"decidedAt\":1531044000000} | invalid_value",
            "{\"labelId\":\"l\",\"eventId\":\"e\",\"label\":\"fraud\",\"source\":\"case\",\"decidedAt\":5}              | ts_out_of_range",
            "{\"labelId\":\"l\",\"eventId\":\"e\",\"label\":\"fraud\",\"source\":\"case\",\"decidedAt\":\"2099-01-01T00:00:00Z\"} | ts_out_of_range",
            "{\"labelId\":\"l\",\"eventId\":\"e\",\"label\":true,\"source\":\"case\",\"decidedAt\":1531044000000}       | invalid_type",
            "{\"labelId\":\"l\",\"eventId\":\"e\"                                                                    | malformed_json",
            "[1,2]                                                                                                  | not_an_object",
    })
    void aLabelThatBreaksTheContractIsRejectedWithItsReason(String json, String reason) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith(reason + ":");
    }

    @Test
    void anEmptyRecordIsRejected() {
        assertThatThrownBy(() -> parser.parse(new byte[0], "t", 0, 0)).hasMessageStartingWith("empty_payload:");
    }
}
