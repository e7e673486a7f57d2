"""What carries across shops? The intent trainer on every split the public data allows, with bootstrap intervals.

Splits: a time split within each labelled set (DIGINETICA views + purchases; Taobao views, carts, buys cut into
30-minute sessions; a third of its users, by id hash, for time), each with and without the self-supervised pre-training on the other public sets (YooChoose
clicks among them: no labels needed), and cross-shop: trained on all of one set, tested on all of the other, both
directions. Each run is train_intent.py itself (selection on the time split, refit, calibration, both
logistic-regression baselines fitted on the same training sessions); for the time budget every run stops at
--epochs 15 / --patience 4. Writes one JSON object per run and a summary table (markdown) for the model card.

  onnx-models/.venv/bin/python onnx-models/training/intent_transfer.py [--out /tmp/intent-transfer]
"""
import argparse
import contextlib
import io
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
import train_intent as ti  # noqa: E402

EV = os.path.join(ti.ROOT, "onnx-models", "work", "events")
DG, TB = os.path.join(EV, "diginetica.jsonl"), os.path.join(EV, "taobao.jsonl")
YC = os.path.join(EV, "yoochoose_train.jsonl")


def taobao_sample(out, modulo):
    """The Taobao users whose id hashes to 0 mod `modulo` (all their events): a seeded third of the shop, so the
    six runs fit in the time budget of two shared cores."""
    path = os.path.join(out, f"taobao_users_mod{modulo}.jsonl")
    if not os.path.exists(path):
        common.write_events(path, [e for e in common.read_events(TB) if common.fnv1a32(e["userId"]) % modulo == 0])
    return path


def runs(tb_file):
    dg, tb = ["--events", DG, "--session-gap-minutes", "0"], ["--events", tb_file, "--session-gap-minutes", "30"]
    pre_for_dg = ["--pretrain-events", TB, YC]  # all of Taobao: no label is used
    pre_for_tb = ["--pretrain-events", DG, YC]
    return [
        ("DIGINETICA time split", dg),
        ("DIGINETICA time split, pre-trained on Taobao + YooChoose", dg + pre_for_dg),
        ("Taobao time split", tb),
        ("Taobao time split, pre-trained on DIGINETICA + YooChoose", tb + pre_for_tb),
        ("cross-shop: DIGINETICA -> Taobao", dg + ["--test-events", tb_file, "--test-gap-minutes", "30"]),
        ("cross-shop: Taobao -> DIGINETICA", tb + ["--test-events", DG, "--test-gap-minutes", "0"]),
    ]


def row(name, part, seconds):
    m, b = part["metrics"], part["baselineMetrics"]
    boot = m["bootstrap"]
    ivl = lambda v: f"{v[0]:.3f}..{v[1]:.3f}" if v else "n/a"  # noqa: E731
    return (f"| {name} | {part['split']['test']['sessions']:,} / {part['split']['test']['positiveSessions']:,} | "
            f"{m['test']['prefix']['rocAuc']:.3f} ({ivl(boot['prefixRocAuc95']['gru'])}) | "
            f"{m['test']['prefix']['prAuc']:.3f} | "
            f"{b['lrCounts']['test']['prefix']['rocAuc']:.3f} | {b['lrSameFeatures']['test']['prefix']['rocAuc']:.3f} | "
            f"{ivl(boot['rocAucMinus_lrCounts95']['gru'])} | {m['test']['ece']:.3f} | {seconds:.0f} s |")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="/tmp/intent-transfer")
    ap.add_argument("--only", type=int, nargs="+", help="run numbers (0-based) to run")
    ap.add_argument("--bootstrap", type=int, default=200)
    ap.add_argument("--taobao-modulo", type=int, default=3, help="keep the Taobao users with fnv1a32(id) %% this == 0")
    a = ap.parse_args(argv)
    os.makedirs(a.out, exist_ok=True)
    lines = ["| split | test sessions / buying | GRU prefix ROC-AUC (95%) | GRU PR-AUC | LR counts | LR same features "
             "| GRU - LR counts (95%) | ECE | time |", "|---|---|---|---|---|---|---|---|---|"]
    for k, (name, args) in enumerate(runs(taobao_sample(a.out, a.taobao_modulo))):
        if a.only and k not in a.only:
            continue
        d = os.path.join(a.out, f"run{k}")
        t0 = time.time()
        log = io.StringIO()
        with contextlib.redirect_stdout(log):
            part = ti.main(args + ["--out-dir", d, "--golden", os.path.join(d, "golden.json"), "--epochs", "15",
                                   "--patience", "4", "--bootstrap", str(a.bootstrap)])
        open(os.path.join(d, "log.txt"), "w").write(log.getvalue())
        print(json.dumps({"run": k, "name": name, "test": part["metrics"]["test"], "baselines": part["baselineMetrics"],
                          "bootstrap": part["metrics"]["bootstrap"], "bestEpoch": part["training"]["bestEpoch"]}),
              flush=True)
        lines.append(row(name, part, time.time() - t0))
        print(lines[-1], flush=True)
    open(os.path.join(a.out, "summary.md"), "w").write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
