//! The expression language of rule sets: a small, total, side-effect-free language over decimals
//! and booleans (`hazards_fixed / hazards_found * 100`, `!plan_made`, `level == "一级"`).
//!
//! Expressions are parsed and type-checked once, when a rule set loads, with input names resolved
//! to indices. Evaluation never panics, never recurses deeper than the (limited) nesting of the
//! source, and never allocates: division by zero gives [`Outcome::Undefined`], an empty input
//! [`Outcome::Pending`], and an overflow [`EvalError::Overflow`].

use rust_decimal::{Decimal, RoundingStrategy};

/// Longest expression accepted, in characters.
pub const MAX_LENGTH: usize = 2000;
/// Deepest nesting accepted (parentheses, calls and unary operators each count one level).
pub const MAX_DEPTH: usize = 32;

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
    /// A condition.
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

/// A compile problem, with a Chinese message and the 0-based character offset it concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExprError {
    /// Stable code: `expr.syntax`, `expr.unknown_id`, `expr.type`, `expr.arity`, `expr.too_long`,
    /// `expr.too_deep` or `expr.empty`.
    pub code: &'static str,
    /// Explanation naming the offending token and its position (第N个字符).
    pub message: String,
    /// Character offset (0-based).
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
    /// Division by zero somewhere on the evaluated path (or an average over no peers).
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

/// Peer statistics for batch aggregates.
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

/// Evaluation environment: input values by index (None = empty) and the batch, if any.
pub struct Env<'a> {
    /// Values by input index.
    pub values: &'a [Option<Value>],
    /// Peer statistics, when scoring a batch.
    pub batch: Option<&'a dyn Batch>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BinOp {
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
    And,
    Or,
}

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

impl Func {
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

/// A node of the compiled tree. Children are indices into `Expr::nodes`.
#[derive(Clone, Debug)]
enum Node {
    Num(Decimal),
    Bool(bool),
    Input(usize),
    /// `input == option` (negated for `!=`).
    ChoiceIs {
        input: usize,
        option: usize,
        negate: bool,
    },
    /// `a == b` on conditions (negated for `!=`).
    BoolEq {
        left: usize,
        right: usize,
        negate: bool,
    },
    Neg(usize),
    Not(usize),
    Bin(BinOp, usize, usize),
    If(usize, usize, usize),
    Min(Vec<usize>),
    Max(Vec<usize>),
    Abs(usize),
    Floor(usize),
    Ceil(usize),
    Round(usize, u32),
    Avg(usize),
    Sum(usize),
    Count,
    Rank(usize),
}

/// A parsed, type-checked expression.
#[derive(Clone, Debug)]
pub struct Expr {
    source: String,
    nodes: Vec<Node>,
    root: usize,
    ty: Type,
    inputs: Vec<usize>,
    uses_batch: bool,
}

// ---------------------------------------------------------------------------------------------
// Lexing

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(Decimal),
    Str(String),
    Ident(String),
    Op(&'static str),
    LParen,
    RParen,
    Comma,
    End,
}

fn tok_text(t: &Tok) -> String {
    match t {
        Tok::Num(d) => d.to_string(),
        Tok::Str(s) => format!("\"{s}\""),
        Tok::Ident(s) => s.clone(),
        Tok::Op(o) => (*o).to_string(),
        Tok::LParen => "(".into(),
        Tok::RParen => ")".into(),
        Tok::Comma => ",".into(),
        Tok::End => "表达式结尾".into(),
    }
}

fn err(code: &'static str, offset: usize, message: String) -> ExprError {
    ExprError {
        code,
        message: format!("{message}（第{}个字符）", offset + 1),
        offset,
    }
}

fn lex(src: &str) -> Result<Vec<(Tok, usize)>, ExprError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if c.is_ascii_digit() {
            while chars.get(i).is_some_and(|c| c.is_ascii_digit()) {
                i += 1;
            }
            if chars.get(i) == Some(&'.') {
                i += 1;
                if !chars.get(i).is_some_and(|c| c.is_ascii_digit()) {
                    return Err(err("expr.syntax", i, "小数点后缺少数字".into()));
                }
                while chars.get(i).is_some_and(|c| c.is_ascii_digit()) {
                    i += 1;
                }
            }
            let text: String = chars.get(start..i).unwrap_or_default().iter().collect();
            let d = Decimal::from_str_exact(&text).map_err(|_| {
                err(
                    "expr.syntax",
                    start,
                    format!("数值「{text}」无法表示（最多28位有效数字）"),
                )
            })?;
            out.push((Tok::Num(d), start));
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            while chars
                .get(i)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
            {
                i += 1;
            }
            out.push((
                Tok::Ident(chars.get(start..i).unwrap_or_default().iter().collect()),
                start,
            ));
            continue;
        }
        if c == '"' {
            i += 1;
            let body = i;
            while chars.get(i).is_some_and(|c| *c != '"') {
                i += 1;
            }
            if chars.get(i).is_none() {
                return Err(err("expr.syntax", start, "字符串缺少结束引号".into()));
            }
            out.push((
                Tok::Str(chars.get(body..i).unwrap_or_default().iter().collect()),
                start,
            ));
            i += 1;
            continue;
        }
        let next = chars.get(i + 1).copied();
        let (op, len): (Option<&'static str>, usize) = match (c, next) {
            ('<', Some('=')) => (Some("<="), 2),
            ('>', Some('=')) => (Some(">="), 2),
            ('=', Some('=')) => (Some("=="), 2),
            ('!', Some('=')) => (Some("!="), 2),
            ('&', Some('&')) => (Some("&&"), 2),
            ('|', Some('|')) => (Some("||"), 2),
            ('<', _) => (Some("<"), 1),
            ('>', _) => (Some(">"), 1),
            ('!', _) => (Some("!"), 1),
            ('+', _) => (Some("+"), 1),
            ('-', _) => (Some("-"), 1),
            ('*', _) => (Some("*"), 1),
            ('/', _) => (Some("/"), 1),
            _ => (None, 1),
        };
        match (op, c) {
            (Some(o), _) => out.push((Tok::Op(o), start)),
            (None, '(') => out.push((Tok::LParen, start)),
            (None, ')') => out.push((Tok::RParen, start)),
            (None, ',') => out.push((Tok::Comma, start)),
            (None, '=') => {
                return Err(err(
                    "expr.syntax",
                    start,
                    "单个「=」不是运算符，比较相等请用「==」".into(),
                ));
            }
            (None, _) => return Err(err("expr.syntax", start, format!("无法识别的字符「{c}」"))),
        }
        i += len;
    }
    out.push((Tok::End, chars.len()));
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Parsing and type checking in one pass

