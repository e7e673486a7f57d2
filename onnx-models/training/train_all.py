"""The one retrain command: converts the public datasets to event JSON, trains and exports every
model, then merges every onnx-models/*/manifest.part.json into onnx-models/manifest.json.

  PY=$(onnx-models/training/setup-venv.sh)     # the pinned trainers' venv (requirements.txt)
  "$PY" onnx-models/training/train_all.py [--datasets ../shared/datasets] [--only intent,recommend]
  "$PY" onnx-models/training/train_all.py --merge-only

Every step runs under the python that runs this script (sys.executable). A training run under a python whose
packages differ from requirements.txt stops before the first step (the shipped metrics and goldens were made with
the pinned versions); --merge-only needs only the standard library and runs under any python 3.

Steps run in a fixed order; any trainer script that does not exist is skipped with a note, and any
step that fails stops the run with a non-zero exit. Deterministic: every trainer seeds itself.
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.dirname(HERE)
ROOT = os.path.dirname(MODELS)
PY = sys.executable or "python3"
REQUIREMENTS = os.path.join(HERE, "requirements.txt")


def sha256_file(path):
    import hashlib
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def environment_mismatches(requirements=REQUIREMENTS):
    """'name: want X, have Y' for every pinned package this python lacks or has at another version."""
    from importlib.metadata import PackageNotFoundError, version
    bad = []
    with open(requirements, encoding="utf-8") as f:
        for line in f:
            line = line.split("#")[0].strip()
            if not line:
                continue
            name, want = line.split("==")
            try:
                have = version(name)
            except PackageNotFoundError:
                have = None
            if have != want:
                bad.append(f"{name}: want {want}, have {have}")
    return bad


def steps(datasets):
    events = os.path.join(MODELS, "work", "events")
    conv = lambda name: [os.path.join(HERE, "convert", name + ".py"), "--datasets", datasets, "--out", events]  # noqa: E731
    return [
        # (model it belongs to, description, argv)
        ("recommend", "convert yoochoose", conv("yoochoose")),
        ("intent", "convert diginetica", conv("diginetica")),
        ("intent", "convert taobao (replay; intent pre-training)", conv("taobao")),
        ("intent", "convert yoochoose again (intent pre-training; a few seconds)", conv("yoochoose")),
        ("intent", "train intent (pre-trained on Taobao + YooChoose, fine-tuned on DIGINETICA)",
         [os.path.join(HERE, "train_intent.py"), "--pretrain-events", os.path.join(events, "taobao.jsonl"),
          os.path.join(events, "yoochoose_train.jsonl")]),
        ("recommend", "train recommend", [os.path.join(HERE, "train_recommend.py")]),
        ("churn", "train churn", [os.path.join(HERE, "train_churn.py"), "--datasets", datasets]),
        ("fraud", "train fraud", [os.path.join(HERE, "train_fraud.py"), "--datasets", datasets]),
        ("review", "train review (about 20 min on 2 shared cores: --max-minutes 16 of training, then baselines)",
         [os.path.join(HERE, "train_review.py"), "--datasets", datasets]),
    ]


def merge_manifest():
    spec = json.load(open(os.path.join(MODELS, "feature_spec.json"), encoding="utf-8"))
    models = {}
    for part_path in sorted(glob.glob(os.path.join(MODELS, "*", "manifest.part.json"))):
        part = json.load(open(part_path, encoding="utf-8"))
        name = part["name"]
        if name in models:
            raise SystemExit(f"two manifest parts name model '{name}'")
        if str(part.get("featureSpecVersion")) != str(spec["version"]):
            raise SystemExit(f"{part_path}: featureSpecVersion {part.get('featureSpecVersion')} != spec {spec['version']}")
        f = os.path.join(MODELS, part["file"])
        if sha256_file(f) != part["sha256"]:
            raise SystemExit(f"{part_path}: sha256 of {f} does not match the part (stale export?)")
        models[name] = part
    out = os.path.join(MODELS, "manifest.json")
    with open(out, "w", encoding="utf-8") as f:  # as common.write_json, without its numpy/torch imports
        json.dump({"featureSpecVersion": spec["version"], "models": models}, f, indent=2, sort_keys=True)
        f.write("\n")
    return out, sorted(models)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", default=os.path.join(ROOT, "..", "shared", "datasets"),
                    help="folder with the public datasets (default: ../shared/datasets from the repo root)")
    ap.add_argument("--only", help="comma-separated models to retrain (intent,recommend,churn,fraud,review); "
                                   "the manifest is still merged from every part on disk")
    ap.add_argument("--merge-only", action="store_true",
                    help="only merge the manifest parts on disk (after running single trainers by hand)")
    ap.add_argument("--any-python", action="store_true",
                    help="train even when this python's packages differ from requirements.txt")
    a = ap.parse_args(argv)
    if a.merge_only:
        out, names = merge_manifest()
        print(f"== merged {names} into {os.path.relpath(out, ROOT)}")
        return
    bad = environment_mismatches()
    if bad and not a.any_python:
        raise SystemExit(f"{PY} is not the trainers' pinned environment ({'; '.join(bad)}): run "
                         "PY=$(onnx-models/training/setup-venv.sh); \"$PY\" onnx-models/training/train_all.py ... "
                         "(or pass --any-python to train anyway)")
    datasets = os.path.abspath(a.datasets)
    if not os.path.isdir(datasets):
        raise SystemExit(f"datasets folder not found: {datasets}")
    only = set(a.only.split(",")) if a.only else None
    t_all = time.time()
    timings = []
    for model, desc, args in steps(datasets):
        if only is not None and model not in only:
            continue
        if not os.path.exists(args[0]):
            print(f"== skip {desc}: {os.path.relpath(args[0], ROOT)} does not exist", flush=True)
            continue
        print(f"== {desc}: {PY} {' '.join(os.path.relpath(x, ROOT) if x.startswith(ROOT) else x for x in args)}",
              flush=True)
        t0 = time.time()
        rc = subprocess.call([PY] + args, cwd=ROOT)
        if rc != 0:
            print(f"!! step '{desc}' failed with exit code {rc}", file=sys.stderr, flush=True)
            raise SystemExit(rc)
        timings.append((desc, time.time() - t0))
    out, names = merge_manifest()
    for desc, s in timings:
        print(f"   {s:7.1f}s  {desc}")
    print(f"== merged {names} into {os.path.relpath(out, ROOT)}; total {time.time() - t_all:.1f}s")


if __name__ == "__main__":
    main()
