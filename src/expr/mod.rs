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
//! still limited to [`MAX_EXPR_DEPTH`] levels (parentheses, function calls and unary operators each
//! count one), and sources longer than [`MAX_EXPR_LENGTH`] characters are refused before anything
//! else is looked at.
//!
//! The folder's files follow the pipeline: `lexer` (characters to tokens), `compiler` (tokens to
//! a type-checked postfix program, in one pass), `vm` (running the program). This file holds what
//! they share: the public types, the instruction set and the table of functions.
//!
//! [`MAX_EXPR_DEPTH`]: crate::limits::MAX_EXPR_DEPTH
//! [`MAX_EXPR_LENGTH`]: crate::limits::MAX_EXPR_LENGTH

use crate::code::Code;
use rust_decimal::Decimal;

mod compiler;
mod fold;
mod lexer;
mod operand;
mod vm;

#[cfg(test)]
mod tests;

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
    /// Another input no expression may read (a date, several assessors' scores), named in messages
    /// by this description (`日期类输入项`).
    Other(&'a str),
    /// A record list (明细) in this list slot: usable only as the first argument of the list
    /// functions (`count`, `sum`, `max`, `min`, `any`, `all`).
    Records(usize),
}

/// Resolves identifiers at compile time.
pub trait Scope {
    /// Index and kind of the input named `name`, if there is one.
    fn lookup(&self, name: &str) -> Option<(usize, InputKind<'_>)>;

    /// Index and kind of the field named `name` of the record list in slot `list`, if it has one
    /// (inside a row expression a row's fields shadow inputs).
    fn field(&self, list: usize, name: &str) -> Option<(usize, InputKind<'_>)> {
        let _ = (list, name);
        None
    }
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
    /// `expr.too_deep`, `expr.empty`, `expr.div_zero` or `expr.overflow`.
    pub code: Code,
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

/// One record list's rows as read from a submission: the cells row by row (`None` = empty).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rows {
    /// Cells per row (the list's fields).
    pub width: usize,
    /// The cells, row by row.
    pub cells: Vec<Option<Value>>,
    /// Each row's name in trace texts (the values of its `describe` fields).
    pub names: Vec<String>,
    /// Some required cell is empty (a row expression reading it is pending).
    pub incomplete: bool,
}

impl Rows {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The cells of row `r`.
    pub fn row(&self, r: usize) -> Option<&[Option<Value>]> {
        let start = r.checked_mul(self.width)?;
        self.cells.get(start..start.checked_add(self.width)?)
    }
}

/// Evaluation environment: input values by index (`None` = empty), record lists, the row being
/// evaluated and the batch, if any.
#[derive(Clone, Copy, Default)]
pub struct Env<'a> {
    /// Values by input index; a missing index counts as empty.
    pub values: &'a [Option<Value>],
    /// Peer statistics, when scoring a batch.
    pub batch: Option<&'a dyn Batch>,
    /// Record lists by list slot; `None` (or a missing slot) is a list not given: pending.
    pub lists: &'a [Option<Rows>],
    /// The cells of the row a row expression (an `each` line's) is evaluated on.
    pub row: Option<&'a [Option<Value>]>,
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
    /// Push a number field of the current row (empty → pending).
    NumField(usize),
    /// Push a bool field of the current row (empty → pending).
    BoolField(usize),
    /// Push `field == option` of the current row (negated for `!=`).
    FieldChoiceIs {
        field: usize,
        option: usize,
        negate: bool,
    },
    /// Push the number of rows of the list in this slot.
    ListCount(usize),
    /// Push `func` over the rows of list `list`, running sub-program `sub` on each row.
    List {
        func: ListFunc,
        list: usize,
        sub: usize,
    },
}

/// What a list function computes over a list's rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ListFunc {
    Count,
    Sum,
    Max,
    Min,
    Any,
    All,
}

/// A row expression of a list function: run once per row.
#[derive(Clone, Debug)]
struct Sub {
    code: Vec<Op>,
    max_stack: usize,
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
    /// The row expressions of its list functions.
    subs: Vec<Sub>,
    /// It was compiled as a row expression (an `each` line's): it reads the fields of a row.
    row: bool,
}