/// The static type of a sub-expression while compiling.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ty {
    Number,
    Bool,
    /// A bare choice input (index), usable only in `== "option"`.
    Choice(usize),
    /// A string literal, usable only against a choice input.
    Str,
}

struct Parser<'s> {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    depth: usize,
    max_depth: usize,
    scope: &'s dyn Scope,
    nodes: Vec<Node>,
    inputs: Vec<usize>,
    uses_batch: bool,
    /// String literal text by node index.
    strings: Vec<(usize, String)>,
    /// Options of each choice input referenced, by input index.
    choices: Vec<(usize, Vec<String>)>,
}

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        self.toks.get(self.pos).map_or(&Tok::End, |t| &t.0)
    }
    fn offset(&self) -> usize {
        self.toks.get(self.pos).map_or(0, |t| t.1)
    }
    fn bump(&mut self) -> Tok {
        let t = self.peek().clone();
        self.pos += 1;
        t
    }
    fn push(&mut self, n: Node) -> usize {
        self.nodes.push(n);
        self.nodes.len() - 1
    }
    fn enter(&mut self) -> Result<(), ExprError> {
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err(err(
                "expr.too_deep",
                self.offset(),
                format!("表达式嵌套超过{}层", self.max_depth),
            ));
        }
        Ok(())
    }
    fn expect(&mut self, want: Tok, what: &str) -> Result<(), ExprError> {
        if *self.peek() == want {
            self.pos += 1;
            Ok(())
        } else {
            let off = self.offset();
            Err(err(
                "expr.syntax",
                off,
                format!("此处应为{what}，实为「{}」", tok_text(self.peek())),
            ))
        }
    }

    fn need(&self, ty: Ty, want: Ty, off: usize, context: &str) -> Result<(), ExprError> {
        let ok = matches!((ty, want), (Ty::Number, Ty::Number) | (Ty::Bool, Ty::Bool));
        if ok {
            return Ok(());
        }
        let got = match ty {
            Ty::Number => "数值",
            Ty::Bool => "条件（真/假）",
            Ty::Choice(_) => "选择项（只能用 == \"选项\" 比较）",
            Ty::Str => "字符串（只能与选择类输入项比较）",
        };
        let want = if want == Ty::Number {
            "数值"
        } else {
            "条件（真/假）"
        };
        Err(err(
            "expr.type",
            off,
            format!("{context}需要{want}，但这里是{got}"),
        ))
    }

    fn or(&mut self) -> Result<(usize, Ty), ExprError> {
        let (mut left, mut lt) = self.and()?;
        while *self.peek() == Tok::Op("||") {
            let off = self.offset();
            self.bump();
            self.need(lt, Ty::Bool, off, "「||」左边")?;
            let (right, rt) = self.and()?;
            self.need(rt, Ty::Bool, off, "「||」右边")?;
            left = self.push(Node::Bin(BinOp::Or, left, right));
            lt = Ty::Bool;
        }
        Ok((left, lt))
    }

    fn and(&mut self) -> Result<(usize, Ty), ExprError> {
        let (mut left, mut lt) = self.cmp()?;
        while *self.peek() == Tok::Op("&&") {
            let off = self.offset();
            self.bump();
            self.need(lt, Ty::Bool, off, "「&&」左边")?;
            let (right, rt) = self.cmp()?;
            self.need(rt, Ty::Bool, off, "「&&」右边")?;
            left = self.push(Node::Bin(BinOp::And, left, right));
            lt = Ty::Bool;
        }
        Ok((left, lt))
    }

    fn cmp(&mut self) -> Result<(usize, Ty), ExprError> {
        let (left, lt) = self.add()?;
        let op = match self.peek() {
            Tok::Op("<") => BinOp::Lt,
            Tok::Op("<=") => BinOp::Le,
            Tok::Op(">") => BinOp::Gt,
            Tok::Op(">=") => BinOp::Ge,
            Tok::Op("==") => BinOp::Eq,
            Tok::Op("!=") => BinOp::Ne,
            _ => return Ok((left, lt)),
        };
        let off = self.offset();
        let sym = tok_text(self.peek());
        self.bump();
        let (right, rt) = self.add()?;
        if matches!(self.peek(), Tok::Op("<" | "<=" | ">" | ">=" | "==" | "!=")) {
            let o = self.offset();
            return Err(err(
                "expr.syntax",
                o,
                "比较运算不能连写（如 a < b < c），请用 && 连接".into(),
            ));
        }
        let node = match (lt, rt, op) {
            (Ty::Number, Ty::Number, _) => Node::Bin(op, left, right),
            (Ty::Bool, Ty::Bool, BinOp::Eq | BinOp::Ne) => Node::BoolEq {
                left,
                right,
                negate: op == BinOp::Ne,
            },
            (Ty::Choice(input), Ty::Str, BinOp::Eq | BinOp::Ne) => {
                self.choice_is(input, right, op == BinOp::Ne, off)?
            }
            (Ty::Str, Ty::Choice(input), BinOp::Eq | BinOp::Ne) => {
                self.choice_is(input, left, op == BinOp::Ne, off)?
            }
            (Ty::Choice(_), _, _) | (_, Ty::Choice(_), _) => {
                return Err(err(
                    "expr.type",
                    off,
                    format!(
                        "选择类输入项只能用 == 或 != 与带引号的选项比较，不能用「{sym}」与此比较"
                    ),
                ));
            }
            (Ty::Str, _, _) | (_, Ty::Str, _) => {
                return Err(err(
                    "expr.type",
                    off,
                    "带引号的字符串只能与选择类输入项比较".into(),
                ));
            }
            _ => {
                let what = if lt == Ty::Bool || rt == Ty::Bool {
                    "条件（真/假）不能比较大小，也不能与数值比较"
                } else {
                    "类型不匹配"
                };
                return Err(err("expr.type", off, format!("「{sym}」两边{what}")));
            }
        };
        Ok((self.push(node), Ty::Bool))
    }

    fn choice_is(
        &mut self,
        input: usize,
        string_node: usize,
        negate: bool,
        off: usize,
    ) -> Result<Node, ExprError> {
        let text = self
            .strings
            .iter()
            .find(|(n, _)| *n == string_node)
            .map(|(_, s)| s.clone())
            .unwrap_or_default();
        let Some(options) = self
            .choices
            .iter()
            .find(|(i, _)| *i == input)
            .map(|(_, o)| o)
        else {
            return Err(err("expr.type", off, "选择类输入项无法解析".into()));
        };
        match options.iter().position(|o| *o == text) {
            Some(option) => Ok(Node::ChoiceIs {
                input,
                option,
                negate,
            }),
            None => Err(err(
                "expr.type",
                off,
                format!(
                    "「{text}」不是该选择项的选项，可选：{}",
                    options
                        .iter()
                        .map(|o| format!("\"{o}\""))
                        .collect::<Vec<_>>()
                        .join("、")
                ),
            )),
        }
    }

    fn add(&mut self) -> Result<(usize, Ty), ExprError> {
        let (mut left, mut lt) = self.mul()?;
        loop {
            let op = match self.peek() {
                Tok::Op("+") => BinOp::Add,
                Tok::Op("-") => BinOp::Sub,
                _ => return Ok((left, lt)),
            };
            let off = self.offset();
            let sym = tok_text(self.peek());
            self.bump();
            self.need(lt, Ty::Number, off, &format!("「{sym}」左边"))?;
            let (right, rt) = self.mul()?;
            self.need(rt, Ty::Number, off, &format!("「{sym}」右边"))?;
            left = self.push(Node::Bin(op, left, right));
            lt = Ty::Number;
        }
    }

    fn mul(&mut self) -> Result<(usize, Ty), ExprError> {
        let (mut left, mut lt) = self.unary()?;
        loop {
            let op = match self.peek() {
                Tok::Op("*") => BinOp::Mul,
                Tok::Op("/") => BinOp::Div,
                _ => return Ok((left, lt)),
            };
            let off = self.offset();
            let sym = tok_text(self.peek());
            self.bump();
            self.need(lt, Ty::Number, off, &format!("「{sym}」左边"))?;
            let (right, rt) = self.unary()?;
            self.need(rt, Ty::Number, off, &format!("「{sym}」右边"))?;
            left = self.push(Node::Bin(op, left, right));
            lt = Ty::Number;
        }
    }

    fn unary(&mut self) -> Result<(usize, Ty), ExprError> {
        match self.peek() {
            Tok::Op("-") | Tok::Op("!") => {
                let neg = *self.peek() == Tok::Op("-");
                let off = self.offset();
                self.bump();
                self.enter()?;
                let (inner, ty) = self.unary()?;
                self.depth -= 1;
                if neg {
                    self.need(ty, Ty::Number, off, "负号「-」")?;
                    Ok((self.push(Node::Neg(inner)), Ty::Number))
                } else {
                    self.need(ty, Ty::Bool, off, "取反「!」")?;
                    Ok((self.push(Node::Not(inner)), Ty::Bool))
                }
            }
            _ => self.primary(),
        }
    }

    fn primary(&mut self) -> Result<(usize, Ty), ExprError> {
        let off = self.offset();
        match self.bump() {
            Tok::Num(d) => Ok((self.push(Node::Num(d)), Ty::Number)),
            Tok::Str(s) => {
                let n = self.push(Node::Bool(false));
                self.strings.push((n, s));
                Ok((n, Ty::Str))
            }
            Tok::LParen => {
                self.enter()?;
                let r = self.or()?;
                self.expect(Tok::RParen, "右括号「)」")?;
                self.depth -= 1;
                Ok(r)
            }
            Tok::Ident(name) => {
                if *self.peek() == Tok::LParen {
                    return self.call(&name, off);
                }
                match name.as_str() {
                    "true" => return Ok((self.push(Node::Bool(true)), Ty::Bool)),
                    "false" => return Ok((self.push(Node::Bool(false)), Ty::Bool)),
                    _ => {}
                }
                if Func::from_name(&name).is_some() {
                    return Err(err(
                        "expr.syntax",
                        off,
                        format!("「{name}」是函数，应写成 {name}(…)"),
                    ));
                }
                let (index, ty) = self.resolve(&name, off)?;
                Ok((self.push(Node::Input(index)), ty))
            }
            t => Err(err(
                "expr.syntax",
                off,
                format!("此处应为数值、输入项或左括号，实为「{}」", tok_text(&t)),
            )),
        }
    }

    fn resolve(&mut self, name: &str, off: usize) -> Result<(usize, Ty), ExprError> {
        let Some((index, kind)) = self.scope.lookup(name) else {
            return Err(err(
                "expr.unknown_id",
                off,
                format!("未定义的输入项「{name}」"),
            ));
        };
        let ty = match kind {
            InputKind::Number => Ty::Number,
            InputKind::Bool => Ty::Bool,
            InputKind::Choice(options) => {
                if !self.choices.iter().any(|(i, _)| *i == index) {
                    self.choices.push((index, options.to_vec()));
                }
                Ty::Choice(index)
            }
            InputKind::Text => {
                return Err(err(
                    "expr.type",
                    off,
                    format!("「{name}」是文本类输入项，文本类输入不参与计分"),
                ));
            }
        };
        if !self.inputs.contains(&index) {
            self.inputs.push(index);
        }
        Ok((index, ty))
    }

    fn call(&mut self, name: &str, off: usize) -> Result<(usize, Ty), ExprError> {
        let Some(func) = Func::from_name(name) else {
            return Err(err(
                "expr.unknown_id",
                off,
                format!(
                    "未知函数「{name}」（可用：if、min、max、abs、floor、ceil、round、avg、sum、count、rank）"
                ),
            ));
        };
        self.bump(); // (
        self.enter()?;
        if matches!(func, Func::Avg | Func::Sum | Func::Rank) {
            let arg_off = self.offset();
            let Tok::Ident(arg) = self.bump() else {
                return Err(err(
                    "expr.syntax",
                    arg_off,
                    format!("{name}() 的参数应为一个数值类输入项的 id"),
                ));
            };
            let (index, ty) = self.resolve(&arg, arg_off)?;
            if ty != Ty::Number {
                return Err(err(
                    "expr.type",
                    arg_off,
                    format!("{name}() 的参数「{arg}」应为数值类输入项"),
                ));
            }
            self.close_call(name)?;
            self.uses_batch = true;
            let node = match func {
                Func::Avg => Node::Avg(index),
                Func::Sum => Node::Sum(index),
                _ => Node::Rank(index),
            };
            return Ok((self.push(node), Ty::Number));
        }
        let mut args: Vec<(usize, Ty, usize)> = Vec::new();
        if *self.peek() != Tok::RParen {
            loop {
                let a_off = self.offset();
                let (n, t) = self.or()?;
                args.push((n, t, a_off));
                if *self.peek() == Tok::Comma {
                    self.bump();
                } else {
                    break;
                }
            }
        }
        self.close_call(name)?;
        let arity = |want: &str, ok: bool| -> Result<(), ExprError> {
            if ok {
                Ok(())
            } else {
                Err(err(
                    "expr.arity",
                    off,
                    format!("{name}() 需要{want}参数，实有{}个", args.len()),
                ))
            }
        };
        let num = |p: &Self, i: usize| -> Result<usize, ExprError> {
            let (n, t, o) = args
                .get(i)
                .copied()
                .ok_or_else(|| err("expr.arity", off, format!("{name}() 参数不足")))?;
            p.need(t, Ty::Number, o, &format!("{name}() 的第{}个参数", i + 1))?;
            Ok(n)
        };
        match func {
            Func::Count => {
                arity("0个", args.is_empty())?;
                self.uses_batch = true;
                Ok((self.push(Node::Count), Ty::Number))
            }
            Func::If => {
                arity("3个", args.len() == 3)?;
                let (c, ct, co) = args
                    .first()
                    .copied()
                    .ok_or_else(|| err("expr.arity", off, "if() 参数不足".into()))?;
                self.need(ct, Ty::Bool, co, "if() 的条件")?;
                let (a, at, ao) = args
                    .get(1)
                    .copied()
                    .ok_or_else(|| err("expr.arity", off, "if() 参数不足".into()))?;
                let (b, bt, bo) = args
                    .get(2)
                    .copied()
                    .ok_or_else(|| err("expr.arity", off, "if() 参数不足".into()))?;
                let want = if at == Ty::Bool { Ty::Bool } else { Ty::Number };
                self.need(at, want, ao, "if() 的第2个参数")?;
                self.need(bt, want, bo, "if() 的两个分支类型应一致，第3个参数")?;
                Ok((self.push(Node::If(c, a, b)), want))
            }
            Func::Min | Func::Max => {
                arity("至少2个", args.len() >= 2)?;
                let ns = (0..args.len())
                    .map(|i| num(self, i))
                    .collect::<Result<Vec<_>, _>>()?;
                let node = if func == Func::Min {
                    Node::Min(ns)
                } else {
                    Node::Max(ns)
                };
                Ok((self.push(node), Ty::Number))
            }
            Func::Abs | Func::Floor | Func::Ceil => {
                arity("1个", args.len() == 1)?;
                let a = num(self, 0)?;
                let node = match func {
                    Func::Abs => Node::Abs(a),
                    Func::Floor => Node::Floor(a),
                    _ => Node::Ceil(a),
                };
                Ok((self.push(node), Ty::Number))
            }
            Func::Round => {
                arity("2个", args.len() == 2)?;
                let a = num(self, 0)?;
                let (n, _, n_off) = args
                    .get(1)
                    .copied()
                    .ok_or_else(|| err("expr.arity", off, "round() 参数不足".into()))?;
                let places = match self.nodes.get(n) {
                    Some(Node::Num(d))
                        if d.fract().is_zero()
                            && *d >= Decimal::ZERO
                            && *d <= Decimal::from(28) =>
                    {
                        u32::try_from(d.mantissa() / 10i128.pow(d.scale())).unwrap_or(0)
                    }
                    _ => {
                        return Err(err(
                            "expr.type",
                            n_off,
                            "round() 的第2个参数应为0到28之间的整数常数".into(),
                        ));
                    }
                };
                Ok((self.push(Node::Round(a, places)), Ty::Number))
            }
            Func::Avg | Func::Sum | Func::Rank => Err(err("expr.syntax", off, "内部错误".into())),
        }
    }

    fn close_call(&mut self, name: &str) -> Result<(), ExprError> {
        self.expect(Tok::RParen, &format!("{name}() 的右括号「)」或逗号"))?;
        self.depth -= 1;
        Ok(())
    }
}

