//! A submission's values against a rule set: converted to the inputs' types, checked against
//! their ranges, defaults filled in, required inputs still empty listed. Every problem at once,
//! each naming the field by its label and id.

use crate::code::Code;
use crate::decimal::{parse_decimal, plain};
use crate::error::{Problem, pointer};
use crate::expr::{Env, Outcome, Value as V};
use crate::json::{Map, Scalar, Value};
use crate::limits::MAX_LONG_TEXT_CHARS;
use crate::reader::{Reader, parse_json, short};
use crate::rules::{Bound, Input, InputName, InputType, RuleSet, input_name};
use crate::submission::{Submission, SubmissionUnit, read_submission, too_long};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

impl Submission {
    /// An empty submission for `rules`, as a blank form would give.
    pub fn blank(rules: &RuleSet, unit: SubmissionUnit) -> Submission {
        Submission {
            rules_id: rules.id.clone(),
            rules_version: rules.version.clone(),
            unit,
            period: Some(rules.period.clone()),
            values: Map::new(),
            notes: BTreeMap::new(),
            meta: BTreeMap::new(),
        }
    }
}

/// Whether a text value is only white space: for a text input that is the same as not filled in.
pub(crate) fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// What a submission gave for one input.
#[derive(Clone, Debug)]
pub(crate) enum Given<'a> {
    /// Nothing.
    Absent,
    /// `null`, which counts as nothing (read only by the plain path, to refuse repeats).
    Null,
    /// A value that could not be converted, and why.
    Invalid(Problem),
    /// The converted value of a scored input.
    Value(Option<V>),
    /// A text input's text (never scored; kept for the fingerprint).
    Text(&'a str),
}

impl<'a> Given<'a> {
    /// A value `convert` accepted: a text input's text, or the converted value.
    pub(crate) fn converted(v: Option<V>, text: Option<&'a str>) -> Self {
        match (v, text) {
            (None, Some(s)) => Given::Text(s),
            (v, _) => Given::Value(v),
        }
    }
}

/// Values ready for evaluation, by input index, the required inputs still empty, and the given
/// values' canonical text (for the report's fingerprint).
pub(crate) struct Prepared {
    pub values: Vec<Option<V>>,
    pub missing: Vec<usize>,
    pub canonical: String,
}

impl RuleSet {
    /// Checks a submission against this rule set: every problem, including empty required inputs
    /// (`value.missing`). An empty list means it can be scored as final.
    ///
    /// ```
    /// use kpi_wasm::{Code, RuleSet, Submission};
    /// let rules = RuleSet::builtin("subdistrict").expect("built-in rule set");
    /// let sub = Submission::from_json(r#"{"format": "kpi-submission/1",
    ///     "rules": {"id": "subdistrict", "version": "2026.2"},
    ///     "unit": {"id": "dq", "name": "大桥街道"}, "values": {"plan_made": "yes"}}"#)
    ///     .expect("reads");
    /// let problems = rules.validate(&sub);
    /// assert_eq!(problems[0].code, Code::ValueType);
    /// assert_eq!(problems[0].path, "/values/plan_made");
    /// assert!(problems.iter().any(|p| p.code == Code::ValueMissing));
    /// ```
    pub fn validate(&self, sub: &Submission) -> Vec<Problem> {
        let (prepared, mut problems) = self.prepare(sub);
        for &i in &prepared.missing {
            if let Some(input) = self.inputs.get(i) {
                problems.push(Problem::new(
                    Code::ValueMissing,
                    pointer("/values", &input.id),
                    format!("{}为必填项，尚未填写", input_name(input)),
                ));
            }
        }
        problems
    }

    /// Every problem of a submission given as JSON text, in one list: its header and unit, its
    /// values, and empty required inputs. Unlike [`Submission::from_json`] followed by
    /// [`RuleSet::validate`], a broken unit or header does not hide the problems in the values.
    pub fn validate_text(&self, text: &str) -> Vec<Problem> {
        let v = match parse_json(text) {
            Ok(v) => v,
            Err(e) => return e.into_problems(),
        };
        let mut r = Reader::default();
        match read_submission(&mut r, &v, Some((&self.id, &self.version))) {
            Some(sub) => {
                let mut problems = r.problems;
                problems.extend(self.validate(&sub));
                problems
            }
            None => r.problems,
        }
    }

