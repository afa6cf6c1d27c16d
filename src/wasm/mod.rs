//! WebAssembly bindings: conversion only, no scoring logic.
//!
//! Everything crosses the boundary as JSON text, parsed by the same code as natively: a JS object
//! argument is `JSON.stringify`-ed (so a decimal arrives as its shortest literal text, never through
//! a Rust float), and results are written by the engine's own JSON writer and handed to `JSON.parse`. That keeps the
//! numbers byte-identical to the CLI's. Every failure is a thrown JS `Error` carrying `code`, `path`
//! and `problems`; no input can trap the module.

// Only the library's public API: the binding converts, it does not reach inside.
use crate::limits::{MAX_BATCH, MAX_WASM_REPORT_BYTES};
use crate::{
    BatchInput, Code, Error, LiveForm, MAX_DOCUMENT_BYTES, RuleSet, Submission, ToJson,
    builtin_source,
};
use js_sys::{Array, JSON, Reflect};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

// The authoring and comparison bindings: a second module, built with the `tools` feature.
#[cfg(feature = "tools")]
mod tools;
#[cfg(feature = "tools")]
pub use tools::diff_summary_text;

/// Turns engine problems into a thrown JS `Error` (message, `code`, `path`, `problems`).
fn js_error(e: &Error) -> JsValue {
    let first = e.first();
    let message = match e.problems().len() {
        0 | 1 => first.map_or_else(String::new, |p| p.message.clone()),
        n => format!(
            "{}（另有{}个问题）",
            first.map_or("", |p| p.message.as_str()),
            n.saturating_sub(1)
        ),
    };
    let err = js_sys::Error::new(&message);
    let set = |k: &str, v: JsValue| {
        let _ = Reflect::set(&err, &JsValue::from_str(k), &v);
    };
    set(
        "code",
        JsValue::from_str(first.map_or("", |p| p.code.as_str())),
    );
    set(
        "path",
        JsValue::from_str(first.map_or("", |p| p.path.as_str())),
    );
    set("problems", to_js(e.problems()));
    err.into()
}

/// A value as JS, through JSON (the engine's own serialization). Only for results whose size
/// one rule set bounds (a report, a form, problems); batches and diffs use [`to_js_checked`].
fn to_js<T: ToJson + ?Sized>(v: &T) -> JsValue {
    JSON::parse(&v.to_json()).unwrap_or(JsValue::NULL)
}

/// JSON text as a JS value, or a thrown `limit.work` error when JavaScript cannot take it (never
/// `null`).
fn parse_checked(json: &str) -> Result<JsValue, JsValue> {
    JSON::parse(json).map_err(|_| {
        js_error(&Error::one(
            Code::LimitWork,
            "",
            "结果过大，无法转换为 JavaScript 对象；请分批处理，或改用 scoreBatchJson",
        ))
    })
}

/// A result's JSON text within [`MAX_WASM_REPORT_BYTES`] (what a JavaScript string can hold with
/// room to spare), else a thrown `limit.work` error.
fn text_checked(json: String) -> Result<String, JsValue> {
    if json.len() > MAX_WASM_REPORT_BYTES {
        return Err(js_error(&Error::one(
            Code::LimitWork,
            "",
            format!(
                "结果过大（{} 字节，上限 {MAX_WASM_REPORT_BYTES} 字节），请分批处理",
                json.len()
            ),
        )));
    }
    Ok(json)
}

/// Refuses, before anything is scored, a call whose reports would not fit: `n` submissions under
/// `rules` whose own texts add up to `texts` bytes, with the work budget checked too.
fn check_reports(rules: &RuleSet, n: usize, texts: usize) -> Result<(), JsValue> {
    rules.check_batch(n).map_err(|e| js_error(&e))?;
    let bytes = rules.report_bytes().saturating_mul(n).saturating_add(texts);
    if bytes > MAX_WASM_REPORT_BYTES {
        let fit = MAX_WASM_REPORT_BYTES
            .checked_div(rules.report_bytes().max(1))
            .unwrap_or(0);
        return Err(js_error(&Error::one(
            Code::LimitWork,
            "",
            format!(
                "一次评分的报告过大：{n}份考核表的报告约需 {bytes} 字节，浏览器中上限为 {MAX_WASM_REPORT_BYTES} 字节；按这套考核细则一次最多约{fit}份，请分批评分"
            ),
        )));
    }
    Ok(())
}

