//! The text renderings of reports and diffs (Chinese tables for people; JSON and CSV come from
//! the library).

use crate::term::esc;
use kpi_wasm::Report;

pub fn opt(a: Option<kpi_wasm::Amount>) -> String {
    a.map_or_else(|| "—".to_string(), |a| a.to_string())
}

fn standing_text(s: &Option<kpi_wasm::Standing>) -> String {
    match s {
        Some(s) => format!(
            "{} {} 第{}名",
            s.total,
            esc(s.grade.unwrap_or("-")),
            s.rank.map_or("-".to_string(), |r| r.to_string())
        ),
        None => "无法评分".into(),
    }
}

/// Changed units first, each with the items that changed and why.
pub fn diff_table(d: &kpi_wasm::Diff) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "新旧细则对比：{} {} → {} {}",
        esc(d.old.id),
        esc(d.old.version),
        esc(d.new.id),
        esc(d.new.version)
    );
    let _ = writeln!(s, "{}\n", d.summary.text());
    let mut order: Vec<&kpi_wasm::UnitDiff> = d.units.iter().collect();
    order.sort_by_key(|u| !u.changed);
    for u in order {
        let mark = if u.changed { "●" } else { "○" };
        let _ = writeln!(
            s,
            "{mark} {}（{}）：{} → {}",
            esc(&u.unit.name),
            esc(&u.unit.id),
            standing_text(&u.old),
            standing_text(&u.new)
        );
        for i in &u.items {
            let _ = writeln!(
                s,
                "    {} {}：{} → {}",
                esc(i.id),
                esc(i.title),
                opt(i.old),
                opt(i.new)
            );
            for r in &i.reasons {
                let _ = writeln!(s, "        {}", esc(r));
            }
        }
        for n in &u.notes {
            let _ = writeln!(s, "    ! {}", esc(n));
        }
    }
    if !d.rule_changes.is_empty() {
        let _ = writeln!(s, "\n考核细则变化（{}处）：", d.rule_changes.len());
        for c in &d.rule_changes {
            let _ = writeln!(s, "  · {}", esc(c));
        }
    }
    s
}

/// Trace lines, indented under their item: points, then the reason.
fn trace(s: &mut String, lines: &[kpi_wasm::TraceLine]) {
    use std::fmt::Write;
    for l in lines {
        let _ = writeln!(s, "         {:>8}  {}", l.points, esc(&l.reason));
    }
}

/// A readable Chinese rendering of one report.
pub fn report_table(r: &Report) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(s, "{}（{}）", esc(&r.unit.name), esc(&r.unit.id));
    let _ = writeln!(
        s,
        "考核细则：{}（{} {}）",
        esc(r.rules.title),
        esc(r.rules.id),
        esc(r.rules.version)
    );
    let status = match r.status {
        kpi_wasm::Status::Final => r.status.label().to_string(),
        kpi_wasm::Status::Provisional => format!("{}（有待定项）", r.status.label()),
    };
    let _ = writeln!(
        s,
        "总分：{}    等次：{}    状态：{status}",
        r.total,
        esc(r.grade.or(r.grade_text).unwrap_or("（不评等次）"))
    );
    for sec in &r.sections {
        let _ = writeln!(
            s,
            "\n【{}】 {} 分，{}",
            esc(sec.title),
            sec.points,
            sec.score
                .map_or_else(|| "不涉及".to_string(), |s| format!("得 {s} 分"))
        );
        for item in &sec.items {
            let score = item
                .score
                .map_or_else(|| "不涉及".to_string(), |a| a.to_string());
            let mark = match item.status.label() {
                "" => String::new(),
                m => format!("  [{m}]"),
            };
            let _ = writeln!(
                s,
                "  {:<6} {}  {}/{}{mark}",
                esc(item.id),
                esc(item.title),
                score,
                item.points
            );
            trace(&mut s, &item.lines);
        }
        trace(&mut s, &sec.lines);
    }
    if !r.adjustments.is_empty() {
        let _ = writeln!(s, "\n【扣分项】");
        for a in &r.adjustments {
            let _ = writeln!(s, "  {}  {}", esc(a.title), a.amount);
            trace(&mut s, &a.lines);
        }
    }
    if let Some(b) = &r.bonus {
        let _ = writeln!(s, "\n【加分】合计 {}（上限 {}）", b.amount, b.cap);
        for item in &b.items {
            let _ = writeln!(s, "  {}  {}", esc(item.title), item.amount);
            trace(&mut s, &item.lines);
        }
        trace(&mut s, &b.lines);
    }
    if !r.vetoes.is_empty() {
        let _ = writeln!(s, "\n【一票否决】");
        for v in &r.vetoes {
            let state = match v.triggered {
                Some(true) => "触发",
                Some(false) => "未触发",
                None => "待定",
            };
            let _ = writeln!(s, "  {}：{state}（{}）", esc(v.title), esc(v.effect_text));
        }
    }
    for l in &r.lines {
        let _ = writeln!(s, "  {:>8}  {}", l.points, esc(&l.reason));
    }
    if !r.pending.is_empty() {
        let _ = writeln!(s, "\n【待定项】");
        for p in &r.pending {
            let _ = writeln!(s, "  {} {}：{}", esc(p.id), esc(p.title), esc(&p.reason));
        }
    }
    if !r.warnings.is_empty() {
        let _ = writeln!(s, "\n【提示】");
        for w in &r.warnings {
            let _ = writeln!(s, "  {}", esc(&w.message));
        }
    }
    s
}

/// One line per unit, best rank first (unranked units last), with quota moves marked.
pub fn ranked_table(reports: &[Report]) -> String {
    sorted_table(reports.iter().map(ranked_row).collect())
}

/// Where a unit's line goes in the ranked table: by group, then rank (unranked last).
pub type RowKey = (Option<String>, u32);

/// A unit's line of the ranked table, and where it goes.
pub fn ranked_row(r: &Report) -> (RowKey, String) {
    let rank = match r.rank {
        Some(Some(n)) => n.to_string(),
        Some(None) => "不排名".into(),
        None => "-".into(),
    };
    let status = r.status.label();
    let notes: Vec<&str> = r
        .lines
        .iter()
        .filter(|l| matches!(l.kind, kpi_wasm::LineKind::Quota | kpi_wasm::LineKind::Veto))
        .map(|l| l.reason.as_str())
        .collect();
    let line = format!(
        "{rank}\t{}\t{}\t{}\t{}\t{}\t{status}\t{}\n",
        esc(&r.unit.id),
        esc(&r.unit.name),
        esc(r.unit.group.as_deref().unwrap_or("")),
        r.total,
        esc(r.grade.or(r.grade_text).unwrap_or("")),
        esc(&notes.join("；"))
    );
    let key = (r.unit.group.clone(), r.rank.flatten().unwrap_or(u32::MAX));
    (key, line)
}

/// The ranked table from its lines, in input order: sorted (stably) by their keys.
pub fn sorted_table(mut rows: Vec<(RowKey, String)>) -> String {
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    let mut s = String::from("排名\t单位编号\t单位名称\t分组\t总分\t等次\t状态\t说明\n");
    for (_, line) in rows {
        s.push_str(&line);
    }
    s
}
