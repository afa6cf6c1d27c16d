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
        /// 在标准错误输出显示进度（默认只在终端上、运行较久时显示）
        #[arg(long)]
        progress: bool,
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
        /// 在标准错误输出显示进度（默认只在终端上、运行较久时显示）
        #[arg(long)]
        progress: bool,
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
    /// 核验评分报告：按考核细则对考核表重新评分，逐项比对（含指纹），指出不一致之处
    Verify(verify::VerifyArgs),
    /// 评分服务：为 OA 等后端系统提供 HTTP JSON 接口（评分、批量、检查、对比、核验）
    Serve(serve::ServeArgs),
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
mod input;
mod locate;
mod serve;
mod stream;
mod tables;
mod term;
mod verify;

use tables::{diff_table, opt, ranked_table, report_table};
use term::{esc, esc_lines};

/// A failure to report: the message and the exit code.
struct Fail(String, u8);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = run(cli.command);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail(msg, code)) => {
            if !msg.is_empty() {
                eprintln!("{}", esc_lines(&msg));
            }
            ExitCode::from(code)
        }
    }
}

fn run(command: Command) -> Result<(), Fail> {
    match command {
        Command::Check { rules, format } => {
            let (text, origin) = rules_text(&rules)?;
            match text {
                Ok(text) => check::check(&text, &origin, format),
                Err(p) => Err(Fail(problems_text(&format!("{origin}: "), &[p]), 1)),
            }
        }
        Command::Score {
            rules,
            submissions,
            format,
            provisional,
            progress,
        } => score(&rules, &submissions, format, provisional, progress),
        Command::Test { rules, cases, json } => test(&rules, cases.as_deref(), json),
        Command::Diff {
            old,
            new,
            submissions,
            format,
            probe,
            fail_on_change,
            progress,
        } => diff(
            &old,
            &new,
            &submissions,
            format,
            DiffOptions {
                probe,
                fail_on_change,
                progress,
            },
        ),
        Command::Verify(args) => verify::verify(&args),
        Command::Serve(args) => serve::serve(args),
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

/// Every problem on a line of its own, after `origin`; each line escaped for the terminal.
fn problems_text(origin: &str, problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| esc(&format!("{origin}{p}")).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text of `--rules` (or why it cannot be read) and where it came from: a file, or a built-in
/// rule set (`subdistrict`, `subdistrict@2026.1`). A name that is both is refused: which one was
/// meant cannot be known.
fn rules_text(arg: &str) -> Result<(input::Doc, String), Fail> {
    let path = Path::new(arg);
    match (path.exists(), builtin_source(arg)) {
        (true, Some(_)) => Err(Fail(
            format!(
                "「{arg}」既是当前目录下的文件，也是内置细则 id，无法确定使用哪一个：使用文件请写 ./{arg}，使用内置细则请在其他目录下运行或先改名该文件"
            ),
            2,
        )),
        (true, None) => Ok((input::read(path)?, path.display().to_string())),
        (false, Some(src)) => Ok((Ok(src.to_string()), format!("内置细则 {arg}"))),
        (false, None) => {
            let known: Vec<String> = kpi_wasm::builtin_versions()
                .map(|(id, version)| format!("{id}@{version}"))
                .collect();
            Err(Fail(
                format!(
                    "找不到考核细则「{arg}」：既不是文件，也不是内置细则 id（subdistrict、department、enterprise，或指定版本：{}）",
                    known.join("、")
                ),
                2,
            ))
        }
    }
}

/// Loads `--rules`, failing with every problem (one line each).
fn load_rules(arg: &str) -> Result<RuleSet, Fail> {
    let (text, origin) = rules_text(arg)?;
    let text = text.map_err(|p| Fail(problems_text(&format!("{origin}: "), &[p]), 1))?;
    RuleSet::from_json(&text)
        .map_err(|e| Fail(problems_text(&format!("{origin}: "), e.problems()), 1))
}

/// For `--rules ID` (a built-in id without a version): when every submission names one archived
/// version of that rule set, that version (`ID@VERSION`), so that last year's forms score as they
/// did; the choice is said on standard error.
fn archived_version(arg: &str, loaded: &[Loaded]) -> Option<String> {
    let first = &loaded.first()?.sub;
    let same = loaded
        .iter()
        .all(|l| l.sub.rules_id == first.rules_id && l.sub.rules_version == first.rules_version);
    if !same {
        return None;
    }
    let chosen = archived_version_of(arg, &first.rules_id, &first.rules_version)?;
    note_archived(arg, &chosen);
    Some(chosen)
}

/// [`archived_version`] when every submission names rule set `id` at `version`, not yet said.
fn archived_version_of(arg: &str, id: &str, version: &str) -> Option<String> {
    if arg.contains('@') || Path::new(arg).exists() || builtin_source(arg).is_none() || id != arg {
        return None;
    }
    let newest = RuleSet::builtin(arg)?;
    let chosen = format!("{arg}@{version}");
    (version != newest.version() && builtin_source(&chosen).is_some()).then_some(chosen)
}

/// Says on standard error which archived version of `arg` was chosen.
fn note_archived(arg: &str, chosen: &str) {
    let newest = RuleSet::builtin(arg)
        .map(|r| r.version().to_string())
        .unwrap_or_default();
    let version = chosen.rsplit('@').next().unwrap_or_default();
    eprintln!(
        "{}",
        esc(&format!(
            "注意：考核表填写的是内置细则 {arg} 的 {version} 版（最新版为 {newest}），已按 {chosen} 评分"
        ))
    );
}

/// A submission and where it came from (a file, or `file.jsonl:LINE`).
struct Loaded {
    origin: String,
    sub: Submission,
}

/// Reads submissions from files, folders (every `*.json` inside) and JSON-lines files (`*.jsonl`).
/// Unreadable files stop the run (exit 2); invalid submissions are collected as errors.
fn read_submissions(
    paths: &[PathBuf],
    errors: &mut Vec<String>,
    show_progress: bool,
) -> Result<Vec<Loaded>, Fail> {
    let mut docs = input::Documents::new(paths)?;
    let mut out = Vec::new();
    let mut progress = Progress::new("读取考核表", docs.files(), show_progress);
    let max = kpi_wasm::limits::MAX_BATCH;
    // Each document read, or its problem; reading stops past the batch limit.
    docs.walk(&mut |k| progress.update(k), &mut |origin, doc| {
        let read = match doc {
            Ok(text) => Submission::from_json(&text).map_err(kpi_wasm::Error::into_problems),
            Err(p) => Err(vec![p]),
        };
        match read {
            Ok(sub) => out.push(Loaded { origin, sub }),
            Err(problems) => errors.push(problems_text(&format!("{origin}: "), &problems)),
        }
        out.len() <= max
    })?;
    progress.finish();
    if out.len() > max {
        return Err(Fail(
            format!("[limit.batch] 一次最多评分{max}份考核表，本次超过{max}份，请分批评分"),
            2,
        ));
    }
    Ok(out)
}

/// Progress on standard error: on a terminal, a bar redrawn in place once a run has taken half a
/// second; with `--progress` also elsewhere (a log), one line per tenth.
struct Progress {
    label: &'static str,
    total: usize,
    forced: bool,
    terminal: bool,
    started: std::time::Instant,
    shown: bool,
    last: usize,
}

impl Progress {
    fn new(label: &'static str, total: usize, forced: bool) -> Self {
        use std::io::IsTerminal;
        Progress {
            label,
            total,
            forced,
            terminal: std::io::stderr().is_terminal(),
            started: std::time::Instant::now(),
            shown: false,
            last: usize::MAX,
        }
    }
    fn update(&mut self, done: usize) {
        if self.total == 0 || !(self.forced || self.terminal) {
            return;
        }
        if !self.shown && !self.forced && self.started.elapsed().as_millis() < 500 {
            return;
        }
        self.shown = true;
        let pct = done.min(self.total) * 100 / self.total;
        if self.terminal {
            if pct != self.last {
                let bar = "█".repeat(pct / 4) + &"░".repeat(25 - pct / 4);
                eprint!("\r{} {bar} {pct:>3}% ({done}/{})", self.label, self.total);
            }
        } else if pct / 10 != self.last / 10 || self.last == usize::MAX {
            eprintln!("{} {pct}% ({done}/{})", self.label, self.total);
        }
        self.last = pct;
    }
    fn finish(&mut self) {
        if self.shown {
            if self.last != 100 {
                self.update(self.total);
            }
            if self.terminal {
                eprintln!();
            }
        }
    }
}

fn score(
    arg: &str,
    paths: &[PathBuf],
    format: Format,
    provisional: bool,
    show_progress: bool,
) -> Result<(), Fail> {
    let mut rules = load_rules(arg)?;
    // A rule set that reads no peers is scored streamed: a report is written out once finished.
    if rules.streams() && stream::score(&rules, arg, paths, format, provisional, show_progress)? {
        return Ok(());
    }
    let mut errors = Vec::new();
    let loaded = read_submissions(paths, &mut errors, show_progress)?;
    if let Some(archived) = archived_version(arg, &loaded) {
        rules = load_rules(&archived)?;
    }
    // One submission per unit; ids that differ only in case or width are one unit.
    let mut first: std::collections::HashMap<String, &Loaded> = std::collections::HashMap::new();
    for l in &loaded {
        if let Some(prev) = first.insert(kpi_wasm::fold_id(&l.sub.unit.id), l) {
            let spelled = if prev.sub.unit.id == l.sub.unit.id {
                String::new()
            } else {
                format!(
                    "（单位编号「{}」与「{}」只差大小写或全角半角，视为同一单位）",
                    l.sub.unit.id, prev.sub.unit.id
                )
            };
            return Err(Fail(
                format!(
                    "{} 与 {} 是同一单位「{}」({})的考核表{spelled}，同一批次中每个单位只能有一份",
                    prev.origin, l.origin, l.sub.unit.name, l.sub.unit.id
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
        rules
            .check_batch_of(&subs.iter().collect::<Vec<_>>())
            .map_err(|e| Fail(problems_text("", e.problems()), 2))?;
        let mut progress = Progress::new("评分", subs.len(), show_progress);
        let batch = rules.score_batch_with_progress(&subs, &mut |done, _| progress.update(done));
        progress.finish();
        for (l, result) in accepted.iter().zip(batch.results) {
            match result {
                Ok(r) => reports.push(r),
                Err(e) => errors.push(problems_text(&format!("{}: ", l.origin), e.problems())),
            }
        }
    }
    print_reports(&reports, format, single);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Fail(errors.join("\n"), 1))
    }
}

/// Prints the reports of a run in `format` (one submission named on its own: `single`), nothing
/// when there is none.
fn print_reports(reports: &[Report], format: Format, single: bool) {
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
        Format::Csv => kpi_wasm::reports_csv(reports),
        Format::Table if single => reports.first().map(report_table).unwrap_or_default(),
        Format::Table => ranked_table(reports),
    };
    if !reports.is_empty() {
        print!("{out}");
    }
}

/// `kpi diff`'s switches.
struct DiffOptions {
    probe: bool,
    fail_on_change: bool,
    progress: bool,
}

fn diff(
    old: &str,
    new: &str,
    paths: &[PathBuf],
    format: Format,
    options: DiffOptions,
) -> Result<(), Fail> {
    use std::fmt::Write;
    let DiffOptions {
        probe,
        fail_on_change,
        progress: show_progress,
    } = options;
    let old_rules = load_rules(old)?;
    let new_rules = load_rules(new)?;
    let mut errors = Vec::new();
    let loaded = read_submissions(paths, &mut errors, show_progress)?;
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
                    esc(old_rules.id()),
                    esc(old_rules.version()),
                    esc(new_rules.id()),
                    esc(new_rules.version()),
                    changes.len()
                );
                for c in &changes {
                    let _ = writeln!(out, "  · {}", esc(c));
                }
            }
        }
    } else if probe {
        old_rules
            .check_probe(&new_rules, &subs)
            .map_err(|e| Fail(problems_text("", e.problems()), 2))?;
        let mut progress = Progress::new("阈值探测", 1, show_progress);
        let findings = old_rules.probe_with_progress(&new_rules, &subs, &mut |done, total| {
            progress.total = total;
            progress.update(done)
        });
        progress.finish();
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
                        esc(&f.base),
                        esc(&f.label),
                        esc(&f.input),
                        esc(&f.value),
                        f.old.total,
                        esc(f.old.grade.unwrap_or("-")),
                        f.new.total,
                        esc(f.new.grade.unwrap_or("-")),
                        esc(&items.join("；"))
                    );
                }
            }
        }
    } else {
        old_rules
            .check_diff_of(&new_rules, &subs.iter().collect::<Vec<_>>())
            .map_err(|e| Fail(problems_text("", e.problems()), 2))?;
        let mut progress = Progress::new("新旧细则对比", subs.len() * 2, show_progress);
        let d =
            old_rules.diff_with_progress(&new_rules, &subs, &mut |done, _| progress.update(done));
        progress.finish();
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
            let sub = input::read(&sub_path)?
                .map_err(|p| p.to_string())
                .and_then(|text| Submission::from_json(&text).map_err(|e| e.to_string()));
            let expect = match std::fs::metadata(&expect_path) {
                Ok(_) => input::read(&expect_path)?.map_err(|p| p.to_string()),
                Err(e) => {
                    let file = expect_path
                        .file_name()
                        .map_or_else(String::new, |f| f.to_string_lossy().into_owned());
                    Err(if e.kind() == std::io::ErrorKind::NotFound {
                        format!("找不到预期结果文件 {file}（应与考核表放在同一目录）")
                    } else {
                        format!("无法读取预期结果文件 {file}（{}）", os_reason(&e))
                    })
                }
            };
            let result = match (sub, expect) {
                (Ok(sub), Ok(expect)) => rules.run_case(&name, &sub, &expect),
                (Err(failure), _) | (_, Err(failure)) => {
                    kpi_wasm::CaseResult::error(&name, &name, &failure)
                }
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
            println!("✓ {}", esc(&c.name));
        } else {
            println!("✗ {}（{}）", esc(&c.name), esc(&c.source));
            for f in &c.failures {
                println!("    {}", esc_lines(f));
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

/// Why a file could not be read, in Chinese (the OS's message is in English).
fn os_reason(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::NotFound => "文件不存在",
        std::io::ErrorKind::PermissionDenied => "没有读取权限",
        std::io::ErrorKind::InvalidData => "不是 UTF-8 文本",
        _ => "读取失败",
    }
}
