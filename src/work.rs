//! The work budget: how much a batch, a diff or a threshold probe may cost before it starts.
//!
//! Every rule set and submission is bounded (`limits`), but a call multiplies them: a batch
//! scores each submission, a diff scores each under two rule sets, a probe scores thousands of
//! synthetic ones. The cost of scoring one submission under a rule set is bounded by its size
//! ([`RuleSet::cost`]: its compiled operations plus its items, lines and other parts, each part
//! weighted by what it costs at most: a line that fires writes a trace text). Record lists make
//! it depend on the rows: a row expression runs, and an `each` line writes a trace line, once per
//! row, so the cost is a part whatever the rows plus a part per row of each list ([`PerRow`]);
//! `cost` takes every list at its `max_rows`, a batch the rows each submission gives. A call whose
//! submissions' costs exceed [`MAX_WORK`] is refused before anything is scored (`limit.work`),
//! so that every accepted call finishes within seconds; SECURITY.md gives the measured worst
//! cases. The WebAssembly binding also bounds the size of the reports it hands to JavaScript
//! ([`RuleSet::report_bytes`], by the same model).

use crate::code::Code;
use crate::error::Error;
use crate::expr::Expr;
use crate::json::{Map, Value};
use crate::limits::{MAX_BATCH, MAX_LIST, MAX_STREAM_WORK, MAX_WORK};
use crate::rules::{Line, LineWhen, Rule, RuleSet};
use crate::submission::{SelfAssessment, Submission};

/// Bytes of a report entry (item, adjustment …) besides its texts, and of a trace line.
const ENTRY: usize = 100;
const LINE: usize = 70;

/// What one trace line costs, in operations: formatting its reason, its amount and its JSON.
const LINE_WEIGHT: usize = 4;

/// What every item, adjustment, bonus item, veto and section costs besides its expressions and
/// lines: its report entry, rounding, and its place in the totals.
const ENTRY_WEIGHT: usize = 8;

/// What a submission costs whatever the rule set: reading it, the report's header, ranking.
const BASE_COST: usize = 200;

/// What one cell of a record list (or one of several assessors' scores) costs: converting and
/// checking it.
const CELL_WEIGHT: usize = 2;

/// The most bytes one `describe` value adds to a row's name in a trace text (it is cut to
/// `ROW_NAME_CHARS` characters, at most 4 bytes each, and a separator).
const ROW_NAME_BYTES: usize = crate::rows::ROW_NAME_CHARS * 4 + 4;

/// A cost or a size as a function of the rows of a submission's lists: a part whatever the rows,
/// and a part per row of each list (by its slot).
#[derive(Default)]
struct PerRow {
    fixed: usize,
    per_row: Vec<usize>,
}

impl PerRow {
    /// Adds `amount` once (`None`) or per row of the list in `slot`.
    fn add(&mut self, slot: Option<usize>, amount: usize) {
        let Some(k) = slot else {
            self.fixed = self.fixed.saturating_add(amount);
            return;
        };
        if self.per_row.len() <= k {
            self.per_row.resize(k.saturating_add(1), 0);
        }
        if let Some(x) = self.per_row.get_mut(k) {
            *x = x.saturating_add(amount);
        }
    }

    /// The total when the list in slot `k` has `rows(k)` rows.
    fn at(&self, rows: &dyn Fn(usize) -> usize) -> usize {
        self.per_row
            .iter()
            .enumerate()
            .fold(self.fixed, |n, (k, &c)| {
                n.saturating_add(c.saturating_mul(rows(k)))
            })
    }
}

impl RuleSet {
    /// The most rows the list in slot `slot` can have: a record list's `max_rows`, a `multiple`
    /// input's scores at most [`MAX_LIST`].
    fn slot_rows(&self, slot: usize) -> usize {
        let input = self.lists.get(slot).and_then(|&i| self.inputs.get(i));
        match input {
            Some(input) if input.multiple => MAX_LIST,
            Some(input) => input.records.as_ref().map_or(0, |r| r.max_rows),
            None => 0,
        }
    }

    /// The rows `values` give the list in slot `slot` (at most those it may have: a longer list is
    /// refused before it is scored).
    fn rows_in(&self, values: &Map, slot: usize) -> usize {
        let id = self
            .lists
            .get(slot)
            .and_then(|&i| self.inputs.get(i))
            .map(|i| &i.id);
        match id.and_then(|id| values.get(id)) {
            Some(Value::Array(rows)) => rows.len().min(self.slot_rows(slot)),
            _ => 0,
        }
    }

