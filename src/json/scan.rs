//! Scanning shallow documents without building values (the plain submission reader).

use super::parse::Reader;

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
                let mut r = Reader::at(self.text, self.i);
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
