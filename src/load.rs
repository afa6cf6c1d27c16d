//! Loading and validating rule sets: JSON text → [`RuleSet`], collecting every problem.
//!
//! The reader walks a [`crate::json::Value`] by hand instead of deriving `Deserialize`, because serde
//! stops at the first error while a rule author wants all of them, each with its JSON pointer and a
//! Chinese message naming the item by its title.

use crate::decimal::plain;
use crate::error::{Error, pointer, pointer_at};
use crate::expr::{Expr, InputKind, Scope, Type};
use crate::json::{Map, Value};
use crate::limits;
use crate::reader::{Obj, Reader, decimal_from_json, parse_json, short};
use crate::rules::*;
use crate::submission::{Submission, SubmissionUnit};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// Whether `id` can name an input in expressions.
fn is_identifier(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !crate::expr::is_reserved(id)
}

const TOP_KEYS: &[&str] = &[
    "$schema",
    "format",
    "id",
    "version",
    "title",
    "period",
    "unit_kind",
    "description",
    "full_score",
    "scale",
    "not_applicable",
    "inputs",
    "sections",
    "adjustments",
    "bonus",
    "vetoes",
    "grades",
    "quotas",
    "tests",
];
const INPUT_KEYS: &[&str] = &[
    "id", "label", "type", "section", "required", "min", "max", "options", "default", "unit",
    "help",
];
const SECTION_KEYS: &[&str] = &["id", "title", "points", "out_of", "items"];
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
];
const LINE_KEYS: &[&str] = &["if", "per", "points", "free", "unit", "reason"];
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
const ADJ_KEYS: &[&str] = &["id", "title", "basis", "cap", "combine", "deduct"];
const BONUS_KEYS: &[&str] = &["cap", "items"];
const BONUS_ITEM_KEYS: &[&str] = &["id", "title", "points", "basis", "combine", "add"];
const VETO_KEYS: &[&str] = &["id", "title", "basis", "when", "effect"];
const TEST_KEYS: &[&str] = &["name", "unit", "values", "notes", "expect"];
const EXPECT_KEYS: &[&str] = &["total", "grade", "status", "items", "vetoes"];

/// The inputs, as the expression compiler sees them.
struct InputScope<'a> {
    inputs: &'a [Input],
    by_id: BTreeMap<&'a str, usize>,
}

impl<'a> InputScope<'a> {
    fn new(inputs: &'a [Input]) -> Self {
        // Inserted one by one: collecting into a BTreeMap sorts first, and each sort instantiation
        // costs wasm size (see BENCHMARKS.md).
        let mut by_id = BTreeMap::new();
        for (i, input) in inputs.iter().enumerate() {
            by_id.insert(input.id.as_str(), i);
        }
        InputScope { inputs, by_id }
    }
}

impl Scope for InputScope<'_> {
    fn lookup(&self, name: &str) -> Option<(usize, InputKind<'_>)> {
        let &i = self.by_id.get(name)?;
        let input = self.inputs.get(i)?;
        let kind = match input.kind {
            InputType::Count | InputType::Number | InputType::Percent => InputKind::Number,
            InputType::Bool => InputKind::Bool,
            InputType::Choice => InputKind::Choice(&input.options),
            InputType::Text => InputKind::Text,
        };
        Some((i, kind))
    }
}

/// A bound as written, resolved once every input is known.
enum RawBound {
    Literal(Decimal),
    Input(String),
}

/// Loads a rule set from JSON text, reporting every problem found.
pub fn load_rules(text: &str) -> Result<RuleSet, Error> {
    let value = parse_json(text)?;
    load_rules_value(&value)
}

/// Loads a rule set from an already parsed JSON value.
pub fn load_rules_value(root: &Value) -> Result<RuleSet, Error> {
    let mut r = Reader::default();
    let rs = read_rules(&mut r, root);
    match rs {
        Some(rs) if r.problems.is_empty() => Ok(rs),
        _ => {
            if r.problems.is_empty() {
                r.push("rules.invalid", "", "考核细则无效");
            }
            Err(Error::new(r.problems))
        }
    }
}

