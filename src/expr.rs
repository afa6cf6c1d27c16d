//! The expression language of rule sets: a small, total, side-effect-free language over decimals
//! and booleans (`hazards_fixed / hazards_found * 100`, `!plan_made`, `level == "一级"`).
//!
//! Expressions are parsed and type-checked once, when a rule set loads, with input names resolved
//! to indices, and compiled to a flat postfix program with forward jumps (for `&&`, `||` and
//! `if`). Evaluation runs that program on a small fixed-size stack: it never recurses, never
//! allocates, never loops (every jump goes forward) and never panics. Division by zero gives
//! [`Outcome::Undefined`], an empty input [`Outcome::Pending`], and an overflow
//! [`EvalError::Overflow`].
//!
//! Compiling does not recurse either: an operator-precedence parser keeps pending operators
//! and operands on heap stacks, so hostile nesting cannot exhaust the call stack. Nesting is
//! still limited to [`MAX_DEPTH`] levels (parentheses, function calls and unary operators each
//! count one), and sources longer than [`MAX_LENGTH`] characters are refused before anything
//! else is looked at.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::limits::{MAX_EXPR_DEPTH as MAX_DEPTH, MAX_EXPR_LENGTH as MAX_LENGTH};
/// Largest evaluation stack a compiled expression may need. Expressions within [`MAX_DEPTH`]
/// need far less (about four slots per nesting level); the check guards the evaluator anyway.
const MAX_STACK: usize = 256;
/// Longest source excerpt quoted in a message, in characters.
const SNIPPET: usize = 30;

/// What the scope knows about an input.
#[derive(Clone, Copy, Debug)]
pub enum InputKind<'a> {
    /// A decimal (count, number, percent).
    Number,
    /// True or false.
    Bool,
    /// One of these options.
    Choice(&'a [String]),
    /// Free text: never usable in an expression.
    Text,
}

/// Resolves identifiers at compile time.
pub trait Scope {
    /// Index and kind of the input named `name`, if there is one.
    fn lookup(&self, name: &str) -> Option<(usize, InputKind<'_>)>;
}

/// Static type of an expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    /// A decimal.
    Number,
    /// A condition (true or false).
    Bool,
}

impl Type {
    fn name(self) -> &'static str {
        match self {
            Type::Number => "数值",
            Type::Bool => "条件（真/假）",
        }
    }
}

/// A compile problem.
///
/// `message` is Simplified Chinese, names the offending token or identifier and ends with its
/// position (`（第N个字符）`, 1-based); `offset` is the same position as a 0-based character offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExprError {
    /// Stable code: `expr.syntax`, `expr.unknown_id`, `expr.type`, `expr.arity`, `expr.too_long`,
    /// `expr.too_deep` or `expr.empty`.
    pub code: &'static str,
    /// Explanation naming the offending token and its position (第N个字符).
    pub message: String,
    /// Character offset (0-based) of the problem.
    pub offset: usize,
}

/// A runtime value of an input. `Choice` holds the option index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    /// A decimal.
    Number(Decimal),
    /// A condition.
    Bool(bool),
    /// The index of the chosen option.
    Choice(usize),
}

/// The result of evaluating an expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome<T = Value> {
    /// The value.
    Known(T),
    /// Division by zero somewhere on the evaluated path (or an aggregate over no peers).
    Undefined,
    /// An empty input, or a batch aggregate outside a batch.
    Pending,
}

/// An evaluation failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EvalError {
    /// A result does not fit in a decimal.
    Overflow,
}

/// Peer statistics for batch aggregates (implemented by the batch scorer).
pub trait Batch {
    /// Average of the input over the unit's peers.
    fn avg(&self, input: usize) -> Outcome<Decimal>;
    /// Sum of the input over the unit's peers.
    fn sum(&self, input: usize) -> Outcome<Decimal>;
    /// Number of peers.
    fn count(&self) -> Decimal;
    /// This unit's rank for `input` among its peers (highest value = 1, ties share the better rank).
    fn rank(&self, input: usize) -> Outcome<Decimal>;
}

/// Evaluation environment: input values by index (`None` = empty) and the batch, if any.
#[derive(Clone, Copy)]
pub struct Env<'a> {
    /// Values by input index; a missing index counts as empty.
    pub values: &'a [Option<Value>],
    /// Peer statistics, when scoring a batch.
    pub batch: Option<&'a dyn Batch>,
}

/// One instruction of a compiled expression. Jump targets are absolute and always forward.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    /// Push a number.
    Num(Decimal),
    /// Push a condition.
    Bool(bool),
    /// Push a number input (empty → pending).
    NumInput(usize),
    /// Push a bool input (empty → pending).
    BoolInput(usize),
    /// Push `input == option` (negated for `!=`).
    ChoiceIs {
        input: usize,
        option: usize,
        negate: bool,
    },
    Neg,
    Not,
    Abs,
    Floor,
    Ceil,
    Round(u32),
    Add,
    Sub,
    Mul,
    Div,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    Min,
    Max,
    /// `&&`: if the top is false, jump keeping it; else pop it.
    AndJump(usize),
    /// `||`: if the top is true, jump keeping it; else pop it.
    OrJump(usize),
    /// Pop a condition; jump when it is false.
    JumpIfFalse(usize),
    Jump(usize),
    Avg(usize),
    Sum(usize),
    Rank(usize),
    Count,
}

/// A parsed, type-checked expression.
#[derive(Clone, Debug)]
pub struct Expr {
    source: String,
    code: Vec<Op>,
    ty: Type,
    inputs: Vec<usize>,
    uses_batch: bool,
    max_stack: usize,
}

// ---------------------------------------------------------------------------------------------
// Errors

fn err(code: &'static str, offset: usize, message: String) -> ExprError {
    ExprError {
        code,
        message: format!("{message}（第{}个字符）", offset.saturating_add(1)),
        offset,
    }
}

fn syntax(offset: usize, message: String) -> ExprError {
    err("expr.syntax", offset, message)
}

fn type_err(offset: usize, message: String) -> ExprError {
    err("expr.type", offset, message)
}

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

// ---------------------------------------------------------------------------------------------
// Lexing (on demand, so that an error early in the source is reported before one late in it)

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sym {
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
    fn text(self) -> &'static str {
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
enum Tok {
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
struct Token {
    tok: Tok,
    /// Character offsets: `start..end`.
    start: usize,
    end: usize,
}

struct Lexer {
    chars: Vec<char>,
    pos: usize,
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
    fn snippet(&self, start: usize, end: usize) -> String {
        let slice = self.chars.get(start..end).unwrap_or_default();
        let mut s: String = slice.iter().take(SNIPPET).collect();
        if slice.len() > SNIPPET {
            s.push('…');
        }
        s
    }

    fn next(&mut self) -> Result<Token, ExprError> {
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
                    "数值「{}」无法精确表示（最多28位有效数字，绝对值不超过10¹²）",
                    self.snippet(start, i)
                ),
            )),
        }
    }
}

fn tok_text(t: &Tok) -> String {
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

// ---------------------------------------------------------------------------------------------
// Parsing, type checking and code generation in one pass

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Func {
    If,
    Min,
    Max,
    Abs,
    Floor,
    Ceil,
    Round,
    Avg,
    Sum,
    Count,
    Rank,
}

const FUNCTION_LIST: &str = "if、min、max、abs、floor、ceil、round、avg、sum、count、rank";

impl Func {
    fn name(self) -> &'static str {
        match self {
            Func::If => "if",
            Func::Min => "min",
            Func::Max => "max",
            Func::Abs => "abs",
            Func::Floor => "floor",
            Func::Ceil => "ceil",
            Func::Round => "round",
            Func::Avg => "avg",
            Func::Sum => "sum",
            Func::Count => "count",
            Func::Rank => "rank",
        }
    }

    fn from_name(name: &str) -> Option<Func> {
        Some(match name {
            "if" => Func::If,
            "min" => Func::Min,
            "max" => Func::Max,
            "abs" => Func::Abs,
            "floor" => Func::Floor,
            "ceil" => Func::Ceil,
            "round" => Func::Round,
            "avg" => Func::Avg,
            "sum" => Func::Sum,
            "count" => Func::Count,
            "rank" => Func::Rank,
            _ => return None,
        })
    }
}

/// The static type of a sub-expression while compiling.
#[derive(Clone, Copy, Debug)]
enum Ty<'s> {
    Number,
    Bool,
    /// A bare choice input (index, options): usable only in `== "option"`. Emits no code.
    Choice(usize, &'s [String]),
    /// A string literal: usable only against a choice input. Emits no code.
    Str,
}

fn describe(ty: Ty<'_>) -> &'static str {
    match ty {
        Ty::Number => "数值",
        Ty::Bool => "条件（真/假）",
        Ty::Choice(..) => "选择类输入项",
        Ty::Str => "带引号的字符串",
    }
}

/// A compiled sub-expression: its type, its source span and where its code starts.
#[derive(Clone, Debug)]
struct Opnd<'s> {
    ty: Ty<'s>,
    start: usize,
    end: usize,
    code_start: usize,
    /// The text of a string literal.
    text: Option<String>,
}

/// An operator or bracket waiting for its operands while parsing.
#[derive(Clone, Copy, Debug)]
enum Frame {
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
    /// `name(` at `start`; its arguments are the operands from `base` on.
    Call {
        func: Func,
        start: usize,
        base: usize,
        code_start: usize,
        if_jumps: (Option<usize>, Option<usize>),
    },
}

impl Frame {
    /// Whether the frame counts as a nesting level.
    fn nests(&self) -> bool {
        !matches!(self, Frame::Binary { .. })
    }
}

/// Binding strength of a binary operator (higher binds tighter), if `sym` is one.
fn precedence(sym: Sym) -> Option<u8> {
    Some(match sym {
        Sym::OrOr => 1,
        Sym::AndAnd => 2,
        Sym::Lt | Sym::Le | Sym::Gt | Sym::Ge | Sym::EqEq | Sym::Ne => 3,
        Sym::Plus | Sym::Minus => 4,
        Sym::Star | Sym::Slash => 5,
        Sym::Bang => return None,
    })
}

fn is_comparison(sym: Sym) -> bool {
    precedence(sym) == Some(3)
}

/// An operator-precedence parser that type-checks and emits code as it reduces. It keeps its
/// pending operators and operands on heap stacks and never recurses, so neither deep nesting
/// nor long operator chains can exhaust the call stack.
struct Parser<'s> {
    lex: Lexer,
    cur: Token,
    prev_end: usize,
    /// Open nesting levels (unary operators, parentheses, calls).
    depth: usize,
    max_depth: usize,
    scope: &'s dyn Scope,
    frames: Vec<Frame>,
    operands: Vec<Opnd<'s>>,
    code: Vec<Op>,
    inputs: Vec<usize>,
    uses_batch: bool,
}

fn internal() -> ExprError {
    syntax(0, "内部错误：表达式解析状态不一致".into())
}

impl<'s> Parser<'s> {
    /// Consumes the current token and lexes the next one.
    fn advance(&mut self) -> Result<Token, ExprError> {
        let next = self.lex.next()?;
        let t = std::mem::replace(&mut self.cur, next);
        self.prev_end = t.end;
        Ok(t)
    }

    fn emit(&mut self, op: Op) -> usize {
        self.code.push(op);
        self.code.len().saturating_sub(1)
    }

    /// Points the jump at `at` to the next instruction to be emitted.
    fn patch(&mut self, at: usize) {
        let target = self.code.len();
        if let Some(Op::AndJump(t) | Op::OrJump(t) | Op::JumpIfFalse(t) | Op::Jump(t)) =
            self.code.get_mut(at)
        {
            *t = target;
        }
    }

