//! Ranks by total (1-2-2-4), grade quotas and the incomplete-group rule, computed over what
//! ranking needs of each unit (`Standing`) rather than over reports: the batch that keeps its
//! reports and the streamed batch that keeps none share this code, and so give the same ranks.

use crate::decimal::{Amount, plain};
use crate::report::{LineKind, PendingEntry, Report, Status, TraceLine};
use crate::rules::{Order, RuleSet, VetoRanking};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// What ranking needs of one unit of a batch, and what ranking decides for it.
#[derive(Clone, Debug)]
pub(crate) struct Standing<'r> {
    /// Its group (分类排名; empty: none).
    pub group: String,
    /// Whether the unit asks to be ranked (`"ranked": false`: 纳入考核，不纳入排名).
    pub ranked: bool,
    /// What its report says, when it could be scored.
    pub scored: Option<Scored<'r>>,
    /// Its rank, once ranked (`Some(None)`: scored, not ranked).
    pub rank: Option<Option<u32>>,
    /// Quota lines for its report (grade moved down by a quota).
    pub lines: Vec<TraceLine>,
    /// The `batch` pending entry while a peer is incomplete.
    pub pending: Option<PendingEntry<'r>>,
}

/// The parts of a scored report ranking reads, and the grade it may change.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Scored<'r> {
    pub total: Decimal,
    pub grade: Option<&'r str>,
    pub grade_by_score: Option<&'r str>,
    pub placement: Option<VetoRanking>,
    pub provisional: bool,
}

impl<'r> Standing<'r> {
    /// The standing of a unit whose scoring gave `result`.
    pub(crate) fn of<E>(group: Option<&str>, ranked: bool, result: &Result<Report<'r>, E>) -> Self {
        Standing {
            group: group.unwrap_or_default().to_string(),
            ranked,
            scored: result.as_ref().ok().map(|r| Scored {
                total: r.total.value(),
                grade: r.grade,
                grade_by_score: r.grade_by_score,
                placement: r.placement,
                provisional: r.status == Status::Provisional,
            }),
            rank: None,
            lines: Vec::new(),
            pending: None,
        }
    }

    /// Writes what ranking decided into the unit's report, as the batch always has: its rank, the
    /// quota lines and grade, and the pending entry that keeps it provisional.
    pub(crate) fn apply(&self, report: &mut Report<'r>) {
        if self.rank.is_some() {
            report.rank = self.rank;
        }
        report.lines.extend(self.lines.iter().cloned());
        if let Some(s) = &self.scored {
            report.grade = s.grade;
        }
        if let Some(p) = &self.pending {
            report.status = Status::Provisional;
            report.pending.push(p.clone());
        }
    }

    /// Whether a veto took the unit out of the ranking (不参与排名), or it asks not to be ranked.
    fn is_ranked(&self) -> bool {
        self.ranked
            && self
                .scored
                .is_some_and(|s| s.placement != Some(VetoRanking::Excluded))
    }
}

