//! Invariants that must hold for any valid submission to the built-in rule sets:
//! scores within bounds, trace lines that add up, determinism, and monotonicity (more accidents
//! or fewer fixed hazards never raise a score).

#![cfg(not(target_arch = "wasm32"))]

use kpi_wasm::{Bound, InputType, ItemStatus, Report, RuleSet, Submission};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};
use std::sync::OnceLock;

fn rule_sets() -> &'static [RuleSet] {
    static SETS: OnceLock<Vec<RuleSet>> = OnceLock::new();
    SETS.get_or_init(|| {
        kpi_wasm::BUILTIN_IDS
            .iter()
            .map(|id| RuleSet::builtin(id).expect("built-in loads"))
            .collect()
    })
}

/// Raw material for one submission: a number per input, turned into a valid value below.
fn raw_values() -> impl Strategy<Value = (usize, Vec<u32>, Vec<u32>)> {
    (
        0..3usize,
        prop::collection::vec(0u32..10_000, 80),
        prop::collection::vec(0u32..4, 80),
    )
}

fn literal(b: Option<&Bound>) -> Option<Decimal> {
    match b {
        Some(Bound::Literal(d)) => Some(*d),
        _ => None,
    }
}

/// A valid submission for `rules`, every required input filled, built from the raw numbers.
fn submission(rules: &RuleSet, raw: &[u32], small: &[u32]) -> Submission {
    Submission::from_json(&submission_text(rules, raw, small)).expect("generated submission reads")
}

/// The same submission as JSON text.
fn submission_text(rules: &RuleSet, raw: &[u32], small: &[u32]) -> String {
    let mut values = Map::new();
    let mut numbers: Vec<Option<Decimal>> = Vec::new();
    for (i, input) in rules.inputs().iter().enumerate() {
        let r = raw.get(i % raw.len()).copied().unwrap_or(0);
        let s = small.get(i % small.len()).copied().unwrap_or(0);
        let (v, n) = match input.kind() {
            InputType::Count => {
                let mut d = Decimal::from(if s == 0 { 0 } else { r % 25 });
                if let Some(hi) = literal(input.max()) {
                    d = d.min(hi.floor());
                }
                (json!(d.to_string()), Some(d))
            }
            InputType::Percent => {
                let d = if s == 0 {
                    Decimal::ONE_HUNDRED
                } else {
                    Decimal::new(i64::from(r % 1001), 1)
                };
                (json!(d.to_string()), Some(d))
            }
            InputType::Number => {
                let lo = literal(input.min()).unwrap_or(Decimal::ZERO);
                let hi = literal(input.max()).unwrap_or(lo + Decimal::ONE_HUNDRED);
                let d = lo + (hi - lo) * Decimal::new(i64::from(r % 101), 2);
                let d = d.round_dp(2).min(hi).max(lo);
                (json!(d.to_string()), Some(d))
            }
            InputType::Bool => (json!(s % 2 == 0), None),
            InputType::Choice => {
                let o = input.options();
                (
                    json!(
                        o.get(s as usize % o.len().max(1))
                            .cloned()
                            .unwrap_or_default()
                    ),
                    None,
                )
            }
            InputType::Text => (json!("备注"), None),
            InputType::Date => (json!("2026-03-12"), None),
            InputType::Records => (json!([]), None),
        };
        values.insert(input.id().to_string(), v);
        numbers.push(n);
    }
    // Respect bounds that name other inputs (hazards_fixed <= hazards_found).
    for (i, input) in rules.inputs().iter().enumerate() {
        let Some(mut d) = numbers.get(i).copied().flatten() else {
            continue;
        };
        if let Some(Bound::Input(j)) = input.max() {
            if let Some(Some(other)) = numbers.get(*j) {
                d = d.min(*other);
            }
        }
        if let Some(Bound::Input(j)) = input.min() {
            if let Some(Some(other)) = numbers.get(*j) {
                d = d.max(*other);
            }
        }
        numbers[i] = Some(d);
        values.insert(input.id().to_string(), json!(d.to_string()));
    }
    let doc = json!({
        "format": "kpi-submission/1",
        "rules": {"id": rules.id(), "version": rules.version()},
        "unit": {"id": "u1", "name": "测试单位"},
        "values": Value::Object(values),
    });
    doc.to_string()
}

/// One way of spoiling or varying a submission's text, chosen by `kind`, at the input `at`.
fn mutate(rules: &RuleSet, text: &str, kind: u32, at: usize) -> String {
    let inputs = rules.inputs();
    let id = inputs.get(at % inputs.len().max(1)).map_or("x", |i| i.id());
    let set = |v: &str| {
        let mut doc: Value = serde_json::from_str(text).expect("generated text is JSON");
        doc["values"][id] = serde_json::from_str(v).expect("replacement is JSON");
        doc.to_string()
    };
    match kind {
        0 => text.to_string(),
        1 => set("null"),
        2 => {
            let mut doc: Value = serde_json::from_str(text).expect("JSON");
            doc["values"].as_object_mut().map(|m| m.remove(id));
            doc.to_string()
        }
        3 => text.replacen("\"values\":{", "\"values\":{\"no_such_input\":1,", 1),
        4 => text.replacen("\"values\":{", &format!("\"values\":{{\"{id}\":\"1\","), 1),
        5 => set("\"abc\""),
        6 => set("true"),
        7 => set("[1]"),
        8 => set("{\"a\":1}"),
        9 => set("-1"),
        10 => set("100.5"),
        11 => set("1e40"),
        12 => set("\"7\""),
        13 => set("0.5"),
        14 => text.replacen("测试单位", "\\u6d4b\\u8bd5", 1),
        15 => format!("\u{feff} {text}\n"),
        16 => text.replacen(
            "\"unit\":",
            "\"notes\":{\"1.1\":\"说明\",\"x\":null},\"unit\":",
            1,
        ),
        17 => text.replacen("\"unit\":", "\"meta\":{\"a\":1},\"unit\":", 1),
        18 => text.replacen(
            &format!("\"version\":\"{}\"", rules.version()),
            "\"version\":\"0\"",
            1,
        ),
        19 => text.replacen("kpi-submission/1", "kpi-submission/2", 1),
        20 => text.replacen(
            "\"unit\":{",
            "\"unit\":{\"group\":\"A\",\"ranked\":false,",
            1,
        ),
        21 => text.replacen("\"unit\":{", "\"unit\":{\"group\":null,", 1),
        22 => text.replacen(
            "\"unit\":",
            "\"period\":\"2025\",\"$schema\":\"x\",\"unit\":",
            1,
        ),
        23 => text.replacen("{", "{\"format\":\"kpi-submission/1\",", 1),
        24 => text.replacen("\"name\":\"测试单位\"", "\"name\":\"  \"", 1),
        25 => format!("{text} x"),
        _ => text.get(..text.len() / 2).unwrap_or_default().to_string(),
    }
}

