//! Reading sections, items, their scoring rules (`deduct`, `rate`, `bands`, `judged`, `rank`,
//! `formula`) and the lines of deductions and additions.

use super::common::{IdRegistry, InputScope, read_combine, read_named};
use super::provenance::read_provenance;
use crate::code::Code;
use crate::decimal::plain;
use crate::error::pointer_at;
use crate::expr::Type;
use crate::json::Value;
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
            // An item that cannot be used (an expression that does not compile …) still has its
            // points: the sums are checked whenever every item's points could be read.
            let mut items: Vec<Item> = Vec::new();
            let mut sum = Some(Decimal::ZERO);
            let mut objects = 0usize;
            let n = r.objects(
                &o,
                "items",
                true,
                &|_| "考核项目".into(),
                ITEM_KEYS,
                &mut |r, _, item| {
                    objects = objects.saturating_add(1);
                    let read = read_item(r, item, scope, ids);
                    let item_points = match &read {
                        Ok(item) => Some(item.points),
                        Err(p) => *p,
                    };
                    sum = sum
                        .zip(item_points)
                        .and_then(|(a, b)| crate::decimal::add(a, b));
                    items.extend(read.ok());
                },
            );
            if n == 0 && o.get("items").is_some() {
                r.push(
                    Code::RulesEmpty,
                    o.at("items"),
                    format!("{}没有考核项目", o.what),
                );
            }
            // An element that is not an object has no points.
            if let Some(sum) = sum.filter(|_| n > 0 && objects == n) {
                lint::check_items_sum(r, &o, sum, points, out_of);
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
    "assessor_na",
];