    /// The single instruction `o` compiled to, if it compiled to exactly one.
    fn sole_op(&self, o: &Opnd<'_>) -> Option<Op> {
        match self.code.get(o.code_start..) {
            Some([op]) => Some(*op),
            _ => None,
        }
    }

    fn pop_operand(&mut self) -> Result<Opnd<'s>, ExprError> {
        self.operands.pop().ok_or_else(internal)
    }

    /// Opens a nesting level at `at`.
    fn open(&mut self, frame: Frame, at: usize) -> Result<(), ExprError> {
        if self.depth >= self.max_depth {
            return Err(err(
                "expr.too_deep",
                at,
                format!(
                    "表达式嵌套超过{}层（括号、函数调用和负号、取反各算一层）",
                    self.max_depth
                ),
            ));
        }
        self.depth = self.depth.saturating_add(1);
        self.frames.push(frame);
        Ok(())
    }

    fn snippet(&self, o: &Opnd<'_>) -> String {
        self.lex.snippet(o.start, o.end)
    }

    /// How to use a choice input or a string literal, for messages about misusing one.
    fn usage_hint(&self, o: &Opnd<'_>) -> String {
        match o.ty {
            Ty::Choice(_, options) => {
                let example = options.first().map_or("选项", String::as_str);
                format!(
                    "，只能用 == 或 != 与带引号的选项比较（如 {} == \"{example}\"）",
                    self.snippet(o)
                )
            }
            Ty::Str => "，只能与选择类输入项用 == 或 != 比较".into(),
            Ty::Number | Ty::Bool => String::new(),
        }
    }

    /// Checks that `o` has type `want`; `context` says who needs it (「*」左边).
    fn need(&self, o: &Opnd<'_>, want: Type, context: &str) -> Result<(), ExprError> {
        match (o.ty, want) {
            (Ty::Number, Type::Number) | (Ty::Bool, Type::Bool) => Ok(()),
            _ => Err(type_err(
                o.start,
                format!(
                    "{context}需要{}，但「{}」是{}{}",
                    want.name(),
                    self.snippet(o),
                    describe(o.ty),
                    self.usage_hint(o)
                ),
            )),
        }
    }

    /// Parses the whole source into code; returns the top operand.
    fn parse(&mut self) -> Result<Opnd<'s>, ExprError> {
        let mut want_operand = true;
        loop {
            if want_operand {
                want_operand = self.operand()?;
                continue;
            }
            match self.cur.tok {
                Tok::Sym(sym) if precedence(sym).is_some() => {
                    self.binary(sym)?;
                    want_operand = true;
                }
                Tok::Comma => {
                    self.reduce_binaries(0)?;
                    match self.frames.last().copied() {
                        Some(Frame::Call { .. }) => {
                            self.argument_done()?;
                            self.advance()?;
                            want_operand = true;
                        }
                        _ => return Err(self.unexpected()),
                    }
                }
                Tok::RParen => {
                    self.reduce_binaries(0)?;
                    self.close()?;
                }
                Tok::End => {
                    self.reduce_binaries(0)?;
                    return match self.frames.last().copied() {
                        None => {
                            let top = self.pop_operand()?;
                            if self.operands.is_empty() {
                                Ok(top)
                            } else {
                                Err(internal())
                            }
                        }
                        Some(Frame::Paren { start }) => {
                            Err(syntax(start, "左括号「(」缺少对应的右括号「)」".into()))
                        }
                        Some(_) => Err(self.unexpected()),
                    };
                }
                _ => return Err(self.unexpected()),
            }
        }
    }

    /// The current token where an operator, `,` or `)` belongs.
    fn unexpected(&self) -> ExprError {
        let at = self.cur.start;
        let text = tok_text(&self.cur.tok);
        let open = self.frames.iter().rev().find(|f| f.nests());
        match open {
            Some(Frame::Call { func, .. }) => syntax(
                at,
                format!(
                    "此处应为{}() 的右括号「)」或逗号，实为「{text}」",
                    func.name()
                ),
            ),
            Some(_) => syntax(at, format!("此处应为右括号「)」，实为「{text}」")),
            None => {
                let hint = match self.cur.tok {
                    Tok::RParen => "（右括号多于左括号）",
                    Tok::Num(_) | Tok::Str(_) | Tok::Ident(_) | Tok::LParen => {
                        "（是否缺少运算符？）"
                    }
                    _ => "",
                };
                syntax(at, format!("多余的「{text}」{hint}"))
            }
        }
    }

    /// Handles the current token where an operand belongs. Returns whether an operand is
    /// still wanted (after a prefix operator or an opening bracket).
    fn operand(&mut self) -> Result<bool, ExprError> {
        let code_start = self.code.len();
        let start = self.cur.start;
        let end = self.cur.end;
        let simple = |ty, text| Opnd {
            ty,
            start,
            end,
            code_start,
            text,
        };
        match &self.cur.tok {
            Tok::Num(d) => {
                let d = *d;
                self.advance()?;
                self.emit(Op::Num(d));
                self.operands.push(simple(Ty::Number, None));
            }
            Tok::Str(s) => {
                let s = s.clone();
                self.advance()?;
                self.operands.push(simple(Ty::Str, Some(s)));
            }
            Tok::Sym(sym @ (Sym::Minus | Sym::Bang)) => {
                let neg = *sym == Sym::Minus;
                self.open(Frame::Unary { neg, start }, start)?;
                self.advance()?;
                return Ok(true);
            }
            Tok::LParen => {
                self.open(Frame::Paren { start }, start)?;
                self.advance()?;
                return Ok(true);
            }
            Tok::Ident(name) => {
                let name = name.clone();
                self.advance()?;
                let is_call = self.cur.tok == Tok::LParen;
                match name.as_str() {
                    "true" | "false" if is_call => {
                        return Err(syntax(start, format!("「{name}」是逻辑常量，不是函数")));
                    }
                    "true" | "false" => {
                        self.emit(Op::Bool(name == "true"));
                        self.operands.push(simple(Ty::Bool, None));
                    }
                    _ if is_call => return self.open_call(&name, start),
                    _ if Func::from_name(&name).is_some() => {
                        return Err(syntax(
                            start,
                            format!("「{name}」是函数名，应写成 {name}(…)，不能用作输入项 id"),
                        ));
                    }
                    _ => {
                        let ty = self.resolve(&name, start)?;
                        self.operands.push(simple(ty, None));
                    }
                }
            }
            Tok::End => {
                return Err(syntax(
                    start,
                    "表达式不完整：此处缺少数值、输入项或左括号「(」".into(),
                ));
            }
            other => {
                return Err(syntax(
                    start,
                    format!("此处应为数值、输入项或左括号，实为「{}」", tok_text(other)),
                ));
            }
        }
        self.operand_done()?;
        Ok(false)
    }

    /// An operand is complete: apply the prefix operators waiting for it (they bind tightest).
    fn operand_done(&mut self) -> Result<(), ExprError> {
        while let Some(&Frame::Unary { neg, start }) = self.frames.last() {
            self.frames.pop();
            self.depth = self.depth.saturating_sub(1);
            let inner = self.pop_operand()?;
            let ty = if neg {
                self.need(&inner, Type::Number, "负号「-」")?;
                match self.sole_op(&inner) {
                    // Fold `-2.5` into a literal (so that thresholds read as written).
                    Some(Op::Num(d)) if !d.is_zero() => {
                        self.code.truncate(inner.code_start);
                        self.emit(Op::Num(crate::decimal::negate(d)));
                    }
                    _ => {
                        self.emit(Op::Neg);
                    }
                }
                Ty::Number
            } else {
                self.need(&inner, Type::Bool, "取反「!」")?;
                self.emit(Op::Not);
                Ty::Bool
            };
            self.operands.push(Opnd {
                ty,
                start,
                end: inner.end,
                code_start: inner.code_start,
                text: None,
            });
        }
        Ok(())
    }

    /// Reduces the binary operators on top of the frame stack that bind at least as tightly as
    /// `min` (all of them for 0).
    fn reduce_binaries(&mut self, min: u8) -> Result<(), ExprError> {
        while let Some(&Frame::Binary { sym, at, jump }) = self.frames.last() {
            if precedence(sym).unwrap_or(0) < min {
                break;
            }
            self.frames.pop();
            self.reduce_binary(sym, at, jump)?;
        }
        Ok(())
    }

    /// Handles a binary operator: the operand before it is complete.
    fn binary(&mut self, sym: Sym) -> Result<(), ExprError> {
        let at = self.cur.start;
        let prec = precedence(sym).unwrap_or(0);
        if is_comparison(sym) {
            // Comparisons do not associate: `a < b < c` is refused.
            self.reduce_binaries(prec.saturating_add(1))?;
            if let Some(&Frame::Binary { sym: before, .. }) = self.frames.last()
                && is_comparison(before)
            {
                return Err(syntax(
                    at,
                    format!(
                        "比较运算不能连写（「{}」之后又有「{}」，如 a < b < c），请用 && 连接两个比较",
                        before.text(),
                        sym.text()
                    ),
                ));
            }
        } else {
            self.reduce_binaries(prec)?;
        }
        self.advance()?;
        let left = self.operands.last().ok_or_else(internal)?;
        let context = format!("「{}」左边", sym.text());
        let jump = match sym {
            Sym::AndAnd | Sym::OrOr => {
                self.need(left, Type::Bool, &context)?;
                Some(self.emit(if sym == Sym::AndAnd {
                    Op::AndJump(0)
                } else {
                    Op::OrJump(0)
                }))
            }
            Sym::Plus | Sym::Minus | Sym::Star | Sym::Slash => {
                self.need(left, Type::Number, &context)?;
                None
            }
            _ => None,
        };
        self.frames.push(Frame::Binary { sym, at, jump });
        Ok(())
    }

    fn reduce_binary(&mut self, sym: Sym, at: usize, jump: Option<usize>) -> Result<(), ExprError> {
        let right = self.pop_operand()?;
        let left = self.pop_operand()?;
        let context = format!("「{}」右边", sym.text());
        let ty = match sym {
            Sym::AndAnd | Sym::OrOr => {
                self.need(&right, Type::Bool, &context)?;
                if let Some(j) = jump {
                    self.patch(j);
                }
                Ty::Bool
            }
            Sym::Plus | Sym::Minus | Sym::Star | Sym::Slash => {
                self.need(&right, Type::Number, &context)?;
                self.emit(match sym {
                    Sym::Plus => Op::Add,
                    Sym::Minus => Op::Sub,
                    Sym::Star => Op::Mul,
                    _ => Op::Div,
                });
                Ty::Number
            }
            _ => {
                self.compare(sym, at, &left, &right)?;
                Ty::Bool
            }
        };
        self.operands.push(Opnd {
            ty,
            start: left.start,
            end: right.end,
            code_start: left.code_start,
            text: None,
        });
        Ok(())
    }

    /// Type-checks a comparison and emits its code.
    fn compare(
        &mut self,
        sym: Sym,
        op_at: usize,
        left: &Opnd<'s>,
        right: &Opnd<'s>,
    ) -> Result<(), ExprError> {
        let equality = matches!(sym, Sym::EqEq | Sym::Ne);
        let negate = sym == Sym::Ne;
        let s = sym.text();
        match (left.ty, right.ty) {
            (Ty::Number, Ty::Number) => {
                self.emit(match sym {
                    Sym::Lt => Op::Lt,
                    Sym::Le => Op::Le,
                    Sym::Gt => Op::Gt,
                    Sym::Ge => Op::Ge,
                    Sym::EqEq => Op::Eq,
                    _ => Op::Ne,
                });
                Ok(())
            }
            (Ty::Bool, Ty::Bool) if equality => {
                self.emit(if negate { Op::Ne } else { Op::Eq });
                Ok(())
            }
            (Ty::Choice(input, options), Ty::Str) if equality => {
                self.choice_is(input, options, left, right, negate)
            }
            (Ty::Str, Ty::Choice(input, options)) if equality => {
                self.choice_is(input, options, right, left, negate)
            }
            (Ty::Choice(..), _) | (_, Ty::Choice(..)) => {
                let (choice, other) = if matches!(left.ty, Ty::Choice(..)) {
                    (left, right)
                } else {
                    (right, left)
                };
                let message = if equality {
                    format!(
                        "选择类输入项「{}」只能与带引号的选项比较，但「{}」是{}{}",
                        self.snippet(choice),
                        self.snippet(other),
                        describe(other.ty),
                        self.usage_hint(choice)
                    )
                } else {
                    format!(
                        "选择类输入项「{}」不能用「{s}」比较大小{}",
                        self.snippet(choice),
                        self.usage_hint(choice)
                    )
                };
                Err(type_err(
                    if equality { other.start } else { op_at },
                    message,
                ))
            }
            (Ty::Str, _) | (_, Ty::Str) => {
                let string = if matches!(left.ty, Ty::Str) {
                    left
                } else {
                    right
                };
                Err(type_err(
                    string.start,
                    format!(
                        "带引号的字符串「{}」只能与选择类输入项用 == 或 != 比较",
                        self.snippet(string)
                    ),
                ))
            }
            (Ty::Bool, _) | (_, Ty::Bool) if !equality => {
                let b = if matches!(left.ty, Ty::Bool) {
                    left
                } else {
                    right
                };
                Err(type_err(
                    b.start,
                    format!(
                        "「{s}」只能比较数值的大小，但「{}」是条件（真/假）",
                        self.snippet(b)
                    ),
                ))
            }
            _ => Err(type_err(
                op_at,
                format!(
                    "「{s}」两边类型不一致：「{}」是{}，「{}」是{}",
                    self.snippet(left),
                    describe(left.ty),
                    self.snippet(right),
                    describe(right.ty)
                ),
            )),
        }
    }

    fn choice_is(
        &mut self,
        input: usize,
        options: &[String],
        choice: &Opnd<'_>,
        string: &Opnd<'_>,
        negate: bool,
    ) -> Result<(), ExprError> {
        let text = string.text.as_deref().unwrap_or_default();
        match options.iter().position(|o| o == text) {
            Some(option) => {
                self.emit(Op::ChoiceIs {
                    input,
                    option,
                    negate,
                });
                Ok(())
            }
            None => {
                let valid = if options.is_empty() {
                    "（无）".to_string()
                } else {
                    options
                        .iter()
                        .map(|o| format!("\"{o}\""))
                        .collect::<Vec<_>>()
                        .join("、")
                };
                Err(type_err(
                    string.start,
                    format!(
                        "「{text}」不是选择项「{}」的选项，可选：{valid}",
                        self.snippet(choice)
                    ),
                ))
            }
        }
    }

    /// Resolves an input reference and emits its load (choice inputs load in `choice_is`).
    fn resolve(&mut self, name: &str, at: usize) -> Result<Ty<'s>, ExprError> {
        let scope = self.scope;
        let Some((index, kind)) = scope.lookup(name) else {
            return Err(err(
                "expr.unknown_id",
                at,
                format!("未定义的输入项「{name}」"),
            ));
        };
        let ty = match kind {
            InputKind::Number => {
                self.emit(Op::NumInput(index));
                Ty::Number
            }
            InputKind::Bool => {
                self.emit(Op::BoolInput(index));
                Ty::Bool
            }
            InputKind::Choice(options) => Ty::Choice(index, options),
            InputKind::Text => {
                return Err(type_err(
                    at,
                    format!("「{name}」是文本类输入项，文本类输入不参与计分"),
                ));
            }
        };
        self.inputs.push(index);
        Ok(ty)
    }

    /// `name(` with the name consumed and `(` current. Returns whether an operand is wanted.
    fn open_call(&mut self, name: &str, start: usize) -> Result<bool, ExprError> {
        let Some(func) = Func::from_name(name) else {
            return Err(err(
                "expr.unknown_id",
                start,
                format!("未知函数「{name}」（可用：{FUNCTION_LIST}）"),
            ));
        };
        let frame = Frame::Call {
            func,
            start,
            base: self.operands.len(),
            code_start: self.code.len(),
            if_jumps: (None, None),
        };
        self.open(frame, start)?;
        self.advance()?; // (
        if self.cur.tok == Tok::RParen {
            self.close()?;
            return Ok(false);
        }
        Ok(true)
    }

    /// The argument on top of the operand stack is complete: emit what goes between arguments.
    fn argument_done(&mut self) -> Result<(), ExprError> {
        let Some(Frame::Call {
            func,
            base,
            if_jumps,
            ..
        }) = self.frames.last().copied()
        else {
            return Err(internal());
        };
        let index = self.operands.len().saturating_sub(base.saturating_add(1));
        let mut jumps = if_jumps;
        match (func, index) {
            (Func::If, 0) => jumps.0 = Some(self.emit(Op::JumpIfFalse(0))),
            (Func::If, 1) => {
                jumps.1 = Some(self.emit(Op::Jump(0)));
                if let Some(j) = jumps.0 {
                    self.patch(j);
                }
            }
            (Func::Min, 1..) => {
                self.emit(Op::Min);
            }
            (Func::Max, 1..) => {
                self.emit(Op::Max);
            }
            _ => {}
        }
        if let Some(Frame::Call { if_jumps, .. }) = self.frames.last_mut() {
            *if_jumps = jumps;
        }
        Ok(())
    }

    /// `)` is current and every binary operator inside has been reduced.
    fn close(&mut self) -> Result<(), ExprError> {
        match self.frames.last().copied() {
            Some(Frame::Paren { start }) => {
                self.frames.pop();
                self.depth = self.depth.saturating_sub(1);
                self.advance()?;
                let mut inner = self.pop_operand()?;
                inner.start = start;
                inner.end = self.prev_end;
                self.operands.push(inner);
            }
            Some(Frame::Call {
                func,
                start,
                base,
                code_start,
                ..
            }) => {
                if self.operands.len() > base {
                    self.argument_done()?;
                }
                let jump = match self.frames.pop() {
                    Some(Frame::Call { if_jumps, .. }) => if_jumps.1,
                    _ => None,
                };
                self.depth = self.depth.saturating_sub(1);
                self.advance()?;
                if let Some(j) = jump {
                    self.patch(j);
                }
                let args = self.operands.split_off(base.min(self.operands.len()));
                let ty = self.finish_call(func, start, &args)?;
                self.operands.push(Opnd {
                    ty,
                    start,
                    end: self.prev_end,
                    code_start,
                    text: None,
                });
            }
            _ => return Err(self.unexpected()),
        }
        self.operand_done()
    }

    /// Checks a call's arguments and emits what follows them; returns the call's type.
    fn finish_call(
        &mut self,
        func: Func,
        start: usize,
        args: &[Opnd<'s>],
    ) -> Result<Ty<'s>, ExprError> {
        let name = func.name();
        let n = args.len();
        let arity = |want: &str, ok: bool| {
            if ok {
                Ok(())
            } else {
                Err(err(
                    "expr.arity",
                    start,
                    format!("{name}() 需要{want}参数，实有{n}个"),
                ))
            }
        };
        match func {
            Func::If => {
                arity("3个", n == 3)?;
                let [c, a, b] = args else {
                    return Err(internal());
                };
                self.need(c, Type::Bool, "if() 的第1个参数（条件）")?;
                match (a.ty, b.ty) {
                    (Ty::Number, Ty::Number) => Ok(Ty::Number),
                    (Ty::Bool, Ty::Bool) => Ok(Ty::Bool),
                    (Ty::Choice(..) | Ty::Str, _) => {
                        self.need(a, Type::Number, "if() 的第2个参数")?;
                        Err(internal())
                    }
                    (_, Ty::Choice(..) | Ty::Str) => {
                        self.need(b, Type::Number, "if() 的第3个参数")?;
                        Err(internal())
                    }
                    _ => Err(type_err(
                        b.start,
                        format!(
                            "if() 的两个分支类型应一致，但「{}」是{}，「{}」是{}",
                            self.snippet(a),
                            describe(a.ty),
                            self.snippet(b),
                            describe(b.ty)
                        ),
                    )),
                }
            }
            Func::Min | Func::Max => {
                arity("至少2个", n >= 2)?;
                for (i, a) in args.iter().enumerate() {
                    self.need(
                        a,
                        Type::Number,
                        &format!("{name}() 的第{}个参数", i.saturating_add(1)),
                    )?;
                }
                Ok(Ty::Number)
            }
            Func::Abs | Func::Floor | Func::Ceil => {
                arity("1个", n == 1)?;
                for a in args {
                    self.need(a, Type::Number, &format!("{name}() 的参数"))?;
                }
                self.emit(match func {
                    Func::Abs => Op::Abs,
                    Func::Floor => Op::Floor,
                    _ => Op::Ceil,
                });
                Ok(Ty::Number)
            }
            Func::Round => {
                arity("2个", n == 2)?;
                let [x, places] = args else {
                    return Err(internal());
                };
                self.need(x, Type::Number, "round() 的第1个参数")?;
                let literal = match (places.ty, self.sole_op(places)) {
                    (Ty::Number, Some(Op::Num(d))) => (0..=28u32).find(|k| Decimal::from(*k) == d),
                    _ => None,
                };
                let Some(k) = literal else {
                    return Err(type_err(
                        places.start,
                        format!(
                            "round() 的第2个参数（保留小数位数）应为0到28之间的整数常数，实为「{}」",
                            self.snippet(places)
                        ),
                    ));
                };
                self.code.truncate(places.code_start);
                self.emit(Op::Round(k));
                Ok(Ty::Number)
            }
            Func::Count => {
                if n != 0 {
                    return Err(err(
                        "expr.arity",
                        start,
                        format!("count() 不需要参数，实有{n}个"),
                    ));
                }
                self.emit(Op::Count);
                self.uses_batch = true;
                Ok(Ty::Number)
            }
            Func::Avg | Func::Sum | Func::Rank => {
                arity("1个", n == 1)?;
                let [a] = args else {
                    return Err(internal());
                };
                match (a.ty, self.sole_op(a)) {
                    (Ty::Number, Some(Op::NumInput(index))) => {
                        self.code.truncate(a.code_start);
                        self.emit(match func {
                            Func::Avg => Op::Avg(index),
                            Func::Sum => Op::Sum(index),
                            _ => Op::Rank(index),
                        });
                    }
                    (Ty::Bool, Some(Op::BoolInput(_))) | (Ty::Choice(..), _) => {
                        return Err(type_err(
                            a.start,
                            format!(
                                "{name}() 的参数应为数值类输入项，但「{}」是{}",
                                self.snippet(a),
                                if matches!(a.ty, Ty::Bool) {
                                    "条件（真/假）类输入项"
                                } else {
                                    "选择类输入项"
                                }
                            ),
                        ));
                    }
                    _ => {
                        return Err(syntax(
                            a.start,
                            format!(
                                "{name}() 的参数应为一个数值类输入项的 id，不能是「{}」",
                                self.snippet(a)
                            ),
                        ));
                    }
                }
                self.uses_batch = true;
                Ok(Ty::Number)
            }
        }
    }
}

