//! The limits of src/limits.rs: going over each is a `limit.*` problem naming the place; the
//! largest input they accept loads and scores (how fast: `cargo bench --bench engine -- limits`).

#![cfg(not(target_arch = "wasm32"))]

#[path = "../benches/worst_case.rs"]
mod worst_case;

use kpi_wasm::limits::*;
use kpi_wasm::{RuleSet, Submission};

/// A small valid rule set with `inputs` extra count inputs, all used by one item's lines.
fn rules_with(inputs: usize, title: &str, lines_per_input: usize) -> String {
    let ids: Vec<String> = (0..inputs)
        .map(|i| format!(r#"{{"id":"c{i}","label":"问题{i}","type":"count"}}"#))
        .collect();
    let lines: Vec<String> = (0..inputs)
        .flat_map(|i| {
            (0..lines_per_input)
                .map(move |_| format!(r#"{{"per":"c{i}","points":"1","reason":"问题"}}"#))
        })
        .collect();
    format!(
        r#"{{"format":"kpi-rules/1","id":"t","version":"1","title":"{title}","period":"2026","unit_kind":"subdistrict","full_score":"100","inputs":[{}],"sections":[{{"id":"s","title":"部分","points":"100","items":[{{"id":"1","title":"项目","points":"100","deduct":[{}]}}]}}],"grades":[{{"name":"合格","min":"60"}},{{"name":"不合格","min":"0"}}]}}"#,
        ids.join(","),
        lines.join(",")
    )
}

fn codes(text: &str) -> Vec<(String, String)> {
    match RuleSet::from_json(text) {
        Ok(_) => Vec::new(),
        Err(e) => e
            .problems()
            .iter()
            .map(|p| (p.code.to_string(), p.path.clone()))
            .collect(),
    }
}

#[test]
fn each_limit_is_a_located_problem() {
    // Within the limits: loads.
    assert!(RuleSet::from_json(&rules_with(3, "细则", 1)).is_ok());
    // Too many inputs (and the item's lines then too many as well).
    let c = codes(&rules_with(MAX_INPUTS + 1, "细则", 0));
    assert!(
        c.contains(&("limit.count".into(), "/inputs".into())),
        "{c:?}"
    );
    // Too many lines in one item.
    let c = codes(&rules_with(1, "细则", MAX_LIST + 1));
    assert!(
        c.contains(&("limit.count".into(), "/sections/0/items/0/deduct".into())),
        "{c:?}"
    );
    // A title too long.
    let c = codes(&rules_with(1, &"长".repeat(MAX_TEXT_CHARS + 1), 1));
    assert!(
        c.contains(&("limit.chars".into(), "/title".into())),
        "{c:?}"
    );
    // Expressions over the budget of operations: many long expressions, each within its own limit.
    let long = vec!["c0"; 400].join(" + ");
    let many = rules_with(1, "细则", 0).replace(
        r#""deduct":[]"#,
        &format!(
            r#""deduct":[{}]"#,
            vec![format!(r#"{{"per":"{long}","points":"1","reason":"x"}}"#); MAX_LIST].join(",")
        ),
    );
    let c = codes(&many);
    assert!(
        c.contains(&("limit.expressions".into(), "".into())),
        "{c:?}"
    );
}

#[test]
fn submissions_over_the_limits_are_refused_the_same_way_fast_or_thorough() {
    let rules = RuleSet::from_json(&rules_with(2, "细则", 1)).expect("loads");
    let sub = |extra: &str| {
        format!(
            r#"{{"format":"kpi-submission/1","rules":{{"id":"t","version":"1"}},"unit":{{"id":"u","name":"单位"}},"values":{{"c0":1,"c1":2}}{extra}}}"#
        )
    };
    let long = "字".repeat(MAX_LONG_TEXT_CHARS + 1);
    let meta: Vec<String> = (0..=MAX_META).map(|i| format!(r#""k{i}":"v""#)).collect();
    for (extra, code) in [
        (format!(r#","notes":{{"1":"{long}"}}"#), "limit.chars"),
        (format!(r#","meta":{{{}}}"#, meta.join(",")), "limit.count"),
        (
            format!(r#","period":"{}""#, "9".repeat(MAX_ID_CHARS + 1)),
            "limit.chars",
        ),
    ] {
        let text = sub(&extra);
        let thorough = Submission::from_json(&text)
            .and_then(|s| rules.score(&s))
            .map(|r| r.to_json());
        let fast = rules.score_text(&text).map(|r| r.to_json());
        assert_eq!(fast, thorough);
        let e = thorough.expect_err("over a limit");
        assert_eq!(e.first().map(|p| p.code.as_str()), Some(code), "{e}");
    }
}

#[test]
fn a_batch_over_the_limit_is_refused_whole() {
    let rules = RuleSet::from_json(&rules_with(1, "细则", 1)).expect("loads");
    let text = r#"{"format":"kpi-submission/1","rules":{"id":"t","version":"1"},"unit":{"id":"u","name":"单位"},"values":{"c0":1}}"#;
    let texts = vec![text; MAX_BATCH + 1];
    let batch = rules.score_batch_texts(&texts);
    assert_eq!(batch.results.len(), MAX_BATCH + 1);
    assert!(
        batch.results.iter().all(
            |r| matches!(r, Err(e) if e.first().map(|p| p.code.as_str()) == Some("limit.batch"))
        )
    );
}

#[test]
fn batches_diffs_and_probes_over_the_work_budget_are_refused_before_scoring() {
    use kpi_wasm::limits::{MAX_PROBE_WORK, MAX_WORK};
    let rules = RuleSet::from_json(&worst_case::rules()).expect("loads");
    let fit = MAX_WORK / rules.cost();
    assert!(
        (50..500).contains(&fit),
        "{fit} units of the largest rule set"
    );
    assert!(rules.check_batch(fit).is_ok());
    let e = rules.check_batch(fit + 1).expect_err("over the budget");
    assert_eq!(e.first().map(|p| p.code.as_str()), Some("limit.work"));
    assert!(e.to_string().contains(&format!("一次最多{fit}份")), "{e}");
    // Refused whole and at once, every entry with the error.
    let text = worst_case::submission(1);
    let texts = vec![text.as_str(); fit + 1];
    let started = std::time::Instant::now();
    let batch = rules.score_batch_texts(&texts);
    assert!(started.elapsed().as_secs() < 5);
    assert!(
        batch.results.iter().all(
            |r| matches!(r, Err(e) if e.first().map(|p| p.code.as_str()) == Some("limit.work"))
        )
    );
    let sub = kpi_wasm::Submission::from_json(&text).expect("reads");
    let subs = vec![sub; fit / 2 + 1];
    assert!(rules.check_diff(&rules, subs.len()).is_err());
    let d = rules.diff(&rules, &subs);
    assert_eq!(d.summary.errors, subs.len());
    assert!(
        d.units
            .iter()
            .all(|u| u.notes.iter().any(|n| n.contains("limit.work")))
    );
    // A probe of the largest rule set against itself: its planned work is over the budget.
    assert!(MAX_PROBE_WORK / (2 * rules.cost()) < 500);
    let e = rules
        .check_probe(&rules, &subs[..1])
        .expect_err("over the budget");
    assert_eq!(e.first().map(|p| p.code.as_str()), Some("limit.work"));
    // The built-in rule sets: thousands of units in a batch.
    let builtin = RuleSet::builtin("subdistrict").expect("built-in");
    assert!(builtin.check_batch(10_000).is_ok());
    assert!(builtin.check_diff(&builtin, 5_000).is_ok());
}

#[test]
fn the_largest_accepted_input_loads_and_scores() {
    let text = worst_case::rules();
    assert!(
        text.len() <= MAX_DOCUMENT_BYTES && text.len() > MAX_DOCUMENT_BYTES / 2,
        "{} bytes",
        text.len()
    );
    let rules = RuleSet::from_json(&text)
        .unwrap_or_else(|e| panic!("the worst case is within the limits: {e}"));
    assert_eq!(rules.item_count(), MAX_ITEMS);
    assert_eq!(rules.inputs_len(), MAX_INPUTS);
    let report = rules
        .score_text(&worst_case::submission(1))
        .expect("scores");
    let lines: usize = report
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .map(|i| i.lines.len())
        .sum();
    // Every line fired, and every item was capped.
    assert!(lines > MAX_EXPR_OPS * 9 / 10, "{lines} trace lines");
    assert_eq!(report.total.to_string(), "0.00");
}

/// Writes the largest accepted input to target/worst-case/ for measuring it elsewhere:
/// `cargo test --test limits -- --ignored` then `node benches/node-limits.mjs`.
#[test]
#[ignore = "writes files for benches/node-limits.mjs"]
fn write_the_largest_accepted_input() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/worst-case");
    std::fs::create_dir_all(&dir).expect("target/worst-case");
    std::fs::write(dir.join("rules.json"), worst_case::rules()).expect("write rules");
    let subs: Vec<String> = (0..5).map(worst_case::submission).collect();
    std::fs::write(dir.join("subs.jsonl"), subs.join("\n") + "\n").expect("write submissions");
}

/// A rule set with one record list of at most `max_rows` rows read by `each` lines (a tiers line
/// among them) and by list functions: what the work budget and the report bound must count per
/// row.
fn rules_with_rows(max_rows: usize, each_lines: usize) -> String {
    let lines: Vec<String> = (0..each_lines)
        .map(|k| {
            format!(
                r#"{{"each":"acc","if":"deaths + serious * 2 + {k} > 0","points":"0.01","reason":"第{k}档"}}"#
            )
        })
        .chain([r#"{"each":"acc","tiers":[{"if":"serious == 1","points":"1","reason":"重伤1人"},{"if":"serious >= 2","points":"2","reason":"重伤2人及以上"}]}"#.to_string()])
        .collect();
    format!(
        r#"{{"format":"kpi-rules/1","id":"t","version":"1","title":"明细","period":"2026","unit_kind":"subdistrict","full_score":"100",
        "inputs":[{{"id":"acc","label":"事故明细","type":"records","unit":"起","max_rows":{max_rows},"describe":["place","note"],
          "fields":[{{"id":"place","label":"地点","type":"text"}},{{"id":"note","label":"说明","type":"text","required":false}},
                    {{"id":"deaths","label":"死亡","type":"count"}},{{"id":"serious","label":"重伤","type":"count"}}]}}],
        "sections":[{{"id":"s","title":"部分","points":"100","items":[
          {{"id":"1","title":"逐起扣分","points":"60","deduct":[{}]}},
          {{"id":"2","title":"合计","points":"40","formula":"max(0, 40 - sum(acc, deaths * 3 + serious) - count(acc, deaths > 0))"}}]}}],
        "grades":[{{"name":"合格","min":"60"}},{{"name":"不合格","min":"0"}}]}}"#,
        lines.join(",")
    )
}

/// A submission with `rows` rows, each naming itself with texts of `chars` characters.
fn rows_submission(rows: usize, own_values: bool, chars: usize) -> String {
    let row = format!(
        r#"{{"place":"{}","note":"{}","deaths":1,"serious":2}}"#,
        "某".repeat(chars),
        "注".repeat(chars)
    );
    let values = format!(r#"{{"acc":[{}]}}"#, vec![row; rows].join(","));
    let own = if own_values {
        format!(r#","self":{{"values":{values}}}"#)
    } else {
        String::new()
    };
    format!(
        r#"{{"format":"kpi-submission/1","rules":{{"id":"t","version":"1"}},"unit":{{"id":"u","name":"单位"}},"values":{values}{own}}}"#
    )
}

#[test]
fn record_lists_cost_their_rows_and_bound_their_reports() {
    let small = RuleSet::from_json(&rules_with_rows(10, 20)).expect("loads");
    let large = RuleSet::from_json(&rules_with_rows(MAX_ROWS, 20)).expect("loads");
    // Each row expression and each trace line a row may write counts once per row the list can
    // have: a hundred times the rows, about a hundred times the cost.
    assert!(
        large.cost() > 60 * small.cost(),
        "{} against {}",
        large.cost(),
        small.cost()
    );
    assert!(large.cost() > MAX_ROWS * 20 * 5, "{}", large.cost());
    // The most a report can hold: every line on every row, each row named by its describe fields
    // (cut to 40 characters each however long the cells are).
    let report = large
        .score_text(&rows_submission(MAX_ROWS, false, 1_000))
        .expect("scores");
    let lines: usize = report
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .map(|i| i.lines.len())
        .sum();
    assert!(lines > MAX_ROWS * 20, "{lines} trace lines");
    let json = report.to_json();
    assert!(
        json.len() < large.report_bytes(),
        "{} > {}",
        json.len(),
        large.report_bytes()
    );
    // About 300 bytes a trace line; uncut, each would repeat its row's 6,000 bytes of text.
    assert!(
        json.len() < 500 * MAX_ROWS * 22,
        "row names are cut: {} bytes",
        json.len()
    );
    // A batch counts the rows each submission gives: more units than the worst case admits,
    // each with one row.
    let units = |text: &str, n: usize| -> Vec<Submission> {
        let sub = Submission::from_json(text).expect("reads");
        (0..n)
            .map(|i| {
                let mut s = sub.clone();
                s.unit.id = format!("u{i}");
                s
            })
            .collect()
    };
    let fit = MAX_WORK / large.cost();
    assert!(large.check_batch(fit + 1).is_err());
    let batch = large.score_batch(&units(&rows_submission(1, false, 10), fit + 1));
    assert!(batch.results.iter().all(Result::is_ok));
    // A self-assessment given as values is scored too: such a submission counts twice.
    let fit = MAX_WORK / small.cost();
    let full = units(&rows_submission(10, false, 10), fit);
    assert!(
        small
            .check_batch_of(&full.iter().collect::<Vec<_>>())
            .is_ok()
    );
    let own = units(&rows_submission(10, true, 10), fit / 2 + 1);
    let e = small
        .check_batch_of(&own.iter().collect::<Vec<_>>())
        .expect_err("over the budget");
    assert_eq!(e.first().map(|p| p.code.as_str()), Some("limit.work"));
}

#[test]
fn a_streamed_batch_admits_a_city_and_stops_at_its_own_budget() {
    use kpi_wasm::limits::{MAX_BATCH, MAX_STREAM_WORK};
    // The built-in sets: a whole city streams (kept in memory, the same batch is refused).
    for id in kpi_wasm::BUILTIN_IDS {
        let rules = RuleSet::builtin(id).expect("built-in");
        assert!(rules.streams(), "{id} reads no peers");
        assert!(rules.check_stream(MAX_BATCH).is_ok(), "{id}");
        assert!(rules.check_batch(MAX_BATCH).is_err(), "{id}");
    }
    // The largest rule set: refused once its submissions, each scored twice, pass the budget.
    let rules = RuleSet::from_json(&worst_case::rules()).expect("loads");
    let fit = MAX_STREAM_WORK / (2 * rules.cost());
    let e = rules.check_stream(fit + 1).expect_err("over the budget");
    assert_eq!(e.first().map(|p| p.code.as_str()), Some("limit.work"));
    // It reads no peers, so it streams; each submission is counted as it is added (by its rows).
    assert!(rules.stream().is_some());
}
