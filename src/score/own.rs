//! The unit's self-assessment (自评分) beside the assessors' score (考核组核定分): per item the
//! unit's own score and the difference, and the totals side by side.
//!
//! With its own values (`self.values`) the unit's form is scored by the same rules, in full. With
//! its own item scores (`self.items`) the self-assessed total is the sections' sum of those scores
//! (an item not given counts at the assessors' score), converted (`out_of`) and rescaled as the
//! assessors' is; adjustments, bonus and vetoes are the assessors' alone.

use crate::decimal::{Amount, add, div, mul, round, sub};
use crate::report::{ItemStatus, Report, SelfSummary};
use crate::rules::{NotApplicable, RuleSet};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

impl RuleSet {
    fn amount_of(&self, d: Decimal) -> Amount {
        Amount::new(d, self.scale)
    }

    /// Puts the unit's own report (its values scored) beside the assessors'; `None` when the unit's
    /// own values leave nothing to score (every item not applicable): no self-assessed scores.
    pub(super) fn beside_own_report<'r>(
        &'r self,
        report: &mut Report<'r>,
        own: Option<&Report<'r>>,
    ) {
        for item in report.sections.iter_mut().flat_map(|s| &mut s.items) {
            let mine = own.and_then(|o| o.item(item.id)).and_then(|i| i.score);
            item.self_score = Some(mine);
            item.self_difference = Some(self.difference(item.score, mine));
        }
        report.self_assessment = Some(SelfSummary {
            total: own.map(|o| o.total),
            grade: own.and_then(|o| o.grade),
            difference: self.difference(Some(report.total), own.map(|o| o.total)),
        });
    }

    /// Puts the unit's own item scores beside the assessors' and sums them up.
    pub(super) fn beside_own_items<'r>(
        &'r self,
        report: &mut Report<'r>,
        scores: &BTreeMap<String, Decimal>,
    ) {
        let mut subtotal = Decimal::ZERO;
        let mut applicable_points = Decimal::ZERO;
        let mut rescaled = false;
        for (section, rule) in report.sections.iter_mut().zip(&self.sections) {
            let mut raw = Decimal::ZERO;
            for item in &mut section.items {
                let mine = scores.get(item.id).map(|d| self.amount_of(*d));
                item.self_score = Some(mine);
                item.self_difference = Some(self.difference(item.score, mine));
                if let Some(score) = mine.or(item.score) {
                    raw = add(raw, score.value()).unwrap_or(raw);
                }
                if item.status == ItemStatus::NotApplicable {
                    rescaled = true;
                } else {
                    applicable_points =
                        add(applicable_points, item.points.value()).unwrap_or(applicable_points);
                }
            }
            let score = match rule.out_of {
                Some(out_of) => mul(raw, rule.points)
                    .and_then(|x| div(x, out_of))
                    .map_or(raw, |x| round(x, self.scale)),
                None => raw,
            };
            subtotal = add(subtotal, score).unwrap_or(subtotal);
        }
        if rescaled && self.not_applicable == NotApplicable::Rescale && !applicable_points.is_zero()
        {
            subtotal = mul(subtotal, self.full_score)
                .and_then(|x| div(x, applicable_points))
                .map_or(subtotal, |x| round(x, self.scale));
        }
        let grade = (!self.grades.is_empty())
            .then(|| {
                self.grades
                    .iter()
                    .find(|g| g.admits(subtotal))
                    .or(self.grades.last())
            })
            .flatten()
            .map(|g| g.name.as_str());
        report.self_assessment = Some(SelfSummary {
            total: Some(self.amount_of(subtotal)),
            grade,
            difference: self.difference(Some(report.total), Some(self.amount_of(subtotal))),
        });
    }

    /// The assessors' score minus the unit's, when both are known.
    fn difference(&self, assessed: Option<Amount>, own: Option<Amount>) -> Option<Amount> {
        let (a, o) = (assessed?, own?);
        Some(self.amount_of(sub(a.value(), o.value())?))
    }
}
