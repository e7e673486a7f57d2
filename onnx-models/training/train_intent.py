"""Purchase-intent model: a GRU over a session's events, exported as a STEP model
(item_bucket, category_bucket, dense, h) -> (h_next, p_purchase) for one step per event in Flink.

Reads event JSON (common.read_events); feature encoding follows the "intent" section of
onnx-models/feature_spec.json and is mirrored by com.shopsense.features.IntentFeatureEncoder.

Label: the session contains an `order`. Only prefixes BEFORE the session's first order are
scored (after it the answer is known). Split by session start time: the latest --test-frac of
sessions are the test set; the latest --val-frac of the rest is the validation slice used for
early stopping and for the decision threshold. Baseline: logistic regression on per-prefix counts.

Default data: Diginetica views + purchases converted by convert/diginetica.py. A store points
--events at its own event-JSON history (and sets --session-gap-minutes when userId is a user
rather than a session id).
"""
import argparse
import json
import math
import os
import sys
import time
from bisect import bisect_right

import numpy as np
import torch
import torch.nn as nn
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL_DIR = os.path.join(ROOT, "onnx-models", "intent")
SEED = 7


# ---------------------------------------------------------------- feature encoding (mirrored in Java)
class Encoder:
    def __init__(self, spec):
        self.s = spec
        self.types = spec["eventTypes"]
        self.dwell = spec["dwellBoundariesMs"]
        self.price = spec["priceBoundaries"]
        self.pos = spec["positionBoundaries"]
        self.n_dwell = len(self.dwell) + 2
        self.n_price = len(self.price) + 2
        self.n_pos = len(self.pos) + 1
        self.dense_size = len(self.types) + self.n_dwell + self.n_price + self.n_pos
        assert self.dense_size == spec["denseSize"], "denseSize in the spec does not match its layout"

    def dwell_bucket(self, ts, prev_ts):
        if prev_ts is None:
            return 0
        return 1 + bisect_right(self.dwell, max(0, ts - prev_ts))

    def price_bucket(self, price):
        if price is None:
            return 0
        return 1 + bisect_right(self.price, float(price))

    def position_bucket(self, position):
        return bisect_right(self.pos, position)

    def encode(self, e, prev_ts, position):
        """-> (item_bucket, category_bucket, dense list[float]) for one event."""
        dense = [0.0] * self.dense_size
        if e.get("type") in self.types:
            dense[self.types.index(e["type"])] = 1.0
        o = len(self.types)
        dense[o + self.dwell_bucket(e["ts"], prev_ts)] = 1.0
        o += self.n_dwell
        dense[o + self.price_bucket(e.get("price"))] = 1.0
        o += self.n_price
        dense[o + self.position_bucket(position)] = 1.0
        return (common.bucket(e.get("itemId"), self.s["itemBuckets"]),
                common.bucket(e.get("categoryId"), self.s["categoryBuckets"]), dense)

    def encode_session(self, events):
        out, prev = [], None
        for i, e in enumerate(events):
            out.append(self.encode(e, prev, i))
            prev = e["ts"]
        return out


# ---------------------------------------------------------------- model
class IntentGRU(nn.Module):
    def __init__(self, spec, dense_size, dropout=0.0):
        super().__init__()
        self.item = nn.Embedding(spec["itemBuckets"], spec["itemEmbeddingDim"])
        self.cat = nn.Embedding(spec["categoryBuckets"], spec["categoryEmbeddingDim"])
        nin = spec["itemEmbeddingDim"] + spec["categoryEmbeddingDim"] + dense_size
        self.gru = nn.GRU(nin, spec["hiddenSize"], batch_first=True)
        self.drop = nn.Dropout(dropout)
        self.head = nn.Linear(spec["hiddenSize"], 1)

    def inputs(self, item, cat, dense):
        return torch.cat([self.drop(self.item(item)), self.drop(self.cat(cat)), dense], dim=-1)

    def forward(self, item, cat, dense):
        """Full sequences [B, T] -> logits [B, T] (training; same weights as the step)."""
        out, _ = self.gru(self.inputs(item, cat, dense))
        return self.head(self.drop(out)).squeeze(-1)


