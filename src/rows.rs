//! List values of a submission: a record list's rows (明细, one object per accident, fire or
//! inspection) and several assessors' scores of a `multiple` input, converted cell by cell. Every
//! problem names the cell (`/values/accidents/1/serious`); a required cell left empty is not a
//! problem here but a missing cell (`value.missing` in `validate`, pending while scoring).

use crate::cell::{blank, convert_named, empty_value, expected};
use crate::code::Code;
use crate::decimal::plain;
use crate::error::{Problem, pointer, pointer_at};
use crate::expr::{Rows, Value as V};
use crate::json::{Scalar, Value};
use crate::limits::MAX_LIST;
use crate::reader::short;
use crate::rules::{Bound, Input, InputName, InputType, Records};
use rust_decimal::Decimal;
use std::fmt;

/// How messages name a cell: `输入项「生产安全事故明细」(accidents)第2条的「重伤（人）」(serious)`.
struct CellName<'a> {
    list: &'a Input,
    row: usize,
    field: &'a Input,
}

impl fmt::Display for CellName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}第{}{}的「{}」({})",
            InputName(self.list),
            self.row.saturating_add(1),
            self.list.unit.as_deref().unwrap_or("条"),
            self.field.label,
            self.field.id
        )
    }
}

/// How messages name one of several assessors' scores: `输入项「评议组打分」(panel)的第3个评议分`.
struct ScoreName<'a>(&'a Input, usize);

impl fmt::Display for ScoreName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}的第{}个评议分",
            InputName(self.0),
            self.1.saturating_add(1)
        )
    }
}

/// A list value converted: its rows and the required cells left empty (row, field).
pub(crate) struct ReadRows {
    pub rows: Rows,
    pub missing: Vec<(usize, usize)>,
}

