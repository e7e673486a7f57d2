"""Re-export the recommender's ONNX graph from the weights inside an existing recommend.onnx, without
retraining (the trainer keeps no checkpoint: the ONNX file is the only copy of the weights).

What it does, in order (any failed check stops it with a non-zero exit and writes nothing):
 1. reads every weight of the source graph back into train_recommend.SASRec (initializers named
    m.*, and the transposed MatMul weights found by their node names /blocks.<i>/<layer>/MatMul, or
    /<layer>/MatMul and the q and k/v projections of /ln1 for the final block of a last-query graph; the head's
    MatMul must equal the tied item embeddings, all of them or all but pad and unknown);
 2. rebuilds the vocabulary from the training file and requires it to equal recommend/items.txt;
 3. scores the manifest's test protocol (every prefix of every test session, full ranking) with the
    PyTorch full path and requires metrics.test of recommend/manifest.part.json to the 4 decimals
    stored there, i.e. the weights were read back right; then scores the serving path too;
 4. with onnxruntime importable (optional): runs the source graph on every test window and requires
    the rebuilt module's top-20 scores within 1e-4 of it (the source's scores: logits, or probabilities at the
    manifest's temperature when its TopK reads a Softmax);
 5. exports with train_recommend.export_onnx (--export-graph, default last-query; items [batch, L], L
    dynamic: the last L columns of the 20-window), rewrites golden/recommend.json with
    train_recommend.write_golden, checks the new graph against the source graph in onnxruntime (when
    importable: scores within 1e-4, Recall/MRR@20 from the graphs' own top 20; for a probability source at the
    same temperature also identical top-20 lists but for exact ties and probabilities within 1e-5 relative) and
    windows trimmed of their leading padding against the full windows (check_trimmed: same ids, scores
    within 1e-5), updates sha256/bytes/io (with the window attributes)/servingGraph in
    recommend/manifest.part.json (training fields untouched) and merges onnx-models/manifest.json.

Since issue 18 the graph ends in a softmax with a temperature before TopK (topk_scores are probabilities, see
train_recommend.SCORES_MEANING): the temperature is fitted on the test sessions of the first half of the test day
and the calibration reported on the second half (calibrate(); --temperature T skips the fit; --keep-temperature
keeps the manifest's temperature and calibration, so the new graph serves the same probabilities as the old one).
The source may be a logits graph (e.g. the full graph from git history below) or a probability graph of the same
manifest (its shipped graph, or the one its servingGraph.weightsSha256 names).

  PY=$(onnx-models/training/setup-venv.sh)
  "$PY" onnx-models/training/reexport_recommend.py                 # last-query serving graph
  "$PY" onnx-models/training/reexport_recommend.py --export-graph full
  "$PY" onnx-models/training/reexport_recommend.py --check-only    # steps 1-4, writes nothing

The shipped YooChoose weights are re-exported from the full logits graph in git history (its sha256 is
servingGraph.weightsSha256 in recommend/manifest.part.json), keeping the shipped temperature:
  git show ae41f97:onnx-models/recommend/recommend.onnx > /tmp/recommend-full.onnx
  "$PY" onnx-models/training/reexport_recommend.py --source /tmp/recommend-full.onnx --keep-temperature
The demo shop's model (trained as a last-query probability graph, no full graph exists) from its own file,
its models directory's manifest written instead of merging onnx-models/manifest.json:
  "$PY" onnx-models/training/reexport_recommend.py --source onnx-models/demo-taobao/recommend/recommend.onnx \
      --keep-temperature --train-events onnx-models/work/events/taobao_demo_train.jsonl \
      --test-events onnx-models/work/events/taobao_demo_test.jsonl --session-gap-minutes 30 \
      --spec onnx-models/demo-taobao/feature_spec.json --out-dir onnx-models/demo-taobao/recommend \
      --golden onnx-models/demo-taobao/golden/recommend.json --manifest onnx-models/demo-taobao/manifest.json
(events: convert/yoochoose.py and convert/taobao_demo.py, --out onnx-models/work/events.)

A retrain (train_recommend.py) exports the same serving graph directly; this script is for changing
the graph of the weights already shipped.
"""
import argparse
import json
import os
import shutil
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
import train_all  # noqa: E402
import train_recommend as tr  # noqa: E402

