"""CPU cost of recommender graphs in ONNX Runtime: microseconds per sequence on one thread, as the job
runs it (intra_op 1, inter_op 1, ORT_ENABLE_ALL, CPU EP), at several batch sizes.

Inputs are real test windows (every prefix of every test session, left-padded to the window, as the
Java encoder sends them), cycled. Graphs are measured interleaved, round after round, so load from
other processes hits all of them alike; reported per graph and batch: the median over rounds of the
CPU time of the calling thread (ORT with intra_op 1 runs on it), which a busy shared machine
disturbs far less than wall time, and the best round's wall time.

  python3 onnx-models/training/bench_recommend.py GRAPH.onnx [GRAPH2.onnx ...] [--batches 1 8 32] [--rounds 15]

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


def windows(test_events, spec_path, vocab_path):
    spec = json.load(open(spec_path))["recommend"]
    vocab = open(vocab_path, encoding="utf-8").read().split("\n")[:-1]
    index = {it: i for i, it in enumerate(vocab)}
    test_s = [s for s in tr.load_sessions(test_events, set(spec["itemEvents"]), 0) if len(s[3]) >= 2]
    X, _, _ = tr.prefixes(test_s, index, spec["windowSize"])
    return X


def session(path):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("graphs", nargs="+")
    ap.add_argument("--batches", type=int, nargs="+", default=[1, 8, 32])
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--sequences", type=int, default=2048, help="sequences per graph, batch and round")
    ap.add_argument("--test-events", default=os.path.join(tr.ROOT, "onnx-models/work/events/yoochoose_test.jsonl"))
    ap.add_argument("--spec", default=os.path.join(tr.ROOT, "onnx-models/feature_spec.json"))
    ap.add_argument("--vocab", default=os.path.join(tr.ROOT, "onnx-models/recommend/items.txt"))
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--record", action="store_true",
                    help="store the results as servingGraph.cpuCost in recommend/manifest.part.json (graphs named "
                         "by sha256; the shipped one marked) and merge onnx-models/manifest.json")
    a = ap.parse_args(argv)
    X = windows(a.test_events, a.spec, a.vocab)
    sessions = {g: session(g) for g in a.graphs}
    res = {g: {b: {"cpu": [], "wall": []} for b in a.batches} for g in a.graphs}
    for b in a.batches:  # warm-up
        for s in sessions.values():
            for i in range(20):
                s.run(None, {"items": X[i * b % (len(X) - b):][:b]})
    for r in range(a.rounds):
        for b in a.batches:
            n = max(1, a.sequences // b)
            starts = [(i * b) % (len(X) - b) for i in range(n)]
            feeds = [{"items": np.ascontiguousarray(X[s0:s0 + b])} for s0 in starts]
            for g in (a.graphs if r % 2 == 0 else a.graphs[::-1]):
                s = sessions[g]
                c0, w0 = time.thread_time(), time.perf_counter()
                for f in feeds:
                    s.run(None, f)
                res[g][b]["cpu"].append((time.thread_time() - c0) / (n * b) * 1e6)
                res[g][b]["wall"].append((time.perf_counter() - w0) / (n * b) * 1e6)
    out = {}
    print(f"{'graph':60s} {'batch':>5s} {'cpu us/seq (median)':>20s} {'wall us/seq (best)':>19s}")
    for g in a.graphs:
        out[g] = {}
        for b in a.batches:
            cpu, wall = float(np.median(res[g][b]["cpu"])), float(min(res[g][b]["wall"]))
            out[g][str(b)] = {"cpuMicrosPerSequence": round(cpu, 1), "wallMicrosPerSequenceBest": round(wall, 1)}
            print(f"{g[-60:]:60s} {b:5d} {cpu:20.1f} {wall:19.1f}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=2)
    if a.record:
        import common
        import train_all
        part_path = os.path.join(tr.ROOT, "onnx-models/recommend/manifest.part.json")
        part = json.load(open(part_path, encoding="utf-8"))
        graphs = {}
        for g in a.graphs:
            sha = common.sha256_file(g)
            graphs[sha] = dict(out[g], shipped=sha == part["sha256"])
        part.setdefault("servingGraph", {})["cpuCost"] = {
            "command": "python3 onnx-models/training/bench_recommend.py " + " ".join(argv if argv is not None else sys.argv[1:]),
            "what": "ONNX Runtime CPU EP, 1 thread, ORT_ENABLE_ALL; microseconds per sequence at each batch size: "
                    "median thread CPU time over the rounds, best round's wall time; real test windows",
            "onnxruntime": __import__("onnxruntime").__version__, "graphs": graphs}
        common.write_json(part_path, part)
        train_all.merge_manifest()
        print(f"recorded in {part_path} and merged the manifest")


if __name__ == "__main__":
    main()
