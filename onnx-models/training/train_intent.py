"""Purchase-intent model: a GRU over a session's events, exported as a STEP model
(item_bucket, category_bucket, dense, h) -> (h_next, p_purchase) for one step per event in Flink.

Reads event JSON (common.read_events); feature encoding follows the "intent" section of
onnx-models/feature_spec.json and is mirrored by com.shopsense.features.IntentFeatureEncoder. The dense
input holds the current event and what the session state knows before it (cart, items seen, repeats,
time in session, price against the session's prices, whether the user bought before): a store's
sessions look alike in these terms whatever its item ids, which is what lets a model carry across shops.

Label: the session contains an `order`. Only prefixes BEFORE the session's first order are scored.

Data and splits (all by session start time, never random):
  --events         the history the exported model is trained on;
  --test-events    a separate, later file to test on; without it the latest --test-frac of the history's
                   sessions is held out as the test set (--test-frac 0: no test set, no test metrics);
  validation       the latest --val-frac of the (non-test) history: early stopping, calibration, threshold.
After model selection the exported model is REFIT on all of the non-test history (train + validation) for
the selected number of epochs (--refit off keeps the selected model), so it sees every session it was given.

Sessions: a store's own `sessionId` in the event JSON is used when present (per user); events without
one are cut at --session-gap-minutes of inactivity like the job (0: userId is already a session id, as
in the converted public data).

Baselines: logistic regression on per-prefix counts, and on the same dense features as the GRU (the
current step's features and their mean over the prefix), both fitted on the same training sessions.

  score_model.py intent --model-dir onnx-models/intent --events store.jsonl   (score_shipped below)
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
BOUGHT_BEFORE = "_boughtBefore"  # set on each event by load_sessions: the user ordered before this event


# ---------------------------------------------------------------- feature encoding (mirrored in Java)
def monetary_value(e):
    """ShopEvent.monetaryValue: amount, else price * quantity (1 when missing), else 0."""
    if e.get("amount") is not None:
        return float(e["amount"])
    if e.get("price") is not None:
        return float(e["price"]) * (1 if e.get("quantity") is None else int(e["quantity"]))
    return 0.0


class SessionContext:
    """What the job's OpenSession knows of the session before the current event (the fields the intent
    features read), updated as OpenSession.add does."""

    def __init__(self, kept_items):
        self.kept = kept_items
        self.start_ts = None
        self.cart_size = 0
        self.cart_value = 0.0
        self.items = []  # last kept_items item ids, oldest first
        self.priced_events = 0
        self.log_price_sum = 0.0

    def add(self, e):
        t = e.get("type")
        q = 1 if e.get("quantity") is None else int(e["quantity"])
        self.start_ts = e["ts"] if self.start_ts is None else min(self.start_ts, e["ts"])
        if t == "add_to_cart":
            self.cart_size += q
            self.cart_value += monetary_value(e)
        elif t == "remove_from_cart":
            self.cart_size = max(0, self.cart_size - q)
            self.cart_value = max(0.0, self.cart_value - monetary_value(e))
        elif t == "order":
            self.cart_size, self.cart_value = 0, 0.0
        if e.get("itemId") is not None:
            self.items = (self.items + [e["itemId"]])[-self.kept:]
        if e.get("price") is not None and float(e["price"]) >= 0:
            self.priced_events += 1
            self.log_price_sum += math.log1p(float(e["price"]))


class Encoder:
    def __init__(self, spec):
        self.s = spec
        self.types = spec["eventTypes"]
        self.dwell = spec["dwellBoundariesMs"]
        self.price = spec["priceBoundaries"]
        self.pos = spec["positionBoundaries"]
        self.context = spec.get("contextFeatures", [])
        self.window = spec.get("itemWindow", 20)
        self.clip = spec.get("relativePriceClip", 3.0)
        self.n_dwell = len(self.dwell) + 2
        self.n_price = len(self.price) + 2
        self.n_pos = len(self.pos) + 1
        self.dense_size = len(self.types) + self.n_dwell + self.n_price + self.n_pos + len(self.context)
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

    def context_values(self, e, ctx, bought_before):
        """The spec's contextFeatures, in its order (featureRules there), from the state before e."""
        item = e.get("itemId")
        window = ctx.items[-self.window:]
        hits = sum(1 for x in window if item is not None and x == item)
        price = e.get("price")
        rel = 0.0
        if price is not None and float(price) >= 0 and ctx.priced_events > 0:
            rel = math.log1p(float(price)) - ctx.log_price_sum / ctx.priced_events
            rel = max(-self.clip, min(self.clip, rel))
        v = {
            "log_cart_items": math.log1p(ctx.cart_size),
            "log_cart_value": math.log1p(ctx.cart_value),
            "item_seen_before": 1.0 if hits > 0 else 0.0,
            "log_item_repeats": math.log1p(hits),
            "repeat_fraction": 0.0 if not window else 1.0 - len(set(window)) / len(window),
            "log_session_seconds": 0.0 if ctx.start_ts is None else math.log1p(max(0, e["ts"] - ctx.start_ts) / 1000.0),
            "relative_log_price": rel,
            "bought_before": 1.0 if bought_before else 0.0,
        }
        return [v[name] for name in self.context]

    def encode(self, e, prev_ts, position, ctx=None, bought_before=False):
        """-> (item_bucket, category_bucket, dense list[float]) for one event; ctx = the session before it."""
        dense = [0.0] * self.dense_size
        if e.get("type") in self.types:
            dense[self.types.index(e["type"])] = 1.0
        o = len(self.types)
        dense[o + self.dwell_bucket(e["ts"], prev_ts)] = 1.0
        o += self.n_dwell
        dense[o + self.price_bucket(e.get("price"))] = 1.0
        o += self.n_price
        dense[o + self.position_bucket(position)] = 1.0
        o += self.n_pos
        if self.context:
            dense[o:o + len(self.context)] = self.context_values(e, ctx or SessionContext(self.window), bought_before)
        return (common.bucket(e.get("itemId"), self.s["itemBuckets"]),
                common.bucket(e.get("categoryId"), self.s["categoryBuckets"]), dense)

    def encode_session(self, events):
        out, prev, ctx = [], None, SessionContext(self.window)
        for i, e in enumerate(events):
            out.append(self.encode(e, prev, i, ctx, e.get(BOUGHT_BEFORE, False)))
            ctx.add(e)
            prev = e["ts"] if prev is None else max(prev, e["ts"])  # OpenSession.lastTs
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
def session_key_parts(user_events, gap_minutes):
    """One user's events (time order) -> sessions: a store's own sessionId groups events when present;
    events without one are cut at the inactivity gap (0: never cut), as the job sessionizes."""
    by_sid, loose = {}, []
    for e in user_events:
        sid = e.get("sessionId")
        if sid is not None and sid != "":
            by_sid.setdefault(str(sid), []).append(e)
        else:
            loose.append(e)
    out = list(by_sid.values())
    cur = []
    for e in loose:
        if cur and gap_minutes > 0 and e["ts"] - cur[-1]["ts"] >= gap_minutes * 60_000:
            out.append(cur)
            cur = []
        cur.append(e)
    if cur:
        out.append(cur)
    return out


