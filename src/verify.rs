//! Verifying a report: re-score its submission and compare, figure by figure, so that a back end
//! can accept a report made elsewhere (in a browser, by another system) only when it is exactly
//! what this engine computes from this rule set and this submission.

use crate::error::{Error, pointer, pointer_at};
use crate::json::{JsonWriter, ToJson, Value, json_object};
use crate::reader::parse_json;
use crate::rules::RuleSet;
use crate::submission::Submission;

/// At most this many differences are listed one by one; the rest are counted.
const MAX_DIFFERENCES: usize = 100;

/// The outcome of [`RuleSet::verify`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verification {
    /// True when the report is exactly what re-scoring gives, fingerprint included.
    pub ok: bool,
    /// Every figure that differs, the fingerprint's parts first, then the total and grade.
    pub differences: Vec<Difference>,
}

/// One figure of a report that re-scoring does not confirm.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// JSON pointer into the report (`/sections/1/items/3/score`).
    pub path: String,
    /// The report's value as JSON text (`"95.00"` with its quotes), `None` when the report lacks it.
    pub reported: Option<String>,
    /// The recomputed value as JSON text, `None` when re-scoring has no such figure.
    pub recomputed: Option<String>,
    /// In Chinese, naming the figure by its item's or section's title, with both values.
    pub message: String,
}

impl ToJson for Difference {
    fn write_json(&self, w: &mut JsonWriter) {
        let raw = |w: &mut JsonWriter, v: &Option<String>| match v {
            Some(json) => w.raw(json),
            None => w.null(),
        };
        w.begin_object();
        w.field("path", &self.path);
        w.key("reported");
        raw(w, &self.reported);
        w.key("recomputed");
        raw(w, &self.recomputed);
        w.field("message", &self.message);
        w.end_object();
    }
}

json_object!(Verification { ok, differences });

impl RuleSet {
    /// Re-scores `sub` and compares the result with the report given as JSON text (`kpi-report/1`,
    /// compact or indented): every figure, and the fingerprint, which names the rule set, the
    /// submission and the engine the report was computed from. A report scored in a batch (with a
    /// `rank`) depends on its peers and does not verify on its own.
    ///
    /// # Errors
    ///
    /// When the report is not JSON, or the submission cannot be scored under these rules (its
    /// problems).
    ///
    /// ```
    /// use kpi_wasm::{RuleSet, Submission};
    /// let rules = RuleSet::builtin("subdistrict").expect("built-in rule set");
    /// let sub = Submission::from_json(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/subdistrict-dq.json"))).expect("reads");
    /// let report = rules.score(&sub).expect("scores").to_json();
    /// assert!(rules.verify(&report, &sub).expect("verifies").ok);
    /// let tampered = report.replace(r#""total":"89.15""#, r#""total":"95.15""#);
    /// let v = rules.verify(&tampered, &sub).expect("compares");
    /// assert!(!v.ok);
    /// assert_eq!(v.differences[0].path, "/total");
    /// assert_eq!(v.differences[0].message, "总分：报告为95.15，重新计算为89.15");
    /// ```
    pub fn verify(&self, report_json: &str, sub: &Submission) -> Result<Verification, Error> {
        let reported = parse_json(report_json)?;
        let recomputed = crate::json::parse(&self.score(sub)?.to_json())
            .map_err(|_| Error::one(crate::Code::RulesInvalid, "", "无法读取重新计算的结果"))?;
        let mut found = Vec::new();
        let mut more = 0usize;
        compare(
            Some(&reported),
            Some(&recomputed),
            "",
            &mut found,
            &mut more,
        );
        // The fingerprint first (what the report was computed from), then the total and grade.
        found.sort_by_key(|(path, ..)| {
            if path.starts_with("/fingerprint") {
                0
            } else if matches!(path.as_str(), "/total" | "/grade" | "/status") {
                1
            } else {
                2
            }
        });
        let trees = [&recomputed, &reported];
        let mut differences: Vec<Difference> = found
            .into_iter()
            .map(|(path, a, b)| Difference {
                message: message(&path, a, b, &trees),
                reported: a.map(ToJson::to_json),
                recomputed: b.map(ToJson::to_json),
                path,
            })
            .collect();
        if more > 0 {
            differences.push(Difference {
                path: String::new(),
                reported: None,
                recomputed: None,
                message: format!("另有{more}处不同，未逐一列出"),
            });
        }
        Ok(Verification {
            ok: differences.is_empty(),
            differences,
        })
    }
}

