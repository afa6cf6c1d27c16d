#!/usr/bin/env python3
"""Checks the coverage inventory (rules/src/inventory.json) against the built-in rule sets.

    python3 tests/tools/check_inventory.py [INVENTORY.json]

The inventory lists every assessable indicator of the source documents (ids A1…F15) with the rule sets
that should score it (`expected`) and, per rule set, one of:
  {"items": [...]}                    covered: the items that score it
  {"items": [...], "partly": "why"}   partly covered, and why only partly
  {"reason": "why not"}               not scored in this set, and why
  "—"                                 not expected in this set
Item references are item ids ("2.2"), or "adj:ID", "bonus:ID", "veto:ID" for adjustments, bonus items
and vetoes. Fails when an indicator is neither scored nor explained for a rule set that should score it,
when an entry names an item that does not exist in the rule set, or when an entry is malformed. Prints
the coverage per rule set (covered / partly / not scored with reason / not expected) and the items no
indicator names.
"""
import json
import os
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
NOT_EXPECTED = "—"


def refs(rules):
    """Every name an inventory entry may use for this rule set."""
    out = {}
    for s in rules["sections"]:
        for it in s["items"]:
            out[it["id"]] = f"{it['id']} {it['title']}"
    for a in rules.get("adjustments", []):
        out["adj:" + a["id"]] = f"调整项 {a['title']}"
    for b in rules.get("bonus", {}).get("items", []):
        out["bonus:" + b["id"]] = f"加分项 {b['title']}"
    for v in rules.get("vetoes", []):
        out["veto:" + v["id"]] = f"否决项 {v['title']}"
    return out


def main(argv):
    path = argv[0] if argv else os.path.join(ROOT, "rules/src/inventory.json")
    inv = json.load(open(path, encoding="utf-8"))
    sets = inv["rule_sets"]
    rules = {s: json.load(open(os.path.join(ROOT, p), encoding="utf-8")) for s, p in sets.items()}
    names = {s: refs(r) for s, r in rules.items()}
    used = {s: set() for s in sets}
    problems = []
    counts = {s: {"expected": 0, "covered": 0, "partly": 0, "reason": 0, "missing": 0, "not expected": 0, "beyond": 0}
              for s in sets}
    seen = set()
    for ind in inv["indicators"]:
        iid = ind.get("id")
        if iid in seen:
            problems.append(f"{iid}: duplicate indicator id")
        seen.add(iid)
        for k in ("name", "type", "expected"):
            if not ind.get(k):
                problems.append(f"{iid}: no {k}")
        for s in ind.get("expected", []):
            if s not in sets:
                problems.append(f"{iid}: expected names an unknown rule set {s!r}")
        for s in sets:
            entry = ind.get(s, NOT_EXPECTED)
            c = counts[s]
            expected = s in ind.get("expected", [])
            c["expected"] += expected
            if entry == NOT_EXPECTED:
                if expected:
                    c["missing"] += 1
                    problems.append(f"{iid} {ind.get('name')}: {s} should score it, but it is neither scored nor explained")
                else:
                    c["not expected"] += 1
                continue
            if not isinstance(entry, dict) or not (("items" in entry) ^ ("reason" in entry)) or \
                    set(entry) - {"items", "partly", "reason"}:
                problems.append(f"{iid}: {s}: malformed entry {entry!r} (items [+ partly] or reason, or —)")
                continue
            if "reason" in entry:
                if not entry["reason"].strip():
                    problems.append(f"{iid}: {s}: empty reason")
                c["reason"] += 1
                continue
            if not entry["items"]:
                problems.append(f"{iid}: {s}: empty items")
            for ref in entry["items"]:
                if ref not in names[s]:
                    problems.append(f"{iid} {ind.get('name')}: {s} has no item {ref!r}")
                used[s].add(ref)
            if "partly" in entry and not entry["partly"].strip():
                problems.append(f"{iid}: {s}: partly without a note")
            if expected:
                c["partly" if "partly" in entry else "covered"] += 1
            else:
                c["beyond"] += 1
    print(f"{path}: {len(inv['indicators'])} indicators")
    print(f"{'rule set':<13} {'should score':>12} {'covered':>8} {'partly':>7} {'not scored (reason)':>20} "
          f"{'unexplained':>12} {'not expected':>13} {'scored beyond':>14}")
    for s, c in counts.items():
        print(f"{s:<13} {c['expected']:>12} {c['covered']:>8} {c['partly']:>7} {c['reason']:>20} {c['missing']:>12} "
              f"{c['not expected']:>13} {c['beyond']:>14}")
    for s in sets:
        orphans = [names[s][r] for r in names[s] if r not in used[s]]
        if orphans:
            print(f"(info) {s}: named by no indicator: " + "; ".join(orphans))
    for p in problems:
        print("BAD " + p)
    checks = sum(c["expected"] for c in counts.values())
    print(f"{checks - sum(c['missing'] for c in counts.values())} passed, {len(problems)} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