impl RuleSet {
    /// Ranks every group, applies the grade quotas, then marks what waits for incomplete peers.
    pub(crate) fn rank_standings<'r>(&'r self, standings: &mut [Standing<'r>]) {
        // Groups by their members' indices (borrowing the names would hold `standings`).
        let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, s) in standings.iter().enumerate() {
            if s.scored.is_some() {
                groups.entry(s.group.as_str()).or_default().push(i);
            }
        }
        let groups: Vec<Vec<usize>> = groups.into_values().collect();
        for members in &groups {
            self.rank_group(members, standings);
        }
        self.mark_incomplete_groups(standings);
    }

    /// Competition ranks within one group, a veto's placement considered, then its quotas.
    fn rank_group<'r>(&'r self, members: &[usize], standings: &mut [Standing<'r>]) {
        // A veto may take a unit out of the ranking (不参与排名) or put it after every other
        // unit of its group (排名列末位).
        let ranked: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| standings.get(i).is_some_and(Standing::is_ranked))
            .collect();
        let (mut first, mut last): (Vec<Decimal>, Vec<Decimal>) = (Vec::new(), Vec::new());
        for &i in &ranked {
            if let Some(s) = standings.get(i).and_then(|s| s.scored) {
                if s.placement == Some(VetoRanking::Last) {
                    last.push(s.total);
                } else {
                    first.push(s.total);
                }
            }
        }
        sort_desc(&mut first);
        sort_desc(&mut last);
        let before_last = u32::try_from(first.len()).unwrap_or(u32::MAX);
        for &i in members {
            let Some(standing) = standings.get_mut(i) else {
                continue;
            };
            let Some(s) = standing.scored else { continue };
            let rank = standing.is_ranked().then(|| {
                if s.placement == Some(VetoRanking::Last) {
                    before_last.saturating_add(competition_rank(&last, s.total, Order::Desc))
                } else {
                    competition_rank(&first, s.total, Order::Desc)
                }
            });
            standing.rank = Some(rank);
        }
        self.apply_quotas(&ranked, standings);
    }

    /// At most `floor(max_share × units)` ranked units keep a quota grade, best totals first; a tie
    /// that would exceed the quota moves all tied units down. Units a veto lowered neither use a
    /// place nor move. Grades are processed from the highest, so a unit moved down competes for
    /// the next grade's places.
    fn apply_quotas<'r>(&'r self, ranked: &[usize], standings: &mut [Standing<'r>]) {
        let rank = |standings: &[Standing<'_>], i: usize| {
            standings
                .get(i)
                .and_then(|s| s.rank.flatten())
                .unwrap_or(u32::MAX)
        };
        let units = Decimal::from(ranked.len());
        // Units whose grade a veto lowered take no place in any quota; decided before the first
        // quota moves anyone (after that a moved unit's grade differs from its score's too).
        let lowered_by_veto = |standings: &[Standing<'_>], i: usize| {
            standings
                .get(i)
                .and_then(|s| s.scored)
                .is_some_and(|s| s.grade != s.grade_by_score)
        };
        let lowered: Vec<bool> = ranked
            .iter()
            .map(|&i| lowered_by_veto(standings, i))
            .collect();
        // Highest grade first (the grades' order), so a unit moved down competes for the next places.
        let in_grade_order =
            (0..self.grades.len()).filter_map(|g| self.quotas.iter().find(|q| q.grade == g));
        for q in in_grade_order {
            let Some(grade) = self.grades.get(q.grade) else {
                continue;
            };
            let limit = crate::decimal::mul(q.max_share, units)
                .map_or(0, |d| d.floor().try_into().unwrap_or(0usize));
            let holders: Vec<usize> = ranked
                .iter()
                .zip(&lowered)
                .filter(|&(&i, &lowered)| {
                    !lowered
                        && standings
                            .get(i)
                            .and_then(|s| s.scored)
                            .is_some_and(|s| s.grade == Some(grade.name.as_str()))
                })
                .map(|(&i, _)| i)
                .collect();
            let Some(next) = self.grades.get(q.grade.saturating_add(1)) else {
                continue;
            };
            // Sorted once: a holder's count of ranks at or before its own is a binary search.
            let mut holder_ranks: Vec<u32> = holders.iter().map(|&i| rank(standings, i)).collect();
            holder_ranks.sort_unstable();
            for &i in &holders {
                let own = rank(standings, i);
                let at_or_above = holder_ranks.partition_point(|x| *x <= own);
                if at_or_above <= limit {
                    continue;
                }
                if let Some(standing) = standings.get_mut(i) {
                    standing.lines.push(TraceLine {
                        reason: format!(
                            "「{}」等次比例不超过{}%（本组{}个单位，至多{}个），按名次调整为「{}」",
                            grade.name,
                            plain(q.max_share.saturating_mul(Decimal::ONE_HUNDRED)),
                            ranked.len(),
                            limit,
                            next.name
                        ),
                        points: Amount::new(Decimal::ZERO, self.scale),
                        kind: LineKind::Quota,
                        row: None,
                        group: None,
                    });
                    if let Some(s) = standing.scored.as_mut() {
                        s.grade = Some(next.name.as_str());
                    }
                }
            }
        }
    }

    /// Ranks and grade quotas are final only when every unit of the group is: while a peer is
    /// provisional or could not be scored, each unit whose outcome depends on its peers (every
    /// ranked unit not excluded by a veto, and any unit when the rule set reads peers' values) is
    /// provisional too, with a `batch` pending entry naming how many peers are not complete.
    fn mark_incomplete_groups(&self, standings: &mut [Standing<'_>]) {
        let incomplete = |s: &Standing<'_>| s.scored.is_none_or(|s| s.provisional);
        let mut by_group: BTreeMap<&str, usize> = BTreeMap::new();
        for s in standings.iter().filter(|s| incomplete(s)) {
            let n = by_group.entry(s.group.as_str()).or_default();
            *n = n.saturating_add(1);
        }
        if by_group.is_empty() {
            return;
        }
        // Per unit, its group's count (the map borrows the standings it is written into).
        let open: Vec<usize> = standings
            .iter()
            .map(|s| by_group.get(s.group.as_str()).copied().unwrap_or(0))
            .collect();
        let reads_peers = self.reads_peers();
        for (standing, open) in standings.iter_mut().zip(open) {
            let Some(s) = standing.scored else { continue };
            // A unit a veto took out of the ranking (不参与排名) has no rank or quota to wait for.
            if !(standing.is_ranked() || reads_peers) {
                continue;
            }
            let own = usize::from(s.provisional);
            let peers = open.saturating_sub(own);
            if peers == 0 {
                continue;
            }
            standing.pending = Some(PendingEntry {
                kind: "batch",
                id: "",
                title: "排名和等次比例",
                missing: Vec::new(),
                reason: format!(
                    "同组还有{peers}个单位未完成评分（暂定或无法评分），排名和等次比例为暂定"
                ),
            });
        }
    }
}

/// Sorts decimals highest first. One function for every such sort: each sort instantiation costs
/// wasm size.
pub(crate) fn sort_desc(v: &mut [Decimal]) {
    v.sort_unstable();
    v.reverse();
}

/// Competition rank of `v` among `sorted_desc` (ties share the better rank: 1-2-2-4); a value not
/// among them gets the place it would take.
pub(crate) fn competition_rank(sorted_desc: &[Decimal], v: Decimal, order: Order) -> u32 {
    let better = match order {
        Order::Desc => sorted_desc.partition_point(|x| *x > v),
        Order::Asc => sorted_desc
            .len()
            .saturating_sub(sorted_desc.partition_point(|x| *x >= v)),
    };
    u32::try_from(better).unwrap_or(u32::MAX).saturating_add(1)
}