type Found<'v> = (String, Option<&'v Value>, Option<&'v Value>);

/// Walks both trees, recording each place where they differ (objects by key, arrays by index).
fn compare<'v>(
    a: Option<&'v Value>,
    b: Option<&'v Value>,
    path: &str,
    out: &mut Vec<Found<'v>>,
    more: &mut usize,
) {
    match (a, b) {
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort_unstable();
            keys.dedup();
            for k in keys {
                compare(x.get(k), y.get(k), &pointer(path, k), out, more);
            }
        }
        (Some(Value::Array(x)), Some(Value::Array(y))) => {
            for i in 0..x.len().max(y.len()) {
                compare(x.get(i), y.get(i), &pointer_at(path, i), out, more);
            }
        }
        _ if a == b => {}
        _ if out.len() < MAX_DIFFERENCES => out.push((path.to_string(), a, b)),
        _ => *more = more.saturating_add(1),
    }
}

/// A value as a message shows it: a string without quotes, anything else as short JSON.
fn shown(v: &Value) -> String {
    let text = match v {
        Value::String(s) => s.clone(),
        _ => v.to_json(),
    };
    if text.chars().count() > 80 {
        text.chars().take(80).chain("…".chars()).collect()
    } else {
        text
    }
}

/// The member or element at `path` of the first tree that has it.
fn at<'v>(trees: &[&'v Value], path: &[&str]) -> Option<&'v Value> {
    trees.iter().find_map(|t| {
        path.iter().try_fold(*t, |v, seg| match v {
            Value::Object(m) => m.get(seg),
            Value::Array(items) => items.get(seg.parse::<usize>().ok()?),
            _ => None,
        })
    })
}

/// What the figure at `path` is, in words: 项目「2.2 重大事故隐患整改率」的得分.
fn figure(path: &str, trees: &[&Value]) -> String {
    let segs: Vec<String> = path
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    let mut parts: Vec<String> = Vec::new();
    let mut k = 0usize;
    while let Some(seg) = segs.get(k) {
        let next = segs.get(k.saturating_add(1));
        let index = next.and_then(|n| n.parse::<usize>().ok());
        let here: Vec<&str> = segs
            .iter()
            .take(k.saturating_add(2))
            .map(String::as_str)
            .collect();
        let title = |with_id: bool| {
            let node = at(trees, &here);
            let t = node.and_then(|n| n.get("title")).and_then(Value::as_str);
            let id = node.and_then(|n| n.get("id")).and_then(Value::as_str);
            match (t, id) {
                (Some(t), Some(id)) if with_id => format!("「{id} {t}」"),
                (Some(t), _) => format!("「{t}」"),
                (None, Some(id)) => format!("「{id}」"),
                (None, None) => String::new(),
            }
        };
        let nth = |what: &str| format!("第{}条{what}", index.map_or(0, |i| i.saturating_add(1)));
        let (part, step) = match (seg.as_str(), index) {
            ("sections", Some(_)) => (format!("部分{}", title(false)), 2),
            ("items", Some(_)) if segs.first().is_some_and(|s| s == "bonus") => {
                (format!("加分项{}", title(false)), 2)
            }
            ("items", Some(_)) => (format!("项目{}", title(true)), 2),
            ("adjustments", Some(_)) => (format!("扣分项{}", title(false)), 2),
            ("vetoes", Some(_)) => (format!("否决项{}", title(false)), 2),
            ("lines", Some(_)) => (nth("计分说明"), 2),
            ("pending", Some(_)) => (nth("待定事项"), 2),
            ("warnings", Some(_)) => (nth("提示"), 2),
            ("missing" | "tags", Some(_)) => (format!("{}{}", word(seg), nth("")), 2),
            ("meta", _) if k == 0 => match next {
                Some(key) => (format!("附加信息「{key}」"), 2),
                None => ("附加信息".into(), 1),
            },
            (s, _) => (word(s).to_string(), 1),
        };
        parts.push(part);
        k = k.saturating_add(step);
    }
    parts.join("的")
}