impl Expr {
    /// Parses and type-checks `src`; `expected` is the type the caller needs.
    pub fn compile(src: &str, scope: &dyn Scope, expected: Type) -> Result<Expr, ExprError> {
        Self::compile_limited(src, scope, expected, MAX_LENGTH, MAX_DEPTH)
    }

    /// Compiles with explicit limits (the tests lift the length limit to check the depth limit alone).
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
        let toks = lex(src)?;
        if toks.len() == 1 {
            return Err(err("expr.empty", 0, "表达式为空".into()));
        }
        let mut p = Parser {
            toks,
            pos: 0,
            depth: 0,
            max_depth,
            scope,
            nodes: Vec::new(),
            inputs: Vec::new(),
            uses_batch: false,
            strings: Vec::new(),
            choices: Vec::new(),
        };
        let (root, ty) = p.or()?;
        if *p.peek() != Tok::End {
            let off = p.offset();
            return Err(err(
                "expr.syntax",
                off,
                format!("多余的「{}」", tok_text(p.peek())),
            ));
        }
        let want = if expected == Type::Number {
            Ty::Number
        } else {
            Ty::Bool
        };
        if ty != want {
            let got = match ty {
                Ty::Number => Type::Number.name(),
                Ty::Bool => Type::Bool.name(),
                Ty::Choice(_) => "选择项（应写成 输入项 == \"选项\"）",
                Ty::Str => "字符串",
            };
            return Err(err(
                "expr.type",
                0,
                format!("此处需要{}表达式，但它是{got}", expected.name()),
            ));
        }
        let mut inputs = p.inputs;
        inputs.sort_unstable();
        Ok(Expr {
            source: src.to_string(),
            nodes: p.nodes,
            root,
            ty: expected,
            inputs,
            uses_batch: p.uses_batch,
        })
    }

    /// The expression's type.
    pub fn ty(&self) -> Type {
        self.ty
    }

    /// Sorted indices of every input the expression references (including aggregate arguments).
    pub fn inputs(&self) -> &[usize] {
        &self.inputs
    }

    /// True when it uses `avg`, `sum`, `count` or `rank`.
    pub fn uses_batch(&self) -> bool {
        self.uses_batch
    }

    /// If the whole expression is a single bare input reference, its index.
    pub fn single_input(&self) -> Option<usize> {
        match self.nodes.get(self.root) {
            Some(Node::Input(i)) => Some(*i),
            _ => None,
        }
    }

    /// Every numeric literal in the expression (thresholds a rule author may want to probe).
    pub fn literals(&self) -> impl Iterator<Item = Decimal> + '_ {
        self.nodes.iter().filter_map(|n| match n {
            Node::Num(d) => Some(*d),
            _ => None,
        })
    }

    /// The source text.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Evaluates the expression.
    pub fn eval(&self, env: &Env<'_>) -> Result<Outcome, EvalError> {
        self.node(self.root, env)
    }

    /// Evaluates an expression of type number.
    pub fn eval_number(&self, env: &Env<'_>) -> Result<Outcome<Decimal>, EvalError> {
        Ok(match self.eval(env)? {
            Outcome::Known(Value::Number(d)) => Outcome::Known(d),
            Outcome::Known(_) | Outcome::Undefined => Outcome::Undefined,
            Outcome::Pending => Outcome::Pending,
        })
    }

    /// Evaluates an expression of type bool.
    pub fn eval_bool(&self, env: &Env<'_>) -> Result<Outcome<bool>, EvalError> {
        Ok(match self.eval(env)? {
            Outcome::Known(Value::Bool(b)) => Outcome::Known(b),
            Outcome::Known(_) | Outcome::Undefined => Outcome::Undefined,
            Outcome::Pending => Outcome::Pending,
        })
    }

    fn num(&self, i: usize, env: &Env<'_>) -> Result<Outcome<Decimal>, EvalError> {
        Ok(match self.node(i, env)? {
            Outcome::Known(Value::Number(d)) => Outcome::Known(d),
            Outcome::Known(_) | Outcome::Undefined => Outcome::Undefined,
            Outcome::Pending => Outcome::Pending,
        })
    }

    fn boolean(&self, i: usize, env: &Env<'_>) -> Result<Outcome<bool>, EvalError> {
        Ok(match self.node(i, env)? {
            Outcome::Known(Value::Bool(b)) => Outcome::Known(b),
            Outcome::Known(_) | Outcome::Undefined => Outcome::Undefined,
            Outcome::Pending => Outcome::Pending,
        })
    }

    fn node(&self, i: usize, env: &Env<'_>) -> Result<Outcome, EvalError> {
        use Outcome::{Known, Pending, Undefined};
        macro_rules! num {
            ($e:expr) => {
                match self.num($e, env)? {
                    Known(d) => d,
                    Pending => return Ok(Pending),
                    Undefined => return Ok(Undefined),
                }
            };
        }
        macro_rules! boolean {
            ($e:expr) => {
                match self.boolean($e, env)? {
                    Known(b) => b,
                    Pending => return Ok(Pending),
                    Undefined => return Ok(Undefined),
                }
            };
        }
        let n = |d: Decimal| Ok(Known(Value::Number(d)));
        let b = |x: bool| Ok(Known(Value::Bool(x)));
        let Some(node) = self.nodes.get(i) else {
            return Ok(Undefined);
        };
        match node {
            Node::Num(d) => n(*d),
            Node::Bool(x) => b(*x),
            Node::Input(k) => Ok(match env.values.get(*k) {
                Some(Some(v)) => Known(*v),
                _ => Pending,
            }),
            Node::ChoiceIs {
                input,
                option,
                negate,
            } => match env.values.get(*input) {
                Some(Some(Value::Choice(c))) => b((c == option) != *negate),
                Some(Some(_)) => Ok(Undefined),
                _ => Ok(Pending),
            },
            Node::BoolEq {
                left,
                right,
                negate,
            } => {
                let x = boolean!(*left);
                let y = boolean!(*right);
                b((x == y) != *negate)
            }
            Node::Neg(a) => n(-num!(*a)),
            Node::Not(a) => b(!boolean!(*a)),
            Node::Bin(op, l, r) => match op {
                BinOp::And => {
                    if !boolean!(*l) {
                        return b(false);
                    }
                    b(boolean!(*r))
                }
                BinOp::Or => {
                    if boolean!(*l) {
                        return b(true);
                    }
                    b(boolean!(*r))
                }
                _ => {
                    let x = num!(*l);
                    let y = num!(*r);
                    match op {
                        BinOp::Add => x.checked_add(y).map_or(Err(EvalError::Overflow), n),
                        BinOp::Sub => x.checked_sub(y).map_or(Err(EvalError::Overflow), n),
                        BinOp::Mul => x.checked_mul(y).map_or(Err(EvalError::Overflow), n),
                        BinOp::Div => {
                            if y.is_zero() {
                                Ok(Undefined)
                            } else {
                                x.checked_div(y).map_or(Err(EvalError::Overflow), n)
                            }
                        }
                        BinOp::Lt => b(x < y),
                        BinOp::Le => b(x <= y),
                        BinOp::Gt => b(x > y),
                        BinOp::Ge => b(x >= y),
                        BinOp::Eq => b(x == y),
                        BinOp::Ne => b(x != y),
                        BinOp::And | BinOp::Or => Ok(Undefined),
                    }
                }
            },
            Node::If(c, a, e) => {
                if boolean!(*c) {
                    self.node(*a, env)
                } else {
                    self.node(*e, env)
                }
            }
            Node::Min(args) | Node::Max(args) => {
                let is_min = matches!(node, Node::Min(_));
                let mut best: Option<Decimal> = None;
                for &a in args {
                    let v = num!(a);
                    best = Some(match best {
                        None => v,
                        Some(x) if is_min => x.min(v),
                        Some(x) => x.max(v),
                    });
                }
                best.map_or(Ok(Undefined), n)
            }
            Node::Abs(a) => n(num!(*a).abs()),
            Node::Floor(a) => n(num!(*a).floor()),
            Node::Ceil(a) => n(num!(*a).ceil()),
            Node::Round(a, places) => n(
                num!(*a).round_dp_with_strategy(*places, RoundingStrategy::MidpointAwayFromZero)
            ),
            Node::Avg(k) => Ok(aggregate(env.batch.map(|bt| bt.avg(*k)))),
            Node::Sum(k) => Ok(aggregate(env.batch.map(|bt| bt.sum(*k)))),
            Node::Rank(k) => Ok(aggregate(env.batch.map(|bt| bt.rank(*k)))),
            Node::Count => Ok(match env.batch {
                Some(bt) => Known(Value::Number(bt.count())),
                None => Pending,
            }),
        }
    }
}