    /// Adds what evaluating `e` costs: its operations, its list functions' row expressions once
    /// per row of their lists; a row expression (`row`: its line's list) once per row.
    fn add_expr(m: &mut PerRow, e: &Expr, row: Option<usize>) {
        if row.is_some() {
            m.add(row, e.op_count());
            return;
        }
        m.add(None, e.main_op_count());
        for (slot, ops) in e.row_costs() {
            m.add(Some(slot), ops);
        }
    }

    /// Adds what some lines cost: their expressions, and a trace line each may write (once per
    /// row of its list for an `each` line).
    fn add_lines(&self, m: &mut PerRow, lines: &[Line]) {
        for l in lines {
            let slot = l.each.and_then(|i| self.list_slot(i));
            for e in l.exprs() {
                Self::add_expr(m, e, slot);
            }
            m.add(slot, LINE_WEIGHT);
        }
    }

    /// What scoring one submission costs, by the rows of its lists: every expression's
    /// operations, every line, band and entry weighted by what it costs when it fires, every cell
    /// of a list.
    fn cost_model(&self) -> PerRow {
        let mut m = PerRow::default();
        let mut entries = self.sections.len();
        for item in self.sections.iter().flat_map(|s| &s.items) {
            entries = entries.saturating_add(1);
            let traced = match &item.rule {
                Rule::Deduct(lines) => {
                    if let Some(e) = &item.applicable {
                        Self::add_expr(&mut m, e, None);
                    }
                    self.add_lines(&mut m, lines);
                    1
                }
                rule => {
                    for e in item.exprs() {
                        Self::add_expr(&mut m, e, None);
                    }
                    match rule {
                        Rule::Bands(b) => b.bands.len().saturating_add(1),
                        _ => 2,
                    }
                }
            };
            m.add(None, LINE_WEIGHT.saturating_mul(traced));
        }
        let pools = self.adjustments.iter().map(|a| &a.lines);
        for lines in pools.chain(self.bonus.iter().flat_map(|b| &b.items).map(|b| &b.lines)) {
            entries = entries.saturating_add(1);
            self.add_lines(&mut m, lines);
            m.add(None, LINE_WEIGHT);
        }
        for v in &self.vetoes {
            entries = entries.saturating_add(1);
            Self::add_expr(&mut m, &v.when, None);
            m.add(None, LINE_WEIGHT);
        }
        for (i, input) in self.inputs.iter().enumerate() {
            entries = entries.saturating_add(1);
            if let Some(e) = &input.applicable {
                Self::add_expr(&mut m, e, None);
            }
            // Each cell of a list is converted and checked: a record's fields, or one score.
            let width = input.records.as_ref().map_or(1, |r| r.fields.len());
            if let Some(slot) = self.list_slot(i) {
                m.add(Some(slot), width.saturating_mul(CELL_WEIGHT));
            }
        }
        m.add(
            None,
            BASE_COST.saturating_add(entries.saturating_mul(ENTRY_WEIGHT)),
        );
        m
    }

    /// What scoring one submission under this rule set costs at most, in work units (roughly
    /// compiled operations): every expression's operations, every line, band and entry weighted
    /// by what it costs when it fires, and every list at its most rows (a row expression, an
    /// `each` line and a record's cells once per row). The built-in rule sets cost a few
    /// thousand; the largest rule set the limits accept about half a million. A batch counts the
    /// rows each submission gives ([`RuleSet::check_batch_of`]).
    ///
    /// ```
    /// let rules = kpi_wasm::RuleSet::builtin("subdistrict").expect("built-in rule set");
    /// assert!(rules.cost() > 1_000 && rules.cost() < 10_000);
    /// ```
    pub fn cost(&self) -> usize {
        self.cost_model().at(&|k| self.slot_rows(k))
    }

    /// What scoring `subs` costs: each by the rows its lists give, and a self-assessment given
    /// as values again by its own rows (the unit's values are scored by the same rules).
    fn cost_of(&self, subs: &[&Submission]) -> usize {
        let m = self.cost_model();
        subs.iter()
            .map(|s| self.cost_by(&m, s))
            .fold(0, usize::saturating_add)
    }

    /// What scoring `sub` costs under the model `m`.
    fn cost_by(&self, m: &PerRow, sub: &Submission) -> usize {
        let own = match sub.self_assessment.as_deref() {
            Some(SelfAssessment::Values(v)) => m.at(&|k| self.rows_in(v, k)),
            _ => 0,
        };
        m.at(&|k| self.rows_in(&sub.values, k)).saturating_add(own)
    }

