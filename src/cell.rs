//! One value of one input (or of one field of a record row): converting a JSON scalar to the
//! input's type with the reason it cannot be, what an empty value counts as, and what a value must
//! look like in words. Shared by the thorough reader (`values`), record rows (`rows`) and the plain
//! reader (`plain`).

use crate::code::Code;
use crate::decimal::{parse_decimal, plain, why_not_decimal};
use crate::expr::Value as V;
use crate::json::{Scalar, Value};
use crate::limits::MAX_LONG_TEXT_CHARS;
use crate::reader::short;
use crate::rules::{Input, InputName, InputType};
use crate::submission::too_long;
use rust_decimal::Decimal;

/// Whether a text value is only white space: for a text input that is the same as not filled in.
pub(crate) fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// The value an optional input left empty counts as: its default, else 0 or false (a choice or
/// text has none; an optional record list left empty has no rows).
pub(crate) fn empty_value(input: &Input) -> Option<V> {
    input.default.or(match input.kind {
        InputType::Count | InputType::Number | InputType::Percent | InputType::Records => {
            Some(V::Number(Decimal::ZERO))
        }
        InputType::Bool => Some(V::Bool(false)),
        InputType::Choice | InputType::Text | InputType::Date => None,
    })
}

/// What an input of this type must be given, in words.
pub(crate) fn expected(input: &Input) -> String {
    match input.kind {
        InputType::Text => "文本".into(),
        InputType::Date => "日期（如 2026-03-12）".into(),
        InputType::Records => "记录的数组".into(),
        InputType::Bool => "true（是）或 false（否）".into(),
        InputType::Choice => format!("以下选项之一：{}", input.options.join("、")),
        InputType::Count => "非负整数".into(),
        InputType::Number => "数值".into(),
        InputType::Percent => "0到100之间的百分数".into(),
    }
}

/// Converts one raw JSON value to the input's type, or says why it can't (code and message).
pub(crate) fn convert(input: &Input, v: &Value) -> Result<Option<V>, (Code, String)> {
    let scalar = match v {
        Value::Bool(b) => Scalar::Bool(*b),
        Value::Number(n) => Scalar::Number(n.as_str()),
        Value::String(s) => Scalar::Str(s),
        Value::Null | Value::Array(_) | Value::Object(_) => {
            return Err((
                Code::ValueType,
                format!(
                    "{}应为{}，实为{}",
                    InputName(input),
                    expected(input),
                    short(v)
                ),
            ));
        }
    };
    convert_scalar(input, scalar)
}

/// A scalar shown briefly in a message, as `short` shows the same JSON value.
fn short_scalar(v: Scalar) -> String {
    match v {
        Scalar::Null => "null".into(),
        Scalar::Bool(b) => b.to_string(),
        Scalar::Number(n) => short(&Value::Number(crate::json::Number::literal(n))),
        Scalar::Str(s) => short(&Value::string(s)),
    }
}

/// Converts one scalar to the input's type, or says why it can't (code and message).
pub(crate) fn convert_scalar(input: &Input, v: Scalar) -> Result<Option<V>, (Code, String)> {
    convert_named(input, &InputName(input), v)
}

/// Converts one scalar to the type of `input` (an input or a record's field), named `name` in
/// messages, or says why it can't (code and message).
pub(crate) fn convert_named(
    input: &Input,
    name: &dyn std::fmt::Display,
    v: Scalar,
) -> Result<Option<V>, (Code, String)> {
    let wrong = || {
        Err((
            Code::ValueType,
            format!("{name}应为{}，实为{}", expected(input), short_scalar(v)),
        ))
    };
    let number = || match v {
        Scalar::Number(n) => parse_decimal(n).ok_or_else(|| {
            (
                Code::ValueRange,
                format!("{name}的值{}{}", short_scalar(v), why_not_decimal(n)),
            )
        }),
        // A number in a string: when it is one, say what is wrong with it.
        Scalar::Str(s) => parse_decimal(s).ok_or_else(|| {
            let why = match why_not_decimal(s) {
                "不是数值" => String::new(),
                why => format!("，{why}"),
            };
            (
                Code::ValueType,
                format!(
                    "{name}应为{}，实为{}{why}",
                    expected(input),
                    short_scalar(v)
                ),
            )
        }),
        Scalar::Null | Scalar::Bool(_) => Err((
            Code::ValueType,
            format!("{name}应为{}，实为{}", expected(input), short_scalar(v)),
        )),
    };
    match input.kind {
        InputType::Text => match v {
            Scalar::Str(s) if too_long(s) => Err((
                Code::LimitChars,
                format!("{name}过长，最多{MAX_LONG_TEXT_CHARS}个字符"),
            )),
            Scalar::Str(s) => match crate::text::text_problem(s, true, false) {
                Some((code, _, why)) => Err((code, format!("{name}{why}"))),
                None => Ok(None),
            },
            _ => wrong(),
        },
        InputType::Date => match v {
            Scalar::Str(s) if is_date(s.trim()) => Ok(None),
            Scalar::Str(s) => Err((
                Code::ValueType,
                format!("{name}应为日期（年-月-日，如 2026-03-12），实为「{s}」"),
            )),
            _ => wrong(),
        },
        // Lists are arrays: never a scalar.
        InputType::Records => wrong(),
        InputType::Bool => match v {
            Scalar::Bool(b) => Ok(Some(V::Bool(b))),
            _ => wrong(),
        },
        InputType::Choice => match v {
            Scalar::Str(s) => match input.options.iter().position(|o| o == s) {
                Some(i) => Ok(Some(V::Choice(i))),
                None => Err((
                    Code::ValueType,
                    format!(
                        "{name}的值「{s}」不是可选项之一（{}）",
                        input.options.join("、")
                    ),
                )),
            },
            _ => wrong(),
        },
        InputType::Count => {
            let d = number()?;
            // A whole number written without places (the usual count) needs no rounding.
            if d.scale() == 0 && !d.is_sign_negative() {
                return Ok(Some(V::Number(d)));
            }
            if !d.fract().is_zero() {
                return Err((
                    Code::ValueType,
                    format!("{name}应为整数（计数），实为{}", short_scalar(v)),
                ));
            }
            if d < Decimal::ZERO {
                return Err((
                    Code::ValueRange,
                    format!("{}不能为负数，实为{}", name, plain(d)),
                ));
            }
            Ok(Some(V::Number(d.trunc())))
        }
        InputType::Number => Ok(Some(V::Number(number()?))),
        InputType::Percent => {
            let d = number()?;
            if d < Decimal::ZERO || d > Decimal::ONE_HUNDRED {
                return Err((
                    Code::ValueRange,
                    format!("{name}应在0到100之间（百分数），实为{}", plain(d)),
                ));
            }
            Ok(Some(V::Number(d)))
        }
    }
}

/// Whether `s` is a calendar date written `YYYY-MM-DD`.
pub(crate) fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return false;
    }
    let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    };
    y >= 1 && (1..=days).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::is_date;

    #[test]
    fn dates() {
        for ok in ["2026-03-12", "2024-02-29", "2000-02-29", "1999-12-31"] {
            assert!(is_date(ok), "{ok}");
        }
        for bad in [
            "2026-3-12",
            "2026-02-30",
            "1900-02-29",
            "2026-13-01",
            "2026-00-10",
            "0000-01-01",
            "２０２６-01-01",
            "2026/03/12",
            "",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
    }
}
