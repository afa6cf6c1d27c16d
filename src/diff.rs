//! Rule changes: the same submissions scored under an old and a new rule set (two batches), and
//! the differences between two rule sets described in words, item by item.
//!
//! Submissions are matched by rule-set id; the version may differ (that is the point). Values the
//! new rules no longer know are dropped and reported; values they need but a submission lacks make
//! that unit's new score provisional and are reported too. Neither stops the other units.

use crate::code::Code;
use crate::decimal::{Amount, plain};
use crate::error::Error;
use crate::json::{ToJson, json_object};
use crate::report::{Report, Status};
use crate::rules::*;
use crate::submission::{Submission, SubmissionUnit};
use std::collections::BTreeMap;

/// Which rule set.
#[derive(Clone, Debug)]
pub struct RulesId<'r> {
    /// Rule set id.
    pub id: &'r str,
    /// Version.
    pub version: &'r str,
}

/// A unit's standing under one rule set.
#[derive(Clone, Debug)]
pub struct Standing<'r> {
    /// Total score.
    pub total: Amount,
    /// Grade.
    pub grade: Option<&'r str>,
    /// Rank in the batch (null when unranked).
    pub rank: Option<u32>,
    /// `final` or `provisional`.
    pub status: Status,
}

/// One item whose score changed.
#[derive(Clone, Debug)]
pub struct ItemChange<'r> {
    /// Item id.
    pub id: &'r str,
    /// Item title (the new one, when both have it).
    pub title: &'r str,
    /// Old score (null when the item is new or not applicable).
    pub old: Option<Amount>,
    /// New score (null when the item was removed or not applicable).
    pub new: Option<Amount>,
    /// The new trace lines of the item, explaining its new score.
    pub reasons: Vec<String>,
}

/// One unit's comparison.
#[derive(Clone, Debug)]
pub struct UnitDiff<'r> {
    /// The unit.
    pub unit: SubmissionUnit,
    /// True when its total, grade or rank changed.
    pub changed: bool,
    /// Under the old rules (null when it could not be scored).
    pub old: Option<Standing<'r>>,
    /// Under the new rules (null when it could not be scored).
    pub new: Option<Standing<'r>>,
    /// Items whose score changed.
    pub items: Vec<ItemChange<'r>>,
    /// Data problems for this unit: values dropped or missing, scoring errors.
    pub notes: Vec<String>,
}

/// Counts over all units.
#[derive(Clone, Debug, Default)]
pub struct DiffSummary {
    /// Units compared.
    pub units: usize,
    /// Units whose total, grade or rank changed.
    pub changed: usize,
    /// Units whose total went up.
    pub total_up: usize,
    /// Units whose total went down.
    pub total_down: usize,
    /// Units whose grade went up.
    pub grade_up: usize,
    /// Units whose grade went down.
    pub grade_down: usize,
    /// Units that could not be scored under one of the rule sets.
    pub errors: usize,
}

/// The same submissions under two rule sets.
#[derive(Clone, Debug)]
pub struct Diff<'r> {
    /// The old rule set.
    pub old: RulesId<'r>,
    /// The new rule set.
    pub new: RulesId<'r>,
    /// Unit by unit, in input order.
    pub units: Vec<UnitDiff<'r>>,
    /// Counts.
    pub summary: DiffSummary,
    /// What changed in the rules themselves, in words.
    pub rule_changes: Vec<String>,
}

/// The values the new rules need but a submission lacks, as a unit's note.
fn missing_note(r: &Report<'_>) -> Option<String> {
    let mut missing: Vec<&str> = r
        .pending
        .iter()
        .flat_map(|p| p.missing.iter().copied())
        .collect();
    if missing.is_empty() {
        return None;
    }
    missing.sort_unstable();
    missing.dedup();
    Some(format!(
        "新细则需要但考核表缺少的数据（新得分为暂定）：{}",
        missing.join("、")
    ))
}

