"""Next-item recommender: a SASRec-style causal Transformer encoder over the session's last N item
ids (left-padded), scoring the whole item vocabulary and ending in TopK inside the ONNX graph.

Reads event JSON (common.read_events); item events are the spec's "itemEvents" types. Protocol
(as the session-rec benchmark): for every prefix of every test session predict the next item,
Recall@K and MRR@K with a full ranking over all vocabulary items. Baselines on the same protocol:
popularity, item co-occurrence (item-kNN, cosine over sessions) and session-kNN (SKNN).

Model selection never looks at the test part: the last --val-days of the training part (by session end)
are carved off as validation; the trainer picks dropout and the number of epochs there (patience on validation,
capped; SKNN's k the same way), then retrains on the whole training part for the best epoch count.

Default data: YooChoose (session-rec 100k sample) converted by convert/yoochoose.py. A store points --events at
its own event-JSON history (test = its last --test-days), or --train-events/--test-events at two files; a store's
own sessionId defines sessions where the events carry one (common.sessionize).
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import scipy.sparse as sp
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SEED = 11
PAD, UNK = "<pad>", "<unk>"
ITEMKNN_LAMBDA = 20.0  # session-rec ItemKNN default regularisation


# ---------------------------------------------------------------- data
def load_sessions(path, item_types, gap_minutes):
    """-> list of (session key, start ms, end ms, [item ids]) in time order of events. Sessions: the event's
    sessionId where it has one, else each user's events cut at gaps > gap_minutes (common.sessionize)."""
    evs = [e for e in common.read_events(path) if e.get("type") in item_types and e.get("itemId")]
    out = common.sessionize(evs, gap_minutes)
    return [(i, s[0]["ts"], s[-1]["ts"], [str(e["itemId"]) for e in s]) for i, s in enumerate(out)]


def build_vocab(sessions, min_count=1):
    """[<pad>, <unk>, items seen at least min_count times by frequency]; rarer items map to <unk>."""
    cnt = {}
    for _, _, _, items in sessions:
        for it in items:
            cnt[it] = cnt.get(it, 0) + 1
    ids = sorted((k for k in cnt if cnt[k] >= min_count), key=lambda k: (-cnt[k], k))
    return [PAD, UNK] + ids, cnt


def next_item_events(sessions):
    """Every next-item prediction of the protocol before targets outside the vocabulary are dropped."""
    return sum(max(0, len(items) - 1) for _, _, _, items in sessions)


def prefix_sessions(sessions, index):
    """The session (position in sessions) of each row of prefixes(sessions, index, N), for the bootstrap."""
    out = []
    for r, (_, _, _, items) in enumerate(sessions):
        idx = [index.get(it, 1) for it in items]
        out.extend(r for t in range(1, len(idx)) if idx[t] > 1)
    return np.array(out, dtype=np.int64)


def prefixes(sessions, index, N):
    """Every (left-padded window of the last N items, next item) pair; targets outside the vocab dropped."""
    X, y, L = [], [], []
    for _, _, _, items in sessions:
        idx = [index.get(it, 1) for it in items]
        for t in range(1, len(idx)):
            if idx[t] <= 1:
                continue
            w = idx[max(0, t - N):t]
            X.append([0] * (N - len(w)) + w)
            y.append(idx[t])
            L.append(len(w))
    return np.array(X, dtype=np.int64).reshape(-1, N), np.array(y, dtype=np.int64), np.array(L)


# ---------------------------------------------------------------- model
class Block(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.h, self.dk = heads, d // heads
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.o = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Dropout(dropout), nn.Linear(2 * d, d))
        self.drop = nn.Dropout(dropout)

    def forward(self, x, mask):  # x [B, L, d]; mask [B, 1, L, L] additive
        B, L, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(B, L, 3, self.h, self.dk).permute(2, 0, 3, 1, 4)
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(self.dk) + mask, dim=-1)
        a = (self.drop(att) @ v).transpose(1, 2).reshape(B, L, d)
        x = x + self.drop(self.o(a))
        return x + self.drop(self.ff(self.ln2(x)))

    def forward_last(self, x, keypad):
        """The last position's output only ([B, 1, d]), for the final block at serving time: keys and values
        over every position, one query. keypad [B, 1, 1, L] additive; the last query's causal-mask row is all
        zeros, so this equals forward(x, mask)[:, -1:] up to float rounding (eval mode)."""
        B, L, _ = x.shape
        # d as a Python int, not x's traced shape, so the export folds the weight slices below into initializers
        # (with the traced d, ONNX Runtime sliced and transposed the weights on every run)
        d = self.qkv.in_features
        h = self.ln1(x)
        w, b = self.qkv.weight, self.qkv.bias
        q = nn.functional.linear(h[:, -1:], w[:d], b[:d]).view(B, 1, self.h, self.dk).transpose(1, 2)
        k, v = nn.functional.linear(h, w[d:], b[d:]).view(B, L, 2, self.h, self.dk).permute(2, 0, 3, 1, 4)
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(self.dk) + keypad, dim=-1)
        a = (self.drop(att) @ v).transpose(1, 2).reshape(B, 1, d)
        x = x[:, -1:] + self.drop(self.o(a))
        return x + self.drop(self.ff(self.ln2(x)))