def load_sessions(paths, gap_minutes):
    """-> sessions (lists of events in time order), each event marked with BOUGHT_BEFORE (the user has an
    order earlier in their event stream: the job's UserProfile.orderCount > 0 at that event)."""
    by_user = {}
    for p in paths:
        for e in common.read_events(p):
            by_user.setdefault(e["userId"], []).append(e)
    sessions = []
    for uid in sorted(by_user):
        evs = sorted(by_user[uid], key=lambda e: e["ts"])  # stable: file order on ties
        ordered = False
        for e in evs:
            e[BOUGHT_BEFORE] = ordered
            ordered = ordered or e.get("type") == "order"
        sessions.extend(session_key_parts(evs, gap_minutes))
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


def same_features(enc_session, k):
    """The 'same features' baseline: the dense input of step k-1 and the mean dense input over the prefix."""
    d = np.array([x[2] for x in enc_session[:k]], dtype=float)
    return np.concatenate([d[-1], d.mean(0)])


class Data:
    """Sessions that have at least one scorable prefix, sorted by start, with labels and encodings."""

    def __init__(self, sessions, encoder, scorable_only=True):
        self.sessions = sorted([s for s in sessions if prefix_len(s) > 0 or not scorable_only],
                               key=lambda s: (s[0]["ts"], s[0]["userId"]))
        self.labels = [int(any(e["type"] == "order" for e in s)) for s in self.sessions]
        self.lens = [prefix_len(s) for s in self.sessions]
        self.enc = [encoder.encode_session(s) for s in self.sessions]

    def __len__(self):
        return len(self.sessions)

    def describe(self, ix):
        if not ix:
            return {"sessions": 0}
        return {"sessions": len(ix), "positiveSessions": int(sum(self.labels[i] for i in ix)),
                "prefixes": int(sum(self.lens[i] for i in ix)),
                "from": common.iso(self.sessions[ix[0]][0]["ts"]), "to": common.iso(self.sessions[ix[-1]][0]["ts"])}

    def prefix_rows(self, ix, kind):
        X, y, last, owner = [], [], [], []
        for i in ix:
            for k in range(1, self.lens[i] + 1):
                X.append(count_features(self.sessions[i], k) if kind == "counts" else same_features(self.enc[i], k))
                y.append(self.labels[i])
                last.append(k == self.lens[i])
                owner.append(i)
        return np.array(X, dtype=float), np.array(y), np.array(last), np.array(owner)


def metrics(y, p):
    y = np.asarray(y)
    if len(y) == 0 or y.min() == y.max():
        return {"rocAuc": None, "prAuc": None}
    return {"rocAuc": round(float(roc_auc_score(y, p)), 4), "prAuc": round(float(average_precision_score(y, p)), 4)}


def ece(y, p, bins=10):
    """Expected calibration error over equal-width probability bins (weighted by bin size)."""
    y, p = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    if len(y) == 0:
        return None
    b = np.minimum((p * bins).astype(int), bins - 1)
    return round(float(sum(abs(y[b == k].mean() - p[b == k].mean()) * (b == k).mean() for k in range(bins)
                           if (b == k).any())), 4)


def ci(v):
    if not v:
        return None
    return [round(float(np.percentile(v, 2.5)), 4), round(float(np.percentile(v, 97.5)), 4)]


