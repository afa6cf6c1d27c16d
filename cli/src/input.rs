//! Reading documents from files and standard input without ever holding more than the engine
//! accepts: at most `MAX_DOCUMENT_BYTES` plus one byte is read of a file, of standard input and of
//! each line of a JSON-lines file, so `/dev/zero` or a runaway pipe is refused (`json.too_large`,
//! naming the file) instead of filling memory. Text is UTF-8; UTF-16 with a byte-order mark (as
//! some Windows editors save) is decoded too; anything else is refused in Chinese.

use crate::Fail;
use kpi_wasm::{Code, MAX_DOCUMENT_BYTES, Problem};
use std::io::{BufRead, Read};
use std::path::Path;

/// A document's text, or the problem that keeps it from being read (too large, not text).
pub type Doc = Result<String, Problem>;

/// How a message names `path` (`-` is standard input).
pub fn name(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "标准输入".into()
    } else {
        path.display().to_string()
    }
}

/// Reads a file, or standard input for `-`: at most the document limit plus one byte. An error
/// reading it stops the run (exit 2); a document too large or not text is its problem.
pub fn read(path: &Path) -> Result<Doc, Fail> {
    let failed = |e: std::io::Error| Fail(format!("无法读取{}：{e}", name(path)), 2);
    let mut bytes = Vec::new();
    let limit = u64::try_from(MAX_DOCUMENT_BYTES).unwrap_or(u64::MAX) + 1;
    if path.as_os_str() == "-" {
        std::io::stdin()
            .lock()
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(failed)?;
    } else {
        std::fs::File::open(path)
            .and_then(|f| f.take(limit).read_to_end(&mut bytes))
            .map_err(failed)?;
    }
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Ok(Err(too_large(&name(path))));
    }
    Ok(decode(bytes))
}

/// The problem of a document over the limit.
fn too_large(what: &str) -> Problem {
    Problem::new(
        Code::JsonTooLarge,
        "",
        format!(
            "{what}超过 {} 字节（{} MiB）的上限，未读取",
            MAX_DOCUMENT_BYTES,
            MAX_DOCUMENT_BYTES / (1024 * 1024)
        ),
    )
}

/// Bytes as text: UTF-8 (a byte-order mark is left for the engine, which skips it), or UTF-16
/// little- or big-endian with its byte-order mark.
pub fn decode(bytes: Vec<u8>) -> Doc {
    let utf16 = |le: bool| {
        let units = bytes[2..]
            .chunks(2)
            .map(|p| match p {
                [a, b] if le => Some(u16::from_le_bytes([*a, *b])),
                [a, b] => Some(u16::from_be_bytes([*a, *b])),
                _ => None,
            })
            .collect::<Option<Vec<u16>>>();
        units
            .and_then(|u| String::from_utf16(&u).ok())
            .ok_or_else(|| not_text("UTF-16 编码不完整或有误"))
    };
    match bytes.as_slice() {
        [0xFF, 0xFE, ..] => utf16(true),
        [0xFE, 0xFF, ..] => utf16(false),
        _ => String::from_utf8(bytes).map_err(|e| {
            not_text(&format!(
                "第{}个字节起不是有效的 UTF-8 编码",
                e.utf8_error().valid_up_to() + 1
            ))
        }),
    }
}

fn not_text(why: &str) -> Problem {
    Problem::new(
        Code::JsonSyntax,
        "",
        format!("无法读取为文本：{why}；请以 UTF-8 编码保存（也可为带字节顺序标记的 UTF-16）"),
    )
}