/// Converts a records input's value (an array of row objects) at `path`; every problem with the
/// cell it is in.
pub(crate) fn read_records(
    list: &Input,
    records: &Records,
    v: &Value,
    path: &str,
) -> Result<ReadRows, Vec<Problem>> {
    let Value::Array(rows) = v else {
        return Err(vec![Problem::new(
            Code::ValueType,
            path,
            format!(
                "{}应为记录的数组（每条记录一个对象），实为{}",
                InputName(list),
                short(v)
            ),
        )]);
    };
    let mut problems = Vec::new();
    if rows.len() > records.max_rows || rows.len() < records.min_rows {
        problems.push(Problem::new(
            Code::ValueRows,
            path,
            format!(
                "{}有{}{unit}，应为{}到{}{unit}",
                InputName(list),
                rows.len(),
                records.min_rows,
                records.max_rows,
                unit = list.unit.as_deref().unwrap_or("条")
            ),
        ));
        if rows.len() > records.max_rows {
            return Err(problems);
        }
    }
    let width = records.fields.len();
    let unit = list.unit.as_deref().unwrap_or("条");
    let mut out = ReadRows {
        rows: Rows {
            width,
            cells: Vec::with_capacity(rows.len().saturating_mul(width)),
            names: Vec::with_capacity(rows.len()),
            incomplete: false,
        },
        missing: Vec::new(),
    };
    for (r, row) in rows.iter().enumerate() {
        let row_path = pointer_at(path, r);
        let Value::Object(cells) = row else {
            problems.push(Problem::new(
                Code::ValueType,
                row_path,
                format!(
                    "{}第{}{unit}应为一个对象（字段 id → 值），实为{}",
                    InputName(list),
                    r.saturating_add(1),
                    short(row)
                ),
            ));
            continue;
        };
        for key in cells.keys() {
            if !records.fields.iter().any(|f| &f.id == key) {
                let known: Vec<&str> = records.fields.iter().map(|f| f.id.as_str()).collect();
                problems.push(Problem::new(
                    Code::ValueUnknown,
                    pointer(&row_path, key),
                    format!(
                        "{}第{}{unit}没有字段「{key}」（可用：{}）",
                        InputName(list),
                        r.saturating_add(1),
                        known.join("、")
                    ),
                ));
            }
        }
        let start = out.rows.cells.len();
        for (f, field) in records.fields.iter().enumerate() {
            let raw = cells.get(&field.id).filter(|v| !is_empty(field, v));
            let name = CellName {
                list,
                row: r,
                field,
            };
            let cell = match raw {
                None if field.required => {
                    out.missing.push((r, f));
                    None
                }
                None => empty_value(field),
                Some(v) => match cell_value(field, &name, v) {
                    Ok(x) => x,
                    Err((code, message)) => {
                        problems.push(Problem::new(code, pointer(&row_path, &field.id), message));
                        None
                    }
                },
            };
            out.rows.cells.push(cell);
        }
        out.rows.names.push(row_name(records, cells));
        // A row that was not an object has no cells: keep the table rectangular.
        out.rows.cells.resize(start.saturating_add(width), None);
    }
    out.rows.incomplete = !out.missing.is_empty();
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The most characters of one `describe` value in a row's name: a longer text is cut (with …),
/// so that a report's trace texts stay bounded by the rule set, not by the rows' texts.
pub(crate) const ROW_NAME_CHARS: usize = 40;

/// How a row is named in trace texts: its `describe` fields' values, space-separated, each cut
/// to [`ROW_NAME_CHARS`] characters.
fn row_name(records: &Records, cells: &crate::json::Map) -> String {
    let mut named = String::new();
    for &k in &records.describe {
        let Some(v) = records
            .fields
            .get(k)
            .and_then(|f| cells.get(&f.id))
            .filter(|v| !v.is_null())
        else {
            continue;
        };
        if !named.is_empty() {
            named.push(' ');
        }
        named.push_str(&crate::reader::clip(&shown(v)));
    }
    named
}

/// Converts a `multiple` input's value: an array of scores (each checked against the judged
/// item's points with the other values).
pub(crate) fn read_scores(
    input: &Input,
    points: Option<Decimal>,
    v: &Value,
    path: &str,
) -> Result<Rows, Vec<Problem>> {
    let Value::Array(scores) = v else {
        return Err(vec![Problem::new(
            Code::ValueType,
            path,
            format!(
                "{}是多人评议分，应为评议分的数组，实为{}",
                InputName(input),
                short(v)
            ),
        )]);
    };
    if scores.len() > MAX_LIST {
        return Err(vec![Problem::new(
            Code::ValueRows,
            path,
            format!(
                "{}有{}个评议分，最多{MAX_LIST}个",
                InputName(input),
                scores.len()
            ),
        )]);
    }
    let mut problems = Vec::new();
    let mut rows = Rows {
        width: 1,
        cells: Vec::with_capacity(scores.len()),
        names: vec![String::new(); scores.len()],
        incomplete: false,
    };
    for (k, s) in scores.iter().enumerate() {
        match cell_value(input, &ScoreName(input, k), s) {
            Ok(Some(V::Number(d))) if points.is_some_and(|p| d < Decimal::ZERO || d > p) => {
                problems.push(Problem::new(
                    Code::ValueRange,
                    pointer_at(path, k),
                    format!(
                        "{}应在0到{}分之间，实为{}",
                        ScoreName(input, k),
                        plain(points.unwrap_or_default()),
                        plain(d)
                    ),
                ));
                rows.cells.push(None);
            }
            Ok(Some(x)) => rows.cells.push(Some(x)),
            Ok(None) => rows.cells.push(None),
            Err((code, message)) => {
                problems.push(Problem::new(code, pointer_at(path, k), message));
                rows.cells.push(None);
            }
        }
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

/// Whether a cell counts as not filled in: `null`, or a blank text or date.
fn is_empty(field: &Input, v: &Value) -> bool {
    v.is_null()
        || (matches!(field.kind, InputType::Text | InputType::Date)
            && v.as_str().is_some_and(blank))
}

/// One cell converted to its field's type and checked against the field's literal bounds.
fn cell_value(
    field: &Input,
    name: &dyn fmt::Display,
    v: &Value,
) -> Result<Option<V>, (Code, String)> {
    let scalar = match v {
        Value::Bool(b) => Scalar::Bool(*b),
        Value::Number(n) => Scalar::Number(n.as_str()),
        Value::String(s) => Scalar::Str(s),
        Value::Null | Value::Array(_) | Value::Object(_) => {
            return Err((
                Code::ValueType,
                format!("{name}应为{}，实为{}", expected(field), short(v)),
            ));
        }
    };
    let x = convert_named(field, name, scalar)?;
    if let Some(V::Number(d)) = x {
        for (bound, below) in [(&field.min, true), (&field.max, false)] {
            if let Some(Bound::Literal(limit)) = bound {
                if (below && d < *limit) || (!below && d > *limit) {
                    let word = if below {
                        "小于最小值"
                    } else {
                        "大于最大值"
                    };
                    return Err((
                        Code::ValueRange,
                        format!("{name}的值{}{word}{}", plain(d), plain(*limit)),
                    ));
                }
            }
        }
    }
    Ok(x)
}

/// A cell as a row's name shows it: text as written, a number as written, 是/否.
fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.as_str().to_string(),
        Value::Bool(true) => "是".into(),
        Value::Bool(false) => "否".into(),
        other => short(other),
    }
}
