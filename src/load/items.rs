//! Reading sections, items, their scoring rules (`deduct`, `rate`, `bands`, `judged`, `rank`,
//! `formula`) and the lines of deductions and additions.

use super::common::{IdRegistry, InputScope, read_combine, read_named};
use super::provenance::read_provenance;
use crate::code::Code;
use crate::decimal::plain;
use crate::expr::Type;
use crate::lint;
use crate::reader::{Obj, Reader};
use crate::rules::*;
use crate::text::{Ids, same_as};
use rust_decimal::Decimal;

const SECTION_KEYS: &[&str] = &["id", "title", "points", "out_of", "items"];

pub(super) fn read_sections(
    r: &mut Reader,
    top: &Obj,
    scope: &InputScope,
    ids: &mut IdRegistry,
) -> Vec<Section> {
    let mut sections = Vec::new();
    let mut section_ids = Ids::default();
    let name = |si: usize| format!("第{}部分", si.saturating_add(1));
    let n = r.objects(
        top,
        "sections",
        true,
        &name,
        SECTION_KEYS,
        &mut |r, si, mut o| {
            let id = r.req_str(&o, "id");
            let title = r.req_str(&o, "title");
            if let Some(t) = &title {
                o.what = format!("第{}部分「{t}」", si.saturating_add(1));
            }
            if let Some(id) = &id {
                if let Some((first, _)) = section_ids.claim(id, "") {
                    r.push(
                        Code::IdDuplicate,
                        o.at("id"),
                        format!("部分 id{}重复", same_as(id, first)),
                    );
                }
            }
            let points = r.positive(&o, "points");
            let out_of = r.opt_positive(&o, "out_of");
            let mut items: Vec<Item> = Vec::new();
            let n = r.objects(
                &o,
                "items",
                true,
                &|_| "考核项目".into(),
                ITEM_KEYS,
                &mut |r, _, item| {
                    items.extend(read_item(r, item, scope, ids));
                },
            );
            if n == 0 && o.get("items").is_some() {
                r.push(
                    Code::RulesEmpty,
                    o.at("items"),
                    format!("{}没有考核项目", o.what),
                );
            }
            if items.len() == n {
                lint::check_items_sum(r, &o, &items, points, out_of);
            }
            if let (Some(id), Some(title), Some(points)) = (id, title, points) {
                sections.push(Section {
                    id,
                    title,
                    points,
                    out_of,
                    items,
                });
            }
        },
    );
    if n == 0 && top.get("sections").is_some() {
        r.push(
            Code::RulesEmpty,
            top.at("sections"),
            "考核细则至少需要一个部分（sections）",
        );
    }
    sections
}

const RULE_KEYS: &[&str] = &["deduct", "rate", "bands", "judged", "rank", "formula"];

const ITEM_KEYS: &[&str] = &[
    "id",
    "title",
    "points",
    "basis",
    "cap",
    "combine",
    "applicable",
    "deduct",
    "rate",
    "bands",
    "judged",
    "rank",
    "formula",
    "sources",
    "example",
];

