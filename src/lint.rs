//! Checks across a rule set's parts, found at load time like every other problem: points that do
//! not add up or are finer than the scale, bands that do not tile, inputs that are unknown to their
//! section or that no rule reads, judged inputs read twice. They are mistakes in a rules document,
//! so they are errors too.

use crate::code::Code;
use crate::decimal::plain;
use crate::expr::{Expr, Value as V};
use crate::reader::{Obj, Reader};
use crate::rules::*;
use rust_decimal::Decimal;
use std::collections::BTreeSet;

/// Sorted by `min`, bands must meet exactly: no gap, no overlap, one open end each side at most.
pub(crate) fn check_band_tiling(r: &mut Reader, o: &Obj, item: &str, bands: &[(usize, Band)]) {
    // Sorted by `min` (none first), equal ones in their written order. A selection sort: a
    // rule set has at most `MAX_LIST` bands, and every sort instantiation costs kilobytes of wasm.
    let mut left: Vec<&(usize, Band)> = bands.iter().collect();
    let mut sorted: Vec<&(usize, Band)> = Vec::with_capacity(left.len());
    while let Some((k, _)) = left
        .iter()
        .enumerate()
        .min_by_key(|(_, b)| (b.1.min, b.1.over))
    {
        sorted.push(left.remove(k));
    }
    let path = o.at("bands");
    if sorted.iter().filter(|b| b.1.min.is_none()).count() > 1 {
        r.push(
            Code::BandsOverlap,
            path.clone(),
            format!("{item}有多个区间没有下限 min，区间重叠"),
        );
        return;
    }
    if sorted.iter().filter(|b| b.1.max.is_none()).count() > 1 {
        r.push(
            Code::BandsOverlap,
            path.clone(),
            format!("{item}有多个区间没有上限 max，区间重叠"),
        );
        return;
    }
    // The legacy `max` of the band with the greatest one includes its value when no other band does.
    let top_max = bands
        .iter()
        .filter(|(_, b)| b.upper == Upper::Max)
        .filter_map(|(_, b)| b.max)
        .max();
    for pair in sorted.windows(2) {
        let [(ia, a), (ib, b)] = pair else { continue };
        let (na, nb) = (ia.saturating_add(1), ib.saturating_add(1));
        if let (Some(hi), Some(lo)) = (a.max, b.min) {
            if hi == lo {
                // Both include the shared value, or neither does.
                let a_includes = match a.upper {
                    Upper::Upto => true,
                    Upper::Under => false,
                    Upper::Max => b.over && top_max == Some(hi),
                };
                if a_includes && !b.over {
                    r.push(
                        Code::BandsOverlap,
                        path.clone(),
                        format!(
                            "{item}的第{na}个区间与第{nb}个区间重叠：{} 同时属于两个区间",
                            plain(hi)
                        ),
                    );
                } else if !a_includes && b.over {
                    r.push(
                        Code::BandsGap,
                        path.clone(),
                        format!(
                            "{item}的第{na}个区间与第{nb}个区间之间有空档：{} 没有对应得分（两个区间都不含{}）",
                            plain(hi),
                            plain(hi)
                        ),
                    );
                }
                continue;
            }
        }
        match (a.max, b.min) {
            (Some(hi), Some(lo)) if hi < lo => r.push(
                Code::BandsGap,
                path.clone(),
                format!(
                    "{item}的第{}个区间与第{}个区间之间有空档：{} 到 {} 没有对应得分",
                    ia.saturating_add(1),
                    ib.saturating_add(1),
                    plain(hi),
                    plain(lo)
                ),
            ),
            (Some(hi), Some(lo)) if hi > lo => r.push(
                Code::BandsOverlap,
                path.clone(),
                format!(
                    "{item}的第{}个区间与第{}个区间重叠（{} 到 {}）",
                    ia.saturating_add(1),
                    ib.saturating_add(1),
                    plain(lo),
                    plain(hi)
                ),
            ),
            (None, _) => r.push(
                Code::BandsOverlap,
                path.clone(),
                format!(
                    "{item}的第{}个区间没有上限，与第{}个区间重叠",
                    ia.saturating_add(1),
                    ib.saturating_add(1)
                ),
            ),
            _ => {}
        }
    }
}

