//! Deduction and addition lines (`if` and `per`), combined by sum or max, with their trace texts;
//! adjustments and bonus items, which are groups of lines.

use super::scorer::{Calc, Scorer, Unknown, add, mul, sub};
use crate::decimal::{Plain, negate, round};
use crate::expr::{Env, Outcome};
use crate::report::*;
use crate::rules::*;
use rust_decimal::Decimal;

/// The result of evaluating a group of lines.
pub(super) struct Lines {
    pub total: Decimal,
    pub trace: Vec<TraceLine>,
    /// Some line could not be evaluated: why.
    pub unknown: Option<Unknown>,
}

/// One line's hit: its amount, its trace text, the row it counted (1-based) and its group.
type Hit<'l> = (Decimal, String, Option<u32>, Option<&'l LineGroup>);

/// What one line makes of one row (or of the submission, without `each`).
enum Eval {
    Hit(Decimal, String),
    Miss,
    Unknown(Unknown),
}

impl<'r> Scorer<'r, '_> {
    /// Evaluates lines (`verb` 扣 or 加): their combined amount and trace, or why unknown.
    pub(super) fn lines(&self, lines: &[Line], combine: Combine, verb: &str) -> Calc<Lines> {
        // Trace lines are signed: positive for an addition, negative for a deduction.
        let signed = |d: Decimal| if verb == "加" { d } else { negate(d) };
        let kind = if verb == "加" {
            LineKind::Add
        } else {
            LineKind::Deduct
        };
        let mut hits: Vec<Hit> = Vec::new();
        for line in lines {
            let group = line.group.as_deref();
            let Some(list) = line.each else {
                match self.eval_line(line, &self.env, verb)? {
                    Eval::Hit(amount, reason) => hits.push((amount, reason, None, group)),
                    Eval::Miss => {}
                    Eval::Unknown(why) => return Ok(Lines::unknown(why)),
                }
                continue;
            };
            // Once per row: a row that cannot be evaluated makes the line unknown (pending before
            // undefined, whatever the rows' order).
            let rows = match self.rs.list_slot(list).and_then(|k| self.env.lists.get(k)) {
                Some(Some(rows)) => rows,
                _ => return Ok(Lines::unknown(Unknown::Pending)),
            };
            let input = self.rs.inputs.get(list);
            let unit = input.and_then(|i| i.unit.as_deref()).unwrap_or("条");
            let mut unknown: Option<Unknown> = None;
            for r in 0..rows.len() {
                let env = Env {
                    row: rows.row(r),
                    ..self.env
                };
                match self.eval_line(line, &env, verb)? {
                    Eval::Hit(amount, reason) => {
                        let n = r.saturating_add(1);
                        let name = rows.names.get(r).map_or("", String::as_str);
                        let text = if name.is_empty() {
                            format!("第{n}{unit}：{reason}")
                        } else {
                            format!("第{n}{unit}（{name}）：{reason}")
                        };
                        hits.push((amount, text, u32::try_from(n).ok(), group));
                    }
                    Eval::Miss => {}
                    Eval::Unknown(why) => {
                        if unknown != Some(Unknown::Pending) {
                            unknown = Some(why);
                        }
                    }
                }
            }
            if let Some(why) = unknown {
                return Ok(Lines::unknown(why));
            }
        }
        let mut out = Lines {
            total: Decimal::ZERO,
            trace: Vec::with_capacity(hits.len()),
            unknown: None,
        };
        let line = |reason: String, points: Decimal, kind, row, group: Option<&LineGroup>| {
            let mut l = self.line(reason, points, kind);
            l.row = row;
            l.group = group.map(|g| g.title.clone());
            l
        };
        match combine {
            Combine::Sum => {
                for (amount, reason, row, group) in hits {
                    out.total = add(out.total, amount)?;
                    out.trace
                        .push(line(reason, signed(amount), kind, row, group));
                }
            }
            Combine::Max => {
                // The first of the largest lines counts; the others are listed as not counted.
                let best =
                    hits.iter()
                        .enumerate()
                        .fold(None::<(usize, Decimal)>, |acc, (i, (a, ..))| match acc {
                            Some((_, b)) if b >= *a => acc,
                            _ => Some((i, *a)),
                        });
                for (i, (amount, reason, row, group)) in hits.into_iter().enumerate() {
                    if best.is_some_and(|(b, _)| b == i) {
                        out.total = amount;
                        out.trace
                            .push(line(reason, signed(amount), kind, row, group));
                    } else {
                        out.trace.push(line(
                            format!("{reason}（同一事项按最高分计，不累计）"),
                            Decimal::ZERO,
                            LineKind::Info,
                            row,
                            group,
                        ));
                    }
                }
            }
        }
        Ok(out)
    }

    /// One line on `env` (the submission's, or a row's for an `each` line).
    fn eval_line(&self, line: &Line, env: &Env<'_>, verb: &str) -> Calc<Eval> {
        let unknown = |o: &Outcome<Decimal>| match o {
            Outcome::Pending => Some(Eval::Unknown(Unknown::Pending)),
            Outcome::Undefined => Some(Eval::Unknown(Unknown::Undefined)),
            Outcome::Known(_) => None,
        };
        Ok(match &line.when {
            LineWhen::If(e) => match e.eval_bool(env)? {
                Outcome::Known(true) => Eval::Hit(line.points, line.reason.clone()),
                Outcome::Known(false) => Eval::Miss,
                Outcome::Pending => Eval::Unknown(Unknown::Pending),
                Outcome::Undefined => Eval::Unknown(Unknown::Undefined),
            },
            LineWhen::Per { value, free } => {
                let o = value.eval_number(env)?;
                if let Some(u) = unknown(&o) {
                    return Ok(u);
                }
                let Outcome::Known(v) = o else {
                    return Ok(Eval::Miss);
                };
                let n = sub(v, *free)?.max(Decimal::ZERO);
                if n.is_zero() {
                    Eval::Miss
                } else {
                    let amount = mul(n, line.points)?;
                    Eval::Hit(amount, self.per_reason(line, v, n, amount, verb))
                }
            }
            LineWhen::Amount(e) => {
                let o = e.eval_number(env)?;
                if let Some(u) = unknown(&o) {
                    return Ok(u);
                }
                match o {
                    Outcome::Known(v) if v > Decimal::ZERO => {
                        let scale = self.rs.scale;
                        let reason = fill(
                            &line.reason,
                            &[("{amount}", round(v, scale)), ("{n}", round(v, scale))],
                        );
                        Eval::Hit(v, reason)
                    }
                    _ => Eval::Miss,
                }
            }
            LineWhen::Tiers(tiers) => {
                // Of the tiers that hold, the one with the largest points (the first of equals).
                let mut best: Option<&Tier> = None;
                for t in tiers {
                    match t.when.eval_bool(env)? {
                        Outcome::Known(true) => {
                            if best.is_none_or(|b| t.points > b.points) {
                                best = Some(t);
                            }
                        }
                        Outcome::Known(false) => {}
                        Outcome::Pending => return Ok(Eval::Unknown(Unknown::Pending)),
                        Outcome::Undefined => return Ok(Eval::Unknown(Unknown::Undefined)),
                    }
                }
                match best {
                    Some(t) => Eval::Hit(t.points, t.reason.clone()),
                    None => Eval::Miss,
                }
            }
        })
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
            _ => Decimal::ZERO,
        };
        if line.reason.contains('{') {
            // Filled in as the report shows amounts: rounded to the scale.
            let scale = self.rs.scale;
            return fill(
                &line.reason,
                &[
                    ("{n}", round(n, scale)),
                    ("{points}", line.points),
                    ("{amount}", round(amount, scale)),
                ],
            );
        }
        let unit = line
            .unit
            .as_deref()
            .or_else(|| {
                line.expr()?
                    .single_input()
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
            let exprs = line_exprs(lines);
            let lists: Vec<usize> = lines.iter().filter_map(|l| l.each).collect();
            self.add_pending(kind, id, title, &exprs, &lists, why);
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

    pub(super) fn adjustment(&mut self, adj: &'r Adjustment) -> Calc<AdjustmentReport<'r>> {
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

    /// One bonus item: its amount (up to its points), status and lines.
    pub(super) fn bonus_item(&mut self, item: &'r BonusItem) -> Calc<BonusItemReport<'r>> {
        let (status, total, lines) = match self.marked_not_applicable(&item.id, item.assessor_na) {
            Some(reason) => (
                ItemStatus::NotApplicable,
                Decimal::ZERO,
                vec![self.line(
                    format!("考核组认定不涉及：{reason}"),
                    Decimal::ZERO,
                    LineKind::Info,
                )],
            ),
            None => self.line_group(
                "bonus",
                &item.id,
                &item.title,
                &item.lines,
                item.combine,
                "加",
                Some(item.points),
            )?,
        };
        Ok(BonusItemReport {
            id: &item.id,
            title: &item.title,
            points: self.amount(item.points),
            amount: self.amount(total),
            status,
            lines,
        })
    }

    /// The bonus items' sum held at the overall cap, with the line saying so when it cut.
    pub(super) fn bonus_cap(&self, bonus: &Bonus, sum: Decimal) -> Calc<(Decimal, Vec<TraceLine>)> {
        let mut lines = Vec::new();
        if sum <= bonus.cap {
            return Ok((sum, lines));
        }
        lines.push(self.line(
            format!("加分合计{}分，累计不超过{}分", Plain(sum), Plain(bonus.cap)),
            sub(bonus.cap, sum)?,
            LineKind::Cap,
        ));
        Ok((bonus.cap, lines))
    }
}

/// A piece of a trace text: words, or a decimal written as in a sentence (`2`, `0.5`).
pub(super) enum Part<'a> {
    W(&'a str),
    D(Decimal),
}

/// A trace text from its pieces, without `core::fmt`: every deduction writes one, and `format!`
/// was a sixth of a report's cost.
pub(super) fn text(parts: &[Part]) -> String {
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
pub(super) fn write_parts(out: &mut String, parts: &[Part]) {
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
        // `find` gives a char boundary; the checked split keeps the panic path out of the wasm.
        let Some((before, from)) = rest.split_at_checked(at) else {
            break;
        };
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
