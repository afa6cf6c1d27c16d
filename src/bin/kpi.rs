//! `kpi`: the command line for rule authors and back ends. It reads files and prints; every
//! number comes from the library.
//!
//! Exit codes: 0 ok, 1 scoring, validation or a test failed, 2 usage or unreadable input.

#[cfg(target_family = "wasm")]
fn main() {}

#[cfg(not(target_family = "wasm"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(not(target_family = "wasm"))]
mod cli {
    use clap::{Parser, Subcommand, ValueEnum};
    use kpi_wasm::{Problem, Report, RuleSet, Submission, builtin_source};
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
        },
        /// 对一个或多个考核表评分
        Score {
            /// 考核细则 JSON 文件，或内置细则 id
            #[arg(long)]
            rules: String,
            /// 考核表 JSON 文件
            #[arg(required = true)]
            submissions: Vec<PathBuf>,
            /// 输出格式
            #[arg(long, value_enum, default_value_t = Format::Table)]
            format: Format,
            /// 允许必填项未填写，给出暂定得分
            #[arg(long)]
            provisional: bool,
        },
        /// 运行考核细则内嵌的测试用例，以及用例目录中的用例（NAME.json + NAME.expect.json）
        Test {
            /// 考核细则 JSON 文件，或内置细则 id
            rules: String,
            /// 用例目录
            cases: Option<PathBuf>,
        },
        /// 输出考核细则或考核表的 JSON Schema（供编辑器校验与补全）
        Schema {
            /// rules 或 submission
            #[arg(value_enum)]
            which: SchemaKind,
        },
    }

    #[derive(Clone, Copy, ValueEnum)]
    enum Format {
        Table,
        Json,
        Csv,
    }

    #[derive(Clone, Copy, ValueEnum)]
    enum SchemaKind {
        Rules,
        Submission,
    }

    /// A failure to report: the message and the exit code.
    struct Fail(String, u8);

    pub fn main() -> ExitCode {
        let cli = Cli::parse();
        let result = match cli.command {
            Command::Check { rules } => check(&rules),
            Command::Score { rules, submissions, format, provisional } => score(&rules, &submissions, format, provisional),
            Command::Test { rules, cases } => test(&rules, cases.as_deref()),
            Command::Schema { which } => {
                print!(
                    "{}",
                    match which {
                        SchemaKind::Rules => include_str!("../../schema/kpi-rules.schema.json"),
                        SchemaKind::Submission => include_str!("../../schema/kpi-submission.schema.json"),
                    }
                );
                Ok(())
            }
        };
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

    fn read(path: &Path) -> Result<String, Fail> {
        std::fs::read_to_string(path).map_err(|e| Fail(format!("无法读取文件 {}：{e}", path.display()), 2))
    }

    fn problems_text(origin: &str, problems: &[Problem]) -> String {
        problems.iter().map(|p| format!("{origin}{p}")).collect::<Vec<_>>().join("\n")
    }

    /// Loads `--rules`: a file path, or a built-in id when no such file exists.
    fn load_rules(arg: &str) -> Result<RuleSet, Fail> {
        let path = Path::new(arg);
        let (text, origin) = if path.exists() {
            (read(path)?, format!("{}: ", path.display()))
        } else if let Some(src) = builtin_source(arg) {
            (src.to_string(), format!("内置细则 {arg}: "))
        } else {
            return Err(Fail(
                format!("找不到考核细则「{arg}」：既不是文件，也不是内置细则 id（subdistrict、department、enterprise）"),
                2,
            ));
        };
        RuleSet::from_json(&text).map_err(|e| Fail(problems_text(&origin, e.problems()), 1))
    }

    fn check(arg: &str) -> Result<(), Fail> {
        let rules = load_rules(arg)?;
        println!(
            "考核细则「{}」（{} {}）检查通过：{} 个部分，{} 个考核项目，{} 个输入项，{} 个测试用例",
            rules.title(),
            rules.id(),
            rules.version(),
            rules.sections_len(),
            rules.item_count(),
            rules.inputs_len(),
            rules.tests_len()
        );
        Ok(())
    }

    fn score(arg: &str, paths: &[PathBuf], format: Format, provisional: bool) -> Result<(), Fail> {
        let rules = load_rules(arg)?;
        let mut subs = Vec::with_capacity(paths.len());
        let mut errors = Vec::new();
        for p in paths {
            let origin = format!("{}: ", p.display());
            match Submission::from_json(&read(p)?) {
                Ok(s) => subs.push((p, s)),
                Err(e) => errors.push(problems_text(&origin, e.problems())),
            }
        }
        let mut reports: Vec<Report> = Vec::with_capacity(subs.len());
        for (p, s) in &subs {
            let origin = format!("{}: ", p.display());
            if !provisional {
                let missing: Vec<Problem> =
                    rules.validate(s).into_iter().filter(|x| x.code == "value.missing").collect();
                if !missing.is_empty() {
                    errors.push(format!(
                        "{}\n{origin}有必填项未填写；如需暂定得分，请加 --provisional",
                        problems_text(&origin, &missing)
                    ));
                    continue;
                }
            }
            match rules.score(s) {
                Ok(r) => reports.push(r),
                Err(e) => errors.push(problems_text(&origin, e.problems())),
            }
        }
        let out = match format {
            Format::Json if paths.len() == 1 => reports.first().map(|r| r.to_json_pretty() + "\n").unwrap_or_default(),
            Format::Json => {
                let items: Vec<String> = reports.iter().map(|r| r.to_json()).collect();
                format!("[{}]\n", items.join(",\n"))
            }
            Format::Csv => kpi_wasm::reports_csv(&reports),
            Format::Table if reports.len() == 1 => reports.first().map(report_table).unwrap_or_default(),
            Format::Table => summary_table(&reports),
        };
        if !reports.is_empty() {
            print!("{out}");
        }
        if errors.is_empty() { Ok(()) } else { Err(Fail(errors.join("\n"), 1)) }
    }

    /// A readable Chinese rendering of one report.
    fn report_table(r: &Report) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let _ = writeln!(s, "{}（{}）", r.unit.name, r.unit.id);
        let _ = writeln!(s, "考核细则：{}（{} {}）", r.rules.title, r.rules.id, r.rules.version);
        let status = if r.status.as_str() == "final" { "最终" } else { "暂定（有待定项）" };
        let _ = writeln!(s, "总分：{}    等次：{}    状态：{status}", r.total, r.grade);
        for sec in &r.sections {
            let _ = writeln!(s, "\n【{}】 {} 分，得 {} 分", sec.title, sec.points, sec.score);
            for item in &sec.items {
                let score = item.score.map_or_else(|| "不涉及".to_string(), |a| a.to_string());
                let mark = match item.status.as_str_cn() {
                    "" => String::new(),
                    m => format!("  [{m}]"),
                };
                let _ = writeln!(s, "  {:<6} {}  {}/{}{mark}", item.id, item.title, score, item.points);
                for l in &item.lines {
                    let _ = writeln!(s, "         {:>8}  {}", l.points, l.reason);
                }
            }
            for l in &sec.lines {
                let _ = writeln!(s, "         {:>8}  {}", l.points, l.reason);
            }
        }
        if !r.adjustments.is_empty() {
            let _ = writeln!(s, "\n【扣分项】");
            for a in &r.adjustments {
                let _ = writeln!(s, "  {}  {}", a.title, a.amount);
                for l in &a.lines {
                    let _ = writeln!(s, "         {:>8}  {}", l.points, l.reason);
                }
            }
        }
        if let Some(b) = &r.bonus {
            let _ = writeln!(s, "\n【加分】合计 {}（上限 {}）", b.amount, b.cap);
            for item in &b.items {
                let _ = writeln!(s, "  {}  {}", item.title, item.amount);
                for l in &item.lines {
                    let _ = writeln!(s, "         {:>8}  {}", l.points, l.reason);
                }
            }
            for l in &b.lines {
                let _ = writeln!(s, "         {:>8}  {}", l.points, l.reason);
            }
        }
        if !r.vetoes.is_empty() {
            let _ = writeln!(s, "\n【一票否决】");
            for v in &r.vetoes {
                let state = match v.triggered {
                    Some(true) => "触发",
                    Some(false) => "未触发",
                    None => "待定",
                };
                let _ = writeln!(s, "  {}：{state}（{}）", v.title, v.effect_text);
            }
        }
        for l in &r.lines {
            let _ = writeln!(s, "  {:>8}  {}", l.points, l.reason);
        }
        if !r.pending.is_empty() {
            let _ = writeln!(s, "\n【待定项】");
            for p in &r.pending {
                let _ = writeln!(s, "  {} {}：{}", p.id, p.title, p.reason);
            }
        }
        if !r.warnings.is_empty() {
            let _ = writeln!(s, "\n【提示】");
            for w in &r.warnings {
                let _ = writeln!(s, "  {}", w.message);
            }
        }
        s
    }

    /// One line per unit.
    fn summary_table(reports: &[Report]) -> String {
        use std::fmt::Write;
        let mut s = String::from("单位编号\t单位名称\t总分\t等次\t状态\n");
        for r in reports {
            let status = if r.status.as_str() == "final" { "最终" } else { "暂定" };
            let _ = writeln!(s, "{}\t{}\t{}\t{}\t{status}", r.unit.id, r.unit.name, r.total, r.grade);
        }
        s
    }

    trait StatusCn {
        fn as_str_cn(&self) -> &'static str;
    }

    impl StatusCn for kpi_wasm::ItemStatus {
        fn as_str_cn(&self) -> &'static str {
            match self {
                kpi_wasm::ItemStatus::Scored => "",
                kpi_wasm::ItemStatus::NotApplicable => "不涉及",
                kpi_wasm::ItemStatus::Pending => "待定",
            }
        }
    }

    fn test(arg: &str, cases: Option<&Path>) -> Result<(), Fail> {
        let rules = load_rules(arg)?;
        let mut run = rules.run_tests();
        if let Some(dir) = cases {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
                .map_err(|e| Fail(format!("无法读取用例目录 {}：{e}", dir.display()), 2))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.extension().is_some_and(|x| x == "json")
                        && !p.file_name().is_some_and(|n| n.to_string_lossy().ends_with(".expect.json"))
                })
                .collect();
            entries.sort();
            for sub_path in entries {
                let name = sub_path.display().to_string();
                let expect_path = sub_path.with_extension("expect.json");
                let result = match (Submission::from_json(&read(&sub_path)?), std::fs::read_to_string(&expect_path)) {
                    (Ok(sub), Ok(expect)) => rules.run_case(&name, &sub, &expect),
                    (Err(e), _) => kpi_wasm::CaseResult { name: name.clone(), source: name, failures: vec![e.to_string()] },
                    (_, Err(e)) => kpi_wasm::CaseResult {
                        name: name.clone(),
                        source: name,
                        failures: vec![format!("无法读取期望结果 {}：{e}", expect_path.display())],
                    },
                };
                run.cases.push(result);
            }
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
        if run.failed() == 0 { Ok(()) } else { Err(Fail(String::new(), 1)) }
    }
}
