"""Customer segments: rules on RFM (recency, frequency, monetary) plus the churn score, calibrated on data.

    onnx-models/.venv/bin/python onnx-models/training/segments.py --datasets ../shared/datasets

The job (com.shopsense.segments.SegmentRules) applies the same rules in the stream; this script is the
documented method: it calibrates the thresholds on the UCI Online Retail orders (converted by
convert/online_retail.py) as of a cut-off, writes them with the distribution they yield to
onnx-models/segments.json, and writes the expected segment of a fixed subset of customers for the
integration test (src/test/resources/segments/online-retail-expected.csv).

A customer's profile as of time t (what the job knows once their sessions have closed):
  sessions       the job's sessionization: a new session when an event comes session.gap (30 min) or more
                 after the previous one, or session.max-duration (4 h) or more after the session's start
  F (frequency)  sessions with at least one order
  M (monetary)   total order value
  R (recency)    days from the last order to t
  p (churn)      the churn model's score when the customer's latest session closed: its order history
                 as of just after that session's last event (train_churn.encode, asOf = last ts + 1 ms)
Rules, first match wins:
  prospect   no order yet
  dormant    R >= dormantDays      (= the churn horizon: the churn label's "no order in 90 days")
  new        F == 1 and R < newDays (= one churn period: a first purchase, too early to judge)
  at_risk    R >= atRiskDays or p >= atRiskProbability
  loyal      F >= loyalMinFrequency and M >= loyalMinMonetary
  active     otherwise
Calibration at the cut-off (orders before it):
  atRiskDays          75th percentile of the gaps between consecutive ordering sessions (repeat buyers),
                      rounded up to whole days: a customer silent for longer is overdue
  loyalMinFrequency   80th percentile of F, loyalMinMonetary 80th percentile of M, both over the current
                      customers (R < dormantDays): the top fifth on both
  atRiskProbability   the churn model's decision threshold (manifest.json, churn thresholds.atRisk)
"""
import argparse
import csv
import json
import math
import os
import sys
from collections import Counter

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import iso, parse_ts, write_json  # noqa: E402
from train_churn import encode  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
MODELS = os.path.join(ROOT, "onnx-models")
DAY_MS = 86_400_000
SEGMENTS = ["prospect", "new", "active", "loyal", "at_risk", "dormant"]


class ChurnModel:
    """The exported churn ONNX graph, run with ONNX Runtime (in the trainers' venv, setup-venv.sh); the golden
    file proves it scores as the trainer did."""

    def __init__(self, path):
        import onnxruntime as ort
        self.sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])

    def __call__(self, x):
        """x [B, T, F] -> p [B]."""
        return self.sess.run(None, {"periods": np.asarray(x, dtype=np.float32)})[0].astype(np.float64)


def check_against_golden(model):
    with open(os.path.join(MODELS, "golden", "churn.json"), encoding="utf-8") as f:
        g = json.load(f)
    worst = 0.0
    for c in g["cases"]:
        x = np.array(c["inputs"]["periods"]["data"], dtype=np.float32).reshape(c["inputs"]["periods"]["shape"])
        worst = max(worst, abs(float(model(x)[0]) - c["outputs"]["p_churn"]["data"][0]))
    if worst > g["tolerance"]:
        raise SystemExit(f"numpy churn evaluator differs from the golden outputs by {worst}")
    return worst


def sessions_of(ts_sorted, gap_ms, max_ms):
    """[(start, last)] of one customer's events, as com.shopsense.session.SessionTracker cuts them."""
    out = []
    for t in ts_sorted:
        if out and t < out[-1][1] + gap_ms and t < out[-1][0] + max_ms:
            out[-1][1] = max(out[-1][1], t)
        else:
            out.append([t, t])
    return out


def profile(orders, cutoff, gap_ms, max_ms, spec, model):
    """R, F, M, p of one customer as of cutoff; orders: [(ts, amount)] sorted by ts. None without orders."""
    before = [(t, a) for t, a in orders if t < cutoff]
    if not before:
        return None
    sess = sessions_of([t for t, _ in before], gap_ms, max_ms)
    last = before[-1][0]
    as_of = sess[-1][1] + 1
    p = float(model(encode(before, as_of, spec)[None])[0])
    money = 0.0
    for _, a in before:  # in event order, as the job's profile sums them
        money += a
    return {"lastOrderTs": last, "recencyDays": (cutoff - last) / DAY_MS, "frequency": len(sess),
            "monetary": money, "pChurn": p, "gaps": [b[0] - a[1] for a, b in zip(sess, sess[1:])]}


def segment(r, t):
    """The rules above (Java: SegmentRules.segment)."""
    if r is None:
        return "prospect"
    if r["recencyDays"] >= t["dormantDays"]:
        return "dormant"
    if r["frequency"] == 1 and r["recencyDays"] < t["newDays"]:
        return "new"
    if r["recencyDays"] >= t["atRiskDays"] or r["pChurn"] >= t["atRiskProbability"]:
        return "at_risk"
    if r["frequency"] >= t["loyalMinFrequency"] and r["monetary"] >= t["loyalMinMonetary"]:
        return "loyal"
    return "active"


