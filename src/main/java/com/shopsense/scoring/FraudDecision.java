package com.shopsense.scoring;

/**
 * A scored payment after the fraud rules ({@link RuleBook#decide}): whether it is alerted on, with which reasons,
 * and which rule versions' conditions held ({@code <id>@<version>}, for rule quality).
 *
 * @param suppressed the model or a rule would have alerted but an {@code allow} rule held
 */
public record FraudDecision(FraudScore score, boolean alert, boolean suppressed, String[] reasons, String[] ruleHits) {

    public String eventId() {
        return score.eventId();
    }

    public long eventTime() {
        return score.payment().ref().ts();
    }

    public boolean hasRuleHits() {
        return ruleHits.length > 0;
    }
}