def bootstrap(owner, y, scores, reference, resamples, seed):
    """Paired bootstrap over sessions (owner = session of each prefix row): 95% intervals of each model's
    prefix ROC-AUC and PR-AUC and of each model's ROC-AUC minus `reference`'s."""
    order = np.argsort(owner, kind="stable")  # rows grouped by session, in row order: O(rows log rows)
    sessions, starts = np.unique(owner[order], return_index=True)
    rows_of = {i: order[a:b] for i, a, b in zip(sessions, starts, np.r_[starts[1:], len(owner)])}
    rng = np.random.RandomState(seed)
    auc = {k: [] for k in scores}
    ap_ = {k: [] for k in scores}
    diff = {k: [] for k in scores if k != reference}
    for _ in range(resamples):
        r = np.concatenate([rows_of[i] for i in rng.choice(sessions, size=len(sessions), replace=True)])
        if y[r].min() == y[r].max():
            continue
        a = {k: roc_auc_score(y[r], p[r]) for k, p in scores.items()}
        for k, p in scores.items():
            auc[k].append(a[k])
            ap_[k].append(average_precision_score(y[r], p[r]))
        for k in diff:
            diff[k].append(a[k] - a[reference])
    return {"resamples": len(next(iter(auc.values()))), "unit": "test sessions",
            "prefixRocAuc95": {k: ci(v) for k, v in auc.items()},
            "prefixPrAuc95": {k: ci(v) for k, v in ap_.items()},
            "rocAucMinus_" + reference + "95": {k: ci(v) for k, v in diff.items()}}


def fit_baselines(data, tr):
    """Both logistic regressions on the prefixes of sessions `tr` -> {name: predict(ix) -> p per prefix row}."""
    out = {}
    for name, kind in (("lrCounts", "counts"), ("lrSameFeatures", "same")):
        X, y, _, _ = data.prefix_rows(tr, kind)
        sc = StandardScaler().fit(X)
        lr = LogisticRegression(class_weight="balanced", max_iter=2000, C=1.0).fit(sc.transform(X), y)
        out[name] = (lambda ix, kind=kind, sc=sc, lr=lr:
                     lr.predict_proba(sc.transform(data.prefix_rows(ix, kind)[0]))[:, 1])
    return out


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
        L = lens[i]
        rows = enc_sessions[i][:L]
        item[b, :L] = torch.tensor([r[0] for r in rows])
        cat[b, :L] = torch.tensor([r[1] for r in rows])
        dense[b, :L] = torch.tensor([r[2] for r in rows])
        mask[b, :L] = 1.0
        y[b, :L] = labels[i]
    return item, cat, dense, mask, y


def predict(model, enc, labels, lens, ids):
    """-> per-prefix (y, p) and per-session (y, p at the last scorable prefix), in the order of ids."""
    model.eval()
    ys, ps, sy, sp = [], [], [], []
    with torch.no_grad():
        for b in batches(ids, 256):
            item, cat, dense, mask, y = tensors(enc, labels, lens, b)
            p = torch.sigmoid(model(item, cat, dense))
            for r, i in enumerate(b):
                ys.extend([labels[i]] * lens[i])
                ps.extend(p[r, :lens[i]].tolist())
                sy.append(labels[i])
                sp.append(float(p[r, lens[i] - 1]))
    return np.array(ys), np.array(ps), np.array(sy), np.array(sp)


def new_model(spec, dense_size, a, init_from=None, pretrained=None):
    model = IntentGRU(spec, dense_size, a.dropout)
    if pretrained is not None:  # the encoder of pretrain(); the purchase head starts fresh
        model.load_state_dict(pretrained, strict=False)
    elif init_from:
        state = torch.load(os.path.join(init_from, "intent.pt"), map_location="cpu", weights_only=True)
        mine = model.state_dict()
        bad = [k for k in mine if k not in state or state[k].shape != mine[k].shape]
        if bad:
            raise SystemExit(f"--init-from {init_from}: weights do not fit this spec ({', '.join(bad)}); "
                             f"retrain without --init-from")
        model.load_state_dict(state)
    if a.item_embedding == "off":  # the input stays (same ONNX interface); its table is all zeros
        with torch.no_grad():
            model.item.weight.zero_()
        model.item.weight.requires_grad_(False)
    return model


def train_gru(spec, dense_size, enc, labels, lens, tr, va, a, seed, log=print, fixed_epochs=None, init_from=None,
              pretrained=None):
    """Trains one GRU on sessions `tr`. With `va`: early-stopped on ROC-AUC + PR-AUC of its prefixes
    (patience a.patience, at most a.epochs); without (a refit): exactly `fixed_epochs` epochs.
    -> (model at its best epoch, epochs run, best epoch, pos_weight)."""
    torch.manual_seed(seed)
    model = new_model(spec, dense_size, a, init_from, pretrained)
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=a.lr, weight_decay=1e-4)
    per_session = a.weighting == "session"
    n_pos = sum(1 if per_session else lens[i] for i in tr if labels[i])
    n_neg = sum(1 if per_session else lens[i] for i in tr if not labels[i])
    pos_weight = torch.tensor(n_neg / max(1, n_pos))
    rng = np.random.RandomState(seed)
    best, best_state, best_epoch, bad = -1.0, None, 0, 0
    epochs = fixed_epochs if fixed_epochs is not None else a.epochs
    epoch = 0
    for epoch in range(1, epochs + 1):
        t_ep = time.time()
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
            tot += float(loss.detach()) * len(b)
        if fixed_epochs is not None:
            if log:
                log(f"refit epoch {epoch}/{epochs} loss {tot / len(tr):.4f} ({time.time() - t_ep:.1f}s)")
            continue
        vy, vp, _, _ = predict(model, enc, labels, lens, va)
        m = metrics(vy, vp)
        score = (m["rocAuc"] or 0.5) + (m["prAuc"] or 0.0)
        if score > best:
            best, best_epoch, bad = score, epoch, 0
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
        else:
            bad += 1
        if log:
            log(f"epoch {epoch} loss {tot / len(tr):.4f} val {m}{' *' if bad == 0 else ''} ({time.time() - t_ep:.1f}s)")
        if bad >= a.patience:
            break
    if best_state is not None:
        model.load_state_dict(best_state)
    else:
        best_epoch = epoch
    return model.eval(), epoch, best_epoch, pos_weight


