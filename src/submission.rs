//! Submissions (考核表): one unit's filled-in values, as read from `kpi-submission/1` JSON. What the
//! values mean for a rule set (conversion, ranges, defaults) is `values`; the fast reader for plainly
//! valid texts is `plain`.

use crate::code::Code;
use crate::error::Error;
use crate::error::pointer;
use crate::json::{Map, Value, json_object};
use crate::limits::{MAX_ID_CHARS, MAX_ITEMS, MAX_LONG_TEXT_CHARS, MAX_META};
use crate::reader::{Obj, Reader, clip, parse_json, short};
use crate::text::{Ids, same_as};
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
    /// The rule set's unit tags this unit carries (承担的行业监管职责 …), in the order given.
    pub tags: Vec<String>,
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
    /// Items the assessors marked not applicable (考核组认定不涉及), by id, with the reason.
    pub not_applicable: BTreeMap<String, String>,
    /// The unit's self-assessment (自评), if given.
    pub self_assessment: Option<Box<SelfAssessment>>,
}

/// A unit's self-assessment beside the assessors' values: its own values, scored by the same
/// rules, or its own item scores. Raw JSON, checked when scored.
#[derive(Clone, Debug, PartialEq)]
pub enum SelfAssessment {
    /// `{"values": {...}}`: input id → value, as a submission's `values`.
    Values(Map),
    /// `{"items": {...}}`: item id → score.
    Items(Map),
}

const SUBMISSION_KEYS: &[&str] = &[
    "$schema",
    "format",
    "rules",
    "unit",
    "period",
    "values",
    "notes",
    "meta",
    "not_applicable",
    "self",
];

impl Submission {
    /// Reads a submission from JSON text.
    ///
    /// ```
    /// let sub = kpi_wasm::Submission::from_json(r#"{"format": "kpi-submission/1",
    ///     "rules": {"id": "subdistrict", "version": "2026.2"},
    ///     "unit": {"id": "dq", "name": "大桥街道"}, "values": {"general_accidents": 2}}"#)
    ///     .expect("reads");
    /// assert_eq!(sub.unit.name, "大桥街道");
    /// ```
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

    /// Reads a JSON array of submissions (the text of a batch): each one read, or the problems
    /// of the one that could not be.
    ///
    /// # Errors
    ///
    /// When the text is not JSON, or not an array.
    pub fn list_from_json(text: &str) -> Result<Vec<Result<Submission, Error>>, Error> {
        match parse_json(text)? {
            Value::Array(items) => Ok(items.iter().map(Submission::from_value).collect()),
            _ => Err(Error::one(Code::FieldType, "", "考核表列表应为数组")),
        }
    }

    /// Reads a submission from a parsed JSON value.
    pub(crate) fn from_value(v: &Value) -> Result<Submission, Error> {
        let mut r = Reader::default();
        let s = read_submission(&mut r, v, None);
        r.finish(s, Code::SubmissionInvalid, "考核表无效")
    }
}

