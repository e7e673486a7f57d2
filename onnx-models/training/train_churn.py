"""Churn model: GRU over a customer's order history summarised per period -> P(no order in the next N days).

    /usr/bin/python3 onnx-models/training/train_churn.py --datasets ../shared/datasets
    /usr/bin/python3 onnx-models/training/train_churn.py --events my_orders.jsonl [--events more.jsonl]

Reads order events (event JSON, type "order"; other types are ignored). With --datasets and no --events
the UCI Online Retail CSV is converted first (convert/online_retail.py) into onnx-models/work/.

Features follow the "churn" section of onnx-models/feature_spec.json (period length, number of periods,
horizon N, feature list); com.shopsense.features.OrderHistory + ChurnFeatureEncoder compute the same.

Time split (never random), with t_end = the last day in the data and N = horizonDays:
  test cut-off        c_test = t_end - N             (label window [c_test, c_test + N) is complete)
  validation cut-off  c_val  = c_test - N            (its label window ends where the test one starts)
  train cut-offs      c_val - N, then every --step-days back while >= first day + --min-history-days
Examples at a cut-off c: every customer with at least one order before c; features from orders before c,
label 1 when the customer has no order in [c, c + N). Training labels never look past c_val, validation
labels never past c_test. Writes onnx-models/churn/churn.onnx, churn/manifest.part.json, golden/churn.json.
"""
import argparse
import copy
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import (FEATURE_SPEC_VERSION, OPSET, iso, onnx_io, parse_ts, read_events,  # noqa: E402
                    seed_everything, sha256_file, write_json)

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
MODELS = os.path.join(ROOT, "onnx-models")
DAY_MS = 86_400_000
SEED = 20240611
CITATION = ("Chen, Sain, Guo: Data mining for the online retail industry: A case study of RFM model-based "
            "customer segmentation using data mining, Journal of Database Marketing and Customer Strategy "
            "Management 19(3), 2012; UCI Machine Learning Repository, Online Retail (CC BY 4.0, "
            "https://archive.ics.uci.edu/dataset/352/online+retail), via the CRAN package onlineretail (CC0)")


def load_spec():
    with open(os.path.join(MODELS, "feature_spec.json"), encoding="utf-8") as f:
        return json.load(f)["churn"]


