//! Scoring one submission into a [`Report`]: items, sections, adjustments, bonus, vetoes, grade.
//!
//! Every arithmetic step on a value that came from a submission is checked: an overflow is an
//! error naming the item, never a panic. Rounding happens only where docs/SPEC.md says: each item's
//! score, each adjustment's and bonus item's amount, a converted section and the rescaled sum.

use crate::decimal::{Amount, Plain, bounded, negate, round};
use crate::error::{Error, Problem};
use crate::expr::{Batch, Env, EvalError, Expr, Outcome, Value as V};
use crate::report::*;
use crate::rules::*;
use crate::submission::Submission;
use rust_decimal::Decimal;

/// An arithmetic overflow while scoring, located by the caller.
#[derive(Debug)]
struct Overflow;

impl From<EvalError> for Overflow {
    fn from(_: EvalError) -> Self {
        Overflow
    }
}

type Calc<T> = Result<T, Overflow>;

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
    pub fn score<'r>(&'r self, sub: &Submission) -> Result<Report<'r>, Error> {
        self.score_in(sub, BatchContext::default())
    }

    /// Scores a submission given as JSON text: the same report, or the same error, as
    /// [`Submission::from_json`] followed by [`RuleSet::score`], several times faster for the
    /// usual, plainly valid submission (it is read straight into the inputs, without a JSON tree).
    pub fn score_text(&self, text: &str) -> Result<Report<'_>, Error> {
        if let Some((sub, prepared)) = self.read_plain(text) {
            return self.score_prepared(&sub, &prepared.values, BatchContext::default());
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
        self.score_prepared(sub, &prepared.values, batch)
    }

    /// Scores values already converted and checked by `prepare`.
    pub(crate) fn score_prepared<'r>(
        &'r self,
        sub: &Submission,
        values: &[Option<V>],
        batch: BatchContext<'_>,
    ) -> Result<Report<'r>, Error> {
        let mut s = Scorer {
            rs: self,
            sub,
            env: Env {
                values,
                batch: batch.aggregates,
            },
            ranks: batch.ranks,
            pending: Vec::new(),
            warnings: Vec::new(),
        };
        s.run()
    }
}

/// The result of evaluating a group of lines.
struct Lines {
    total: Decimal,
    trace: Vec<TraceLine>,
    /// Some line could not be evaluated: why, in Chinese.
    unknown: Option<Unknown>,
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
    env: Env<'s>,
    ranks: Option<&'s dyn ItemRanks>,
    pending: Vec<PendingEntry<'r>>,
    warnings: Vec<Warning>,
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

    /// Builds the error for an overflow in the thing at `path`.
    fn overflow(&self, path: String, what: &str) -> Error {
        Error::new(vec![Problem::new(
            "score.overflow",
            path,
            format!("计算{what}时数值溢出（超出可表示范围），请检查填报的数值"),
        )])
    }