/// Reads a JSON-lines file line by line, calling `each(line number, document)` for every line
/// that is not blank; a line over the document limit is its `json.too_large` problem (and is not
/// kept), and reading stops once `each` returns false.
pub fn read_lines(path: &Path, each: &mut dyn FnMut(usize, Doc) -> bool) -> Result<(), Fail> {
    let failed = |e: std::io::Error| Fail(format!("无法读取{}：{e}", name(path)), 2);
    let file = std::fs::File::open(path).map_err(failed)?;
    let mut reader = std::io::BufReader::new(file);
    let limit = u64::try_from(MAX_DOCUMENT_BYTES).unwrap_or(u64::MAX) + 2;
    for n in 1.. {
        let mut line = Vec::new();
        let read = (&mut reader)
            .take(limit)
            .read_until(b'\n', &mut line)
            .map_err(failed)?;
        if read == 0 {
            break;
        }
        // The cap reached inside a line: the line is too large; skip the rest of it unkept.
        let capped =
            u64::try_from(read).unwrap_or(u64::MAX) == limit && line.last() != Some(&b'\n');
        if capped {
            skip_line(&mut reader).map_err(failed)?;
        }
        if line.last() == Some(&b'\n') {
            line.pop();
        }
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        let doc = if capped || line.len() > MAX_DOCUMENT_BYTES {
            Err(too_large(&format!("{} 第{n}行", name(path))))
        } else {
            match decode(line) {
                Ok(text) if text.trim().is_empty() => continue,
                doc => doc,
            }
        };
        if !each(n, doc) {
            break;
        }
    }
    Ok(())
}

/// Reads up to and including the next line break, keeping nothing.
fn skip_line(reader: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        match buf.iter().position(|&b| b == b'\n') {
            Some(at) => {
                reader.consume(at + 1);
                return Ok(());
            }
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    }
}

/// The submission documents named on the command line: files, folders (every `*.json` and
/// `*.jsonl` inside, sorted) and JSON-lines files, walked in order as often as needed (a streamed
/// batch reads them twice more). Standard input can be read only once: its document is kept.
pub struct Documents {
    files: Vec<std::path::PathBuf>,
    stdin: Option<Doc>,
}

impl Documents {
    /// The files the paths name (a folder's, sorted).
    pub fn new(paths: &[std::path::PathBuf]) -> Result<Self, Fail> {
        let mut files = Vec::new();
        for p in paths {
            if p.is_dir() {
                let mut inside: Vec<std::path::PathBuf> = std::fs::read_dir(p)
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
        Ok(Documents { files, stdin: None })
    }

    /// How many files there are.
    pub fn files(&self) -> usize {
        self.files.len()
    }

    /// Calls `each(origin, document)` for every document in order (`file.jsonl:LINE` for a line),
    /// and `file(k)` before the k-th file; stops once `each` returns false.
    pub fn walk(
        &mut self,
        file: &mut dyn FnMut(usize),
        each: &mut dyn FnMut(String, Doc) -> bool,
    ) -> Result<(), Fail> {
        for (k, f) in self.files.iter().enumerate() {
            file(k);
            let more = if f.extension().is_some_and(|x| x == "jsonl") {
                let mut more = true;
                read_lines(f, &mut |n, doc| {
                    more = each(format!("{}:{n}", f.display()), doc);
                    more
                })?;
                more
            } else if f.as_os_str() == "-" {
                let doc = match &self.stdin {
                    Some(doc) => doc.clone(),
                    None => read(f)?,
                };
                self.stdin = Some(doc.clone());
                each(name(f), doc)
            } else {
                each(name(f), read(f)?)
            };
            if !more {
                break;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_with_a_byte_order_mark_is_text() {
        let text = "{\"名称\": \"大桥\"}";
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(le).ok().as_deref(), Some(text));
        assert_eq!(decode(be).ok().as_deref(), Some(text));
        assert_eq!(decode(text.as_bytes().to_vec()).ok().as_deref(), Some(text));
        let bad = decode(vec![b'{', 0xC3, 0x28]).expect_err("not UTF-8");
        assert_eq!(bad.code, Code::JsonSyntax);
        assert!(bad.message.contains("第2个字节"), "{}", bad.message);
        assert!(decode(vec![0xFF, 0xFE, 0x41]).is_err());
    }
}
