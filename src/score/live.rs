//! A live form (填报中的考核表): a submission being filled in, one value at a time. Setting a value
//! converts and checks that value only (and the values it bounds), scores again only the items
//! that read it, then only the sections, adjustments, bonus items and vetoes it reaches (the rule
//! set's compiled expressions name their inputs, so who reads what is known from the loaded
//! rules; adjustments, bonus items and vetoes read inputs only, never results), and sums the
//! parts again. Its report is always the one [`RuleSet::score`] gives for the same submission,
//! byte for byte, and each change says what it changed in that report, so that a client holding
//! the previous report can patch it (a property test edits forms at random to check both).
//!
//! Rule sets with record lists or with conditional inputs (an input's `applicable`), and forms
//! with a self-assessment, are scored whole on each change: their values depend on each other in
//! ways an item's expressions do not show. The change is then the difference of two reports.

use super::phases::{Entries, ScoredItems};
use super::scorer::Scorer;
use super::tail::{Dirty, Replaced, Tail, Which};
use crate::cell::{blank, convert, empty_value};
use crate::code::Code;
use crate::decimal::Amount;
use crate::error::{Error, Problem, pointer};
use crate::expr::Env;
use crate::json::Value;
use crate::report::*;
use crate::rules::{Bound, InputType, Rule, RuleSet};
use crate::submission::Submission;
use crate::values::Prepared;

/// A submission being filled in ([`RuleSet::live`]): set one value at a time, see what changed.
///
/// ```
/// use kpi_wasm::{RuleSet, Submission};
/// let rules = RuleSet::builtin("subdistrict").expect("built-in rule set");
/// let sub = Submission::from_json(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/subdistrict-dq.json"))).expect("reads");
/// let mut form = rules.live(&sub).expect("scores");
/// let change = form.set("unfinished_tasks", "2").expect("a count");
/// assert_eq!(change.items.len(), 1); // the one item reading it
/// assert!(form.set("unfinished_tasks", "-1").is_err()); // refused: nothing changes
/// // The full report is the one scoring the same submission gives.
/// assert_eq!(form.report().expect("scores").to_json(),
///            rules.score(form.submission()).expect("scores").to_json());
/// ```
pub struct LiveForm<'r> {
    rules: &'r RuleSet,
    sub: Submission,
    state: State<'r>,
}

/// What a live form keeps between changes.
enum State<'r> {
    /// Values converted, every item scored and the phases after them kept part by part: a change
    /// evaluates again what reads it.
    Items {
        prepared: Prepared,
        items: ScoredItems<'r>,
        tail: Tail<'r>,
        /// Per input, what reads it.
        reach: Vec<Reach>,
    },
    /// Scored whole on every change: the last report, to say what changed.
    Whole(Report<'r>),
}

/// What reads one input, by position in the rule set, each list in report order.
#[derive(Clone, Default)]
struct Reach {
    /// Items (section, item): their expressions, and a judged item's score.
    items: Vec<(usize, usize)>,
    /// Adjustments whose lines read it.
    adjustments: Vec<usize>,
    /// Bonus items whose lines read it.
    bonus: Vec<usize>,
    /// Vetoes whose condition reads it.
    vetoes: Vec<usize>,
    /// The inputs whose range check reads it: itself, and those it bounds (in input order).
    ranges: Vec<usize>,
}

