//! Reading JSON text into a [`Value`], keeping number literals as written.

use super::{Map, Number, Value};
use crate::limits::MAX_NESTING;

/// Why a text is not JSON, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// What went wrong.
    pub kind: SyntaxErrorKind,
    /// 1-based line.
    pub line: usize,
    /// Characters from the start of the line up to and including the offending one (0 when the
    /// text ends right after a line break).
    pub column: usize,
    /// Characters before the offending one (the text's length when it ended).
    pub offset: usize,
}

/// The kinds of [`SyntaxError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyntaxErrorKind {
    /// The text ended inside a value.
    Eof,
    /// Arrays and objects nested [`MAX_NESTING`] deep.
    TooDeep,
    /// Anything else, described in Chinese.
    Syntax(&'static str),
}

impl SyntaxErrorKind {
    /// A short Chinese description.
    pub fn text(self) -> &'static str {
        match self {
            SyntaxErrorKind::Eof => "内容不完整，意外结束",
            SyntaxErrorKind::TooDeep => "嵌套层数过多",
            SyntaxErrorKind::Syntax(what) => what,
        }
    }
}

/// Parses JSON text (RFC 8259; no byte-order mark, no comments, no trailing commas).
pub fn parse(text: &str) -> Result<Value, SyntaxError> {
    let mut p = Reader {
        text,
        b: text.as_bytes(),
        i: 0,
        depth: 0,
    };
    let result = p.value().and_then(|v| {
        p.skip_ws();
        match p.b.get(p.i) {
            None => Ok(v),
            Some(_) => Err(Stop::Syntax("JSON 值之后还有多余的内容")),
        }
    });
    result.map_err(|stop| {
        let kind = match stop {
            Stop::Eof => SyntaxErrorKind::Eof,
            Stop::TooDeep => SyntaxErrorKind::TooDeep,
            Stop::Syntax(s) => SyntaxErrorKind::Syntax(s),
        };
        // The offending character is at p.i (or, when the text ended, there is none).
        let end = match kind {
            SyntaxErrorKind::Eof => text.len(),
            _ => next_char_end(text, p.i),
        };
        let (line, column) = position(text, end);
        let before = text.get(..end).map_or(0, |s| s.chars().count());
        let offset = match kind {
            SyntaxErrorKind::Eof => before,
            _ => before.saturating_sub(1),
        };
        SyntaxError {
            kind,
            line,
            column,
            offset,
        }
    })
}

/// The byte offset just past the character starting at or after `i`.
fn next_char_end(text: &str, i: usize) -> usize {
    let mut end = i.saturating_add(1).min(text.len());
    while !text.is_char_boundary(end) {
        end = end.saturating_add(1);
    }
    end
}

/// Line and column (in characters) of the text before byte offset `end`.
fn position(text: &str, end: usize) -> (usize, usize) {
    let before = text.get(..end).unwrap_or(text);
    let line = before
        .bytes()
        .filter(|&b| b == b'\n')
        .count()
        .saturating_add(1);
    let start = before.rfind('\n').map_or(0, |n| n.saturating_add(1));
    let column = before.get(start..).map_or(0, |s| s.chars().count());
    (line, column)
}

/// Why reading stopped.
pub(super) enum Stop {
    Eof,
    TooDeep,
    Syntax(&'static str),
}

pub(super) type Read<T> = Result<T, Stop>;

pub(super) struct Reader<'a> {
    pub(super) text: &'a str,
    pub(super) b: &'a [u8],
    pub(super) i: usize,
    pub(super) depth: usize,
}

