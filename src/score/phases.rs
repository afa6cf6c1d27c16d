//! The phases of scoring one submission, in order: items and sections, the rescaled sum,
//! adjustments and the floor at zero, bonus, vetoes and the grade, then the report; and what a
//! report says beside the score (record list counts, notes still required).

use super::scorer::{At, Calc, Located, Scorer, Unknown, add, div, mul, sub};
use crate::code::Code;
use crate::decimal::{Amount, Plain, negate, round};
use crate::error::{Error, Problem};
use crate::expr::Outcome;
use crate::fingerprint::{ENGINE, Fingerprint, submission_digest};
use crate::report::*;
use crate::rules::*;
use rust_decimal::Decimal;

/// What the sections add up to, for rescaling.
struct SectionSums {
    /// Σ section scores.
    earned: Decimal,
    /// Σ points of the items that are applicable (pending ones included).
    applicable_points: Decimal,
    /// Σ points of every item.
    all_points: Decimal,
    /// How many items are not applicable.
    not_applicable: usize,
    /// How many items there are.
    items: usize,
}

/// The grade a total gives, and what the vetoes made of it.
struct Graded<'r> {
    total: Decimal,
    /// The grade after vetoes (`None`: no grades, or withheld by a veto).
    grade: Option<usize>,
    /// A veto withheld the grade (不评等次).
    ungraded: bool,
    vetoes: Vec<VetoReport<'r>>,
    placement: Option<VetoRanking>,
}

/// Every item's result, section by section, and beside each the pending entries and warnings it
/// added to the report (kept apart so that a live form can score one item again alone and put the
/// report together in the same order; apart from the results, so that these move into the report
/// whole).
#[derive(Clone, Default)]
pub(crate) struct ScoredItems<'r> {
    pub reports: Vec<Vec<ItemReport<'r>>>,
    pub entries: Vec<Vec<Entries<'r>>>,
}

/// What scoring one item added to the report besides its result.
#[derive(Clone, Default)]
pub(crate) struct Entries<'r> {
    pub pending: Vec<PendingEntry<'r>>,
    pub warnings: Vec<Problem>,
}

/// A section's own part of the report: its score, whether every item is not applicable, and its
/// conversion line.
pub(crate) struct SectionPart {
    score: Option<Amount>,
    status: Option<ItemStatus>,
    lines: Vec<TraceLine>,
}

/// Everything a report has besides its items: what the phases after the items made of them.
pub(crate) struct Tail<'r> {
    sections: Vec<SectionPart>,
    subtotal: Decimal,
    adjustments: Vec<AdjustmentReport<'r>>,
    bonus: Option<BonusReport<'r>>,
    graded: Graded<'r>,
    grade_by_score: Option<usize>,
}

impl Tail<'_> {
    /// The total after vetoes.
    pub(crate) fn total(&self) -> Decimal {
        self.graded.total
    }
}

