//! The endpoints. Each reads its body within its limit, finds the rule set, and hands the engine
//! work to the blocking pool; the bodies it answers are the bytes the CLI prints for the same
//! input (`kpi score --format json`, `kpi check --format json`, `kpi diff --format json`,
//! `kpi verify --format json`).
//!
//! Handlers answer `Result<Response, Response>` (a refusal is a response too) so that `?` can
//! refuse early; once per request, a large `Err` costs nothing worth boxing.
#![allow(clippy::result_large_err)]

use super::registry::Lookup;
use super::{App, error, json, problems};
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use kpi_wasm::limits::MAX_BATCH;
use kpi_wasm::{Code, MAX_DOCUMENT_BYTES, Problem, RuleSet, Submission, ToJson};
use serde_json::value::RawValue;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

/// A body holding up to three documents (diff: two rule sets and a list of submissions; verify:
/// a report, a submission and a rule set), each within the engine's document limit.
const MAX_ENVELOPE_BYTES: usize = 3 * MAX_DOCUMENT_BYTES + 64 * 1024;

pub async fn healthz(State(app): State<Arc<App>>) -> Response {
    json(
        StatusCode::OK,
        format!(
            "{{\"status\":\"ok\",\"engine\":\"{}\",\"rule_sets\":{}}}\n",
            kpi_wasm::ENGINE,
            app.registry().len()
        ),
    )
}

pub async fn rule_sets(State(app): State<Arc<App>>) -> Response {
    json(
        StatusCode::OK,
        kpi_wasm::json::pretty(&app.registry().listing()) + "\n",
    )
}

pub async fn openapi() -> Response {
    static DOC: OnceLock<String> = OnceLock::new();
    json(
        StatusCode::OK,
        DOC.get_or_init(super::openapi::document).clone(),
    )
}

pub async fn no_route(req: Request) -> Response {
    error(
        StatusCode::NOT_FOUND,
        "http.no_route",
        &format!(
            "没有这个接口：{} {}（GET /openapi.json 列出全部接口）",
            req.method(),
            req.uri().path()
        ),
    )
}

pub async fn wrong_method(req: Request) -> Response {
    error(
        StatusCode::METHOD_NOT_ALLOWED,
        "http.method",
        &format!("接口 {} 不支持 {} 方法", req.uri().path(), req.method()),
    )
}

/// `POST /v1/rule-sets/{id}/score`: one submission → its report, as `kpi score --format json`
/// prints it. Empty required inputs are refused unless `?provisional=true`.
pub async fn score(State(app): State<Arc<App>>, Path(id): Path<String>, req: Request) -> Response {
    let provisional = flag(&req, "provisional");
    let rules = match find(&app, &id) {
        Ok(r) => r,
        Err(r) => return r,
    };
    let text = match body(req, MAX_DOCUMENT_BYTES).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    app.engine(move || {
        let sub = Submission::from_json(&text).map_err(|e| refused(e.problems()))?;
        if !provisional {
            let missing = missing(&rules, &sub);
            if !missing.is_empty() {
                return Err(refused(&missing));
            }
        }
        match rules.score(&sub) {
            Ok(report) => Ok(json(StatusCode::OK, report.to_json_pretty() + "\n")),
            Err(e) => Err(refused(e.problems())),
        }
    })
    .await
}

