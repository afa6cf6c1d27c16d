//! JSON, read and written by hand.
//!
//! Reading keeps every number as the literal text it was written with, so a decimal never passes
//! through a binary float; nesting is limited to [`MAX_NESTING`] levels so hostile input cannot
//! exhaust the stack. Writing goes through [`ToJson`] and a [`JsonWriter`] that appends to one
//! `String`; the indented form is the compact text re-indented (the same layout serde_json's
//! pretty printer gives, so the golden files read the same).
//!
//! Why not serde: serde's derived code and serde_json's generic machinery were a third of the
//! WebAssembly module's code and most of the time of a `score` call (see BENCHMARKS.md).

use std::collections::BTreeMap;
use std::fmt;

/// Deepest nesting of arrays and objects accepted; the 128th level is refused.
pub const MAX_NESTING: usize = 128;

/// A parsed JSON value.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Value {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, kept as written.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object; a key given twice keeps its last value.
    Object(Map),
}

/// An object's members, sorted by key. A sorted vector rather than a `BTreeMap`: objects are
/// small, and every `BTreeMap` instance costs kilobytes of WebAssembly.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Map {
    members: Vec<(String, Value)>,
}

impl Map {
    /// An empty object.
    pub fn new() -> Self {
        Map::default()
    }

    /// Members in any order; a key given twice keeps its last value.
    fn from_members(mut members: Vec<(String, Value)>) -> Self {
        // Stable: of equal keys the last written stays last, and is the one kept.
        members.sort_by(|a, b| a.0.cmp(&b.0));
        let mut kept: Vec<(String, Value)> = Vec::with_capacity(members.len());
        for m in members {
            match kept.last_mut() {
                Some(last) if last.0 == m.0 => *last = m,
                _ => kept.push(m),
            }
        }
        Map { members: kept }
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        self.members.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        let i = self.find(key).ok()?;
        self.members.get(i).map(|(_, v)| v)
    }

    /// The value of `key`, mutably.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        let i = self.find(key).ok()?;
        self.members.get_mut(i).map(|(_, v)| v)
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }

    /// Sets `key`, giving back its old value.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        match self.find(&key) {
            Ok(i) => self
                .members
                .get_mut(i)
                .map(|(_, v)| std::mem::replace(v, value)),
            Err(i) => {
                self.members.insert(i, (key, value));
                None
            }
        }
    }

    /// Removes `key`, giving back its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let i = self.find(key).ok()?;
        Some(self.members.remove(i).1)
    }

    /// The keys, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.members.iter().map(|(k, _)| k)
    }

    /// The members, sorted by key.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.members.iter().map(|(k, v)| (k, v))
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a String, &'a Value);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, Value)>,
        fn(&'a (String, Value)) -> (&'a String, &'a Value),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.members.iter().map(|(k, v)| (k, v))
    }
}

/// A JSON number as its literal text (`-12.50`, `1e3`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Number(String);

impl Number {
    /// A number from literal text already checked to be a JSON number.
    pub(crate) fn literal(text: &str) -> Number {
        Number(text.to_string())
    }

    /// The literal text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Value {
    /// The member `key` of an object (`None` for other values).
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(m) => m.get(key),
            _ => None,
        }
    }

    /// The member `key` of an object, mutably.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        match self {
            Value::Object(m) => m.get_mut(key),
            _ => None,
        }
    }

    /// True for `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// A whole number `0..=u64::MAX` written without fraction or exponent.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(n) => n.0.parse().ok(),
            _ => None,
        }
    }

    /// The string, for a string value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A string value.
    pub fn string(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }
}

impl fmt::Display for Value {
    /// Compact JSON text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json())
    }
}