class SASRec(nn.Module):
    def __init__(self, n_items, N, d, layers, heads, dropout):
        super().__init__()
        self.N = N
        self.item = nn.Embedding(n_items, d, padding_idx=0)
        self.pos = nn.Embedding(N, d)
        self.blocks = nn.ModuleList(Block(d, heads, dropout) for _ in range(layers))
        self.ln = nn.LayerNorm(d)
        self.drop = nn.Dropout(dropout)
        nn.init.normal_(self.item.weight, std=0.05)
        nn.init.normal_(self.pos.weight, std=0.05)
        with torch.no_grad():
            self.item.weight[0].zero_()

    def encode(self, items, last_query=False):
        """items [B, L] left-padded (L <= N; positions count from the right) -> state of the last position [B, d].

        last_query=True (the serving graph): the final block computes attention and FFN for the last query
        only (keys/values still over every position); same result up to float rounding. Training and the
        reported metrics use the full path (last_query=False); the head already projects only the last state."""
        B, L = items.shape
        pos = torch.arange(self.N - L, self.N)
        x = self.drop(self.item(items) * math.sqrt(self.item.embedding_dim) + self.pos(pos).unsqueeze(0))
        causal = torch.triu(torch.ones(L, L), diagonal=1) * -1e9
        keypad = (items == 0).float() * -1e9
        mask = (causal.unsqueeze(0) + keypad.unsqueeze(1)).unsqueeze(1)
        blocks = list(self.blocks)
        if last_query:
            for b in blocks[:-1]:
                x = b(x, mask)
            return self.ln(blocks[-1].forward_last(x, keypad.view(B, 1, 1, L))[:, -1, :])
        for b in blocks:
            x = b(x, mask)
        return self.ln(x[:, -1, :])

    def scores(self, items, last_query=False):
        s = self.encode(items, last_query) @ self.item.weight.t()
        return s + self.exclude()

    def exclude(self):
        m = torch.zeros(self.item.num_embeddings)
        m[0] = -1e9
        m[1] = -1e9
        return m


EXPORT_GRAPHS = {
    "last-query": "the last block computes attention and FFN for the last query only (keys/values over all L "
                  "positions); the head projects only the last state onto the item embeddings, then TopK; "
                  "items [batch, L], L dynamic (1..20): the last L columns of the left-padded 20-window",
    "full": "every block computes all L positions; the head projects only the last state, then TopK; items "
            "[batch, L], L dynamic (1..20): the last L columns of the left-padded 20-window",
}
# The head of a probability graph (Exported with a temperature), appended to the graph's description.
SOFTMAX_HEAD = ("head: the last state times 1/temperature (folded into the MatMul by ONNX Runtime) onto the {items:,} "
                "item embeddings (pad and unknown are not scored, so no mask), softmax over them, then TopK (topk_ids "
                "are vocabulary indexes: the graph adds the 2)")


class Exported(nn.Module):
    """The ONNX graph: items [B, N] -> (topk_ids, topk_scores). graph: a key of EXPORT_GRAPHS.

    temperature given: topk_scores are probabilities, softmax(logits / temperature) over the vocabulary's items
    (pad and unknown get 0), i.e. the calibrated probability that the item is the session's next item; the same
    top-K ids as the logits (softmax is monotone). None: raw logits (the graphs exported before issue 18)."""

    def __init__(self, m, k, graph="last-query", temperature=None):
        super().__init__()
        if graph not in EXPORT_GRAPHS:
            raise ValueError(f"unknown export graph {graph!r}")
        self.m, self.k, self.last_query = m, k, graph == "last-query"
        self.temperature = temperature

    def forward(self, items):
        if self.temperature is None:
            s, i = torch.topk(self.m.scores(items, self.last_query), self.k, dim=-1)
            return i, s
        # What the V-wide tail costs is the point (issue 21): 1/T scales the d-dim state instead of V logits, and
        # pad and unknown (indexes 0, 1) are left out of the MatMul instead of masked to -1e9 (a bias over V), so
        # their probability is 0 as before. Softmax then TopK measured cheapest in ORT, ahead of TopK on the logits
        # plus exp(l - logsumexp): ReduceLogSumExp, Sub/Exp/ReduceSum and LogSoftmax forms (MODEL_CARD.md).
        q = self.m.encode(items, self.last_query) * (1.0 / self.temperature)
        p, i = torch.topk(torch.softmax(q @ self.m.item.weight[2:].t(), dim=-1), self.k, dim=-1)
        return i + 2, p


# ---------------------------------------------------------------- calibration
# The served score claims "the probability that this item is the session's next item event". So calibration is
# measured on exactly that: every next item event of the sessions (one whose item is outside the vocabulary is a
# miss of every slot, target -1) and the K probabilities the storefront receives. The temperature minimises the
# log-loss of those K (hit / miss) outcomes; a single temperature keeps the ranking (softmax is monotone).
def calibration_windows(sessions, index, N):
    """Every (left-padded window, next item) of the sessions; target -1 where the next item is not in the vocabulary."""
    X, y = [], []
    for _, _, _, items in sessions:
        idx = [index.get(it, 1) for it in items]
        for t in range(1, len(idx)):
            w = idx[max(0, t - N):t]
            X.append([0] * (N - len(w)) + w)
            y.append(idx[t] if idx[t] > 1 else -1)
    return np.array(X, dtype=np.int64).reshape(-1, N), np.array(y, dtype=np.int64)


def states(model, X, bs=512, last_query=False):
    """The last position's state [n, d] of every window (the logits are states @ item embeddings)."""
    model.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(X), bs):
            xb = torch.from_numpy(X[i:i + bs])
            keep = int((xb != 0).any(0).nonzero().min())
            out.append(model.encode(xb[:, keep:], last_query))
    return torch.cat(out)


def _topk_probs(model, S, temperature, K, bs=2048):
    """-> (top-K probabilities [n, K], top-K indices [n, K]) of softmax(logits / temperature)."""
    E = model.item.weight.detach()
    ex = model.exclude()
    K = min(K, E.shape[0])
    ps, ids = [], []
    with torch.no_grad():
        for i in range(0, len(S), bs):
            p, top = torch.topk(torch.softmax((S[i:i + bs] @ E.t() + ex) / temperature, dim=-1), K, dim=-1)
            ps.append(p.numpy().astype(np.float64))
            ids.append(top.numpy())
    return np.concatenate(ps), np.concatenate(ids)


def topk_log_loss(model, S, y, temperature, K):
    p, ids = _topk_probs(model, S, temperature, K)
    hit = ids == y[:, None]
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return float(-(np.log(p[hit]).sum() + np.log1p(-p[~hit]).sum()) / len(y))


