"""Fraud Detection Handbook simulated transactions (CSV) -> `payment` events + chargeback labels.

    /usr/bin/python3 onnx-models/training/convert/fraud_handbook.py \
        --input ../shared/datasets/fraud-handbook-simulated/transactions_2018-04_to_07.csv.gz \
        --out onnx-models/work/fraud_handbook/payments.jsonl \
        --labels-out onnx-models/work/fraud_handbook/labels.jsonl [--label-delay-days 7] [--legit-labels]

Payment event per transaction:
  eventId "fh-<TRANSACTION_ID>", userId "fh-<CUSTOMER_ID>", type "payment", merchantId "T<TERMINAL_ID>",
  amount TX_AMOUNT, ts TX_DATETIME read as UTC. The simulator has no currency, device, card or
  country: those fields are absent (the features that use them are 0 on this data).
Labels (the feedback-label shape of issue 11), one per fraudulent transaction:
  {labelId "lbl-<eventId>", eventId, userId, merchantId, label "fraud", source "chargeback",
   decidedAt = tx time + label delay (default 7 days), scenario TX_FRAUD_SCENARIO}
  `scenario` is an extra field (ignored by the contract) used only to report recall per scenario.
  With --legit-labels every other transaction also gets a label "legit" (same delay); without it a
  payment with no label counts as legit, which is what the trainer assumes.
Output is sorted by (ts, TRANSACTION_ID).
"""
import argparse
import os
import sys

import pandas as pd

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import iso, write_events  # noqa: E402

DAY_MS = 86_400_000


def load(input_path):
    df = pd.read_csv(input_path)
    df["ts"] = pd.to_datetime(df["TX_DATETIME"]).dt.tz_localize("UTC").astype("int64") // 10**6
    return df.sort_values(["ts", "TRANSACTION_ID"], kind="mergesort")


def payments(df):
    for r in df[["TRANSACTION_ID", "CUSTOMER_ID", "TERMINAL_ID", "TX_AMOUNT", "ts"]].itertuples(index=False):
        yield {"eventId": f"fh-{r.TRANSACTION_ID}", "userId": f"fh-{r.CUSTOMER_ID}", "type": "payment",
               "ts": iso(int(r.ts)), "amount": float(r.TX_AMOUNT), "merchantId": f"T{r.TERMINAL_ID}"}


def labels(df, delay_days, legit):
    sel = df if legit else df[df["TX_FRAUD"] == 1]
    delay = int(round(delay_days * DAY_MS))
    out = []
    for r in sel[["TRANSACTION_ID", "CUSTOMER_ID", "TERMINAL_ID", "TX_FRAUD", "TX_FRAUD_SCENARIO", "ts"]] \
            .itertuples(index=False):
        eid = f"fh-{r.TRANSACTION_ID}"
        out.append((int(r.ts) + delay, r.TRANSACTION_ID, {
            "labelId": f"lbl-{eid}", "eventId": eid, "userId": f"fh-{r.CUSTOMER_ID}",
            "merchantId": f"T{r.TERMINAL_ID}", "label": "fraud" if r.TX_FRAUD == 1 else "legit",
            "source": "chargeback", "decidedAt": iso(int(r.ts) + delay), "scenario": int(r.TX_FRAUD_SCENARIO)}))
    out.sort(key=lambda t: (t[0], t[1]))
    return [t[2] for t in out]


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.abspath(os.path.join(here, "..", "..", ".."))
    work = os.path.join(root, "onnx-models", "work", "fraud_handbook")
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--input", default=os.path.join(root, "..", "shared", "datasets", "fraud-handbook-simulated",
                                                   "transactions_2018-04_to_07.csv.gz"))
    p.add_argument("--out", default=os.path.join(work, "payments.jsonl"))
    p.add_argument("--labels-out", default=os.path.join(work, "labels.jsonl"))
    p.add_argument("--label-delay-days", type=float, default=7.0)
    p.add_argument("--legit-labels", action="store_true", help="also emit a 'legit' label per genuine payment")
    a = p.parse_args(argv)
    df = load(a.input)
    write_events(a.out, payments(df))
    lab = labels(df, a.label_delay_days, a.legit_labels)
    write_events(a.labels_out, lab)
    print(f"fraud_handbook: {len(df)} payments -> {a.out}; {len(lab)} labels "
          f"({int(df['TX_FRAUD'].sum())} fraud, delay {a.label_delay_days} d) -> {a.labels_out}", file=sys.stderr)
    return a.out, a.labels_out


if __name__ == "__main__":
    main()
