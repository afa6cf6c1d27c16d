//! What the phases after the items keep (`Tail`): each section's, adjustment's, bonus item's and
//! veto's result with the pending entries it added, and the figures summed from them. A report is
//! put together from it; a live form keeps it between changes and evaluates again only the parts
//! a changed value reaches (`Which`), the replaced parts going to `Replaced`, both to undo a
//! refused change and to say what changed.

use crate::error::Problem;
use crate::report::{
    AdjustmentReport, BonusItemReport, ItemStatus, PendingEntry, TraceLine, VetoReport,
};
use crate::rules::VetoRanking;
use rust_decimal::Decimal;

/// What one section adds up to, and (summed over the sections) what rescaling needs.
#[derive(Clone, Copy, Default)]
pub(crate) struct SectionSums {
    /// Σ section scores.
    pub earned: Decimal,
    /// Σ points of the items that are applicable (pending ones included).
    pub applicable_points: Decimal,
    /// Σ points of every item.
    pub all_points: Decimal,
    /// How many items are not applicable.
    pub not_applicable: usize,
    /// How many items there are.
    pub items: usize,
}

/// A section's own part of the report: its score, whether every item is not applicable, its
/// conversion line, and what it adds to the sums.
#[derive(Clone)]
pub(crate) struct SectionPart {
    /// The section's score (`None`: not scored, every item not applicable under rescaling).
    pub score: Option<crate::decimal::Amount>,
    /// `not_applicable` when every item of it is.
    pub status: Option<ItemStatus>,
    /// Its conversion line (`out_of`).
    pub lines: Vec<TraceLine>,
    /// What it adds to the sums.
    pub sums: SectionSums,
}

impl SectionPart {
    /// Whether the report shows it differently (its sums follow from its items).
    pub(crate) fn shows_as(&self, other: &SectionPart) -> bool {
        self.score == other.score && self.status == other.status && self.lines == other.lines
    }
}

/// An adjustment's, bonus item's or veto's result and the pending entries evaluating it added.
#[derive(Clone)]
pub(crate) struct Part<'r, T> {
    /// The part's result, as the report shows it.
    pub report: T,
    /// The pending entries evaluating it added (the report lists them after the items').
    pub pending: Vec<PendingEntry<'r>>,
}

/// The grade a total gives, and what the vetoes made of it.
#[derive(Clone, Copy, Default, PartialEq)]
pub(crate) struct Graded {
    /// The total after vetoes.
    pub total: Decimal,
    /// The grade after vetoes (`None`: no grades, or withheld by a veto).
    pub grade: Option<usize>,
    /// A veto withheld the grade (不评等次).
    pub ungraded: bool,
    /// Where a triggered veto puts the unit in a batch's ranking.
    pub placement: Option<VetoRanking>,
}

/// The figures summed from the parts, made again on every change.
#[derive(Clone, Default)]
pub(crate) struct Totals {
    /// The sections' sums (kept while no section changes).
    pub sums: SectionSums,
    /// The sections' sum, rescaled when the rule set says so.
    pub subtotal: Decimal,
    /// The bonus counted and the overall cap's line (`None`: the rule set has no bonus).
    pub bonus: Option<(Decimal, Vec<TraceLine>)>,
    /// The total, grade and placement after vetoes.
    pub graded: Graded,
    /// The grade the total alone gives (index into the grades).
    pub grade_by_score: Option<usize>,
    /// Report-level trace lines: rescaling, the floor at zero, veto effects.
    pub lines: Vec<TraceLine>,
}

/// Everything a report has besides its items: what the phases after the items made of them.
#[derive(Clone, Default)]
pub(crate) struct Tail<'r> {
    /// Each section's own part, in order.
    pub sections: Vec<SectionPart>,
    /// The pending entries of notes still required (`notes_required`).
    pub notes: Vec<PendingEntry<'r>>,
    /// Each adjustment, in order.
    pub adjustments: Vec<Part<'r, AdjustmentReport<'r>>>,
    /// Each bonus item, in order (empty without bonus).
    pub bonus: Vec<Part<'r, BonusItemReport<'r>>>,
    /// Each veto, in order.
    pub vetoes: Vec<Part<'r, VetoReport<'r>>>,
    /// What is summed from the parts.
    pub totals: Totals,
    /// The phases' own warnings (the period's), after the items'.
    pub warnings: Vec<Problem>,
    /// Each triggered veto's trace texts (total zeroed, effect), written the first time it
    /// triggers: they name only the veto, and a live form writes its lines again on every change.
    pub veto_words: Vec<Option<(String, String)>>,
}

