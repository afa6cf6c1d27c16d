//! Reading what turns section scores into the total and the grade: adjustments, bonus, grades,
//! vetoes and quotas.

use super::common::{IdRegistry, InputScope, grade_index, read_combine, read_named};
use super::items::read_lines;
use super::provenance::read_provenance;
use crate::code::Code;
use crate::decimal::plain;
use crate::error::{pointer, pointer_at};
use crate::expr::Type;
use crate::json::Value;
use crate::reader::{Obj, Reader};
use crate::rules::*;
use crate::text::{Ids, same_as};
use rust_decimal::Decimal;

const ADJ_KEYS: &[&str] = &[
    "id", "title", "basis", "cap", "combine", "deduct", "sources", "example",
];

pub(super) fn read_adjustments(
    r: &mut Reader,
    top: &Obj,
    scope: &InputScope,
    ids: &mut IdRegistry,
) -> Vec<Adjustment> {
    let mut out = Vec::new();
    r.objects(
        top,
        "adjustments",
        false,
        &|i| format!("第{}个扣分项", i.saturating_add(1)),
        ADJ_KEYS,
        &mut |r, _, mut o| {
            let (id, title) = read_named(r, &mut o, ids, |id, title| {
                format!("扣分项「{title}」({id})")
            });
            let basis = r.opt_str(&o, "basis");
            let cap = r.opt_positive(&o, "cap");
            let combine = read_combine(r, &o);
            let lines = read_lines(r, &o, "deduct", scope, "扣");
            let provenance = read_provenance(r, &o, scope);
            if let (Some(id), Some(title), Some(lines)) = (id, title, lines) {
                out.push(Adjustment {
                    id,
                    title,
                    basis,
                    cap,
                    combine,
                    lines,
                    provenance,
                });
            }
        },
    );
    out
}

const BONUS_KEYS: &[&str] = &["cap", "items"];

const BONUS_ITEM_KEYS: &[&str] = &[
    "id",
    "title",
    "points",
    "basis",
    "combine",
    "add",
    "sources",
    "example",
    "assessor_na",
];

pub(super) fn read_bonus(
    r: &mut Reader,
    top: &Obj,
    scope: &InputScope,
    ids: &mut IdRegistry,
) -> Option<Bonus> {
    let v = top.get("bonus")?;
    let o = r.object(v, &top.at("bonus"), "加分（bonus）", BONUS_KEYS)?;
    let cap = r.positive(&o, "cap");
    let mut items = Vec::new();
    r.objects(
        &o,
        "items",
        true,
        &|i| format!("第{}个加分项", i.saturating_add(1)),
        BONUS_ITEM_KEYS,
        &mut |r, _, mut bo| {
            let (id, title) = read_named(r, &mut bo, ids, |id, title| {
                format!("加分项「{title}」({id})")
            });
            let points = r.positive(&bo, "points");
            let basis = r.opt_str(&bo, "basis");
            let combine = read_combine(r, &bo);
            let lines = read_lines(r, &bo, "add", scope, "加");
            let provenance = read_provenance(r, &bo, scope);
            let assessor_na = r.opt_bool(&bo, "assessor_na").unwrap_or(false);
            if let (Some(id), Some(title), Some(points), Some(lines)) = (id, title, points, lines) {
                items.push(BonusItem {
                    id,
                    title,
                    points,
                    basis,
                    combine,
                    lines,
                    provenance,
                    assessor_na,
                });
            }
        },
    );
    Some(Bonus { cap: cap?, items })
}

/// A grade's bound (`min` X, or `over` X: above `min` X) must be strictly below the previous one's;
/// an equal bound leaves one of the two unreachable (`grades.overlap`).
fn check_grade_order(r: &mut Reader, o: &Obj, key: &str, (m, over): (Decimal, bool), prev: &Grade) {
    let word = |over: bool| if over { "超过" } else { "最低分" };
    if (m, over) == (prev.min, prev.over) {
        r.push(
            Code::GradesOverlap,
            o.at(key),
            format!(
                "{}与上一等次「{}」的界限相同（{}{}），其中一个永远不会评出",
                o.what,
                prev.name,
                word(over),
                plain(m)
            ),
        );
    } else if (m, over) > (prev.min, prev.over) {
        r.push(
            Code::GradesOrder,
            o.at(key),
            format!(
                "等次应按最低分从高到低排列：{}的最低分{}不低于上一等次「{}」的{}",
                o.what,
                plain(m),
                prev.name,
                plain(prev.min)
            ),
        );
    }
}

