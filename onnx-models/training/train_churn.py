"""Churn model: GRU over a customer's order history summarised per period, with a wide part -> P(no order in
the next N days).

    PY=onnx-models/.venv/bin/python            # built by onnx-models/training/setup-venv.sh
    $PY onnx-models/training/train_churn.py --datasets ../shared/datasets          # the shipped model
    $PY onnx-models/training/train_churn.py --events orders.jsonl --out-dir my-models  # a store's retrain
    $PY onnx-models/training/train_churn.py --score-only --events new_orders.jsonl   # score the shipped model

Reads order events (event JSON, type "order"; other types are ignored). With --datasets and no --events the
UCI Online Retail CSV is converted first (convert/online_retail.py) into onnx-models/work/.

Features follow the "churn" section of the feature spec (--spec; period length, number of periods, horizon N,
feature list); com.shopsense.features.OrderHistory + ChurnFeatureEncoder compute the same input.

Time split (never random), with t_end = the last day in the data and N = the horizon:
  test cut-off     c_test = t_end - N (its label window is complete), or the last of --cutoffs
  train cut-offs   c_test - N, then every --step-days back while >= first day + --min-history-days (or the
                   other --cutoffs); their label windows end by c_test, so no training label sees the test window.
                   When they would give more than --max-examples examples, cut-offs are sampled evenly.
  validation       the same cut-offs for a held-out 20% of the customers (by a hash of the user id):
                   early stopping and the at-risk threshold; never the test window.
Examples at a cut-off c: customers with at least one order before c (never prospects); features from orders
before c, label 1 when the customer has no order in [c, c + N).
Writes <out-dir>/churn/churn.onnx, churn/manifest.part.json, golden/churn.json; and <out-dir>/feature_spec.json
when --horizon-days changes the spec (its version bumped; the shared spec is never edited in place).
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
from common import (FEATURE_SPEC_VERSION, OPSET, fnv1a32, iso, onnx_io, parse_ts, read_events,  # noqa: E402
                    seed_everything, sha256_file, write_json)

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
MODELS = os.path.join(ROOT, "onnx-models")
SHARED_SPEC = os.path.join(MODELS, "feature_spec.json")
DAY_MS = 86_400_000
SEED = 20240611
VAL_SHARE = 0.2
CITATION = ("Chen, Sain, Guo: Data mining for the online retail industry: A case study of RFM model-based "
            "customer segmentation using data mining, Journal of Database Marketing and Customer Strategy "
            "Management 19(3), 2012; UCI Machine Learning Repository, Online Retail (CC BY 4.0, "
            "https://archive.ics.uci.edu/dataset/352/online+retail), via the CRAN package onlineretail (CC0)")
RFM_FEATURES = ("log1p of recency days, active days, order lines, spend, tenure days (whole history before the "
                "cut-off), standardised")


def log(msg):
    print(f"[churn] {msg}", flush=True)


def load_spec(path=SHARED_SPEC):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


# ---------------------------------------------------------------------------------------------- features

def encode(orders, as_of, spec):
    """periods [T, F] (float32) for one customer, one order at a time: the reference the Java encoder and
    encode_batch are checked against. orders: list of (ts_ms, amount) in arrival order."""
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


class Orders:
    """Every order as flat arrays sorted by (customer, time); customers indexed 0..n-1 in sorted id order."""

    def __init__(self, users, u, ts, amt):
        order = np.lexsort((ts, u))  # stable: equal timestamps keep the input order
        self.users, self.u, self.ts, self.amt = users, u[order], ts[order], amt[order]
        self.n = len(users)

    def first_before(self, c):
        first = np.full(self.n, np.iinfo(np.int64).max, dtype=np.int64)
        m = self.ts < c
        np.minimum.at(first, self.u[m], self.ts[m])
        return first


def encode_batch(o, c, spec):
    """periods [n, T, F] for every customer at cut-off c, vectorised (the same values as encode())."""
    T, Pd = int(spec["periods"]), int(spec["periodDays"])
    P = Pd * DAY_MS
    rcap, tcap = float(spec["recencyCapDays"]), float(spec["tenureCapDays"])
    m = o.ts < c
    u, t, a = o.u[m], o.ts[m], o.amt[m]
    n = o.n
    first = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, u, t)
    base = (c - 1) // P - T + 1
    starts = (base + np.arange(T, dtype=np.int64)) * P
    ends = np.minimum(starts + P, c)
    k = t // P - base
    w = k >= 0
    uw, kw, tw = u[w], k[w], t[w]
    lines = np.zeros((n, T))
    np.add.at(lines, (uw, kw), 1.0)
    spend = np.zeros((n, T))
    np.add.at(spend, (uw, kw), np.maximum(a[w], 0.0))
    day = (tw - starts[kw]) // DAY_MS
    key = np.unique((uw * T + kw) * Pd + day)
    days = np.zeros(n * T)
    np.add.at(days, key // Pd, 1.0)
    last = np.full((n, T), -1, dtype=np.int64)
    np.maximum.at(last, (uw, kw), tw)
    evicted = np.full(n, -1, dtype=np.int64)
    np.maximum.at(evicted, u[~w], t[~w])
    last = np.maximum.accumulate(np.maximum(last, evicted[:, None]), axis=1)  # last order before end_k
    has = first[:, None] < ends[None, :]
    f = {
        "has_history": has.astype(np.float64),
        "elapsed_fraction": np.broadcast_to((ends - starts) / P, (n, T)),
        "log_order_lines": np.log1p(lines),
        "log_spend": np.log1p(spend),
        "active_day_fraction": days.reshape(n, T) / Pd,
        "recency": np.where(last < 0, 1.0, np.minimum(1.0, (ends[None, :] - last) / DAY_MS / rcap)),
        "tenure": np.where(has, np.minimum(1.0, (ends[None, :] - np.where(has, first[:, None], 0)) / DAY_MS / tcap),
                           0.0),
    }
    return np.stack([f[name] for name in spec["features"]], axis=2).astype(np.float32)


def rfm_batch(o, c):
    """RFM baseline features [n, 5] from the whole history before c (not bounded to the periods)."""
    m = o.ts < c
    u, t, a = o.u[m], o.ts[m], o.amt[m]
    n = o.n
    first = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, u, t)
    last = np.full(n, -1, dtype=np.int64)
    np.maximum.at(last, u, t)
    lines = np.bincount(u, minlength=n).astype(np.float64)
    spend = np.bincount(u, weights=np.maximum(a, 0.0), minlength=n)
    key = np.unique(u * 1_000_000 + t // DAY_MS)
    days = np.bincount(key // 1_000_000, minlength=n).astype(np.float64)
    ok = lines > 0
    rec = np.where(ok, (c - last) / DAY_MS, 0.0)
    ten = np.where(ok, (c - np.where(ok, first, 0)) / DAY_MS, 0.0)
    return np.log1p(np.stack([rec, days, lines, spend, ten], axis=1))


def labels_at(o, c, horizon_ms):
    """1 when the customer has no order in [c, c + horizon)."""
    m = (o.ts >= c) & (o.ts < c + horizon_ms)
    return (np.bincount(o.u[m], minlength=o.n) == 0).astype(np.int64)


def build(o, cutoffs, spec, horizon_ms, keep=None):
    """Examples at every cut-off: customers (>= 1 order before c) only, optionally those with keep[u]."""
    X, R, Y, who = [], [], [], []
    for c in cutoffs:
        cust = o.first_before(c) < c
        if keep is not None:
            cust &= keep
        idx = np.nonzero(cust)[0]
        X.append(encode_batch(o, c, spec)[idx])
        R.append(rfm_batch(o, c)[idx])
        Y.append(labels_at(o, c, horizon_ms)[idx])
        who.append(np.stack([idx, np.full(len(idx), c, dtype=np.int64)], axis=1))
    return np.concatenate(X), np.concatenate(R), np.concatenate(Y), np.concatenate(who)


# ------------------------------------------------------------------------------------------------- model

class ChurnNet(nn.Module):
    """Wide and deep: a logistic regression on RFM features computed in the graph from the periods input
    (recency and tenure of the last period, active days, order lines and spend summed over the periods; log1p,
    standardised with the training examples' mean and scale), plus a GRU over the periods whose head adds a
    correction to that logit. The wide part gives the model the baseline's extrapolation to histories longer
    than the training cut-offs saw; the GRU adds the order of the periods."""

    def __init__(self, spec, rfm_mean, rfm_scale, hidden=32):
        super().__init__()
        names = list(spec["features"])
        self.idx = {k: names.index(k) for k in ("recency", "tenure", "active_day_fraction", "log_order_lines",
                                                "log_spend")}
        self.caps = (float(spec["recencyCapDays"]), float(spec["tenureCapDays"]), float(spec["periodDays"]))
        self.register_buffer("mu", torch.tensor(rfm_mean, dtype=torch.float32))
        self.register_buffer("sd", torch.tensor(rfm_scale, dtype=torch.float32))
        self.gru = nn.GRU(len(names), hidden, batch_first=True)
        self.wide = nn.Linear(5, 1)
        self.head = nn.Sequential(nn.Linear(hidden + 5, 16), nn.ReLU(), nn.Linear(16, 1))

    def rfm(self, periods):
        i, (rcap, tcap, pd) = self.idx, self.caps
        rec = periods[:, -1, i["recency"]] * rcap
        ten = periods[:, -1, i["tenure"]] * tcap
        days = periods[:, :, i["active_day_fraction"]].sum(1) * pd
        lines = (torch.exp(periods[:, :, i["log_order_lines"]]) - 1).sum(1)
        spend = (torch.exp(periods[:, :, i["log_spend"]]) - 1).sum(1)
        return (torch.log1p(torch.stack([rec, days, lines, spend, ten], dim=1)) - self.mu) / self.sd

    def logits(self, periods):
        r = self.rfm(periods)
        _, hn = self.gru(periods)
        return self.wide(r)[:, 0] + self.head(torch.cat([hn[-1], r], dim=1))[:, 0]

    def forward(self, periods):
        return torch.sigmoid(self.logits(periods))


def rfm_of_periods(X, spec):
    """ChurnNet.rfm before standardisation, in numpy (for the standardisation statistics)."""
    with torch.no_grad():
        net = ChurnNet(spec, np.zeros(5), np.ones(5))
        return net.rfm(torch.from_numpy(X)).numpy().astype(np.float64)


class Ensemble(nn.Module):
    """Mean probability of several seeds' nets: one ONNX graph."""

    def __init__(self, nets):
        super().__init__()
        self.nets = nn.ModuleList(nets)

    def forward(self, periods):
        return torch.stack([n(periods) for n in self.nets], dim=0).mean(0)


def train_one(Xtr, ytr, Xva, yva, spec, seed, epochs, patience, deadline, t0, tag):
    from sklearn.metrics import roc_auc_score
    seed_everything(seed)
    r = rfm_of_periods(Xtr, spec)
    model = ChurnNet(spec, r.mean(0), np.maximum(r.std(0), 1e-6))
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-3)
    lossf = nn.BCEWithLogitsLoss()
    Xt, yt, Xv = torch.from_numpy(Xtr), torch.from_numpy(ytr).float(), torch.from_numpy(Xva)
    g = torch.Generator().manual_seed(seed)
    best, best_state, best_ep, since = -1.0, None, 0, 0
    for ep in range(1, epochs + 1):
        model.train()
        perm = torch.randperm(len(yt), generator=g)
        tot = 0.0
        for s in range(0, len(perm), 512):
            b = perm[s:s + 512]
            opt.zero_grad()
            loss = lossf(model.logits(Xt[b]), yt[b])
            loss.backward()
            opt.step()
            tot += float(loss.detach()) * len(b)
        model.eval()
        with torch.no_grad():
            auc = float(roc_auc_score(yva, model(Xv).numpy()))
        log(f"{tag} epoch {ep:3d} train loss {tot / len(yt):.4f} val AUC {auc:.4f} ({time.time() - t0:.0f}s)")
        if auc > best:
            best, best_state, best_ep, since = auc, copy.deepcopy(model.state_dict()), ep, 0
        else:
            since += 1
        if since >= patience or time.time() > deadline:
            break
    model.load_state_dict(best_state)
    model.eval()
    return model, best_ep, best