/// [`check_reports`] for submissions already read: each counted by the rows its record lists give
/// (the worst case takes every list at its most rows), `texts` what they bring themselves.
fn check_reports_read(rules: &RuleSet, subs: &[&Submission], texts: usize) -> Result<(), JsValue> {
    rules.check_batch_of(subs).map_err(|e| js_error(&e))?;
    let bytes = rules.report_bytes_of(subs).saturating_add(texts);
    if bytes > MAX_WASM_REPORT_BYTES {
        let each = bytes.div_ceil(subs.len().max(1)).max(1);
        return Err(js_error(&Error::one(
            Code::LimitWork,
            "",
            format!(
                "一次评分的报告过大：{}份考核表的报告约需 {bytes} 字节，浏览器中上限为 {MAX_WASM_REPORT_BYTES} 字节；按这些考核表一次最多约{}份，请分批评分",
                subs.len(),
                MAX_WASM_REPORT_BYTES.checked_div(each).unwrap_or(0)
            ),
        )));
    }
    Ok(())
}

/// What a read submission brings into its report besides the rule set's texts.
fn own_bytes(s: &Submission) -> usize {
    let texts = s.notes.iter().chain(&s.meta);
    texts.map(|(k, v)| k.len().saturating_add(v.len())).fold(
        s.unit
            .name
            .len()
            .saturating_add(s.unit.id.len())
            .saturating_add(256),
        usize::saturating_add,
    )
}

/// JSON text of an argument: a string is taken as JSON text, anything else is `JSON.stringify`-ed.
fn json_text(v: &JsValue, what: &str) -> Result<String, Error> {
    if let Some(s) = v.as_string() {
        return Ok(s);
    }
    let text = JSON::stringify(v).ok().and_then(|s| s.as_string());
    text.ok_or_else(|| {
        Error::one(
            Code::JsArgument,
            "",
            format!("{what}应为 JSON 文本或可序列化为 JSON 的对象"),
        )
    })
}

/// [`json_text`], throwing its error.
fn json_arg(v: &JsValue, what: &str) -> Result<String, JsValue> {
    json_text(v, what).map_err(|e| js_error(&e))
}

/// Reads a list of submissions (a JS array of JSON texts or objects, or the JSON text of an
/// array): each one read, or the problems of the one that could not be.
fn read_submissions(v: &JsValue) -> Result<Vec<Result<Submission, Error>>, JsValue> {
    if Array::is_array(v) {
        check_batch_size(Array::from(v).length())?;
        return Ok(Array::from(v)
            .iter()
            .map(|s| json_text(&s, "考核表").and_then(|text| Submission::from_json(&text)))
            .collect());
    }
    // Text is read by the engine, not by JSON.parse: a number's literal never passes through a
    // JS float.
    let list = Submission::list_from_json(&json_arg(v, "考核表列表")?).map_err(|e| js_error(&e))?;
    check_batch_size(u32::try_from(list.len()).unwrap_or(u32::MAX))?;
    Ok(list)
}

/// A thrown `limit.batch` error for a list longer than the batch limit.
fn check_batch_size(n: u32) -> Result<(), JsValue> {
    let max = MAX_BATCH;
    if usize::try_from(n).map_or(true, |n| n > max) {
        return Err(js_error(&Error::one(
            Code::LimitBatch,
            "",
            format!("一次最多评分{max}份考核表，本次有{n}份，请分批评分"),
        )));
    }
    Ok(())
}

/// Loads rules from a built-in id, JSON text or an object.
fn load_rules(v: &JsValue) -> Result<RuleSet, JsValue> {
    if let Some(id) = v.as_string() {
        if let Some(src) = builtin_source(id.trim()) {
            return RuleSet::from_json(src).map_err(|e| js_error(&e));
        }
    }
    RuleSet::from_json(&json_arg(v, "考核细则")?).map_err(|e| js_error(&e))
}