    /// Converts and checks the submission's values; problems exclude empty required inputs.
    pub(crate) fn prepare(&self, sub: &Submission) -> (Prepared, Vec<Problem>) {
        let mut problems = Vec::new();
        if sub.rules_id != self.id || sub.rules_version != self.version {
            problems.push(Problem::new(
                Code::SubmissionRulesMismatch,
                "/rules",
                format!(
                    "考核表填写的是考核细则「{}」版本「{}」，当前考核细则是「{}」版本「{}」（{}）",
                    sub.rules_id, sub.rules_version, self.id, self.version, self.title
                ),
            ));
        }
        // Given values by input index; null counts as not given.
        let mut given: Vec<Given> = vec![Given::Absent; self.inputs.len()];
        for (key, v) in &sub.values {
            let Some(i) = self.input_index(key) else {
                problems.push(Problem::new(
                    Code::ValueUnknown,
                    pointer("/values", key),
                    format!("考核细则「{}」没有 id 为「{key}」的输入项", self.title),
                ));
                continue;
            };
            let (Some(input), Some(slot)) = (self.inputs.get(i), given.get_mut(i)) else {
                continue;
            };
            if v.is_null() || (input.kind == InputType::Text && v.as_str().is_some_and(blank)) {
                continue;
            }
            *slot = match convert(input, v) {
                Ok(x) => Given::converted(x, v.as_str()),
                Err((code, msg)) => {
                    Given::Invalid(Problem::new(code, pointer("/values", &input.id), msg))
                }
            };
        }
        // Conversion problems in input order, as the form lists its fields, before unknown keys.
        let mut problems_in_order: Vec<Problem> = given
            .iter()
            .filter_map(|g| match g {
                Given::Invalid(p) => Some(p.clone()),
                _ => None,
            })
            .collect();
        let unknown_start = problems
            .iter()
            .position(|p| p.code == Code::ValueUnknown)
            .unwrap_or(problems.len());
        let unknown = problems.split_off(unknown_start);
        problems.append(&mut problems_in_order);
        problems.extend(unknown);
        for (t, tag) in sub.unit.tags.iter().enumerate() {
            if !self.unit_tags.iter().any(|u| &u.id == tag) {
                let known: Vec<&str> = self.unit_tags.iter().map(|u| u.id.as_str()).collect();
                problems.push(Problem::new(
                    Code::ValueUnknown,
                    crate::error::pointer_at("/unit/tags", t),
                    if known.is_empty() {
                        format!(
                            "考核细则「{}」没有定义单位标签，不能使用「{tag}」",
                            self.title
                        )
                    } else {
                        format!(
                            "考核细则「{}」没有单位标签「{tag}」（可用：{}）",
                            self.title,
                            known.join("、")
                        )
                    },
                ));
            }
        }
        let prepared = self.complete(given, &sub.unit);
        self.check_ranges(&prepared.values, &mut problems);
        (prepared, problems)
    }

    /// Fills defaults for inputs not given, adds the unit's tags after the inputs (expressions read
    /// them as bools there), and lists the required inputs still empty, leaving out those whose
    /// `applicable` condition is false for these values.
    pub(crate) fn complete(&self, given: Vec<Given>, unit: &SubmissionUnit) -> Prepared {
        let canonical = crate::fingerprint::canonical_values(self, &given);
        let mut missing = Vec::new();
        let mut values: Vec<Option<V>> =
            Vec::with_capacity(self.inputs.len().saturating_add(self.unit_tags.len()));
        for (i, (input, g)) in self.inputs.iter().zip(given).enumerate() {
            values.push(match g {
                Given::Value(v) => v,
                Given::Invalid(_) | Given::Text(_) => None,
                // A required text input left empty is reported by `validate` like any other,
                // though it is never scored.
                Given::Absent | Given::Null if input.required => {
                    missing.push(i);
                    None
                }
                Given::Absent | Given::Null => empty_value(input),
            });
        }
        values.extend(
            self.unit_tags
                .iter()
                .map(|t| Some(V::Bool(unit.tags.contains(&t.id)))),
        );
        if self.inputs.iter().any(|i| i.applicable.is_some()) {
            self.drop_inapplicable(&mut values, &mut missing);
        }
        Prepared {
            values,
            missing,
            canonical,
        }
    }