/// The largest stack the program needs, or `None` if it is malformed (unbalanced stack, a
/// backward jump, a jump out of range). Only forward jumps exist, so one pass suffices.
fn stack_need(code: &[Op]) -> Option<usize> {
    let mut at: Vec<Option<usize>> = vec![None; code.len().saturating_add(1)];
    *at.first_mut()? = Some(0);
    let mut max = 0;
    let set = |at: &mut Vec<Option<usize>>, pc: usize, h: usize| -> Option<()> {
        let slot = at.get_mut(pc)?;
        match *slot {
            Some(old) if old != h => None,
            _ => {
                *slot = Some(h);
                Some(())
            }
        }
    };
    for (pc, op) in code.iter().enumerate() {
        let Some(h) = *at.get(pc)? else {
            continue; // unreachable
        };
        let forward = |t: usize| (t > pc && t <= code.len()).then_some(t);
        let (fall, jump) = match *op {
            Op::Num(_)
            | Op::Bool(_)
            | Op::NumInput(_)
            | Op::BoolInput(_)
            | Op::ChoiceIs { .. }
            | Op::Avg(_)
            | Op::Sum(_)
            | Op::Rank(_)
            | Op::Count => (Some(h.saturating_add(1)), None),
            Op::Neg | Op::Not | Op::Abs | Op::Floor | Op::Ceil | Op::Round(_) => {
                (Some(h.checked_sub(1)?.saturating_add(1)), None)
            }
            Op::Add
            | Op::Sub
            | Op::Mul
            | Op::Div
            | Op::Lt
            | Op::Le
            | Op::Gt
            | Op::Ge
            | Op::Eq
            | Op::Ne
            | Op::Min
            | Op::Max => (Some(h.checked_sub(2)?.saturating_add(1)), None),
            Op::AndJump(t) | Op::OrJump(t) => (Some(h.checked_sub(1)?), Some((forward(t)?, h))),
            Op::JumpIfFalse(t) => {
                let h = h.checked_sub(1)?;
                (Some(h), Some((forward(t)?, h)))
            }
            Op::Jump(t) => (None, Some((forward(t)?, h))),
        };
        if let Some(f) = fall {
            max = max.max(f);
            set(&mut at, pc.saturating_add(1), f)?;
        }
        if let Some((t, th)) = jump {
            max = max.max(th);
            set(&mut at, t, th)?;
        }
    }
    (*at.last()? == Some(1)).then_some(max)
}

