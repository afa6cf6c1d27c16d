//! The evaluator: runs a compiled program on a small fixed-size stack. It never recurses, never
//! allocates, never loops (every jump goes forward) and never panics.

use super::{Env, EvalError, Expr, ListFunc, Op, Outcome, Sub, Value};
use rust_decimal::{Decimal, RoundingStrategy};

/// Largest evaluation stack a compiled expression may need. Expressions within
/// [`MAX_EXPR_DEPTH`](crate::limits::MAX_EXPR_DEPTH) need far less (about four slots per nesting
/// level); the check guards the evaluator anyway.
pub(super) const MAX_STACK: usize = 256;

/// How a run of a program ended: pending, broken (a malformed program, which compiling rules
/// out), or with a value and whether a division by zero made it undefined on the way.
#[derive(Clone, Copy)]
enum Raw {
    Pending,
    Broken,
    Value(Value, bool),
}

// The evaluator's stack operations, as macros so that a failed pop or a full stack can end the run
// (`return`) from inside `Expr::run`. The stack is a slice and `sp` the next free slot.

macro_rules! push {
    ($stack:ident, $sp:ident, $v:expr) => {{
        let v = $v;
        match $stack.get_mut($sp) {
            Some(slot) => {
                *slot = v;
                $sp = $sp.saturating_add(1);
            }
            None => return Ok(Raw::Broken),
        }
    }};
}

macro_rules! pop {
    ($stack:ident, $sp:ident) => {{
        let Some(i) = $sp.checked_sub(1) else {
            return Ok(Raw::Broken);
        };
        $sp = i;
        match $stack.get(i) {
            Some(v) => *v,
            None => return Ok(Raw::Broken),
        }
    }};
}

macro_rules! num {
    ($stack:ident, $sp:ident) => {
        match pop!($stack, $sp) {
            Value::Number(d) => d,
            _ => return Ok(Raw::Broken),
        }
    };
}

macro_rules! boolean {
    ($stack:ident, $sp:ident) => {
        match pop!($stack, $sp) {
            Value::Bool(b) => b,
            _ => return Ok(Raw::Broken),
        }
    };
}

/// A jump, always forward.
macro_rules! jump {
    ($pc:ident, $t:expr) => {{
        if $t < $pc {
            return Ok(Raw::Broken);
        }
        $pc = $t;
    }};
}

/// Replaces the number on top of the stack by a value computed from it.
macro_rules! unary {
    ($stack:ident, $sp:ident, |$x:ident| $v:expr) => {{
        let $x = num!($stack, $sp);
        push!($stack, $sp, $v)
    }};
}

/// Replaces the two numbers on top of the stack (`x` below `y`) by a value computed from them.
macro_rules! binary {
    ($stack:ident, $sp:ident, |$x:ident, $y:ident| $v:expr) => {{
        let $y = num!($stack, $sp);
        let $x = num!($stack, $sp);
        push!($stack, $sp, $v)
    }};
}

/// Checked arithmetic: a result beyond ±10²⁰ is an overflow.
macro_rules! arith {
    ($stack:ident, $sp:ident, $f:ident) => {
        binary!($stack, $sp, |x, y| Value::Number(
            crate::decimal::$f(x, y).ok_or(EvalError::Overflow)?
        ))
    };
}

/// A batch aggregate: pending outside a batch; over no peers, undefined (0 in its place).
macro_rules! aggregate {
    ($stack:ident, $sp:ident, $env:ident, $undefined:ident, $f:ident, $i:expr) => {{
        let Some(batch) = $env.batch else {
            return Ok(Raw::Pending);
        };
        match batch.$f($i) {
            Outcome::Known(d) => push!($stack, $sp, Value::Number(d)),
            Outcome::Undefined => {
                $undefined = true;
                push!($stack, $sp, Value::Number(Decimal::ZERO))
            }
            Outcome::Pending => return Ok(Raw::Pending),
        }
    }};
}

