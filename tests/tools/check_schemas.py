#!/usr/bin/env python3
"""Checks schema/*.json against the engine's own verdicts on the golden corpus: every rule set and
submission the engine accepts must be valid under the schema, and every rule set the engine refuses
for a structural reason (unknown or missing field, wrong type, two rules, bad effect) must be
invalid under it. Lint-level problems (points sums, unknown ids in expressions) are beyond a schema.
Every report the engine wrote (the golden cases' outputs, a batch's reports from the CLI) must be
valid under the report schema, as must the golden errors, diffs and probe findings. The schemas and
the result types of js/index.d.ts must be what schema/src/make_schemas.py writes (they are generated
from it). Needs `pip install jsonschema` and target/release/kpi. Prints 'N passed, N failed'."""
import json, pathlib, subprocess, sys, tempfile
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
# Generated files are up to date: regenerate into a scratch folder and compare.
with tempfile.TemporaryDirectory() as tmp:
    tmp = pathlib.Path(tmp)
    subprocess.run([sys.executable, str(root / "schema/src/make_schemas.py"), str(tmp), str(tmp / "index.d.ts")],
                   check=True, capture_output=True)
    for name in ["kpi-rules.schema.json", "kpi-submission.schema.json", "kpi-report.schema.json"]:
        verdict((tmp / name).read_text(encoding="utf-8") == (root / "schema" / name).read_text(encoding="utf-8"),
                f"schema/{name} differs from what schema/src/make_schemas.py writes")
    verdict((tmp / "index.d.ts").read_text(encoding="utf-8") == (root / "js/index.d.ts").read_text(encoding="utf-8"),
            "js/index.d.ts's result types differ from the report schema (run schema/src/make_schemas.py)")

# Everything the engine wrote is valid under the report schema.
report_schema = load(root / "schema/kpi-report.schema.json")
jsonschema.Draft202012Validator.check_schema(report_schema)
def validator(defn):
    return jsonschema.Draft202012Validator({**report_schema, "$ref": f"#/$defs/{defn}"})
reports, errors, diffs, findings = validator("report"), validator("errors"), validator("diff"), validator("probe_finding")
def valid(v, doc, what):
    errs = list(v.iter_errors(doc))
    verdict(not errs, f"{what}: {errs[0].message[:200] if errs else ''}")
for f in sorted(root.glob("tests/cases/*/*.out.json")):
    doc = load(f)
    valid(errors if "error" in doc else reports, doc, str(f))
for d in sorted(root.glob("tests/diffs/*")):
    valid(diffs, load(d / "expected.json"), str(d / "expected.json"))
    for k, finding in enumerate(load(d / "probe.json")):
        valid(findings, finding, f"{d}/probe.json[{k}]")
kpi = root / "target/release/kpi"
for d in sorted(root.glob("tests/batches/*")):
    out = subprocess.run([str(kpi), "score", "--rules", str(d / "rules.json"), str(d / "units.jsonl"), "--format", "json"],
                         capture_output=True, text=True)
    for k, report in enumerate(json.loads(out.stdout)):
        valid(reports, report, f"{d}: batch report {k}")
        verdict("rank" in report, f"{d}: batch report {k} has no rank")
for f in sorted(root.glob("examples/*.json")):
    if is_rules(f):
        continue
    out = subprocess.run([str(kpi), "score", "--rules", "subdistrict", str(f), "--format", "json", "--provisional"],
                         capture_output=True, text=True)
    if out.returncode == 0:
        valid(reports, json.loads(out.stdout), f"{f}: report")

for f in failed:
    print("FAIL", f)
print(f"{passed} passed, {len(failed)} failed")
sys.exit(1 if failed else 0)