    /// Whether `n` submissions can be streamed ([`RuleSet::stream`]): within
    /// [`MAX_BATCH`](crate::limits::MAX_BATCH) and, as if no list had a row, within
    /// [`MAX_STREAM_WORK`](crate::limits::MAX_STREAM_WORK) (each scored twice). What can be
    /// refused before reading; the stream counts each submission's rows as it is added.
    ///
    /// ```
    /// let rules = kpi_wasm::RuleSet::builtin("subdistrict").expect("built-in rule set");
    /// assert!(rules.check_stream(100_000).is_ok());
    /// assert!(rules.check_batch(100_000).is_err()); // kept in memory: over the work budget
    /// ```
    ///
    /// # Errors
    ///
    /// `limit.batch` or `limit.work`.
    pub fn check_stream(&self, n: usize) -> Result<(), Error> {
        if n > MAX_BATCH {
            return Err(Error::one(
                Code::LimitBatch,
                "",
                format!("一次最多评分{MAX_BATCH}份考核表，本次有{n}份，请分批评分"),
            ));
        }
        let twice = self.cost_model().fixed.saturating_mul(2);
        check_work_within(n, twice, MAX_STREAM_WORK, "评分")
    }

    /// The work meter of a streamed batch under this rule set.
    pub(crate) fn stream_meter(&self) -> Meter {
        Meter {
            model: self.cost_model(),
            total: 0,
            n: 0,
        }
    }
}

impl RuleSet {
    /// Adds the bytes some lines' trace lines take at most, as if every line fired (an `each`
    /// line on every row, each row named by its `describe` values, each cut short).
    fn add_line_bytes(&self, m: &mut PerRow, lines: &[Line]) {
        m.add(None, LINE.saturating_mul(2));
        for l in lines {
            let slot = l.each.and_then(|i| self.list_slot(i));
            let tier = match &l.when {
                LineWhen::Tiers(tiers) => tiers.iter().map(|t| t.reason.len()).max().unwrap_or(0),
                _ => 0,
            };
            let name = l
                .each
                .and_then(|i| self.inputs.get(i))
                .and_then(|i| i.records.as_ref())
                .map_or(0, |r| {
                    r.describe
                        .len()
                        .saturating_mul(ROW_NAME_BYTES)
                        .saturating_add(40)
                });
            let bytes = [
                l.reason.len(),
                tier,
                name,
                l.group.as_ref().map_or(0, |g| g.title.len()),
                LINE,
            ];
            m.add(slot, bytes.into_iter().fold(0, usize::saturating_add));
        }
    }

    /// An upper bound of the length of one report's JSON by the rows of its lists, apart from
    /// what the submission itself brings (its unit, notes and meta).
    fn bytes_model(&self) -> PerRow {
        let mut m = PerRow::default();
        let text = |s: &str| s.len().saturating_add(ENTRY);
        m.add(None, self.title.len().saturating_add(1_000));
        for s in &self.sections {
            m.add(None, text(&s.title));
            for item in &s.items {
                m.add(
                    None,
                    text(&item.title)
                        .saturating_mul(2)
                        .saturating_add(item.id.len().saturating_mul(2)),
                );
                match &item.rule {
                    Rule::Deduct(lines) => self.add_line_bytes(&mut m, lines),
                    _ => m.add(None, LINE.saturating_mul(3)),
                }
            }
        }
        for a in &self.adjustments {
            m.add(None, text(&a.title).saturating_mul(2));
            self.add_line_bytes(&mut m, &a.lines);
        }
        for b in self.bonus.iter().flat_map(|b| &b.items) {
            m.add(None, text(&b.title).saturating_mul(2));
            self.add_line_bytes(&mut m, &b.lines);
        }
        for v in &self.vetoes {
            m.add(
                None,
                text(&v.title)
                    .saturating_mul(3)
                    .saturating_add(v.effect_text.len().saturating_mul(2)),
            );
        }
        // Pending entries name the inputs they wait for (a record list's cells, 第N条「字段」),
        // and a judged item's trace lists its assessors' scores.
        for (i, input) in self.inputs.iter().enumerate() {
            let id = input.id.len().saturating_add(4);
            m.add(None, id.saturating_mul(2));
            if let Some(slot) = self.list_slot(i) {
                let cells = input.records.as_ref().map_or(id.saturating_add(16), |r| {
                    let labels = r.fields.iter().map(|f| f.label.len().saturating_add(20));
                    labels.fold(0, usize::saturating_add)
                });
                m.add(Some(slot), cells.saturating_mul(2));
            }
        }
        m
    }

    /// An upper bound of the length of one report's JSON, apart from what the submission itself
    /// brings (its unit, notes and meta, at most its own length): every item, line and veto
    /// with its texts, as if every line fired (an `each` line on every row its list can have).
    pub fn report_bytes(&self) -> usize {
        self.bytes_model().at(&|k| self.slot_rows(k))
    }

