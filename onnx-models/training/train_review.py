"""Review sentiment: one byte-level Transformer encoder for English and Chinese review text ->
P(negative review) and the expected star rating.

    PY=onnx-models/.venv/bin/python   # the pinned trainer venv (setup-venv.sh)
    nice -n 5 $PY onnx-models/training/train_review.py --datasets ../shared/datasets [--max-minutes 15] [--seed 13]

Data (../shared/datasets, README there): reviews-womens-clothing (English, 1-5 stars; text = the
`Review Text` column, rows without it dropped) and reviews-zh-online-shopping (Chinese, label 1 positive /
0 negative). Negative = rating <= 2 (English) or label 0 (Chinese). Exact duplicate texts are dropped
within each set before splitting (the first kept), so no text is in two splits.

Splits (seeded by --seed): English grouped by `Clothing ID` (products shuffled, then cut at 70 % / 85 % of
the reviews: no product is in two splits); Chinese stratified by category and label (70 / 15 / 15 within
each cat x label). Validation: early stopping (mean of the two languages' ROC-AUC), the temperatures of both
heads (log-loss) and the threshold (macro-F1 over the pooled validation set of both languages). Test is only
reported.

Tokens ("review" section of onnx-models/feature_spec.json; Java: com.shopsense.features.ReviewTokenizer):
[clsId] + [b + byteOffset for b in text.encode("utf-8")[:maxTokens - 1]], right-padded with padId.
Model: byte embedding + learned byte positions + hashed embeddings of the byte 2-, 3- and 4-grams ending at each
position (--ngram-buckets, computed from the ids inside the graph, so Java still sends bytes; zeroed at
padding) -> a strided convolution (kernel = stride
= --stride, padded so windows are aligned to the row start whatever the batch width) -> pre-LN Transformer
encoder over the pooled positions (padding windows masked) -> mean over unmasked positions -> a negative
head (sigmoid(logit / T_neg)) and a 5-way rating head (expected stars of softmax(logits / T_rating), trained
on English rows only).

Writes onnx-models/review/review.onnx, review/manifest.part.json, golden/review.json; baselines (TF-IDF word
1-2 + char n-grams + logistic regression, per language) on the same splits go into the manifest part.
"""
import argparse
import copy
import json
import math
import os
import sys
import time

import numpy as np
import pandas as pd
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import FEATURE_SPEC_VERSION, OPSET, onnx_io, seed_everything, sha256_file, write_json  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
MODELS = os.path.join(ROOT, "onnx-models")
EN_FILE = "reviews-womens-clothing/womens_clothing_ecommerce_reviews.csv.gz"
ZH_FILE = "reviews-zh-online-shopping/online_shopping_10_cats.csv.gz"
CITATION = {
    "en": "Women's E-Commerce Clothing Reviews (Kaggle, nicapotato), CC0; text = Review Text",
    "zh": "online_shopping_10_cats, SophonPlus ChineseNlpCorpus (no licence statement: research use)",
}


def load_spec(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)["review"]


def token_ids(text, spec):
    """The Java ReviewTokenizer's row for one text (unpadded)."""
    n = int(spec["maxTokens"]) - 1
    off = int(spec["byteOffset"])
    return [int(spec["clsId"])] + [b + off for b in text.encode("utf-8")[:n]]


def pad_batch(rows, pad_id):
    width = max(len(r) for r in rows)
    out = np.full((len(rows), width), pad_id, dtype=np.int64)
    for i, r in enumerate(rows):
        out[i, :len(r)] = r
    return out


# ---------------------------------------------------------------- data and splits

def load_data(datasets, seed):
    en = pd.read_csv(os.path.join(datasets, EN_FILE))
    n_en_raw = len(en)
    en = en.dropna(subset=["Review Text"])
    en = en[en["Review Text"].str.len() > 0]
    en_notext = n_en_raw - len(en)
    en_dup = int(en["Review Text"].duplicated().sum())
    en = en.drop_duplicates(subset=["Review Text"], keep="first")
    en = pd.DataFrame({"text": en["Review Text"].astype(str), "lang": "en", "neg": (en["Rating"] <= 2).astype(int),
                       "rating": en["Rating"].astype(int), "product": en["Clothing ID"].astype(int),
                       "dept": en["Department Name"].fillna("(none)"), "cls": en["Class Name"].fillna("(none)"),
                       "cat": ""})
    zh = pd.read_csv(os.path.join(datasets, ZH_FILE))
    n_zh_raw = len(zh)
    zh = zh.dropna(subset=["review"])
    zh["review"] = zh["review"].astype(str)
    zh = zh[zh["review"].str.len() > 0]
    zh_notext = n_zh_raw - len(zh)
    zh_dup = int(zh["review"].duplicated().sum())
    zh = zh.drop_duplicates(subset=["review"], keep="first")
    zh = pd.DataFrame({"text": zh["review"], "lang": "zh", "neg": (zh["label"] == 0).astype(int), "rating": 0,
                       "product": -1, "dept": "", "cls": "", "cat": zh["cat"].astype(str)})

    rng = np.random.default_rng(seed)
    # English: products shuffled, cut by cumulative review count
    counts = en.groupby("product").size()
    prods = counts.index.to_numpy().copy()
    rng.shuffle(prods)
    cum = np.cumsum(counts.loc[prods].to_numpy()) / len(en)
    split_of = {p: ("train" if c <= 0.70 else "validation" if c <= 0.85 else "test") for p, c in zip(prods, cum)}
    en["split"] = en["product"].map(split_of)
    # Chinese: within each category x label
    zh["split"] = ""
    for _, idx in zh.groupby(["cat", "neg"]).groups.items():
        idx = np.array(sorted(idx))
        rng.shuffle(idx)
        n = len(idx)
        a, b = int(round(0.70 * n)), int(round(0.85 * n))
        zh.loc[idx[:a], "split"] = "train"
        zh.loc[idx[a:b], "split"] = "validation"
        zh.loc[idx[b:], "split"] = "test"
    df = pd.concat([en, zh], ignore_index=True)
    info = {"dropped": {"enWithoutText": int(en_notext), "enDuplicateText": en_dup,
                        "zhWithoutText": int(zh_notext), "zhDuplicateText": zh_dup}}
    for s in ("train", "validation", "test"):
        d = df[df.split == s]
        info[s] = {"en": int((d.lang == "en").sum()), "enNegative": int(d[d.lang == "en"].neg.sum()),
                   "enProducts": int(d[d.lang == "en"]["product"].nunique()),
                   "zh": int((d.lang == "zh").sum()), "zhNegative": int(d[d.lang == "zh"].neg.sum())}
    assert not (set(en[en.split == "train"]["product"]) & set(en[en.split == "test"]["product"]))
    return df, info