fn read_rules(r: &mut Reader, root: &Value) -> Option<RuleSet> {
    let top = r.object(root, "", "考核细则", TOP_KEYS)?;
    match top.get("format") {
        Some(Value::String(f)) if f == "kpi-rules/1" => {}
        None => r.push(
            "field.missing",
            "/format",
            "考核细则缺少「format」字段，应为 \"kpi-rules/1\"",
        ),
        Some(v) => r.push(
            "rules.format",
            "/format",
            format!("不支持的格式 {}，应为 \"kpi-rules/1\"", short(v)),
        ),
    }
    let id = r.req_str(&top, "id");
    let version = r.req_str(&top, "version");
    let title = r.req_str(&top, "title");
    let period = r.req_str(&top, "period");
    let unit_kind = r.req_str(&top, "unit_kind");
    let description = r.opt_str(&top, "description");
    let full_score = r.positive(&top, "full_score");
    let scale = read_scale(r, &top);
    let not_applicable = match r.opt_enum(&top, "not_applicable", &["full", "rescale"]) {
        Ok(Some("rescale")) => NotApplicable::Rescale,
        _ => NotApplicable::Full,
    };

    let inputs = read_inputs(r, &top);
    let scope = InputScope::new(&inputs);
    let mut ids = IdRegistry::default();
    let sections = read_sections(r, &top, &scope, &mut ids);
    let adjustments = read_adjustments(r, &top, &scope, &mut ids);
    let bonus = read_bonus(r, &top, &scope, &mut ids);
    let grades = read_grades(r, &top, full_score);
    let vetoes = read_vetoes(r, &top, &scope, &mut ids, &grades);
    let quotas = read_quotas(r, &top, &grades);

    if let Some(full) = full_score {
        let sum: Decimal = sections.iter().map(|s| s.points).sum();
        if !sections.is_empty() && sum != full {
            r.push(
                "points.sections_sum",
                "/full_score",
                format!(
                    "各部分分值之和为{}分，与满分 full_score {}分不一致",
                    plain(sum),
                    plain(full)
                ),
            );
        }
    }
    if not_applicable == NotApplicable::Rescale && sections.iter().any(|s| s.out_of.is_some()) {
        r.push(
            "rules.rescale_with_out_of",
            "/not_applicable",
            "not_applicable 为 \"rescale\" 时不能同时使用部分折算 out_of",
        );
    }
    check_input_sections(r, &inputs, &sections);
    let items: usize = sections.iter().map(|s| s.items.len()).sum();
    if items > limits::MAX_ITEMS {
        r.push(
            "limit.count",
            "/sections",
            format!("考核细则共有{items}个考核项目，最多{}个", limits::MAX_ITEMS),
        );
    }
    if r.expr_ops > limits::MAX_EXPR_OPS {
        r.push(
            "limit.expressions",
            "",
            format!(
                "考核细则的表达式合计编译为{}步运算，最多{}步，请精简规则",
                r.expr_ops,
                limits::MAX_EXPR_OPS
            ),
        );
    }

    let mut rs = RuleSet {
        id: id?,
        version: version?,
        title: title?,
        period: period?,
        unit_kind: unit_kind?,
        description,
        full_score: full_score?,
        scale: scale?,
        not_applicable,
        inputs,
        sections,
        adjustments,
        bonus,
        vetoes,
        grades,
        quotas,
        tests: Vec::new(),
        by_id: Vec::new(),
    };
    rs.by_id = (0..rs.inputs.len()).collect();
    rs.by_id.sort_unstable_by(|&a, &b| {
        rs.inputs
            .get(a)
            .map(|x| &x.id)
            .cmp(&rs.inputs.get(b).map(|x| &x.id))
    });
    check_points_scale(r, &rs);
    check_judged_inputs(r, &rs);
    // An expression that failed to compile leaves its inputs looking unused: lint only clean sets.
    if r.problems.is_empty() {
        check_unused_inputs(r, &rs);
    }
    rs.tests = read_tests(r, &top, &rs);
    Some(rs)
}

fn read_scale(r: &mut Reader, top: &Obj) -> Option<u32> {
    let Some(v) = top.get("scale") else {
        return Some(2);
    };
    match v.as_u64() {
        Some(n) if n <= 6 => u32::try_from(n).ok(),
        _ => {
            r.push(
                "field.value",
                top.at("scale"),
                format!("scale 应为0到6之间的整数，实为{}", short(v)),
            );
            None
        }
    }
}

fn read_inputs(r: &mut Reader, top: &Obj) -> Vec<Input> {
    let arr = r.array(top, "inputs", true);
    let mut inputs: Vec<Input> = Vec::with_capacity(arr.len());
    let mut bounds: Vec<(usize, String, Option<RawBound>, Option<RawBound>)> = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, v) in arr.iter().enumerate() {
        let path = pointer_at(&top.at("inputs"), i);
        let mut what = format!("第{}个输入项", i.saturating_add(1));
        let Some(mut o) = r.object(v, &path, &what, INPUT_KEYS) else {
            continue;
        };
        let id = r.req_str(&o, "id");
        let label = r.req_str(&o, "label");
        if let (Some(id), Some(label)) = (&id, &label) {
            what = format!("输入项「{label}」({id})");
            o.what = what.clone();
        }
        let Some(id) = id else { continue };
        if !is_identifier(&id) {
            r.push(
                "input.id",
                o.at("id"),
                format!("{what}的 id「{id}」不是合法标识符（字母或下划线开头，只含字母、数字、下划线，且不能是保留字）"),
            );
        }
        if !seen.insert(id.clone()) {
            r.push("id.duplicate", o.at("id"), format!("输入项 id「{id}」重复"));
        }
        let kind = match r.opt_enum(
            &o,
            "type",
            &["count", "number", "percent", "bool", "choice", "text"],
        ) {
            Ok(Some(t)) => match t {
                "count" => InputType::Count,
                "number" => InputType::Number,
                "percent" => InputType::Percent,
                "bool" => InputType::Bool,
                "choice" => InputType::Choice,
                _ => InputType::Text,
            },
            Ok(None) => {
                r.missing(&o, "type");
                continue;
            }
            Err(()) => continue,
        };
        let required = r.opt_bool(&o, "required").unwrap_or(true);
        let section = r.opt_str(&o, "section");
        let unit = r.opt_str(&o, "unit");
        let help = r.opt_str(&o, "help");
        let mut options = Vec::new();
        if kind == InputType::Choice {
            options = read_options(r, &o);
        } else if o.get("options").is_some() {
            r.push(
                "input.options",
                o.at("options"),
                format!("{what}不是选择类（choice），不能设置 options"),
            );
        }
        let min = read_bound(r, &o, "min", kind);
        let max = read_bound(r, &o, "max", kind);
        let default = o
            .get("default")
            .and_then(|v| read_default(r, &o, v, kind, &options));
        if required && default.is_some() {
            r.push(
                "input.default",
                o.at("default"),
                format!("{what}是必填项，不能设置 default（默认值只用于选填项）"),
            );
        }
        bounds.push((inputs.len(), path.clone(), min, max));
        inputs.push(Input {
            id,
            label: label.unwrap_or_default(),
            kind,
            section,
            required,
            min: None,
            max: None,
            options,
            default,
            unit,
            help,
        });
    }
    for (index, path, min, max) in bounds {
        let min = min.and_then(|b| resolve_bound(r, &inputs, index, &path, "min", b));
        let max = max.and_then(|b| resolve_bound(r, &inputs, index, &path, "max", b));
        if let (Some(Bound::Literal(lo)), Some(Bound::Literal(hi))) = (&min, &max) {
            if lo > hi {
                let what = inputs.get(index).map(input_name).unwrap_or_default();
                r.push(
                    "input.range",
                    pointer(&path, "min"),
                    format!("{what}的最小值{}大于最大值{}", plain(*lo), plain(*hi)),
                );
            }
        }
        // An optional number left empty counts as 0 (or its default): that value must lie within
        // the input's own literal range, or every submission leaving it empty would be refused.
        if let Some(input) = inputs.get(index) {
            let empty_value = match input.default {
                Some(crate::expr::Value::Number(d)) => Some(d),
                Some(_) => None,
                None if input.kind.is_numeric() => Some(Decimal::ZERO),
                None => None,
            };
            let outside = |b: &Option<Bound>, below: bool| match (b, empty_value) {
                (Some(Bound::Literal(limit)), Some(v)) => {
                    if below {
                        v < *limit
                    } else {
                        v > *limit
                    }
                }
                _ => false,
            };
            if !input.required && (outside(&min, true) || outside(&max, false)) {
                r.push(
                    "input.default",
                    pointer(&path, "default"),
                    format!(
                        "{}是选填项，未填写时按{}计，但该值不在其取值范围内；请给出范围内的 default",
                        input_name(input),
                        plain(empty_value.unwrap_or_default())
                    ),
                );
            }
        }
        if let Some(input) = inputs.get_mut(index) {
            input.min = min;
            input.max = max;
        }
    }
    inputs
}