/// A scoring engine for one rule set.
#[wasm_bindgen]
pub struct Engine {
    /// Shared with the engine's live forms, which borrow it: it is freed with the last of them.
    rules: Rc<RuleSet>,
}

self_cell::self_cell!(
    /// A live form and the rule set it borrows, as one object (a JS object cannot carry a borrow).
    struct LiveCell {
        owner: Rc<RuleSet>,
        #[not_covariant]
        dependent: LiveForm,
    }
);

/// A submission being filled in (`engine.live(submission)`): `set` one value, `report` the whole.
#[wasm_bindgen]
pub struct Live {
    cell: LiveCell,
}

#[wasm_bindgen]
impl Live {
    /// Sets input `input_id` to the value whose JSON text is `value_json` (`"97.5"` with its
    /// quotes, `3`, `true`, `null`); returns the change (`LiveChange`: the figures now and the
    /// parts of the report that changed, enough to patch the previous report into the new one).
    /// A refused value changes nothing and throws.
    pub fn set(&mut self, input_id: &str, value_json: &str) -> Result<JsValue, JsValue> {
        self.cell.with_dependent_mut(|_, form| {
            let change = form.set(input_id, value_json).map_err(|e| js_error(&e))?;
            Ok(to_js(&change))
        })
    }

    /// The full report of the form as it is now (what `score` gives for it).
    pub fn report(&self) -> Result<JsValue, JsValue> {
        self.cell.with_dependent(|_, form| {
            let report = form.report().map_err(|e| js_error(&e))?;
            Ok(to_js(&report))
        })
    }
}

#[wasm_bindgen]
impl Engine {
    /// Builds an engine from rule-set JSON text or object, or a built-in id (`"subdistrict"`).
    #[wasm_bindgen(constructor)]
    pub fn new(rules: JsValue) -> Result<Engine, JsValue> {
        Ok(Engine {
            rules: Rc::new(load_rules(&rules)?),
        })
    }

    /// A live form starting from a submission (JSON text): each `set` scores again only what the
    /// changed value reaches.
    pub fn live(&self, submission_json: &str) -> Result<Live, JsValue> {
        let sub = Submission::from_json(submission_json).map_err(|e| js_error(&e))?;
        let cell = LiveCell::try_new(Rc::clone(&self.rules), |rules| rules.live(&sub))
            .map_err(|e| js_error(&e))?;
        Ok(Live { cell })
    }

    /// Scores one submission (JSON text or object) into a report object.
    pub fn score(&self, submission_json: JsValue) -> Result<JsValue, JsValue> {
        let text = json_arg(&submission_json, "考核表")?;
        let report = self.rules.score_text(&text).map_err(|e| js_error(&e))?;
        Ok(to_js(&report))
    }

    /// Scores one submission given as JSON text and returns the report as JSON text (the exact
    /// bytes the CLI prints with `--format jsonl`).
    #[wasm_bindgen(js_name = scoreJson)]
    pub fn score_json(&self, submission_json: &str) -> Result<String, JsValue> {
        let report = self
            .rules
            .score_text(submission_json)
            .map_err(|e| js_error(&e))?;
        Ok(report.to_json())
    }

    /// Every problem of a submission, including empty required fields, all at once (a missing unit
    /// does not hide the values' problems); never throws for a bad submission (unreadable JSON is
    /// reported as a problem too).
    pub fn validate(&self, submission_json: JsValue) -> JsValue {
        match json_text(&submission_json, "考核表") {
            Ok(text) => to_js(&self.rules.validate_text(&text)),
            Err(e) => Array::of1(&js_error(&e)).into(),
        }
    }

    /// The form description: sections, items, inputs with labels, types, ranges and options.
    pub fn form(&self) -> JsValue {
        to_js(&self.rules.form())
    }

    /// Scores submissions together: ranks, quotas, peer aggregates. Returns one entry per
    /// submission, in order: `{report}`, or `{error: problems}` for one that could not be read or
    /// scored (it takes no part in ranks and quotas). Throws only when the list itself is unusable.
    #[wasm_bindgen(js_name = scoreBatch)]
    pub fn score_batch(&self, submissions_json: JsValue) -> Result<JsValue, JsValue> {
        parse_checked(&self.score_batch_json(submissions_json)?)
    }

