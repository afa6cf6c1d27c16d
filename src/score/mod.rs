//! Scoring one submission into a [`Report`], phase by phase: items and sections, the rescaled sum,
//! adjustments and the floor at zero, bonus, vetoes and the grade, then the report.
//!
//! Every arithmetic step on a value that came from a submission is checked: an overflow is an
//! error naming the item, never a panic. Rounding happens only where docs/SPEC.md says: each item's
//! score, each adjustment's and bonus item's amount, a converted section and the rescaled sum.
//! `items` scores one item by its rule; `lines` evaluates deduction and addition lines.

use crate::error::Error;
use crate::expr::Env;
use crate::report::Report;
use crate::rules::RuleSet;
use crate::submission::Submission;
use crate::values::{Prepared, SelfPrepared};

mod items;
mod lines;
mod live;
mod own;
mod phases;
mod scorer;
mod tail;

pub use live::{LiveChange, LiveForm, SectionChange};
use scorer::Scorer;
pub(crate) use scorer::{BatchContext, ItemRanks};

impl RuleSet {
    /// Scores one submission on its own (outside a batch): rank items and batch aggregates stay
    /// pending. Empty required inputs make the report provisional; any other problem is an error.
    ///
    /// ```
    /// use kpi_wasm::{RuleSet, Submission};
    /// let rules = RuleSet::builtin("subdistrict").expect("built-in rule set");
    /// let sub = Submission::from_json(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/subdistrict-dq.json"))).expect("reads");
    /// let report = rules.score(&sub).expect("scores");
    /// assert_eq!((report.total.to_string().as_str(), report.grade), ("89.15", Some("良好")));
    /// ```
    pub fn score<'r>(&'r self, sub: &Submission) -> Result<Report<'r>, Error> {
        self.score_in(sub, BatchContext::default())
    }

    /// Scores a submission given as JSON text: the same report, or the same error, as
    /// [`Submission::from_json`] followed by [`RuleSet::score`], several times faster for the
    /// usual, plainly valid submission (it is read straight into the inputs, without a JSON tree).
    ///
    /// ```
    /// let rules = kpi_wasm::RuleSet::builtin("subdistrict").expect("built-in rule set");
    /// let report = rules.score_text(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/subdistrict-dq.json"))).expect("scores");
    /// assert_eq!((report.total.to_string().as_str(), report.status.as_str()), ("89.15", "final"));
    /// ```
    pub fn score_text(&self, text: &str) -> Result<Report<'_>, Error> {
        if let Some((sub, prepared)) = self.read_plain(text) {
            return self.score_prepared(&sub, &prepared, BatchContext::default());
        }
        self.score(&Submission::from_json(text)?)
    }

    /// [`RuleSet::score`] for a caller that reads only the report's figures and never shows it
    /// (a rule author's test case, a probe, the notes `validate` asks for): the same report with
    /// the submission's digest left empty, which spares hashing it.
    pub(crate) fn score_figures<'r>(&'r self, sub: &Submission) -> Result<Report<'r>, Error> {
        self.score_in(sub, BatchContext::figures_only())
    }

    /// [`RuleSet::score_figures`] of values already converted and checked by `prepare`.
    pub(crate) fn score_prepared_figures<'r>(
        &'r self,
        sub: &Submission,
        prepared: &Prepared,
    ) -> Result<Report<'r>, Error> {
        self.score_prepared(sub, prepared, BatchContext::figures_only())
    }

    pub(crate) fn score_in<'r>(
        &'r self,
        sub: &Submission,
        batch: BatchContext<'_>,
    ) -> Result<Report<'r>, Error> {
        let (prepared, problems) = self.prepare(sub);
        if !problems.is_empty() {
            return Err(Error::new(problems));
        }
        self.score_prepared(sub, &prepared, batch)
    }

    /// Scores values already converted and checked by `prepare`, and the unit's self-assessment
    /// beside them when there is one.
    pub(crate) fn score_prepared<'r>(
        &'r self,
        sub: &Submission,
        prepared: &Prepared,
        batch: BatchContext<'_>,
    ) -> Result<Report<'r>, Error> {
        let env = Env {
            values: &prepared.values,
            batch: batch.aggregates,
            lists: &prepared.lists,
            row: None,
        };
        let canonical = (!batch.scores_only).then_some(prepared.canonical.as_str());
        let mut report = Scorer::new(self, sub, canonical, env, batch.ranks).run()?;
        match prepared.self_assessment.as_deref() {
            Some(SelfPrepared::Values(own)) => {
                // The unit's own values may not be scorable (nothing applicable, no band): its
                // self-assessed scores are then unknown, and the assessors' report stands.
                let scores_only = BatchContext {
                    scores_only: true,
                    ..batch
                };
                let own = self.score_prepared(sub, own, scores_only).ok();
                self.beside_own_report(&mut report, own.as_ref());
            }
            Some(SelfPrepared::Items(scores)) => self.beside_own_items(&mut report, scores),
            None => {}
        }
        Ok(report)
    }
}
