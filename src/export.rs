//! Tabular exports of reports (CSV for Excel/WPS), shared by the CLI and the browser.

use crate::diff::{Diff, Standing};
use crate::report::Report;

/// CSV of reports, one row per unit: unit, status, total, grade, rank, then each item's score.
/// A rule set with record lists adds each list's row count (`事故明细（条数）`) and reports with a
/// self-assessment add `自评总分` and `自评差异`; neither column exists otherwise.
/// UTF-8 with a byte-order mark and CRLF line ends, so Excel and WPS open it correctly.
///
/// ```
/// let rules = kpi_wasm::RuleSet::builtin("subdistrict").expect("built-in rule set");
/// let report = rules.score_text(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/subdistrict-dq.json"))).expect("scores");
/// let csv = kpi_wasm::reports_csv(&[report]);
/// assert!(csv.starts_with("\u{feff}单位编号,单位名称,分组,状态,总分,等次,排名,"));
/// ```
pub fn reports_csv(reports: &[Report<'_>]) -> String {
    let with_self = reports.iter().any(|r| r.self_assessment.is_some());
    let mut out = reports_csv_header(reports.first(), with_self);
    for r in reports {
        out.push_str(&reports_csv_row(r, with_self));
    }
    out
}

/// The first line of [`reports_csv`] (with the byte-order mark): the columns the first report has,
/// and the self-assessment's when any report has one (`with_self`). For writing a long batch's
/// CSV one row at a time.
pub fn reports_csv_header(first: Option<&Report<'_>>, with_self: bool) -> String {
    let mut out = String::from("\u{feff}");
    let mut header: Vec<String> = [
        "单位编号",
        "单位名称",
        "分组",
        "状态",
        "总分",
        "等次",
        "排名",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    if let Some(first) = first {
        for s in &first.sections {
            for i in &s.items {
                header.push(format!("{} {}", i.id, i.title));
            }
        }
        for a in &first.adjustments {
            header.push(a.title.to_string());
        }
        if first.bonus.is_some() {
            header.push("加分".into());
        }
        header.push("触发否决".into());
        for l in &first.lists {
            header.push(format!("{}（条数）", l.label));
        }
    }
    if with_self {
        header.extend(["自评总分".to_string(), "自评差异".to_string()]);
    }
    push_row(&mut out, header.iter().map(String::as_str));
    out
}

/// One report's line of [`reports_csv`].
pub fn reports_csv_row(r: &Report<'_>, with_self: bool) -> String {
    let mut out = String::new();
    let mut row: Vec<String> = vec![
        r.unit.id.clone(),
        r.unit.name.clone(),
        r.unit.group.clone().unwrap_or_default(),
        r.status.label().into(),
        r.total.to_string(),
        r.grade.or(r.grade_text).unwrap_or_default().to_string(),
        match r.rank {
            Some(Some(n)) => n.to_string(),
            Some(None) => "不排名".into(),
            None => String::new(),
        },
    ];
    for s in &r.sections {
        for i in &s.items {
            row.push(
                i.score
                    .map_or_else(|| "不涉及".to_string(), |a| a.to_string()),
            );
        }
    }
    for a in &r.adjustments {
        row.push(a.amount.to_string());
    }
    if let Some(b) = &r.bonus {
        row.push(b.amount.to_string());
    }
    let vetoes: Vec<&str> = r
        .vetoes
        .iter()
        .filter(|v| v.triggered == Some(true))
        .map(|v| v.title)
        .collect();
    row.push(vetoes.join("；"));
    for l in &r.lists {
        row.push(l.rows.map(|n| n.to_string()).unwrap_or_default());
    }
    if with_self {
        let own = r.self_assessment.as_ref();
        let text = |a: Option<crate::decimal::Amount>| a.map(|a| a.to_string()).unwrap_or_default();
        row.push(text(own.and_then(|o| o.total)));
        row.push(text(own.and_then(|o| o.difference)));
    }
    push_row(&mut out, row.iter().map(String::as_str));
    out
}

/// CSV of a rule-change diff, one row per unit, UTF-8 with BOM.
pub fn diff_csv(d: &Diff<'_>) -> String {
    let mut out = String::from("\u{feff}");
    push_row(
        &mut out,
        [
            "单位编号",
            "单位名称",
            "是否变化",
            "旧总分",
            "旧等次",
            "旧排名",
            "新总分",
            "新等次",
            "新排名",
            "变化项目",
            "说明",
        ]
        .into_iter(),
    );
    let side = |s: &Option<Standing<'_>>| -> [String; 3] {
        match s {
            Some(x) => [
                x.total.to_string(),
                x.grade.unwrap_or_default().to_string(),
                x.rank.map_or(String::new(), |r| r.to_string()),
            ],
            None => Default::default(),
        }
    };
    let score = |a: Option<crate::Amount>| a.map_or_else(|| "—".to_string(), |a| a.to_string());
    for u in &d.units {
        let [ot, og, or] = side(&u.old);
        let [nt, ng, nr] = side(&u.new);
        let items: Vec<String> = u
            .items
            .iter()
            .map(|i| format!("{} {}→{}", i.id, score(i.old), score(i.new)))
            .collect();
        let changed = if u.changed { "是" } else { "否" };
        let cells = [
            &u.unit.id,
            &u.unit.name,
            changed,
            &ot,
            &og,
            &or,
            &nt,
            &ng,
            &nr,
            &items.join("；"),
            &u.notes.join("；"),
        ];
        push_row(&mut out, cells.into_iter().map(|c| c as &str));
    }
    out
}

fn push_row<'a>(out: &mut String, cells: impl Iterator<Item = &'a str>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_cell(out, cell);
    }
    out.push_str("\r\n");
}

/// Quotes a cell when it holds a comma, quote or line break; a leading `=`, `+`, `-`, `@`, tab or
/// carriage return is prefixed with `'` so a spreadsheet does not run it as a formula (titles come
/// from rule files; a negative number stays a number).
fn push_cell(out: &mut String, cell: &str) {
    let formula = cell.starts_with(['=', '+', '@', '\t', '\r'])
        || (cell.starts_with('-') && crate::decimal::parse_decimal(cell).is_none());
    let needs_quotes = formula || cell.contains([',', '"', '\n', '\r']);
    if needs_quotes {
        out.push('"');
    }
    if formula {
        out.push('\'');
    }
    for c in cell.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if needs_quotes {
        out.push('"');
    }
}

#[cfg(test)]
mod tests {
    use super::push_cell;

    fn cell(text: &str) -> String {
        let mut out = String::new();
        push_cell(&mut out, text);
        out
    }

    #[test]
    fn cells_that_a_spreadsheet_would_run_are_defused() {
        assert_eq!(cell("=1+1"), "\"'=1+1\"");
        assert_eq!(cell("+1"), "\"'+1\"");
        assert_eq!(cell("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(cell("-cmd"), "\"'-cmd\"");
        assert_eq!(cell("\t=1+1"), "\"'\t=1+1\"");
        assert_eq!(cell("\r=1+1"), "\"'\r=1+1\"");
        // Numbers and plain text stay as they are.
        assert_eq!(cell("-4.00"), "-4.00");
        assert_eq!(cell("大桥街道"), "大桥街道");
        assert_eq!(cell("a,b"), "\"a,b\"");
    }
}