/// What one change did ([`LiveForm::set`]): the report's figures now, and the parts of the report
/// that changed, so that the previous report patched with it is the new one (apart from its
/// `fingerprint`). Lists of changed parts are in report order; the parts named by `Option` are
/// `None` (absent in JSON) when unchanged and whole when changed.
#[derive(Clone, Debug)]
pub struct LiveChange<'r> {
    /// The total score.
    pub total: Amount,
    /// The grade after vetoes (`None`: no grades, or withheld by a veto).
    pub grade: Option<&'r str>,
    /// Final, or provisional while something is pending.
    pub status: Status,
    /// The items whose result changed, in the report's order.
    pub items: Vec<ItemReport<'r>>,
    /// The sections' sum (after rescaling).
    pub subtotal: Amount,
    /// `不评等次` when a veto withholds the grade (`None`: the report has no `grade_text`).
    pub grade_text: Option<&'static str>,
    /// The grade the total alone gives.
    pub grade_by_score: Option<&'r str>,
    /// The sections whose own score, status or lines changed (not their items).
    pub sections: Vec<SectionChange<'r>>,
    /// The adjustments whose result changed.
    pub adjustments: Vec<AdjustmentReport<'r>>,
    /// The vetoes whose result changed.
    pub vetoes: Vec<VetoReport<'r>>,
    /// The whole bonus when any of it changed.
    pub bonus: Option<BonusReport<'r>>,
    /// The report-level trace lines, when they changed.
    pub lines: Option<Vec<TraceLine>>,
    /// The report's pending entries, when they changed.
    pub pending: Option<Vec<PendingEntry<'r>>>,
    /// The report's warnings, when they changed.
    pub warnings: Option<Vec<Problem>>,
    /// The self-assessment summary (the report's `self`), when it changed.
    pub self_assessment: Option<SelfSummary<'r>>,
    /// The record lists' row counts (the report's `lists`), when they changed.
    pub lists: Option<Vec<ListCount<'r>>>,
}

/// A section's own part of a report as a change gives it (its items come apart, in
/// [`LiveChange::items`]).
#[derive(Clone, Debug, PartialEq)]
pub struct SectionChange<'r> {
    /// Section id.
    pub id: &'r str,
    /// The section's score (`None`: every item not applicable under rescaling).
    pub score: Option<Amount>,
    /// `not_applicable` when every item of it is (`None`: the report has no `status`).
    pub status: Option<ItemStatus>,
    /// Section-level trace lines (conversion).
    pub lines: Vec<TraceLine>,
}