    /// Required inputs whose condition is false for these values are not missing: they count as
    /// an optional input left empty would. A condition that cannot be evaluated yet (it reads an
    /// empty input) keeps the input required.
    fn drop_inapplicable(&self, values: &mut [Option<V>], missing: &mut Vec<usize>) {
        let inapplicable: Vec<usize> = missing
            .iter()
            .copied()
            .filter(|&i| {
                let Some(condition) = self.inputs.get(i).and_then(|x| x.applicable.as_ref()) else {
                    return false;
                };
                let env = Env {
                    values,
                    batch: None,
                };
                matches!(condition.eval_bool(&env), Ok(Outcome::Known(false)))
            })
            .collect();
        for i in inapplicable {
            missing.retain(|&m| m != i);
            if let (Some(slot), Some(input)) = (values.get_mut(i), self.inputs.get(i)) {
                *slot = empty_value(input);
            }
        }
    }

    pub(crate) fn check_ranges(&self, values: &[Option<V>], problems: &mut Vec<Problem>) {
        let number = |i: usize| match values.get(i) {
            Some(Some(V::Number(d))) => Some(*d),
            _ => None,
        };
        // The bound's value, and how a message names it (written only for a message: this runs
        // for every value of every submission).
        let bound = |b: &Option<Bound>| -> Option<(Decimal, Option<usize>)> {
            match b.as_ref()? {
                Bound::Literal(d) => Some((*d, None)),
                Bound::Input(j) => Some((number(*j)?, Some(*j))),
            }
        };
        let bound_text =
            |d: Decimal, other: Option<usize>| match other.and_then(|j| self.inputs.get(j)) {
                Some(other) => format!("{}的值{}", input_name(other), plain(d)),
                None => plain(d),
            };
        for (i, input) in self.inputs.iter().enumerate() {
            let Some(v) = number(i) else { continue };
            let path = || pointer("/values", &input.id);
            let name = InputName(input);
            if let Some((lo, other)) = bound(&input.min) {
                if v < lo {
                    problems.push(Problem::new(
                        Code::ValueRange,
                        path(),
                        format!("{name}的值{}小于最小值{}", plain(v), bound_text(lo, other)),
                    ));
                }
            }
            if let Some((hi, other)) = bound(&input.max) {
                if v > hi {
                    problems.push(Problem::new(
                        Code::ValueRange,
                        path(),
                        format!("{name}的值{}大于最大值{}", plain(v), bound_text(hi, other)),
                    ));
                }
            }
            // Judged inputs are number inputs (the loader checks it).
            if input.kind == InputType::Number {
                if let Some((_, p)) = self.judged_inputs().find(|&(j, _)| j == i) {
                    if v < Decimal::ZERO || v > p {
                        problems.push(Problem::new(
                            Code::ValueRange,
                            path(),
                            format!(
                                "{name}是评议分，应在0到{}分之间，实为{}",
                                plain(p),
                                plain(v)
                            ),
                        ));
                    }
                }
            }
        }
    }
}

/// The value an optional input left empty counts as: its default, else 0 or false (a choice or
/// text has none).
fn empty_value(input: &Input) -> Option<V> {
    input.default.or(match input.kind {
        InputType::Count | InputType::Number | InputType::Percent => Some(V::Number(Decimal::ZERO)),
        InputType::Bool => Some(V::Bool(false)),
        InputType::Choice | InputType::Text => None,
    })
}

/// What an input of this type must be given, in words.
fn expected(input: &Input) -> String {
    match input.kind {
        InputType::Text => "文本".into(),
        InputType::Bool => "true（是）或 false（否）".into(),
        InputType::Choice => format!("以下选项之一：{}", input.options.join("、")),
        InputType::Count => "非负整数".into(),
        InputType::Number => "数值".into(),
        InputType::Percent => "0到100之间的百分数".into(),
    }
}