class IntentStep(nn.Module):
    """The exported step: one event per row, hidden state in and out."""

    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, item_bucket, category_bucket, dense, h):
        x = self.m.inputs(item_bucket, category_bucket, dense).unsqueeze(1)  # [B, 1, X] (batch_first)
        out, _ = self.m.gru(x, h.unsqueeze(0))  # h: [1, B, H]
        h_next = out[:, 0, :]
        p = torch.sigmoid(self.m.head(h_next)).squeeze(-1)
        return h_next, p


# ---------------------------------------------------------------- data
def load_sessions(paths, gap_minutes):
    by_user = {}
    for p in paths:
        for e in common.read_events(p):
            by_user.setdefault(e["userId"], []).append(e)
    sessions = []
    for uid in sorted(by_user):
        evs = sorted(by_user[uid], key=lambda e: e["ts"])  # stable: file order on ties
        cur = []
        for e in evs:
            if cur and gap_minutes > 0 and e["ts"] - cur[-1]["ts"] > gap_minutes * 60_000:
                sessions.append(cur)
                cur = []
            cur.append(e)
        sessions.append(cur)
    return sessions


def prefix_len(events):
    """Number of events before the first order (the scorable prefixes are 1..that)."""
    for i, e in enumerate(events):
        if e["type"] == "order":
            return i
    return len(events)


def count_features(events, k):
    """Baseline features of the prefix events[:k]: counts per type, distinct items/categories, duration."""
    pre = events[:k]
    f = [len(pre), math.log1p(len(pre)), len({e.get("itemId") for e in pre}), len({e.get("categoryId") for e in pre})]
    f += [sum(e["type"] == t for e in pre) for t in common.EVENT_TYPES]
    dur = (pre[-1]["ts"] - pre[0]["ts"]) / 1000.0
    f += [math.log1p(max(0.0, dur)), math.log1p(max(0.0, dur) / len(pre))]
    return f


def metrics(y, p):
    y = np.asarray(y)
    if y.min() == y.max():
        return {"rocAuc": None, "prAuc": None}
    return {"rocAuc": round(float(roc_auc_score(y, p)), 4), "prAuc": round(float(average_precision_score(y, p)), 4)}


def batches(idx, bs, rng=None):
    idx = list(idx)
    if rng is not None:
        rng.shuffle(idx)
    for i in range(0, len(idx), bs):
        yield idx[i:i + bs]


def tensors(enc_sessions, labels, lens, ids):
    T = max(lens[i] for i in ids)
    B = len(ids)
    D = len(enc_sessions[ids[0]][0][2])
    item = torch.zeros(B, T, dtype=torch.long)
    cat = torch.zeros(B, T, dtype=torch.long)
    dense = torch.zeros(B, T, D)
    mask = torch.zeros(B, T)
    y = torch.zeros(B, T)
    for b, i in enumerate(ids):
        for t in range(lens[i]):
            ib, cb, d = enc_sessions[i][t]
            item[b, t], cat[b, t] = ib, cb
            dense[b, t] = torch.tensor(d)
            mask[b, t] = 1.0
            y[b, t] = labels[i]
    return item, cat, dense, mask, y


def predict(model, enc, labels, lens, ids):
    """-> per-prefix (y, p, session index) and per-session (y, p at the last scorable prefix)."""
    model.eval()
    ys, ps, owner = [], [], []
    with torch.no_grad():
        for b in batches(ids, 256):
            item, cat, dense, mask, y = tensors(enc, labels, lens, b)
            p = torch.sigmoid(model(item, cat, dense))
            for r, i in enumerate(b):
                for t in range(lens[i]):
                    ys.append(labels[i])
                    ps.append(float(p[r, t]))
                    owner.append(i)
    last = {}
    for y, p, i in zip(ys, ps, owner):
        last[i] = (y, p)
    sy = [last[i][0] for i in ids]
    sp = [last[i][1] for i in ids]
    return np.array(ys), np.array(ps), np.array(sy), np.array(sp)