impl UnitDiff<'_> {
    /// A unit not compared: the whole diff was refused with `e`.
    fn refused(s: &Submission, e: &Error) -> Self {
        UnitDiff {
            unit: s.unit.clone(),
            changed: false,
            old: None,
            new: None,
            items: Vec::new(),
            notes: vec![format!("无法对比：{e}")],
        }
    }
}

impl DiffSummary {
    /// Counts one unit scored on both sides: its total up or down, its grade (by level, 0 the
    /// best) up or down.
    fn count(&mut self, old: Amount, new: Amount, go: Option<usize>, gn: Option<usize>) {
        self.total_up = self.total_up.saturating_add(usize::from(new > old));
        self.total_down = self.total_down.saturating_add(usize::from(new < old));
        if let (Some(go), Some(gn)) = (go, gn) {
            self.grade_up = self.grade_up.saturating_add(usize::from(gn < go));
            self.grade_down = self.grade_down.saturating_add(usize::from(gn > go));
        }
    }

    /// The counts in one sentence, as every surface words them:
    /// 共N个单位，M个有变化；总分上升…个、下降…个；等次上升…个、下降…个；无法评分…个.
    pub fn text(&self) -> String {
        format!(
            "共{}个单位，{}个有变化；总分上升{}个、下降{}个；等次上升{}个、下降{}个；无法评分{}个",
            self.units,
            self.changed,
            self.total_up,
            self.total_down,
            self.grade_up,
            self.grade_down,
            self.errors
        )
    }
}

impl Diff<'_> {
    /// The diff as indented JSON.
    pub fn to_json_pretty(&self) -> String {
        ToJson::to_json_pretty(self)
    }
}

/// Prepares `sub` for `rules`: same id required; version set; unknown values dropped (noted).
pub(crate) fn adapt(
    rules: &RuleSet,
    sub: &Submission,
    side: &str,
    notes: &mut Vec<String>,
) -> Result<Submission, Error> {
    if sub.rules_id != rules.id {
        return Err(Error::one(
            Code::DiffRulesId,
            "/rules/id",
            format!(
                "考核表填写的是考核细则「{}」，与{side}细则「{}」不符",
                sub.rules_id, rules.id
            ),
        ));
    }
    let mut s = sub.clone();
    s.rules_version = rules.version.clone();
    s.period = Some(rules.period.clone());
    let unknown: Vec<String> = s
        .values
        .keys()
        .filter(|k| rules.input_index(k).is_none())
        .cloned()
        .collect();
    if !unknown.is_empty() {
        notes.push(format!(
            "{side}细则中没有的填报项（已忽略）：{}",
            unknown.join("、")
        ));
        for k in &unknown {
            s.values.remove(k);
        }
    }
    Ok(s)
}

/// One side of a diff: the submissions adapted to its rule set and scored as a batch, with the
/// notes of each unit (values dropped, adaptation errors, scoring errors).
struct Side {
    adapted: Vec<Vec<String>>,
    errors: Vec<Vec<String>>,
    picked: Vec<Vec<String>>,
}

impl Side {
    fn new(n: usize) -> Self {
        Side {
            adapted: vec![Vec::new(); n],
            errors: vec![Vec::new(); n],
            picked: vec![Vec::new(); n],
        }
    }

    /// Each unit's result under `rules` (`None` when it could not even be adapted).
    fn score<'r>(
        &mut self,
        rules: &'r RuleSet,
        subs: &[Submission],
        side: &str,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Vec<Option<Result<Report<'r>, Error>>> {
        let mut batch_subs = Vec::with_capacity(subs.len());
        let mut at = Vec::with_capacity(subs.len());
        for (i, sub) in subs.iter().enumerate() {
            let (Some(notes), Some(errors)) = (self.adapted.get_mut(i), self.errors.get_mut(i))
            else {
                continue;
            };
            match adapt(rules, sub, side, notes) {
                Ok(s) => {
                    at.push(Some(batch_subs.len()));
                    batch_subs.push(s);
                }
                Err(err) => {
                    errors.push(format!("{side}细则无法评分：{err}"));
                    at.push(None);
                }
            }
        }
        let mut results = rules
            .score_batch_figures(&batch_subs, progress)
            .results
            .into_iter();
        drop(batch_subs);
        // `at` is increasing, so the batch's results come out in order.
        at.into_iter()
            .map(|k| k.and_then(|_| results.next()))
            .collect()
    }
}

