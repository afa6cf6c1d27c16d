//! A streamed batch: the same reports as [`RuleSet::score_batch_inputs`], in two passes over the
//! entries, keeping only what ranking needs of each unit (its group, total, grades, veto
//! placement, status) instead of every report. For a rule set that reads no peers (no `rank`
//! items, no `avg`/`sum`/`count`/`rank` functions: [`RuleSet::streams`]) a district of any size
//! is scored in constant memory per unit: pass one scores each entry and keeps its standing,
//! ranking and quotas are decided over the standings, pass two scores each entry again and
//! gives its finished report to be written out at once.

use crate::batch::BatchInput;
use crate::code::Code;
use crate::error::{Error, Problem};
use crate::limits::MAX_BATCH;
use crate::ranking::Standing;
use crate::report::Report;
use crate::rules::RuleSet;
use crate::score::BatchContext;
use crate::submission::{Submission, SubmissionUnit};
use crate::values::Prepared;
use crate::work::Meter;
use std::collections::BTreeMap;

/// A batch scored in two passes without keeping its reports ([`RuleSet::stream`]).
///
/// ```
/// use kpi_wasm::BatchInput;
/// let rules = kpi_wasm::RuleSet::builtin("subdistrict").expect("built-in rule set");
/// let unit = |id: &str| format!(r#"{{"format": "kpi-submission/1",
///     "rules": {{"id": "subdistrict", "version": "2026.2"}},
///     "unit": {{"id": "{id}", "name": "{id}"}}, "values": {{}}}}"#);
/// let texts = [unit("a"), unit("b")];
/// let mut stream = rules.stream().expect("the built-in sets read no peers");
/// for t in &texts {
///     stream.add(BatchInput::Text(t)).expect("within the batch limit");
/// }
/// stream.rank();
/// for (i, t) in texts.iter().enumerate() {
///     let report = stream.report(i, BatchInput::Text(t)).expect("scores");
///     assert_eq!(report.rank, Some(Some(1))); // a tie shares the better rank
/// }
/// ```
pub struct BatchStream<'r> {
    rules: &'r RuleSet,
    /// Per entry: its standing, or `None` for an entry that could not be read (it keeps its place
    /// and takes no part, as in a batch).
    entries: Vec<Option<Standing<'r>>>,
    /// How many entries were read: a duplicate's message counts read submissions only.
    read: usize,
    /// By the unit id's folded form (`u3`, `U3`, `ｕ３` are one unit): its first submission.
    first_of: BTreeMap<String, First>,
    /// The entries refused as a second submission for one unit, with their error.
    duplicates: BTreeMap<usize, Error>,
    /// The work budget spent so far.
    meter: Meter,
    /// Whether a report has a self-assessment (the CSV then has its columns on every row).
    self_assessed: bool,
}

/// The first submission of a unit, for the messages of any later one.
struct First {
    /// Its entry and its number among the entries read.
    entry: usize,
    read: usize,
    /// The unit id as it spelled it.
    id: String,
    /// Whether its values could be converted (else it keeps their problems).
    prepared: bool,
}

/// What [`BatchStream::add_text`] did with a submission's text.
#[derive(Debug)]
pub enum StreamEntry {
    /// Taken as an entry.
    Taken(EntryHeader),
    /// Not taken: read, but required values are still empty (the `value.missing` problems
    /// [`RuleSet::validate`] lists).
    Incomplete(EntryHeader, Vec<Problem>),
    /// Not taken: the text could not be read (the error [`Submission::from_json`] gives).
    Unreadable(Error),
}

/// Which rule set a submission names and which unit it is for, as pass one read them.
#[derive(Clone, Debug, PartialEq)]
pub struct EntryHeader {
    /// The rule set id it was filled for.
    pub rules_id: String,
    /// The rule set version it was filled for.
    pub rules_version: String,
    /// The unit assessed.
    pub unit: SubmissionUnit,
}

impl From<Submission> for EntryHeader {
    fn from(sub: Submission) -> Self {
        EntryHeader {
            rules_id: sub.rules_id,
            rules_version: sub.rules_version,
            unit: sub.unit,
        }
    }
}

