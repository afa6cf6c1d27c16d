//! `kpi verify REPORT SUBMISSION --rules R`: re-score a submission and compare it with a report
//! made elsewhere (in a browser, by another system), figure by figure and fingerprint included.
//! Exit 0 when the report verifies, 1 when it does not (or cannot be compared), 2 when a file
//! cannot be read.

use crate::input::read;
use crate::{Fail, load_rules, problems_text};
use kpi_wasm::{Submission, ToJson};
use std::path::PathBuf;

/// The arguments of `kpi verify`.
#[derive(clap::Args)]
pub struct VerifyArgs {
    /// 考核结果（评分报告）JSON 文件，或 - 表示标准输入
    report: PathBuf,
    /// 评出这份报告的考核表 JSON 文件
    submission: PathBuf,
    /// 考核细则 JSON 文件，或内置细则 id
    #[arg(long)]
    rules: String,
    /// 输出格式：text 逐条列出不一致之处；json 输出 {"ok", "differences"}
    #[arg(long, value_enum, default_value_t = VerifyFormat::Text)]
    format: VerifyFormat,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum VerifyFormat {
    /// 结论和每处不一致（JSON 指针、说明）
    Text,
    /// 核验结果 JSON（与 POST /v1/verify 的响应相同）
    Json,
}

pub fn verify(args: &VerifyArgs) -> Result<(), Fail> {
    let rules = load_rules(&args.rules)?;
    let unreadable = |path: &std::path::Path, p: kpi_wasm::Problem| {
        Fail(problems_text(&format!("{}: ", path.display()), &[p]), 1)
    };
    let report = read(&args.report)?.map_err(|p| unreadable(&args.report, p))?;
    let origin = args.submission.display().to_string();
    let text = read(&args.submission)?.map_err(|p| unreadable(&args.submission, p))?;
    let sub = Submission::from_json(&text)
        .map_err(|e| Fail(problems_text(&format!("{origin}: "), e.problems()), 1))?;
    let v = rules.verify(&report, &sub).map_err(|e| {
        Fail(
            format!(
                "无法核验：\n{}",
                problems_text(&format!("{}: ", args.report.display()), e.problems())
            ),
            1,
        )
    })?;
    match args.format {
        VerifyFormat::Json => println!("{}", v.to_json_pretty()),
        VerifyFormat::Text if v.ok => println!(
            "核验通过：报告与按考核细则「{}」（{} {}）重新评分的结果完全一致，指纹相符",
            rules.title(),
            rules.id(),
            rules.version()
        ),
        VerifyFormat::Text => {
            println!("核验未通过：{}处不一致", v.differences.len());
            for d in &v.differences {
                if d.path.is_empty() {
                    println!("  {}", d.message);
                } else {
                    println!("  {}: {}", d.path, d.message);
                }
            }
        }
    }
    if v.ok {
        Ok(())
    } else {
        Err(Fail(String::new(), 1))
    }
}