fn aggregate(o: Option<Outcome<Decimal>>) -> Outcome {
    match o {
        Some(Outcome::Known(d)) => Outcome::Known(Value::Number(d)),
        Some(Outcome::Undefined) => Outcome::Undefined,
        Some(Outcome::Pending) | None => Outcome::Pending,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct TestScope {
        options: Vec<String>,
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
                _ => return None,
            })
        }
    }

    fn scope() -> TestScope {
        TestScope {
            options: vec!["一级".into(), "二级".into(), "无".into()],
        }
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap_or_default()
    }

    fn values() -> Vec<Option<Value>> {
        vec![
            Some(Value::Number(d("10"))),
            Some(Value::Number(d("4"))),
            Some(Value::Bool(true)),
            Some(Value::Choice(1)),
            None,
            None,
        ]
    }

    fn eval(src: &str) -> Result<Outcome, EvalError> {
        let e = match Expr::compile(src, &scope(), Type::Number)
            .or_else(|_| Expr::compile(src, &scope(), Type::Bool))
        {
            Ok(e) => e,
            Err(e) => panic!("{src}: {}", e.message),
        };
        let v = values();
        e.eval(&Env {
            values: &v,
            batch: None,
        })
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

    fn compile_err(src: &str, ty: Type) -> ExprError {
        match Expr::compile(src, &scope(), ty) {
            Err(e) => e,
            Ok(_) => panic!("{src} compiled"),
        }
    }

    #[test]
    fn arithmetic_precedence_and_associativity() {
        assert_eq!(num("1 + 2 * 3"), d("7"));
        assert_eq!(num("(1 + 2) * 3"), d("9"));
        assert_eq!(num("10 - 2 - 3"), d("5"));
        assert_eq!(num("8 / 4 / 2"), d("1"));
        assert_eq!(num("-a + b"), d("-6"));
        assert_eq!(num("--a"), d("10"));
        assert_eq!(num("b / a * 100"), d("40"));
        assert_eq!(num("1 / 3 * 3").round_dp(10), d("1"));
    }

    #[test]
    fn functions() {
        assert_eq!(num("min(a, b, 7)"), d("4"));
        assert_eq!(num("max(a, b, 7)"), d("10"));
        assert_eq!(num("abs(b - a)"), d("6"));
        assert_eq!(num("floor(2.7)"), d("2"));
        assert_eq!(num("ceil(2.1)"), d("3"));
        assert_eq!(num("floor(-2.5)"), d("-3"));
        assert_eq!(num("round(2.345, 2)"), d("2.35"));
        assert_eq!(num("round(-2.345, 2)"), d("-2.35"));
        assert_eq!(num("round(2.5, 0)"), d("3"));
        assert_eq!(num("if(flag, 1, 2)"), d("1"));
        assert_eq!(num("max(min(96 - b, 6), 0)"), d("6"));
    }

    #[test]
    fn comparisons_and_logic() {
        assert!(boolean("a > b && b >= 4"));
        assert!(boolean("a == 10.00"));
        assert!(boolean("a != b || false"));
        assert!(!boolean("!flag"));
        assert!(boolean("flag == true"));
        assert!(boolean("level == \"二级\""));
        assert!(boolean("\"一级\" != level"));
        assert!(boolean("true || empty > 1"));
        assert!(!boolean("false && empty > 1"));
    }

    #[test]
    fn undefined_and_pending() {
        assert_eq!(eval("a / (b - 4)"), Ok(Outcome::Undefined));
        assert_eq!(
            eval("if(b == 4, 100, a / (b - 4))"),
            Ok(Outcome::Known(Value::Number(d("100"))))
        );
        assert_eq!(eval("empty + 1"), Ok(Outcome::Pending));
        assert_eq!(eval("empty > 1 && true"), Ok(Outcome::Pending));
        assert_eq!(eval("avg(a)"), Ok(Outcome::Pending));
        assert_eq!(eval("count()"), Ok(Outcome::Pending));
    }

    #[test]
    fn overflow_is_an_error() {
        assert_eq!(
            eval("79228162514264337593543950335 * 2"),
            Err(EvalError::Overflow)
        );
        assert_eq!(
            eval("79228162514264337593543950335 + 1"),
            Err(EvalError::Overflow)
        );
    }

    #[test]
    fn compile_errors_are_clear() {
        let e = compile_err("a + c", Type::Number);
        assert_eq!(e.code, "expr.unknown_id");
        assert!(
            e.message.contains("「c」") && e.message.contains("第5个字符"),
            "{}",
            e.message
        );
        let e = compile_err("flag * 2", Type::Number);
        assert_eq!(e.code, "expr.type");
        assert_eq!(compile_err("a", Type::Bool).code, "expr.type");
        assert_eq!(
            compile_err("level == \"三级\"", Type::Bool).code,
            "expr.type"
        );
        assert!(
            compile_err("level == \"三级\"", Type::Bool)
                .message
                .contains("\"一级\"")
        );
        assert_eq!(compile_err("level > 1", Type::Bool).code, "expr.type");
        assert_eq!(compile_err("remark == \"x\"", Type::Bool).code, "expr.type");
        assert_eq!(compile_err("max(a)", Type::Number).code, "expr.arity");
        assert_eq!(compile_err("abs(a, b)", Type::Number).code, "expr.arity");
        assert_eq!(compile_err("if(a, 1, 2)", Type::Number).code, "expr.type");
        assert_eq!(compile_err("round(a, b)", Type::Number).code, "expr.type");
        assert_eq!(compile_err("avg(flag)", Type::Number).code, "expr.type");
        assert_eq!(compile_err("foo(a)", Type::Number).code, "expr.unknown_id");
        assert_eq!(compile_err("a < b < 3", Type::Bool).code, "expr.syntax");
        assert_eq!(compile_err("(a + 1", Type::Number).code, "expr.syntax");
        assert_eq!(compile_err("a = 1", Type::Bool).code, "expr.syntax");
        assert_eq!(compile_err("a $ 1", Type::Number).code, "expr.syntax");
        assert_eq!(compile_err("1.", Type::Number).code, "expr.syntax");
        assert_eq!(compile_err("", Type::Number).code, "expr.empty");
        assert_eq!(compile_err("   ", Type::Number).code, "expr.empty");
        assert_eq!(compile_err("a b", Type::Number).code, "expr.syntax");
        assert_eq!(compile_err("min", Type::Number).code, "expr.syntax");
    }

    #[test]
    fn full_width_space_is_whitespace() {
        assert_eq!(num("a\u{3000}+\u{3000}b"), d("14"));
    }

    #[test]
    fn limits_hold_without_deep_recursion() {
        let long = "a+".repeat(1500) + "a";
        assert_eq!(compile_err(&long, Type::Number).code, "expr.too_long");
        for depth in [33, 100_000] {
            let parens = format!("{}a{}", "(".repeat(depth), ")".repeat(depth));
            let nots = format!("{}flag", "!".repeat(depth));
            let negs = format!("{}a", "-".repeat(depth));
            let calls = format!("{}a{}", "abs(".repeat(depth), ")".repeat(depth));
            for (src, ty) in [
                (parens, Type::Number),
                (nots, Type::Bool),
                (negs, Type::Number),
                (calls, Type::Number),
            ] {
                let r = Expr::compile_limited(&src, &scope(), ty, usize::MAX, MAX_DEPTH);
                assert_eq!(
                    r.err().map(|e| e.code),
                    Some("expr.too_deep"),
                    "depth {depth}"
                );
            }
        }
        let ok = format!("{}a{}", "(".repeat(32), ")".repeat(32));
        assert!(Expr::compile(&ok, &scope(), Type::Number).is_ok());
    }

    #[test]
    fn metadata() {
        let e =
            Expr::compile("b / a * 100 + avg(b)", &scope(), Type::Number).map_err(|e| e.message);
        let e = e
            .as_ref()
            .map(|e| (e.inputs().to_vec(), e.uses_batch(), e.single_input()));
        assert_eq!(e, Ok((vec![0, 1], true, None)));
        let e = Expr::compile("a", &scope(), Type::Number)
            .map(|e| e.single_input())
            .map_err(|e| e.message);
        assert_eq!(e, Ok(Some(0)));
    }
}