// ---------------------------------------------------------------------------------------------
// Reading

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
        SyntaxError { kind, line, column }
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
enum Stop {
    Eof,
    TooDeep,
    Syntax(&'static str),
}

type Read<T> = Result<T, Stop>;

struct Reader<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
    depth: usize,
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
    fn number(&mut self) -> Read<&'a str> {
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

// ---------------------------------------------------------------------------------------------
// Scanning without building values

/// A scalar seen by [`Scan`], borrowed from the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scalar<'a> {
    Null,
    Bool(bool),
    /// A number's literal text.
    Number(&'a str),
    /// A string without escape sequences.
    Str(&'a str),
}

/// Reads shallow JSON documents without allocating: objects of scalars and of objects of
/// scalars, as a submission is. It gives up (`None`) on anything else — an array, an escape
/// sequence, a syntax error — and then the caller reads the document the thorough way, which
/// also explains what is wrong. So it only needs to accept valid JSON and read it right.
pub(crate) struct Scan<'a> {
    text: &'a str,
    i: usize,
}

impl<'a> Scan<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Scan { text, i: 0 }
    }

    fn byte(&self) -> Option<u8> {
        self.text.as_bytes().get(self.i).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.byte() {
            self.i = self.i.saturating_add(1);
        }
    }

    fn expect(&mut self, b: u8) -> Option<()> {
        self.skip_ws();
        (self.byte()? == b).then(|| self.i = self.i.saturating_add(1))
    }

    /// `{`.
    pub(crate) fn begin_object(&mut self) -> Option<()> {
        self.expect(b'{')
    }

    /// The next member's key, or `Some(None)` at the closing `}`. `first` says whether a member
    /// was read already (then a comma must come first).
    pub(crate) fn key(&mut self, first: bool) -> Option<Option<&'a str>> {
        self.skip_ws();
        if self.byte()? == b'}' {
            self.i = self.i.saturating_add(1);
            return Some(None);
        }
        if !first {
            self.expect(b',')?;
            self.skip_ws();
        }
        if self.byte()? != b'"' {
            return None;
        }
        let key = self.string()?;
        self.expect(b':')?;
        Some(Some(key))
    }

    /// A scalar value.
    pub(crate) fn scalar(&mut self) -> Option<Scalar<'a>> {
        self.skip_ws();
        let word = |s: &mut Self, w: &str, v: Scalar<'a>| {
            let end = s.i.checked_add(w.len())?;
            (s.text.get(s.i..end)? == w).then(|| {
                s.i = end;
                v
            })
        };
        match self.byte()? {
            b'"' => self.string().map(Scalar::Str),
            b't' => word(self, "true", Scalar::Bool(true)),
            b'f' => word(self, "false", Scalar::Bool(false)),
            b'n' => word(self, "null", Scalar::Null),
            b'-' | b'0'..=b'9' => {
                let mut r = Reader {
                    text: self.text,
                    b: self.text.as_bytes(),
                    i: self.i,
                    depth: 0,
                };
                let lit = r.number().ok()?;
                self.i = r.i;
                Some(Scalar::Number(lit))
            }
            _ => None,
        }
    }

    /// A string without escapes or control characters, starting at its opening quote.
    fn string(&mut self) -> Option<&'a str> {
        let start = self.i.saturating_add(1);
        let rest = self.text.as_bytes().get(start..)?;
        let len = rest
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
        if rest.get(len) != Some(&b'"') {
            return None;
        }
        let end = start.saturating_add(len);
        self.i = end.saturating_add(1);
        // The run ends at an ASCII quote, so it is whole characters.
        self.text.get(start..end)
    }

    /// Only white space is left.
    pub(crate) fn end(&mut self) -> Option<()> {
        self.skip_ws();
        (self.i == self.text.len()).then_some(())
    }
}

// ---------------------------------------------------------------------------------------------
// Writing

/// Something with a JSON form.
pub trait ToJson {
    /// Writes the value at the writer's current position.
    fn write_json(&self, w: &mut JsonWriter);

    /// Compact JSON text.
    fn to_json(&self) -> String {
        let mut w = JsonWriter::default();
        self.write_json(&mut w);
        w.finish()
    }

    /// JSON text indented by two spaces, one member or element per line.
    fn to_json_pretty(&self) -> String {
        pretty(&self.to_json())
    }
}

/// Appends compact JSON to a buffer. Separators are implied: every value and key written after
/// another one in the same array or object gets its comma.
#[derive(Default)]
pub struct JsonWriter {
    /// Always valid UTF-8: only the bytes of `&str`s and ASCII bytes are appended.
    out: Vec<u8>,
}

impl JsonWriter {
    /// A writer with room for `n` bytes.
    pub fn with_capacity(n: usize) -> Self {
        JsonWriter {
            out: Vec::with_capacity(n),
        }
    }