/// What a diff keeps of a unit's old report: its standing, rank and item scores.
struct OldView<'r> {
    standing: Standing<'r>,
    rank: Option<Option<u32>>,
    items: Vec<OldItem<'r>>,
}

/// An item of an old report: id, title, score.
type OldItem<'r> = (&'r str, &'r str, Option<Amount>);

impl<'r> OldView<'r> {
    fn of(r: &Report<'r>) -> Self {
        OldView {
            standing: standing(r),
            rank: r.rank,
            items: old_items(r),
        }
    }
}

/// The items of a report, for [`item_changes`].
pub(crate) fn old_items<'r>(r: &Report<'r>) -> Vec<OldItem<'r>> {
    r.sections
        .iter()
        .flat_map(|s| &s.items)
        .map(|i| (i.id, i.title, i.score))
        .collect()
}

pub(crate) fn standing<'r>(r: &Report<'r>) -> Standing<'r> {
    Standing {
        total: r.total,
        grade: r.grade,
        rank: r.rank.flatten(),
        status: r.status,
    }
}

/// Position of a grade from the top (0 = best), looked up in the new rules, then the old.
fn grade_level(new: &RuleSet, old: &RuleSet, name: Option<&str>) -> Option<usize> {
    let name = name?;
    new.grades
        .iter()
        .position(|g| g.name == name)
        .or_else(|| old.grades.iter().position(|g| g.name == name))
}

impl RuleSet {
    /// Scores `subs` as a batch under `self` (the old rules) and under `new`, unit by unit.
    ///
    /// ```
    /// use kpi_wasm::{RuleSet, Submission};
    /// let old = RuleSet::builtin("subdistrict").expect("built-in rule set");
    /// let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/subdistrict-2027.json"));
    /// let new = RuleSet::from_json(text).expect("loads");
    /// let sub = Submission::from_json(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/subdistrict-dq.json"))).expect("reads");
    /// let diff = old.diff(&new, &[sub]);
    /// assert_eq!(diff.summary.changed, 1);
    /// assert!(diff.summary.text().starts_with("共1个单位，1个有变化"));
    /// ```
    pub fn diff<'r>(&'r self, new: &'r RuleSet, subs: &[Submission]) -> Diff<'r> {
        self.diff_with_progress(new, subs, &mut |_, _| {})
    }

