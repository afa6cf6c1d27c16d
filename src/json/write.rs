//! Writing JSON: [`ToJson`] and the [`JsonWriter`] every output goes through.

use super::{Map, Value};
use crate::decimal::Amount;
use std::collections::BTreeMap;

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

/// `ToJson` for a struct written as a JSON object, its members in the order listed, each named
/// after its field:
///
/// - `field`: always written;
/// - `field?`: left out when `None`;
/// - `field [nonempty]`: left out when empty;
/// - `field [if_false]`: written only when false (a flag whose default is true);
/// - `field as "name"`: written under another name.
///
/// ```ignore
/// json_object!(SectionReport<'_> { id, title, points, out_of?, score, lines, items });
/// ```
macro_rules! json_object {
    ($ty:ty { $($fields:tt)* }) => {
        impl $crate::json::ToJson for $ty {
            fn write_json(&self, w: &mut $crate::json::JsonWriter) {
                w.begin_object();
                $crate::json::json_object!(@fields self w $($fields)*);
                w.end_object();
            }
        }
    };
    (@fields $s:ident $w:ident) => {};
    (@fields $s:ident $w:ident $field:ident ? $(, $($rest:tt)*)?) => {
        $w.field_opt(stringify!($field), &$s.$field);
        $crate::json::json_object!(@fields $s $w $($($rest)*)?);
    };
    (@fields $s:ident $w:ident $field:ident ? as $name:literal $(, $($rest:tt)*)?) => {
        $w.field_opt($name, &$s.$field);
        $crate::json::json_object!(@fields $s $w $($($rest)*)?);
    };
    (@fields $s:ident $w:ident $field:ident [nonempty] $(, $($rest:tt)*)?) => {
        if !$s.$field.is_empty() {
            $w.field(stringify!($field), &$s.$field);
        }
        $crate::json::json_object!(@fields $s $w $($($rest)*)?);
    };
    (@fields $s:ident $w:ident $field:ident [if_false] $(, $($rest:tt)*)?) => {
        if !$s.$field {
            $w.field(stringify!($field), &$s.$field);
        }
        $crate::json::json_object!(@fields $s $w $($($rest)*)?);
    };
    (@fields $s:ident $w:ident $field:ident [if_true] $(, $($rest:tt)*)?) => {
        if $s.$field {
            $w.field(stringify!($field), &$s.$field);
        }
        $crate::json::json_object!(@fields $s $w $($($rest)*)?);
    };
    (@fields $s:ident $w:ident $field:ident as $name:literal $(, $($rest:tt)*)?) => {
        $w.field($name, &$s.$field);
        $crate::json::json_object!(@fields $s $w $($($rest)*)?);
    };
    (@fields $s:ident $w:ident $field:ident $(, $($rest:tt)*)?) => {
        $w.field(stringify!($field), &$s.$field);
        $crate::json::json_object!(@fields $s $w $($($rest)*)?);
    };
}
pub(crate) use json_object;

/// `ToJson` for enums written as a JSON string, their `as_str()`.
macro_rules! json_str {
    ($($ty:ty),*) => {$(
        impl $crate::json::ToJson for $ty {
            fn write_json(&self, w: &mut $crate::json::JsonWriter) {
                w.string(self.as_str());
            }
        }
    )*};
}
pub(crate) use json_str;

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
pub(super) fn needs_escape(bytes: &[u8]) -> bool {
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

impl ToJson for Amount {
    fn write_json(&self, w: &mut JsonWriter) {
        w.decimal(self.value());
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
            Value::Object(m) => m.write_json(w),
        }
    }
}

impl ToJson for Map {
    fn write_json(&self, w: &mut JsonWriter) {
        w.begin_object();
        for (k, v) in self {
            w.key(k);
            v.write_json(w);
        }
        w.end_object();
    }
}

impl std::fmt::Display for Value {
    /// Compact JSON text.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_json())
    }
}