def fit_temperature(model, S, y, K):
    """The temperature minimising topk_log_loss (golden-section search over log T in [log 0.05, log 20])."""
    f = lambda lt: topk_log_loss(model, S, y, math.exp(lt), K)  # noqa: E731
    lo, hi = math.log(0.05), math.log(20.0)
    g = (math.sqrt(5) - 1) / 2
    a, b = hi - g * (hi - lo), lo + g * (hi - lo)
    fa, fb = f(a), f(b)
    for _ in range(30):
        if fa < fb:
            hi, b, fb = b, a, fa
            a = hi - g * (hi - lo)
            fa = f(a)
        else:
            lo, a, fa = a, b, fb
            b = lo + g * (hi - lo)
            fb = f(b)
    return round(math.exp((lo + hi) / 2), 4)


def _ece(conf, hit, bins):
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(conf, edges[1:-1]), 0, bins - 1)
    return float(sum(abs(hit[which == b].mean() - conf[which == b].mean()) * (which == b).mean()
                     for b in range(bins) if (which == b).any()))


def calibration(model, S, y, temperature, K, bins=15):
    """At this temperature, over every next item event (y = -1: not in the vocabulary, a miss): expected
    calibration error (equal-width bins) of the top-1 probability and of all K served probabilities, mean top-1
    probability vs top-1 accuracy, mean sum of the K probabilities vs HitRate@K, and the K-slot log-loss."""
    p, ids = _topk_probs(model, S, temperature, K)
    hit = (ids == y[:, None]).astype(np.float64)
    return {"temperature": temperature, "eceTop1": round(_ece(p[:, 0], hit[:, 0], bins), 5),
            f"eceTop{K}": round(_ece(p.ravel(), hit.ravel(), bins), 5),
            "meanTop1Probability": round(float(p[:, 0].mean()), 5), "top1Accuracy": round(float(hit[:, 0].mean()), 5),
            f"meanTop{K}ProbabilitySum": round(float(p.sum(1).mean()), 5), f"hitRate@{K}": round(float(hit.sum(1).mean()), 5),
            f"top{K}LogLoss": round(topk_log_loss(model, S, y, temperature, K), 5), "predictions": int(len(y))}


def calibration_report(model, X, y, temperature, K):
    S = states(model, X)
    return {"before": calibration(model, S, y, 1.0, K), "after": calibration(model, S, y, temperature, K)}


# ---------------------------------------------------------------- evaluation
def ranks(score_fn, y, bs=512):
    """score_fn(rows) -> [b, V] numpy scores (pad/unk already excluded) -> the target's rank per prediction,
    pessimistic on ties."""
    out = []
    for i in range(0, len(y), bs):
        s = score_fn(slice(i, i + bs))
        t = y[i:i + bs]
        st = s[np.arange(len(t)), t][:, None]
        out.append((s > st).sum(1) + (s == st).sum(1))  # includes the target itself
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


def rank_metrics(score_fn, X, y, K, bs=512, rank_out=None):
    """Recall@K and MRR@K over the predictions; rank_out (a list): gets the per-prediction ranks appended."""
    if len(y) == 0:
        raise ValueError("no prediction to score: every next item of these sessions is outside the vocabulary "
                         "(or no session has 2 item events)")
    r = ranks(score_fn, y, bs)
    if rank_out is not None:
        rank_out.append(r)
    hits = float((r <= K).sum())
    rr = float(np.where(r <= K, 1.0 / r, 0.0).sum())
    return {f"recall@{K}": round(hits / len(y), 4), f"mrr@{K}": round(rr / len(y), 4), "predictions": int(len(y))}


def bootstrap(rank_arrays, session_of, preds, K, rounds=500, seed=SEED):
    """HitRate@K and MRR@K over ALL next-item predictions (preds[s]: how many session s has, those whose next
    item is outside the vocabulary included, as misses), with 95% intervals from resampling sessions: {name:
    {...}} for each name's ranks (aligned with session_of), and the interval of the first name minus each."""
    rng = np.random.RandomState(seed)
    n_sessions = len(preds)
    names = list(rank_arrays)
    per = {}
    for n in names:
        r = rank_arrays[n]
        per[n] = (np.bincount(session_of, weights=(r <= K).astype(float), minlength=n_sessions),
                  np.bincount(session_of, weights=np.where(r <= K, 1.0 / r, 0.0), minlength=n_sessions))
    boot = {n: ([], []) for n in names}
    for _ in range(rounds):
        w = np.bincount(rng.randint(0, n_sessions, n_sessions), minlength=n_sessions)
        tot = float((w * preds).sum())
        for n in names:
            boot[n][0].append(float((w * per[n][0]).sum()) / tot)
            boot[n][1].append(float((w * per[n][1]).sum()) / tot)
    out = {}
    total = float(preds.sum())
    for n in names:
        hr, mrr = np.array(boot[n][0]), np.array(boot[n][1])
        out[n] = {f"hitRate@{K}": round(float(per[n][0].sum() / total), 4),
                  f"hitRate@{K}95": [round(float(np.percentile(hr, 2.5)), 4), round(float(np.percentile(hr, 97.5)), 4)],
                  f"mrr@{K}": round(float(per[n][1].sum() / total), 4),
                  f"mrr@{K}95": [round(float(np.percentile(mrr, 2.5)), 4), round(float(np.percentile(mrr, 97.5)), 4)]}
        if n != names[0]:
            d = np.array(boot[names[0]][0]) - hr
            out[n][f"{names[0]}MinusThis.hitRate@{K}95"] = [round(float(np.percentile(d, 2.5)), 4),
                                                             round(float(np.percentile(d, 97.5)), 4)]
            d = np.array(boot[names[0]][1]) - mrr
            out[n][f"{names[0]}MinusThis.mrr@{K}95"] = [round(float(np.percentile(d, 2.5)), 4),
                                                         round(float(np.percentile(d, 97.5)), 4)]
    out["predictions"] = int(total)
    return out