/// `POST /v1/rule-sets/{id}/batch`: an array of submissions → the array of their reports, scored
/// together (ranks, quotas, peer aggregates), as `kpi score --format json` prints several. All
/// or nothing: any submission that cannot be scored refuses the batch, each problem's path
/// starting with the submission's index.
pub async fn batch(State(app): State<Arc<App>>, Path(id): Path<String>, req: Request) -> Response {
    let provisional = flag(&req, "provisional");
    let rules = match find(&app, &id) {
        Ok(r) => r,
        Err(r) => return r,
    };
    let text = match body(req, MAX_DOCUMENT_BYTES).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    app.engine(move || {
        let list = Submission::list_from_json(&text).map_err(|e| refused(e.problems()))?;
        if list.len() > MAX_BATCH {
            return Err(refused(&[Problem::new(
                Code::LimitBatch,
                "",
                format!(
                    "一次最多评分{MAX_BATCH}份考核表，本次有{}份，请分批评分",
                    list.len()
                ),
            )]));
        }
        let mut errors: Vec<Problem> = Vec::new();
        let mut subs = Vec::with_capacity(list.len());
        for (i, s) in list.into_iter().enumerate() {
            match s {
                Ok(sub) => {
                    if !provisional {
                        errors.extend(at(&format!("/{i}"), &missing(&rules, &sub)));
                    }
                    subs.push(sub);
                }
                Err(e) => errors.extend(at(&format!("/{i}"), e.problems())),
            }
        }
        if !errors.is_empty() {
            return Err(refused(&errors));
        }
        let batch = rules.score_batch(&subs);
        let mut items = Vec::with_capacity(subs.len());
        for (i, r) in batch.results.iter().enumerate() {
            match r {
                Ok(report) => items.push(report.to_json()),
                Err(e) => errors.extend(at(&format!("/{i}"), e.problems())),
            }
        }
        if !errors.is_empty() {
            return Err(refused(&errors));
        }
        Ok(json(StatusCode::OK, format!("[{}]\n", items.join(",\n"))))
    })
    .await
}

/// `POST /v1/check`: a rule set → its problems (`[]` when it loads), as `kpi check --format json`
/// prints them, with line and column.
pub async fn check(State(app): State<Arc<App>>, req: Request) -> Response {
    let text = match body(req, MAX_DOCUMENT_BYTES).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    app.engine(move || {
        Ok(match RuleSet::from_json(&text) {
            Ok(_) => json(StatusCode::OK, "[]\n".into()),
            Err(e) => json(
                StatusCode::OK,
                crate::check::as_json(&text, e.problems()) + "\n",
            ),
        })
    })
    .await
}

/// `POST /v1/diff`: `{"old", "new", "submissions"?, "probe"?}`, each rule set an id or a
/// document → what `kpi diff --format json` prints: the rule changes (no submissions), the
/// threshold probe (`"probe": true`), or the unit-by-unit diff.
pub async fn diff(State(app): State<Arc<App>>, req: Request) -> Response {
    let text = match body(req, MAX_ENVELOPE_BYTES).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    let served = app.clone();
    app.engine(move || {
        let fields = envelope(
            &text,
            &["old", "new", "submissions", "probe"],
            &["old", "new"],
        )?;
        let old = rule_set(&served, &fields, "old")?;
        let new = rule_set(&served, &fields, "new")?;
        let probe = match fields.get("probe").map(|v| v.get()) {
            None | Some("false") => false,
            Some("true") => true,
            Some(_) => {
                return Err(refused(&[Problem::new(
                    Code::FieldType,
                    "/probe",
                    "probe 应为 true 或 false",
                )]));
            }
        };
        let mut subs = Vec::new();
        let listed = fields.get("submissions");
        if let Some(t) = listed {
            let list = Submission::list_from_json(t.get())
                .map_err(|e| refused(&at("/submissions", e.problems())))?;
            let mut errors = Vec::new();
            for (i, s) in list.into_iter().enumerate() {
                match s {
                    Ok(sub) => subs.push(sub),
                    Err(e) => errors.extend(at(&format!("/submissions/{i}"), e.problems())),
                }
            }
            if !errors.is_empty() {
                return Err(refused(&errors));
            }
            if subs.len() > MAX_BATCH {
                return Err(refused(&[Problem::new(
                    Code::LimitBatch,
                    "/submissions",
                    format!("一次最多比较{MAX_BATCH}份考核表，本次有{}份", subs.len()),
                )]));
            }
        }
        let out = if listed.is_none() && !probe {
            old.rule_changes(&new).to_json_pretty()
        } else if probe {
            // As `kpi diff --probe` and the wasm `probe`: rule sets too large to probe even one
            // base are refused, not probed part way and answered as if whole.
            old.check_probe(&new, &subs)
                .map_err(|e| refused(e.problems()))?;
            old.probe(&new, &subs).to_json_pretty()
        } else {
            old.diff(&new, &subs).to_json_pretty()
        };
        Ok(json(StatusCode::OK, out + "\n"))
    })
    .await
}