def pretrain(spec, dense_size, data, a, seed, log=print):
    """Self-supervised pre-training on sessions without purchase labels: from h_t, predict the type of the
    session's next event (or 'end' after its last), over whole sessions (at most 50 events each). Learns what a
    session's progress looks like from any shop's clicks, carts and buys. -> the embeddings' and GRU's weights."""
    torch.manual_seed(seed)
    model = new_model(spec, dense_size, a, a.init_from)
    types = spec["eventTypes"]
    nxt = nn.Linear(spec["hiddenSize"], len(types) + 1)
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad] + list(nxt.parameters()), lr=a.lr,
                           weight_decay=1e-4)
    ids = list(range(len(data.sessions)))
    rng = np.random.RandomState(seed)
    if len(ids) > a.pretrain_max_sessions:
        ids = sorted(rng.choice(ids, a.pretrain_max_sessions, replace=False).tolist())
    lens = [min(50, len(s)) for s in data.sessions]
    target = [[types.index(e["type"]) if e["type"] in types else len(types) for e in s[1:lens[i]]] + [len(types)]
              for i, s in enumerate(data.sessions)]
    for epoch in range(1, a.pretrain_epochs + 1):
        t_ep, tot, n = time.time(), 0.0, 0
        model.train()
        for b in batches(ids, 64, rng):
            item, cat, dense, mask, _ = tensors(data.enc, [0] * len(data.sessions), lens, b)
            y = torch.zeros(mask.shape, dtype=torch.long)
            for r, i in enumerate(b):
                y[r, :lens[i]] = torch.tensor(target[i])
            out, _ = model.gru(model.inputs(item, cat, dense))
            loss = nn.functional.cross_entropy(nxt(model.drop(out)).transpose(1, 2), y, reduction="none")
            loss = (loss * mask).sum() / mask.sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot, n = tot + float(loss.detach()) * len(b), n + len(b)
        if log:
            log(f"pretrain epoch {epoch}/{a.pretrain_epochs} next-type loss {tot / n:.4f} ({time.time() - t_ep:.1f}s, "
                f"{len(ids)} sessions)")
    return {k: v.clone() for k, v in model.state_dict().items() if not k.startswith("head.")}