crate::json::json_object!(LiveChange<'_> { total, grade, status, items, subtotal, grade_text, grade_by_score, sections, adjustments, vetoes, bonus?, lines?, pending?, warnings?, self_assessment?, lists? });

crate::json::json_object!(SectionChange<'_> { id, score, status, lines });

impl RuleSet {
    /// A live form starting from `sub`: the same problems as [`RuleSet::score`] refuse it.
    ///
    /// # Errors
    ///
    /// Whatever scoring `sub` gives.
    pub fn live(&self, sub: &Submission) -> Result<LiveForm<'_>, Error> {
        let whole = !self.lists.is_empty()
            || self.inputs.iter().any(|i| i.applicable.is_some())
            || sub.self_assessment.is_some();
        let state = if whole {
            State::Whole(self.score(sub)?)
        } else {
            let (prepared, problems) = self.prepare(sub);
            if !problems.is_empty() {
                return Err(Error::new(problems));
            }
            let mut s = self.scorer(sub, &prepared);
            let items = s.score_items()?;
            let tail = s.tail(&items)?;
            State::Items {
                prepared,
                items,
                tail,
                reach: self.reach(),
            }
        };
        Ok(LiveForm {
            rules: self,
            sub: sub.clone(),
            state,
        })
    }

    /// A scorer outside any batch (the report's fingerprint from `p.canonical`).
    fn scorer<'r, 's>(&'r self, sub: &'s Submission, p: &'s Prepared) -> Scorer<'r, 's> {
        self.scorer_with(sub, p, &p.canonical)
    }

    /// A scorer outside any batch whose fingerprint reads `canonical`.
    fn scorer_with<'r, 's>(
        &'r self,
        sub: &'s Submission,
        p: &'s Prepared,
        canonical: &'s str,
    ) -> Scorer<'r, 's> {
        let env = Env {
            values: &p.values,
            batch: None,
            lists: &p.lists,
            row: None,
        };
        Scorer::new(self, sub, Some(canonical), env, None)
    }

    /// Per input, what reads it: from the compiled expressions (and lines' record lists) of the
    /// items, adjustments, bonus items and vetoes, a judged item's score, and the range bounds.
    fn reach(&self) -> Vec<Reach> {
        let mut reach = vec![Reach::default(); self.inputs.len()];
        fn add<T: PartialEq>(
            reach: &mut [Reach],
            i: usize,
            f: fn(&mut Reach) -> &mut Vec<T>,
            x: T,
        ) {
            if let Some(r) = reach.get_mut(i) {
                let list = f(r);
                if !list.contains(&x) {
                    list.push(x);
                }
            }
        }
        let read = |lines: &[crate::rules::Line]| -> Vec<usize> {
            let exprs = crate::rules::line_exprs(lines);
            let inputs = exprs.iter().flat_map(|e| e.inputs().iter().copied());
            inputs.chain(lines.iter().filter_map(|l| l.each)).collect()
        };
        for (si, section) in self.sections.iter().enumerate() {
            for (ii, item) in section.items.iter().enumerate() {
                let judged = match &item.rule {
                    Rule::Judged(input, _) => Some(*input),
                    _ => None,
                };
                let exprs = item.exprs();
                let inputs = exprs.iter().flat_map(|e| e.inputs().iter().copied());
                for i in inputs.chain(judged) {
                    add(&mut reach, i, |r| &mut r.items, (si, ii));
                }
            }
        }
        for (ai, adj) in self.adjustments.iter().enumerate() {
            for i in read(&adj.lines) {
                add(&mut reach, i, |r| &mut r.adjustments, ai);
            }
        }
        for (k, item) in self.bonus.iter().flat_map(|b| &b.items).enumerate() {
            for i in read(&item.lines) {
                add(&mut reach, i, |r| &mut r.bonus, k);
            }
        }
        for (vi, veto) in self.vetoes.iter().enumerate() {
            for &i in veto.when.inputs() {
                add(&mut reach, i, |r| &mut r.vetoes, vi);
            }
        }
        // In input order: an input's own check, and those of the inputs it bounds.
        for (j, input) in self.inputs.iter().enumerate() {
            add(&mut reach, j, |r| &mut r.ranges, j);
            for b in [&input.min, &input.max].into_iter().flatten() {
                if let Bound::Input(i) = b {
                    add(&mut reach, *i, |r| &mut r.ranges, j);
                }
            }
        }
        reach
    }
}

impl<'r> LiveForm<'r> {
    /// Sets input `input_id` to `value`, the value's JSON text as a submission would give it
    /// (`3`, `"97.5"`, `true`, `"是"`, `null` to empty it), and says what changed. A value the
    /// rule set refuses, or one that would make the form unscorable, changes nothing.
    ///
    /// # Errors
    ///
    /// The problems scoring the form with this value would give (`value.*`, `score.*`).
    pub fn set(&mut self, input_id: &str, value: &str) -> Result<LiveChange<'r>, Error> {
        let rules = self.rules;
        let value = crate::reader::parse_json(value)?;
        let Some(i) = rules.input_index(input_id) else {
            return Err(Error::one(
                Code::ValueUnknown,
                pointer("/values", input_id),
                format!(
                    "考核细则「{}」没有 id 为「{input_id}」的输入项",
                    rules.title
                ),
            ));
        };
        // The key is allocated only the first time an input is given.
        let old = match self.sub.values.get_mut(input_id) {
            Some(slot) => Some(std::mem::replace(slot, value)),
            None => self.sub.values.insert(input_id.to_string(), value),
        };
        let result = match &mut self.state {
            State::Whole(before) => set_whole(rules, &self.sub, before),
            State::Items {
                prepared,
                items,
                tail,
                reach,
            } => match reach.get(i) {
                Some(reach) => set_item(rules, &self.sub, i, prepared, items, tail, reach),
                None => Err(internal()),
            },
        };
        if result.is_err() {
            // Nothing changes: the value goes back as it was.
            match old {
                Some(v) => self.sub.values.insert(input_id.to_string(), v),
                None => self.sub.values.remove(input_id),
            };
        }
        result
    }

    /// The full report of the form as it is now: what [`RuleSet::score`] gives for
    /// [`LiveForm::submission`].
    ///
    /// # Errors
    ///
    /// None in practice: every change that would make the form unscorable was refused.
    pub fn report(&self) -> Result<Report<'r>, Error> {
        match &self.state {
            State::Whole(report) => Ok(report.clone()),
            State::Items {
                prepared,
                items,
                tail,
                ..
            } => {
                // `set` keeps the values, not their canonical text: the fingerprint's is made here,
                // from the form as it is now.
                let canonical = self.rules.prepare(&self.sub).0.canonical;
                let mut s = self.rules.scorer_with(&self.sub, prepared, &canonical);
                Ok(s.assemble(items.clone(), tail.clone()))
            }
        }
    }

    /// The submission as filled in so far.
    pub fn submission(&self) -> &Submission {
        &self.sub
    }
}

