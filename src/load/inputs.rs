//! Reading the inputs (the form's fields): types, bounds (literal or another input), options,
//! defaults.

use crate::code::Code;
use crate::decimal::plain;
use crate::error::{pointer, pointer_at};
use crate::expr::{Expr, Scope, Type};
use crate::json::Value;
use crate::limits::MAX_ROWS;
use crate::reader::Reader;
use crate::reader::{Obj, decimal_from_json, short};
use crate::rules::*;
use crate::text::{Ids, same_as};
use rust_decimal::Decimal;

const INPUT_KEYS: &[&str] = &[
    "id",
    "label",
    "type",
    "section",
    "required",
    "min",
    "max",
    "options",
    "default",
    "unit",
    "help",
    "applicable",
    "fields",
    "min_rows",
    "max_rows",
    "describe",
    "multiple",
];

/// The fields of a record list's field (a scalar input of a row).
const FIELD_KEYS: &[&str] = &[
    "id", "label", "type", "required", "min", "max", "options", "default", "unit", "help",
];

/// The types of inputs, and of a record's fields (the first seven).
const TYPES: &[&str] = &[
    "count", "number", "percent", "bool", "choice", "text", "date", "records",
];

/// An input's `applicable` condition as written: its source, pointer and the input's name. It is
/// compiled once every input and unit tag is known.
pub(super) struct Condition {
    src: String,
    path: String,
    what: String,
}

/// Whether `id` can name an input in expressions.
pub(super) fn is_identifier(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !crate::expr::is_reserved(id)
}

/// A bound as written, resolved once every input is known.
enum RawBound {
    Literal(Decimal),
    Input(String),
}

/// An input's index and path, and its `min` and `max` as written.
type Written = (usize, String, Option<RawBound>, Option<RawBound>);

/// The inputs, and each one's `applicable` condition still to compile. Record lists get their
/// list slots, in input order.
pub(super) fn read_inputs(r: &mut Reader, top: &Obj) -> (Vec<Input>, Vec<Option<Condition>>) {
    let mut inputs: Vec<Input> = Vec::new();
    let mut conditions = Vec::new();
    let mut bounds: Vec<Written> = Vec::new();
    let mut seen = Ids::default();
    let name = |i: usize| format!("第{}个输入项", i.saturating_add(1));
    r.objects(top, "inputs", true, &name, INPUT_KEYS, &mut |r, _, o| {
        let path = o.path.clone();
        if let Some(read) = read_input(r, o, &mut seen, None) {
            bounds.push((inputs.len(), path, read.min, read.max));
            inputs.push(read.input);
            conditions.push(read.condition);
        }
    });
    resolve_bounds(r, &mut inputs, bounds);
    // Record lists and several assessors' scores are lists: each has a slot.
    let mut slot = 0usize;
    for input in &mut inputs {
        if let Some(records) = &mut input.records {
            records.list = slot;
        }
        if input.records.is_some() || input.multiple {
            slot = slot.saturating_add(1);
        }
    }
    (inputs, conditions)
}

/// A records input's fields, rows and `describe` (`o` is the input, `what` names it).
fn read_records(r: &mut Reader, o: &Obj, what: &str) -> Records {
    let mut fields: Vec<Input> = Vec::new();
    let mut bounds: Vec<Written> = Vec::new();
    let mut seen = Ids::default();
    let name = |i: usize| format!("{what}的第{}个字段", i.saturating_add(1));
    let n = r.objects(o, "fields", false, &name, FIELD_KEYS, &mut |r, _, f| {
        let path = f.path.clone();
        if let Some(read) = read_input(r, f, &mut seen, Some(what)) {
            bounds.push((fields.len(), path, read.min, read.max));
            fields.push(read.input);
        }
    });
    if n == 0 {
        r.push(
            Code::RecordsFields,
            o.at("fields"),
            format!("{what}是明细类（records）输入项，须在 fields 中列出每条记录的字段"),
        );
    }
    resolve_bounds(r, &mut fields, bounds);
    let count = |r: &mut Reader, key: &str, default: usize| match o.get(key) {
        None => default,
        Some(v) => match v.as_u64().and_then(|n| usize::try_from(n).ok()) {
            Some(n) if n <= MAX_ROWS => n,
            _ => {
                r.push(
                    Code::RecordsRows,
                    o.at(key),
                    format!(
                        "{what}的 {key} 应为0到{MAX_ROWS}之间的整数，实为{}",
                        short(v)
                    ),
                );
                default
            }
        },
    };
    let min_rows = count(r, "min_rows", 0);
    let max_rows = count(r, "max_rows", MAX_ROWS);
    if min_rows > max_rows {
        r.push(
            Code::RecordsRows,
            o.at("min_rows"),
            format!("{what}的 min_rows {min_rows} 大于 max_rows {max_rows}"),
        );
    }
    let describe = match o.get("describe") {
        None => fields
            .iter()
            .enumerate()
            .filter(|(_, f)| matches!(f.kind, InputType::Date | InputType::Text))
            .map(|(i, _)| i)
            .take(2)
            .collect(),
        Some(_) => {
            let arr = r.array(o, "describe", false);
            let mut out = Vec::with_capacity(arr.len());
            for (i, v) in arr.iter().enumerate() {
                match v
                    .as_str()
                    .and_then(|id| fields.iter().position(|f| f.id == id))
                {
                    Some(k) => out.push(k),
                    None => r.push(
                        Code::RecordsFields,
                        pointer_at(&o.at("describe"), i),
                        format!("{what}的 describe 应列出本明细的字段 id，{}不是", short(v)),
                    ),
                }
            }
            out
        }
    };
    Records {
        fields,
        min_rows,
        max_rows,
        describe,
        list: 0,
    }
}

