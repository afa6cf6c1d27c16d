//! Problems and the one public error type.

use crate::code::Code;
use crate::json::json_object;
use std::fmt;

/// One problem found in a rule set, a submission or while scoring.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Stable, dotted identifier of the kind of problem (`expr.unknown_id`).
    pub code: Code,
    /// JSON pointer into the document the problem is in (`/sections/1/items/3/points`).
    pub path: String,
    /// Simplified Chinese explanation naming the item or input concerned.
    pub message: String,
    /// Where inside the value at `path` the problem is, in characters from the value's start,
    /// when the engine knows: the spot in an expression (`expr.*`), or in the whole document for a
    /// JSON syntax error (`path` empty). Tools point at it (`kpi check`); the JSON form of a
    /// problem does not carry it.
    pub offset: Option<usize>,
}

impl Problem {
    /// A problem with the given code, path and message.
    pub fn new(code: Code, path: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            code,
            path: path.into(),
            message: message.into(),
            offset: None,
        }
    }

    /// The same problem at a character offset inside the value at its path.
    pub fn at_offset(mut self, offset: usize) -> Self {
        self.offset = Some(offset);
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "/"
        } else {
            &self.path
        };
        write!(f, "{path}: [{}] {}", self.code, self.message)
    }
}

/// Every failure of the engine: one or more problems, never a panic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    problems: Vec<Problem>,
}

impl Error {
    /// An error made of the given problems (at least one is expected).
    pub fn new(problems: Vec<Problem>) -> Self {
        Error { problems }
    }

    /// An error with a single problem.
    pub fn one(code: Code, path: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            problems: vec![Problem::new(code, path, message)],
        }
    }

    /// All problems, in the order they were found.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The first problem (what a caller shows when it can show only one).
    pub fn first(&self) -> Option<&Problem> {
        self.problems.first()
    }

    /// Consumes the error, giving its problems.
    pub fn into_problems(self) -> Vec<Problem> {
        self.problems
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Appends `key` to the JSON pointer `base`, escaping `~` and `/` (RFC 6901).
pub(crate) fn pointer(base: &str, key: &str) -> String {
    let mut s = String::with_capacity(base.len().saturating_add(key.len()).saturating_add(1));
    s.push_str(base);
    s.push('/');
    for c in key.chars() {
        match c {
            '~' => s.push_str("~0"),
            '/' => s.push_str("~1"),
            c => s.push(c),
        }
    }
    s
}

/// Appends an array index to the JSON pointer `base`.
pub(crate) fn pointer_at(base: &str, index: usize) -> String {
    format!("{base}/{index}")
}

json_object!(Problem {
    code,
    path,
    message
});