impl<'r> LiveChange<'r> {
    /// A change with the report's figures and nothing else changed yet.
    fn figures(report_figures: (Amount, Option<&'r str>, Status, Amount)) -> Self {
        let (total, grade, status, subtotal) = report_figures;
        LiveChange {
            total,
            grade,
            status,
            items: Vec::new(),
            subtotal,
            grade_text: None,
            grade_by_score: None,
            sections: Vec::new(),
            adjustments: Vec::new(),
            vetoes: Vec::new(),
            bonus: None,
            lines: None,
            pending: None,
            warnings: None,
            self_assessment: None,
            lists: None,
        }
    }
}

/// A change scored as a whole: the new report compared with the one before, part by part (the
/// same rule set gives both the same parts in the same places).
fn set_whole<'r>(
    rules: &'r RuleSet,
    sub: &Submission,
    before: &mut Report<'r>,
) -> Result<LiveChange<'r>, Error> {
    let new = rules.score(sub)?;
    let old = &*before;
    let mut c = LiveChange::figures((new.total, new.grade, new.status, new.subtotal));
    c.grade_text = new.grade_text;
    c.grade_by_score = new.grade_by_score;
    for (s, o) in new.sections.iter().zip(&old.sections) {
        if s.score != o.score || s.status != o.status || s.lines != o.lines {
            c.sections.push(SectionChange {
                id: s.id,
                score: s.score,
                status: s.status,
                lines: s.lines.clone(),
            });
        }
        let items = s.items.iter().zip(&o.items).filter(|(n, o)| n != o);
        c.items.extend(items.map(|(n, _)| n.clone()));
    }
    fn changed<T: PartialEq + Clone>(n: &[T], o: &[T]) -> Vec<T> {
        let pairs = n.iter().zip(o).filter(|(n, o)| n != o);
        pairs.map(|(n, _)| n.clone()).collect()
    }
    c.adjustments = changed(&new.adjustments, &old.adjustments);
    c.vetoes = changed(&new.vetoes, &old.vetoes);
    fn whole<T: PartialEq + Clone>(n: &T, o: &T) -> Option<T> {
        (n != o).then(|| n.clone())
    }
    c.bonus = whole(&new.bonus, &old.bonus).flatten();
    c.lines = whole(&new.lines, &old.lines);
    c.pending = whole(&new.pending, &old.pending);
    c.warnings = whole(&new.warnings, &old.warnings);
    c.self_assessment = whole(&new.self_assessment, &old.self_assessment).flatten();
    c.lists = whole(&new.lists, &old.lists);
    *before = new;
    Ok(c)
}

/// Input `i`'s value as the submission now gives it, converted and checked alone.
fn convert_value(
    input: &crate::rules::Input,
    sub: &Submission,
) -> Result<(Option<crate::expr::Value>, bool), Error> {
    let raw = sub.values.get(&input.id).unwrap_or(&Value::Null);
    let given = !(raw.is_null()
        || (matches!(input.kind, InputType::Text | InputType::Date)
            && raw.as_str().is_some_and(blank)));
    let value = if given {
        convert(input, raw).map_err(|(code, message)| {
            Error::new(vec![Problem::new(
                code,
                pointer("/values", &input.id),
                message,
            )])
        })?
    } else if input.required {
        None
    } else {
        empty_value(input)
    };
    Ok((value, given))
}