/// Compiles the inputs' `applicable` conditions (bool expressions over inputs and unit tags).
pub(super) fn compile_conditions(
    r: &mut Reader,
    conditions: Vec<Option<Condition>>,
    scope: &dyn Scope,
) -> Vec<Option<Expr>> {
    conditions
        .into_iter()
        .map(|c| {
            let c = c?;
            r.compile(&c.src, c.path, &c.what, scope, Type::Bool)
        })
        .collect()
}

/// An input as read: its bounds and condition still as written.
struct ReadInput {
    input: Input,
    min: Option<RawBound>,
    max: Option<RawBound>,
    condition: Option<Condition>,
}

/// An input's `type` (a record's field takes no `records`).
fn read_type(r: &mut Reader, o: &Obj, field: bool) -> Option<InputType> {
    let types = if field {
        TYPES.get(..7).unwrap_or(TYPES)
    } else {
        TYPES
    };
    match r.opt_enum(o, "type", types) {
        Ok(Some(t)) => Some(match t {
            "count" => InputType::Count,
            "number" => InputType::Number,
            "percent" => InputType::Percent,
            "bool" => InputType::Bool,
            "choice" => InputType::Choice,
            "date" => InputType::Date,
            "records" => InputType::Records,
            _ => InputType::Text,
        }),
        Ok(None) => {
            r.missing(o, "type");
            None
        }
        Err(()) => None,
    }
}

/// One input (or, when `list` names a records input, one of its fields), its bounds still as
/// written; `seen` holds the ids read so far (the inputs', or the list's fields').
fn read_input(r: &mut Reader, mut o: Obj, seen: &mut Ids, list: Option<&str>) -> Option<ReadInput> {
    let mut what = o.what.clone();
    let id = r.req_str(&o, "id");
    let label = r.req_str(&o, "label");
    if let (Some(id), Some(label)) = (&id, &label) {
        what = match list {
            Some(list) => format!("{list}的字段「{label}」({id})"),
            None => format!("输入项「{label}」({id})"),
        };
        o.what = what.clone();
    }
    let id = id?;
    if !is_identifier(&id) {
        r.push(
            Code::InputId,
            o.at("id"),
            format!("{what}的 id「{id}」不是合法标识符（字母或下划线开头，只含字母、数字、下划线，且不能是保留字）"),
        );
    }
    if let Some((first, _)) = seen.claim(&id, &what) {
        let (code, message) = match list {
            Some(list) => (
                Code::RecordsFields,
                format!("{list}的字段 id{}重复", same_as(&id, first)),
            ),
            None => (
                Code::IdDuplicate,
                format!("输入项 id{}重复", same_as(&id, first)),
            ),
        };
        r.push(code, o.at("id"), message);
    }
    let kind = read_type(r, &o, list.is_some())?;
    let required = r.opt_bool(&o, "required").unwrap_or(true);
    let section = list.is_none().then(|| r.opt_str(&o, "section")).flatten();
    let unit = r.opt_str(&o, "unit");
    let help = r.opt_str(&o, "help");
    let condition = list
        .is_none()
        .then(|| r.opt_str(&o, "applicable"))
        .flatten()
        .map(|src| Condition {
            src,
            path: o.at("applicable"),
            what: what.clone(),
        });
    let mut options = Vec::new();
    if kind == InputType::Choice {
        options = read_options(r, &o);
    } else if o.get("options").is_some() {
        r.push(
            Code::InputOptions,
            o.at("options"),
            format!("{what}不是选择类（choice），不能设置 options"),
        );
    }
    let min = read_bound(r, &o, "min", kind, list.is_some());
    let max = read_bound(r, &o, "max", kind, list.is_some());
    let records = if kind == InputType::Records {
        Some(Box::new(read_records(r, &o, &what)))
    } else {
        for key in ["fields", "min_rows", "max_rows", "describe"] {
            if list.is_none() && o.get(key).is_some() {
                r.push(
                    Code::RecordsFields,
                    o.at(key),
                    format!("{what}不是明细类（records）输入项，不能设置 {key}"),
                );
            }
        }
        None
    };
    let multiple = list.is_none() && r.opt_bool(&o, "multiple").unwrap_or(false);
    if multiple && (kind != InputType::Number || !required) {
        r.push(
            Code::FieldValue,
            o.at("multiple"),
            format!("{what}：multiple（多人评议分）只能用于必填的 number 类型输入项"),
        );
    }
    let default = o
        .get("default")
        .and_then(|v| read_default(r, &o, v, kind, &options));
    if required && default.is_some() {
        r.push(
            Code::InputDefault,
            o.at("default"),
            format!("{what}是必填项，不能设置 default（默认值只用于选填项）"),
        );
    }
    if default.is_some() && (multiple || kind == InputType::Records) {
        r.push(
            Code::InputDefault,
            o.at("default"),
            format!("{what}是明细或多人评议分，不能设置 default"),
        );
    }
    let input = Input {
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
        applicable: None,
        records,
        multiple,
    };
    Some(ReadInput {
        input,
        min,
        max,
        condition,
    })
}