/// A report member's name in words.
fn word(key: &str) -> &str {
    match key {
        "format" => "格式",
        "unit" => "被考核单位",
        "rules" => "考核细则",
        "period" => "考核期",
        "status" => "状态",
        "total" => "总分",
        "grade" => "等次",
        "grade_by_score" => "按总分的等次",
        "rank" => "排名",
        "full_score" => "满分",
        "subtotal" => "各部分得分合计",
        "sections" => "各部分",
        "adjustments" => "扣分项",
        "bonus" => "加分",
        "vetoes" => "否决项",
        "lines" => "计分说明",
        "pending" => "待定事项",
        "warnings" => "提示",
        "fingerprint" => "指纹",
        "items" => "项目",
        "score" => "得分",
        "points" => "分值",
        "amount" => "分数",
        "value" => "指标值",
        "title" | "name" => "名称",
        "id" => "编号",
        "version" => "版本",
        "reason" => "理由",
        "kind" => "类型",
        "triggered" => "是否触发",
        "effect" => "效果",
        "effect_text" => "效果说明",
        "cap" => "上限",
        "out_of" => "折算前满分",
        "missing" => "缺少的填报项",
        "group" => "分组",
        "ranked" => "是否排名",
        "tags" => "单位标签",
        "code" => "代码",
        "path" => "位置",
        "message" => "内容",
        other => other,
    }
}