/// What a change replaced in the values, to put back when it is refused.
struct ValueUndo {
    /// The input.
    i: usize,
    /// Its converted value before.
    value: Option<crate::expr::Value>,
    /// Where `i` was in the missing list, if it was.
    missing_at: Option<usize>,
}

impl ValueUndo {
    /// Puts the value and its place among the missing back.
    fn apply(self, prepared: &mut Prepared) {
        if let Some(slot) = prepared.values.get_mut(self.i) {
            *slot = self.value;
        }
        prepared.missing.retain(|&m| m != self.i);
        if let Some(at) = self.missing_at {
            prepared
                .missing
                .insert(at.min(prepared.missing.len()), self.i);
        }
    }
}

/// A change of input `i`: its value converted and checked (with the values it bounds), the items
/// reading it scored again, then the parts after the items it reaches. On an error nothing is
/// kept.
fn set_item<'r>(
    rules: &'r RuleSet,
    sub: &Submission,
    i: usize,
    prepared: &mut Prepared,
    items: &mut ScoredItems<'r>,
    tail: &mut Tail<'r>,
    reach: &Reach,
) -> Result<LiveChange<'r>, Error> {
    let input = rules.inputs.get(i).ok_or_else(internal)?;
    let (value, given) = convert_value(input, sub)?;
    let slot = prepared.values.get_mut(i).ok_or_else(internal)?;
    let undo = ValueUndo {
        i,
        value: std::mem::replace(slot, value),
        missing_at: prepared.missing.iter().position(|&m| m == i),
    };
    prepared.missing.retain(|&m| m != i);
    if !given && input.required {
        // In input order, as `complete` lists them.
        let at = prepared.missing.partition_point(|&m| m < i);
        prepared.missing.insert(at, i);
    }
    // A bound naming this input may now be crossed (hazards_fixed ≤ hazards_found).
    let mut problems = Vec::new();
    rules.check_ranges_of(&reach.ranges, prepared, "/values", &mut problems);
    if !problems.is_empty() {
        undo.apply(prepared);
        return Err(Error::new(problems));
    }
    let mut scorer = rules.scorer(sub, prepared);
    let before = match rescore(&mut scorer, items, &reach.items) {
        Ok(before) => before,
        Err(e) => {
            undo.apply(prepared);
            return Err(e);
        }
    };
    // The sections holding an item whose result changed (in order: `reach` lists items so).
    let mut sections: Vec<usize> = Vec::new();
    for &((si, ii), (ref report, _)) in &before {
        let now = items.reports.get(si).and_then(|s| s.get(ii));
        if now != Some(report) && sections.last() != Some(&si) {
            sections.push(si);
        }
    }
    let dirty = Dirty {
        sections: Which::Only(&sections),
        adjustments: Which::Only(&reach.adjustments),
        bonus: Which::Only(&reach.bonus),
        vetoes: Which::Only(&reach.vetoes),
    };
    let mut old = Replaced::default();
    let mut scorer = rules.scorer(sub, prepared);
    if let Err(e) = scorer.refresh(tail, items, dirty, &mut old) {
        tail.restore(old);
        for ((si, ii), (report, added)) in before {
            if let Some(place) = items.reports.get_mut(si).and_then(|s| s.get_mut(ii)) {
                *place = report;
            }
            if let Some(place) = items.entries.get_mut(si).and_then(|s| s.get_mut(ii)) {
                *place = added;
            }
        }
        undo.apply(prepared);
        return Err(e);
    }
    Ok(change_of(rules, &scorer, items, tail, &before, old))
}

/// An item's place, its result and what it added to the report, as before a change.
type Before<'r> = Vec<((usize, usize), (ItemReport<'r>, Entries<'r>))>;

