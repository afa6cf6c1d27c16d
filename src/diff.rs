//! Rule changes: the same submissions scored under an old and a new rule set (two batches), and
//! the differences between two rule sets described in words, item by item.
//!
//! Submissions are matched by rule-set id; the version may differ (that is the point). Values the
//! new rules no longer know are dropped and reported; values they need but a submission lacks make
//! that unit's new score provisional and are reported too. Neither stops the other units.

use crate::code::Code;
use crate::decimal::{Amount, plain};
use crate::error::Error;
use crate::json::{ToJson, Value, json_object};
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

impl DiffSummary {
    /// Counts one unit scored on both sides: its total up or down, its grade (by level, 0 the
    /// best) up or down.
    fn count(&mut self, old: &Report<'_>, new: &Report<'_>, go: Option<usize>, gn: Option<usize>) {
        self.total_up = self
            .total_up
            .saturating_add(usize::from(new.total > old.total));
        self.total_down = self
            .total_down
            .saturating_add(usize::from(new.total < old.total));
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
fn adapt(
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

fn standing<'r>(r: &Report<'r>) -> Standing<'r> {
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
        let mut notes: Vec<Vec<String>> = vec![Vec::new(); subs.len()];
        let mut old_subs = Vec::new();
        let mut new_subs = Vec::new();
        // Index maps from position in `subs` to position in each batch.
        let mut old_at = vec![None; subs.len()];
        let mut new_at = vec![None; subs.len()];
        let mut errors: Vec<Vec<String>> = vec![Vec::new(); subs.len()];
        for (i, sub) in subs.iter().enumerate() {
            let (Some(n), Some(e)) = (notes.get_mut(i), errors.get_mut(i)) else {
                continue;
            };
            match adapt(self, sub, "旧", n) {
                Ok(s) => {
                    if let Some(slot) = old_at.get_mut(i) {
                        *slot = Some(old_subs.len());
                    }
                    old_subs.push(s);
                }
                Err(err) => e.push(format!("旧细则无法评分：{err}")),
            }
            match adapt(new, sub, "新", n) {
                Ok(s) => {
                    if let Some(slot) = new_at.get_mut(i) {
                        *slot = Some(new_subs.len());
                    }
                    new_subs.push(s);
                }
                Err(err) => e.push(format!("新细则无法评分：{err}")),
            }
        }
        let old_batch = self.score_batch(&old_subs);
        let new_batch = new.score_batch(&new_subs);
        let mut units = Vec::with_capacity(subs.len());
        let mut summary = DiffSummary {
            units: subs.len(),
            ..DiffSummary::default()
        };
        for (i, sub) in subs.iter().enumerate() {
            let mut unit_notes = notes.get(i).cloned().unwrap_or_default();
            unit_notes.extend(errors.get(i).cloned().unwrap_or_default());
            let pick = |at: Option<usize>,
                        batch: &'_ crate::batch::BatchReport<'r>,
                        side: &str,
                        notes: &mut Vec<String>| {
                let r = batch.results.get(at?)?;
                match r {
                    Ok(r) => Some(r.clone()),
                    Err(e) => {
                        notes.push(format!("{side}细则无法评分：{e}"));
                        None
                    }
                }
            };
            let old_r = pick(
                old_at.get(i).copied().flatten(),
                &old_batch,
                "旧",
                &mut unit_notes,
            );
            let new_r = pick(
                new_at.get(i).copied().flatten(),
                &new_batch,
                "新",
                &mut unit_notes,
            );
            unit_notes.extend(new_r.as_ref().and_then(missing_note));
            let items = match (&old_r, &new_r) {
                (Some(o), Some(n)) => item_changes(o, n),
                _ => Vec::new(),
            };
            let changed = match (&old_r, &new_r) {
                (Some(o), Some(n)) => o.total != n.total || o.grade != n.grade || o.rank != n.rank,
                _ => false,
            };
            match (&old_r, &new_r) {
                (Some(o), Some(n)) => summary.count(
                    o,
                    n,
                    grade_level(new, self, o.grade),
                    grade_level(new, self, n.grade),
                ),
                _ => summary.errors = summary.errors.saturating_add(1),
            }
            summary.changed = summary.changed.saturating_add(usize::from(changed));
            units.push(UnitDiff {
                unit: sub.unit.clone(),
                changed,
                old: old_r.as_ref().map(standing),
                new: new_r.as_ref().map(standing),
                items,
                notes: unit_notes,
            });
        }
        Diff {
            old: RulesId {
                id: &self.id,
                version: &self.version,
            },
            new: RulesId {
                id: &new.id,
                version: &new.version,
            },
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
fn item_changes<'r>(old: &Report<'r>, new: &Report<'r>) -> Vec<ItemChange<'r>> {
    let mut old_items: BTreeMap<&str, &crate::report::ItemReport> = BTreeMap::new();
    for i in old.sections.iter().flat_map(|s| &s.items) {
        old_items.insert(i.id, i);
    }
    let mut out = Vec::new();
    let mut seen = Vec::new();
    for item in new.sections.iter().flat_map(|s| &s.items) {
        seen.push(item.id);
        let before = old_items.get(item.id);
        let old_score = before.and_then(|b| b.score);
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
    for item in old.sections.iter().flat_map(|s| &s.items) {
        if !seen.contains(&item.id) {
            out.push(ItemChange {
                id: item.id,
                title: item.title,
                old: item.score,
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

/// A synthetic submission where the two rule sets disagree.
#[derive(Clone, Debug)]
pub struct ProbeFinding<'r> {
    /// The submission it started from (`中性考核表` for the neutral one).
    pub base: String,
    /// The input that was set.
    pub input: String,
    /// Its label.
    pub label: String,
    /// The value it was set to.
    pub value: String,
    /// Under the old rules.
    pub old: Standing<'r>,
    /// Under the new rules.
    pub new: Standing<'r>,
    /// Items whose score differs.
    pub items: Vec<ItemChange<'r>>,
}

/// At most this many findings are returned (the first ones, in input order).
pub const MAX_PROBE_FINDINGS: usize = 500;

/// Whole values 0..=this are probed for every numeric input, besides the thresholds.
const PROBE_SCAN: i64 = 40;

impl RuleSet {
    /// Probes both rule sets on either side of every threshold they mention (literals in the
    /// expressions reading an input, band edges, rate targets, `free` counts), one input at a time,
    /// starting from `bases` (or a neutral submission when empty), and returns where the total,
    /// grade or an item score differs.
    pub fn probe<'r>(&'r self, new: &'r RuleSet, bases: &[Submission]) -> Vec<ProbeFinding<'r>> {
        let mut inputs: Vec<&Input> = self.inputs.iter().collect();
        for i in &new.inputs {
            if !inputs.iter().any(|x| x.id == i.id) {
                inputs.push(i);
            }
        }
        let neutral;
        let bases: Vec<(String, &Submission)> = if bases.is_empty() {
            neutral = neutral_submission(self, &inputs);
            vec![("中性考核表".to_string(), &neutral)]
        } else {
            bases
                .iter()
                .map(|b| (format!("{}（{}）", b.unit.name, b.unit.id), b))
                .collect()
        };
        let mut candidates: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
        for input in &inputs {
            candidates.insert(
                &input.id,
                probe_values(input, &thresholds(self, new, &input.id)),
            );
        }
        let mut out = Vec::new();
        let mut runs = 0usize;
        for (name, base) in &bases {
            for input in &inputs {
                let mut run: Vec<ProbeFinding<'r>> = Vec::new();
                for value in candidates.get(input.id.as_str()).into_iter().flatten() {
                    // Bounded work, whatever the rules and bases: the first MAX_PROBE_RUNS.
                    runs = runs.saturating_add(1);
                    if runs > crate::limits::MAX_PROBE_RUNS {
                        out.extend(condense(run));
                        return out;
                    }
                    let mut sub = (*base).clone();
                    sub.values.insert(input.id.clone(), value.clone());
                    let mut sink = Vec::new();
                    let (Ok(o), Ok(n)) = (
                        adapt(self, &sub, "旧", &mut sink),
                        adapt(new, &sub, "新", &mut sink),
                    ) else {
                        continue;
                    };
                    let (Ok(ro), Ok(rn)) = (self.score(&o), new.score(&n)) else {
                        continue;
                    };
                    let items = item_changes(&ro, &rn);
                    if ro.total != rn.total || ro.grade != rn.grade || !items.is_empty() {
                        run.push(ProbeFinding {
                            base: name.clone(),
                            input: input.id.clone(),
                            label: input.label.clone(),
                            value: value
                                .as_str()
                                .map_or_else(|| value.to_string(), str::to_string),
                            old: standing(&ro),
                            new: standing(&rn),
                            items,
                        });
                    }
                }
                out.extend(condense(run));
                if out.len() >= MAX_PROBE_FINDINGS {
                    out.truncate(MAX_PROBE_FINDINGS);
                    return out;
                }
            }
        }
        out
    }
}

/// Keeps every finding where the grade differs, and of each run of consecutive findings where
/// only scores differ, the first and the last: the edges a rule author needs to see.
fn condense(run: Vec<ProbeFinding<'_>>) -> Vec<ProbeFinding<'_>> {
    let grade_differs = |f: &ProbeFinding| f.old.grade != f.new.grade;
    let n = run.len();
    let mut out = Vec::new();
    for (i, f) in run.into_iter().enumerate() {
        let edge = i == 0 || i.saturating_add(1) == n;
        if grade_differs(&f) || edge || out.last().is_some_and(grade_differs) {
            out.push(f);
        }
    }
    out
}

/// Every decimal threshold the two rule sets mention in rules that read `input`.
fn thresholds(a: &RuleSet, b: &RuleSet, input: &str) -> Vec<rust_decimal::Decimal> {
    let mut out = Vec::new();
    for rs in [a, b] {
        let Some(index) = rs.input_index(input) else {
            continue;
        };
        let reads = |e: &crate::expr::Expr| e.inputs().contains(&index);
        for item in rs.sections.iter().flat_map(|s| &s.items) {
            let exprs = item.exprs();
            if !exprs.iter().any(|e| reads(e)) {
                continue;
            }
            for e in &exprs {
                out.extend(e.literals());
            }
            match &item.rule {
                Rule::Rate(r) => out.push(r.target),
                Rule::Bands(bands) => {
                    out.extend(bands.bands.iter().flat_map(|x| [x.min, x.max]).flatten())
                }
                Rule::Deduct(lines) => out.extend(lines.iter().filter_map(|l| match &l.when {
                    LineWhen::Per { free, .. } => Some(*free),
                    _ => None,
                })),
                _ => {}
            }
        }
        let lines = rs.adjustments.iter().flat_map(|x| &x.lines).chain(
            rs.bonus
                .iter()
                .flat_map(|b| &b.items)
                .flat_map(|x| &x.lines),
        );
        for l in lines {
            for e in l.exprs().into_iter().filter(|e| reads(e)) {
                out.extend(e.literals());
            }
            if let LineWhen::Per { free, value } = &l.when {
                if reads(value) {
                    out.push(*free);
                }
            }
        }
        for v in rs.vetoes.iter().filter(|v| reads(&v.when)) {
            out.extend(v.when.literals());
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Values on either side of each threshold, valid for the input's type.
fn probe_values(input: &Input, thresholds: &[rust_decimal::Decimal]) -> Vec<Value> {
    use rust_decimal::Decimal;
    match input.kind {
        InputType::Bool => vec![Value::Bool(true), Value::Bool(false)],
        InputType::Choice => input.options.iter().map(Value::string).collect(),
        InputType::Text | InputType::Date | InputType::Records => Vec::new(),
        _ if input.multiple => Vec::new(),
        kind => {
            let (step, lo, hi) = match kind {
                InputType::Count => (Decimal::ONE, Some(Decimal::ZERO), None),
                InputType::Percent => (
                    Decimal::new(1, 2),
                    Some(Decimal::ZERO),
                    Some(Decimal::ONE_HUNDRED),
                ),
                _ => (Decimal::new(1, 2), None, None),
            };
            let lit = |b: &Option<Bound>| match b {
                Some(Bound::Literal(d)) => Some(*d),
                _ => None,
            };
            let lo = lit(&input.min).or(lo);
            let hi = lit(&input.max).or(hi);
            // Small whole values too: totals cross grade bounds at counts no literal mentions.
            let mut vals: Vec<Decimal> = (0..=PROBE_SCAN).map(Decimal::from).collect();
            for t in thresholds {
                vals.extend([t.saturating_sub(step), *t, t.saturating_add(step)]);
            }
            vals.retain(|v| lo.is_none_or(|l| *v >= l) && hi.is_none_or(|h| *v <= h));
            if kind == InputType::Count {
                vals.retain(|v| v.fract().is_zero());
            }
            vals.sort_unstable();
            vals.dedup();
            vals.into_iter().map(|v| Value::String(plain(v))).collect()
        }
    }
}

/// A submission where every input has an unremarkable value: counts 0, rates 100%, no flags.
fn neutral_submission(rs: &RuleSet, inputs: &[&Input]) -> Submission {
    let mut values = crate::json::Map::new();
    for input in inputs {
        let v = match input.kind {
            InputType::Count => Value::string("0"),
            InputType::Percent => Value::string("100"),
            InputType::Number => match (&input.min, &input.max) {
                (_, Some(Bound::Literal(hi))) => Value::String(plain(*hi)),
                (Some(Bound::Literal(lo)), _) => Value::String(plain(*lo)),
                _ => Value::string("0"),
            },
            InputType::Bool => Value::Bool(false),
            InputType::Choice => Value::String(input.options.first().cloned().unwrap_or_default()),
            InputType::Records => Value::Array(Vec::new()),
            InputType::Text | InputType::Date => continue,
        };
        values.insert(input.id.clone(), v);
    }
    let mut sub = Submission::blank(
        rs,
        SubmissionUnit {
            id: "probe".into(),
            name: "中性考核表".into(),
            group: None,
            ranked: true,
            tags: Vec::new(),
        },
    );
    sub.values = values;
    sub
}

// The JSON forms of a diff and of probe findings: members in declaration order.

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

json_object!(ProbeFinding<'_> { base, input, label, value, old, new, items });