impl<'r> Tail<'r> {
    /// The total after vetoes.
    pub(crate) fn total(&self) -> Decimal {
        self.totals.graded.total
    }

    /// Whether a part after the items is pending.
    pub(crate) fn has_pending(&self) -> bool {
        !self.notes.is_empty()
            || self.adjustments.iter().any(|p| !p.pending.is_empty())
            || self.bonus.iter().any(|p| !p.pending.is_empty())
            || self.vetoes.iter().any(|p| !p.pending.is_empty())
    }

    /// The pending entries after the items', in report order: notes, adjustments, bonus, vetoes.
    pub(crate) fn pending(&self) -> impl Iterator<Item = &PendingEntry<'r>> {
        self.notes
            .iter()
            .chain(self.adjustments.iter().flat_map(|p| &p.pending))
            .chain(self.bonus.iter().flat_map(|p| &p.pending))
            .chain(self.vetoes.iter().flat_map(|p| &p.pending))
    }

    /// Puts back what a refused change replaced.
    pub(crate) fn restore(&mut self, old: Replaced<'r>) {
        fn back<T>(v: &mut [T], old: Vec<(usize, T)>) {
            // Newest first: a part replaced twice gets its first value back.
            for (k, x) in old.into_iter().rev() {
                if let Some(slot) = v.get_mut(k) {
                    *slot = x;
                }
            }
        }
        back(&mut self.sections, old.sections);
        back(&mut self.adjustments, old.adjustments);
        back(&mut self.bonus, old.bonus);
        back(&mut self.vetoes, old.vetoes);
        if let Some(notes) = old.notes {
            self.notes = notes;
        }
        if let Some(totals) = old.totals {
            self.totals = totals;
        }
    }
}

/// What evaluating the phases again replaced in a [`Tail`], by position.
#[derive(Default)]
pub(crate) struct Replaced<'r> {
    /// Sections made again: (position, the part before).
    pub sections: Vec<(usize, SectionPart)>,
    /// The notes before, when they were made again.
    pub notes: Option<Vec<PendingEntry<'r>>>,
    /// Adjustments evaluated again: (position, the part before).
    pub adjustments: Vec<(usize, Part<'r, AdjustmentReport<'r>>)>,
    /// Bonus items evaluated again: (position, the part before).
    pub bonus: Vec<(usize, Part<'r, BonusItemReport<'r>>)>,
    /// Vetoes evaluated again: (position, the part before).
    pub vetoes: Vec<(usize, Part<'r, VetoReport<'r>>)>,
    /// The totals before (set only when the phases went through).
    pub totals: Option<Totals>,
}

/// Which parts of one kind to evaluate again.
#[derive(Clone, Copy)]
pub(crate) enum Which<'d> {
    /// Every one (a report, or a live form's first scoring).
    All,
    /// These, by position (a live form's change: the parts reading the changed value).
    Only(&'d [usize]),
}

impl Which<'_> {
    /// Whether part `k` is to be evaluated again.
    pub(crate) fn has(self, k: usize) -> bool {
        match self {
            Which::All => true,
            Which::Only(list) => list.contains(&k),
        }
    }

    /// Whether any part is.
    pub(crate) fn any(self) -> bool {
        match self {
            Which::All => true,
            Which::Only(list) => !list.is_empty(),
        }
    }
}

/// Which parts to evaluate again, kind by kind.
#[derive(Clone, Copy)]
pub(crate) struct Dirty<'d> {
    /// Sections (and the notes) whose items changed.
    pub sections: Which<'d>,
    /// Adjustments reading the changed value.
    pub adjustments: Which<'d>,
    /// Bonus items reading it.
    pub bonus: Which<'d>,
    /// Vetoes reading it.
    pub vetoes: Which<'d>,
}

impl Dirty<'_> {
    /// Everything.
    pub(crate) const ALL: Dirty<'static> = Dirty {
        sections: Which::All,
        adjustments: Which::All,
        bonus: Which::All,
        vetoes: Which::All,
    };
}

/// Puts `x` at `k`: in place (the old one logged) or, filling a new tail in order, at the end.
pub(crate) fn put<T>(v: &mut Vec<T>, k: usize, x: T, log: &mut Vec<(usize, T)>) {
    match v.get_mut(k) {
        Some(slot) => log.push((k, std::mem::replace(slot, x))),
        None => v.push(x),
    }
}

/// What was pushed to `v` from `from` on, taken off (no allocation when nothing was).
pub(crate) fn taken<T>(v: &mut Vec<T>, from: usize) -> Vec<T> {
    if v.len() <= from {
        Vec::new()
    } else {
        v.split_off(from)
    }
}