    /// The text written.
    #[allow(unsafe_code)]
    pub fn finish(self) -> String {
        // SAFETY: every method appends either the bytes of a `&str` or ASCII bytes (the only
        // writes to `out` are in this impl and `push_escaped`), so `out` is valid UTF-8. Checking
        // the 7 KB of a report again cost more than scoring a third of its items.
        unsafe { String::from_utf8_unchecked(self.out) }
    }

    /// A comma, unless this is the first thing in an array or object, or follows a key.
    #[inline]
    fn sep(&mut self) {
        if !matches!(self.out.last(), None | Some(b'{' | b'[' | b':')) {
            self.out.push(b',');
        }
    }

    /// Opens an object.
    pub fn begin_object(&mut self) {
        self.sep();
        self.out.push(b'{');
    }

    /// Closes an object.
    pub fn end_object(&mut self) {
        self.out.push(b'}');
    }

    /// Opens an array.
    pub fn begin_array(&mut self) {
        self.sep();
        self.out.push(b'[');
    }

    /// Closes an array.
    pub fn end_array(&mut self) {
        self.out.push(b']');
    }

    /// A member's key, any text; its value follows.
    pub fn key(&mut self, key: &str) {
        self.string(key);
        self.out.push(b':');
    }

    /// A member named by a key known when writing the code (plain ASCII: no escaping needed).
    pub fn field<T: ToJson + ?Sized>(&mut self, key: &'static str, value: &T) {
        debug_assert!(!needs_escape(key.as_bytes()));
        self.sep();
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\":");
        value.write_json(self);
    }

    /// A member, left out when `value` is `None`.
    pub fn field_opt<T: ToJson>(&mut self, key: &'static str, value: &Option<T>) {
        if let Some(v) = value {
            self.field(key, v);
        }
    }

    /// `null`.
    pub fn null(&mut self) {
        self.sep();
        self.out.extend_from_slice(b"null");
    }

    /// Text already in JSON form (a number literal, or a value written elsewhere).
    pub fn raw(&mut self, json: &str) {
        self.sep();
        self.out.extend_from_slice(json.as_bytes());
    }

    /// A whole number.
    pub fn integer(&mut self, n: u64) {
        self.sep();
        let mut buf = [0u8; 40];
        self.out.extend_from_slice(crate::decimal::format_decimal(
            rust_decimal::Decimal::from(n),
            &mut buf,
        ));
    }

    /// A quoted decimal with exactly its scale's places (`"97.50"`).
    pub fn decimal(&mut self, d: rust_decimal::Decimal) {
        self.sep();
        let mut buf = [0u8; 40];
        self.out.push(b'"');
        self.out
            .extend_from_slice(crate::decimal::format_decimal(d, &mut buf));
        self.out.push(b'"');
    }

    /// A string, escaped.
    pub fn string(&mut self, s: &str) {
        self.sep();
        self.out.reserve(s.len().saturating_add(2));
        self.out.push(b'"');
        push_escaped(&mut self.out, s);
        self.out.push(b'"');
    }

    /// An array of the items.
    pub fn array<T: ToJson>(&mut self, items: &[T]) {
        self.begin_array();
        for item in items {
            item.write_json(self);
        }
        self.end_array();
    }
}

/// Appends `s` with `"`, `\` and control characters escaped as serde_json escapes them.
fn push_escaped(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    if !needs_escape(bytes) {
        out.extend_from_slice(bytes);
        return;
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(bytes.get(start..i).unwrap_or_default());
        if esc.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'));
            out.push(HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0'));
        } else {
            out.extend_from_slice(esc);
        }
        start = i.saturating_add(1);
    }
    out.extend_from_slice(bytes.get(start..).unwrap_or_default());
}

/// Whether any byte is `"`, `\\` or a control character, eight bytes at a time: report text is
/// mostly Chinese (bytes >= 0x80), and checking byte by byte was a tenth of a `score` call.
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Some byte of x is zero / below n (n <= 128): the classic bit tricks, exact as a whole.
    let below = |x: u64, n: u64| x.wrapping_sub(ONES.wrapping_mul(n)) & !x & HIGH != 0;
    let special =
        |x: u64| below(x, 0x20) || below(x ^ (ONES * 0x22), 1) || below(x ^ (ONES * 0x5c), 1);
    let mut chunks = bytes.chunks_exact(8);
    let word = |c: &[u8]| <[u8; 8]>::try_from(c).map_or(0, u64::from_le_bytes);
    if chunks.by_ref().any(|c| special(word(c))) {
        return true;
    }
    let rest = chunks.remainder();
    // The tail, padded with a harmless byte, as one more word.
    let mut last = [b'a'; 8];
    for (slot, &b) in last.iter_mut().zip(rest) {
        *slot = b;
    }
    special(u64::from_le_bytes(last))
}

