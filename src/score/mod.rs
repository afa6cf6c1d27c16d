//! Scoring one submission into a [`Report`], phase by phase: items and sections, the rescaled sum,
//! adjustments and the floor at zero, bonus, vetoes and the grade, then the report.
//!
//! Every arithmetic step on a value that came from a submission is checked: an overflow is an
//! error naming the item, never a panic. Rounding happens only where docs/SPEC.md says: each item's
//! score, each adjustment's and bonus item's amount, a converted section and the rescaled sum.
//! `items` scores one item by its rule; `lines` evaluates deduction and addition lines.

use crate::code::Code;
use crate::decimal::{Amount, Plain, bounded, negate, round};
use crate::error::{Error, Problem};
use crate::expr::{Batch, Env, EvalError, Expr, Outcome, Value as V};
use crate::fingerprint::{ENGINE, Fingerprint, submission_digest};
use crate::report::*;
use crate::rules::*;
use crate::submission::Submission;
use rust_decimal::Decimal;

mod items;
mod lines;

/// An arithmetic result beyond ±10²⁰ (`MAX_COMPUTED`). A unit type: every checked step returns
/// `Calc`, and a larger error type made each of them (and the module) bigger.
#[derive(Debug)]
struct Overflow;

impl From<EvalError> for Overflow {
    fn from(_: EvalError) -> Self {
        Overflow
    }
}

type Calc<T> = Result<T, Overflow>;

/// Why scoring an item or a phase stopped, located by the caller (see [`At`]).
#[derive(Debug)]
enum Stop {
    /// A result beyond ±10²⁰.
    Overflow,
    /// No band of a `bands` item covers this value.
    NoBand(Decimal),
}

impl From<Overflow> for Stop {
    fn from(_: Overflow) -> Self {
        Stop::Overflow
    }
}

// Checked arithmetic: a result beyond ±10²⁰ (`MAX_COMPUTED`) is an overflow too.
fn add(a: Decimal, b: Decimal) -> Calc<Decimal> {
    a.checked_add(b).and_then(bounded).ok_or(Overflow)
}
fn sub(a: Decimal, b: Decimal) -> Calc<Decimal> {
    a.checked_sub(b).and_then(bounded).ok_or(Overflow)
}
fn mul(a: Decimal, b: Decimal) -> Calc<Decimal> {
    a.checked_mul(b).and_then(bounded).ok_or(Overflow)
}
fn div(a: Decimal, b: Decimal) -> Calc<Decimal> {
    a.checked_div(b).and_then(bounded).ok_or(Overflow)
}