fn read_item(r: &mut Reader, mut o: Obj, scope: &InputScope, ids: &mut IdRegistry) -> Option<Item> {
    let (id, title) = read_named(r, &mut o, ids, |id, title| format!("项目「{id} {title}」"));
    let points = r.positive(&o, "points");
    let basis = r.opt_str(&o, "basis");
    let cap = r.opt_positive(&o, "cap");
    let combine = read_combine(r, &o);
    let provenance = read_provenance(r, &o, scope);
    let applicable = if o.get("applicable").is_some() {
        r.expr(&o, "applicable", scope, Type::Bool)
    } else {
        None
    };

    let present: Vec<&str> = RULE_KEYS
        .iter()
        .copied()
        .filter(|k| o.get(k).is_some())
        .collect();
    let rule = match present.as_slice() {
        [key] => read_rule(r, &o, key, points, scope),
        [] => {
            r.push(
                Code::ItemRule,
                o.path.clone(),
                format!(
                    "{}缺少计分规则，应有且只有一个：deduct、rate、bands、judged、rank、formula",
                    o.what
                ),
            );
            None
        }
        _ => {
            r.push(
                Code::ItemRule,
                o.path.clone(),
                format!("{}只能有一个计分规则，实有：{}", o.what, present.join("、")),
            );
            None
        }
    };
    if let (Some(cap), Some(points)) = (cap, points) {
        if cap > points {
            r.push(
                Code::ItemCap,
                o.at("cap"),
                format!(
                    "{}的扣分上限 cap {}分超过其分值{}分",
                    o.what,
                    plain(cap),
                    plain(points)
                ),
            );
        }
    }
    if let Some(rule) = &rule {
        if cap.is_some() && !matches!(rule, Rule::Deduct(_) | Rule::Rate(_)) {
            r.push(
                Code::ItemCap,
                o.at("cap"),
                format!("{}：cap 只能用于 deduct 或 rate 规则", o.what),
            );
        }
        if combine == Combine::Max && !matches!(rule, Rule::Deduct(_)) {
            r.push(
                Code::ItemCombine,
                o.at("combine"),
                format!("{}：combine 只能用于 deduct 规则", o.what),
            );
        }
    }
    Some(Item {
        id: id?,
        title: title?,
        points: points?,
        basis,
        cap,
        combine,
        applicable,
        rule: rule?,
        provenance,
    })
}

fn read_rule(
    r: &mut Reader,
    o: &Obj,
    key: &str,
    points: Option<Decimal>,
    scope: &InputScope,
) -> Option<Rule> {
    let v = o.get(key)?;
    let path = o.at(key);
    match key {
        "deduct" => read_lines(r, o, "deduct", scope, "扣").map(Rule::Deduct),
        "rate" => {
            let ro = r.object(v, &path, &format!("{}的 rate", o.what), RATE_KEYS)?;
            read_rate(r, &ro, scope).map(Rule::Rate)
        }
        "bands" => {
            let bo = r.object(v, &path, &format!("{}的 bands", o.what), BANDS_KEYS)?;
            read_bands(r, &bo, &o.what, points, scope).map(Rule::Bands)
        }
        "judged" => {
            let jo = r.object(v, &path, &format!("{}的 judged", o.what), JUDGED_KEYS)?;
            read_judged(r, &jo, &o.what, scope)
        }
        "rank" => {
            let ko = r.object(v, &path, &format!("{}的 rank", o.what), RANK_KEYS)?;
            read_rank(r, &ko, &o.what, scope).map(Rule::Rank)
        }
        "formula" => r.expr(o, "formula", scope, Type::Number).map(Rule::Formula),
        _ => None,
    }
}

const JUDGED_KEYS: &[&str] = &["input"];

/// A judged item's input: a `number` input.
fn read_judged(r: &mut Reader, jo: &Obj, item: &str, scope: &InputScope) -> Option<Rule> {
    let id = r.req_str(jo, "input")?;
    match scope
        .by_id
        .get(id.as_str())
        .and_then(|&i| Some((i, scope.inputs.get(i)?)))
    {
        Some((i, input)) if input.kind == InputType::Number => Some(Rule::Judged(i)),
        Some((_, input)) => {
            r.push(
                Code::JudgedInput,
                jo.at("input"),
                format!(
                    "{item}的评议分须引用 number 类型的输入项，{}是 {} 类型",
                    input_name(input),
                    input.kind.name()
                ),
            );
            None
        }
        None => {
            r.push(
                Code::ExprUnknownId,
                jo.at("input"),
                format!("{item}的评议分引用了不存在的输入项「{id}」"),
            );
            None
        }
    }
}

const RANK_KEYS: &[&str] = &["value", "order", "first", "step", "floor"];

