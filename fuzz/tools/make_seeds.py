#!/usr/bin/env python3
"""Writes the fuzz seeds: fuzz/seeds/load/ (rule sets from tests/cases/ and rules/),
fuzz/seeds/expr/ (every expression in them, its input ids renamed into the expr target's scope)
and fuzz/seeds/score/ (a few fixed pseudo-random byte strings for the structured generator).
fuzz/seeds/load_and_score/ is kept as it is. Run from anywhere: python3 fuzz/tools/make_seeds.py"""
import json, random, re, shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "fuzz" / "seeds"

EXPR_KEYS = {"if", "per", "value", "formula", "applicable", "when"}
# The expr target's scope (fuzz/src/lib.rs): x y z numbers, flag done bools, level a choice.
BY_KIND = {"count": ["x", "y", "z"], "number": ["y", "z", "x"], "percent": ["z", "x", "y"],
           "bool": ["flag", "done"], "choice": ["level"], "text": ["remark"]}


def exprs(node, out):
    if isinstance(node, dict):
        for k, v in node.items():
            if k in EXPR_KEYS and isinstance(v, str):
                out.append(v)
            else:
                exprs(v, out)
    elif isinstance(node, list):
        for v in node:
            exprs(v, out)


def main():
    for sub in ("load", "expr", "score"):
        shutil.rmtree(SEEDS / sub, ignore_errors=True)
        (SEEDS / sub).mkdir(parents=True)
    files = sorted((ROOT / "tests" / "cases").glob("*/rules.json")) + sorted((ROOT / "rules").glob("*.json"))
    seen = set()
    for f in files:
        name = f.parent.name if f.name == "rules.json" else f.stem
        if f.stat().st_size > 65536:  # the 200 KB nesting cases would set libFuzzer's max_len
            continue
        (SEEDS / "load" / name).write_bytes(f.read_bytes())
        try:
            doc = json.loads(f.read_text(encoding="utf-8"))
        except (ValueError, RecursionError):
            continue
        if not isinstance(doc, dict):
            continue
        kinds = {}
        for i in doc.get("inputs", []) if isinstance(doc.get("inputs"), list) else []:
            if isinstance(i, dict) and isinstance(i.get("id"), str):
                kinds[i["id"]] = i.get("type")
        counters = {}
        rename = {}
        for ident, kind in kinds.items():
            names = BY_KIND.get(kind, ["x"])
            n = counters.get(kind, 0)
            counters[kind] = n + 1
            rename[ident] = names[n % len(names)]
        found = []
        exprs(doc, found)
        for e in found:
            e2 = re.sub(r"[A-Za-z_][A-Za-z0-9_]*", lambda m: rename.get(m.group(0), m.group(0)), e)
            if e2 in seen:
                continue
            seen.add(e2)
            (SEEDS / "expr" / f"{len(seen):03d}").write_text(e2, encoding="utf-8")
    rng = random.Random(20260101)
    for k, size in enumerate([64, 128, 256, 512, 1024, 2048, 4096, 4096]):
        (SEEDS / "score" / f"random-{k}").write_bytes(bytes(rng.randrange(256) for _ in range(size)))


if __name__ == "__main__":
    main()
