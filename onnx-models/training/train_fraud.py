"""Fraud model: GRU over the customer's last M payments + the current payment's features.

    /usr/bin/python3 onnx-models/training/train_fraud.py --datasets ../shared/datasets
    /usr/bin/python3 onnx-models/training/train_fraud.py --events my_payments.jsonl --labels my_labels.jsonl

Reads payment events (event JSON, type "payment") and feedback labels ({eventId, label: fraud|legit, ...});
a payment without a "fraud" label counts as legit. With --datasets and no --events, the fraud-handbook
CSV is converted first (convert/fraud_handbook.py) into onnx-models/work/fraud_handbook/.

Features follow the "fraud" section of onnx-models/feature_spec.json and are computed only from the
user's previous M payments (what com.shopsense.features.PaymentHistory keeps), the current payment and,
for merchant_fraud_<D>d (issue 11), the fraud labels of the payment's merchantId with
c.ts - D days < decidedAt <= c.ts (dedup by labelId): a label is never used before its decision time,
in training as in the stream. --label-delay-days sets decidedAt = payment time + delay in the converted
handbook labels; --no-feedback ships the model without those features (the previous model).
Split by the current payment's time: the last calendar month of the data is the test set, the month
before it validation (early stopping, alert threshold at a 1% alert rate), everything earlier training.
Writes onnx-models/fraud/fraud.onnx, fraud/manifest.part.json and golden/fraud.json.
"""
import argparse
import copy
import json
import math
import os
import re
import sys
import time
from datetime import datetime, timezone

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import (FEATURE_SPEC_VERSION, OPSET, iso, onnx_io, parse_ts, seed_everything,  # noqa: E402
                    sha256_file, write_json)

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
MODELS = os.path.join(ROOT, "onnx-models")
HOUR_MS, DAY_MS = 3_600_000, 86_400_000
SEED = 20240611
ALERT_RATE = 0.01
CITATION = ("Le Borgne, Siblini, Lebichot, Bontempi: Reproducible Machine Learning for Credit Card Fraud "
            "Detection - Practical Handbook, Universite Libre de Bruxelles, 2022 "
            "(https://github.com/Fraud-Detection-Handbook/fraud-detection-handbook), simulated transactions "
            "2018-04-01..2018-07-31")


def load_spec():
    with open(os.path.join(MODELS, "feature_spec.json"), encoding="utf-8") as f:
        return json.load(f)["fraud"]


# ----------------------------------------------------------------------------------------------------------
# Data: columns sorted by (user, ts, input order)
# ----------------------------------------------------------------------------------------------------------
class Payments:
    FIELDS = ("merchantId", "deviceId", "cardFingerprint", "country")

    def __init__(self, events):
        users, ts, amt, eids = [], [], [], []
        cats = {f: [] for f in self.FIELDS}
        for e in events:
            if e.get("type") != "payment":
                continue
            users.append(e["userId"])
            ts.append(parse_ts(e["ts"]))
            a = e.get("amount")
            if a is None and e.get("price") is not None:
                a = float(e["price"]) * (e.get("quantity") if e.get("quantity") is not None else 1)
            amt.append(max(0.0, float(a)) if a is not None else 0.0)
            eids.append(e["eventId"])
            for f in self.FIELDS:
                v = e.get(f)
                cats[f].append(v if v not in (None, "") else None)
        uniq, ucode = np.unique(np.array(users, dtype=object).astype(str), return_inverse=True)
        ts = np.array(ts, dtype=np.int64)
        order = np.lexsort((np.arange(len(ts)), ts, ucode))
        self.user = ucode[order]
        self.user_names = uniq
        self.ts = ts[order]
        self.amount = np.array(amt, dtype=np.float64)[order]
        self.event_id = np.array(eids, dtype=object)[order]
        self.cat, self.cat_names = {}, {}
        for f in self.FIELDS:
            vals = np.array(cats[f], dtype=object)[order]
            present = np.array([v is not None for v in vals], dtype=bool)
            codes = np.full(len(vals), -1, dtype=np.int64)
            names = np.array([], dtype=str)
            if present.any():
                names, c = np.unique(vals[present].astype(str), return_inverse=True)
                codes[present] = c
            self.cat[f] = codes
            self.cat_names[f] = names
        n = len(self.ts)
        first = np.ones(n, dtype=bool)
        first[1:] = self.user[1:] != self.user[:-1]
        starts = np.maximum.accumulate(np.where(first, np.arange(n), 0))
        self.pos_in_user = np.arange(n) - starts
        self.raw = None  # the event dicts, kept only for golden cases

    def __len__(self):
        return len(self.ts)


# ----------------------------------------------------------------------------------------------------------
# Feedback features (issue 11): fraud labels per merchant, known at the payment's time
# ----------------------------------------------------------------------------------------------------------
FEEDBACK_RE = re.compile(r"^merchant_fraud_(\d+)d$")


def is_feedback(name):
    return FEEDBACK_RE.match(name) is not None


def feedback_window_ms(name):
    return int(FEEDBACK_RE.match(name).group(1)) * DAY_MS