    /// [`Engine::score_batch`] giving the entries as one JSON text (an array), which spares
    /// building thousands of JS objects when the caller only stores or forwards them.
    #[wasm_bindgen(js_name = scoreBatchJson)]
    pub fn score_batch_json(&self, submissions_json: JsValue) -> Result<String, JsValue> {
        let texts: Vec<Result<String, Error>>;
        let inputs: Vec<BatchInput> = if Array::is_array(&submissions_json) {
            check_batch_size(Array::from(&submissions_json).length())?;
            // Texts are read as they are (fast for plainly valid ones); objects are stringified.
            texts = Array::from(&submissions_json)
                .iter()
                .map(|s| json_text(&s, "考核表"))
                .collect();
            let own = texts
                .iter()
                .map(|t| t.as_ref().map_or(0, String::len))
                .fold(0, usize::saturating_add);
            match check_reports(&self.rules, texts.len(), own) {
                Ok(()) => texts
                    .iter()
                    .map(|t| match t {
                        Ok(text) => BatchInput::Text(text),
                        Err(e) => BatchInput::Failed(e.clone()),
                    })
                    .collect(),
                // Over the worst case, which takes every record list at its most rows: read the
                // submissions and count the rows they give.
                Err(_) => {
                    let read = texts
                        .iter()
                        .map(|t| t.clone().and_then(|text| Submission::from_json(&text)))
                        .collect();
                    self.read_inputs(read, own)?
                }
            }
        } else {
            let read = read_submissions(&submissions_json)?;
            let own = read
                .iter()
                .map(|s| s.as_ref().map_or(0, own_bytes))
                .fold(0, usize::saturating_add);
            self.read_inputs(read, own)?
        };
        text_checked(self.rules.score_batch_inputs(inputs).to_json())
    }

    /// Id, version, title, period and unit kind of the rule set.
    #[wasm_bindgen(js_name = ruleSet)]
    pub fn rule_set(&self) -> JsValue {
        to_js(&self.rules.info())
    }

    /// Submissions read (or the problems of those that could not be), checked by the rows their
    /// lists give, as batch entries.
    fn read_inputs(
        &self,
        read: Vec<Result<Submission, Error>>,
        own: usize,
    ) -> Result<Vec<BatchInput<'static>>, JsValue> {
        let subs: Vec<&Submission> = read.iter().filter_map(|s| s.as_ref().ok()).collect();
        check_reports_read(&self.rules, &subs, own)?;
        Ok(read
            .into_iter()
            .map(|s| s.map_or_else(BatchInput::Failed, |s| BatchInput::Read(Box::new(s))))
            .collect())
    }
}

/// The built-in rule sets: `[{id, version, title, period, unit_kind, description}]`. (The npm
/// package is built without them and gives the same from `builtins.js`.)
#[cfg(feature = "builtin-rules")]
#[wasm_bindgen(js_name = builtInRuleSets)]
pub fn built_in_rule_sets() -> JsValue {
    let sets: Vec<RuleSet> = crate::BUILTIN_IDS
        .iter()
        .filter_map(|id| RuleSet::builtin(id))
        .collect();
    let infos: Vec<crate::RuleSetInfo> = sets.iter().map(RuleSet::info).collect();
    to_js(&infos)
}

/// The JSON text of a built-in rule set (for editors and the rule-change view), or undefined.
#[cfg(feature = "builtin-rules")]
#[wasm_bindgen(js_name = builtInRuleSetSource)]
pub fn built_in_rule_set_source(id: &str) -> Option<String> {
    builtin_source(id).map(str::to_string)
}

/// The largest rule-set or submission document accepted, in bytes (a form refuses bigger files
/// before reading them).
#[wasm_bindgen(js_name = maxDocumentBytes)]
pub fn max_document_bytes() -> u32 {
    u32::try_from(MAX_DOCUMENT_BYTES).unwrap_or(u32::MAX)
}
