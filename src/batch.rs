//! Batch scoring: many submissions under one rule set, with peer aggregates (`avg`, `sum`,
//! `count`, `rank`), `rank` items, competition ranking by total (1-2-2-4), and grade quotas.
//!
//! Groups (`unit.group`, 分类排名) are ranked, given quotas and aggregated separately. Units with
//! `"ranked": false` (纳入考核，不纳入排名) are scored against their group's aggregates but take no
//! part in them, in ranks or in quotas; where they would stand is still used for their own `rank`
//! items and `rank()` expressions.

use crate::code::Code;
use crate::error::Error;
use crate::expr::{Batch, Env, Outcome, Value as V};
use crate::json::{JsonWriter, ToJson};
use crate::ranking::{Standing, competition_rank, sort_desc};
use crate::report::Report;
use crate::rules::{Order, Rule, RuleSet};
use crate::score::{BatchContext, ItemRanks};
use crate::submission::Submission;
use crate::values::Prepared;

use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The outcome of scoring a batch: one entry per submission, in input order.
#[derive(Debug)]
pub struct BatchReport<'r> {
    /// Each submission's report, or why it could not be scored.
    pub results: Vec<Result<Report<'r>, Error>>,
}

impl<'r> BatchReport<'r> {
    /// The reports that were produced, in input order.
    pub fn reports(&self) -> impl Iterator<Item = &Report<'r>> {
        self.results.iter().filter_map(|r| r.as_ref().ok())
    }
}

/// One entry of a batch ([`RuleSet::score_batch_inputs`]).
#[derive(Clone, Debug)]
#[allow(
    clippy::large_enum_variant,
    reason = "an entry is built once per submission and moved into the batch; boxing `Read` would change the public API"
)]
pub enum BatchInput<'a> {
    /// A submission's JSON text.
    Text(&'a str),
    /// A submission already read (boxed: a submission is much larger than the other variants).
    Read(Box<Submission>),
    /// Why an entry could not even be read: it keeps its place, with this error.
    Failed(Error),
}

/// The JSON form of a batch (what the package's `scoreBatchJson` gives): one entry per
/// submission, in order, `{"report": …}` or `{"error": [problems]}`.
impl ToJson for BatchReport<'_> {
    fn write_json(&self, w: &mut JsonWriter) {
        w.begin_array();
        for result in &self.results {
            w.begin_object();
            match result {
                Ok(report) => w.field("report", report),
                Err(e) => w.field("error", e.problems()),
            }
            w.end_object();
        }
        w.end_array();
    }
}

/// Peer statistics of one group.
struct GroupStats {
    /// Per input: sum and count of the ranked units' known values.
    sums: Vec<(Decimal, u32)>,
    /// Number of ranked units in the group.
    units: u32,
    /// Per input: the ranked units' known values, sorted descending.
    sorted: Vec<Vec<Decimal>>,
}

/// The aggregates one unit sees.
struct UnitView<'a> {
    stats: &'a GroupStats,
    values: &'a [Option<V>],
}

impl Batch for UnitView<'_> {
    fn avg(&self, input: usize) -> Outcome<Decimal> {
        match self.stats.sums.get(input) {
            Some((sum, n)) if *n > 0 => match crate::decimal::div(*sum, Decimal::from(*n)) {
                Some(d) => Outcome::Known(d),
                None => Outcome::Undefined,
            },
            Some(_) => Outcome::Undefined,
            None => Outcome::Pending,
        }
    }
    fn sum(&self, input: usize) -> Outcome<Decimal> {
        match self.stats.sums.get(input) {
            Some((sum, _)) => Outcome::Known(*sum),
            None => Outcome::Pending,
        }
    }
    fn count(&self) -> Decimal {
        Decimal::from(self.stats.units)
    }
    fn rank(&self, input: usize) -> Outcome<Decimal> {
        let Some(Some(V::Number(mine))) = self.values.get(input) else {
            return Outcome::Pending;
        };
        let Some(sorted) = self.stats.sorted.get(input) else {
            return Outcome::Pending;
        };
        Outcome::Known(Decimal::from(competition_rank(sorted, *mine, Order::Desc)))
    }
}

/// Ranks of one unit for the rule set's `rank` items.
struct UnitRanks<'a> {
    ranks: &'a BTreeMap<&'a str, u32>,
}

impl ItemRanks for UnitRanks<'_> {
    fn rank_of(&self, item: &str) -> Option<u32> {
        self.ranks.get(item).copied()
    }
}

/// A batch over a limit (`limit.batch`, `limit.work`): every submission gets the same error,
/// none is read or scored.
fn refused<'r>(n: usize, e: Error) -> BatchReport<'r> {
    BatchReport {
        results: (0..n).map(|_| Err(e.clone())).collect(),
    }
}

