//! Invariants of record lists (明细表), over the published example (柳池乡2016) and the golden
//! `records` case: the order of a list's rows does not change any score (only the trace lines'
//! order and row numbers), adding an accident or fire row never raises a score, and a unit scores
//! the same alone and in a batch.

#![cfg(not(target_arch = "wasm32"))]

use kpi_wasm::{Bound, Input, InputType, RuleSet, Submission};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};
use std::sync::OnceLock;

const LIUCHI: &str = include_str!("../examples/published/liuchi-2016.json");
const RECORDS: &str = include_str!("cases/records/rules.json");

fn rule_sets() -> &'static [RuleSet] {
    static SETS: OnceLock<Vec<RuleSet>> = OnceLock::new();
    SETS.get_or_init(|| {
        [LIUCHI, RECORDS]
            .iter()
            .map(|text| RuleSet::from_json(text).expect("rule set loads"))
            .collect()
    })
}

fn literal(b: Option<&Bound>) -> Option<Decimal> {
    match b {
        Some(Bound::Literal(d)) => Some(*d),
        _ => None,
    }
}

/// A valid value of a scalar input (or of a row's field), from one raw number.
fn value(input: &Input, r: u32) -> Value {
    match input.kind() {
        InputType::Count => json!(r % 4),
        InputType::Number | InputType::Percent => {
            let lo = literal(input.min()).unwrap_or(Decimal::ZERO);
            let hi = literal(input.max()).unwrap_or(lo + Decimal::from(20));
            let span = (hi - lo).max(Decimal::ZERO);
            let d = lo + span * Decimal::from(r % 5) / Decimal::from(4);
            json!(d.round_dp(2).normalize().to_string())
        }
        InputType::Bool => json!(r % 2 == 0),
        InputType::Choice => {
            let options = input.options();
            json!(
                options
                    .get(r as usize % options.len().max(1))
                    .cloned()
                    .unwrap_or_default()
            )
        }
        InputType::Date => json!(format!("2016-{:02}-{:02}", r % 12 + 1, r % 28 + 1)),
        _ => json!(format!("地点{}", r % 7)),
    }
}

/// A row of `list`, from raw numbers.
fn row(list: &Input, raw: &[u32]) -> Value {
    let mut cells = Map::new();
    for (k, field) in list.fields().iter().enumerate() {
        let r = raw.get(k % raw.len().max(1)).copied().unwrap_or(0);
        cells.insert(
            field.id().to_string(),
            value(field, r.wrapping_add(k as u32)),
        );
    }
    Value::Object(cells)
}

/// Values for every input: `rows[i]` rows for the i-th record list.
fn values(rules: &RuleSet, raw: &[u32], rows: &[usize]) -> Map<String, Value> {
    let mut values = Map::new();
    let mut lists = 0;
    for (i, input) in rules.inputs().iter().enumerate() {
        let r = raw.get(i % raw.len()).copied().unwrap_or(0);
        let v = if input.kind() == InputType::Records {
            let n = rows.get(lists).copied().unwrap_or(0);
            lists += 1;
            let list: Vec<Value> = (0..n)
                .map(|k| row(input, &raw[(k * 3) % raw.len()..]))
                .collect();
            Value::Array(list)
        } else {
            value(input, r)
        };
        values.insert(input.id().to_string(), v);
    }
    values
}

fn submission(rules: &RuleSet, unit: &str, values: &Map<String, Value>) -> Submission {
    let text = json!({
        "format": "kpi-submission/1",
        "rules": { "id": rules.id(), "version": rules.version() },
        "unit": { "id": unit, "name": unit },
        "period": rules.period(),
        "values": values,
    });
    Submission::from_json(&text.to_string()).expect("generated submission reads")
}

fn report(rules: &RuleSet, sub: &Submission) -> Value {
    let r = rules
        .score(sub)
        .unwrap_or_else(|e| panic!("valid submission failed to score: {e}\n{:?}", sub.values));
    serde_json::from_str(&r.to_json()).expect("report is JSON")
}

/// A trace line without where it stands: its points, kind and reason without the row number
/// (`第2起（…）：` becomes `（…）：`).
fn line_key(line: &Value) -> String {
    let reason = line["reason"].as_str().unwrap_or("");
    let reason = match reason.strip_prefix('第') {
        // 第N起/第N条: drop the number and the counting word after it.
        Some(rest) if line.get("row").is_some() => {
            let mut chars = rest
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .chars();
            chars.next();
            chars.as_str()
        }
        _ => reason,
    };
    format!("{}|{}|{}", line["points"], line["kind"], reason)
}

/// Everything in a report that must not depend on the order of rows: scores, statuses, grades,
/// vetoes, list counts, and each item's trace lines as a multiset.
fn order_free(report: &Value) -> Value {
    let mut out = report.clone();
    // The submission's fingerprint holds the lists as written, so it does change with their order.
    if let Some(fingerprint) = out.get_mut("fingerprint").and_then(Value::as_object_mut) {
        fingerprint.remove("submission");
    }
    if let Some(sections) = out["sections"].as_array_mut() {
        for section in sections {
            if let Some(items) = section["items"].as_array_mut() {
                for item in items {
                    let mut keys: Vec<String> = item["lines"]
                        .as_array()
                        .map(|l| l.iter().map(line_key).collect())
                        .unwrap_or_default();
                    keys.sort();
                    item["lines"] = json!(keys);
                }
            }
        }
    }
    out
}