fn with_value(sub: &Submission, id: &str, v: Decimal) -> Submission {
    let mut s = sub.clone();
    s.values
        .insert(id.to_string(), kpi_wasm::json::Value::String(v.to_string()));
    s
}

fn number(sub: &Submission, id: &str) -> Decimal {
    sub.values
        .get(id)
        .and_then(|v| v.as_str())
        .and_then(kpi_wasm::parse_decimal)
        .unwrap_or_default()
}

fn score<'r>(rules: &'r RuleSet, sub: &Submission) -> Report<'r> {
    rules
        .score(sub)
        .unwrap_or_else(|e| panic!("valid submission failed to score: {e}\n{:?}", sub.values))
}

/// Inputs whose growth is bad news: accidents, deaths, injuries. Control targets and last year's
/// figures are baselines, not accidents: raising them may rightly lower a deduction.
fn is_bad_count(id: &str) -> bool {
    let bad = ["accident", "death", "injur", "fatal"]
        .iter()
        .any(|w| id.contains(w));
    bad && !["target", "last_year"].iter().any(|w| id.contains(w))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn scores_stay_within_bounds_and_lines_add_up((set, raw, small) in raw_values()) {
        let rules = &rule_sets()[set];
        let sub = submission(rules, &raw, &small);
        let report = score(rules, &sub);
        let half = Decimal::new(5, rules.scale() + 1);
        for section in &report.sections {
            for item in &section.items {
                let points = item.points.value();
                if let Some(s) = item.score {
                    prop_assert!(s.value() >= Decimal::ZERO && s.value() <= points, "{} scored {}", item.id, s);
                    if item.status == ItemStatus::Scored {
                        let sum: Decimal = points + item.lines.iter().map(|l| l.points.value()).sum::<Decimal>();
                        let tolerance = half * Decimal::from(item.lines.len() + 1);
                        prop_assert!((sum - s.value()).abs() <= tolerance, "{}: {} + lines = {} but score {}", item.id, points, sum, s);
                    }
                }
            }
        }
        let bonus_cap = report.bonus.as_ref().map_or(Decimal::ZERO, |b| b.cap.value());
        let total = report.total.value();
        prop_assert!(total >= Decimal::ZERO && total <= rules.full_score() + bonus_cap, "total {}", total);
    }

    #[test]
    fn reading_text_fast_agrees_with_reading_it_thoroughly(
        (set, raw, small) in raw_values(), kind in 0u32..28, at in 0usize..100
    ) {
        let rules = &rule_sets()[set];
        let text = mutate(rules, &submission_text(rules, &raw, &small), kind, at);
        let fast = rules.score_text(&text).map(|r| r.to_json());
        let thorough = Submission::from_json(&text).and_then(|s| rules.score(&s)).map(|r| r.to_json());
        prop_assert_eq!(fast, thorough, "mutation {}", kind);
    }

    #[test]
    fn scoring_is_deterministic((set, raw, small) in raw_values()) {
        let rules = &rule_sets()[set];
        let sub = submission(rules, &raw, &small);
        prop_assert_eq!(score(rules, &sub).to_json(), score(rules, &sub).to_json());
    }

    #[test]
    fn more_accidents_never_raise_a_score((set, raw, small) in raw_values(), extra in 1u32..5) {
        let rules = &rule_sets()[set];
        let sub = submission(rules, &raw, &small);
        let before = score(rules, &sub);
        for input in rules.inputs().iter().filter(|i| i.kind() == InputType::Count && is_bad_count(i.id())) {
            let more = with_value(&sub, input.id(), number(&sub, input.id()) + Decimal::from(extra));
            let after = score(rules, &more);
            prop_assert!(after.total <= before.total, "{}: +{} raised total {} → {}", input.id(), extra, before.total, after.total);
        }
    }

    #[test]
    fn fewer_fixed_hazards_never_raise_a_score((set, raw, small) in raw_values()) {
        let rules = &rule_sets()[set];
        let sub = submission(rules, &raw, &small);
        let before = score(rules, &sub);
        for input in rules.inputs().iter().filter(|i| i.kind() == InputType::Count && i.id().contains("fixed")) {
            let n = number(&sub, input.id());
            if n.is_zero() {
                continue;
            }
            let fewer = with_value(&sub, input.id(), n - Decimal::ONE);
            let after = score(rules, &fewer);
            prop_assert!(after.total <= before.total, "{}: -1 raised total {} → {}", input.id(), before.total, after.total);
        }
    }
}
