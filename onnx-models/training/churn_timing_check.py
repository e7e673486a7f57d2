"""Timing check only (not a model evaluation): a synthetic store of 25,000 customers and 70,000 orders made
from Online Retail, then the churn trainer's wall time on it.

    onnx-models/.venv/bin/python onnx-models/training/churn_timing_check.py [--customers 25000 --orders 70000]

Each Online Retail invoice becomes one order (its lines summed); customers are copied until there are
--customers of them, each copy's orders shifted by a random -3..+3 days and its amounts scaled by a log-normal
factor, then --orders orders are kept at random. The trainer then runs with its defaults (--max-minutes 5) into
a scratch directory; the last line printed is the wall time.
"""
import argparse
import os
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "convert"))
import online_retail  # noqa: E402
import train_churn  # noqa: E402
from common import iso, parse_ts, write_events  # noqa: E402


def synthetic(csv, customers, orders, seed):
    inv = {}
    for e in online_retail.convert(csv):
        k = (e["userId"], e["ts"])
        inv[k] = inv.get(k, 0.0) + e["amount"]
    by_user = {}
    for (u, ts), amt in inv.items():
        by_user.setdefault(u, []).append((parse_ts(ts), amt))
    users = sorted(by_user)
    rng = np.random.default_rng(seed)
    out = []
    for i in range(customers):
        src = users[i % len(users)] if i < len(users) else users[int(rng.integers(len(users)))]
        shift = int(rng.integers(-3, 4)) * train_churn.DAY_MS if i >= len(users) else 0
        scale = float(rng.lognormal(0.0, 0.3)) if i >= len(users) else 1.0
        out += [(f"syn-{i}", t + shift, round(a * scale, 2)) for t, a in by_user[src]]
    keep = np.sort(rng.choice(len(out), size=min(orders, len(out)), replace=False))
    return [{"eventId": f"syn-{j}", "userId": out[j][0], "type": "order", "ts": iso(out[j][1]),
             "amount": out[j][2], "currency": "GBP"} for j in keep]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", default=os.path.join(train_churn.ROOT, "..", "shared", "datasets"))
    ap.add_argument("--customers", type=int, default=25_000)
    ap.add_argument("--orders", type=int, default=70_000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="churn-timing-") as tmp:
        path = os.path.join(tmp, "orders.jsonl")
        evs = synthetic(os.path.join(a.datasets, "online-retail-uci", "online_retail.csv.gz"), a.customers,
                        a.orders, a.seed)
        write_events(path, evs)
        print(f"[timing] {len({e['userId'] for e in evs})} customers, {len(evs)} orders", flush=True)
        t0 = time.time()
        train_churn.main(["--events", path, "--out-dir", os.path.join(tmp, "models")])
        print(f"[timing] train_churn.py wall time {time.time() - t0:.0f} s", flush=True)


if __name__ == "__main__":
    main()