/// Where a calculation stopped: the part of the rule set, for the error's path and message. Built
/// without allocating; the text is written only when there is an error.
#[derive(Clone, Copy)]
enum At<'a> {
    Item(usize, usize, &'a Item),
    Section(usize, &'a Section),
    Rescale,
    Adjustment(usize, &'a Adjustment),
    Adjustments,
    Bonus,
    Total,
    Veto(usize, &'a Veto),
}

impl At<'_> {
    /// The error for `stop` here.
    fn error(self, stop: Stop) -> Error {
        let (path, what) = match self {
            At::Item(si, ii, item) => (
                format!("/sections/{si}/items/{ii}"),
                format!("项目「{} {}」", item.id, item.title),
            ),
            At::Section(si, s) => (format!("/sections/{si}"), s.title.clone()),
            At::Rescale => ("/not_applicable".into(), "折算得分".into()),
            At::Adjustment(ai, a) => (
                format!("/adjustments/{ai}"),
                format!("扣分项「{}」", a.title),
            ),
            At::Adjustments => ("/adjustments".into(), "扣分合计".into()),
            At::Bonus => ("/bonus".into(), "加分".into()),
            At::Total => ("/bonus".into(), "总分".into()),
            At::Veto(vi, v) => (format!("/vetoes/{vi}"), v.title.clone()),
        };
        let problem = match stop {
            Stop::Overflow => Problem::new(
                Code::ScoreOverflow,
                path,
                format!("计算{what}时数值溢出（超出可表示范围），请检查填报的数值"),
            ),
            Stop::NoBand(v) => Problem::new(
                Code::ScoreNoBand,
                path,
                format!("{what}的计算值{}不在任何区间内，无法赋分", Plain(v)),
            ),
        };
        Error::new(vec![problem])
    }
}

/// Locates a calculation's failure: `calc.at(At::…)?` is the one way scoring turns a [`Stop`]
/// into an [`Error`].
trait Located<T> {
    fn at(self, at: At<'_>) -> Result<T, Error>;
}

impl<T, E: Into<Stop>> Located<T> for Result<T, E> {
    fn at(self, at: At<'_>) -> Result<T, Error> {
        self.map_err(|stop| at.error(stop.into()))
    }
}

/// Per-unit results a batch supplies to `rank` items: the unit's rank for an item id.
pub(crate) trait ItemRanks {
    /// The rank (1 = best) of this unit for the rank item `item`, if ranked.
    fn rank_of(&self, item: &str) -> Option<u32>;
}

/// Context that only a batch provides.
#[derive(Clone, Copy, Default)]
pub(crate) struct BatchContext<'b> {
    pub aggregates: Option<&'b dyn Batch>,
    pub ranks: Option<&'b dyn ItemRanks>,
}

impl RuleSet {
    /// Scores one submission on its own (outside a batch): rank items and batch aggregates stay
    /// pending. Empty required inputs make the report provisional; any other problem is an error.
    ///
    /// ```
    /// use kpi_wasm::{RuleSet, Submission};
    /// let rules = RuleSet::builtin("subdistrict").expect("built-in rule set");
    /// let sub = Submission::from_json(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/subdistrict-dq.json"))).expect("reads");
    /// let report = rules.score(&sub).expect("scores");
    /// assert_eq!((report.total.to_string().as_str(), report.grade), ("89.15", "良好"));
    /// ```
    pub fn score<'r>(&'r self, sub: &Submission) -> Result<Report<'r>, Error> {
        self.score_in(sub, BatchContext::default())
    }

    /// Scores a submission given as JSON text: the same report, or the same error, as
    /// [`Submission::from_json`] followed by [`RuleSet::score`], several times faster for the
    /// usual, plainly valid submission (it is read straight into the inputs, without a JSON tree).
    ///
    /// ```
    /// let rules = kpi_wasm::RuleSet::builtin("subdistrict").expect("built-in rule set");
    /// let report = rules.score_text(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/subdistrict-dq.json"))).expect("scores");
    /// assert_eq!(report.status.as_str(), "final"); // every input filled in
    /// ```
    pub fn score_text(&self, text: &str) -> Result<Report<'_>, Error> {
        if let Some((sub, prepared)) = self.read_plain(text) {
            return self.score_prepared(
                &sub,
                &prepared.values,
                &prepared.canonical,
                BatchContext::default(),
            );
        }
        self.score(&Submission::from_json(text)?)
    }

    pub(crate) fn score_in<'r>(
        &'r self,
        sub: &Submission,
        batch: BatchContext<'_>,
    ) -> Result<Report<'r>, Error> {
        let (prepared, problems) = self.prepare(sub);
        if !problems.is_empty() {
            return Err(Error::new(problems));
        }
        self.score_prepared(sub, &prepared.values, &prepared.canonical, batch)
    }

    /// Scores values already converted and checked by `prepare`; `canonical` is their
    /// canonical text (`Prepared::canonical`), for the fingerprint.
    pub(crate) fn score_prepared<'r>(
        &'r self,
        sub: &Submission,
        values: &[Option<V>],
        canonical: &str,
        batch: BatchContext<'_>,
    ) -> Result<Report<'r>, Error> {
        let mut s = Scorer {
            rs: self,
            sub,
            canonical,
            env: Env {
                values,
                batch: batch.aggregates,
            },
            ranks: batch.ranks,
            pending: Vec::new(),
            warnings: Vec::new(),
            lines: Vec::new(),
        };
        s.run()
    }
}

/// Why something could not be evaluated.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Unknown {
    /// An input is empty or a batch aggregate has no batch.
    Pending,
    /// A division by zero.
    Undefined,
    /// A `rank` item scored outside a batch.
    NeedsBatch,
}

struct Scorer<'r, 's> {
    rs: &'r RuleSet,
    sub: &'s Submission,
    /// The given values' canonical text, for the fingerprint.
    canonical: &'s str,
    env: Env<'s>,
    ranks: Option<&'s dyn ItemRanks>,
    pending: Vec<PendingEntry<'r>>,
    warnings: Vec<Problem>,
    /// Report-level trace lines: rescaling, the floor at zero, veto effects.
    lines: Vec<TraceLine>,
}

