//! What a text from a rule set or a submission may hold, and when two ids are the same.
//!
//! Texts reach terminals (`kpi score` prints titles, reasons and unit names), CSV files and web
//! pages. A control character (ESC, CR, NUL …) or a bidirectional-text control could redraw a
//! terminal line or reverse what a reader sees, so they are refused where the text is read
//! (`text.control`); long texts (basis, description, help, notes, text values) and expressions
//! may hold line breaks and tabs. Ids must also look like what they are: no white space at either
//! end and no invisible character (`id.invisible`), and two ids that differ only in case or width
//! (`u3`, `U3`, `ｕ３`) are the same id ([`fold_id`]).

use crate::code::Code;

/// Whether `c` is a bidirectional-text control: the Arabic letter mark, the left-to-right and
/// right-to-left marks, the embeddings and overrides (U+202A–U+202E) and the isolates
/// (U+2066–U+2069).
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` is invisible and has no width: zero-width space, non-joiner and joiner, word
/// joiner, and the byte-order mark used as a zero-width no-break space.
fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Whether `c` may not appear in a text: a C0 control (except a line break or tab in a long
/// text), DEL, a C1 control, or a bidirectional-text control.
fn is_unsafe(c: char, long: bool) -> bool {
    match c {
        '\n' | '\t' => !long,
        _ => c.is_control() || is_bidi(c),
    }
}

/// The first character a text may not hold, and its position (in characters); `long` allows line
/// breaks and tabs. Printable ASCII, the common case, is checked byte by byte.
pub(crate) fn control_in(s: &str, long: bool) -> Option<(usize, char)> {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return None;
    }
    s.chars().enumerate().find(|&(_, c)| is_unsafe(c, long))
}

/// Why an id is not acceptable, if it is not: white space at either end, or an invisible character
/// (control characters are [`control_in`]'s).
pub(crate) fn id_problem(s: &str) -> Option<String> {
    if s.trim() != s {
        return Some("首尾含有空白字符".into());
    }
    s.chars()
        .enumerate()
        .find(|&(_, c)| is_zero_width(c))
        .map(|(i, c)| {
            format!(
                "含有不可见字符 {}（第{}个字符）",
                code_point(c),
                i.saturating_add(1)
            )
        })
}

/// `U+001B`.
pub(crate) fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// What is wrong with a text, if anything: its code, the position (in characters) when one
/// character is the problem, and the rest of a message that starts by naming the text. `long`
/// allows line breaks and tabs; `id` asks for nothing invisible either.
pub(crate) fn text_problem(s: &str, long: bool, id: bool) -> Option<(Code, Option<usize>, String)> {
    if let Some((at, c)) = control_in(s, long) {
        let kind = if is_bidi(c) {
            "文字方向控制符"
        } else {
            "控制字符"
        };
        return Some((
            Code::TextControl,
            Some(at),
            format!(
                "含有{kind} {}（第{}个字符）；控制字符和改变文字方向的字符可能篡改显示的内容，不能使用",
                code_point(c),
                at.saturating_add(1)
            ),
        ));
    }
    if id {
        return id_problem(s).map(|why| (Code::IdInvisible, None, format!("{why}，请删去")));
    }
    None
}

/// The form in which two ids count as the same: full-width ASCII (U+FF01–U+FF5E) as ASCII, the
/// ideographic space as a space, then lower case for the Latin (ASCII, Latin-1, Latin
/// Extended-A), Greek and Cyrillic capitals. Not full Unicode NFKC and case folding, whose tables
/// would cost the WebAssembly module tens of kilobytes (measured in SECURITY.md): other
/// compatibility forms (circled digits, ligatures, superscripts), capitals of other scripts and
/// letters of different scripts that look alike (Cyrillic а, Latin a) stay different.
///
/// ```
/// assert_eq!(kpi_wasm::fold_id("ＹＰ－DQ"), kpi_wasm::fold_id("yp-dq"));
/// assert_eq!(kpi_wasm::fold_id("ÉCOLE"), "école");
/// assert_ne!(kpi_wasm::fold_id("u3"), kpi_wasm::fold_id("u4"));
/// ```
pub fn fold_id(id: &str) -> String {
    id.chars().map(fold_char).collect()
}

