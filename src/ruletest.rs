//! Rule authors' tests: the example cases a rule set carries, run against the engine.

use crate::decimal::plain;
use crate::rules::{Expect, RuleSet};
use crate::submission::Submission;

/// The outcome of one case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseResult {
    /// The case's name.
    pub name: String,
    /// Where it came from: a JSON pointer in the rule file, or a file name.
    pub source: String,
    /// Every expectation that did not hold (empty when the case passed).
    pub failures: Vec<String>,
}

impl CaseResult {
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
            Err(err) => CaseResult {
                name: name.to_string(),
                source: name.to_string(),
                failures: err
                    .problems()
                    .iter()
                    .map(|p| format!("期望结果文件有误：{p}"))
                    .collect(),
            },
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
        match self.score(sub) {
            Err(e) => failures.push(format!("无法评分：{e}")),
            Ok(report) => {
                if let Some(t) = expect.total {
                    if report.total.value() != t {
                        failures.push(format!("总分应为{}，实为{}", plain(t), report.total));
                    }
                }
                if let Some(g) = &expect.grade {
                    if report.grade != Some(g.as_str()) {
                        let got = report.grade.or(report.grade_text).unwrap_or("无");
                        failures.push(format!("等次应为{g}，实为{got}"));
                    }
                }
                if let Some(s) = &expect.status {
                    if report.status.as_str() != s {
                        failures.push(format!("状态应为{s}，实为{}", report.status.as_str()));
                    }
                }
                for (id, want) in &expect.items {
                    match report.item(id) {
                        None => failures.push(format!("没有项目「{id}」")),
                        Some(item) => {
                            let got = item.score.map(|a| a.value());
                            if got != Some(*want) {
                                let got = got.map_or("无".to_string(), plain);
                                failures.push(format!(
                                    "项目「{id} {}」得分应为{}，实为{got}",
                                    item.title,
                                    plain(*want)
                                ));
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
                        failures.push(format!(
                            "触发的否决项应为[{}]，实为[{}]",
                            w.join(", "),
                            g.join(", ")
                        ));
                    }
                }
            }
        }
        CaseResult {
            name: name.to_string(),
            source: source.to_string(),
            failures,
        }
    }
}
