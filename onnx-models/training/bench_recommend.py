"""CPU cost of recommender graphs in ONNX Runtime: microseconds per sequence on one thread, as the job
runs it (intra_op 1, inter_op 1, ORT_ENABLE_ALL, CPU EP), at several batch sizes.

Inputs are real test windows (every prefix of every test session, left-padded to the window, as the
Java encoder sends them), cycled; --lengths picks their length distribution: "test" (default: the test
windows as they are), "loadtest" (LOADTEST_LENGTHS: the load test's recommendation requests) or
"K:P,K:P,..." (P of the windows hold K real items: a test window with at least K items cut to its last K).
A graph whose window axis is dynamic gets each batch as the Java batcher sends it, trimmed of the
leading columns that are padding in every row (train_recommend.trim_left_padding); a fixed-window graph
gets the full windows; --also-untrimmed measures dynamic graphs on full windows too. Graphs are
measured interleaved, round after round, so load from other processes hits all of them alike; reported
per graph and batch: the median over rounds of the CPU time of the calling thread (ORT with intra_op 1
runs on it), which a busy shared machine disturbs far less than wall time, and the best round's wall time.

  python3 onnx-models/training/bench_recommend.py GRAPH.onnx [GRAPH2.onnx ...] [--batches 1 8 32] [--rounds 15]
      [--lengths test|loadtest|K:P,...] [--also-untrimmed] [--record]

--profile N instead runs N batches of each size through each graph with ORT profiling on (the same session
options, graphs in turn) and prints every node's median kernel time per batch, to see where a graph's time goes.

Needs onnxruntime (pip); the trainers themselves do not.
"""
import argparse
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_recommend as tr  # noqa: E402


# The load test's recommendation requests (PipelineLoadHarness, default Taobao workload): share of requests by
# real items in the window. Replayed from taobao-userbehavior/UserBehavior_slice.csv with the job's defaults
# (sessions cut at 30 min, reco.min-session-events 2, reco.min-interval 10 s, item events pv/fav/cart): 33,103
# refreshes per copy of the slice (the 10-copy run in load-tests/RESULTS.md counted 331,040); the rest (<0.1 %)
# is spread over 16..20 items and folded into 15.
LOADTEST_LENGTHS = {2: 0.5775, 3: 0.2249, 4: 0.0988, 5: 0.0464, 6: 0.0237, 7: 0.0124, 8: 0.0067, 9: 0.0037,
                    10: 0.0021, 11: 0.0015, 12: 0.0010, 13: 0.0005, 14: 0.0003, 15: 0.0005}


def windows(test_events, spec_path, vocab_path, lengths="test", n=20000, seed=tr.SEED):
    """-> (windows [n, N], description). lengths: "test", "loadtest" or "K:P,...", see the module doc."""
    spec = json.load(open(spec_path))["recommend"]
    vocab = open(vocab_path, encoding="utf-8").read().split("\n")[:-1]
    index = {it: i for i, it in enumerate(vocab)}
    test_s = [s for s in tr.load_sessions(test_events, set(spec["itemEvents"]), 0) if len(s[3]) >= 2]
    X, _, L = tr.prefixes(test_s, index, spec["windowSize"])
    if lengths == "test":
        return X, "real test windows, their own lengths"
    dist = LOADTEST_LENGTHS if lengths == "loadtest" else {
        int(k): float(p) for k, p in (kv.split(":") for kv in lengths.split(","))}
    ks = np.array(sorted(dist))
    ps = np.array([dist[k] for k in ks])
    rng = np.random.RandomState(seed)
    want = rng.choice(ks, size=n, p=ps / ps.sum())
    out = np.zeros((n, X.shape[1]), dtype=np.int64)
    for k in ks:
        rows = np.nonzero(want == k)[0]
        src = X[rng.choice(np.nonzero(L >= k)[0], size=len(rows))]
        out[rows, -k:] = src[:, -k:]
    desc = ", ".join(f"{k}: {dist[k]:.1%}" for k in ks)
    return out, f"real test windows cut to their last K items, K drawn as {desc}"


