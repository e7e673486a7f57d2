package com.shopsense.session;

/** A small most-recent-first set kept as an array (state-friendly); the oldest entry falls out. */
final class BoundedSet {
    private BoundedSet() {
    }

    static boolean contains(String[] set, String value) {
        if (value == null) {
            return false;
        }
        for (String s : set) {
            if (value.equals(s)) {
                return true;
            }
        }
        return false;
    }

    static String[] add(String[] set, String value, int max) {
        if (value == null || max <= 0) {
            return set;
        }
        int found = -1;
        for (int i = 0; i < set.length; i++) {
            if (value.equals(set[i])) {
                found = i;
                break;
            }
        }
        String[] out;
        if (found >= 0) {
            out = set.clone();
            System.arraycopy(out, 0, out, 1, found);
        } else {
            out = new String[Math.min(set.length + 1, max)];
            System.arraycopy(set, 0, out, 1, out.length - 1);
        }
        out[0] = value;
        return out;
    }
}