fn read_options(r: &mut Reader, o: &Obj) -> Vec<String> {
    let arr = r.array(o, "options", true);
    let mut out: Vec<String> = Vec::new();
    for (i, v) in arr.iter().enumerate() {
        match v {
            Value::String(s) if !s.trim().is_empty() => {
                if out.contains(s) {
                    r.push(
                        "input.options",
                        pointer_at(&o.at("options"), i),
                        format!("{}的选项「{s}」重复", o.what),
                    );
                }
                out.push(s.clone());
            }
            _ => r.push(
                "input.options",
                pointer_at(&o.at("options"), i),
                format!("{}的选项应为非空字符串", o.what),
            ),
        }
    }
    if out.is_empty() && o.get("options").is_some() {
        r.push(
            "input.options",
            o.at("options"),
            format!("{}至少需要一个选项", o.what),
        );
    }
    out
}

fn read_bound(r: &mut Reader, o: &Obj, key: &str, kind: InputType) -> Option<RawBound> {
    let v = o.get(key)?;
    if !kind.is_numeric() {
        r.push(
            "input.bound",
            o.at(key),
            format!("{}不是数值类输入，不能设置 {key}", o.what),
        );
        return None;
    }
    if let Some(d) = decimal_from_json(v) {
        return Some(RawBound::Literal(d));
    }
    match v {
        Value::String(s) if is_identifier(s) => Some(RawBound::Input(s.clone())),
        _ => {
            r.push(
                "input.bound",
                o.at(key),
                format!(
                    "{}的 {key} 应为数值或另一个数值类输入项的 id，实为{}",
                    o.what,
                    short(v)
                ),
            );
            None
        }
    }
}

fn resolve_bound(
    r: &mut Reader,
    inputs: &[Input],
    index: usize,
    path: &str,
    key: &str,
    b: RawBound,
) -> Option<Bound> {
    let what = inputs.get(index).map(input_name).unwrap_or_default();
    match b {
        RawBound::Literal(d) => Some(Bound::Literal(d)),
        RawBound::Input(id) => match inputs.iter().position(|i| i.id == id) {
            Some(j) if j == index => {
                r.push(
                    "input.bound",
                    pointer(path, key),
                    format!("{what}的 {key} 不能引用自身"),
                );
                None
            }
            Some(j) if inputs.get(j).is_some_and(|i| i.kind.is_numeric()) => Some(Bound::Input(j)),
            Some(_) => {
                r.push(
                    "input.bound",
                    pointer(path, key),
                    format!("{what}的 {key} 引用的「{id}」不是数值类输入项"),
                );
                None
            }
            None => {
                r.push(
                    "input.unknown_ref",
                    pointer(path, key),
                    format!("{what}的 {key} 引用了不存在的输入项「{id}」"),
                );
                None
            }
        },
    }
}

fn read_default(
    r: &mut Reader,
    o: &Obj,
    v: &Value,
    kind: InputType,
    options: &[String],
) -> Option<crate::expr::Value> {
    use crate::expr::Value as V;
    let ok = match (kind, v) {
        (InputType::Bool, Value::Bool(b)) => Some(V::Bool(*b)),
        (InputType::Choice, Value::String(s)) => options.iter().position(|x| x == s).map(V::Choice),
        (InputType::Count | InputType::Number | InputType::Percent, v) => {
            decimal_from_json(v).map(V::Number)
        }
        _ => None,
    };
    if ok.is_none() {
        r.push(
            "input.default",
            o.at("default"),
            format!(
                "{}的 default 与类型 {} 不符：{}",
                o.what,
                kind.name(),
                short(v)
            ),
        );
    }
    ok
}