def distribution(segs):
    c = Counter(segs)
    n = max(1, len(segs))
    return {s: {"customers": c.get(s, 0), "share": round(c.get(s, 0) / n, 4)} for s in SEGMENTS}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", default=os.path.join(ROOT, "..", "shared", "datasets"))
    ap.add_argument("--cutoff", default="2011-09-10T00:00:00Z", help="calibration cut-off (the churn test cut-off)")
    ap.add_argument("--session-gap-minutes", type=int, default=30, help="the job's session.gap")
    ap.add_argument("--session-max-hours", type=int, default=4, help="the job's session.max-duration")
    ap.add_argument("--test-modulo", type=int, default=20, help="test subset: CustomerID %% modulo == 0")
    ap.add_argument("--out", default=os.path.join(MODELS, "segments.json"))
    ap.add_argument("--test-out", default=os.path.join(ROOT, "src", "test", "resources", "segments",
                                                       "online-retail-expected.csv"))
    a = ap.parse_args(argv)
    cutoff = parse_ts(a.cutoff)
    gap_ms, max_ms = a.session_gap_minutes * 60_000, a.session_max_hours * 3_600_000
    with open(os.path.join(MODELS, "feature_spec.json"), encoding="utf-8") as f:
        spec = json.load(f)["churn"]
    with open(os.path.join(MODELS, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    churn_entry = manifest["models"]["churn"] if isinstance(manifest["models"], dict) else \
        next(m for m in manifest["models"] if m["name"] == "churn")
    model = ChurnModel(os.path.join(MODELS, churn_entry["file"]))
    worst = check_against_golden(model)

    sys.path.insert(0, os.path.join(HERE, "convert"))
    import online_retail
    orders = {}
    for e in online_retail.convert(os.path.join(a.datasets, "online-retail-uci", "online_retail.csv.gz")):
        orders.setdefault(e["userId"], []).append((parse_ts(e["ts"]), float(e["amount"])))  # already in time order
    profiles = {u: profile(o, cutoff, gap_ms, max_ms, spec, model) for u, o in sorted(orders.items())}
    profiles = {u: r for u, r in profiles.items() if r is not None}

    dormant_days, new_days = int(spec["horizonDays"]), int(spec["periodDays"])
    gaps = np.array([g for r in profiles.values() for g in r["gaps"]], dtype=np.float64) / DAY_MS
    current = [r for r in profiles.values() if r["recencyDays"] < dormant_days]
    thresholds = {
        "newDays": new_days,
        "atRiskDays": int(math.ceil(np.percentile(gaps, 75))),
        "dormantDays": dormant_days,
        "atRiskProbability": float(churn_entry["thresholds"]["atRisk"]),
        "loyalMinFrequency": int(math.ceil(np.percentile([r["frequency"] for r in current], 80))),
        "loyalMinMonetary": round(float(np.percentile([r["monetary"] for r in current], 80)), 2),
    }
    segs = {u: segment(r, thresholds) for u, r in profiles.items()}
    dist = distribution(list(segs.values()))
    subset = sorted(u for u in profiles if int(u[3:]) % a.test_modulo == 0)
    sub_dist = distribution([segs[u] for u in subset])
    print(f"[segments] {len(profiles)} customers with orders before {a.cutoff}; thresholds {json.dumps(thresholds)}")
    for s in SEGMENTS:
        print(f"[segments]   {s:9s} {dist[s]['customers']:5d} ({dist[s]['share']:.1%})")

    write_json(a.out, {
        "version": "1",
        "description": "Customer segments kept current by the job (com.shopsense.segments.SegmentRules); "
                       "method, calibration and distribution: onnx-models/training/segments.py, README 'Segments'.",
        "segments": SEGMENTS,
        "rules": [
            "prospect: no order yet",
            "dormant: recencyDays >= dormantDays",
            "new: frequency == 1 and recencyDays < newDays",
            "at_risk: recencyDays >= atRiskDays or churn score >= atRiskProbability",
            "loyal: frequency >= loyalMinFrequency and monetary >= loyalMinMonetary",
            "active: otherwise",
        ],
        "definitions": {
            "frequency": "sessions with at least one order",
            "monetary": "total order value",
            "recencyDays": "days from the last order to the evaluation time",
            "churnScore": "p_churn when the user's latest session closed",
        },
        "thresholds": thresholds,
        "calibration": {
            "dataset": "online-retail-uci (converted by convert/online_retail.py)",
            "cutoff": a.cutoff,
            "session": {"gapMinutes": a.session_gap_minutes, "maxHours": a.session_max_hours},
            "atRiskDays": "ceil(75th percentile of gaps between consecutive ordering sessions, days)",
            "loyal": "80th percentiles of frequency and monetary over customers with recencyDays < dormantDays",
            "atRiskProbability": "manifest.json churn thresholds.atRisk (churn model " + churn_entry["sha256"][:12] + ")",
            "dormantDays": "churn horizonDays (feature_spec.json)", "newDays": "churn periodDays (feature_spec.json)",
            "churnEvaluatorMaxError": worst,
            "command": "onnx-models/.venv/bin/python onnx-models/training/segments.py --datasets ../shared/datasets",
        },
        "distribution": {"customers": len(profiles), "bySegment": dist},
        "testSubset": {"rule": f"CustomerID % {a.test_modulo} == 0, orders before the cut-off",
                       "customerIdModulo": a.test_modulo, "customers": len(subset), "bySegment": sub_dist,
                       "expected": os.path.relpath(a.test_out, ROOT)},
    })
    os.makedirs(os.path.dirname(a.test_out), exist_ok=True)
    with open(a.test_out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["userId", "lastOrderTs", "frequency", "monetary", "pChurn", "segment"])
        for u in subset:
            r = profiles[u]
            w.writerow([u, r["lastOrderTs"], r["frequency"], f"{r['monetary']:.2f}", f"{r['pChurn']:.6f}", segs[u]])
    print(f"[segments] wrote {a.out} and {a.test_out} ({len(subset)} customers, cut-off {iso(cutoff)})")


if __name__ == "__main__":
    main()
