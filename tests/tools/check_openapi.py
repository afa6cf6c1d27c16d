#!/usr/bin/env python3
"""Starts `kpi serve` on a free port, validates the OpenAPI document it serves
(openapi-spec-validator), and checks every endpoint's answers, successes and errors alike, against
the schema that document gives for that path, method and status (jsonschema, draft 2020-12).

    python3 tests/tools/check_openapi.py [path/to/kpi]      # default target/release/kpi
"""
import json, pathlib, subprocess, sys, urllib.error, urllib.request

import jsonschema
from openapi_spec_validator import validate as validate_spec

root = pathlib.Path(__file__).resolve().parents[2]
kpi = sys.argv[1] if len(sys.argv) > 1 else str(root / "target/release/kpi")
proc = subprocess.Popen([kpi, "serve", "--listen", "127.0.0.1:0"], cwd=root,
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
passed = failed = 0
try:
    url = proc.stdout.readline().strip()

    def call(method, path, body=None):
        data = body.encode() if isinstance(body, str) else body
        req = urllib.request.Request(url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    status, text = call("GET", "/openapi.json")
    doc = json.loads(text)
    validate_spec(doc)
    print("the OpenAPI document is valid OpenAPI 3.1")
    passed += 1

    def check(method, path, template, body=None, want=None):
        global passed, failed
        status, text = call(method, path, body)
        op = doc["paths"][template][method.lower()]
        responses = op["responses"]
        problem = None
        if want is not None and status != want:
            problem = f"status {status}, expected {want}: {text[:300]}"
        elif str(status) not in responses:
            problem = f"status {status} is not documented"
        else:
            schema = dict(doc)
            schema["$ref"] = responses[str(status)]["content"]["application/json"]["schema"].get("$ref") \
                or "#/x-inline"
            schema["x-inline"] = responses[str(status)]["content"]["application/json"]["schema"]
            try:
                jsonschema.Draft202012Validator(schema).validate(json.loads(text))
            except jsonschema.ValidationError as e:
                problem = f"{e.message} at {list(e.absolute_path)}"
        label = f"{method} {path} → {status}"
        if problem:
            failed += 1
            print(f"FAIL {label}: {problem}")
        else:
            passed += 1
            print(f"ok   {label}")

    read = lambda p: (root / p).read_text(encoding="utf-8")
    dq = read("examples/subdistrict-dq.json")
    units = "[" + ",".join(read(str(p.relative_to(root))) for p in sorted((root / "examples/units").glob("*.json"))) + "]"
    new = read("examples/subdistrict-2027.json")
    S, B = "/v1/rule-sets/{id}/score", "/v1/rule-sets/{id}/batch"
    check("GET", "/healthz", "/healthz", want=200)
    check("GET", "/v1/rule-sets", "/v1/rule-sets", want=200)
    check("GET", "/openapi.json", "/openapi.json", want=200)
    check("POST", "/v1/rule-sets/subdistrict/score", S, dq, 200)
    check("POST", "/v1/rule-sets/subdistrict/score", S, "{", 400)
    check("POST", "/v1/rule-sets/subdistrict/score", S, "{}", 422)
    check("POST", "/v1/rule-sets/nope/score", S, dq, 404)
    check("POST", "/v1/rule-sets/subdistrict/batch", B, units, 200)
    check("POST", "/v1/rule-sets/subdistrict/batch", B, "[{}]", 422)
    check("POST", "/v1/check", "/v1/check", read("tests/cases/load-not-rules/rules.json"), 200)
    check("POST", "/v1/check", "/v1/check", read("rules/enterprise.json"), 200)
    check("POST", "/v1/diff", "/v1/diff", f'{{"old": "subdistrict", "new": {new}}}', 200)
    check("POST", "/v1/diff", "/v1/diff", f'{{"old": "subdistrict", "new": {new}, "submissions": {units}}}', 200)
    check("POST", "/v1/diff", "/v1/diff", f'{{"old": "subdistrict", "new": {new}, "submissions": [{dq}], "probe": true}}', 200)
    check("POST", "/v1/diff", "/v1/diff", '{"old": 1}', 422)
    _, report = call("POST", "/v1/rule-sets/subdistrict/score", dq)
    check("POST", "/v1/verify", "/v1/verify", f'{{"report": {report}, "submission": {dq}}}', 200)
    tampered = report.replace('"total": "89.15"', '"total": "99.15"')
    check("POST", "/v1/verify", "/v1/verify", f'{{"report": {tampered}, "submission": {dq}}}', 200)
    check("POST", "/v1/verify", "/v1/verify", '{"report": {}}', 422)
finally:
    proc.terminate()
    proc.wait(timeout=30)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
