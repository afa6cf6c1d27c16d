//! The structured generator of the `score` target: a small description of a rule set and a few
//! submissions, derived with `arbitrary` from the fuzzer's bytes, turned into `kpi-rules/1` and
//! `kpi-submission/1` JSON text.
//!
//! The description is shaped so that most byte strings give a rule set that loads: item points
//! add up to their section's points (or `out_of`), sections to `full_score`, caps stay within
//! points, bands tile the line, grades descend to 0, every non-text input is read by some rule
//! (unread ones are left out) and every expression is type-correct. Deliberate mistakes (about one
//! case in nine) and odd submission values (out of range, empty, wrong type, huge) cover the
//! error paths.

use super::fidelity::{Fidelity, SECTION_POINTS, SubFidelity};
use arbitrary::{Arbitrary, Result, Unstructured};
use std::fmt::Write as _;

/// Largest number of each kind of thing rendered (longer vectors are cut).
const MAX_INPUTS: usize = 8;
const MAX_SECTIONS: usize = 3;
const MAX_ITEMS: usize = 5;
const MAX_LINES: usize = 3;
const MAX_SUBS: usize = 4;
/// Deepest expression tree generated (each level adds at most two levels of nesting).
const EXPR_DEPTH: u32 = 3;

// ---------------------------------------------------------------------------------------------
// The description

/// A rule set, a perturbed copy of it and some submissions.
#[derive(Arbitrary, Debug)]
pub struct Spec {
    scale: u8,
    rescale: bool,
    numbers_as_json: bool,
    inputs: Vec<InputSpec>,
    sections: Vec<SectionSpec>,
    adjustments: Vec<AdjSpec>,
    bonus: Option<BonusSpec>,
    vetoes: Vec<VetoSpec>,
    grades: Vec<u8>,
    quotas: Vec<QuotaSpec>,
    embedded_test: Option<Dec>,
    mistake: Mistake,
    subs: Vec<SubSpec>,
    copies: u8,
    perturb: Perturb,
    probe: u8,
    /// Issue 14's constructs (fidelity.rs).
    fidelity: Fidelity,
}

#[derive(Arbitrary, Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Count,
    Number,
    Percent,
    Bool,
    Choice,
    Text,
}

#[derive(Arbitrary, Debug)]
struct InputSpec {
    kind: Kind,
    /// Optional when `% 4 == 0`.
    required: u8,
    min: Option<BoundSpec>,
    max: Option<BoundSpec>,
    options: u8,
    default: Dec,
    unit: bool,
}

#[derive(Arbitrary, Debug)]
enum BoundSpec {
    Lit(Dec),
    Input(u8),
}

/// A decimal: mostly small, sometimes at or beyond the engine's limits.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Dec {
    Small(u8),
    Tenths(u16),
    Hundredths(u16),
    Big(u32),
    Edge(u8),
}

/// Positive points: 0.25 .. 100 in quarters, or whole numbers.
#[derive(Arbitrary, Debug, Clone, Copy)]
struct Pts(u16);

#[derive(Arbitrary, Debug)]
struct SectionSpec {
    out_of: Option<Pts>,
    points: Pts,
    items: Vec<ItemSpec>,
}

#[derive(Arbitrary, Debug)]
struct ItemSpec {
    points: Pts,
    /// Cap as a share of points (1..=100 %), on deduct and rate items.
    cap: Option<u8>,
    combine_max: bool,
    applicable: Option<BExpr>,
    rule: RuleSpec,
}

#[derive(Arbitrary, Debug)]
enum RuleSpec {
    Deduct(Vec<LineSpec>),
    Rate {
        value: NExpr,
        target: Dec,
        lower: bool,
        mode: RateModeSpec,
        undefined: u8,
    },
    Bands {
        value: NExpr,
        cuts: Vec<Dec>,
        scores: Vec<u8>,
        open_low: bool,
        open_high: bool,
    },
    Judged(u8),
    Rank {
        value: NExpr,
        asc: bool,
        first: u8,
        step: u8,
        floor: u8,
    },
    Formula(NExpr),
}

#[derive(Arbitrary, Debug)]
enum RateModeSpec {
    Step { step: Dec, pps: Pts, partial: u8 },
    Proportional,
}

#[derive(Arbitrary, Debug)]
struct LineSpec {
    when: LineWhen,
    points: Pts,
    free: Option<Dec>,
    unit: bool,
    reason: u8,
}

#[derive(Arbitrary, Debug)]
enum LineWhen {
    If(BExpr),
    Per(NExpr),
}

#[derive(Arbitrary, Debug)]
struct AdjSpec {
    cap: Option<Pts>,
    combine_max: bool,
    lines: Vec<LineSpec>,
}

#[derive(Arbitrary, Debug)]
struct BonusSpec {
    cap: Pts,
    items: Vec<(Pts, bool, Vec<LineSpec>)>,
}

#[derive(Arbitrary, Debug)]
struct VetoSpec {
    when: BExpr,
    effect: EffectSpec,
}

#[derive(Arbitrary, Debug)]
enum EffectSpec {
    Fail,
    Zero,
    MaxGrade(u8),
    LowerGrades(u8),
}

#[derive(Arbitrary, Debug)]
struct QuotaSpec {
    grade: u8,
    share: u8,
}

/// One submission. Values are matched to inputs by position.
#[derive(Arbitrary, Debug)]
struct SubSpec {
    values: Vec<ValSpec>,
    group: Option<u8>,
    unranked: bool,
    /// `< 8`: something wrong in the header (other rule set, other period, missing unit …).
    header: u8,
    notes: bool,
    extra_value: bool,
    fid: SubFidelity,
}

/// One value: `sel` picks typical (most), edge, empty, null, huge, wrong type or odd JSON.
#[derive(Arbitrary, Debug, Clone, Copy)]
struct ValSpec {
    sel: u8,
    n: u16,
}

/// How the second rule set (for `diff` and `probe`) differs from the first.
#[derive(Arbitrary, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Perturb {
    Same,
    Version,
    LinePoints,
    Grades,
    Targets,
    DropVeto,
    Scale,
    ItemPoints,
}

/// A deliberate mistake the loader must refuse; `None` for most inputs.
#[derive(Arbitrary, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mistake(u8);