/// Resolves the bounds naming other inputs, once every input is known, and checks each input's
/// range (and the value an empty optional input takes) against its literal bounds.
fn resolve_bounds(r: &mut Reader, inputs: &mut [Input], bounds: Vec<Written>) {
    for (index, path, min, max) in bounds {
        let min = min.and_then(|b| resolve_bound(r, inputs, index, &path, "min", b));
        let max = max.and_then(|b| resolve_bound(r, inputs, index, &path, "max", b));
        if let (Some(Bound::Literal(lo)), Some(Bound::Literal(hi))) = (&min, &max) {
            if lo > hi {
                let what = inputs.get(index).map(input_name).unwrap_or_default();
                r.push(
                    Code::InputRange,
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
                Code::InputDefault,
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
}

fn read_options(r: &mut Reader, o: &Obj) -> Vec<String> {
    let arr = r.array(o, "options", true);
    let mut out: Vec<String> = Vec::new();
    let mut seen = Ids::default();
    for (i, v) in arr.iter().enumerate() {
        let path = pointer_at(&o.at("options"), i);
        match v {
            Value::String(s) if !s.trim().is_empty() => {
                if !r.check_text(s, false, true, &|| {
                    (path.clone(), format!("{}的选项", o.what))
                }) {
                    continue;
                }
                if let Some((first, _)) = seen.claim(s, "") {
                    r.push(
                        Code::InputOptions,
                        path,
                        format!("{}的选项{}重复", o.what, same_as(s, first)),
                    );
                }
                out.push(s.clone());
            }
            _ => r.push(
                Code::InputOptions,
                pointer_at(&o.at("options"), i),
                format!("{}的选项应为非空字符串", o.what),
            ),
        }
    }
    if out.is_empty() && o.get("options").is_some() {
        r.push(
            Code::InputOptions,
            o.at("options"),
            format!("{}至少需要一个选项", o.what),
        );
    }
    out
}

fn read_bound(
    r: &mut Reader,
    o: &Obj,
    key: &str,
    kind: InputType,
    field: bool,
) -> Option<RawBound> {
    let v = o.get(key)?;
    if !kind.is_numeric() {
        r.push(
            Code::InputBound,
            o.at(key),
            format!("{}不是数值类输入，不能设置 {key}", o.what),
        );
        return None;
    }
    if let Some(d) = decimal_from_json(v) {
        return Some(RawBound::Literal(d));
    }
    match v {
        Value::String(_) if field => {
            r.push(
                Code::RecordsFields,
                o.at(key),
                format!("{}的 {key} 只能是数值，不能引用输入项", o.what),
            );
            None
        }
        Value::String(s) if is_identifier(s) => Some(RawBound::Input(s.clone())),
        _ => {
            r.push(
                Code::InputBound,
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
                    Code::InputBound,
                    pointer(path, key),
                    format!("{what}的 {key} 不能引用自身"),
                );
                None
            }
            Some(j) if inputs.get(j).is_some_and(|i| i.kind.is_numeric()) => Some(Bound::Input(j)),
            Some(_) => {
                r.push(
                    Code::InputBound,
                    pointer(path, key),
                    format!("{what}的 {key} 引用的「{id}」不是数值类输入项"),
                );
                None
            }
            None => {
                r.push(
                    Code::InputUnknownRef,
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
            Code::InputDefault,
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
}
