//! The work budget: how much a batch, a diff or a threshold probe may cost before it starts.
//!
//! Every rule set and submission is bounded (`limits`), but a call multiplies them: a batch
//! scores each submission, a diff scores each under two rule sets, a probe scores thousands of
//! synthetic ones. The cost of scoring one submission under a rule set is bounded by its size
//! ([`RuleSet::cost`]: its compiled operations plus its items, lines and other parts, each part
//! weighted by what it costs at most: a line that fires writes a trace text). A call whose
//! submissions × cost exceed [`MAX_WORK`] is refused before anything is scored (`limit.work`),
//! so that every accepted call finishes within seconds; SECURITY.md gives the measured worst
//! cases. The WebAssembly binding also bounds the size of the reports it hands to JavaScript
//! ([`RuleSet::report_bytes`]).

use crate::code::Code;
use crate::error::Error;
use crate::limits::{MAX_BATCH, MAX_WORK};
use crate::rules::{Line, Rule, RuleSet};

/// What one trace line costs, in operations: formatting its reason, its amount and its JSON.
const LINE_WEIGHT: usize = 4;

/// What every item, adjustment, bonus item, veto and section costs besides its expressions and
/// lines: its report entry, rounding, and its place in the totals.
const ENTRY_WEIGHT: usize = 8;

/// What a submission costs whatever the rule set: reading it, the report's header, ranking.
const BASE_COST: usize = 200;

impl RuleSet {
    /// What scoring one submission under this rule set costs at most, in work units (roughly
    /// compiled operations): every expression's operations, every line, band and entry weighted by
    /// what it costs when it fires. The built-in rule sets cost a few thousand; the largest rule
    /// set the limits accept about half a million.
    ///
    /// ```
    /// let rules = kpi_wasm::RuleSet::builtin("subdistrict").expect("built-in rule set");
    /// assert!(rules.cost() > 1_000 && rules.cost() < 10_000);
    /// ```
    pub fn cost(&self) -> usize {
        let lines = |ls: &[Line]| ls.len();
        let mut ops = 0usize;
        let mut traced = 0usize;
        let mut entries = self.sections.len();
        for item in self.sections.iter().flat_map(|s| &s.items) {
            entries = entries.saturating_add(1);
            ops = ops.saturating_add(item.exprs().iter().map(|e| e.op_count()).sum());
            traced = traced.saturating_add(match &item.rule {
                Rule::Deduct(ls) => lines(ls).saturating_add(1),
                Rule::Bands(b) => b.bands.len().saturating_add(1),
                _ => 2,
            });
        }
        for a in &self.adjustments {
            entries = entries.saturating_add(1);
            traced = traced.saturating_add(lines(&a.lines).saturating_add(1));
            ops = ops.saturating_add(a.lines.iter().map(|l| l.expr().op_count()).sum());
        }
        for b in self.bonus.iter().flat_map(|b| &b.items) {
            entries = entries.saturating_add(1);
            traced = traced.saturating_add(lines(&b.lines).saturating_add(1));
            ops = ops.saturating_add(b.lines.iter().map(|l| l.expr().op_count()).sum());
        }
        for v in &self.vetoes {
            entries = entries.saturating_add(1);
            traced = traced.saturating_add(1);
            ops = ops.saturating_add(v.when.op_count());
        }
        for input in &self.inputs {
            entries = entries.saturating_add(1);
            ops = ops.saturating_add(input.applicable.as_ref().map_or(0, |e| e.op_count()));
        }
        BASE_COST
            .saturating_add(ops)
            .saturating_add(traced.saturating_mul(LINE_WEIGHT))
            .saturating_add(entries.saturating_mul(ENTRY_WEIGHT))
    }

    /// An upper bound of the length of one report's JSON, apart from what the submission itself
    /// brings (its unit, notes and meta, at most its own length): every item, line and veto
    /// with its texts, as if every line fired.
    pub fn report_bytes(&self) -> usize {
        const ENTRY: usize = 100;
        const LINE: usize = 70;
        let text = |s: &str| s.len().saturating_add(ENTRY);
        let lines = |ls: &[Line]| -> usize {
            ls.iter()
                .map(|l| l.reason.len().saturating_add(LINE))
                .fold(LINE.saturating_mul(2), usize::saturating_add)
        };
        let mut n = self.title.len().saturating_add(1_000);
        for s in &self.sections {
            n = n.saturating_add(text(&s.title));
            for item in &s.items {
                n = n
                    .saturating_add(text(&item.title).saturating_mul(2))
                    .saturating_add(item.id.len().saturating_mul(2))
                    .saturating_add(match &item.rule {
                        Rule::Deduct(ls) => lines(ls),
                        _ => LINE.saturating_mul(3),
                    });
            }
        }
        for a in &self.adjustments {
            n = n
                .saturating_add(text(&a.title).saturating_mul(2))
                .saturating_add(lines(&a.lines));
        }
        for b in self.bonus.iter().flat_map(|b| &b.items) {
            n = n
                .saturating_add(text(&b.title).saturating_mul(2))
                .saturating_add(lines(&b.lines));
        }
        for v in &self.vetoes {
            n = n
                .saturating_add(text(&v.title).saturating_mul(3))
                .saturating_add(v.effect_text.len().saturating_mul(2));
        }
        // Pending entries name the inputs they wait for.
        n.saturating_add(
            self.inputs
                .iter()
                .map(|i| i.id.len().saturating_add(4))
                .sum::<usize>()
                .saturating_mul(2),
        )
    }

    /// Whether `n` submissions can be scored together under this rule set: within
    /// [`MAX_BATCH`](crate::limits::MAX_BATCH) (`limit.batch`) and the work budget
    /// (`limit.work`). The batch functions refuse the same way, every entry with this error.
    ///
    /// ```
    /// let rules = kpi_wasm::RuleSet::builtin("subdistrict").expect("built-in rule set");
    /// assert!(rules.check_batch(1_000).is_ok());
    /// let e = rules.check_batch(10_000_000).expect_err("over the limits");
    /// assert_eq!(e.problems()[0].code, kpi_wasm::Code::LimitBatch);
    /// ```
    pub fn check_batch(&self, n: usize) -> Result<(), Error> {
        if n > MAX_BATCH {
            return Err(Error::one(
                Code::LimitBatch,
                "",
                format!("一次最多评分{MAX_BATCH}份考核表，本次有{n}份，请分批评分"),
            ));
        }
        check_work(n, self.cost(), "评分")
    }

    /// Whether `n` submissions can be compared under this rule set and `new` (each scored under
    /// both): the batch limit and the work budget over both rule sets.
    pub fn check_diff(&self, new: &RuleSet, n: usize) -> Result<(), Error> {
        self.check_batch(n)?;
        check_work(n, self.cost().saturating_add(new.cost()), "新旧细则对比")
    }
}

/// `n` runs of what costs `cost` each, within [`MAX_WORK`]; else a `limit.work` error saying how
/// many fit.
pub(crate) fn check_work(n: usize, cost: usize, what: &str) -> Result<(), Error> {
    let cost = cost.max(1);
    if n.saturating_mul(cost) <= MAX_WORK {
        return Ok(());
    }
    Err(Error::one(
        Code::LimitWork,
        "",
        format!(
            "{what}的计算量过大：{n}份考核表，每份约{cost}个计算单位，合计超过上限{MAX_WORK}；按这套考核细则一次最多{}份，请分批处理或精简细则",
            MAX_WORK.checked_div(cost).unwrap_or(0)
        ),
    ))
}
