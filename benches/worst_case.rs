//! The largest rule set and submission the limits accept (src/limits.rs), built to be as costly to
//! score as the limits allow: every input, item and section the limits permit, expressions using up
//! the budget of compiled operations, values that make every deduction line fire (each line writes
//! a trace line), and long titles, as long as the whole stays within the document size limit. Shared by the limits test (it must load and score) and the benchmark (how
//! long that takes: SECURITY.md).

use kpi_wasm::limits::{MAX_EXPR_OPS, MAX_INPUTS, MAX_ITEMS, MAX_LIST, MAX_SECTIONS};

/// Items per section.
const PER_SECTION: usize = MAX_ITEMS / MAX_SECTIONS;

/// Deduction lines per item: each `per` line over one input compiles to one operation, so the
/// lines of all items use the budget of operations (a few left for the vetoes).
fn lines_per_item() -> usize {
    (MAX_EXPR_OPS - 2 * MAX_LIST) / MAX_ITEMS
}

/// The rule set's JSON text.
pub fn rules() -> String {
    // Titles as long as the document size allows (the lines take most of it).
    let title: String = "考核项目".repeat(60);
    let inputs: Vec<String> = (0..MAX_INPUTS)
        .map(|i| format!(r#"{{"id":"c{i}","label":"问题{i}（项）","type":"count"}}"#))
        .collect();
    let points = rust_decimal::Decimal::ONE_HUNDRED / rust_decimal::Decimal::from(MAX_ITEMS);
    // Each line takes a hundredth of the item's points; three of each add up past them, so the
    // item is also capped.
    let per_line = points / rust_decimal::Decimal::ONE_HUNDRED;
    let mut sections = Vec::new();
    for s in 0..MAX_SECTIONS {
        let items: Vec<String> = (0..PER_SECTION)
            .map(|k| {
                let item = s * PER_SECTION + k;
                let lines: Vec<String> = (0..lines_per_item())
                    .map(|l| {
                        let input = (item * lines_per_item() + l) % MAX_INPUTS;
                        format!(
                            r#"{{"per":"c{input}","points":"{per_line}","reason":"问题{l}"}}"#
                        )
                    })
                    .collect();
                format!(
                    r#"{{"id":"{s}.{k}","title":"{title}{item}","points":"{points}","deduct":[{}]}}"#,
                    lines.join(",")
                )
            })
            .collect();
        sections.push(format!(
            r#"{{"id":"s{s}","title":"第{s}部分","points":"{}","items":[{}]}}"#,
            points * rust_decimal::Decimal::from(PER_SECTION),
            items.join(",")
        ));
    }
    let vetoes: Vec<String> = (0..MAX_LIST)
        .map(|v| format!(r#"{{"id":"v{v}","title":"否决{v}","when":"c{v} > 99","effect":"fail"}}"#))
        .collect();
    format!(
        r#"{{"format":"kpi-rules/1","id":"worst","version":"1","title":"限额内最大的考核细则","period":"2026","unit_kind":"subdistrict","full_score":"100","inputs":[{}],"sections":[{}],"vetoes":[{}],"grades":[{{"name":"优秀","min":"90"}},{{"name":"良好","min":"80"}},{{"name":"合格","min":"60"}},{{"name":"不合格","min":"0"}}]}}"#,
        inputs.join(","),
        sections.join(","),
        vetoes.join(",")
    )
}

/// A submission for it in which every input is 1 to 5, varied by `unit` (every line fires, no
/// veto does).
pub fn submission(unit: usize) -> String {
    let values: Vec<String> = (0..MAX_INPUTS)
        .map(|i| format!(r#""c{i}":{}"#, 1 + (i + unit) % 5))
        .collect();
    format!(
        r#"{{"format":"kpi-submission/1","rules":{{"id":"worst","version":"1"}},"unit":{{"id":"u{unit}","name":"单位{unit}"}},"values":{{{}}}}}"#,
        values.join(",")
    )
}