/// The kinds of deliberate mistake, each of which must make loading fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MistakeKind {
    /// `full_score` one more than the sections' sum.
    SectionsSum,
    /// An item's points one more than its share of the section.
    ItemsSum,
    /// A field no format knows.
    UnknownField,
    /// An expression naming an input that does not exist.
    UnknownId,
    /// Grades in ascending order.
    GradeOrder,
    /// A decimal that does not parse.
    BadDecimal,
    /// A bool used as a number.
    TypeError,
    /// An expression nested 40 levels deep.
    TooDeep,
    /// Two items with one id.
    DuplicateId,
    /// A non-text input no rule reads.
    UnusedInput,
    /// `not_applicable: rescale` together with `out_of`.
    RescaleWithOutOf,
    /// Not a rule set at all.
    WrongFormat,
    /// A member written twice in one object (`format`).
    DuplicateKey,
    /// A control character in a text (the title).
    ControlChar,
}

impl Mistake {
    fn kind(self) -> Option<MistakeKind> {
        use MistakeKind::*;
        const KINDS: [MistakeKind; 14] = [
            SectionsSum,
            ItemsSum,
            UnknownField,
            UnknownId,
            GradeOrder,
            BadDecimal,
            TypeError,
            TooDeep,
            DuplicateId,
            UnusedInput,
            RescaleWithOutOf,
            WrongFormat,
            DuplicateKey,
            ControlChar,
        ];
        let k = usize::from(self.0);
        (k >= 232).then(|| KINDS[(k - 232) % KINDS.len()])
    }
}

// ---------------------------------------------------------------------------------------------
// Expressions: generated with a depth limit (not derived, so that nesting stays bounded)

/// A number-valued expression.
#[derive(Debug)]
pub struct NExpr(N);
/// A bool-valued expression.
#[derive(Debug)]
pub struct BExpr(B);

#[derive(Debug)]
enum N {
    Lit(Dec),
    Input(u8),
    Ratio(u8, u8),
    Neg(Box<N>),
    Bin(u8, Box<N>, Box<N>),
    MinMax(bool, Vec<N>),
    Unary(u8, Box<N>),
    Round(Box<N>, u8),
    If(Box<B>, Box<N>, Box<N>),
    Aggregate(u8, u8),
}

#[derive(Debug)]
enum B {
    Lit(bool),
    Input(u8),
    Cmp(u8, Box<N>, Box<N>),
    AndOr(bool, Box<B>, Box<B>),
    Not(Box<B>),
    Choice { input: u8, option: u8, ne: bool },
}

fn gen_n(u: &mut Unstructured, depth: u32) -> Result<N> {
    if depth == 0 || u.ratio(2, 5)? {
        return Ok(match u.int_in_range(0u8..=19)? {
            0..=8 => N::Input(u.arbitrary()?),
            9..=15 => N::Lit(u.arbitrary()?),
            16 | 17 => N::Ratio(u.arbitrary()?, u.arbitrary()?),
            _ => N::Aggregate(u.arbitrary()?, u.arbitrary()?),
        });
    }
    let d = depth - 1;
    Ok(match u.int_in_range(0u8..=9)? {
        0..=3 => N::Bin(
            u.arbitrary()?,
            Box::new(gen_n(u, d)?),
            Box::new(gen_n(u, d)?),
        ),
        4 => N::Neg(Box::new(gen_n(u, d)?)),
        5 => {
            let n = u.int_in_range(2..=3)?;
            let mut args = Vec::with_capacity(n);
            for _ in 0..n {
                args.push(gen_n(u, d)?);
            }
            N::MinMax(u.arbitrary()?, args)
        }
        6 => N::Unary(u.arbitrary()?, Box::new(gen_n(u, d)?)),
        7 => N::Round(Box::new(gen_n(u, d)?), u.arbitrary()?),
        _ => N::If(
            Box::new(gen_b(u, d)?),
            Box::new(gen_n(u, d)?),
            Box::new(gen_n(u, d)?),
        ),
    })
}

fn gen_b(u: &mut Unstructured, depth: u32) -> Result<B> {
    if depth == 0 || u.ratio(1, 3)? {
        return Ok(match u.int_in_range(0u8..=9)? {
            0 => B::Lit(u.arbitrary()?),
            1..=4 => B::Input(u.arbitrary()?),
            5..=6 => B::Choice {
                input: u.arbitrary()?,
                option: u.arbitrary()?,
                ne: u.arbitrary()?,
            },
            _ => B::Cmp(
                u.arbitrary()?,
                Box::new(gen_n(u, 0)?),
                Box::new(gen_n(u, 0)?),
            ),
        });
    }
    let d = depth - 1;
    Ok(match u.int_in_range(0u8..=5)? {
        0..=2 => B::Cmp(
            u.arbitrary()?,
            Box::new(gen_n(u, d)?),
            Box::new(gen_n(u, d)?),
        ),
        3 | 4 => B::AndOr(
            u.arbitrary()?,
            Box::new(gen_b(u, d)?),
            Box::new(gen_b(u, d)?),
        ),
        _ => B::Not(Box::new(gen_b(u, d)?)),
    })
}

impl<'a> Arbitrary<'a> for NExpr {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        gen_n(u, EXPR_DEPTH).map(NExpr)
    }
}

impl<'a> Arbitrary<'a> for BExpr {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        gen_b(u, EXPR_DEPTH).map(BExpr)
    }
}

// ---------------------------------------------------------------------------------------------
// Rendering

/// What the generator produced.
#[derive(Debug)]
pub struct Case {
    /// The rule set.
    pub rules: String,
    /// A perturbed copy (for `diff` and `probe`).
    pub perturbed: String,
    /// How it was perturbed.
    pub perturb: Perturb,
    /// Submissions, the first one being the unit of interest.
    pub subs: Vec<String>,
    /// Copies of the first submission under other unit ids (for a batch).
    pub copies: Vec<String>,
    /// The deliberate mistake, if any.
    pub mistake: Option<MistakeKind>,
    /// True when the rule set may use batch-only features (aggregates, rank items, quotas).
    pub batch_sensitive: bool,
    /// Whether to run the (slower) probe: in one case out of eight.
    pub probe: bool,
}

/// A rendered input, as the expression renderer sees it.
struct In {
    id: String,
    kind: Kind,
    options: Vec<&'static str>,
    /// Literal range, for typical submission values.
    lo: Option<String>,
    hi: Option<String>,
    /// Another input bounds it (so typical values may be out of range).
    bound_ref: [Option<usize>; 2],
    /// The smallest points (in hundredths) of the judged items that read it.
    judged: Option<u64>,
}

struct Ctx {
    inputs: Vec<In>,
    used: Vec<bool>,
    batch: bool,
    json_numbers: bool,
    perturb: Option<Perturb>,
    /// Hundredths per unit of the scale's last place (100 for scale 0, 10 for 1, else 1).
    unit: u64,
}

