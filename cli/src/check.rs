//! `kpi check`: load and lint a rule set, and show every problem where it is, as rustc shows
//! errors: the code, the message, the line of the rule file with a caret under the spot, and the
//! JSON pointer. `--format json` gives the same problems as data, with their line and column.

use crate::locate::{Spot, locate};
use crate::term::esc;
use crate::{CheckFormat, Fail};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use kpi_wasm::{Problem, RuleSet, ToJson};
use std::io::IsTerminal;

/// Checks the rule set `text` read from `origin` (a file name or `内置细则 ID`).
pub fn check(text: &str, origin: &str, format: CheckFormat) -> Result<(), Fail> {
    let problems = match RuleSet::from_json(text) {
        Ok(rules) => {
            match format {
                CheckFormat::Json => println!("[]"),
                CheckFormat::Text => println!(
                    "考核细则「{}」（{} {}）检查通过：{} 个部分，{} 个考核项目，{} 个输入项，{} 个测试用例",
                    rules.title(),
                    rules.id(),
                    rules.version(),
                    rules.sections_len(),
                    rules.item_count(),
                    rules.inputs_len(),
                    rules.tests_len()
                ),
            }
            return Ok(());
        }
        Err(e) => e.into_problems(),
    };
    match format {
        CheckFormat::Json => {
            println!("{}", as_json(text, &problems));
            Err(Fail(String::new(), 1))
        }
        CheckFormat::Text => {
            let styled = std::io::stderr().is_terminal();
            Err(Fail(render(text, origin, &problems, styled), 1))
        }
    }
}

/// Every problem with its source line and a caret under the spot, then how many there are.
pub fn render(text: &str, origin: &str, problems: &[Problem], styled: bool) -> String {
    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let origin = esc(origin);
    let mut out: Vec<String> = problems
        .iter()
        .map(|p| {
            let message = esc(&p.message);
            renderer
                .render(&[group(text, &origin, p, &message)])
                .to_string()
        })
        .collect();
    out.push(format!("{origin}：共 {} 个问题", problems.len()));
    out.join("\n\n")
}

/// One problem as a diagnostic: its line and caret when the text holds its path.
fn group<'a>(text: &'a str, origin: &'a str, p: &'a Problem, message: &'a str) -> Group<'a> {
    let title = Level::ERROR.primary_title(message).id(p.code.as_str());
    let pointer =
        (!p.path.is_empty()).then(|| Level::NOTE.message(format!("JSON 指针：{}", esc(&p.path))));
    let group = match locate(text, p) {
        Some(spot) => {
            let (line, span) = line_of(text, &spot);
            let (line, span) = escaped(line, span);
            title.element(
                Snippet::source(line)
                    .line_start(spot.line)
                    .path(origin)
                    .annotation(AnnotationKind::Primary.span(span)),
            )
        }
        None => Group::with_title(title),
    };
    match pointer {
        Some(note) => group.element(note),
        None => group,
    }
}

/// The line the spot starts on, and the spot's span within it (cut at the line's end).
fn line_of<'a>(text: &'a str, spot: &Spot) -> (&'a str, std::ops::Range<usize>) {
    let start = text[..spot.bytes.start].rfind('\n').map_or(0, |n| n + 1);
    let end = text[start..].find('\n').map_or(text.len(), |n| start + n);
    let line = text[start..end].trim_end_matches('\r');
    let from = spot.bytes.start - start;
    let to = (spot.bytes.end - start).clamp(from, line.len());
    (line, from..to)
}

/// A source line as the terminal may show it (`term::esc`), with the span moved to match.
fn escaped(line: &str, span: std::ops::Range<usize>) -> (String, std::ops::Range<usize>) {
    let mut out = String::with_capacity(line.len());
    let (mut from, mut to) = (None, None);
    for (at, c) in line.char_indices() {
        if at == span.start {
            from = Some(out.len());
        }
        if at == span.end {
            to = Some(out.len());
        }
        let mut buf = [0u8; 4];
        out.push_str(&esc(c.encode_utf8(&mut buf)));
    }
    let end = out.len();
    let from = from.unwrap_or(end);
    (out, from..to.unwrap_or(end).max(from))
}

/// The problems as a JSON array, each with its `line` and `column` (null when unknown).
pub(crate) fn as_json(text: &str, problems: &[Problem]) -> String {
    let items: Vec<String> = problems
        .iter()
        .map(|p| {
            let (line, column) = match locate(text, p) {
                Some(s) => (s.line.to_string(), s.column.to_string()),
                None => ("null".into(), "null".into()),
            };
            let json = p.to_json();
            let head = json.strip_suffix('}').unwrap_or(&json);
            format!("  {head},\"line\":{line},\"column\":{column}}}")
        })
        .collect();
    if items.is_empty() {
        "[]".into()
    } else {
        format!("[\n{}\n]", items.join(",\n"))
    }
}
