//! Where a problem is in the text it came from: its JSON pointer resolved against the text by a
//! small position-tracking scan, plus the character offset inside the value a problem may carry
//! (the spot in an expression, or of a JSON syntax error). The engine keeps no positions (the
//! WebAssembly module gains nothing); the command line finds them when it shows a problem.

use kpi_wasm::{Code, Problem};
use std::ops::Range;

/// The spot to underline: a byte range of the text, and the 1-based line and column (in
/// characters) where it starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spot {
    pub bytes: Range<usize>,
    pub line: usize,
    pub column: usize,
}

/// Where `problem` is in `text`, or `None` when the text does not hold its path.
pub fn locate(text: &str, problem: &Problem) -> Option<Spot> {
    // The engine reads the text without a leading byte-order mark.
    let bom = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let body = text.get(bom..)?;
    let bytes = if problem.path.is_empty() {
        let at = char_at(body, problem.offset?)?;
        shift(one_char(body, at), bom)
    } else {
        let node = Scan::new(body).find(&segments(&problem.path)?)?;
        shift(node.underline(body, problem), bom)
    };
    Some(spot(text, bytes))
}

fn shift(r: Range<usize>, by: usize) -> Range<usize> {
    r.start + by..r.end + by
}

fn spot(text: &str, bytes: Range<usize>) -> Spot {
    let before = &text[..bytes.start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    let column = text[line_start..bytes.start].chars().count() + 1;
    Spot {
        bytes,
        line,
        column,
    }
}

/// The byte position of the `n`th character (the end of the text when there are `n` exactly).
fn char_at(text: &str, n: usize) -> Option<usize> {
    text.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .nth(n)
}

/// The character at byte `at` (an empty range at the end of the text).
fn one_char(text: &str, at: usize) -> Range<usize> {
    let len = text[at..].chars().next().map_or(0, char::len_utf8);
    at..at + len
}

/// The identifier or number starting at byte `at` (an input id, a function name, a literal), or
/// the one character there.
fn token(text: &str, at: usize) -> Range<usize> {
    let word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'.';
    let len = text.as_bytes()[at..].iter().take_while(|b| word(b)).count();
    if len == 0 {
        one_char(text, at)
    } else {
        at..at + len
    }
}

/// A JSON pointer's reference tokens, unescaped (RFC 6901).
fn segments(pointer: &str) -> Option<Vec<String>> {
    let rest = pointer.strip_prefix('/')?;
    Some(
        rest.split('/')
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .collect(),
    )
}

/// A value found by [`Scan::find`]: its member key, its span, and whether the whole pointer
/// resolved (otherwise this is the deepest ancestor that exists).
struct Node {
    key: Option<Range<usize>>,
    value: Range<usize>,
    complete: bool,
}

impl Node {
    /// What to underline for `problem`: the spot in a string (an expression's offset), the key of
    /// an unknown field or of an object or array, or the value itself.
    fn underline(&self, text: &str, problem: &Problem) -> Range<usize> {
        let opening = text.as_bytes().get(self.value.start).copied();
        if let (true, Some(offset), Some(b'"')) = (self.complete, problem.offset, opening)
            && let Some(at) = string_char_at(text, self.value.start, offset)
        {
            return token(text, at);
        }
        let container = matches!(opening, Some(b'{' | b'['));
        match (&self.key, problem.code) {
            (Some(key), Code::FieldUnknown) if self.complete => key.clone(),
            (Some(key), _) if container || !self.complete => key.clone(),
            (None, _) if container || !self.complete => one_char(text, self.value.start),
            _ => self.value.clone(),
        }
    }
}

/// The byte position of the `n`th decoded character of the JSON string starting at `quote`.
fn string_char_at(text: &str, quote: usize, n: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = quote + 1;
    for _ in 0..n {
        match *b.get(i)? {
            b'"' => return None,
            b'\\' if b.get(i + 1) == Some(&b'u') => {
                // A surrogate pair is one character.
                let high = text.get(i + 2..i + 6)?;
                let pair =
                    u16::from_str_radix(high, 16).is_ok_and(|u| (0xD800..0xDC00).contains(&u));
                i += if pair { 12 } else { 6 };
            }
            b'\\' => i += 2,
            _ => i += text[i..].chars().next()?.len_utf8(),
        }
    }
    (i < text.len()).then_some(i)
}

/// A member's key span (none for an array element) and its value's span.
type Member = (Option<Range<usize>>, Range<usize>);

/// The text of a JSON string's contents (between the quotes), escapes decoded.
fn unescape(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    let mut units: Vec<u16> = Vec::new();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.extend(char::decode_utf16(units.drain(..)).map(|r| r.unwrap_or('\u{fffd}')));
            out.push(c);
            continue;
        }
        let e = chars.next()?;
        if e == 'u' {
            let hex: String = chars.by_ref().take(4).collect();
            units.push(u16::from_str_radix(&hex, 16).ok()?);
            continue;
        }
        out.extend(char::decode_utf16(units.drain(..)).map(|r| r.unwrap_or('\u{fffd}')));
        out.push(match e {
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            other => other,
        });
    }
    out.extend(char::decode_utf16(units.drain(..)).map(|r| r.unwrap_or('\u{fffd}')));
    Some(out)
}

/// A cursor over JSON text the engine has already accepted.
struct Scan<'a> {
    text: &'a str,
    i: usize,
}

