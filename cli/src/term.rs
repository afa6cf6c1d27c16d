//! What the command line prints comes partly from files it did not write: titles, reasons, unit
//! names, file names, the lines of a rule file. The engine refuses control characters in rule
//! sets and submissions, but a message may still quote a refused value, a file name may hold
//! anything, and a rule file shown by `kpi check` is shown as it is. So every such text passes
//! through [`esc`] before it reaches the terminal: one helper, used for every table, message,
//! progress line, diagnostic and test result.

use std::borrow::Cow;

/// Whether `c` could change what a terminal shows beyond its own glyph: a C0 or C1 control (ESC
/// starts escape sequences, CR returns to the start of the line), DEL, a bidirectional-text
/// control, a zero-width character, or a line or paragraph separator.
fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// The text with every character that could change what a terminal shows written out visibly:
/// `\n`, `\t`, `\r`, or `\u{1b}`. Borrowed unchanged when there is none, as for every valid rule
/// set and submission.
pub fn esc(s: &str) -> Cow<'_, str> {
    if !s.chars().any(unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if unsafe_char(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// [`esc`] for a text made of lines: the line breaks stay, everything else is escaped.
pub fn esc_lines(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c != '\n' && unsafe_char(c)) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.split('\n').map(esc).collect::<Vec<_>>().join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_shown_not_obeyed() {
        assert!(matches!(esc("大桥街道 91.46"), Cow::Borrowed(_)));
        assert_eq!(esc("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(esc("总分\r优秀"), "总分\\r优秀");
        assert_eq!(esc("x\ty\nz"), "x\\ty\\nz");
        assert_eq!(esc("\u{202e}exe.doc"), "\\u{202e}exe.doc");
        assert_eq!(esc("a\u{85}\u{9b}b"), "a\\u{85}\\u{9b}b");
        assert_eq!(esc("u\u{200b}3"), "u\\u{200b}3");
        assert_eq!(esc_lines("一\n二\u{1b}\n三"), "一\n二\\u{1b}\n三");
    }
}
