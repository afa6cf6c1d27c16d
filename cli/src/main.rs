//! `kpi`: the command line for rule authors and back ends. It reads files and prints; every
//! number comes from the library (`kpi-wasm`). This package holds everything only the command
//! line needs (argument parsing, diagnostics with source excerpts), so a library user compiles none
//! of it.
//!
//! Exit codes: 0 ok, 1 scoring, validation or a test failed, 2 usage or unreadable input.

use clap::{Parser, Subcommand, ValueEnum};
use kpi_wasm::{Problem, Report, RuleSet, Submission, ToJson, builtin_source};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "kpi", version, about = "安全生产考核评分引擎（kpi-wasm）命令行", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 载入并检查考核细则，列出发现的全部问题
    Check {
        /// 考核细则 JSON 文件，或内置细则 id（subdistrict、department、enterprise）
        rules: String,
        /// 输出格式：text 逐条列出问题并在原文中标出位置；json 输出问题数组（含 JSON 指针和行列号）
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// 对一个或多个考核表评分
    Score {
        /// 考核细则 JSON 文件，或内置细则 id
        #[arg(long)]
        rules: String,
        /// 考核表：JSON 文件、目录、JSON Lines 文件，或 - 表示标准输入
        #[arg(required = true)]
        submissions: Vec<PathBuf>,
        /// 输出格式
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// 允许必填项未填写，给出暂定得分
        #[arg(long)]
        provisional: bool,
    },
    /// 比较新旧考核细则：不给考核表时列出细则本身的变化；给出考核表时按新旧细则分别评分，列出得分、等次、排名的变化
    Diff {
        /// 旧考核细则（文件或内置细则 id）
        #[arg(long)]
        old: String,
        /// 新考核细则（文件或内置细则 id）
        #[arg(long)]
        new: String,
        /// 考核表：JSON 文件、目录或 JSON Lines 文件
        submissions: Vec<PathBuf>,
        /// 输出格式
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// 在每个阈值两侧生成模拟考核表，找出新旧细则结果不同之处
        #[arg(long)]
        probe: bool,
        /// 有任何变化时以退出码 1 结束（供细则起草人的持续集成使用）
        #[arg(long)]
        fail_on_change: bool,
    },
    /// 运行考核细则内嵌的测试用例，以及用例目录中的用例（NAME.json + NAME.expect.json）
    Test {
        /// 考核细则 JSON 文件，或内置细则 id
        rules: String,
        /// 用例目录
        cases: Option<PathBuf>,
        /// 以 JSON 输出每个用例的结果与不符的数值（与 wasm 包 runTests 相同）
        #[arg(long)]
        json: bool,
    },
    /// 输出考核细则或考核表的 JSON Schema（供编辑器校验与补全）
    Schema {
        /// rules、submission 或 report
        #[arg(value_enum)]
        which: SchemaKind,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// 每个单位一行的表格（总分、等次、否决）
    Table,
    /// 完整评分报告 JSON（缩进排版）
    Json,
    /// 每行一份紧凑 JSON 报告（与 wasm 包 scoreJson 返回的字节完全相同）
    Jsonl,
    /// 每个单位一行的 CSV，可用 Excel 打开
    Csv,
}

#[derive(Clone, Copy, ValueEnum)]
enum CheckFormat {
    /// 每个问题一段：代码、说明、所在行并以 ^ 标出位置
    Text,
    /// 问题数组 [{code, path, message, line, column}]，没有问题时为 []
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemaKind {
    Rules,
    Submission,
    Report,
}

mod check;
mod locate;
mod tables;

use tables::{diff_table, opt, ranked_table, report_table};

/// A failure to report: the message and the exit code.
struct Fail(String, u8);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = run(cli.command);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail(msg, code)) => {
            if !msg.is_empty() {
                eprintln!("{msg}");
            }
            ExitCode::from(code)
        }
    }
}

