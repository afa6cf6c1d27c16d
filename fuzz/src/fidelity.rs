//! The constructs of issue 14 in the structured generator: a record list `acc` and a section `f`
//! of items reading it (`each` lines with if/per/amount/tiers, line groups, list functions in a
//! formula, a bands item written with over/upto, a rate with above/below), a veto over the rows
//! with `ungraded` or a `ranking`, grades written with `over` or no grades at all, `assessor_na`,
//! `notes_required`; and in the submissions: rows (typical, empty cells, odd values, too many),
//! not-applicable markings (with and without a reason) and self-assessments (values or items).
//! Kept apart from `generator.rs`, which only calls in at a few places.

use arbitrary::Arbitrary;

/// What a rule set of the generator adds for issue 14.
#[derive(Arbitrary, Debug, Clone)]
pub struct Fidelity {
    /// A record list and the section `f` reading it.
    pub records: bool,
    each: Vec<EachSpec>,
    groups: bool,
    formula: u8,
    bands_upper: bool,
    rate: u8,
    veto: u8,
    /// Grades written with `over` (bit k: grade k).
    pub over_grades: u8,
    /// No grades at all: vetoes become `zero` or `ungraded`, quotas go.
    pub no_grades: bool,
    assessor_na: bool,
    pub notes_required: bool,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
struct EachSpec {
    form: u8,
    k: u8,
    points: u8,
}

/// What a submission of the generator adds for issue 14.
#[derive(Arbitrary, Debug, Clone, Default)]
pub struct SubFidelity {
    rows: Vec<RowSpec>,
    rows_sel: u8,
    na: u8,
    own: u8,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
struct RowSpec {
    deaths: u8,
    serious: u8,
    loss: u16,
    big: bool,
    odd: u8,
}

/// Points of section `f` in hundredths: 30 (items f.1 10, f.2 5, f.3 5, f.4 10).
pub const SECTION_POINTS: u64 = 3000;

const ROW_FIELDS: &str = r#"[{"id": "date", "label": "日期", "type": "date", "required": false},
 {"id": "place", "label": "地点", "type": "text"},
 {"id": "d", "label": "死亡（人）", "type": "count"},
 {"id": "s", "label": "重伤（人）", "type": "count", "required": false, "default": 0},
 {"id": "loss", "label": "损失（万元）", "type": "number", "min": "0", "max": "100", "required": false},
 {"id": "big", "label": "较大", "type": "bool"},
 {"id": "kind", "label": "类别", "type": "choice", "options": ["生产", "火灾"], "required": false, "default": "生产"}]"#;

impl Fidelity {
    /// The record list input (when there is one).
    pub fn input(&self) -> Option<String> {
        self.records.then(|| {
            format!(
                r#"{{"id": "acc", "label": "事故明细", "type": "records", "unit": "起", "max_rows": 6, "describe": ["date", "place"], "fields": {ROW_FIELDS}}}"#
            )
        })
    }

    /// The section reading the list: its JSON (points `SECTION_POINTS`), when there is a list.
    pub fn section(&self) -> Option<String> {
        if !self.records {
            return None;
        }
        let na = if self.assessor_na {
            r#", "assessor_na": true"#
        } else {
            ""
        };
        let mut lines: Vec<String> = self.each.iter().take(4).map(each_line).collect();
        if lines.is_empty() {
            lines.push(each_line(&EachSpec {
                form: 0,
                k: 0,
                points: 3,
            }));
        }
        if self.groups && lines.len() > 1 {
            let rest = lines.split_off(1);
            lines.push(format!(
                r#"{{"group": "（二）伤残事故", "lines": [{}]}}"#,
                rest.join(", ")
            ));
        }
        let formula = match self.formula % 4 {
            0 => "max(0, 5 - count(acc, d >= 1) * 2 - sum(acc, s))",
            1 => "if(any(acc, big), 0, 5 - min(max(acc, loss) / 20, 5))",
            2 => "if(all(acc, kind == \"生产\"), 5, 2.5) - min(count(acc), 2)",
            _ => "5 - min(acc, d) - count(acc, loss > 10 && !big)",
        };
        let upper = if self.bands_upper { "upto" } else { "under" };
        let bands = if self.bands_upper {
            r#"[{"min": "0", "upto": "0", "score": "5"}, {"over": "0", "upto": "2", "score": "2.5"}, {"over": "2", "score": "0"}]"#.to_string()
        } else {
            format!(
                r#"[{{"min": "0", "{upper}": "1", "score": "5"}}, {{"min": "1", "{upper}": "3", "score": "2.5"}}, {{"min": "3", "score": "0"}}]"#
            )
        };
        let rate = match self.rate % 3 {
            0 => {
                r#""value": "count(acc, d == 0) * 10", "above": "20", "mode": "step", "step": "10", "points_per_step": "2", "partial": "up""#
            }
            1 => {
                r#""value": "sum(acc, loss)", "below": "50", "mode": "step", "step": "5", "points_per_step": "1""#
            }
            _ => {
                r#""value": "count(acc, !big) * 10", "target": "30", "mode": "step", "step": "10", "points_per_step": "2.5", "partial": "down""#
            }
        };
        Some(format!(
            r#"{{"id": "f", "title": "事故明细", "points": "30", "items": [
 {{"id": "f.1", "title": "逐起扣分", "points": "10"{na}, "deduct": [{}]}},
 {{"id": "f.2", "title": "明细计算", "points": "5", "formula": {}}},
 {{"id": "f.3", "title": "事故起数", "points": "5", "bands": {{"value": "count(acc)", "bands": {bands}}}}},
 {{"id": "f.4", "title": "无死亡事故比例", "points": "10", "rate": {{{rate}}}}}]}}"#,
            lines.join(", "),
            super::generator::js(formula)
        ))
    }

    /// A veto over the rows (when there is a list); `grades` tells whether the set has grades.
    pub fn veto(&self) -> Option<String> {
        if !self.records {
            return None;
        }
        let effect = match self.veto % 3 {
            0 => "\"ungraded\"",
            1 if !self.no_grades => "\"fail\"",
            _ => "\"zero\"",
        };
        let ranking = match self.veto / 3 % 3 {
            0 => r#", "ranking": "last""#,
            1 => r#", "ranking": "excluded""#,
            _ => "",
        };
        Some(format!(
            r#"{{"id": "fv", "title": "一次死亡3人以上", "when": "any(acc, d >= 3)", "effect": {effect}{ranking}}}"#
        ))
    }

    /// A grade's bound key: `over` for the grades `over_grades` marks (never the last).
    pub fn grade_key(&self, k: usize, last: bool, min: u64, full: u64) -> &'static str {
        if !last && min < full && self.over_grades >> (k % 8) & 1 == 1 {
            "over"
        } else {
            "min"
        }
    }
}