def dynamic_window(s):
    return not isinstance(s.get_inputs()[0].shape[1], int)


def session(path, profile_prefix=None):
    import onnxruntime as ort
    so = ort.SessionOptions()
    if profile_prefix:
        so.enable_profiling = True
        so.profile_file_prefix = profile_prefix
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])


def profile(graphs, X, batches, n):
    """Per-node kernel time of each graph at each batch size (ORT profiling), printed: the median over n batches
    (after a warm-up) of each node's time, nodes by cost, with each node's op type. Medians, as the profile's times
    are wall time and a busy machine preempts some runs; the graphs take turns batch by batch, so load from other
    processes hits them alike."""
    import tempfile
    for b in batches:
        feeds = [{"items": np.ascontiguousarray(tr.trim_left_padding(X[i * b % (len(X) - b):][:b]))}
                 for i in range(n + 20)]
        with tempfile.TemporaryDirectory() as tmp:
            sessions = [session(g, os.path.join(tmp, f"prof{k}")) for k, g in enumerate(graphs)]
            for f in feeds:
                for s in sessions:
                    s.run(None, f)
            profiles = [json.load(open(s.end_profiling())) for s in sessions]
        for g, events in zip(graphs, profiles):
            runs = [e for e in events if e.get("cat") == "Session" and e["name"] == "model_run"][20:]
            nodes = {}
            for e in events:
                if e.get("cat") == "Node" and e["name"].endswith("_kernel_time") and e["ts"] >= runs[0]["ts"]:
                    key = (e["name"][:-len("_kernel_time")], e["args"].get("op_name", "?"))
                    nodes.setdefault(key, []).append(e["dur"])
            med = {k: float(np.median(v)) for k, v in nodes.items()}
            print(f"{g} batch {b}: model_run median {np.median([r['dur'] for r in runs]):.0f} us, sum of the nodes' "
                  f"medians {sum(med.values()):.0f} us ({len(runs)} batches); by node:")
            cut = 10 if b > 1 else 3  # at batch 1 every node is a few us (much of it the profiler's own)
            for (name, op), us in sorted(med.items(), key=lambda kv: -kv[1]):
                if us >= cut:
                    print(f"  {us:9.1f}  {op:20s} {name}")
            small = [us for us in med.values() if us < cut]
            print(f"  {sum(small):9.1f}  (the other {len(small)} nodes, each under {cut} us)")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("graphs", nargs="+")
    ap.add_argument("--batches", type=int, nargs="+", default=[1, 8, 32])
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--sequences", type=int, default=2048, help="sequences per graph, batch and round")
    ap.add_argument("--test-events", default=os.path.join(tr.ROOT, "onnx-models/work/events/yoochoose_test.jsonl"))
    ap.add_argument("--spec", default=os.path.join(tr.ROOT, "onnx-models/feature_spec.json"))
    ap.add_argument("--vocab", default=os.path.join(tr.ROOT, "onnx-models/recommend/items.txt"))
    ap.add_argument("--lengths", default="test", help="test (default), loadtest or K:P,K:P,... (module doc)")
    ap.add_argument("--also-untrimmed", action="store_true",
                    help="measure dynamic-window graphs on the full windows as well")
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--profile", type=int, metavar="N",
                    help="print ORT's per-node kernel time (median us per batch over N batches) instead of timing")
    ap.add_argument("--record", action="store_true",
                    help="store the results as servingGraph.cpuCost in recommend/manifest.part.json (graphs named "
                         "by sha256; the shipped one marked) and merge onnx-models/manifest.json")
    a = ap.parse_args(argv)
    X, lengths_desc = windows(a.test_events, a.spec, a.vocab, a.lengths)
    print(f"windows: {lengths_desc}; mean real items {float((X != 0).sum(1).mean()):.2f}")
    if a.profile:
        return profile(a.graphs, X, a.batches, a.profile)
    sessions = {g: session(g) for g in a.graphs}
    runs = []  # (label, graph, trimmed)
    for g in a.graphs:
        dyn = dynamic_window(sessions[g])
        runs.append((g, g, dyn))
        if dyn and a.also_untrimmed:
            runs.append((g + " (untrimmed)", g, False))
    res = {lab: {b: {"cpu": [], "wall": [], "cols": 0.0} for b in a.batches} for lab, _, _ in runs}

    def feed(x, trimmed):
        return {"items": np.ascontiguousarray(tr.trim_left_padding(x) if trimmed else x)}

    for b in a.batches:  # warm-up
        for _, g, t in runs:
            for i in range(20):
                sessions[g].run(None, feed(X[i * b % (len(X) - b):][:b], t))
    for r in range(a.rounds):
        for b in a.batches:
            n = max(1, a.sequences // b)
            starts = [((r * a.sequences) + i * b) % (len(X) - b) for i in range(n)]
            for lab, g, t in (runs if r % 2 == 0 else runs[::-1]):
                s = sessions[g]
                feeds = [feed(X[s0:s0 + b], t) for s0 in starts]
                res[lab][b]["cols"] = float(np.mean([f["items"].shape[1] for f in feeds]))
                c0, w0 = time.thread_time(), time.perf_counter()
                for f in feeds:
                    s.run(None, f)
                res[lab][b]["cpu"].append((time.thread_time() - c0) / (n * b) * 1e6)
                res[lab][b]["wall"].append((time.perf_counter() - w0) / (n * b) * 1e6)
    out = {}
    print(f"{'graph':62s} {'batch':>5s} {'columns':>7s} {'cpu us/seq (median)':>20s} {'wall us/seq (best)':>19s}")
    for lab, _, t in runs:
        out[lab] = {}
        for b in a.batches:
            cpu, wall = float(np.median(res[lab][b]["cpu"])), float(min(res[lab][b]["wall"]))
            out[lab][str(b)] = {"cpuMicrosPerSequence": round(cpu, 1), "wallMicrosPerSequenceBest": round(wall, 1),
                                "meanColumns": round(res[lab][b]["cols"], 2)}
            print(f"{lab[-62:]:62s} {b:5d} {res[lab][b]['cols']:7.2f} {cpu:20.1f} {wall:19.1f}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=2)
    if a.record:
        import common
        import train_all
        part_path = os.path.join(tr.ROOT, "onnx-models/recommend/manifest.part.json")
        part = json.load(open(part_path, encoding="utf-8"))
        graphs = {}
        for lab, g, t in runs:
            sha = common.sha256_file(g)
            key = sha if t or not dynamic_window(sessions[g]) else sha + " untrimmed"
            graphs[key] = dict(out[lab], shipped=sha == part["sha256"], fed="trimmed windows" if t else "full windows")
        cost = part.setdefault("servingGraph", {}).setdefault("cpuCost", {})
        if "graphs" in cost:  # the single-workload layout of earlier records
            cost.clear()
        cost["loadTestWindows" if a.lengths == "loadtest" else "testWindows" if a.lengths == "test" else a.lengths] = {
            "command": "python3 onnx-models/training/bench_recommend.py " + " ".join(argv if argv is not None else sys.argv[1:]),
            "what": "ONNX Runtime CPU EP, 1 thread, ORT_ENABLE_ALL; microseconds per sequence at each batch size: "
                    "median thread CPU time over the rounds, best round's wall time; meanColumns: the items "
                    "tensor's mean width as fed (dynamic-window graphs get each batch trimmed of its leading "
                    "padding columns, as the Java batcher sends it)",
            "windows": lengths_desc,
            "onnxruntime": __import__("onnxruntime").__version__, "graphs": graphs}
        common.write_json(part_path, part)
        train_all.merge_manifest()
        print(f"recorded in {part_path} and merged the manifest")


if __name__ == "__main__":
    main()
