//! Submissions (考核表): one unit's filled-in values, and their validation against a rule set.

use crate::decimal::{decimal_from_json, plain};
use crate::error::{Error, Problem, pointer};
use crate::expr::Value as V;
use crate::json::{JsonWriter, Map, ToJson, Value};
use crate::load::{Obj, Reader, input_name, parse_json, short};
use crate::rules::{Bound, Input, InputType, Rule, RuleSet};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The unit a submission is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubmissionUnit {
    /// Stable id of the unit (`yp-dq`).
    pub id: String,
    /// Display name (大桥街道).
    pub name: String,
    /// Ranking group (分类排名), if any.
    pub group: Option<String>,
    /// False for units scored but not ranked (纳入考核，不纳入排名).
    pub ranked: bool,
}

/// One unit's filled-in form, as read from `kpi-submission/1` JSON.
#[derive(Clone, Debug, PartialEq)]
pub struct Submission {
    /// The rule set id it was filled for.
    pub rules_id: String,
    /// The rule set version it was filled for.
    pub rules_version: String,
    /// The unit assessed.
    pub unit: SubmissionUnit,
    /// The period, if given.
    pub period: Option<String>,
    /// Raw values by input id (checked when scored).
    pub values: Map,
    /// The assessor's notes by item id.
    pub notes: BTreeMap<String, String>,
    /// Free-form metadata, echoed in the report.
    pub meta: BTreeMap<String, String>,
}

const SUBMISSION_KEYS: &[&str] = &[
    "$schema", "format", "rules", "unit", "period", "values", "notes", "meta",
];

impl Submission {
    /// Reads a submission from JSON text.
    pub fn from_json(text: &str) -> Result<Submission, Error> {
        let mut v = parse_json(text)?;
        // Take the values map out instead of cloning it: it is most of the document.
        let values = match v.get_mut("values") {
            Some(Value::Object(m)) => Some(std::mem::take(m)),
            _ => None,
        };
        let mut s = Submission::from_value(&v)?;
        if let Some(values) = values {
            s.values = values;
        }
        Ok(s)
    }

    /// Reads a submission from a parsed JSON value.
    pub fn from_value(v: &Value) -> Result<Submission, Error> {
        let mut r = Reader::default();
        let s = read_submission(&mut r, v);
        match s {
            Some(s) if r.problems.is_empty() => Ok(s),
            _ => {
                if r.problems.is_empty() {
                    r.push("submission.invalid", "", "考核表无效");
                }
                Err(Error::new(r.problems))
            }
        }
    }

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

fn read_submission(r: &mut Reader, v: &Value) -> Option<Submission> {
    let top = r.object(v, "", "考核表", SUBMISSION_KEYS)?;
    match top.get("format") {
        Some(Value::String(f)) if f == "kpi-submission/1" => {}
        None => r.push(
            "field.missing",
            "/format",
            "考核表缺少「format」字段，应为 \"kpi-submission/1\"",
        ),
        Some(v) => r.push(
            "submission.format",
            "/format",
            format!("不支持的格式 {}，应为 \"kpi-submission/1\"", short(v)),
        ),
    }
    let rules = match top.get("rules") {
        Some(v) => r.object(v, "/rules", "考核表的 rules", &["id", "version"]),
        None => {
            r.push(
                "field.missing",
                "/rules",
                "考核表缺少必填字段「rules」（考核细则的 id 和 version）",
            );
            None
        }
    };
    let (rules_id, rules_version) = match &rules {
        Some(o) => (r.req_str(o, "id"), r.req_str(o, "version")),
        None => (None, None),
    };
    let unit = match top.get("unit") {
        Some(u) => read_unit(r, u, "/unit"),
        None => {
            r.push(
                "field.missing",
                "/unit",
                "考核表缺少必填字段「unit」（被考核单位）",
            );
            None
        }
    };
    let period = r.opt_str(&top, "period");
    let values = match top.get("values") {
        Some(Value::Object(m)) => m.clone(),
        Some(_) => {
            r.push(
                "field.type",
                "/values",
                "考核表的 values 应为 JSON 对象（输入项 id → 值）",
            );
            Map::new()
        }
        None => Map::new(),
    };
    let notes = read_notes(r, &top);
    let meta = read_string_map(r, &top, "meta");
    Some(Submission {
        rules_id: rules_id?,
        rules_version: rules_version?,
        unit: unit?,
        period,
        values,
        notes,
        meta,
    })
}

/// Reads a `unit` object.
pub(crate) fn read_unit(r: &mut Reader, v: &Value, path: &str) -> Option<SubmissionUnit> {
    let o = r.object(
        v,
        path,
        "被考核单位（unit）",
        &["id", "name", "group", "ranked"],
    )?;
    let id = r.req_str(&o, "id");
    let name = r.req_str(&o, "name");
    let group = r.opt_str(&o, "group");
    let ranked = r.opt_bool(&o, "ranked").unwrap_or(true);
    Some(SubmissionUnit {
        id: id?,
        name: name?,
        group,
        ranked,
    })
}

/// Reads the `notes` map (item id → text).
pub(crate) fn read_notes(r: &mut Reader, o: &Obj) -> BTreeMap<String, String> {
    read_string_map(r, o, "notes")
}

fn read_string_map(r: &mut Reader, o: &Obj, key: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    match o.get(key) {
        None => {}
        Some(Value::Object(m)) => {
            for (k, v) in m {
                match v {
                    Value::String(s) => {
                        out.insert(k.clone(), s.clone());
                    }
                    Value::Null => {}
                    _ => r.push(
                        "field.type",
                        pointer(&o.at(key), k),
                        format!("{}的 {key}「{k}」应为字符串", o.what),
                    ),
                }
            }
        }
        Some(_) => r.push(
            "field.type",
            o.at(key),
            format!("{}的 {key} 应为 JSON 对象", o.what),
        ),
    }
    out
}

/// Values ready for evaluation, by input index, and the required inputs still empty.
pub(crate) struct Prepared {
    pub values: Vec<Option<V>>,
    pub missing: Vec<usize>,
}

impl RuleSet {
    /// Checks a submission against this rule set: every problem, including empty required inputs
    /// (`value.missing`). An empty list means it can be scored as final.
    pub fn validate(&self, sub: &Submission) -> Vec<Problem> {
        let (prepared, mut problems) = self.prepare(sub);
        for &i in &prepared.missing {
            if let Some(input) = self.inputs.get(i) {
                problems.push(Problem::new(
                    "value.missing",
                    pointer("/values", &input.id),
                    format!("{}为必填项，尚未填写", input_name(input)),
                ));
            }
        }
        problems
    }