fn run(command: Command) -> Result<(), Fail> {
    match command {
        Command::Check { rules, format } => {
            let (text, origin) = rules_text(&rules)?;
            check::check(&text, &origin, format)
        }
        Command::Score {
            rules,
            submissions,
            format,
            provisional,
        } => score(&rules, &submissions, format, provisional),
        Command::Test { rules, cases, json } => test(&rules, cases.as_deref(), json),
        Command::Diff {
            old,
            new,
            submissions,
            format,
            probe,
            fail_on_change,
        } => diff(&old, &new, &submissions, format, probe, fail_on_change),
        Command::Schema { which } => {
            print!(
                "{}",
                match which {
                    SchemaKind::Rules => include_str!("../../schema/kpi-rules.schema.json"),
                    SchemaKind::Submission =>
                        include_str!("../../schema/kpi-submission.schema.json"),
                    SchemaKind::Report => include_str!("../../schema/kpi-report.schema.json"),
                }
            );
            Ok(())
        }
    }
}

/// Reads a file, or standard input for `-`.
fn read(path: &Path) -> Result<String, Fail> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        return std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map(|_| text)
            .map_err(|e| Fail(format!("无法读取标准输入：{e}"), 2));
    }
    std::fs::read_to_string(path)
        .map_err(|e| Fail(format!("无法读取文件 {}：{e}", path.display()), 2))
}

fn problems_text(origin: &str, problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("{origin}{p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text of `--rules` and where it came from: a file path, or a built-in id when no such file
/// exists.
fn rules_text(arg: &str) -> Result<(String, String), Fail> {
    let path = Path::new(arg);
    if path.exists() {
        Ok((read(path)?, path.display().to_string()))
    } else if let Some(src) = builtin_source(arg) {
        Ok((src.to_string(), format!("内置细则 {arg}")))
    } else {
        Err(Fail(
            format!(
                "找不到考核细则「{arg}」：既不是文件，也不是内置细则 id（subdistrict、department、enterprise）"
            ),
            2,
        ))
    }
}

/// Loads `--rules`, failing with every problem (one line each).
fn load_rules(arg: &str) -> Result<RuleSet, Fail> {
    let (text, origin) = rules_text(arg)?;
    RuleSet::from_json(&text)
        .map_err(|e| Fail(problems_text(&format!("{origin}: "), e.problems()), 1))
}

/// A submission and where it came from (a file, or `file.jsonl:LINE`).
struct Loaded {
    origin: String,
    sub: Submission,
}

/// Reads submissions from files, folders (every `*.json` inside) and JSON-lines files (`*.jsonl`).
/// Unreadable files stop the run (exit 2); invalid submissions are collected as errors.
fn read_submissions(paths: &[PathBuf], errors: &mut Vec<String>) -> Result<Vec<Loaded>, Fail> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| Fail(format!("无法读取目录 {}：{e}", p.display()), 2))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "json" || x == "jsonl"))
                .collect();
            inside.sort();
            files.extend(inside);
        } else {
            files.push(p.clone());
        }
    }
    let mut out = Vec::new();
    let mut progress = Progress::new("读取考核表", files.len());
    for (k, f) in files.iter().enumerate() {
        progress.update(k);
        let text = read(f)?;
        if f.extension().is_some_and(|x| x == "jsonl") {
            for (n, line) in text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
            {
                let origin = format!("{}:{}", f.display(), n + 1);
                match Submission::from_json(line) {
                    Ok(sub) => out.push(Loaded { origin, sub }),
                    Err(e) => errors.push(problems_text(&format!("{origin}: "), e.problems())),
                }
            }
        } else {
            let origin = f.display().to_string();
            match Submission::from_json(&text) {
                Ok(sub) => out.push(Loaded { origin, sub }),
                Err(e) => errors.push(problems_text(&format!("{origin}: "), e.problems())),
            }
        }
    }
    progress.finish();
    let max = kpi_wasm::limits::MAX_BATCH;
    if out.len() > max {
        return Err(Fail(
            format!(
                "一次最多评分{max}份考核表，本次读到{}份，请分批评分",
                out.len()
            ),
            2,
        ));
    }
    Ok(out)
}

/// A progress bar on stderr, shown only on a terminal and only for long runs.
struct Progress {
    label: &'static str,
    total: usize,
    shown: bool,
    last: usize,
}

