package com.shopsense.event;

import java.util.Arrays;

/**
 * One version of a risk team's fraud rule (docs/fraud.md "Fraud rules"), parsed and validated by
 * {@link RuleParser}. A version applies to payments whose event time is at or after {@code effectiveFrom}, until
 * the next version of the same id takes over; a disabled version switches the rule off from its effective time.
 *
 * @param boost for {@link Action#SCORE_BOOST}: added to the model's probability before the threshold, else 0
 * @param reason the analyst's explanation; stays with the rule (alerts carry only {@link #key()})
 * @param raw the document as received, kept in the job's rule state and for dead letters
 */
public record FraudRule(String ruleId, int version, boolean enabled, long effectiveFrom, RuleCondition condition,
        Action action, double boost, String reason, byte[] raw) {

    public enum Action {
        ALERT("alert"), SCORE_BOOST("score_boost"), ALLOW("allow");

        private final String wireName;

        Action(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        static Action byWireName(String s) {
            for (Action a : values()) {
                if (a.wireName.equals(s)) {
                    return a;
                }
            }
            return null;
        }
    }

    /** {@code <ruleId>@<version>}: the rule's name in alert reasons, Redis keys and metrics. */
    public String key() {
        return ruleId + "@" + version;
    }

    /** Two documents of one id and version must be the same bytes; a replayed record is, a conflicting one is not. */
    public boolean sameDocument(FraudRule o) {
        return Arrays.equals(raw, o.raw);
    }
}
