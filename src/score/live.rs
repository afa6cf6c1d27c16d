//! A live form (填报中的考核表): a submission being filled in, one value at a time. Setting a value
//! converts and checks that value only, scores again only the items that read it (the rule set's
//! compiled expressions name their inputs, so who reads what is known from the loaded rules), and
//! then the phases after the items (sections, adjustments, bonus, vetoes, grade), which read few
//! values. Its report is always the one [`RuleSet::score`] gives for the same submission, byte for
//! byte (a property test edits forms at random to check it).
//!
//! Rule sets with record lists or with conditional inputs (an input's `applicable`), and forms
//! with a self-assessment, are scored whole on each change: their values depend on each other in
//! ways an item's expressions do not show.

use super::phases::{ScoredItems, Tail};
use super::scorer::Scorer;
use crate::cell::{blank, convert, empty_value};
use crate::code::Code;
use crate::error::{Error, Problem, pointer};
use crate::expr::Env;
use crate::json::Value;
use crate::report::{ItemReport, Report, Status};
use crate::rules::{InputType, Rule, RuleSet};
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
    /// Values converted and every item scored: a change scores again the items reading it.
    Items {
        prepared: Prepared,
        items: ScoredItems<'r>,
        /// Per input, the items (section, item) that read it.
        readers: Vec<Vec<(usize, usize)>>,
    },
    /// Scored whole on every change: the items' results, to say which changed.
    Whole(Vec<ItemReport<'r>>),
}

/// What one change did ([`LiveForm::set`]): the total, grade and status now, and the items whose
/// result changed.
#[derive(Clone, Debug)]
pub struct LiveChange<'r> {
    /// The total score.
    pub total: crate::decimal::Amount,
    /// The grade after vetoes (`None`: no grades, or withheld by a veto).
    pub grade: Option<&'r str>,
    /// Final, or provisional while something is pending.
    pub status: Status,
    /// The items whose result changed, in the report's order.
    pub items: Vec<ItemReport<'r>>,
}

crate::json::json_object!(LiveChange<'_> { total, grade, status, items });

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
            State::Whole(items_of(self.score(sub)?))
        } else {
            let (prepared, problems) = self.prepare(sub);
            if !problems.is_empty() {
                return Err(Error::new(problems));
            }
            let items = self.scorer(sub, &prepared).score_items()?;
            // Scored as a whole once, so that a form the later phases refuse is refused here.
            let mut s = self.scorer(sub, &prepared);
            s.tail(&items, false)?;
            State::Items {
                prepared,
                items,
                readers: self.readers(),
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
        Scorer::new(self, sub, canonical, env, None)
    }

    /// Per input, the items that read it: their expressions' inputs, and a judged item's score.
    fn readers(&self) -> Vec<Vec<(usize, usize)>> {
        let mut readers = vec![Vec::new(); self.inputs.len()];
        for (si, section) in self.sections.iter().enumerate() {
            for (ii, item) in section.items.iter().enumerate() {
                let judged = match &item.rule {
                    Rule::Judged(input, _) => Some(*input),
                    _ => None,
                };
                let read = item
                    .exprs()
                    .into_iter()
                    .flat_map(|e| e.inputs().iter().copied());
                for i in read.chain(judged) {
                    if let Some(r) = readers.get_mut(i) {
                        if !r.contains(&(si, ii)) {
                            r.push((si, ii));
                        }
                    }
                }
            }
        }
        readers
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
        let old = self.sub.values.insert(input_id.to_string(), value);
        let result = match &mut self.state {
            State::Whole(before) => set_whole(rules, &self.sub, before),
            State::Items {
                prepared,
                items,
                readers,
            } => {
                let reading = readers.get(i).map_or(&[][..], Vec::as_slice);
                set_item(rules, &self.sub, i, prepared, items, reading)
            }
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
            State::Whole(_) => self.rules.score(&self.sub),
            State::Items {
                prepared, items, ..
            } => {
                // `set` keeps the values, not their canonical text: the fingerprint's is made here,
                // from the form as it is now.
                let canonical = self.rules.prepare(&self.sub).0.canonical;
                let mut s = self.rules.scorer_with(&self.sub, prepared, &canonical);
                let tail = s.tail(items, true)?;
                Ok(s.assemble(items.clone(), tail))
            }
        }
    }

    /// The submission as filled in so far.
    pub fn submission(&self) -> &Submission {
        &self.sub
    }
}