class FraudLabels:
    """The label events that feed the merchant features: label == "fraud", merchantId present, one per labelId
    (the first one received; a replayed duplicate counts once). Legit labels never enter the features."""

    def __init__(self, labels):
        seen, merch, dec = set(), [], []
        for lab in labels:
            lid = lab.get("labelId")
            if lab.get("label") != "fraud" or lab.get("merchantId") in (None, "") or lid in seen:
                continue
            seen.add(lid)
            merch.append(str(lab["merchantId"]))
            dec.append(parse_ts(lab["decidedAt"]))
        self.merchant = np.array(merch, dtype=object)
        self.decided = np.array(dec, dtype=np.int64)

    def __len__(self):
        return len(self.decided)

    def index_for(self, p):
        """Sorted keys (merchant code of p, decidedAt) so that a window count is two searchsorted calls."""
        names = p.cat_names["merchantId"]
        lookup = {str(n): i for i, n in enumerate(names)}
        code = np.array([lookup.get(m, -1) for m in self.merchant], dtype=np.int64)
        keep = code >= 0
        tmin = min([int(p.ts.min())] + ([int(self.decided.min())] if len(self) else []))
        base = tmin - 400 * DAY_MS  # windows up to 400 days stay non-negative
        keys = np.sort(code[keep] * (1 << 43) + (self.decided[keep] - base))
        return {"keys": keys, "base": base}


def feedback_counts(p, rows, fb, window_ms):
    """Per row: number of fraud labels for the row's merchant with c.ts - window < decidedAt <= c.ts."""
    code = p.cat["merchantId"][rows]
    t = p.ts[rows]
    if fb is None or len(fb["keys"]) == 0:
        return np.zeros(len(rows), dtype=np.float64)
    assert window_ms <= 400 * DAY_MS
    hi = code * (1 << 43) + (t - fb["base"])
    lo = hi - window_ms
    n = np.searchsorted(fb["keys"], hi, side="right") - np.searchsorted(fb["keys"], lo, side="right")
    return np.where(code >= 0, n, 0).astype(np.float64)


def encode(p: Payments, rows, spec, feats=None, fb=None):
    """history [R, M, F] and current [R, G] (float32) for the given row indices, per the spec.
    feats: the current features to emit (default the spec's list); fb: FraudLabels.index_for(p)."""
    feats = spec["currentFeatures"] if feats is None else feats
    M = int(spec["historyLength"])
    rows = np.asarray(rows, dtype=np.int64)
    offs = np.arange(M, 0, -1)  # column j holds the payment M - j places before
    idx = rows[:, None] - offs[None, :]
    valid = offs[None, :] <= p.pos_in_user[rows][:, None]
    idx = np.where(valid, idx, 0)
    n = valid.sum(1)
    cts = p.ts[rows][:, None]
    ca = p.amount[rows]
    la_c = np.log1p(ca)
    hts = p.ts[idx]
    ha = p.amount[idx]
    age_ms = np.maximum(0, cts - hts).astype(np.float64)
    same = {}
    for f in Payments.FIELDS:
        c = p.cat[f][rows][:, None]
        h = p.cat[f][idx]
        same[f] = (valid & (c >= 0) & (h == c)).astype(np.float64)
    hist_cols = {
        "mask": valid.astype(np.float64),
        "log_age_s": np.log1p(age_ms / 1000.0),
        "log_amount": np.log1p(ha),
        "log_amount_vs_current": np.log1p(ha) - la_c[:, None],
        "same_merchant": same["merchantId"],
        "same_device": same["deviceId"],
        "same_card": same["cardFingerprint"],
        "same_country": same["country"],
    }
    hist = np.stack([np.where(valid, hist_cols[k], 0.0) for k in spec["historyFeatures"]], axis=-1)

    has = n > 0
    ha_nan = np.where(valid, ha, np.nan)
    with np.errstate(all="ignore"):
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            med = np.nanmedian(ha_nan, axis=1)
            mx = np.nanmax(ha_nan, axis=1)
    last_ts = p.ts[np.maximum(rows - 1, 0)]
    in1h = valid & (cts - hts <= HOUR_MS)
    in24h = valid & (cts - hts <= DAY_MS)
    x = (np.mod(p.ts[rows], DAY_MS) / 3_600_000.0) / 24.0

    def new_of(f):
        c = p.cat[f][rows]
        return (has & (c >= 0) & (same[f].sum(1) == 0)).astype(np.float64)

    cur_cols = {
        "log_amount": la_c,
        "history_fill": n / M,
        "no_history": (~has).astype(np.float64),
        "log_amount_over_median": np.where(has, la_c - np.log1p(np.where(has, med, 0.0)), 0.0),
        "log_amount_over_max": np.where(has, la_c - np.log1p(np.where(has, mx, 0.0)), 0.0),
        "log_secs_since_last": np.where(has, np.log1p(np.maximum(0, p.ts[rows] - last_ts) / 1000.0), 0.0),
        "count_1h": in1h.sum(1).astype(np.float64),
        "count_24h": in24h.sum(1).astype(np.float64),
        "log_amount_24h": np.log1p(np.where(in24h, ha, 0.0).sum(1)),
        "new_merchant": new_of("merchantId"),
        "merchant_seen": same["merchantId"].sum(1),
        "new_device": new_of("deviceId"),
        "new_card": new_of("cardFingerprint"),
        "new_country": new_of("country"),
        "hour_sin": np.sin(2 * math.pi * x),
        "hour_cos": np.cos(2 * math.pi * x),
    }
    for k in feats:
        if is_feedback(k):
            cur_cols[k] = np.log1p(feedback_counts(p, rows, fb, feedback_window_ms(k)))
    cur = np.stack([cur_cols[k] for k in feats], axis=-1)
    return hist.astype(np.float32), cur.astype(np.float32), {"median": med, "n": n}


