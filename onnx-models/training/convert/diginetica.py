"""DIGINETICA (CIKM Cup 2016) item views + purchases -> event JSON.

Inputs: diginetica-srgnn/sample_train-item-views.csv (`session_id;user_id;item_id;timeframe;eventdate`),
diginetica-recohut/train-purchases.csv (`sessionId;userId;timeframe;eventdate;ordernumber;itemId`),
diginetica-recohut/product-categories.csv (`itemId;categoryId`).
Only sessions of the view sample are kept; their purchases (joined on session id) become `order`
events with itemId (quantity 1). ts = eventdate (UTC midnight) + timeframe (ms offset in the
session). userId = "dg-<session_id>". Within a session: by ts, views before orders on a tie.
"""
import argparse
import os
import sys

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from common import iso, write_events  # noqa: E402


def convert(datasets):
    v = pd.read_csv(os.path.join(datasets, "diginetica-srgnn", "sample_train-item-views.csv"), sep=";",
                    dtype=str)
    p = pd.read_csv(os.path.join(datasets, "diginetica-recohut", "train-purchases.csv"), sep=";", dtype=str)
    c = pd.read_csv(os.path.join(datasets, "diginetica-recohut", "product-categories.csv"), sep=";", dtype=str)
    cat = dict(zip(c["itemId"], c["categoryId"]))
    p = p[p["sessionId"].isin(set(v["session_id"]))]
    rows = []
    for i, r in enumerate(v.itertuples(index=False)):
        rows.append((r.session_id, r.eventdate, int(r.timeframe), 0, i, r.item_id, None))
    for i, r in enumerate(p.itertuples(index=False)):
        rows.append((r.sessionId, r.eventdate, int(r.timeframe), 1, i, r.itemId, r.ordernumber))
    events = []
    for sid, date, tf, kind, i, item, order in rows:
        base = int(pd.Timestamp(date, tz="UTC").value // 1_000_000)
        events.append((sid, base + tf, kind, i, item, order))
    events.sort(key=lambda t: (int(t[0]), t[1], t[2], t[3]))
    out = []
    for sid, ms, kind, i, item, order in events:
        e = {"userId": f"dg-{sid}", "ts": iso(ms), "itemId": item, "categoryId": cat.get(item)}
        if kind == 0:
            e = {"eventId": f"dg-v-{i}", "type": "view", **e}
        else:
            e = {"eventId": f"dg-o-{order}-{i}", "type": "order", **e, "quantity": 1}
        out.append(e)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--datasets", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    ev = convert(a.datasets)
    dst = os.path.join(a.out, "diginetica.jsonl")
    write_events(dst, ev)
    n_orders = sum(e["type"] == "order" for e in ev)
    buyers = len({e["userId"] for e in ev if e["type"] == "order"})
    print(f"diginetica: {len(ev)} events ({n_orders} orders), {len({e['userId'] for e in ev})} sessions, "
          f"{buyers} buying -> {dst}")


if __name__ == "__main__":
    main()
