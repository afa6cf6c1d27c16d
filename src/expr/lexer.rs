//! Lexing, on demand: the compiler asks for one token at a time, so that an error early in the
//! source is reported before one late in it.

use super::{ExprError, syntax};
use rust_decimal::Decimal;

/// Longest source excerpt quoted in a message, in characters.
const SNIPPET: usize = 30;

/// Characters people type by mistake with a Chinese input method, and what to type instead.
fn half_width_hint(c: char) -> Option<&'static str> {
    Some(match c {
        '（' => "(",
        '）' => ")",
        '，' | '、' => ",",
        '＋' => "+",
        '－' | '—' => "-",
        '＊' | '×' => "*",
        '／' | '÷' => "/",
        '＜' | '《' => "<",
        '＞' | '》' => ">",
        '≤' => "<=",
        '≥' => ">=",
        '≠' => "!=",
        '＝' => "==",
        '！' => "!",
        '＆' => "&&",
        '｜' => "||",
        '“' | '”' | '＂' => "\"",
        '．' | '。' => ".",
        _ => return None,
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Sym {
    Plus,
    Minus,
    Star,
    Slash,
    Lt,
    Le,
    Gt,
    Ge,
    EqEq,
    Ne,
    AndAnd,
    OrOr,
    Bang,
}

impl Sym {
    pub(super) fn text(self) -> &'static str {
        match self {
            Sym::Plus => "+",
            Sym::Minus => "-",
            Sym::Star => "*",
            Sym::Slash => "/",
            Sym::Lt => "<",
            Sym::Le => "<=",
            Sym::Gt => ">",
            Sym::Ge => ">=",
            Sym::EqEq => "==",
            Sym::Ne => "!=",
            Sym::AndAnd => "&&",
            Sym::OrOr => "||",
            Sym::Bang => "!",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Tok {
    Num(Decimal),
    Str(String),
    Ident(String),
    Sym(Sym),
    LParen,
    RParen,
    Comma,
    End,
}

#[derive(Clone, Debug)]
pub(super) struct Token {
    pub(super) tok: Tok,
    /// Character offsets: `start..end`.
    pub(super) start: usize,
    pub(super) end: usize,
}

pub(super) struct Lexer {
    pub(super) chars: Vec<char>,
    pub(super) pos: usize,
}

impl Lexer {
    fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    fn text(&self, start: usize, end: usize) -> String {
        self.chars
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .collect()
    }

    /// The source between two offsets, shortened for a message.
    pub(super) fn snippet(&self, start: usize, end: usize) -> String {
        let slice = self.chars.get(start..end).unwrap_or_default();
        let mut s: String = slice.iter().take(SNIPPET).collect();
        if slice.len() > SNIPPET {
            s.push('…');
        }
        s
    }

    pub(super) fn next(&mut self) -> Result<Token, ExprError> {
        while self.at(self.pos).is_some_and(char::is_whitespace) {
            self.pos = self.pos.saturating_add(1);
        }
        let start = self.pos;
        let tok = |tok, end| Ok(Token { tok, start, end });
        let Some(c) = self.at(start) else {
            return tok(Tok::End, start);
        };
        if c.is_ascii_digit() {
            return self.number(start);
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let mut i = start;
            while self
                .at(i)
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                i = i.saturating_add(1);
            }
            self.pos = i;
            return tok(Tok::Ident(self.text(start, i)), i);
        }
        if c == '"' {
            let mut i = start.saturating_add(1);
            while self.at(i).is_some_and(|c| c != '"') {
                i = i.saturating_add(1);
            }
            if self.at(i).is_none() {
                return Err(syntax(start, "字符串缺少结束的双引号「\"」".into()));
            }
            self.pos = i.saturating_add(1);
            return tok(
                Tok::Str(self.text(start.saturating_add(1), i)),
                i.saturating_add(1),
            );
        }
        let next = self.at(start.saturating_add(1));
        let (t, len) = match (c, next) {
            ('<', Some('=')) => (Tok::Sym(Sym::Le), 2),
            ('>', Some('=')) => (Tok::Sym(Sym::Ge), 2),
            ('=', Some('=')) => (Tok::Sym(Sym::EqEq), 2),
            ('!', Some('=')) => (Tok::Sym(Sym::Ne), 2),
            ('&', Some('&')) => (Tok::Sym(Sym::AndAnd), 2),
            ('|', Some('|')) => (Tok::Sym(Sym::OrOr), 2),
            ('<', _) => (Tok::Sym(Sym::Lt), 1),
            ('>', _) => (Tok::Sym(Sym::Gt), 1),
            ('!', _) => (Tok::Sym(Sym::Bang), 1),
            ('+', _) => (Tok::Sym(Sym::Plus), 1),
            ('-', _) => (Tok::Sym(Sym::Minus), 1),
            ('*', _) => (Tok::Sym(Sym::Star), 1),
            ('/', _) => (Tok::Sym(Sym::Slash), 1),
            ('(', _) => (Tok::LParen, 1),
            (')', _) => (Tok::RParen, 1),
            (',', _) => (Tok::Comma, 1),
            _ => return Err(self.bad_char(c, start)),
        };
        self.pos = start.saturating_add(len);
        tok(t, start.saturating_add(len))
    }

    fn bad_char(&self, c: char, at: usize) -> ExprError {
        let message = match c {
            '=' => "单个「=」不是运算符，比较相等请用「==」".to_string(),
            '&' => "单个「&」不是运算符，“并且”请用「&&」".to_string(),
            '|' => "单个「|」不是运算符，“或者”请用「||」".to_string(),
            '\'' => "字符串请用半角双引号「\"」括起".to_string(),
            '.' if self
                .at(at.saturating_add(1))
                .is_some_and(|c| c.is_ascii_digit()) =>
            {
                "数值不能以小数点开头，请在前面补0（如 0.5）".to_string()
            }
            _ => match half_width_hint(c) {
                Some(h) => format!("无法识别的全角字符「{c}」，请改用半角「{h}」"),
                None if !c.is_ascii() => format!(
                    "无法识别的字符「{c}」（输入项须用其 id 引用，id 由英文字母、数字和下划线组成）"
                ),
                None => format!("无法识别的字符「{c}」"),
            },
        };
        syntax(at, message)
    }

    fn number(&mut self, start: usize) -> Result<Token, ExprError> {
        let mut i = start;
        while self.at(i).is_some_and(|c| c.is_ascii_digit()) {
            i = i.saturating_add(1);
        }
        if self.at(i) == Some('.') {
            i = i.saturating_add(1);
            if !self.at(i).is_some_and(|c| c.is_ascii_digit()) {
                return Err(syntax(
                    i.saturating_sub(1),
                    format!("数值「{}」的小数点后缺少数字", self.snippet(start, i)),
                ));
            }
            while self.at(i).is_some_and(|c| c.is_ascii_digit()) {
                i = i.saturating_add(1);
            }
        }
        if let Some(c) = self.at(i)
            && (c.is_ascii_alphabetic() || c == '_' || c == '.')
        {
            let message = if c == '.' {
                format!("数值「{}」后多了一个小数点", self.snippet(start, i))
            } else {
                format!(
                    "数值「{}」后不能紧跟「{c}」（缺少运算符？不支持科学计数法）",
                    self.snippet(start, i)
                )
            };
            return Err(syntax(i, message));
        }
        self.pos = i;
        // Leading zeros of the integer part carry no information; drop them before the
        // (bounded) exact parse so that a pathological literal costs nothing.
        let digits = self.chars.get(start..i).unwrap_or_default();
        let skip = digits.iter().take_while(|c| **c == '0').count().min(
            digits
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count()
                .saturating_sub(1),
        );
        let text: String = digits.get(skip..).unwrap_or_default().iter().collect();
        let value = if text.len() > 64 {
            None
        } else {
            Decimal::from_str_exact(&text).ok()
        };
        match value {
            // The same bound as every other decimal of a rule set: a literal near
            // `Decimal::MAX` would pass through `if`, `-` or `min` unchecked and reach a
            // report with fewer places than the scale.
            Some(d) if d.abs() > crate::decimal::MAX_MAGNITUDE => Err(syntax(
                start,
                format!(
                    "数值「{}」超出可接受范围（绝对值不超过10¹²）",
                    self.snippet(start, i)
                ),
            )),
            Some(d) => Ok(Token {
                tok: Tok::Num(d),
                start,
                end: i,
            }),
            None => Err(syntax(
                start,
                format!(
                    "数值「{}」{}",
                    self.snippet(start, i),
                    crate::decimal::why_not_decimal(&text)
                ),
            )),
        }
    }
}

pub(super) fn tok_text(t: &Tok) -> String {
    match t {
        Tok::Num(d) => d.to_string(),
        Tok::Str(s) => format!("\"{s}\""),
        Tok::Ident(s) => s.clone(),
        Tok::Sym(s) => s.text().to_string(),
        Tok::LParen => "(".into(),
        Tok::RParen => ")".into(),
        Tok::Comma => ",".into(),
        Tok::End => "表达式结尾".into(),
    }
}
