//! The scorer's state and the helpers every phase uses: checked arithmetic whose failure is located
//! by the caller (`Calc`, `Stop`, `At`), trace lines, warnings, pending entries.

use crate::code::Code;
use crate::decimal::{Amount, Plain, round};
use crate::error::{Error, Problem};
use crate::expr::{Batch, Env, EvalError, Expr, Outcome};
use crate::report::*;
use crate::rules::*;
use crate::submission::Submission;
use rust_decimal::Decimal;

/// An arithmetic result beyond ±10²⁰ (`MAX_COMPUTED`). A unit type: every checked step returns
/// `Calc`, and a larger error type made each of them (and the module) bigger.
#[derive(Debug)]
pub(super) struct Overflow;

impl From<EvalError> for Overflow {
    fn from(_: EvalError) -> Self {
        Overflow
    }
}

pub(super) type Calc<T> = Result<T, Overflow>;

/// Why scoring an item or a phase stopped, located by the caller (see [`At`]).
#[derive(Debug)]
pub(super) enum Stop {
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
pub(super) fn add(a: Decimal, b: Decimal) -> Calc<Decimal> {
    crate::decimal::add(a, b).ok_or(Overflow)
}
pub(super) fn sub(a: Decimal, b: Decimal) -> Calc<Decimal> {
    crate::decimal::sub(a, b).ok_or(Overflow)
}
pub(super) fn mul(a: Decimal, b: Decimal) -> Calc<Decimal> {
    crate::decimal::mul(a, b).ok_or(Overflow)
}
pub(super) fn div(a: Decimal, b: Decimal) -> Calc<Decimal> {
    crate::decimal::div(a, b).ok_or(Overflow)
}

/// Where a calculation stopped: the part of the rule set, for the error's path and message. Built
/// without allocating; the text is written only when there is an error.
#[derive(Clone, Copy)]
pub(super) enum At<'a> {
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
    pub(super) fn error(self, stop: Stop) -> Error {
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
pub(super) trait Located<T> {
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
    /// Only the report's scores are read (a streamed batch's standings, a self-assessment put
    /// beside the assessors' report): the report is never shown, so its submission digest is
    /// left empty rather than hashed.
    pub scores_only: bool,
}

impl BatchContext<'_> {
    /// Outside any batch, for a report read only for its figures (`scores_only`).
    pub(crate) fn figures_only() -> Self {
        BatchContext {
            scores_only: true,
            ..BatchContext::default()
        }
    }
}

/// Why something could not be evaluated.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Unknown {
    /// An input is empty or a batch aggregate has no batch.
    Pending,
    /// A division by zero.
    Undefined,
    /// A `rank` item scored outside a batch.
    NeedsBatch,
}

pub(super) struct Scorer<'r, 's> {
    pub(super) rs: &'r RuleSet,
    pub(super) sub: &'s Submission,
    /// The given values' canonical text, for the fingerprint (none: the digest is left empty).
    pub(super) canonical: Option<&'s str>,
    pub(super) env: Env<'s>,
    pub(super) ranks: Option<&'s dyn ItemRanks>,
    pub(super) pending: Vec<PendingEntry<'r>>,
    pub(super) warnings: Vec<Problem>,
    /// Report-level trace lines: rescaling, the floor at zero, veto effects.
    pub(super) lines: Vec<TraceLine>,
}

impl<'r, 's> Scorer<'r, 's> {
    pub(super) fn new(
        rs: &'r RuleSet,
        sub: &'s Submission,
        canonical: Option<&'s str>,
        env: Env<'s>,
        ranks: Option<&'s dyn ItemRanks>,
    ) -> Self {
        Scorer {
            rs,
            sub,
            canonical,
            env,
            ranks,
            pending: Vec::new(),
            warnings: Vec::new(),
            lines: Vec::new(),
        }
    }
}

impl<'r> Scorer<'r, '_> {
    pub(super) fn amount(&self, d: Decimal) -> Amount {
        Amount::new(d, self.rs.scale)
    }

    /// An indicator value as shown in a sentence: two places more than the scale, no trailing zeros.
    pub(super) fn shown(&self, v: Decimal) -> Plain {
        Plain(round(v, self.rs.scale.saturating_add(2)))
    }

    pub(super) fn line(&self, reason: String, points: Decimal, kind: LineKind) -> TraceLine {
        TraceLine {
            reason,
            points: self.amount(points),
            kind,
            row: None,
            group: None,
        }
    }

    pub(super) fn warn(&mut self, code: Code, path: impl Into<String>, message: String) {
        self.warnings.push(Problem::new(code, path, message));
    }

    pub(super) fn eval_bool(&self, e: &Expr) -> Calc<Outcome<bool>> {
        Ok(e.eval_bool(&self.env)?)
    }

    pub(super) fn eval_number(&self, e: &Expr) -> Calc<Outcome<Decimal>> {
        Ok(e.eval_number(&self.env)?)
    }

    /// Records something pending, naming the empty inputs its expressions need.
    pub(super) fn add_pending(
        &mut self,
        kind: &'static str,
        id: &'r str,
        title: &'r str,
        exprs: &[&Expr],
        direct: &[usize],
        why: Unknown,
    ) {
        let mut missing: Vec<&'r str> = Vec::new();
        let read = exprs
            .iter()
            .flat_map(|e| e.inputs().iter().copied())
            .chain(direct.iter().copied());
        for i in read {
            // A record list is missing while not given or while a required cell is empty.
            let incomplete = self
                .rs
                .list_slot(i)
                .and_then(|k| self.env.lists.get(k))
                .is_some_and(|l| l.as_ref().is_none_or(|rows| rows.incomplete));
            if incomplete || matches!(self.env.values.get(i), None | Some(None)) {
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