impl<'a> Scan<'a> {
    fn new(text: &'a str) -> Self {
        Scan { text, i: 0 }
    }

    fn byte(&self) -> Option<u8> {
        self.text.as_bytes().get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.byte(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    /// Follows `path` from the root value.
    fn find(mut self, path: &[String]) -> Option<Node> {
        self.ws();
        let mut node = Node {
            key: None,
            value: self.i..self.skip_from(self.i)?,
            complete: true,
        };
        for segment in path {
            self.i = node.value.start;
            match self.child(segment)? {
                Some((key, value)) => {
                    node = Node {
                        key,
                        value,
                        complete: true,
                    }
                }
                None => {
                    node.complete = false;
                    break;
                }
            }
        }
        Some(node)
    }

    /// The member or element `segment` of the object or array at the cursor (the last of
    /// repeated keys, as the engine keeps it); `Some(None)` when there is none.
    fn child(&mut self, segment: &str) -> Option<Option<Member>> {
        let open = self.byte()?;
        if open != b'{' && open != b'[' {
            return Some(None);
        }
        let index: Option<usize> = (open == b'[').then(|| segment.parse().ok()).flatten();
        self.i += 1;
        let mut found = None;
        let mut n = 0usize;
        loop {
            self.ws();
            if matches!(self.byte()?, b'}' | b']') {
                return Some(found);
            }
            let key = if open == b'{' {
                let start = self.i;
                let name = self.string()?;
                let span = start..self.i;
                self.ws();
                self.i += 1; // :
                self.ws();
                Some((name, span))
            } else {
                None
            };
            let start = self.i;
            let end = self.skip_from(start)?;
            let hit = match &key {
                Some((name, _)) => name == segment,
                None => index == Some(n),
            };
            if hit {
                found = Some((key.map(|(_, span)| span), start..end));
            }
            self.i = end;
            n += 1;
            self.ws();
            if self.byte() == Some(b',') {
                self.i += 1;
            }
        }
    }

    /// The end of the value starting at `start`.
    fn skip_from(&mut self, start: usize) -> Option<usize> {
        self.i = start;
        match self.byte()? {
            b'"' => {
                self.string()?;
            }
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.byte()? {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.i += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    self.i += 1;
                }
            }
            _ => {
                while self.byte().is_some_and(|b| {
                    !matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                }) {
                    self.i += 1;
                }
            }
        }
        Some(self.i)
    }

    /// A string at the cursor, decoded; the cursor ends after its closing quote.
    fn string(&mut self) -> Option<String> {
        let b = self.text.as_bytes();
        let start = self.i + 1;
        let mut i = start;
        while *b.get(i)? != b'"' {
            i += if b[i] == b'\\' { 2 } else { 1 };
        }
        self.i = i + 1;
        unescape(&self.text[start..i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, path: &str, code: Code, offset: Option<usize>) -> (usize, usize, String) {
        let mut p = Problem::new(code, path, "m");
        p.offset = offset;
        let s = locate(text, &p).expect("located");
        (s.line, s.column, text[s.bytes].to_string())
    }

    #[test]
    fn pointers_resolve_to_values_keys_and_spots() {
        let text = "{\n  \"a\": [1, {\"if\": \"x > \\\"y\\\" && 整改率 > 1\"}],\n  \"a\": {\"b\": 2},\n  \"z\": \"q\"\n}";
        // The last of repeated keys, as the engine keeps it; a container shows its key.
        assert_eq!(
            at(text, "/a", Code::FieldType, None),
            (3, 3, "\"a\"".into())
        );
        assert_eq!(at(text, "/a/b", Code::FieldType, None), (3, 14, "2".into()));
        // An unknown field shows its key; a missing one its parent.
        assert_eq!(
            at(text, "/z", Code::FieldUnknown, None),
            (4, 3, "\"z\"".into())
        );
        assert_eq!(
            at(text, "/a/nope", Code::FieldMissing, None),
            (3, 3, "\"a\"".into())
        );
        assert_eq!(
            at(text, "/nope", Code::FieldMissing, None),
            (1, 1, "{".into())
        );
    }

    #[test]
    fn offsets_count_decoded_characters() {
        let text = "{\"e\": [\"a \\\"b\\\" 整改 \\u6574 x\"]}";
        // a, space, ", b, ", space, 整, 改, space, 整(escaped), space, x
        assert_eq!(at(text, "/e/0", Code::ExprSyntax, Some(0)).2, "a");
        assert_eq!(at(text, "/e/0", Code::ExprSyntax, Some(2)).2, "\\");
        assert_eq!(at(text, "/e/0", Code::ExprSyntax, Some(6)).2, "整");
        assert_eq!(at(text, "/e/0", Code::ExprSyntax, Some(9)).2, "\\");
        assert_eq!(at(text, "/e/0", Code::ExprSyntax, Some(11)).2, "x");
        // An identifier is underlined whole.
        assert_eq!(
            at("[\"a + plan_mad\"]", "/0", Code::ExprUnknownId, Some(4)).2,
            "plan_mad"
        );
        // Past the last character: the closing quote.
        assert_eq!(at(text, "/e/0", Code::ExprSyntax, Some(12)).2, "\"");
        // A syntax error's offset is in the whole document.
        assert_eq!(
            at("[1,\n 2 x]", "", Code::JsonSyntax, Some(7)),
            (2, 4, "x".into())
        );
    }
}
