//! Reading rule authors' tests: the cases embedded in a rule set and `expect` objects.

use crate::code::Code;
use crate::error::{Error, pointer, pointer_at};
use crate::json::{Map, Value};
use crate::reader::{Obj, Reader, decimal_from_json, parse_json};
use crate::rules::*;
use crate::submission::{Submission, SubmissionUnit};
use std::collections::BTreeMap;

const TEST_KEYS: &[&str] = &[
    "name",
    "unit",
    "values",
    "notes",
    "not_applicable",
    "expect",
];

pub(super) fn read_tests(r: &mut Reader, top: &Obj, rs: &RuleSet) -> Vec<TestCase> {
    let mut out = Vec::new();
    r.objects(
        top,
        "tests",
        false,
        &|i| format!("第{}个测试用例", i.saturating_add(1)),
        TEST_KEYS,
        &mut |r, i, mut o| {
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
                    tags: Vec::new(),
                }),
            };
            let values = match o.get("values") {
                Some(Value::Object(m)) => m.clone(),
                Some(_) => {
                    r.push(
                        Code::FieldType,
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
            let not_applicable = crate::submission::read_not_applicable(r, &o);
            let expect = o
                .get("expect")
                .and_then(|e| read_expect(r, e, &o.at("expect"), &o.what));
            if o.get("expect").is_none() {
                r.missing(&o, "expect");
            }
            check_names(r, &o, rs, &values, &not_applicable, expect.as_ref());
            if let (Some(name), Some(unit), Some(expect)) = (name, unit, expect) {
                let submission = Submission {
                    rules_id: rs.id.clone(),
                    rules_version: rs.version.clone(),
                    unit,
                    period: Some(rs.period.clone()),
                    values,
                    notes,
                    meta: BTreeMap::new(),
                    not_applicable,
                    self_assessment: None,
                };
                out.push(TestCase {
                    name,
                    submission,
                    expect,
                    path: o.path.clone(),
                });
            }
        },
    );
    out
}

/// A test naming an input, item, veto or grade the rule set does not have is a mistake in the
/// rules document (`tests.unknown`), found at load time: it could never pass as meant.
fn check_names(
    r: &mut Reader,
    o: &Obj,
    rs: &RuleSet,
    values: &Map,
    not_applicable: &BTreeMap<String, String>,
    expect: Option<&Expect>,
) {
    let items = || {
        rs.sections
            .iter()
            .flat_map(|s| s.items.iter().map(|i| i.id.as_str()))
            .chain(
                rs.bonus
                    .iter()
                    .flat_map(|b| b.items.iter().map(|i| i.id.as_str())),
            )
    };
    let unknown = |r: &mut Reader, path: String, what: &str, id: &str| {
        r.push(
            Code::TestsUnknown,
            path,
            format!("{}的{what}「{id}」在考核细则中不存在", o.what),
        );
    };
    for key in values.keys() {
        if rs.input_index(key).is_none() {
            unknown(r, pointer(&o.at("values"), key), "输入项", key);
        }
    }
    for key in not_applicable.keys() {
        if !items().any(|i| i == key) {
            unknown(r, pointer(&o.at("not_applicable"), key), "项目", key);
        }
    }
    let Some(e) = expect else { return };
    let at = o.at("expect");
    for (id, _) in &e.items {
        if !items().any(|i| i == id) {
            unknown(r, pointer(&pointer(&at, "items"), id), "项目", id);
        }
    }
    for (k, id) in e.vetoes.iter().flatten().enumerate() {
        if !rs.vetoes.iter().any(|v| &v.id == id) {
            unknown(r, pointer_at(&pointer(&at, "vetoes"), k), "否决项", id);
        }
    }
    if let Some(g) = &e.grade {
        if !rs.grades.iter().any(|x| &x.name == g) {
            unknown(r, pointer(&at, "grade"), "等次", g);
        }
    }
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

const EXPECT_KEYS: &[&str] = &["total", "grade", "status", "items", "vetoes"];

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
                            Code::DecimalInvalid,
                            pointer(&o.at("items"), k),
                            format!("{}的项目「{k}」得分不是有效数值", o.what),
                        ),
                    }
                }
            }
            _ => r.push(
                Code::FieldType,
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
                Code::FieldType,
                o.at("vetoes"),
                format!("{}的 vetoes 应为否决项 id 的数组", o.what),
            );
        }
        e.vetoes = Some(ids);
    }
    Some(e)
}