/// The item `o`, or when it cannot be used, its points if they could be read.
fn read_item(
    r: &mut Reader,
    mut o: Obj,
    scope: &InputScope,
    ids: &mut IdRegistry,
) -> Result<Item, Option<Decimal>> {
    let (id, title) = read_named(r, &mut o, ids, |id, title| format!("项目「{id} {title}」"));
    let points = r.positive(&o, "points");
    let basis = r.opt_str(&o, "basis");
    let cap = r.opt_positive(&o, "cap");
    let combine = read_combine(r, &o);
    let provenance = read_provenance(r, &o, scope);
    let assessor_na = r.opt_bool(&o, "assessor_na").unwrap_or(false);
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
    let (Some(id), Some(title), Some(rule)) = (id, title, rule) else {
        return Err(points);
    };
    Ok(Item {
        id,
        title,
        points: points.ok_or(None)?,
        basis,
        cap,
        combine,
        applicable,
        rule,
        provenance,
        assessor_na,
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

const JUDGED_KEYS: &[&str] = &["input", "aggregate"];

/// A judged item's input: a `number` input, taking several scores (`multiple`) exactly when the
/// item aggregates them.
fn read_judged(r: &mut Reader, jo: &Obj, item: &str, scope: &InputScope) -> Option<Rule> {
    let id = r.req_str(jo, "input")?;
    let aggregate = match r.opt_enum(jo, "aggregate", &["mean", "trimmed_mean"]) {
        Ok(Some("mean")) => Aggregate::Mean,
        Ok(Some(_)) => Aggregate::TrimmedMean,
        Ok(None) => Aggregate::Single,
        Err(()) => return None,
    };
    match scope
        .by_id
        .get(id.as_str())
        .and_then(|&i| Some((i, scope.inputs.get(i)?)))
    {
        Some((i, input))
            if input.kind == InputType::Number
                && input.multiple == (aggregate != Aggregate::Single) =>
        {
            Some(Rule::Judged(i, aggregate))
        }
        Some((_, input)) if input.kind == InputType::Number => {
            let message = if input.multiple {
                format!(
                    "{item}读取的{}是多人评议分（multiple），须设置 aggregate（mean 或 trimmed_mean）",
                    input_name(input)
                )
            } else {
                format!(
                    "{item}设置了 aggregate，其评议分{}须声明 \"multiple\": true",
                    input_name(input)
                )
            };
            r.push(Code::JudgedInput, jo.at("input"), message);
            None
        }
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

/// Reads the lines in field `key` (lines, and groups of lines under a sub-heading); `verb` is 扣
/// or 加, for messages.
pub(super) fn read_lines(
    r: &mut Reader,
    o: &Obj,
    key: &str,
    scope: &InputScope,
    verb: &str,
) -> Option<Vec<Line>> {
    // Lines and groups of lines: an element's fields depend on which it is, so the list is read
    // element by element.
    let arr = r.array(o, key, true);
    if arr.is_empty() {
        if o.get(key).is_some() {
            r.push(
                Code::RulesEmpty,
                o.at(key),
                format!("{}的 {key} 至少需要一行{verb}分规则", o.what),
            );
        }
        return None;
    }
    let mut lines = Vec::with_capacity(arr.len());
    let mut ok = true;
    for (i, v) in arr.iter().enumerate() {
        let path = pointer_at(&o.at(key), i);
        let what = format!("{}的第{}条{verb}分规则", o.what, i.saturating_add(1));
        if v.get("group").is_some() {
            ok &= read_group(r, v, &path, &what, scope, &mut lines);
        } else {
            match read_line(r, v, &path, &what, scope, None) {
                Some(l) => lines.push(l),
                None => ok = false,
            }
        }
    }
    // A line that could not be read leaves the group unread.
    ok.then_some(lines)
}

const GROUP_KEYS: &[&str] = &["group", "lines", "sources", "example"];

/// A group of lines under a sub-heading (「（一）死亡事故」), read into `lines`; false when some
/// line cannot be used.
fn read_group(
    r: &mut Reader,
    v: &Value,
    path: &str,
    what: &str,
    scope: &InputScope,
    lines: &mut Vec<Line>,
) -> bool {
    let Some(mut o) = r.object(v, path, what, GROUP_KEYS) else {
        return false;
    };
    let Some(title) = r.req_str(&o, "group") else {
        return false;
    };
    o.what = format!("{what}（分组「{title}」）");
    let provenance = read_provenance(r, &o, scope);
    let group = std::sync::Arc::new(LineGroup { title, provenance });
    let arr = r.array(&o, "lines", true);
    if arr.is_empty() {
        if o.get("lines").is_some() {
            r.push(
                Code::LineGroup,
                o.at("lines"),
                format!("{}至少需要一条规则", o.what),
            );
        }
        return false;
    }
    let mut ok = true;
    for (i, v) in arr.iter().enumerate() {
        let path = pointer_at(&o.at("lines"), i);
        let what = format!("{}的第{}条", o.what, i.saturating_add(1));
        if v.get("group").is_some() {
            r.push(
                Code::LineGroup,
                path,
                format!("{what}又是一个分组：分组不能嵌套"),
            );
            ok = false;
            continue;
        }
        match read_line(r, v, &path, &what, scope, Some(group.clone())) {
            Some(l) => lines.push(l),
            None => ok = false,
        }
    }
    ok
}

const LINE_KEYS: &[&str] = &[
    "if", "per", "amount", "tiers", "each", "points", "free", "unit", "reason", "sources",
    "example",
];

const TIER_KEYS: &[&str] = &["if", "points", "reason"];

/// The forms of a line: exactly one of them.
const LINE_FORMS: &[&str] = &["if", "per", "amount", "tiers"];

fn read_line(
    r: &mut Reader,
    v: &Value,
    path: &str,
    what: &str,
    scope: &InputScope,
    group: Option<std::sync::Arc<LineGroup>>,
) -> Option<Line> {
    let o = r.object(v, path, what, LINE_KEYS)?;
    let forms: Vec<&str> = LINE_FORMS
        .iter()
        .copied()
        .filter(|k| o.get(k).is_some())
        .collect();
    let form = match forms.as_slice() {
        [form] => Some(*form),
        _ => None,
    };
    let scored = matches!(form, Some("if" | "per"));
    let points = if scored || form.is_none() {
        r.positive(&o, "points")
    } else {
        if o.get("points").is_some() {
            r.push(
                Code::LineKind,
                o.at("points"),
                format!("{what}：amount 和 tiers 规则不设 points（扣分值由金额或各档给出）"),
            );
        }
        Some(Decimal::ONE)
    };
    let reason = if form == Some("tiers") {
        r.opt_str(&o, "reason").or(Some(String::new()))
    } else {
        r.req_str(&o, "reason")
    };
    let unit = r.opt_str(&o, "unit");
    let provenance = read_provenance(r, &o, scope);
    if form.is_some() && form != Some("per") {
        for key in ["free", "unit"] {
            if o.get(key).is_some() {
                r.push(
                    Code::LinePerOnly,
                    o.at(key),
                    format!("{what}：{key} 只能与 per 一起使用"),
                );
            }
        }
    }
    if form.is_none() {
        let message = if o.get("amount").is_some() || o.get("tiers").is_some() {
            format!("{what}应有且只有 if、per、amount、tiers 之一")
        } else {
            format!("{what}应有且只有 if 或 per 之一")
        };
        r.push(Code::LineKind, path, message);
    }
    let each = read_each(r, &o, scope)?;
    let row = each.map(|(_, list)| list);
    if row.is_some() {
        let n = match o.get("tiers") {
            Some(Value::Array(t)) => t.len().max(1),
            _ => 1,
        };
        r.row_lines = r.row_lines.saturating_add(n);
    }
    let when = match form? {
        "if" => r
            .expr_in(&o, "if", scope, Type::Bool, row)
            .map(LineWhen::If),
        "per" => {
            let free = r.opt_non_negative(&o, "free").unwrap_or(Decimal::ZERO);
            r.expr_in(&o, "per", scope, Type::Number, row)
                .map(|value| LineWhen::Per { value, free })
        }
        "amount" => r
            .expr_in(&o, "amount", scope, Type::Number, row)
            .map(LineWhen::Amount),
        _ => read_tiers(r, &o, scope, row).map(LineWhen::Tiers),
    };
    let when = when?;
    let points = match &when {
        LineWhen::Tiers(tiers) => tiers.iter().map(|t| t.points).max().unwrap_or(Decimal::ONE),
        _ => points?,
    };
    Some(Line {
        when,
        points,
        reason: reason?,
        unit,
        provenance,
        each: each.map(|(input, _)| input),
        group,
    })
}

/// A line's `each`: the records input it runs over (its index and list slot). `None` (the outer
/// option) when it names something else.
fn read_each(r: &mut Reader, o: &Obj, scope: &InputScope) -> Option<Option<(usize, usize)>> {
    if o.get("each").is_none() {
        return Some(None);
    }
    let id = r.req_str(o, "each")?;
    let found = scope
        .by_id
        .get(id.as_str())
        .and_then(|&i| Some((i, scope.inputs.get(i)?.records.as_ref()?.list)));
    if found.is_none() {
        r.push(
            Code::LineEach,
            o.at("each"),
            format!(
                "{}：each 应为明细类（records）输入项的 id，「{id}」不是",
                o.what
            ),
        );
    }
    found.map(Some)
}

/// A `tiers` line's tiers, compiled (with `row`, as row expressions).
fn read_tiers(
    r: &mut Reader,
    o: &Obj,
    scope: &InputScope,
    row: Option<usize>,
) -> Option<Vec<Tier>> {
    let arr = r.array(o, "tiers", true);
    if arr.is_empty() {
        r.push(
            Code::RulesEmpty,
            o.at("tiers"),
            format!("{}的 tiers 至少需要一档", o.what),
        );
        return None;
    }
    let mut tiers = Vec::with_capacity(arr.len());
    let mut ok = true;
    for (i, v) in arr.iter().enumerate() {
        let path = pointer_at(&o.at("tiers"), i);
        let what = format!("{}的第{}档", o.what, i.saturating_add(1));
        let Some(to) = r.object(v, &path, &what, TIER_KEYS) else {
            ok = false;
            continue;
        };
        let when = r.expr_in(&to, "if", scope, Type::Bool, row);
        let points = r.positive(&to, "points");
        let reason = r.req_str(&to, "reason");
        match (when, points, reason) {
            (Some(when), Some(points), Some(reason)) => tiers.push(Tier {
                when,
                points,
                reason,
            }),
            _ => ok = false,
        }
    }
    ok.then_some(tiers)
}

const RATE_KEYS: &[&str] = &[
    "value",
    "target",
    "above",
    "below",
    "direction",
    "mode",
    "step",
    "points_per_step",
    "partial",
    "when_undefined",
];

/// A rate's target: `target` (met at the value), `above` (higher, met only beyond it) or `below`
/// (lower, met only below it); the key given and the direction it implies.
fn read_target(r: &mut Reader, o: &Obj) -> Option<(Decimal, &'static str, Option<Direction>)> {
    let given: Vec<&'static str> = ["target", "above", "below"]
        .into_iter()
        .filter(|k| o.get(k).is_some())
        .collect();
    match given.as_slice() {
        [] => {
            r.missing(o, "target");
            None
        }
        [key] => {
            let implied = match *key {
                "above" => Some(Direction::Higher),
                "below" => Some(Direction::Lower),
                _ => None,
            };
            Some((r.req_dec(o, key)?, key, implied))
        }
        _ => {
            r.push(
                Code::RateField,
                o.path.clone(),
                format!("{}：target、above、below 只能有一个", o.what),
            );
            None
        }
    }
}

fn read_rate(r: &mut Reader, o: &Obj, scope: &InputScope) -> Option<Rate> {
    let value = r.expr(o, "value", scope, Type::Number);
    let read = read_target(r, o);
    let target = read.map(|(t, _, _)| t);
    let key = read.map_or("target", |(_, k, _)| k);
    let implied = read.and_then(|(_, _, d)| d);
    let direction = match (r.opt_enum(o, "direction", &["higher", "lower"]), implied) {
        (Err(()), _) => return None,
        (Ok(given), Some(d)) => {
            let given = given.map(|g| {
                if g == "lower" {
                    Direction::Lower
                } else {
                    Direction::Higher
                }
            });
            if given.is_some_and(|g| g != d) {
                r.push(
                    Code::RateField,
                    o.at("direction"),
                    format!(
                        "{}：above 用于越高越好（higher），below 用于越低越好（lower）",
                        o.what
                    ),
                );
            }
            d
        }
        (Ok(Some("lower")), None) => Direction::Lower,
        (Ok(_), None) => Direction::Higher,
    };
    let exclusive = key != "target";
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
            if exclusive {
                r.push(
                    Code::RateField,
                    o.at(key),
                    format!("{}：{key} 只用于 step 模式，按比例得分须用 target", o.what),
                );
            }
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
        exclusive,
        direction,
        mode,
        when_undefined,
    })
}

const BANDS_KEYS: &[&str] = &["value", "bands"];
const BAND_KEYS: &[&str] = &["min", "over", "max", "under", "upto", "score"];

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
        if let Some(band) = read_band(r, &bo, points) {
            bands.push((i, band));
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

/// One band: its lower bound (`min` ≥ or `over` >), its upper bound (`max`, `under` <, `upto` ≤)
/// and its score within the item's points.
fn read_band(r: &mut Reader, bo: &Obj, points: Option<Decimal>) -> Option<Band> {
    let lower = one_of(r, bo, &["min", "over"]);
    let upper = one_of(r, bo, &["max", "under", "upto"]);
    let (min, over) = match lower {
        Some((d, key)) => (Some(d), key == "over"),
        None => (None, false),
    };
    let (max, upper) = match upper {
        Some((d, "under")) => (Some(d), Upper::Under),
        Some((d, "upto")) => (Some(d), Upper::Upto),
        Some((d, _)) => (Some(d), Upper::Max),
        None => (None, Upper::Max),
    };
    let score = r.req_dec(bo, "score");
    if let (Some(lo), Some(hi)) = (min, max) {
        // A single value is a band too, when both bounds include it (min X, upto X).
        if lo > hi || (lo == hi && (over || upper != Upper::Upto)) {
            let lk = if over { "over" } else { "min" };
            let hk = match upper {
                Upper::Max => "max",
                Upper::Under => "under",
                Upper::Upto => "upto",
            };
            r.push(
                Code::BandsRange,
                bo.path.clone(),
                format!("{}的 {lk} {}应小于 {hk} {}", bo.what, plain(lo), plain(hi)),
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
    Some(Band {
        min,
        over,
        max,
        upper,
        score: score?,
    })
}

/// At most one of `keys` (a band's lower or upper bound), read as a decimal with the key given.
fn one_of(r: &mut Reader, o: &Obj, keys: &[&'static str]) -> Option<(Decimal, &'static str)> {
    let given: Vec<&'static str> = keys
        .iter()
        .copied()
        .filter(|k| o.get(k).is_some())
        .collect();
    match given.as_slice() {
        [] => None,
        [key] => Some((r.opt_dec(o, key)?, key)),
        _ => {
            r.push(
                Code::BandsRange,
                o.path.clone(),
                format!("{}的 {} 只能有一个", o.what, given.join("、")),
            );
            None
        }
    }
}
