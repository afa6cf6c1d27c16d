use super::parse::*;
use super::scan::*;
use super::write::*;
use super::*;

fn err(text: &str) -> (SyntaxErrorKind, usize, usize) {
    let e = parse(text).expect_err(text);
    (e.kind, e.line, e.column)
}

#[test]
fn reads_values_keeping_number_literals() {
    let v =
        parse(r#" {"a": [1, -2.50, 1E3, true, null], "b": "x\"\u00e9\ud83d\ude00\n", "c": 0} "#)
            .expect("valid");
    assert_eq!(v.get("c"), Some(&Value::Number(Number("0".into()))));
    assert_eq!(v.get("b").and_then(Value::as_str), Some("x\"é😀\n"));
    let v = parse("[1, -2.50, 1E3, true, null, {}]").expect("valid");
    assert_eq!(v.to_json(), "[1,-2.50,1E3,true,null,{}]");
}

#[test]
fn refuses_what_json_does_not_allow() {
    for bad in [
        "",
        "[1,]",
        "{\"a\" 1}",
        "{a:1}",
        "01",
        "1.",
        ".5",
        "+1",
        "1e",
        "-",
        "[1] x",
        "\"\\x\"",
        "\"a\nb\"",
        "tru",
        "nul",
        "\"\\ud800\"",
        "\"\\udc00\"",
        "[",
        "{\"a\":",
        "\"abc",
    ] {
        assert!(parse(bad).is_err(), "{bad:?} should fail");
    }
}

#[test]
fn refuses_repeated_keys_naming_each_where_it_repeats() {
    let text = "{\"a\": 1, \"v\": [{}, {\"id\": \"major\", \"when\": \"x\",\n \"when\": \"y\", \"when\": \"z\"}],\n \"a/~\": {\"\\u0062\": 1, \"b\": 2}, \"a\": 2}";
    let e = parse(text).expect_err("repeated keys");
    assert_eq!(e.kind, SyntaxErrorKind::DuplicateKey);
    let found: Vec<(&str, &str, &str, Option<&str>, usize)> = e
        .duplicates
        .iter()
        .map(|d| {
            (
                d.path.as_str(),
                d.key.as_str(),
                d.object.as_str(),
                d.name.as_deref(),
                d.offset,
            )
        })
        .collect();
    // In the order their objects close; each key once, at its second occurrence.
    assert_eq!(
        found,
        [
            ("/v/1/when", "when", "/v/1", Some("major"), 49),
            ("/a~1~0/b", "b", "/a~1~0", None, 99),
            ("/a", "a", "", None, 108),
        ]
    );
    assert_eq!((e.line, e.column, e.offset), (2, 2, 49));
    // Escapes are decoded before keys are compared; equal keys in different objects are fine.
    assert!(parse(r#"[{"a": 1}, {"a": 2}, {"a": {"a": 3}}]"#).is_ok());
}

#[test]
fn positions_name_line_and_character() {
    assert_eq!(err("{\"a\": 1\n"), (SyntaxErrorKind::Eof, 2, 0));
    assert_eq!(err("{\"名称\": x}").1, 1);
    assert_eq!(err("{\"名称\": x}").2, 8);
    let deep = "[".repeat(200);
    assert_eq!(err(&deep), (SyntaxErrorKind::TooDeep, 1, 128));
    assert!(parse(&format!("{}{}", "[".repeat(127), "]".repeat(127))).is_ok());
}

#[test]
fn scan_reads_plain_documents_and_gives_up_on_the_rest() {
    let mut s = Scan::new(r#" {"a": -1.5e2, "b" : "中文", "c": {"d": null}, "e": true} "#);
    s.begin_object().expect("{");
    assert_eq!(s.key(true), Some(Some("a")));
    assert_eq!(s.scalar(), Some(Scalar::Number("-1.5e2")));
    assert_eq!(s.key(false), Some(Some("b")));
    assert_eq!(s.scalar(), Some(Scalar::Str("中文")));
    assert_eq!(s.key(false), Some(Some("c")));
    s.begin_object().expect("{");
    assert_eq!(s.key(true), Some(Some("d")));
    assert_eq!(s.scalar(), Some(Scalar::Null));
    assert_eq!(s.key(false), Some(None));
    assert_eq!(s.key(false), Some(Some("e")));
    assert_eq!(s.scalar(), Some(Scalar::Bool(true)));
    assert_eq!(s.key(false), Some(None));
    assert_eq!(s.end(), Some(()));
    for bad in [r#""a\"b""#, "[1]", "01", "1.", "tru", "\"a\nb\"", "nul"] {
        let mut s = Scan::new(bad);
        assert!(s.scalar().is_none() || s.end().is_none(), "{bad}");
    }
    let mut s = Scan::new(r#"{"a": 1 "b": 2}"#);
    s.begin_object().expect("{");
    assert_eq!(s.key(true), Some(Some("a")));
    assert!(s.scalar().is_some());
    assert_eq!(s.key(false), None);
}

#[test]
fn escape_check_finds_every_special_byte() {
    for len in 0..40 {
        for pos in 0..len {
            for special in [b'"', b'\\', 0u8, 0x1f, b'\n'] {
                let mut bytes = vec![0xe4u8; len];
                assert!(!needs_escape(&bytes));
                bytes[pos] = special;
                assert!(needs_escape(&bytes), "{len} {pos} {special}");
            }
            let mut bytes = vec![b'a'; len];
            bytes[pos] = 0x20;
            assert!(!needs_escape(&bytes));
            bytes[pos] = 0x7f;
            assert!(!needs_escape(&bytes));
        }
    }
}

#[test]
fn writes_and_reindents_like_serde_json() {
    let v = parse(r#"{"b":[],"a":{"x":[1,{"y":"q\"\\\u0001\t"}],"e":{}}}"#).expect("valid");
    assert_eq!(
        v.to_json(),
        r#"{"a":{"e":{},"x":[1,{"y":"q\"\\\u0001\t"}]},"b":[]}"#
    );
    assert_eq!(
        v.to_json_pretty(),
        "{\n  \"a\": {\n    \"e\": {},\n    \"x\": [\n      1,\n      {\n        \"y\": \"q\\\"\\\\\\u0001\\t\"\n      }\n    ]\n  },\n  \"b\": []\n}"
    );
}