    fn run(&mut self) -> Result<Report<'r>, Error> {
        let rs = self.rs;
        let mut sections = Vec::with_capacity(rs.sections.len());
        let mut earned = Decimal::ZERO;
        let mut applicable_points = Decimal::ZERO;
        let mut all_points = Decimal::ZERO;
        let mut na_count = 0usize;
        for (si, section) in rs.sections.iter().enumerate() {
            let mut items = Vec::with_capacity(section.items.len());
            let mut raw = Decimal::ZERO;
            for (ii, item) in section.items.iter().enumerate() {
                let report = self.item(item).map_err(|_| {
                    self.overflow(
                        format!("/sections/{si}/items/{ii}"),
                        &format!("项目「{} {}」", item.id, item.title),
                    )
                })?;
                let report = report
                    .map_err(|p| Error::new(vec![p.at(format!("/sections/{si}/items/{ii}"))]))?;
                let applicable = report.status != ItemStatus::NotApplicable;
                let sums = (|| {
                    all_points = add(all_points, item.points)?;
                    if let Some(score) = report.score {
                        raw = add(raw, score.value())?;
                        if applicable {
                            applicable_points = add(applicable_points, item.points)?;
                        }
                    }
                    Ok::<(), Overflow>(())
                })();
                sums.map_err(|_| self.overflow(format!("/sections/{si}"), &section.title))?;
                if !applicable {
                    na_count = na_count.saturating_add(1);
                }
                items.push(report);
            }
            let mut lines = Vec::new();
            let score = match section.out_of {
                Some(out_of) => {
                    let (converted, change) = mul(raw, section.points)
                        .and_then(|x| div(x, out_of))
                        .map(|x| round(x, rs.scale))
                        .and_then(|c| Ok((c, sub(c, raw)?)))
                        .map_err(|_| self.overflow(format!("/sections/{si}"), &section.title))?;
                    lines.push(self.line(
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
                    ));
                    converted
                }
                None => raw,
            };
            earned = add(earned, score)
                .map_err(|_| self.overflow(format!("/sections/{si}"), &section.title))?;
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

        let mut report_lines = Vec::new();
        let subtotal = if rs.not_applicable == NotApplicable::Rescale && na_count > 0 {
            if applicable_points.is_zero() {
                self.warnings.push(Warning {
                    code: "rescale.nothing_applicable",
                    path: String::new(),
                    message: "所有项目均不涉及，无法折算，按满分计".into(),
                });
                rs.full_score
            } else {
                let (result, change, not_counted) = mul(earned, rs.full_score)
                    .and_then(|x| div(x, applicable_points))
                    .map(|x| round(x, rs.scale))
                    .and_then(|r| Ok((r, sub(r, earned)?, sub(all_points, applicable_points)?)))
                    .map_err(|_| self.overflow("/not_applicable".into(), "折算得分"))?;
                report_lines.push(self.line(
                    format!(
                        "不涉及项目{}项（共{}分）不计分，按可评分项目折算：{}÷{}×{}={}",
                        na_count,
                        Plain(not_counted),
                        Plain(earned),
                        Plain(applicable_points),
                        Plain(rs.full_score),
                        Plain(result)
                    ),
                    change,
                    LineKind::Rescale,
                ));
                result
            }
        } else {
            earned
        };

        let mut adjustments = Vec::with_capacity(rs.adjustments.len());
        let mut deducted = Decimal::ZERO;
        for (ai, adj) in rs.adjustments.iter().enumerate() {
            let r = self.adjustment(adj).map_err(|_| {
                self.overflow(
                    format!("/adjustments/{ai}"),
                    &format!("扣分项「{}」", adj.title),
                )
            })?;
            deducted = sub(deducted, r.amount.value()).map_err(|_| {
                self.overflow(
                    format!("/adjustments/{ai}"),
                    &format!("扣分项「{}」", adj.title),
                )
            })?;
            adjustments.push(r);
        }
        let mut base = sub(subtotal, deducted)
            .map_err(|_| self.overflow("/adjustments".into(), "扣分合计"))?;
        if base < Decimal::ZERO {
            report_lines.push(self.line(
                "扣分后总分低于0分，按0分计".into(),
                negate(base),
                LineKind::Floor,
            ));
            base = Decimal::ZERO;
        }
        let bonus = match &rs.bonus {
            Some(b) => Some(
                self.bonus(b)
                    .map_err(|_| self.overflow("/bonus".into(), "加分"))?,
            ),
            None => None,
        };
        let mut total = add(
            base,
            bonus.as_ref().map_or(Decimal::ZERO, |b| b.amount.value()),
        )
        .map_err(|_| self.overflow("/bonus".into(), "总分"))?;
        let grade_by_score = self.grade_for(total);
        let mut grade = grade_by_score;

        let mut vetoes = Vec::with_capacity(rs.vetoes.len());
        for (vi, veto) in rs.vetoes.iter().enumerate() {
            let triggered = match self
                .eval_bool(&veto.when)
                .map_err(|_| self.overflow(format!("/vetoes/{vi}"), &veto.title))?
            {
                Outcome::Known(b) => Some(b),
                Outcome::Pending => {
                    self.add_pending(
                        "veto",
                        &veto.id,
                        &veto.title,
                        &[&veto.when],
                        None,
                        Unknown::Pending,
                    );
                    None
                }
                Outcome::Undefined => {
                    self.add_pending(
                        "veto",
                        &veto.id,
                        &veto.title,
                        &[&veto.when],
                        None,
                        Unknown::Undefined,
                    );
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
                    report_lines.push(self.line(
                        format!("一票否决「{}」：总分计为0分", veto.title),
                        negate(total),
                        LineKind::Veto,
                    ));
                    total = Decimal::ZERO;
                }
                report_lines.push(self.line(
                    format!("一票否决「{}」：{}", veto.title, veto.effect_text),
                    Decimal::ZERO,
                    LineKind::Veto,
                ));
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

        if let Some(p) = &self.sub.period {
            if p != &rs.period {
                self.warnings.push(Warning {
                    code: "submission.period",
                    path: "/period".into(),
                    message: format!(
                        "考核表的考核期「{p}」与考核细则的考核期「{}」不一致",
                        rs.period
                    ),
                });
            }
        }
        Ok(Report {
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
            total: self.amount(total),
            grade: self.grade_name(grade),
            grade_by_score: self.grade_name(grade_by_score),
            rank: None,
            full_score: self.amount(rs.full_score),
            subtotal: self.amount(subtotal),
            sections,
            adjustments,
            bonus,
            vetoes,
            lines: report_lines,
            pending: std::mem::take(&mut self.pending),
            warnings: std::mem::take(&mut self.warnings),
            meta: self.sub.meta.clone(),
        })
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

    /// Scores one item; the inner error is a scoring problem (no band matched) to be located.
    fn item(&mut self, item: &'r Item) -> Calc<Result<ItemReport<'r>, Problem>> {
        let mut report = ItemReport {
            id: &item.id,
            title: &item.title,
            points: self.amount(item.points),
            score: Some(self.amount(item.points)),
            status: ItemStatus::Scored,
            value: None,
            lines: Vec::new(),
        };
        if let Some(a) = &item.applicable {
            match self.eval_bool(a)? {
                Outcome::Known(true) => {}
                Outcome::Known(false) => {
                    report.status = ItemStatus::NotApplicable;
                    if self.rs.not_applicable == NotApplicable::Rescale {
                        report.score = None;
                        report.lines.push(self.line(
                            "不涉及，不计入应得分".into(),
                            Decimal::ZERO,
                            LineKind::Info,
                        ));
                    } else {
                        report.lines.push(self.line(
                            "不涉及，按满分计".into(),
                            Decimal::ZERO,
                            LineKind::Info,
                        ));
                    }
                    return Ok(Ok(report));
                }
                Outcome::Pending => {
                    return Ok(Ok(self.pending_item(report, item, Unknown::Pending)));
                }
                Outcome::Undefined => {
                    return Ok(Ok(self.pending_item(report, item, Unknown::Undefined)));
                }
            }
        }
        let points = item.points;
        let limit = item.cap.map_or(points, |c| c.min(points));
        let score = match &item.rule {
            Rule::Deduct(lines) => {
                let l = self.lines(lines, item.combine, "扣")?;
                if let Some(why) = l.unknown {
                    return Ok(Ok(self.pending_item(report, item, why)));
                }
                report.lines = l.trace;
                self.capped(&mut report.lines, l.total, limit, item.cap, points)?
            }
            Rule::Rate(rate) => match self.eval_number(&rate.value)? {
                Outcome::Known(v) => {
                    report.value = Some(self.amount(v));
                    self.rate(rate, v, points, limit, item.cap, &mut report.lines)?
                }
                Outcome::Pending => {
                    return Ok(Ok(self.pending_item(report, item, Unknown::Pending)));
                }
                Outcome::Undefined => match rate.when_undefined {
                    WhenUndefined::Full => {
                        report.lines.push(self.line(
                            "计算值无定义（除数为零），按满分计".into(),
                            Decimal::ZERO,
                            LineKind::Info,
                        ));
                        points
                    }
                    WhenUndefined::Zero => {
                        report.lines.push(self.line(
                            "计算值无定义（除数为零），按0分计".into(),
                            negate(points),
                            LineKind::Rate,
                        ));
                        Decimal::ZERO
                    }
                    WhenUndefined::Pending => {
                        return Ok(Ok(self.pending_item(report, item, Unknown::Undefined)));
                    }
                },
            },
            Rule::Bands(bands) => match self.eval_number(&bands.value)? {
                Outcome::Known(v) => {
                    report.value = Some(self.amount(v));
                    let Some(band) = find_band(&bands.bands, v) else {
                        return Ok(Err(Problem::new(
                            "score.no_band",
                            "",
                            format!(
                                "项目「{} {}」的计算值{}不在任何区间内，无法赋分",
                                item.id,
                                item.title,
                                Plain(v)
                            ),
                        )));
                    };
                    if band.score < points {
                        report.lines.push(self.line(
                            format!(
                                "实际值{}，属于{}区间，得{}分",
                                self.shown(v),
                                band_text(band),
                                Plain(band.score)
                            ),
                            sub(band.score, points)?,
                            LineKind::Band,
                        ));
                    }
                    band.score
                }
                Outcome::Pending => {
                    return Ok(Ok(self.pending_item(report, item, Unknown::Pending)));
                }
                Outcome::Undefined => {
                    return Ok(Ok(self.pending_item(report, item, Unknown::Undefined)));
                }
            },
            Rule::Judged(input) => {
                match self.env.values.get(*input).copied().flatten() {
                    Some(V::Number(v)) => {
                        if v < points {
                            let reason = match self.sub.notes.get(&item.id) {
                                Some(note) => format!("评议扣分：{note}"),
                                None => {
                                    self.warnings.push(Warning {
                                    code: "judged.no_note",
                                    path: crate::error::pointer("/notes", &item.id),
                                    message: format!("项目「{} {}」评议分低于满分，但未填写扣分理由（notes）", item.id, item.title),
                                });
                                    format!("评议得{}分（满分{}分）", Plain(v), Plain(points))
                                }
                            };
                            report
                                .lines
                                .push(self.line(reason, sub(v, points)?, LineKind::Judged));
                        }
                        v
                    }
                    _ => {
                        // A judged item waits only for its score: no trace line (unlike rules).
                        let mut r = self.pending_item(report, item, Unknown::Pending);
                        r.lines.clear();
                        return Ok(Ok(r));
                    }
                }
            }
            Rule::Rank(rank) => {
                let r = self.ranks.and_then(|r| r.rank_of(&item.id));
                match (r, self.eval_number(&rank.value)?) {
                    (Some(position), Outcome::Known(v)) => {
                        report.value = Some(self.amount(v));
                        let steps = Decimal::from(position.saturating_sub(1));
                        let s = sub(rank.first, mul(steps, rank.step)?)?
                            .max(rank.floor)
                            .min(points)
                            .max(Decimal::ZERO);
                        if s < points {
                            report.lines.push(self.line(
                                format!("同批次排名第{position}位，得{}分", Plain(s)),
                                sub(s, points)?,
                                LineKind::Rank,
                            ));
                        }
                        s
                    }
                    (_, Outcome::Undefined) => {
                        return Ok(Ok(self.pending_item(report, item, Unknown::Undefined)));
                    }
                    (r, v) => {
                        let why = match (r, v) {
                            (None, Outcome::Known(_)) => Unknown::NeedsBatch,
                            _ => Unknown::Pending,
                        };
                        // A rank item waits for the batch: no trace line (unlike rules).
                        let mut r = self.pending_item(report, item, why);
                        r.lines.clear();
                        return Ok(Ok(r));
                    }
                }
            }
            Rule::Formula(e) => match self.eval_number(e)? {
                Outcome::Known(v) => {
                    report.value = Some(self.amount(v));
                    let s = v.max(Decimal::ZERO).min(points);
                    if s < points {
                        report.lines.push(self.line(
                            format!("按计分公式计算得{}分", Plain(round(s, self.rs.scale))),
                            sub(s, points)?,
                            LineKind::Formula,
                        ));
                    }
                    s
                }
                Outcome::Pending => {
                    return Ok(Ok(self.pending_item(report, item, Unknown::Pending)));
                }
                Outcome::Undefined => {
                    return Ok(Ok(self.pending_item(report, item, Unknown::Undefined)));
                }
            },
        };
        report.score = Some(self.amount(score));
        Ok(Ok(report))
    }

    /// Marks an item pending: counted at full points, with the inputs it waits for.
    fn pending_item(
        &mut self,
        mut report: ItemReport<'r>,
        item: &'r Item,
        why: Unknown,
    ) -> ItemReport<'r> {
        let exprs = item.exprs();
        self.add_pending(
            "item",
            &item.id,
            &item.title,
            &exprs,
            item.judged_input(),
            why,
        );
        if why == Unknown::Undefined {
            self.warnings.push(Warning {
                code: "score.undefined",
                path: String::new(),
                message: format!(
                    "项目「{} {}」计算中出现除数为零，暂按满分计，请核实填报数据",
                    item.id, item.title
                ),
            });
        }
        report.status = ItemStatus::Pending;
        report.score = Some(self.amount(item.points));
        report.value = None;
        report.lines = vec![self.line("待定，暂按满分计".into(), Decimal::ZERO, LineKind::Info)];
        report
    }

    /// Applies a deduction limit; returns the score and adds a cap line when the limit cut.
    fn capped(
        &self,
        trace: &mut Vec<TraceLine>,
        total: Decimal,
        limit: Decimal,
        cap: Option<Decimal>,
        points: Decimal,
    ) -> Calc<Decimal> {
        if total > limit {
            let reason = match cap {
                Some(c) if c < points => text(&[
                    Part::W("本项最多扣"),
                    Part::D(c),
                    Part::W("分，超出部分不扣"),
                ]),
                _ => text(&[
                    Part::W("扣完为止（本项满分"),
                    Part::D(points),
                    Part::W("分）"),
                ]),
            };
            trace.push(self.line(reason, sub(total, limit)?, LineKind::Cap));
            sub(points, limit)
        } else {
            sub(points, total)
        }
    }

    fn rate(
        &self,
        rate: &Rate,
        v: Decimal,
        points: Decimal,
        limit: Decimal,
        cap: Option<Decimal>,
        trace: &mut Vec<TraceLine>,
    ) -> Calc<Decimal> {
        let (short_word, shortfall) = match rate.direction {
            Direction::Higher => ("低于", sub(rate.target, v)?),
            Direction::Lower => ("高于", sub(v, rate.target)?),
        };
        if shortfall <= Decimal::ZERO {
            return Ok(points);
        }
        match rate.mode {
            RateMode::Step {
                step,
                points_per_step,
                partial,
            } => {
                let raw_steps = div(shortfall, step)?;
                let steps = match partial {
                    Partial::Exact => raw_steps,
                    Partial::Up => raw_steps.ceil(),
                    Partial::Down => raw_steps.floor(),
                };
                let deduction = mul(steps, points_per_step)?;
                if !deduction.is_zero() {
                    use Part::{D, W};
                    let shown = |d: Decimal| D(self.shown(d).0);
                    let mut reason = text(&[
                        W("实际值"),
                        shown(v),
                        W(short_word),
                        W("目标值"),
                        D(rate.target),
                        W("，差"),
                        shown(shortfall),
                        W("，每"),
                        W(short_word.trim_end_matches('于')),
                        D(step),
                        W("扣"),
                        D(points_per_step),
                        W("分"),
                    ]);
                    match partial {
                        Partial::Exact => {}
                        Partial::Up => write_parts(
                            &mut reason,
                            &[W("，不足"), D(step), W("的按"), D(step), W("计")],
                        ),
                        Partial::Down => {
                            write_parts(&mut reason, &[W("，不足"), D(step), W("的不计")])
                        }
                    }
                    trace.push(self.line(reason, negate(deduction), LineKind::Rate));
                }
                self.capped(trace, deduction, limit, cap, points)
            }
            RateMode::Proportional => {
                let (score, formula) = match rate.direction {
                    Direction::Higher => (
                        div(mul(points, v)?, rate.target)?,
                        format!("{}×{}÷{}", Plain(points), self.shown(v), Plain(rate.target)),
                    ),
                    Direction::Lower => (
                        div(mul(points, rate.target)?, v)?,
                        format!("{}×{}÷{}", Plain(points), Plain(rate.target), self.shown(v)),
                    ),
                };
                let score = score.max(Decimal::ZERO).min(points);
                trace.push(self.line(
                    format!(
                        "实际值{}{}目标值{}，按比例得分：{}={}分",
                        self.shown(v),
                        short_word,
                        Plain(rate.target),
                        formula,
                        Plain(round(score, self.rs.scale))
                    ),
                    sub(score, points)?,
                    LineKind::Rate,
                ));
                let deduction = sub(points, score)?;
                self.capped(trace, deduction, limit, cap, points)
            }
        }
    }

    /// Evaluates lines (`verb` 扣 or 加): their combined amount and trace, or why unknown.
    fn lines(&self, lines: &[Line], combine: Combine, verb: &str) -> Calc<Lines> {
        // Trace lines are signed: positive for an addition, negative for a deduction.
        let signed = |d: Decimal| if verb == "加" { d } else { negate(d) };
        let kind = if verb == "加" {
            LineKind::Add
        } else {
            LineKind::Deduct
        };
        let mut hits: Vec<(Decimal, String)> = Vec::new();
        for line in lines {
            let hit = match &line.when {
                LineWhen::If(e) => match self.eval_bool(e)? {
                    Outcome::Known(true) => Some((line.points, line.reason.clone())),
                    Outcome::Known(false) => None,
                    Outcome::Pending => return Ok(Lines::unknown(Unknown::Pending)),
                    Outcome::Undefined => return Ok(Lines::unknown(Unknown::Undefined)),
                },
                LineWhen::Per { value, free } => match self.eval_number(value)? {
                    Outcome::Known(v) => {
                        let n = sub(v, *free)?.max(Decimal::ZERO);
                        if n.is_zero() {
                            None
                        } else {
                            let amount = mul(n, line.points)?;
                            Some((amount, self.per_reason(line, v, n, amount, verb)))
                        }
                    }
                    Outcome::Pending => return Ok(Lines::unknown(Unknown::Pending)),
                    Outcome::Undefined => return Ok(Lines::unknown(Unknown::Undefined)),
                },
            };
            if let Some(h) = hit {
                hits.push(h);
            }
        }
        let mut out = Lines {
            total: Decimal::ZERO,
            trace: Vec::with_capacity(hits.len()),
            unknown: None,
        };
        match combine {
            Combine::Sum => {
                for (amount, reason) in hits {
                    out.total = add(out.total, amount)?;
                    out.trace.push(self.line(reason, signed(amount), kind));
                }
            }
            Combine::Max => {
                // The first of the largest lines counts; the others are listed as not counted.
                let best =
                    hits.iter()
                        .enumerate()
                        .fold(None::<(usize, Decimal)>, |acc, (i, (a, _))| match acc {
                            Some((_, b)) if b >= *a => acc,
                            _ => Some((i, *a)),
                        });
                for (i, (amount, reason)) in hits.into_iter().enumerate() {
                    if best.is_some_and(|(b, _)| b == i) {
                        out.total = amount;
                        out.trace.push(self.line(reason, signed(amount), kind));
                    } else {
                        out.trace.push(self.line(
                            format!("{reason}（同一事项按最高分计，不累计）"),
                            Decimal::ZERO,
                            LineKind::Info,
                        ));
                    }
                }
            }
        }
        Ok(out)
    }

    /// The trace text of a `per` line with the numbers filled in.
    fn per_reason(
        &self,
        line: &Line,
        v: Decimal,
        n: Decimal,
        amount: Decimal,
        verb: &str,
    ) -> String {
        let free = match &line.when {
            LineWhen::Per { free, .. } => *free,
            LineWhen::If(_) => Decimal::ZERO,
        };
        let expr = line.expr();
        if line.reason.contains('{') {
            return fill(
                &line.reason,
                &[("{n}", n), ("{points}", line.points), ("{amount}", amount)],
            );
        }
        let unit = line
            .unit
            .as_deref()
            .or_else(|| {
                expr.single_input()
                    .and_then(|i| self.rs.inputs.get(i))
                    .and_then(|i| i.unit.as_deref())
            })
            .unwrap_or("次");
        use Part::{D, W};
        if free.is_zero() {
            text(&[
                W(&line.reason),
                D(v),
                W(unit),
                W("，每"),
                W(unit),
                W(verb),
                D(line.points),
                W("分"),
            ])
        } else {
            text(&[
                W(&line.reason),
                D(v),
                W(unit),
                W("，超过"),
                D(free),
                W(unit),
                W("的部分每"),
                W(unit),
                W(verb),
                D(line.points),
                W("分"),
            ])
        }
    }

    /// Evaluates the lines of an adjustment (`verb` 扣) or a bonus item (加) up to `limit`: its
    /// status, its amount (not negative) and its trace. Unknown lines make it pending, counted as 0.
    #[allow(clippy::too_many_arguments)]
    fn line_group(
        &mut self,
        kind: &'static str,
        id: &'r str,
        title: &'r str,
        lines: &[Line],
        combine: Combine,
        verb: &str,
        limit: Option<Decimal>,
    ) -> Calc<(ItemStatus, Decimal, Vec<TraceLine>)> {
        let l = self.lines(lines, combine, verb)?;
        if let Some(why) = l.unknown {
            let exprs: Vec<&Expr> = lines.iter().map(Line::expr).collect();
            self.add_pending(kind, id, title, &exprs, None, why);
            let info = format!("待定，暂不{verb}分");
            return Ok((
                ItemStatus::Pending,
                Decimal::ZERO,
                vec![self.line(info, Decimal::ZERO, LineKind::Info)],
            ));
        }
        let mut trace = l.trace;
        let mut total = l.total;
        if let Some(limit) = limit.filter(|m| total > *m) {
            // The cap line moves the group back to its limit: up for a deduction, down for a bonus.
            let (back, reason) = if verb == "加" {
                (sub(limit, total)?, format!("本项最多加{}分", Plain(limit)))
            } else {
                (
                    sub(total, limit)?,
                    format!("本项最多扣{}分，超出部分不扣", Plain(limit)),
                )
            };
            trace.push(self.line(reason, back, LineKind::Cap));
            total = limit;
        }
        Ok((ItemStatus::Scored, total, trace))
    }

    fn adjustment(&mut self, adj: &'r Adjustment) -> Calc<AdjustmentReport<'r>> {
        let (status, total, lines) = self.line_group(
            "adjustment",
            &adj.id,
            &adj.title,
            &adj.lines,
            adj.combine,
            "扣",
            adj.cap,
        )?;
        Ok(AdjustmentReport {
            id: &adj.id,
            title: &adj.title,
            cap: adj.cap.map(|c| self.amount(c)),
            amount: self.amount(negate(total)),
            status,
            lines,
        })
    }

    fn bonus(&mut self, bonus: &'r Bonus) -> Calc<BonusReport<'r>> {
        let mut items = Vec::with_capacity(bonus.items.len());
        let mut sum = Decimal::ZERO;
        for item in &bonus.items {
            let (status, total, lines) = self.line_group(
                "bonus",
                &item.id,
                &item.title,
                &item.lines,
                item.combine,
                "加",
                Some(item.points),
            )?;
            let amount = self.amount(total);
            sum = add(sum, amount.value())?;
            items.push(BonusItemReport {
                id: &item.id,
                title: &item.title,
                points: self.amount(item.points),
                amount,
                status,
                lines,
            });
        }
        let mut lines = Vec::new();
        if sum > bonus.cap {
            lines.push(self.line(
                format!("加分合计{}分，累计不超过{}分", Plain(sum), Plain(bonus.cap)),
                sub(bonus.cap, sum)?,
                LineKind::Cap,
            ));
            sum = bonus.cap;
        }
        Ok(BonusReport {
            cap: self.amount(bonus.cap),
            amount: self.amount(sum),
            items,
            lines,
        })
    }
}

/// A piece of a trace text: words, or a decimal written as in a sentence (`2`, `0.5`).
enum Part<'a> {
    W(&'a str),
    D(Decimal),
}

/// A trace text from its pieces, without `core::fmt`: every deduction writes one, and `format!`
/// was a sixth of a report's cost.
fn text(parts: &[Part]) -> String {
    let len = parts
        .iter()
        .map(|p| match p {
            Part::W(w) => w.len(),
            Part::D(_) => 8,
        })
        .fold(16usize, usize::saturating_add);
    let mut out = String::with_capacity(len);
    write_parts(&mut out, parts);
    out
}

/// Appends the pieces of a trace text.
fn write_parts(out: &mut String, parts: &[Part]) {
    for p in parts {
        match p {
            Part::W(w) => out.push_str(w),
            Part::D(d) => crate::decimal::push_plain(out, *d),
        }
    }
}

/// A rule author's reason template with its placeholders (`{n}`) filled in, in one pass.
fn fill(template: &str, values: &[(&str, Decimal)]) -> String {
    let mut out = String::with_capacity(template.len().saturating_add(16));
    let mut rest = template;
    while let Some(at) = rest.find('{') {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        match values.iter().find(|(name, _)| from.starts_with(name)) {
            Some((name, d)) => {
                crate::decimal::push_plain(&mut out, *d);
                rest = from.get(name.len()..).unwrap_or_default();
            }
            None => {
                out.push('{');
                rest = from.get(1..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out
}

impl Lines {
    fn unknown(why: Unknown) -> Lines {
        Lines {
            total: Decimal::ZERO,
            trace: Vec::new(),
            unknown: Some(why),
        }
    }
}

impl Problem {
    /// The same problem at another path.
    fn at(mut self, path: String) -> Problem {
        if self.path.is_empty() {
            self.path = path;
        }
        self
    }
}

/// The first band with `min <= v < max`; the band with the greatest `max` includes its `max`.
fn find_band(bands: &[Band], v: Decimal) -> Option<&Band> {
    bands
        .iter()
        .find(|b| b.min.is_none_or(|lo| lo <= v) && b.max.is_none_or(|hi| v < hi))
        .or_else(|| {
            let top = bands.iter().filter_map(|b| b.max).max()?;
            bands
                .iter()
                .find(|b| b.max == Some(top) && v == top && b.min.is_none_or(|lo| lo <= v))
        })
}

fn band_text(b: &Band) -> String {
    match (b.min, b.max) {
        (Some(lo), Some(hi)) => format!("[{}, {})", Plain(lo), Plain(hi)),
        (Some(lo), None) => format!("[{}, +∞)", Plain(lo)),
        (None, Some(hi)) => format!("(-∞, {})", Plain(hi)),
        (None, None) => "(-∞, +∞)".into(),
    }
}
