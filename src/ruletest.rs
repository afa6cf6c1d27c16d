//! Rule authors' tests: the example cases a rule set carries, run against the engine.

use crate::decimal::plain;
use crate::json::{JsonWriter, ToJson, json_object};
use crate::rules::{Expect, RuleSet};
use crate::submission::Submission;

/// One expectation that did not hold, as figures: what was expected and what the engine gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseDifference {
    /// `total`, `grade`, `status`, `item`, `vetoes`, or `error` (the case could not be scored).
    pub what: &'static str,
    /// The item's id (for `item`).
    pub id: Option<String>,
    /// The item's title (for `item`, when the item exists).
    pub title: Option<String>,
    /// The expected figure, as the case writes it (empty for `error`).
    pub expected: String,
    /// What the engine gave (`无` when the item has no score or does not exist).
    pub actual: String,
}

/// The outcome of one case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseResult {
    /// The case's name.
    pub name: String,
    /// Where it came from: a JSON pointer in the rule file, or a file name.
    pub source: String,
    /// Every expectation that did not hold (empty when the case passed).
    pub failures: Vec<String>,
    /// The same, as figures (one per failure, in the same order).
    pub differences: Vec<CaseDifference>,
}

impl CaseResult {
    /// A case that could not be run (its files unreadable): one failure, the message.
    pub fn error(name: &str, source: &str, message: &str) -> CaseResult {
        CaseResult {
            name: name.to_string(),
            source: source.to_string(),
            failures: vec![message.to_string()],
            differences: vec![CaseDifference::error(message)],
        }
    }

    /// Whether every expectation held.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// The outcome of a set of cases.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TestRun {
    /// One result per case, in order.
    pub cases: Vec<CaseResult>,
}

impl TestRun {
    /// Number of cases that passed.
    pub fn passed(&self) -> usize {
        self.cases.iter().filter(|c| c.passed()).count()
    }
    /// Number of cases that failed.
    pub fn failed(&self) -> usize {
        self.cases.len().saturating_sub(self.passed())
    }
}

impl RuleSet {
    /// Runs the cases embedded in the rule set (`tests`).
    ///
    /// ```
    /// let rules = kpi_wasm::RuleSet::builtin("subdistrict").expect("built-in rule set");
    /// let run = rules.run_tests();
    /// assert_eq!(run.failed(), 0);
    /// assert!(run.passed() >= 5);
    /// ```
    pub fn run_tests(&self) -> TestRun {
        let cases = self
            .tests
            .iter()
            .map(|t| self.check_case(&t.name, &t.path, &t.submission, &t.expect))
            .collect();
        TestRun { cases }
    }

    /// Runs one external case: a submission and its expectation (an `expect` object as JSON text).
    pub fn run_case(&self, name: &str, submission: &Submission, expect_json: &str) -> CaseResult {
        match crate::load::load_expect(expect_json) {
            Ok(e) => self.check_case(name, name, submission, &e),
            Err(err) => {
                let failures: Vec<String> = err
                    .problems()
                    .iter()
                    .map(|p| format!("期望结果文件有误：{p}"))
                    .collect();
                CaseResult {
                    name: name.to_string(),
                    source: name.to_string(),
                    differences: failures.iter().map(|f| CaseDifference::error(f)).collect(),
                    failures,
                }
            }
        }
    }

    fn check_case(
        &self,
        name: &str,
        source: &str,
        sub: &Submission,
        expect: &Expect,
    ) -> CaseResult {
        let mut failures = Vec::new();
        let mut differences = Vec::new();
        let mut differ = |failure: String, d: CaseDifference| {
            failures.push(failure);
            differences.push(d);
        };
        match self.score_figures(sub) {
            Err(e) => differ(
                format!("无法评分：{e}"),
                CaseDifference::error(&e.to_string()),
            ),
            Ok(report) => {
                if let Some(t) = expect.total {
                    if report.total.value() != t {
                        differ(
                            format!("总分应为{}，实为{}", plain(t), report.total),
                            CaseDifference::of("total", plain(t), report.total.to_string()),
                        );
                    }
                }
                if let Some(g) = &expect.grade {
                    if report.grade != Some(g.as_str()) {
                        let got = report.grade.or(report.grade_text).unwrap_or("无");
                        differ(
                            format!("等次应为{g}，实为{got}"),
                            CaseDifference::of("grade", g.clone(), got.to_string()),
                        );
                    }
                }
                if let Some(s) = &expect.status {
                    if report.status.as_str() != s {
                        differ(
                            format!("状态应为{s}，实为{}", report.status.as_str()),
                            CaseDifference::of("status", s.clone(), report.status.as_str().into()),
                        );
                    }
                }
                for (id, want) in &expect.items {
                    match report.item(id) {
                        None => differ(
                            format!("没有项目「{id}」"),
                            CaseDifference {
                                id: Some(id.clone()),
                                ..CaseDifference::of("item", plain(*want), "无".into())
                            },
                        ),
                        Some(item) => {
                            let got = item.score.map(|a| a.value());
                            if got != Some(*want) {
                                let got = item.score.map_or("无".to_string(), |a| a.to_string());
                                differ(
                                    format!(
                                        "项目「{id} {}」得分应为{}，实为{got}",
                                        item.title,
                                        plain(*want)
                                    ),
                                    CaseDifference {
                                        id: Some(id.clone()),
                                        title: Some(item.title.to_string()),
                                        ..CaseDifference::of("item", plain(*want), got)
                                    },
                                );
                            }
                        }
                    }
                }
                if let Some(want) = &expect.vetoes {
                    let got: Vec<&str> = report
                        .vetoes
                        .iter()
                        .filter(|v| v.triggered == Some(true))
                        .map(|v| v.id)
                        .collect();
                    let mut w: Vec<&str> = want.iter().map(String::as_str).collect();
                    let mut g = got.clone();
                    w.sort_unstable();
                    g.sort_unstable();
                    if w != g {
                        let (w, g) = (w.join(", "), g.join(", "));
                        differ(
                            format!("触发的否决项应为[{w}]，实为[{g}]"),
                            CaseDifference::of("vetoes", w, g),
                        );
                    }
                }
            }
        }
        CaseResult {
            name: name.to_string(),
            source: source.to_string(),
            failures,
            differences,
        }
    }
}

impl CaseDifference {
    fn of(what: &'static str, expected: String, actual: String) -> CaseDifference {
        CaseDifference {
            what,
            id: None,
            title: None,
            expected,
            actual,
        }
    }

    /// A case that could not be run or scored: the message as `actual`.
    pub fn error(message: &str) -> CaseDifference {
        CaseDifference::of("error", String::new(), message.to_string())
    }
}

json_object!(CaseDifference {
    what,
    id?,
    title?,
    expected,
    actual
});

impl ToJson for CaseResult {
    fn write_json(&self, w: &mut JsonWriter) {
        w.begin_object();
        w.field("name", &self.name);
        w.field("source", &self.source);
        w.field("passed", &self.passed());
        w.field("failures", &self.failures);
        w.field("differences", &self.differences);
        w.end_object();
    }
}

impl ToJson for TestRun {
    /// `{passed, failed, cases}`: what `kpi test` counts, and each case.
    fn write_json(&self, w: &mut JsonWriter) {
        w.begin_object();
        w.field("passed", &self.passed());
        w.field("failed", &self.failed());
        w.field("cases", &self.cases);
        w.end_object();
    }
}