# ----------------------------------------------------------------------------------------------- metrics

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


class RankedScores:
    """One score vector grouped by distinct value, so that ROC-AUC and PR-AUC of any bootstrap resample (given as
    per-example counts) take a few bincounts: O(n), no sort per resample. Ties count half (ROC-AUC) and share
    one threshold (PR-AUC), as scikit-learn's roc_auc_score and average_precision_score do."""

    def __init__(self, s):
        _, self.group = np.unique(np.asarray(s, dtype=np.float64), return_inverse=True)  # ascending score
        self.g = int(self.group.max()) + 1

    def aucs(self, y, w):
        pos = np.bincount(self.group, weights=w * y, minlength=self.g)
        neg = np.bincount(self.group, weights=w * (1 - y), minlength=self.g)
        p1, n0 = pos.sum(), neg.sum()
        below = np.cumsum(neg) - neg
        roc = float((pos * (below + 0.5 * neg)).sum() / (p1 * n0))
        tp, fp = np.cumsum(pos[::-1]), np.cumsum(neg[::-1])  # thresholds from the highest score down
        ap = float((pos[::-1] / p1 * tp / np.maximum(tp + fp, 1e-12)).sum())
        return roc, ap


def bootstrap(y, scores, ref=None, n=1000, seed=0):
    """Paired bootstrap over customers: 95% intervals of each score's ROC-AUC and PR-AUC, and of each one's
    ROC-AUC minus ref's."""
    rng = np.random.default_rng(seed)
    y = np.asarray(y, dtype=np.float64)
    ranked = {k: RankedScores(v) for k, v in scores.items()}
    auc = {k: [] for k in scores}
    ap = {k: [] for k in scores}
    for _ in range(n):
        w = np.bincount(rng.integers(0, len(y), len(y)), minlength=len(y)).astype(np.float64)
        if (w * y).sum() == 0 or (w * (1 - y)).sum() == 0:
            continue
        for k, r in ranked.items():
            a, p = r.aucs(y, w)
            auc[k].append(a)
            ap[k].append(p)

    def ci(v):
        return [round(float(np.percentile(v, 2.5)), 4), round(float(np.percentile(v, 97.5)), 4)]
    out = {k: {"rocAuc95": ci(auc[k]), "prAuc95": ci(ap[k])} for k in scores}
    for k in scores:
        if ref is not None and k != ref:
            out[k]["rocAucMinus_" + ref + "95"] = ci(np.array(auc[k]) - np.array(auc[ref]))
    return out


