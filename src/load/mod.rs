//! Loading and validating rule sets: JSON text → [`RuleSet`], collecting every problem.
//!
//! The reader (`crate::reader`) walks the JSON by hand instead of deriving `Deserialize`, because
//! serde stops at the first error while a rule author wants all of them, each with its JSON pointer
//! and a Chinese message naming the item by its title. This file reads the top level and holds
//! what the readers share; `inputs`, `items` (sections, items, their rules and lines), `totals`
//! (adjustments, bonus, grades, vetoes, quotas) and `cases` (embedded tests) read their parts;
//! checks across parts are `crate::lint`.
//!
//! Each object's fields are listed once, in a `*_KEYS` constant beside the function that reads
//! them (unknown fields are refused with that list); reading a field not listed there is caught
//! by a debug assertion in `Obj::get`.

use crate::code::Code;
use crate::error::Error;
use crate::json::Value;
use crate::limits;
use crate::lint;
use crate::reader::{Obj, Reader, parse_json, short};
use crate::rules::*;

mod cases;
mod common;
mod inputs;
mod items;
mod provenance;
mod totals;

pub(crate) use cases::load_expect;
use common::{IdRegistry, InputScope};

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
    "documents",
    "unit_tags",
    "notes_required",
];

/// Loads a rule set from JSON text, reporting every problem found.
pub fn load_rules(text: &str) -> Result<RuleSet, Error> {
    let value = parse_json(text)?;
    load_rules_value(&value)
}

/// Loads a rule set from an already parsed JSON value.
pub fn load_rules_value(root: &Value) -> Result<RuleSet, Error> {
    let mut r = Reader::default();
    let read = read_rules(&mut r, root);
    let mut rs = r.finish(read, Code::RulesInvalid, "考核细则无效")?;
    rs.fingerprint = crate::fingerprint::rules_digest(root);
    Ok(rs)
}

fn read_rules(r: &mut Reader, root: &Value) -> Option<RuleSet> {
    let top = r.object(root, "", "考核细则", TOP_KEYS)?;
    r.format(&top, "kpi-rules/1", "考核细则", Code::RulesFormat);
    let id = r.req_str(&top, "id");
    let version = r.req_str(&top, "version");
    let title = r.req_str(&top, "title");
    let period = r.req_str(&top, "period");
    let unit_kind = r.req_str(&top, "unit_kind");
    let description = r.opt_str(&top, "description");
    let full_score = r.positive(&top, "full_score");
    let scale = read_scale(r, &top);
    let notes_required = r.opt_bool(&top, "notes_required").unwrap_or(false);
    let not_applicable = match r.opt_enum(&top, "not_applicable", &["full", "rescale"]) {
        Ok(Some("rescale")) => NotApplicable::Rescale,
        _ => NotApplicable::Full,
    };

    let documents = provenance::read_documents(r, &top);
    let (mut inputs, conditions) = inputs::read_inputs(r, &top);
    let unit_tags = provenance::read_unit_tags(r, &top, &inputs);
    let scope = InputScope::new(&inputs, &unit_tags, &documents);
    let conditions = inputs::compile_conditions(r, conditions, &scope);
    let mut ids = IdRegistry::default();
    let sections = items::read_sections(r, &top, &scope, &mut ids);
    let adjustments = totals::read_adjustments(r, &top, &scope, &mut ids);
    let bonus = totals::read_bonus(r, &top, &scope, &mut ids);
    let grades = totals::read_grades(r, &top, full_score, &scope);
    let vetoes = totals::read_vetoes(r, &top, &scope, &mut ids, &grades);
    let quotas = totals::read_quotas(r, &top, &grades, &scope);

    lint::check_sections_sum(r, full_score, &sections);
    if not_applicable == NotApplicable::Rescale && sections.iter().any(|s| s.out_of.is_some()) {
        r.push(
            Code::RulesRescaleWithOutOf,
            "/not_applicable",
            "not_applicable 为 \"rescale\" 时不能同时使用部分折算 out_of",
        );
    }
    lint::check_input_sections(r, &inputs, &sections);
    let items: usize = sections.iter().map(|s| s.items.len()).sum();
    if items > limits::MAX_ITEMS {
        r.push(
            Code::LimitCount,
            "/sections",
            format!("考核细则共有{items}个考核项目，最多{}个", limits::MAX_ITEMS),
        );
    }
    check_row_budget(r);
    if r.expr_ops > limits::MAX_EXPR_OPS {
        r.push(
            Code::LimitExpressions,
            "",
            format!(
                "考核细则的表达式合计编译为{}步运算，最多{}步，请精简规则",
                r.expr_ops,
                limits::MAX_EXPR_OPS
            ),
        );
    }

    // Input indices in id order: the scope's map iterates by id (a sort would cost wasm size);
    // unit tags follow the inputs in it and are left out.
    let by_id: Vec<usize> = scope
        .by_id
        .values()
        .copied()
        .filter(|&i| i < inputs.len())
        .collect();
    // Compiled against the inputs as read; stored once nothing borrows them any more.
    for (input, condition) in inputs.iter_mut().zip(conditions) {
        input.applicable = condition;
    }
    let lists = (0..inputs.len())
        .filter(|&i| {
            inputs
                .get(i)
                .is_some_and(|x| x.records.is_some() || x.multiple)
        })
        .collect();
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
        documents,
        unit_tags,
        by_id,
        notes_required,
        lists,
        fingerprint: String::new(),
    };
    lint::check_points_scale(r, &rs);
    lint::check_judged_inputs(r, &rs);
    // An expression that failed to compile leaves its inputs looking unused: lint only clean sets.
    if r.problems.is_empty() {
        lint::check_unused_inputs(r, &rs);
    }
    rs.tests = cases::read_tests(r, &top, &rs);
    Some(rs)
}

/// Row expressions run once per row: their operations and the trace lines of `each` lines are
/// bounded apart from the other expressions' (SECURITY.md).
fn check_row_budget(r: &mut Reader) {
    if r.row_ops > limits::MAX_ROW_OPS {
        r.push(
            Code::LimitExpressions,
            "",
            format!(
                "考核细则中逐条记录计算的表达式（明细函数的条件和 each 规则）合计编译为{}步运算，最多{}步，请精简规则",
                r.row_ops,
                limits::MAX_ROW_OPS
            ),
        );
    }
    if r.row_lines > limits::MAX_ROW_LINES {
        r.push(
            Code::LimitCount,
            "",
            format!(
                "考核细则共有{}条逐条记录（each）的扣分或加分规则，最多{}条",
                r.row_lines,
                limits::MAX_ROW_LINES
            ),
        );
    }
}

fn read_scale(r: &mut Reader, top: &Obj) -> Option<u32> {
    let Some(v) = top.get("scale") else {
        return Some(2);
    };
    match v.as_u64() {
        Some(n) if n <= 6 => u32::try_from(n).ok(),
        _ => {
            r.push(
                Code::FieldValue,
                top.at("scale"),
                format!("scale 应为0到6之间的整数，实为{}", short(v)),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_json_is_refused_cleanly() {
        let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let e = parse_json(&text).err().map(|e| e.problems()[0].code);
        assert_eq!(e, Some(Code::JsonTooDeep));
    }
}