fn each_line(e: &EachSpec) -> String {
    let pts = e.points % 20 + 1;
    match e.form % 5 {
        0 => format!(
            r#"{{"each": "acc", "if": "d >= 1 && big", "points": "{pts}", "reason": "死亡事故"}}"#
        ),
        1 => format!(
            r#"{{"each": "acc", "per": "s", "points": "{}", "free": "{}", "reason": "重伤{{n}}人"}}"#,
            f64::from(pts) / 4.0,
            e.k % 2
        ),
        2 => r#"{"each": "acc", "amount": "loss / 25", "reason": "核定扣{amount}分"}"#.to_string(),
        3 => format!(
            r#"{{"each": "acc", "tiers": [{{"if": "s == 1", "points": "{pts}", "reason": "重伤1人"}}, {{"if": "s >= 2", "points": "{}", "reason": "重伤2人及以上"}}]}}"#,
            u16::from(pts) * 2
        ),
        _ => format!(
            r#"{{"amount": "count(acc, kind == \"火灾\") * {}", "reason": "火灾"}}"#,
            e.k % 5
        ),
    }
}

impl SubFidelity {
    /// The list's value in `values` (`None`: left out).
    pub fn rows(&self) -> Option<String> {
        match self.rows_sel % 16 {
            0 => return None,
            1 => return Some("null".into()),
            2 => return Some(r#"{"d": 1}"#.into()),
            3 => {
                let row = r#"{"place": "p", "d": 0, "big": false}"#;
                return Some(format!("[{}]", [row; 7].join(", ")));
            }
            _ => {}
        }
        let rows: Vec<String> = self.rows.iter().take(5).map(row).collect();
        Some(format!("[{}]", rows.join(", ")))
    }

    /// `not_applicable` and `self` members of the submission (leading comma included).
    pub fn extra(&self) -> String {
        let mut s = String::new();
        match self.na % 8 {
            1 => s.push_str(r#", "not_applicable": {"f.1": "辖区无工矿企业"}"#),
            2 => s.push_str(r#", "not_applicable": {"f.1": "  "}"#),
            3 => s.push_str(r#", "not_applicable": {"1.1": "不涉及", "nope": "x"}"#),
            _ => {}
        }
        match self.own % 8 {
            1 => s.push_str(r#", "self": {"items": {"1.1": "0", "f.2": "5"}}"#),
            2 => s.push_str(r#", "self": {"values": {"acc": []}}"#),
            3 => s.push_str(r#", "self": {"items": {"f.2": "99"}}"#),
            4 => s.push_str(r#", "self": {"values": {}, "items": {}}"#),
            _ => {}
        }
        s
    }
}

fn row(r: &RowSpec) -> String {
    let d = r.deaths % 5;
    let s = r.serious % 4;
    let loss = f64::from(r.loss % 1001) / 10.0;
    match r.odd % 12 {
        0 => format!(
            r#"{{"date": "2026-03-12", "place": "某公司", "d": {d}, "big": {}}}"#,
            r.big
        ),
        1 => r#"{"place": "某地", "d": null, "big": true}"#.into(),
        2 => r#"{"place": "某地", "d": "两", "big": 1, "extra": 0}"#.into(),
        3 => {
            r#"{"place": "某地", "d": 1, "big": false, "loss": "120", "date": "2026-02-30"}"#.into()
        }
        4 => r#""不是对象""#.into(),
        _ => format!(
            r#"{{"date": "2026-07-01", "place": "某路口", "d": {d}, "s": {s}, "loss": "{loss}", "big": {}, "kind": "{}"}}"#,
            r.big,
            if r.odd % 2 == 0 { "生产" } else { "火灾" }
        ),
    }
}
