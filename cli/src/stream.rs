//! `kpi score` over many submissions under a rule set that reads no peers (the library's
//! `BatchStream`): the files are read three times (what decides the rule set and refuses a second
//! form for a unit; scoring for the standings; scoring again for the reports) and each report is
//! written out as soon as it is finished, so that a city's 100,000 units need memory for their
//! standings, not for their reports. The output is byte for byte what the batch that keeps its
//! reports prints (`tests/cli.rs`).

use crate::{
    Fail, Format, Progress, archived_version_of, input, load_rules, note_archived, print_reports,
    problems_text,
};
use kpi_wasm::{BatchInput, Report, RuleSet, Submission};
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

/// What the first pass keeps of each document.
struct Seen {
    /// Whether it could be read (else its problems were reported).
    read: bool,
}

/// Scores the submissions of `paths` under `rules` (which reads no peers) as one streamed batch,
/// or as a single report when they are one submission named on its own. False when the archived
/// version the submissions were filled for reads peers: the caller scores them the other way.
pub fn score(
    rules: &RuleSet,
    arg: &str,
    paths: &[PathBuf],
    format: Format,
    provisional: bool,
    show_progress: bool,
) -> Result<bool, Fail> {
    let mut docs = input::Documents::new(paths)?;
    let mut errors = Vec::new();

    // Pass 0: read every document once; the rule set's version, one form per unit.
    let mut seen: Vec<Seen> = Vec::new();
    let mut versions: Option<(String, String, bool)> = None;
    let mut first: HashMap<String, (String, String)> = HashMap::new();
    let mut duplicate: Option<String> = None;
    let (max, mut count) = (kpi_wasm::limits::MAX_BATCH, 0usize);
    let mut progress = Progress::new("读取考核表", docs.files(), show_progress);
    docs.walk(&mut |k| progress.update(k), &mut |origin, doc| {
        let read = match doc {
            Ok(text) => Submission::from_json(&text).map_err(kpi_wasm::Error::into_problems),
            Err(p) => Err(vec![p]),
        };
        let sub = match read {
            Ok(sub) => sub,
            Err(problems) => {
                errors.push(problems_text(&format!("{origin}: "), &problems));
                seen.push(Seen { read: false });
                return true;
            }
        };
        count += 1;
        seen.push(Seen { read: true });
        match &mut versions {
            None => versions = Some((sub.rules_id.clone(), sub.rules_version.clone(), true)),
            Some((id, version, same)) => {
                *same &= *id == sub.rules_id && *version == sub.rules_version;
            }
        }
        let key = kpi_wasm::fold_id(&sub.unit.id);
        if let (None, Some((prev_origin, prev_id))) = (&duplicate, first.get(&key)) {
            let spelled = if *prev_id == sub.unit.id {
                String::new()
            } else {
                format!(
                    "（单位编号「{}」与「{prev_id}」只差大小写或全角半角，视为同一单位）",
                    sub.unit.id
                )
            };
            duplicate = Some(format!(
                "{prev_origin} 与 {origin} 是同一单位「{}」({})的考核表{spelled}，同一批次中每个单位只能有一份",
                sub.unit.name, sub.unit.id
            ));
        }
        first.insert(key, (origin, sub.unit.id.clone()));
        count <= max
    })?;
    progress.finish();
    drop(first);
    if count > max {
        return Err(Fail(
            format!("[limit.batch] 一次最多评分{max}份考核表，本次超过{max}份，请分批评分"),
            2,
        ));
    }
    let chosen = versions.as_ref().and_then(|(id, version, same)| {
        same.then(|| archived_version_of(arg, id, version))
            .flatten()
    });
    let archived = match &chosen {
        Some(chosen) => Some(load_rules(chosen)?),
        None => None,
    };
    let rules = archived.as_ref().unwrap_or(rules);
    // An archived version that reads peers is scored the other way, which says the choice.
    if !rules.streams() {
        return Ok(false);
    }
    if let Some(chosen) = &chosen {
        note_archived(arg, chosen);
    }
    if let Some(message) = duplicate {
        return Err(Fail(message, 1));
    }
    let Some(mut stream) = rules.stream() else {
        return Ok(false);
    };

    // Pass 1: the forms still missing required values are refused; the others scored for their
    // standings.
    let mut accepted: Vec<bool> = Vec::with_capacity(seen.len());
    let mut progress = Progress::new("评分", count.saturating_mul(2), show_progress);
    let mut k = 0usize;
    let mut refused: Option<kpi_wasm::Error> = None;
    // The first form accepted, in case it is the only one named (a single report, unranked).
    let mut only: Option<(String, String)> = None;
    docs.walk(&mut |_| {}, &mut |origin, doc| {
        let readable = seen.get(k).is_some_and(|s| s.read);
        k += 1;
        // Read as pass two reads it: plainly valid forms straight into the inputs.
        let (true, Ok(text)) = (readable, doc) else {
            accepted.push(false);
            return true;
        };
        if stream.len() % 256 == 0 {
            progress.update(stream.len());
        }
        let first = stream.is_empty();
        let input = BatchInput::Text(&text);
        let added = if provisional {
            stream.add(input).map(|()| Vec::new())
        } else {
            stream.add_if_complete(input)
        };
        match added {
            Ok(missing) if missing.is_empty() => {
                accepted.push(true);
                if only.is_none() && first {
                    only = Some((origin, text));
                }
                true
            }
            Ok(missing) => {
                let origin = format!("{origin}: ");
                errors.push(format!(
                    "{}\n{origin}有必填项未填写；如需暂定得分，请加 --provisional",
                    problems_text(&origin, &missing)
                ));
                accepted.push(false);
                true
            }
            Err(e) => {
                refused = Some(e);
                false
            }
        }
    })?;
    if let Some(e) = refused {
        return Err(Fail(problems_text("", e.problems()), 2));
    }
    let single = paths.len() == 1 && stream.len() == 1 && !paths.iter().any(|p| p.is_dir());
    if let (true, Some((origin, text))) = (single, only) {
        progress.finish();
        match rules.score_text(&text) {
            Ok(r) => print_reports(&[r], format, true),
            Err(e) => errors.push(problems_text(&format!("{origin}: "), e.problems())),
        }
        return finish(errors);
    }
    stream.rank();

    // Pass 2: every report again, finished, and written out at once.
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    let mut writer = Writer {
        format,
        written: 0,
        table: Vec::new(),
        with_self: stream.any_self_assessment(),
    };
    let (mut k, mut i) = (0usize, 0usize);
    let mut failed: Option<std::io::Error> = None;
    docs.walk(&mut |_| {}, &mut |origin, doc| {
        let take = accepted.get(k).copied().unwrap_or(false);
        k += 1;
        // Read as a batch of texts reads it: plainly valid forms straight into the inputs.
        let (true, Ok(text)) = (take, doc) else {
            return true;
        };
        if i % 256 == 0 {
            progress.update(stream.len().saturating_add(i));
        }
        match stream.report(i, BatchInput::Text(&text)) {
            Ok(report) => {
                if let Err(e) = writer.write(&mut out, &report) {
                    failed = Some(e);
                    return false;
                }
            }
            Err(e) => errors.push(problems_text(&format!("{origin}: "), e.problems())),
        }
        i += 1;
        true
    })?;
    progress.finish();
    let written = failed.map_or_else(|| writer.finish(&mut out), Err);
    written.map_err(|e| Fail(format!("无法写出评分结果：{e}"), 2))?;
    finish(errors)
}