/// Converts one raw JSON value to the input's type, or says why it can't (code and message).
fn convert(input: &Input, v: &Value) -> Result<Option<V>, (Code, String)> {
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
    let name = InputName(input);
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
                format!(
                    "{name}的值{}超出可接受范围（绝对值不超过10¹²）",
                    short_scalar(v)
                ),
            )
        }),
        Scalar::Str(s) => parse_decimal(s).ok_or_else(|| {
            (
                Code::ValueType,
                format!("{name}应为{}，实为{}", expected(input), short_scalar(v)),
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
            Scalar::Str(_) => Ok(None),
            _ => wrong(),
        },
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_required_text_input_left_empty_is_reported() {
        let rules = RuleSet::from_json(
            r#"{"format":"kpi-rules/1","id":"t","version":"1","title":"细则","period":"2026",
            "unit_kind":"subdistrict","full_score":"10",
            "inputs":[{"id":"a","label":"问题","type":"count"},{"id":"note","label":"说明","type":"text"}],
            "sections":[{"id":"s","title":"部分","points":"10","items":[
              {"id":"1","title":"项目","points":"10","deduct":[{"per":"a","points":"1","reason":"问题"}]}]}],
            "grades":[{"name":"合格","min":"6"},{"name":"不合格","min":"0"}]}"#,
        )
        .expect("loads");
        let sub = |values: &str| {
            let text = format!(
                r#"{{"format":"kpi-submission/1","rules":{{"id":"t","version":"1"}},"unit":{{"id":"u","name":"单位"}},"values":{values}}}"#
            );
            Submission::from_json(&text).expect("reads")
        };
        for values in [
            r#"{"a":1}"#,
            r#"{"a":1,"note":null}"#,
            r#"{"a":1,"note":"  "}"#,
        ] {
            let problems = rules.validate(&sub(values));
            assert_eq!(
                problems
                    .iter()
                    .map(|p| (p.code, p.path.as_str()))
                    .collect::<Vec<_>>(),
                [(Code::ValueMissing, "/values/note")],
                "{values}"
            );
            let text = format!(
                r#"{{"format":"kpi-submission/1","rules":{{"id":"t","version":"1"}},"unit":{{"id":"u","name":"单位"}},"values":{values}}}"#
            );
            assert_eq!(rules.validate_text(&text), problems);
            // The fast reader takes a blank text as empty too.
            assert_eq!(
                rules.score_text(&text).map(|r| r.to_json()),
                rules.score(&sub(values)).map(|r| r.to_json())
            );
        }
        assert!(
            rules
                .validate(&sub(r#"{"a":1,"note":"已整改"}"#))
                .is_empty()
        );
        // It is never scored: the report is final either way.
        let report = rules.score(&sub(r#"{"a":1}"#)).expect("scores");
        assert_eq!(report.status.as_str(), "final");
    }

    #[test]
    fn plain_submissions_take_the_plain_path() {
        let rules = RuleSet::builtin("subdistrict").expect("built-in");
        let text = include_str!("../examples/subdistrict-dq.json");
        let (sub, prepared) = rules
            .read_plain(text)
            .expect("a plain submission reads plainly");
        let thorough = Submission::from_json(text).expect("reads");
        let (expected, problems) = rules.prepare(&thorough);
        assert!(problems.is_empty());
        assert_eq!(prepared.values, expected.values);
        assert_eq!(prepared.missing, expected.missing);
        assert_eq!(
            (sub.unit, sub.period, sub.notes),
            (thorough.unit, thorough.period, thorough.notes)
        );
        // Anything unusual goes the thorough way.
        for unusual in [
            text.replacen("\"values\": {", "\"values\": {\"nope\": 1, ", 1),
            text.replacen("大桥街道", "\\u5927桥街道", 1),
            text.replacen(rules.version(), "2027.1", 1),
        ] {
            assert!(rules.read_plain(&unusual).is_none(), "{unusual}");
        }
    }
}