impl Expr {
    /// Evaluates the expression. Never panics, never allocates, and runs in time linear in the
    /// length of the compiled program.
    ///
    /// # Errors
    ///
    /// [`EvalError::Overflow`] when an arithmetic result on the evaluated path does not fit in a
    /// decimal.
    pub fn eval(&self, env: &Env<'_>) -> Result<Outcome, EvalError> {
        Ok(match self.run_sized(&self.code, self.max_stack, env)? {
            Raw::Pending => Outcome::Pending,
            Raw::Broken | Raw::Value(_, true) => Outcome::Undefined,
            Raw::Value(v, false) => Outcome::Known(v),
        })
    }

    /// Runs `code` on a stack of at least `max_stack` slots.
    fn run_sized(&self, code: &[Op], max_stack: usize, env: &Env<'_>) -> Result<Raw, EvalError> {
        match max_stack {
            // Small stacks for the usual expressions: the slots are initialised on every call.
            0..=8 => self.run(code, env, &mut [Value::Bool(false); 8]),
            9..=32 => self.run(code, env, &mut [Value::Bool(false); 32]),
            _ => self.run(code, env, &mut [Value::Bool(false); MAX_STACK]),
        }
    }

    /// A list function: `sub` run on each row of the list in slot `list`. Every row is evaluated
    /// (so the order of the rows never matters): any pending row makes the result pending; a
    /// division by zero in a row makes it undefined, with that row's value as computed (0 in the
    /// quotient's place). No rows: count and sum 0, max and min 0, any false, all true.
    fn list(
        &self,
        func: ListFunc,
        list: usize,
        sub: usize,
        env: &Env<'_>,
    ) -> Result<Raw, EvalError> {
        // Rows are evaluated in a row's scope only from the top level: list functions do not nest.
        let (Some(Sub { code, max_stack }), None) = (self.subs.get(sub), env.row) else {
            return Ok(Raw::Broken);
        };
        let Some(Some(rows)) = env.lists.get(list) else {
            return Ok(Raw::Pending);
        };
        let mut undefined = false;
        let mut acc: Option<Value> = None;
        for r in 0..rows.len() {
            let row_env = Env {
                row: rows.row(r),
                ..*env
            };
            let v = match self.run_sized(code, *max_stack, &row_env)? {
                Raw::Pending => return Ok(Raw::Pending),
                Raw::Broken => return Ok(Raw::Broken),
                Raw::Value(v, u) => {
                    undefined |= u;
                    v
                }
            };
            acc = Some(match (func, acc, v) {
                (ListFunc::Count, a, Value::Bool(b)) => {
                    let n = match a {
                        Some(Value::Number(n)) => n,
                        _ => Decimal::ZERO,
                    };
                    Value::Number(if b {
                        crate::decimal::add(n, Decimal::ONE).unwrap_or(n)
                    } else {
                        n
                    })
                }
                (ListFunc::Sum, Some(Value::Number(a)), Value::Number(x)) => {
                    Value::Number(crate::decimal::add(a, x).ok_or(EvalError::Overflow)?)
                }
                (ListFunc::Max, Some(Value::Number(a)), Value::Number(x)) => {
                    Value::Number(if x > a { x } else { a })
                }
                (ListFunc::Min, Some(Value::Number(a)), Value::Number(x)) => {
                    Value::Number(if x < a { x } else { a })
                }
                (ListFunc::Sum | ListFunc::Max | ListFunc::Min, None, x @ Value::Number(_)) => x,
                (ListFunc::Any, a, Value::Bool(b)) => {
                    Value::Bool(b || a == Some(Value::Bool(true)))
                }
                (ListFunc::All, a, Value::Bool(b)) => {
                    Value::Bool(b && a != Some(Value::Bool(false)))
                }
                _ => return Ok(Raw::Broken),
            });
        }
        let empty = match func {
            ListFunc::Any => Value::Bool(false),
            ListFunc::All => Value::Bool(true),
            _ => Value::Number(Decimal::ZERO),
        };
        Ok(Raw::Value(acc.unwrap_or(empty), undefined))
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
    fn run(&self, code: &[Op], env: &Env<'_>, stack: &mut [Value]) -> Result<Raw, EvalError> {
        use Raw::Broken;
        let mut sp = 0usize;
        let mut pc = 0usize;
        // A division by zero (or an aggregate over no peers) makes the result undefined, but the
        // run goes on with 0 in its place: an empty input met later still makes it pending, so
        // `1 / a + b` and `b + 1 / a` agree (pending while b is empty).
        let mut undefined = false;
        while let Some(op) = code.get(pc) {
            pc = pc.saturating_add(1);
            match *op {
                Op::Num(d) => push!(stack, sp, Value::Number(d)),
                Op::Bool(b) => push!(stack, sp, Value::Bool(b)),
                Op::NumInput(_)
                | Op::BoolInput(_)
                | Op::ChoiceIs { .. }
                | Op::Count
                | Op::NumField(_)
                | Op::BoolField(_)
                | Op::FieldChoiceIs { .. }
                | Op::ListCount(_) => match leaf(*op, env) {
                    Ok(v) => push!(stack, sp, v),
                    Err(raw) => return Ok(raw),
                },
                Op::Neg => unary!(stack, sp, |x| Value::Number(crate::decimal::negate(x))),
                Op::Not => push!(stack, sp, Value::Bool(!boolean!(stack, sp))),
                Op::Abs => unary!(stack, sp, |x| Value::Number(x.abs())),
                Op::Floor => unary!(stack, sp, |x| Value::Number(x.floor())),
                Op::Ceil => unary!(stack, sp, |x| Value::Number(x.ceil())),
                Op::Round(places) => unary!(stack, sp, |x| Value::Number(
                    x.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
                )),
                Op::Add => arith!(stack, sp, add),
                Op::Sub => arith!(stack, sp, sub),
                Op::Mul => arith!(stack, sp, mul),
                Op::Div => {
                    let y = num!(stack, sp);
                    let x = num!(stack, sp);
                    if y.is_zero() {
                        undefined = true;
                        push!(stack, sp, Value::Number(Decimal::ZERO))
                    } else {
                        push!(
                            stack,
                            sp,
                            Value::Number(crate::decimal::div(x, y).ok_or(EvalError::Overflow)?)
                        )
                    }
                }
                Op::Lt => binary!(stack, sp, |x, y| Value::Bool(x < y)),
                Op::Le => binary!(stack, sp, |x, y| Value::Bool(x <= y)),
                Op::Gt => binary!(stack, sp, |x, y| Value::Bool(x > y)),
                Op::Ge => binary!(stack, sp, |x, y| Value::Bool(x >= y)),
                Op::Eq | Op::Ne => {
                    let y = pop!(stack, sp);
                    let x = pop!(stack, sp);
                    let same = match (x, y) {
                        (Value::Number(a), Value::Number(b)) => a == b,
                        (Value::Bool(a), Value::Bool(b)) => a == b,
                        _ => return Ok(Broken),
                    };
                    push!(stack, sp, Value::Bool(same != matches!(op, Op::Ne)))
                }
                Op::Min => binary!(stack, sp, |x, y| Value::Number(if y < x { y } else { x })),
                Op::Max => binary!(stack, sp, |x, y| Value::Number(if y > x { y } else { x })),
                Op::AndJump(t) => {
                    if !boolean!(stack, sp) {
                        push!(stack, sp, Value::Bool(false));
                        jump!(pc, t);
                    }
                }
                Op::OrJump(t) => {
                    if boolean!(stack, sp) {
                        push!(stack, sp, Value::Bool(true));
                        jump!(pc, t);
                    }
                }
                Op::JumpIfFalse(t) => {
                    if !boolean!(stack, sp) {
                        jump!(pc, t);
                    }
                }
                Op::Jump(t) => jump!(pc, t),
                Op::Avg(i) => aggregate!(stack, sp, env, undefined, avg, i),
                Op::Sum(i) => aggregate!(stack, sp, env, undefined, sum, i),
                Op::Rank(i) => aggregate!(stack, sp, env, undefined, rank, i),
                Op::List { func, list, sub } => match self.list(func, list, sub, env)? {
                    Raw::Value(v, u) => {
                        undefined |= u;
                        push!(stack, sp, v)
                    }
                    other => return Ok(other),
                },
            }
        }
        match (sp, stack.first()) {
            (1, Some(v)) => Ok(Raw::Value(*v, undefined)),
            _ => Ok(Broken),
        }
    }
}

/// The value an op that reads the environment pushes (an input, a row's field, a list's length,
/// the number of peers), or how the run ends when there is none: pending when it is empty, broken
/// when it has the wrong type.
#[inline]
fn leaf(op: Op, env: &Env<'_>) -> Result<Value, Raw> {
    let input = |i: usize| match env.values.get(i) {
        Some(Some(v)) => Ok(*v),
        _ => Err(Raw::Pending),
    };
    let field = |f: usize| match env.row.map(|row| row.get(f)) {
        Some(Some(Some(v))) => Ok(*v),
        Some(Some(None)) => Err(Raw::Pending),
        _ => Err(Raw::Broken),
    };
    let choice = |v: Value, option: usize, negate: bool| match v {
        Value::Choice(c) => Ok(Value::Bool((c == option) != negate)),
        _ => Err(Raw::Broken),
    };
    match op {
        Op::NumInput(i) => input(i).and_then(number),
        Op::BoolInput(i) => input(i).and_then(boolean),
        Op::ChoiceIs {
            input: i,
            option,
            negate,
        } => choice(input(i)?, option, negate),
        Op::Count => env
            .batch
            .map(|b| Value::Number(b.count()))
            .ok_or(Raw::Pending),
        Op::NumField(f) => field(f).and_then(number),
        Op::BoolField(f) => field(f).and_then(boolean),
        Op::FieldChoiceIs {
            field: f,
            option,
            negate,
        } => choice(field(f)?, option, negate),
        Op::ListCount(list) => match env.lists.get(list) {
            Some(Some(rows)) => Ok(Value::Number(Decimal::from(rows.len()))),
            _ => Err(Raw::Pending),
        },
        _ => Err(Raw::Broken),
    }
}

fn number(v: Value) -> Result<Value, Raw> {
    match v {
        Value::Number(_) => Ok(v),
        _ => Err(Raw::Broken),
    }
}

fn boolean(v: Value) -> Result<Value, Raw> {
    match v {
        Value::Bool(_) => Ok(v),
        _ => Err(Raw::Broken),
    }
}

impl Sub {
    /// The row expression cut from a program at `base`: its jumps made relative to its start,
    /// and the stack it needs (`None`: malformed).
    pub(super) fn rebased(mut code: Vec<Op>, base: usize) -> Option<Sub> {
        for op in &mut code {
            if let Op::AndJump(t) | Op::OrJump(t) | Op::JumpIfFalse(t) | Op::Jump(t) = op {
                *t = t.saturating_sub(base);
            }
        }
        let max_stack = stack_need(&code)?;
        Some(Sub { code, max_stack })
    }
}

/// The largest stack the program needs, or `None` if it is malformed (unbalanced stack, a
/// backward jump, a jump out of range). Only forward jumps exist, so one pass suffices.
pub(super) fn stack_need(code: &[Op]) -> Option<usize> {
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
            | Op::Count
            | Op::NumField(_)
            | Op::BoolField(_)
            | Op::FieldChoiceIs { .. }
            | Op::ListCount(_)
            | Op::List { .. } => (Some(h.saturating_add(1)), None),
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