/// One character of [`fold_id`].
fn fold_char(c: char) -> char {
    let u = u32::from(c);
    let folded = match u {
        0xFF01..=0xFF5E => return fold_char(char::from_u32(u.saturating_sub(0xFEE0)).unwrap_or(c)),
        0x3000 => 0x20,
        // A–Z, À–Þ (not ×), Greek Α–Ω, Cyrillic А–Я: 32 code points up.
        0x41..=0x5A | 0xC0..=0xD6 | 0xD8..=0xDE | 0x391..=0x3A1 | 0x3A3..=0x3AB | 0x410..=0x42F => {
            u.saturating_add(32)
        }
        // Cyrillic Ѐ–Џ: 80 up.
        0x400..=0x40F => u.saturating_add(80),
        // Latin Extended-A pairs a capital with the small letter after it (Ā ā … Ķ ķ, Ŋ ŋ … Ŷ ŷ),
        // the capital on the even code point before U+0138 and on the odd one after it.
        // (İ is i with a dot: as i.)
        0x130 => 0x69,
        0x100..=0x137 | 0x14A..=0x177 if u % 2 == 0 => u.saturating_add(1),
        0x139..=0x148 | 0x179..=0x17E if u % 2 == 1 => u.saturating_add(1),
        0x178 => 0xFF,
        _ => u,
    };
    char::from_u32(folded).unwrap_or(c)
}

/// Ids seen so far, by their folded form: the first spelling of each, and what it named.
#[derive(Default)]
pub(crate) struct Ids {
    seen: std::collections::BTreeMap<String, (String, String)>,
}

impl Ids {
    /// Claims `id` for `what`; when an id that folds the same was claimed already, its spelling
    /// and what it named.
    pub(crate) fn claim(&mut self, id: &str, what: &str) -> Option<(&str, &str)> {
        use std::collections::btree_map::Entry;
        match self.seen.entry(fold_id(id)) {
            Entry::Vacant(v) => {
                v.insert((id.to_string(), what.to_string()));
                None
            }
            Entry::Occupied(o) => {
                let (spelling, what) = o.into_mut();
                Some((spelling.as_str(), what.as_str()))
            }
        }
    }
}

/// How a message names an id that repeats another: `「u3」` when spelled the same, else
/// `「U3」（与「u3」视为相同）`.
pub(crate) fn same_as(id: &str, first: &str) -> String {
    if id == first {
        format!("「{id}」")
    } else {
        format!("「{id}」（与「{first}」只差大小写或全角半角，视为相同）")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_found_where_they_are() {
        assert_eq!(control_in("plain text 文字", false), None);
        assert_eq!(control_in("a\u{1b}[2J", false), Some((1, '\u{1b}')));
        assert_eq!(control_in("总分\r", false), Some((2, '\r')));
        assert_eq!(control_in("a\u{85}", false), Some((1, '\u{85}')));
        assert_eq!(control_in("a\u{7f}", true), Some((1, '\u{7f}')));
        assert_eq!(control_in("\u{202E}cod.exe", true), Some((0, '\u{202E}')));
        assert_eq!(control_in("a\u{2066}b", true), Some((1, '\u{2066}')));
        assert_eq!(control_in("第一行\n\t第二行", true), None);
        assert_eq!(control_in("第一行\n第二行", false), Some((3, '\n')));
        assert_eq!(control_in("第一行\r\n第二行", true), Some((3, '\r')));
    }

    #[test]
    fn ids_must_look_like_what_they_are() {
        assert_eq!(id_problem("u3"), None);
        assert!(id_problem("u3 ").is_some());
        assert!(id_problem("\u{3000}u3").is_some());
        assert!(id_problem("u\u{200B}3").is_some_and(|m| m.contains("U+200B")));
        assert!(id_problem("u3\u{FEFF}").is_some());
    }

    #[test]
    fn look_alike_ids_fold_together() {
        let u3 = fold_id("u3");
        for same in ["U3", "ｕ３", "Ｕ3"] {
            assert_eq!(fold_id(same), u3, "{same}");
        }
        assert_eq!(fold_id("大桥　街道"), fold_id("大桥 街道"));
        assert_eq!(fold_id("ΣΑ"), fold_id("σα"));
        assert_eq!(fold_id("ДОМ"), "дом");
        assert_eq!(fold_id("ĀŁŽŸİ"), "āłžÿi");
        assert_eq!(fold_id("Ｕ３"), "u3");
        // Every capital this fold knows lowers as Unicode lowers it.
        for c in (0x41..0x180u32)
            .chain(0x391..0x3AC)
            .chain(0x400..0x430)
            .filter_map(char::from_u32)
        {
            let lower: Vec<char> = c.to_lowercase().collect();
            if fold_char(c) != c && c != '\u{130}' {
                assert_eq!(vec![fold_char(c)], lower, "{c}");
            }
        }
        // … and every such capital it does not lower is one Unicode lowers to something else.
        for c in (0x41..0x180u32).filter_map(char::from_u32) {
            let lower: String = c.to_lowercase().collect();
            if lower.chars().count() == 1 && lower != c.to_string() && c != '\u{130}' {
                assert_ne!(fold_char(c), c, "{c} is not lowered");
            }
        }
        assert_ne!(fold_id("u3"), fold_id("u 3"));
        let mut ids = Ids::default();
        assert_eq!(ids.claim("u3", "第1份"), None);
        assert_eq!(ids.claim("U3", "第2份"), Some(("u3", "第1份")));
        assert_eq!(ids.claim("u4", "第3份"), None);
    }
}
