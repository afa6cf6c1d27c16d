//! The OpenAPI 3.1 document `GET /openapi.json` serves: every route of `ROUTES`, with the
//! project's JSON Schemas of rule sets, submissions and reports embedded as components.

use serde_json::{Value, json};

/// One of the project's schemas as the component `name`: its own references (`#/$defs/…`)
/// rewritten to point into the component, its `$id` and `$schema` left out (validators resolve
/// `#` against the OpenAPI document).
fn schema(name: &str, text: &str) -> Value {
    fn rebase(v: &mut Value, base: &str) {
        match v {
            Value::Object(m) => {
                for (k, x) in m.iter_mut() {
                    match x {
                        Value::String(r) if k == "$ref" && r.starts_with("#/") => {
                            *r = format!("{base}{}", &r[1..]);
                        }
                        _ => rebase(x, base),
                    }
                }
            }
            Value::Array(a) => a.iter_mut().for_each(|x| rebase(x, base)),
            _ => {}
        }
    }
    let mut v: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        m.remove("$id");
        m.remove("$schema");
    }
    rebase(&mut v, &format!("#/components/schemas/{name}"));
    v
}

/// A `$ref` to a component, or to a `$defs` entry of the report schema.
fn r(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn report_def(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/Report/$defs/{name}")})
}

fn body(description: &str, schema: Value) -> Value {
    json!({"required": true, "description": description,
           "content": {"application/json": {"schema": schema}}})
}

fn ok(description: &str, schema: Value) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema}}})
}

fn err(description: &str) -> Value {
    ok(description, r("Error"))
}

/// The error responses every engine endpoint can give.
fn errors(extra: &[(&str, &str)]) -> serde_json::Map<String, Value> {
    let mut m = serde_json::Map::new();
    for (status, what) in [
        ("400", "The body is not JSON (`json.syntax`, `json.too_deep`) or not UTF-8."),
        ("401", "A token is configured and the request lacks it or has another (`http.unauthorized`)."),
        ("413", "The body is larger than this endpoint accepts (`json.too_large`)."),
        ("422", "The documents are JSON but cannot be used; `problems` lists every problem with the engine's code and a JSON pointer."),
        ("503", "The request took longer than the time limit (`http.timeout`)."),
    ]
    .into_iter()
    .chain(extra.iter().copied())
    {
        m.insert(status.into(), err(what));
    }
    m
}

fn with(mut responses: serde_json::Map<String, Value>, status: &str, v: Value) -> Value {
    responses.insert(status.into(), v);
    Value::Object(responses)
}

fn id_param() -> Value {
    json!({"name": "id", "in": "path", "required": true,
           "description": "A rule set's address: a built-in id (`subdistrict`, `department`, `enterprise`), `id@version` (`subdistrict@2026.1`), or the id of a rule set in `--rules-dir`.",
           "schema": {"type": "string"}})
}

fn provisional_param() -> Value {
    json!({"name": "provisional", "in": "query", "required": false,
           "description": "`true`: score even with empty required inputs (a provisional report), as `kpi score --provisional`. Without it such submissions are refused with `value.missing`.",
           "schema": {"type": "boolean"}})
}