const OPTIONS: [&str; 5] = ["一级", "二级", "三级", "无", "a\"b\\c"];
const REASONS: [&str; 8] = [
    "未制定年度安全生产工作计划",
    "发生一般生产安全事故",
    "未按期整改{n}项，扣{points}分",
    "合计扣{amount}分",
    "含\"引号\"与\\反斜杠",
    "{n}{n}{unit}{",
    "😀 emoji",
    "督查发现问题",
];

impl Dec {
    /// The decimal as text (always parseable unless `Edge` picks one of the odd forms).
    fn text(self) -> String {
        match self {
            Dec::Small(n) => (n % 21).to_string(),
            Dec::Tenths(n) => tenths(u32::from(n % 2001)),
            Dec::Hundredths(n) => hundredths(u32::from(n)),
            Dec::Big(n) => n.to_string(),
            Dec::Edge(n) => [
                "0",
                "100",
                "0.5",
                "1000000000000",
                "999999999999.9999",
                "0.0000000000000000000000000001",
                "1e3",
                "2.50",
                "-0",
                "1000000000001",
                "79228162514264337593543950335",
                "1E-2",
            ][usize::from(n) % 12]
                .to_string(),
        }
    }

    /// A non-negative decimal kept small (for thresholds and constants that should usually hold).
    fn small(self) -> String {
        match self {
            Dec::Edge(n) if n % 4 == 0 => Dec::Edge(n / 4).text(),
            Dec::Edge(n) => (n % 21).to_string(),
            Dec::Big(n) => (n % 1000).to_string(),
            d => d.text(),
        }
    }
}

fn tenths(n: u32) -> String {
    if n % 10 == 0 {
        (n / 10).to_string()
    } else {
        format!("{}.{}", n / 10, n % 10)
    }
}

fn hundredths(n: u32) -> String {
    format!("{}.{:02}", n / 100, n % 100)
}

impl Pts {
    /// Hundredths of a point, 25..=10000.
    fn cents(self) -> u32 {
        let n = u32::from(self.0);
        if n % 3 == 0 {
            (n / 3 % 20 + 1) * 100
        } else {
            (n % 400 + 1) * 25
        }
    }
}

/// Hundredths as a decimal string.
fn cents(c: u64) -> String {
    if c % 100 == 0 {
        (c / 100).to_string()
    } else {
        format!("{}.{:02}", c / 100, c % 100)
    }
}