def platt(y, p):
    """Calibration on validation prefixes: p' = sigmoid(a * logit(p) + b) -> (a, b); identity when y is constant."""
    y = np.asarray(y)
    if len(y) == 0 or y.min() == y.max():
        return 1.0, 0.0
    z = np.log(np.clip(p, 1e-6, 1 - 1e-6) / (1 - np.clip(p, 1e-6, 1 - 1e-6))).reshape(-1, 1)
    lr = LogisticRegression(C=1e6, max_iter=2000).fit(z, y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def fold_calibration(model, a_, b_):
    """Puts the calibration into the head (sigmoid(a*(w.h+c)+b) = sigmoid((a*w).h + a*c+b)): same ONNX interface."""
    with torch.no_grad():
        model.head.weight.mul_(a_)
        model.head.bias.mul_(a_).add_(b_)


def f1_threshold(y, p, max_alert_rate=1.0):
    """The score with the best F1 over the given prefixes among the cuts that flag at most max_alert_rate of
    them (a "high intent" action for most shoppers would mean nothing)."""
    order = np.argsort(-p, kind="mergesort")
    ys, ps = np.asarray(y)[order], np.asarray(p)[order]
    tp = np.cumsum(ys)
    k = np.arange(1, len(ys) + 1)
    f1 = 2 * tp / (k + max(1, ys.sum()))
    last = np.r_[ps[1:] != ps[:-1], True]  # only cut between distinct scores
    f1 = np.where(last & (k <= max(1, int(max_alert_rate * len(ys)))), f1, -1)
    i = int(np.argmax(f1))
    return float(ps[i]), float(f1[i])


def at_threshold(y, p, thr):
    pred = p >= thr
    return {"precision": round(float((pred & (y == 1)).sum() / max(1, pred.sum())), 4),
            "recall": round(float((pred & (y == 1)).sum() / max(1, (y == 1).sum())), 4),
            "alertRate": round(float(pred.mean()), 4) if len(p) else None}


# ---------------------------------------------------------------- training entry point
def parser():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", nargs="+", default=[os.path.join(ROOT, "onnx-models/work/events/diginetica.jsonl")],
                    help="event-JSON history (one object per line): what the exported model is trained on")
    ap.add_argument("--test-events", nargs="+", help="separate event-JSON files to test on (later sessions); "
                    "then --test-frac is not used and all of --events is history")
    ap.add_argument("--session-gap-minutes", type=float, default=0,
                    help="0: userId is the session id (converted public data); >0: cut each user's events "
                         "into sessions at this inactivity gap, like the job (a store's own history). A "
                         "sessionId field in an event is used instead where present")
    ap.add_argument("--test-gap-minutes", type=float,
                    help="session gap for --test-events when it differs (another shop); default --session-gap-minutes")
    ap.add_argument("--spec", default=os.path.join(ROOT, "onnx-models/feature_spec.json"))
    ap.add_argument("--out-dir", default=MODEL_DIR)
    ap.add_argument("--golden", default=os.path.join(ROOT, "onnx-models/golden/intent.json"))
    ap.add_argument("--test-frac", type=float, default=0.2,
                    help="latest fraction of the sessions held out as test (0: none, no test metrics)")
    ap.add_argument("--val-frac", type=float, default=0.2,
                    help="latest fraction of the non-test history for early stopping, calibration, threshold")
    ap.add_argument("--refit", choices=["on", "off"], default="on",
                    help="on: after selection, retrain on train + validation for the selected epochs (exported)")
    ap.add_argument("--calibrate", choices=["on", "off"], default="on",
                    help="Platt scaling on validation, folded into the exported head")
    ap.add_argument("--max-alert-rate", type=float, default=0.1,
                    help="the highIntent threshold flags at most this fraction of validation prefixes (best F1 below)")
    ap.add_argument("--init-from", help="model dir with intent.pt (e.g. onnx-models/intent): warm start "
                    "from those weights (a store's retrain from the shipped model)")
    ap.add_argument("--pretrain-events", nargs="+", help="event-JSON files of any shops (no label needed) for the "
                    "self-supervised next-event-type pre-training before the purchase fine-tuning")
    ap.add_argument("--pretrain-gap-minutes", type=float, default=30,
                    help="session gap for --pretrain-events whose userId is a user (0: userId is a session)")
    ap.add_argument("--pretrain-epochs", type=int, default=2)
    ap.add_argument("--pretrain-max-sessions", type=int, default=30000,
                    help="a seeded sample of at most this many pre-training sessions per epoch")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--epochs", type=int, default=80)
    ap.add_argument("--patience", type=int, default=12)
    ap.add_argument("--dropout", type=float, default=0.2)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--bootstrap", type=int, default=500)
    ap.add_argument("--item-embedding", choices=["off", "trained"], default="trained",
                    help="trained: learn the item table (shipped); off: fix it at zeros, so hashed item ids add "
                         "nothing (same ONNX interface)")
    ap.add_argument("--weighting", choices=["prefix", "session"], default="prefix",
                    help="loss weight per scored prefix, or per session (1/prefixes)")
    ap.add_argument("--training-data", default="DIGINETICA (CIKM Cup 2016) item-view sample (SR-GNN repository) "
                    "joined with train-purchases.csv and product-categories.csv on session id")
    return ap


