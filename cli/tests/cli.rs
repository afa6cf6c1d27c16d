//! The `kpi` binary: exit codes, and that its numbers are the library's, byte for byte.

#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kpi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kpi"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run kpi")
}

/// The repository root: the cases and examples the tests use live there.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

fn case(p: &str) -> String {
    Path::new("tests/cases")
        .join(p)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn check_exits_zero_for_valid_rules_and_one_with_every_problem() {
    let ok = kpi(&["check", &case("deduct/rules.json")]);
    assert_eq!(ok.status.code(), Some(0));
    assert!(stdout(&ok).contains("检查通过"));
    let bad = kpi(&["check", &case("load-not-rules/rules.json")]);
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("[field.missing]")
            && err.contains("[rules.format]")
            && err.contains("/sections"),
        "{err}"
    );
}

#[test]
fn check_accepts_builtin_ids() {
    for id in kpi_wasm::BUILTIN_IDS {
        assert_eq!(kpi(&["check", id]).status.code(), Some(0), "{id}");
    }
}

#[test]
fn usage_errors_exit_two() {
    assert_eq!(kpi(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        kpi(&["score", "--rules", "no-such-rules", "x.json"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        kpi(&["score", "--rules", "subdistrict", "no-such-file.json"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn score_json_is_the_library_report_byte_for_byte() {
    let rules_path = case("adjust-bonus-veto/rules.json");
    let rules = kpi_wasm::RuleSet::from_json(
        &std::fs::read_to_string(root().join(&rules_path)).expect("rules"),
    )
    .expect("loads");
    for name in ["bonus-caps", "veto-zero", "adjust-cap"] {
        let sub_path = case(&format!("adjust-bonus-veto/{name}.sub.json"));
        let o = kpi(&[
            "score",
            "--rules",
            &rules_path,
            &sub_path,
            "--format",
            "json",
        ]);
        assert_eq!(o.status.code(), Some(0));
        let text = std::fs::read_to_string(root().join(&sub_path)).expect("sub");
        let sub = kpi_wasm::Submission::from_json(&text).expect("submission");
        assert_eq!(
            stdout(&o),
            rules.score(&sub).expect("scores").to_json_pretty() + "\n"
        );
    }
}

#[test]
fn score_refuses_missing_values_unless_provisional() {
    let rules = case("pending/rules.json");
    let sub = case("pending/partial.sub.json");
    let strict = kpi(&["score", "--rules", &rules, &sub]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&strict.stderr).contains("--provisional"));
    let lenient = kpi(&[
        "score",
        "--rules",
        &rules,
        &sub,
        "--provisional",
        "--format",
        "json",
    ]);
    assert_eq!(lenient.status.code(), Some(0));
    assert!(stdout(&lenient).contains("\"status\": \"provisional\""));
}

#[test]
fn score_reports_invalid_submissions_with_exit_one() {
    let o = kpi(&[
        "score",
        "--rules",
        &case("submission-errors/rules.json"),
        &case("submission-errors/wrong-types.sub.json"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("[value.type]") && err.contains("hazards_found"),
        "{err}"
    );
}

#[test]
fn csv_is_utf8_with_bom_and_one_row_per_unit() {
    let subs: Vec<String> = ["all-good", "caps-and-max", "cap-exact"]
        .iter()
        .map(|n| case(&format!("deduct/{n}.sub.json")))
        .collect();
    let mut args = vec![
        "score",
        "--rules",
        "tests/cases/deduct/rules.json",
        "--format",
        "csv",
    ];
    args.extend(subs.iter().map(String::as_str));
    let o = kpi(&args);
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.starts_with(&[0xEF, 0xBB, 0xBF]), "no BOM");
    let text = stdout(&o);
    let lines: Vec<&str> = text
        .trim_start_matches('\u{feff}')
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(lines.len(), 4);
    assert!(lines[0].starts_with("单位编号,单位名称"));
    assert!(
        lines[2].starts_with("b,乙街道,,最终,5.00,不合格"),
        "{}",
        lines[2]
    );
}

#[test]
fn csv_counts_rows_of_record_lists_and_shows_self_assessments_only_when_used() {
    let rows = |o: &std::process::Output| -> Vec<String> {
        stdout(o)
            .trim_start_matches('\u{feff}')
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect()
    };
    let o = kpi(&[
        "score",
        "--rules",
        &case("published-liuchi/rules.json"),
        &case("published-liuchi/shimen.sub.json"),
        "--format",
        "csv",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let lines = rows(&o);
    assert!(
        lines[0].ends_with(",触发否决,有人员伤亡的安全事故明细（条数）,农房火灾事故明细（条数）,森林火灾事故明细（条数）"),
        "{}",
        lines[0]
    );
    assert!(lines[1].ends_with(",,2,1,0"), "{}", lines[1]);
    let o = kpi(&[
        "score",
        "--rules",
        &case("self-assessment/rules.json"),
        &case("self-assessment/values.sub.json"),
        &case("deduct/all-good.sub.json"),
        "--format",
        "csv",
    ]);
    let lines = rows(&o);
    assert!(lines[0].ends_with(",自评总分,自评差异"), "{}", lines[0]);
    let o = kpi(&[
        "score",
        "--rules",
        &case("deduct/rules.json"),
        &case("deduct/all-good.sub.json"),
        "--format",
        "csv",
    ]);
    assert!(rows(&o)[0].ends_with(",触发否决"), "{}", rows(&o)[0]);
}

#[test]
fn test_command_prints_the_summary_line() {
    let dir: PathBuf = root().join("target/cli-cases");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let sub =
        std::fs::read_to_string(root().join(case("deduct/caps-and-max.sub.json"))).expect("sub");
    std::fs::write(dir.join("b.json"), &sub).expect("write");
    std::fs::write(
        dir.join("b.expect.json"),
        r#"{"total": "5", "grade": "不合格", "items": {"1.3": "2"}}"#,
    )
    .expect("write");
    std::fs::write(dir.join("c.json"), &sub).expect("write");
    std::fs::write(dir.join("c.expect.json"), r#"{"total": "6"}"#).expect("write");
    let o = kpi(&["test", &case("deduct/rules.json"), &dir.to_string_lossy()]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("1 passed, 1 failed"), "{out}");
    assert!(out.contains("总分应为6，实为5.00"), "{out}");
}

#[test]
fn schema_prints_json_schemas() {
    for which in ["rules", "submission"] {
        let o = kpi(&["schema", which]);
        assert_eq!(o.status.code(), Some(0));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("schema is JSON");
        assert!(v.get("$schema").is_some(), "{which} schema has no $schema");
    }
}

#[test]
fn duplicate_units_in_a_batch_name_both_files() {
    let a = case("deduct/all-good.sub.json");
    let dir = root().join("target/cli-dup");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let copy = dir.join("again.json");
    std::fs::copy(root().join(&a), &copy).expect("copy");
    let o = kpi(&[
        "score",
        "--rules",
        &case("deduct/rules.json"),
        &a,
        &copy.to_string_lossy(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("all-good.sub.json") && err.contains("again.json") && err.contains("同一单位"),
        "{err}"
    );
    assert!(o.stdout.is_empty(), "a refused batch prints no scores");
}

#[test]
fn batches_read_folders_and_json_lines_alike() {
    let from_lines = kpi(&[
        "score",
        "--rules",
        "tests/batches/ranks-quotas/rules.json",
        "tests/batches/ranks-quotas/units.jsonl",
        "--format",
        "json",
    ]);
    assert_eq!(from_lines.status.code(), Some(0));
    let reports: serde_json::Value =
        serde_json::from_slice(&from_lines.stdout).expect("json array");
    let reports = reports.as_array().expect("array");
    assert_eq!(reports.len(), 11);
    assert!(
        reports.iter().all(|r| r.get("rank").is_some()),
        "every batch report carries its rank"
    );

    let dir = root().join("target/cli-folder");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let lines = std::fs::read_to_string(root().join("tests/batches/ranks-quotas/units.jsonl"))
        .expect("units");
    for (i, l) in lines.lines().enumerate() {
        std::fs::write(dir.join(format!("{i:02}.json")), l).expect("write");
    }
    let from_folder = kpi(&[
        "score",
        "--rules",
        "tests/batches/ranks-quotas/rules.json",
        &dir.to_string_lossy(),
        "--format",
        "json",
    ]);
    assert_eq!(from_folder.stdout, from_lines.stdout);
}

#[test]
fn diff_json_has_the_documented_shape_and_fail_on_change_exits_one() {
    let args = [
        "diff",
        "--old",
        "tests/diffs/rate-and-grade/old.json",
        "--new",
        "tests/diffs/rate-and-grade/new.json",
        "tests/diffs/rate-and-grade/units.jsonl",
    ];
    let o = kpi(&[&args[..], &["--format", "json"]].concat());
    assert_eq!(o.status.code(), Some(0));
    let d: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(d["old"]["version"], "2025.1");
    assert_eq!(d["new"]["version"], "2026.1");
    let unit = &d["units"][1];
    assert_eq!(unit["unit"]["id"], "b");
    assert_eq!(unit["changed"], true);
    assert_eq!(
        (unit["old"]["total"].as_str(), unit["new"]["total"].as_str()),
        (Some("94.00"), Some("91.00"))
    );
    assert_eq!(
        (unit["old"]["grade"].as_str(), unit["new"]["grade"].as_str()),
        (Some("优秀"), Some("良好"))
    );
    assert_eq!(unit["items"][0]["id"], "w1");
    assert_eq!(d["summary"]["grade_down"], 2);
    assert_eq!(
        kpi(&[&args[..], &["--fail-on-change"]].concat())
            .status
            .code(),
        Some(1)
    );
    let same = kpi(&[
        "diff",
        "--old",
        "tests/diffs/rate-and-grade/old.json",
        "--new",
        "tests/diffs/rate-and-grade/old.json",
        "--fail-on-change",
        "tests/diffs/rate-and-grade/units.jsonl",
    ]);
    assert_eq!(same.status.code(), Some(0));
}

/// A copy of a golden rule set with `from` replaced by `to`, written under target/.
fn broken_rules(name: &str, from: &str, to: &str) -> (PathBuf, String) {
    let text = std::fs::read_to_string(root().join(case("deduct/rules.json")))
        .expect("rules")
        .replacen(from, to, 1);
    let dir = root().join("target/cli-check");
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join(name);
    std::fs::write(&path, &text).expect("write");
    (path, text)
}

#[test]
fn check_shows_the_line_with_a_caret_under_the_problem() {
    let (path, text) = broken_rules(
        "expr.json",
        "\"if\": \"!plan_made\"",
        "\"if\": \"!plan_mad\"",
    );
    let o = kpi(&["check", &path.to_string_lossy()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    let (n, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("plan_mad\""))
        .expect("the broken line");
    let column = line[..line.find("plan_mad").expect("id")].chars().count() + 1;
    assert!(err.contains("error[expr.unknown_id]"), "{err}");
    assert!(
        err.contains(&format!("expr.json:{}:{column}", n + 1)),
        "{err}"
    );
    assert!(err.contains(&format!("{} | {line}", n + 1)), "{err}");
    // The caret sits under the unknown id, all of it.
    let caret = err.lines().find(|l| l.contains('^')).expect("caret line");
    let source = err
        .lines()
        .find(|l| l.ends_with(line))
        .expect("source line");
    assert_eq!(
        caret.find('^').map(|i| caret[..i].chars().count()),
        source.find("plan_mad").map(|i| source[..i].chars().count()),
        "{err}"
    );
    assert!(
        caret.contains("^^^^^^^^") && !caret.contains("^^^^^^^^^"),
        "{err}"
    );
    assert!(
        err.contains("JSON 指针：/sections/0/items/0/deduct/0/if"),
        "{err}"
    );
}

#[test]
fn check_json_keeps_the_pointer_and_gives_line_and_column() {
    let (path, text) = broken_rules("field.json", "\"unit_kind\"", "\"unit_knd\"");
    let (n, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("unit_knd"))
        .expect("the broken line");
    let column = line[..line.find("\"unit_knd\"").expect("key")]
        .chars()
        .count()
        + 1;
    let o = kpi(&["check", &path.to_string_lossy(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let problems: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let unknown = problems
        .as_array()
        .expect("array")
        .iter()
        .find(|p| p["code"] == "field.unknown")
        .expect("the unknown field");
    assert_eq!(unknown["path"], "/unit_knd");
    assert_eq!(
        (unknown["line"].as_u64(), unknown["column"].as_u64()),
        (Some(n as u64 + 1), Some(column as u64))
    );
    // A syntax error is located too; valid rules give an empty list.
    let (path, _) = broken_rules("syntax.json", "\"points\": \"20\"", "\"points\": 20x");
    let o = kpi(&["check", &path.to_string_lossy(), "--format", "json"]);
    let problems: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(problems[0]["code"], "json.syntax");
    assert!(problems[0]["line"].as_u64().is_some_and(|l| l > 1));
    let o = kpi(&["check", "subdistrict", "--format", "json"]);
    assert_eq!((o.status.code(), stdout(&o).trim()), (Some(0), "[]"));
}

#[test]
fn schema_report_is_the_report_schema() {
    let o = kpi(&["schema", "report"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("schema is JSON");
    assert!(
        v["$id"]
            .as_str()
            .is_some_and(|id| id.ends_with("kpi-report.schema.json"))
    );
}

/// A fresh folder under target/ for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = root().join("target").join("cli-tests").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn run_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_kpi"))
        .args(args)
        .current_dir(dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run kpi");
    let mut input = child.stdin.take().expect("stdin");
    let data = stdin.unwrap_or_default().to_vec();
    let writer = std::thread::spawn(move || {
        // The CLI may stop reading once it has read past the limit.
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().expect("kpi ends");
    let _ = writer.join();
    out
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn reads_stop_past_the_document_limit() {
    let max = kpi_wasm::MAX_DOCUMENT_BYTES;
    // An endless file: refused after reading the limit plus one byte, naming it.
    #[cfg(unix)]
    {
        let zero = kpi(&["check", "/dev/zero"]);
        assert_eq!(zero.status.code(), Some(1));
        let err = stderr(&zero);
        assert!(
            err.contains("[json.too_large]") && err.contains("/dev/zero"),
            "{err}"
        );
    }
    // Standard input, one byte over.
    let dir = scratch("limit");
    let big = vec![b' '; max + 1];
    let out = run_in(&dir, &["score", "--rules", "subdistrict", "-"], Some(&big));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("[json.too_large]") && stderr(&out).contains("标准输入"));
    // A JSON-lines file: the long line is refused, the others are scored.
    let good = std::fs::read_to_string(root().join("examples/subdistrict-dq.json"))
        .expect("example")
        .replace('\n', " ");
    let mut jsonl = good.replace("\"yp-dq\"", "\"a\"");
    jsonl.push('\n');
    jsonl.push_str(&" ".repeat(max + 10));
    jsonl.push_str("{}\n");
    jsonl.push_str(&good.replace("\"yp-dq\"", "\"b\""));
    jsonl.push('\n');
    std::fs::write(dir.join("units.jsonl"), jsonl).expect("write");
    let out = run_in(
        &dir,
        &["score", "--rules", "subdistrict", "units.jsonl"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("units.jsonl:2: /: [json.too_large]"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stdout(&out).lines().count(), 3, "{}", stdout(&out));
}

#[test]
fn utf16_files_are_read_and_other_encodings_refused_in_chinese() {
    let dir = scratch("encodings");
    let text =
        std::fs::read_to_string(root().join("examples/subdistrict-dq.json")).expect("example");
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(dir.join("utf16.json"), le).expect("write");
    let utf16 = run_in(
        &dir,
        &[
            "score",
            "--rules",
            "subdistrict",
            "utf16.json",
            "--format",
            "jsonl",
        ],
        None,
    );
    let utf8 = kpi(&[
        "score",
        "--rules",
        "subdistrict",
        "examples/subdistrict-dq.json",
        "--format",
        "jsonl",
    ]);
    assert_eq!(utf16.status.code(), Some(0), "{}", stderr(&utf16));
    assert_eq!(utf16.stdout, utf8.stdout);
    let gbk = [b'{', b'"', 0xB4, 0xF3, b'"', b':', b'1', b'}'];
    std::fs::write(dir.join("gbk.json"), gbk).expect("write");
    let out = run_in(&dir, &["score", "--rules", "subdistrict", "gbk.json"], None);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("UTF-8") && err.contains("第3个字节") && !err.contains("stream"),
        "{err}"
    );
}

#[test]
fn nothing_from_a_file_reaches_the_terminal_as_a_control() {
    let dir = scratch("controls");
    // A rule file with a raw C1 control and a bidi override in a title (valid JSON), and an
    // escape sequence in a reason: refused, and shown escaped.
    let rules = std::fs::read_to_string(root().join("tests/cases/deduct/rules.json"))
        .expect("rules")
        .replace("年度工作计划", "年度\u{85}工作\u{202e}计划")
        .replace("\"未制定年度安全生产工作计划\"", "\"未制定\\u001b[2J计划\"");
    std::fs::write(dir.join("rules.json"), &rules).expect("write");
    let out = run_in(&dir, &["check", "rules.json"], None);
    assert_eq!(out.status.code(), Some(1));
    let all = [out.stdout.clone(), out.stderr.clone()].concat();
    let text = String::from_utf8_lossy(&all);
    assert!(
        text.contains("[text.control]") || text.contains("text.control"),
        "{text}"
    );
    assert!(
        text.contains("\\u{85}") && text.contains("\\u{202e}"),
        "{text}"
    );
    for bad in ['\u{1b}', '\u{85}', '\u{202e}', '\r'] {
        assert!(!text.contains(bad), "{bad:?} reached the terminal: {text}");
    }
    // A submission value holding an escape sequence is quoted in the problem, escaped; so is a
    // file name.
    let sub = std::fs::read_to_string(root().join("examples/subdistrict-dq.json"))
        .expect("example")
        .replacen(
            "\"general_accidents\": 1",
            "\"general_accidents\": \"\\u001b[2J\\r总分：100\"",
            1,
        );
    let name = "a\u{1b}[31mb.json";
    std::fs::write(dir.join(name), sub).expect("write");
    let out = run_in(&dir, &["score", "--rules", "subdistrict", name], None);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("a\\u{1b}[31mb.json") && err.contains("\\u{1b}[2J\\r总分"),
        "{err}"
    );
    assert!(!err.contains('\u{1b}') && !err.contains('\r'), "{err}");
}

#[test]
fn a_rules_name_that_is_both_a_file_and_a_built_in_id_is_refused() {
    let dir = scratch("ambiguous");
    std::fs::write(dir.join("subdistrict"), "{}").expect("write");
    let sub = root().join("examples/subdistrict-dq.json");
    let sub = sub.to_string_lossy();
    let out = run_in(&dir, &["score", "--rules", "subdistrict", &sub], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("./subdistrict"), "{}", stderr(&out));
    let file = run_in(&dir, &["check", "./subdistrict"], None);
    assert_eq!(
        file.status.code(),
        Some(1),
        "the file is used when named as one"
    );
    let versioned = run_in(
        &dir,
        &["score", "--rules", "subdistrict@2026.2", &sub],
        None,
    );
    assert_eq!(versioned.status.code(), Some(0), "{}", stderr(&versioned));
}

#[test]
fn submissions_for_an_archived_built_in_version_use_it() {
    let out = kpi(&[
        "score",
        "--rules",
        "subdistrict",
        "examples/2026.1/subdistrict-dq.json",
        "--format",
        "jsonl",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("subdistrict@2026.1"),
        "{}",
        stderr(&out)
    );
    let explicit = kpi(&[
        "score",
        "--rules",
        "subdistrict@2026.1",
        "examples/2026.1/subdistrict-dq.json",
        "--format",
        "jsonl",
    ]);
    assert_eq!(out.stdout, explicit.stdout);
}

#[test]
fn a_batch_refuses_unreadable_and_incomplete_forms_and_ranks_the_others() {
    // Forms that cannot be read and forms with required values still empty are left out of the
    // batch (each with its problems): the others get the reports they get alone.
    let (all, good) = (scratch("refusals-all"), scratch("refusals-good"));
    let units = root().join("examples/units");
    let mut names: Vec<_> = std::fs::read_dir(&units)
        .expect("examples/units")
        .map(|e| e.expect("entry").file_name())
        .collect();
    names.sort();
    for name in &names {
        let text = std::fs::read_to_string(units.join(name)).expect("unit");
        std::fs::write(all.join(name), &text).expect("write");
        std::fs::write(good.join(name), &text).expect("write");
    }
    let text = std::fs::read_to_string(units.join(&names[0])).expect("unit");
    let incomplete = text
        .replace("\"plan_made\": true,", "")
        .replace("cbxc", "cbxc-2");
    assert_ne!(incomplete, text);
    std::fs::write(all.join("a-incomplete.json"), incomplete).expect("write");
    std::fs::write(
        all.join("b-broken.json"),
        "{\"format\": \"kpi-submission/1\",",
    )
    .expect("write");
    let score = |dir: &Path| {
        let dir = dir.display().to_string();
        kpi(&["score", "--rules", "subdistrict", &dir, "--format", "jsonl"])
    };
    let (mixed, alone) = (score(&all), score(&good));
    assert_eq!(alone.status.code(), Some(0), "{}", stderr(&alone));
    assert_eq!(mixed.status.code(), Some(1));
    assert_eq!(stdout(&mixed), stdout(&alone));
    assert_eq!(stdout(&mixed).lines().count(), names.len());
    for said in [
        "a-incomplete.json: /values/plan_made: [value.missing]",
        "a-incomplete.json: 有必填项未填写；如需暂定得分，请加 --provisional",
        "b-broken.json: /: [json.syntax]",
    ] {
        assert!(stderr(&mixed).contains(said), "{}", stderr(&mixed));
    }
    // With --provisional the incomplete form is scored, provisionally, and ranked with the others.
    let dir = all.display().to_string();
    let lenient = kpi(&[
        "score",
        "--rules",
        "subdistrict",
        &dir,
        "--format",
        "jsonl",
        "--provisional",
    ]);
    assert_eq!(stdout(&lenient).lines().count(), names.len() + 1);
    assert!(stdout(&lenient).contains("\"status\":\"provisional\""));
}

#[test]
fn look_alike_unit_ids_are_one_unit() {
    let dir = scratch("lookalike");
    let text =
        std::fs::read_to_string(root().join("examples/subdistrict-dq.json")).expect("example");
    std::fs::write(dir.join("a.json"), text.replace("\"yp-dq\"", "\"u3\"")).expect("write");
    std::fs::write(dir.join("b.json"), text.replace("\"yp-dq\"", "\"Ｕ3\"")).expect("write");
    let out = run_in(
        &dir,
        &["score", "--rules", "subdistrict", "a.json", "b.json"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("「Ｕ3」与「u3」"), "{}", stderr(&out));
}

#[test]
fn progress_is_shown_on_request() {
    let out = kpi(&[
        "score",
        "--rules",
        "subdistrict",
        "examples/units",
        "--progress",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("评分 100%"), "{}", stderr(&out));
    let out = kpi(&[
        "diff",
        "--old",
        "subdistrict",
        "--new",
        "examples/subdistrict-2027.json",
        "examples/units",
        "--progress",
    ]);
    assert!(
        stderr(&out).contains("新旧细则对比 100%"),
        "{}",
        stderr(&out)
    );
    let quiet = kpi(&["score", "--rules", "subdistrict", "examples/units"]);
    assert!(stderr(&quiet).is_empty(), "{}", stderr(&quiet));
}