impl RuleSet {
    /// Whether batches under this rule set can be streamed ([`RuleSet::stream`]): nothing in it
    /// reads other units' values (`rank` items, batch functions), so each report depends on its
    /// peers only through ranks, quotas and their completeness.
    pub fn streams(&self) -> bool {
        !self.reads_peers()
    }

    /// A streamed batch under this rule set, or `None` when it reads peers' values
    /// ([`RuleSet::streams`]; score such a batch with [`RuleSet::score_batch_inputs`]).
    pub fn stream(&self) -> Option<BatchStream<'_>> {
        self.streams().then(|| BatchStream {
            rules: self,
            entries: Vec::new(),
            read: 0,
            first_of: BTreeMap::new(),
            duplicates: BTreeMap::new(),
            self_assessed: false,
            meter: self.stream_meter(),
        })
    }
}

impl<'r> BatchStream<'r> {
    /// Pass one: scores the next entry and keeps only its standing.
    ///
    /// # Errors
    ///
    /// `limit.batch` past [`MAX_BATCH`] entries, `limit.work` past
    /// [`MAX_STREAM_WORK`](crate::limits::MAX_STREAM_WORK); the entry is then not taken.
    pub fn add(&mut self, input: BatchInput<'_>) -> Result<(), Error> {
        let read = self.rules.read_entry(input);
        self.take(read, false).map(|_| ())
    }

    /// Pass one for a caller that reads its documents once and refuses some (`kpi score`): a
    /// submission's text is taken as [`BatchStream::add`] takes it, except that a text that cannot
    /// be read, and with `refuse_incomplete` one whose required values are still empty, is not
    /// taken (it is not an entry, and pass two is not given it). A text read gives its header, so
    /// that a caller checking the rule set's version and the units need not read it again.
    ///
    /// # Errors
    ///
    /// As [`BatchStream::add`].
    pub fn add_text(&mut self, text: &str, refuse_incomplete: bool) -> Result<StreamEntry, Error> {
        match self.rules.read_entry(BatchInput::Text(text)) {
            Ok(read) => self.take(Ok(read), refuse_incomplete),
            Err(e) => Ok(StreamEntry::Unreadable(e)),
        }
    }

