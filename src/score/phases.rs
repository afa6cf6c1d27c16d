//! The phases of scoring one submission, in order: items and sections, the rescaled sum,
//! adjustments and the floor at zero, bonus, vetoes and the grade, then the report; and what a
//! report says beside the score (record list counts, notes still required).
//!
//! The phases after the items fill a [`Tail`] part by part; a live form keeps it and evaluates
//! again only the parts a change reaches (`refresh` with a [`Dirty`] naming them), in the same
//! order as a full scoring, so that the first error is the same.

use super::scorer::{At, Calc, Located, Scorer, Unknown, add, div, mul, sub};
use super::tail::{
    Dirty, Graded, Part, Replaced, SectionPart, SectionSums, Tail, Which, put, taken,
};
use crate::code::Code;
use crate::decimal::{Plain, negate, round};
use crate::error::{Error, Problem};
use crate::expr::Outcome;
use crate::fingerprint::{ENGINE, Fingerprint, submission_digest};
use crate::report::*;
use crate::rules::*;
use rust_decimal::Decimal;

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

impl<'r> Scorer<'r, '_> {
    /// The phases, in order.
    pub(super) fn run(&mut self) -> Result<Report<'r>, Error> {
        let items = self.score_items()?;
        let tail = self.tail(&items)?;
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

    /// The phases after the items, every part evaluated: sections, rescaling, adjustments, bonus,
    /// vetoes and grade.
    pub(crate) fn tail(&mut self, items: &ScoredItems<'r>) -> Result<Tail<'r>, Error> {
        let mut tail = Tail::default();
        self.refresh(&mut tail, items, Dirty::ALL, &mut Replaced::default())?;
        self.period_warning();
        tail.warnings = std::mem::take(&mut self.warnings);
        Ok(tail)
    }

    /// The phases after the items on `t`: the parts `dirty` names are evaluated again (into `t`,
    /// what they replace into `old`), the others kept; the sums, the total, the grade and the
    /// report-level lines are made again. Parts are visited in a full scoring's order, so the
    /// first error is the one it gives. On an error `t` is partly updated: `t.restore(old)`.
    pub(crate) fn refresh(
        &mut self,
        t: &mut Tail<'r>,
        items: &ScoredItems<'r>,
        dirty: Dirty<'_>,
        old: &mut Replaced<'r>,
    ) -> Result<(), Error> {
        let sums = if dirty.sections.any() {
            self.sections(t, &items.reports, dirty.sections, old)?
        } else {
            // No item changed: the sections and their sums stand.
            t.totals.sums
        };
        if sums.items > 0 && sums.not_applicable == sums.items {
            return Err(Error::one(
                Code::ScoreNothingApplicable,
                "",
                "所有考核项目均不涉及（或被认定不涉及），没有可评分的项目，无法评分",
            ));
        }
        if dirty.sections.any() {
            // Notes depend on the items' results only (a live form's notes do not change).
            let from = self.pending.len();
            self.missing_notes(&items.reports);
            let notes = taken(&mut self.pending, from);
            old.notes = Some(std::mem::replace(&mut t.notes, notes));
        }
        let subtotal = self.rescale(&sums)?;
        let base = self.adjustments(t, subtotal, dirty.adjustments, old)?;
        let bonus = self.bonus_parts(t, dirty.bonus, old)?;
        let counted = bonus.as_ref().map_or(Decimal::ZERO, |(sum, _)| *sum);
        let total = add(base, counted).at(At::Total)?;
        let grade_by_score = self.grade_for(total);
        let graded = self.vetoes(t, total, grade_by_score, dirty.vetoes, old)?;
        let totals = super::tail::Totals {
            sums,
            subtotal,
            bonus,
            graded,
            grade_by_score,
            lines: std::mem::take(&mut self.lines),
        };
        old.totals = Some(std::mem::replace(&mut t.totals, totals));
        Ok(())
    }

    /// Each section's part (those `which` names made again from their items), and the sums.
    fn sections(
        &mut self,
        t: &mut Tail<'r>,
        items: &[Vec<ItemReport<'r>>],
        which: Which<'_>,
        old: &mut Replaced<'r>,
    ) -> Result<SectionSums, Error> {
        let rs = self.rs;
        let mut sums = SectionSums::default();
        for (si, section) in rs.sections.iter().enumerate() {
            if which.has(si) {
                let scored = items.get(si).map_or(&[][..], Vec::as_slice);
                let part = self.section(si, section, scored)?;
                put(&mut t.sections, si, part, &mut old.sections);
            }
            let Some(part) = t.sections.get(si) else {
                continue;
            };
            let s = part.sums;
            let mut count = || {
                sums.earned = add(sums.earned, s.earned)?;
                sums.applicable_points = add(sums.applicable_points, s.applicable_points)?;
                sums.all_points = add(sums.all_points, s.all_points)?;
                Calc::Ok(())
            };
            count().at(At::Section(si, section))?;
            sums.not_applicable = sums.not_applicable.saturating_add(s.not_applicable);
            sums.items = sums.items.saturating_add(s.items);
        }
        Ok(sums)
    }

    /// One section's score (converted when it has `out_of`) from its items, and its sums.
    fn section(
        &self,
        si: usize,
        section: &Section,
        scored: &[ItemReport<'r>],
    ) -> Result<SectionPart, Error> {
        let rs = self.rs;
        let mut sums = SectionSums::default();
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
        sums.earned = score;
        Ok(SectionPart {
            score: (!unscored).then(|| self.amount(score)),
            status: all_na.then_some(ItemStatus::NotApplicable),
            lines,
            sums,
        })
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

    /// The adjustments (those `which` names evaluated again), and the subtotal after them, held
    /// at zero.
    fn adjustments(
        &mut self,
        t: &mut Tail<'r>,
        subtotal: Decimal,
        which: Which<'_>,
        old: &mut Replaced<'r>,
    ) -> Result<Decimal, Error> {
        let rs = self.rs;
        let mut deducted = Decimal::ZERO;
        for (ai, adj) in rs.adjustments.iter().enumerate() {
            if which.has(ai) {
                let from = self.pending.len();
                let report = self.adjustment(adj).at(At::Adjustment(ai, adj))?;
                let pending = taken(&mut self.pending, from);
                put(
                    &mut t.adjustments,
                    ai,
                    Part { report, pending },
                    &mut old.adjustments,
                );
            }
            let amount = t
                .adjustments
                .get(ai)
                .map_or(Decimal::ZERO, |p| p.report.amount.value());
            deducted = sub(deducted, amount).at(At::Adjustment(ai, adj))?;
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
        Ok(base)
    }

    /// The bonus items (those `which` names evaluated again), and the bonus counted with the
    /// overall cap's line (`None` without bonus).
    fn bonus_parts(
        &mut self,
        t: &mut Tail<'r>,
        which: Which<'_>,
        old: &mut Replaced<'r>,
    ) -> Result<Option<(Decimal, Vec<TraceLine>)>, Error> {
        let Some(bonus) = &self.rs.bonus else {
            return Ok(None);
        };
        let mut sum = Decimal::ZERO;
        for (k, item) in bonus.items.iter().enumerate() {
            if which.has(k) {
                let from = self.pending.len();
                let report = self.bonus_item(item).at(At::Bonus)?;
                let pending = taken(&mut self.pending, from);
                put(&mut t.bonus, k, Part { report, pending }, &mut old.bonus);
            }
            let amount = t
                .bonus
                .get(k)
                .map_or(Decimal::ZERO, |p| p.report.amount.value());
            sum = add(sum, amount).at(At::Bonus)?;
        }
        Ok(Some(self.bonus_cap(bonus, sum).at(At::Bonus)?))
    }

    /// Every veto (those `which` names evaluated again), and the grade (and total) after the
    /// triggered ones.
    fn vetoes(
        &mut self,
        t: &mut Tail<'r>,
        mut total: Decimal,
        grade_by_score: Option<usize>,
        which: Which<'_>,
        old: &mut Replaced<'r>,
    ) -> Result<Graded, Error> {
        let rs = self.rs;
        let mut grade = grade_by_score;
        let mut ungraded = false;
        let mut placement: Option<VetoRanking> = None;
        let lowest = rs.lowest_grade();
        let by_score = grade_by_score.unwrap_or(lowest);
        for (vi, veto) in rs.vetoes.iter().enumerate() {
            if which.has(vi) {
                let part = self.veto(vi, veto)?;
                put(&mut t.vetoes, vi, part, &mut old.vetoes);
            }
            if t.vetoes.get(vi).and_then(|p| p.report.triggered) != Some(true) {
                continue;
            }
            let result_grade = match veto.effect {
                VetoEffect::Fail | VetoEffect::Zero | VetoEffect::Ungraded => lowest,
                VetoEffect::MaxGrade(g) => by_score.max(g),
                VetoEffect::LowerGrades(n) => by_score.saturating_add(n as usize).min(lowest),
            };
            if t.veto_words.len() <= vi {
                t.veto_words.resize(rs.vetoes.len(), None);
            }
            // Always there (resized above); a `let … else` rather than an index that could panic.
            let Some(words) = t.veto_words.get_mut(vi) else {
                continue;
            };
            let (zeroed, effect) = words.get_or_insert_with(|| {
                (
                    format!("一票否决「{}」：总分计为0分", veto.title),
                    format!("一票否决「{}」：{}", veto.title, veto.effect_text),
                )
            });
            if veto.effect == VetoEffect::Zero && !total.is_zero() {
                let line = self.line(zeroed.clone(), negate(total), LineKind::Veto);
                self.lines.push(line);
                total = Decimal::ZERO;
            }
            let line = self.line(effect.clone(), Decimal::ZERO, LineKind::Veto);
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
        Ok(Graded {
            total,
            grade: if ungraded { None } else { grade },
            ungraded,
            placement,
        })
    }

    /// Whether veto `vi` is triggered (`None` while pending, with its pending entry).
    fn veto(&mut self, vi: usize, veto: &'r Veto) -> Result<Part<'r, VetoReport<'r>>, Error> {
        let from = self.pending.len();
        let triggered = match self.eval_bool(&veto.when).at(At::Veto(vi, veto))? {
            Outcome::Known(b) => Some(b),
            outcome => {
                let why = match outcome {
                    Outcome::Undefined => Unknown::Undefined,
                    _ => Unknown::Pending,
                };
                let exprs = [&veto.when];
                self.add_pending("veto", &veto.id, &veto.title, &exprs, &[], why);
                None
            }
        };
        let effect = match veto.effect {
            VetoEffect::Fail => EffectRef::Word("fail"),
            VetoEffect::Zero => EffectRef::Word("zero"),
            VetoEffect::Ungraded => EffectRef::Word("ungraded"),
            VetoEffect::MaxGrade(g) => EffectRef::MaxGrade {
                max_grade: self.grade_name(g).unwrap_or_default(),
            },
            VetoEffect::LowerGrades(n) => EffectRef::LowerGrades { lower_grades: n },
        };
        let report = VetoReport {
            id: &veto.id,
            title: &veto.title,
            triggered,
            effect,
            effect_text: &veto.effect_text,
            ranking: veto.ranking.map(VetoRanking::as_str),
        };
        Ok(Part {
            report,
            pending: taken(&mut self.pending, from),
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

    /// The report's bonus part: the rule set's cap, the counted sum with its lines, the items
    /// (none without a bonus in the rule set).
    pub(crate) fn bonus_report(
        &self,
        total: Option<(Decimal, Vec<TraceLine>)>,
        items: Vec<BonusItemReport<'r>>,
    ) -> Option<BonusReport<'r>> {
        let cap = self.rs.bonus.as_ref()?.cap;
        total.map(|(sum, lines)| BonusReport {
            cap: self.amount(cap),
            amount: self.amount(sum),
            items,
            lines,
        })
    }

    /// The report: the items in their sections, and the tail.
    pub(crate) fn assemble(&mut self, items: ScoredItems<'r>, tail: Tail<'r>) -> Report<'r> {
        let rs = self.rs;
        // The items' pending entries and warnings first, in item order, then the tail's: moved,
        // not copied.
        let mut pending = Vec::new();
        let mut warnings = Vec::new();
        for added in items.entries.into_iter().flatten() {
            pending.extend(added.pending);
            warnings.extend(added.warnings);
        }
        pending.extend(tail.notes);
        warnings.extend(tail.warnings);
        let adjustments = reports(tail.adjustments, &mut pending);
        let bonus_items = reports(tail.bonus, &mut pending);
        let vetoes = reports(tail.vetoes, &mut pending);
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
        let totals = tail.totals;
        let graded = totals.graded;
        let bonus = self.bonus_report(totals.bonus, bonus_items);
        Report {
            format: "kpi-report/1",
            unit: self.sub.unit.clone(),
            rules: RulesRef {
                id: &rs.id,
                version: &rs.version,
                title: &rs.title,
            },
            period: &rs.period,
            status: if pending.is_empty() {
                Status::Final
            } else {
                Status::Provisional
            },
            total: self.amount(graded.total),
            grade: graded.grade.and_then(|g| self.grade_name(g)),
            grade_text: graded.ungraded.then_some("不评等次"),
            grade_by_score: totals.grade_by_score.and_then(|g| self.grade_name(g)),
            rank: None,
            full_score: self.amount(rs.full_score),
            subtotal: self.amount(totals.subtotal),
            sections,
            adjustments,
            bonus,
            vetoes,
            lines: totals.lines,
            pending,
            warnings,
            meta: self.sub.meta.clone(),
            lists: self.list_counts(),
            self_assessment: None,
            fingerprint: Fingerprint {
                engine: ENGINE,
                rules: &rs.fingerprint,
                submission: self
                    .canonical
                    .map(|c| submission_digest(self.sub, c))
                    .unwrap_or_default(),
            },
            placement: graded.placement,
        }
    }

    /// The grade after vetoes as the report names it.
    pub(crate) fn grade_of(&self, tail: &Tail<'r>) -> Option<&'r str> {
        tail.totals.graded.grade.and_then(|g| self.grade_name(g))
    }

    /// The grade the total alone gives, as the report names it.
    pub(crate) fn grade_by_score_of(&self, tail: &Tail<'r>) -> Option<&'r str> {
        tail.totals.grade_by_score.and_then(|g| self.grade_name(g))
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

/// The parts' results, their pending entries moved to the end of `pending`.
fn reports<'r, T>(parts: Vec<Part<'r, T>>, pending: &mut Vec<PendingEntry<'r>>) -> Vec<T> {
    parts
        .into_iter()
        .map(|p| {
            pending.extend(p.pending);
            p.report
        })
        .collect()
}
