//! Deduction and addition lines (`if` and `per`), combined by sum or max, with their trace texts;
//! adjustments and bonus items, which are groups of lines.

use super::scorer::{Calc, Scorer, Unknown, add, mul, sub};
use crate::decimal::{Plain, negate};
use crate::expr::{Expr, Outcome};
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

    pub(super) fn bonus(&mut self, bonus: &'r Bonus) -> Calc<BonusReport<'r>> {
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
