//! The JS-facing API inside WebAssembly, run in Node and in headless Chromium by ./test
//! (`cargo test --target wasm32-unknown-unknown --test wasm_api`). The scoring logic itself is
//! tested natively; here: conversion, errors, hostile inputs, and the golden corpus scored in wasm
//! byte-identical to the native expected files.
#![cfg(target_arch = "wasm32")]

use js_sys::{JSON, Reflect};
use kpi_wasm::wasm::{Engine, built_in_rule_sets};
use kpi_wasm::{RuleSet, Submission};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

include!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/target/wasm-corpus.rs"
));

const DQ: &str = include_str!("../examples/subdistrict-dq.json");

fn engine(rules: &str) -> Engine {
    Engine::new(JsValue::from_str(rules)).expect("engine")
}

fn code_of(e: &JsValue) -> String {
    Reflect::get(e, &JsValue::from_str("code"))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

#[wasm_bindgen_test]
fn builtins_load_by_id_and_score() {
    let list = built_in_rule_sets();
    assert_eq!(js_sys::Array::from(&list).length(), 3);
    let e = engine("subdistrict");
    let report = e.score(JsValue::from_str(DQ)).expect("scores");
    assert_eq!(get(&report, "total").as_string().as_deref(), Some("89.15"));
    let object = JSON::parse(DQ).expect("json");
    let same = e.score(object).expect("scores an object");
    assert_eq!(JSON::stringify(&same).ok(), JSON::stringify(&report).ok());
}

#[wasm_bindgen_test]
fn errors_are_coded_and_the_engine_survives_them() {
    let bad = Engine::new(JsValue::from_str("{\"format\": \"kpi-rules/1\""))
        .err()
        .expect("error");
    assert_eq!(code_of(&bad), "json.syntax");
    assert!(bad.is_instance_of::<js_sys::Error>());
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    assert_eq!(
        code_of(&Engine::new(JsValue::from_str(&deep)).err().expect("error")),
        "json.too_deep"
    );
    let hostile = format!("{}x{}", "(".repeat(100_000), ")".repeat(100_000));
    let rules = include_str!("cases/deduct/rules.json").replace("max(4 - meetings, 0)", &hostile);
    assert_eq!(
        code_of(&Engine::new(JsValue::from_str(&rules)).err().expect("error")),
        "expr.too_long"
    );

    let e = engine("subdistrict");
    let overflow = DQ.replace(
        "\"hazards_found\": 12",
        "\"hazards_found\": 79228162514264337593543950335",
    );
    assert_eq!(
        code_of(&e.score(JsValue::from_str(&overflow)).err().expect("error")),
        "value.range"
    );
    assert_eq!(
        code_of(&e.score(JsValue::from_str("{")).err().expect("error")),
        "json.syntax"
    );
    let problems = e.validate(JsValue::from_str("{\"format\": 1}"));
    assert!(js_sys::Array::from(&problems).length() > 0);
    let report = e.score(JsValue::from_str(DQ)).expect("still scores");
    assert_eq!(get(&report, "total").as_string().as_deref(), Some("89.15"));
}

#[wasm_bindgen_test]
fn batches_that_cannot_fit_are_refused_before_scoring_never_null() {
    let e = engine("subdistrict");
    let rules = RuleSet::builtin("subdistrict").expect("built-in");
    // Enough submissions that their reports would not fit: refused at once, with a code.
    let n = kpi_wasm::limits::MAX_WASM_REPORT_BYTES / rules.report_bytes() + 1;
    // Readable submissions (an unreadable one is only its error, which fits): each counts a
    // whole report.
    let subs = js_sys::Array::new();
    for i in 0..n {
        subs.push(&JsValue::from_str(&format!(
            r#"{{"format": "kpi-submission/1", "rules": {{"id": "subdistrict", "version": "{}"}},
            "unit": {{"id": "u{i}", "name": "单位{i}"}}, "values": {{}}}}"#,
            rules.version()
        )));
    }
    for result in [
        e.score_batch(subs.clone().into()).map(|_| ()),
        e.score_batch_json(subs.clone().into()).map(|_| ()),
    ] {
        let err = result.expect_err("too large");
        assert_eq!(code_of(&err), "limit.work");
    }
    // The engine keeps working.
    assert!(e.score(JsValue::from_str(DQ)).is_ok());
}

#[wasm_bindgen_test]
fn form_batch_and_diff_cross_the_boundary() {
    let e = engine("subdistrict");
    let form = e.form();
    assert_eq!(
        get(&form, "format").as_string().as_deref(),
        Some("kpi-form/1")
    );
    let subs = js_sys::Array::of2(
        &JsValue::from_str(DQ),
        &JsValue::from_str(&DQ.replace("yp-dq", "other")),
    );
    let batch = e.score_batch(subs.clone().into()).expect("batch");
    let first = js_sys::Array::from(&batch).get(0);
    assert_eq!(get(&get(&first, "report"), "rank").as_f64(), Some(1.0));
    let diff = e
        .diff(JsValue::from_str("subdistrict"), subs.into())
        .expect("diff");
    assert_eq!(get(&get(&diff, "summary"), "changed").as_f64(), Some(0.0));
    // The words come from the engine: the status labels and the summary sentence.
    let labels = get(&form, "status_labels");
    assert_eq!(
        get(&labels, "provisional").as_string().as_deref(),
        Some("暂定")
    );
    assert_eq!(
        kpi_wasm::wasm::diff_summary_text(get(&diff, "summary")),
        "共2个单位，0个有变化；总分上升0个、下降0个；等次上升0个、下降0个；无法评分0个"
    );
}

#[wasm_bindgen_test]
fn the_golden_corpus_scores_byte_identically_in_wasm() {
    assert!(CORPUS.len() >= 40, "corpus has only {} cases", CORPUS.len());
    for (name, rules, sub, expected) in CORPUS {
        let rules = RuleSet::from_json(rules).expect(name);
        let outcome = match Submission::from_json(sub)
            .and_then(|s| rules.score(&s).map(|r| r.to_json_pretty() + "\n"))
        {
            Ok(text) => text,
            Err(e) => {
                // Objects with sorted keys, as the expected files have them.
                let problems: serde_json::Value =
                    serde_json::from_str(&kpi_wasm::ToJson::to_json(e.problems()))
                        .unwrap_or_default();
                serde_json::to_string_pretty(&serde_json::json!({ "error": problems }))
                    .unwrap_or_default()
                    + "\n"
            }
        };
        assert_eq!(&outcome, expected, "{name}");
    }
}