def encode(orders, as_of, spec):
    """periods [T, F] (float32) for one customer. orders: list of (ts_ms, amount) in arrival order."""
    T, Pd = int(spec["periods"]), int(spec["periodDays"])
    P = Pd * DAY_MS
    rcap, tcap = float(spec["recencyCapDays"]), float(spec["tenureCapDays"])
    orders = [(t, a) for t, a in orders if t < as_of]
    first = min((t for t, _ in orders), default=None)
    pc = (as_of - 1) // P
    rows = []
    for k in range(T):
        idx = pc - T + 1 + k
        start = idx * P
        end = min(start + P, as_of)
        lines, spend, days, last = 0, 0.0, set(), None
        for t, a in orders:
            if t < end and (last is None or t > last):
                last = t
            if start <= t < end:
                lines += 1
                spend += max(0.0, a)
                days.add((t - start) // DAY_MS)
        has = first is not None and first < end
        f = {
            "has_history": 1.0 if has else 0.0,
            "elapsed_fraction": (end - start) / P,
            "log_order_lines": math.log1p(lines),
            "log_spend": math.log1p(spend),
            "active_day_fraction": len(days) / Pd,
            "recency": 1.0 if last is None else min(1.0, (end - last) / DAY_MS / rcap),
            "tenure": min(1.0, (end - first) / DAY_MS / tcap) if has else 0.0,
        }
        rows.append([f[n] for n in spec["features"]])
    return np.array(rows, dtype=np.float32)


def rfm(ts, amt, c):
    """RFM baseline features from the whole history before c (not bounded; a baseline only)."""
    m = ts < c
    t, a = ts[m], amt[m]
    days = np.unique(t // DAY_MS)
    return [math.log1p((c - t.max()) / DAY_MS), math.log1p(len(days)), math.log1p(len(t)),
            math.log1p(np.maximum(a, 0).sum()), math.log1p((c - t.min()) / DAY_MS)]


class ChurnNet(nn.Module):
    def __init__(self, f, hidden=32):
        super().__init__()
        self.gru = nn.GRU(f, hidden, batch_first=True)
        self.head = nn.Sequential(nn.Linear(hidden, 16), nn.ReLU(), nn.Linear(16, 1))

    def logits(self, periods):
        _, hn = self.gru(periods)
        return self.head(hn[-1])[:, 0]

    def forward(self, periods):
        return torch.sigmoid(self.logits(periods))


def metrics(y, s, thr=None):
    from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score
    s = np.clip(np.asarray(s, dtype=np.float64), 1e-7, 1 - 1e-7)
    m = {"rocAuc": round(float(roc_auc_score(y, s)), 4), "prAuc": round(float(average_precision_score(y, s)), 4),
         "brier": round(float(brier_score_loss(y, s)), 4), "logLoss": round(float(log_loss(y, s)), 4),
         "n": int(len(y)), "churnRate": round(float(np.mean(y)), 4)}
    if thr is not None:
        al = s >= thr
        tp = int((al & (y == 1)).sum())
        m.update({"atRiskRate": round(float(al.mean()), 4), "precisionAtRisk": round(tp / max(1, int(al.sum())), 4),
                  "recallAtRisk": round(tp / max(1, int(y.sum())), 4)})
    return m


def f1_threshold(y, s):
    order = np.argsort(-s, kind="mergesort")
    ys, ss = y[order], s[order]
    tp = np.cumsum(ys)
    k = np.arange(1, len(ys) + 1)
    f1 = 2 * tp / (k + ys.sum())
    i = int(np.argmax(f1))
    return float(ss[i])


def rel_arg(x):
    """Absolute paths in the recorded command are written relative to the repository root."""
    return os.path.relpath(x, ROOT) if os.path.isabs(x) else x


def main(argv=None):
    t0 = time.time()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", default=os.path.join(ROOT, "..", "shared", "datasets"))
    ap.add_argument("--events", action="append", help="order events (event JSON lines); repeatable")
    ap.add_argument("--step-days", type=int, default=7, help="spacing of the training cut-offs")
    ap.add_argument("--min-history-days", type=int, default=60, help="first cut-off at least this far from the data start")
    ap.add_argument("--epochs", type=int, default=60)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--out-dir", default=MODELS)
    a = ap.parse_args(argv)
    seed_everything(a.seed)
    spec = load_spec()
    N = int(spec["horizonDays"]) * DAY_MS

    if not a.events:
        path = os.path.join(MODELS, "work", "online_retail", "orders.jsonl")
        # always re-convert (a few seconds), so the one command never trains on a stale conversion
        sys.path.insert(0, os.path.join(HERE, "convert"))
        import online_retail
        online_retail.main(["--input", os.path.join(a.datasets, "online-retail-uci", "online_retail.csv.gz"),
                            "--out", path])
        a.events = [path]
        data_name = "online-retail-uci (converted by convert/online_retail.py)"
    else:
        data_name = ", ".join(os.path.basename(x) for x in a.events)

    raw = {}
    by_user = {}
    for path in a.events:
        for e in read_events(path):
            if e.get("type") != "order":
                continue
            v = e.get("amount")
            if v is None:
                v = (e.get("price") or 0.0) * (e.get("quantity") if e.get("quantity") is not None else 1)
            by_user.setdefault(e["userId"], []).append((e["ts"], float(v)))
            raw.setdefault(e["userId"], []).append(e)
    users = sorted(by_user)
    for u in users:  # stable: equal timestamps keep the input order
        idx = sorted(range(len(by_user[u])), key=lambda i: by_user[u][i][0])
        by_user[u] = [by_user[u][i] for i in idx]
        raw[u] = [raw[u][i] for i in idx]
    arr = {u: (np.array([t for t, _ in by_user[u]], dtype=np.int64), np.array([x for _, x in by_user[u]]))
           for u in users}
    tmin = min(arr[u][0].min() for u in users)
    tmax = max(arr[u][0].max() for u in users)
    day0, dayN = (tmin // DAY_MS) * DAY_MS, (tmax // DAY_MS) * DAY_MS
    c_test = dayN - N
    c_val = c_test - N
    c_train = []
    c = c_val - N
    while c >= day0 + a.min_history_days * DAY_MS:
        c_train.append(int(c))
        c -= a.step_days * DAY_MS
    c_train.sort()
    if not c_train:
        raise SystemExit("not enough history for a training cut-off: need about 3 x horizonDays + min-history-days")
    print(f"[churn] {len(users)} customers, {sum(len(v) for v in by_user.values())} orders, "
          f"{iso(tmin)} .. {iso(tmax)}; train cut-offs {iso(c_train[0])[:10]}..{iso(c_train[-1])[:10]} "
          f"({len(c_train)}), val {iso(c_val)[:10]}, test {iso(c_test)[:10]}", flush=True)

    def build(cutoffs):
        X, R, Y, who = [], [], [], []
        for c in cutoffs:
            for u in users:
                ts, amt = arr[u]
                if ts[0] >= c:
                    continue
                X.append(encode(by_user[u], c, spec))
                R.append(rfm(ts, amt, c))
                Y.append(0 if np.any((ts >= c) & (ts < c + N)) else 1)
                who.append((u, c))
        return np.stack(X), np.array(R), np.array(Y), who

    Xtr, Rtr, ytr, _ = build(c_train)
    Xva, Rva, yva, _ = build([c_val])
    Xte, Rte, yte, who_te = build([c_test])
    print(f"[churn] examples train {len(ytr)} (churn {ytr.mean():.3f}), val {len(yva)} ({yva.mean():.3f}), "
          f"test {len(yte)} ({yte.mean():.3f}) ({time.time() - t0:.0f}s)", flush=True)

    model = ChurnNet(Xtr.shape[2])
    opt = torch.optim.Adam(model.parameters(), lr=3e-3, weight_decay=1e-4)
    lossf = nn.BCEWithLogitsLoss()
    Xt, yt = torch.from_numpy(Xtr), torch.from_numpy(ytr).float()
    from sklearn.metrics import log_loss, roc_auc_score
    g = torch.Generator().manual_seed(a.seed)
    best, best_state, best_ep = float("inf"), None, 0
    for ep in range(a.epochs):
        model.train()
        perm = torch.randperm(len(yt), generator=g)
        for s in range(0, len(perm), 256):
            b = perm[s:s + 256]
            opt.zero_grad()
            lossf(model.logits(Xt[b]), yt[b]).backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            pv = model(torch.from_numpy(Xva)).numpy().astype(np.float64)
        ll = log_loss(yva, np.clip(pv, 1e-7, 1 - 1e-7))
        if ll < best:
            best, best_state, best_ep = ll, copy.deepcopy(model.state_dict()), ep + 1
    model.load_state_dict(best_state)
    model.eval()
    with torch.no_grad():
        pv = model(torch.from_numpy(Xva)).numpy().astype(np.float64)
        pt = model(torch.from_numpy(Xte)).numpy().astype(np.float64)
    thr = f1_threshold(yva, pv)
    res = {"model": {"validation": metrics(yva, pv, thr), "test": metrics(yte, pt, thr)}}
    print(f"[churn] best epoch {best_ep} val log-loss {best:.4f}, val AUC {roc_auc_score(yva, pv):.4f} "
          f"({time.time() - t0:.0f}s)", flush=True)

    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler
    sc = StandardScaler().fit(Rtr)
    lr = LogisticRegression(max_iter=2000).fit(sc.transform(Rtr), ytr)
    lv, lt = lr.predict_proba(sc.transform(Rva))[:, 1], lr.predict_proba(sc.transform(Rte))[:, 1]
    lthr = f1_threshold(yva, lv)
    res["rfmLogisticRegression"] = {"validation": metrics(yva, lv, lthr), "test": metrics(yte, lt, lthr),
                                    "features": "log1p of recency days, active days, order lines, spend, tenure "
                                                "days (whole history before the cut-off)"}
    # the same logistic regression on the model's own (bounded) period features, flattened
    sc2 = StandardScaler().fit(Xtr.reshape(len(Xtr), -1))
    lr2 = LogisticRegression(max_iter=3000).fit(sc2.transform(Xtr.reshape(len(Xtr), -1)), ytr)
    l2v = lr2.predict_proba(sc2.transform(Xva.reshape(len(Xva), -1)))[:, 1]
    l2t = lr2.predict_proba(sc2.transform(Xte.reshape(len(Xte), -1)))[:, 1]
    res["periodLogisticRegression"] = {"validation": metrics(yva, l2v, f1_threshold(yva, l2v)),
                                       "test": metrics(yte, l2t, f1_threshold(yva, l2v)),
                                       "features": "the model's periods input, flattened"}
    for k, v in res.items():
        print(f"[churn] {k:25s} test {json.dumps(v['test'])}", flush=True)

    out_dir = os.path.join(a.out_dir, "churn")
    os.makedirs(out_dir, exist_ok=True)
    onnx_path = os.path.join(out_dir, "churn.onnx")
    torch.onnx.export(model, (torch.from_numpy(Xte[:2]),), onnx_path, input_names=["periods"],
                      output_names=["p_churn"], dynamic_axes={"periods": {0: "batch"}, "p_churn": {0: "batch"}},
                      opset_version=OPSET, do_constant_folding=True)
    inputs, outputs = onnx_io(onnx_path)

    # golden cases
    T, P = int(spec["periods"]), int(spec["periodDays"]) * DAY_MS
    as_of = parse_ts("2011-09-10T00:00:00Z")
    boundary = ((as_of // P) + 1) * P  # an asOf exactly on a period boundary

    def order(user, i, ts, amount, item="ITEM", q=1):
        return {"eventId": f"g-{user}-{i}", "userId": user, "type": "order", "ts": iso(ts), "itemId": item,
                "quantity": q, "price": round(amount / q, 4), "amount": amount, "currency": "GBP"}
    cases = [("no orders", [], as_of),
             ("one order 200 days ago", [order("g-one", 0, as_of - 200 * DAY_MS + 3_600_000, 55.0)], as_of),
             ("monthly buyer", [order("g-month", i, as_of - (330 - 30 * i) * DAY_MS + 11 * 3_600_000, 20.0 + i, q=2)
                                for i in range(11)], as_of),
             ("orders over more than T periods (oldest evicted)",
              [order("g-long", i, as_of - (500 - 19 * i) * DAY_MS, 12.5 + (i % 3)) for i in range(26)], as_of),
             ("basket of 6 lines and asOf on a period boundary",
              [order("g-burst", i, boundary - 2 * DAY_MS + 60_000 * (i // 3), 3.0 * (i + 1), item=f"I{i}")
               for i in range(6)] + [order("g-burst", 9, boundary - 40 * DAY_MS, 99.0)], boundary),
             ("orders earlier on the asOf day", [order("g-today", i, as_of - 50 * DAY_MS + i * 3_600_000, 10.0)
                                                  for i in range(2)] + [order("g-today", 5, as_of - 5 * 3_600_000, 7.25)],
              as_of)]
    # two real customers at the test cut-off, one who churned and one who did not
    for want in (1, 0):
        for i, (u, c) in enumerate(who_te):
            ts = arr[u][0]
            if yte[i] == want and 5 <= (ts < c).sum() <= 40:
                cases.append((("churned" if want else "retained") + " customer at the test cut-off (Online Retail)",
                              [e for e in raw[u] if e["ts"] < c], c))
                break
    golden = []
    for name, evs, c in cases:
        evs = [dict(e, ts=iso(e["ts"])) if isinstance(e["ts"], int) else e for e in evs]
        x = encode([(parse_ts(e["ts"]), float(e["amount"])) for e in evs], c, spec)[None]
        with torch.no_grad():
            y = model(torch.from_numpy(x)).numpy()
        golden.append({"name": name, "events": evs, "asOf": int(c),
                       "inputs": {"periods": {"shape": list(x.shape), "dtype": "float32",
                                              "data": [float(v) for v in x.reshape(-1)]}},
                       "outputs": {"p_churn": {"shape": [1], "dtype": "float32", "data": [float(y[0])]}}})
    write_json(os.path.join(a.out_dir, "golden", "churn.json"),
               {"model": "churn", "featureSpecVersion": FEATURE_SPEC_VERSION, "tolerance": 1e-5, "cases": golden})

    cmd = "/usr/bin/python3 onnx-models/training/train_churn.py " + " ".join(
        rel_arg(x) for x in (argv if argv is not None else sys.argv[1:]))
    write_json(os.path.join(out_dir, "manifest.part.json"), {
        "name": "churn", "file": "churn/churn.onnx", "sha256": sha256_file(onnx_path),
        "bytes": os.path.getsize(onnx_path), "opset": OPSET, "inputs": inputs, "outputs": outputs,
        "featureSpecVersion": FEATURE_SPEC_VERSION, "featureSpecSection": "churn",
        "encoder": "com.shopsense.features.ChurnFeatureEncoder", "golden": "golden/churn.json",
        "thresholds": {"atRisk": thr, "rule": "at risk when p_churn >= atRisk; F1-optimal on the validation cut-off"},
        "trainingData": {"dataset": data_name, "citation": CITATION,
                         "events": [os.path.relpath(x, ROOT) for x in a.events]},
        "split": {"by": "cut-off time; features from orders before the cut-off, label = no order in the next "
                        f"{spec['horizonDays']} days",
                  "trainCutoffs": [iso(x)[:10] for x in c_train], "validationCutoff": iso(c_val)[:10],
                  "testCutoff": iso(c_test)[:10],
                  "counts": {"train": int(len(ytr)), "validation": int(len(yva)), "test": int(len(yte))}},
        "metrics": res["model"],
        "baselines": {"rfmLogisticRegression": res["rfmLogisticRegression"],
                      "periodLogisticRegression": res["periodLogisticRegression"]},
        "training": {"seed": a.seed, "epochs": a.epochs, "bestEpoch": best_ep,
                     "model": "GRU(7->32), head 32->16->1", "parameters": int(sum(x.numel() for x in model.parameters())),
                     "seconds": round(time.time() - t0, 1)},
        "command": cmd.strip()})
    print(f"[churn] wrote {onnx_path} ({os.path.getsize(onnx_path)} bytes) in {time.time() - t0:.0f}s", flush=True)


if __name__ == "__main__":
    main()
