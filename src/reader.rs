//! The document reader: walks a parsed JSON document by hand, collecting every problem (code, JSON
//! pointer, Chinese message) instead of stopping at the first, as serde would. Used by the rule-set
//! reader (`load`) and the submission reader alike.

use crate::code::Code;
use crate::decimal::{parse_decimal, plain, why_not_decimal};
use crate::error::{Error, Problem, pointer, pointer_at};
use crate::expr::{Expr, Scope, Type};
use crate::json::{Map, SyntaxErrorKind, Value};
use crate::limits::{self, MAX_DOCUMENT_BYTES};
use crate::text;
use rust_decimal::Decimal;

/// Parses JSON text, mapping syntax errors, excessive nesting and size to problems.
pub(crate) fn parse_json(text: &str) -> Result<Value, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(Error::one(
            Code::JsonTooLarge,
            "",
            format!(
                "文档过大（{} 字节），上限为 {} 字节",
                text.len(),
                MAX_DOCUMENT_BYTES
            ),
        ));
    }
    crate::json::parse(text).map_err(|e| {
        if e.kind == SyntaxErrorKind::DuplicateKey {
            return Error::new(e.duplicates.iter().map(duplicate_key).collect());
        }
        let problem = match e.kind {
            SyntaxErrorKind::TooDeep => Problem::new(
                Code::JsonTooDeep,
                "",
                format!("JSON 嵌套层数过多（第{}行第{}列）", e.line, e.column),
            ),
            kind => Problem::new(
                Code::JsonSyntax,
                "",
                format!(
                    "JSON 格式错误（第{}行第{}列）：{}",
                    e.line,
                    e.column,
                    kind.text()
                ),
            ),
        };
        Error::new(vec![problem.at_offset(e.offset)])
    })
}

/// The problem of an object key given twice, at its second occurrence.
fn duplicate_key(d: &crate::json::DuplicateKey) -> Problem {
    let object = match &d.name {
        _ if d.object.is_empty() => "文档顶层对象".to_string(),
        Some(name) => format!("对象「{}」（{}）", clip(name), d.object),
        None => format!("对象 {} ", d.object),
    };
    Problem::new(
        Code::JsonDuplicateKey,
        d.path.clone(),
        format!(
            "{object}中的键「{}」重复出现；JSON 对象的每个键只能出现一次（重复时无法确定以哪一个为准），请删去多余的一个",
            clip(&d.key)
        ),
    )
}

/// A text cut to 40 characters for a message.
pub(crate) fn clip(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

/// A JSON object being read, with its pointer, a Chinese name for messages and its fields.
pub(crate) struct Obj<'v> {
    pub map: &'v Map,
    pub path: String,
    pub what: String,
    /// Every field the object may have: the one list of them, beside the code reading them.
    /// Kept in debug builds only, for the check in [`Obj::get`].
    #[cfg(debug_assertions)]
    keys: &'static [&'static str],
}

impl<'v> Obj<'v> {
    /// Pointer to one of this object's fields.
    pub fn at(&self, key: &str) -> String {
        pointer(&self.path, key)
    }
    /// The field, if present. Reading a field the object's list lacks is a mistake in the
    /// reader (the field could never be given), caught in debug builds.
    pub fn get(&self, key: &str) -> Option<&'v Value> {
        #[cfg(debug_assertions)]
        debug_assert!(self.keys.contains(&key), "{key} is not in {:?}", self.keys);
        self.map.get(key)
    }
}

/// Collects problems while reading a document.
#[derive(Default)]
pub(crate) struct Reader {
    pub problems: Vec<Problem>,
    /// Compiled operations of every expression read so far (bounded by `MAX_EXPR_OPS`).
    pub expr_ops: usize,
    /// Of those, the ones run once per row of a record list (bounded by `MAX_ROW_OPS`).
    pub row_ops: usize,
    /// `each` lines read so far, a `tiers` line counting one per tier (bounded by `MAX_ROW_LINES`).
    pub row_lines: usize,
}