# ---------------------------------------------------------------- model

class Block(nn.Module):
    """Pre-LN encoder block; masked keys get -1e4 added (exp underflows to exactly 0 in float32)."""

    def __init__(self, d, heads, ff, dropout):
        super().__init__()
        self.h = heads
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.ff1 = nn.Linear(d, ff)
        self.ff2 = nn.Linear(ff, d)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, key_bias):
        B, P, D = x.shape
        q, k, v = self.qkv(self.ln1(x)).reshape(B, P, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        att = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(D // self.h) + key_bias
        y = torch.matmul(torch.softmax(att, dim=-1), v).transpose(1, 2).reshape(B, P, D)
        x = x + self.drop(self.proj(y))
        return x + self.drop(self.ff2(F.gelu(self.ff1(self.ln2(x)))))


NGRAM_ORDERS = (2, 3, 4)


class ReviewEncoder(nn.Module):
    def __init__(self, vocab, max_tokens, d_byte, d, layers, heads, ff, stride, dropout, pad_id, ngram_buckets=0):
        super().__init__()
        self.shape = dict(vocab=vocab, max_tokens=max_tokens, d_byte=d_byte, d=d, layers=layers, heads=heads, ff=ff,
                          stride=stride, dropout=dropout, pad_id=pad_id, ngram_buckets=ngram_buckets)
        self.pad_id = pad_id
        self.stride = stride
        self.vocab = vocab
        self.emb = nn.Embedding(vocab, d_byte)
        self.pos = nn.Embedding(max_tokens, d_byte)
        # Hashed byte n-grams (n = NGRAM_ORDERS) ending at each position, computed from the ids inside the graph
        # (integer Mul/Add/Mod), so the Java side still sends bytes only: the subword units TF-IDF's character
        # n-grams see, which a small byte model otherwise has to learn from scratch (issue 22: 0.75 -> 0.89
        # English validation ROC-AUC in the same budget).
        self.ngram_buckets = ngram_buckets
        if ngram_buckets:
            self.ngram = nn.Embedding(ngram_buckets, d_byte)
            nn.init.normal_(self.ngram.weight, std=0.02)
        # kernel = stride, padding stride - 1 on both sides: window k covers bytes [k*s - s + 1, k*s], so the
        # windows are aligned to the row's start and a row's outputs do not depend on the batch's width
        self.conv = nn.Conv1d(d_byte, d, kernel_size=stride, stride=stride, padding=stride - 1)
        self.register_buffer("ones", torch.ones(1, 1, stride), persistent=False)
        self.blocks = nn.ModuleList([Block(d, heads, ff, dropout) for _ in range(layers)])
        self.ln = nn.LayerNorm(d)
        self.neg = nn.Linear(d, 1)
        self.rate = nn.Linear(d, 5)

    def ngram_ids(self, ids):
        """Bucket of the n-gram ending at each position (earlier positions read as padId 0): a rolling hash
        in base vocab + 1 over the ids, plus an offset per order, mod ngram_buckets (int64 never overflows:
        259^4 < 2^33)."""
        T = ids.shape[1]
        k = max(NGRAM_ORDERS) - 1
        padded = F.pad(ids, (k, 0))
        out = []
        for n in NGRAM_ORDERS:
            h = torch.zeros_like(ids)
            for j in range(n):
                h = h * (self.vocab + 1) + padded[:, k - n + 1 + j: k - n + 1 + j + T]
            out.append(torch.remainder(h + n * 7919, self.ngram_buckets))
        return out

    def logits(self, ids):
        mask = (ids != self.pad_id).to(torch.float32)                     # [B, T]
        pos = self.pos.weight[: ids.shape[1]]                              # [T, d_byte]
        e = self.emb(ids) + pos.unsqueeze(0)
        if self.ngram_buckets:
            for g in self.ngram_ids(ids):
                e = e + self.ngram(g)
        x = e * mask.unsqueeze(-1)
        x = self.conv(x.transpose(1, 2)).transpose(1, 2)                   # [B, P, d]
        m = (F.conv1d(mask.unsqueeze(1), self.ones, stride=self.stride, padding=self.stride - 1) > 0.5)
        m = m.squeeze(1).to(torch.float32)                                 # [B, P] window has a real token
        bias = ((1.0 - m) * -1e4).unsqueeze(1).unsqueeze(1)                # [B, 1, 1, P]
        for b in self.blocks:
            x = b(x, bias)
        x = self.ln(x)
        pooled = (x * m.unsqueeze(-1)).sum(1) / m.sum(1, keepdim=True)
        return self.neg(pooled).squeeze(-1), self.rate(pooled)


class Serving(nn.Module):
    """The exported graph: calibrated probabilities."""

    def __init__(self, enc, t_neg, t_rating):
        super().__init__()
        self.enc = enc
        self.register_buffer("t_neg", torch.tensor(float(t_neg)))
        self.register_buffer("t_rating", torch.tensor(float(t_rating)))
        self.register_buffer("stars", torch.arange(1, 6, dtype=torch.float32))

    def forward(self, input_ids):
        neg, rate = self.enc.logits(input_ids)
        p_negative = torch.sigmoid(neg / self.t_neg)
        rating = (torch.softmax(rate / self.t_rating, dim=-1) * self.stars).sum(-1)
        return p_negative, rating


# ---------------------------------------------------------------- metrics

def roc_auc(y, s):
    from sklearn.metrics import roc_auc_score
    y = np.asarray(y)
    return float(roc_auc_score(y, s)) if 0 < y.sum() < len(y) else None


def macro_f1(y, pred):
    from sklearn.metrics import f1_score
    return float(f1_score(y, pred, average="macro", labels=[0, 1], zero_division=0))


def best_threshold(y, p):
    """Macro-F1-optimal threshold over the distinct validation scores (a grid of 1,000 quantiles)."""
    cands = np.unique(np.quantile(p, np.linspace(0.001, 0.999, 1000)))
    f = [macro_f1(y, (p >= c).astype(int)) for c in cands]
    return float(cands[int(np.argmax(f))])


def ece(y, p, bins=15):
    y, p = np.asarray(y, float), np.asarray(p, float)
    edges = np.linspace(0, 1, bins + 1)
    idx = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    e = 0.0
    for b in range(bins):
        sel = idx == b
        if sel.any():
            e += sel.mean() * abs(p[sel].mean() - y[sel].mean())
    return float(e)


def at_threshold(y, p, thr):
    y = np.asarray(y)
    pred = (np.asarray(p) >= thr).astype(int)
    tp = int(((pred == 1) & (y == 1)).sum())
    fp = int(((pred == 1) & (y == 0)).sum())
    fn = int(((pred == 0) & (y == 1)).sum())
    tn = int(((pred == 0) & (y == 0)).sum())
    return {"n": int(len(y)), "negatives": int(y.sum()), "rocAuc": r4(roc_auc(y, p)), "macroF1": r4(macro_f1(y, pred)),
            "confusion": {"tp": tp, "fp": fp, "fn": fn, "tn": tn,
                          "note": "positive class = negative review; tp = negative review flagged negative"},
            "precisionNegative": r4(tp / max(1, tp + fp)), "recallNegative": r4(tp / max(1, tp + fn))}


def r4(x):
    return None if x is None else round(float(x), 4)


def bootstrap(y, scores, thr, resamples, seed):
    """Percentile 95 % intervals of ROC-AUC and macro-F1 per scorer and of the paired differences
    (first scorer minus each other), resampling test reviews with replacement."""
    rng = np.random.default_rng(seed)
    y = np.asarray(y)
    names = list(scores)
    vals = {n: {"rocAuc": [], "macroF1": []} for n in names}
    for _ in range(resamples):
        i = rng.integers(0, len(y), len(y))
        if not 0 < y[i].sum() < len(i):
            continue
        for n in names:
            s = scores[n][i]
            vals[n]["rocAuc"].append(roc_auc(y[i], s))
            vals[n]["macroF1"].append(macro_f1(y[i], (s >= thr[n]).astype(int)))
    ci = lambda v: [r4(np.percentile(v, 2.5)), r4(np.percentile(v, 97.5))]  # noqa: E731
    out = {n: {k: ci(v) for k, v in vals[n].items()} for n in names}
    for n in names[1:]:
        out[f"{names[0]} - {n}"] = {k: ci(np.array(vals[names[0]][k]) - np.array(vals[n][k])) for k in vals[n]}
    out["resamples"] = resamples
    return out


# ---------------------------------------------------------------- training

def batches(rows, order, max_batch_tokens, batch):
    """Length-bucketed batches (sorted chunks of 50 batches, shuffled), to spend little on padding."""
    out = []
    chunk = batch * 50
    for c in range(0, len(order), chunk):
        part = sorted(order[c:c + chunk], key=lambda i: len(rows[i]))
        i = 0
        while i < len(part):
            width = len(rows[part[min(len(part) - 1, i + batch - 1)]])
            n = max(1, min(batch, max_batch_tokens // max(1, width)))
            out.append(part[i:i + n])
            i += n
    return out


def predict(enc, rows, pad_id, batch=256):
    enc.eval()
    order = np.argsort([len(r) for r in rows], kind="stable")
    neg = np.zeros(len(rows), np.float32)
    rate = np.zeros((len(rows), 5), np.float32)
    with torch.no_grad():
        for s in range(0, len(order), batch):
            idx = order[s:s + batch]
            x = torch.from_numpy(pad_batch([rows[i] for i in idx], pad_id))
            a, b = enc.logits(x)
            neg[idx] = a.numpy()
            rate[idx] = b.numpy()
    return neg, rate


def fit_temperature(nll, lo=0.2, hi=10.0):
    from scipy.optimize import minimize_scalar
    r = minimize_scalar(lambda lt: nll(math.exp(lt)), bounds=(math.log(lo), math.log(hi)), method="bounded")
    return float(math.exp(r.x))


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def softmax(z):
    z = z - z.max(-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(-1, keepdims=True)


def neg_nll(y, z, t):
    p = np.clip(sigmoid(z / t), 1e-7, 1 - 1e-7)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def rating_nll(r, z, t):
    p = np.clip(softmax(z / t), 1e-9, 1)
    return float(-np.mean(np.log(p[np.arange(len(r)), r - 1])))


def train(df, spec, a, log):
    pad = int(spec["padId"])
    rows = [token_ids(t, spec) for t in df.text]
    y = df.neg.to_numpy()
    rating = df.rating.to_numpy()
    lang = df.lang.to_numpy()
    tr = np.where(df.split.to_numpy() == "train")[0]
    va = np.where(df.split.to_numpy() == "validation")[0]
    enc = ReviewEncoder(int(spec["vocabSize"]), int(spec["maxTokens"]), a.d_byte, a.d_model, a.layers, a.heads,
                        a.ff, a.stride, a.dropout, pad, a.ngram_buckets)
    n_params = sum(p.numel() for p in enc.parameters())
    log(f"[review] parameters {n_params:,}; train {len(tr):,} validation {len(va):,}; "
        f"mean tokens {np.mean([len(r) for r in rows]):.1f}")
    opt = torch.optim.AdamW(enc.parameters(), lr=a.lr, weight_decay=0.01)
    rng = np.random.default_rng(a.seed)
    t0 = time.time()
    deadline = t0 + a.max_minutes * 60
    steps_per_epoch = len(batches(rows, list(tr), a.batch_tokens, a.batch))
    total = steps_per_epoch * a.max_epochs
    # warm-up, then cosine decay over whichever ends first: the epochs or the time budget
    progress = lambda s: min(1.0, max(s / total, (time.time() - t0) / (a.max_minutes * 60)))  # noqa: E731
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / 100) * max(0.02, 0.5 * (1 + math.cos(math.pi * progress(s)))))
    best, best_state, best_epoch, history, bad = -1.0, None, 0, [], 0
    yt = torch.from_numpy(y.astype(np.float32))
    rt = torch.from_numpy(np.clip(rating - 1, 0, 4).astype(np.int64))
    is_en = torch.from_numpy((lang == "en").astype(np.float32))
    # language balance: English rows weigh n_zh / n_en in the negative head's loss, so both languages count alike
    n_en, n_zh = int((lang[tr] == "en").sum()), int((lang[tr] == "zh").sum())
    w_lang = 1.0 + is_en * ((n_zh / max(1, n_en) - 1.0) if a.balance_languages else 0.0)
    w_lang = w_lang / float(w_lang[torch.as_tensor(tr)].mean())
    out_of_time = False
    for epoch in range(1, a.max_epochs + 1):
        enc.train()
        order = list(rng.permutation(tr))
        bl = batches(rows, order, a.batch_tokens, a.batch)
        rng.shuffle(bl)
        te = time.time()
        tot, nb = 0.0, 0
        for bi, idx in enumerate(bl):
            x = torch.from_numpy(pad_batch([rows[i] for i in idx], pad))
            neg, rate = enc.logits(x)
            idx_t = torch.as_tensor(idx)
            loss = (F.binary_cross_entropy_with_logits(neg, yt[idx_t], reduction="none") * w_lang[idx_t]).mean()
            w = is_en[idx_t]
            if w.sum() > 0:
                loss = loss + a.rating_weight * (F.cross_entropy(rate, rt[idx_t], reduction="none") * w).sum() / w.sum()
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(enc.parameters(), 1.0)
            opt.step()
            sched.step()
            tot += loss.item()
            nb += 1
            if time.time() > deadline:
                out_of_time = True
                break
            if bi % 100 == 0 and bi:
                log(f"[review]   epoch {epoch} batch {bi}/{len(bl)} loss {tot / nb:.4f} ({time.time() - te:.0f}s)")
        zv, _ = predict(enc, [rows[i] for i in va], pad)
        aucs = {lg: roc_auc(y[va][lang[va] == lg], zv[lang[va] == lg]) for lg in ("en", "zh")}
        score = float(np.mean(list(aucs.values())))
        history.append({"epoch": epoch, "loss": round(tot / max(1, nb), 4), "batches": nb,
                        "validationRocAuc": {k: r4(v) for k, v in aucs.items()}, "seconds": round(time.time() - te, 1)})
        log(f"[review] epoch {epoch}: loss {tot / max(1, nb):.4f}, validation ROC-AUC en {aucs['en']:.4f} "
            f"zh {aucs['zh']:.4f} ({time.time() - te:.0f}s, total {time.time() - t0:.0f}s)")
        if score > best:
            best, best_state, best_epoch, bad = score, copy.deepcopy(enc.state_dict()), epoch, 0
        else:
            bad += 1
        if bad >= a.patience or out_of_time:
            break
    enc.load_state_dict(best_state)
    enc.eval()
    return enc, rows, {"parameters": n_params, "bestEpoch": best_epoch, "epochsRun": len(history),
                       "stoppedBy": "time budget" if out_of_time else ("patience" if bad >= a.patience else "max epochs"),
                       "history": history, "trainSeconds": round(time.time() - t0, 1)}


# ---------------------------------------------------------------- baselines

def tfidf_lr(df, lang, text_col, C, seed):
    """TF-IDF word 1-2 + char n-grams (zh 1-3, en 2-5 within word boundaries) + logistic regression (L2, C fixed:
    a grid over C costs three fits on the shared cores)."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    d = df[df.lang == lang]
    tr, va, te = (d[d.split == s] for s in ("train", "validation", "test"))
    word = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=200_000,
                           token_pattern=r"(?u)\b\w+\b")
    char = TfidfVectorizer(analyzer="char" if lang == "zh" else "char_wb",
                           ngram_range=(1, 3) if lang == "zh" else (2, 5), min_df=2, sublinear_tf=True,
                           max_features=300_000)
    Xtr = hstack([word.fit_transform(tr[text_col]), char.fit_transform(tr[text_col])]).tocsr()
    tf = lambda x: hstack([word.transform(x[text_col]), char.transform(x[text_col])]).tocsr()  # noqa: E731
    Xva, Xte = tf(va), tf(te)
    m = LogisticRegression(C=C, max_iter=2000, solver="liblinear", random_state=seed).fit(Xtr, tr.neg)
    return m.predict_proba(Xva)[:, 1], m.predict_proba(Xte)[:, 1], Xtr.shape[1]


# ---------------------------------------------------------------- goldens

def golden_texts(df, max_tokens):
    te = df[df.split == "test"]
    pick = lambda d, n: list(d.text.iloc[:n])  # noqa: E731
    en, zh = te[te.lang == "en"], te[te.lang == "zh"]
    texts = pick(en[en.neg == 1], 3) + pick(en[en.neg == 0], 3) + pick(zh[zh.neg == 1], 3) + pick(zh[zh.neg == 0], 3)
    # English reviews stop near 500 characters (the set's limit): the longest test review; Chinese: one past the cut
    long_en = en.text.iloc[int(np.argmax(en.text.str.len().to_numpy()))]
    long_zh = zh[zh.text.map(lambda s: len(s.encode())) > max_tokens + 100].text.iloc[0]
    texts += [
        long_en, long_zh,
        "",
        " ",
        "   \n\t  \r\n ",
        "Terrible quality, the seams ripped after one wash. Returning it.",
        "Love it!!! Fits perfectly and the colour is gorgeous.",
        "质量很差，用了两天就坏了，不推荐购买。",
        "物流很快，包装完好，非常满意！",
        "The dress is 漂亮 but the size runs small 太小了",
        "Perfect fit 😍😍👗 will buy again 👍",
        "😡👎💩",
        "ok",
        "NOT GOOD. NOT GOOD AT ALL.",
        "not good",
        "Not good",
        "A" * (max_tokens + 44),
        # a 3-byte character straddles the last byte kept (maxTokens - 1): the row ends with its first byte(s)
        "x" * (max_tokens - 3) + "好" + "more after the cut",
        "好" * (max_tokens // 3 + 20),
        "Price was fine.\n\nBut the zipper broke on day one.\nWould not recommend.",
        "\u00e9t\u00e9 tr\u00e8s d\u00e9\u00e7u, la taille est trop petite",
        "e\u0301te\u0301 (combining accents: other bytes than the precomposed letters)",
    ]
    return texts


def command_line(argv):
    args = argv if argv is not None else sys.argv[1:]
    rel = lambda s: os.path.relpath(s, ROOT) if os.path.isabs(s) else s  # noqa: E731
    return ("nice -n 5 onnx-models/.venv/bin/python onnx-models/training/train_review.py "
            + " ".join(rel(x) for x in args)).strip()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", default=os.path.join(ROOT, "..", "shared", "datasets"))
    ap.add_argument("--spec", default=os.path.join(MODELS, "feature_spec.json"))
    ap.add_argument("--out-dir", default=os.path.join(MODELS, "review"))
    ap.add_argument("--golden", default=os.path.join(MODELS, "golden", "review.json"))
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--max-minutes", type=float, default=16.0, help="training budget (the epoch loop stops there)")
    ap.add_argument("--max-epochs", type=int, default=3)
    ap.add_argument("--patience", type=int, default=2)
    ap.add_argument("--threads", type=int, default=1, help="intra-op threads; 1 is several times faster than 2 on a loaded shared machine")
    ap.add_argument("--d-byte", type=int, default=64)
    ap.add_argument("--d-model", type=int, default=64)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--ff", type=int, default=128)
    ap.add_argument("--stride", type=int, default=8)
    ap.add_argument("--ngram-buckets", type=int, default=16384,
                    help="hashed byte 2/3/4-gram embeddings computed in the graph (0: bytes only, the first model)")
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--batch-tokens", type=int, default=64 * 256)
    ap.add_argument("--rating-weight", type=float, default=0.5)
    ap.add_argument("--bootstrap", type=int, default=300)
    ap.add_argument("--lr-c", type=float, default=4.0, help="the TF-IDF baselines' inverse L2 strength")
    ap.add_argument("--balance-languages", action=argparse.BooleanOptionalAction, default=False,
                    help="weigh English rows n_zh / n_en in the negative head's loss (default: every row 1; balanced scored lower on validation in the same budget, MODEL_CARD)")
    ap.add_argument("--no-baselines", action="store_true")
    ap.add_argument("--checkpoint", default=os.path.join(MODELS, "work", "review.pt"),
                    help="where the trained weights are saved (git-ignored onnx-models/work/)")
    ap.add_argument("--resume", help="skip training: the weights saved by an earlier run (onnx-models/work/review.pt)")
    a = ap.parse_args(argv)
    seed_everything(a.seed)
    torch.set_num_threads(a.threads)
    log = lambda s: print(s, flush=True)  # noqa: E731
    spec = load_spec(a.spec)
    t_start = time.time()
    df, split_info = load_data(a.datasets, a.seed)
    log(f"[review] data {json.dumps(split_info)}")

    ckpt = a.checkpoint
    if a.resume:
        saved = torch.load(a.resume, weights_only=False)
        enc = ReviewEncoder(**saved["shape"])
        enc.load_state_dict(saved["state"])
        enc.eval()
        rows, training = [token_ids(t, spec) for t in df.text], saved["training"]
        hyper = saved.get("hyper") or {"command": "(weights saved before the trainer recorded its command)"}
        log(f"[review] resumed the trained weights from {a.resume}")
    else:
        enc, rows, training = train(df, spec, a, log)
        hyper = {k: v for k, v in vars(a).items() if k not in ("datasets", "spec", "out_dir", "golden", "checkpoint", "resume")}
        hyper["command"] = command_line(argv)
        os.makedirs(os.path.dirname(ckpt), exist_ok=True)
        torch.save({"state": enc.state_dict(), "training": training, "shape": enc.shape, "hyper": hyper}, ckpt)
    pad = int(spec["padId"])
    y, lang, split = df.neg.to_numpy(), df.lang.to_numpy(), df.split.to_numpy()
    va, te = np.where(split == "validation")[0], np.where(split == "test")[0]
    zv, rv = predict(enc, [rows[i] for i in va], pad)
    zt, rt = predict(enc, [rows[i] for i in te], pad)
    t_neg = fit_temperature(lambda t: neg_nll(y[va], zv, t))
    env = lang[va] == "en"
    t_rat = fit_temperature(lambda t: rating_nll(df.rating.to_numpy()[va][env], rv[env], t))
    pv, pt = sigmoid(zv / t_neg), sigmoid(zt / t_neg)
    thr = best_threshold(y[va], pv)
    stars = np.arange(1, 6)
    exp_rating_t = (softmax(rt / t_rat) * stars).sum(-1)
    log(f"[review] temperatures neg {t_neg:.3f} rating {t_rat:.3f}; threshold {thr:.4f}")

    calib = {"temperatureNegative": round(t_neg, 4), "temperatureRating": round(t_rat, 4),
             "ece": {"bins": 15, "note": "expected calibration error of p_negative, 15 equal-width bins; "
                                         "before = temperature 1"}}
    for nm, idx, z in (("validation", va, zv), ("test", te, zt)):
        for lg in ("en", "zh", "all"):
            sel = np.ones(len(idx), bool) if lg == "all" else lang[idx] == lg
            calib["ece"][f"{nm}.{lg}"] = {"before": r4(ece(y[idx][sel], sigmoid(z[sel]))),
                                          "after": r4(ece(y[idx][sel], sigmoid(z[sel] / t_neg)))}

    # ---- metrics and baselines on test
    dte = df.iloc[te].reset_index(drop=True)
    scores = {"transformer": pt}
    thresholds = {"transformer": thr}
    baselines = {}

    def evaluate():
        def report(sel_fn):
            out = {}
            for nm, s in scores.items():
                v = s[sel_fn.to_numpy()]
                if not np.isnan(v).any():
                    out[nm] = at_threshold(dte.neg[sel_fn].to_numpy(), v, thresholds[nm])
            return out

        metrics = {"threshold": r4(thr), "test": {}, "validation": {}, "perCategory": {}}
        for lg in ("en", "zh"):
            metrics["test"][lg] = report(dte.lang == lg)
            yv = y[va][lang[va] == lg]
            metrics["validation"][lg] = at_threshold(yv, pv[lang[va] == lg], thr)
        metrics["test"]["all"] = report(dte.lang == dte.lang)  # scorers of both languages only
        for lg, col in (("en", "dept"), ("en", "cls"), ("zh", "cat")):
            key = {"dept": "en.departmentName", "cls": "en.className", "cat": "zh.cat"}[col]
            metrics["perCategory"][key] = {}
            d = dte[dte.lang == lg]
            for c, n in d[col].value_counts().items():
                sel = (dte.lang == lg) & (dte[col] == c)
                if n < 30:
                    metrics["perCategory"][key][c] = {"n": int(n), "note": "fewer than 30 test reviews: not reported"}
                    continue
                metrics["perCategory"][key][c] = {nm: {k: v for k, v in m.items() if k in ("n", "negatives", "rocAuc", "macroF1")}
                                                 for nm, m in report(sel).items()}
        metrics["bootstrap95"] = {}
        for lg in ("en", "zh"):
            sel = (dte.lang == lg).to_numpy()
            metrics["bootstrap95"][lg] = bootstrap(dte.neg.to_numpy()[sel], {k: v[sel] for k, v in scores.items()
                                                                             if not np.isnan(v[sel]).any()},
                                                   thresholds, a.bootstrap, a.seed)
        # rating head (English) and the text against the stars
        en_t = (dte.lang == "en").to_numpy()
        stars_t = dte.rating.to_numpy()[en_t]
        metrics["rating"] = {"en": {"mae": r4(np.mean(np.abs(exp_rating_t[en_t] - stars_t))),
                                    "rmse": r4(np.sqrt(np.mean((exp_rating_t[en_t] - stars_t) ** 2))),
                                    "maeMeanRatingBaseline": r4(np.mean(np.abs(
                                        df.rating[(df.split == "train") & (df.lang == "en")].mean() - stars_t))),
                                    "spearman": r4(pd.Series(exp_rating_t[en_t]).corr(pd.Series(stars_t), method="spearman"))},
                             "zh": {"meanRatingNegative": r4(exp_rating_t[~en_t][dte.neg.to_numpy()[~en_t] == 1].mean()),
                                    "meanRatingPositive": r4(exp_rating_t[~en_t][dte.neg.to_numpy()[~en_t] == 0].mean()),
                                    "note": "no stars in the Chinese set: the rating head never saw Chinese labels"}}
        disagree = {}
        for nm, s in scores.items():
            flagged = s[en_t] >= thresholds[nm]
            hi, lo, mid = stars_t >= 4, stars_t <= 2, stars_t == 3
            disagree[nm] = {"highStars": int(hi.sum()), "highStarsCalledNegative": int((flagged & hi).sum()),
                            "shareHighStarsCalledNegative": r4((flagged & hi).sum() / max(1, hi.sum())),
                            "lowStars": int(lo.sum()), "lowStarsCalledPositive": int((~flagged & lo).sum()),
                            "shareLowStarsCalledPositive": r4((~flagged & lo).sum() / max(1, lo.sum())),
                            "threeStars": int(mid.sum()), "threeStarsCalledNegative": int((flagged & mid).sum())}
        metrics["textVersusStars"] = disagree
        log("[review] test " + json.dumps({lg: {k: {"rocAuc": v["rocAuc"], "macroF1": v["macroF1"]}
                                                for k, v in metrics["test"][lg].items()} for lg in ("en", "zh")}))
        return metrics

    metrics = evaluate()
    # ---- export
    os.makedirs(a.out_dir, exist_ok=True)
    onnx_path = os.path.join(a.out_dir, "review.onnx")
    serving = Serving(enc, t_neg, t_rat).eval()
    ex = torch.from_numpy(pad_batch([rows[i] for i in te[:3]], pad))
    torch.onnx.export(serving, (ex,), onnx_path, opset_version=OPSET, input_names=["input_ids"],
                      output_names=["p_negative", "rating"], dynamo=False, do_constant_folding=True,
                      dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "p_negative": {0: "batch"},
                                    "rating": {0: "batch"}})
    inputs, outputs = onnx_io(onnx_path)
    inputs[0].update({"window": int(spec["maxTokens"]), "padValue": pad, "rightPadded": True})

    texts = golden_texts(df, int(spec["maxTokens"]))
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    sess = ort.InferenceSession(onnx_path, so, providers=["CPUExecutionProvider"])
    max_diff, widths = 0.0, set()
    rng = np.random.default_rng(a.seed)
    by_len = te[np.argsort([len(rows[i]) for i in te], kind="stable")]
    checks = [list(range(len(texts)))] + [list(rng.choice(te, 48, replace=False)) for _ in range(3)] + [
        list(by_len[int(q * (len(by_len) - 48)):][:48]) for q in (0.0, 0.1, 0.3, 0.5)]
    # ORT against PyTorch: the golden texts in one padded batch, and random test batches of 48
    for k, c in enumerate(checks):
        rws = [token_ids(texts[i], spec) for i in c] if k == 0 else [rows[i] for i in c]
        x = pad_batch(rws, pad)
        widths.add(x.shape[1])
        with torch.no_grad():
            tp, tr_ = serving(torch.from_numpy(x))
        op, orr = sess.run(None, {"input_ids": x})
        max_diff = max(max_diff, float(np.abs(op - tp.numpy()).max()), float(np.abs(orr - tr_.numpy()).max()))
    # padding invariance: each golden text alone vs in the padded batch
    x_all = pad_batch([token_ids(t, spec) for t in texts], pad)
    op_all, or_all = sess.run(None, {"input_ids": x_all})
    cases, pad_diff = [], 0.0
    for i, t in enumerate(texts):
        ids = token_ids(t, spec)
        with torch.no_grad():
            p1, r1 = serving(torch.tensor([ids]))
        pad_diff = max(pad_diff, abs(float(p1[0]) - float(op_all[i])), abs(float(r1[0]) - float(or_all[i])))
        cases.append({"text": t, "utf8Bytes": len(t.encode("utf-8")), "inputs": {"input_ids": {
            "shape": [1, len(ids)], "dtype": "int64", "data": ids}},
            "outputs": {"p_negative": {"shape": [1], "dtype": "float32", "data": [float(p1[0])]},
                        "rating": {"shape": [1], "dtype": "float32", "data": [float(r1[0])]}}})
    log(f"[review] ORT vs PyTorch max abs diff {max_diff:.2e} over widths {sorted(widths)}; "
        f"alone vs padded batch {pad_diff:.2e}")
    if max_diff > 1e-5 or pad_diff > 1e-5:
        raise SystemExit(f"export check failed: ORT vs torch {max_diff}, padding {pad_diff}")
    with torch.no_grad():
        bp, br = serving(torch.from_numpy(x_all))
    write_json(a.golden, {
        "model": "review", "featureSpecVersion": FEATURE_SPEC_VERSION, "tolerance": 1e-5,
        "note": "cases: each text alone (PyTorch outputs); batch: every case's text in one batch right-padded "
                "to the longest, in case order (PyTorch outputs): a row's outputs do not depend on the padding",
        "cases": cases,
        "batch": {"inputs": {"input_ids": {"shape": list(x_all.shape), "dtype": "int64",
                                           "data": [int(v) for v in x_all.reshape(-1)]}},
                  "outputs": {"p_negative": {"shape": [len(texts)], "dtype": "float32", "data": [float(v) for v in bp]},
                              "rating": {"shape": [len(texts)], "dtype": "float32", "data": [float(v) for v in br]}}}})

    def write_part(metrics, baselines):
        write_json(os.path.join(a.out_dir, "manifest.part.json"), part(metrics, baselines))

    rel = lambda s: os.path.relpath(s, ROOT) if os.path.isabs(s) else s  # noqa: E731
    part = lambda metrics, baselines: {  # noqa: E731
        "name": "review", "file": "review/review.onnx", "sha256": sha256_file(onnx_path),
        "bytes": os.path.getsize(onnx_path), "opset": OPSET, "inputs": inputs, "outputs": outputs,
        "featureSpecVersion": FEATURE_SPEC_VERSION, "featureSpecSection": "review",
        "encoder": "com.shopsense.features.ReviewTokenizer", "golden": "golden/review.json",
        "kind": (f"byte-level Transformer encoder: byte embedding {a.d_byte} + learned positions"
                 + (f" + hashed byte {'/'.join(map(str, NGRAM_ORDERS))}-gram embeddings ({a.ngram_buckets} buckets, "
                    "computed from the ids in the graph)" if a.ngram_buckets else "") + " -> conv "
                 f"(kernel = stride {a.stride}) -> {a.layers} pre-LN blocks d {a.d_model}, {a.heads} heads, ff {a.ff} "
                 "-> mean over unmasked positions -> p_negative = sigmoid(logit / T), rating = sum k softmax(logits / T)_k"),
        "label": "negative = rating <= 2 (English) or label 0 (Chinese); rating head trained on English stars only",
        "thresholds": {"negative": round(thr, 6)},
        "thresholdRule": "a review is negative when p_negative >= negative; macro-F1-optimal on the pooled "
                         "validation set of both languages (calibrated probabilities)",
        "trainingData": CITATION, "split": {"rule": "English grouped by Clothing ID (products shuffled with the seed, "
                                                    "cut at 70 % / 85 % of the reviews); Chinese stratified by cat x label "
                                                    "(70 / 15 / 15); exact duplicate texts dropped within each set first",
                                            "seed": a.seed, **split_info},
        "calibration": calib, "metrics": metrics, "baselines": baselines,
        "training": {k: v for k, v in hyper.items() if k != "command"} | training,
        "command": hyper["command"], **({"exportCommand": command_line(argv)} if a.resume else {}), "python": {"torch": torch.__version__, "onnxruntime": ort.__version__},
        "trainSeconds": training["trainSeconds"], "wallSeconds": round(time.time() - t_start, 1),
        "exportCheck": {"ortVsTorchMaxAbsDiff": float(f"{max_diff:.3g}"), "widths": sorted(widths),
                        "aloneVsPaddedMaxAbsDiff": float(f"{pad_diff:.3g}"), "tolerance": 1e-5},
        "vocabularies": []}
    write_part(metrics, baselines)
    log(f"[review] wrote {rel(onnx_path)} ({os.path.getsize(onnx_path):,} bytes), {rel(a.golden)}, the manifest part "
        f"(without baselines yet); {time.time() - t_start:.0f}s")
    if a.no_baselines:
        return
    # the baselines depend only on the split: their scores are cached beside the checkpoint, keyed by it
    import hashlib
    split_key = hashlib.sha256("".join(split).encode() + str(a.lr_c).encode()
                               + str(spec["maxTokens"]).encode()).hexdigest()[:16]
    cache = os.path.join(os.path.dirname(a.checkpoint), f"review-baselines-{split_key}.npz")
    df["text255"] = [bytes(t.encode("utf-8")[: int(spec["maxTokens"]) - 1]).decode("utf-8", "ignore") for t in df.text]
    cached = dict(np.load(cache, allow_pickle=True)) if os.path.exists(cache) else {}
    for col, nm, langs in (("text255", "tfidfLr", ("en", "zh")), ("text", "tfidfLrFullText", ("en",))):
        if nm + ".test" in cached:
            pv_lr, pt_lr, info = cached[nm + ".validation"], cached[nm + ".test"], cached[nm + ".info"].item()
            log(f"[review] baseline {nm}: cached in {rel(cache)}")
        else:
            pv_lr, pt_lr = np.full(len(va), np.nan), np.full(len(te), np.nan)
            info = {}
            for lg in langs:
                t1 = time.time()
                v, t, nfeat = tfidf_lr(df, lg, col, a.lr_c, a.seed)
                pv_lr[lang[va] == lg] = v
                pt_lr[lang[te] == lg] = t
                info[lg] = {"C": a.lr_c, "features": int(nfeat), "seconds": round(time.time() - t1, 1)}
                log(f"[review] baseline {nm} {lg}: {nfeat:,} features ({time.time() - t1:.0f}s)")
            cached.update({nm + ".validation": pv_lr, nm + ".test": pt_lr, nm + ".info": np.array(info, dtype=object)})
            np.savez(cache, **cached)
        known = ~np.isnan(pv_lr)
        thresholds[nm] = best_threshold(y[va][known], pv_lr[known])
        scores[nm] = pt_lr
        baselines[nm] = {"fit": info, "threshold": r4(thresholds[nm]), "languages": list(langs),
                         "input": ("the model's input: the first maxTokens - 1 bytes of the text" if col == "text255"
                                   else "the whole text (the model reads only the first maxTokens - 1 bytes); "
                                        "English only, where most reviews are longer than that")}

    metrics = evaluate()
    write_part(metrics, baselines)

    log(f"[review] wrote {rel(onnx_path)} ({os.path.getsize(onnx_path):,} bytes), {rel(a.golden)}; "
        f"wall {time.time() - t_start:.0f}s")


if __name__ == "__main__":
    main()
