#!/usr/bin/env python3
"""Prints golden outcomes compactly, for reviewing them after UPDATE_EXPECT=1."""
import json, sys, pathlib
for path in sys.argv[1:]:
    d = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
    print(f"## {path}")
    if "error" in d:
        for p in d["error"]:
            print(f"  ERROR {p['code']} {p['path']} | {p['message']}")
        continue
    print(f"  total={d['total']} grade={d['grade']} (by score {d['grade_by_score']}) status={d['status']} subtotal={d['subtotal']}" + (f" rank={d['rank']}" if 'rank' in d else ""))
    for s in d["sections"]:
        print(f"  [{s['id']}] {s['score']}/{s['points']}" + "".join(f"\n      {l['points']} {l['reason']}" for l in s["lines"]))
        for i in s["items"]:
            v = f" value={i['value']}" if "value" in i else ""
            print(f"    {i['id']} {i['score']}/{i['points']} {i['status']}{v}")
            for l in i["lines"]:
                print(f"        {l['points']:>7} {l['kind']}: {l['reason']}")
    for a in d["adjustments"]:
        print(f"  ADJ {a['id']} {a['amount']} {a['status']}" + "".join(f"\n        {l['points']:>7} {l['kind']}: {l['reason']}" for l in a["lines"]))
    if d.get("bonus"):
        b = d["bonus"]
        print(f"  BONUS {b['amount']} cap {b['cap']}")
        for i in b["items"]:
            print(f"    {i['id']} {i['amount']}/{i['points']} {i['status']}" + "".join(f"\n        {l['points']:>7} {l['kind']}: {l['reason']}" for l in i["lines"]))
        for l in b["lines"]:
            print(f"        {l['points']:>7} {l['kind']}: {l['reason']}")
    for v in d["vetoes"]:
        if v["triggered"] is not False:
            print(f"  VETO {v['id']} triggered={v['triggered']} {v['effect_text']}")
    for l in d["lines"]:
        print(f"  LINE {l['points']} {l['kind']}: {l['reason']}")
    for p in d["pending"]:
        print(f"  PENDING {p['kind']} {p['id']} missing={p['missing']} {p['reason']}")
    for w in d["warnings"]:
        print(f"  WARN {w['code']} {w['path']} {w['message']}")