def split(data, n_history, a):
    """-> (train, validation, test) session indices; the first n_history sessions of data are history."""
    hist = list(range(n_history))
    te = list(range(n_history, len(data)))
    if not a.test_events:
        n_test = int(round(n_history * a.test_frac))
        hist, te = hist[:n_history - n_test], hist[n_history - n_test:]
    n_val = int(round(len(hist) * a.val_frac))
    return hist[:len(hist) - n_val], hist[len(hist) - n_val:], te


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    a = parser().parse_args(argv)
    t0 = time.time()
    common.seed_everything(a.seed)
    with open(a.spec, encoding="utf-8") as f:
        full_spec = json.load(f)
    spec = full_spec["intent"]
    encoder = Encoder(spec)

    history = Data(load_sessions(a.events, a.session_gap_minutes), encoder)
    if a.test_events:
        gap = a.session_gap_minutes if a.test_gap_minutes is None else a.test_gap_minutes
        later = Data(load_sessions(a.test_events, gap), encoder)
        data = history
        for k in ("sessions", "labels", "lens", "enc"):
            setattr(data, k, getattr(history, k) + getattr(later, k))
        n_history = len(history.sessions) - len(later.sessions)
    else:
        data, n_history = history, len(history)
    tr, va, te = split(data, n_history, a)
    if not tr or not va:
        raise SystemExit(f"too little history: {len(tr)} training and {len(va)} validation sessions "
                         f"(need both; lower --val-frac / --test-frac or give more events)")
    sp = {name: data.describe(ix) for name, ix in (("train", tr), ("validation", va), ("test", te))}
    print("split by session start:", json.dumps(sp), flush=True)
    if not te:
        print("no test split (--test-frac 0 and no --test-events): test metrics are not computed", flush=True)

    # ---- optional self-supervised pre-training (the fine-tuning below starts from it)
    pretrained, pre_info = None, None
    if a.pretrain_events:
        pre = Data(load_sessions(a.pretrain_events, a.pretrain_gap_minutes), encoder, scorable_only=False)
        pretrained = pretrain(spec, encoder.dense_size, pre, a, a.seed)
        pre_info = {"events": [rel(p) for p in a.pretrain_events], "sessions": len(pre),
                    "epochs": a.pretrain_epochs, "maxSessions": a.pretrain_max_sessions,
                    "objective": "next event type (or end) from h_t, cross-entropy"}

    # ---- selection: early stopping on validation
    enc, labels, lens = data.enc, data.labels, data.lens
    sel, epochs_run, best_epoch, pos_weight = train_gru(spec, encoder.dense_size, enc, labels, lens, tr, va, a,
                                                        a.seed, init_from=a.init_from, pretrained=pretrained)
    vy, vp, vsy, vsp = predict(sel, enc, labels, lens, va)
    cal = platt(vy, vp) if a.calibrate == "on" else (1.0, 0.0)
    val_m = {"prefix": metrics(vy, vp), "session": metrics(vsy, vsp), "eceRaw": ece(vy, vp)}
    fold_calibration(sel, *cal)
    vy, vp_cal, _, _ = predict(sel, enc, labels, lens, va)
    val_m["eceCalibrated"] = ece(vy, vp_cal)
    thr, best_f1 = f1_threshold(vy, vp_cal, a.max_alert_rate)
    val_alert = float((vp_cal >= thr).mean())
    print(f"selected epoch {best_epoch} of {epochs_run}; validation {val_m}; threshold {thr:.4f} "
          f"(F1 {best_f1:.3f}, alert rate {val_alert:.4f})", flush=True)

    # ---- refit on all of the history with the selected epochs
    if a.refit == "on":
        model, _, _, pos_weight = train_gru(spec, encoder.dense_size, enc, labels, lens, tr + va, None, a, a.seed,
                                            fixed_epochs=best_epoch, init_from=a.init_from, pretrained=pretrained)
        fold_calibration(model, *cal)
        # the refit model's scores on validation are in-sample: keep the selected model's alert rate
        _, rp, _, _ = predict(model, enc, labels, lens, va)
        thr = float(np.quantile(rp, 1 - val_alert)) if len(rp) else thr
    else:
        model = sel
    model.eval()

    test_m, baselines, boot = None, {}, None
    if te:
        ty, tp, tsy, tsp = predict(model, enc, labels, lens, te)
        test_m = {"prefix": metrics(ty, tp), "session": metrics(tsy, tsp), "ece": ece(ty, tp),
                  "atThreshold": at_threshold(ty, tp, thr)}
        fitted = fit_baselines(data, tr + va)
        _, _, lte, owner = data.prefix_rows(te, "counts")
        scores = {"gru": tp}
        for name, f in fitted.items():
            pb = f(te)
            scores[name] = pb
            baselines[name] = {"test": {"prefix": metrics(ty, pb), "session": metrics(ty[lte], pb[lte])}}
        boot = bootstrap(owner, ty, scores, "lrCounts", a.bootstrap, a.seed)
        print("test:", json.dumps(test_m), "\nbaselines:", json.dumps(baselines), "\nbootstrap:", json.dumps(boot),
              flush=True)

    # ---- export the step model (and its weights for --init-from)
    os.makedirs(a.out_dir, exist_ok=True)
    onnx_path = os.path.join(a.out_dir, "intent.onnx")
    torch.save(model.state_dict(), os.path.join(a.out_dir, "intent.pt"))
    step = IntentStep(model).eval()
    H = spec["hiddenSize"]
    ex = (torch.zeros(2, dtype=torch.long), torch.zeros(2, dtype=torch.long),
          torch.zeros(2, encoder.dense_size), torch.zeros(2, H))
    names_in = ["item_bucket", "category_bucket", "dense", "h"]
    names_out = ["h_next", "p_purchase"]
    torch.onnx.export(step, ex, onnx_path, opset_version=common.OPSET, input_names=names_in,
                      output_names=names_out, dynamic_axes={k: {0: "batch"} for k in names_in + names_out},
                      do_constant_folding=True, dynamo=False)
    inputs, outputs = common.onnx_io(onnx_path)
    write_golden(a, full_spec, encoder, model, step, data, te or va)

    part = {
        "name": "intent", "file": "intent/intent.onnx", "sha256": common.sha256_file(onnx_path),
        "inputs": inputs, "outputs": outputs, "featureSpecVersion": full_spec["version"],
        "featureSpecSection": "intent", "featureSpecSectionVersion": spec.get("sectionVersion"),
        "vocabularies": [], "opset": common.OPSET,
        "kind": "GRU step (x_t, h_{t-1}) -> (h_t, p_purchase); h starts at zeros per session",
        "thresholds": {"highIntent": round(thr, 6)},
        "thresholdRule": f"max F1 over the selected model's calibrated validation prefixes among the cuts that "
                         f"flag at most {a.max_alert_rate:.0%} of them" + ("; after the refit, the score with the same "
                                                                            "validation alert rate" if a.refit == "on" else ""),
        "trainingData": a.training_data, "events": [rel(p) for p in a.events],
        "testEvents": [rel(p) for p in a.test_events] if a.test_events else None,
        "split": {"rule": ("test = --test-events; " if a.test_events else
                           f"by session start time: latest {a.test_frac:.0%} of sessions = test; ") +
                  f"latest {a.val_frac:.0%} of the rest = validation (early stopping, calibration, threshold); "
                  + ("exported model refit on train + validation" if a.refit == "on" else "no refit"), **sp},
        "label": "session contains an order; only prefixes before the first order are scored",
        "training": {"epochsRun": epochs_run, "bestEpoch": best_epoch, "refit": a.refit,
                     "exportedModelSessions": len(tr) + len(va) if a.refit == "on" else len(tr), "dropout": a.dropout,
                     "lr": a.lr, "seed": a.seed, "posWeight": round(float(pos_weight), 4), "weighting": a.weighting,
                     "initFrom": rel(a.init_from) if a.init_from else None, "pretraining": pre_info,
                     "maxAlertRate": a.max_alert_rate,
                     "calibration": {"rule": "Platt on validation prefixes, folded into the head",
                                     "a": round(cal[0], 6), "b": round(cal[1], 6)}},
        "metrics": {"test": test_m, "validation": val_m, "bootstrap": boot,
                    "note": "validation = the selected model before the refit; test = the exported model. "
                            "prefix = every scored prefix; session = score at the last prefix before the first "
                            "order (or the session end)" + ("" if te else "; no test split")},
        "baselineMetrics": baselines,
        "command": " ".join([sys.executable, "onnx-models/training/train_intent.py"] + argv),
        "trainSeconds": round(time.time() - t0, 1),
    }
    common.write_json(os.path.join(a.out_dir, "manifest.part.json"), part)
    print(f"wrote {onnx_path} ({os.path.getsize(onnx_path)} bytes), golden {a.golden}; {time.time() - t0:.1f}s")
    return part


