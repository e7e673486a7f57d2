"""Prints the review model's tables for MODEL_CARD.md from onnx-models/review/manifest.part.json, so the card's
numbers are the trainer's and nobody retypes them.

    onnx-models/.venv/bin/python onnx-models/training/review_card.py [--part onnx-models/review/manifest.part.json]
"""
import argparse
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
NAMES = {"transformer": "**byte Transformer (review.onnx)**", "tfidfLr": "TF-IDF word 1-2 + char + LR, same input (first maxTokens - 1 = 511 bytes)",
         "tfidfLrFullText": "TF-IDF word 1-2 + char + LR, whole text"}
ZH = {"书籍": "books", "平板": "tablets", "手机": "phones", "水果": "fruit", "洗发水": "shampoo", "热水器": "water heaters",
      "蒙牛": "Mengniu dairy", "衣服": "clothing", "计算机": "computers", "酒店": "hotels"}


def f(x, nd=3):
    return "-" if x is None else f"{x:.{nd}f}"


def ci(v):
    return f"[{f(v[0])}, {f(v[1])}]" if v else "-"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--part", default=os.path.join(HERE, "..", "review", "manifest.part.json"))
    p = json.load(open(ap.parse_args().part, encoding="utf-8"))
    m = p["metrics"]
    print("| language | model | ROC-AUC (95 % CI) | macro-F1 (95 % CI) | threshold | tp | fp | fn | tn |")
    print("|---|---|---|---|---|---:|---:|---:|---:|")
    for lg in ("en", "zh"):
        for nm, r in m["test"][lg].items():
            b = m["bootstrap95"][lg].get(nm, {})
            thr = m["threshold"] if nm == "transformer" else p["baselines"][nm]["threshold"]
            c = r["confusion"]
            print(f"| {lg} (n {r['n']}, {r['negatives']} negative) | {NAMES[nm]} | {f(r['rocAuc'])} {ci(b.get('rocAuc'))} | "
                  f"{f(r['macroF1'])} {ci(b.get('macroF1'))} | {f(thr, 4)} | {c['tp']} | {c['fp']} | {c['fn']} | {c['tn']} |")
    print()
    print("Paired bootstrap of the difference (Transformer - baseline), test reviews resampled "
          f"{m['bootstrap95']['en']['resamples']} times:")
    print()
    print("| language | difference | ROC-AUC | macro-F1 |")
    print("|---|---|---|---|")
    for lg in ("en", "zh"):
        for k, v in m["bootstrap95"][lg].items():
            if " - " in k:
                print(f"| {lg} | {k} | {ci(v['rocAuc'])} | {ci(v['macroF1'])} |")
    print()
    for key, title in (("en.departmentName", "English, Department Name"), ("en.className", "English, Class Name"),
                       ("zh.cat", "Chinese, cat")):
        cats = m["perCategory"][key]
        models = [nm for nm in NAMES if any(nm in v for v in cats.values())]
        print(f"Per category, {title} (test; ROC-AUC / macro-F1):")
        print()
        short = {"transformer": "byte Transformer", "tfidfLr": "TF-IDF LR, same input", "tfidfLrFullText": "TF-IDF LR, whole text"}
        print("| category | n | negative | " + " | ".join(short[nm] for nm in models) + " |")
        print("|---|---:|---:|" + "---|" * len(models))
        for c, v in cats.items():
            label = f"{c} ({ZH[c]})" if c in ZH else c
            if "note" in v:
                print(f"| {label} | {v['n']} | - | " + " | ".join("-" for _ in models) + " |")
                continue
            first = v[models[0]]
            print(f"| {label} | {first['n']} | {first['negatives']} | "
                  + " | ".join(f"{f(v[nm]['rocAuc'])} / {f(v[nm]['macroF1'])}" for nm in models) + " |")
        print()
    print("Text against the stars (English test, at each scorer's threshold):")
    print()
    print("| scorer | 4-5 stars called negative | 1-2 stars called positive | 3 stars called negative |")
    print("|---|---|---|---|")
    for nm, d in m["textVersusStars"].items():
        print(f"| {NAMES[nm]} | {d['highStarsCalledNegative']} of {d['highStars']} ({100 * d['shareHighStarsCalledNegative']:.1f} %) | "
              f"{d['lowStarsCalledPositive']} of {d['lowStars']} ({100 * d['shareLowStarsCalledPositive']:.1f} %) | "
              f"{d['threeStarsCalledNegative']} of {d['threeStars']} |")
    print()
    r = m["rating"]
    print(f"Rating head (English test): MAE {f(r['en']['mae'])} stars, RMSE {f(r['en']['rmse'])}, Spearman "
          f"{f(r['en']['spearman'])}; predicting the training mean: MAE {f(r['en']['maeMeanRatingBaseline'])}. Chinese "
          f"test: mean expected rating {f(r['zh']['meanRatingNegative'], 2)} on negative and "
          f"{f(r['zh']['meanRatingPositive'], 2)} on positive reviews.")
    c = p["calibration"]
    print()
    print(f"Calibration: T_neg {c['temperatureNegative']}, T_rating {c['temperatureRating']}; ECE (15 bins) before -> after:")
    print(", ".join(f"{k} {v['before']} -> {v['after']}" for k, v in c["ece"].items() if isinstance(v, dict)))
    t = p["training"]
    print()
    print(f"Training: {t['parameters']:,} parameters, {p['bytes']:,} bytes; best epoch {t['bestEpoch']} of "
          f"{t['epochsRun']} ({t['stoppedBy']}); train {t['trainSeconds']} s, whole run {p['wallSeconds']} s; "
          f"history {json.dumps(t['history'])}")


if __name__ == "__main__":
    main()
