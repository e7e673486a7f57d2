"""Scores a SHIPPED model on a store's own events, without retraining, next to baselines fitted on the same events.

  PY=$(onnx-models/training/setup-venv.sh)
  "$PY" onnx-models/training/score_model.py recommend --model-dir onnx-models --events my-shop.jsonl \
      --session-gap-minutes 30
  "$PY" onnx-models/training/score_model.py intent --model-dir onnx-models --events my-shop.jsonl [...]
  "$PY" onnx-models/training/score_model.py churn --model-dir onnx-models --events my-orders.jsonl [...]

The events are the pipeline's event JSON (docs/event-contract.md), one object per line. The model runs in ONNX
Runtime exactly as exported (the .onnx file and vocabulary named by the model directory's manifest, their sha256
checked). Time split: sessions are ordered by their first event; the earlier part (sessions ending at or before
the cut) fits the baselines, the later part (sessions starting after it) is scored by the model and the
baselines; a session across the cut is in neither. The cut: --test-days D (the last D days) or --test-frac F (the
cut is the start of the first of the last F of sessions; default 0.5). The model never trains here, so the earlier
part only serves the baselines. 95% intervals: bootstrap over the scored sessions, of each metric and of model
minus baseline.

recommend: every prefix of every later session predicts its next item (item events of the spec's itemEvents);
Recall@K and MRR@K over the predictions whose next item is in the model's vocabulary, HitRate@K and MRR@K over all
next item events (one outside the vocabulary is a miss for every ranker), for the model, popularity and SKNN
(train_recommend.Baselines: the session-rec definitions, ranking the model's vocabulary, ties pessimistic).
intent, churn: the trainers' own score_shipped(argv) (train_intent.py, train_churn.py) with the remaining args.
Exit status: 0 scored, 1 bad input, 2 the model's scorer is not available.
"""
import argparse
import importlib
import json
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import common  # noqa: E402

DELEGATED = {"intent": "train_intent", "churn": "train_churn"}


# ---------------------------------------------------------------- the model directory
def recommend_files(model_dir):
    """-> (onnx path, vocabulary path, manifest entry, feature spec section) of the recommender in model_dir: a
    models directory (manifest.json naming `recommend`, e.g. onnx-models or onnx-models/demo-taobao) or the model's
    own folder (manifest.part.json beside recommend.onnx). The file hashes must match the manifest."""
    top = os.path.join(model_dir, "manifest.json")
    part_path = os.path.join(model_dir, "manifest.part.json")
    if os.path.isfile(top):
        with open(top, encoding="utf-8") as f:
            models = json.load(f).get("models", {})
        if "recommend" not in models:
            raise SystemExit(f"{top} has no recommend model")
        part, base = models["recommend"], model_dir
    elif os.path.isfile(part_path):
        with open(part_path, encoding="utf-8") as f:
            part = json.load(f)
        base = os.path.dirname(os.path.abspath(model_dir))  # file names in a part are relative to the models dir
    else:
        raise SystemExit(f"{model_dir}: neither manifest.json nor manifest.part.json")
    onnx_path = os.path.join(base, part["file"])
    vocab_path = os.path.join(base, part["vocabularies"][0]["file"])
    for path, want in [(onnx_path, part["sha256"]), (vocab_path, part["vocabularies"][0]["sha256"])]:
        if not os.path.isfile(path):
            raise SystemExit(f"{path} (named by the manifest) does not exist")
        if common.sha256_file(path) != want:
            raise SystemExit(f"{path}: sha256 differs from the manifest's (a vocabulary or model from another run?)")
    spec_path = next((p for p in [os.path.join(base, "feature_spec.json"),
                                  os.path.join(os.path.dirname(HERE), "feature_spec.json")] if os.path.isfile(p)))
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)["recommend"]
    return onnx_path, vocab_path, part, spec


def split(sessions, test_days=None, test_frac=0.5):
    """-> (earlier, later, cut ms) by the module doc's rule."""
    if not sessions:
        raise SystemExit("no item event in --events")
    if test_days is not None:
        cut = max(s[2] for s in sessions) - int(test_days * 86_400_000)
        flag = f"--test-days {test_days:g}"
    else:
        if not 0 < test_frac < 1:
            raise SystemExit(f"--test-frac {test_frac:g}: must be between 0 and 1")
        starts = sorted(s[1] for s in sessions)
        cut = starts[min(len(starts) - 1, int(len(starts) * (1 - test_frac)))] - 1
        flag = f"--test-frac {test_frac:g}"
    early = [s for s in sessions if s[2] <= cut]
    late = [s for s in sessions if s[1] > cut]
    if not early or not late:
        raise SystemExit(f"{flag} leaves {len(early)} earlier / {len(late)} later sessions (cut {common.iso(cut)}): "
                         "the baselines need the earlier part and the scores the later one; change the flag")
    return early, late, cut


def ort_ranks(onnx_path, X, y, K, bs=256):
    """The target's rank in the model's top-K (pessimistic among equal scores), K + 1 when it is not there. X: the
    left-padded windows; each batch is trimmed of its common leading padding, as the Java batcher sends it."""
    import onnxruntime as ort
    import train_recommend as tr
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    sess = ort.InferenceSession(onnx_path, so, providers=["CPUExecutionProvider"])
    out = []
    for i in range(0, len(y), bs):
        ids, sc = sess.run(["topk_ids", "topk_scores"], {"items": tr.trim_left_padding(X[i:i + bs])})
        hit = ids == y[i:i + bs, None]
        at = np.where(hit.any(1), hit.argmax(1), 0)
        target = sc[np.arange(len(at)), at]
        r = (sc >= target[:, None]).sum(1)
        out.append(np.where(hit.any(1), r, K + 1))
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