fn read_rank(r: &mut Reader, ko: &Obj, item: &str, scope: &InputScope) -> Option<RankRule> {
    let value = r.expr(ko, "value", scope, Type::Number);
    let order = match r.opt_enum(ko, "order", &["desc", "asc"]) {
        Ok(Some("asc")) => Order::Asc,
        Ok(_) => Order::Desc,
        Err(()) => return None,
    };
    let first = r.positive(ko, "first");
    let step = r.req_dec(ko, "step");
    let floor = r.opt_non_negative(ko, "floor").unwrap_or(Decimal::ZERO);
    if let Some(s) = step {
        if s < Decimal::ZERO {
            r.push(
                Code::DecimalRange,
                ko.at("step"),
                format!("{item}的名次步长 step 不能为负数"),
            );
        }
    }
    if let Some(f) = first {
        if floor > f {
            r.push(
                Code::DecimalRange,
                ko.at("floor"),
                format!("{item}的最低分 floor 不能高于第一名得分 first"),
            );
        }
    }
    Some(RankRule {
        value: value?,
        order,
        first: first?,
        step: step?,
        floor,
    })
}

/// Reads the lines in field `key`; `verb` is 扣 or 加, for messages.
pub(super) fn read_lines(
    r: &mut Reader,
    o: &Obj,
    key: &str,
    scope: &InputScope,
    verb: &str,
) -> Option<Vec<Line>> {
    let mut lines = Vec::new();
    let name = |i: usize| format!("{}的第{}条{verb}分规则", o.what, i.saturating_add(1));
    let n = r.objects(o, key, true, &name, LINE_KEYS, &mut |r, _, line| {
        lines.extend(read_line(r, line, scope));
    });
    if n == 0 {
        if o.get(key).is_some() {
            r.push(
                Code::RulesEmpty,
                o.at(key),
                format!("{}的 {key} 至少需要一行{verb}分规则", o.what),
            );
        }
        return None;
    }
    // A line that could not be read leaves the group unread.
    (lines.len() == n).then_some(lines)
}

const LINE_KEYS: &[&str] = &[
    "if", "per", "points", "free", "unit", "reason", "sources", "example",
];

fn read_line(r: &mut Reader, o: Obj, scope: &InputScope) -> Option<Line> {
    let what = o.what.as_str();
    let path = o.path.as_str();
    let points = r.positive(&o, "points");
    let reason = r.req_str(&o, "reason");
    let unit = r.opt_str(&o, "unit");
    let provenance = read_provenance(r, &o, scope);
    let when = match (o.get("if"), o.get("per")) {
        (Some(_), None) => {
            for key in ["free", "unit"] {
                if o.get(key).is_some() {
                    r.push(
                        Code::LinePerOnly,
                        o.at(key),
                        format!("{what}：{key} 只能与 per 一起使用"),
                    );
                }
            }
            r.expr(&o, "if", scope, Type::Bool).map(LineWhen::If)
        }
        (None, Some(_)) => {
            let free = r.opt_non_negative(&o, "free").unwrap_or(Decimal::ZERO);
            r.expr(&o, "per", scope, Type::Number)
                .map(|value| LineWhen::Per { value, free })
        }
        _ => {
            r.push(
                Code::LineKind,
                path,
                format!("{what}应有且只有 if 或 per 之一"),
            );
            None
        }
    };
    Some(Line {
        when: when?,
        points: points?,
        reason: reason?,
        unit,
        provenance,
    })
}

const RATE_KEYS: &[&str] = &[
    "value",
    "target",
    "direction",
    "mode",
    "step",
    "points_per_step",
    "partial",
    "when_undefined",
];