/// The functions of the language. [`FUNCTIONS`] names them.
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
    Any,
    All,
}

/// Every function by name, in the order messages list them: the one table the compiler, its
/// messages and the reserved words (which no input id may be) come from.
const FUNCTIONS: &[(&str, Func)] = &[
    ("if", Func::If),
    ("min", Func::Min),
    ("max", Func::Max),
    ("abs", Func::Abs),
    ("floor", Func::Floor),
    ("ceil", Func::Ceil),
    ("round", Func::Round),
    ("avg", Func::Avg),
    ("sum", Func::Sum),
    ("count", Func::Count),
    ("rank", Func::Rank),
    ("any", Func::Any),
    ("all", Func::All),
];

/// The literals that look like identifiers.
const LITERAL_WORDS: &[&str] = &["true", "false"];

impl Func {
    fn name(self) -> &'static str {
        FUNCTIONS
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("", |(name, _)| name)
    }

    /// Whether the function has a form over a record list (`count(L, c)`, `sum(L, x)` …).
    fn takes_list(self) -> bool {
        matches!(
            self,
            Func::Count | Func::Sum | Func::Max | Func::Min | Func::Any | Func::All
        )
    }

    fn from_name(name: &str) -> Option<Func> {
        FUNCTIONS.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
    }

    /// The function names as a message lists them: `if、min、…`.
    fn list() -> String {
        let names: Vec<&str> = FUNCTIONS.iter().map(|(name, _)| *name).collect();
        names.join("、")
    }
}

/// Whether `word` is reserved by the language (a literal or a function name), so that no input
/// may be named by it.
pub(crate) fn is_reserved(word: &str) -> bool {
    LITERAL_WORDS.contains(&word) || Func::from_name(word).is_some()
}

// Errors, positioned by character offset.

fn err(code: Code, offset: usize, message: String) -> ExprError {
    ExprError {
        code,
        message: format!("{message}（第{}个字符）", offset.saturating_add(1)),
        offset,
    }
}

fn syntax(offset: usize, message: String) -> ExprError {
    err(Code::ExprSyntax, offset, message)
}

fn type_err(offset: usize, message: String) -> ExprError {
    err(Code::ExprType, offset, message)
}

impl Expr {
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
        self.code
            .iter()
            .chain(self.subs.iter().flat_map(|s| &s.code))
            .filter_map(|op| match op {
                Op::Num(d) => Some(*d),
                _ => None,
            })
    }

    /// Number of operations of the compiled program, row expressions included (what evaluating
    /// it costs at most, each row expression counted once).
    pub fn op_count(&self) -> usize {
        self.subs
            .iter()
            .fold(self.code.len(), |n, s| n.saturating_add(s.code.len()))
    }

    /// Operations run once per row of a record list: its list functions' row expressions, or the
    /// whole program of a row expression.
    pub fn row_op_count(&self) -> usize {
        if self.row {
            self.op_count()
        } else {
            self.subs
                .iter()
                .fold(0usize, |n, s| n.saturating_add(s.code.len()))
        }
    }

    /// Operations of the program itself, without its list functions' row expressions.
    pub fn main_op_count(&self) -> usize {
        self.code.len()
    }

    /// For each list function: the slot of the list it runs over and the operations it runs per
    /// row (its row expression, and one to take the row's result).
    pub fn row_costs(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.code.iter().filter_map(|op| match op {
            Op::List { list, sub, .. } => Some((
                *list,
                self.subs
                    .get(*sub)
                    .map_or(0, |s| s.code.len())
                    .saturating_add(1),
            )),
            _ => None,
        })
    }

    /// The list slots its list functions read.
    pub fn lists(&self) -> impl Iterator<Item = usize> + '_ {
        self.code.iter().filter_map(|op| match op {
            Op::List { list, .. } | Op::ListCount(list) => Some(*list),
            _ => None,
        })
    }

    /// The source text.
    pub fn source(&self) -> &str {
        &self.source
    }
}