impl<'a> Reader<'a> {
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
            self.i = self.i.saturating_add(1);
        }
    }

    /// The next non-space byte, not consumed.
    fn peek(&mut self) -> Read<u8> {
        self.skip_ws();
        self.b.get(self.i).copied().ok_or(Stop::Eof)
    }

    fn value(&mut self) -> Read<Value> {
        match self.peek()? {
            b'{' => self.object(),
            b'[' => self.array(),
            b'"' => Ok(Value::String(self.string()?)),
            b't' => self.word("true", Value::Bool(true)),
            b'f' => self.word("false", Value::Bool(false)),
            b'n' => self.word("null", Value::Null),
            b'-' | b'0'..=b'9' => Ok(Value::Number(Number(self.number()?.to_string()))),
            _ => Err(Stop::Syntax(
                "此处应为 JSON 值（对象、数组、字符串、数字、true、false 或 null）",
            )),
        }
    }

    fn word(&mut self, word: &str, v: Value) -> Read<Value> {
        for &expected in word.as_bytes() {
            match self.b.get(self.i) {
                None => return Err(Stop::Eof),
                Some(&b) if b == expected => self.i = self.i.saturating_add(1),
                Some(_) => return Err(Stop::Syntax("无法识别的词（应为 true、false 或 null）")),
            }
        }
        Ok(v)
    }

    fn enter(&mut self) -> Read<()> {
        self.depth = self.depth.saturating_add(1);
        if self.depth >= MAX_NESTING {
            return Err(Stop::TooDeep);
        }
        self.i = self.i.saturating_add(1);
        Ok(())
    }

    fn array(&mut self) -> Read<Value> {
        self.enter()?;
        let mut items = Vec::new();
        if self.peek()? == b']' {
            self.i = self.i.saturating_add(1);
            self.depth = self.depth.saturating_sub(1);
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value()?);
            match self.peek()? {
                b',' => self.i = self.i.saturating_add(1),
                b']' => {
                    self.i = self.i.saturating_add(1);
                    self.depth = self.depth.saturating_sub(1);
                    return Ok(Value::Array(items));
                }
                _ => return Err(Stop::Syntax("数组元素之后应为「,」或「]」")),
            }
        }
    }

    fn object(&mut self) -> Read<Value> {
        self.enter()?;
        let mut members = Vec::new();
        if self.peek()? == b'}' {
            self.i = self.i.saturating_add(1);
            self.depth = self.depth.saturating_sub(1);
            return Ok(Value::Object(Map::new()));
        }
        loop {
            if self.peek()? != b'"' {
                return Err(Stop::Syntax("对象的键应为带双引号的字符串"));
            }
            let key = self.string()?;
            if self.peek()? != b':' {
                return Err(Stop::Syntax("对象的键之后应为「:」"));
            }
            self.i = self.i.saturating_add(1);
            let value = self.value()?;
            members.push((key, value));
            match self.peek()? {
                b',' => self.i = self.i.saturating_add(1),
                b'}' => {
                    self.i = self.i.saturating_add(1);
                    self.depth = self.depth.saturating_sub(1);
                    return Ok(Value::Object(Map::from_members(members)));
                }
                _ => return Err(Stop::Syntax("对象成员之后应为「,」或「}」")),
            }
        }
    }

    /// A string starting at the opening quote.
    fn string(&mut self) -> Read<String> {
        self.i = self.i.saturating_add(1);
        let mut out = String::new();
        loop {
            let start = self.i;
            while let Some(&b) = self.b.get(self.i) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.i = self.i.saturating_add(1);
            }
            // The run stops only at ASCII bytes: whole characters.
            out.push_str(self.text.get(start..self.i).unwrap_or_default());
            match self.b.get(self.i) {
                None => return Err(Stop::Eof),
                Some(b'"') => {
                    self.i = self.i.saturating_add(1);
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i = self.i.saturating_add(1);
                    self.escape(&mut out)?;
                }
                Some(_) => return Err(Stop::Syntax("字符串中有未转义的控制字符")),
            }
        }
    }

    /// One escape sequence after its backslash.
    fn escape(&mut self, out: &mut String) -> Read<()> {
        let c = match self.b.get(self.i) {
            None => return Err(Stop::Eof),
            Some(&c) => c,
        };
        self.i = self.i.saturating_add(1);
        let ch = match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = self.hex4()?;
                let mut units = vec![hi];
                if (0xD800..0xDC00).contains(&hi) {
                    if self.b.get(self.i..self.i.saturating_add(2)) != Some(b"\\u") {
                        return Err(Stop::Syntax("无效的 Unicode 转义（代理对不完整）"));
                    }
                    self.i = self.i.saturating_add(2);
                    units.push(self.hex4()?);
                }
                // A lone or mismatched surrogate decodes to an error.
                char::decode_utf16(
                    units
                        .into_iter()
                        .map(|u| u16::try_from(u).unwrap_or(0xDC00)),
                )
                .next()
                .and_then(Result::ok)
                .ok_or(Stop::Syntax(
                    "无效的 Unicode 转义（代理对不完整或孤立的代理项）",
                ))?
            }
            _ => {
                self.i = self.i.saturating_sub(1);
                return Err(Stop::Syntax("无效的转义序列"));
            }
        };
        out.push(ch);
        Ok(())
    }

    fn hex4(&mut self) -> Read<u32> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = match self.b.get(self.i) {
                None => return Err(Stop::Eof),
                Some(&b) => (b as char)
                    .to_digit(16)
                    .ok_or(Stop::Syntax("\\u 之后应为4位十六进制数"))?,
            };
            v = v
                .checked_mul(16)
                .and_then(|v| v.checked_add(d))
                .ok_or(Stop::Syntax("\\u 之后应为4位十六进制数"))?;
            self.i = self.i.saturating_add(1);
        }
        Ok(v)
    }

    /// A number's literal text: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    pub(super) fn number(&mut self) -> Read<&'a str> {
        let start = self.i;
        if self.b.get(self.i) == Some(&b'-') {
            self.i = self.i.saturating_add(1);
        }
        match self.b.get(self.i) {
            None => return Err(Stop::Eof),
            Some(b'0') => self.i = self.i.saturating_add(1),
            Some(b'1'..=b'9') => self.digits(),
            Some(_) => return Err(Stop::Syntax("数字格式错误")),
        }
        if self.b.get(self.i) == Some(&b'.') {
            self.i = self.i.saturating_add(1);
            self.some_digits()?;
        }
        if let Some(b'e' | b'E') = self.b.get(self.i) {
            self.i = self.i.saturating_add(1);
            if let Some(b'+' | b'-') = self.b.get(self.i) {
                self.i = self.i.saturating_add(1);
            }
            self.some_digits()?;
        }
        // Only ASCII was consumed: whole characters.
        Ok(self.text.get(start..self.i).unwrap_or_default())
    }

    fn digits(&mut self) {
        while self.b.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i = self.i.saturating_add(1);
        }
    }

    fn some_digits(&mut self) -> Read<()> {
        match self.b.get(self.i) {
            None => Err(Stop::Eof),
            Some(b) if b.is_ascii_digit() => {
                self.digits();
                Ok(())
            }
            Some(_) => Err(Stop::Syntax("数字格式错误")),
        }
    }
}