impl Progress {
    fn new(label: &'static str, total: usize) -> Self {
        use std::io::IsTerminal;
        Progress {
            label,
            total,
            shown: total >= 2000 && std::io::stderr().is_terminal(),
            last: usize::MAX,
        }
    }
    fn update(&mut self, done: usize) {
        if !self.shown || self.total == 0 {
            return;
        }
        let pct = done * 100 / self.total;
        if pct != self.last {
            self.last = pct;
            let bar = "█".repeat(pct / 4) + &"░".repeat(25 - pct / 4);
            eprint!("\r{} {bar} {pct:>3}% ({done}/{})", self.label, self.total);
        }
    }
    fn finish(&mut self) {
        if self.shown {
            self.update(self.total);
            eprintln!();
        }
    }
}

fn score(arg: &str, paths: &[PathBuf], format: Format, provisional: bool) -> Result<(), Fail> {
    let rules = load_rules(arg)?;
    let mut errors = Vec::new();
    let loaded = read_submissions(paths, &mut errors)?;
    let mut first: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for l in &loaded {
        if let Some(prev) = first.insert(&l.sub.unit.id, &l.origin) {
            return Err(Fail(
                format!(
                    "{prev} 与 {} 是同一单位「{}」({})的考核表，同一批次中每个单位只能有一份",
                    l.origin, l.sub.unit.name, l.sub.unit.id
                ),
                1,
            ));
        }
    }
    let mut accepted: Vec<&Loaded> = Vec::with_capacity(loaded.len());
    for l in &loaded {
        let missing: Vec<Problem> = if provisional {
            Vec::new()
        } else {
            rules
                .validate(&l.sub)
                .into_iter()
                .filter(|x| x.code == kpi_wasm::Code::ValueMissing)
                .collect()
        };
        if missing.is_empty() {
            accepted.push(l);
        } else {
            let origin = format!("{}: ", l.origin);
            errors.push(format!(
                "{}\n{origin}有必填项未填写；如需暂定得分，请加 --provisional",
                problems_text(&origin, &missing)
            ));
        }
    }
    let subs: Vec<Submission> = accepted.iter().map(|l| l.sub.clone()).collect();
    let single = paths.len() == 1 && subs.len() == 1 && !paths.first().is_some_and(|p| p.is_dir());
    let mut reports: Vec<Report> = Vec::with_capacity(subs.len());
    if single {
        match subs.first().map(|s| rules.score(s)) {
            Some(Ok(r)) => reports.push(r),
            Some(Err(e)) => errors.push(problems_text(
                &format!("{}: ", accepted.first().map_or("", |l| l.origin.as_str())),
                e.problems(),
            )),
            None => {}
        }
    } else {
        let mut progress = Progress::new("评分", subs.len());
        let batch = rules.score_batch_with_progress(&subs, &mut |done, _| progress.update(done));
        progress.finish();
        for (l, result) in accepted.iter().zip(batch.results) {
            match result {
                Ok(r) => reports.push(r),
                Err(e) => errors.push(problems_text(&format!("{}: ", l.origin), e.problems())),
            }
        }
    }
    let out = match format {
        Format::Json if single => reports
            .first()
            .map(|r| r.to_json_pretty() + "\n")
            .unwrap_or_default(),
        Format::Json => {
            let items: Vec<String> = reports.iter().map(|r| r.to_json()).collect();
            format!("[{}]\n", items.join(",\n"))
        }
        Format::Jsonl => reports.iter().map(|r| r.to_json() + "\n").collect(),
        Format::Csv => kpi_wasm::reports_csv(&reports),
        Format::Table if single => reports.first().map(report_table).unwrap_or_default(),
        Format::Table => ranked_table(&reports),
    };
    if !reports.is_empty() {
        print!("{out}");
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Fail(errors.join("\n"), 1))
    }
}