/// What the sections add up to, for rescaling.
struct SectionSums {
    /// Σ section scores.
    earned: Decimal,
    /// Σ points of the items that are applicable (pending ones included).
    applicable_points: Decimal,
    /// Σ points of every item.
    all_points: Decimal,
    /// How many items are not applicable.
    not_applicable: usize,
}

/// The grade a total gives, and what the vetoes made of it.
struct Graded<'r> {
    total: Decimal,
    grade: usize,
    vetoes: Vec<VetoReport<'r>>,
}

impl<'r> Scorer<'r, '_> {
    fn amount(&self, d: Decimal) -> Amount {
        Amount::new(d, self.rs.scale)
    }

    /// An indicator value as shown in a sentence: two places more than the scale, no trailing zeros.
    fn shown(&self, v: Decimal) -> Plain {
        Plain(round(v, self.rs.scale.saturating_add(2)))
    }

    fn line(&self, reason: String, points: Decimal, kind: LineKind) -> TraceLine {
        TraceLine {
            reason,
            points: self.amount(points),
            kind,
        }
    }

    fn warn(&mut self, code: Code, path: impl Into<String>, message: String) {
        self.warnings.push(Problem::new(code, path, message));
    }

    /// The phases, in order.
    fn run(&mut self) -> Result<Report<'r>, Error> {
        let (sections, sums) = self.sections()?;
        let subtotal = self.rescale(&sums)?;
        let (adjustments, base) = self.adjustments(subtotal)?;
        let bonus = match &self.rs.bonus {
            Some(b) => Some(self.bonus(b).at(At::Bonus)?),
            None => None,
        };
        let total = add(
            base,
            bonus.as_ref().map_or(Decimal::ZERO, |b| b.amount.value()),
        )
        .at(At::Total)?;
        let grade_by_score = self.grade_for(total);
        let graded = self.vetoes(total, grade_by_score)?;
        self.period_warning();
        Ok(self.assemble(
            sections,
            subtotal,
            adjustments,
            bonus,
            graded,
            grade_by_score,
        ))
    }

    /// Every section's items, and its score (converted when it has `out_of`).
    fn sections(&mut self) -> Result<(Vec<SectionReport<'r>>, SectionSums), Error> {
        let rs = self.rs;
        let mut sections = Vec::with_capacity(rs.sections.len());
        let mut sums = SectionSums {
            earned: Decimal::ZERO,
            applicable_points: Decimal::ZERO,
            all_points: Decimal::ZERO,
            not_applicable: 0,
        };
        for (si, section) in rs.sections.iter().enumerate() {
            let mut items = Vec::with_capacity(section.items.len());
            let mut raw = Decimal::ZERO;
            for (ii, item) in section.items.iter().enumerate() {
                let report = self.item(item).at(At::Item(si, ii, item))?;
                let applicable = report.status != ItemStatus::NotApplicable;
                let mut count = || {
                    sums.all_points = add(sums.all_points, item.points)?;
                    if let Some(score) = report.score {
                        raw = add(raw, score.value())?;
                        if applicable {
                            sums.applicable_points = add(sums.applicable_points, item.points)?;
                        }
                    }
                    Calc::Ok(())
                };
                count().at(At::Section(si, section))?;
                if !applicable {
                    sums.not_applicable = sums.not_applicable.saturating_add(1);
                }
                items.push(report);
            }
            let mut lines = Vec::new();
            let score = match section.out_of {
                Some(out_of) => {
                    let (converted, line) = self
                        .convert(section, raw, out_of)
                        .at(At::Section(si, section))?;
                    lines.push(line);
                    converted
                }
                None => raw,
            };
            sums.earned = add(sums.earned, score).at(At::Section(si, section))?;
            sections.push(SectionReport {
                id: &section.id,
                title: &section.title,
                points: self.amount(section.points),
                out_of: section.out_of.map(|d| self.amount(d)),
                score: self.amount(score),
                lines,
                items,
            });
        }
        Ok((sections, sums))
    }

    /// A section scored out of `out_of`, converted to its points (折算), and the line saying so.
    fn convert(
        &self,
        section: &Section,
        raw: Decimal,
        out_of: Decimal,
    ) -> Calc<(Decimal, TraceLine)> {
        let converted = round(div(mul(raw, section.points)?, out_of)?, self.rs.scale);
        let change = sub(converted, raw)?;
        let line = self.line(
            format!(
                "本部分按{}分制评分得{}分，折算为{}分：{}×{}÷{}={}",
                Plain(out_of),
                Plain(raw),
                Plain(section.points),
                Plain(raw),
                Plain(section.points),
                Plain(out_of),
                Plain(converted)
            ),
            change,
            LineKind::Convert,
        );
        Ok((converted, line))
    }

    /// The sections' sum, rescaled over the applicable items when the rule set says so.
    fn rescale(&mut self, sums: &SectionSums) -> Result<Decimal, Error> {
        let rs = self.rs;
        if rs.not_applicable != NotApplicable::Rescale || sums.not_applicable == 0 {
            return Ok(sums.earned);
        }
        if sums.applicable_points.is_zero() {
            self.warn(
                Code::RescaleNothingApplicable,
                String::new(),
                "所有项目均不涉及，无法折算，按满分计".into(),
            );
            return Ok(rs.full_score);
        }
        let calc = || {
            let result = round(
                div(mul(sums.earned, rs.full_score)?, sums.applicable_points)?,
                rs.scale,
            );
            Calc::Ok((
                result,
                sub(result, sums.earned)?,
                sub(sums.all_points, sums.applicable_points)?,
            ))
        };
        let (result, change, not_counted) = calc().at(At::Rescale)?;
        let line = self.line(
            format!(
                "不涉及项目{}项（共{}分）不计分，按可评分项目折算：{}÷{}×{}={}",
                sums.not_applicable,
                Plain(not_counted),
                Plain(sums.earned),
                Plain(sums.applicable_points),
                Plain(rs.full_score),
                Plain(result)
            ),
            change,
            LineKind::Rescale,
        );
        self.lines.push(line);
        Ok(result)
    }

    /// The adjustments, and the subtotal after them, held at zero.
    fn adjustments(
        &mut self,
        subtotal: Decimal,
    ) -> Result<(Vec<AdjustmentReport<'r>>, Decimal), Error> {
        let rs = self.rs;
        let mut adjustments = Vec::with_capacity(rs.adjustments.len());
        let mut deducted = Decimal::ZERO;
        for (ai, adj) in rs.adjustments.iter().enumerate() {
            let r = self.adjustment(adj).at(At::Adjustment(ai, adj))?;
            deducted = sub(deducted, r.amount.value()).at(At::Adjustment(ai, adj))?;
            adjustments.push(r);
        }
        let mut base = sub(subtotal, deducted).at(At::Adjustments)?;
        if base < Decimal::ZERO {
            let line = self.line(
                "扣分后总分低于0分，按0分计".into(),
                negate(base),
                LineKind::Floor,
            );
            self.lines.push(line);
            base = Decimal::ZERO;
        }
        Ok((adjustments, base))
    }

    /// Every veto, and the grade (and total) after the triggered ones.
    fn vetoes(&mut self, mut total: Decimal, grade_by_score: usize) -> Result<Graded<'r>, Error> {
        let rs = self.rs;
        let mut grade = grade_by_score;
        let mut vetoes = Vec::with_capacity(rs.vetoes.len());
        for (vi, veto) in rs.vetoes.iter().enumerate() {
            let triggered = match self.eval_bool(&veto.when).at(At::Veto(vi, veto))? {
                Outcome::Known(b) => Some(b),
                unknown => {
                    let why = if unknown == Outcome::Pending {
                        Unknown::Pending
                    } else {
                        Unknown::Undefined
                    };
                    self.add_pending("veto", &veto.id, &veto.title, &[&veto.when], None, why);
                    None
                }
            };
            let lowest = rs.lowest_grade();
            let (effect, result_grade) = match veto.effect {
                VetoEffect::Fail => (EffectRef::Word("fail"), lowest),
                VetoEffect::Zero => (EffectRef::Word("zero"), lowest),
                VetoEffect::MaxGrade(g) => (
                    EffectRef::MaxGrade {
                        max_grade: self.grade_name(g),
                    },
                    grade_by_score.max(g),
                ),
                VetoEffect::LowerGrades(n) => (
                    EffectRef::LowerGrades { lower_grades: n },
                    grade_by_score.saturating_add(n as usize).min(lowest),
                ),
            };
            if triggered == Some(true) {
                if veto.effect == VetoEffect::Zero && !total.is_zero() {
                    let line = self.line(
                        format!("一票否决「{}」：总分计为0分", veto.title),
                        negate(total),
                        LineKind::Veto,
                    );
                    self.lines.push(line);
                    total = Decimal::ZERO;
                }
                let line = self.line(
                    format!("一票否决「{}」：{}", veto.title, veto.effect_text),
                    Decimal::ZERO,
                    LineKind::Veto,
                );
                self.lines.push(line);
                grade = grade.max(result_grade);
            }
            vetoes.push(VetoReport {
                id: &veto.id,
                title: &veto.title,
                triggered,
                effect,
                effect_text: &veto.effect_text,
            });
        }
        Ok(Graded {
            total,
            grade,
            vetoes,
        })
    }

    /// A submission for another period is scored, with a warning.
    fn period_warning(&mut self) {
        if let Some(p) = &self.sub.period {
            if p != &self.rs.period {
                let message = format!(
                    "考核表的考核期「{p}」与考核细则的考核期「{}」不一致",
                    self.rs.period
                );
                self.warn(Code::SubmissionPeriod, "/period", message);
            }
        }
    }

    fn assemble(
        &mut self,
        sections: Vec<SectionReport<'r>>,
        subtotal: Decimal,
        adjustments: Vec<AdjustmentReport<'r>>,
        bonus: Option<BonusReport<'r>>,
        graded: Graded<'r>,
        grade_by_score: usize,
    ) -> Report<'r> {
        let rs = self.rs;
        Report {
            format: "kpi-report/1",
            unit: self.sub.unit.clone(),
            rules: RulesRef {
                id: &rs.id,
                version: &rs.version,
                title: &rs.title,
            },
            period: &rs.period,
            status: if self.pending.is_empty() {
                Status::Final
            } else {
                Status::Provisional
            },
            total: self.amount(graded.total),
            grade: self.grade_name(graded.grade),
            grade_by_score: self.grade_name(grade_by_score),
            rank: None,
            full_score: self.amount(rs.full_score),
            subtotal: self.amount(subtotal),
            sections,
            adjustments,
            bonus,
            vetoes: graded.vetoes,
            lines: std::mem::take(&mut self.lines),
            pending: std::mem::take(&mut self.pending),
            warnings: std::mem::take(&mut self.warnings),
            meta: self.sub.meta.clone(),
            fingerprint: Fingerprint {
                engine: ENGINE,
                rules: &rs.fingerprint,
                submission: submission_digest(self.sub, self.canonical),
            },
        }
    }

    fn grade_for(&self, total: Decimal) -> usize {
        self.rs
            .grades
            .iter()
            .position(|g| g.min <= total)
            .unwrap_or_else(|| self.rs.lowest_grade())
    }

    fn grade_name(&self, index: usize) -> &'r str {
        self.rs.grades.get(index).map_or("", |g| g.name.as_str())
    }

    fn eval_bool(&self, e: &Expr) -> Calc<Outcome<bool>> {
        Ok(e.eval_bool(&self.env)?)
    }

    fn eval_number(&self, e: &Expr) -> Calc<Outcome<Decimal>> {
        Ok(e.eval_number(&self.env)?)
    }

    /// Records something pending, naming the empty inputs its expressions need.
    fn add_pending(
        &mut self,
        kind: &'static str,
        id: &'r str,
        title: &'r str,
        exprs: &[&Expr],
        direct: Option<usize>,
        why: Unknown,
    ) {
        let mut missing: Vec<&'r str> = Vec::new();
        let read = exprs
            .iter()
            .flat_map(|e| e.inputs().iter().copied())
            .chain(direct);
        for i in read {
            if matches!(self.env.values.get(i), None | Some(None)) {
                if let Some(input) = self.rs.inputs.get(i) {
                    if !missing.contains(&input.id.as_str()) {
                        missing.push(&input.id);
                    }
                }
            }
        }
        let batch = exprs.iter().any(|e| e.uses_batch());
        let reason = match why {
            Unknown::Undefined => "计算中出现除数为零，无法计算".to_string(),
            Unknown::Pending if !missing.is_empty() => {
                let labels: Vec<&str> = missing
                    .iter()
                    .filter_map(|id| {
                        self.rs
                            .inputs
                            .iter()
                            .find(|i| i.id == *id)
                            .map(|i| i.label.as_str())
                    })
                    .collect();
                format!("待填写：{}", labels.join("、"))
            }
            Unknown::NeedsBatch => "排名赋分须在批量评分中计算，单独评分时暂按满分计".to_string(),
            Unknown::Pending if batch => "需要同批次其他单位的数据，单独评分时无法计算".to_string(),
            Unknown::Pending => "尚无法计算".to_string(),
        };
        self.pending.push(PendingEntry {
            kind,
            id,
            title,
            missing,
            reason,
        });
    }
}