    /// Like [`RuleSet::diff`], calling `progress(done, total)` as units are scored under each rule
    /// set (`total` is twice the units). Over the work budget ([`RuleSet::check_diff`]) nothing
    /// is scored: every unit carries the `limit.work` error in its notes.
    pub fn diff_with_progress<'r>(
        &'r self,
        new: &'r RuleSet,
        subs: &[Submission],
        progress: &mut dyn FnMut(usize, usize),
    ) -> Diff<'r> {
        let n = subs.len();
        let mut summary = DiffSummary {
            units: n,
            ..DiffSummary::default()
        };
        let ids = (
            RulesId {
                id: &self.id,
                version: &self.version,
            },
            RulesId {
                id: &new.id,
                version: &new.version,
            },
        );
        let all: Vec<&Submission> = subs.iter().collect();
        if let Err(e) = self.check_diff_of(new, &all) {
            summary.errors = n;
            let refused = |s: &Submission| UnitDiff::refused(s, &e);
            return Diff {
                old: ids.0,
                new: ids.1,
                units: subs.iter().map(refused).collect(),
                summary,
                rule_changes: self.rule_changes(new),
            };
        }
        // One side at a time, keeping of the old side's reports only what the comparison needs,
        // so that the two sets of full reports are never held together.
        let mut old_side = Side::new(n);
        let old_views: Vec<Option<OldView<'r>>> = {
            let batch = old_side.score(self, subs, "旧", &mut |d, _| {
                progress(d, n.saturating_mul(2))
            });
            batch
                .into_iter()
                .zip(old_side.picked.iter_mut())
                .map(|(r, notes)| match r {
                    Some(Ok(r)) => Some(OldView::of(&r)),
                    Some(Err(e)) => {
                        notes.push(format!("旧细则无法评分：{e}"));
                        None
                    }
                    None => None,
                })
                .collect()
        };
        let mut new_side = Side::new(n);
        let new_results = new_side.score(new, subs, "新", &mut |d, _| {
            progress(n.saturating_add(d), n.saturating_mul(2))
        });
        let mut units = Vec::with_capacity(n);
        for (i, (sub, new_r)) in subs.iter().zip(new_results).enumerate() {
            let mut unit_notes = Vec::new();
            for side in [
                &old_side.adapted,
                &new_side.adapted,
                &old_side.errors,
                &new_side.errors,
            ] {
                unit_notes.extend(side.get(i).cloned().unwrap_or_default());
            }
            unit_notes.extend(old_side.picked.get(i).cloned().unwrap_or_default());
            let new_r = match new_r {
                Some(Ok(r)) => Some(r),
                Some(Err(e)) => {
                    unit_notes.push(format!("新细则无法评分：{e}"));
                    None
                }
                None => None,
            };
            unit_notes.extend(new_r.as_ref().and_then(missing_note));
            let old_v = old_views.get(i).and_then(Option::as_ref);
            let items = match (old_v, &new_r) {
                (Some(o), Some(n)) => item_changes(&o.items, n),
                _ => Vec::new(),
            };
            let changed = match (old_v, &new_r) {
                (Some(o), Some(n)) => {
                    o.standing.total != n.total || o.standing.grade != n.grade || o.rank != n.rank
                }
                _ => false,
            };
            match (old_v, &new_r) {
                (Some(o), Some(n)) => summary.count(
                    o.standing.total,
                    n.total,
                    grade_level(new, self, o.standing.grade),
                    grade_level(new, self, n.grade),
                ),
                _ => summary.errors = summary.errors.saturating_add(1),
            }
            summary.changed = summary.changed.saturating_add(usize::from(changed));
            units.push(UnitDiff {
                unit: sub.unit.clone(),
                changed,
                old: old_v.map(|o| o.standing.clone()),
                new: new_r.as_ref().map(standing),
                items,
                notes: unit_notes,
            });
        }
        Diff {
            old: ids.0,
            new: ids.1,
            units,
            summary,
            rule_changes: self.rule_changes(new),
        }
    }

    /// What changed from `self` to `new`, in Chinese, one line per change.
    ///
    /// ```
    /// let old = kpi_wasm::RuleSet::builtin("subdistrict").expect("built-in rule set");
    /// let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/subdistrict-2027.json"));
    /// let new = kpi_wasm::RuleSet::from_json(text).expect("loads");
    /// assert_eq!(old.rule_changes(&new)[0], "考核细则总体规定：等次「优秀」最低分由90改为92");
    /// ```
    pub fn rule_changes(&self, new: &RuleSet) -> Vec<String> {
        let old = describe(self);
        let newd = describe(new);
        let mut out = Vec::new();
        for (key, (what, fields)) in &old {
            match newd.get(key) {
                None => out.push(format!("删除{what}")),
                Some((new_what, new_fields)) => {
                    for (field, value) in fields {
                        match new_fields.get(field) {
                            None => out.push(format!("{new_what}：取消{field}（原为{value}）")),
                            Some(v) if v != value => {
                                out.push(format!("{new_what}：{field}由{value}改为{v}"))
                            }
                            _ => {}
                        }
                    }
                    for (field, value) in new_fields {
                        if !fields.contains_key(field) {
                            out.push(format!("{new_what}：新增{field}：{value}"));
                        }
                    }
                }
            }
        }
        for (key, (what, fields)) in &newd {
            if !old.contains_key(key) {
                let detail: Vec<String> = fields.iter().map(|(k, v)| format!("{k}{v}")).collect();
                out.push(format!("新增{what}（{}）", detail.join("，")));
            }
        }
        out
    }
}