fn diff(
    old: &str,
    new: &str,
    paths: &[PathBuf],
    format: Format,
    probe: bool,
    fail_on_change: bool,
) -> Result<(), Fail> {
    use std::fmt::Write;
    let old_rules = load_rules(old)?;
    let new_rules = load_rules(new)?;
    let mut errors = Vec::new();
    let loaded = read_submissions(paths, &mut errors)?;
    let subs: Vec<Submission> = loaded.iter().map(|l| l.sub.clone()).collect();
    let changes = old_rules.rule_changes(&new_rules);
    let mut changed = !changes.is_empty();
    let mut out = String::new();
    if paths.is_empty() && !probe {
        match format {
            Format::Json => out = changes.to_json_pretty() + "\n",
            _ => {
                let _ = writeln!(
                    out,
                    "考核细则变化：{} {} → {} {}（共{}处）",
                    old_rules.id(),
                    old_rules.version(),
                    new_rules.id(),
                    new_rules.version(),
                    changes.len()
                );
                for c in &changes {
                    let _ = writeln!(out, "  · {c}");
                }
            }
        }
    } else if probe {
        let findings = old_rules.probe(&new_rules, &subs);
        changed |= !findings.is_empty();
        match format {
            Format::Json => out = findings.to_json_pretty() + "\n",
            _ => {
                let _ = writeln!(
                    out,
                    "阈值探测：新旧细则结果不同的模拟考核表{}份",
                    findings.len()
                );
                let _ = writeln!(
                    out,
                    "起点\t填报项\t取值\t旧总分\t旧等次\t新总分\t新等次\t变化项目"
                );
                for f in &findings {
                    let items: Vec<String> = f
                        .items
                        .iter()
                        .map(|i| format!("{} {}→{}", i.id, opt(i.old), opt(i.new)))
                        .collect();
                    let _ = writeln!(
                        out,
                        "{}\t{}({})\t{}\t{}\t{}\t{}\t{}\t{}",
                        f.base,
                        f.label,
                        f.input,
                        f.value,
                        f.old.total,
                        f.old.grade,
                        f.new.total,
                        f.new.grade,
                        items.join("；")
                    );
                }
            }
        }
    } else {
        let d = old_rules.diff(&new_rules, &subs);
        changed |= d.summary.changed > 0 || d.units.iter().any(|u| !u.items.is_empty());
        out = match format {
            Format::Json | Format::Jsonl => d.to_json_pretty() + "\n",
            Format::Csv => kpi_wasm::diff_csv(&d),
            Format::Table => diff_table(&d),
        };
    }
    print!("{out}");
    if !errors.is_empty() {
        return Err(Fail(errors.join("\n"), 1));
    }
    if fail_on_change && changed {
        return Err(Fail("有变化（--fail-on-change）".into(), 1));
    }
    Ok(())
}

fn test(arg: &str, cases: Option<&Path>, json: bool) -> Result<(), Fail> {
    let rules = load_rules(arg)?;
    let mut run = rules.run_tests();
    if let Some(dir) = cases {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| Fail(format!("无法读取用例目录 {}：{e}", dir.display()), 2))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension().is_some_and(|x| x == "json")
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().ends_with(".expect.json"))
            })
            .collect();
        entries.sort();
        for sub_path in entries {
            let name = sub_path.display().to_string();
            let expect_path = sub_path.with_extension("expect.json");
            let result = match (
                Submission::from_json(&read(&sub_path)?),
                std::fs::read_to_string(&expect_path),
            ) {
                (Ok(sub), Ok(expect)) => rules.run_case(&name, &sub, &expect),
                (Err(e), _) => kpi_wasm::CaseResult::error(&name, &name, &e.to_string()),
                (_, Err(e)) => kpi_wasm::CaseResult::error(
                    &name,
                    &name,
                    &format!("无法读取期望结果 {}：{e}", expect_path.display()),
                ),
            };
            run.cases.push(result);
        }
    }
    if json {
        println!("{}", run.to_json_pretty());
        return if run.failed() == 0 {
            Ok(())
        } else {
            Err(Fail(String::new(), 1))
        };
    }
    for c in &run.cases {
        if c.passed() {
            println!("✓ {}", c.name);
        } else {
            println!("✗ {}（{}）", c.name, c.source);
            for f in &c.failures {
                println!("    {f}");
            }
        }
    }
    println!("{} passed, {} failed", run.passed(), run.failed());
    if run.failed() == 0 {
        Ok(())
    } else {
        Err(Fail(String::new(), 1))
    }
}