impl Expr {
    /// Parses and type-checks `src`; `expected` is the type the caller needs.
    ///
    /// # Errors
    ///
    /// An [`ExprError`] for the first problem found, in source order: `expr.too_long`,
    /// `expr.empty`, `expr.syntax`, `expr.too_deep`, `expr.unknown_id`, `expr.arity`, or
    /// `expr.type` (including a result of the wrong type, such as
    /// “此处需要数值表达式，但「a > 1」是条件（真/假）表达式”).
    pub fn compile(src: &str, scope: &dyn Scope, expected: Type) -> Result<Expr, ExprError> {
        Self::compile_limited(src, scope, expected, MAX_LENGTH, MAX_DEPTH)
    }

    /// Compiles with explicit limits (the tests lift the length limit to check the depth limit
    /// on its own).
    fn compile_limited(
        src: &str,
        scope: &dyn Scope,
        expected: Type,
        max_length: usize,
        max_depth: usize,
    ) -> Result<Expr, ExprError> {
        let len = src.chars().count();
        if len > max_length {
            return Err(err(
                "expr.too_long",
                max_length,
                format!("表达式长{len}个字符，超过上限{max_length}"),
            ));
        }
        let mut lex = Lexer {
            chars: src.chars().collect(),
            pos: 0,
        };
        let first = lex.next()?;
        if first.tok == Tok::End {
            return Err(err("expr.empty", 0, "表达式为空".into()));
        }
        let mut p = Parser {
            lex,
            cur: first,
            prev_end: 0,
            depth: 0,
            max_depth,
            scope,
            frames: Vec::new(),
            operands: Vec::new(),
            code: Vec::new(),
            inputs: Vec::new(),
            uses_batch: false,
        };
        let whole = p.parse()?;
        let ty = match (whole.ty, expected) {
            (Ty::Number, Type::Number) => Type::Number,
            (Ty::Bool, Type::Bool) => Type::Bool,
            (got, _) => {
                let got = match got {
                    Ty::Number => "数值表达式".to_string(),
                    Ty::Bool => "条件（真/假）表达式".to_string(),
                    Ty::Choice(..) | Ty::Str => {
                        format!("{}{}", describe(got), p.usage_hint(&whole))
                    }
                };
                return Err(type_err(
                    whole.start,
                    format!(
                        "此处需要{}表达式，但「{}」是{got}",
                        expected.name(),
                        p.snippet(&whole)
                    ),
                ));
            }
        };
        let Some(max_stack) = stack_need(&p.code) else {
            return Err(syntax(0, "内部错误：表达式编译结果不完整".into()));
        };
        if max_stack > MAX_STACK {
            return Err(err(
                "expr.too_deep",
                0,
                "表达式过于复杂（嵌套的运算过多），请拆分".into(),
            ));
        }
        let mut inputs = p.inputs;
        inputs.sort_unstable();
        inputs.dedup();
        Ok(Expr {
            source: src.to_string(),
            code: p.code,
            ty,
            inputs,
            uses_batch: p.uses_batch,
            max_stack,
        })
    }

    /// The expression's type (the `expected` type it was compiled for).
    pub fn ty(&self) -> Type {
        self.ty
    }

    /// Sorted, deduplicated indices of every input the expression references (including the
    /// arguments of batch aggregates and inputs in branches that may not be evaluated).
    pub fn inputs(&self) -> &[usize] {
        &self.inputs
    }

    /// True when it uses `avg`, `sum`, `count` or `rank`.
    pub fn uses_batch(&self) -> bool {
        self.uses_batch
    }

    /// If the whole expression is a single bare input reference (`a` or `(a)`), its index.
    pub fn single_input(&self) -> Option<usize> {
        match self.code.as_slice() {
            [Op::NumInput(i) | Op::BoolInput(i)] => Some(*i),
            _ => None,
        }
    }

