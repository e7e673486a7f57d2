"""Shared helpers for every trainer: the event JSON contract, the id hash the Java encoder
also implements, seeding, ONNX export checks and manifest parts.

The trainers read event logs in the pipeline's own event JSON (one object per line), so a
store can retrain on its own history with the same command. Converters under convert/ turn
each public dataset into that format.
"""
import hashlib
import json
import os
import random
import sys
from datetime import datetime, timezone

import numpy as np
import torch

EVENT_TYPES = ["view", "search", "add_to_cart", "remove_from_cart", "order", "payment", "review", "reco_click"]
FEATURE_SPEC_VERSION = "1"
OPSET = 17


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(1)  # 2-core machines; also keeps results reproducible
    torch.use_deterministic_algorithms(True)


def fnv1a32(text: str) -> int:
    """32-bit FNV-1a over the UTF-8 bytes, as an unsigned int. Java: features.IdHash.fnv1a32."""
    h = 0x811C9DC5
    for b in text.encode("utf-8"):
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def bucket(text, buckets: int) -> int:
    """Hash bucket in [1, buckets); 0 is reserved for 'missing'."""
    if text is None or text == "":
        return 0
    return 1 + fnv1a32(str(text)) % (buckets - 1)


def parse_ts(value) -> int:
    """Event time in epoch milliseconds from ISO-8601 or epoch ms, as the Java parser accepts."""
    if isinstance(value, (int, float)):
        return int(value)
    s = str(value)
    if s.isdigit():
        return int(s)
    dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return int(dt.timestamp() * 1000)


def read_events(path):
    """Yields event dicts (contract fields) from a JSON-lines file, with ts as epoch ms."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            e = json.loads(line)
            e["ts"] = parse_ts(e["ts"])
            yield e


def write_events(path, events):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for e in events:
            f.write(json.dumps({k: v for k, v in e.items() if v is not None}, separators=(",", ":")))
            f.write("\n")


def iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def sha256_file(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def onnx_io(path):
    """Input/output names, shapes (None for dynamic) and dtypes read back from the exported file."""
    import onnx
    m = onnx.load(path)
    onnx.checker.check_model(m)

    def describe(values):
        out = []
        for v in values:
            t = v.type.tensor_type
            shape = [d.dim_value if d.HasField("dim_value") else None for d in t.shape.dim]
            out.append({"name": v.name, "shape": shape,
                        "dtype": onnx.TensorProto.DataType.Name(t.elem_type).lower()})
        return out

    init = {i.name for i in m.graph.initializer}
    return describe([i for i in m.graph.input if i.name not in init]), describe(m.graph.output)


def write_json(path, obj):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, sort_keys=True)
        f.write("\n")


# ---------------------------------------------------------------- sessions (issue 19: a store's own session ids)
def sessionize(events, gap_minutes):
    """Cuts (userId, ts, ...) event dicts into sessions -> list of event lists, each in time order.

    An event that carries a `sessionId` (optional contract field, docs/event-contract.md) belongs to the
    store's own session (userId, sessionId), whatever the gap. The others are cut per user at gaps longer than
    gap_minutes (0: the userId already is a session id, one session per user), as the job's session window
    does. Sessions are returned in order of (userId, first event time, session id); ties in ts keep file order."""
    by_key = {}
    for n, e in enumerate(events):
        sid = e.get("sessionId")
        key = (str(e["userId"]), 1, str(sid)) if sid not in (None, "") else (str(e["userId"]), 0, "")
        by_key.setdefault(key, []).append((e["ts"], n, e))
    out = []
    for key in by_key:
        evs = [e for _, _, e in sorted(by_key[key], key=lambda x: (x[0], x[1]))]
        if key[1] == 1 or gap_minutes <= 0:
            out.append((key, evs))
            continue
        cur = []
        for e in evs:
            if cur and e["ts"] - cur[-1]["ts"] > gap_minutes * 60_000:
                out.append((key, cur))
                cur = []
            cur.append(e)
        out.append((key, cur))
    out.sort(key=lambda s: (s[0][0], s[1][0]["ts"], s[0][2]))
    return [evs for _, evs in out]


def python_command(script, argv):
    """The command line a manifest part records: the trainers' venv python (setup-venv.sh's default,
    onnx-models/.venv) when that is what runs, else this interpreter's path."""
    exe = os.path.abspath(sys.executable or "python3")
    parts = exe.split(os.sep)
    if len(parts) >= 4 and parts[-4:-2] == ["onnx-models", ".venv"]:
        exe = "onnx-models/.venv/bin/python"
    return " ".join([exe, script] + list(argv))