/// Where two JSON values first differ (a path and both sides), or `None` when they are equal.
fn difference(a: &Value, b: &Value, at: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => x.keys().chain(y.keys()).find_map(|k| {
            difference(
                x.get(k).unwrap_or(&Value::Null),
                y.get(k).unwrap_or(&Value::Null),
                &format!("{at}/{k}"),
            )
        }),
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(k, (p, q))| difference(p, q, &format!("{at}/{k}"))),
        _ if a == b => None,
        _ => Some(format!("{at}: {a} ≠ {b}")),
    }
}

/// Shuffles each list's rows by rotating and reversing them as `how` says.
fn reorder(values: &Map<String, Value>, how: &[(usize, bool)]) -> Map<String, Value> {
    let mut out = values.clone();
    let mut k = 0;
    for v in out.values_mut() {
        if let Value::Array(rows) = v {
            let (turn, flip) = how.get(k).copied().unwrap_or((0, false));
            k += 1;
            if !rows.is_empty() {
                let at = turn % rows.len();
                rows.rotate_left(at);
            }
            if flip {
                rows.reverse();
            }
        }
    }
    out
}

fn raw() -> impl Strategy<Value = (usize, Vec<u32>, Vec<usize>)> {
    (
        0..2usize,
        prop::collection::vec(0u32..1000, 40),
        prop::collection::vec(0usize..6, 3),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn the_order_of_rows_changes_no_score(
        (set, raw, rows) in raw(),
        how in prop::collection::vec((0usize..6, any::<bool>()), 3),
    ) {
        let rules = &rule_sets()[set];
        let values = values(rules, &raw, &rows);
        let before = report(rules, &submission(rules, "u", &values));
        let after = report(rules, &submission(rules, "u", &reorder(&values, &how)));
        let d = difference(&order_free(&before), &order_free(&after), "");
        prop_assert!(d.is_none(), "{}", d.unwrap_or_default());
    }

    #[test]
    fn another_accident_never_raises_a_score(
        (set, raw, rows) in raw(),
        extra in prop::collection::vec(0u32..1000, 8),
    ) {
        let rules = &rule_sets()[set];
        let values = values(rules, &raw, &rows);
        let before = report(rules, &submission(rules, "u", &values));
        for list in rules.inputs().iter().filter(|i| i.kind() == InputType::Records) {
            let mut more = values.clone();
            if let Some(Value::Array(rows)) = more.get_mut(list.id()) {
                rows.push(row(list, &extra));
            }
            let after = report(rules, &submission(rules, "u", &more));
            let total = |r: &Value| r["total"].as_str().and_then(|t| t.parse::<Decimal>().ok());
            prop_assert!(total(&after) <= total(&before), "{}: a row raised the total {} → {}", list.id(), before["total"], after["total"]);
            for (s, section) in before["sections"].as_array().into_iter().flatten().enumerate() {
                for (i, item) in section["items"].as_array().into_iter().flatten().enumerate() {
                    let then = item["score"].as_str().and_then(|t| t.parse::<Decimal>().ok());
                    let now = after["sections"][s]["items"][i]["score"].as_str().and_then(|t| t.parse::<Decimal>().ok());
                    prop_assert!(now <= then, "{}: a row raised item {} {:?} → {:?}", list.id(), item["id"], then, now);
                }
            }
        }
    }

    #[test]
    fn a_unit_scores_the_same_alone_and_in_a_batch(
        (set, raw, rows) in raw(),
        others in prop::collection::vec((prop::collection::vec(0u32..1000, 40), prop::collection::vec(0usize..4, 3)), 1..4),
    ) {
        let rules = &rule_sets()[set];
        let mut subs = vec![submission(rules, "u0", &values(rules, &raw, &rows))];
        for (k, (raw, rows)) in others.iter().enumerate() {
            subs.push(submission(rules, &format!("u{}", k + 1), &values(rules, raw, rows)));
        }
        let batch = rules.score_batch(&subs);
        prop_assert_eq!(batch.results.len(), subs.len());
        for (sub, result) in subs.iter().zip(&batch.results) {
            let mut in_batch: Value = serde_json::from_str(&result.as_ref().expect("scores in a batch").to_json()).expect("JSON");
            if let Some(o) = in_batch.as_object_mut() {
                o.remove("rank");
            }
            let d = difference(&report(rules, sub), &in_batch, "");
            prop_assert!(d.is_none(), "{}", d.unwrap_or_default());
        }
    }

    #[test]
    fn reading_a_list_fast_agrees_with_reading_it_thoroughly((set, raw, rows) in raw()) {
        let rules = &rule_sets()[set];
        let values = values(rules, &raw, &rows);
        let sub = submission(rules, "u", &values);
        let text = json!({
            "format": "kpi-submission/1",
            "rules": { "id": rules.id(), "version": rules.version() },
            "unit": { "id": "u", "name": "u" },
            "period": rules.period(),
            "values": values,
        }).to_string();
        let fast = rules.score_text(&text).map(|r| r.to_json()).expect("scores");
        let d = difference(&serde_json::from_str::<Value>(&fast).expect("JSON"), &report(rules, &sub), "");
        prop_assert!(d.is_none(), "{}", d.unwrap_or_default());
    }
}