/// Items whose score differs, matched by id.
pub(crate) fn item_changes<'r>(old: &[OldItem<'r>], new: &Report<'r>) -> Vec<ItemChange<'r>> {
    let mut old_items: BTreeMap<&str, Option<Amount>> = BTreeMap::new();
    for (id, _, score) in old {
        old_items.insert(id, *score);
    }
    let mut out = Vec::new();
    let mut seen = Vec::new();
    for item in new.sections.iter().flat_map(|s| &s.items) {
        seen.push(item.id);
        let before = old_items.get(item.id);
        let old_score = before.copied().flatten();
        if before.is_none() || old_score != item.score {
            out.push(ItemChange {
                id: item.id,
                title: item.title,
                old: old_score,
                new: item.score,
                reasons: item
                    .lines
                    .iter()
                    .map(|l| format!("{} {}", l.points, l.reason))
                    .collect(),
            });
        }
    }
    for &(id, title, score) in old {
        if !seen.contains(&id) {
            out.push(ItemChange {
                id,
                title,
                old: score,
                new: None,
                reasons: vec!["新细则已删除该项目".into()],
            });
        }
    }
    out
}

type Fields = BTreeMap<String, String>;

/// The rule set's own fields: full marks, scale, not-applicable handling, grades, quotas, bonus.
fn describe_top(rs: &RuleSet) -> Fields {
    let mut top = Fields::new();
    top.insert("满分".into(), plain(rs.full_score));
    top.insert("小数位数".into(), rs.scale.to_string());
    top.insert(
        "不涉及项目处理".into(),
        if rs.not_applicable == NotApplicable::Full {
            "按满分计".into()
        } else {
            "按可评分项目折算".into()
        },
    );
    for g in &rs.grades {
        let bound = if g.over {
            format!("超过{}", plain(g.min))
        } else {
            plain(g.min)
        };
        top.insert(format!("等次「{}」最低分", g.name), bound);
    }
    for q in &rs.quotas {
        let name = rs.grades.get(q.grade).map_or("", |g| g.name.as_str());
        top.insert(
            format!("等次「{name}」比例上限"),
            format!(
                "{}%",
                plain(
                    q.max_share
                        .saturating_mul(rust_decimal::Decimal::ONE_HUNDRED)
                )
            ),
        );
    }
    if let Some(b) = &rs.bonus {
        top.insert("加分上限".into(), format!("{}分", plain(b.cap)));
    }
    top
}

