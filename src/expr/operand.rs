//! The compiler's working types: a sub-expression's static type and span (an operand), and an
//! operator or bracket waiting for its operands.

use super::lexer::Sym;
use super::{Func, Value};

/// The static type of a sub-expression while compiling.
#[derive(Clone, Copy, Debug)]
pub(super) enum Ty<'s> {
    Number,
    Bool,
    /// A bare choice input or, when the flag is set, a choice field of the row (index, options):
    /// usable only in `== "option"`. Emits no code.
    Choice(usize, &'s [String], bool),
    /// A string literal: usable only against a choice input. Emits no code.
    Str,
    /// A record list (its slot): usable only as a list function's first argument. Emits no code.
    List(usize),
}

pub(super) fn describe(ty: Ty<'_>) -> &'static str {
    match ty {
        Ty::Number => "数值",
        Ty::Bool => "条件（真/假）",
        Ty::Choice(..) => "选择类输入项",
        Ty::Str => "带引号的字符串",
        Ty::List(_) => "明细类输入项（records）",
    }
}

/// A compiled sub-expression: its type, its source span and where its code starts.
#[derive(Clone, Debug)]
pub(super) struct Opnd<'s> {
    pub(super) ty: Ty<'s>,
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) code_start: usize,
    /// The text of a string literal.
    pub(super) text: Option<String>,
    /// Its value, when it is a constant (literals and operations on them only). Used to refuse at
    /// load what would fail on every evaluation: a division by a constant zero, a constant beyond
    /// the bound of computed values. The code is not changed.
    pub(super) konst: Option<Value>,
}

/// An operator or bracket waiting for its operands while parsing.
#[derive(Clone, Copy, Debug)]
pub(super) enum Frame {
    /// `-` or `!` at `start`.
    Unary { neg: bool, start: usize },
    /// A binary operator at `at`; `jump` is the short-circuit jump of `&&` / `||`.
    Binary {
        sym: Sym,
        at: usize,
        jump: Option<usize>,
    },
    /// `(` at `start`.
    Paren { start: usize },
    /// `name(` at `start`; its arguments are the operands from `base` on. `list` is set for a
    /// list function once its first argument turned out to be a record list: the list's slot and
    /// where the row expression's code starts.
    Call {
        func: Func,
        start: usize,
        base: usize,
        code_start: usize,
        if_jumps: (Option<usize>, Option<usize>),
        list: Option<(usize, usize)>,
    },
}

impl Frame {
    /// Whether the frame counts as a nesting level.
    pub(super) fn nests(&self) -> bool {
        !matches!(self, Frame::Binary { .. })
    }
}

/// Binding strength of a binary operator (higher binds tighter), if `sym` is one.
pub(super) fn precedence(sym: Sym) -> Option<u8> {
    Some(match sym {
        Sym::OrOr => 1,
        Sym::AndAnd => 2,
        Sym::Lt | Sym::Le | Sym::Gt | Sym::Ge | Sym::EqEq | Sym::Ne => 3,
        Sym::Plus | Sym::Minus => 4,
        Sym::Star | Sym::Slash => 5,
        Sym::Bang => return None,
    })
}

pub(super) fn is_comparison(sym: Sym) -> bool {
    precedence(sym) == Some(3)
}