/// The document, as JSON text.
pub fn document() -> String {
    let not_found = (
        "404",
        "No rule set has this address (`http.unknown_rule_set`).",
    );
    let conflict = (
        "409",
        "Two files of the rule-set folder carry this id; it is refused until one goes (`http.rule_set_conflict`).",
    );
    let rules_or_id = json!({"oneOf": [
        {"type": "string", "description": "A rule set's address (see GET /v1/rule-sets)."},
        r("RuleSet")]});
    let doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "kpi serve: 安全生产考核评分服务",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The kpi-wasm engine over HTTP for OA back ends: score one submission or a batch, check a rule set, compare two rule sets over submissions, and verify a report made elsewhere (in a browser) before accepting it. Every response body is what the `kpi` command line prints for the same input. Errors are `{\"error\": {code, message, path, problems}}` with the engine's codes (docs/FORMATS.md) or the service's own `http.*` codes. When the service has an API token (`KPI_API_TOKEN`; required on any address but loopback), every request except `GET /healthz` needs `Authorization: Bearer <token>`."
        },
        "servers": [{"url": "http://127.0.0.1:8787"}],
        "security": [{}, {"bearer": []}],
        "paths": {
            "/healthz": {"get": {
                "operationId": "healthz", "summary": "Liveness: the service answers.",
                "security": [{}],
                "responses": {"200": ok("Up.", r("Health"))}}},
            "/v1/rule-sets": {"get": {
                "operationId": "listRuleSets",
                "summary": "The rule sets served (built-in and from the folder), ids refused because two files carry them, and files that failed to load.",
                "responses": with(errors(&[]), "200", ok("The listing.", r("RuleSetListing")))}},
            "/v1/rule-sets/{id}/score": {"post": {
                "operationId": "score", "summary": "Score one submission: the report, as `kpi score --format json` prints it.",
                "parameters": [id_param(), provisional_param()],
                "requestBody": body("A submission (`kpi-submission/1`), at most 8 MiB.", r("Submission")),
                "responses": with(errors(&[not_found, conflict]), "200", ok("The report.", r("Report")))}},
            "/v1/rule-sets/{id}/batch": {"post": {
                "operationId": "scoreBatch",
                "summary": "Score submissions together (ranks, grade quotas, peer aggregates): their reports in order, as `kpi score --format json` prints several. Any submission that cannot be scored refuses the batch (422, paths start with its index).",
                "parameters": [id_param(), provisional_param()],
                "requestBody": body("An array of submissions, at most 8 MiB in all.", json!({"type": "array", "items": r("Submission")})),
                "responses": with(errors(&[not_found, conflict]), "200", ok("The reports.", json!({"type": "array", "items": r("Report")})))}},
            "/v1/check": {"post": {
                "operationId": "check",
                "summary": "Load and lint a rule set: every problem with its JSON pointer, line and column (`[]` when it loads), as `kpi check --format json` prints them.",
                "requestBody": body("A rule set (`kpi-rules/1`), at most 8 MiB.", r("RuleSet")),
                "responses": with(errors(&[]), "200", ok("The problems.", json!({"type": "array", "items": r("CheckProblem")})))}},
            "/v1/diff": {"post": {
                "operationId": "diff",
                "summary": "Compare two rule sets, as `kpi diff --format json`: without `submissions` the rule changes in words; with them, every unit under both (totals, grades, ranks, items); with `probe: true` synthetic submissions at every threshold.",
                "requestBody": body("The two rule sets (ids or documents) and the submissions.", r("DiffRequest")),
                "responses": with(errors(&[not_found, conflict]), "200", ok("Rule changes, a diff, or probe findings.", json!({"oneOf": [
                    {"type": "array", "items": {"type": "string"}, "description": "The rule changes, in words."},
                    report_def("diff"),
                    {"type": "array", "items": report_def("probe_finding")}]})))}},
            "/v1/verify": {"post": {
                "operationId": "verify",
                "summary": "Re-score a report's submission and compare: `ok` only when every figure and the fingerprint (engine, rule set, submission) agree; else each difference with its JSON pointer, both values and a Chinese message naming the item. An OA back end accepts a browser-made report only when `ok` is true.",
                "requestBody": body("The report and the submission it claims to come from; `rules` (an address or a rule-set document) defaults to the rule set the submission names.", r("VerifyRequest")),
                "responses": with(errors(&[not_found, conflict]), "200", ok("The verification.", report_def("verification")))}},
            "/openapi.json": {"get": {
                "operationId": "openapi", "summary": "This document.",
                "responses": {"200": ok("OpenAPI 3.1.", json!({"type": "object"}))}}},
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                "description": "The value of KPI_API_TOKEN, when the service has one."}},
            "schemas": {
                "Report": schema("Report", include_str!("../../../schema/kpi-report.schema.json")),
                "Submission": schema("Submission", include_str!("../../../schema/kpi-submission.schema.json")),
                "RuleSet": schema("RuleSet", include_str!("../../../schema/kpi-rules.schema.json")),
                "Problem": report_def("problem"),
                "CheckProblem": {"type": "object", "description": "A problem of `kpi check --format json`: with the line and column of its place in the text (null when unknown).",
                    "properties": {"code": {"type": "string"}, "path": {"type": "string"}, "message": {"type": "string"},
                                   "line": {"type": ["integer", "null"]}, "column": {"type": ["integer", "null"]}},
                    "required": ["code", "path", "message", "line", "column"]},
                "Error": {"type": "object", "required": ["error"], "additionalProperties": false,
                    "properties": {"error": {"type": "object", "additionalProperties": false,
                        "required": ["code", "message", "path", "problems"],
                        "properties": {
                            "code": {"type": "string", "description": "The first problem's code: the engine's (`value.range`, `json.syntax` …) or the service's (`http.unauthorized`, `http.unknown_rule_set`, `http.rule_set_conflict`, `http.timeout`, `http.no_route`, `http.method`, `http.body`, `http.internal`)."},
                            "message": {"type": "string", "description": "The first problem's message, with how many more there are."},
                            "path": {"type": "string", "description": "The first problem's JSON pointer into the body."},
                            "problems": {"type": "array", "items": r("Problem")}}}}},
                "Health": {"type": "object", "required": ["status", "engine", "rule_sets"],
                    "properties": {"status": {"const": "ok"}, "engine": {"type": "string"}, "rule_sets": {"type": "integer"}}},
                "RuleSetListing": {"type": "object", "required": ["rule_sets", "conflicts", "failed"],
                    "properties": {
                        "rule_sets": {"type": "array", "items": {"type": "object",
                            "required": ["address", "addresses", "id", "version", "title", "period", "unit_kind", "source", "fingerprint"],
                            "properties": {
                                "address": {"type": "string", "description": "What the URLs use."},
                                "addresses": {"type": "array", "items": {"type": "string"}},
                                "id": {"type": "string"}, "version": {"type": "string"}, "title": {"type": "string"},
                                "period": {"type": "string"}, "unit_kind": {"type": "string"},
                                "source": {"enum": ["builtin", "file"]},
                                "file": {"type": "string", "description": "The file in the rule-set folder."},
                                "fingerprint": {"type": "string", "description": "The rule set's digest, as reports scored with it carry."},
                                "problems": {"type": "array", "items": r("Problem"),
                                             "description": "The file no longer loads: these are its problems, and the version shown is the previous one, still served."}}}},
                        "conflicts": {"type": "array", "items": {"type": "object", "properties": {
                            "id": {"type": "string"}, "files": {"type": "array", "items": {"type": "string"}}, "message": {"type": "string"}}}},
                        "failed": {"type": "array", "items": {"type": "object", "properties": {
                            "file": {"type": "string"}, "problems": {"type": "array", "items": r("Problem")}}}}}},
                "DiffRequest": {"type": "object", "required": ["old", "new"], "additionalProperties": false,
                    "properties": {"old": rules_or_id.clone(), "new": rules_or_id.clone(),
                                   "submissions": {"type": "array", "items": r("Submission")},
                                   "probe": {"type": "boolean"}}},
                "VerifyRequest": {"type": "object", "required": ["report", "submission"], "additionalProperties": false,
                    "properties": {"report": r("Report"), "submission": r("Submission"), "rules": rules_or_id}},
            }
        }
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