def report_table(all_next, K):
    """The printed report: the model (first name of bootstrap()'s result) next to each baseline, HitRate@K and
    MRR@K over all next items with their 95% intervals, and the interval of model - baseline."""
    names = [n for n in all_next if isinstance(all_next[n], dict)]
    first = names[0]
    lines = [f"{'':28s} {'HitRate@' + str(K):>8s} {'95% interval':>16s} {'MRR@' + str(K):>8s} {'95% interval':>16s}"
             f"   {first} - this: HitRate, MRR (95%)"]
    for n in names:
        m = all_next[n]
        diff = "" if n == first else (f"   {m[f'{first}MinusThis.hitRate@{K}95']}, "
                                      f"{m.get(f'{first}MinusThis.mrr@{K}95', '')}")
        lines.append(f"{n:28s} {m[f'hitRate@{K}']:8.4f} {str(m[f'hitRate@{K}95']):>16s} {m[f'mrr@{K}']:8.4f} "
                     f"{str(m[f'mrr@{K}95']):>16s}{diff}")
    lines.append(f"over {all_next['predictions']} next item events (an item outside the vocabulary is a miss); "
                 "intervals: bootstrap over sessions")
    return "\n".join(lines)


def model_score_fn(model, X, last_query=False):
    def f(sl):
        model.eval()
        with torch.no_grad():
            xb = torch.from_numpy(X[sl])
            keep = int((xb != 0).any(0).nonzero().min())
            return model.scores(xb[:, keep:], last_query).numpy()
    return f


SKNN_SAMPLE = 500  # session-rec ContextKNN sample_size
BASELINE_DEFINITIONS = {
    "popularity": "session-rec Pop: each item's number of item events in the fitted sessions, one list for all",
    "itemKnn": "session-rec ItemKNN (alpha 0.5, lambda 20) on the last item: co-occurrence in sessions / "
               "(sqrt(sessions with i) * sqrt(sessions with j) + 20)",
    "sknn": f"session-rec ContextKNN, sampling recent, cosine: candidates = fitted sessions sharing an item with the "
            f"prefix, the {SKNN_SAMPLE} whose last event is latest; cosine |a & b| / sqrt(|a| |b|) over item sets; "
            "k most similar (k chosen on validation); score = sum of the neighbours' similarities",
    "ties": "no tie-break: a target tied with other items ranks behind all of them (pessimistic), for the model "
            "and every baseline; an item no neighbour holds scores 0 (a miss)",
}


class Baselines:
    """The in-trainer baselines as the session-rec benchmark defines them (BASELINE_DEFINITIONS; training/README.md,
    "Baselines"), scored by ranks() over the model's vocabulary, ties pessimistic (no tie-break)."""

    def __init__(self, sessions, index, V):
        rows, cols, ends = [], [], []
        events = np.zeros(V, dtype=np.float64)
        for r, (_, _, end, items) in enumerate(sessions):
            for it in items:
                if it in index:
                    events[index[it]] += 1
            for c in {index[it] for it in items if it in index}:
                rows.append(r)
                cols.append(c)
            ends.append(end)
        self.M = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(sessions), V))
        self.MT = self.M.T.tocsr()
        self.ends = np.array(ends)
        self.slen = np.asarray(self.M.sum(1)).ravel()
        in_sessions = np.asarray(self.M.sum(0)).ravel().astype(np.float64)
        self.norm = np.sqrt(np.maximum(in_sessions, 1))
        events[:2] = 0
        self.pop = events
        self.V = V

    def cos(self, last):
        """Rows of the item-item cosine (session-rec ItemKNN, alpha 0.5) for the given items, computed per batch
        (a dense V x V table does not fit for a shop-sized vocabulary)."""
        co = (self.MT[last] @ self.M).toarray().astype(np.float64)
        co[np.arange(len(last)), last] = 0
        return co / (self.norm[last][:, None] * self.norm[None, :] + ITEMKNN_LAMBDA)

    def _excl(self, s):
        s[:, :2] = -1e9
        return s

    def popularity(self, X):
        return lambda sl: self._excl(np.tile(self.pop, (len(X[sl]), 1)))

    def itemknn(self, X):
        return lambda sl: self._excl(self.cos(X[sl][:, -1]))

    def sknn(self, X, full_sessions, k=100, sample=SKNN_SAMPLE):
        """full_sessions[r]: item indices of the whole prefix (not only the last N) for row r."""
        def f(sl):
            out = np.zeros((len(X[sl]), self.V))
            for r, row in enumerate(range(*sl.indices(len(full_sessions)))):
                a = sorted({i for i in full_sessions[row] if i > 1})
                if a:
                    q = np.zeros(self.V, dtype=np.float32)
                    q[a] = 1
                    ov = self.M @ q
                    cand = np.nonzero(ov)[0]
                    if len(cand) > sample:  # the most recent sessions, as session-rec's sampling='recent'
                        cand = cand[np.argsort(-self.ends[cand], kind="stable")[:sample]]
                    sim = ov[cand] / np.sqrt(len(a) * self.slen[cand])
                    top = np.argsort(-sim, kind="stable")[:k]
                    out[r] = self.M[cand[top]].T @ sim[top]
            return self._excl(out)
        return f


def full_prefixes(sessions, index):
    out = []
    for _, _, _, items in sessions:
        idx = [index.get(it, 1) for it in items]
        for t in range(1, len(idx)):
            if idx[t] > 1:
                out.append(idx[:t])
    return out