/// The results of the submissions that could be read, put back among the problems of those that
/// could not, in the list's order.
pub(crate) fn in_place<T>(
    places: Vec<Result<(), Error>>,
    results: Vec<Result<T, Error>>,
) -> Vec<Result<T, Error>> {
    let mut results = results.into_iter();
    places
        .into_iter()
        .map(|p| match p {
            Err(e) => Err(e),
            Ok(()) => results
                .next()
                .unwrap_or_else(|| Err(Error::one(Code::BatchInternal, "", "无法评分"))),
        })
        .collect()
}

impl RuleSet {
    /// Scores submissions together: aggregates, `rank` items, ranks by total and grade quotas.
    /// A submission that cannot be scored gets its error and takes no part in the others' results;
    /// two submissions for the same unit id are both refused.
    ///
    /// ```
    /// use kpi_wasm::{RuleSet, Submission};
    /// let rules = RuleSet::builtin("subdistrict").expect("built-in rule set");
    /// let a = Submission::from_json(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/subdistrict-dq.json"))).expect("reads");
    /// let mut b = a.clone();
    /// b.unit.id = "other".into();
    /// let batch = rules.score_batch(&[a, b]);
    /// let ranks: Vec<_> = batch.reports().map(|r| r.rank).collect();
    /// assert_eq!(ranks, [Some(Some(1)), Some(Some(1))]); // a tie shares the better rank
    /// ```
    pub fn score_batch<'r>(&'r self, subs: &[Submission]) -> BatchReport<'r> {
        self.score_batch_with_progress(subs, &mut |_, _| {})
    }

    /// Like [`RuleSet::score_batch`], calling `progress(done, total)` as units are scored (for a
    /// progress bar on long runs).
    pub fn score_batch_with_progress<'r>(
        &'r self,
        subs: &[Submission],
        progress: &mut dyn FnMut(usize, usize),
    ) -> BatchReport<'r> {
        self.score_batch_read(subs, Vec::new(), false, progress)
    }

    /// [`RuleSet::score_batch_with_progress`] for a caller that reads only the reports' figures
    /// and never shows them (a diff): the submissions' digests are left empty.
    pub(crate) fn score_batch_figures<'r>(
        &'r self,
        subs: &[Submission],
        progress: &mut dyn FnMut(usize, usize),
    ) -> BatchReport<'r> {
        self.score_batch_read(subs, Vec::new(), true, progress)
    }

    /// Scores submissions given as JSON texts together, as [`RuleSet::score_batch`] does: plainly
    /// valid ones are read straight into the inputs (as [`RuleSet::score_text`] reads them); a
    /// text that cannot be read gets its problems in its place and takes no part in the others'
    /// results.
    ///
    /// ```
    /// let rules = kpi_wasm::RuleSet::builtin("subdistrict").expect("built-in rule set");
    /// let unit = |id: &str| format!(r#"{{"format": "kpi-submission/1",
    ///     "rules": {{"id": "subdistrict", "version": "2026.2"}},
    ///     "unit": {{"id": "{id}", "name": "{id}"}}, "values": {{}}}}"#);
    /// let (a, b) = (unit("a"), unit("b"));
    /// let batch = rules.score_batch_texts(&[&a, &b, "{"]);
    /// assert_eq!(batch.reports().count(), 2);
    /// assert!(batch.results[2].is_err()); // the broken text keeps its place
    /// ```
    pub fn score_batch_texts<'r>(&'r self, texts: &[&str]) -> BatchReport<'r> {
        self.score_batch_inputs(texts.iter().map(|t| BatchInput::Text(t)).collect())
    }

    /// Scores a batch whose entries come in any form ([`BatchInput`]): JSON texts, submissions
    /// already read, or the problems that kept an entry from being read, which keeps its place
    /// and its error in the results.
    pub fn score_batch_inputs<'r>(&'r self, inputs: Vec<BatchInput<'_>>) -> BatchReport<'r> {
        // What can be refused before reading; the rows of record lists are counted once read.
        if let Err(e) = self.check_batch_least(inputs.len()) {
            return refused(inputs.len(), e);
        }
        // Each entry's place: read (scored below, in order) or its problems.
        let mut places: Vec<Result<(), Error>> = Vec::with_capacity(inputs.len());
        let (mut subs, mut prepared) = (Vec::new(), Vec::new());
        for input in inputs {
            places.push(self.read_entry(input).map(|(sub, p)| {
                subs.push(sub);
                prepared.push(p);
            }));
        }
        let results = in_place(
            places,
            self.score_batch_read(&subs, prepared, false, &mut |_, _| {})
                .results,
        );
        BatchReport { results }
    }

    /// The batch itself; `read[i]`, when given, holds submission i's values already converted and
    /// checked (by the plain reader), so they are not prepared again; `scores_only`: the reports
    /// are not shown (`BatchContext::scores_only`).
    fn score_batch_read<'r>(
        &'r self,
        subs: &[Submission],
        read: Vec<Option<Prepared>>,
        scores_only: bool,
        progress: &mut dyn FnMut(usize, usize),
    ) -> BatchReport<'r> {
        let n = subs.len();
        // A self-assessment with its own values is scored too: it counts twice.
        let all: Vec<&Submission> = subs.iter().collect();
        if let Err(e) = self.check_batch_of(&all) {
            return refused(n, e);
        }
        let (prepared, mut errors) = self.prepare_batch(subs, read);
        // Peer statistics per group, over ranked units that could be prepared.
        let group_of = |i: usize| {
            subs.get(i)
                .and_then(|s| s.unit.group.as_deref())
                .unwrap_or("")
        };
        let ranked = |i: usize| {
            subs.get(i).is_some_and(|s| s.unit.ranked)
                && prepared.get(i).is_some_and(Option::is_some)
        };
        let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for i in 0..n {
            if prepared.get(i).is_some_and(Option::is_some) {
                groups.entry(group_of(i)).or_default().push(i);
            }
        }
        let stats = self.group_stats(&groups, &prepared, &ranked);
        let item_ranks = self.item_ranks(&groups, &stats, &prepared, &ranked);

        // Score each unit with its group's view.
        let mut results: Vec<Result<Report<'r>, Error>> = Vec::with_capacity(n);
        for (i, sub) in subs.iter().enumerate() {
            if i % 256 == 0 {
                progress(i, n);
            }
            if let Some(Some(e)) = errors.get_mut(i).map(Option::take) {
                results.push(Err(e));
                continue;
            }
            let (Some(Some(unit)), Some(st), Some(ranks)) =
                (prepared.get(i), stats.get(group_of(i)), item_ranks.get(i))
            else {
                results.push(Err(Error::one(Code::BatchInternal, "", "无法评分")));
                continue;
            };
            let view = UnitView {
                stats: st,
                values: &unit.values,
            };
            let unit_ranks = UnitRanks { ranks };
            let ctx = BatchContext {
                aggregates: Some(&view),
                ranks: Some(&unit_ranks),
                scores_only,
            };
            results.push(self.score_prepared(sub, unit, ctx));
        }

        let mut standings: Vec<Standing> = results
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let unit = subs.get(i).map(|s| &s.unit);
                let group = unit.and_then(|u| u.group.as_deref());
                Standing::of(group, unit.is_some_and(|u| u.ranked), r)
            })
            .collect();
        self.rank_standings(&mut standings);
        for (standing, result) in standings.iter().zip(results.iter_mut()) {
            if let Ok(report) = result {
                standing.apply(report);
            }
        }
        progress(n, n);
        BatchReport { results }
    }

    /// Each submission's values, converted and checked, or why it cannot be scored; two
    /// submissions for one unit are both refused.
    fn prepare_batch(
        &self,
        subs: &[Submission],
        mut read: Vec<Option<Prepared>>,
    ) -> (Vec<Option<Prepared>>, Vec<Option<Error>>) {
        let n = subs.len();
        let mut prepared: Vec<Option<Prepared>> = Vec::with_capacity(n);
        let mut errors: Vec<Option<Error>> = Vec::with_capacity(n);
        // By the unit id's folded form: `u3`, `U3` and `ｕ３` are one unit.
        let mut first_of: BTreeMap<String, usize> = BTreeMap::new();
        for (i, sub) in subs.iter().enumerate() {
            let key = crate::text::fold_id(&sub.unit.id);
            if let Some(&j) = first_of.get(&key) {
                let other = subs.get(j).map_or("", |s| s.unit.id.as_str());
                let e = |k: usize, j: usize| duplicate_unit(k, j, &sub.unit, other);
                errors.push(Some(e(i, j)));
                if let Some(slot) = errors.get_mut(j) {
                    if slot.is_none() {
                        *slot = Some(e(j, i));
                    }
                }
                if let Some(p) = prepared.get_mut(j) {
                    *p = None;
                }
                prepared.push(None);
                continue;
            }
            first_of.insert(key, i);
            let (p, problems) = match read.get_mut(i).and_then(Option::take) {
                Some(p) => (p, Vec::new()),
                None => self.prepare(sub),
            };
            if problems.is_empty() {
                prepared.push(Some(p));
                errors.push(None);
            } else {
                prepared.push(None);
                errors.push(Some(Error::new(problems)));
            }
        }
        (prepared, errors)
    }

    /// Peer statistics per group, over ranked units that could be prepared.
    fn group_stats<'g>(
        &self,
        groups: &BTreeMap<&'g str, Vec<usize>>,
        prepared: &[Option<Prepared>],
        ranked: &dyn Fn(usize) -> bool,
    ) -> BTreeMap<&'g str, GroupStats> {
        let mut stats: BTreeMap<&str, GroupStats> = BTreeMap::new();
        for (g, members) in groups {
            let mut s = GroupStats {
                sums: vec![(Decimal::ZERO, 0); self.inputs.len()],
                units: 0,
                sorted: vec![Vec::new(); self.inputs.len()],
            };
            for &i in members.iter().filter(|&&i| ranked(i)) {
                s.units = s.units.saturating_add(1);
                let Some(Some(unit)) = prepared.get(i) else {
                    continue;
                };
                for (k, v) in unit.values.iter().enumerate() {
                    if let (Some(V::Number(d)), Some(slot), Some(list)) =
                        (v, s.sums.get_mut(k), s.sorted.get_mut(k))
                    {
                        // Values are within ±10¹² and a batch is far smaller than 10¹⁶ units.
                        slot.0 = crate::decimal::add(slot.0, *d).unwrap_or(slot.0);
                        slot.1 = slot.1.saturating_add(1);
                        list.push(*d);
                    }
                }
            }
            for list in &mut s.sorted {
                sort_desc(list);
            }
            stats.insert(g, s);
        }
        stats
    }

    /// Per unit, its rank for each `rank` item.
    fn item_ranks<'s>(
        &'s self,
        groups: &BTreeMap<&str, Vec<usize>>,
        stats: &BTreeMap<&str, GroupStats>,
        prepared: &[Option<Prepared>],
        ranked: &dyn Fn(usize) -> bool,
    ) -> Vec<BTreeMap<&'s str, u32>> {
        let n = prepared.len();
        // Rank items: each unit's value of the item's expression, ranked within its group among
        // the units the item applies to (a unit for which it is 不涉及 is not a peer).
        let rank_items: Vec<(&crate::rules::Item, &crate::rules::RankRule)> = self
            .sections
            .iter()
            .flat_map(|s| &s.items)
            .filter_map(|it| match &it.rule {
                Rule::Rank(k) => Some((it, k)),
                _ => None,
            })
            .collect();
        let mut item_ranks: Vec<BTreeMap<&str, u32>> = vec![BTreeMap::new(); n];
        for (item, rule) in &rank_items {
            let item_id = item.id.as_str();
            for (g, members) in groups {
                let Some(st) = stats.get(g) else { continue };
                let value_of = |i: usize| -> Option<Decimal> {
                    let unit = prepared.get(i)?.as_ref()?;
                    let view = UnitView {
                        stats: st,
                        values: &unit.values,
                    };
                    let env = Env {
                        values: &unit.values,
                        batch: Some(&view),
                        lists: &unit.lists,
                        row: None,
                    };
                    if let Some(applicable) = &item.applicable {
                        if applicable.eval_bool(&env) != Ok(Outcome::Known(true)) {
                            return None;
                        }
                    }
                    match rule.value.eval_number(&env) {
                        Ok(Outcome::Known(d)) => Some(d),
                        _ => None,
                    }
                };
                let values: Vec<(usize, Option<Decimal>)> =
                    members.iter().map(|&i| (i, value_of(i))).collect();
                let mut peers: Vec<Decimal> = values
                    .iter()
                    .filter(|(i, _)| ranked(*i))
                    .filter_map(|(_, v)| *v)
                    .collect();
                sort_desc(&mut peers);
                for (i, v) in values {
                    if let (Some(v), Some(map)) = (v, item_ranks.get_mut(i)) {
                        map.insert(item_id, competition_rank(&peers, v, rule.order));
                    }
                }
            }
        }
        item_ranks
    }
}

/// Why two submissions of one batch are both refused: the same unit (`other_id` is how the first
/// spelled its id, named when it differs only in case or width).
pub(crate) fn duplicate_unit(
    k: usize,
    other: usize,
    unit: &crate::submission::SubmissionUnit,
    other_id: &str,
) -> Error {
    let spelled = if other_id == unit.id {
        String::new()
    } else {
        format!(
            "（单位编号「{}」与「{other_id}」只差大小写或全角半角，视为同一单位）",
            unit.id
        )
    };
    Error::one(
        Code::BatchDuplicateUnit,
        "/unit/id",
        format!(
            "第{}份与第{}份考核表是同一单位「{}」({}){spelled}，同一批次中每个单位只能有一份",
            k.saturating_add(1),
            other.saturating_add(1),
            unit.name,
            unit.id
        ),
    )
}