ROOT = tr.ROOT
LINEARS = {"qkv": "qkv", "o": "o", "ff.0": "ff/ff.0", "ff.3": "ff/ff.3"}  # state-dict name -> ONNX node scope


def last_query_graph(onnx_path, layers):
    """True for a last-query graph: no MatMul named /blocks.<layers-1>/qkv/MatMul (its final block runs outside
    the block's scope, Block.forward_last)."""
    return not any(n.name == f"/blocks.{layers - 1}/qkv/MatMul" for n in onnx.load(onnx_path).graph.node)


def last_qkv(m, init, onnx_path):
    """The final block's qkv weight [3d, d] and bias [3d] of a last-query graph whose export folded the q and k/v
    slices into initializers: the MatMul on the last position of that block's ln1 output (a Slice of it) is q, the
    one on all of it k/v, each followed by an Add of its bias."""
    nodes = list(m.graph.node)
    ln = next((n.output[0] for n in nodes if n.name == "/ln1/LayerNormalization"), None)
    mm = [n for n in nodes if n.op_type == "MatMul" and n.input[1] in init]
    kv = [n for n in mm if n.input[0] == ln]
    sliced = {o for n in nodes if n.op_type == "Slice" and n.input[0] == ln for o in n.output}
    q = [n for n in mm if n.input[0] in sliced]

    def bias(n):
        return [init[i] for a in nodes if a.op_type == "Add" and n.output[0] in a.input for i in a.input if i in init]
    if len(q) != 1 or len(kv) != 1 or len(bias(q[0])) != 1 or len(bias(kv[0])) != 1:
        raise SystemExit(f"{onnx_path}: no q and k/v MatMul with bias on the final block's /ln1/LayerNormalization")
    return (np.concatenate([init[q[0].input[1]].T, init[kv[0].input[1]].T]),
            np.concatenate([bias(q[0])[0], bias(kv[0])[0]]))


def load_weights(onnx_path, spec):
    """-> SASRec in eval mode holding the source graph's weights. A full graph names every block's MatMuls
    /blocks.<i>/<layer>/MatMul; a last-query graph names its final block's MatMuls /<layer>/MatMul (forward_last runs
    outside the block's scope) and holds that block's qkv weight whole (m.blocks.<i>.qkv.weight, sliced at run
    time: graphs before issue 21) or as q and k/v parts (last_qkv). The head is the MatMul onto the item
    embeddings: all of them (the heads before issue 21) or all but pad and unknown (Exported's probability head)."""
    m = onnx.load(onnx_path)
    init = {i.name: numpy_helper.to_array(i) for i in m.graph.initializer}
    n_items, d = init["m.item.weight"].shape
    N = init["m.pos.weight"].shape[0]
    layers = len([k for k in init if k.startswith("m.blocks.") and k.endswith(".ln1.weight")])
    if (N, d, layers) != (spec["windowSize"], spec["embeddingDim"], spec["layers"]):
        raise SystemExit(f"{onnx_path}: window {N}, d {d}, {layers} layers do not match the spec section")
    state = {k[2:]: v for k, v in init.items() if k.startswith("m.")}
    by_node = {n.name: n for n in m.graph.node if n.op_type == "MatMul"}
    last = layers - 1
    last_query = last_query_graph(onnx_path, layers)
    if last_query and f"blocks.{last}.qkv.weight" not in state:  # sliced at export: q and k/v weights of their own
        state[f"blocks.{last}.qkv.weight"], state[f"blocks.{last}.qkv.bias"] = last_qkv(m, init, onnx_path)
    for i in range(layers):
        for lin, scope in LINEARS.items():
            if i == last and last_query:
                if lin == "qkv":
                    continue  # in state already, untransposed
                node = by_node.get(f"/{scope}/MatMul")
            else:
                node = by_node.get(f"/blocks.{i}/{scope}/MatMul")
            if node is None or node.input[1] not in init:
                raise SystemExit(f"{onnx_path}: no MatMul weight for blocks.{i}.{lin}")
            state[f"blocks.{i}.{lin}.weight"] = init[node.input[1]].T
    E = init["m.item.weight"]
    heads = [w for w in (init[n.input[1]].T for n in by_node.values() if n.input[1] in init)
             if w.shape in ((n_items, d), (n_items - 2, d)) and np.array_equal(w, E[n_items - len(w):])]
    if len(heads) != 1:
        raise SystemExit(f"{onnx_path}: the head's MatMul weight is not the item embedding table (untied?)")
    model = tr.SASRec(n_items, N, d, layers, spec["heads"], 0.0)
    sd = model.state_dict()
    if set(sd) != set(state):
        raise SystemExit(f"{onnx_path}: weights {sorted(set(sd) ^ set(state))} missing or unexpected")
    model.load_state_dict({k: torch.from_numpy(np.array(v)).to(sd[k].dtype) for k, v in state.items()})
    return model.eval()


