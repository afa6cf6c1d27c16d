#!/usr/bin/env python3
"""Writes the built-in rule sets rules/{subdistrict,department,enterprise}.json from the sources in
this folder (every quote is checked against docs/sources/ while they load).

    python3 rules/src/build.py                 # write rules/*.json
    python3 rules/src/build.py --check         # exit 1 if rules/*.json differ from what the sources give
    python3 rules/src/build.py --compat OUTDIR # copies for an engine without documents/sources/example/unit_tags

--compat writes OUTDIR/{id}.json (documents, sources and example dropped; each unit tag an optional bool
input, default false; embedded tests' unit.tags moved into their values) and OUTDIR/examples/… : every
example submission for the new version (examples/subdistrict-dq.json, examples/units/, examples/department/,
examples/enterprise/) with unit.tags moved into values. Scores are identical by construction
(format-additions §3); `kpi check/test/score` and tests/tools/crosscheck.py run on these copies until
the engine accepts the additions.
"""
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402

ROOT = common.ROOT
IDS = ("subdistrict", "department", "enterprise")
EXAMPLES = ["examples/subdistrict-dq.json", "examples/units", "examples/department", "examples/enterprise"]


def text(obj):
    return json.dumps(obj, ensure_ascii=False, indent=1) + "\n"


def rule_sets():
    import importlib
    return {i: common.scope_inputs(importlib.import_module(i).rules) for i in IDS}


def example_files():
    for e in EXAMPLES:
        p = ROOT / e
        if p.is_dir():
            yield from sorted(p.glob("*.json"))
        elif p.exists():
            yield p


def main(argv):
    sets = rule_sets()
    if argv[:1] == ["--check"]:
        stale = [i for i, r in sets.items() if (ROOT / f"rules/{i}.json").read_text(encoding="utf-8") != text(r)]
        for i in stale:
            print(f"rules/{i}.json is not what rules/src/{i}.py gives: run python3 rules/src/build.py")
        print(f"{len(sets) - len(stale)} passed, {len(stale)} failed")
        return 1 if stale else 0
    if argv[:1] == ["--compat"]:
        out = pathlib.Path(argv[1])
        out.mkdir(parents=True, exist_ok=True)
        for i, r in sets.items():
            (out / f"{i}.json").write_text(text(common.compat_rules(r)), encoding="utf-8")
        n = 0
        for f in example_files():
            sub = json.loads(f.read_text(encoding="utf-8"))
            target = out / f.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text(common.compat_submission(sub)), encoding="utf-8")
            n += 1
        print(f"wrote {len(sets)} compat rule sets and {n} example submissions to {out}")
        return 0
    if argv:
        print(__doc__)
        return 2
    for i, r in sets.items():
        (ROOT / f"rules/{i}.json").write_text(text(r), encoding="utf-8")
    print("wrote " + ", ".join(f"rules/{i}.json" for i in sets))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