/// `POST /v1/verify`: `{"report", "submission", "rules"?}` → `{"ok", "differences"}`, as
/// `kpi verify --format json` prints it. Without `rules`, the rule set the submission names
/// (`rules.id` at `rules.version`).
pub async fn verify(State(app): State<Arc<App>>, req: Request) -> Response {
    let text = match body(req, MAX_ENVELOPE_BYTES).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    let served = app.clone();
    app.engine(move || {
        let fields = envelope(
            &text,
            &["report", "submission", "rules"],
            &["report", "submission"],
        )?;
        let sub_text = fields.get("submission").map_or("", |s| s.get());
        let sub = Submission::from_json(sub_text)
            .map_err(|e| refused(&at("/submission", e.problems())))?;
        let rules = if fields.contains_key("rules") {
            rule_set(&served, &fields, "rules")?
        } else {
            named(&served, &sub)?
        };
        let report = fields.get("report").map_or("", |r| r.get());
        match rules.verify(report, &sub) {
            Ok(v) => Ok(json(StatusCode::OK, v.to_json_pretty() + "\n")),
            Err(e) => {
                let whose = match e.first().map(|p| p.code) {
                    Some(Code::JsonSyntax | Code::JsonTooDeep | Code::JsonTooLarge) => "/report",
                    _ => "/submission",
                };
                Err(refused(&at(whose, e.problems())))
            }
        }
    })
    .await
}

/// The rule set in field `key`: an id (string) the service holds, or a rule-set document
/// (loaded here, on the blocking pool).
fn rule_set(
    app: &App,
    fields: &BTreeMap<String, Box<RawValue>>,
    key: &str,
) -> Result<Arc<RuleSet>, Response> {
    let raw = fields.get(key).map_or("", |v| v.get());
    if raw.starts_with('"') {
        let id: String = serde_json::from_str(raw).unwrap_or_default();
        return find(app, &id);
    }
    if raw.starts_with('{') {
        return RuleSet::from_json(raw)
            .map(Arc::new)
            .map_err(|e| refused(&at(&format!("/{key}"), e.problems())));
    }
    Err(refused(&[Problem::new(
        Code::FieldType,
        format!("/{key}"),
        format!("{key} 应为规则集 id（字符串）或考核细则文档（JSON 对象）"),
    )]))
}

/// The rule set a submission was filled for: `id@version`, or `id` when that is the version.
fn named(app: &App, sub: &Submission) -> Result<Arc<RuleSet>, Response> {
    let reg = app.registry();
    let exact = format!("{}@{}", sub.rules_id, sub.rules_version);
    for address in [exact.as_str(), sub.rules_id.as_str()] {
        match reg.lookup(address) {
            Lookup::Found(e) if e.rules.version() == sub.rules_version => {
                return Ok(e.rules.clone());
            }
            Lookup::Conflict(files) => return Err(conflict(&sub.rules_id, &files)),
            _ => {}
        }
    }
    Err(error(
        StatusCode::NOT_FOUND,
        "http.unknown_rule_set",
        &format!(
            "没有考核表所填的考核细则「{}」版本「{}」（GET /v1/rule-sets 列出可用的；也可在请求中给出 rules）",
            sub.rules_id, sub.rules_version
        ),
    ))
}

/// The rule set at `address`, or the response saying why not.
fn find(app: &App, address: &str) -> Result<Arc<RuleSet>, Response> {
    match app.registry().lookup(address) {
        Lookup::Found(e) => Ok(e.rules.clone()),
        Lookup::Conflict(files) => Err(conflict(address, &files)),
        Lookup::Missing => Err(error(
            StatusCode::NOT_FOUND,
            "http.unknown_rule_set",
            &format!("没有规则集「{address}」（GET /v1/rule-sets 列出可用的）"),
        )),
    }
}

fn conflict(id: &str, files: &[String]) -> Response {
    error(
        StatusCode::CONFLICT,
        "http.rule_set_conflict",
        &format!(
            "规则集目录中有{}个文件的 id 都是「{id}」（{}），该 id 已停用，请只保留一个",
            files.len(),
            files.join("、")
        ),
    )
}