/// A change scored as a whole: every item's result compared with the one before.
fn set_whole<'r>(
    rules: &'r RuleSet,
    sub: &Submission,
    before: &mut Vec<ItemReport<'r>>,
) -> Result<LiveChange<'r>, Error> {
    let new = rules.score(sub)?;
    let (total, grade, status) = (new.total, new.grade, new.status);
    let now = items_of(new);
    let items = now
        .iter()
        .enumerate()
        .filter(|(k, item)| before.get(*k) != Some(*item))
        .map(|(_, item)| item.clone())
        .collect();
    *before = now;
    Ok(LiveChange {
        total,
        grade,
        status,
        items,
    })
}

/// A report's items, in order.
fn items_of(report: Report<'_>) -> Vec<ItemReport<'_>> {
    report.sections.into_iter().flat_map(|s| s.items).collect()
}

/// A change of input `i`: its value converted and checked, the items reading it scored again,
/// then the later phases. On an error nothing is kept.
fn set_item<'r>(
    rules: &'r RuleSet,
    sub: &Submission,
    i: usize,
    prepared: &mut Prepared,
    items: &mut ScoredItems<'r>,
    reading: &[(usize, usize)],
) -> Result<LiveChange<'r>, Error> {
    let input = rules.inputs.get(i).ok_or_else(internal)?;
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
    let slot = prepared.values.get_mut(i).ok_or_else(internal)?;
    let old_value = std::mem::replace(slot, value);
    let old_missing = prepared.missing.clone();
    prepared.missing.retain(|&m| m != i);
    if !given && input.required {
        // In input order, as `complete` lists them.
        let at = prepared.missing.partition_point(|&m| m < i);
        prepared.missing.insert(at, i);
    }
    let undo = |prepared: &mut Prepared| {
        if let Some(slot) = prepared.values.get_mut(i) {
            *slot = old_value;
        }
        prepared.missing = old_missing.clone();
    };
    // A bound naming this input may now be crossed (hazards_fixed ≤ hazards_found).
    let mut problems = Vec::new();
    rules.check_ranges(prepared, "/values", &mut problems);
    if !problems.is_empty() {
        undo(prepared);
        return Err(Error::new(problems));
    }
    let mut scorer = rules.scorer(sub, prepared);
    let mut rescored = Vec::with_capacity(reading.len());
    for &(si, ii) in reading {
        match scorer.score_item(si, ii) {
            Ok(item) => rescored.push(((si, ii), item)),
            Err(e) => {
                undo(prepared);
                return Err(e);
            }
        }
    }
    // In report order: `readers` lists each input's items in that order.
    let mut changed = Vec::new();
    let mut before = Vec::with_capacity(rescored.len());
    for ((si, ii), (report, added)) in rescored {
        let place = items.reports.get_mut(si).and_then(|s| s.get_mut(ii));
        let entries = items.entries.get_mut(si).and_then(|s| s.get_mut(ii));
        let (Some(place), Some(entries)) = (place, entries) else {
            continue;
        };
        if *place != report {
            changed.push((si, ii));
        }
        let old = (
            std::mem::replace(place, report),
            std::mem::replace(entries, added),
        );
        before.push(((si, ii), old));
    }
    let mut scorer = rules.scorer(sub, prepared);
    let tail: Result<Tail<'r>, Error> = scorer.tail(items, false);
    let tail = match tail {
        Ok(t) => t,
        Err(e) => {
            for ((si, ii), (report, added)) in before {
                if let Some(place) = items.reports.get_mut(si).and_then(|s| s.get_mut(ii)) {
                    *place = report;
                }
                if let Some(place) = items.entries.get_mut(si).and_then(|s| s.get_mut(ii)) {
                    *place = added;
                }
            }
            undo(prepared);
            return Err(e);
        }
    };
    let pending = scorer.status() == Status::Provisional
        || items
            .entries
            .iter()
            .flatten()
            .any(|e| !e.pending.is_empty());
    Ok(LiveChange {
        total: scorer.amount(tail.total()),
        grade: scorer.grade_of(&tail),
        status: if pending {
            Status::Provisional
        } else {
            Status::Final
        },
        items: changed
            .into_iter()
            .filter_map(|(si, ii)| items.reports.get(si)?.get(ii).cloned())
            .collect(),
    })
}

fn internal() -> Error {
    Error::one(Code::BatchInternal, "", "无法评分")
}