/// Re-indents compact JSON text: two spaces per level, `": "` after keys, empty arrays and
/// objects as `[]` and `{}`.
pub fn pretty(compact: &str) -> String {
    let b = compact.as_bytes();
    let mut out = String::with_capacity(compact.len().saturating_mul(3) / 2);
    let mut level = 0usize;
    let mut in_string = false;
    let mut start = 0;
    let newline = |out: &mut String, level: usize| {
        out.push('\n');
        for _ in 0..level {
            out.push_str("  ");
        }
    };
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if in_string {
            match c {
                b'\\' => i = i.saturating_add(1),
                b'"' => in_string = false,
                _ => {}
            }
            i = i.saturating_add(1);
            continue;
        }
        let text = |from: usize, to: usize| compact.get(from..to).unwrap_or_default();
        match c {
            b'"' => in_string = true,
            b'{' | b'[' => {
                out.push_str(text(start, i.saturating_add(1)));
                let close = if c == b'{' { b'}' } else { b']' };
                if b.get(i.saturating_add(1)) == Some(&close) {
                    out.push(char::from(close));
                    i = i.saturating_add(1);
                } else {
                    level = level.saturating_add(1);
                    newline(&mut out, level);
                }
                start = i.saturating_add(1);
            }
            b'}' | b']' => {
                out.push_str(text(start, i));
                level = level.saturating_sub(1);
                newline(&mut out, level);
                out.push(char::from(c));
                start = i.saturating_add(1);
            }
            b',' => {
                out.push_str(text(start, i.saturating_add(1)));
                newline(&mut out, level);
                start = i.saturating_add(1);
            }
            b':' => {
                out.push_str(text(start, i.saturating_add(1)));
                out.push(' ');
                start = i.saturating_add(1);
            }
            _ => {}
        }
        i = i.saturating_add(1);
    }
    out.push_str(compact.get(start..).unwrap_or_default());
    out
}

// ToJson for the building blocks.

impl ToJson for str {
    fn write_json(&self, w: &mut JsonWriter) {
        w.string(self);
    }
}

impl ToJson for String {
    fn write_json(&self, w: &mut JsonWriter) {
        w.string(self);
    }
}

impl ToJson for bool {
    fn write_json(&self, w: &mut JsonWriter) {
        w.raw(if *self { "true" } else { "false" });
    }
}

impl ToJson for u32 {
    fn write_json(&self, w: &mut JsonWriter) {
        w.integer(u64::from(*self));
    }
}