pub(crate) fn check_input_sections(r: &mut Reader, inputs: &[Input], sections: &[Section]) {
    for (i, input) in inputs.iter().enumerate() {
        if let Some(s) = &input.section {
            if !sections.iter().any(|sec| &sec.id == s) {
                r.push(
                    Code::InputUnknownSection,
                    format!("/inputs/{i}/section"),
                    format!("{}的 section「{s}」不是已定义的部分 id", input_name(input)),
                );
            }
        }
    }
}

/// Every input index some rule reads (expressions, judged items, other inputs' bounds).
pub(crate) fn used_inputs(rs: &RuleSet) -> BTreeSet<usize> {
    let mut exprs: Vec<&Expr> = rs
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .flat_map(Item::exprs)
        .collect();
    exprs.extend(rs.adjustments.iter().flat_map(|a| line_exprs(&a.lines)));
    exprs.extend(
        rs.bonus
            .iter()
            .flat_map(|b| &b.items)
            .flat_map(|i| line_exprs(&i.lines)),
    );
    exprs.extend(rs.vetoes.iter().map(|v| &v.when));
    let mut used: BTreeSet<usize> = BTreeSet::new();
    for e in &exprs {
        used.extend(e.inputs().iter().copied());
    }
    // Record lists read by `each` lines.
    let item_lines = rs
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .flat_map(|i| match &i.rule {
            Rule::Deduct(lines) => lines.as_slice(),
            _ => &[],
        });
    let other_lines = rs.adjustments.iter().flat_map(|a| &a.lines).chain(
        rs.bonus
            .iter()
            .flat_map(|b| &b.items)
            .flat_map(|i| &i.lines),
    );
    used.extend(item_lines.chain(other_lines).filter_map(|l| l.each));
    used.extend(
        rs.sections
            .iter()
            .flat_map(|s| &s.items)
            .filter_map(Item::judged_input),
    );
    for input in &rs.inputs {
        for b in [&input.min, &input.max].into_iter().flatten() {
            if let Bound::Input(j) = b {
                used.insert(*j);
            }
        }
    }
    used
}

/// Points that sections, totals and caps add up must be whole units of `scale` places: scores are
/// rounded to `scale`, and a total of rounded parts then stays exactly representable (full marks
/// of 4.005 with scale 2, or a bonus cap of 2.5 with scale 0, would give totals the report cannot
/// show as they are).
pub(crate) fn check_points_scale(r: &mut Reader, rs: &RuleSet) {
    let mut check = |d: Decimal, path: String, what: &dyn Fn() -> String| {
        if d.normalize().scale() > rs.scale {
            r.push(
                Code::PointsScale,
                path,
                format!(
                    "{}为{}，小数位数超过计分精度 scale（{}位）",
                    what(),
                    plain(d),
                    rs.scale
                ),
            );
        }
    };
    check(rs.full_score, "/full_score".into(), &|| {
        "满分 full_score".into()
    });
    for (si, s) in rs.sections.iter().enumerate() {
        check(s.points, format!("/sections/{si}/points"), &|| {
            format!("部分「{}」的分值", s.title)
        });
        if let Some(o) = s.out_of {
            check(o, format!("/sections/{si}/out_of"), &|| {
                format!("部分「{}」的折算前满分", s.title)
            });
        }
        for (ii, item) in s.items.iter().enumerate() {
            check(
                item.points,
                format!("/sections/{si}/items/{ii}/points"),
                &|| format!("项目「{} {}」的分值", item.id, item.title),
            );
        }
    }
    for (ai, a) in rs.adjustments.iter().enumerate() {
        if let Some(c) = a.cap {
            check(c, format!("/adjustments/{ai}/cap"), &|| {
                format!("扣分项「{}」的上限", a.title)
            });
        }
    }
    for (gi, g) in rs.grades.iter().enumerate() {
        let key = if g.over { "over" } else { "min" };
        check(g.min, format!("/grades/{gi}/{key}"), &|| {
            format!("等次「{}」的最低分", g.name)
        });
    }
    if let Some(b) = &rs.bonus {
        check(b.cap, "/bonus/cap".into(), &|| "加分上限 bonus.cap".into());
        for (bi, item) in b.items.iter().enumerate() {
            check(item.points, format!("/bonus/items/{bi}/points"), &|| {
                format!("加分项「{}」的分值", item.title)
            });
        }
    }
}