/// Every comparable part of a rule set: key → (its name in messages, field → value in words).
fn describe(rs: &RuleSet) -> BTreeMap<String, (String, Fields)> {
    let mut parts = BTreeMap::new();
    parts.insert(
        "0 rules".into(),
        ("考核细则总体规定".into(), describe_top(rs)),
    );
    for s in &rs.sections {
        let mut f = Fields::new();
        f.insert("分值".into(), format!("{}分", plain(s.points)));
        if let Some(o) = s.out_of {
            f.insert("折算前满分".into(), format!("{}分", plain(o)));
        }
        parts.insert(
            format!("1 section {}", s.id),
            (format!("部分「{}」", s.title), f),
        );
        for item in &s.items {
            let mut f = Fields::new();
            f.insert("分值".into(), format!("{}分", plain(item.points)));
            f.insert("名称".into(), item.title.clone());
            f.insert("所属部分".into(), s.title.clone());
            if let Some(c) = item.cap {
                f.insert("扣分上限".into(), format!("{}分", plain(c)));
            }
            if item.combine == Combine::Max {
                f.insert("多项扣分".into(), "就高不累计".into());
            }
            if let Some(a) = &item.applicable {
                f.insert("适用条件".into(), format!("「{}」", a.source()));
            }
            describe_rule(&item.rule, rs, &mut f);
            parts.insert(
                format!("2 item {}", item.id),
                (format!("项目「{} {}」", item.id, item.title), f),
            );
        }
    }
    for a in &rs.adjustments {
        let mut f = Fields::new();
        if let Some(c) = a.cap {
            f.insert("扣分上限".into(), format!("{}分", plain(c)));
        }
        describe_lines(rs, &a.lines, "扣", &mut f);
        parts.insert(
            format!("3 adjustment {}", a.id),
            (format!("扣分项「{}」", a.title), f),
        );
    }
    for b in rs.bonus.iter().flat_map(|b| &b.items) {
        let mut f = Fields::new();
        f.insert("最多加分".into(), format!("{}分", plain(b.points)));
        describe_lines(rs, &b.lines, "加", &mut f);
        parts.insert(
            format!("4 bonus {}", b.id),
            (format!("加分项「{}」", b.title), f),
        );
    }
    for v in &rs.vetoes {
        let mut f = Fields::new();
        f.insert("触发条件".into(), format!("「{}」", v.when.source()));
        let grade = |i: usize| rs.grades.get(i).map_or("", |g| g.name.as_str());
        f.insert(
            "否决后果".into(),
            match v.effect {
                VetoEffect::Fail => "等次定为最低".into(),
                VetoEffect::Zero => "总分计为0分".into(),
                VetoEffect::MaxGrade(g) => format!("等次最高为{}", grade(g)),
                VetoEffect::LowerGrades(n) => format!("等次降低{n}档"),
                VetoEffect::Ungraded => "不评等次".into(),
            },
        );
        if let Some(r) = v.ranking {
            f.insert(
                "排名".into(),
                match r {
                    VetoRanking::Last => "列末位".into(),
                    VetoRanking::Excluded => "不参与排名".into(),
                },
            );
        }
        parts.insert(
            format!("5 veto {}", v.id),
            (format!("否决项「{}」", v.title), f),
        );
    }
    for input in &rs.inputs {
        let mut f = Fields::new();
        f.insert("类型".into(), input.kind.name().into());
        f.insert("名称".into(), input.label.clone());
        parts.insert(
            format!("6 input {}", input.id),
            (format!("填报项「{}」({})", input.label, input.id), f),
        );
    }
    parts
}

fn describe_lines(rs: &RuleSet, lines: &[Line], verb: &str, f: &mut Fields) {
    for (i, l) in lines.iter().enumerate() {
        let text = match &l.when {
            LineWhen::If(e) => format!(
                "当「{}」时{verb}{}分（{}）",
                e.source(),
                plain(l.points),
                l.reason
            ),
            LineWhen::Per { value, free } if free.is_zero() => {
                format!(
                    "按「{}」每单位{verb}{}分（{}）",
                    value.source(),
                    plain(l.points),
                    l.reason
                )
            }
            LineWhen::Per { value, free } => {
                format!(
                    "按「{}」超过{}的部分每单位{verb}{}分（{}）",
                    value.source(),
                    plain(*free),
                    plain(l.points),
                    l.reason
                )
            }
            LineWhen::Amount(e) => format!("按「{}」核定{verb}分（{}）", e.source(), l.reason),
            LineWhen::Tiers(tiers) => {
                let each: Vec<String> = tiers
                    .iter()
                    .map(|t| {
                        format!(
                            "当「{}」时{verb}{}分（{}）",
                            t.when.source(),
                            plain(t.points),
                            t.reason
                        )
                    })
                    .collect();
                format!("分档就高：{}", each.join("；"))
            }
        };
        let mut text = text;
        if let Some(list) = l.each.and_then(|i| rs.inputs.get(i)) {
            text = format!("对「{}」每条记录：{text}", list.label);
        }
        if let Some(g) = &l.group {
            text = format!("【{}】{text}", g.title);
        }
        f.insert(format!("第{}条{verb}分规则", i.saturating_add(1)), text);
    }
}