/// JSON string literal.
pub(crate) fn js(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl Ctx {
    /// A decimal constant as JSON: a string, or a bare number when the set says so.
    fn num(&self, text: &str) -> String {
        let bare = text.parse::<f64>().is_ok() && !text.starts_with('-') && !text.contains('E');
        if self.json_numbers && bare {
            text.to_string()
        } else {
            js(text)
        }
    }

    fn pick(&mut self, k: u8, want: &[Kind]) -> Option<usize> {
        let candidates: Vec<usize> = (0..self.inputs.len())
            .filter(|&i| want.contains(&self.inputs[i].kind))
            .collect();
        if candidates.is_empty() {
            return None;
        }
        let i = candidates[usize::from(k) % candidates.len()];
        self.used[i] = true;
        Some(i)
    }

    fn n(&mut self, e: &N) -> String {
        const NUM: &[Kind] = &[Kind::Count, Kind::Number, Kind::Percent];
        match e {
            N::Lit(d) => d.small(),
            N::Input(k) => match self.pick(*k, NUM) {
                Some(i) => self.inputs[i].id.clone(),
                None => "1".into(),
            },
            N::Ratio(a, b) => match (self.pick(*a, NUM), self.pick(*b, NUM)) {
                (Some(a), Some(b)) => {
                    format!("{} / {} * 100", self.inputs[a].id, self.inputs[b].id)
                }
                _ => "100".into(),
            },
            N::Neg(x) => format!("-({})", self.n(x)),
            N::Bin(op, a, b) => {
                let op = ["+", "-", "*", "/"][usize::from(*op) % 4];
                format!("({} {op} {})", self.n(a), self.n(b))
            }
            N::MinMax(max, args) => {
                let args: Vec<String> = args.iter().map(|a| self.n(a)).collect();
                format!("{}({})", if *max { "max" } else { "min" }, args.join(", "))
            }
            N::Unary(f, x) => {
                let f = ["abs", "floor", "ceil"][usize::from(*f) % 3];
                format!("{f}({})", self.n(x))
            }
            N::Round(x, places) => format!("round({}, {})", self.n(x), places % 29),
            N::If(c, a, b) => format!("if({}, {}, {})", self.b(c), self.n(a), self.n(b)),
            N::Aggregate(f, k) => {
                self.batch = true;
                match (f % 4, self.pick(*k, NUM)) {
                    (0, Some(i)) => format!("avg({})", self.inputs[i].id),
                    (1, Some(i)) => format!("sum({})", self.inputs[i].id),
                    (2, Some(i)) => format!("rank({})", self.inputs[i].id),
                    _ => "count()".into(),
                }
            }
        }
    }

    fn b(&mut self, e: &B) -> String {
        match e {
            B::Lit(v) => v.to_string(),
            B::Input(k) => match self.pick(*k, &[Kind::Bool]) {
                Some(i) => self.inputs[i].id.clone(),
                None => "true".into(),
            },
            B::Cmp(op, a, b) => {
                let op = ["<", "<=", ">", ">=", "==", "!="][usize::from(*op) % 6];
                format!("{} {op} {}", self.n(a), self.n(b))
            }
            B::AndOr(or, a, b) => {
                format!(
                    "({} {} {})",
                    self.b(a),
                    if *or { "||" } else { "&&" },
                    self.b(b)
                )
            }
            B::Not(x) => format!("!({})", self.b(x)),
            B::Choice { input, option, ne } => match self.pick(*input, &[Kind::Choice]) {
                Some(i) => {
                    let opts = &self.inputs[i].options;
                    let o = opts[usize::from(*option) % opts.len()];
                    format!(
                        "{} {} {}",
                        self.inputs[i].id,
                        if *ne { "!=" } else { "==" },
                        js(o)
                    )
                }
                None => "false".into(),
            },
        }
    }

    fn line(&mut self, l: &LineSpec) -> String {
        let pts = u64::from(l.points.cents())
            * if self.perturb == Some(Perturb::LinePoints) {
                2
            } else {
                1
            };
        let mut s = String::from("{");
        match &l.when {
            LineWhen::If(b) => {
                let e = self.b(&b.0);
                let _ = write!(s, "\"if\": {}", js(&e));
            }
            LineWhen::Per(n) => {
                let e = self.n(&n.0);
                let _ = write!(s, "\"per\": {}", js(&e));
                if let Some(f) = l.free {
                    let _ = write!(s, ", \"free\": {}", self.num(&f.small()));
                }
                if l.unit {
                    s.push_str(", \"unit\": \"起\"");
                }
            }
        }
        let _ = write!(
            s,
            ", \"points\": {}, \"reason\": {}}}",
            self.num(&cents(pts)),
            js(REASONS[usize::from(l.reason) % REASONS.len()])
        );
        s
    }

    fn lines(&mut self, lines: &[LineSpec]) -> String {
        let mut out: Vec<String> = lines.iter().take(MAX_LINES).map(|l| self.line(l)).collect();
        if out.is_empty() {
            out.push(r#"{"if": "false", "points": "1", "reason": "无"}"#.into());
        }
        format!("[{}]", out.join(", "))
    }
}

impl Spec {
    /// Renders the rule set, its perturbed copy and the submissions.
    pub fn render(&self) -> Case {
        let mistake = self.mistake.kind();
        let (rules, batch_sensitive, inputs) = self.render_rules(None, mistake);
        let perturb = self.perturb;
        let (perturbed, ..) = self.render_rules(Some(perturb), None);
        let inputs: Vec<&In> = inputs.iter().collect();
        let version = "1";
        let mut subs = Vec::new();
        for (k, s) in self.subs.iter().take(MAX_SUBS).enumerate() {
            subs.push(self.render_sub(s, &inputs, &format!("u{k}"), version, true));
        }
        if subs.is_empty() {
            subs.push(self.render_sub(
                &SubSpec {
                    values: Vec::new(),
                    group: None,
                    unranked: false,
                    header: 255,
                    notes: false,
                    extra_value: false,
                    fid: SubFidelity::default(),
                },
                &inputs,
                "u0",
                version,
                true,
            ));
        }
        let copies = match self.subs.first() {
            Some(first) => (0..self.copies % 4)
                .map(|c| self.render_sub(first, &inputs, &format!("copy{c}"), version, false))
                .collect(),
            None => Vec::new(),
        };
        Case {
            rules,
            perturbed,
            perturb,
            subs,
            copies,
            mistake,
            batch_sensitive,
            probe: self.probe % 8 == 0,
        }
    }

    /// The rule set as JSON, whether it uses batch-only features, and its inputs.
    fn render_rules(
        &self,
        perturb: Option<Perturb>,
        mistake: Option<MistakeKind>,
    ) -> (String, bool, Vec<In>) {
        use MistakeKind as M;
        let mut ctx = Ctx {
            inputs: self.make_inputs(),
            used: Vec::new(),
            batch: false,
            json_numbers: self.numbers_as_json,
            perturb,
            unit: 1,
        };
        ctx.used = vec![false; ctx.inputs.len()];
        let mut scale = u32::from(self.scale % 7);
        if perturb == Some(Perturb::Scale) {
            scale = (scale + 1).min(6);
        }
        // Points on the scale (in hundredths: 100 for scale 0, 10 for scale 1): the loader refuses
        // finer points (`points.scale`, since finding F1), which would only test the loader.
        let unit: u64 = match scale {
            0 => 100,
            1 => 10,
            _ => 1,
        };
        ctx.unit = unit;
        let on_scale = |c: u64| c.div_ceil(unit) * unit;
        let rescale = self.rescale && mistake != Some(M::RescaleWithOutOf);

        // Sections and items.
        let mut sections_json = Vec::new();
        let mut full: u64 = 0;
        let mut has_rank = false;
        let mut first_item_id = None;
        let sections: Vec<&SectionSpec> = self.sections.iter().take(MAX_SECTIONS).collect();
        let default_section = SectionSpec {
            out_of: None,
            points: Pts(299),
            items: Vec::new(),
        };
        let sections = if sections.is_empty() {
            vec![&default_section]
        } else {
            sections
        };
        for (si, sec) in sections.iter().enumerate() {
            let mut items_json = Vec::new();
            let mut sum: u64 = 0;
            let default_item = ItemSpec {
                points: sec.points,
                cap: None,
                combine_max: false,
                applicable: None,
                rule: RuleSpec::Deduct(Vec::new()),
            };
            let items: Vec<&ItemSpec> = sec.items.iter().take(MAX_ITEMS).collect();
            let items = if items.is_empty() {
                vec![&default_item]
            } else {
                items
            };
            for (ii, it) in items.iter().enumerate() {
                let id = format!("{}.{}", si + 1, ii + 1);
                if first_item_id.is_none() {
                    first_item_id = Some(id.clone());
                }
                let mut pts = on_scale(u64::from(it.points.cents()));
                if perturb == Some(Perturb::ItemPoints) && ii == 0 {
                    pts += 100;
                }
                if mistake == Some(M::ItemsSum) && si == 0 && ii == 0 {
                    // Counted in the sum below as if it were right: the item claims one more.
                    sum += pts;
                    pts += 100;
                } else {
                    sum += pts;
                }
                let (json, rank) = self.render_item(&mut ctx, it, &id, pts);
                has_rank |= rank;
                items_json.push(json);
            }
            let use_out_of = sec.out_of.is_some()
                && (!rescale || mistake == Some(M::RescaleWithOutOf))
                || (mistake == Some(M::RescaleWithOutOf) && si == 0);
            let (points, out_of) = if use_out_of {
                (on_scale(u64::from(sec.points.cents())), Some(sum))
            } else {
                (sum, None)
            };
            full += points;
            let mut s = format!(
                "{{\"id\": \"s{si}\", \"title\": {}, \"points\": {}",
                js(&format!("第{}部分", si + 1)),
                ctx.num(&cents(points))
            );
            if let Some(o) = out_of {
                let _ = write!(s, ", \"out_of\": {}", ctx.num(&cents(o)));
            }
            let _ = write!(s, ", \"items\": [{}]}}", items_json.join(", "));
            sections_json.push(s);
        }

        if let Some(f) = self.fidelity.section() {
            sections_json.push(f);
            full += SECTION_POINTS;
        }

        // Adjustments, bonus, vetoes.
        let mut adj_json = Vec::new();
        for (k, a) in self.adjustments.iter().take(2).enumerate() {
            let mut s = format!("{{\"id\": \"adj{k}\", \"title\": \"事故控制{k}\"");
            if let Some(c) = a.cap {
                let _ = write!(
                    s,
                    ", \"cap\": {}",
                    ctx.num(&cents(on_scale(u64::from(c.cents()))))
                );
            }
            if a.combine_max {
                s.push_str(", \"combine\": \"max\"");
            }
            let lines = ctx.lines(&a.lines);
            let _ = write!(s, ", \"deduct\": {lines}}}");
            adj_json.push(s);
        }
        let bonus_json = self.bonus.as_ref().map(|b| {
            let mut items = Vec::new();
            for (k, (pts, max, lines)) in b.items.iter().take(2).enumerate() {
                let lines = ctx.lines(lines);
                items.push(format!(
                    "{{\"id\": \"b{k}\", \"title\": \"表彰{k}\", \"points\": {}{}, \"add\": {lines}}}",
                    ctx.num(&cents(on_scale(u64::from(pts.cents())))),
                    if *max { ", \"combine\": \"max\"" } else { "" }
                ));
            }
            format!(
                "{{\"cap\": {}, \"items\": [{}]}}",
                ctx.num(&cents(on_scale(u64::from(b.cap.cents())))),
                items.join(", ")
            )
        });

        // Grades: shares of full marks, strictly descending, the last at 0.
        let mut shares: Vec<u8> = self.grades.iter().take(4).map(|g| g % 100).collect();
        shares.sort_unstable_by(|a, b| b.cmp(a));
        shares.dedup();
        shares.retain(|&s| s > 0);
        if perturb == Some(Perturb::Grades) {
            for s in &mut shares {
                *s = s.saturating_sub(3).max(1);
            }
            shares.dedup();
        }
        shares.push(0);
        let names = ["优秀", "良好", "合格", "基本合格", "不合格"];
        // Shares of full marks in hundredths, floored; equal mins after flooring are merged.
        // On the scale too: the loader refuses a finer grade min (`points.scale`, since F2).
        let mut mins: Vec<u64> = shares
            .iter()
            .map(|s| full * u64::from(*s) / 100 / unit * unit)
            .collect();
        mins.dedup();
        let grade_names: Vec<&str> = names[names.len() - mins.len()..].to_vec();
        let no_grades = self.fidelity.no_grades && mistake != Some(M::GradeOrder);
        let mut grades: Vec<String> = mins
            .iter()
            .zip(&grade_names)
            .enumerate()
            .map(|(k, (min, name))| {
                let key = self.fidelity.grade_key(k, k + 1 == mins.len(), *min, full);
                format!(
                    "{{\"name\": \"{name}\", \"{key}\": {}}}",
                    ctx.num(&cents(*min))
                )
            })
            .collect();
        if no_grades {
            grades.clear();
        }
        if mistake == Some(M::GradeOrder) {
            grades.reverse();
            if grades.len() == 1 {
                grades.push("{\"name\": \"甲\", \"min\": \"1\"}".into());
            }
        }
        let mut veto_json = Vec::new();
        let vetoes: Vec<&VetoSpec> = self.vetoes.iter().take(3).collect();
        let n_vetoes = if perturb == Some(Perturb::DropVeto) {
            vetoes.len().saturating_sub(1)
        } else {
            vetoes.len()
        };
        // Mistakes in expressions and ids: an extra veto (ids share one namespace with items).
        let bad_when = match mistake {
            Some(M::UnknownId) => Some("no_such_input > 1".to_string()),
            Some(M::TypeError) => Some("true + 1 > 0".to_string()),
            Some(M::TooDeep) => Some(format!("{}1{} > 0", "(".repeat(40), ")".repeat(40))),
            Some(M::DuplicateId) => Some("false".to_string()),
            _ => None,
        };
        if let Some(when) = bad_when {
            let id = if mistake == Some(M::DuplicateId) {
                "1.1"
            } else {
                "bad"
            };
            veto_json.push(format!(
                "{{\"id\": \"{id}\", \"title\": \"错误\", \"when\": {}, \"effect\": \"fail\"}}",
                js(&when)
            ));
        }
        for (k, v) in vetoes.iter().take(n_vetoes).enumerate() {
            let when = ctx.b(&v.when.0);
            let effect = match v.effect {
                _ if no_grades => ["\"zero\"", "\"ungraded\""][k % 2].to_string(),
                EffectSpec::Fail => "\"fail\"".to_string(),
                EffectSpec::Zero => "\"zero\"".to_string(),
                EffectSpec::MaxGrade(g) => format!(
                    "{{\"max_grade\": \"{}\"}}",
                    grade_names[usize::from(g) % grade_names.len()]
                ),
                EffectSpec::LowerGrades(n) => format!("{{\"lower_grades\": {}}}", n % 5 + 1),
            };
            veto_json.push(format!(
                "{{\"id\": \"v{k}\", \"title\": \"一票否决{k}\", \"when\": {}, \"effect\": {effect}}}",
                js(&when)
            ));
        }
        veto_json.extend(self.fidelity.veto());
        let mut quota_json = Vec::new();
        let mut quota_grades = Vec::new();
        for q in &self.quotas {
            if no_grades || grade_names.len() < 2 || quota_json.len() == 2 {
                break;
            }
            let g = usize::from(q.grade) % (grade_names.len() - 1);
            if quota_grades.contains(&g) {
                continue;
            }
            quota_grades.push(g);
            quota_json.push(format!(
                "{{\"grade\": \"{}\", \"max_share\": {}}}",
                grade_names[g],
                ctx.num(&cents(u64::from(q.share % 100) + 1))
            ));
        }

        // Inputs: the ones some rule reads (and text ones), plus their bounds' inputs.
        loop {
            let mut changed = false;
            for i in 0..ctx.inputs.len() {
                if ctx.used[i] {
                    for j in ctx.inputs[i].bound_ref.into_iter().flatten() {
                        if !ctx.used[j] {
                            ctx.used[j] = true;
                            changed = true;
                        }
                    }
                }
            }
            if !changed {
                break;
            }
        }
        let mut unused_kept = false;
        let mut input_json = Vec::new();
        let mut kept = Vec::new();
        for (i, input) in ctx.inputs.iter().enumerate() {
            let keep = ctx.used[i] || input.kind == Kind::Text;
            let keep_unused = !keep && mistake == Some(M::UnusedInput) && !unused_kept;
            if !keep && !keep_unused {
                continue;
            }
            unused_kept |= keep_unused;
            kept.push(i);
            input_json.push(self.render_input(&ctx, i));
        }
        input_json.extend(self.fidelity.input());
        if mistake == Some(M::UnusedInput) && !unused_kept {
            input_json
                .push(r#"{"id": "never_read", "label": "无用输入", "type": "count"}"#.to_string());
        }

        let full = if mistake == Some(M::SectionsSum) {
            full + 100
        } else {
            full
        };
        let format = if mistake == Some(M::WrongFormat) {
            "kpi-submission/1"
        } else {
            "kpi-rules/1"
        };
        let version = if perturb == Some(Perturb::Version) {
            "2"
        } else {
            "1"
        };
        let mut out = format!(
            "{{\"format\": \"{format}\", \"id\": \"fz\", \"version\": \"{version}\", \"title\": \"模糊测试考核细则\", \"period\": \"2026\", \"unit_kind\": \"subdistrict\", \"full_score\": {}, \"scale\": {scale}",
            if mistake == Some(M::BadDecimal) {
                "\"1.2.3\"".to_string()
            } else {
                ctx.num(&cents(full))
            }
        );
        if rescale || mistake == Some(M::RescaleWithOutOf) {
            out.push_str(", \"not_applicable\": \"rescale\"");
        }
        if mistake == Some(M::UnknownField) {
            out.push_str(", \"colour\": \"red\"");
        }
        if mistake == Some(M::DuplicateKey) {
            out.push_str(", \"format\": \"kpi-rules/1\"");
        }
        if mistake == Some(M::ControlChar) {
            out.push_str(", \"description\": \"第一行\\u0007响铃\"");
        }
        if self.fidelity.notes_required {
            out.push_str(", \"notes_required\": true");
        }
        let _ = write!(
            out,
            ", \"inputs\": [{}], \"sections\": [{}]",
            input_json.join(", "),
            sections_json.join(", ")
        );
        if !adj_json.is_empty() {
            let _ = write!(out, ", \"adjustments\": [{}]", adj_json.join(", "));
        }
        if let Some(b) = bonus_json {
            let _ = write!(out, ", \"bonus\": {b}");
        }
        if !veto_json.is_empty() {
            let _ = write!(out, ", \"vetoes\": [{}]", veto_json.join(", "));
        }
        let _ = write!(out, ", \"grades\": [{}]", grades.join(", "));
        if !quota_json.is_empty() {
            let _ = write!(out, ", \"quotas\": [{}]", quota_json.join(", "));
        }
        if let (Some(total), Some(first)) = (self.embedded_test, self.subs.first()) {
            let kept_inputs: Vec<&In> = kept.iter().map(|&i| &ctx.inputs[i]).collect();
            let values = self.render_values(first, &kept_inputs, false);
            let item = first_item_id.unwrap_or_default();
            let _ = write!(
                out,
                ", \"tests\": [{{\"name\": \"样例\", \"values\": {values}, \"expect\": {{\"total\": {}, \"items\": {{{}: \"0\"}}}}}}]",
                ctx.num(&total.small()),
                js(&item)
            );
        }
        out.push('}');
        let batch = ctx.batch || has_rank || !quota_json.is_empty();
        let inputs = ctx.inputs;
        let inputs = inputs
            .into_iter()
            .enumerate()
            .filter(|(i, _)| kept.contains(i))
            .map(|(_, x)| x)
            .collect();
        (out, batch, inputs)
    }

    /// One item as JSON; true when it is a rank item.
    fn render_item(&self, ctx: &mut Ctx, it: &ItemSpec, id: &str, pts: u64) -> (String, bool) {
        let mut s = format!(
            "{{\"id\": {}, \"title\": {}, \"points\": {}",
            js(id),
            js(&format!("项目{id}")),
            ctx.num(&cents(pts))
        );
        if let Some(a) = &it.applicable {
            let e = ctx.b(&a.0);
            let _ = write!(s, ", \"applicable\": {}", js(&e));
        }
        let cap = |ctx: &Ctx, s: &mut String| {
            if let Some(c) = it.cap {
                let unit = ctx.unit;
                let c = (pts * u64::from(c % 100 + 1)).div_ceil(100).div_ceil(unit) * unit;
                let c = c.clamp(unit, pts);
                let _ = write!(s, ", \"cap\": {}", ctx.num(&cents(c)));
            }
        };
        let mut rank = false;
        match &it.rule {
            RuleSpec::Deduct(lines) => {
                cap(ctx, &mut s);
                if it.combine_max {
                    s.push_str(", \"combine\": \"max\"");
                }
                let lines = ctx.lines(lines);
                let _ = write!(s, ", \"deduct\": {lines}");
            }
            RuleSpec::Rate {
                value,
                target,
                lower,
                mode,
                undefined,
            } => {
                cap(ctx, &mut s);
                let v = ctx.n(&value.0);
                let mut t = target.small();
                if ctx.perturb == Some(Perturb::Targets) {
                    t = format!("{}", t.parse::<f64>().map_or(1.0, |x| (x + 1.0).floor()));
                }
                let mut r = format!("{{\"value\": {}, \"target\": {}", js(&v), ctx.num(&t));
                if *lower {
                    r.push_str(", \"direction\": \"lower\"");
                }
                match mode {
                    RateModeSpec::Step { step, pps, partial } => {
                        let step = match step.small().as_str() {
                            "0" | "-0" => "1".to_string(),
                            x => x.to_string(),
                        };
                        let _ = write!(
                            r,
                            ", \"mode\": \"step\", \"step\": {}, \"points_per_step\": {}",
                            ctx.num(&step),
                            ctx.num(&cents(u64::from(pps.cents())))
                        );
                        match partial % 4 {
                            1 => r.push_str(", \"partial\": \"up\""),
                            2 => r.push_str(", \"partial\": \"down\""),
                            3 => r.push_str(", \"partial\": \"exact\""),
                            _ => {}
                        }
                    }
                    RateModeSpec::Proportional => r.push_str(", \"mode\": \"proportional\""),
                }
                match undefined % 4 {
                    1 => r.push_str(", \"when_undefined\": \"zero\""),
                    2 => r.push_str(", \"when_undefined\": \"pending\""),
                    3 => r.push_str(", \"when_undefined\": \"full\""),
                    _ => {}
                }
                let _ = write!(s, ", \"rate\": {r}}}");
            }
            RuleSpec::Bands {
                value,
                cuts,
                scores,
                open_low,
                open_high,
            } => {
                let v = ctx.n(&value.0);
                let mut cuts: Vec<u32> = cuts
                    .iter()
                    .take(4)
                    .map(|d| match d {
                        Dec::Small(n) => u32::from(*n) * 100,
                        Dec::Tenths(n) => u32::from(*n) * 10,
                        Dec::Hundredths(n) => u32::from(*n),
                        Dec::Big(n) => n % 100_000,
                        Dec::Edge(n) => u32::from(*n),
                    })
                    .collect();
                cuts.sort_unstable();
                cuts.dedup();
                if cuts.is_empty() {
                    cuts.push(0);
                }
                // Bands between consecutive cuts, plus open ends.
                let mut edges: Vec<(Option<u32>, Option<u32>)> = Vec::new();
                if *open_low {
                    edges.push((None, cuts.first().copied()));
                }
                for w in cuts.windows(2) {
                    edges.push((Some(w[0]), Some(w[1])));
                }
                if *open_high || edges.is_empty() {
                    edges.push((cuts.last().copied(), None));
                }
                let bands: Vec<String> = edges
                    .iter()
                    .enumerate()
                    .map(|(k, (lo, hi))| {
                        let share = u64::from(scores.get(k).copied().unwrap_or(50) % 101);
                        let score = pts * share / 100;
                        let mut b = String::from("{");
                        if let Some(lo) = lo {
                            let _ = write!(b, "\"min\": {}, ", ctx.num(&cents(u64::from(*lo))));
                        }
                        if let Some(hi) = hi {
                            let _ = write!(b, "\"max\": {}, ", ctx.num(&cents(u64::from(*hi))));
                        }
                        let _ = write!(b, "\"score\": {}}}", ctx.num(&cents(score)));
                        b
                    })
                    .collect();
                let _ = write!(
                    s,
                    ", \"bands\": {{\"value\": {}, \"bands\": [{}]}}",
                    js(&v),
                    bands.join(", ")
                );
            }
            // One judged item per input: the loader refuses a second one (`judged.input`, since
            // finding F4), which would only test the loader.
            RuleSpec::Judged(k) => match ctx
                .pick(*k, &[Kind::Number])
                .filter(|&i| ctx.inputs[i].judged.is_none())
            {
                Some(i) => {
                    let j = &mut ctx.inputs[i].judged;
                    *j = Some(j.map_or(pts, |j| j.min(pts)));
                    let _ = write!(s, ", \"judged\": {{\"input\": {}}}", js(&ctx.inputs[i].id));
                }
                None => {
                    let _ = write!(s, ", \"formula\": {}", js(&cents(pts)));
                }
            },
            RuleSpec::Rank {
                value,
                asc,
                first,
                step,
                floor,
            } => {
                rank = true;
                let v = ctx.n(&value.0);
                let first_c = u64::from(*first % 100 + 1) * 10;
                let floor_c = (u64::from(*floor) * 10).min(first_c);
                let _ = write!(
                    s,
                    ", \"rank\": {{\"value\": {}, \"order\": \"{}\", \"first\": {}, \"step\": {}, \"floor\": {}}}",
                    js(&v),
                    if *asc { "asc" } else { "desc" },
                    ctx.num(&cents(first_c)),
                    ctx.num(&cents(u64::from(*step % 50) * 10)),
                    ctx.num(&cents(floor_c))
                );
            }
            RuleSpec::Formula(n) => {
                let e = ctx.n(&n.0);
                let _ = write!(s, ", \"formula\": {}", js(&e));
            }
        }
        s.push('}');
        (s, rank)
    }

    /// The inputs before rendering: ids, kinds, literal ranges and references to other inputs.
    fn make_inputs(&self) -> Vec<In> {
        let specs: Vec<&InputSpec> = self.inputs.iter().take(MAX_INPUTS).collect();
        let mut out: Vec<In> = Vec::new();
        for (i, s) in specs.iter().enumerate() {
            let kind = s.kind;
            let numeric = matches!(kind, Kind::Count | Kind::Number | Kind::Percent);
            let mut lo = None;
            let mut hi = None;
            let mut bound_ref = [None, None];
            if numeric {
                for (slot, b) in [&s.min, &s.max].into_iter().enumerate() {
                    match b {
                        Some(BoundSpec::Lit(d)) => {
                            let t = d.small();
                            if slot == 0 {
                                lo = Some(t)
                            } else {
                                hi = Some(t)
                            }
                        }
                        Some(BoundSpec::Input(k)) => {
                            // Only earlier numeric inputs: no cycles, and never itself.
                            let cands: Vec<usize> = (0..i)
                                .filter(|&j| {
                                    matches!(
                                        specs[j].kind,
                                        Kind::Count | Kind::Number | Kind::Percent
                                    )
                                })
                                .collect();
                            if !cands.is_empty() {
                                bound_ref[slot] = Some(cands[usize::from(*k) % cands.len()]);
                            }
                        }
                        None => {}
                    }
                }
                if let (Some(a), Some(b)) = (&lo, &hi) {
                    let (x, y) = (a.parse::<f64>().ok(), b.parse::<f64>().ok());
                    if let (Some(x), Some(y)) = (x, y) {
                        if x > y {
                            std::mem::swap(&mut lo, &mut hi);
                        }
                    }
                }
            }
            let options = if kind == Kind::Choice {
                OPTIONS[..usize::from(s.options % 5) + 1].to_vec()
            } else {
                Vec::new()
            };
            out.push(In {
                id: format!(
                    "{}{i}",
                    ["cnt", "num", "pct", "flag", "level", "note"][kind as usize]
                ),
                kind,
                options,
                lo,
                hi,
                bound_ref,
                judged: None,
            });
        }
        out
    }

    fn render_input(&self, ctx: &Ctx, i: usize) -> String {
        let input = &ctx.inputs[i];
        let spec = &self.inputs[i];
        let ty = ["count", "number", "percent", "bool", "choice", "text"][input.kind as usize];
        let mut s = format!(
            "{{\"id\": \"{}\", \"label\": {}, \"type\": \"{ty}\"",
            input.id,
            js(&format!("输入{i}（{ty}）"))
        );
        let required = spec.required % 4 != 0;
        if !required {
            s.push_str(", \"required\": false");
            let default = match input.kind {
                Kind::Bool => Some((spec.default.small().len() % 2 == 0).to_string()),
                Kind::Choice => Some(js(input.options[0])),
                Kind::Text => None,
                // Within the input's own range (an empty optional number counts as its default).
                _ => Some(ctx.num(input.lo.as_deref().unwrap_or("0"))),
            };
            if let Some(d) = default {
                let _ = write!(s, ", \"default\": {d}");
            }
        }
        if let Some(lo) = &input.lo {
            let _ = write!(s, ", \"min\": {}", ctx.num(lo));
        } else if let Some(j) = input.bound_ref[0] {
            let _ = write!(s, ", \"min\": \"{}\"", ctx.inputs[j].id);
        }
        if let Some(hi) = &input.hi {
            let _ = write!(s, ", \"max\": {}", ctx.num(hi));
        } else if let Some(j) = input.bound_ref[1] {
            let _ = write!(s, ", \"max\": \"{}\"", ctx.inputs[j].id);
        }
        if !input.options.is_empty() {
            let opts: Vec<String> = input.options.iter().map(|o| js(o)).collect();
            let _ = write!(s, ", \"options\": [{}]", opts.join(", "));
        }
        if spec.unit {
            s.push_str(", \"unit\": \"项\"");
        }
        s.push('}');
        s
    }

    /// A submission's `values` object.
    /// A submission's values; `extra` adds an unknown one when the spec says so (an embedded
    /// test naming an unknown input is refused at load, `tests.unknown`).
    fn render_values(&self, sub: &SubSpec, inputs: &[&In], extra: bool) -> String {
        let mut members = Vec::new();
        for (k, input) in inputs.iter().enumerate() {
            let v = sub.values.get(k).copied().unwrap_or(ValSpec {
                sel: 0,
                n: k as u16,
            });
            if let Some(text) = value(input, v) {
                members.push(format!("\"{}\": {text}", input.id));
            }
        }
        if sub.extra_value && extra {
            members.push("\"not_an_input\": 1".into());
        }
        if self.fidelity.records {
            if let Some(rows) = sub.fid.rows() {
                members.push(format!("\"acc\": {rows}"));
            }
        }
        format!("{{{}}}", members.join(", "))
    }

    fn render_sub(
        &self,
        sub: &SubSpec,
        inputs: &[&In],
        unit: &str,
        version: &str,
        own_header: bool,
    ) -> String {
        let header = if own_header { sub.header } else { 255 };
        let (id, version) = match header {
            0 => ("other", version),
            1 => ("fz", "0.9"),
            _ => ("fz", version),
        };
        let mut unit_json = format!(
            "{{\"id\": {}, \"name\": {}",
            js(unit),
            js(&format!("单位{unit}"))
        );
        if let Some(g) = sub.group {
            let _ = write!(unit_json, ", \"group\": \"g{}\"", g % 2);
        }
        if sub.unranked {
            unit_json.push_str(", \"ranked\": false");
        }
        unit_json.push('}');
        if header == 2 {
            unit_json = "{\"id\": \"\"}".into();
        }
        let period = if header == 3 { "2025" } else { "2026" };
        let format = if header == 4 {
            "kpi-rules/1"
        } else {
            "kpi-submission/1"
        };
        let mut s = format!(
            "{{\"format\": \"{format}\", \"rules\": {{\"id\": \"{id}\", \"version\": \"{version}\"}}, \"unit\": {unit_json}, \"period\": \"{period}\", \"values\": {}",
            self.render_values(sub, inputs, true)
        );
        if sub.notes {
            s.push_str(", \"notes\": {\"1.1\": \"督查发现3处问题（附件3）\", \"nope\": null}");
        }
        if header == 5 {
            s.push_str(", \"meta\": {\"assessor\": \"张三\"}");
        }
        s.push_str(&sub.fid.extra());
        if header == 6 {
            s.push_str(", \"unknown\": true");
        }
        s.push('}');
        s
    }
}

/// One input's value as JSON text, or `None` to leave it out.
fn value(input: &In, v: ValSpec) -> Option<String> {
    let n = u32::from(v.n);
    let typical = || -> String {
        match input.kind {
            Kind::Count => {
                let hi = input
                    .hi
                    .as_deref()
                    .and_then(|h| h.parse::<f64>().ok())
                    .map_or(30, |h| (h.max(0.0).floor() as u32).min(30) + 1);
                (n % hi.max(1)).to_string()
            }
            Kind::Percent => js(&tenths(n % 1001)),
            Kind::Number if input.judged.is_some() => {
                let max = input.judged.unwrap_or(0);
                js(&cents(u64::from(n) * max / 65_535))
            }
            Kind::Number => {
                let lo = input.lo.as_deref().and_then(|x| x.parse::<f64>().ok());
                let hi = input.hi.as_deref().and_then(|x| x.parse::<f64>().ok());
                match (lo, hi) {
                    (Some(lo), Some(hi)) if hi >= lo => {
                        // A point on the range in 1/64 steps, written exactly.
                        let t = f64::from(n % 65) / 64.0;
                        let x = lo + (hi - lo) * t;
                        js(&format!("{:.2}", x.clamp(lo, hi))).replace("\"-0.00\"", "\"0\"")
                    }
                    (Some(lo), None) => js(&format!("{:.1}", lo.max(0.0) + f64::from(n % 50))),
                    (None, Some(hi)) => {
                        js(&format!("{:.1}", hi.min(0.0) - f64::from(n % 50) / 10.0))
                    }
                    _ => js(&hundredths(n % 2001)),
                }
            }
            Kind::Bool => (n % 2 == 0).to_string(),
            Kind::Choice => js(input.options[n as usize % input.options.len()]),
            Kind::Text => js("情况说明"),
        }
    };
    Some(match v.sel {
        0..=159 => typical(),
        160..=179 => match input.kind {
            Kind::Count | Kind::Number | Kind::Percent => [
                "0", "-1", "100", "100.01", "0.5", "\"-0\"", "1e2", "\"1e12\"", "\" 1\"", "\"\"",
            ][n as usize % 10]
                .to_string(),
            Kind::Bool => ["\"true\"", "0", "1"][n as usize % 3].to_string(),
            Kind::Choice => ["\"一級\"", "\"\"", "0"][n as usize % 3].to_string(),
            Kind::Text => "\"\"".to_string(),
        },
        180..=199 => return None,
        200..=209 => "null".into(),
        210..=224 => [
            "1000000000000",
            "1000000000001",
            "\"999999999999.9999999999999999\"",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
            "1e28",
            "1e-28",
            "\"0.0000000000000000000000000001\"",
            "123456789012345678901234567890",
            "1e400",
        ][n as usize % 10]
            .to_string(),
        225..=239 => {
            ["\"abc\"", "true", "[]", "{}", "\"1,000\"", "1.5"][n as usize % 6].to_string()
        }
        _ => [
            "\"\\u0000\"",
            "\"１２\"",
            "-0.0",
            "0.10",
            "\"+1\"",
            "\".5\"",
            "\"5.\"",
            "\"NaN\"",
            "\"Infinity\"",
            "[1]",
        ][n as usize % 10]
            .to_string(),
    })
}