def ort_topk(path, X, bs=512):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    s = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    ids, sc = [], []
    for i in range(0, len(X), bs):
        a, b = s.run(["topk_ids", "topk_scores"], {"items": X[i:i + bs]})
        ids.append(a)
        sc.append(b)
    return np.concatenate(ids), np.concatenate(sc)


def check_trimmed(path, X, y, K, seed=tr.SEED, tol=1e-5):
    """The dynamic-window graph on windows trimmed of their leading padding columns (as the Java batcher sends
    them) vs the same graph on the full windows: every test window alone (trimmed to its own length) and the
    windows shuffled into batches of 2..32 (each trimmed to the longest real row of its batch). Requires the
    same top-K ids and scores within tol; returns a summary for the manifest."""
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    s = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    full_ids, full_sc = ort_topk(path, X)
    rng = np.random.RandomState(seed)
    order = rng.permutation(len(X))
    batches = [order[i:i + 1] for i in range(len(X))]
    i = 0
    while i < len(order):
        b = int(rng.randint(2, 33))
        batches.append(order[i:i + b])
        i += b
    worst, same, rows, cols, cells = 0.0, True, 0, 0, 0
    for rows_idx in batches:
        x = tr.trim_left_padding(X[rows_idx])
        ids, sc = s.run(["topk_ids", "topk_scores"], {"items": np.ascontiguousarray(x)})
        same &= bool((ids == full_ids[rows_idx]).all())
        worst = max(worst, float(np.abs(sc - full_sc[rows_idx]).max()))
        rows += len(rows_idx)
        cols += x.shape[1] * len(rows_idx)
        cells += X.shape[1] * len(rows_idx)
    print(f"trimmed vs full windows in ORT ({len(X)} windows alone + in {len(batches) - len(X)} random batches of "
          f"2..32): identical top-{K} ids {same}, max |score diff| {worst:.2e}; columns kept {cols / cells:.1%}")
    if not same or worst > tol:
        raise SystemExit(f"trimmed windows do not give the full windows' outputs (ids equal: {same}, max score diff "
                         f"{worst:.2e}, allowed {tol:g})")
    return {"windows": int(len(X)), "randomBatches": len(batches) - len(X), "identicalTopKIds": same,
            "maxAbsScoreDiff": float(f"{worst:.2e}"), "tolerance": tol,
            "test": topk_metrics(full_ids, y, K)}


def same_outputs(ids_a, sc_a, ids_b, sc_b):
    """Two graphs' top-K on the same windows: lists identical, lists that differ only where the first graph's
    scores tie (an exact tie may come out in either order), and the largest relative score difference."""
    same = (ids_a == ids_b).all(1)
    tie_only = 0
    for r in np.nonzero(~same)[0]:
        pos = np.nonzero(ids_a[r] != ids_b[r])[0]
        if set(ids_a[r, pos]) == set(ids_b[r, pos]) and len(set(sc_a[r, pos])) == 1:
            tie_only += 1
    rel = np.abs(sc_a - sc_b) / np.maximum(np.abs(sc_a), 1e-30)
    return {"windows": int(len(ids_a)), "identicalTopKIds": int(same.sum()), "differOnlyAtExactTies": tie_only,
            "maxRelativeScoreDiff": float(f"{rel.max():.2e}")}