def score_recommend(argv):
    ap = argparse.ArgumentParser(prog="score_model.py recommend", description="the shipped recommender on your events")
    ap.add_argument("--model-dir", required=True, help="models directory (manifest.json) or the recommend/ folder")
    ap.add_argument("--events", required=True, help="event JSON lines")
    ap.add_argument("--session-gap-minutes", type=float, default=30,
                    help="sessions: the event's sessionId where present, else each user's events cut at this gap "
                         "(default 30, the job's; 0: userId is a session id)")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--test-days", type=float, help="score the sessions starting in the last D days")
    g.add_argument("--test-frac", type=float, default=0.5, help="score the last F of sessions (default %(default)s)")
    ap.add_argument("--sknn-k", type=int, default=100, help="SKNN neighbours (session-rec default %(default)s)")
    ap.add_argument("--bootstrap", type=int, default=500, help="resamples of the scored sessions")
    ap.add_argument("--seed", type=int, default=11, help="bootstrap seed")
    ap.add_argument("--json", help="also write the results here")
    a = ap.parse_args(argv)
    import train_recommend as tr
    t0 = time.time()
    onnx_path, vocab_path, part, spec = recommend_files(a.model_dir)
    K, N = int(part["topK"]), int(spec["windowSize"])
    with open(vocab_path, encoding="utf-8") as f:
        vocab = f.read().split("\n")[:-1]
    index = {it: i for i, it in enumerate(vocab)}
    sessions = tr.load_sessions(a.events, set(spec["itemEvents"]), a.session_gap_minutes)
    early, late, cut = split(sessions, a.test_days, None if a.test_days is not None else a.test_frac)
    # as the trainer: the cut from every session, then only sessions with a next item count
    early, late = [s for s in early if len(s[3]) >= 2], [s for s in late if len(s[3]) >= 2]
    if not early or not late:
        raise SystemExit(f"{len(early)} earlier / {len(late)} later sessions with 2 or more item events: need both")
    X, y, _ = tr.prefixes(late, index, N)
    all_next = int(sum(len(s[3]) - 1 for s in late))
    print(f"model {os.path.relpath(onnx_path)} ({len(vocab) - 2} items, top {K}); events {a.events}: "
          f"{len(sessions)} sessions; baselines fitted on {len(early)} ending by {common.iso(cut)}, scored on "
          f"{len(late)} starting after it: {all_next} next item events, {len(y)} in the model's vocabulary")
    if len(y) == 0:
        raise SystemExit("no next item of the later sessions is in the model's vocabulary: nothing to rank "
                         "(the shipped vocabulary is another shop's items?)")
    b = tr.Baselines(early, index, len(vocab))
    rk = {"model": ort_ranks(onnx_path, X, y, K)}
    for name, fn in [("popularity", b.popularity(X)), (f"sknn(k={a.sknn_k})", b.sknn(X, tr.full_prefixes(late, index), k=a.sknn_k))]:
        got = []
        tr.rank_metrics(fn, X, y, K, rank_out=got)
        rk[name] = got[0]
    in_vocab = {n: {f"recall@{K}": round(float((r <= K).mean()), 4),
                    f"mrr@{K}": round(float(np.where(r <= K, 1.0 / r, 0.0).mean()), 4)} for n, r in rk.items()}
    boot = tr.bootstrap(rk, tr.prefix_sessions(late, index), np.array([len(s[3]) - 1 for s in late]), K,
                        rounds=a.bootstrap, seed=a.seed)
    boot["inVocabulary"] = round(len(y) / all_next, 4)
    print(f"in-vocabulary predictions ({len(y)}): " + "; ".join(
        f"{n} Recall@{K} {m[f'recall@{K}']:.4f} MRR@{K} {m[f'mrr@{K}']:.4f}" for n, m in in_vocab.items()))
    print(tr.report_table(boot, K))
    result = {"model": "recommend", "onnx": os.path.relpath(onnx_path), "sha256": part["sha256"],
              "events": a.events, "cut": common.iso(cut), "fitSessions": len(early), "scoredSessions": len(late),
              "split": "baselines fitted on sessions ending at or before the cut, everything scored on sessions "
                       "starting after it", "inVocabularyPredictions": in_vocab, "allNextItems": boot,
              "baselineDefinitions": tr.BASELINE_DEFINITIONS, "seconds": round(time.time() - t0, 1)}
    if a.json:
        common.write_json(a.json, result)
    return 0


def delegate(model, argv):
    """intent and churn: their trainer's score_shipped(argv) -> exit status; 2 when it does not exist (yet)."""
    try:
        fn = getattr(importlib.import_module(DELEGATED[model]), "score_shipped")
    except (ImportError, AttributeError) as e:
        print(f"score_model.py {model}: not available yet ({DELEGATED[model]}.score_shipped: {e})", file=sys.stderr)
        return 2
    return int(fn(list(argv)) or 0)


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    models = ["recommend"] + sorted(DELEGATED)
    if not argv or argv[0] not in models:
        print(__doc__, file=sys.stderr)
        print(f"usage: score_model.py {{{','.join(models)}}} --model-dir DIR --events FILE.jsonl [...]", file=sys.stderr)
        return 1
    if argv[0] == "recommend":
        return score_recommend(argv[1:])
    return delegate(argv[0], argv[1:])


if __name__ == "__main__":
    sys.exit(main())
