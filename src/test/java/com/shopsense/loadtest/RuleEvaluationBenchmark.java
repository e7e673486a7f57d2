package com.shopsense.loadtest;

import com.shopsense.event.EventRef;
import com.shopsense.event.FraudRule;
import com.shopsense.event.RuleDocs;
import com.shopsense.scoring.RuleBook;
import com.shopsense.scoring.RuleFacts;
import com.shopsense.session.FraudRequest;
import com.shopsense.session.PaymentRef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The cost of fraud rules per payment on the task thread: the rule features taken from the model's inputs
 * ({@link RuleFacts#of}) plus {@link RuleBook#decide} over 0, 10, 50 and 200 enabled rules of the shapes the risk
 * team writes (2-4 comparisons under all/any/not, a few versions each, a mix of actions), on payments with
 * random features; CPU time of the benchmark thread. Not a timed unit test: run it from the command line
 * (docs/fraud.md "Fraud rules").
 * Args: [secondsPerPoint=3]
 */
public final class RuleEvaluationBenchmark {
    private static final long T = 1_530_403_200_000L;
    private static final String[] FEATURES = {"amount", "amountOverMedian", "count1h", "count24h", "newDevice",
            "newMerchant", "merchantFraud28d", "modelScore"};
    private static final String[] OPS = {">", ">=", "<", "<=", "==", "!="};
    private static final String[] ACTIONS = {"alert", "alert", "score_boost", "allow"};

    private RuleEvaluationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3.0;
        List<String> names = com.shopsense.features.FraudFeatureEncoder.fromSpec(
                com.shopsense.features.FeatureSpec.load(Path.of("onnx-models/feature_spec.json"))).currentFeatureNames();
        RuleFacts facts = RuleFacts.of(names);
        Random rnd = new Random(7);
        FraudRequest[] payments = new FraudRequest[4096];
        for (int i = 0; i < payments.length; i++) {
            float[] current = new float[names.size()];
            for (int j = 0; j < current.length; j++) {
                current[j] = (float) (rnd.nextDouble() * 3);
            }
            payments[i] = new FraudRequest(new PaymentRef(new EventRef("u" + i, "e" + i, T + i * 1000L), "m" + (i % 50),
                    rnd.nextDouble() * 500, null, null), new float[0], current, new String[] {"HIGH_AMOUNT"});
        }
        System.out.println("rules  CPU ns/payment  payments/s per core  rule hits/payment");
        for (int rules : new int[] {0, 10, 50, 200}) {
            RuleBook book = book(rules, rnd);
            double ns = measure(book, facts, payments, seconds / 3); // warm-up
            ns = measure(book, facts, payments, seconds);
            long hits = 0;
            for (FraudRequest p : payments) {
                hits += book.decide(p.payment().ref().ts() + 5000, facts.of(p, 0.5f), 0.5, 0.8, p.reasons()).hits().length;
            }
            System.out.println(String.format(Locale.ROOT, "%5d  %14.1f  %,20.0f  %17.2f", rules, ns, 1e9 / ns,
                    (double) hits / payments.length));
        }
    }

    private static RuleBook book(int rules, Random rnd) {
        RuleBook book = new RuleBook();
        for (int r = 0; r < rules; r++) {
            for (int v = 1; v <= 3; v++) {
                List<String> cmp = new ArrayList<>();
                int n = 2 + rnd.nextInt(3);
                for (int k = 0; k < n; k++) {
                    cmp.add(RuleDocs.compare(FEATURES[rnd.nextInt(FEATURES.length)], OPS[rnd.nextInt(OPS.length)],
                            Math.round(rnd.nextDouble() * 30) / 10.0));
                }
                String cond = "{\"all\":[{\"any\":[" + cmp.get(0) + "," + cmp.get(1) + "]},{\"not\":"
                        + cmp.get(cmp.size() - 1) + "}]}";
                FraudRule rule = RuleDocs.parse(RuleDocs.bytes("r" + r, v, true, T + v * 1000L, cond,
                        ACTIONS[rnd.nextInt(ACTIONS.length)]));
                book.add(rule);
            }
        }
        return book;
    }

    /**
     * CPU time of this thread per payment (not wall time: the shared 2-core machine deschedules the thread often,
     * and the job pays for CPU, which is what the team is cutting).
     */
    private static double measure(RuleBook book, RuleFacts facts, FraudRequest[] payments, double seconds) {
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long n = 0;
        long alerts = 0;
        long start = cpu.getCurrentThreadCpuTime();
        while (System.nanoTime() < deadline) {
            for (FraudRequest p : payments) {
                double[] f = facts.of(p, 0.5f);
                RuleBook.Outcome o = book.decide(p.payment().ref().ts() + 5000, f, 0.5, 0.8, p.reasons());
                alerts += o.alert() ? 1 : 0;
            }
            n += payments.length;
        }
        long elapsed = cpu.getCurrentThreadCpuTime() - start;
        if (alerts < 0) {
            System.out.println(alerts); // keeps the JIT from dropping the work
        }
        return (double) elapsed / n;
    }
}
