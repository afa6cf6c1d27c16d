//! The report (考核结果): a scored submission with a trace line for every point gained or lost.
//!
//! Reports borrow titles and ids from the rule set they were scored with, so building one costs
//! few allocations. Their JSON form (`kpi-report/1`) is documented in `docs/FORMATS.md`.

use crate::decimal::Amount;
use crate::error::Problem;
use crate::fingerprint::Fingerprint;
use crate::json::{JsonWriter, ToJson, json_object, json_str};
use crate::submission::SubmissionUnit;
use std::collections::BTreeMap;

/// The scored result of one submission.
#[derive(Clone, Debug)]
pub struct Report<'r> {
    /// Always `kpi-report/1`.
    pub format: &'static str,
    /// The unit assessed.
    pub unit: SubmissionUnit,
    /// The rule set used.
    pub rules: RulesRef<'r>,
    /// The assessment period.
    pub period: &'r str,
    /// `final`, or `provisional` while something is pending.
    pub status: Status,
    /// The total score.
    pub total: Amount,
    /// The grade after vetoes (and quotas, in a batch); `None` for a rule set without grades or
    /// when a veto withholds the grade (一票否决，不评等次).
    pub grade: Option<&'r str>,
    /// Why there is no grade when a veto withholds it (`不评等次`).
    pub grade_text: Option<&'static str>,
    /// The grade the total alone gives (`None` without grades).
    pub grade_by_score: Option<&'r str>,
    /// The rank in a batch (null for unranked units); absent outside a batch.
    pub rank: Option<Option<u32>>,
    /// Full marks of the rule set.
    pub full_score: Amount,
    /// Sum of the section scores (after rescaling, when the rule set rescales).
    pub subtotal: Amount,
    /// Section by section.
    pub sections: Vec<SectionReport<'r>>,
    /// Deductions from the total.
    pub adjustments: Vec<AdjustmentReport<'r>>,
    /// Bonus points.
    pub bonus: Option<BonusReport<'r>>,
    /// Every veto, triggered or not.
    pub vetoes: Vec<VetoReport<'r>>,
    /// Report-level trace lines: rescaling, the floor at zero, veto effects, quota moves.
    pub lines: Vec<TraceLine>,
    /// What is not yet known.
    pub pending: Vec<PendingEntry<'r>>,
    /// Things worth a second look that do not stop scoring (warnings: problems that did not
    /// stop scoring).
    pub warnings: Vec<Problem>,
    /// The submission's metadata, echoed.
    pub meta: BTreeMap<String, String>,
    /// How many rows each record list has (only when the rule set has record lists).
    pub lists: Vec<ListCount<'r>>,
    /// The unit's self-assessment beside the assessors' score (only when given).
    pub self_assessment: Option<SelfSummary<'r>>,
    /// What the report was computed from: the engine, the rule set and the submission.
    pub fingerprint: Fingerprint<'r>,
    /// Where a triggered veto puts the unit in a batch's ranking.
    pub(crate) placement: Option<crate::rules::VetoRanking>,
}

/// A record list's number of rows, for exports (`label（条数）`).
#[derive(Clone, Debug, PartialEq)]
pub struct ListCount<'r> {
    /// The records input's id.
    pub id: &'r str,
    /// Its label.
    pub label: &'r str,
    /// Its rows (`None`: not given).
    pub rows: Option<u32>,
}

/// The unit's self-assessment summed up (自评).
#[derive(Clone, Debug, PartialEq)]
pub struct SelfSummary<'r> {
    /// The self-assessed total (`None` when the unit's own values leave nothing to score).
    pub total: Option<Amount>,
    /// The grade it gives (`None` without grades, withheld, or without a total).
    pub grade: Option<&'r str>,
    /// The assessors' total minus the self-assessed one (自评与核定差异).
    pub difference: Option<Amount>,
}

/// Whether a report is complete.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Everything is known.
    Final,
    /// Something is pending; the score may change.
    Provisional,
}

impl Status {
    /// The status as written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Final => "final",
            Status::Provisional => "provisional",
        }
    }

    /// The status as every surface labels it: 最终 or 暂定.
    pub fn label(self) -> &'static str {
        match self {
            Status::Final => "最终",
            Status::Provisional => "暂定",
        }
    }
}

/// Which rule set a report was scored with.
#[derive(Clone, Debug)]
pub struct RulesRef<'r> {
    /// Rule set id.
    pub id: &'r str,
    /// Rule set version.
    pub version: &'r str,
    /// Rule set title.
    pub title: &'r str,
}

/// One section's result.
#[derive(Clone, Debug)]
pub struct SectionReport<'r> {
    /// Section id.
    pub id: &'r str,
    /// Section title.
    pub title: &'r str,
    /// The section's points.
    pub points: Amount,
    /// The scale its items are scored on, when converted (折算).
    pub out_of: Option<Amount>,
    /// The section's score; `None` when every item of it is not applicable under rescaling.
    pub score: Option<Amount>,
    /// `not_applicable` when every item of it is (only then).
    pub status: Option<ItemStatus>,
    /// Section-level trace lines (conversion).
    pub lines: Vec<TraceLine>,
    /// Item by item.
    pub items: Vec<ItemReport<'r>>,
}

