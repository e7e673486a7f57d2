package com.shopsense.tools.readers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.shopsense.event.EventLimits;
import com.shopsense.event.FraudLabel;
import com.shopsense.event.InvalidEventException;
import com.shopsense.event.LabelParser;
import org.junit.jupiter.api.Test;

class CaseDecisionTest {
    private final LabelParser parser = new LabelParser(EventLimits.defaults(), () -> 1_900_000_000_000L);

    @Test
    void aCaseOutcomeIsWrittenInTheLabelContract() throws Exception {
        FraudLabel l = parser.parse(CaseDecision.json("case-1", "e-981", "5d0c", "", "m7", "legit", "case",
                "2026-11-24T10:00:00Z"), "t", 0, 0);
        assertThat(l.labelId()).isEqualTo("case-1");
        assertThat(l.eventId()).isEqualTo("e-981");
        assertThat(l.alertId()).isEqualTo("5d0c");
        assertThat(l.userId()).as("empty options are left out").isNull();
        assertThat(l.merchantId()).isEqualTo("m7");
        assertThat(l.fraud()).isFalse();
    }

    @Test
    void aMistypedVerdictWouldBeRejectedBeforeSending() {
        assertThatThrownBy(() -> parser.parse(CaseDecision.json("c", "e", "", "", "", "frad", "case",
                "2026-11-24T10:00:00Z"), "t", 0, 0)).isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("invalid_value");
    }
}