/// The Chinese message for one difference.
fn message(
    path: &str,
    reported: Option<&Value>,
    recomputed: Option<&Value>,
    trees: &[&Value],
) -> String {
    let (rep, rec) = (reported.map(shown), recomputed.map(shown));
    let both = |what: &str| {
        format!(
            "{what}：报告为{}，重新计算为{}",
            rep.as_deref().unwrap_or("（无）"),
            rec.as_deref().unwrap_or("（无）")
        )
    };
    match path {
        "/fingerprint" if reported.is_none() => {
            "报告没有指纹（fingerprint），无法确认它由哪份考核细则和考核表、哪个版本的引擎评出"
                .into()
        }
        "/fingerprint/rules" => both(
            "考核细则指纹不符：报告不是按这份考核细则的原文评出的（细则或其版本不同，或细则被改动过）",
        ),
        "/fingerprint/submission" => {
            both("考核表指纹不符：报告不是由这份考核表评出的（或考核表在评分后被改动过）")
        }
        "/fingerprint/engine" => both("评分引擎不同：报告不是由当前版本的引擎评出的，请重新评分"),
        "/rank" if recomputed.is_none() => format!(
            "报告有排名（第{}名），是批量评分的结果：排名、排名赋分和等次比例取决于同批单位，单份考核表无法核验",
            rep.as_deref().unwrap_or("")
        ),
        _ => match (&rep, &rec) {
            (Some(_), Some(_)) => both(&figure(path, trees)),
            (None, Some(r)) => format!("报告缺少{}（重新计算为{r}）", figure(path, trees)),
            (Some(r), None) => format!("报告多出{}（{r}），重新计算没有", figure(path, trees)),
            (None, None) => figure(path, trees),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dq() -> (RuleSet, Submission) {
        let rules = RuleSet::builtin("subdistrict").expect("built-in");
        let sub =
            Submission::from_json(include_str!("../examples/subdistrict-dq.json")).expect("reads");
        (rules, sub)
    }

    #[test]
    fn an_untouched_report_verifies_compact_or_indented() {
        let (rules, sub) = dq();
        let report = rules.score(&sub).expect("scores");
        for text in [report.to_json(), report.to_json_pretty()] {
            let v = rules.verify(&text, &sub).expect("verifies");
            assert_eq!(v.differences, []);
            assert!(v.ok);
            assert_eq!(v.to_json(), r#"{"ok":true,"differences":[]}"#);
        }
    }

    #[test]
    fn a_changed_item_score_is_named_by_its_item() {
        let (rules, sub) = dq();
        let report = rules.score(&sub).expect("scores");
        let item = &report.sections[1].items[1];
        let needle = format!(
            r#""id":"{}","title":"{}","points":"{}","score":"{}""#,
            item.id,
            item.title,
            item.points,
            item.score.expect("scored")
        );
        let json = report.to_json();
        assert!(json.contains(&needle), "{needle}");
        let tampered = json.replace(
            &needle,
            &needle.replace(
                &format!(r#""score":"{}""#, item.score.expect("scored")),
                r#""score":"8.00""#,
            ),
        );
        let v = rules.verify(&tampered, &sub).expect("compares");
        assert!(!v.ok);
        assert_eq!(v.differences.len(), 1, "{:?}", v.differences);
        let d = &v.differences[0];
        assert_eq!(d.path, "/sections/1/items/1/score");
        assert_eq!(d.reported.as_deref(), Some(r#""8.00""#));
        assert_eq!(
            d.message,
            format!(
                "部分「{}」的项目「{} {}」的得分：报告为8.00，重新计算为{}",
                report.sections[1].title,
                item.id,
                item.title,
                item.score.expect("scored")
            )
        );
    }

    #[test]
    fn fingerprint_parts_are_told_apart() {
        let (rules, sub) = dq();
        let json = rules.score(&sub).expect("scores").to_json();
        let fp = rules.fingerprint();
        let other = format!("sha256:{}", "0".repeat(64));
        let v = rules
            .verify(&json.replace(fp, &other), &sub)
            .expect("compares");
        assert_eq!(v.differences.len(), 1);
        assert_eq!(v.differences[0].path, "/fingerprint/rules");
        assert!(v.differences[0].message.starts_with("考核细则指纹不符"));

        // Another submission (a changed value) under an untouched report.
        let mut changed = sub.clone();
        changed.meta.insert("oa_id".into(), "42".into());
        let v = rules.verify(&json, &changed).expect("compares");
        let paths: Vec<&str> = v.differences.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["/fingerprint/submission", "/meta/oa_id"]);
        assert_eq!(
            v.differences[1].message,
            "报告缺少附加信息「oa_id」（重新计算为42）"
        );

        let v = rules
            .verify(&json.replace(crate::ENGINE, "kpi-wasm 0.0.9"), &sub)
            .expect("compares");
        assert_eq!(v.differences[0].path, "/fingerprint/engine");
        assert!(v.differences[0].message.contains("kpi-wasm 0.0.9"));
    }

    #[test]
    fn values_that_read_alike_fingerprint_alike() {
        let (rules, _) = dq();
        let text = include_str!("../examples/subdistrict-dq.json");
        let a = rules.score_text(text).expect("scores");
        // A count as a string, a decimal with a trailing zero, another layout: the same values.
        let first = a.fingerprint.submission.clone();
        let sub = Submission::from_json(text).expect("reads");
        let (key, value) = sub
            .values
            .iter()
            .find(|(_, v)| matches!(v, Value::Number(_)))
            .expect("a number");
        let mut respelled = sub.clone();
        respelled
            .values
            .insert(key.clone(), Value::string(format!("{}.0", value.to_json())));
        let b = rules.score(&respelled).expect("scores");
        assert_eq!(b.fingerprint.submission, first);
        assert!(rules.verify(&a.to_json(), &respelled).expect("compares").ok);
        // A different value is a different submission.
        respelled.values.insert(key.clone(), Value::string("999"));
        let c = rules.score(&respelled).expect("scores");
        assert_ne!(c.fingerprint.submission, first);
        // A batch report carries the same submission fingerprint as a single one.
        let batch = rules.score_batch(std::slice::from_ref(&sub));
        let r = batch.reports().next().expect("scored");
        assert_eq!(r.fingerprint.submission, first);
    }

    #[test]
    fn a_report_that_is_not_json_is_an_error() {
        let (rules, sub) = dq();
        let e = rules.verify("{", &sub).unwrap_err();
        assert_eq!(e.first().map(|p| p.code), Some(crate::Code::JsonSyntax));
        assert!(rules.verify("[]", &sub).is_ok_and(|v| !v.ok));
    }
}