def share_threshold(s, share):
    """The score of the top `share` of customers: a campaign that contacts that share of its customers."""
    return float(np.quantile(np.asarray(s, dtype=np.float64), 1.0 - share))


# -------------------------------------------------------------------------------------------------- data

def read_orders(paths):
    """Orders from event JSON files: Orders, the raw events per customer (for goldens), currencies seen."""
    ids, ts, amt, raw, cur = [], [], [], {}, {}
    for path in paths:
        for e in read_events(path):
            if e.get("type") != "order" or not e.get("userId"):
                continue
            v = e.get("amount")
            if v is None:  # ShopEvent.monetaryValue()
                v = (e.get("price") or 0.0) * (e.get("quantity") if e.get("quantity") is not None else 1)
            ids.append(e["userId"])
            ts.append(e["ts"])
            amt.append(float(v))
            raw.setdefault(e["userId"], []).append(e)
            c = e.get("currency")
            cur[c] = cur.get(c, 0) + 1
    if not ids:
        raise SystemExit("no order events in " + ", ".join(paths))
    users, u = np.unique(np.array(ids, dtype=object).astype(str), return_inverse=True)
    for k in raw:  # stable by time, as Orders sorts
        raw[k].sort(key=lambda e: e["ts"])
    return Orders(list(users), u.astype(np.int64), np.array(ts, dtype=np.int64), np.array(amt)), raw, cur