/// The grades, highest first: each `min` X (X以上) or `over` X (超过X), strictly descending, the
/// lowest `min` 0; `"grades": []` is pure scoring (no grade at all).
pub(super) fn read_grades(
    r: &mut Reader,
    top: &Obj,
    full_score: Option<Decimal>,
    scope: &InputScope,
) -> Vec<Grade> {
    let mut grades: Vec<Grade> = Vec::new();
    let mut names = Ids::default();
    let n = r.objects(
        top,
        "grades",
        true,
        &|i| format!("第{}个等次", i.saturating_add(1)),
        &["name", "min", "over", "sources", "example"],
        &mut |r, _, mut o| {
            // A grade's name is its id (vetoes and quotas name it).
            let name = r.req_str(&o, "name").filter(|n| {
                r.check_text(n, false, true, &|| {
                    (o.at("name"), format!("{}的名称", o.what))
                })
            });
            if let Some(n) = &name {
                o.what = format!("等次「{n}」");
                if let Some((first, _)) = names.claim(n, "") {
                    r.push(
                        Code::IdDuplicate,
                        o.at("name"),
                        format!("等次名称{}重复", same_as(n, first)),
                    );
                }
            }
            let over = o.get("over").is_some();
            let key = if over { "over" } else { "min" };
            if over && o.get("min").is_some() {
                r.push(
                    Code::FieldValue,
                    o.path.clone(),
                    format!(
                        "{}的 min（以上，含本数）和 over（超过，不含本数）只能有一个",
                        o.what
                    ),
                );
            }
            let min = r.req_dec(&o, key);
            if let Some(m) = min {
                if let Some(prev) = grades.last() {
                    check_grade_order(r, &o, key, (m, over), prev);
                }
                if full_score.is_some_and(|f| m > f || (over && m == f)) {
                    r.push(
                        Code::GradesRange,
                        o.at(key),
                        format!("{}的最低分{}超过满分", o.what, plain(m)),
                    );
                }
            }
            let provenance = read_provenance(r, &o, scope);
            if let (Some(name), Some(min)) = (name, min) {
                grades.push(Grade {
                    name,
                    min,
                    over,
                    provenance,
                });
            }
        },
    );
    if let Some(last) = grades.last() {
        if (!last.min.is_zero() || last.over) && grades.len() == n {
            let key = if last.over { "over" } else { "min" };
            r.push(
                Code::GradesLowest,
                pointer(&pointer_at(&top.at("grades"), n.saturating_sub(1)), key),
                if last.over {
                    format!(
                        "最低等次「{}」应写作 min（以上，含本数）且最低分为0，否则{}分的总分没有等次",
                        last.name,
                        plain(last.min)
                    )
                } else {
                    format!(
                        "最低等次「{}」的最低分应为0，否则低于{}分的总分没有等次",
                        last.name,
                        plain(last.min)
                    )
                },
            );
        }
    }
    grades
}

const VETO_KEYS: &[&str] = &[
    "id", "title", "basis", "when", "effect", "ranking", "sources", "example",
];

pub(super) fn read_vetoes(
    r: &mut Reader,
    top: &Obj,
    scope: &InputScope,
    ids: &mut IdRegistry,
    grades: &[Grade],
) -> Vec<Veto> {
    let mut out = Vec::new();
    r.objects(
        top,
        "vetoes",
        false,
        &|i| format!("第{}个否决项", i.saturating_add(1)),
        VETO_KEYS,
        &mut |r, _, mut o| {
            let (id, title) = read_named(r, &mut o, ids, |id, title| {
                format!("否决项「{title}」({id})")
            });
            let basis = r.opt_str(&o, "basis");
            let when = r.expr(&o, "when", scope, Type::Bool);
            let effect = read_effect(r, &o, grades);
            let ranking = match r.opt_enum(&o, "ranking", &["last", "excluded"]) {
                Ok(Some("last")) => Some(VetoRanking::Last),
                Ok(Some(_)) => Some(VetoRanking::Excluded),
                _ => None,
            };
            let provenance = read_provenance(r, &o, scope);
            if let (Some(id), Some(title), Some(when), Some(effect)) = (id, title, when, effect) {
                let mut effect_text = effect.text(grades);
                match ranking {
                    Some(VetoRanking::Last) => effect_text.push_str("，排名列末位"),
                    Some(VetoRanking::Excluded) => effect_text.push_str("，不参与排名"),
                    None => {}
                }
                out.push(Veto {
                    id,
                    title,
                    basis,
                    when,
                    effect_text,
                    effect,
                    provenance,
                    ranking,
                });
            }
        },
    );
    out
}