def topk_metrics(ids, y, K):
    """Recall/MRR@K from a graph's own top K (rank = position in topk_ids, ties as the graph ordered them)."""
    hit = ids[:, :K] == y[:, None]
    pos = np.argmax(hit, axis=1) + 1
    found = hit.any(1)
    return {f"recall@{K}": round(float(found.mean()), 4), f"mrr@{K}": round(float(np.where(found, 1.0 / pos, 0).mean()), 4),
            "predictions": int(len(y))}


def source_temperature(path, part):
    """None when the source graph's topk_scores are logits (its TopK does not read a Softmax), else the temperature
    in the manifest part (scores.temperature) of the model whose weights it holds (main checks the sha256)."""
    g = onnx.load(path).graph
    made_by = {o: n.op_type for n in g.node for o in n.output}
    topk = [n for n in g.node if n.op_type == "TopK"]
    if len(topk) != 1:
        raise SystemExit(f"{path}: {len(topk)} TopK nodes, expected 1")
    if made_by.get(topk[0].input[0]) != "Softmax":
        return None
    if "scores" not in part:
        raise SystemExit(f"{path} outputs probabilities but the manifest part has no scores.temperature")
    return part["scores"]["temperature"]


def calibrate(a, spec, test_s, model, index, part):
    """The temperature of the shipped weights, without retraining: fitted (train_recommend.fit_temperature) on the
    test sessions that start in the first half of the test day and reported on those of the second half (the
    trainer fits on validation with the tuning model, which this script does not have; the ranking, and so every
    Recall/MRR in the manifest, is unchanged by any temperature). -> (T, calibration). --keep-temperature: the
    part's temperature and calibration as they are (None: nothing to rewrite), e.g. a trainer's fit on validation."""
    if a.keep_temperature:
        if "scores" not in part:
            raise SystemExit("--keep-temperature: the manifest part has no scores.temperature")
        print(f"temperature {part['scores']['temperature']} kept from the manifest part, calibration unchanged")
        return part["scores"]["temperature"], None
    N, K = spec["windowSize"], spec["topK"]
    mid = sorted(s[1] for s in test_s)[len(test_s) // 2]
    first = [s for s in test_s if s[1] < mid]
    second = [s for s in test_s if s[1] >= mid]
    X1, y1 = tr.calibration_windows(first, index, N)
    X2, y2 = tr.calibration_windows(second, index, N)
    temperature = a.temperature or tr.fit_temperature(model, tr.states(model, X1), y1, K)
    cal = {"rule": f"temperature fitted on the {len(first)} test sessions starting before {common.iso(mid)}, "
                   f"reported on the {len(second)} starting from then (every next item event)",
           "fit": tr.calibration_report(model, X1, y1, temperature, K),
           "test": tr.calibration_report(model, X2, y2, temperature, K)}
    print(f"temperature {temperature}; calibration:", json.dumps(cal))
    return temperature, cal


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", default=os.path.join(ROOT, "onnx-models/recommend/recommend.onnx"),
                    help="graph whose weights are re-exported (default: the shipped one, overwritten)")
    ap.add_argument("--train-events", default=os.path.join(ROOT, "onnx-models/work/events/yoochoose_train.jsonl"))
    ap.add_argument("--test-events", default=os.path.join(ROOT, "onnx-models/work/events/yoochoose_test.jsonl"))
    ap.add_argument("--session-gap-minutes", type=float, default=0)
    ap.add_argument("--spec", default=os.path.join(ROOT, "onnx-models/feature_spec.json"))
    ap.add_argument("--out-dir", default=os.path.join(ROOT, "onnx-models/recommend"))
    ap.add_argument("--golden", default=os.path.join(ROOT, "onnx-models/golden/recommend.json"))
    ap.add_argument("--export-graph", choices=sorted(tr.EXPORT_GRAPHS), default="last-query")
    ap.add_argument("--check-only", action="store_true", help="run the checks, write nothing")
    ap.add_argument("--temperature", type=float,
                    help="use this temperature instead of fitting it on the first half of the test day")
    ap.add_argument("--keep-temperature", action="store_true",
                    help="keep the manifest part's temperature and calibration (the same probabilities as the shipped "
                         "graph) instead of fitting them")
    ap.add_argument("--no-merge", action="store_true", help="do not merge onnx-models/manifest.json")
    ap.add_argument("--manifest", help="write this manifest.json holding only the recommender instead of merging "
                    "onnx-models/manifest.json (a models directory of its own, as train_recommend.py --manifest, e.g. "
                    "onnx-models/demo-taobao/manifest.json)")
    a = ap.parse_args(argv)
    common.seed_everything(tr.SEED)
    full_spec = json.load(open(a.spec))
    spec = full_spec["recommend"]
    N, K = spec["windowSize"], spec["topK"]
    part_path = os.path.join(a.out_dir, "manifest.part.json")
    part = json.load(open(part_path, encoding="utf-8"))
    src_sha = common.sha256_file(a.source)
    shipped_weights = {part["sha256"], part.get("servingGraph", {}).get("weightsSha256")}
    if src_sha not in shipped_weights:
        raise SystemExit(f"{a.source} has sha256 {src_sha}, {part_path} names {sorted(filter(None, shipped_weights))}: "
                         "not the shipped weights")

    model = load_weights(a.source, spec)
    types = set(spec["itemEvents"])
    train_s = [s for s in tr.load_sessions(a.train_events, types, a.session_gap_minutes) if len(s[3]) >= 2]
    test_s = [s for s in tr.load_sessions(a.test_events, types, a.session_gap_minutes) if len(s[3]) >= 2]
    vocab, _ = tr.build_vocab(train_s)
    vocab_path = os.path.join(os.path.dirname(os.path.abspath(a.spec)), spec["vocabularyFile"])
    shipped = open(vocab_path, encoding="utf-8").read().split("\n")[:-1]
    if shipped != vocab or len(vocab) != model.item.num_embeddings:
        raise SystemExit(f"the training file's vocabulary ({len(vocab)}) is not {vocab_path} ({len(shipped)}): "
                         "wrong --train-events?")
    index = {it: i for i, it in enumerate(vocab)}
    Xte, yte, _ = tr.prefixes(test_s, index, N)
    temperature, calibration = calibrate(a, spec, test_s, model, index, part)

    full_m = tr.rank_metrics(tr.model_score_fn(model, Xte), Xte, yte, K)
    want = part["metrics"]["test"]
    print("test, PyTorch full path:", full_m, "| manifest:", want)
    if any(full_m[k] != want[k] for k in want):
        raise SystemExit("the rebuilt module does not reproduce the manifest's test metrics: weights read back wrong")
    serve_m = tr.rank_metrics(tr.model_score_fn(model, Xte, a.export_graph == "last-query"), Xte, yte, K)
    print(f"test, PyTorch {a.export_graph} path:", serve_m)

    try:
        import onnxruntime  # noqa: F401
        have_ort = True
    except ImportError:
        have_ort = False
        print("onnxruntime not importable: ONNX Runtime checks skipped (run the Java ModelParityTest)")
    src_temperature = source_temperature(a.source, part)
    if have_ort:
        src_ids, src_sc = ort_topk(a.source, Xte)
        with torch.no_grad():
            _, pt_sc = tr.Exported(model, K, "full", src_temperature)(torch.from_numpy(Xte))
        diff = float(np.abs(pt_sc.numpy() - src_sc).max())
        print(f"source graph in ORT vs rebuilt module: max |top-20 score diff| {diff:.2e}")
        if diff > 1e-4:
            raise SystemExit("the rebuilt module does not reproduce the source graph")
        print("test, source graph's own top 20 in ORT:", topk_metrics(src_ids, yte, K))
    if a.check_only:
        return

    os.makedirs(a.out_dir, exist_ok=True)
    onnx_path = os.path.join(a.out_dir, "recommend.onnx")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = os.path.join(tmp, "recommend.onnx")
        exp = tr.export_onnx(model, K, N, len(vocab), tmp_path, a.export_graph, temperature)
        if have_ort:
            new_ids, new_sc = ort_topk(tmp_path, Xte)
            with torch.no_grad():  # the new graph's probabilities against the rebuilt module's
                _, want_sc = tr.Exported(model, K, "full", temperature)(torch.from_numpy(Xte))
            diff = float(np.abs(new_sc - want_sc.numpy()).max())
            same = float((new_ids == src_ids).all(1).mean())
            print(f"new graph vs source graph in ORT: max |score diff| {diff:.2e}, identical top-20 lists {same:.4%}")
            if src_temperature == temperature:  # both probabilities at one temperature: the same outputs
                same_out = same_outputs(src_ids, src_sc, new_ids, new_sc)
                print("new graph vs source graph, same probabilities:", json.dumps(same_out))
                if (same_out["identicalTopKIds"] + same_out["differOnlyAtExactTies"] < len(Xte)
                        or same_out["maxRelativeScoreDiff"] > 1e-5):
                    raise SystemExit("the new graph's top-20 lists or probabilities are not the source graph's")
            print("test, new graph's own top 20 in ORT:", topk_metrics(new_ids, yte, K))
            if diff > 1e-4:
                raise SystemExit("the new graph's scores differ from the source graph's by more than 1e-4")
            trim_check = check_trimmed(tmp_path, Xte, yte, K)
        shutil.copyfile(tmp_path, onnx_path)
    tr.write_golden(exp, index, vocab, train_s, test_s, N, a.golden, full_spec["version"])
    inputs, outputs = common.onnx_io(onnx_path)
    before = part.get("servingGraph", {})
    kept = {k: before[k] for k in ("cpuCost", "trimmedWindows") if k in before}
    if kept and "scores" not in part:  # measured on the logits graph this replaces: kept, named as such
        kept["sha256"] = part["sha256"]
        kept["note"] = "measured on the logits graph with this sha256 (before the softmax head, issue 18)"
    else:
        kept = before.get("logitsGraph")
    part.update({"sha256": common.sha256_file(onnx_path), "bytes": os.path.getsize(onnx_path),
                 "inputs": tr.window_input_attrs(inputs, N, spec["padIndex"]), "outputs": outputs,
                 "servingGraph": tr.serving_graph_entry(a.export_graph, serve_m, exp)})
    if calibration is not None:  # else --keep-temperature: scores and calibration as they were
        part.update({"scores": tr.scores_entry(temperature), "calibration": calibration})
    if kept:
        part["servingGraph"]["logitsGraph"] = kept
    if have_ort:
        part["servingGraph"]["trimmedWindows"] = trim_check
    part["servingGraph"]["exportedBy"] = common.python_command("onnx-models/training/reexport_recommend.py",
                                                               argv if argv is not None else sys.argv[1:])
    part["servingGraph"]["weightsSha256"] = src_sha
    kind = "last-query" if last_query_graph(a.source, len(model.blocks)) else "full"
    part["servingGraph"]["weightsFrom"] = (f"the {kind}-graph recommend.onnx with this sha256 (git history), the "
                                           "trained weights unchanged; pass it as --source to re-export again")
    common.write_json(part_path, part)
    print(f"wrote {onnx_path} ({os.path.getsize(onnx_path)} bytes, sha256 {part['sha256']}), {a.golden}, {part_path}")
    if a.manifest:
        common.write_json(a.manifest, {"featureSpecVersion": full_spec["version"], "models": {"recommend": part}})
        print(f"wrote {a.manifest}")
    elif not a.no_merge:
        out, names = train_all.merge_manifest()
        print(f"merged {names} into {os.path.relpath(out, ROOT)}")


if __name__ == "__main__":
    main()
