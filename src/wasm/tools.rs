//! The bindings only the rule editor (细则编辑), the rule-set comparison and the exports need: diff,
//! rule changes, the threshold probe, the rules in words, the embedded tests and CSV. Compiled with
//! the `tools` feature only: `./build` makes them a second module (`kpi_wasm_tools_bg.wasm`) that the
//! package loads on demand, so a page that only scores does not download them.

use super::{
    Engine, check_reports_read, js_error, load_rules, own_bytes, parse_checked, read_submissions,
    text_checked, to_js,
};
use crate::{DiffSummary, Report, RuleSet, Submission, ToJson, diff_csv, reports_csv};
use js_sys::Reflect;
use wasm_bindgen::prelude::*;

/// [`to_js`](super::to_js) for batch and diff results: checked, thrown rather than `null`.
fn to_js_checked<T: ToJson + ?Sized>(v: &T) -> Result<JsValue, JsValue> {
    text_checked(v.to_json()).and_then(|json| parse_checked(&json))
}

/// Every submission of a list, or a thrown error for the first that could not be read (with its
/// `index`).
fn submissions(v: &JsValue) -> Result<Vec<Submission>, JsValue> {
    read_submissions(v)?
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            s.map_err(|e| {
                let err = js_error(&e);
                let _ = Reflect::set(
                    &err,
                    &JsValue::from_str("index"),
                    &JsValue::from(u32::try_from(i).unwrap_or(u32::MAX)),
                );
                err
            })
        })
        .collect()
}

#[wasm_bindgen]
impl Engine {
    /// CSV (UTF-8 with BOM) of the diff between this rule set and `new_rules` over the
    /// submissions, as `kpi diff --format csv` writes it.
    #[wasm_bindgen(js_name = diffCsv)]
    pub fn diff_csv(
        &self,
        new_rules: JsValue,
        submissions_json: JsValue,
    ) -> Result<String, JsValue> {
        let new = load_rules(&new_rules)?;
        let subs = submissions(&submissions_json)?;
        self.check_diff(&new, &subs)?;
        text_checked(diff_csv(&self.rules.diff(&new, &subs)))
    }
    /// Scores the submissions under this rule set and `new_rules`, unit by unit.
    pub fn diff(&self, new_rules: JsValue, submissions_json: JsValue) -> Result<JsValue, JsValue> {
        let new = load_rules(&new_rules)?;
        let subs = submissions(&submissions_json)?;
        self.check_diff(&new, &subs)?;
        to_js_checked(&self.rules.diff(&new, &subs))
    }

    /// What changed from this rule set to `new_rules`, in words.
    #[wasm_bindgen(js_name = ruleChanges)]
    pub fn rule_changes(&self, new_rules: JsValue) -> Result<JsValue, JsValue> {
        let new = load_rules(&new_rules)?;
        Ok(to_js(&self.rules.rule_changes(&new)))
    }

    /// Runs the rule set's embedded test cases (`tests`): `{passed, failed, cases: [{name, source,
    /// passed, failures, differences: [{what, id?, title?, expected, actual}]}]}`, as
    /// `kpi test --json` prints them.
    #[wasm_bindgen(js_name = runTests)]
    pub fn run_tests(&self) -> JsValue {
        to_js(&self.rules.run_tests())
    }

    /// The threshold probe of `kpi diff --probe`: synthetic submissions on either side of every
    /// threshold the two rule sets mention, from the given submissions (or a neutral one when the
    /// list is empty), where the total, grade or an item differs. Bounded by the engine's limits.
    pub fn probe(&self, new_rules: JsValue, submissions_json: JsValue) -> Result<JsValue, JsValue> {
        let new = load_rules(&new_rules)?;
        let subs = submissions(&submissions_json)?;
        self.rules
            .check_probe(&new, &subs)
            .map_err(|e| js_error(&e))?;
        Ok(to_js(&self.rules.probe(&new, &subs)))
    }

    /// The rules in words (the published 评分标准): `{general, items, adjustments, bonus, vetoes,
    /// grades, quotas}`, each part `{id, title, text: [sentences]}`.
    pub fn criteria(&self) -> JsValue {
        to_js(&self.rules.criteria())
    }

    /// CSV (UTF-8 with BOM) of a batch's reports, as Excel and WPS open it.
    #[wasm_bindgen(js_name = batchCsv)]
    pub fn batch_csv(&self, submissions_json: JsValue) -> Result<String, JsValue> {
        let subs = submissions(&submissions_json)?;
        let own = subs.iter().map(own_bytes).fold(0, usize::saturating_add);
        check_reports_read(&self.rules, &subs.iter().collect::<Vec<_>>(), own)?;
        let batch = self.rules.score_batch(&subs);
        let reports: Vec<Report> = batch.results.into_iter().filter_map(Result::ok).collect();
        text_checked(reports_csv(&reports))
    }
}

impl Engine {
    /// The work budget and the memory of a diff of `subs` against `new`, checked before scoring:
    /// each side's reports are held in turn.
    fn check_diff(&self, new: &RuleSet, subs: &[Submission]) -> Result<(), JsValue> {
        let all: Vec<&Submission> = subs.iter().collect();
        self.rules
            .check_diff_of(new, &all)
            .map_err(|e| js_error(&e))?;
        let own = subs.iter().map(own_bytes).fold(0, usize::saturating_add);
        let larger = if new.report_bytes_of(&all) > self.rules.report_bytes_of(&all) {
            new
        } else {
            &self.rules
        };
        check_reports_read(larger, &all, own)
    }
}

/// The summary of a diff (`diff.summary`) in one sentence, as the CLI words it:
/// 共N个单位，M个有变化；总分上升…个、下降…个；等次上升…个、下降…个；无法评分…个.
#[wasm_bindgen(js_name = diffSummaryText)]
pub fn diff_summary_text(summary: JsValue) -> String {
    let count = |key: &str| {
        Reflect::get(&summary, &JsValue::from_str(key))
            .ok()
            .and_then(|v| v.as_f64())
            .map_or(0, |n| n as usize)
    };
    DiffSummary {
        units: count("units"),
        changed: count("changed"),
        total_up: count("total_up"),
        total_down: count("total_down"),
        grade_up: count("grade_up"),
        grade_down: count("grade_down"),
        errors: count("errors"),
    }
    .text()
}