    /// [`RuleSet::report_bytes`] of `subs` together, each by the rows its lists give.
    pub fn report_bytes_of(&self, subs: &[&Submission]) -> usize {
        let m = self.bytes_model();
        subs.iter()
            .map(|s| m.at(&|k| self.rows_in(&s.values, k)))
            .fold(0, usize::saturating_add)
    }

    /// Whether `n` submissions can be scored together under this rule set: within
    /// [`MAX_BATCH`](crate::limits::MAX_BATCH) (`limit.batch`) and the work budget
    /// (`limit.work`), each at [`RuleSet::cost`]. The batch functions refuse the same way, every
    /// entry with this error; with record lists they count the rows each submission gives
    /// ([`RuleSet::check_batch_of`]), so that more submissions may fit than this admits.
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

    /// Whether these submissions can be scored together under this rule set: within
    /// [`MAX_BATCH`](crate::limits::MAX_BATCH) and the work budget, each by the rows its lists
    /// give (and a self-assessment given as values once more). What the batch functions check
    /// before they score anything; for a rule set without record lists the same as
    /// [`RuleSet::check_batch`].
    ///
    /// # Errors
    ///
    /// `limit.batch` or `limit.work`.
    pub fn check_batch_of(&self, subs: &[&Submission]) -> Result<(), Error> {
        self.check_batch_least(subs.len())?;
        check_total(subs.len(), self.cost_of(subs), "评分")
    }

    /// Whether these submissions can be compared under this rule set and `new` (each scored
    /// under both), each by the rows its lists give.
    ///
    /// # Errors
    ///
    /// `limit.batch` or `limit.work`.
    pub fn check_diff_of(&self, new: &RuleSet, subs: &[&Submission]) -> Result<(), Error> {
        self.check_batch_least(subs.len())?;
        let total = self.cost_of(subs).saturating_add(new.cost_of(subs));
        check_total(subs.len(), total, "新旧细则对比")
    }

    /// The batch limit, and the work budget as if no list had a row: what can be refused before
    /// the submissions are read.
    pub(crate) fn check_batch_least(&self, n: usize) -> Result<(), Error> {
        if n > MAX_BATCH {
            return Err(Error::one(
                Code::LimitBatch,
                "",
                format!("一次最多评分{MAX_BATCH}份考核表，本次有{n}份，请分批评分"),
            ));
        }
        check_work(n, self.cost_model().fixed, "评分")
    }
}

/// `n` runs of what costs `cost` each, within [`MAX_WORK`]; else a `limit.work` error saying how
/// many fit.
pub(crate) fn check_work(n: usize, cost: usize, what: &str) -> Result<(), Error> {
    check_work_within(n, cost, MAX_WORK, what)
}

/// `n` runs of what costs `cost` each, within `budget`.
fn check_work_within(n: usize, cost: usize, budget: usize, what: &str) -> Result<(), Error> {
    let cost = cost.max(1);
    if n.saturating_mul(cost) <= budget {
        return Ok(());
    }
    Err(Error::one(
        Code::LimitWork,
        "",
        format!(
            "{what}的计算量过大：{n}份考核表，每份约{cost}个计算单位，合计超过上限{budget}；按这套考核细则一次最多{}份，请分批处理或精简细则",
            budget.checked_div(cost).unwrap_or(0)
        ),
    ))
}

/// `n` submissions whose runs cost `total` together, within [`MAX_WORK`]; else a `limit.work`
/// error saying how many of the same size fit.
fn check_total(n: usize, total: usize, what: &str) -> Result<(), Error> {
    if total <= MAX_WORK {
        return Ok(());
    }
    check_work(n, total.div_ceil(n.max(1)), what)
}

/// What a streamed batch has cost so far, against [`MAX_STREAM_WORK`].
pub(crate) struct Meter {
    model: PerRow,
    total: usize,
    n: usize,
}

impl Meter {
    /// Counts `sub` (scored twice), or refuses it when the stream would exceed the budget.
    pub(crate) fn add(&mut self, rules: &RuleSet, sub: &Submission) -> Result<(), Error> {
        let cost = rules.cost_by(&self.model, sub).saturating_mul(2);
        let (total, n) = (self.total.saturating_add(cost), self.n.saturating_add(1));
        if total > MAX_STREAM_WORK {
            return Err(
                check_work_within(n, total.div_ceil(n), MAX_STREAM_WORK, "评分")
                    .err()
                    .unwrap_or_else(|| Error::one(Code::LimitWork, "", "评分的计算量过大")),
            );
        }
        (self.total, self.n) = (total, n);
        Ok(())
    }
}