def rel(p):
    p = os.path.abspath(p)
    return os.path.relpath(p, ROOT) if p.startswith(ROOT + os.sep) else p


def write_golden(a, full_spec, encoder, model, step, data, pool):
    """Goldens: step-by-step through the step module, checked against the full-sequence GRU."""
    H = full_spec["intent"]["hiddenSize"]

    def t(x, dtype):
        arr = np.asarray(x)
        return {"shape": list(arr.shape), "dtype": dtype,
                "data": [int(v) for v in arr.ravel()] if dtype == "int64" else [float(v) for v in arr.ravel()]}

    def golden_case(events, bought_before=None):
        if bought_before is not None:  # a synthetic session: an earlier session's order, then its own
            marked, ordered = [], bought_before
            for e in events:
                marked.append(dict(e, **{BOUGHT_BEFORE: ordered}))
                ordered = ordered or e.get("type") == "order"
            events = marked
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
            e = {k: v for k, v in e.items() if v is not None and k != BOUGHT_BEFORE}
            e["ts"] = common.iso(e["ts"])
            evs.append(e)
        return {"events": evs, "boughtBefore": bool(events[0].get(BOUGHT_BEFORE, False)), "steps": steps}

    s, labels = data.sessions, data.labels
    picks = [i for i in pool if labels[i]][:3] + [i for i in pool if not labels[i] and len(s[i]) >= 4][:3] + \
        [i for i in pool if len(s[i]) == 1][:1]
    cases = [golden_case(s[i]) for i in picks]
    t_syn = s[pool[0]][0]["ts"]
    synthetic = [  # covers what the public data lacks: other types, prices, carts, repeats, missing ids, gaps, a tie
        {"eventId": "g-1", "userId": "golden-u", "type": "search", "ts": t_syn, "query": "red shoes"},
        {"eventId": "g-2", "userId": "golden-u", "type": "view", "ts": t_syn + 4_200, "itemId": "sku-1",
         "categoryId": "shoes", "price": 49.99},
        {"eventId": "g-3", "userId": "golden-u", "type": "reco_click", "ts": t_syn + 4_200, "itemId": "sku-2",
         "price": 0.5},
        {"eventId": "g-4", "userId": "golden-u", "type": "add_to_cart", "ts": t_syn + 95_000, "itemId": "sku-2",
         "categoryId": "shoes", "price": 1000.0, "quantity": 2},
        {"eventId": "g-4b", "userId": "golden-u", "type": "view", "ts": t_syn + 96_000, "itemId": "sku-1",
         "categoryId": "shoes", "price": 49.99},
        {"eventId": "g-4c", "userId": "golden-u", "type": "add_to_cart", "ts": t_syn + 97_000, "itemId": "sku-1",
         "categoryId": "shoes", "amount": 99.98, "price": 49.99, "quantity": 2},
        {"eventId": "g-5", "userId": "golden-u", "type": "remove_from_cart", "ts": t_syn + 3_000_000,
         "itemId": "sku-2", "categoryId": "shoes", "price": 1000.0},
        {"eventId": "g-6", "userId": "golden-u", "type": "review", "ts": t_syn + 3_001_000, "itemId": "sku-1",
         "rating": 4, "text": "ok"},
        {"eventId": "g-7", "userId": "golden-u", "type": "order", "ts": t_syn + 3_010_000, "itemId": "sku-1",
         "categoryId": "shoes", "price": 7000.0, "quantity": 1, "amount": 7000.0, "currency": "EUR"},
        {"eventId": "g-8", "userId": "golden-u", "type": "payment", "ts": t_syn + 3_020_000, "amount": 7000.0,
         "currency": "EUR", "paymentMethod": "card"},
        {"eventId": "g-9", "userId": "golden-u", "type": "view", "ts": t_syn + 3_030_000, "itemId": "sku-1",
         "categoryId": "shoes", "price": 49.99},
    ]
    cases.append(golden_case(synthetic, bought_before=False))
    cases.append(golden_case(synthetic[:5], bought_before=True))
    common.write_json(a.golden, {"model": "intent", "featureSpecVersion": full_spec["version"],
                                 "featureSpecSectionVersion": full_spec["intent"].get("sectionVersion"),
                                 "note": "one step per event, h starts at zeros and is carried; outputs from the "
                                         "PyTorch step module in eval mode; boughtBefore: the user ordered in an "
                                         "earlier session (UserProfile)", "cases": cases})


