package com.shopsense.scoring;

import com.shopsense.event.FraudRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The versions of every fraud rule the job knows, and the decision they make with the model's score. The version
 * of a rule that applies to a payment is the highest version whose {@code effectiveFrom} is at or before the
 * payment's event time, so the outcome is a function of the set of versions alone, whatever order they arrived
 * in (a rollback is a new, higher version with the old condition). Pure logic: the operator around it
 * ({@link RuleDecisionOperator}) keeps the documents in broadcast state.
 */
public final class RuleBook {
    /** The rules known per id, versions ascending. */
    private final Map<String, List<FraudRule>> byId = new TreeMap<>();
    private FraudRule[][] ids = new FraudRule[0][];
    /** Per id and version, its key and its reason tag, made once: no string is built per payment. */
    private String[][] keys = new String[0][];
    private String[][] tags = new String[0][];

    public enum Added { NEW, DUPLICATE, CONFLICT }

    /** The outcome for one payment: whether to alert, the reasons, and the keys of the rules whose condition held. */
    public record Outcome(boolean alert, boolean suppressed, String[] reasons, String[] hits) {
    }

    private static final String[] NONE = new String[0];

    /**
     * Adds a version. The same id and version again is a duplicate (a replayed record) when it is the same
     * document, a conflict (refused: a version never changes) when it is another.
     */
    public Added add(FraudRule r) {
        List<FraudRule> versions = byId.computeIfAbsent(r.ruleId(), k -> new ArrayList<>());
        int i = 0;
        while (i < versions.size() && versions.get(i).version() < r.version()) {
            i++;
        }
        if (i < versions.size() && versions.get(i).version() == r.version()) {
            return versions.get(i).sameDocument(r) ? Added.DUPLICATE : Added.CONFLICT;
        }
        versions.add(i, r);
        rebuild();
        return Added.NEW;
    }

    /**
     * Drops the versions no payment at or after {@code watermark} can use: those below a version already
     * effective at the watermark. Returns the keys dropped (their documents leave the broadcast state).
     */
    public List<String> prune(long watermark) {
        List<String> dropped = new ArrayList<>();
        for (List<FraudRule> versions : byId.values()) {
            int effective = -1;
            for (int i = versions.size() - 1; i >= 0; i--) {
                if (versions.get(i).effectiveFrom() <= watermark) {
                    effective = i;
                    break;
                }
            }
            for (int i = 0; i < effective; i++) {
                dropped.add(versions.get(i).key());
            }
            if (effective > 0) {
                versions.subList(0, effective).clear();
            }
        }
        if (!dropped.isEmpty()) {
            rebuild();
        }
        return dropped;
    }

    private static int indexAt(FraudRule[] versions, long ts) {
        int best = -1;
        for (int i = 0; i < versions.length; i++) {
            if (versions[i].effectiveFrom() <= ts) {
                best = i; // ascending versions: the last effective one is the highest
            }
        }
        return best;
    }

    public int size() {
        return ids.length;
    }

    /**
     * Rules combined with the model: {@code allow} rules that hold suppress the alert (trusted patterns);
     * otherwise an {@code alert} rule that holds raises one, and {@code score_boost} rules that hold add their
     * boost to the model's probability before it meets the threshold. The reasons are the model's, then
     * {@code rule:<id>@<version>} for every alert or boost rule that held.
     *
     * @param facts the payment's rule features ({@link RuleFacts}), null when none were computed
     */
    public Outcome decide(long ts, double[] facts, double probability, double threshold, String[] modelReasons) {
        if (ids.length == 0 || facts == null) {
            boolean alert = probability >= threshold;
            return new Outcome(alert, false, modelReasons, NONE);
        }
        List<String> hits = null;
        List<String> ruleReasons = null;
        boolean allow = false;
        boolean ruleAlert = false;
        double boosted = probability;
        for (int k = 0; k < ids.length; k++) {
            FraudRule[] versions = ids[k];
            int v = indexAt(versions, ts);
            if (v < 0) {
                continue;
            }
            FraudRule r = versions[v];
            if (!r.enabled() || !r.condition().test(facts)) {
                continue;
            }
            if (hits == null) {
                hits = new ArrayList<>(2);
                ruleReasons = new ArrayList<>(2);
            }
            hits.add(keys[k][v]);
            switch (r.action()) {
                case ALLOW -> allow = true;
                case ALERT -> {
                    ruleAlert = true;
                    ruleReasons.add(tags[k][v]);
                }
                case SCORE_BOOST -> {
                    boosted += r.boost();
                    ruleReasons.add(tags[k][v]);
                }
            }
        }
        if (hits == null) {
            return new Outcome(probability >= threshold, false, modelReasons, NONE);
        }
        boolean wouldAlert = ruleAlert || boosted >= threshold;
        String[] reasons = modelReasons;
        if (!ruleReasons.isEmpty()) {
            reasons = java.util.Arrays.copyOf(modelReasons, modelReasons.length + ruleReasons.size());
            for (int i = 0; i < ruleReasons.size(); i++) {
                reasons[modelReasons.length + i] = ruleReasons.get(i);
            }
        }
        return new Outcome(wouldAlert && !allow, wouldAlert && allow, reasons, hits.toArray(NONE));
    }

    private void rebuild() {
        List<FraudRule[]> a = new ArrayList<>(byId.size());
        for (List<FraudRule> v : byId.values()) {
            if (!v.isEmpty()) {
                a.add(v.toArray(new FraudRule[0]));
            }
        }
        ids = a.toArray(new FraudRule[0][]);
        keys = new String[ids.length][];
        tags = new String[ids.length][];
        for (int k = 0; k < ids.length; k++) {
            keys[k] = new String[ids[k].length];
            tags[k] = new String[ids[k].length];
            for (int v = 0; v < ids[k].length; v++) {
                keys[k][v] = ids[k][v].key();
                tags[k][v] = "rule:" + keys[k][v];
            }
        }
    }
}