impl ToJson for usize {
    fn write_json(&self, w: &mut JsonWriter) {
        w.integer(*self as u64);
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, w: &mut JsonWriter) {
        match self {
            Some(v) => v.write_json(w),
            None => w.null(),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, w: &mut JsonWriter) {
        w.array(self);
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, w: &mut JsonWriter) {
        w.array(self);
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, w: &mut JsonWriter) {
        (**self).write_json(w);
    }
}

impl ToJson for BTreeMap<String, String> {
    fn write_json(&self, w: &mut JsonWriter) {
        w.begin_object();
        for (k, v) in self {
            w.key(k);
            w.string(v);
        }
        w.end_object();
    }
}

impl ToJson for Value {
    fn write_json(&self, w: &mut JsonWriter) {
        match self {
            Value::Null => w.null(),
            Value::Bool(b) => b.write_json(w),
            Value::Number(n) => w.raw(&n.0),
            Value::String(s) => w.string(s),
            Value::Array(items) => w.array(items),
            Value::Object(m) => {
                w.begin_object();
                for (k, v) in m {
                    w.key(k);
                    v.write_json(w);
                }
                w.end_object();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> (SyntaxErrorKind, usize, usize) {
        let e = parse(text).expect_err(text);
        (e.kind, e.line, e.column)
    }

    #[test]
    fn reads_values_keeping_number_literals() {
        let v = parse(
            r#" {"a": [1, -2.50, 1E3, true, null], "b": "x\"\u00e9\ud83d\ude00\n", "a": 0} "#,
        )
        .expect("valid");
        assert_eq!(v.get("a"), Some(&Value::Number(Number("0".into()))));
        assert_eq!(v.get("b").and_then(Value::as_str), Some("x\"é😀\n"));
        let v = parse("[1, -2.50, 1E3, true, null, {}]").expect("valid");
        assert_eq!(v.to_json(), "[1,-2.50,1E3,true,null,{}]");
    }

    #[test]
    fn refuses_what_json_does_not_allow() {
        for bad in [
            "",
            "[1,]",
            "{\"a\" 1}",
            "{a:1}",
            "01",
            "1.",
            ".5",
            "+1",
            "1e",
            "-",
            "[1] x",
            "\"\\x\"",
            "\"a\nb\"",
            "tru",
            "nul",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "[",
            "{\"a\":",
            "\"abc",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} should fail");
        }
    }

    #[test]
    fn positions_name_line_and_character() {
        assert_eq!(err("{\"a\": 1\n"), (SyntaxErrorKind::Eof, 2, 0));
        assert_eq!(err("{\"名称\": x}").1, 1);
        assert_eq!(err("{\"名称\": x}").2, 8);
        let deep = "[".repeat(200);
        assert_eq!(err(&deep), (SyntaxErrorKind::TooDeep, 1, 128));
        assert!(parse(&format!("{}{}", "[".repeat(127), "]".repeat(127))).is_ok());
    }

    #[test]
    fn scan_reads_plain_documents_and_gives_up_on_the_rest() {
        let mut s = Scan::new(r#" {"a": -1.5e2, "b" : "中文", "c": {"d": null}, "e": true} "#);
        s.begin_object().expect("{");
        assert_eq!(s.key(true), Some(Some("a")));
        assert_eq!(s.scalar(), Some(Scalar::Number("-1.5e2")));
        assert_eq!(s.key(false), Some(Some("b")));
        assert_eq!(s.scalar(), Some(Scalar::Str("中文")));
        assert_eq!(s.key(false), Some(Some("c")));
        s.begin_object().expect("{");
        assert_eq!(s.key(true), Some(Some("d")));
        assert_eq!(s.scalar(), Some(Scalar::Null));
        assert_eq!(s.key(false), Some(None));
        assert_eq!(s.key(false), Some(Some("e")));
        assert_eq!(s.scalar(), Some(Scalar::Bool(true)));
        assert_eq!(s.key(false), Some(None));
        assert_eq!(s.end(), Some(()));
        for bad in [r#""a\"b""#, "[1]", "01", "1.", "tru", "\"a\nb\"", "nul"] {
            let mut s = Scan::new(bad);
            assert!(s.scalar().is_none() || s.end().is_none(), "{bad}");
        }
        let mut s = Scan::new(r#"{"a": 1 "b": 2}"#);
        s.begin_object().expect("{");
        assert_eq!(s.key(true), Some(Some("a")));
        assert!(s.scalar().is_some());
        assert_eq!(s.key(false), None);
    }

    #[test]
    fn escape_check_finds_every_special_byte() {
        for len in 0..40 {
            for pos in 0..len {
                for special in [b'"', b'\\', 0u8, 0x1f, b'\n'] {
                    let mut bytes = vec![0xe4u8; len];
                    assert!(!needs_escape(&bytes));
                    bytes[pos] = special;
                    assert!(needs_escape(&bytes), "{len} {pos} {special}");
                }
                let mut bytes = vec![b'a'; len];
                bytes[pos] = 0x20;
                assert!(!needs_escape(&bytes));
                bytes[pos] = 0x7f;
                assert!(!needs_escape(&bytes));
            }
        }
    }

    #[test]
    fn writes_and_reindents_like_serde_json() {
        let v = parse(r#"{"b":[],"a":{"x":[1,{"y":"q\"\\\u0001\t"}],"e":{}}}"#).expect("valid");
        assert_eq!(
            v.to_json(),
            r#"{"a":{"e":{},"x":[1,{"y":"q\"\\\u0001\t"}]},"b":[]}"#
        );
        assert_eq!(
            v.to_json_pretty(),
            "{\n  \"a\": {\n    \"e\": {},\n    \"x\": [\n      1,\n      {\n        \"y\": \"q\\\"\\\\\\u0001\\t\"\n      }\n    ]\n  },\n  \"b\": []\n}"
        );
    }
}