/// How an item was scored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemStatus {
    /// Scored from known values.
    Scored,
    /// Not applicable (不涉及).
    NotApplicable,
    /// Waiting for a value; counted at full points (items) or zero (adjustments, bonus).
    Pending,
}

/// One item's result.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemReport<'r> {
    /// Item id.
    pub id: &'r str,
    /// Item title.
    pub title: &'r str,
    /// Full marks of the item.
    pub points: Amount,
    /// The item's score; null only when not applicable under rescaling.
    pub score: Option<Amount>,
    /// How it was scored.
    pub status: ItemStatus,
    /// The indicator value (rate, bands, formula, rank), rounded to scale.
    pub value: Option<Amount>,
    /// Every point lost or given back, with its reason.
    pub lines: Vec<TraceLine>,
    /// The unit's own score for the item (only with a self-assessment; `Some(None)`: not given).
    pub self_score: Option<Option<Amount>>,
    /// The assessors' score minus the unit's (only with a self-assessment).
    pub self_difference: Option<Option<Amount>>,
}

/// What a trace line records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// A deduction.
    Deduct,
    /// An addition (bonus).
    Add,
    /// A cap gave points back.
    Cap,
    /// A rate's shortfall.
    Rate,
    /// A band's score.
    Band,
    /// An assessor's judged score.
    Judged,
    /// A formula's score.
    Formula,
    /// A rank's score.
    Rank,
    /// A section converted by `out_of`.
    Convert,
    /// The total rescaled over applicable items.
    Rescale,
    /// The total held at zero.
    Floor,
    /// A veto's effect.
    Veto,
    /// A grade quota moved the grade.
    Quota,
    /// An explanation that changes no points.
    Info,
}

/// One explained change of points.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceLine {
    /// Why, in Chinese, with the numbers filled in.
    pub reason: String,
    /// Signed points (`-4.00`; `0.00` for information).
    pub points: Amount,
    /// What kind of change.
    pub kind: LineKind,
    /// The row (1-based) of the record list an `each` line counted.
    pub row: Option<u32>,
    /// The sub-heading of the line's group.
    pub group: Option<String>,
}

/// One adjustment's result.
#[derive(Clone, Debug, PartialEq)]
pub struct AdjustmentReport<'r> {
    /// Adjustment id.
    pub id: &'r str,
    /// Adjustment title.
    pub title: &'r str,
    /// Its cap, if any.
    pub cap: Option<Amount>,
    /// Signed amount (negative or zero).
    pub amount: Amount,
    /// Scored or pending.
    pub status: ItemStatus,
    /// The deductions and any cap.
    pub lines: Vec<TraceLine>,
}

/// The bonus result.
#[derive(Clone, Debug, PartialEq)]
pub struct BonusReport<'r> {
    /// The cap on all bonus together.
    pub cap: Amount,
    /// The bonus counted.
    pub amount: Amount,
    /// Item by item.
    pub items: Vec<BonusItemReport<'r>>,
    /// The overall cap, when it cut.
    pub lines: Vec<TraceLine>,
}

/// One bonus item's result.
#[derive(Clone, Debug, PartialEq)]
pub struct BonusItemReport<'r> {
    /// Bonus item id.
    pub id: &'r str,
    /// Bonus item title.
    pub title: &'r str,
    /// Its maximum.
    pub points: Amount,
    /// The amount given.
    pub amount: Amount,
    /// Scored or pending.
    pub status: ItemStatus,
    /// The additions and any cap.
    pub lines: Vec<TraceLine>,
}

/// One veto and whether it triggered.
#[derive(Clone, Debug, PartialEq)]
pub struct VetoReport<'r> {
    /// Veto id.
    pub id: &'r str,
    /// Veto title.
    pub title: &'r str,
    /// True when triggered, false when not, null while pending.
    pub triggered: Option<bool>,
    /// The effect as written in the rule set.
    pub effect: EffectRef<'r>,
    /// The effect in words.
    pub effect_text: &'r str,
    /// Where it puts the unit in a batch's ranking (`last`, `excluded`), when the rule set says.
    pub ranking: Option<&'static str>,
}

/// A veto effect as written in rule files.
#[derive(Clone, Debug, PartialEq)]
pub enum EffectRef<'r> {
    /// `"fail"` or `"zero"`.
    Word(&'static str),
    /// `{"max_grade": NAME}`.
    MaxGrade {
        /// The highest grade allowed.
        max_grade: &'r str,
    },
    /// `{"lower_grades": N}`.
    LowerGrades {
        /// Steps down.
        lower_grades: u32,
    },
}

