package com.shopsense.event;

/**
 * A rule's condition as a tree of boolean operators over comparisons of named features with constants. Evaluated
 * by plain method calls on the feature values of one payment, indexed by {@link RuleFeature#ordinal()}: no
 * reflection, no scripting, nothing a rule author can make the job execute. Trees are bounded at parse time
 * ({@link RuleParser}), so evaluation is bounded too.
 */
public sealed interface RuleCondition {

    boolean test(double[] facts);

    /** true when every child holds */
    record All(RuleCondition[] children) implements RuleCondition {
        @Override
        public boolean test(double[] facts) {
            for (RuleCondition c : children) {
                if (!c.test(facts)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** true when some child holds */
    record Any(RuleCondition[] children) implements RuleCondition {
        @Override
        public boolean test(double[] facts) {
            for (RuleCondition c : children) {
                if (c.test(facts)) {
                    return true;
                }
            }
            return false;
        }
    }

    record Not(RuleCondition child) implements RuleCondition {
        @Override
        public boolean test(double[] facts) {
            return !child.test(facts);
        }
    }

    enum Op {
        GT(">"), GE(">="), LT("<"), LE("<="), EQ("=="), NE("!=");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        static Op bySymbol(String s) {
            for (Op o : values()) {
                if (o.symbol.equals(s)) {
                    return o;
                }
            }
            return null;
        }
    }

    /** {@code feature op value}; a feature the payment lacks (NaN) makes every comparison false, != included. */
    record Compare(RuleFeature feature, Op op, double value) implements RuleCondition {
        @Override
        public boolean test(double[] facts) {
            double v = facts[feature.ordinal()];
            if (Double.isNaN(v)) {
                return false;
            }
            return switch (op) {
                case GT -> v > value;
                case GE -> v >= value;
                case LT -> v < value;
                case LE -> v <= value;
                case EQ -> v == value;
                case NE -> v != value;
            };
        }
    }
}