/// The required inputs a submission leaves empty (`kpi score` refuses them without
/// `--provisional`).
fn missing(rules: &RuleSet, sub: &Submission) -> Vec<Problem> {
    rules
        .validate(sub)
        .into_iter()
        .filter(|p| p.code == Code::ValueMissing)
        .collect()
}

/// Problems moved under `prefix` (a submission's place in the body).
fn at(prefix: &str, problems: &[Problem]) -> Vec<Problem> {
    problems
        .iter()
        .map(|p| Problem::new(p.code, format!("{prefix}{}", p.path), p.message.clone()))
        .collect()
}

/// The engine's problems as a response: 400 for text that is not JSON, 413 for a document over
/// the limit, 422 for anything else.
fn refused(p: &[Problem]) -> Response {
    let status = match p.first().map(|p| p.code) {
        Some(Code::JsonSyntax | Code::JsonTooDeep) => StatusCode::BAD_REQUEST,
        Some(Code::JsonTooLarge) => StatusCode::PAYLOAD_TOO_LARGE,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    problems(status, p)
}

/// Whether the query has `name`, `name=true` or `name=1`.
fn flag(req: &Request, name: &str) -> bool {
    req.uri().query().is_some_and(|q| {
        q.split('&').any(|kv| match kv.split_once('=') {
            Some((k, v)) => k == name && matches!(v, "true" | "1"),
            None => kv == name,
        })
    })
}

/// The body as text, refused (413) beyond `limit` bytes before it is all read.
async fn body(req: Request, limit: usize) -> Result<String, Response> {
    let too_large = |n: Option<u64>| {
        let size = n.map_or_else(String::new, |n| format!("（{n} 字节）"));
        problems(
            StatusCode::PAYLOAD_TOO_LARGE,
            &[Problem::new(
                Code::JsonTooLarge,
                "",
                format!("请求体过大{size}，上限为 {limit} 字节"),
            )],
        )
    };
    let declared = req
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large(declared));
    }
    let bytes = match axum::body::to_bytes(req.into_body(), limit).await {
        Ok(b) => b,
        Err(e) => {
            let over = std::error::Error::source(&e).is_some_and(|s| {
                s.downcast_ref::<http_body_util::LengthLimitError>()
                    .is_some()
            });
            return Err(if over {
                too_large(None)
            } else {
                error(
                    StatusCode::BAD_REQUEST,
                    "http.body",
                    &format!("无法读取请求体：{e}"),
                )
            });
        }
    };
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        problems(
            StatusCode::BAD_REQUEST,
            &[Problem::new(
                Code::JsonSyntax,
                "",
                format!(
                    "请求体不是 UTF-8 文本（第{}个字节起）",
                    e.utf8_error().valid_up_to()
                ),
            )],
        )
    })
}

/// A JSON object's members as raw text, only `allowed` ones, `required` ones present.
fn envelope(
    text: &str,
    allowed: &[&str],
    required: &[&str],
) -> Result<BTreeMap<String, Box<RawValue>>, Response> {
    let fields: BTreeMap<String, Box<RawValue>> = serde_json::from_str(text).map_err(|e| {
        let code = if e.is_data() {
            Code::FieldType
        } else {
            Code::JsonSyntax
        };
        let message = if e.is_data() {
            "请求体应为 JSON 对象".to_string()
        } else {
            format!("JSON 格式错误（第{}行第{}列）：{e}", e.line(), e.column())
        };
        refused(&[Problem::new(code, "", message)])
    })?;
    let mut wrong: Vec<Problem> = fields
        .keys()
        .filter(|k| !allowed.contains(&k.as_str()))
        .map(|k| {
            Problem::new(
                Code::FieldUnknown,
                format!("/{k}"),
                format!("请求体不能有字段「{k}」（可用：{}）", allowed.join("、")),
            )
        })
        .collect();
    wrong.extend(
        required
            .iter()
            .filter(|k| !fields.contains_key(**k))
            .map(|k| {
                Problem::new(
                    Code::FieldMissing,
                    format!("/{k}"),
                    format!("请求体缺少必填字段「{k}」"),
                )
            }),
    );
    if wrong.is_empty() {
        Ok(fields)
    } else {
        Err(refused(&wrong))
    }
}