fn read_rate(r: &mut Reader, o: &Obj, scope: &InputScope) -> Option<Rate> {
    let value = r.expr(o, "value", scope, Type::Number);
    let target = r.req_dec(o, "target");
    let direction = match r.opt_enum(o, "direction", &["higher", "lower"]) {
        Ok(Some("lower")) => Direction::Lower,
        Ok(_) => Direction::Higher,
        Err(()) => return None,
    };
    let when_undefined = match r.opt_enum(o, "when_undefined", &["full", "zero", "pending"]) {
        Ok(Some("zero")) => WhenUndefined::Zero,
        Ok(Some("pending")) => WhenUndefined::Pending,
        Ok(_) => WhenUndefined::Full,
        Err(()) => return None,
    };
    let mode = match r.opt_enum(o, "mode", &["step", "proportional"]) {
        Ok(Some("step")) => {
            let step = r.positive(o, "step");
            let pps = r.positive(o, "points_per_step");
            let partial = match r.opt_enum(o, "partial", &["exact", "up", "down"]) {
                Ok(Some("up")) => Partial::Up,
                Ok(Some("down")) => Partial::Down,
                Ok(_) => Partial::Exact,
                Err(()) => return None,
            };
            RateMode::Step {
                step: step?,
                points_per_step: pps?,
                partial,
            }
        }
        Ok(Some(_)) => {
            for k in ["step", "points_per_step", "partial"] {
                if o.get(k).is_some() {
                    r.push(
                        Code::RateField,
                        o.at(k),
                        format!("{}：{k} 只用于 step 模式", o.what),
                    );
                }
            }
            if let Some(t) = target {
                if t <= Decimal::ZERO {
                    r.push(
                        Code::DecimalRange,
                        o.at("target"),
                        format!("{}：proportional 模式的目标值 target 应大于0", o.what),
                    );
                }
            }
            RateMode::Proportional
        }
        Ok(None) => {
            r.push(
                Code::FieldMissing,
                o.at("mode"),
                format!("{}缺少必填字段「mode」（step 或 proportional）", o.what),
            );
            return None;
        }
        Err(()) => return None,
    };
    Some(Rate {
        value: value?,
        target: target?,
        direction,
        mode,
        when_undefined,
    })
}

const BANDS_KEYS: &[&str] = &["value", "bands"];
const BAND_KEYS: &[&str] = &["min", "max", "score"];

fn read_bands(
    r: &mut Reader,
    o: &Obj,
    item: &str,
    points: Option<Decimal>,
    scope: &InputScope,
) -> Option<Bands> {
    let value = r.expr(o, "value", scope, Type::Number);
    let mut bands = Vec::new();
    let name = |i: usize| format!("{item}的第{}个区间", i.saturating_add(1));
    let n = r.objects(o, "bands", true, &name, BAND_KEYS, &mut |r, i, bo| {
        let min = r.opt_dec(&bo, "min");
        let max = r.opt_dec(&bo, "max");
        let score = r.req_dec(&bo, "score");
        if let (Some(lo), Some(hi)) = (min, max) {
            if lo >= hi {
                r.push(
                    Code::BandsRange,
                    bo.path.clone(),
                    format!("{}的 min {}应小于 max {}", bo.what, plain(lo), plain(hi)),
                );
            }
        }
        if let (Some(s), Some(p)) = (score, points) {
            if s < Decimal::ZERO || s > p {
                r.push(
                    Code::BandsScore,
                    bo.at("score"),
                    format!("{}的得分{}应在0到{}分之间", bo.what, plain(s), plain(p)),
                );
            }
        }
        if let Some(score) = score {
            bands.push((i, Band { min, max, score }));
        }
    });
    if n == 0 {
        if o.get("bands").is_some() {
            r.push(
                Code::RulesEmpty,
                o.at("bands"),
                format!("{item}至少需要一个区间"),
            );
        }
        return None;
    }
    lint::check_band_tiling(r, o, item, &bands);
    Some(Bands {
        value: value?,
        bands: bands.into_iter().map(|(_, b)| b).collect(),
    })
}
