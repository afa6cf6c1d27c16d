//! Parsing, type checking and code generation in one pass: tokens to a postfix program.

use super::fold;
use super::lexer::{Lexer, Sym, Tok, Token, tok_text};
use super::operand::{Frame, Opnd, Ty, describe, is_comparison, precedence};
use super::vm::{MAX_STACK, stack_need};
use super::{
    Expr, ExprError, Func, InputKind, ListFunc, Op, Scope, Sub, Type, Value, err, syntax, type_err,
};
use crate::code::Code;
use crate::limits::{MAX_EXPR_DEPTH, MAX_EXPR_LENGTH};
use rust_decimal::Decimal;

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
        Self::compile_limited(src, scope, expected, MAX_EXPR_LENGTH, MAX_EXPR_DEPTH, None)
    }

    /// Compiles a row expression: evaluated on one row of the record list in slot `list` at a
    /// time, with the row's fields in scope (they shadow inputs). List functions cannot be used in
    /// it (`expr.nesting`).
    ///
    /// # Errors
    ///
    /// As [`Expr::compile`].
    pub fn compile_row(
        src: &str,
        scope: &dyn Scope,
        expected: Type,
        list: usize,
    ) -> Result<Expr, ExprError> {
        Self::compile_limited(
            src,
            scope,
            expected,
            MAX_EXPR_LENGTH,
            MAX_EXPR_DEPTH,
            Some(list),
        )
    }

    /// Compiles with explicit limits (the tests lift the length limit to check the depth limit
    /// on its own); `row` is the list slot of a row expression.
    pub(super) fn compile_limited(
        src: &str,
        scope: &dyn Scope,
        expected: Type,
        max_length: usize,
        max_depth: usize,
        row: Option<usize>,
    ) -> Result<Expr, ExprError> {
        let len = src.chars().count();
        if len > max_length {
            return Err(err(
                Code::ExprTooLong,
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
            return Err(err(Code::ExprEmpty, 0, "表达式为空".into()));
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
            row,
            subs: Vec::new(),
        };
        let whole = p.parse()?;
        let ty = match (whole.ty, expected) {
            (Ty::Number, Type::Number) => Type::Number,
            (Ty::Bool, Type::Bool) => Type::Bool,
            (got, _) => {
                let got = match got {
                    Ty::Number => "数值表达式".to_string(),
                    Ty::Bool => "条件（真/假）表达式".to_string(),
                    Ty::Choice(..) | Ty::Str | Ty::List(_) => {
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
                Code::ExprTooDeep,
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
            subs: p.subs,
            row: row.is_some(),
        })
    }
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
    /// The list slot whose row is in scope: a row expression's, or a list function's argument's.
    row: Option<usize>,
    /// Row expressions of list functions, compiled.
    subs: Vec<Sub>,
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
                Code::ExprTooDeep,
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
            Ty::Choice(_, options, _) => {
                let example = options.first().map_or("选项", String::as_str);
                format!(
                    "，只能用 == 或 != 与带引号的选项比较（如 {} == \"{example}\"）",
                    self.snippet(o)
                )
            }
            Ty::Str => "，只能与选择类输入项用 == 或 != 比较".into(),
            Ty::List(_) => {
                let id = self.snippet(o);
                format!("，只能用于 count({id}, 条件)、sum({id}, 数值) 等明细函数")
            }
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
        let simple = |ty, text, konst| Opnd {
            ty,
            start,
            end,
            code_start,
            text,
            konst,
        };
        match &self.cur.tok {
            Tok::Num(d) => {
                let d = *d;
                self.advance()?;
                self.emit(Op::Num(d));
                self.operands
                    .push(simple(Ty::Number, None, Some(Value::Number(d))));
            }
            Tok::Str(s) => {
                let s = s.clone();
                self.advance()?;
                self.operands.push(simple(Ty::Str, Some(s), None));
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
                        let b = name == "true";
                        self.emit(Op::Bool(b));
                        self.operands
                            .push(simple(Ty::Bool, None, Some(Value::Bool(b))));
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
                        self.operands.push(simple(ty, None, None));
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
            let konst = fold::unary(neg, inner.konst);
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
                konst,
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
        let (ty, konst) = match sym {
            Sym::AndAnd | Sym::OrOr => {
                self.need(&right, Type::Bool, &context)?;
                if let Some(j) = jump {
                    self.patch(j);
                }
                let and = sym == Sym::AndAnd;
                (Ty::Bool, fold::logic(and, left.konst, right.konst))
            }
            Sym::Plus | Sym::Minus | Sym::Star | Sym::Slash => {
                self.need(&right, Type::Number, &context)?;
                let konst = self.fold_arith(sym, &left, &right)?;
                self.emit(match sym {
                    Sym::Plus => Op::Add,
                    Sym::Minus => Op::Sub,
                    Sym::Star => Op::Mul,
                    _ => Op::Div,
                });
                (Ty::Number, konst)
            }
            _ => {
                self.compare(sym, at, &left, &right)?;
                (Ty::Bool, fold::compare(sym, left.konst, right.konst))
            }
        };
        self.operands.push(Opnd {
            ty,
            start: left.start,
            end: right.end,
            code_start: left.code_start,
            text: None,
            konst,
        });
        Ok(())
    }

    /// The value of `left sym right` when both are constants; an error when it fails on every
    /// evaluation: a division by a constant zero, or a constant result beyond the bound of computed
    /// values (the evaluator would report an overflow every time).
    fn fold_arith(
        &self,
        sym: Sym,
        left: &Opnd<'_>,
        right: &Opnd<'_>,
    ) -> Result<Option<Value>, ExprError> {
        let whole = self.lex.snippet(left.start, right.end);
        fold::arith(sym, left.konst, right.konst).map_err(|fails| match fails {
            fold::Fails::DivZero => err(
                Code::ExprDivZero,
                right.start,
                format!("除数「{}」恒为0：计算「{whole}」时总是除以零（结果无定义），请改正除数", self.snippet(right)),
            ),
            fold::Fails::Overflow => err(
                Code::ExprOverflow,
                left.start,
                format!("常量运算「{whole}」的结果超出可计算的范围（绝对值不超过10²⁰），每次计算都会溢出，请改正"),
            ),
        })
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
            (Ty::Choice(input, options, field), Ty::Str) if equality => {
                self.choice_is((input, field), options, left, right, negate)
            }
            (Ty::Str, Ty::Choice(input, options, field)) if equality => {
                self.choice_is((input, field), options, right, left, negate)
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
        (input, field): (usize, bool),
        options: &[String],
        choice: &Opnd<'_>,
        string: &Opnd<'_>,
        negate: bool,
    ) -> Result<(), ExprError> {
        let text = string.text.as_deref().unwrap_or_default();
        match options.iter().position(|o| o == text) {
            Some(option) => {
                self.emit(if field {
                    Op::FieldChoiceIs {
                        field: input,
                        option,
                        negate,
                    }
                } else {
                    Op::ChoiceIs {
                        input,
                        option,
                        negate,
                    }
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

    /// Resolves an input reference (or, in a row expression, a field of the row) and emits its
    /// load (choice inputs load in `choice_is`).
    fn resolve(&mut self, name: &str, at: usize) -> Result<Ty<'s>, ExprError> {
        let scope = self.scope;
        if let Some((index, kind)) = self.row.and_then(|list| scope.field(list, name)) {
            return match kind {
                InputKind::Number => {
                    self.emit(Op::NumField(index));
                    Ok(Ty::Number)
                }
                InputKind::Bool => {
                    self.emit(Op::BoolField(index));
                    Ok(Ty::Bool)
                }
                InputKind::Choice(options) => Ok(Ty::Choice(index, options, true)),
                InputKind::Text | InputKind::Other(_) | InputKind::Records(_) => Err(type_err(
                    at,
                    format!("「{name}」是文本或日期类字段，不参与计分"),
                )),
            };
        }
        let Some((index, kind)) = scope.lookup(name) else {
            return Err(err(
                Code::ExprUnknownId,
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
            InputKind::Choice(options) => Ty::Choice(index, options, false),
            InputKind::Records(list) => Ty::List(list),
            InputKind::Text => {
                return Err(type_err(
                    at,
                    format!("「{name}」是文本类输入项，文本类输入不参与计分"),
                ));
            }
            InputKind::Other(what) => {
                return Err(type_err(
                    at,
                    format!("「{name}」是{what}，不能用在表达式中"),
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
                Code::ExprUnknownId,
                start,
                format!("未知函数「{name}」（可用：{}）", Func::list()),
            ));
        };
        let frame = Frame::Call {
            func,
            start,
            base: self.operands.len(),
            code_start: self.code.len(),
            if_jumps: (None, None),
            list: None,
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
        if index == 0 && func.takes_list() {
            if let Some(&Opnd {
                ty: Ty::List(list),
                start,
                ..
            }) = self.operands.last()
            {
                if self.row.is_some() {
                    return Err(err(
                        Code::ExprNesting,
                        start,
                        format!(
                            "{}() 不能用在另一个明细函数的条件或逐条（each）规则中：明细函数不能嵌套",
                            func.name()
                        ),
                    ));
                }
                self.row = Some(list);
                let code = self.code.len();
                if let Some(Frame::Call { list: slot, .. }) = self.frames.last_mut() {
                    *slot = Some((list, code));
                }
                return Ok(());
            }
        }
        let in_list = matches!(self.frames.last(), Some(Frame::Call { list: Some(_), .. }));
        let mut jumps = if_jumps;
        match (func, index) {
            (Func::If, 0) => jumps.0 = Some(self.emit(Op::JumpIfFalse(0))),
            (Func::If, 1) => {
                jumps.1 = Some(self.emit(Op::Jump(0)));
                if let Some(j) = jumps.0 {
                    self.patch(j);
                }
            }
            (Func::Min, 1..) if !in_list => {
                self.emit(Op::Min);
            }
            (Func::Max, 1..) if !in_list => {
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
                let (jump, list) = match self.frames.pop() {
                    Some(Frame::Call { if_jumps, list, .. }) => (if_jumps.1, list),
                    _ => (None, None),
                };
                self.depth = self.depth.saturating_sub(1);
                self.advance()?;
                if let Some(j) = jump {
                    self.patch(j);
                }
                let args = self.operands.split_off(base.min(self.operands.len()));
                // A list function's value depends on the rows: never a constant (its row
                // expression was folded and checked like any other as it was parsed).
                let (ty, konst) = match list {
                    Some(list) => (self.finish_list_call(func, start, &args, list)?, None),
                    None => {
                        let konsts: Vec<Option<Value>> = args.iter().map(|a| a.konst).collect();
                        (
                            self.finish_call(func, start, &args)?,
                            fold::call(func, &konsts),
                        )
                    }
                };
                self.operands.push(Opnd {
                    ty,
                    start,
                    end: self.prev_end,
                    code_start,
                    text: None,
                    konst,
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
                    Code::ExprArity,
                    start,
                    format!("{name}() 需要{want}参数，实有{n}个"),
                ))
            }
        };
        match func {
            Func::If => {
                arity("3个", n == 3)?;
                self.if_type(args)
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
                self.round_places(args)
            }
            Func::Count => {
                if n != 0 {
                    return Err(err(
                        Code::ExprArity,
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
                self.aggregate(func, args)
            }
            Func::Any | Func::All => Err(type_err(
                args.first().map_or(start, |a| a.start),
                format!("{name}() 的第1个参数应为明细类输入项（records），如 {name}(明细id, 条件)"),
            )),
        }
    }

    /// A list function over the record list in slot `list` whose row expression's code starts at
    /// `row_code`: the row expression becomes a sub-program run once per row.
    fn finish_list_call(
        &mut self,
        func: Func,
        start: usize,
        args: &[Opnd<'s>],
        (list, row_code): (usize, usize),
    ) -> Result<Ty<'s>, ExprError> {
        self.row = None;
        let name = func.name();
        let (list_func, want, what) = match func {
            Func::Count => (ListFunc::Count, Type::Bool, "条件"),
            Func::Sum => (ListFunc::Sum, Type::Number, "数值"),
            Func::Max => (ListFunc::Max, Type::Number, "数值"),
            Func::Min => (ListFunc::Min, Type::Number, "数值"),
            Func::Any => (ListFunc::Any, Type::Bool, "条件"),
            _ => (ListFunc::All, Type::Bool, "条件"),
        };
        match args {
            [_] if func == Func::Count => {
                self.emit(Op::ListCount(list));
                return Ok(Ty::Number);
            }
            [_, row] => self.need(
                row,
                want,
                &format!("{name}() 的第2个参数（每条记录的{what}）"),
            )?,
            _ => {
                let want = if func == Func::Count {
                    "1或2个"
                } else {
                    "2个"
                };
                return Err(err(
                    Code::ExprArity,
                    start,
                    format!(
                        "{name}() 用于明细时需要{want}参数（明细id, 每条记录的表达式），实有{}个",
                        args.len()
                    ),
                ));
            }
        }
        let code = self.code.split_off(row_code.min(self.code.len()));
        let sub = Sub::rebased(code, row_code).ok_or_else(internal)?;
        if sub.max_stack > MAX_STACK {
            return Err(err(
                Code::ExprTooDeep,
                start,
                "表达式过于复杂（嵌套的运算过多），请拆分".into(),
            ));
        }
        self.subs.push(sub);
        self.emit(Op::List {
            func: list_func,
            list,
            sub: self.subs.len().saturating_sub(1),
        });
        Ok(match list_func {
            ListFunc::Any | ListFunc::All => Ty::Bool,
            _ => Ty::Number,
        })
    }

    /// `if(c, a, b)`: a condition, and two branches of one type.
    fn if_type(&mut self, args: &[Opnd<'s>]) -> Result<Ty<'s>, ExprError> {
        let [c, a, b] = args else {
            return Err(internal());
        };
        self.need(c, Type::Bool, "if() 的第1个参数（条件）")?;
        match (a.ty, b.ty) {
            (Ty::Number, Ty::Number) => Ok(Ty::Number),
            (Ty::Bool, Ty::Bool) => Ok(Ty::Bool),
            (Ty::Choice(..) | Ty::Str | Ty::List(_), _) => {
                self.need(a, Type::Number, "if() 的第2个参数")?;
                Err(internal())
            }
            (_, Ty::Choice(..) | Ty::Str | Ty::List(_)) => {
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

    /// `round(x, n)`: `n` must be a literal 0..=28, folded into the instruction.
    fn round_places(&mut self, args: &[Opnd<'s>]) -> Result<Ty<'s>, ExprError> {
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

    /// `avg(id)`, `sum(id)`, `rank(id)`: the argument must be a bare numeric input.
    fn aggregate(&mut self, func: Func, args: &[Opnd<'s>]) -> Result<Ty<'s>, ExprError> {
        let name = func.name();
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