    /// Converts and checks the submission's values; problems exclude empty required inputs.
    pub(crate) fn prepare(&self, sub: &Submission) -> (Prepared, Vec<Problem>) {
        let mut problems = Vec::new();
        if sub.rules_id != self.id || sub.rules_version != self.version {
            problems.push(Problem::new(
                "submission.rules_mismatch",
                "/rules",
                format!(
                    "考核表填写的是考核细则「{}」版本「{}」，当前考核细则是「{}」版本「{}」（{}）",
                    sub.rules_id, sub.rules_version, self.id, self.version, self.title
                ),
            ));
        }
        let mut values: Vec<Option<V>> = Vec::with_capacity(self.inputs.len());
        let mut missing = Vec::new();
        for (i, input) in self.inputs.iter().enumerate() {
            let raw = sub.values.get(&input.id).filter(|v| !v.is_null());
            let value = match raw {
                Some(v) => match convert(input, v) {
                    Ok(x) => x,
                    Err((code, msg)) => {
                        problems.push(Problem::new(code, pointer("/values", &input.id), msg));
                        None
                    }
                },
                None => {
                    if input.required && input.kind != InputType::Text {
                        missing.push(i);
                        None
                    } else {
                        input.default.or(match input.kind {
                            InputType::Count | InputType::Number | InputType::Percent => {
                                Some(V::Number(Decimal::ZERO))
                            }
                            InputType::Bool => Some(V::Bool(false)),
                            InputType::Choice | InputType::Text => None,
                        })
                    }
                }
            };
            values.push(value);
        }
        // Every key matched an input unless there are more keys than matches: only then look for
        // the unknown ones (this runs for every submission, and inputs are many).
        let matched = self
            .inputs
            .iter()
            .filter(|i| sub.values.contains_key(&i.id))
            .count();
        if matched < sub.values.len() {
            for key in sub.values.keys() {
                if self.input_index(key).is_none() {
                    problems.push(Problem::new(
                        "value.unknown",
                        pointer("/values", key),
                        format!("考核细则「{}」没有 id 为「{key}」的输入项", self.title),
                    ));
                }
            }
        }
        self.check_ranges(&values, &mut problems);
        (Prepared { values, missing }, problems)
    }