def encode_all(p, spec, fb=None, chunk=200_000):
    hs, cs, meds = [], [], []
    for s in range(0, len(p), chunk):
        h, c, aux = encode(p, np.arange(s, min(len(p), s + chunk)), spec, fb=fb)
        hs.append(h)
        cs.append(c)
        meds.append(aux["median"])
    return np.concatenate(hs), np.concatenate(cs), np.concatenate(meds)


# ----------------------------------------------------------------------------------------------------------
# Model
# ----------------------------------------------------------------------------------------------------------
class FraudNet(nn.Module):
    def __init__(self, fh, g, hist_mean, hist_scale, cur_mean, cur_scale, hidden=32):
        super().__init__()
        self.register_buffer("hist_mean", torch.tensor(hist_mean, dtype=torch.float32))
        self.register_buffer("hist_scale", torch.tensor(hist_scale, dtype=torch.float32))
        self.register_buffer("cur_mean", torch.tensor(cur_mean, dtype=torch.float32))
        self.register_buffer("cur_scale", torch.tensor(cur_scale, dtype=torch.float32))
        self.gru = nn.GRU(fh, hidden, batch_first=True)
        self.cur = nn.Sequential(nn.Linear(g, 32), nn.ReLU())
        self.head = nn.Sequential(nn.Linear(hidden + 32, 32), nn.ReLU(), nn.Linear(32, 1))

    def logits(self, history, current):
        mask = history[:, :, 0:1]
        h = (history - self.hist_mean) * self.hist_scale * mask
        _, hn = self.gru(h)
        c = self.cur((current - self.cur_mean) * self.cur_scale)
        return self.head(torch.cat([hn[-1], c], dim=1))[:, 0]

    def forward(self, history, current):
        return torch.sigmoid(self.logits(history, current))


def norm_constants(x, mask=None):
    """mean and 1/std per feature over real rows; a feature constant in training gets scale 0 (switched off)."""
    flat = x.reshape(-1, x.shape[-1]).astype(np.float64)
    if mask is not None:
        flat = flat[mask.reshape(-1) > 0]
    mean = flat.mean(0)
    std = flat.std(0)
    scale = np.where(std > 1e-6, 1.0 / np.maximum(std, 1e-6), 0.0)
    mean = np.where(std > 1e-6, mean, 0.0)
    return mean, scale


# ----------------------------------------------------------------------------------------------------------
# Metrics
# ----------------------------------------------------------------------------------------------------------
def threshold_at_rate(scores, rate):
    """Smallest score t with P(score >= t) <= rate on these (validation) scores."""
    s = np.sort(np.asarray(scores, dtype=np.float64))[::-1]
    k = max(1, int(math.floor(rate * len(s))))
    t = s[k - 1]
    if k < len(s) and s[k] == t:  # ties: move above them so the rate is not exceeded
        t = np.nextafter(t, np.inf)
    return float(t)


def metrics(y, s, thr, scen=None):
    from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score
    y = np.asarray(y)
    s = np.asarray(s, dtype=np.float64)
    alert = s >= thr
    tp = int((alert & (y == 1)).sum())
    m = {"rocAuc": round(float(roc_auc_score(y, s)), 4),
         "prAuc": round(float(average_precision_score(y, s)), 4),
         "alertRate": round(float(alert.mean()), 4),
         "precisionAtAlert": round(tp / max(1, int(alert.sum())), 4),
         "recallAtAlert": round(tp / max(1, int(y.sum())), 4),
         "n": int(len(y)), "positives": int(y.sum())}
    if np.all((s >= 0) & (s <= 1)):
        m["brier"] = round(float(brier_score_loss(y, s)), 5)
    k = max(1, int(round(ALERT_RATE * len(s))))  # oracle: exactly the top 1% of this set, for side-by-side
    top = np.argsort(-s, kind="mergesort")[:k]
    m["precisionAtTop1pct"] = round(float(y[top].mean()), 4)
    m["recallAtTop1pct"] = round(float(y[top].sum() / max(1, y.sum())), 4)
    if scen is not None:
        m["recallByScenario"] = {str(k): round(float((alert & (scen == k)).sum() / max(1, (scen == k).sum())), 4)
                                 for k in (1, 2, 3) if (scen == k).any()}
    return m