/// Something pending.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingEntry<'r> {
    /// `item`, `adjustment`, `bonus`, `veto`, or `note` (an item that loses points still needs
    /// the note the rule set requires).
    pub kind: &'static str,
    /// Its id.
    pub id: &'r str,
    /// Its title.
    pub title: &'r str,
    /// The empty inputs it needs.
    pub missing: Vec<&'r str>,
    /// Why, in Chinese.
    pub reason: String,
}

impl Report<'_> {
    /// The report as compact JSON (the form the tests compare byte for byte).
    ///
    /// ```
    /// let rules = kpi_wasm::RuleSet::builtin("subdistrict").expect("built-in rule set");
    /// let report = rules.score_text(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/subdistrict-dq.json"))).expect("scores");
    /// assert!(report.to_json().starts_with(r#"{"format":"kpi-report/1","unit":{"id":"yp-dq""#));
    /// ```
    pub fn to_json(&self) -> String {
        // Room for a typical report at once: growing the buffer step by step copies it again
        // and again.
        let items: usize = self.sections.iter().map(|s| s.items.len()).sum();
        let mut w = JsonWriter::with_capacity(items.saturating_mul(320).saturating_add(2048));
        self.write_json(&mut w);
        w.finish()
    }

    /// The report as indented JSON.
    pub fn to_json_pretty(&self) -> String {
        ToJson::to_json_pretty(self)
    }

    /// The item with this id, if any.
    pub fn item(&self, id: &str) -> Option<&ItemReport<'_>> {
        self.sections
            .iter()
            .flat_map(|s| &s.items)
            .find(|i| i.id == id)
    }

    /// The notes the rule set requires that are still missing, as problems (`note.missing`).
    pub(crate) fn missing_notes(&self) -> Vec<Problem> {
        self.pending
            .iter()
            .filter(|p| p.kind == "note")
            .map(|p| {
                Problem::new(
                    crate::code::Code::NoteMissing,
                    crate::error::pointer("/notes", p.id),
                    format!(
                        "项目「{} {}」失分，须在情况说明（notes）中详细说明扣分情况",
                        p.id, p.title
                    ),
                )
            })
            .collect()
    }
}

// The JSON form (`kpi-report/1`, docs/FORMATS.md): members in declaration order.

json_object!(Report<'_> { format, unit, rules, period, status, total, grade, grade_text?, grade_by_score, rank?, full_score, subtotal, sections, adjustments, bonus?, vetoes, lines, pending, warnings, meta [nonempty], lists [nonempty], self_assessment? as "self", fingerprint });

json_object!(ListCount<'_> { id, rows });

json_object!(SelfSummary<'_> { total, grade, difference });

json_object!(RulesRef<'_> { id, version, title });

json_object!(SectionReport<'_> { id, title, points, out_of?, score, status?, lines, items });

impl ItemStatus {
    /// The status as written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemStatus::Scored => "scored",
            ItemStatus::NotApplicable => "not_applicable",
            ItemStatus::Pending => "pending",
        }
    }

    /// The status as every surface labels it: nothing for a scored item, 不涉及 or 待定.
    pub fn label(self) -> &'static str {
        match self {
            ItemStatus::Scored => "",
            ItemStatus::NotApplicable => "不涉及",
            ItemStatus::Pending => "待定",
        }
    }
}

json_object!(ItemReport<'_> { id, title, points, score, status, value?, lines, self_score?, self_difference? });

impl LineKind {
    /// The kind as written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::Deduct => "deduct",
            LineKind::Add => "add",
            LineKind::Cap => "cap",
            LineKind::Rate => "rate",
            LineKind::Band => "band",
            LineKind::Judged => "judged",
            LineKind::Formula => "formula",
            LineKind::Rank => "rank",
            LineKind::Convert => "convert",
            LineKind::Rescale => "rescale",
            LineKind::Floor => "floor",
            LineKind::Veto => "veto",
            LineKind::Quota => "quota",
            LineKind::Info => "info",
        }
    }
}

json_str!(Status, ItemStatus, LineKind);

json_object!(TraceLine {
    reason,
    points,
    kind,
    row?,
    group?
});

json_object!(AdjustmentReport<'_> { id, title, cap?, amount, status, lines });

json_object!(BonusReport<'_> { cap, amount, items, lines });

json_object!(BonusItemReport<'_> { id, title, points, amount, status, lines });

json_object!(VetoReport<'_> { id, title, triggered, effect, effect_text, ranking? });

impl ToJson for EffectRef<'_> {
    fn write_json(&self, w: &mut JsonWriter) {
        match self {
            EffectRef::Word(word) => w.string(word),
            EffectRef::MaxGrade { max_grade } => {
                w.begin_object();
                w.field("max_grade", *max_grade);
                w.end_object();
            }
            EffectRef::LowerGrades { lower_grades } => {
                w.begin_object();
                w.field("lower_grades", lower_grades);
                w.end_object();
            }
        }
    }
}

json_object!(PendingEntry<'_> { kind, id, title, missing, reason });
