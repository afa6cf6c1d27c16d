//! Scoring one item by its rule: `deduct`, `rate`, `bands`, `judged`, `rank`, `formula`, and what
//! not applicable, pending and caps make of it.

use super::lines::{Part, text, write_parts};
use super::scorer::{Calc, Scorer, Stop, Unknown, add, div, mul, sub};
use crate::code::Code;
use crate::decimal::{Plain, negate, round};
use crate::error::pointer;
use crate::expr::{Expr, Outcome, Value as V};
use crate::report::*;
use crate::rules::*;
use rust_decimal::Decimal;

/// What an item's rule made of it.
enum Scored {
    /// Its score.
    Score(Decimal),
    /// Not known yet: pending, counted at full points, with a line saying so.
    Pending(Unknown),
    /// Waiting for the assessor's score or for a batch: pending, without a line.
    Waiting(Unknown),
}

/// How much the item's deductions may take: its cap, at most its points.
fn limit(item: &Item) -> Decimal {
    item.cap.map_or(item.points, |c| c.min(item.points))
}

impl<'r> Scorer<'r, '_> {
    /// Scores one item: not applicable, pending, or scored by its rule.
    pub(super) fn item(&mut self, item: &'r Item) -> Result<ItemReport<'r>, Stop> {
        let mut report = ItemReport {
            id: &item.id,
            title: &item.title,
            points: self.amount(item.points),
            score: Some(self.amount(item.points)),
            status: ItemStatus::Scored,
            value: None,
            lines: Vec::new(),
            self_score: None,
            self_difference: None,
        };
        if let Some(reason) = self.marked_not_applicable(&item.id, item.assessor_na) {
            return Ok(self.not_applicable_as(report, format!("考核组认定不涉及：{reason}")));
        }
        if let Some(a) = &item.applicable {
            match self.eval_bool(a)? {
                Outcome::Known(true) => {}
                Outcome::Known(false) => return Ok(self.not_applicable(report)),
                Outcome::Pending => return Ok(self.pending_item(report, item, Unknown::Pending)),
                Outcome::Undefined => {
                    return Ok(self.pending_item(report, item, Unknown::Undefined));
                }
            }
        }
        let scored = match &item.rule {
            Rule::Deduct(lines) => self.deduct(item, lines, &mut report)?,
            Rule::Rate(rate) => self.rate_item(item, rate, &mut report)?,
            Rule::Bands(bands) => self.bands(item, bands, &mut report)?,
            Rule::Judged(input, Aggregate::Single) => self.judged(item, *input, &mut report)?,
            Rule::Judged(input, aggregate) => {
                self.judged_scores(item, *input, *aggregate, &mut report)?
            }
            Rule::Rank(rank) => self.rank(item, rank, &mut report)?,
            Rule::Formula(e) => self.formula(item, e, &mut report)?,
        };
        Ok(match scored {
            Scored::Score(score) => {
                report.score = Some(self.amount(score));
                report
            }
            Scored::Pending(why) => self.pending_item(report, item, why),
            Scored::Waiting(why) => {
                let mut report = self.pending_item(report, item, why);
                report.lines.clear();
                report
            }
        })
    }

    /// A not-applicable item (不涉及): full marks, or no score under rescaling.
    fn not_applicable(&self, report: ItemReport<'r>) -> ItemReport<'r> {
        let reason = if self.rs.not_applicable == NotApplicable::Rescale {
            "不涉及，不计入应得分"
        } else {
            "不涉及，按满分计"
        };
        self.not_applicable_as(report, reason.into())
    }

    /// A not-applicable item with the line saying why.
    fn not_applicable_as(&self, mut report: ItemReport<'r>, reason: String) -> ItemReport<'r> {
        report.status = ItemStatus::NotApplicable;
        if self.rs.not_applicable == NotApplicable::Rescale {
            report.score = None;
        }
        report
            .lines
            .push(self.line(reason, Decimal::ZERO, LineKind::Info));
        report
    }

    /// The assessors' reason when the submission marks this item not applicable (and the rule
    /// set lets them: a marking it does not allow is refused before scoring).
    pub(super) fn marked_not_applicable(&self, id: &str, allowed: bool) -> Option<&str> {
        if !allowed {
            return None;
        }
        self.sub.not_applicable.get(id).map(String::as_str)
    }

    fn deduct(&self, item: &Item, lines: &[Line], report: &mut ItemReport<'r>) -> Calc<Scored> {
        let l = self.lines(lines, item.combine, "扣")?;
        if let Some(why) = l.unknown {
            return Ok(Scored::Pending(why));
        }
        report.lines = l.trace;
        let score = self.capped(
            &mut report.lines,
            l.total,
            limit(item),
            item.cap,
            item.points,
        )?;
        Ok(Scored::Score(score))
    }

    fn rate_item(&self, item: &Item, rate: &Rate, report: &mut ItemReport<'r>) -> Calc<Scored> {
        let points = item.points;
        match self.eval_number(&rate.value)? {
            Outcome::Known(v) => {
                report.value = Some(self.amount(v));
                let score = self.rate(rate, v, points, limit(item), item.cap, &mut report.lines)?;
                Ok(Scored::Score(score))
            }
            Outcome::Pending => Ok(Scored::Pending(Unknown::Pending)),
            Outcome::Undefined => match rate.when_undefined {
                WhenUndefined::Full => {
                    report.lines.push(self.line(
                        "计算值无定义（除数为零），按满分计".into(),
                        Decimal::ZERO,
                        LineKind::Info,
                    ));
                    Ok(Scored::Score(points))
                }
                WhenUndefined::Zero => {
                    report.lines.push(self.line(
                        "计算值无定义（除数为零），按0分计".into(),
                        negate(points),
                        LineKind::Rate,
                    ));
                    Ok(Scored::Score(Decimal::ZERO))
                }
                WhenUndefined::Pending => Ok(Scored::Pending(Unknown::Undefined)),
            },
        }
    }

    fn bands(
        &self,
        item: &Item,
        bands: &Bands,
        report: &mut ItemReport<'r>,
    ) -> Result<Scored, Stop> {
        let v = match self.eval_number(&bands.value)? {
            Outcome::Known(v) => v,
            Outcome::Pending => return Ok(Scored::Pending(Unknown::Pending)),
            Outcome::Undefined => return Ok(Scored::Pending(Unknown::Undefined)),
        };
        report.value = Some(self.amount(v));
        let Some(band) = find_band(&bands.bands, v) else {
            return Err(Stop::NoBand(v));
        };
        if band.score < item.points {
            report.lines.push(self.line(
                format!(
                    "实际值{}，属于{}区间，得{}分",
                    self.shown(v),
                    band_text(band),
                    Plain(band.score)
                ),
                sub(band.score, item.points)?,
                LineKind::Band,
            ));
        }
        Ok(Scored::Score(band.score))
    }

    /// The assessor's score; below full marks its reason is the item's note (a warning without).
    fn judged(&mut self, item: &Item, input: usize, report: &mut ItemReport<'r>) -> Calc<Scored> {
        let points = item.points;
        let Some(V::Number(v)) = self.env.values.get(input).copied().flatten() else {
            // A judged item waits only for its score: no trace line (unlike rules).
            return Ok(Scored::Waiting(Unknown::Pending));
        };
        if v < points {
            let reason = match self.sub.notes.get(&item.id) {
                Some(note) => format!("评议扣分：{note}"),
                None => {
                    self.warn(
                        Code::JudgedNoNote,
                        pointer("/notes", &item.id),
                        format!(
                            "项目「{} {}」评议分低于满分，但未填写扣分理由（notes）",
                            item.id, item.title
                        ),
                    );
                    format!("评议得{}分（满分{}分）", Plain(v), Plain(points))
                }
            };
            report
                .lines
                .push(self.line(reason, sub(v, points)?, LineKind::Judged));
        }
        Ok(Scored::Score(v))
    }

    /// Several assessors' scores (评议分): their mean, or the mean without one highest and one
    /// lowest, rounded to the scale; every score is listed in the trace.
    fn judged_scores(
        &mut self,
        item: &Item,
        input: usize,
        aggregate: Aggregate,
        report: &mut ItemReport<'r>,
    ) -> Calc<Scored> {
        let rows = self
            .rs
            .list_slot(input)
            .and_then(|k| self.env.lists.get(k))
            .and_then(Option::as_ref);
        let scores: Vec<Decimal> = rows
            .iter()
            .flat_map(|r| &r.cells)
            .filter_map(|c| match c {
                Some(V::Number(d)) => Some(*d),
                _ => None,
            })
            .collect();
        let trimmed = aggregate == Aggregate::TrimmedMean;
        if scores.is_empty() || (trimmed && scores.len() < 3) {
            return Ok(Scored::Waiting(Unknown::Pending));
        }
        let (high, low) = (
            scores.iter().copied().max().unwrap_or_default(),
            scores.iter().copied().min().unwrap_or_default(),
        );
        let mut sum = scores.iter().try_fold(Decimal::ZERO, |a, b| add(a, *b))?;
        let mut n = scores.len();
        if trimmed {
            sum = sub(sub(sum, high)?, low)?;
            n = n.saturating_sub(2);
        }
        let mean = round(div(sum, Decimal::from(n))?, self.rs.scale);
        let listed: Vec<String> = scores.iter().map(|d| Plain(*d).to_string()).collect();
        let mut reason = format!("评议分：{}", listed.join("、"));
        if trimmed {
            reason.push_str(&format!(
                "（去掉最高分{}、最低分{}）",
                Plain(high),
                Plain(low)
            ));
        }
        reason.push_str(&format!("，平均{}", self.amount(mean)));
        if mean < item.points {
            match self.sub.notes.get(&item.id) {
                Some(note) => reason.push_str(&format!("；{note}")),
                None => self.warn(
                    Code::JudgedNoNote,
                    pointer("/notes", &item.id),
                    format!(
                        "项目「{} {}」评议分低于满分，但未填写扣分理由（notes）",
                        item.id, item.title
                    ),
                ),
            }
        }
        report
            .lines
            .push(self.line(reason, sub(mean, item.points)?, LineKind::Judged));
        Ok(Scored::Score(mean))
    }

    /// Points by the unit's rank in its batch; outside a batch the item waits for one.
    fn rank(&self, item: &Item, rank: &RankRule, report: &mut ItemReport<'r>) -> Calc<Scored> {
        let points = item.points;
        let position = self.ranks.and_then(|r| r.rank_of(&item.id));
        match (position, self.eval_number(&rank.value)?) {
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
                Ok(Scored::Score(s))
            }
            (_, Outcome::Undefined) => Ok(Scored::Pending(Unknown::Undefined)),
            // A rank item waits for the batch: no trace line (unlike rules).
            (None, Outcome::Known(_)) => Ok(Scored::Waiting(Unknown::NeedsBatch)),
            _ => Ok(Scored::Waiting(Unknown::Pending)),
        }
    }

    fn formula(&self, item: &Item, e: &Expr, report: &mut ItemReport<'r>) -> Calc<Scored> {
        let points = item.points;
        match self.eval_number(e)? {
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
                Ok(Scored::Score(s))
            }
            Outcome::Pending => Ok(Scored::Pending(Unknown::Pending)),
            Outcome::Undefined => Ok(Scored::Pending(Unknown::Undefined)),
        }
    }

    /// Marks an item pending: counted at full points, with the inputs it waits for.
    fn pending_item(
        &mut self,
        mut report: ItemReport<'r>,
        item: &'r Item,
        why: Unknown,
    ) -> ItemReport<'r> {
        let exprs = item.exprs();
        let mut direct: Vec<usize> = item.judged_input().into_iter().collect();
        if let Rule::Deduct(lines) = &item.rule {
            direct.extend(lines.iter().filter_map(|l| l.each));
        }
        self.add_pending("item", &item.id, &item.title, &exprs, &direct, why);
        if why == Unknown::Undefined {
            self.warn(
                Code::ScoreUndefined,
                String::new(),
                format!(
                    "项目「{} {}」计算中出现除数为零，暂按满分计，请核实填报数据",
                    item.id, item.title
                ),
            );
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
        // An exclusive target (above/below) is met only beyond it: at it, the shortfall is 0 but
        // counts as a started step.
        if shortfall < Decimal::ZERO || (shortfall.is_zero() && !rate.exclusive) {
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
                    Partial::Up if rate.exclusive => add(raw_steps.floor(), Decimal::ONE)?,
                    Partial::Up => raw_steps.ceil(),
                    Partial::Down => raw_steps.floor(),
                };
                let deduction = mul(steps, points_per_step)?;
                if !deduction.is_zero() {
                    use Part::{D, W};
                    let shown = |d: Decimal| D(self.shown(d).0);
                    let (not_met, needed) = match rate.direction {
                        Direction::Higher => ("未高于", "（须高于"),
                        Direction::Lower => ("未低于", "（须低于"),
                    };
                    let mut reason = if rate.exclusive {
                        text(&[
                            W("实际值"),
                            shown(v),
                            W(not_met),
                            W("目标值"),
                            D(rate.target),
                            W(needed),
                            D(rate.target),
                            W("）"),
                        ])
                    } else {
                        text(&[
                            W("实际值"),
                            shown(v),
                            W(short_word),
                            W("目标值"),
                            D(rate.target),
                        ])
                    };
                    write_parts(
                        &mut reason,
                        &[
                            W("，差"),
                            shown(shortfall),
                            W("，每"),
                            W(short_word.trim_end_matches('于')),
                            D(step),
                            W("扣"),
                            D(points_per_step),
                            W("分"),
                        ],
                    );
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
}

/// The first band, in the order written, whose bounds hold `v` (`min` ≤, `over` <; `max` and
/// `under` >, `upto` ≥); else the band with the greatest legacy `max`, which includes it.
fn find_band(bands: &[Band], v: Decimal) -> Option<&Band> {
    let above_lower = |b: &Band| b.min.is_none_or(|lo| if b.over { lo < v } else { lo <= v });
    bands
        .iter()
        .find(|b| {
            above_lower(b)
                && b.max.is_none_or(|hi| match b.upper {
                    Upper::Upto => v <= hi,
                    Upper::Max | Upper::Under => v < hi,
                })
        })
        .or_else(|| {
            let top = bands
                .iter()
                .filter(|b| b.upper == Upper::Max)
                .filter_map(|b| b.max)
                .max()?;
            bands
                .iter()
                .find(|b| b.upper == Upper::Max && b.max == Some(top) && v == top && above_lower(b))
        })
}

fn band_text(b: &Band) -> String {
    let open = if b.over { "(" } else { "[" };
    let close = if b.upper == Upper::Upto { "]" } else { ")" };
    match (b.min, b.max) {
        (Some(lo), Some(hi)) => format!("{open}{}, {}{close}", Plain(lo), Plain(hi)),
        (Some(lo), None) => format!("{open}{}, +∞)", Plain(lo)),
        (None, Some(hi)) => format!("(-∞, {}{close}", Plain(hi)),
        (None, None) => "(-∞, +∞)".into(),
    }
}