    /// Every numeric literal in the expression, in source order (thresholds worth probing);
    /// a negated literal counts as negative (`a > -2` gives −2). `round`'s places are not listed.
    pub fn literals(&self) -> impl Iterator<Item = Decimal> + '_ {
        self.code.iter().filter_map(|op| match op {
            Op::Num(d) => Some(*d),
            _ => None,
        })
    }

    /// Number of operations of the compiled program (what evaluating it costs at most).
    pub fn op_count(&self) -> usize {
        self.code.len()
    }

    /// The source text.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Evaluates the expression. Never panics, never allocates, and runs in time linear in the
    /// length of the compiled program.
    ///
    /// # Errors
    ///
    /// [`EvalError::Overflow`] when an arithmetic result on the evaluated path does not fit in a
    /// decimal.
    pub fn eval(&self, env: &Env<'_>) -> Result<Outcome, EvalError> {
        match self.max_stack {
            // Small stacks for the usual expressions: the slots are initialised on every call.
            0..=8 => self.run(env, &mut [Value::Bool(false); 8]),
            9..=32 => self.run(env, &mut [Value::Bool(false); 32]),
            _ => self.run(env, &mut [Value::Bool(false); MAX_STACK]),
        }
    }

    /// Evaluates an expression of type number (a non-number result, which compiling rules out,
    /// gives [`Outcome::Undefined`]).
    ///
    /// # Errors
    ///
    /// As [`Expr::eval`].
    pub fn eval_number(&self, env: &Env<'_>) -> Result<Outcome<Decimal>, EvalError> {
        Ok(match self.eval(env)? {
            Outcome::Known(Value::Number(d)) => Outcome::Known(d),
            Outcome::Known(_) | Outcome::Undefined => Outcome::Undefined,
            Outcome::Pending => Outcome::Pending,
        })
    }

    /// Evaluates an expression of type bool (a non-bool result, which compiling rules out, gives
    /// [`Outcome::Undefined`]).
    ///
    /// # Errors
    ///
    /// As [`Expr::eval`].
    pub fn eval_bool(&self, env: &Env<'_>) -> Result<Outcome<bool>, EvalError> {
        Ok(match self.eval(env)? {
            Outcome::Known(Value::Bool(b)) => Outcome::Known(b),
            Outcome::Known(_) | Outcome::Undefined => Outcome::Undefined,
            Outcome::Pending => Outcome::Pending,
        })
    }

    /// Runs the program on `stack`. An empty input ends the run as pending (`&&`, `||` and `if`
    /// skip the code they do not need, so only inputs on the evaluated path count); a division by
    /// zero makes the result undefined unless an empty input is met on the rest of the path.
    fn run(&self, env: &Env<'_>, stack: &mut [Value]) -> Result<Outcome, EvalError> {
        use Outcome::{Pending, Undefined};
        let mut sp = 0usize;
        let mut pc = 0usize;
        // A division by zero (or an aggregate over no peers) makes the result undefined, but the
        // run goes on with 0 in its place: an empty input met later still makes it pending, so
        // `1 / a + b` and `b + 1 / a` agree (pending while b is empty).
        let mut undefined = false;
        macro_rules! push {
            ($v:expr) => {{
                let v = $v;
                match stack.get_mut(sp) {
                    Some(slot) => {
                        *slot = v;
                        sp = sp.saturating_add(1);
                    }
                    None => return Ok(Undefined),
                }
            }};
        }
        macro_rules! pop {
            () => {{
                let Some(i) = sp.checked_sub(1) else {
                    return Ok(Undefined);
                };
                sp = i;
                match stack.get(i) {
                    Some(v) => *v,
                    None => return Ok(Undefined),
                }
            }};
        }
        macro_rules! num {
            () => {
                match pop!() {
                    Value::Number(d) => d,
                    _ => return Ok(Undefined),
                }
            };
        }
        macro_rules! boolean {
            () => {
                match pop!() {
                    Value::Bool(b) => b,
                    _ => return Ok(Undefined),
                }
            };
        }
        macro_rules! jump {
            ($t:expr) => {{
                if $t < pc {
                    return Ok(Undefined);
                }
                pc = $t;
            }};
        }
        macro_rules! arith {
            ($f:ident) => {{
                let y = num!();
                let x = num!();
                push!(Value::Number(
                    x.$f(y)
                        .and_then(crate::decimal::bounded)
                        .ok_or(EvalError::Overflow)?
                ))
            }};
        }
        macro_rules! compare {
            ($op:tt) => {{
                let y = num!();
                let x = num!();
                push!(Value::Bool(x $op y))
            }};
        }
        macro_rules! aggregate {
            ($f:ident, $i:expr) => {{
                let Some(batch) = env.batch else {
                    return Ok(Pending);
                };
                match batch.$f($i) {
                    Outcome::Known(d) => push!(Value::Number(d)),
                    Outcome::Undefined => {
                        undefined = true;
                        push!(Value::Number(Decimal::ZERO))
                    }
                    Outcome::Pending => return Ok(Pending),
                }
            }};
        }
        while let Some(op) = self.code.get(pc) {
            pc = pc.saturating_add(1);
            match *op {
                Op::Num(d) => push!(Value::Number(d)),
                Op::Bool(b) => push!(Value::Bool(b)),
                Op::NumInput(i) => match env.values.get(i) {
                    Some(Some(Value::Number(d))) => push!(Value::Number(*d)),
                    Some(Some(_)) => return Ok(Undefined),
                    _ => return Ok(Pending),
                },
                Op::BoolInput(i) => match env.values.get(i) {
                    Some(Some(Value::Bool(b))) => push!(Value::Bool(*b)),
                    Some(Some(_)) => return Ok(Undefined),
                    _ => return Ok(Pending),
                },
                Op::ChoiceIs {
                    input,
                    option,
                    negate,
                } => match env.values.get(input) {
                    Some(Some(Value::Choice(c))) => push!(Value::Bool((*c == option) != negate)),
                    Some(Some(_)) => return Ok(Undefined),
                    _ => return Ok(Pending),
                },
                Op::Neg => push!(Value::Number(crate::decimal::negate(num!()))),
                Op::Not => push!(Value::Bool(!boolean!())),
                Op::Abs => push!(Value::Number(num!().abs())),
                Op::Floor => push!(Value::Number(num!().floor())),
                Op::Ceil => push!(Value::Number(num!().ceil())),
                Op::Round(places) => push!(Value::Number(
                    num!().round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
                )),
                Op::Add => arith!(checked_add),
                Op::Sub => arith!(checked_sub),
                Op::Mul => arith!(checked_mul),
                Op::Div => {
                    let y = num!();
                    let x = num!();
                    if y.is_zero() {
                        undefined = true;
                        push!(Value::Number(Decimal::ZERO))
                    } else {
                        push!(Value::Number(
                            x.checked_div(y)
                                .and_then(crate::decimal::bounded)
                                .ok_or(EvalError::Overflow)?
                        ))
                    }
                }
                Op::Lt => compare!(<),
                Op::Le => compare!(<=),
                Op::Gt => compare!(>),
                Op::Ge => compare!(>=),
                Op::Eq | Op::Ne => {
                    let y = pop!();
                    let x = pop!();
                    let same = match (x, y) {
                        (Value::Number(a), Value::Number(b)) => a == b,
                        (Value::Bool(a), Value::Bool(b)) => a == b,
                        _ => return Ok(Undefined),
                    };
                    push!(Value::Bool(same != matches!(op, Op::Ne)))
                }
                Op::Min => {
                    let y = num!();
                    let x = num!();
                    push!(Value::Number(if y < x { y } else { x }))
                }
                Op::Max => {
                    let y = num!();
                    let x = num!();
                    push!(Value::Number(if y > x { y } else { x }))
                }
                Op::AndJump(t) => {
                    if !boolean!() {
                        push!(Value::Bool(false));
                        jump!(t);
                    }
                }
                Op::OrJump(t) => {
                    if boolean!() {
                        push!(Value::Bool(true));
                        jump!(t);
                    }
                }
                Op::JumpIfFalse(t) => {
                    if !boolean!() {
                        jump!(t);
                    }
                }
                Op::Jump(t) => jump!(t),
                Op::Avg(i) => aggregate!(avg, i),
                Op::Sum(i) => aggregate!(sum, i),
                Op::Rank(i) => aggregate!(rank, i),
                Op::Count => match env.batch {
                    Some(batch) => push!(Value::Number(batch.count())),
                    None => return Ok(Pending),
                },
            }
        }
        match (sp, stack.first()) {
            (1, Some(_)) if undefined => Ok(Undefined),
            (1, Some(v)) => Ok(Outcome::Known(*v)),
            _ => Ok(Undefined),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct TestScope {
        options: Vec<String>,
        no_options: Vec<String>,
    }

    impl Scope for TestScope {
        fn lookup(&self, name: &str) -> Option<(usize, InputKind<'_>)> {
            Some(match name {
                "a" => (0, InputKind::Number),
                "b" => (1, InputKind::Number),
                "flag" => (2, InputKind::Bool),
                "level" => (3, InputKind::Choice(&self.options)),
                "remark" => (4, InputKind::Text),
                "empty" => (5, InputKind::Number),
                "off" => (6, InputKind::Bool),
                "big" => (7, InputKind::Number),
                "zero" => (8, InputKind::Number),
                "unset" => (9, InputKind::Bool),
                "none_choice" => (10, InputKind::Choice(&self.no_options)),
                "far" => (99, InputKind::Number),
                // Reserved words never reach the scope, even when it knows them.
                "min" | "true" | "if" => (0, InputKind::Number),
                _ => return None,
            })
        }
    }

    fn scope() -> TestScope {
        TestScope {
            options: vec!["一级".into(), "二级".into(), "无".into()],
            no_options: Vec::new(),
        }
    }

    fn d(s: &str) -> Decimal {
        match Decimal::from_str_exact(s) {
            Ok(x) => x,
            Err(e) => panic!("bad decimal {s}: {e}"),
        }
    }

    fn values() -> Vec<Option<Value>> {
        vec![
            Some(Value::Number(d("10"))),
            Some(Value::Number(d("4"))),
            Some(Value::Bool(true)),
            Some(Value::Choice(1)),
            None,
            None,
            Some(Value::Bool(false)),
            Some(Value::Number(Decimal::MAX)),
            Some(Value::Number(Decimal::ZERO)),
            None,
            None,
        ]
    }

    /// A batch of peers: `a` averages 7.5 and ranks 2nd; `b` has no peers; `empty` is pending.
    struct TestBatch;

    impl Batch for TestBatch {
        fn avg(&self, input: usize) -> Outcome<Decimal> {
            match input {
                0 => Outcome::Known(d("7.5")),
                1 => Outcome::Undefined,
                _ => Outcome::Pending,
            }
        }
        fn sum(&self, input: usize) -> Outcome<Decimal> {
            match input {
                0 => Outcome::Known(d("30")),
                1 => Outcome::Undefined,
                _ => Outcome::Pending,
            }
        }
        fn count(&self) -> Decimal {
            d("4")
        }
        fn rank(&self, input: usize) -> Outcome<Decimal> {
            match input {
                0 => Outcome::Known(d("2")),
                1 => Outcome::Undefined,
                _ => Outcome::Pending,
            }
        }
    }

    fn compile(src: &str, ty: Type) -> Expr {
        match Expr::compile(src, &scope(), ty) {
            Ok(e) => e,
            Err(e) => panic!("{src}: {} {}", e.code, e.message),
        }
    }

    /// Compiles as a number, else as a bool, and evaluates without a batch.
    fn eval(src: &str) -> Result<Outcome, EvalError> {
        eval_with(src, None)
    }

    fn eval_with(src: &str, batch: Option<&dyn Batch>) -> Result<Outcome, EvalError> {
        let e = match Expr::compile(src, &scope(), Type::Number) {
            Ok(e) => e,
            Err(_) => compile(src, Type::Bool),
        };
        let v = values();
        e.eval(&Env { values: &v, batch })
    }

    fn num(src: &str) -> Decimal {
        match eval(src) {
            Ok(Outcome::Known(Value::Number(x))) => x,
            other => panic!("{src}: {other:?}"),
        }
    }

    fn boolean(src: &str) -> bool {
        match eval(src) {
            Ok(Outcome::Known(Value::Bool(x))) => x,
            other => panic!("{src}: {other:?}"),
        }
    }

    fn known(x: &str) -> Result<Outcome, EvalError> {
        Ok(Outcome::Known(Value::Number(d(x))))
    }

    fn compile_err(src: &str, ty: Type) -> ExprError {
        match Expr::compile(src, &scope(), ty) {
            Err(e) => e,
            Ok(_) => panic!("{src} compiled"),
        }
    }

    /// Asserts the error's code and offset, that its message is Chinese, ends with the position
    /// and contains every one of `parts`.
    fn assert_err(src: &str, ty: Type, code: &str, offset: usize, parts: &[&str]) {
        let e = compile_err(src, ty);
        assert_eq!((e.code, e.offset), (code, offset), "{src}: {}", e.message);
        let position = format!("（第{}个字符）", offset + 1);
        assert!(e.message.ends_with(&position), "{src}: {}", e.message);
        assert!(
            e.message
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{src}: {}",
            e.message
        );
        for p in parts {
            assert!(e.message.contains(p), "{src}: «{p}» not in {}", e.message);
        }
    }

    #[test]
    fn literals_and_inputs() {
        assert_eq!(num("2.5"), d("2.5"));
        assert_eq!(num("100"), d("100"));
        assert_eq!(num("0.25"), d("0.25"));
        assert_eq!(num("007"), d("7"));
        assert_eq!(num("000.5"), d("0.5"));
        assert_eq!(num("-2"), d("-2"));
        assert_eq!(
            num("0.0000000000000000000000000001"),
            d("0.0000000000000000000000000001")
        );
        assert_eq!(num("1000000000000"), d("1000000000000"));
        assert_eq!(num("-1000000000000"), d("-1000000000000"));
        assert_eq!(num("a"), d("10"));
        assert!(boolean("true"));
        assert!(!boolean("false"));
        assert!(boolean("flag"));
        assert!(!boolean("off"));
    }

    #[test]
    fn precedence() {
        assert_eq!(num("1 + 2 * 3"), d("7"));
        assert_eq!(num("(1 + 2) * 3"), d("9"));
        assert_eq!(num("2 * 3 + 4 * 5"), d("26"));
        assert_eq!(num("-2 * 3"), d("-6"));
        assert_eq!(num("-a + b"), d("-6"));
        assert_eq!(num("-(a + b)"), d("-14"));
        assert_eq!(num("--a"), d("10"));
        assert_eq!(num("- -a"), d("10"));
        assert_eq!(num("b / a * 100"), d("40"));
        assert_eq!(num("a - -b"), d("14"));
        assert!(boolean("true || false && false"));
        assert!(boolean("false && true || true"));
        assert!(!boolean("false && (true || true)"));
        assert!(boolean("1 + 2 < 4 && 3 * 2 >= 6"));
        assert!(boolean("!off && flag"));
        assert!(!boolean("!(a > b)"));
        assert!(boolean("!flag == false"));
        assert!(boolean("(a > b) == true"));
        assert!(boolean("flag == (a > b)"));
        assert!(boolean("a - b * 2 == 2"));
    }

    #[test]
    fn associativity() {
        assert!(boolean("10 - 2 - 3 == 5"));
        assert!(boolean("8 / 4 / 2 == 1"));
        assert_eq!(num("100 - 10 + 5"), d("95"));
        assert_eq!(num("2 * 3 / 4"), d("1.5"));
        assert_eq!(num("1 / 3 * 3").round_dp(10), d("1"));
        assert!(boolean("off || off || flag"));
        assert!(!boolean("flag && flag && off"));
    }

    #[test]
    fn decimal_comparisons_compare_values() {
        assert!(boolean("2.50 == 2.5"));
        assert!(!boolean("2.50 != 2.5"));
        assert!(boolean("a == 10.00"));
        assert!(boolean("a >= 10.000 && a <= 10"));
        assert!(boolean("a > b && b < a"));
        assert!(!boolean("a < 10"));
        assert!(boolean("0.1 + 0.2 == 0.3"));
        assert!(boolean("flag != off"));
        assert!(boolean("true == flag"));
    }

    #[test]
    fn functions() {
        assert_eq!(num("min(a, b)"), d("4"));
        assert_eq!(num("min(a, b, 7)"), d("4"));
        assert_eq!(num("max(a, b, 7)"), d("10"));
        assert_eq!(num("max(1, 2, 3, 4, 5, 4, 3)"), d("5"));
        assert_eq!(num("min(5, 4, 3, 2, 1, 2)"), d("1"));
        assert_eq!(num("max(min(96 - b, 6), 0)"), d("6"));
        assert_eq!(num("abs(b - a)"), d("6"));
        assert_eq!(num("abs(a)"), d("10"));
        assert_eq!(num("floor(2.7)"), d("2"));
        assert_eq!(num("floor(-2.5)"), d("-3"));
        assert_eq!(num("ceil(2.1)"), d("3"));
        assert_eq!(num("ceil(-2.1)"), d("-2"));
        assert_eq!(num("round(2.345, 2)"), d("2.35"));
        assert_eq!(num("round(-2.345, 2)"), d("-2.35"));
        assert_eq!(num("round(2.5, 0)"), d("3"));
        assert_eq!(num("round(-2.5, 0)"), d("-3"));
        assert_eq!(num("round(2.4999, 0)"), d("2"));
        assert_eq!(num("round(b / 3, 4)"), d("1.3333"));
        assert_eq!(num("round(a, 28)"), d("10"));
        assert_eq!(num("round(1.25, 1.0)"), d("1.3"));
        assert_eq!(num("if(flag, 1, 2)"), d("1"));
        assert_eq!(num("if(off, 1, 2)"), d("2"));
        assert!(boolean("if(flag, off, flag) == false"));
        assert_eq!(num("if(a > b, if(off, 1, 2), 3)"), d("2"));
        assert_eq!(num("if(flag, 1, 2) + if(off, 10, 20)"), d("21"));
        assert_eq!(num("round(if(flag, 2.25, 0), 1)"), d("2.3"));
    }

    #[test]
    fn batch_aggregates() {
        let b: &dyn Batch = &TestBatch;
        assert_eq!(eval_with("avg(a)", Some(b)), known("7.5"));
        assert_eq!(eval_with("sum(a)", Some(b)), known("30"));
        assert_eq!(eval_with("count()", Some(b)), known("4"));
        assert_eq!(eval_with("rank(a)", Some(b)), known("2"));
        assert_eq!(
            eval_with("a - avg(a) + count() * rank(a)", Some(b)),
            known("10.5")
        );
        assert_eq!(eval_with("avg(b)", Some(b)), Ok(Outcome::Undefined));
        assert_eq!(eval_with("sum( b )", Some(b)), Ok(Outcome::Undefined));
        assert_eq!(eval_with("rank(empty)", Some(b)), Ok(Outcome::Pending));
        assert_eq!(eval_with("rank((a))", Some(b)), known("2"));
        for src in ["avg(a)", "sum(a)", "count()", "rank(a)", "1 + count()"] {
            assert_eq!(eval(src), Ok(Outcome::Pending), "{src}");
        }
        // A branch not taken does not need the batch.
        assert_eq!(eval("if(flag, 1, avg(a))"), known("1"));
        let e = compile("avg(a) > 5 && count() > 1", Type::Bool);
        assert!(e.uses_batch());
        assert_eq!(e.inputs(), &[0]);
        assert!(!compile("a + 1", Type::Number).uses_batch());
    }

    #[test]
    fn lazy_if() {
        assert_eq!(eval("a / (b - 4)"), Ok(Outcome::Undefined));
        assert_eq!(eval("if(b == 4, 100, a / (b - 4))"), known("100"));
        assert_eq!(eval("if(b != 4, a / (b - 4), 100)"), known("100"));
        assert_eq!(eval("if(b == 4, a / (b - 4), 100)"), Ok(Outcome::Undefined));
        assert_eq!(eval("if(flag, 1, empty)"), known("1"));
        assert_eq!(eval("if(off, empty, 2)"), known("2"));
        assert_eq!(eval("if(flag, empty, 2)"), Ok(Outcome::Pending));
        assert_eq!(eval("if(empty > 1, 1, 2)"), Ok(Outcome::Pending));
        assert_eq!(eval("if(flag, 1, big * 2)"), known("1"));
        assert_eq!(eval("if(flag, big * 2, 1)"), Err(EvalError::Overflow));
    }

    #[test]
    fn short_circuits() {
        assert!(!boolean("off && a / 0 > 1"));
        assert!(boolean("flag || a / 0 > 1"));
        assert!(boolean("true || empty > 1"));
        assert!(!boolean("false && empty > 1"));
        assert!(!boolean("false && big * 2 > 1"));
        assert!(boolean("flag || unset"));
        assert!(!boolean("off && unset"));
        assert_eq!(eval("flag && a / 0 > 1"), Ok(Outcome::Undefined));
        assert_eq!(eval("off || empty > 1"), Ok(Outcome::Pending));
        assert_eq!(eval("empty > 1 && false"), Ok(Outcome::Pending));
        assert_eq!(eval("unset || true"), Ok(Outcome::Pending));
        assert_eq!(eval("a / 0 > 1 || true"), Ok(Outcome::Undefined));
        assert_eq!(eval("flag && big * 2 > 1"), Err(EvalError::Overflow));
        // A short-circuit in the middle of a chain skips only its own right side.
        assert!(boolean("off && unset || flag"));
        assert!(!boolean("(flag || unset) && off"));
    }

    #[test]
    fn an_empty_input_makes_it_pending_whatever_the_order() {
        assert_eq!(eval("empty"), Ok(Outcome::Pending));
        assert_eq!(eval("empty + 1"), Ok(Outcome::Pending));
        assert_eq!(eval("-empty"), Ok(Outcome::Pending));
        assert_eq!(eval("abs(empty)"), Ok(Outcome::Pending));
        assert_eq!(eval("round(empty, 2)"), Ok(Outcome::Pending));
        assert_eq!(eval("!unset"), Ok(Outcome::Pending));
        assert_eq!(
            eval("far + 1"),
            Ok(Outcome::Pending),
            "index past the values"
        );
        assert_eq!(eval("empty + a / 0"), Ok(Outcome::Pending));
        assert_eq!(eval("a / 0 + empty"), Ok(Outcome::Pending));
        assert_eq!(eval("min(a / zero, empty)"), Ok(Outcome::Pending));
        assert_eq!(eval("a / zero + 1"), Ok(Outcome::Undefined));
        assert_eq!(eval("a / zero * 0 + 1"), Ok(Outcome::Undefined));
        assert_eq!(eval("min(empty, a / zero)"), Ok(Outcome::Pending));
        assert_eq!(eval("max(1, 2, empty)"), Ok(Outcome::Pending));
        assert_eq!(eval("empty / 0"), Ok(Outcome::Pending));
        assert_eq!(eval("0 / 0"), Ok(Outcome::Undefined));
        assert_eq!(eval("0 / 0.000"), Ok(Outcome::Undefined));
        assert_eq!(eval("empty + big * 2"), Ok(Outcome::Pending));
        assert_eq!(eval("big * 2 + empty"), Err(EvalError::Overflow));
        assert_eq!(eval("(a / zero > 1) == unset"), Ok(Outcome::Pending));
        assert_eq!(eval("unset == (a / zero > 1)"), Ok(Outcome::Pending));
    }

    #[test]
    fn overflow_is_an_error() {
        for src in [
            "big * 2",
            "big + 1",
            "-big - 1",
            "big / 0.5",
            "big * big",
            "max(big + big, 0)",
            // Any computed result beyond ±10²⁰ is an overflow, so that every amount in a report
            // keeps its scale's places.
            "big - 1 + 1",
            "ceil(big / 10)",
            "10000000000 * 10000000000 + 1",
            "-10000000000 * 10000000000 - 1",
            "10000000000 * 10000000001",
        ] {
            assert_eq!(eval(src), Err(EvalError::Overflow), "{src}");
        }
        assert_eq!(
            num("10000000000 * 10000000000 * 1"),
            d("100000000000000000000")
        );
        assert_eq!(num("10000000000 * 10000000000"), d("100000000000000000000"));
        // Operations that compute no new magnitude are exact on any value.
        assert_eq!(num("-big"), Decimal::MIN);
        assert_eq!(num("abs(-big)"), Decimal::MAX);
        assert_eq!(num("floor(big)"), Decimal::MAX);
        assert_eq!(num("round(big, 0)"), Decimal::MAX);
        assert_eq!(num("0.0000000000000000000000000001 / big"), Decimal::ZERO);
    }

    #[test]
    fn choice_comparisons() {
        assert!(boolean("level == \"二级\""));
        assert!(!boolean("level == \"一级\""));
        assert!(boolean("level != \"一级\""));
        assert!(boolean("\"一级\" != level"));
        assert!(boolean("\"二级\" == level"));
        assert!(boolean("(level) == \"二级\""));
        assert!(boolean("level == \"无\" || level == \"二级\""));
        assert!(boolean("if(level == \"二级\", 5, 0) == 5"));
        let e = compile("level == \"一级\"", Type::Bool);
        assert_eq!(e.inputs(), &[3]);
        assert_eq!(e.single_input(), None);
        let empty_choice = vec![Some(Value::Number(d("1"))), None, None, None];
        assert_eq!(
            e.eval_bool(&Env {
                values: &empty_choice,
                batch: None
            }),
            Ok(Outcome::Pending)
        );
        assert_err(
            "level == \"三级\"",
            Type::Bool,
            "expr.type",
            9,
            &["「三级」", "「level」", "\"一级\"、\"二级\"、\"无\""],
        );
        assert_err(
            "\"三级\" != level",
            Type::Bool,
            "expr.type",
            0,
            &["「三级」", "可选"],
        );
        assert_err(
            "none_choice == \"x\"",
            Type::Bool,
            "expr.type",
            15,
            &["（无）"],
        );
        assert_err(
            "level > \"一级\"",
            Type::Bool,
            "expr.type",
            6,
            &["「level」", "「>」"],
        );
        assert_err(
            "level == 1",
            Type::Bool,
            "expr.type",
            9,
            &["「level」", "「1」", "level == \"一级\""],
        );
        assert_err(
            "level == level",
            Type::Bool,
            "expr.type",
            9,
            &["选择类输入项"],
        );
        assert_err(
            "level + 1",
            Type::Number,
            "expr.type",
            0,
            &["「level」", "选择类输入项"],
        );
        assert_err(
            "level",
            Type::Bool,
            "expr.type",
            0,
            &["「level」", "选择类输入项"],
        );
        assert_err("!level", Type::Bool, "expr.type", 1, &["「level」"]);
        assert_err(
            "\"一级\" == \"一级\"",
            Type::Bool,
            "expr.type",
            0,
            &["带引号的字符串"],
        );
        assert_err(
            "flag == \"一级\"",
            Type::Bool,
            "expr.type",
            8,
            &["「\"一级\"」", "选择类输入项"],
        );
        assert_err(
            "a == \"一级\"",
            Type::Bool,
            "expr.type",
            5,
            &["带引号的字符串"],
        );
        assert_err("\"一级\"", Type::Bool, "expr.type", 0, &["字符串"]);
        assert_err(
            "if(flag, level, level) == \"一级\"",
            Type::Bool,
            "expr.type",
            9,
            &["「level」"],
        );
    }

    #[test]
    fn text_inputs_are_refused() {
        assert_err(
            "remark",
            Type::Bool,
            "expr.type",
            0,
            &["「remark」", "文本类输入不参与计分"],
        );
        assert_err(
            "remark == \"x\"",
            Type::Bool,
            "expr.type",
            0,
            &["文本类输入不参与计分"],
        );
        assert_err(
            "a + remark",
            Type::Number,
            "expr.type",
            4,
            &["文本类输入不参与计分"],
        );
        assert_err(
            "avg(remark)",
            Type::Number,
            "expr.type",
            4,
            &["文本类输入不参与计分"],
        );
    }

    #[test]
    fn unknown_ids_and_functions() {
        assert_err(
            "a + c",
            Type::Number,
            "expr.unknown_id",
            4,
            &["未定义的输入项「c」"],
        );
        assert_err(
            "!plan_mad",
            Type::Bool,
            "expr.unknown_id",
            1,
            &["「plan_mad」"],
        );
        assert_err(
            "foo(a)",
            Type::Number,
            "expr.unknown_id",
            0,
            &["未知函数「foo」", "round"],
        );
        assert_err(
            "avg(nothing)",
            Type::Number,
            "expr.unknown_id",
            4,
            &["「nothing」"],
        );
        // Reserved words are never looked up, even when the scope has an input of that name.
        assert_err(
            "min + 1",
            Type::Number,
            "expr.syntax",
            0,
            &["「min」", "min(…)"],
        );
        assert_err("if", Type::Number, "expr.syntax", 0, &["「if」"]);
        assert_err(
            "true(1)",
            Type::Bool,
            "expr.syntax",
            0,
            &["「true」", "不是函数"],
        );
        assert!(boolean("true"));
    }

    #[test]
    fn arity() {
        for (src, parts) in [
            ("max(a)", &["max()", "至少2个", "实有1个"][..]),
            ("min()", &["min()", "实有0个"]),
            ("abs(a, b)", &["abs()", "1个", "实有2个"]),
            ("floor()", &["floor()"]),
            ("ceil(1, 2)", &["ceil()"]),
            ("round(a)", &["round()", "2个", "实有1个"]),
            ("round(a, 1, 2)", &["round()", "实有3个"]),
            ("if(flag, 1)", &["if()", "3个", "实有2个"]),
            ("if(flag, 1, 2, 3)", &["if()", "实有4个"]),
            ("if()", &["if()", "实有0个"]),
            ("count(a)", &["count()", "实有1个"]),
            ("avg()", &["avg()", "实有0个"]),
            ("sum(a, b)", &["sum()", "实有2个"]),
            ("rank()", &["rank()"]),
        ] {
            assert_err(src, Type::Number, "expr.arity", 0, parts);
        }
        assert_err("1 + max(4 - a)", Type::Number, "expr.arity", 4, &["max()"]);
    }

    #[test]
    fn type_errors_name_the_operand() {
        assert_err(
            "flag * 2",
            Type::Number,
            "expr.type",
            0,
            &["「*」左边", "「flag」", "条件（真/假）"],
        );
        assert_err(
            "2 * flag",
            Type::Number,
            "expr.type",
            4,
            &["「*」右边", "「flag」"],
        );
        assert_err(
            "a + flag",
            Type::Number,
            "expr.type",
            4,
            &["「+」右边", "「flag」"],
        );
        assert_err(
            "(a > 1) - 1",
            Type::Number,
            "expr.type",
            0,
            &["「(a > 1)」"],
        );
        assert_err("-flag", Type::Number, "expr.type", 1, &["负号", "「flag」"]);
        assert_err(
            "!a",
            Type::Bool,
            "expr.type",
            1,
            &["取反「!」", "「a」", "数值"],
        );
        assert_err(
            "a && flag",
            Type::Bool,
            "expr.type",
            0,
            &["「&&」左边", "「a」"],
        );
        assert_err(
            "flag || a",
            Type::Bool,
            "expr.type",
            8,
            &["「||」右边", "「a」"],
        );
        assert_err(
            "if(a, 1, 2)",
            Type::Number,
            "expr.type",
            3,
            &["if()", "条件", "「a」"],
        );
        assert_err(
            "if(flag, 1, true)",
            Type::Number,
            "expr.type",
            12,
            &["分支", "「1」", "「true」"],
        );
        assert_err(
            "abs(flag)",
            Type::Number,
            "expr.type",
            4,
            &["abs()", "「flag」"],
        );
        assert_err(
            "min(1, flag)",
            Type::Number,
            "expr.type",
            7,
            &["第2个参数", "「flag」"],
        );
        assert_err(
            "round(flag, 1)",
            Type::Number,
            "expr.type",
            6,
            &["「flag」"],
        );
        assert_err(
            "round(a, b)",
            Type::Number,
            "expr.type",
            9,
            &["0到28", "「b」"],
        );
        assert_err("round(a, 29)", Type::Number, "expr.type", 9, &["「29」"]);
        assert_err("round(a, 1.5)", Type::Number, "expr.type", 9, &["「1.5」"]);
        assert_err("round(a, -1)", Type::Number, "expr.type", 9, &["「-1」"]);
        assert_err(
            "round(a, 1 + 1)",
            Type::Number,
            "expr.type",
            9,
            &["「1 + 1」"],
        );
        assert_err(
            "flag < 1",
            Type::Bool,
            "expr.type",
            0,
            &["「<」", "「flag」"],
        );
        assert_err(
            "flag > off",
            Type::Bool,
            "expr.type",
            0,
            &["「>」", "「flag」"],
        );
        assert_err(
            "a == flag",
            Type::Bool,
            "expr.type",
            2,
            &["两边类型不一致", "「a」", "「flag」"],
        );
        assert_err(
            "avg(flag)",
            Type::Number,
            "expr.type",
            4,
            &["avg()", "「flag」", "数值类输入项"],
        );
        assert_err("sum(level)", Type::Number, "expr.type", 4, &["「level」"]);
        assert_err(
            "avg(a + 1)",
            Type::Number,
            "expr.syntax",
            4,
            &["avg()", "「a + 1」"],
        );
        assert_err("rank(1)", Type::Number, "expr.syntax", 5, &["rank()", "id"]);
        // The expected type of the whole expression.
        assert_err(
            "a",
            Type::Bool,
            "expr.type",
            0,
            &["此处需要条件（真/假）表达式", "「a」是数值表达式"],
        );
        assert_err(
            " a > 1 ",
            Type::Number,
            "expr.type",
            1,
            &["此处需要数值表达式，但「a > 1」是条件（真/假）表达式"],
        );
        let long = format!("{} > 1", "a + ".repeat(20) + "a");
        let e = compile_err(&long, Type::Number);
        assert!(e.message.contains("…」"), "{}", e.message);
    }

    #[test]
    fn syntax_errors_with_offsets() {
        let cases: &[(&str, usize, &[&str])] = &[
            ("a +", 3, &["缺少"]),
            ("(a + 1", 0, &["右括号"]),
            ("max(4 - a, 0", 12, &["max() 的右括号", "表达式结尾"]),
            ("(a + 1 2)", 7, &["右括号", "「2」"]),
            ("a = 1", 2, &["「==」"]),
            ("a & b", 2, &["「&&」"]),
            ("a | b", 2, &["「||」"]),
            ("a $ 1", 2, &["「$」"]),
            ("1.", 1, &["小数点"]),
            ("1.2.3", 3, &["小数点"]),
            (".5", 0, &["0.5"]),
            ("2a", 1, &["「a」"]),
            ("1e5", 1, &["科学计数法"]),
            ("a b", 2, &["多余的「b」", "运算符"]),
            ("a)", 1, &["多余的「)」"]),
            ("a + )", 4, &["「)」"]),
            ("a < b < 3", 6, &["连写"]),
            ("a == b != 3", 7, &["连写"]),
            ("\"abc", 0, &["引号"]),
            ("'一级'", 0, &["双引号"]),
            ("（a）", 0, &["「（」", "「(」"]),
            ("a ＋ b", 2, &["「＋」", "「+」"]),
            ("min(a，b)", 5, &["「，」", "「,」"]),
            ("安全 > 1", 0, &["「安」", "id"]),
            ("min(a,)", 6, &["「)」"]),
            ("min(,a)", 4, &["「,」"]),
            (",", 0, &["「,」"]),
            ("flag && || off", 8, &["「||」"]),
            ("123456789012345678901234567890", 0, &["28位"]),
            ("0.00000000000000000000000000001", 0, &["28位"]),
            ("1.00000000000000000000000000000", 0, &["28位"]),
        ];
        for (src, offset, parts) in cases {
            assert_err(src, Type::Number, "expr.syntax", *offset, parts);
        }
        // Literals keep to the bound of every other decimal in a rule set (10¹²).
        for src in [
            "1000000000000.01",
            "79228162514264337593543950335",
            "-(0 + 2000000000000)",
        ] {
            let offset = src
                .find(|c: char| c.is_ascii_digit() && c != '0')
                .unwrap_or(0);
            assert_err(
                src,
                Type::Number,
                "expr.syntax",
                offset,
                &["超出可接受范围", "10¹²"],
            );
        }
        let huge = "9".repeat(1500);
        assert_err(
            &huge,
            Type::Number,
            "expr.syntax",
            0,
            &["「999999999999999999999999999999…」"],
        );
    }

    #[test]
    fn empty_sources() {
        for src in ["", "   ", "\u{3000}\u{3000}", "\n\t"] {
            assert_err(src, Type::Number, "expr.empty", 0, &["为空"]);
        }
    }

    #[test]
    fn whitespace_including_full_width_space() {
        assert_eq!(num("a\u{3000}+\u{3000}b"), d("14"));
        assert_eq!(num("\u{3000}max(\u{3000}a ,\tb\n)\u{3000}"), d("10"));
        assert!(boolean("level\u{3000}==\u{3000}\"二级\""));
        assert_eq!(num(" - a "), d("-10"));
        // The string keeps its inner spaces.
        assert_err(
            "level == \" 二级\"",
            Type::Bool,
            "expr.type",
            9,
            &["「 二级」"],
        );
        // Offsets count characters, not bytes.
        assert_err(
            "\u{3000}\u{3000}a + c",
            Type::Number,
            "expr.unknown_id",
            6,
            &["「c」"],
        );
    }

    #[test]
    fn length_limit_counts_characters() {
        let ok = "1".to_string() + &"+1".repeat(999) + " ";
        assert_eq!(ok.chars().count(), 2000);
        assert_eq!(num(&ok), d("1000"));
        let wide = "\u{3000}".repeat(1999) + "a";
        assert_eq!(wide.chars().count(), 2000);
        assert!(wide.len() > 2000);
        assert_eq!(num(&wide), d("10"));
        let long = ok + "1";
        assert_err(
            &long,
            Type::Number,
            "expr.too_long",
            2000,
            &["2001", "2000"],
        );
        let huge = "(".repeat(200_000) + "a" + &")".repeat(200_000);
        assert_err(&huge, Type::Number, "expr.too_long", 2000, &["400001"]);
    }

    #[test]
    fn depth_limit() {
        let nest = |open: &str, inner: &str, close: &str, n: usize| {
            format!("{}{inner}{}", open.repeat(n), close.repeat(n))
        };
        // 32 levels of each kind are fine; the 33rd is refused where it opens.
        for (open, inner, close, ty, width) in [
            ("(", "a", ")", Type::Number, 1),
            ("!", "flag", "", Type::Bool, 1),
            ("-", "a", "", Type::Number, 1),
            ("abs(", "a", ")", Type::Number, 4),
            ("-(", "a", ")", Type::Number, 2),
            ("if(flag,", "a", ",0)", Type::Number, 8),
        ] {
            // `-(` opens two levels at once.
            let per = if open == "-(" { 2 } else { 1 };
            let ok = nest(open, inner, close, 32 / per);
            assert!(Expr::compile(&ok, &scope(), ty).is_ok(), "{ok}");
            let bad = nest(open, inner, close, 32 / per + 1);
            let e = compile_err(&bad, ty);
            assert_eq!(e.code, "expr.too_deep", "{bad}");
            assert_eq!(e.offset, 32 / per * width, "{bad}: {}", e.message);
            assert!(e.message.contains("32层"), "{}", e.message);
        }
        // Levels of different kinds add up.
        let mixed = "!(".repeat(8) + &"-abs(".repeat(8) + "a" + &")".repeat(8) + " > 1";
        let mixed = mixed + &")".repeat(8);
        assert!(
            Expr::compile(&mixed, &scope(), Type::Bool).is_ok(),
            "{mixed}"
        );
        let e = compile_err(&format!("({mixed})"), Type::Bool);
        // `(`, eight `!(`, seven `-abs(`, then `-` is the 32nd level and `abs` the 33rd.
        assert_eq!(
            (e.code, e.offset),
            ("expr.too_deep", 1 + 16 + 35 + 1),
            "{}",
            e.message
        );
    }

    #[test]
    fn depth_limit_holds_without_length_limit() {
        for depth in [33, 1000, 100_000] {
            for (src, ty) in [
                (
                    format!("{}a{}", "(".repeat(depth), ")".repeat(depth)),
                    Type::Number,
                ),
                (format!("{}a", "(".repeat(depth)), Type::Number),
                (format!("{}flag", "!".repeat(depth)), Type::Bool),
                (format!("{}a", "-".repeat(depth)), Type::Number),
                (format!("{}a", "- ".repeat(depth)), Type::Number),
                (
                    format!("{}a{}", "abs(".repeat(depth), ")".repeat(depth)),
                    Type::Number,
                ),
                (
                    format!("{}a{}", "min(1,".repeat(depth), ")".repeat(depth)),
                    Type::Number,
                ),
                (format!("{}a$", "(".repeat(depth)), Type::Number),
            ] {
                let r = Expr::compile_limited(&src, &scope(), ty, usize::MAX, MAX_DEPTH);
                let e = r.err();
                assert_eq!(
                    e.as_ref().map(|e| e.code),
                    Some("expr.too_deep"),
                    "depth {depth}"
                );
            }
        }
    }

    #[test]
    fn long_operator_chains_do_not_recurse() {
        let n = 100_000;
        let sum = "a".to_string() + &"+a".repeat(n - 1);
        let e = Expr::compile_limited(&sum, &scope(), Type::Number, usize::MAX, MAX_DEPTH);
        let v = values();
        let env = Env {
            values: &v,
            batch: None,
        };
        assert_eq!(
            e.map(|e| e.eval_number(&env)).ok(),
            Some(Ok(Outcome::Known(d("1000000"))))
        );
        let and = "flag".to_string() + &"&&flag".repeat(n - 1) + "&&off";
        let e = Expr::compile_limited(&and, &scope(), Type::Bool, usize::MAX, MAX_DEPTH);
        assert_eq!(
            e.map(|e| e.eval_bool(&env)).ok(),
            Some(Ok(Outcome::Known(false)))
        );
        let or = "off".to_string() + &"||off".repeat(n - 1) + "||a>1";
        let e = Expr::compile_limited(&or, &scope(), Type::Bool, usize::MAX, MAX_DEPTH);
        assert_eq!(
            e.map(|e| e.eval_bool(&env)).ok(),
            Some(Ok(Outcome::Known(true)))
        );
        let args = "max(".to_string() + &"1,".repeat(n) + "a)";
        let e = Expr::compile_limited(&args, &scope(), Type::Number, usize::MAX, MAX_DEPTH);
        assert_eq!(
            e.map(|e| e.eval_number(&env)).ok(),
            Some(Ok(Outcome::Known(d("10"))))
        );
    }

    #[test]
    fn deepest_stack_fits() {
        // Each level keeps a comparison, a sum, a product and a `min` accumulator waiting.
        let mut src = "a".to_string();
        for _ in 0..16 {
            src = format!("if(1 < 2 + 3 * min(1, {src}), 1, 2)");
        }
        let e = compile(&src, Type::Number);
        assert!(
            e.max_stack > 32 && e.max_stack <= MAX_STACK,
            "{}",
            e.max_stack
        );
        assert_eq!(num(&src), d("1"));
        let mut src = "a".to_string();
        for _ in 0..31 {
            src = format!("(1 + 2 * {src})");
        }
        let e = compile(&src, Type::Number);
        assert!(
            e.max_stack >= 62 && e.max_stack <= MAX_STACK,
            "{}",
            e.max_stack
        );
        assert_eq!(num(&src), d("23622320127"));
        // With the depth limit lifted, the stack check still guards the evaluator.
        let src = format!("{}a{}", "(1+2*".repeat(300), ")".repeat(300));
        let lifted = Expr::compile_limited(&src, &scope(), Type::Number, usize::MAX, usize::MAX);
        assert_eq!(lifted.err().map(|e| e.code), Some("expr.too_deep"));
    }

    #[test]
    fn parsing_and_evaluating_never_recurse() {
        // With the depth limit lifted, 100,000 levels still compile and run on a small stack.
        let ok = std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(|| {
                let n = 100_000;
                let v = values();
                let env = Env {
                    values: &v,
                    batch: None,
                };
                let run = |src: String, ty| {
                    Expr::compile_limited(&src, &scope(), ty, usize::MAX, usize::MAX)
                        .ok()
                        .map(|e| e.eval(&env))
                };
                [
                    run(format!("{}a{}", "(".repeat(n), ")".repeat(n)), Type::Number)
                        == Some(known("10")),
                    run(format!("{}a", "-".repeat(n)), Type::Number) == Some(known("10")),
                    run(format!("{}flag", "!".repeat(n)), Type::Bool)
                        == Some(Ok(Outcome::Known(Value::Bool(true)))),
                    run(
                        format!("{}a{}", "abs(".repeat(n), ")".repeat(n)),
                        Type::Number,
                    ) == Some(known("10")),
                    run(
                        format!("{}a{}", "if(flag,".repeat(n), ",0)".repeat(n)),
                        Type::Number,
                    ) == Some(known("10")),
                ]
            })
            .map(|t| t.join());
        assert!(
            matches!(ok, Ok(Ok([true, true, true, true, true]))),
            "{ok:?}"
        );
    }

    #[test]
    fn compiling_the_deepest_expressions_needs_little_stack() {
        let deepest = [
            format!("{}a{}", "(1 + 2 * ".repeat(32), ")".repeat(32)),
            format!(
                "{}a{}",
                "if(1 < 2 + 3 * min(1, ".repeat(16),
                "), 1, 2)".repeat(16)
            ),
            format!("{}a", "-".repeat(32)),
            format!("{}(a > 1)", "!".repeat(31)),
        ];
        let ok = std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(move || {
                let v = values();
                let env = Env {
                    values: &v,
                    batch: None,
                };
                deepest.iter().all(|src| {
                    [Type::Number, Type::Bool].iter().any(|ty| {
                        Expr::compile(src, &scope(), *ty)
                            .is_ok_and(|e| matches!(e.eval(&env), Ok(Outcome::Known(_))))
                    })
                })
            })
            .map(|t| t.join());
        assert!(matches!(ok, Ok(Ok(true))));
    }

    #[test]
    fn metadata() {
        let e = compile("b / a * 100 + avg(b) + b", Type::Number);
        assert_eq!(e.inputs(), &[0, 1]);
        assert!(e.uses_batch());
        assert_eq!(e.single_input(), None);
        assert_eq!(e.ty(), Type::Number);
        assert_eq!(e.source(), "b / a * 100 + avg(b) + b");
        assert_eq!(compile("a", Type::Number).single_input(), Some(0));
        assert_eq!(compile(" ( a ) ", Type::Number).single_input(), Some(0));
        assert_eq!(compile("off", Type::Bool).single_input(), Some(6));
        assert_eq!(compile("-a", Type::Number).single_input(), None);
        assert_eq!(compile("a + 0", Type::Number).single_input(), None);
        assert_eq!(compile("flag", Type::Bool).ty(), Type::Bool);
        // Inputs of branches that may be skipped count too.
        let e = compile(
            "if(flag, empty > 1, level == \"无\") || off || flag",
            Type::Bool,
        );
        assert_eq!(e.inputs(), &[2, 3, 5, 6]);
        let lits: Vec<Decimal> = compile("a > -2 && b < 3.5 && round(a, 2) > 0", Type::Bool)
            .literals()
            .collect();
        assert_eq!(lits, vec![d("-2"), d("3.5"), d("0")]);
    }

    #[test]
    fn typed_evaluation_never_panics_on_odd_environments() {
        let e = compile("a + 1", Type::Number);
        let odd = [Some(Value::Bool(true))];
        let env = Env {
            values: &odd,
            batch: None,
        };
        assert_eq!(e.eval_number(&env), Ok(Outcome::Undefined));
        assert_eq!(e.eval_bool(&env), Ok(Outcome::Undefined));
        let none: [Option<Value>; 0] = [];
        let env = Env {
            values: &none,
            batch: None,
        };
        assert_eq!(e.eval_number(&env), Ok(Outcome::Pending));
        let v = values();
        let env = Env {
            values: &v,
            batch: None,
        };
        assert_eq!(e.eval_number(&env), Ok(Outcome::Known(d("11"))));
        assert_eq!(e.eval_bool(&env), Ok(Outcome::Undefined));
        let b = compile("level == \"一级\"", Type::Bool);
        let wrong = [None, None, None, Some(Value::Number(d("1")))];
        assert_eq!(
            b.eval_bool(&Env {
                values: &wrong,
                batch: None
            }),
            Ok(Outcome::Undefined)
        );
        assert_eq!(b.eval_bool(&env), Ok(Outcome::Known(false)));
        assert_eq!(b.eval_number(&env), Ok(Outcome::Undefined));
    }

    #[test]
    fn errors_are_chinese_and_positioned() {
        for (src, ty) in [
            ("a +", Type::Number),
            ("flag * 2", Type::Number),
            ("max(a)", Type::Number),
            ("zz", Type::Number),
            ("", Type::Bool),
            ("a", Type::Bool),
        ] {
            let e = compile_err(src, ty);
            assert!(
                e.message.contains("第") && e.message.contains("个字符"),
                "{}",
                e.message
            );
            assert!(
                e.message
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
            );
        }
    }

    /// A deterministic fuzz: random token soup never panics the compiler, and whatever compiles
    /// evaluates without panicking, with and without a batch.
    #[test]
    fn fuzz_never_panics() {
        let pieces = [
            "a",
            "b",
            "flag",
            "off",
            "level",
            "remark",
            "empty",
            "big",
            "zero",
            "unset",
            "far",
            "1",
            "0",
            "2.5",
            "79228162514264337593543950335",
            "0.0000000000000000000000000001",
            "true",
            "false",
            "\"一级\"",
            "\"二级\"",
            "(",
            ")",
            ",",
            "+",
            "-",
            "*",
            "/",
            "!",
            "<",
            "<=",
            ">",
            ">=",
            "==",
            "!=",
            "&&",
            "||",
            "if(",
            "min(",
            "max(",
            "abs(",
            "floor(",
            "ceil(",
            "round(",
            "avg(",
            "sum(",
            "count(",
            "rank(",
            " ",
            "\u{3000}",
            "$",
            "（",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            usize::try_from(seed % (n as u64)).unwrap_or(0)
        };
        let v = values();
        let batch: &dyn Batch = &TestBatch;
        let mut compiled = 0;
        for _ in 0..20_000 {
            let len = 1 + next(12);
            let src: String = (0..len).map(|_| pieces[next(pieces.len())]).collect();
            for ty in [Type::Number, Type::Bool] {
                match Expr::compile(&src, &scope(), ty) {
                    Ok(e) => {
                        compiled += 1;
                        assert_eq!(e.ty(), ty);
                        for b in [None, Some(batch)] {
                            let env = Env {
                                values: &v,
                                batch: b,
                            };
                            let _ = e.eval(&env);
                            let _ = e.eval_number(&env);
                            let _ = e.eval_bool(&env);
                        }
                    }
                    Err(e) => {
                        assert!(
                            e.message
                                .ends_with(&format!("（第{}个字符）", e.offset + 1))
                        );
                        assert!(e.offset <= src.chars().count(), "{src}: {}", e.message);
                    }
                }
            }
        }
        assert!(compiled > 100, "{compiled}");
    }
}