# ---------------------------------------------------------------- training
def train(model, X, y, L, epochs, lr, bs, seed, eval_fn=None, patience=3, unk_p=0.01, log=""):
    torch.manual_seed(seed)
    rng = np.random.RandomState(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    history, best, best_state, best_epoch = [], -1.0, None, 0
    for ep in range(1, epochs + 1):
        model.train()
        # length-bucketed batches in random order: little padding, still shuffled
        perm = np.argsort(L + rng.rand(len(L)) * 2, kind="stable")
        bl = [perm[i:i + bs] for i in range(0, len(perm), bs)]
        rng.shuffle(bl)
        tot, t0 = 0.0, time.time()
        for b in bl:
            xb = torch.from_numpy(X[b])
            keep = int((xb != 0).any(0).nonzero().min())
            xb = xb[:, keep:]
            if unk_p > 0:  # teach the unknown-item embedding
                m = (torch.rand(xb.shape) < unk_p) & (xb > 1)
                xb = torch.where(m, torch.ones_like(xb), xb)
            loss = nn.functional.cross_entropy(model.scores(xb), torch.from_numpy(y[b]))
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += float(loss.detach()) * len(b)
        rec = {"epoch": ep, "loss": round(tot / len(y), 4), "seconds": round(time.time() - t0, 1)}
        if eval_fn is not None:
            m = eval_fn()
            rec.update(m)
            key = sum(v for k, v in m.items() if k.startswith(("recall", "mrr")))
            if key > best:
                best, best_epoch = key, ep
                best_state = {k: v.clone() for k, v in model.state_dict().items()}
        history.append(rec)
        print(log, json.dumps(rec), flush=True)
        if eval_fn is not None and ep - best_epoch >= patience:
            break
    if best_state is not None:
        model.load_state_dict(best_state)
    return history, best_epoch


# ---------------------------------------------------------------- export
def export_onnx(model, K, N, n_vocab, onnx_path, graph="last-query", temperature=None):
    """Writes the serving ONNX graph (opset common.OPSET) and returns the exported module.

    Dynamic batch and dynamic window: items [batch, L], 1 <= L <= N, is the LAST L columns of the left-padded
    N-window (positions N-L .. N-1, SASRec.encode). Padding is masked out of every real position's attention,
    so dropping leading columns that are padding in every row gives the same outputs as the full window (up to
    float summation order); the Java batcher does that per batch (manifest input attributes, window_input_attrs)."""
    exp = Exported(model.eval(), K, graph, temperature).eval()
    torch.onnx.export(exp, (torch.randint(0, n_vocab, (2, N)),), onnx_path, opset_version=common.OPSET,
                      input_names=["items"], output_names=["topk_ids", "topk_scores"],
                      dynamic_axes={"items": {0: "batch", 1: "window"}, "topk_ids": {0: "batch"},
                                    "topk_scores": {0: "batch"}},
                      do_constant_folding=True, dynamo=False)
    return exp


def window_input_attrs(inputs, N, pad_index=0):
    """Manifest attributes of the dynamic-window input (read by com.shopsense.inference.ModelManifest): requests
    carry the full left-padded N-window ("window"), the batcher may drop leading columns that are pad_index in
    every row ("leftPadded", "padValue")."""
    for t in inputs:
        if t["name"] == "items":
            if t["shape"] != [None, None]:
                raise SystemExit(f"exported items input has shape {t['shape']}, expected [null, null]")
            t.update({"window": N, "leftPadded": True, "padValue": pad_index})
    return inputs


def trim_left_padding(x, pad_index=0):
    """[B, N] left-padded windows -> the columns from the first one that is real in some row on (at least 1;
    a batch with a row of padding only is left whole, as the Java batcher does)."""
    real = x != pad_index
    if not real.any(axis=1).all():
        return x
    return x[:, int(real.any(axis=0).argmax()):]


def write_golden(exp, index, vocab, train_s, test_s, N, golden_path, spec_version):
    """golden/recommend.json: 8 fixed cases, inputs and outputs of the exported PyTorch module in eval mode."""
    def t(arr, dtype):
        arr = np.asarray(arr)
        return {"shape": list(arr.shape), "dtype": dtype,
                "data": [int(v) for v in arr.ravel()] if dtype == "int64" else [float(v) for v in arr.ravel()]}

    def case(item_ids, note):
        idx = [index.get(it, 1) for it in item_ids][-N:]
        x = torch.tensor([[0] * (N - len(idx)) + idx])
        with torch.no_grad():
            ids, sc = exp(x)
        return {"note": note, "items": list(item_ids), "inputs": {"items": t(x.numpy(), "int64")},
                "outputs": {"topk_ids": t(ids.numpy(), "int64"), "topk_scores": t(sc.numpy(), "float32")},
                "topItemIds": [vocab[i] for i in ids[0].tolist()]}

    def trimmed_case(sessions, note):
        rows = []
        for item_ids in sessions:
            idx = [index.get(it, 1) for it in item_ids][-N:]
            rows.append([0] * (N - len(idx)) + idx)
        x = trim_left_padding(np.array(rows, dtype=np.int64))
        with torch.no_grad():
            ids, sc = exp(torch.from_numpy(x))
        return {"note": note, "items": [list(s) for s in sessions], "inputs": {"items": t(x, "int64")},
                "outputs": {"topk_ids": t(ids.numpy(), "int64"), "topk_scores": t(sc.numpy(), "float32")},
                "topItemIds": [[vocab[i] for i in r] for r in ids.tolist()]}

    longest = max(test_s, key=lambda s: (len(s[3]), -s[0]))[3]
    cases = [case(test_s[0][3][:1], "one item"),
             case(test_s[1][3], "a whole test session, shorter than N"),
             case(test_s[2][3][:3], "three items"),
             case(longest, f"longest test session ({len(longest)} items): only the last N are used"),
             case(train_s[0][3][:2] + ["unknown-item-xyz"], "ends in an item outside the vocabulary"),
             case(["unknown-a", "unknown-b"], "only unknown items"),
             case([vocab[2]] * 3, "the most popular item repeated"),
             case([vocab[2 + i] for i in range(N)], "exactly N items")]
    trimmed = [trimmed_case([test_s[0][3][:1]], "one item: the window trimmed to 1 column"),
               trimmed_case([test_s[2][3][:3]], "three items: trimmed to 3 columns"),
               trimmed_case([test_s[0][3][:1], test_s[2][3][:3], test_s[1][3][:7]],
                            "a batch of 1, 3 and up to 7 items: trimmed to the longest row"),
               trimmed_case([train_s[0][3][:2] + ["unknown-item-xyz"], ["unknown-a", "unknown-b"]],
                            "unknown items, trimmed to the longest row"),
               trimmed_case([test_s[2][3][:3], longest], "a full window in the batch: nothing trimmed")]
    common.write_json(golden_path, {"model": "recommend", "featureSpecVersion": spec_version,
                                    "note": "items: the session's item ids oldest first; inputs/outputs from the "
                                            "PyTorch module in eval mode. cases: one full left-padded window each. "
                                            "trimmedCases: a batch of windows with the leading columns that are "
                                            "padding in every row dropped (train_recommend.trim_left_padding, as "
                                            "the Java batcher sends them); same outputs as the full windows",
                                    "cases": cases, "trimmedCases": trimmed})


SCORES_MEANING = ("topk_scores = the probability that the item is the session's next item event: softmax over the "
                  "whole vocabulary of the logits divided by scores.temperature, pad and unknown excluded; the "
                  "temperature minimises the log-loss of the served top-K probabilities against every next item event "
                  "of the validation sessions (one outside the vocabulary is a miss), so a score of 0.01 means about "
                  "1 in 100 such items is the next one (calibration.*: before = temperature 1)")


def scores_entry(temperature):
    return {"kind": "probability", "temperature": temperature, "meaning": SCORES_MEANING}


def serving_graph_entry(graph, test_metrics, exp=None):
    """exp: the exported module; a probability graph's description names its head (SOFTMAX_HEAD)."""
    desc = EXPORT_GRAPHS[graph]
    if exp is not None and exp.temperature is not None:
        desc += "; " + SOFTMAX_HEAD.format(items=exp.m.item.num_embeddings - 2)
    return {"graph": graph, "description": desc, "test": test_metrics,
            "note": "metrics.test are the PyTorch full path; test here is the same prediction set scored through "
                    "the exported serving path"}


def validation_split(train_s, val_days):
    """-> (cut ms, tuning-train sessions, validation sessions): validation = sessions ending in the last val_days
    of the training file. A split that leaves either side empty stops with the flag to change (a store with less
    than a day of history and the default --val-days 1.0 would otherwise train on nothing)."""
    first, last = min(s[1] for s in train_s), max(s[2] for s in train_s)
    cut = last - int(val_days * 86_400_000)
    tr_s = [s for s in train_s if s[2] <= cut]
    va_s = [s for s in train_s if s[2] > cut]
    if not tr_s or not va_s:
        span = (last - first) / 86_400_000
        raise SystemExit(f"--val-days {val_days:g} leaves {len(tr_s)} tuning-train / {len(va_s)} validation sessions: "
                         f"the training file spans {span:.4g} days ({common.iso(first)} .. {common.iso(last)}); pass a "
                         f"--val-days below that span, e.g. --val-days {max(span / 5, 1e-4):.3g} (the last fifth)")
    return cut, tr_s, va_s


def time_split(sessions, days, flag):
    """One history -> (earlier sessions, later sessions, cut ms): later = sessions starting after the last `days`
    cut; earlier = sessions ending at or before it (a session across the cut is in neither: no leakage)."""
    if not sessions:
        raise SystemExit("no session with an item event in --events")
    first, last = min(s[1] for s in sessions), max(s[2] for s in sessions)
    cut = last - int(days * 86_400_000)
    early = [s for s in sessions if s[2] <= cut]
    late = [s for s in sessions if s[1] > cut]
    if not early or not late:
        span = (last - first) / 86_400_000
        raise SystemExit(f"{flag} {days:g} leaves {len(early)} earlier / {len(late)} later sessions: the events span "
                         f"{span:.4g} days ({common.iso(first)} .. {common.iso(last)}); pass a {flag} below that "
                         f"span, e.g. {flag} {max(span / 5, 1e-4):.3g} (the last fifth)")
    return early, late, cut


def stopping(best_epoch, epochs_run, max_epochs, patience):
    """Why tuning stopped: 'patience' (the best epoch is followed by `patience` worse ones) or 'cap' (max_epochs
    reached, so a later epoch might have been better: a warning)."""
    if epochs_run - best_epoch >= patience:
        return "patience"
    print(f"WARNING: the best validation epoch ({best_epoch}) is within --patience {patience} of the cap "
          f"--max-epochs {max_epochs}: raise --max-epochs", file=sys.stderr, flush=True)
    return "cap"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train-events", default=os.path.join(ROOT, "onnx-models/work/events/yoochoose_train.jsonl"))
    ap.add_argument("--test-events", default=os.path.join(ROOT, "onnx-models/work/events/yoochoose_test.jsonl"))
    ap.add_argument("--events", help="one event log instead of --train-events/--test-events: sessions starting in "
                    "its last --test-days are the test set, sessions ending before them train (a store's history)")
    ap.add_argument("--test-days", type=float, default=1.0, help="with --events: the test part (default %(default)s)")
    ap.add_argument("--session-gap-minutes", type=float, default=0,
                    help="0: userId is the session id; >0: cut each user's events into sessions at this gap")
    ap.add_argument("--spec", default=os.path.join(ROOT, "onnx-models/feature_spec.json"))
    ap.add_argument("--out-dir", default=os.path.join(ROOT, "onnx-models/recommend"))
    ap.add_argument("--golden", default=os.path.join(ROOT, "onnx-models/golden/recommend.json"))
    ap.add_argument("--val-days", type=float, default=1.0, help="validation = sessions ending in the last N days of train")
    ap.add_argument("--max-epochs", type=int, default=60,
                    help="cap on tuning epochs; the stopping rule is --patience on validation, and a run whose best "
                         "epoch is the cap says so (raise the cap)")
    ap.add_argument("--patience", type=int, default=4,
                    help="stop tuning after this many epochs without a better validation Recall@K + MRR@K")
    ap.add_argument("--seed", type=int, default=SEED, help="seeds torch, numpy and the bootstrap (default %(default)s)")
    ap.add_argument("--dropouts", type=float, nargs="+", default=[0.2, 0.4])
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--sknn-k", type=int, nargs="+", default=[50, 100, 200])
    ap.add_argument("--export-graph", choices=sorted(EXPORT_GRAPHS), default="last-query",
                    help="serving graph: last-query (default; the final block runs the last query only, same "
                         "outputs up to float rounding, ~1/3 less CPU) or full (every position in every block)")
    ap.add_argument("--manifest", help="also write this manifest.json holding only the recommender (a models directory "
                    "of its own, e.g. onnx-models/demo-taobao for recommend.models-dir); default: merge with "
                    "train_all.py --merge-only as before")
    ap.add_argument("--min-count", type=int, default=1,
                    help="vocabulary: items seen at least this often in the training file (rarer ones are <unk>)")
    ap.add_argument("--bootstrap", type=int, default=500,
                    help="resamples of test sessions for the 95%% intervals of HitRate/MRR@K over all next items")
    ap.add_argument("--training-data", default="YooChoose (RecSys Challenge 2015) clicks, 100k sample prepared by "
                    "the session-rec benchmark: yoochoose-clicks-100k_train_full.txt / _test.txt")
    a = ap.parse_args(argv)
    t_start = time.time()
    common.seed_everything(a.seed)
    with open(a.spec, encoding="utf-8") as f:
        full_spec = json.load(f)
    spec = full_spec["recommend"]
    N, K, d = spec["windowSize"], spec["topK"], spec["embeddingDim"]
    types = set(spec["itemEvents"])

    if a.events:
        train_s, test_s, test_cut = time_split(load_sessions(a.events, types, a.session_gap_minutes), a.test_days,
                                               "--test-days")
        a.train_events = a.test_events = a.events
        print(f"--events: test = sessions starting after {common.iso(test_cut)} (the last {a.test_days:g} days)")
    else:
        train_s = load_sessions(a.train_events, types, a.session_gap_minutes)
        test_s = load_sessions(a.test_events, types, a.session_gap_minutes)
    train_s = [s for s in train_s if len(s[3]) >= 2]
    test_s = [s for s in test_s if len(s[3]) >= 2]
    for name, ss, flag in [("training", train_s, "--train-events"), ("test", test_s, "--test-events")]:
        if not ss:
            raise SystemExit(f"no {name} session with 2 or more item events in {flag} (item event types: "
                             f"{sorted(types)}; sessions: sessionId or --session-gap-minutes {a.session_gap_minutes:g})")
    cut, tr_s, va_s = validation_split(train_s, a.val_days)
    print(f"train {len(train_s)} sessions (tuning: {len(tr_s)} train / {len(va_s)} validation, cut {common.iso(cut)}); "
          f"test {len(test_s)} sessions")

    # ---------------- tuning on the validation day
    vocab_tr, _ = build_vocab(tr_s, a.min_count)
    idx_tr = {it: i for i, it in enumerate(vocab_tr)}
    Xtr, ytr, Ltr = prefixes(tr_s, idx_tr, N)
    Xva, yva, _ = prefixes(va_s, idx_tr, N)
    fva = full_prefixes(va_s, idx_tr)
    btr = Baselines(tr_s, idx_tr, len(vocab_tr))
    sknn_val = {k: rank_metrics(btr.sknn(Xva, fva, k=k), Xva, yva, K) for k in a.sknn_k}
    best_k = max(a.sknn_k, key=lambda k: (sknn_val[k][f"mrr@{K}"] + sknn_val[k][f"recall@{K}"], -k))
    print("SKNN validation:", json.dumps(sknn_val), "-> k =", best_k)
    tuning = {"sknn": {str(k): v for k, v in sknn_val.items()}, "sasrec": {}}
    best_cfg, best_model = None, None
    for dr in a.dropouts:
        common.seed_everything(a.seed)
        m = SASRec(len(vocab_tr), N, d, spec["layers"], spec["heads"], dr)
        hist, be = train(m, Xtr, ytr, Ltr, a.max_epochs, a.lr, a.batch, a.seed,
                         eval_fn=lambda: rank_metrics(model_score_fn(m, Xva), Xva, yva, K),
                         patience=a.patience, log=f"[tune dropout={dr}]")
        bm = hist[be - 1]
        stop = stopping(be, len(hist), a.max_epochs, a.patience)
        print(f"[tune dropout={dr}] best epoch {be} of {len(hist)} run: {stop}", flush=True)
        tuning["sasrec"][str(dr)] = {"bestEpoch": be, "epochsRun": len(hist), "maxEpochs": a.max_epochs,
                                     "patience": a.patience, "stoppedBy": stop,
                                     "validation": {k: v for k, v in bm.items() if "@" in k}, "history": hist}
        key = bm[f"recall@{K}"] + bm[f"mrr@{K}"]
        if best_cfg is None or key > best_cfg[0]:
            best_cfg, best_model = (key, dr, be), m
    _, dropout, epochs = best_cfg
    print(f"chosen on validation: dropout {dropout}, epochs {epochs}, SKNN k {best_k}")
    # The vocabulary's coverage matters as much as the ranking: validation over ALL next items (a next item
    # outside the vocabulary is a miss), the number --min-count is chosen by.
    share = len(yva) / max(1, next_item_events(va_s))
    bv = tuning["sasrec"][str(dropout)]["validation"]
    tuning["validationAllNextItems"] = {"minCount": a.min_count, "inVocabulary": round(share, 4),
                                        f"hitRate@{K}": round(bv[f"recall@{K}"] * share, 4),
                                        f"mrr@{K}": round(bv[f"mrr@{K}"] * share, 4),
                                        "sknn": {k: round(v * share, 4) for k, v in sknn_val[best_k].items() if "@" in k}}
    print("validation, all next items:", json.dumps(tuning["validationAllNextItems"]))
    # Calibration: the temperature that makes the chosen tuning model's softmax fit the validation next items
    # (the final model trains on those sessions, so they cannot calibrate it); applied to the final model.
    Xva_all, yva_all = calibration_windows(va_s, idx_tr, N)
    temperature = fit_temperature(best_model, states(best_model, Xva_all), yva_all, K)
    cal_val = calibration_report(best_model, Xva_all, yva_all, temperature, K)
    print(f"temperature {temperature} (validation top-{K} log-loss); validation calibration:", json.dumps(cal_val))

    # ---------------- final: whole training file, evaluated once on test
    vocab, cnt = build_vocab(train_s, a.min_count)
    index = {it: i for i, it in enumerate(vocab)}
    X, y, L = prefixes(train_s, index, N)
    Xte, yte, _ = prefixes(test_s, index, N)
    fte = full_prefixes(test_s, index)
    common.seed_everything(a.seed)
    model = SASRec(len(vocab), N, d, spec["layers"], spec["heads"], dropout)
    hist, _ = train(model, X, y, L, epochs, a.lr, a.batch, a.seed, log="[final]")
    model.eval()
    test_m = rank_metrics(model_score_fn(model, Xte), Xte, yte, K)
    b = Baselines(train_s, index, len(vocab))
    base = {"popularity": rank_metrics(b.popularity(Xte), Xte, yte, K),
            "itemKnnCooccurrence(cosine,lambda=20)": rank_metrics(b.itemknn(Xte), Xte, yte, K),
            f"sknn(k={best_k},sample={SKNN_SAMPLE})": rank_metrics(b.sknn(Xte, fte, k=best_k), Xte, yte, K)}
    print("test SASRec:", test_m)
    print("test baselines:", json.dumps(base))
    Xte_all, yte_all = calibration_windows(test_s, index, N)
    cal_test = calibration_report(model, Xte_all, yte_all, temperature, K)
    print("test calibration:", json.dumps(cal_test))
    # Over every next item of the test sessions (a target outside the vocabulary is a miss for every model,
    # since the baselines rank the same vocabulary), with intervals from resampling test sessions.
    rk = {}
    for name, fn in [("sasrec", model_score_fn(model, Xte)), ("popularity", b.popularity(Xte)),
                     (f"sknn(k={best_k})", b.sknn(Xte, fte, k=best_k))]:
        got = []
        rank_metrics(fn, Xte, yte, K, rank_out=got)
        rk[name] = got[0]
    all_next = bootstrap(rk, prefix_sessions(test_s, index), np.array([len(s[3]) - 1 for s in test_s]), K,
                         rounds=a.bootstrap, seed=a.seed)
    all_next["inVocabulary"] = round(len(yte) / max(1, next_item_events(test_s)), 4)
    print("test, all next items (95% intervals over sessions):", json.dumps(all_next))
    print(report_table(all_next, K), flush=True)

    # ---------------- export
    os.makedirs(a.out_dir, exist_ok=True)
    # Beside the model in --out-dir (the spec's vocabularyFile names it relative to the models directory,
    # the parent of --out-dir); never next to --spec, which a scratch run must not overwrite.
    vocab_path = os.path.join(a.out_dir, os.path.basename(spec["vocabularyFile"]))
    with open(vocab_path, "w", encoding="utf-8") as f:
        f.write("\n".join(vocab) + "\n")
    onnx_path = os.path.join(a.out_dir, "recommend.onnx")
    exp = export_onnx(model, K, N, len(vocab), onnx_path, a.export_graph, temperature)
    inputs, outputs = common.onnx_io(onnx_path)
    inputs = window_input_attrs(inputs, N, spec["padIndex"])
    serving_m = rank_metrics(model_score_fn(model, Xte, exp.last_query), Xte, yte, K)
    print(f"test SASRec through the {a.export_graph} serving graph:", serving_m)
    write_golden(exp, index, vocab, train_s, test_s, N, a.golden, full_spec["version"])
    part = {
        "name": "recommend", "file": "recommend/recommend.onnx", "sha256": common.sha256_file(onnx_path),
        "bytes": os.path.getsize(onnx_path), "inputs": inputs, "outputs": outputs, "featureSpecVersion": full_spec["version"],
        "featureSpecSection": "recommend", "opset": common.OPSET,
        "vocabularies": [{"file": spec["vocabularyFile"], "size": len(vocab), "sha256": common.sha256_file(vocab_path),
                          "rule": spec["vocabularyRule"]}],
        "kind": f"SASRec-style causal Transformer ({spec['layers']} layers, d {d}, {spec['heads']} heads, window {N}) "
                f"+ TopK {K} over {len(vocab) - 2} items",
        "thresholds": {}, "topK": K,
        "scores": scores_entry(temperature),
        "calibration": {"validation": cal_val, "test": cal_test},
        "vocabularyMinCount": a.min_count,
        "servingGraph": serving_graph_entry(a.export_graph, serving_m, exp),
        "trainingData": a.training_data,
        "events": {"train": os.path.relpath(a.train_events, ROOT), "test": os.path.relpath(a.test_events, ROOT)},
        "split": {"rule": (f"--events: test = sessions starting in the last {a.test_days:g} day(s), train = sessions "
                           "ending before that" if a.events else "train on the training file, evaluate on the test "
                           "file (the next day)") + f"; tuning: sessions ending in the last {a.val_days:g} day(s) of "
                          "the training part are validation",
                  "trainSessions": len(train_s), "testSessions": len(test_s), "validationSessions": len(va_s),
                  "validationCut": common.iso(cut)},
        "protocol": f"every prefix of every test session predicts the next item; full ranking over all {len(vocab) - 2} "
                    "items; ties ranked pessimistically",
        "training": {"dropout": dropout, "epochs": epochs, "lr": a.lr, "batch": a.batch, "seed": a.seed,
                     "bestEpoch": epochs, "epochsRun": tuning["sasrec"][str(dropout)]["epochsRun"],
                     "maxEpochs": a.max_epochs, "patience": a.patience,
                     "stoppedBy": tuning["sasrec"][str(dropout)]["stoppedBy"],
                     "rule": "epochs = the best validation epoch of the tuning run (patience on validation Recall@K + "
                             "MRR@K, capped at maxEpochs); the final model trains that many epochs on the whole file",
                     "history": hist},
        "tuning": tuning,
        "metrics": {"test": test_m, "testAllNextItems": all_next},
        "baselineMetrics": {"test": base, "definitions": BASELINE_DEFINITIONS},
        "command": common.python_command("onnx-models/training/train_recommend.py",
                                         argv if argv is not None else sys.argv[1:]),
        "trainSeconds": round(time.time() - t_start, 1),
    }
    common.write_json(os.path.join(a.out_dir, "manifest.part.json"), part)
    if a.manifest:
        common.write_json(a.manifest, {"featureSpecVersion": full_spec["version"], "models": {"recommend": part}})
    print(f"wrote {onnx_path} ({os.path.getsize(onnx_path)} bytes), {vocab_path}, golden {a.golden}; "
          f"{time.time() - t_start:.1f}s")


if __name__ == "__main__":
    main()
