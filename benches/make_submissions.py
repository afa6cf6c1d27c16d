#!/usr/bin/env python3
"""Writes N varied, valid submissions for a rule set as JSON lines (for benchmarks).

    python3 benches/make_submissions.py rules/subdistrict.json 10000 > /tmp/subs.jsonl

Values are drawn per input type within its bounds (counts 0..6, percents 80..100, numbers within
min..max, bools mostly the good answer), so every unit scores differently. Seeded: the same
arguments give the same file."""
import json, random, sys

def main():
    rules = json.load(open(sys.argv[1], encoding="utf-8"))
    n = int(sys.argv[2])
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 2026)
    inputs = rules["inputs"]
    for k in range(n):
        values = {}
        for i in inputs:
            t = i["type"]
            if t == "count":
                v = rng.choice([0, 0, 0, 1, 1, 2, 3, 6])
                # A literal maximum (a count of categories, say) bounds the draw.
                mx = i.get("max")
                if isinstance(mx, (int, float)) or (isinstance(mx, str) and mx.replace(".", "", 1).isdigit()):
                    v = min(v, int(float(mx)))
            elif t == "percent":
                v = f"{rng.uniform(80, 100):.1f}"
            elif t == "number":
                lo = float(i.get("min", 0)) if not isinstance(i.get("min"), str) or i["min"].replace(".", "", 1).isdigit() else 0.0
                hi = float(i.get("max", lo + 100)) if not isinstance(i.get("max"), str) or i["max"].replace(".", "", 1).isdigit() else lo + 100
                v = f"{rng.uniform(lo, hi):.2f}"
            elif t == "bool":
                v = rng.random() < 0.5
            elif t == "choice":
                v = rng.choice(i["options"])
            else:
                v = "备注"
            values[i["id"]] = v
        # Bounds naming another input (hazards_fixed <= hazards_found).
        for i in inputs:
            for key, op in (("max", min), ("min", max)):
                ref = i.get(key)
                if isinstance(ref, str) and ref in values and i["type"] in ("count", "number", "percent"):
                    a, b = float(values[i["id"]]), float(values[ref])
                    r = op(a, b)
                    values[i["id"]] = int(r) if i["type"] == "count" else f"{r:.2f}"
        sub = {"format": "kpi-submission/1", "rules": {"id": rules["id"], "version": rules["version"]},
               "unit": {"id": f"u{k:06d}", "name": f"单位{k}"}, "period": rules["period"], "values": values}
        print(json.dumps(sub, ensure_ascii=False))

main()