/// Reads an entry's `id` and `title`, names the entry after them for later messages (`name(id,
/// title)`), and claims the id in the shared namespace.
fn read_named(
    r: &mut Reader,
    o: &mut Obj,
    ids: &mut IdRegistry,
    name: fn(&str, &str) -> String,
) -> (Option<String>, Option<String>) {
    let id = r.req_str(o, "id");
    let title = r.req_str(o, "title");
    if let (Some(id), Some(title)) = (&id, &title) {
        o.what = name(id, title);
        ids.claim(r, id, o.at("id"), &o.what);
    }
    (id, title)
}

/// Ids of items, adjustments, bonus items and vetoes share one namespace (notes are keyed by id).
#[derive(Default)]
struct IdRegistry {
    seen: BTreeMap<String, String>,
}

impl IdRegistry {
    fn claim(&mut self, r: &mut Reader, id: &str, path: String, what: &str) {
        if let Some(prev) = self.seen.get(id) {
            r.push(
                "id.duplicate",
                path,
                format!("{what}的 id「{id}」与{prev}重复"),
            );
        } else {
            self.seen.insert(id.to_string(), what.to_string());
        }
    }
}

fn read_sections(
    r: &mut Reader,
    top: &Obj,
    scope: &InputScope,
    ids: &mut IdRegistry,
) -> Vec<Section> {
    let arr = r.array(top, "sections", true);
    if arr.is_empty() && top.get("sections").is_some() {
        r.push(
            "rules.empty",
            top.at("sections"),
            "考核细则至少需要一个部分（sections）",
        );
    }
    let mut sections = Vec::with_capacity(arr.len());
    let mut section_ids = BTreeSet::new();
    for (si, v) in arr.iter().enumerate() {
        let path = pointer_at(&top.at("sections"), si);
        let Some(mut o) = r.object(
            v,
            &path,
            &format!("第{}部分", si.saturating_add(1)),
            SECTION_KEYS,
        ) else {
            continue;
        };
        let id = r.req_str(&o, "id");
        let title = r.req_str(&o, "title");
        if let Some(t) = &title {
            o.what = format!("第{}部分「{t}」", si.saturating_add(1));
        }
        if let Some(id) = &id {
            if !section_ids.insert(id.clone()) {
                r.push("id.duplicate", o.at("id"), format!("部分 id「{id}」重复"));
            }
        }
        let points = r.positive(&o, "points");
        let out_of = r.opt_positive(&o, "out_of");
        let arr = r.array(&o, "items", true);
        if arr.is_empty() && o.get("items").is_some() {
            r.push(
                "rules.empty",
                o.at("items"),
                format!("{}没有考核项目", o.what),
            );
        }
        let items: Vec<Item> = arr
            .iter()
            .enumerate()
            .filter_map(|(ii, v)| read_item(r, v, &pointer_at(&o.at("items"), ii), scope, ids))
            .collect();
        if items.len() == arr.len() {
            let sum: Decimal = items.iter().map(|i| i.points).sum();
            let (target, key, name) = match out_of {
                Some(n) => (Some(n), "out_of", "折算前满分 out_of"),
                None => (points, "points", "分值"),
            };
            if let Some(target) = target {
                if !items.is_empty() && sum != target {
                    r.push(
                        "points.items_sum",
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
        if let (Some(id), Some(title), Some(points)) = (id, title, points) {
            sections.push(Section {
                id,
                title,
                points,
                out_of,
                items,
            });
        }
    }
    sections
}

fn read_item(
    r: &mut Reader,
    v: &Value,
    path: &str,
    scope: &InputScope,
    ids: &mut IdRegistry,
) -> Option<Item> {
    let mut o = r.object(v, path, "考核项目", ITEM_KEYS)?;
    let (id, title) = read_named(r, &mut o, ids, |id, title| format!("项目「{id} {title}」"));
    let points = r.positive(&o, "points");
    let basis = r.opt_str(&o, "basis");
    let cap = r.opt_positive(&o, "cap");
    let combine = read_combine(r, &o);
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
                "item.rule",
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
                "item.rule",
                o.path.clone(),
                format!("{}只能有一个计分规则，实有：{}", o.what, present.join("、")),
            );
            None
        }
    };
    if let (Some(cap), Some(points)) = (cap, points) {
        if cap > points {
            r.push(
                "item.cap",
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
                "item.cap",
                o.at("cap"),
                format!("{}：cap 只能用于 deduct 或 rate 规则", o.what),
            );
        }
        if combine == Combine::Max && !matches!(rule, Rule::Deduct(_)) {
            r.push(
                "item.combine",
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
    })
}

fn read_combine(r: &mut Reader, o: &Obj) -> Combine {
    match r.opt_enum(o, "combine", &["sum", "max"]) {
        Ok(Some("max")) => Combine::Max,
        _ => Combine::Sum,
    }
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
            let bo = r.object(
                v,
                &path,
                &format!("{}的 bands", o.what),
                &["value", "bands"],
            )?;
            read_bands(r, &bo, &o.what, points, scope).map(Rule::Bands)
        }
        "judged" => {
            let jo = r.object(v, &path, &format!("{}的 judged", o.what), &["input"])?;
            let id = r.req_str(&jo, "input")?;
            match scope
                .by_id
                .get(id.as_str())
                .and_then(|&i| Some((i, scope.inputs.get(i)?)))
            {
                Some((i, input)) if input.kind == InputType::Number => Some(Rule::Judged(i)),
                Some((_, input)) => {
                    r.push(
                        "judged.input",
                        jo.at("input"),
                        format!(
                            "{}的评议分须引用 number 类型的输入项，{}是 {} 类型",
                            o.what,
                            input_name(input),
                            input.kind.name()
                        ),
                    );
                    None
                }
                None => {
                    r.push(
                        "expr.unknown_id",
                        jo.at("input"),
                        format!("{}的评议分引用了不存在的输入项「{id}」", o.what),
                    );
                    None
                }
            }
        }
        "rank" => {
            let ko = r.object(
                v,
                &path,
                &format!("{}的 rank", o.what),
                &["value", "order", "first", "step", "floor"],
            )?;
            let value = r.expr(&ko, "value", scope, Type::Number);
            let order = match r.opt_enum(&ko, "order", &["desc", "asc"]) {
                Ok(Some("asc")) => Order::Asc,
                Ok(_) => Order::Desc,
                Err(()) => return None,
            };
            let first = r.positive(&ko, "first");
            let step = r.req_dec(&ko, "step");
            let floor = r.opt_non_negative(&ko, "floor").unwrap_or(Decimal::ZERO);
            if let Some(s) = step {
                if s < Decimal::ZERO {
                    r.push(
                        "decimal.range",
                        ko.at("step"),
                        format!("{}的名次步长 step 不能为负数", o.what),
                    );
                }
            }
            if let Some(f) = first {
                if floor > f {
                    r.push(
                        "decimal.range",
                        ko.at("floor"),
                        format!("{}的最低分 floor 不能高于第一名得分 first", o.what),
                    );
                }
            }
            Some(Rule::Rank(RankRule {
                value: value?,
                order,
                first: first?,
                step: step?,
                floor,
            }))
        }
        "formula" => r.expr(o, "formula", scope, Type::Number).map(Rule::Formula),
        _ => None,
    }
}

