"""Is a change to the intent GRU really better? Rolling-origin validation over several seeds.

The single validation slice of train_intent.py holds only ~27 buying sessions, so one run's early-stopping
score moves by +-0.1 ROC-AUC with the seed alone. This script compares training variants on three
forward-chaining folds of the train+validation sessions (never the test sessions): fold k trains on the
sessions that start before cut k and validates on those between cut k and cut k+1, cuts at 50/65/80/100%
of the non-test sessions by start time; each fold trains with each seed. The logistic-regression baseline
of train_intent.py is scored on the same folds. Every variant uses the same early stopping as
train_intent.py (on the fold's validation sessions, so all scores are slightly optimistic, equally).

  /usr/bin/python3 onnx-models/training/intent_cv.py                       # item embedding trained vs off
  /usr/bin/python3 onnx-models/training/intent_cv.py --variants "trained:" "off:--item-embedding off" \\
      "off-session:--item-embedding off --weighting session" --seeds 7 11 12

Prints one JSON line per (variant, fold, seed) and a summary: mean over runs, per-fold means, and the
number of (fold, seed) pairs where each variant beats the first one. Deterministic.
"""
import argparse
import json
import os
import shlex
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
import train_intent as ti  # noqa: E402

CUTS = (0.5, 0.65, 0.8, 1.0)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", nargs="+", default=[os.path.join(ti.ROOT, "onnx-models/work/events/diginetica.jsonl")])
    ap.add_argument("--session-gap-minutes", type=float, default=0)
    ap.add_argument("--spec", default=os.path.join(ti.ROOT, "onnx-models/feature_spec.json"))
    ap.add_argument("--test-frac", type=float, default=0.2, help="as train_intent.py: these sessions are left out")
    ap.add_argument("--variants", nargs="+", default=["trained:", "off:--item-embedding off"],
                    help="NAME:train_intent.py options (training options only)")
    ap.add_argument("--seeds", type=int, nargs="+", default=[7, 11, 12, 13, 14, 15])
    a = ap.parse_args(argv)
    common.seed_everything(ti.SEED)
    spec = json.load(open(a.spec))["intent"]
    encoder = ti.Encoder(spec)
    sessions = ti.load_sessions(a.events, a.session_gap_minutes)
    sessions = [s for s in sessions if ti.prefix_len(s) > 0]
    sessions.sort(key=lambda s: (s[0]["ts"], s[0]["userId"]))
    labels = [int(any(e["type"] == "order" for e in s)) for s in sessions]
    lens = [ti.prefix_len(s) for s in sessions]
    enc = [encoder.encode_session(s) for s in sessions]
    n_trval = len(sessions) - int(round(len(sessions) * a.test_frac))
    cuts = [int(round(n_trval * c)) for c in CUTS]
    folds = [(list(range(0, cuts[k])), list(range(cuts[k], cuts[k + 1]))) for k in range(len(cuts) - 1)]

    def rows(ix):
        X, y, last = [], [], []
        for i in ix:
            for k in range(1, lens[i] + 1):
                X.append(ti.count_features(sessions[i], k))
                y.append(labels[i])
                last.append(k == lens[i])
        return np.array(X, dtype=float), np.array(y), np.array(last)

    results = {}
    for f, (tr, va) in enumerate(folds):
        Xtr, ytr, _ = rows(tr)
        Xva, yva, lva = rows(va)
        sc = StandardScaler().fit(Xtr)
        lr = LogisticRegression(class_weight="balanced", max_iter=2000, C=1.0).fit(sc.transform(Xtr), ytr)
        p = lr.predict_proba(sc.transform(Xva))[:, 1]
        r = {"variant": "LR-baseline", "fold": f, "seed": None, "validationSessions": len(va),
             "validationBuyers": int(sum(labels[i] for i in va)),
             "prefix": ti.metrics(yva, p), "session": ti.metrics(yva[lva], p[lva])}
        print(json.dumps(r), flush=True)
        results.setdefault("LR-baseline", {})[(f, None)] = r

    base_ap = argparse.ArgumentParser()
    for opt, kw in (("--dropout", dict(type=float, default=0.2)), ("--lr", dict(type=float, default=3e-3)),
                    ("--epochs", dict(type=int, default=80)), ("--patience", dict(type=int, default=12)),
                    ("--weighting", dict(default="prefix")), ("--item-embedding", dict(default="trained"))):
        base_ap.add_argument(opt, **kw)
    for v in a.variants:
        name, _, opts = v.partition(":")
        va_args = base_ap.parse_args(shlex.split(opts))
        for f, (tr, va) in enumerate(folds):
            for seed in a.seeds:
                model, _, best_epoch, _ = ti.train_gru(spec, encoder.dense_size, enc, labels, lens, tr, va, va_args,
                                                        seed, log=None)
                vy, vp, vsy, vsp = ti.predict(model, enc, labels, lens, va)
                r = {"variant": name, "fold": f, "seed": seed, "bestEpoch": best_epoch,
                     "prefix": ti.metrics(vy, vp), "session": ti.metrics(vsy, vsp)}
                print(json.dumps(r), flush=True)
                results.setdefault(name, {})[(f, seed)] = r

    first = a.variants[0].partition(":")[0]
    print("\nsummary (validation folds; mean over runs | per-fold means | runs beating '%s')" % first)
    for name, runs in results.items():
        line = f"{name:16s} runs {len(runs):2d}"
        for level, metric in (("prefix", "rocAuc"), ("prefix", "prAuc"), ("session", "rocAuc")):
            vals = [r[level][metric] for r in runs.values()]
            per_fold = [np.mean([r[level][metric] for (f, _), r in runs.items() if f == k]) for k in range(len(folds))]
            line += f" | {level} {metric} {np.mean(vals):.3f} ({' '.join(f'{x:.3f}' for x in per_fold)})"
            if name != first and name != "LR-baseline":
                wins = sum(r[level][metric] > results[first][key][level][metric] for key, r in runs.items())
                line += f" wins {wins}/{len(runs)}"
        print(line)


if __name__ == "__main__":
    main()