fn describe_rule(rule: &Rule, rs: &RuleSet, f: &mut Fields) {
    let kind = match rule {
        Rule::Deduct(_) => "定额扣分",
        Rule::Rate(_) => "比率指标",
        Rule::Bands(_) => "区间赋分",
        Rule::Judged(..) => "评议打分",
        Rule::Rank(_) => "排名赋分",
        Rule::Formula(_) => "公式计分",
    };
    f.insert("计分方式".into(), kind.into());
    match rule {
        Rule::Deduct(lines) => describe_lines(rs, lines, "扣", f),
        Rule::Rate(r) => {
            f.insert("指标".into(), format!("「{}」", r.value.source()));
            f.insert("目标值".into(), plain(r.target));
            f.insert(
                "方向".into(),
                if r.direction == Direction::Higher {
                    "越高越好".into()
                } else {
                    "越低越好".into()
                },
            );
            match r.mode {
                RateMode::Step {
                    step,
                    points_per_step,
                    partial,
                } => {
                    f.insert(
                        "扣分标准".into(),
                        format!("每差{}扣{}分", plain(step), plain(points_per_step)),
                    );
                    f.insert(
                        "不足一档".into(),
                        match partial {
                            Partial::Exact => "按比例".into(),
                            Partial::Up => "按一档计".into(),
                            Partial::Down => "不计".into(),
                        },
                    );
                }
                RateMode::Proportional => {
                    f.insert("扣分标准".into(), "按比例得分".into());
                }
            }
        }
        Rule::Bands(b) => {
            f.insert("指标".into(), format!("「{}」", b.value.source()));
            let bands: Vec<String> = b
                .bands
                .iter()
                .map(|x| {
                    let lo = x.min.map_or("-∞".to_string(), plain);
                    let hi = x.max.map_or("+∞".to_string(), plain);
                    let open = if x.over { "(" } else { "[" };
                    let close = if x.upper == Upper::Upto { "]" } else { ")" };
                    format!("{open}{lo}, {hi}{close}得{}分", plain(x.score))
                })
                .collect();
            f.insert("区间".into(), bands.join("，"));
        }
        Rule::Judged(i, _) => {
            f.insert(
                "评议输入".into(),
                rs.inputs.get(*i).map_or(String::new(), |x| x.id.clone()),
            );
        }
        Rule::Rank(k) => {
            f.insert("排名指标".into(), format!("「{}」", k.value.source()));
            f.insert(
                "名次赋分".into(),
                format!(
                    "第1名{}分，每后退1名减{}分，最低{}分",
                    plain(k.first),
                    plain(k.step),
                    plain(k.floor)
                ),
            );
        }
        Rule::Formula(e) => {
            f.insert("公式".into(), format!("「{}」", e.source()));
        }
    }
}

// The JSON forms of a diff: members in declaration order.

json_object!(RulesId<'_> { id, version });

json_object!(Standing<'_> { total, grade, rank, status });

json_object!(ItemChange<'_> { id, title, old, new, reasons });

json_object!(UnitDiff<'_> { unit, changed, old, new, items, notes });

json_object!(DiffSummary {
    units,
    changed,
    total_up,
    total_down,
    grade_up,
    grade_down,
    errors
});

json_object!(Diff<'_> { old, new, units, summary, rule_changes });
