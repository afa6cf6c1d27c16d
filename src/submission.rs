//! Submissions (考核表): one unit's filled-in values, and their validation against a rule set.

use crate::decimal::{parse_decimal, plain};
use crate::error::{Error, Problem, pointer};
use crate::expr::Value as V;
use crate::json::{JsonWriter, Map, ToJson, Value};
use crate::json::{Scalar, Scan};
use crate::limits::{MAX_ITEMS, MAX_LONG_TEXT_CHARS, MAX_META, max_chars};
use crate::load::{MAX_DOCUMENT_BYTES, Obj, Reader, input_name, parse_json, short};
use crate::rules::{Bound, Input, InputType, RuleSet};
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
        let s = read_submission(&mut r, v, None);
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

/// Reads a submission, reporting problems in `r`. With `fallback`, a missing or broken `rules` or
/// `unit` is replaced (by that rule set's identity, or an empty unit) so that the values can still
/// be checked: a half-filled form wants every problem at once.
fn read_submission(r: &mut Reader, v: &Value, fallback: Option<&RuleSet>) -> Option<Submission> {
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
    let (rules_id, rules_version, unit) = match fallback {
        None => (rules_id, rules_version, unit),
        Some(rs) => (
            rules_id.or_else(|| Some(rs.id.clone())),
            rules_version.or_else(|| Some(rs.version.clone())),
            unit.or_else(|| {
                Some(SubmissionUnit {
                    id: String::new(),
                    name: String::new(),
                    group: None,
                    ranked: true,
                })
            }),
        ),
    };
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
            let most = if key == "meta" { MAX_META } else { MAX_ITEMS };
            if m.len() > most {
                r.push(
                    "limit.count",
                    o.at(key),
                    format!("{}的 {key} 有{}项，最多{most}项", o.what, m.len()),
                );
                return out;
            }
            for (k, v) in m {
                match v {
                    Value::String(s) if too_long(s) || too_long(k) => r.push(
                        "limit.chars",
                        pointer(&o.at(key), k),
                        format!(
                            "{}的 {key}「{}」过长，最多{MAX_LONG_TEXT_CHARS}个字符",
                            o.what,
                            k.chars().take(40).collect::<String>()
                        ),
                    ),
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

/// Whether a text value is only white space: for a text input that is the same as not filled in.
fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// Whether a long text (a note, a text value) is over its limit.
fn too_long(s: &str) -> bool {
    s.len() > MAX_LONG_TEXT_CHARS && s.chars().count() > MAX_LONG_TEXT_CHARS
}

/// What a submission gave for one input.
#[derive(Clone, Debug)]
enum Given {
    /// Nothing.
    Absent,
    /// `null`, which counts as nothing (read only by the plain path, to refuse repeats).
    Null,
    /// A value that could not be converted, and why.
    Invalid(Problem),
    /// The converted value (`None` for text).
    Value(Option<V>),
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

    /// Every problem of a submission given as JSON text, in one list: its header and unit, its
    /// values, and empty required inputs. Unlike [`Submission::from_json`] followed by
    /// [`RuleSet::validate`], a broken unit or header does not hide the problems in the values.
    pub fn validate_text(&self, text: &str) -> Vec<Problem> {
        let v = match parse_json(text) {
            Ok(v) => v,
            Err(e) => return e.into_problems(),
        };
        let mut r = Reader::default();
        match read_submission(&mut r, &v, Some(self)) {
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
                "submission.rules_mismatch",
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
                    "value.unknown",
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
                Ok(x) => Given::Value(x),
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
            .position(|p| p.code == "value.unknown")
            .unwrap_or(problems.len());
        let unknown = problems.split_off(unknown_start);
        problems.append(&mut problems_in_order);
        problems.extend(unknown);
        let prepared = self.complete(given);
        self.check_ranges(&prepared.values, &mut problems);
        (prepared, problems)
    }

    /// Fills defaults for inputs not given and lists the required ones still empty.
    fn complete(&self, given: Vec<Given>) -> Prepared {
        let mut missing = Vec::new();
        let values = self
            .inputs
            .iter()
            .zip(given)
            .enumerate()
            .map(|(i, (input, g))| match g {
                Given::Value(v) => v,
                Given::Invalid(_) => None,
                // A required text input left empty is reported by `validate` like any other,
                // though it is never scored.
                Given::Absent | Given::Null if input.required => {
                    missing.push(i);
                    None
                }
                Given::Absent | Given::Null => input.default.or(match input.kind {
                    InputType::Count | InputType::Number | InputType::Percent => {
                        Some(V::Number(Decimal::ZERO))
                    }
                    InputType::Bool => Some(V::Bool(false)),
                    InputType::Choice | InputType::Text => None,
                }),
            })
            .collect();
        Prepared { values, missing }
    }

    /// Reads a plainly valid submission for this rule set straight into its input slots, without
    /// building a JSON tree: most of the time of scoring one submission went into that tree.
    ///
    /// `None` when anything is unusual (an unknown or repeated key, a wrong type, a value out of
    /// range, another rule set, an escape sequence, an array): the caller then takes the thorough
    /// path, `Submission::from_json` and `prepare`, which explains the problem. For every text
    /// this accepts, the thorough path accepts it too and reads the same (tests/properties.rs
    /// and the fuzz target check that).
    pub(crate) fn read_plain(&self, text: &str) -> Option<(Submission, Prepared)> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.len() > MAX_DOCUMENT_BYTES {
            return None;
        }
        let mut s = Scan::new(text);
        s.begin_object()?;
        let mut given: Vec<Given> = vec![Given::Absent; self.inputs.len()];
        let (mut unit, mut period) = (None, None);
        let (mut notes, mut meta) = (BTreeMap::new(), BTreeMap::new());
        let (mut seen, mut first) = (0u8, true);
        while let Some(key) = s.key(first)? {
            first = false;
            let bit = match key {
                "$schema" => 1,
                "format" => 2,
                "rules" => 4,
                "unit" => 8,
                "period" => 16,
                "values" => 32,
                "notes" => 64,
                "meta" => 128,
                _ => return None,
            };
            if seen & bit != 0 {
                return None;
            }
            seen |= bit;
            match key {
                "$schema" => {
                    s.scalar()?;
                }
                "format" => (s.scalar()? == Scalar::Str("kpi-submission/1")).then_some(())?,
                "rules" => {
                    let [id, version] = plain_strings(&mut s, ["id", "version"])?;
                    (id? == self.id && version? == self.version).then_some(())?;
                }
                "unit" => unit = Some(plain_unit(&mut s)?),
                "period" => period = Some(non_empty(s.scalar()?, "period")?.to_string()),
                "values" => self.plain_values(&mut s, &mut given)?,
                "notes" => notes = plain_string_map(&mut s, MAX_ITEMS)?,
                _ => meta = plain_string_map(&mut s, MAX_META)?,
            }
        }
        s.end()?;
        // format, rules and unit are required.
        (seen & 0b1110 == 0b1110).then_some(())?;
        let prepared = self.complete(given);
        let mut problems = Vec::new();
        self.check_ranges(&prepared.values, &mut problems);
        problems.is_empty().then_some(())?;
        let sub = Submission {
            rules_id: self.id.clone(),
            rules_version: self.version.clone(),
            unit: unit?,
            period,
            values: Map::new(),
            notes,
            meta,
        };
        Some((sub, prepared))
    }

    /// The `values` object, converted into `given`.
    fn plain_values(&self, s: &mut Scan, given: &mut [Given]) -> Option<()> {
        s.begin_object()?;
        let mut first = true;
        // Forms write values in the rule set's order: try the input after the last one first.
        let mut next = 0usize;
        while let Some(key) = s.key(first)? {
            first = false;
            let i = match self.inputs.get(next) {
                Some(input) if input.id == key => next,
                _ => self.input_index(key)?,
            };
            next = i.saturating_add(1);
            let (input, slot) = (self.inputs.get(i)?, given.get_mut(i)?);
            if !matches!(slot, Given::Absent) {
                return None;
            }
            match s.scalar()? {
                Scalar::Null => *slot = Given::Null,
                Scalar::Str(s) if input.kind == InputType::Text && blank(s) => *slot = Given::Null,
                v => *slot = Given::Value(convert_scalar(input, v).ok()?),
            }
        }
        Some(())
    }

    fn check_ranges(&self, values: &[Option<V>], problems: &mut Vec<Problem>) {
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
                        "value.range",
                        path(),
                        format!("{name}的值{}小于最小值{}", plain(v), bound_text(lo, other)),
                    ));
                }
            }
            if let Some((hi, other)) = bound(&input.max) {
                if v > hi {
                    problems.push(Problem::new(
                        "value.range",
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
}

/// How messages name an input (`输入项「label」(id)`), formatted only when a message is built:
/// conversion runs for every value of every submission.
struct InputName<'a>(&'a Input);

impl std::fmt::Display for InputName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "输入项「{}」({})", self.0.label, self.0.id)
    }
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
fn convert(input: &Input, v: &Value) -> Result<Option<V>, (&'static str, String)> {
    let scalar = match v {
        Value::Bool(b) => Scalar::Bool(*b),
        Value::Number(n) => Scalar::Number(n.as_str()),
        Value::String(s) => Scalar::Str(s),
        Value::Null | Value::Array(_) | Value::Object(_) => {
            return Err((
                "value.type",
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
fn convert_scalar(input: &Input, v: Scalar) -> Result<Option<V>, (&'static str, String)> {
    let name = InputName(input);
    let wrong = || {
        Err((
            "value.type",
            format!("{name}应为{}，实为{}", expected(input), short_scalar(v)),
        ))
    };
    let number = || match v {
        Scalar::Number(n) => parse_decimal(n).ok_or_else(|| {
            (
                "value.range",
                format!(
                    "{name}的值{}超出可接受范围（绝对值不超过10¹²）",
                    short_scalar(v)
                ),
            )
        }),
        Scalar::Str(s) => parse_decimal(s).ok_or_else(|| {
            (
                "value.type",
                format!("{name}应为{}，实为{}", expected(input), short_scalar(v)),
            )
        }),
        Scalar::Null | Scalar::Bool(_) => Err((
            "value.type",
            format!("{name}应为{}，实为{}", expected(input), short_scalar(v)),
        )),
    };
    match input.kind {
        InputType::Text => match v {
            Scalar::Str(s) if too_long(s) => Err((
                "limit.chars",
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
                    "value.type",
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
                    "value.type",
                    format!("{name}应为整数（计数），实为{}", short_scalar(v)),
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
        InputType::Number => Ok(Some(V::Number(number()?))),
        InputType::Percent => {
            let d = number()?;
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

/// A non-empty string within the limit of field `key`, as `Reader::opt_str` accepts it.
fn non_empty<'a>(v: Scalar<'a>, key: &str) -> Option<&'a str> {
    match v {
        Scalar::Str(s) if !s.trim().is_empty() && s.chars().count() <= max_chars(key) => Some(s),
        _ => None,
    }
}

/// An object of the named non-empty string members, each at most once, nothing else.
fn plain_strings<'a, const N: usize>(
    s: &mut Scan<'a>,
    keys: [&str; N],
) -> Option<[Option<&'a str>; N]> {
    s.begin_object()?;
    let mut out = [None; N];
    let mut first = true;
    while let Some(key) = s.key(first)? {
        first = false;
        let k = keys.iter().position(|x| *x == key)?;
        let slot = out.get_mut(k)?;
        if slot.is_some() {
            return None;
        }
        *slot = Some(non_empty(s.scalar()?, key)?);
    }
    Some(out)
}

/// A `unit` object, as `read_unit` reads it.
fn plain_unit(s: &mut Scan) -> Option<SubmissionUnit> {
    s.begin_object()?;
    let (mut id, mut name, mut group, mut ranked) = (None, None, None, None);
    let mut first = true;
    while let Some(key) = s.key(first)? {
        first = false;
        let v = s.scalar()?;
        let slot_was_empty = match key {
            "id" => id.replace(non_empty(v, key)?).is_none(),
            "name" => name.replace(non_empty(v, key)?).is_none(),
            "group" => group.replace(non_empty(v, key)?).is_none(),
            "ranked" => match v {
                Scalar::Bool(b) => ranked.replace(b).is_none(),
                _ => return None,
            },
            _ => return None,
        };
        slot_was_empty.then_some(())?;
    }
    Some(SubmissionUnit {
        id: id?.to_string(),
        name: name?.to_string(),
        group: group.map(str::to_string),
        ranked: ranked.unwrap_or(true),
    })
}

/// A `notes` or `meta` object: string members kept, null ones skipped.
fn plain_string_map(s: &mut Scan, most: usize) -> Option<BTreeMap<String, String>> {
    s.begin_object()?;
    let mut out = BTreeMap::new();
    let (mut first, mut members) = (true, 0usize);
    while let Some(key) = s.key(first)? {
        first = false;
        members = members.saturating_add(1);
        if members > most || too_long(key) {
            return None;
        }
        match s.scalar()? {
            Scalar::Str(v) if too_long(v) => return None,
            Scalar::Str(v) => {
                if out.insert(key.to_string(), v.to_string()).is_some() {
                    return None;
                }
            }
            // null is skipped, as the thorough path skips it; null after a value is refused,
            // because there the value would be dropped (the last repeat wins).
            Scalar::Null if !out.contains_key(key) => {}
            _ => return None,
        }
    }
    Some(out)
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
                [("value.missing", "/values/note")],
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
            text.replacen("2026.1", "2027.1", 1),
        ] {
            assert!(rules.read_plain(&unusual).is_none(), "{unusual}");
        }
    }
}