# ---------------------------------------------------------------- scoring a shipped model (score_model.py intent)
def onnx_scores(model_path, data, ids):
    """Runs the step model with ONNX Runtime, one step for all sessions at a time -> p per prefix row (order of
    data.prefix_rows(ids, ...))."""
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    sess = ort.InferenceSession(model_path, so, providers=["CPUExecutionProvider"])
    H = next(i for i in sess.get_inputs() if i.name == "h").shape[1]
    ids = list(ids)
    h = np.zeros((len(ids), H), dtype=np.float32)
    p = [np.zeros(data.lens[i], dtype=np.float32) for i in ids]
    for t in range(max(data.lens[i] for i in ids)):
        rows = [r for r, i in enumerate(ids) if data.lens[i] > t]
        steps = [data.enc[ids[r]][t] for r in rows]
        hn, pp = sess.run(["h_next", "p_purchase"], {
            "item_bucket": np.array([s[0] for s in steps], dtype=np.int64),
            "category_bucket": np.array([s[1] for s in steps], dtype=np.int64),
            "dense": np.array([s[2] for s in steps], dtype=np.float32), "h": h[rows]})
        h[rows] = hn
        for k, r in enumerate(rows):
            p[r][t] = pp[k]
    return np.concatenate(p)


def score_shipped(argv: list) -> int:
    """score_model.py intent --model-dir D --events F...: the model in D or D/intent (intent.onnx, as shipped) scored with
    ONNX Runtime on the later --test-frac of the given events' sessions, next to both logistic-regression
    baselines fitted on the earlier part. Prints the metrics as JSON; no training, nothing written."""
    ap = argparse.ArgumentParser(prog="score_model.py intent", description=score_shipped.__doc__)
    ap.add_argument("--model-dir", default=MODEL_DIR)
    ap.add_argument("--events", nargs="+", required=True)
    ap.add_argument("--spec", default=os.path.join(ROOT, "onnx-models/feature_spec.json"))
    ap.add_argument("--session-gap-minutes", type=float, default=30)
    ap.add_argument("--test-frac", type=float, default=0.2, help="the later part of the sessions that is scored")
    ap.add_argument("--bootstrap", type=int, default=500)
    ap.add_argument("--pretrain-events", nargs="+", help="event-JSON files of any shops (no label needed) for the "
                    "self-supervised next-event-type pre-training before the purchase fine-tuning")
    ap.add_argument("--pretrain-gap-minutes", type=float, default=30,
                    help="session gap for --pretrain-events whose userId is a user (0: userId is a session)")
    ap.add_argument("--pretrain-epochs", type=int, default=2)
    ap.add_argument("--pretrain-max-sessions", type=int, default=30000,
                    help="a seeded sample of at most this many pre-training sessions per epoch")
    ap.add_argument("--seed", type=int, default=SEED)
    a = ap.parse_args(argv)
    if not 0 < a.test_frac < 1:
        print("--test-frac must be in (0, 1): the earlier part fits the baselines", file=sys.stderr)
        return 2
    common.seed_everything(a.seed)
    with open(a.spec, encoding="utf-8") as f:
        spec = json.load(f)["intent"]
    data = Data(load_sessions(a.events, a.session_gap_minutes), Encoder(spec))
    n_test = int(round(len(data) * a.test_frac))
    tr, te = list(range(len(data) - n_test)), list(range(len(data) - n_test, len(data)))
    d_te = data.describe(te)
    if not tr or not te or d_te.get("positiveSessions", 0) in (0, len(te)):
        print(f"cannot score: {len(tr)} earlier and {len(te)} later sessions, "
              f"{d_te.get('positiveSessions', 0)} of them buying (need both classes)", file=sys.stderr)
        return 2
    _, y, last, owner = data.prefix_rows(te, "counts")
    # --model-dir is the intent folder or, as for the other models of score_model.py, the models directory
    if not os.path.exists(os.path.join(a.model_dir, "intent.onnx")) and \
            os.path.exists(os.path.join(a.model_dir, "intent", "intent.onnx")):
        a.model_dir = os.path.join(a.model_dir, "intent")
    scores = {"model": onnx_scores(os.path.join(a.model_dir, "intent.onnx"), data, te)}
    for name, f in fit_baselines(data, tr).items():
        scores[name] = f(te)
    report = {"model": os.path.join(a.model_dir, "intent.onnx"),
              "split": {"baselinesFittedOn": data.describe(tr), "scored": d_te},
              "prefix": {k: metrics(y, p) for k, p in scores.items()},
              "session": {k: metrics(y[last], p[last]) for k, p in scores.items()},
              "bootstrap": bootstrap(owner, y, scores, "lrCounts", a.bootstrap, a.seed)}
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    main()
