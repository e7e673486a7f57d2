"""UCI Online Retail (CSV) -> `order` events in the pipeline's event JSON (one object per line).

    /usr/bin/python3 onnx-models/training/convert/online_retail.py \
        --input ../shared/datasets/online-retail-uci/online_retail.csv.gz \
        --out onnx-models/work/online_retail/orders.jsonl

One order event per invoice line:
  eventId  "or-<InvoiceNo>-<line>"  (line = 0-based position of the row inside its invoice, file order)
  userId   "or-<CustomerID>"
  type     "order"
  ts       InvoiceDate, read as UTC (the data carries no zone; the shop is in the UK)
  itemId   StockCode, quantity Quantity, price UnitPrice, amount round(Quantity*UnitPrice, 2),
  currency "GBP", country Country
Rows that do not become events (counts printed):
  - no CustomerID (the order cannot be attributed to a customer);
  - cancellations (InvoiceNo starting with "C", negative quantity): the event contract has no refund
    type and an order with a negative quantity is not a valid contract event, so they are dropped,
    not netted against the original order (churn is about whether a customer buys at all);
  - non-positive quantity or unit price (free samples, manual adjustments, bad debt lines).
Output is sorted by (ts, file row), so it can be replayed as a stream.
"""
import argparse
import os
import sys

import pandas as pd

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import iso, write_events  # noqa: E402


def convert(input_path):
    df = pd.read_csv(input_path, dtype={"InvoiceNo": str, "StockCode": str})
    df["row"] = range(len(df))
    df["line"] = df.groupby("InvoiceNo", sort=False).cumcount()
    total = len(df)
    no_cust = df["CustomerID"].isna()
    cancel = df["InvoiceNo"].str.startswith("C") & ~no_cust
    bad = ((df["Quantity"] <= 0) | (df["UnitPrice"] <= 0)) & ~no_cust & ~cancel
    keep = df[~no_cust & ~cancel & ~bad].copy()
    print(f"online_retail: {total} rows; dropped {int(no_cust.sum())} without CustomerID, "
          f"{int(cancel.sum())} cancellations, {int(bad.sum())} with quantity or price <= 0; "
          f"{len(keep)} order events", file=sys.stderr)
    # epoch ms whatever the datetime unit (pandas 3 may parse to seconds or microseconds, not nanoseconds)
    ts = pd.to_datetime(keep["InvoiceDate"]).dt.tz_localize("UTC")
    keep["ts"] = (ts - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(milliseconds=1)
    keep = keep.sort_values(["ts", "row"], kind="mergesort")
    for r in keep.itertuples(index=False):
        yield {
            "eventId": f"or-{r.InvoiceNo}-{r.line}",
            "userId": f"or-{int(r.CustomerID)}",
            "type": "order",
            "ts": iso(int(r.ts)),
            "itemId": str(r.StockCode),
            "quantity": int(r.Quantity),
            "price": float(r.UnitPrice),
            "amount": round(float(r.Quantity) * float(r.UnitPrice), 2),
            "currency": "GBP",
            "country": r.Country,
        }


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.abspath(os.path.join(here, "..", "..", ".."))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--input", default=os.path.join(root, "..", "shared", "datasets", "online-retail-uci",
                                                   "online_retail.csv.gz"))
    p.add_argument("--out", default=os.path.join(root, "onnx-models", "work", "online_retail", "orders.jsonl"))
    a = p.parse_args(argv)
    write_events(a.out, convert(a.input))
    print(f"wrote {a.out}", file=sys.stderr)
    return a.out


if __name__ == "__main__":
    main()
