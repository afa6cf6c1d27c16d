#!/usr/bin/env python3
"""Writes examples/subdistrict-2027.json: the built-in subdistrict rules with two edits, for the
README's rule-change example (优秀 from 90 to 92; 重大事故隐患整改率 1 point per percentage point)."""
import json, pathlib
here = pathlib.Path(__file__).resolve().parent
r = json.loads((here.parent / "rules/subdistrict.json").read_text(encoding="utf-8"))
r["version"], r["period"], r["title"] = "2027.1", "2027", r["title"].replace("2026", "2027")
for s in r["sections"]:
    for it in s["items"]:
        if it["id"] == "2.2":
            it["rate"]["points_per_step"] = "1"
            it["basis"] = it["basis"].replace("0.5分", "1分")
r["grades"][0]["min"] = "92"
r["tests"] = []
(here / "subdistrict-2027.json").write_text(json.dumps(r, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