/// Reads the lines in field `key`; `verb` is 扣 or 加, for messages.
fn read_lines(
    r: &mut Reader,
    o: &Obj,
    key: &str,
    scope: &InputScope,
    verb: &str,
) -> Option<Vec<Line>> {
    let arr = r.array(o, key, true);
    if arr.is_empty() {
        if o.get(key).is_some() {
            r.push(
                "rules.empty",
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
        match read_line(
            r,
            v,
            &path,
            &format!("{}的第{}条{verb}分规则", o.what, i.saturating_add(1)),
            scope,
        ) {
            Some(l) => lines.push(l),
            None => ok = false,
        }
    }
    ok.then_some(lines)
}

fn read_line(
    r: &mut Reader,
    v: &Value,
    path: &str,
    what: &str,
    scope: &InputScope,
) -> Option<Line> {
    let o = r.object(v, path, what, LINE_KEYS)?;
    let points = r.positive(&o, "points");
    let reason = r.req_str(&o, "reason");
    let unit = r.opt_str(&o, "unit");
    let when = match (o.get("if"), o.get("per")) {
        (Some(_), None) => {
            for key in ["free", "unit"] {
                if o.get(key).is_some() {
                    r.push(
                        "line.per_only",
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
                "line.kind",
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
    })
}

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
                        "rate.field",
                        o.at(k),
                        format!("{}：{k} 只用于 step 模式", o.what),
                    );
                }
            }
            if let Some(t) = target {
                if t <= Decimal::ZERO {
                    r.push(
                        "decimal.range",
                        o.at("target"),
                        format!("{}：proportional 模式的目标值 target 应大于0", o.what),
                    );
                }
            }
            RateMode::Proportional
        }
        Ok(None) => {
            r.push(
                "field.missing",
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

fn read_bands(
    r: &mut Reader,
    o: &Obj,
    item: &str,
    points: Option<Decimal>,
    scope: &InputScope,
) -> Option<Bands> {
    let value = r.expr(o, "value", scope, Type::Number);
    let arr = r.array(o, "bands", true);
    let mut bands = Vec::with_capacity(arr.len());
    for (i, v) in arr.iter().enumerate() {
        let path = pointer_at(&o.at("bands"), i);
        let Some(bo) = r.object(
            v,
            &path,
            &format!("{item}的第{}个区间", i.saturating_add(1)),
            &["min", "max", "score"],
        ) else {
            continue;
        };
        let min = r.opt_dec(&bo, "min");
        let max = r.opt_dec(&bo, "max");
        let score = r.req_dec(&bo, "score");
        if let (Some(lo), Some(hi)) = (min, max) {
            if lo >= hi {
                r.push(
                    "bands.range",
                    path.clone(),
                    format!("{}的 min {}应小于 max {}", bo.what, plain(lo), plain(hi)),
                );
            }
        }
        if let (Some(s), Some(p)) = (score, points) {
            if s < Decimal::ZERO || s > p {
                r.push(
                    "bands.score",
                    bo.at("score"),
                    format!("{}的得分{}应在0到{}分之间", bo.what, plain(s), plain(p)),
                );
            }
        }
        if let Some(score) = score {
            bands.push((i, Band { min, max, score }));
        }
    }
    if arr.is_empty() {
        if o.get("bands").is_some() {
            r.push(
                "rules.empty",
                o.at("bands"),
                format!("{item}至少需要一个区间"),
            );
        }
        return None;
    }
    check_band_tiling(r, o, item, &bands);
    Some(Bands {
        value: value?,
        bands: bands.into_iter().map(|(_, b)| b).collect(),
    })
}

/// Sorted by `min`, bands must meet exactly: no gap, no overlap, one open end each side at most.
fn check_band_tiling(r: &mut Reader, o: &Obj, item: &str, bands: &[(usize, Band)]) {
    let mut sorted: Vec<&(usize, Band)> = bands.iter().collect();
    sorted.sort_by(|a, b| match (a.1.min, b.1.min) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, _) => std::cmp::Ordering::Less,
        (_, None) => std::cmp::Ordering::Greater,
        (Some(x), Some(y)) => x.cmp(&y),
    });
    let path = o.at("bands");
    if sorted.iter().filter(|b| b.1.min.is_none()).count() > 1 {
        r.push(
            "bands.overlap",
            path.clone(),
            format!("{item}有多个区间没有下限 min，区间重叠"),
        );
        return;
    }
    if sorted.iter().filter(|b| b.1.max.is_none()).count() > 1 {
        r.push(
            "bands.overlap",
            path.clone(),
            format!("{item}有多个区间没有上限 max，区间重叠"),
        );
        return;
    }
    for pair in sorted.windows(2) {
        let [(ia, a), (ib, b)] = pair else { continue };
        match (a.max, b.min) {
            (Some(hi), Some(lo)) if hi < lo => r.push(
                "bands.gap",
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
                "bands.overlap",
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
                "bands.overlap",
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

fn read_adjustments(
    r: &mut Reader,
    top: &Obj,
    scope: &InputScope,
    ids: &mut IdRegistry,
) -> Vec<Adjustment> {
    let arr = r.array(top, "adjustments", false);
    let mut out = Vec::with_capacity(arr.len());
    for (i, v) in arr.iter().enumerate() {
        let path = pointer_at(&top.at("adjustments"), i);
        let Some(mut o) = r.object(
            v,
            &path,
            &format!("第{}个扣分项", i.saturating_add(1)),
            ADJ_KEYS,
        ) else {
            continue;
        };
        let (id, title) = read_named(r, &mut o, ids, |id, title| {
            format!("扣分项「{title}」({id})")
        });
        let basis = r.opt_str(&o, "basis");
        let cap = r.opt_positive(&o, "cap");
        let combine = read_combine(r, &o);
        let lines = read_lines(r, &o, "deduct", scope, "扣");
        if let (Some(id), Some(title), Some(lines)) = (id, title, lines) {
            out.push(Adjustment {
                id,
                title,
                basis,
                cap,
                combine,
                lines,
            });
        }
    }
    out
}

fn read_bonus(
    r: &mut Reader,
    top: &Obj,
    scope: &InputScope,
    ids: &mut IdRegistry,
) -> Option<Bonus> {
    let v = top.get("bonus")?;
    let o = r.object(v, &top.at("bonus"), "加分（bonus）", BONUS_KEYS)?;
    let cap = r.positive(&o, "cap");
    let arr = r.array(&o, "items", true);
    let mut items = Vec::with_capacity(arr.len());
    for (i, v) in arr.iter().enumerate() {
        let path = pointer_at(&o.at("items"), i);
        let Some(mut bo) = r.object(
            v,
            &path,
            &format!("第{}个加分项", i.saturating_add(1)),
            BONUS_ITEM_KEYS,
        ) else {
            continue;
        };
        let (id, title) = read_named(r, &mut bo, ids, |id, title| {
            format!("加分项「{title}」({id})")
        });
        let points = r.positive(&bo, "points");
        let basis = r.opt_str(&bo, "basis");
        let combine = read_combine(r, &bo);
        let lines = read_lines(r, &bo, "add", scope, "加");
        if let (Some(id), Some(title), Some(points), Some(lines)) = (id, title, points, lines) {
            items.push(BonusItem {
                id,
                title,
                points,
                basis,
                combine,
                lines,
            });
        }
    }
    Some(Bonus { cap: cap?, items })
}

fn read_grades(r: &mut Reader, top: &Obj, full_score: Option<Decimal>) -> Vec<Grade> {
    let arr = r.array(top, "grades", true);
    if arr.is_empty() && top.get("grades").is_some() {
        r.push(
            "grades.empty",
            top.at("grades"),
            "考核细则至少需要一个等次（grades）",
        );
    }
    let mut grades: Vec<Grade> = Vec::with_capacity(arr.len());
    for (i, v) in arr.iter().enumerate() {
        let path = pointer_at(&top.at("grades"), i);
        let Some(mut o) = r.object(
            v,
            &path,
            &format!("第{}个等次", i.saturating_add(1)),
            &["name", "min"],
        ) else {
            continue;
        };
        let name = r.req_str(&o, "name");
        if let Some(n) = &name {
            o.what = format!("等次「{n}」");
            if grades.iter().any(|g| &g.name == n) {
                r.push("id.duplicate", o.at("name"), format!("等次名称「{n}」重复"));
            }
        }
        let min = r.req_dec(&o, "min");
        if let Some(m) = min {
            if let Some(prev) = grades.last() {
                if m >= prev.min {
                    r.push(
                        "grades.order",
                        o.at("min"),
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
            if full_score.is_some_and(|f| m > f) {
                r.push(
                    "grades.range",
                    o.at("min"),
                    format!("{}的最低分{}超过满分", o.what, plain(m)),
                );
            }
        }
        if let (Some(name), Some(min)) = (name, min) {
            grades.push(Grade { name, min });
        }
    }
    if let Some(last) = grades.last() {
        if !last.min.is_zero() && grades.len() == arr.len() {
            r.push(
                "grades.lowest",
                pointer(
                    &pointer_at(&top.at("grades"), arr.len().saturating_sub(1)),
                    "min",
                ),
                format!(
                    "最低等次「{}」的最低分应为0，否则低于{}分的总分没有等次",
                    last.name,
                    plain(last.min)
                ),
            );
        }
    }
    grades
}

fn grade_index(grades: &[Grade], name: &str) -> Option<usize> {
    grades.iter().position(|g| g.name == name)
}

fn read_vetoes(
    r: &mut Reader,
    top: &Obj,
    scope: &InputScope,
    ids: &mut IdRegistry,
    grades: &[Grade],
) -> Vec<Veto> {
    let arr = r.array(top, "vetoes", false);
    let mut out = Vec::with_capacity(arr.len());
    for (i, v) in arr.iter().enumerate() {
        let path = pointer_at(&top.at("vetoes"), i);
        let Some(mut o) = r.object(
            v,
            &path,
            &format!("第{}个否决项", i.saturating_add(1)),
            VETO_KEYS,
        ) else {
            continue;
        };
        let (id, title) = read_named(r, &mut o, ids, |id, title| {
            format!("否决项「{title}」({id})")
        });
        let basis = r.opt_str(&o, "basis");
        let when = r.expr(&o, "when", scope, Type::Bool);
        let effect = read_effect(r, &o, grades);
        if let (Some(id), Some(title), Some(when), Some(effect)) = (id, title, when, effect) {
            out.push(Veto {
                id,
                title,
                basis,
                when,
                effect_text: effect.text(grades),
                effect,
            });
        }
    }
    out
}

fn read_effect(r: &mut Reader, o: &Obj, grades: &[Grade]) -> Option<VetoEffect> {
    let path = o.at("effect");
    let bad = |r: &mut Reader| {
        r.push(
            "veto.effect",
            path.clone(),
            format!("{}的 effect 应为 \"fail\"、\"zero\"、{{\"max_grade\": 等次}} 或 {{\"lower_grades\": N}}", o.what),
        )
    };
    match o.get("effect") {
        None => {
            r.missing(o, "effect");
            None
        }
        Some(Value::String(s)) if s == "fail" => Some(VetoEffect::Fail),
        Some(Value::String(s)) if s == "zero" => Some(VetoEffect::Zero),
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
                        None => {
                            let names: Vec<&str> = grades.iter().map(|g| g.name.as_str()).collect();
                            r.push(
                                "grades.unknown",
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
                            "veto.effect",
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

fn read_quotas(r: &mut Reader, top: &Obj, grades: &[Grade]) -> Vec<Quota> {
    let arr = r.array(top, "quotas", false);
    let mut out: Vec<Quota> = Vec::with_capacity(arr.len());
    for (i, v) in arr.iter().enumerate() {
        let path = pointer_at(&top.at("quotas"), i);
        let Some(o) = r.object(
            v,
            &path,
            &format!("第{}个等次比例限制", i.saturating_add(1)),
            &["grade", "max_share"],
        ) else {
            continue;
        };
        let name = r.req_str(&o, "grade");
        let share = r.req_dec(&o, "max_share");
        if let Some(s) = share {
            if s <= Decimal::ZERO || s > Decimal::ONE {
                r.push(
                    "decimal.range",
                    o.at("max_share"),
                    format!("{}的 max_share 应大于0且不超过1，实为{}", o.what, plain(s)),
                );
            }
        }
        let grade = name.as_deref().and_then(|n| {
            let g = grade_index(grades, n);
            if g.is_none() {
                r.push(
                    "grades.unknown",
                    o.at("grade"),
                    format!("{}引用了未定义的等次「{n}」", o.what),
                );
            }
            g
        });
        if let Some(g) = grade {
            if out.iter().any(|q| q.grade == g) {
                r.push(
                    "id.duplicate",
                    o.at("grade"),
                    format!("等次「{}」的比例限制重复", name.unwrap_or_default()),
                );
            }
            if g == grades.len().saturating_sub(1) {
                r.push(
                    "quota.lowest",
                    o.at("grade"),
                    "最低等次不能设比例限制（超出的单位无处可降）",
                );
            }
        }
        if let (Some(grade), Some(max_share)) = (grade, share) {
            out.push(Quota { grade, max_share });
        }
    }
    out
}

fn check_input_sections(r: &mut Reader, inputs: &[Input], sections: &[Section]) {
    for (i, input) in inputs.iter().enumerate() {
        if let Some(s) = &input.section {
            if !sections.iter().any(|sec| &sec.id == s) {
                r.push(
                    "input.unknown_section",
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
    exprs.extend(
        rs.adjustments
            .iter()
            .flat_map(|a| a.lines.iter().map(Line::expr)),
    );
    exprs.extend(
        rs.bonus
            .iter()
            .flat_map(|b| &b.items)
            .flat_map(|i| i.lines.iter().map(Line::expr)),
    );
    exprs.extend(rs.vetoes.iter().map(|v| &v.when));
    let mut used: BTreeSet<usize> = BTreeSet::new();
    for e in &exprs {
        used.extend(e.inputs().iter().copied());
    }
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
fn check_points_scale(r: &mut Reader, rs: &RuleSet) {
    let mut check = |d: Decimal, path: String, what: &dyn Fn() -> String| {
        if d.normalize().scale() > rs.scale {
            r.push(
                "points.scale",
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
        check(g.min, format!("/grades/{gi}/min"), &|| {
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
fn check_judged_inputs(r: &mut Reader, rs: &RuleSet) {
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
                    "judged.input",
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
            if let Some(crate::expr::Value::Number(d)) = input.default {
                if d < Decimal::ZERO || d > item.points {
                    r.push(
                        "input.default",
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

fn check_unused_inputs(r: &mut Reader, rs: &RuleSet) {
    let used = used_inputs(rs);
    for (i, input) in rs.inputs.iter().enumerate() {
        if input.kind != InputType::Text && !used.contains(&i) {
            r.push(
                "input.unused",
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
                "input.default",
                format!("/inputs/{i}"),
                format!(
                    "{}是选填的选择类输入且参与计分，须设置 default",
                    input_name(input)
                ),
            );
        }
    }
}

fn read_tests(r: &mut Reader, top: &Obj, rs: &RuleSet) -> Vec<TestCase> {
    let arr = r.array(top, "tests", false);
    let mut out = Vec::with_capacity(arr.len());
    for (i, v) in arr.iter().enumerate() {
        let path = pointer_at(&top.at("tests"), i);
        let Some(mut o) = r.object(
            v,
            &path,
            &format!("第{}个测试用例", i.saturating_add(1)),
            TEST_KEYS,
        ) else {
            continue;
        };
        let name = r.req_str(&o, "name");
        if let Some(n) = &name {
            o.what = format!("测试用例「{n}」");
        }
        let unit = match o.get("unit") {
            Some(u) => crate::submission::read_unit(r, u, &o.at("unit")),
            None => Some(SubmissionUnit {
                id: format!("test-{}", i.saturating_add(1)),
                name: name.clone().unwrap_or_default(),
                group: None,
                ranked: true,
            }),
        };
        let values = match o.get("values") {
            Some(Value::Object(m)) => m.clone(),
            Some(_) => {
                r.push(
                    "field.type",
                    o.at("values"),
                    format!("{}的 values 应为 JSON 对象", o.what),
                );
                Map::new()
            }
            None => {
                r.missing(&o, "values");
                Map::new()
            }
        };
        let notes = crate::submission::read_notes(r, &o);
        let expect = o
            .get("expect")
            .and_then(|e| read_expect(r, e, &o.at("expect"), &o.what));
        if o.get("expect").is_none() {
            r.missing(&o, "expect");
        }
        if let (Some(name), Some(unit), Some(expect)) = (name, unit, expect) {
            let submission = Submission {
                rules_id: rs.id.clone(),
                rules_version: rs.version.clone(),
                unit,
                period: Some(rs.period.clone()),
                values,
                notes,
                meta: BTreeMap::new(),
            };
            out.push(TestCase {
                name,
                submission,
                expect,
                path,
            });
        }
    }
    out
}

/// Reads an `expect` object from JSON text (case folders keep it in `NAME.expect.json`).
pub(crate) fn load_expect(text: &str) -> Result<Expect, Error> {
    let v = parse_json(text)?;
    let mut r = Reader::default();
    match read_expect(&mut r, &v, "", "期望结果") {
        Some(e) if r.problems.is_empty() => Ok(e),
        _ => Err(Error::new(r.problems)),
    }
}

fn read_expect(r: &mut Reader, v: &Value, path: &str, what: &str) -> Option<Expect> {
    let o = r.object(v, path, &format!("{what}的 expect"), EXPECT_KEYS)?;
    let mut e = Expect {
        total: r.opt_dec(&o, "total"),
        grade: r.opt_str(&o, "grade"),
        status: match r.opt_enum(&o, "status", &["final", "provisional"]) {
            Ok(s) => s.map(str::to_string),
            Err(()) => None,
        },
        ..Expect::default()
    };
    if let Some(items) = o.get("items") {
        match items {
            Value::Object(m) => {
                for (k, v) in m {
                    match decimal_from_json(v) {
                        Some(d) => e.items.push((k.clone(), d)),
                        None => r.push(
                            "decimal.invalid",
                            pointer(&o.at("items"), k),
                            format!("{}的项目「{k}」得分不是有效数值", o.what),
                        ),
                    }
                }
            }
            _ => r.push(
                "field.type",
                o.at("items"),
                format!("{}的 items 应为对象（项目 id → 得分）", o.what),
            ),
        }
    }
    if o.get("vetoes").is_some() {
        let arr = r.array(&o, "vetoes", false);
        let ids: Vec<String> = arr
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        if ids.len() != arr.len() {
            r.push(
                "field.type",
                o.at("vetoes"),
                format!("{}的 vetoes 应为否决项 id 的数组", o.what),
            );
        }
        e.vetoes = Some(ids);
    }
    Some(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        assert!(is_identifier("plan_made"));
        assert!(is_identifier("_x1"));
        for bad in ["", "1a", "a-b", "min", "true", "整改率", "a b"] {
            assert!(!is_identifier(bad), "{bad}");
        }
    }

    #[test]
    fn deep_json_is_refused_cleanly() {
        let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let e = parse_json(&text).err().map(|e| e.problems()[0].code);
        assert_eq!(e, Some("json.too_deep"));
    }
}
