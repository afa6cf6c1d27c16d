#!/usr/bin/env python3
"""Checks that every quote in the built-in rule sets is its document's exact words.

    python3 tests/tools/check_sources.py                 # rules/*.json
    python3 tests/tools/check_sources.py a.json b.json   # other rule sets

For every `sources: [{doc, quote}]` anywhere in a rule set (items, lines, adjustments, bonus items,
vetoes, grades, quotas), `doc` must name an entry of the rule set's `documents`, whose `file` (a path in
the repository, under docs/sources/) must exist, and `quote` must occur in that file verbatim once white
space is ignored on both sides (the documents break lines inside sentences); and every item, deduction or
bonus line, adjustment, bonus item and veto must carry at least one source. Also checks that each file
in docs/sources/ is listed in docs/sources/README.md with its SHA-256, so the copies stay byte-identical
to the published documents. Prints every bad quote with its JSON pointer and exits 1 if there is any.
"""
import glob
import hashlib
import json
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SPACE = re.compile(r"\s+")


def squeeze(text):
    return SPACE.sub("", text)


def walk(o, path):
    """(JSON pointer, sources list) for every `sources` in o (test values are data, not rules)."""
    if isinstance(o, dict):
        if isinstance(o.get("sources"), list):
            yield path + "/sources", o["sources"]
        for k, v in o.items():
            if k not in ("sources", "tests", "documents"):
                yield from walk(v, f"{path}/{k}")
    elif isinstance(o, list):
        for k, v in enumerate(o):
            yield from walk(v, f"{path}/{k}")


def traced(rules):
    """(JSON pointer, object) for everything that must carry sources: items and their lines, adjustments and
    their lines, bonus items and their lines, vetoes."""
    for si, s in enumerate(rules.get("sections", [])):
        for ii, it in enumerate(s.get("items", [])):
            yield f"/sections/{si}/items/{ii}", it
            for li, line in enumerate(it.get("deduct", [])):
                yield f"/sections/{si}/items/{ii}/deduct/{li}", line
    for ai, a in enumerate(rules.get("adjustments", [])):
        yield f"/adjustments/{ai}", a
        for li, line in enumerate(a.get("deduct", [])):
            yield f"/adjustments/{ai}/deduct/{li}", line
    for bi, b in enumerate(rules.get("bonus", {}).get("items", [])):
        yield f"/bonus/items/{bi}", b
        for li, line in enumerate(b.get("add", [])):
            yield f"/bonus/items/{bi}/add/{li}", line
    for vi, v in enumerate(rules.get("vetoes", [])):
        yield f"/vetoes/{vi}", v


def check_readme(problems):
    """docs/sources/README.md names every source file with its SHA-256."""
    readme_path = os.path.join(ROOT, "docs/sources/README.md")
    readme = open(readme_path, encoding="utf-8").read() if os.path.exists(readme_path) else ""
    files = sorted(glob.glob(os.path.join(ROOT, "docs/sources/*.txt")))
    for f in files:
        name = os.path.basename(f)
        digest = hashlib.sha256(open(f, "rb").read()).hexdigest()
        if name not in readme:
            problems.append(f"docs/sources/README.md does not list {name}")
        elif digest not in readme:
            problems.append(f"docs/sources/{name}: SHA-256 {digest} is not the one docs/sources/README.md lists "
                            f"(the copy must stay byte-identical to the published document)")
    return len(files)


def check(path, problems):
    rules = json.load(open(path, encoding="utf-8"))
    docs = {}
    for k, d in enumerate(rules.get("documents", [])):
        f = d.get("file")
        if not f or not os.path.exists(os.path.join(ROOT, f)):
            problems.append(f"{path}: /documents/{k} ({d.get('id')}): file {f!r} not found in the repository")
            continue
        docs[d["id"]] = squeeze(open(os.path.join(ROOT, f), encoding="utf-8").read())
    ok = 0
    for pointer, sources in walk(rules, ""):
        for k, s in enumerate(sources):
            doc, quote = s.get("doc"), s.get("quote", "")
            where = f"{path}: {pointer}/{k}"
            if doc not in docs:
                problems.append(f"{where}: unknown document {doc!r}")
            elif not squeeze(quote):
                problems.append(f"{where}: empty quote")
            elif squeeze(quote) not in docs[doc]:
                problems.append(f"{where}: not in {doc} verbatim: 「{quote}」")
            else:
                ok += 1
    for pointer, o in traced(rules):
        if not o.get("sources"):
            problems.append(f"{path}: {pointer} ({o.get('id') or o.get('reason')}): no sources")
    return ok


def main(argv):
    paths = argv or sorted(glob.glob(os.path.join(ROOT, "rules/*.json")))
    problems = []
    n_files = check_readme(problems)
    ok = 0
    for p in paths:
        n = check(p, problems)
        print(f"{os.path.relpath(p, ROOT)}: {n} quotes found verbatim")
        ok += n
    for p in problems:
        print("BAD " + p)
    print(f"{n_files} source documents; {ok} passed, {len(problems)} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
