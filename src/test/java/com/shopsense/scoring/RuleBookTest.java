package com.shopsense.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.event.FraudRule;
import com.shopsense.event.RuleDocs;
import com.shopsense.event.RuleFeature;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which rule version applies at a payment's time, and how rule hits combine with the model's score. */
class RuleBookTest {
    private static final long T = 1_530_403_200_000L;
    private static final double THRESHOLD = 0.8;
    private static final String[] MODEL_REASONS = {"NEW_DEVICE"};
    private static final String BIG = RuleDocs.compare("amount", ">=", 500);

    private static FraudRule rule(String id, int version, boolean enabled, long from, String condition, String action) {
        return RuleDocs.parse(RuleDocs.bytes(id, version, enabled, from, condition, action));
    }

    private static double[] facts(double amount) {
        double[] f = new double[RuleFeature.count()];
        f[RuleFeature.AMOUNT.ordinal()] = amount;
        return f;
    }

    @Test
    void theHighestVersionEffectiveAtThePaymentsTimeApplies() {
        RuleBook book = new RuleBook();
        book.add(rule("big", 1, true, T, BIG, "alert"));
        book.add(rule("big", 2, false, T + 100, BIG, "alert"));
        book.add(rule("big", 3, true, T + 200, RuleDocs.compare("amount", ">=", 900), "alert"));
        assertThat(book.decide(T - 1, facts(600), 0.1, THRESHOLD, MODEL_REASONS).alert()).as("before v1").isFalse();
        RuleBook.Outcome v1 = book.decide(T, facts(600), 0.1, THRESHOLD, MODEL_REASONS);
        assertThat(v1.alert()).isTrue();
        assertThat(v1.hits()).containsExactly("big@1");
        assertThat(v1.reasons()).containsExactly("NEW_DEVICE", "rule:big@1");
        assertThat(book.decide(T + 150, facts(600), 0.1, THRESHOLD, MODEL_REASONS).hits()).as("disabled").isEmpty();
        assertThat(book.decide(T + 250, facts(600), 0.1, THRESHOLD, MODEL_REASONS).hits()).as("v3: 900").isEmpty();
        assertThat(book.decide(T + 250, facts(950), 0.1, THRESHOLD, MODEL_REASONS).hits()).containsExactly("big@3");
    }

    @Test
    void theOutcomeDependsOnTheSetOfVersionsNotTheirArrivalOrder() {
        List<FraudRule> versions = new ArrayList<>(List.of(rule("big", 1, true, T, BIG, "alert"),
                rule("big", 2, false, T + 100, BIG, "alert"), rule("small", 1, true, T + 50,
                        RuleDocs.compare("amount", "<", 5), "allow"), rule("big", 3, true, T + 20, BIG, "score_boost")));
        List<String> first = null;
        for (int round = 0; round < 6; round++) {
            Collections.shuffle(versions, new java.util.Random(round));
            RuleBook book = new RuleBook();
            versions.forEach(book::add);
            List<String> outcomes = new ArrayList<>();
            for (long ts = T - 10; ts < T + 200; ts += 7) {
                for (double amount : new double[] {1, 600}) {
                    RuleBook.Outcome o = book.decide(ts, facts(amount), 0.85, THRESHOLD, MODEL_REASONS);
                    outcomes.add(ts + ":" + amount + ":" + o.alert() + ":" + String.join(",", o.hits()));
                }
            }
            if (first == null) {
                first = outcomes;
            }
            assertThat(outcomes).isEqualTo(first);
        }
    }

    @Test
    void allowRulesSuppressAlertsOfTheModelAndOfRules() {
        RuleBook book = new RuleBook();
        book.add(rule("trusted-small", 1, true, T, RuleDocs.compare("amount", "<", 5), "allow"));
        book.add(rule("any-amount", 1, true, T, RuleDocs.compare("amount", ">", 0), "alert"));
        RuleBook.Outcome o = book.decide(T, facts(2), 0.95, THRESHOLD, MODEL_REASONS);
        assertThat(o.alert()).isFalse();
        assertThat(o.suppressed()).isTrue();
        assertThat(o.hits()).containsExactlyInAnyOrder("trusted-small@1", "any-amount@1");
        RuleBook.Outcome big = book.decide(T, facts(20), 0.95, THRESHOLD, MODEL_REASONS);
        assertThat(big.alert()).isTrue();
        assertThat(big.suppressed()).isFalse();
    }

    @Test
    void boostsAddToTheModelsProbabilityBeforeTheThreshold() {
        RuleBook book = new RuleBook();
        book.add(rule("boost", 1, true, T, BIG, "score_boost")); // boost 0.3
        for (double p : new double[] {0.1, 0.49, 0.5, 0.6, 0.85}) {
            RuleBook.Outcome o = book.decide(T, facts(600), p, THRESHOLD, MODEL_REASONS);
            assertThat(o.alert()).as("p=%s", p).isEqualTo(p + 0.3 >= THRESHOLD);
            assertThat(o.hits()).containsExactly("boost@1");
            assertThat(o.reasons()).contains("rule:boost@1");
        }
        RuleBook.Outcome noHit = book.decide(T, facts(10), 0.79, THRESHOLD, MODEL_REASONS);
        assertThat(noHit.alert()).isFalse();
        assertThat(noHit.reasons()).containsExactly(MODEL_REASONS);
    }

    @Test
    void withoutRulesOrFactsTheModelDecidesAlone() {
        RuleBook empty = new RuleBook();
        assertThat(empty.decide(T, facts(1), 0.8, THRESHOLD, MODEL_REASONS).alert()).isTrue();
        assertThat(empty.decide(T, facts(1), 0.79, THRESHOLD, MODEL_REASONS).alert()).isFalse();
        RuleBook book = new RuleBook();
        book.add(rule("any", 1, true, T, RuleDocs.compare("amount", ">", 0), "alert"));
        assertThat(book.decide(T, null, 0.1, THRESHOLD, MODEL_REASONS).alert()).isFalse();
    }

    @Test
    void aVersionNeverChangesAndAReplayedOneIsADuplicate() {
        RuleBook book = new RuleBook();
        assertThat(book.add(rule("big", 1, true, T, BIG, "alert"))).isEqualTo(RuleBook.Added.NEW);
        assertThat(book.add(rule("big", 1, true, T, BIG, "alert"))).isEqualTo(RuleBook.Added.DUPLICATE);
        assertThat(book.add(rule("big", 1, true, T, BIG, "allow"))).isEqualTo(RuleBook.Added.CONFLICT);
        assertThat(book.decide(T, facts(600), 0.1, THRESHOLD, MODEL_REASONS).alert()).as("v1 kept").isTrue();
    }

    @Test
    void versionsNoLaterPaymentCanUseArePrunedBehindTheWatermark() {
        RuleBook book = new RuleBook();
        book.add(rule("big", 1, true, T, BIG, "alert"));
        book.add(rule("big", 2, true, T + 100, BIG, "score_boost"));
        book.add(rule("big", 3, true, T + 200, BIG, "allow"));
        assertThat(book.prune(T + 99)).isEmpty();
        assertThat(book.prune(T + 150)).containsExactly("big@1");
        assertThat(book.decide(T + 150, facts(600), 0.1, THRESHOLD, MODEL_REASONS).hits()).containsExactly("big@2");
        assertThat(book.decide(T + 250, facts(600), 0.1, THRESHOLD, MODEL_REASONS).hits()).containsExactly("big@3");
    }
}
