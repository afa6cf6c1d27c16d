//! `kpi score` over many submissions under a rule set that reads no peers (the library's
//! `BatchStream`): the files are read twice (what decides the rule set and refuses a second form
//! for a unit, scoring for the standings on the way; scoring again for the reports) and each
//! report is written out as soon as it is finished, so that a city's 100,000 units need memory
//! for their standings, not for their reports. When the forms name an archived version, they
//! are read a third time, their standings scored under it. The output is byte for byte what the
//! batch that keeps its reports prints (`tests/cli.rs`).

use crate::{
    Fail, Format, Progress, archived_version_of, input, load_rules, note_archived, print_reports,
    problems_text,
};
use kpi_wasm::{BatchInput, BatchStream, EntryHeader, Report, RuleSet, StreamEntry, Submission};
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

/// Pass one: which documents were taken, the first one taken (when it is the only one named, a
/// single report), the forms refused for empty required values, and a limit met.
struct PassOne<'r> {
    stream: BatchStream<'r>,
    /// Per document, in order: taken as an entry.
    accepted: Vec<bool>,
    only: Option<(String, String)>,
    /// The messages for forms refused for empty required values.
    incomplete: Vec<String>,
    /// The batch or work limit, once met: nothing more is taken.
    refused: Option<kpi_wasm::Error>,
}

impl<'r> PassOne<'r> {
    fn new(stream: BatchStream<'r>) -> Self {
        PassOne {
            stream,
            accepted: Vec::new(),
            only: None,
            incomplete: Vec::new(),
            refused: None,
        }
    }

    /// Takes a document's text: what it read (its header, or why it cannot be read), or `None`
    /// once a limit is met.
    fn take(
        &mut self,
        origin: &str,
        text: &str,
        provisional: bool,
    ) -> Option<Result<EntryHeader, kpi_wasm::Error>> {
        if self.refused.is_some() {
            return None;
        }
        let first = self.stream.is_empty();
        // Read as pass two reads it: plainly valid forms straight into the inputs.
        match self.stream.add_text(text, !provisional) {
            Ok(StreamEntry::Taken(header)) => {
                self.accepted.push(true);
                if first && self.only.is_none() {
                    self.only = Some((origin.to_string(), text.to_string()));
                }
                Some(Ok(header))
            }
            Ok(StreamEntry::Incomplete(header, missing)) => {
                let origin = format!("{origin}: ");
                self.incomplete.push(format!(
                    "{}\n{origin}有必填项未填写；如需暂定得分，请加 --provisional",
                    problems_text(&origin, &missing)
                ));
                self.accepted.push(false);
                Some(Ok(header))
            }
            Ok(StreamEntry::Unreadable(e)) => {
                self.accepted.push(false);
                Some(Err(e))
            }
            Err(e) => {
                self.refused = Some(e);
                None
            }
        }
    }

    /// A document that could not be read at all.
    fn skip(&mut self) {
        self.accepted.push(false);
    }
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
    let label = "读取考核表并评分";
    let mut read = read_all(&mut docs, rules, provisional, label, show_progress)?;
    let max = kpi_wasm::limits::MAX_BATCH;
    if read.count > max {
        return Err(Fail(
            format!("[limit.batch] 一次最多评分{max}份考核表，本次超过{max}份，请分批评分"),
            2,
        ));
    }
    let chosen = read.versions.as_ref().and_then(|(id, version, same)| {
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
    if let Some(message) = read.duplicate {
        return Err(Fail(message, 1));
    }
    // The standings were scored under the rules named; forms for an archived version are read
    // again and scored under it.
    if archived.is_some() {
        read = read_all(&mut docs, rules, provisional, "评分", show_progress)?;
    }
    let Some(PassOne {
        mut stream,
        accepted,
        only,
        incomplete,
        refused,
    }) = read.one
    else {
        return Ok(false);
    };
    if let Some(e) = refused {
        return Err(Fail(problems_text("", e.problems()), 2));
    }
    let mut errors = read.errors;
    errors.extend(incomplete);
    let mut progress = Progress::new("生成考核结果", stream.len(), show_progress);
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
            progress.update(i);
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

/// What the first reading of every document found.
struct FirstRead<'r> {
    /// The documents read (a form each).
    count: usize,
    /// The rule set id and version of the first form read, and whether every form names them.
    versions: Option<(String, String, bool)>,
    /// The message for a second form of one unit.
    duplicate: Option<String>,
    /// The problems of documents that could not be read.
    errors: Vec<String>,
    /// Pass one under the rules given (`None`: they read peers).
    one: Option<PassOne<'r>>,
}

/// Pass 0: reads every document once: the rule set's version, one form per unit, and on the way
/// pass one under `rules` (for when they are the rules used, the usual case). Stops past the
/// batch limit.
fn read_all<'r>(
    docs: &mut input::Documents,
    rules: &'r RuleSet,
    provisional: bool,
    label: &'static str,
    show_progress: bool,
) -> Result<FirstRead<'r>, Fail> {
    let mut read = FirstRead {
        count: 0,
        versions: None,
        duplicate: None,
        errors: Vec::new(),
        one: rules.stream().map(PassOne::new),
    };
    let mut first: HashMap<String, (String, String)> = HashMap::new();
    let max = kpi_wasm::limits::MAX_BATCH;
    let mut progress = Progress::new(label, docs.files(), show_progress);
    docs.walk(&mut |k| progress.update(k), &mut |origin, doc| {
        let header = match doc {
            Ok(text) => match read.one.as_mut().and_then(|a| a.take(&origin, &text, provisional)) {
                Some(header) => header,
                // Past a limit, or under rules that read peers: the header alone.
                None => Submission::from_json(&text).map(EntryHeader::from),
            }
            .map_err(kpi_wasm::Error::into_problems),
            Err(p) => {
                if let Some(a) = read.one.as_mut() {
                    a.skip();
                }
                Err(vec![p])
            }
        };
        let sub = match header {
            Ok(sub) => sub,
            Err(problems) => {
                read.errors.push(problems_text(&format!("{origin}: "), &problems));
                return true;
            }
        };
        read.count += 1;
        match &mut read.versions {
            None => read.versions = Some((sub.rules_id.clone(), sub.rules_version.clone(), true)),
            Some((id, version, same)) => {
                *same &= *id == sub.rules_id && *version == sub.rules_version;
            }
        }
        let key = kpi_wasm::fold_id(&sub.unit.id);
        if let (None, Some((prev_origin, prev_id))) = (&read.duplicate, first.get(&key)) {
            let spelled = if *prev_id == sub.unit.id {
                String::new()
            } else {
                format!(
                    "（单位编号「{}」与「{prev_id}」只差大小写或全角半角，视为同一单位）",
                    sub.unit.id
                )
            };
            read.duplicate = Some(format!(
                "{prev_origin} 与 {origin} 是同一单位「{}」({})的考核表{spelled}，同一批次中每个单位只能有一份",
                sub.unit.name, sub.unit.id
            ));
        }
        first.insert(key, (origin, sub.unit.id.clone()));
        read.count <= max
    })?;
    progress.finish();
    Ok(read)
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