/// A judged score (评议分) is entered for one item: an input read by two judged items would give
/// both the same score whatever their points, and its `default` must be a score within the item's
/// points.
pub(crate) fn check_judged_inputs(r: &mut Reader, rs: &RuleSet) {
    let mut seen: Vec<(usize, &Item)> = Vec::new();
    for (si, s) in rs.sections.iter().enumerate() {
        for (ii, item) in s.items.iter().enumerate() {
            let Some(i) = item.judged_input() else {
                continue;
            };
            let Some(input) = rs.inputs.get(i) else {
                continue;
            };
            let path = format!("/sections/{si}/items/{ii}/judged/input");
            if let Some((_, first)) = seen.iter().find(|(j, _)| *j == i) {
                r.push(
                    Code::JudgedInput,
                    path.clone(),
                    format!(
                        "{}已是项目「{} {}」的评议分，不能再用于项目「{} {}」",
                        input_name(input),
                        first.id,
                        first.title,
                        item.id,
                        item.title
                    ),
                );
            }
            seen.push((i, item));
            if let Some(V::Number(d)) = input.default {
                if d < Decimal::ZERO || d > item.points {
                    r.push(
                        Code::InputDefault,
                        path,
                        format!(
                            "{}是项目「{} {}」的评议分，其 default {}不在0到{}分之间",
                            input_name(input),
                            item.id,
                            item.title,
                            plain(d),
                            plain(item.points)
                        ),
                    );
                }
            }
        }
    }
}

pub(crate) fn check_unused_inputs(r: &mut Reader, rs: &RuleSet) {
    let used = used_inputs(rs);
    for (i, input) in rs.inputs.iter().enumerate() {
        if !matches!(input.kind, InputType::Text | InputType::Date) && !used.contains(&i) {
            r.push(
                Code::InputUnused,
                format!("/inputs/{i}"),
                format!("{}没有被任何计分规则使用", input_name(input)),
            );
        }
        if input.kind == InputType::Choice
            && !input.required
            && input.default.is_none()
            && used.contains(&i)
        {
            r.push(
                Code::InputDefault,
                format!("/inputs/{i}"),
                format!(
                    "{}是选填的选择类输入且参与计分，须设置 default",
                    input_name(input)
                ),
            );
        }
    }
}

/// Section points sum to `full_score`.
pub(crate) fn check_sections_sum(
    r: &mut Reader,
    full_score: Option<Decimal>,
    sections: &[Section],
) {
    let Some(full) = full_score else { return };
    let sum: Decimal = sections.iter().map(|s| s.points).sum();
    if !sections.is_empty() && sum != full {
        r.push(
            Code::PointsSectionsSum,
            "/full_score",
            format!(
                "各部分分值之和为{}分，与满分 full_score {}分不一致",
                plain(sum),
                plain(full)
            ),
        );
    }
}

/// A section's item points (`sum`) sum to its `out_of` when it has one, else to its `points`.
pub(crate) fn check_items_sum(
    r: &mut Reader,
    o: &Obj,
    sum: Decimal,
    points: Option<Decimal>,
    out_of: Option<Decimal>,
) {
    let (target, key, name) = match out_of {
        Some(n) => (Some(n), "out_of", "折算前满分 out_of"),
        None => (points, "points", "分值"),
    };
    if let Some(target) = target {
        if sum != target {
            r.push(
                Code::PointsItemsSum,
                o.at(key),
                format!(
                    "{}各项目分值之和为{}分，与该部分{}{}分不一致",
                    o.what,
                    plain(sum),
                    name,
                    plain(target)
                ),
            );
        }
    }
}