# ----------------------------------------------------------------------------------------------------------
# Golden cases
# ----------------------------------------------------------------------------------------------------------
LABEL_FIELDS = ("labelId", "eventId", "userId", "merchantId", "label", "source", "decidedAt")


def contract_label(lab):
    """A label event in the feedback-topic contract shape (extra fields such as `scenario` dropped)."""
    return {k: lab[k] for k in LABEL_FIELDS if k in lab}


def golden_cases(p_real, labels_y, scen, model, spec, feats, test_mask, label_list, fb_real):
    M = int(spec["historyLength"])
    base = parse_ts("2018-07-10T12:00:00Z")

    def pay(i, user, ts, amount, merchant, **kw):
        e = {"eventId": f"g-{user}-{i}", "userId": user, "type": "payment", "ts": iso(ts), "amount": amount}
        if merchant is not None:
            e["merchantId"] = merchant
        e.update(kw)
        return e

    def lab(lid, merchant, decided, label="fraud", source="case"):
        return {"labelId": lid, "eventId": f"ev-{lid}", "userId": "g-someone", "merchantId": merchant,
                "label": label, "source": source, "decidedAt": iso(decided)}

    cases = []  # (name, history, current, labels)
    # 1 empty history
    cases.append(("empty history", [], pay(0, "g-empty", base, 42.5, "T1"), []))
    # 2 one prior payment
    cases.append(("one payment", [pay(0, "g-one", base - 3 * DAY_MS, 30.0, "T7")],
                  pay(1, "g-one", base, 31.2, "T7"), []))
    # 3 burst: 6 payments in 40 minutes after a quiet history
    hist = [pay(i, "g-burst", base - (10 - i) * DAY_MS, 20.0 + i, f"T{100 + i % 3}") for i in range(4)]
    hist += [pay(10 + i, "g-burst", base - (40 - 8 * i) * 60_000, 25.0 + 3 * i, f"T{200 + i}") for i in range(5)]
    cases.append(("burst", hist, pay(99, "g-burst", base, 39.9, "T300"), []))
    # 4 amount 8x the median, known merchant
    hist = [pay(i, "g-amt", base - (20 - i) * 12 * HOUR_MS, 18.0 + (i % 5), "T55") for i in range(12)]
    cases.append(("amount 8x median", hist, pay(99, "g-amt", base, 160.0, "T55"), []))
    # 5 more than M prior payments (only the last M count), high amount, new merchant
    hist = [pay(i, "g-long", base - (25 - i) * 7 * HOUR_MS, 50.0 + 7 * (i % 4), f"T{400 + i % 5}") for i in range(M + 6)]
    cases.append(("longer than M, high amount, new merchant", hist, pay(99, "g-long", base, 260.0, "T999"), []))
    # 6 device / card / country present: new device and card, same country; out-of-order arrival
    hist = [pay(i, "g-dev", base - (6 - i) * DAY_MS, 70.0, "T5", deviceId="d-1", cardFingerprint="cf-1",
                country="BE", currency="EUR") for i in range(5)]
    hist = hist[:2] + [hist[3], hist[2]] + hist[4:]  # the Java history must sort by time
    cases.append(("device/card/country, out of order", hist,
                  pay(99, "g-dev", base, 75.0, "T5", deviceId="d-2", cardFingerprint="cf-9", country="BE",
                      currency="EUR"), []))
    # 7/8 real test-month payments: a scenario-3 fraud and a legit one, with their real history and the real
    # labels of their merchant known at c.ts
    by_merchant = {}
    for x in label_list:
        if x.get("merchantId"):
            by_merchant.setdefault(str(x["merchantId"]), []).append(x)

    def real_case(name, r):
        lo = r - min(M + 2, int(p_real.pos_in_user[r]))
        evs = [p_real.raw(i) for i in range(lo, r + 1)]
        cur = evs[-1]
        t = parse_ts(cur["ts"])
        labs = [contract_label(x) for x in by_merchant.get(cur.get("merchantId") or "", [])
                if parse_ts(x["decidedAt"]) <= t]
        return name, evs[:-1], cur, labs

    for want_fraud in (True, False):
        want = (labels_y == 1) & (scen == 3) if want_fraud and (scen == 3).any() else labels_y == int(want_fraud)
        cand = np.where(test_mask & want & (p_real.pos_in_user >= M + 2))[0]
        cases.append(real_case(("fraud" if want_fraud else "legit") + " payment from the test month (handbook)",
                               int(cand[len(cand) // 2])))
    # feedback cases (issue 11)
    fb_names = [f for f in feats if is_feedback(f)]
    w_short = min((feedback_window_ms(f) for f in fb_names), default=7 * DAY_MS)
    w_long = max((feedback_window_ms(f) for f in fb_names), default=28 * DAY_MS)
    # 9 a real scenario-2 fraud (compromised terminal) whose terminal already has confirmed frauds
    if (scen == 2).any():
        cand = np.where(test_mask & (labels_y == 1) & (scen == 2) & (p_real.pos_in_user >= M + 2))[0]
        cand = cand[feedback_counts(p_real, cand, fb_real, w_short) > 0]
        if len(cand):
            cases.append(real_case("scenario-2 fraud from the test month, terminal with confirmed frauds (handbook)",
                                   int(cand[len(cand) // 2])))
    # 10 fraud labels inside both windows, with the window edges: decidedAt == c.ts counts in both,
    #    == c.ts - short window counts only in the long one, == c.ts - long window counts in neither
    hist = [pay(i, "g-fb", base - (5 - i) * DAY_MS, 40.0 + i, "T777") for i in range(4)]
    labs = [lab("g-l1", "T777", base - 2 * DAY_MS), lab("g-l2", "T777", base - 5 * DAY_MS - 3_600_000),
            lab("g-l3", "T777", base - 10 * DAY_MS), lab("g-l4", "T777", base - 20 * DAY_MS, source="chargeback"),
            lab("g-l5", "T777", base), lab("g-l6", "T777", base - w_short), lab("g-l7", "T777", base - w_long)]
    cases.append(("feedback: fraud labels in both windows and on the window edges", hist,
                  pay(99, "g-fb", base, 45.0, "T777"), labs))
    # 11 labels that must not count: decided after c.ts, older than the long window, legit, another merchant;
    #    a duplicated labelId counts once
    hist = [pay(i, "g-fbx", base - (3 - i) * DAY_MS, 60.0, "T778") for i in range(3)]
    labs = [lab("g-x1", "T778", base + 1), lab("g-x2", "T778", base - w_long - DAY_MS),
            lab("g-x3", "T778", base - DAY_MS, label="legit"), lab("g-x4", "T779", base - DAY_MS),
            lab("g-x5", "T778", base - 3 * DAY_MS), lab("g-x5", "T778", base - 3 * DAY_MS),
            lab("g-x6", "T778", base + 2 * DAY_MS, source="chargeback")]
    cases.append(("feedback: after c.ts, too old, legit, other merchant, duplicate labelId", hist,
                  pay(99, "g-fbx", base, 61.0, "T778"), labs))
    # 12 no merchantId on the payment: feedback features 0 whatever the labels
    hist = [pay(i, "g-nom", base - (2 - i) * DAY_MS, 25.0, "T780") for i in range(2)]
    labs = [lab("g-n1", "T780", base - DAY_MS), lab("g-n2", "", base - DAY_MS)]
    cases.append(("feedback: payment without merchantId", hist, pay(99, "g-nom", base, 26.0, None), labs))

    out = []
    for name, hist, cur, labs in cases:
        evs = hist + [cur]
        p = Payments(evs)
        # the row of `cur` is the last of its user in time order (unique ts in these cases)
        row = int(np.where(p.event_id == cur["eventId"])[0][0])
        h, c, _ = encode(p, [row], spec, feats=feats, fb=FraudLabels(labs).index_for(p))
        with torch.no_grad():
            y = model(torch.from_numpy(h), torch.from_numpy(c)).numpy()
        out.append({"name": name, "history": hist, "current": cur, "labels": labs,
                    "inputs": {"history": {"shape": list(h.shape), "dtype": "float32",
                                           "data": [float(v) for v in h.reshape(-1)]},
                               "current": {"shape": list(c.shape), "dtype": "float32",
                                           "data": [float(v) for v in c.reshape(-1)]}},
                    "currentByName": {k: float(v) for k, v in zip(feats, c.reshape(-1))},
                    "outputs": {"p_fraud": {"shape": [1], "dtype": "float32", "data": [float(y[0])]}}})
    return out


# ----------------------------------------------------------------------------------------------------------
def month_start(ms):
    d = datetime.fromtimestamp(ms / 1000, tz=timezone.utc)
    return int(datetime(d.year, d.month, 1, tzinfo=timezone.utc).timestamp() * 1000)


def prev_month_start(ms):
    return month_start(ms - 1)


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                yield json.loads(line)


def rel_arg(x):
    """Absolute paths in the recorded command are written relative to the repository root."""
    return os.path.relpath(x, ROOT) if os.path.isabs(x) else x


def main(argv=None):
    t0 = time.time()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", default=os.path.join(ROOT, "..", "shared", "datasets"))
    ap.add_argument("--events", help="payment events (event JSON lines); default: the converted fraud handbook")
    ap.add_argument("--labels", help="feedback labels JSON lines (labelId, eventId, merchantId, label fraud|legit, "
                                     "decidedAt)")
    ap.add_argument("--label-delay-days", type=float, default=7.0,
                    help="handbook conversion only: decidedAt = payment time + this delay (default 7)")
    ap.add_argument("--no-feedback", action="store_true",
                    help="ship the model without the merchant_fraud_* features (the previous model); the "
                         "feedback model is then the comparison")
    ap.add_argument("--no-compare", action="store_true",
                    help="skip the comparison GRU (with feedback when shipping without, and vice versa)")
    ap.add_argument("--val-start", help="ISO date; default: first day of the month before the last month")
    ap.add_argument("--test-start", help="ISO date; default: first day of the last month in the data")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--out-dir", default=MODELS)
    a = ap.parse_args(argv)
    seed_everything(a.seed)
    spec = load_spec()
    M = int(spec["historyLength"])

    label_delay = None
    if a.events is None:
        work = os.path.join(MODELS, "work", "fraud_handbook")
        a.events = os.path.join(work, "payments.jsonl")
        a.labels = os.path.join(work, "labels.jsonl")
        # always re-convert (about 15 s), so the one command never trains on a stale conversion
        sys.path.insert(0, os.path.join(HERE, "convert"))
        import fraud_handbook
        fraud_handbook.main(["--input", os.path.join(a.datasets, "fraud-handbook-simulated",
                                                     "transactions_2018-04_to_07.csv.gz"),
                             "--out", a.events, "--labels-out", a.labels,
                             "--label-delay-days", repr(a.label_delay_days)])
        data_name = "fraud-handbook-simulated (converted by convert/fraud_handbook.py)"
        label_delay = a.label_delay_days
    else:
        if not a.labels:
            ap.error("--events needs --labels (payments without a 'fraud' label count as legit)")
        data_name = os.path.basename(a.events)

    events = list(read_jsonl(a.events))
    p = Payments(events)
    by_id = {e["eventId"]: e for e in events}
    del events
    p.raw = lambda i: {k: v for k, v in by_id[p.event_id[i]].items()}
    label_list = list(read_jsonl(a.labels)) if a.labels else []
    # training target: the latest label of each payment (known or not at its time: offline ground truth)
    fraud_ids, scen_by_id = set(), {}
    latest = {}
    for lab in label_list:
        k = lab["eventId"]
        if k not in latest or parse_ts(lab["decidedAt"]) >= parse_ts(latest[k]["decidedAt"]):
            latest[k] = lab
    for k, lab in latest.items():
        if lab["label"] == "fraud":
            fraud_ids.add(k)
            scen_by_id[k] = int(lab.get("scenario", -1))
    y = np.array([1 if e in fraud_ids else 0 for e in p.event_id], dtype=np.int64)
    scen = np.array([scen_by_id.get(e, 0) for e in p.event_id], dtype=np.int64)
    # features: only the fraud labels decided at or before each payment's own time (the stream's view)
    flabels = FraudLabels(label_list)
    fb = flabels.index_for(p)
    print(f"[fraud] {len(p)} payments, {len(p.user_names)} users, {int(y.sum())} fraud, "
          f"{len(flabels)} fraud labels for the feedback features ({time.time() - t0:.0f}s)", flush=True)

    test_start = parse_ts(a.test_start) if a.test_start else month_start(int(p.ts.max()))
    val_start = parse_ts(a.val_start) if a.val_start else prev_month_start(test_start)
    tr = p.ts < val_start
    va = (p.ts >= val_start) & (p.ts < test_start)
    te = p.ts >= test_start

    all_feats = list(spec["currentFeatures"])
    nofb_feats = [f for f in all_feats if not is_feedback(f)]
    fb_feats = [f for f in all_feats if is_feedback(f)]
    H, C, med = encode_all(p, spec, fb)
    C_nofb = np.ascontiguousarray(C[:, [all_feats.index(f) for f in nofb_feats]])
    print(f"[fraud] features {H.shape} {C.shape} ({time.time() - t0:.0f}s)", flush=True)
    if fb_feats:
        for f in fb_feats:
            col = C[:, all_feats.index(f)]
            print(f"[fraud]   {f}: > 0 on {float((col > 0).mean()):.4f} of payments, "
                  f"{float((col[y == 1] > 0).mean()):.4f} of frauds", flush=True)
    elif not a.no_feedback:
        print("[fraud] the spec lists no merchant_fraud_* feature: training without feedback", flush=True)

    from sklearn.metrics import average_precision_score
    hm, hs = norm_constants(H[tr], H[tr][:, :, 0])
    hm[0], hs[0] = 0.0, 1.0  # the mask stays 0/1
    Ht, yt = torch.from_numpy(H[tr]), torch.from_numpy(y[tr]).float()
    Hv, Hte = torch.from_numpy(H[va]), torch.from_numpy(H[te])

    def predict(model, Hx, Cx, bs=8192):
        model.eval()
        out = []
        with torch.no_grad():
            for s in range(0, len(Hx), bs):
                out.append(model(Hx[s:s + bs], Cx[s:s + bs]).numpy())
        return np.concatenate(out).astype(np.float64)

    def train_gru(Cx, tag):
        seed_everything(a.seed)  # each GRU starts from the same seed, whatever ran before it
        cm, cs = norm_constants(Cx[tr])
        model = FraudNet(H.shape[2], Cx.shape[1], hm, hs, cm, cs)
        opt = torch.optim.Adam(model.parameters(), lr=2e-3)
        lossf = nn.BCEWithLogitsLoss()
        Ct, Cv = torch.from_numpy(Cx[tr]), torch.from_numpy(Cx[va])
        g = torch.Generator().manual_seed(a.seed)
        best, best_state, history = -1.0, None, []
        bs = 1024
        for ep in range(a.epochs):
            model.train()
            perm = torch.randperm(len(yt), generator=g)
            tot = 0.0
            for s in range(0, len(perm), bs):
                b = perm[s:s + bs]
                opt.zero_grad()
                loss = lossf(model.logits(Ht[b], Ct[b]), yt[b])
                loss.backward()
                opt.step()
                tot += float(loss) * len(b)
            pv = predict(model, Hv, Cv)
            ap_v = float(average_precision_score(y[va], pv))
            history.append({"epoch": ep + 1, "trainLoss": round(tot / len(yt), 5), "valPrAuc": round(ap_v, 4)})
            print(f"[fraud] {tag} epoch {ep + 1} loss {tot / len(yt):.5f} val PR-AUC {ap_v:.4f} "
                  f"({time.time() - t0:.0f}s)", flush=True)
            if ap_v > best:
                best, best_state = ap_v, copy.deepcopy(model.state_dict())
        model.load_state_dict(best_state)
        model.eval()
        pv = predict(model, Hv, Cv)
        pt = predict(model, Hte, torch.from_numpy(Cx[te]))
        thr = threshold_at_rate(pv, ALERT_RATE)
        r = {"validation": metrics(y[va], pv, thr, scen[va]), "test": metrics(y[te], pt, thr, scen[te]),
             "alertThreshold": thr}
        return model, r, history, best, (cm, cs)

    ship_fb = bool(fb_feats) and not a.no_feedback
    feats = all_feats if ship_fb else nofb_feats
    C_ship = C if ship_fb else C_nofb
    model, res_model, history, best, (cm, cs) = train_gru(C_ship, "gru" + ("+feedback" if ship_fb else ""))
    res = {"model": res_model}
    if fb_feats and not a.no_compare:
        other = "gruNoFeedback" if ship_fb else "gruFeedback"
        _, res[other], hist_other, best_other, _ = train_gru(C_nofb if ship_fb else C, other)
        res[other]["training"] = {"history": hist_other, "bestValPrAuc": round(best_other, 4)}

    # Baselines on the same `current` features (which summarise the history), with and without feedback
    from sklearn.linear_model import LogisticRegression
    from sklearn.ensemble import HistGradientBoostingClassifier
    from threadpoolctl import threadpool_limits
    variants = [("", C, all_feats)] if not fb_feats else [("", C, all_feats), ("NoFeedback", C_nofb, nofb_feats)]
    for suffix, Cx, names in variants:
        m_, s_ = norm_constants(Cx[tr])
        Cn = (Cx.astype(np.float64) - m_) * s_
        lr = LogisticRegression(max_iter=2000, C=1.0)
        lr.fit(Cn[tr], y[tr])
        lv, lt = lr.predict_proba(Cn[va])[:, 1], lr.predict_proba(Cn[te])[:, 1]
        lthr = threshold_at_rate(lv, ALERT_RATE)
        res["logisticRegression" + suffix] = {"validation": metrics(y[va], lv, lthr, scen[va]),
                                              "test": metrics(y[te], lt, lthr, scen[te]), "alertThreshold": lthr,
                                              "features": names}
        print(f"[fraud] logisticRegression{suffix} done ({time.time() - t0:.0f}s)", flush=True)
        hgb_params = dict(max_iter=200, learning_rate=0.1, max_leaf_nodes=31, min_samples_leaf=100,
                          early_stopping=False, random_state=a.seed)
        with threadpool_limits(1):  # single-threaded: reproducible sums
            hgb = HistGradientBoostingClassifier(**hgb_params)
            hgb.fit(Cx[tr], y[tr])
            bv, bt = hgb.predict_proba(Cx[va])[:, 1], hgb.predict_proba(Cx[te])[:, 1]
        bthr = threshold_at_rate(bv, ALERT_RATE)
        res["histGradientBoosting" + suffix] = {"validation": metrics(y[va], bv, bthr, scen[va]),
                                                "test": metrics(y[te], bt, bthr, scen[te]), "alertThreshold": bthr,
                                                "features": names, "params": hgb_params,
                                                "note": "sklearn HistGradientBoostingClassifier on the current "
                                                        "features (not exportable with the model's inputs as is)"}
        print(f"[fraud] histGradientBoosting{suffix} done ({time.time() - t0:.0f}s)", flush=True)

    # Rule baseline: max(amount/median / 3, amount / train 99.5th pct, (count_1h+1) / 3)
    q995 = float(np.quantile(p.amount[tr], 0.995))
    i1h = all_feats.index("count_1h")

    def rule(mask):
        n_has = ~np.isnan(med[mask])
        ratio = np.where(n_has, (1 + p.amount[mask]) / (1 + np.nan_to_num(med[mask])), 1.0)
        return np.maximum.reduce([ratio / 3.0, p.amount[mask] / q995, (C[mask][:, i1h] + 1) / 3.0])
    rv, rt = rule(va), rule(te)
    rthr = threshold_at_rate(rv, ALERT_RATE)
    res["velocityAmountRule"] = {"validation": metrics(y[va], rv, rthr, scen[va]),
                                 "test": metrics(y[te], rt, rthr, scen[te]), "alertThreshold": rthr,
                                 "rule": f"score = max((1+amount)/(1+median of last {M}) / 3, amount / {q995:.2f} "
                                         f"(train 99.5th percentile), (payments in last 1 h + 1) / 3)"}
    print("[fraud] test month: ROC-AUC, PR-AUC, precision/recall at the validation 1% threshold, "
          "top-1% precision/recall, recall by scenario", flush=True)
    for k, r in res.items():
        t = r["test"]
        print(f"[fraud] {k:32s} {t['rocAuc']:.4f} {t['prAuc']:.4f} {t['precisionAtAlert']:.4f}/"
              f"{t['recallAtAlert']:.4f} ({t['alertRate']:.4f}) {t['precisionAtTop1pct']:.4f}/"
              f"{t['recallAtTop1pct']:.4f} {json.dumps(t.get('recallByScenario'))}", flush=True)

    # Export
    out_dir = os.path.join(a.out_dir, "fraud")
    os.makedirs(out_dir, exist_ok=True)
    onnx_path = os.path.join(out_dir, "fraud.onnx")
    dh, dc = torch.from_numpy(H[te][:2]), torch.from_numpy(C_ship[te][:2])
    torch.onnx.export(model, (dh, dc), onnx_path, input_names=["history", "current"], output_names=["p_fraud"],
                      dynamic_axes={"history": {0: "batch"}, "current": {0: "batch"}, "p_fraud": {0: "batch"}},
                      opset_version=OPSET, do_constant_folding=True, dynamo=False)  # legacy exporter: no onnxscript
    inputs, outputs = onnx_io(onnx_path)
    thr = res["model"]["alertThreshold"]

    cases = golden_cases(p, y, scen, model, spec, feats, te, label_list, fb)
    write_json(os.path.join(a.out_dir, "golden", "fraud.json"), {
        "model": "fraud", "featureSpecVersion": FEATURE_SPEC_VERSION, "tolerance": 1e-5,
        "currentFeatures": feats, "cases": cases})

    def day(ms):
        return iso(int(ms))[:10]
    split = {"by": "time of the current payment (UTC)",
             "train": f"{day(p.ts.min())} .. {day(val_start - 1)}", "validation": f"{day(val_start)} .. {day(test_start - 1)}",
             "test": f"{day(test_start)} .. {day(p.ts.max())}",
             "counts": {k: {"payments": int(m.sum()), "fraud": int(y[m].sum())} for k, m in
                        (("train", tr), ("validation", va), ("test", te))},
             "note": "history features may reach back before a split boundary (as in the stream); the payment's "
                     "own label is the training target only; the merchant_fraud_* features of every payment "
                     "(train, validation and test alike) count only fraud labels with decidedAt <= its ts, "
                     "including labels of earlier payments of the same month (what the stream sees)"}
    cmd = "/usr/bin/python3 onnx-models/training/train_fraud.py " + " ".join(
        rel_arg(x) for x in (argv if argv is not None else sys.argv[1:]))
    baselines = {k: v for k, v in res.items() if k != "model"}
    write_json(os.path.join(out_dir, "manifest.part.json"), {
        "name": "fraud", "file": "fraud/fraud.onnx", "sha256": sha256_file(onnx_path),
        "bytes": os.path.getsize(onnx_path), "opset": OPSET, "inputs": inputs, "outputs": outputs,
        "featureSpecVersion": FEATURE_SPEC_VERSION, "featureSpecSection": "fraud", "currentFeatures": feats,
        "encoder": "com.shopsense.features.FraudFeatureEncoder", "golden": "golden/fraud.json",
        "thresholds": {"alert": thr, "alertRate": ALERT_RATE,
                       "rule": "alert when p_fraud >= alert; chosen on the validation month for a 1% alert rate"},
        "trainingData": {"dataset": data_name, "citation": CITATION, "events": os.path.relpath(a.events, ROOT),
                         "labels": os.path.relpath(a.labels, ROOT) if a.labels else None},
        "feedback": {"features": [f for f in feats if is_feedback(f)],
                     "labelDelayDays": label_delay,
                     "fraudLabels": len(flabels),
                     "rule": "ln(1 + number of fraud labels (dedup by labelId) for the payment's merchantId with "
                             "c.ts - window < decidedAt <= c.ts); a label decided after the payment never counts; "
                             "labelDelayDays: decidedAt = payment time + delay in the converted training labels"},
        "split": split, "metrics": res["model"], "baselines": baselines,
        "training": {"seed": a.seed, "epochs": a.epochs, "history": history, "bestValPrAuc": round(best, 4),
                     "model": f"GRU(8->32) over the last M payments + MLP(current {len(feats)}->32), head "
                              "64->32->1, normalisation constants inside the graph (features constant in training "
                              "switched off)",
                     "parameters": int(sum(x.numel() for x in model.parameters())),
                     "seconds": round(time.time() - t0, 1)},
        "command": cmd.strip()})
    print(f"[fraud] wrote {onnx_path} ({os.path.getsize(onnx_path)} bytes) in {time.time() - t0:.0f}s", flush=True)


if __name__ == "__main__":
    main()