/// Reads a submission, reporting problems in `r`. With `fallback`, a missing or broken `rules` or
/// `unit` is replaced (by that rule set's id and version, or an empty unit) so that the values can still
/// be checked: a half-filled form wants every problem at once.
pub(crate) fn read_submission(
    r: &mut Reader,
    v: &Value,
    fallback: Option<(&str, &str)>,
) -> Option<Submission> {
    let top = r.object(v, "", "考核表", SUBMISSION_KEYS)?;
    r.format(&top, "kpi-submission/1", "考核表", Code::SubmissionFormat);
    let rules = match top.get("rules") {
        Some(v) => r.object(v, "/rules", "考核表的 rules", &["id", "version"]),
        None => {
            r.push(
                Code::FieldMissing,
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
                Code::FieldMissing,
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
                Code::FieldType,
                "/values",
                "考核表的 values 应为 JSON 对象（输入项 id → 值）",
            );
            Map::new()
        }
        None => Map::new(),
    };
    let notes = read_notes(r, &top);
    let meta = read_string_map(r, &top, "meta");
    let not_applicable = read_not_applicable(r, &top);
    let self_assessment = top.get("self").and_then(|v| read_self(r, v));
    let (rules_id, rules_version, unit) = match fallback {
        None => (rules_id, rules_version, unit),
        Some((id, version)) => (
            rules_id.or_else(|| Some(id.to_string())),
            rules_version.or_else(|| Some(version.to_string())),
            unit.or_else(|| {
                Some(SubmissionUnit {
                    id: String::new(),
                    name: String::new(),
                    group: None,
                    ranked: true,
                    tags: Vec::new(),
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
        not_applicable,
        self_assessment: self_assessment.map(Box::new),
    })
}

/// The `not_applicable` map (item id → the assessors' reason). Which ids the rule set allows, and
/// whether each reason is given, is checked with the values.
pub(crate) fn read_not_applicable(r: &mut Reader, o: &Obj) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    match o.get("not_applicable") {
        None | Some(Value::Null) => {}
        Some(Value::Object(m)) => {
            if m.len() > MAX_ITEMS {
                r.push(
                    Code::LimitCount,
                    o.at("not_applicable"),
                    format!(
                        "{}的 not_applicable 有{}项，最多{MAX_ITEMS}项",
                        o.what,
                        m.len()
                    ),
                );
                return out;
            }
            for (k, v) in m {
                let at = || pointer(&o.at("not_applicable"), k);
                let place = || (at(), format!("{}的 not_applicable 的键", o.what));
                if !r.check_text(k, false, false, &place) {
                    continue;
                }
                match v {
                    Value::String(s) => {
                        let place =
                            || (at(), format!("{}的 not_applicable「{}」", o.what, clip(k)));
                        if r.check_text(s, true, false, &place) {
                            out.insert(k.clone(), s.clone());
                        }
                    }
                    _ => r.push(
                        Code::FieldType,
                        at(),
                        format!(
                            "{}的 not_applicable「{}」应为认定不涉及的理由（字符串）",
                            o.what,
                            clip(k)
                        ),
                    ),
                }
            }
        }
        Some(_) => r.push(
            Code::FieldType,
            o.at("not_applicable"),
            format!(
                "{}的 not_applicable 应为 JSON 对象（项目 id → 理由）",
                o.what
            ),
        ),
    }
    out
}

/// The `self` object: exactly one of `values` and `items`, each an object.
fn read_self(r: &mut Reader, v: &Value) -> Option<SelfAssessment> {
    let o = r.object(v, "/self", "考核表的自评（self）", &["values", "items"])?;
    match (o.get("values"), o.get("items")) {
        (Some(Value::Object(m)), None) => Some(SelfAssessment::Values(m.clone())),
        (None, Some(Value::Object(m))) => Some(SelfAssessment::Items(m.clone())),
        (Some(_), None) | (None, Some(_)) => {
            let key = if o.get("values").is_some() {
                "values"
            } else {
                "items"
            };
            r.push(
                Code::FieldType,
                o.at(key),
                format!("{}的 {key} 应为 JSON 对象", o.what),
            );
            None
        }
        _ => {
            r.push(
                Code::FieldValue,
                "/self",
                format!(
                    "{}应有且只有 values（自评填报值）或 items（各项目自评分）之一",
                    o.what
                ),
            );
            None
        }
    }
}

/// Reads a `unit` object.
pub(crate) fn read_unit(r: &mut Reader, v: &Value, path: &str) -> Option<SubmissionUnit> {
    let o = r.object(
        v,
        path,
        "被考核单位（unit）",
        &["id", "name", "group", "ranked", "tags"],
    )?;
    let id = r.req_str(&o, "id");
    let name = r.req_str(&o, "name");
    let group = r.opt_str(&o, "group");
    let ranked = r.opt_bool(&o, "ranked").unwrap_or(true);
    let tags = read_tags(r, &o);
    Some(SubmissionUnit {
        id: id?,
        name: name?,
        group,
        ranked,
        tags,
    })
}

/// The unit's `tags`: distinct non-empty strings (which ones the rule set knows is checked when
/// the values are).
fn read_tags(r: &mut Reader, o: &Obj) -> Vec<String> {
    let arr = r.array(o, "tags", false);
    let mut tags: Vec<String> = Vec::with_capacity(arr.len());
    let mut seen = Ids::default();
    for (i, v) in arr.iter().enumerate() {
        let path = crate::error::pointer_at(&o.at("tags"), i);
        match v {
            Value::String(t) if !t.trim().is_empty() && t.chars().count() <= MAX_ID_CHARS => {
                let place = || (path.clone(), format!("{}的单位标签", o.what));
                if !r.check_text(t, false, true, &place) {
                    continue;
                }
                if let Some((first, _)) = seen.claim(t, "") {
                    r.push(
                        Code::IdDuplicate,
                        path,
                        format!("{}的单位标签{}重复", o.what, same_as(t, first)),
                    );
                } else {
                    tags.push(t.clone());
                }
            }
            _ => r.push(
                Code::FieldType,
                path,
                format!(
                    "{}的单位标签应为非空字符串（至多{MAX_ID_CHARS}个字符），实为{}",
                    o.what,
                    short(v)
                ),
            ),
        }
    }
    tags
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
                    Code::LimitCount,
                    o.at(key),
                    format!("{}的 {key} 有{}项，最多{most}项", o.what, m.len()),
                );
                return out;
            }
            for (k, v) in m {
                let place = || (pointer(&o.at(key), k), format!("{}的 {key} 的键", o.what));
                if !r.check_text(k, false, false, &place) {
                    continue;
                }
                match v {
                    Value::String(s) if too_long(s) || too_long(k) => r.push(
                        Code::LimitChars,
                        pointer(&o.at(key), k),
                        format!(
                            "{}的 {key}「{}」过长，最多{MAX_LONG_TEXT_CHARS}个字符",
                            o.what,
                            k.chars().take(40).collect::<String>()
                        ),
                    ),
                    Value::String(s) => {
                        let place = || {
                            (
                                pointer(&o.at(key), k),
                                format!("{}的 {key}「{}」", o.what, clip(k)),
                            )
                        };
                        if r.check_text(s, true, false, &place) {
                            out.insert(k.clone(), s.clone());
                        }
                    }
                    Value::Null => {}
                    _ => r.push(
                        Code::FieldType,
                        pointer(&o.at(key), k),
                        format!("{}的 {key}「{k}」应为字符串", o.what),
                    ),
                }
            }
        }
        Some(_) => r.push(
            Code::FieldType,
            o.at(key),
            format!("{}的 {key} 应为 JSON 对象", o.what),
        ),
    }
    out
}

/// Whether a long text (a note, a text value) is over its limit.
pub(crate) fn too_long(s: &str) -> bool {
    s.len() > MAX_LONG_TEXT_CHARS && s.chars().count() > MAX_LONG_TEXT_CHARS
}

json_object!(SubmissionUnit { id, name, group?, ranked [if_false], tags [nonempty] });