def day_of(s):
    return parse_ts(s if "T" in s else s + "T00:00:00Z")


def plan_cutoffs(o, a, horizon_ms, per_cutoff):
    """(train cut-offs, test cut-off): see the module doc. per_cutoff(c) = examples at c (for sampling)."""
    day0 = (int(o.ts.min()) // DAY_MS) * DAY_MS
    dayN = (int(o.ts.max()) // DAY_MS) * DAY_MS
    if a.cutoffs:
        cs = sorted(day_of(x) for x in a.cutoffs.split(","))
        c_test, train = cs[-1], cs[:-1]
        bad = [iso(c)[:10] for c in train if c + horizon_ms > c_test]
        if bad:
            raise SystemExit(f"train cut-offs {bad} have label windows past the test cut-off {iso(c_test)[:10]}")
        if c_test + horizon_ms > dayN + DAY_MS:
            log(f"warning: the test cut-off's label window ends after the data ({iso(dayN)[:10]}): labels incomplete")
    else:
        c_test = dayN - horizon_ms
        train, c = [], c_test - horizon_ms
        while c >= day0 + a.min_history_days * DAY_MS:
            train.append(int(c))
            c -= a.step_days * DAY_MS
        train.sort()
    if not train:
        raise SystemExit("not enough history for a training cut-off: need about 2 x horizon + --min-history-days "
                         f"(data {iso(day0)[:10]}..{iso(dayN)[:10]})")
    counts = [per_cutoff(c) for c in train]
    if sum(counts) > a.max_examples:  # sample cut-offs evenly, always keeping the latest (nearest the test)
        k = max(1, int(len(train) * a.max_examples / sum(counts)))
        pick = sorted(set(np.round(np.linspace(len(train) - 1, 0, k)).astype(int).tolist()))
        log(f"{sum(counts)} examples at {len(train)} cut-offs > --max-examples {a.max_examples}: "
            f"{len(pick)} cut-offs sampled evenly")
        train = [train[i] for i in pick]
    return train, int(c_test)


def churn_section(spec_doc, a, spec_path, out_dir):
    """The churn spec section to train with; a changed horizon writes <out-dir>/feature_spec.json with a
    bumped version (never the shared spec in place)."""
    spec = dict(spec_doc["churn"])
    if a.horizon_days is None or int(a.horizon_days) == int(spec["horizonDays"]):
        return spec, str(spec_doc["version"]), None
    spec["horizonDays"] = int(a.horizon_days)
    doc = copy.deepcopy(spec_doc)
    doc["churn"] = spec
    v = str(spec_doc["version"])
    doc["version"] = str(int(v) + 1) if v.isdigit() else v + ".1"
    target = os.path.join(out_dir, "feature_spec.json")
    if os.path.abspath(target) in (os.path.abspath(spec_path), os.path.abspath(SHARED_SPEC)):
        raise SystemExit(f"--horizon-days {a.horizon_days} changes the churn spec: pass an --out-dir of the store's "
                         "own model directory (the shared feature_spec.json is not edited in place)")
    write_json(target, doc)
    log(f"horizon {a.horizon_days} d: wrote {target} (version {doc['version']})")
    return spec, doc["version"], target


def rel_arg(x):
    """Absolute paths in the recorded command are written relative to the repository root."""
    return os.path.relpath(x, ROOT) if os.path.isabs(x) else x


def python_cmd():
    exe = sys.executable
    return "onnx-models/.venv/bin/python" if exe.endswith(os.path.join("onnx-models", ".venv", "bin", "python")) \
        else exe


# -------------------------------------------------------------------------------------------------- main

def parser():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", default=os.path.join(ROOT, "..", "shared", "datasets"))
    ap.add_argument("--events", action="append", help="order events (event JSON lines); repeatable")
    ap.add_argument("--spec", default=SHARED_SPEC, help="feature spec to read (its churn section)")
    ap.add_argument("--horizon-days", type=int, help="churn horizon N (default: the spec's horizonDays); a "
                                                     "different value writes <out-dir>/feature_spec.json")
    ap.add_argument("--cutoffs", help="explicit cut-off dates YYYY-MM-DD,...: the last is the test cut-off, the "
                                      "others training cut-offs")
    ap.add_argument("--step-days", type=int, default=7, help="spacing of the training cut-offs")
    ap.add_argument("--min-history-days", type=int, default=60,
                    help="first training cut-off at least this far from the data start")
    ap.add_argument("--max-examples", type=int, default=150_000, help="cut-offs are sampled above this")
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--patience", type=int, default=4, help="early stopping: epochs without a better val AUC")
    ap.add_argument("--seeds", type=int, default=3, help="nets in the ensemble (seed, seed+1, ...)")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--max-minutes", type=float, default=5.0, help="budget of the whole run (training stops early)")
    ap.add_argument("--at-risk-share", type=float, default=0.2,
                    help="at-risk threshold: the score of the top share of validation customers")
    ap.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples for the intervals")
    ap.add_argument("--currency", help="currency of the golden orders and the report (default: the data's "
                                       "most frequent); amounts are summed as they are, like the job does")
    ap.add_argument("--out-dir", default=MODELS)
    ap.add_argument("--golden", help="golden file to write (default <out-dir>/golden/churn.json)")
    ap.add_argument("--score-only", action="store_true", help="score the shipped model instead: score_shipped()")
    ap.add_argument("--model-dir", default=MODELS, help="with --score-only: the models directory to score")
    ap.add_argument("--cutoff", help="with --score-only: the test cut-off (default: last day - horizon)")
    return ap


def main(argv=None):
    argv = list(argv if argv is not None else sys.argv[1:])
    if "--score-only" in argv:
        return score_shipped([x for x in argv if x != "--score-only"])
    t0 = time.time()
    a = parser().parse_args(argv)
    # training stops by 70% of the budget: the baselines, intervals and export need the rest on a large store
    train_deadline = t0 + 0.7 * a.max_minutes * 60
    spec_doc = load_spec(a.spec)
    spec, spec_version, spec_written = churn_section(spec_doc, a, a.spec, a.out_dir)
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

    o, raw, currencies = read_orders(a.events)
    currency = a.currency or max(currencies, key=lambda k: currencies[k] if k else -1)
    if len([k for k in currencies if k]) > 1:
        log(f"warning: several currencies {currencies}: amounts are summed as they are (as the job does)")
    held = np.array([fnv1a32(u) % 1000 < VAL_SHARE * 1000 for u in o.users])  # validation customers
    train_c, c_test = plan_cutoffs(o, a, N, lambda c: int((o.first_before(c) < c).sum()))
    log(f"{o.n} customers, {len(o.ts)} orders, {iso(int(o.ts.min()))} .. {iso(int(o.ts.max()))}; "
        f"horizon {spec['horizonDays']} d; train cut-offs {iso(train_c[0])[:10]}..{iso(train_c[-1])[:10]} "
        f"({len(train_c)}), test {iso(c_test)[:10]} ({time.time() - t0:.1f}s)")

    Xtr, Rtr, ytr, _ = build(o, train_c, spec, N, keep=~held)
    Xva, Rva, yva, _ = build(o, train_c, spec, N, keep=held)
    Xte, Rte, yte, who_te = build(o, [c_test], spec, N)
    if min(len(ytr), len(yva), len(yte)) == 0 or min(ytr.min(), yva.min(), yte.min()) == max(ytr.max(), yva.max(),
                                                                                             yte.max()):
        raise SystemExit(f"too few examples or one class only (train {len(ytr)}, val {len(yva)}, test {len(yte)})")
    log(f"examples train {len(ytr)} (churn {ytr.mean():.3f}), val {len(yva)} ({yva.mean():.3f}), "
        f"test {len(yte)} ({yte.mean():.3f}) ({time.time() - t0:.1f}s)")

    nets, epochs_used = [], []
    for i in range(a.seeds):
        # each seed gets its share of what is left of the budget (the evaluation and export take ~1/6)
        end = time.time() + (train_deadline - time.time()) / (a.seeds - i)
        net, ep, auc = train_one(Xtr, ytr, Xva, yva, spec, a.seed + i, a.epochs, a.patience, end, t0, f"seed {i + 1}/{a.seeds}")
        nets.append(net)
        epochs_used.append(ep)
        log(f"seed {i + 1}: best epoch {ep}, val AUC {auc:.4f}")
        if time.time() > train_deadline and i + 1 < a.seeds:
            log(f"--max-minutes {a.max_minutes}: stopping at {i + 1} nets")
            break
    model = Ensemble(nets).eval()
    with torch.no_grad():
        pv = model(torch.from_numpy(Xva)).numpy().astype(np.float64)
        pt = model(torch.from_numpy(Xte)).numpy().astype(np.float64)
    thr = share_threshold(pv, a.at_risk_share)
    res, scores = evaluate_baselines(Xtr, Rtr, ytr, Xva, Rva, yva, Xte, Rte, yte, a.at_risk_share, a.seed)
    res = {"model": {"validation": metrics(yva, pv, thr), "test": metrics(yte, pt, thr)}, **res}
    scores = {"model": pt, **scores}
    ci = bootstrap(yte, scores, ref="rfmLogisticRegression", n=a.bootstrap, seed=a.seed)
    for k in res:
        res[k]["test95"] = ci[k]
    report(res, c_test)

    out_dir = os.path.join(a.out_dir, "churn")
    os.makedirs(out_dir, exist_ok=True)
    onnx_path = os.path.join(out_dir, "churn.onnx")
    torch.onnx.export(model, (torch.from_numpy(Xte[:2]),), onnx_path, input_names=["periods"],
                      output_names=["p_churn"], dynamic_axes={"periods": {0: "batch"}, "p_churn": {0: "batch"}},
                      opset_version=OPSET, do_constant_folding=True, dynamo=False)
    inputs, outputs = onnx_io(onnx_path)
    golden_path = a.golden or os.path.join(a.out_dir, "golden", "churn.json")
    write_goldens(golden_path, model, spec, spec_version, o, raw, who_te, yte, c_test, currency)

    cmd = python_cmd() + " onnx-models/training/train_churn.py " + " ".join(rel_arg(x) for x in argv)
    seconds = round(time.time() - t0, 1)
    write_json(os.path.join(out_dir, "manifest.part.json"), {
        "name": "churn", "file": "churn/churn.onnx", "sha256": sha256_file(onnx_path),
        "bytes": os.path.getsize(onnx_path), "opset": OPSET, "inputs": inputs, "outputs": outputs,
        "featureSpecVersion": spec_version, "featureSpecSection": "churn",
        "encoder": "com.shopsense.features.ChurnFeatureEncoder", "golden": "golden/churn.json",
        "thresholds": {"atRisk": thr, "rule": f"at risk when p_churn >= atRisk: the score of the top "
                                              f"{a.at_risk_share:.0%} of the validation customers (a campaign "
                                              f"that contacts that share of the customers)"},
        "trainingData": {"dataset": data_name, "citation": CITATION if not a.events or "online_retail" in
                         a.events[0] else None, "events": [rel_arg(x) for x in a.events], "currency": currency},
        "split": {"by": "cut-off time; features from orders before the cut-off, label = no order in the next "
                        f"{spec['horizonDays']} days; customers (>= 1 order before the cut-off) only; validation = "
                        f"{VAL_SHARE:.0%} of the customers (hash of the user id) at the training cut-offs",
                  "horizonDays": int(spec["horizonDays"]),
                  "trainCutoffs": [iso(x)[:10] for x in train_c], "testCutoff": iso(c_test)[:10],
                  "counts": {"train": int(len(ytr)), "validation": int(len(yva)), "test": int(len(yte))}},
        "metrics": res["model"],
        "baselines": {k: v for k, v in res.items() if k != "model"},
        "training": {"seed": a.seed, "seeds": len(nets), "maxEpochs": a.epochs, "bestEpochs": epochs_used,
                     "model": f"mean probability of {len(nets)} nets, each: wide logistic regression on 5 RFM "
                              f"features computed from the periods + GRU({Xtr.shape[2]}->32) and [h, RFM] -> 16 -> 1 "
                              f"added to its logit",
                     "parameters": int(sum(x.numel() for x in model.parameters())), "seconds": seconds},
        "featureSpec": rel_arg(spec_written) if spec_written else None,
        "command": cmd.strip()})
    log(f"wrote {onnx_path} ({os.path.getsize(onnx_path)} bytes), {golden_path} in {time.time() - t0:.0f}s")
    return 0


def evaluate_baselines(Xtr, Rtr, ytr, Xva, Rva, yva, Xte, Rte, yte, share, seed):
    """RFM logistic regression (the baseline to beat), and boosted trees on RFM + the flattened periods (a
    strong non-linear baseline on the same information), fitted on the training examples."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler
    res, scores = {}, {}
    sc = StandardScaler().fit(Rtr)
    lr = LogisticRegression(max_iter=2000).fit(sc.transform(Rtr), ytr)
    lv, lt = lr.predict_proba(sc.transform(Rva))[:, 1], lr.predict_proba(sc.transform(Rte))[:, 1]
    thr = share_threshold(lv, share)
    res["rfmLogisticRegression"] = {"validation": metrics(yva, lv, thr), "test": metrics(yte, lt, thr),
                                    "features": RFM_FEATURES}
    scores["rfmLogisticRegression"] = lt

    def flat(X, R):
        return np.concatenate([R, X.reshape(len(X), -1)], axis=1)
    gb = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05, early_stopping=True,
                                        validation_fraction=0.15, n_iter_no_change=15, random_state=seed)
    gb.fit(flat(Xtr, Rtr), ytr)
    gv, gt = gb.predict_proba(flat(Xva, Rva))[:, 1], gb.predict_proba(flat(Xte, Rte))[:, 1]
    thr = share_threshold(gv, share)
    res["gradientBoostedTrees"] = {"validation": metrics(yva, gv, thr), "test": metrics(yte, gt, thr),
                                   "features": "RFM + the model's periods input, flattened; scikit-learn "
                                               f"HistGradientBoostingClassifier ({gb.n_iter_} trees)"}
    scores["gradientBoostedTrees"] = gt
    return res, scores


def report(res, c_test):
    log(f"test cut-off {iso(c_test)[:10]}: ROC-AUC [95% bootstrap], PR-AUC [95%], at the at-risk threshold: "
        f"flagged share, precision, recall")
    for k, v in res.items():
        t, ci = v["test"], v["test95"]
        line = (f"  {k:24s} ROC-AUC {t['rocAuc']:.4f} {ci['rocAuc95']}  PR-AUC {t['prAuc']:.4f} {ci['prAuc95']}")
        if "atRiskRate" in t:
            line += f"  flagged {t['atRiskRate']:.3f} precision {t['precisionAtRisk']:.3f} recall {t['recallAtRisk']:.3f}"
        for dk, dv in ci.items():
            if dk.startswith("rocAucMinus_"):
                line += f"  minus RFM LR {t['rocAuc'] - res['rfmLogisticRegression']['test']['rocAuc']:+.4f} {dv}"
        print(line, flush=True)


def write_goldens(path, model, spec, spec_version, o, raw, who_te, yte, c_test, currency):
    """Synthetic cases at cut-offs relative to the data (the test cut-off and the next period boundary), and a
    churned and a retained real customer at the test cut-off."""
    P = int(spec["periodDays"]) * DAY_MS
    as_of = c_test
    boundary = ((as_of // P) + 1) * P  # an asOf exactly on a period boundary

    def order(user, i, ts, amount, item="ITEM", q=1):
        return {"eventId": f"g-{user}-{i}", "userId": user, "type": "order", "ts": iso(ts), "itemId": item,
                "quantity": q, "price": round(amount / q, 4), "amount": amount, "currency": currency}
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
    for want in (1, 0):  # two real customers at the test cut-off, one who churned and one who did not
        for i, (u, c) in enumerate(who_te):
            evs = [e for e in raw[o.users[u]] if e["ts"] < c]
            if yte[i] == want and 5 <= len(evs) <= 40:
                cases.append((("churned" if want else "retained") + " customer at the test cut-off", evs, int(c)))
                break
    golden = []
    for name, evs, c in cases:
        evs = [dict(e, ts=iso(e["ts"])) if isinstance(e["ts"], (int, np.integer)) else e for e in evs]
        x = encode([(parse_ts(e["ts"]), float(e["amount"] if e.get("amount") is not None else
                                                (e.get("price") or 0.0) * (e.get("quantity") or 1)))
                    for e in evs], c, spec)[None]
        with torch.no_grad():
            y = model(torch.from_numpy(x)).numpy()
        golden.append({"name": name, "events": evs, "asOf": int(c),
                       "inputs": {"periods": {"shape": list(x.shape), "dtype": "float32",
                                              "data": [float(v) for v in x.reshape(-1)]}},
                       "outputs": {"p_churn": {"shape": [1], "dtype": "float32", "data": [float(y[0])]}}})
    write_json(path, {"model": "churn", "featureSpecVersion": spec_version, "tolerance": 1e-5, "cases": golden})


# ------------------------------------------------------------------------------------------ --score-only

def score_shipped(argv):
    """Scores a shipped churn model on a store's order events without retraining: ROC-AUC / PR-AUC with
    bootstrap intervals at the test cut-off (--cutoff, default last day - horizon), next to RFM logistic
    regression fitted on the cut-off one horizon earlier of the same data. Returns 0 on success."""
    import onnxruntime as ort
    ap = argparse.ArgumentParser(prog="train_churn.py --score-only", description=score_shipped.__doc__)
    ap.add_argument("--events", action="append", required=True)
    ap.add_argument("--model-dir", default=MODELS)
    ap.add_argument("--cutoff")
    ap.add_argument("--bootstrap", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--spec", help="feature spec (default: <model-dir>/feature_spec.json, else the shared one)")
    a, rest = ap.parse_known_args(argv)
    if rest:
        print(f"[churn score] ignoring arguments {rest}", flush=True)
    own = os.path.join(a.model_dir, "feature_spec.json")
    spec_doc = load_spec(a.spec or (own if os.path.exists(own) else SHARED_SPEC))
    spec = spec_doc["churn"]
    N = int(spec["horizonDays"]) * DAY_MS
    part_path = os.path.join(a.model_dir, "churn", "manifest.part.json")
    part = {}
    if os.path.exists(part_path):
        with open(part_path, encoding="utf-8") as f:
            part = json.load(f)
    o, _, _ = read_orders(a.events)
    dayN = (int(o.ts.max()) // DAY_MS) * DAY_MS
    c_test = day_of(a.cutoff) if a.cutoff else dayN - N
    c_fit = c_test - N
    X, R, y, _ = build(o, [c_test], spec, N)
    Rf, yf = build(o, [c_fit], spec, N)[1:3]
    if len(y) == 0 or y.min() == y.max() or len(yf) == 0 or yf.min() == yf.max():
        print(f"[churn score] too few customers or one class only at {iso(c_test)[:10]} / {iso(c_fit)[:10]}",
              flush=True)
        return 2
    sess = ort.InferenceSession(os.path.join(a.model_dir, "churn", "churn.onnx"), providers=["CPUExecutionProvider"])
    p = np.concatenate([sess.run(None, {"periods": X[i:i + 4096]})[0] for i in range(0, len(X), 4096)])
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler
    sc = StandardScaler().fit(Rf)
    lt = LogisticRegression(max_iter=2000).fit(sc.transform(Rf), yf).predict_proba(sc.transform(R))[:, 1]
    thr = (part.get("thresholds") or {}).get("atRisk")
    res = {"model": {"test": metrics(y, p, thr)}, "rfmLogisticRegression": {"test": metrics(y, lt)}}
    ci = bootstrap(y, {"model": p.astype(np.float64), "rfmLogisticRegression": lt}, ref="rfmLogisticRegression",
                   n=a.bootstrap, seed=a.seed)
    for k in res:
        res[k]["test95"] = ci[k]
    print(f"[churn score] {os.path.join(a.model_dir, 'churn', 'churn.onnx')} on {o.n} customers; RFM LR fitted at "
          f"{iso(c_fit)[:10]}", flush=True)
    report(res, c_test)
    print(json.dumps({"testCutoff": iso(c_test)[:10], "rfmFitCutoff": iso(c_fit)[:10], **res}, sort_keys=True),
          flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