    fn check_ranges(&self, values: &[Option<V>], problems: &mut Vec<Problem>) {
        let number = |i: usize| match values.get(i) {
            Some(Some(V::Number(d))) => Some(*d),
            _ => None,
        };
        let mut judged_max: BTreeMap<usize, Decimal> = BTreeMap::new();
        for item in self.sections.iter().flat_map(|s| &s.items) {
            if let Rule::Judged(i) = item.rule {
                judged_max.insert(i, item.points);
            }
        }
        for (i, input) in self.inputs.iter().enumerate() {
            let Some(v) = number(i) else { continue };
            let bound = |b: &Option<Bound>| -> Option<(Decimal, String)> {
                match b.as_ref()? {
                    Bound::Literal(d) => Some((*d, plain(*d))),
                    Bound::Input(j) => {
                        let other = self.inputs.get(*j)?;
                        Some((
                            number(*j)?,
                            format!("{}的值{}", input_name(other), plain(number(*j)?)),
                        ))
                    }
                }
            };
            let path = || pointer("/values", &input.id);
            let name = InputName(input);
            if let Some((lo, text)) = bound(&input.min) {
                if v < lo {
                    problems.push(Problem::new(
                        "value.range",
                        path(),
                        format!("{name}的值{}小于最小值{text}", plain(v)),
                    ));
                }
            }
            if let Some((hi, text)) = bound(&input.max) {
                if v > hi {
                    problems.push(Problem::new(
                        "value.range",
                        path(),
                        format!("{name}的值{}大于最大值{text}", plain(v)),
                    ));
                }
            }
            if let Some(&p) = judged_max.get(&i) {
                if v < Decimal::ZERO || v > p {
                    problems.push(Problem::new(
                        "value.range",
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

/// How messages name an input (`输入项「label」(id)`), formatted only when a message is built:
/// conversion runs for every value of every submission.
struct InputName<'a>(&'a Input);

impl std::fmt::Display for InputName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "输入项「{}」({})", self.0.label, self.0.id)
    }
}

/// Converts one raw JSON value to the input's type, or says why it can't (code and message).
fn convert(input: &Input, v: &Value) -> Result<Option<V>, (&'static str, String)> {
    let name = InputName(input);
    let wrong = |what: &str| Err(("value.type", format!("{name}应为{what}，实为{}", short(v))));
    let number = |what: &str| match decimal_from_json(v) {
        Some(d) => Ok(d),
        None if matches!(v, Value::Number(_)) => Err((
            "value.range",
            format!("{name}的值{}超出可接受范围（绝对值不超过10¹²）", short(v)),
        )),
        None => Err(("value.type", format!("{name}应为{what}，实为{}", short(v)))),
    };
    match input.kind {
        InputType::Text => match v {
            Value::String(_) => Ok(None),
            _ => wrong("文本"),
        },
        InputType::Bool => match v {
            Value::Bool(b) => Ok(Some(V::Bool(*b))),
            _ => wrong("true（是）或 false（否）"),
        },
        InputType::Choice => match v {
            Value::String(s) => match input.options.iter().position(|o| o == s) {
                Some(i) => Ok(Some(V::Choice(i))),
                None => Err((
                    "value.type",
                    format!(
                        "{name}的值「{s}」不是可选项之一（{}）",
                        input.options.join("、")
                    ),
                )),
            },
            _ => wrong(&format!("以下选项之一：{}", input.options.join("、"))),
        },
        InputType::Count => {
            let d = number("非负整数")?;
            if !d.fract().is_zero() {
                return Err((
                    "value.type",
                    format!("{name}应为整数（计数），实为{}", short(v)),
                ));
            }
            if d < Decimal::ZERO {
                return Err((
                    "value.range",
                    format!("{}不能为负数，实为{}", name, plain(d)),
                ));
            }
            Ok(Some(V::Number(d.trunc())))
        }
        InputType::Number => Ok(Some(V::Number(number("数值")?))),
        InputType::Percent => {
            let d = number("0到100之间的百分数")?;
            if d < Decimal::ZERO || d > Decimal::ONE_HUNDRED {
                return Err((
                    "value.range",
                    format!("{name}应在0到100之间（百分数），实为{}", plain(d)),
                ));
            }
            Ok(Some(V::Number(d)))
        }
    }
}

impl ToJson for SubmissionUnit {
    fn write_json(&self, w: &mut JsonWriter) {
        w.begin_object();
        w.field("id", &self.id);
        w.field("name", &self.name);
        w.field_opt("group", &self.group);
        if !self.ranked {
            w.field("ranked", &self.ranked);
        }
        w.end_object();
    }
}