impl<'r> Scorer<'r, '_> {
    /// The phases, in order.
    pub(super) fn run(&mut self) -> Result<Report<'r>, Error> {
        let mut items = self.score_items()?;
        // The items' pending entries and warnings first, in item order: moved, not copied.
        for added in items.entries.iter_mut().flatten() {
            self.pending.append(&mut added.pending);
            self.warnings.append(&mut added.warnings);
        }
        let tail = self.tail(&items, false)?;
        Ok(self.assemble(items, tail))
    }

    /// Every item, section by section.
    pub(crate) fn score_items(&mut self) -> Result<ScoredItems<'r>, Error> {
        let rs = self.rs;
        let mut items = ScoredItems {
            reports: Vec::with_capacity(rs.sections.len()),
            entries: Vec::with_capacity(rs.sections.len()),
        };
        for si in 0..rs.sections.len() {
            let n = rs.sections.get(si).map_or(0, |s| s.items.len());
            let (mut reports, mut entries) = (Vec::with_capacity(n), Vec::with_capacity(n));
            for ii in 0..n {
                let (report, added) = self.score_item(si, ii)?;
                reports.push(report);
                entries.push(added);
            }
            items.reports.push(reports);
            items.entries.push(entries);
        }
        Ok(items)
    }

    /// Item `ii` of section `si`, with the pending entries and warnings it adds. Out of line: a
    /// live form calls it too.
    #[inline(never)]
    pub(crate) fn score_item(
        &mut self,
        si: usize,
        ii: usize,
    ) -> Result<(ItemReport<'r>, Entries<'r>), Error> {
        let rs = self.rs;
        let Some(item) = rs.sections.get(si).and_then(|s| s.items.get(ii)) else {
            return Err(Error::one(Code::BatchInternal, "", "无法评分"));
        };
        let (pending, warnings) = (self.pending.len(), self.warnings.len());
        let report = self.item(item).at(At::Item(si, ii, item))?;
        let added = Entries {
            pending: self.pending.split_off(pending),
            warnings: self.warnings.split_off(warnings),
        };
        Ok((report, added))
    }

    /// The phases after the items: sections, rescaling, adjustments, bonus, vetoes and grade.
    /// With `entries`, the items' pending entries and warnings come first, in item order (for a
    /// report; a live form's change needs only whether any is pending).
    pub(crate) fn tail(
        &mut self,
        items: &ScoredItems<'r>,
        entries: bool,
    ) -> Result<Tail<'r>, Error> {
        for added in items.entries.iter().flatten().filter(|_| entries) {
            self.pending.extend(added.pending.iter().cloned());
            self.warnings.extend(added.warnings.iter().cloned());
        }
        let items = &items.reports;
        let (sections, sums) = self.sections(items)?;
        if sums.items > 0 && sums.not_applicable == sums.items {
            return Err(Error::one(
                Code::ScoreNothingApplicable,
                "",
                "所有考核项目均不涉及（或被认定不涉及），没有可评分的项目，无法评分",
            ));
        }
        self.missing_notes(items);
        let subtotal = self.rescale(&sums)?;
        let (adjustments, base) = self.adjustments(subtotal)?;
        let bonus = match &self.rs.bonus {
            Some(b) => Some(self.bonus(b).at(At::Bonus)?),
            None => None,
        };
        let total = add(
            base,
            bonus.as_ref().map_or(Decimal::ZERO, |b| b.amount.value()),
        )
        .at(At::Total)?;
        let grade_by_score = self.grade_for(total);
        let graded = self.vetoes(total, grade_by_score)?;
        self.period_warning();
        Ok(Tail {
            sections,
            subtotal,
            adjustments,
            bonus,
            graded,
            grade_by_score,
        })
    }

    /// Each section's score (converted when it has `out_of`) from its items.
    fn sections(
        &mut self,
        items: &[Vec<ItemReport<'r>>],
    ) -> Result<(Vec<SectionPart>, SectionSums), Error> {
        let rs = self.rs;
        let mut parts = Vec::with_capacity(rs.sections.len());
        let mut sums = SectionSums {
            earned: Decimal::ZERO,
            applicable_points: Decimal::ZERO,
            all_points: Decimal::ZERO,
            not_applicable: 0,
            items: 0,
        };
        for ((si, section), scored) in rs.sections.iter().enumerate().zip(items) {
            let mut raw = Decimal::ZERO;
            for (item, report) in section.items.iter().zip(scored) {
                let applicable = report.status != ItemStatus::NotApplicable;
                let mut count = || {
                    sums.all_points = add(sums.all_points, item.points)?;
                    if let Some(score) = report.score {
                        raw = add(raw, score.value())?;
                        if applicable {
                            sums.applicable_points = add(sums.applicable_points, item.points)?;
                        }
                    }
                    Calc::Ok(())
                };
                count().at(At::Section(si, section))?;
                if !applicable {
                    sums.not_applicable = sums.not_applicable.saturating_add(1);
                }
                sums.items = sums.items.saturating_add(1);
            }
            // A section whose every item is not applicable does not count under rescaling: it
            // shows no score (under `full` its items, and so it, score full marks).
            let all_na =
                !scored.is_empty() && scored.iter().all(|i| i.status == ItemStatus::NotApplicable);
            let unscored = all_na && rs.not_applicable == NotApplicable::Rescale;
            let mut lines = Vec::new();
            let score = match section.out_of {
                Some(out_of) => {
                    let (converted, line) = self
                        .convert(section, raw, out_of)
                        .at(At::Section(si, section))?;
                    lines.push(line);
                    converted
                }
                None => raw,
            };
            sums.earned = add(sums.earned, score).at(At::Section(si, section))?;
            parts.push(SectionPart {
                score: (!unscored).then(|| self.amount(score)),
                status: all_na.then_some(ItemStatus::NotApplicable),
                lines,
            });
        }
        Ok((parts, sums))
    }

    /// A section scored out of `out_of`, converted to its points (折算), and the line saying so.
    fn convert(
        &self,
        section: &Section,
        raw: Decimal,
        out_of: Decimal,
    ) -> Calc<(Decimal, TraceLine)> {
        let converted = round(div(mul(raw, section.points)?, out_of)?, self.rs.scale);
        let change = sub(converted, raw)?;
        let line = self.line(
            format!(
                "本部分按{}分制评分得{}分，折算为{}分：{}×{}÷{}={}",
                Plain(out_of),
                Plain(raw),
                Plain(section.points),
                Plain(raw),
                Plain(section.points),
                Plain(out_of),
                Plain(converted)
            ),
            change,
            LineKind::Convert,
        );
        Ok((converted, line))
    }

    /// The sections' sum, rescaled over the applicable items when the rule set says so.
    fn rescale(&mut self, sums: &SectionSums) -> Result<Decimal, Error> {
        let rs = self.rs;
        // Nothing applicable at all is refused before this phase.
        if rs.not_applicable != NotApplicable::Rescale
            || sums.not_applicable == 0
            || sums.applicable_points.is_zero()
        {
            return Ok(sums.earned);
        }
        let calc = || {
            let result = round(
                div(mul(sums.earned, rs.full_score)?, sums.applicable_points)?,
                rs.scale,
            );
            Calc::Ok((
                result,
                sub(result, sums.earned)?,
                sub(sums.all_points, sums.applicable_points)?,
            ))
        };
        let (result, change, not_counted) = calc().at(At::Rescale)?;
        let line = self.line(
            format!(
                "不涉及项目{}项（共{}分）不计分，按可评分项目折算：{}÷{}×{}={}",
                sums.not_applicable,
                Plain(not_counted),
                Plain(sums.earned),
                Plain(sums.applicable_points),
                Plain(rs.full_score),
                Plain(result)
            ),
            change,
            LineKind::Rescale,
        );
        self.lines.push(line);
        Ok(result)
    }

    /// The adjustments, and the subtotal after them, held at zero.
    fn adjustments(
        &mut self,
        subtotal: Decimal,
    ) -> Result<(Vec<AdjustmentReport<'r>>, Decimal), Error> {
        let rs = self.rs;
        let mut adjustments = Vec::with_capacity(rs.adjustments.len());
        let mut deducted = Decimal::ZERO;
        for (ai, adj) in rs.adjustments.iter().enumerate() {
            let r = self.adjustment(adj).at(At::Adjustment(ai, adj))?;
            deducted = sub(deducted, r.amount.value()).at(At::Adjustment(ai, adj))?;
            adjustments.push(r);
        }
        let mut base = sub(subtotal, deducted).at(At::Adjustments)?;
        if base < Decimal::ZERO {
            let line = self.line(
                "扣分后总分低于0分，按0分计".into(),
                negate(base),
                LineKind::Floor,
            );
            self.lines.push(line);
            base = Decimal::ZERO;
        }
        Ok((adjustments, base))
    }

    /// Every veto, and the grade (and total) after the triggered ones.
    fn vetoes(
        &mut self,
        mut total: Decimal,
        grade_by_score: Option<usize>,
    ) -> Result<Graded<'r>, Error> {
        let rs = self.rs;
        let mut grade = grade_by_score;
        let mut ungraded = false;
        let mut placement: Option<VetoRanking> = None;
        let mut vetoes = Vec::with_capacity(rs.vetoes.len());
        for (vi, veto) in rs.vetoes.iter().enumerate() {
            let triggered = match self.eval_bool(&veto.when).at(At::Veto(vi, veto))? {
                Outcome::Known(b) => Some(b),
                Outcome::Pending => {
                    self.add_pending(
                        "veto",
                        &veto.id,
                        &veto.title,
                        &[&veto.when],
                        &[],
                        Unknown::Pending,
                    );
                    None
                }
                Outcome::Undefined => {
                    self.add_pending(
                        "veto",
                        &veto.id,
                        &veto.title,
                        &[&veto.when],
                        &[],
                        Unknown::Undefined,
                    );
                    None
                }
            };
            let lowest = rs.lowest_grade();
            let by_score = grade_by_score.unwrap_or(lowest);
            let (effect, result_grade) = match veto.effect {
                VetoEffect::Fail => (EffectRef::Word("fail"), lowest),
                VetoEffect::Zero => (EffectRef::Word("zero"), lowest),
                VetoEffect::Ungraded => (EffectRef::Word("ungraded"), lowest),
                VetoEffect::MaxGrade(g) => (
                    EffectRef::MaxGrade {
                        max_grade: self.grade_name(g).unwrap_or_default(),
                    },
                    by_score.max(g),
                ),
                VetoEffect::LowerGrades(n) => (
                    EffectRef::LowerGrades { lower_grades: n },
                    by_score.saturating_add(n as usize).min(lowest),
                ),
            };
            if triggered == Some(true) {
                if veto.effect == VetoEffect::Zero && !total.is_zero() {
                    let line = self.line(
                        format!("一票否决「{}」：总分计为0分", veto.title),
                        negate(total),
                        LineKind::Veto,
                    );
                    self.lines.push(line);
                    total = Decimal::ZERO;
                }
                let line = self.line(
                    format!("一票否决「{}」：{}", veto.title, veto.effect_text),
                    Decimal::ZERO,
                    LineKind::Veto,
                );
                self.lines.push(line);
                grade = grade.map(|g| g.max(result_grade));
                ungraded |= veto.effect == VetoEffect::Ungraded;
                placement = match (placement, veto.ranking) {
                    (Some(VetoRanking::Excluded), _) | (_, Some(VetoRanking::Excluded)) => {
                        Some(VetoRanking::Excluded)
                    }
                    (p, r) => p.or(r),
                };
            }
            vetoes.push(VetoReport {
                id: &veto.id,
                title: &veto.title,
                triggered,
                effect,
                effect_text: &veto.effect_text,
                ranking: veto.ranking.map(VetoRanking::as_str),
            });
        }
        Ok(Graded {
            total,
            grade: if ungraded { None } else { grade },
            ungraded,
            vetoes,
            placement,
        })
    }

    /// A submission for another period is scored, with a warning.
    fn period_warning(&mut self) {
        if let Some(p) = &self.sub.period {
            if p != &self.rs.period {
                let message = format!(
                    "考核表的考核期「{p}」与考核细则的考核期「{}」不一致",
                    self.rs.period
                );
                self.warn(Code::SubmissionPeriod, "/period", message);
            }
        }
    }

    /// The report: the items in their sections, and the tail.
    pub(crate) fn assemble(&mut self, items: ScoredItems<'r>, tail: Tail<'r>) -> Report<'r> {
        let rs = self.rs;
        let sections = rs
            .sections
            .iter()
            .zip(items.reports)
            .zip(tail.sections)
            .map(|((section, items), part)| SectionReport {
                id: &section.id,
                title: &section.title,
                points: self.amount(section.points),
                out_of: section.out_of.map(|d| self.amount(d)),
                score: part.score,
                status: part.status,
                lines: part.lines,
                items,
            })
            .collect();
        let graded = tail.graded;
        Report {
            format: "kpi-report/1",
            unit: self.sub.unit.clone(),
            rules: RulesRef {
                id: &rs.id,
                version: &rs.version,
                title: &rs.title,
            },
            period: &rs.period,
            status: self.status(),
            total: self.amount(graded.total),
            grade: graded.grade.and_then(|g| self.grade_name(g)),
            grade_text: graded.ungraded.then_some("不评等次"),
            grade_by_score: tail.grade_by_score.and_then(|g| self.grade_name(g)),
            rank: None,
            full_score: self.amount(rs.full_score),
            subtotal: self.amount(tail.subtotal),
            sections,
            adjustments: tail.adjustments,
            bonus: tail.bonus,
            vetoes: graded.vetoes,
            lines: std::mem::take(&mut self.lines),
            pending: std::mem::take(&mut self.pending),
            warnings: std::mem::take(&mut self.warnings),
            meta: self.sub.meta.clone(),
            lists: self.list_counts(),
            self_assessment: None,
            fingerprint: Fingerprint {
                engine: ENGINE,
                rules: &rs.fingerprint,
                submission: submission_digest(self.sub, self.canonical),
            },
            placement: graded.placement,
        }
    }

    /// Final, or provisional while something is pending.
    pub(crate) fn status(&self) -> Status {
        if self.pending.is_empty() {
            Status::Final
        } else {
            Status::Provisional
        }
    }

    /// The grade after vetoes as the report names it.
    pub(crate) fn grade_of(&self, tail: &Tail<'r>) -> Option<&'r str> {
        tail.graded.grade.and_then(|g| self.grade_name(g))
    }

    /// Each record list's number of rows.
    fn list_counts(&self) -> Vec<ListCount<'r>> {
        let rs = self.rs;
        rs.inputs
            .iter()
            .filter_map(|input| {
                let slot = input.records.as_ref()?.list;
                let rows = match self.env.lists.get(slot) {
                    Some(Some(rows)) => u32::try_from(rows.len()).ok(),
                    _ => None,
                };
                Some(ListCount {
                    id: &input.id,
                    label: &input.label,
                    rows,
                })
            })
            .collect()
    }

    /// The grade a total gives (`None` without grades).
    fn grade_for(&self, total: Decimal) -> Option<usize> {
        let rs = self.rs;
        if rs.grades.is_empty() {
            return None;
        }
        Some(
            rs.grades
                .iter()
                .position(|g| g.admits(total))
                .unwrap_or_else(|| rs.lowest_grade()),
        )
    }

    fn grade_name(&self, index: usize) -> Option<&'r str> {
        self.rs.grades.get(index).map(|g| g.name.as_str())
    }

    /// Under `notes_required`, each item that loses points without a note keeps the report
    /// provisional (a pending entry of kind `note`).
    fn missing_notes(&mut self, items: &[Vec<ItemReport<'r>>]) {
        if !self.rs.notes_required {
            return;
        }
        for item in items.iter().flatten() {
            let lost = item.status == ItemStatus::Scored
                && item.score.is_some_and(|s| s.value() < item.points.value());
            let noted = self
                .sub
                .notes
                .get(item.id)
                .is_some_and(|n| !n.trim().is_empty());
            if lost && !noted {
                self.pending.push(PendingEntry {
                    kind: "note",
                    id: item.id,
                    title: item.title,
                    missing: Vec::new(),
                    reason: "失分项目须填写扣分情况说明".into(),
                });
            }
        }
    }
}