impl Reader {
    pub fn push(&mut self, code: Code, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem::new(code, path, message));
    }

    /// The document read, when no problem was found; else every problem (`code` with `message`
    /// when the reader gave up without saying why).
    pub fn finish<T>(mut self, read: Option<T>, code: Code, message: &str) -> Result<T, Error> {
        match read {
            Some(value) if self.problems.is_empty() => Ok(value),
            _ => {
                if self.problems.is_empty() {
                    self.push(code, "", message);
                }
                Err(Error::new(self.problems))
            }
        }
    }

    /// Checks the document's `format` field: `expected`, else a problem naming the document
    /// (`what`) with `code`.
    pub fn format(&mut self, top: &Obj, expected: &str, what: &str, code: Code) {
        match top.get("format") {
            Some(Value::String(f)) if f == expected => {}
            None => self.push(
                Code::FieldMissing,
                "/format",
                format!("{what}缺少「format」字段，应为 \"{expected}\""),
            ),
            Some(v) => self.push(
                code,
                "/format",
                format!("不支持的格式 {}，应为 \"{expected}\"", short(v)),
            ),
        }
    }

    /// Reads `v` as an object whose fields are all in `allowed`.
    pub fn object<'v>(
        &mut self,
        v: &'v Value,
        path: &str,
        what: &str,
        allowed: &'static [&'static str],
    ) -> Option<Obj<'v>> {
        let Value::Object(map) = v else {
            self.push(Code::FieldType, path, format!("{what}应为 JSON 对象"));
            return None;
        };
        for key in map.keys() {
            if !allowed.contains(&key.as_str()) {
                self.push(
                    Code::FieldUnknown,
                    pointer(path, key),
                    format!(
                        "{what}含有未知字段「{key}」（可用字段：{}）",
                        allowed.join("、")
                    ),
                );
            }
        }
        Some(Obj {
            map,
            path: path.to_string(),
            what: what.to_string(),
            #[cfg(debug_assertions)]
            keys: allowed,
        })
    }

    /// A required field is absent.
    pub fn missing(&mut self, o: &Obj, key: &str) {
        self.push(
            Code::FieldMissing,
            o.at(key),
            format!("{}缺少必填字段「{key}」", o.what),
        );
    }

    /// A required non-empty string field.
    pub fn req_str(&mut self, o: &Obj, key: &str) -> Option<String> {
        let s = self.opt_str(o, key);
        if s.is_none() && o.get(key).is_none() {
            self.missing(o, key);
        }
        s
    }

    /// An optional non-empty string field.
    pub fn opt_str(&mut self, o: &Obj, key: &str) -> Option<String> {
        match o.get(key)? {
            Value::String(s) if s.trim().is_empty() => {
                self.push(
                    Code::FieldEmpty,
                    o.at(key),
                    format!("{}的字段「{key}」不能为空", o.what),
                );
                None
            }
            Value::String(s) => {
                let max = limits::max_chars(key);
                if s.len() > max && s.chars().count() > max {
                    self.push(
                        Code::LimitChars,
                        o.at(key),
                        format!(
                            "{}的字段「{key}」过长（{}个字符），最多{max}个字符",
                            o.what,
                            s.chars().count()
                        ),
                    );
                    return None;
                }
                if !self.text_ok(o, key, s) {
                    return None;
                }
                Some(s.clone())
            }
            _ => {
                self.push(
                    Code::FieldType,
                    o.at(key),
                    format!("{}的字段「{key}」应为字符串", o.what),
                );
                None
            }
        }
    }

    /// Whether the text of field `key` holds nothing it may not (a control character; for an id,
    /// white space at either end or an invisible character); a problem for what it does.
    pub fn text_ok(&mut self, o: &Obj, key: &str, s: &str) -> bool {
        let long = limits::allows_line_breaks(key);
        self.check_text(s, long, limits::is_id(key), &|| {
            (o.at(key), format!("{}的字段「{key}」", o.what))
        })
    }

    /// [`Reader::text_ok`] for a text that is not a field's value (an option, a tag, a note):
    /// `place` gives its pointer and how a message names it, when there is a problem.
    pub fn check_text(
        &mut self,
        s: &str,
        long: bool,
        id: bool,
        place: &dyn Fn() -> (String, String),
    ) -> bool {
        let Some((code, at, why)) = text::text_problem(s, long, id) else {
            return true;
        };
        let (path, what) = place();
        let message = match code {
            Code::IdInvisible => format!("{what}「{}」{why}", clip(s)),
            _ => format!("{what}{why}"),
        };
        let problem = Problem::new(code, path, message);
        self.problems.push(match at {
            Some(at) => problem.at_offset(at),
            None => problem,
        });
        false
    }

    /// An optional boolean field.
    pub fn opt_bool(&mut self, o: &Obj, key: &str) -> Option<bool> {
        match o.get(key)? {
            Value::Bool(b) => Some(*b),
            _ => {
                self.push(
                    Code::FieldType,
                    o.at(key),
                    format!("{}的字段「{key}」应为 true 或 false", o.what),
                );
                None
            }
        }
    }

    /// A required decimal field.
    pub fn req_dec(&mut self, o: &Obj, key: &str) -> Option<Decimal> {
        if o.get(key).is_none() {
            self.missing(o, key);
            return None;
        }
        self.opt_dec(o, key)
    }

    /// An optional decimal field, written as a string or a number.
    pub fn opt_dec(&mut self, o: &Obj, key: &str) -> Option<Decimal> {
        let v = o.get(key)?;
        let d = decimal_from_json(v);
        if d.is_none() {
            let why = match v {
                Value::Number(n) => why_not_decimal(n.as_str()),
                Value::String(s) => why_not_decimal(s),
                _ => "不是数值",
            };
            let message = match why {
                "不是数值" => format!(
                    "{}的字段「{key}」不是有效的数值（应为绝对值不超过10¹²的十进制数）：{}",
                    o.what,
                    short(v)
                ),
                why => format!("{}的字段「{key}」的值{}{why}", o.what, short(v)),
            };
            self.push(Code::DecimalInvalid, o.at(key), message);
        }
        d
    }

    /// A required decimal that must be > 0.
    pub fn positive(&mut self, o: &Obj, key: &str) -> Option<Decimal> {
        let d = self.req_dec(o, key)?;
        if d <= Decimal::ZERO {
            self.push(
                Code::DecimalRange,
                o.at(key),
                format!("{}的「{key}」应大于0，实为{}", o.what, plain(d)),
            );
            return None;
        }
        Some(d)
    }

    /// An optional decimal that must be > 0.
    pub fn opt_positive(&mut self, o: &Obj, key: &str) -> Option<Decimal> {
        if o.get(key).is_some() {
            self.positive(o, key)
        } else {
            None
        }
    }

    /// An optional decimal that must be >= 0.
    pub fn opt_non_negative(&mut self, o: &Obj, key: &str) -> Option<Decimal> {
        let d = self.opt_dec(o, key)?;
        if d < Decimal::ZERO {
            self.push(
                Code::DecimalRange,
                o.at(key),
                format!("{}的「{key}」不能为负数，实为{}", o.what, plain(d)),
            );
            return None;
        }
        Some(d)
    }

    /// An optional field whose value is one of `options`; `Ok(None)` when absent.
    pub fn opt_enum<'a>(
        &mut self,
        o: &Obj,
        key: &str,
        options: &[&'a str],
    ) -> Result<Option<&'a str>, ()> {
        let Some(v) = o.get(key) else { return Ok(None) };
        if let Value::String(s) = v {
            if let Some(found) = options.iter().find(|x| **x == s.as_str()) {
                return Ok(Some(found));
            }
        }
        self.push(
            Code::FieldValue,
            o.at(key),
            format!(
                "{}的字段「{key}」应为 {} 之一，实为{}",
                o.what,
                quoted(options),
                short(v)
            ),
        );
        Err(())
    }

    /// Reads the list in field `key` of `o` object by object, in order: each element must be an
    /// object of `keys`, named `name(i)` in messages until its own fields name it better, and is
    /// given to `read` with its index. Returns the list's length (within its limit). The one loop
    /// every list of a document is read with.
    pub fn objects<'v>(
        &mut self,
        o: &Obj<'v>,
        key: &str,
        required: bool,
        name: &dyn Fn(usize) -> String,
        keys: &'static [&'static str],
        read: &mut dyn FnMut(&mut Reader, usize, Obj<'v>),
    ) -> usize {
        let arr = self.array(o, key, required);
        let base = o.at(key);
        for (i, v) in arr.iter().enumerate() {
            if let Some(element) = self.object(v, &pointer_at(&base, i), &name(i), keys) {
                read(self, i, element);
            }
        }
        arr.len()
    }

    /// An array field (absent → empty, or a missing-field problem when required).
    pub fn array<'v>(&mut self, o: &Obj<'v>, key: &str, required: bool) -> &'v [Value] {
        match o.get(key) {
            None => {
                if required {
                    self.missing(o, key);
                }
                &[]
            }
            Some(Value::Array(a)) => {
                let max = limits::max_list(key);
                if a.len() > max {
                    self.push(
                        Code::LimitCount,
                        o.at(key),
                        format!(
                            "{}的「{key}」有{}项，最多{max}项（超出部分未检查）",
                            o.what,
                            a.len()
                        ),
                    );
                }
                a.get(..max).unwrap_or(a)
            }
            Some(_) => {
                self.push(
                    Code::FieldType,
                    o.at(key),
                    format!("{}的字段「{key}」应为数组", o.what),
                );
                &[]
            }
        }
    }

    /// Compiles the expression in field `key`, expecting type `ty`.
    pub fn expr(&mut self, o: &Obj, key: &str, scope: &dyn Scope, ty: Type) -> Option<Expr> {
        self.expr_in(o, key, scope, ty, None)
    }

    /// Compiles the expression in field `key`, expecting type `ty`; with `row`, as a row
    /// expression over the record list in that slot.
    pub fn expr_in(
        &mut self,
        o: &Obj,
        key: &str,
        scope: &dyn Scope,
        ty: Type,
        row: Option<usize>,
    ) -> Option<Expr> {
        let src = self.req_str(o, key)?;
        self.compile_in(&src, o.at(key), &o.what, scope, ty, row)
    }

    /// Compiles `src`, reporting a problem at `path` on failure.
    pub fn compile(
        &mut self,
        src: &str,
        path: String,
        what: &str,
        scope: &dyn Scope,
        ty: Type,
    ) -> Option<Expr> {
        self.compile_in(src, path, what, scope, ty, None)
    }

    /// Compiles `src` (with `row`, as a row expression), reporting a problem at `path` on failure.
    pub fn compile_in(
        &mut self,
        src: &str,
        path: String,
        what: &str,
        scope: &dyn Scope,
        ty: Type,
        row: Option<usize>,
    ) -> Option<Expr> {
        let compiled = match row {
            Some(list) => Expr::compile_row(src, scope, ty, list),
            None => Expr::compile(src, scope, ty),
        };
        match compiled {
            Ok(e) => {
                self.expr_ops = self.expr_ops.saturating_add(e.op_count());
                self.row_ops = self.row_ops.saturating_add(e.row_op_count());
                Some(e)
            }
            Err(e) => {
                let shown: String = src.chars().take(80).collect();
                let ell = if src.chars().count() > 80 { "…" } else { "" };
                let message = format!("{what}的表达式「{shown}{ell}」有误：{}", e.message);
                self.problems
                    .push(Problem::new(e.code, path, message).at_offset(e.offset));
                None
            }
        }
    }
}

/// A JSON value shown briefly in a message.
pub(crate) fn short(v: &Value) -> String {
    let s = match v {
        Value::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    };
    clip(&s)
}

/// Options listed for a message: `"a"、"b"`.
pub(crate) fn quoted(options: &[&str]) -> String {
    options
        .iter()
        .map(|o| format!("\"{o}\""))
        .collect::<Vec<_>>()
        .join("、")
}

/// Reads a decimal from a JSON value written as a number or a string.
pub(crate) fn decimal_from_json(v: &Value) -> Option<Decimal> {
    match v {
        Value::Number(n) => parse_decimal(n.as_str()),
        Value::String(s) => parse_decimal(s),
        _ => None,
    }
}
