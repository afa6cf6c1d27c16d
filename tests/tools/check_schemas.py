#!/usr/bin/env python3
"""Checks schema/*.json against the engine's own verdicts on the golden corpus: every rule set and
submission the engine accepts must be valid under the schema, and every rule set the engine refuses
for a structural reason (unknown or missing field, wrong type, two rules, bad effect) must be
invalid under it. Lint-level problems (points sums, unknown ids in expressions) are beyond a schema.
Needs `pip install jsonschema`. Prints 'N passed, N failed'."""
import glob, json, pathlib, sys
import jsonschema

root = pathlib.Path(__file__).resolve().parents[2]
load = lambda p: json.loads(pathlib.Path(p).read_text(encoding="utf-8"))
rules_schema, sub_schema = load(root / "schema/kpi-rules.schema.json"), load(root / "schema/kpi-submission.schema.json")
for s in (rules_schema, sub_schema):
    jsonschema.Draft202012Validator.check_schema(s)
rv, sv = jsonschema.Draft202012Validator(rules_schema), jsonschema.Draft202012Validator(sub_schema)
STRUCTURAL = {"field.unknown", "field.missing", "field.type", "item.rule", "line.kind", "line.per_only", "veto.effect", "rules.format", "decimal.invalid"}
passed, failed = 0, []

def verdict(ok, what):
    global passed
    if ok: passed += 1
    else: failed.append(what)

examples = sorted(root.glob("examples/**/*.json"))
is_rules = lambda f: load(f).get("format") == "kpi-rules/1"
accepted = list(root.glob("rules/*.json")) + list(root.glob("tests/batches/*/rules.json")) + list(root.glob("tests/diffs/*/old.json")) + list(root.glob("tests/diffs/*/new.json"))
accepted += [f for f in examples if is_rules(f)]
for case in sorted(root.glob("tests/cases/*/rules.json")):
    out = case.with_name("rules.out.json")
    if not out.exists():
        accepted.append(case)
        continue
    codes = {p["code"] for p in load(out)["error"]}
    try:
        doc = load(case)
    except Exception:
        continue  # not JSON at all: the engine's json.* errors
    if codes & STRUCTURAL:
        verdict(any(True for _ in rv.iter_errors(doc)), f"{case}: engine refuses ({sorted(codes & STRUCTURAL)}) but the schema accepts")
for f in sorted(accepted):
    errs = list(rv.iter_errors(load(f)))
    verdict(not errs, f"{f}: engine accepts but schema says {errs[0].message[:200] if errs else ''}")
for f in sorted(list(root.glob("tests/cases/*/*.sub.json")) + [f for f in examples if not is_rules(f)]):
    try:
        doc = load(f)
    except Exception:
        continue
    out = pathlib.Path(str(f).replace(".sub.json", ".out.json"))
    structural = out.exists() and "error" in load(out) and {p["code"] for p in load(out)["error"]} & (STRUCTURAL | {"submission.format"})
    errs = list(sv.iter_errors(doc))
    verdict(bool(errs) == bool(structural), f"{f}: schema errors {len(errs)}, engine structural error {bool(structural)}")
for f in failed:
    print("FAIL", f)
print(f"{passed} passed, {len(failed)} failed")
sys.exit(1 if failed else 0)