/// The items `reading` scored again into `items`; what they were before, in the same order.
fn rescore<'r>(
    scorer: &mut Scorer<'r, '_>,
    items: &mut ScoredItems<'r>,
    reading: &[(usize, usize)],
) -> Result<Before<'r>, Error> {
    let mut rescored = Vec::with_capacity(reading.len());
    for &(si, ii) in reading {
        rescored.push(((si, ii), scorer.score_item(si, ii)?));
    }
    let mut before = Vec::with_capacity(rescored.len());
    for ((si, ii), (report, added)) in rescored {
        let place = items.reports.get_mut(si).and_then(|s| s.get_mut(ii));
        let entries = items.entries.get_mut(si).and_then(|s| s.get_mut(ii));
        let (Some(place), Some(entries)) = (place, entries) else {
            continue;
        };
        let old = (
            std::mem::replace(place, report),
            std::mem::replace(entries, added),
        );
        before.push(((si, ii), old));
    }
    Ok(before)
}

/// What a change did: the figures now, and the parts that differ from what they replaced.
fn change_of<'r>(
    rules: &'r RuleSet,
    scorer: &Scorer<'r, '_>,
    items: &ScoredItems<'r>,
    tail: &Tail<'r>,
    before: &Before<'r>,
    old: Replaced<'r>,
) -> LiveChange<'r> {
    let entries = |si: usize, ii: usize| items.entries.get(si).and_then(|s| s.get(ii));
    let items_pending = items
        .entries
        .iter()
        .flatten()
        .any(|e| !e.pending.is_empty());
    let status = if items_pending || tail.has_pending() {
        Status::Provisional
    } else {
        Status::Final
    };
    let totals = &tail.totals;
    let mut c = LiveChange::figures((
        scorer.amount(tail.total()),
        scorer.grade_of(tail),
        status,
        scorer.amount(totals.subtotal),
    ));
    c.grade_text = totals.graded.ungraded.then_some("不评等次");
    c.grade_by_score = scorer.grade_by_score_of(tail);
    let mut pending = false;
    let mut warnings = false;
    for ((si, ii), (report, added)) in before {
        let Some(now) = items.reports.get(*si).and_then(|s| s.get(*ii)) else {
            continue;
        };
        if now != report {
            c.items.push(now.clone());
        }
        if let Some(e) = entries(*si, *ii) {
            pending |= e.pending != added.pending;
            warnings |= e.warnings != added.warnings;
        }
    }
    for (si, part) in &old.sections {
        let (Some(now), Some(section)) = (tail.sections.get(*si), rules.sections.get(*si)) else {
            continue;
        };
        if !now.shows_as(part) {
            c.sections.push(SectionChange {
                id: &section.id,
                score: now.score,
                status: now.status,
                lines: now.lines.clone(),
            });
        }
    }
    pending |= old.notes.as_ref().is_some_and(|n| *n != tail.notes);
    for (k, part) in &old.adjustments {
        if let Some(now) = tail.adjustments.get(*k) {
            if now.report != part.report {
                c.adjustments.push(now.report.clone());
            }
            pending |= now.pending != part.pending;
        }
    }
    let mut bonus = old.totals.as_ref().is_some_and(|t| t.bonus != totals.bonus);
    for (k, part) in &old.bonus {
        if let Some(now) = tail.bonus.get(*k) {
            bonus |= now.report != part.report;
            pending |= now.pending != part.pending;
        }
    }
    for (k, part) in &old.vetoes {
        if let Some(now) = tail.vetoes.get(*k) {
            if now.report != part.report {
                c.vetoes.push(now.report.clone());
            }
            pending |= now.pending != part.pending;
        }
    }
    if old.totals.as_ref().is_some_and(|t| t.lines != totals.lines) {
        c.lines = Some(totals.lines.clone());
    }
    if bonus {
        let items = tail.bonus.iter().map(|p| p.report.clone()).collect();
        c.bonus = scorer.bonus_report(totals.bonus.clone(), items);
    }
    if pending {
        let all = items.entries.iter().flatten().flat_map(|e| &e.pending);
        c.pending = Some(all.chain(tail.pending()).cloned().collect());
    }
    if warnings {
        let all = items.entries.iter().flatten().flat_map(|e| &e.warnings);
        c.warnings = Some(all.chain(&tail.warnings).cloned().collect());
    }
    c
}

/// A state the loaded rules cannot produce (an index out of range), as an error, never a panic.
fn internal() -> Error {
    Error::one(Code::BatchInternal, "", "无法评分")
}