def train_gru(spec, dense_size, enc, labels, lens, tr, va, a, seed, log=print):
    """Trains one GRU on sessions `tr`, early-stopped on ROC-AUC + PR-AUC of the prefixes of `va`.
    -> (model at its best epoch, epochs run, best epoch, pos_weight). Uses a.dropout, a.lr, a.epochs,
    a.patience, a.weighting, a.item_embedding."""
    torch.manual_seed(seed)
    model = IntentGRU(spec, dense_size, a.dropout)
    if a.item_embedding == "off":  # the input stays (same ONNX interface); its table is all zeros
        with torch.no_grad():
            model.item.weight.zero_()
        model.item.weight.requires_grad_(False)
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=a.lr, weight_decay=1e-4)
    per_session = a.weighting == "session"
    n_pos = sum(1 if per_session else lens[i] for i in tr if labels[i])
    n_neg = sum(1 if per_session else lens[i] for i in tr if not labels[i])
    pos_weight = torch.tensor(n_neg / max(1, n_pos))
    rng = np.random.RandomState(seed)
    best, best_state, best_epoch, bad = -1.0, None, 0, 0
    for epoch in range(1, a.epochs + 1):
        model.train()
        tot = 0.0
        for b in batches(tr, 32, rng):
            item, cat, dense, mask, y = tensors(enc, labels, lens, b)
            logit = model(item, cat, dense)
            loss = nn.functional.binary_cross_entropy_with_logits(logit, y, pos_weight=pos_weight, reduction="none")
            if per_session:  # every session weighs the same, however long
                w = mask / mask.sum(1, keepdim=True)
                loss = (loss * w).sum() / len(b)
            else:
                loss = (loss * mask).sum() / mask.sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += float(loss) * len(b)
        vy, vp, _, _ = predict(model, enc, labels, lens, va)
        m = metrics(vy, vp)
        score = m["rocAuc"] + m["prAuc"]
        if score > best:
            best, best_epoch, bad = score, epoch, 0
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
        else:
            bad += 1
        if log and (epoch % 5 == 0 or bad == 0):
            log(f"epoch {epoch} loss {tot / len(tr):.4f} val {m}{' *' if bad == 0 else ''}")
        if bad >= a.patience:
            break
    model.load_state_dict(best_state)
    return model.eval(), epoch, best_epoch, pos_weight


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", nargs="+", default=[os.path.join(ROOT, "onnx-models/work/events/diginetica.jsonl")],
                    help="event-JSON files (one object per line)")
    ap.add_argument("--session-gap-minutes", type=float, default=0,
                    help="0: userId is the session id (converted public data); >0: cut each user's events "
                         "into sessions at this inactivity gap, like the job (a store's own history)")
    ap.add_argument("--spec", default=os.path.join(ROOT, "onnx-models/feature_spec.json"))
    ap.add_argument("--out-dir", default=MODEL_DIR)
    ap.add_argument("--golden", default=os.path.join(ROOT, "onnx-models/golden/intent.json"))
    ap.add_argument("--test-frac", type=float, default=0.2)
    ap.add_argument("--val-frac", type=float, default=0.2)
    ap.add_argument("--epochs", type=int, default=80)
    ap.add_argument("--patience", type=int, default=12)
    ap.add_argument("--dropout", type=float, default=0.2)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--bootstrap", type=int, default=500)
    ap.add_argument("--item-embedding", choices=["off", "trained"], default="trained",
                    help="trained: learn the item table (shipped); off: fix it at zeros, so hashed item ids add "
                         "nothing (same ONNX interface). Compared in training/intent_cv.py: no reliable difference "
                         "on the public sample (MODEL_CARD)")
    ap.add_argument("--weighting", choices=["prefix", "session"], default="prefix",
                    help="loss weight per scored prefix, or per session (1/prefixes)")
    ap.add_argument("--training-data", default="DIGINETICA (CIKM Cup 2016) item-view sample (SR-GNN repository) "
                    "joined with train-purchases.csv and product-categories.csv on session id")
    a = ap.parse_args(argv)
    t0 = time.time()
    common.seed_everything(SEED)
    full_spec = json.load(open(a.spec))
    spec = full_spec["intent"]
    encoder = Encoder(spec)

    sessions = load_sessions(a.events, a.session_gap_minutes)
    sessions = [s for s in sessions if prefix_len(s) > 0]
    sessions.sort(key=lambda s: (s[0]["ts"], s[0]["userId"]))
    labels = [int(any(e["type"] == "order" for e in s)) for s in sessions]
    lens = [prefix_len(s) for s in sessions]
    enc = [encoder.encode_session(s) for s in sessions]
    n = len(sessions)
    n_test = int(round(n * a.test_frac))
    n_trval = n - n_test
    n_val = int(round(n_trval * a.val_frac))
    tr, va, te = list(range(0, n_trval - n_val)), list(range(n_trval - n_val, n_trval)), list(range(n_trval, n))
    split = {name: {"sessions": len(ix), "positiveSessions": int(sum(labels[i] for i in ix)),
                    "prefixes": int(sum(lens[i] for i in ix)),
                    "from": common.iso(sessions[ix[0]][0]["ts"]), "to": common.iso(sessions[ix[-1]][0]["ts"])}
             for name, ix in (("train", tr), ("validation", va), ("test", te))}
    print("split by session start:", json.dumps(split))

    # ---- baseline: logistic regression on per-prefix counts (train on train+val prefixes? no: train only)
    def prefix_rows(ix):
        X, y, last = [], [], []
        for i in ix:
            for k in range(1, lens[i] + 1):
                X.append(count_features(sessions[i], k))
                y.append(labels[i])
                last.append(k == lens[i])
        return np.array(X, dtype=float), np.array(y), np.array(last)

    Xtr, ytr, _ = prefix_rows(tr)
    Xte, yte, lte = prefix_rows(te)
    sc = StandardScaler().fit(Xtr)
    lr = LogisticRegression(class_weight="balanced", max_iter=2000, C=1.0).fit(sc.transform(Xtr), ytr)
    pte = lr.predict_proba(sc.transform(Xte))[:, 1]
    base = {"prefix": metrics(yte, pte), "session": metrics(yte[lte], pte[lte])}
    Xva, yva, lva = prefix_rows(va)
    pva = lr.predict_proba(sc.transform(Xva))[:, 1]
    base_val = {"prefix": metrics(yva, pva), "session": metrics(yva[lva], pva[lva])}
    print("baseline LR (counts) validation:", base_val, "test:", base)

    # ---- GRU
    model, epoch, best_epoch, pos_weight = train_gru(spec, encoder.dense_size, enc, labels, lens, tr, va, a, SEED)
    model.eval()
    vy, vp, vsy, vsp = predict(model, enc, labels, lens, va)
    ty, tp, tsy, tsp = predict(model, enc, labels, lens, te)
    val_m = {"prefix": metrics(vy, vp), "session": metrics(vsy, vsp)}
    test_m = {"prefix": metrics(ty, tp), "session": metrics(tsy, tsp)}

    # decision threshold for "high intent": max F1 over validation prefixes
    cands = sorted(set(np.round(vp, 6)))
    best_f1, thr = -1.0, 0.5
    for c in cands:
        pred = vp >= c
        tp_ = float(((pred) & (vy == 1)).sum())
        prec = tp_ / max(1.0, pred.sum())
        rec = tp_ / max(1.0, (vy == 1).sum())
        f1 = 0 if tp_ == 0 else 2 * prec * rec / (prec + rec)
        if f1 > best_f1:
            best_f1, thr = f1, float(c)
    pred = tp >= thr
    test_m["atThreshold"] = {"precision": round(float(((pred) & (ty == 1)).sum() / max(1, pred.sum())), 4),
                             "recall": round(float(((pred) & (ty == 1)).sum() / max(1, (ty == 1).sum())), 4),
                             "alertRate": round(float(pred.mean()), 4)}
    print(f"best epoch {best_epoch}; GRU val {val_m}; test {test_m}; threshold {thr:.4f} (val F1 {best_f1:.3f})")

    # bootstrap over test sessions: how sure are we that either model beats chance or the other?
    owner = np.array([i for i in te for _ in range(lens[i])])
    rows_of = {i: np.nonzero(owner == i)[0] for i in te}
    brng = np.random.RandomState(SEED)
    gru_b, lr_b, diff_b = [], [], []
    for _ in range(a.bootstrap):
        pick = brng.choice(te, size=len(te), replace=True)
        r = np.concatenate([rows_of[i] for i in pick])
        if ty[r].min() == ty[r].max():
            continue
        g, l_ = roc_auc_score(ty[r], tp[r]), roc_auc_score(yte[r], pte[r])
        gru_b.append(g)
        lr_b.append(l_)
        diff_b.append(g - l_)

    def ci(v):
        if not v:
            return None
        return [round(float(np.percentile(v, 2.5)), 4), round(float(np.percentile(v, 97.5)), 4)]
    boot = {"resamples": len(gru_b), "unit": "test sessions", "prefixRocAuc95": {"gru": ci(gru_b), "logisticRegression": ci(lr_b),
            "gruMinusLr": ci(diff_b)}}
    print("bootstrap 95% intervals:", boot)

    # ---- export the step model
    os.makedirs(a.out_dir, exist_ok=True)
    onnx_path = os.path.join(a.out_dir, "intent.onnx")
    step = IntentStep(model).eval()
    H = spec["hiddenSize"]
    ex = (torch.zeros(2, dtype=torch.long), torch.zeros(2, dtype=torch.long),
          torch.zeros(2, encoder.dense_size), torch.zeros(2, H))
    names_in = ["item_bucket", "category_bucket", "dense", "h"]
    names_out = ["h_next", "p_purchase"]
    torch.onnx.export(step, ex, onnx_path, opset_version=common.OPSET, input_names=names_in,
                      output_names=names_out, dynamic_axes={k: {0: "batch"} for k in names_in + names_out},
                      do_constant_folding=True)
    inputs, outputs = common.onnx_io(onnx_path)

    # ---- goldens: step-by-step through the step module, checked against the full-sequence GRU
    def t(x, dtype):
        arr = np.asarray(x)
        return {"shape": list(arr.shape), "dtype": dtype,
                "data": [int(v) for v in arr.ravel()] if dtype == "int64" else [float(v) for v in arr.ravel()]}

    def golden_case(events):
        steps, h = [], torch.zeros(1, H)
        e_enc = encoder.encode_session(events)
        with torch.no_grad():
            for ib, cb, d in e_enc:
                xi, xc, xd = torch.tensor([ib]), torch.tensor([cb]), torch.tensor([d], dtype=torch.float32)
                h_next, p = step(xi, xc, xd, h)
                steps.append({"inputs": {"item_bucket": t([ib], "int64"), "category_bucket": t([cb], "int64"),
                                         "dense": t(xd.numpy(), "float32"), "h": t(h.numpy(), "float32")},
                              "outputs": {"h_next": t(h_next.numpy(), "float32"), "p_purchase": t(p.numpy(), "float32")}})
                h = h_next
            full = torch.sigmoid(model(torch.tensor([[x[0] for x in e_enc]]), torch.tensor([[x[1] for x in e_enc]]),
                                       torch.tensor([[x[2] for x in e_enc]], dtype=torch.float32)))[0]
        stepped = torch.tensor([s["outputs"]["p_purchase"]["data"][0] for s in steps])
        assert torch.allclose(full, stepped, atol=1e-5), "step model drifts from the full-sequence GRU"
        evs = []
        for e in events:
            e = {k: v for k, v in e.items() if v is not None}
            e["ts"] = common.iso(e["ts"])
            evs.append(e)
        return {"events": evs, "steps": steps}

    picks = [i for i in te if labels[i]][:3] + [i for i in te if not labels[i] and len(sessions[i]) >= 4][:3] + \
        [i for i in te if len(sessions[i]) == 1][:1]
    cases = [golden_case(sessions[i]) for i in picks]
    t_syn = sessions[te[0]][0]["ts"]
    synthetic = [  # covers what the public data lacks: other types, prices, missing ids, long gaps, a tie
        {"eventId": "g-1", "userId": "golden-u", "type": "search", "ts": t_syn, "query": "red shoes"},
        {"eventId": "g-2", "userId": "golden-u", "type": "view", "ts": t_syn + 4_200, "itemId": "sku-1",
         "categoryId": "shoes", "price": 49.99},
        {"eventId": "g-3", "userId": "golden-u", "type": "reco_click", "ts": t_syn + 4_200, "itemId": "sku-2",
         "price": 0.5},
        {"eventId": "g-4", "userId": "golden-u", "type": "add_to_cart", "ts": t_syn + 95_000, "itemId": "sku-2",
         "categoryId": "shoes", "price": 1000.0, "quantity": 2},
        {"eventId": "g-5", "userId": "golden-u", "type": "remove_from_cart", "ts": t_syn + 3_000_000,
         "itemId": "sku-2", "categoryId": "shoes"},
        {"eventId": "g-6", "userId": "golden-u", "type": "review", "ts": t_syn + 3_001_000, "itemId": "sku-1",
         "rating": 4, "text": "ok"},
        {"eventId": "g-7", "userId": "golden-u", "type": "order", "ts": t_syn + 3_010_000, "itemId": "sku-1",
         "categoryId": "shoes", "price": 7000.0, "quantity": 1, "amount": 7000.0, "currency": "EUR"},
        {"eventId": "g-8", "userId": "golden-u", "type": "payment", "ts": t_syn + 3_020_000, "amount": 7000.0,
         "currency": "EUR", "paymentMethod": "card"},
    ]
    cases.append(golden_case(synthetic))
    common.write_json(a.golden, {"model": "intent", "featureSpecVersion": full_spec["version"],
                                 "note": "one step per event, h starts at zeros and is carried; outputs from the "
                                         "PyTorch step module in eval mode", "cases": cases})

    part = {
        "name": "intent", "file": "intent/intent.onnx", "sha256": common.sha256_file(onnx_path),
        "inputs": inputs, "outputs": outputs, "featureSpecVersion": full_spec["version"],
        "featureSpecSection": "intent", "vocabularies": [], "opset": common.OPSET,
        "kind": "GRU step (x_t, h_{t-1}) -> (h_t, p_purchase); h starts at zeros per session",
        "thresholds": {"highIntent": round(thr, 6)},
        "thresholdRule": "max F1 over validation prefixes",
        "trainingData": a.training_data, "events": [os.path.relpath(p, ROOT) for p in a.events],
        "split": {"rule": f"by session start time: latest {a.test_frac:.0%} of sessions = test, latest "
                          f"{a.val_frac:.0%} of the rest = validation (early stopping, threshold)", **split},
        "label": "session contains an order; only prefixes before the first order are scored",
        "training": {"epochsRun": epoch, "bestEpoch": best_epoch, "dropout": a.dropout, "lr": a.lr,
                     "seed": SEED, "posWeight": round(float(pos_weight), 4),
                     "weighting": a.weighting},
        "metrics": {"test": test_m, "validation": val_m, "bootstrap": boot,
                    "note": "prefix = every scored prefix; session = score at the last prefix before the first "
                            "order (or the session end)"},
        "baselineMetrics": {"logisticRegressionCounts": {"test": base}},
        "command": " ".join(["/usr/bin/python3", "onnx-models/training/train_intent.py"] + list(argv if argv is not None else sys.argv[1:])),
        "trainSeconds": round(time.time() - t0, 1),
    }
    common.write_json(os.path.join(a.out_dir, "manifest.part.json"), part)
    print(f"wrote {onnx_path} ({os.path.getsize(onnx_path)} bytes), golden {a.golden}; {time.time() - t0:.1f}s")


if __name__ == "__main__":
    main()