fn read_effect(r: &mut Reader, o: &Obj, grades: &[Grade]) -> Option<VetoEffect> {
    let path = o.at("effect");
    let bad = |r: &mut Reader| {
        r.push(
            Code::VetoEffect,
            path.clone(),
            format!("{}的 effect 应为 \"fail\"、\"zero\"、\"ungraded\"、{{\"max_grade\": 等次}} 或 {{\"lower_grades\": N}}", o.what),
        )
    };
    let effect = read_effect_value(r, o, grades, &bad)?;
    if grades.is_empty() && !matches!(effect, VetoEffect::Zero | VetoEffect::Ungraded) {
        r.push(
            Code::VetoEffect,
            path,
            format!(
                "{}：考核细则未设等次（grades 为空），否决后果只能是 \"zero\" 或 \"ungraded\"",
                o.what
            ),
        );
        return None;
    }
    Some(effect)
}

fn read_effect_value(
    r: &mut Reader,
    o: &Obj,
    grades: &[Grade],
    bad: &dyn Fn(&mut Reader),
) -> Option<VetoEffect> {
    let path = o.at("effect");
    match o.get("effect") {
        None => {
            r.missing(o, "effect");
            None
        }
        Some(Value::String(s)) if s == "fail" => Some(VetoEffect::Fail),
        Some(Value::String(s)) if s == "zero" => Some(VetoEffect::Zero),
        Some(Value::String(s)) if s == "ungraded" => Some(VetoEffect::Ungraded),
        Some(v @ Value::Object(_)) => {
            let eo = r.object(
                v,
                &path,
                &format!("{}的 effect", o.what),
                &["max_grade", "lower_grades"],
            )?;
            match (eo.get("max_grade"), eo.get("lower_grades")) {
                (Some(_), None) => {
                    let name = r.req_str(&eo, "max_grade")?;
                    match grade_index(grades, &name) {
                        Some(g) => Some(VetoEffect::MaxGrade(g)),
                        None if grades.is_empty() => Some(VetoEffect::MaxGrade(0)),
                        None => {
                            let names: Vec<&str> = grades.iter().map(|g| g.name.as_str()).collect();
                            r.push(
                                Code::GradesUnknown,
                                eo.at("max_grade"),
                                format!(
                                    "{}的 max_grade「{name}」不是已定义的等次（{}）",
                                    o.what,
                                    names.join("、")
                                ),
                            );
                            None
                        }
                    }
                }
                (None, Some(n)) => match n.as_u64().and_then(|n| u32::try_from(n).ok()) {
                    Some(n) if n >= 1 => Some(VetoEffect::LowerGrades(n)),
                    _ => {
                        r.push(
                            Code::VetoEffect,
                            eo.at("lower_grades"),
                            format!("{}的 lower_grades 应为不小于1的整数", o.what),
                        );
                        None
                    }
                },
                _ => {
                    bad(r);
                    None
                }
            }
        }
        Some(_) => {
            bad(r);
            None
        }
    }
}

pub(super) fn read_quotas(
    r: &mut Reader,
    top: &Obj,
    grades: &[Grade],
    scope: &InputScope,
) -> Vec<Quota> {
    let mut out: Vec<Quota> = Vec::new();
    r.objects(
        top,
        "quotas",
        false,
        &|i| format!("第{}个等次比例限制", i.saturating_add(1)),
        &["grade", "max_share", "sources", "example"],
        &mut |r, _, o| {
            if grades.is_empty() {
                r.push(
                    Code::QuotaGrade,
                    o.path.clone(),
                    format!(
                        "{}：考核细则未设等次（grades 为空），不能设等次比例限制",
                        o.what
                    ),
                );
                return;
            }
            let name = r.req_str(&o, "grade");
            let share = r.req_dec(&o, "max_share");
            if let Some(s) = share {
                if s <= Decimal::ZERO || s > Decimal::ONE {
                    r.push(
                        Code::DecimalRange,
                        o.at("max_share"),
                        format!("{}的 max_share 应大于0且不超过1，实为{}", o.what, plain(s)),
                    );
                }
            }
            let grade = name.as_deref().and_then(|n| {
                let g = grade_index(grades, n);
                if g.is_none() {
                    r.push(
                        Code::GradesUnknown,
                        o.at("grade"),
                        format!("{}引用了未定义的等次「{n}」", o.what),
                    );
                }
                g
            });
            if let Some(g) = grade {
                if out.iter().any(|q| q.grade == g) {
                    r.push(
                        Code::IdDuplicate,
                        o.at("grade"),
                        format!("等次「{}」的比例限制重复", name.unwrap_or_default()),
                    );
                }
                if g == grades.len().saturating_sub(1) {
                    r.push(
                        Code::QuotaLowest,
                        o.at("grade"),
                        "最低等次不能设比例限制（超出的单位无处可降）",
                    );
                }
            }
            let provenance = read_provenance(r, &o, scope);
            if let (Some(grade), Some(max_share)) = (grade, share) {
                out.push(Quota {
                    grade,
                    max_share,
                    provenance,
                });
            }
        },
    );
    out
}