/// Done: the problems met on the way, if any.
fn finish(errors: Vec<String>) -> Result<bool, Fail> {
    if errors.is_empty() {
        Ok(true)
    } else {
        Err(Fail(errors.join("\n"), 1))
    }
}

/// Writes reports as they come, in the format asked for: what the batch that keeps its reports
/// prints for all of them at the end.
struct Writer {
    format: Format,
    written: usize,
    /// The ranked table's lines, sorted at the end (a few dozen bytes a unit).
    table: Vec<(crate::tables::RowKey, String)>,
    with_self: bool,
}

impl Writer {
    fn write(&mut self, out: &mut dyn Write, r: &Report) -> std::io::Result<()> {
        let first = self.written == 0;
        self.written += 1;
        match self.format {
            Format::Jsonl => writeln!(out, "{}", r.to_json()),
            Format::Json => write!(out, "{}{}", if first { "[" } else { ",\n" }, r.to_json()),
            Format::Csv => {
                if first {
                    out.write_all(
                        kpi_wasm::reports_csv_header(Some(r), self.with_self).as_bytes(),
                    )?;
                }
                out.write_all(kpi_wasm::reports_csv_row(r, self.with_self).as_bytes())
            }
            Format::Table => {
                self.table.push(crate::tables::ranked_row(r));
                Ok(())
            }
        }
    }

    fn finish(self, out: &mut dyn Write) -> std::io::Result<()> {
        match self.format {
            Format::Json if self.written > 0 => writeln!(out, "]")?,
            Format::Table if self.written > 0 => {
                out.write_all(crate::tables::sorted_table(self.table).as_bytes())?
            }
            _ => {}
        }
        out.flush()
    }
}