    /// Pass one's work: the entry's values converted (and, when `complete` is asked, its empty
    /// required values returned instead), scored without a fingerprint (its report is never
    /// shown) and its standing kept. An entry that could not be read keeps its place, as in a
    /// batch ([`BatchStream::add`]; `add_text` does not take such a text).
    fn take(
        &mut self,
        read: Result<(Submission, Option<Prepared>), Error>,
        complete: bool,
    ) -> Result<StreamEntry, Error> {
        let k = self.entries.len();
        if k >= MAX_BATCH {
            return Err(Error::one(
                Code::LimitBatch,
                "",
                format!("一次最多评分{MAX_BATCH}份考核表，本次超过{MAX_BATCH}份，请分批评分"),
            ));
        }
        let (sub, read) = match read {
            Ok(read) => read,
            Err(e) => {
                self.entries.push(None);
                return Ok(StreamEntry::Unreadable(e));
            }
        };
        let (prepared, problems) = match read {
            Some(p) => (p, Vec::new()),
            None => self.rules.prepare(&sub),
        };
        if complete {
            let missing = self.rules.missing_problems(&prepared);
            if !missing.is_empty() {
                return Ok(StreamEntry::Incomplete(EntryHeader::from(sub), missing));
            }
        }
        let prepared = if problems.is_empty() {
            Ok(prepared)
        } else {
            Err(Error::new(problems))
        };
        self.meter.add(self.rules, &sub)?;
        let n = self.read;
        self.read = n.saturating_add(1);
        let unit = &sub.unit;
        let standing = |result: &Result<Report<'r>, Error>| {
            Standing::of(unit.group.as_deref(), unit.ranked, result)
        };
        let key = crate::text::fold_id(&unit.id);
        if let Some(first) = self.first_of.get(&key) {
            let (j, m) = (first.entry, first.read);
            let e =
                |k: usize, other: usize| crate::batch::duplicate_unit(k, other, unit, &first.id);
            self.duplicates.insert(k, e(n, m));
            // The first keeps its own problems, if its values had any.
            if first.prepared && !self.duplicates.contains_key(&j) {
                self.duplicates.insert(j, e(m, n));
            }
            if let Some(Some(first)) = self.entries.get_mut(j) {
                first.scored = None;
            }
            self.entries.push(Some(standing(&Err(e(n, m)))));
            return Ok(StreamEntry::Taken(EntryHeader::from(sub)));
        }
        self.first_of.insert(
            key,
            First {
                entry: k,
                read: n,
                id: unit.id.clone(),
                prepared: prepared.is_ok(),
            },
        );
        let figures_only = BatchContext::figures_only();
        let result = prepared.and_then(|p| self.rules.score_prepared(&sub, &p, figures_only));
        self.entries.push(Some(standing(&result)));
        self.self_assessed |= result.as_ref().is_ok_and(|r| r.self_assessment.is_some());
        Ok(StreamEntry::Taken(EntryHeader::from(sub)))
    }

    /// Between the passes: ranks every group, applies the grade quotas and marks what waits for
    /// incomplete peers.
    pub fn rank(&mut self) {
        let mut standings: Vec<Standing<'r>> = self.entries.iter().flatten().cloned().collect();
        self.rules.rank_standings(&mut standings);
        let mut ranked = standings.into_iter();
        for slot in self.entries.iter_mut().flatten() {
            if let Some(s) = ranked.next() {
                *slot = s;
            }
        }
    }

    /// Pass two: the finished report of entry `i` (0-based, in the order added), given the same
    /// entry again: the report, or the error, [`RuleSet::score_batch_inputs`] gives it.
    ///
    /// # Errors
    ///
    /// Why the entry could not be scored.
    pub fn report(&self, i: usize, input: BatchInput<'_>) -> Result<Report<'r>, Error> {
        if let Some(e) = self.duplicates.get(&i) {
            return Err(e.clone());
        }
        let (sub, prepared) = self.rules.read_entry(input)?;
        let prepared = self.rules.prepare_entry(&sub, prepared)?;
        let mut report = self.rules.score_entry(&sub, &prepared)?;
        if let Some(Some(standing)) = self.entries.get(i) {
            standing.apply(&mut report);
        }
        Ok(report)
    }

    /// Whether any report has a self-assessment (so far: every one after the first pass), as
    /// [`reports_csv_header`](crate::reports_csv_header) needs to know.
    pub fn any_self_assessment(&self) -> bool {
        self.self_assessed
    }

    /// How many entries were added.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no entry was added.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl RuleSet {
    /// An entry read as a batch reads it: the plain reader's values when it could take the text.
    pub(crate) fn read_entry(
        &self,
        input: BatchInput<'_>,
    ) -> Result<(Submission, Option<Prepared>), Error> {
        match input {
            BatchInput::Text(text) => match self.read_plain(text) {
                Some((sub, p)) => Ok((sub, Some(p))),
                None => Submission::from_json(text).map(|sub| (sub, None)),
            },
            BatchInput::Read(sub) => Ok((*sub, None)),
            BatchInput::Failed(e) => Err(e),
        }
    }

    /// An entry's values converted and checked (the plain reader did it already for its texts).
    fn prepare_entry(&self, sub: &Submission, read: Option<Prepared>) -> Result<Prepared, Error> {
        if let Some(p) = read {
            return Ok(p);
        }
        let (p, problems) = self.prepare(sub);
        if problems.is_empty() {
            Ok(p)
        } else {
            Err(Error::new(problems))
        }
    }

    /// One unit scored as a batch scores it when nothing reads peers: no aggregates or ranks
    /// reach the scorer.
    fn score_entry<'r>(&'r self, sub: &Submission, p: &Prepared) -> Result<Report<'r>, Error> {
        self.score_prepared(sub, p, BatchContext::default())
    }
}
