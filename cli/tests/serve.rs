//! `kpi serve` as a real process on a free port, exercised with a real HTTP client (ureq) and raw
//! sockets: every endpoint answers what the CLI prints for the same input, byte for byte; the
//! token, the limits, malformed bodies, unknown rule sets, concurrent clients, reloading the
//! rule-set folder, verification of tampered reports, and a graceful shutdown that finishes the
//! request in flight.

#![cfg(not(target_arch = "wasm32"))]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TOKEN: &str = "test-token-0123456789abcdef";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(p: &str) -> String {
    std::fs::read_to_string(root().join(p)).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// What `kpi ARGS` prints on stdout, and its exit code.
fn cli(args: &[&str]) -> (String, Option<i32>) {
    let o = Command::new(env!("CARGO_BIN_EXE_kpi"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run kpi");
    (String::from_utf8(o.stdout).expect("utf-8"), o.status.code())
}

/// A temporary folder of this test process, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("kpi-serve-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("temp dir");
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A running `kpi serve`, killed when dropped; its stderr (the access log) is collected.
struct Server {
    child: Child,
    url: String,
    port: u16,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(args: &[&str], token: Option<&str>) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kpi"));
        cmd.arg("serve")
            .args(args)
            .current_dir(root())
            .env_remove("KPI_API_TOKEN")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if !args.contains(&"--listen") {
            cmd.args(["--listen", "127.0.0.1:0"]);
        }
        if let Some(t) = token {
            cmd.env("KPI_API_TOKEN", t);
        }
        let mut child = cmd.spawn().expect("start kpi serve");
        let log = Arc::new(Mutex::new(Vec::new()));
        let stderr = child.stderr.take().expect("stderr");
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                sink.lock().expect("log").push(line);
            }
        });
        let mut first = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut first)
            .expect("the bound address");
        let url = first.trim().to_string();
        assert!(url.starts_with("http://"), "kpi serve printed {url:?}");
        let port: u16 = url
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("port");
        // Clients connect over loopback whatever the address listened on.
        let url = format!("http://127.0.0.1:{port}");
        Server {
            child,
            url,
            port,
            log,
        }
    }

    fn log(&self) -> Vec<String> {
        self.log.lock().expect("log").clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

/// Status and body of a request.
fn call(method: &str, url: &str, body: Option<&str>, token: Option<&str>) -> (u16, String) {
    let a = agent();
    let auth = token.map(|t| format!("Bearer {t}"));
    let resp = match (method, body) {
        ("GET", _) => {
            let mut r = a.get(url);
            if let Some(h) = &auth {
                r = r.header("Authorization", h);
            }
            r.call()
        }
        (_, b) => {
            let mut r = match method {
                "POST" => a.post(url),
                "PUT" => a.put(url),
                _ => panic!("{method}"),
            };
            r = r.header("Content-Type", "application/json");
            if let Some(h) = &auth {
                r = r.header("Authorization", h);
            }
            r.send(b.unwrap_or(""))
        }
    }
    .unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let status = resp.status().as_u16();
    let text = resp
        .into_body()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_string()
        .expect("body");
    (status, text)
}

fn post(s: &Server, path: &str, body: &str) -> (u16, String) {
    call("POST", &format!("{}{path}", s.url), Some(body), None)
}

fn get(s: &Server, path: &str) -> (u16, String) {
    call("GET", &format!("{}{path}", s.url), None, None)
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// The `error.code` of an error body.
fn code(text: &str) -> String {
    json(text)["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// The `*.json` files of a folder, sorted, as `kpi score` reads a folder.
fn files(dir: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root().join(dir))
        .expect("dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn array_of(files: &[String]) -> String {
    let texts: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("file"))
        .collect();
    format!("[{}]", texts.join(","))
}

#[test]
fn every_endpoint_answers_what_the_cli_prints() {
    let s = Server::start(&[], None);

    let (status, body) = get(&s, "/healthz");
    assert_eq!(status, 200);
    assert_eq!(json(&body)["status"], "ok");

    let (status, body) = get(&s, "/v1/rule-sets");
    assert_eq!(status, 200);
    let listed: Vec<String> = json(&body)["rule_sets"]
        .as_array()
        .expect("rule_sets")
        .iter()
        .map(|r| r["address"].as_str().expect("address").to_string())
        .collect();
    for want in [
        "subdistrict",
        "department",
        "enterprise",
        "subdistrict@2026.1",
    ] {
        assert!(listed.iter().any(|a| a == want), "{want} in {listed:?}");
    }

    // One submission: the report, byte for byte as `kpi score --format json`.
    let dq = read("examples/subdistrict-dq.json");
    let (status, body) = post(&s, "/v1/rule-sets/subdistrict/score", &dq);
    assert_eq!(status, 200, "{body}");
    let (expected, _) = cli(&[
        "score",
        "--rules",
        "subdistrict",
        "examples/subdistrict-dq.json",
        "--format",
        "json",
    ]);
    assert_eq!(body, expected);
    // Under an older built-in version, addressed as id@version.
    let old = read("examples/2026.1/subdistrict-dq.json");
    let (status, body) = post(&s, "/v1/rule-sets/subdistrict@2026.1/score", &old);
    assert_eq!(status, 200, "{body}");
    assert_eq!(json(&body)["rules"]["version"], "2026.1");

    // A batch: the reports in order, as `kpi score --format json` prints several.
    let units = files("examples/units");
    let (status, body) = post(&s, "/v1/rule-sets/subdistrict/batch", &array_of(&units));
    assert_eq!(status, 200, "{body}");
    let (expected, _) = cli(&[
        "score",
        "--rules",
        "subdistrict",
        "examples/units",
        "--format",
        "json",
    ]);
    assert_eq!(body, expected);
    assert!(json(&body)[0]["rank"].is_u64());

    // Check: the problems with line and column, as `kpi check --format json`.
    let bad = "tests/cases/load-not-rules/rules.json";
    let (status, body) = post(&s, "/v1/check", &read(bad));
    assert_eq!(status, 200);
    assert_eq!(body, cli(&["check", bad, "--format", "json"]).0);
    let (status, body) = post(&s, "/v1/check", &read("rules/subdistrict.json"));
    assert_eq!((status, body.as_str()), (200, "[]\n"));

    // Diff: the rule changes, the unit-by-unit diff and the probe, as `kpi diff --format json`.
    let new = read("examples/subdistrict-2027.json");
    let (status, body) = post(
        &s,
        "/v1/diff",
        &format!(r#"{{"old": "subdistrict", "new": {new}}}"#),
    );
    assert_eq!(status, 200, "{body}");
    let base = [
        "diff",
        "--old",
        "subdistrict",
        "--new",
        "examples/subdistrict-2027.json",
        "--format",
        "json",
    ];
    assert_eq!(body, cli(&base).0);
    let (status, body) = post(
        &s,
        "/v1/diff",
        &format!(
            r#"{{"old": "subdistrict", "new": {new}, "submissions": {}}}"#,
            array_of(&units)
        ),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, cli(&[&base[..], &["examples/units"]].concat()).0);
    let (status, body) = post(
        &s,
        "/v1/diff",
        &format!(r#"{{"old": "subdistrict", "new": {new}, "submissions": [{dq}], "probe": true}}"#),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        cli(&[&base[..], &["--probe", "examples/subdistrict-dq.json"]].concat()).0
    );

    // Verify: an untouched report verifies; the answer is `kpi verify --format json`'s.
    let (_, report) = post(&s, "/v1/rule-sets/subdistrict/score", &dq);
    let (status, body) = post(
        &s,
        "/v1/verify",
        &format!(r#"{{"report": {report}, "submission": {dq}}}"#),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(json(&body)["ok"], true);
    let dir = TempDir::new("verify");
    let report_file = dir.0.join("report.json");
    std::fs::write(&report_file, &report).expect("write");
    let (expected, code_) = cli(&[
        "verify",
        &report_file.to_string_lossy(),
        "examples/subdistrict-dq.json",
        "--rules",
        "subdistrict",
        "--format",
        "json",
    ]);
    assert_eq!(code_, Some(0));
    assert_eq!(body, expected);

    let (status, body) = get(&s, "/openapi.json");
    assert_eq!(status, 200);
    assert_eq!(json(&body)["openapi"], "3.1.0");
}

#[test]
fn a_tampered_report_fails_verification_naming_the_figure() {
    let s = Server::start(&[], None);
    let dq = read("examples/subdistrict-dq.json");
    let (_, report) = post(&s, "/v1/rule-sets/subdistrict/score", &dq);
    let mut r = json(&report);
    let item = r["sections"][1]["items"][0].clone();
    r["sections"][1]["items"][0]["score"] = serde_json::json!("0.00");
    r["total"] = serde_json::json!("99.99");
    let tampered = serde_json::to_string(&r).expect("json");
    let (status, body) = post(
        &s,
        "/v1/verify",
        &format!(r#"{{"report": {tampered}, "submission": {dq}}}"#),
    );
    assert_eq!(status, 200, "{body}");
    let v = json(&body);
    assert_eq!(v["ok"], false);
    let diffs = v["differences"].as_array().expect("differences");
    assert_eq!(diffs[0]["path"], "/total");
    assert_eq!(diffs[0]["reported"], "99.99");
    let by_item = diffs
        .iter()
        .find(|d| d["path"] == "/sections/1/items/0/score")
        .expect("the item's score");
    let msg = by_item["message"].as_str().expect("message");
    assert!(
        msg.contains(item["title"].as_str().expect("title")) && msg.contains("报告为0.00"),
        "{msg}"
    );

    // The same report with another submission: the submission's fingerprint differs.
    let other = dq.replacen("\"yp-dq\"", "\"yp-dq2\"", 1);
    let (_, body) = post(
        &s,
        "/v1/verify",
        &format!(r#"{{"report": {report}, "submission": {other}}}"#),
    );
    assert_eq!(
        json(&body)["differences"][0]["path"],
        "/fingerprint/submission"
    );

    // The CLI says the same, with exit code 1.
    let dir = TempDir::new("tampered");
    let f = dir.0.join("report.json");
    std::fs::write(&f, &tampered).expect("write");
    let (out, code_) = cli(&[
        "verify",
        &f.to_string_lossy(),
        "examples/subdistrict-dq.json",
        "--rules",
        "subdistrict",
    ]);
    assert_eq!(code_, Some(1));
    assert!(
        out.contains("核验未通过") && out.contains("/total: 总分"),
        "{out}"
    );
}

#[test]
fn every_documented_route_exists_and_no_other() {
    let s = Server::start(&[], None);
    let doc = json(&get(&s, "/openapi.json").1);
    let mut n = 0;
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        let url = format!("{}{}", s.url, path.replace("{id}", "subdistrict"));
        for method in ops.as_object().expect("operations").keys() {
            let (status, body) = call(&method.to_uppercase(), &url, Some("{}"), None);
            assert!(
                status != 405 && !(status == 404 && code(&body) == "http.no_route"),
                "{method} {path}: {status} {body}"
            );
            n += 1;
        }
    }
    assert_eq!(n, 8);
    let (status, body) = get(&s, "/v2/rule-sets");
    assert_eq!((status, code(&body).as_str()), (404, "http.no_route"));
    let (status, body) = call("PUT", &format!("{}/v1/check", s.url), Some("{}"), None);
    assert_eq!((status, code(&body).as_str()), (405, "http.method"));
}

#[test]
fn the_token_is_required_off_loopback_and_checked_when_set() {
    // Another address than loopback without a token: refused before binding.
    let o = Command::new(env!("CARGO_BIN_EXE_kpi"))
        .args(["serve", "--listen", "0.0.0.0:0"])
        .env_remove("KPI_API_TOKEN")
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("KPI_API_TOKEN"));
    // A short token is refused too.
    let o = Command::new(env!("CARGO_BIN_EXE_kpi"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("KPI_API_TOKEN", "short")
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(2));

    // With a token (here on every address; the client connects over loopback).
    let s = Server::start(&["--listen", "0.0.0.0:0"], Some(TOKEN));
    let url = format!("{}/v1/rule-sets", s.url);
    assert_eq!(call("GET", &url, None, None).0, 401);
    let (status, body) = call("GET", &url, None, Some("wrong-token-0123456789abcdef"));
    assert_eq!((status, code(&body).as_str()), (401, "http.unauthorized"));
    assert_eq!(call("GET", &url, None, Some(TOKEN)).0, 200);
    // The scheme is case-insensitive (RFC 7235).
    let lower = agent()
        .get(&url)
        .header("Authorization", format!("bearer {TOKEN}"))
        .call()
        .expect("request");
    assert_eq!(lower.status().as_u16(), 200);
    let dq = read("examples/subdistrict-dq.json");
    let score = format!("{}/v1/rule-sets/subdistrict/score", s.url);
    assert_eq!(call("POST", &score, Some(&dq), None).0, 401);
    assert_eq!(call("POST", &score, Some(&dq), Some(TOKEN)).0, 200);
    // Health checks need no token.
    assert_eq!(
        call("GET", &format!("{}/healthz", s.url), None, None).0,
        200
    );
    // The access log names each request and never the token.
    std::thread::sleep(Duration::from_millis(200));
    let log = s.log().join("\n");
    assert!(log.contains("\"GET /v1/rule-sets\" 401"), "{log}");
    assert!(
        log.contains("\"POST /v1/rule-sets/subdistrict/score\" 200"),
        "{log}"
    );
    assert!(
        !log.contains(TOKEN) && !log.contains("wrong-token"),
        "{log}"
    );
    assert!(!log.contains("大桥街道"), "the log shows no bodies: {log}");
}

#[test]
fn limits_malformed_bodies_and_unknown_rule_sets() {
    let s = Server::start(&[], None);
    let score = "/v1/rule-sets/subdistrict/score";
    // Over the document limit: refused from Content-Length, before the body is sent.
    let mut tcp = TcpStream::connect(("127.0.0.1", s.port)).expect("connect");
    write!(
        tcp,
        "POST {score} HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
        kpi_wasm::MAX_DOCUMENT_BYTES + 1
    )
    .expect("headers");
    let mut answer = String::new();
    let _ = tcp.read_to_string(&mut answer);
    assert!(
        answer.starts_with("HTTP/1.1 413") && answer.contains("\"code\":\"json.too_large\""),
        "{answer}"
    );
    // The same without a length (chunked): refused while reading.
    let mut tcp = TcpStream::connect(("127.0.0.1", s.port)).expect("connect");
    write!(
        tcp,
        "POST {score} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    .expect("headers");
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..9 {
        if write!(tcp, "{:x}\r\n", chunk.len()).is_err() || tcp.write_all(&chunk).is_err() {
            break;
        }
        let _ = tcp.write_all(b"\r\n");
    }
    let mut answer = String::new();
    let _ = tcp.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");

    let (status, body) = post(&s, score, "{");
    assert_eq!((status, code(&body).as_str()), (400, "json.syntax"));
    let mut tcp = TcpStream::connect(("127.0.0.1", s.port)).expect("connect");
    tcp.write_all(
        format!(
            "POST {score} HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n"
        )
        .as_bytes(),
    )
    .expect("write");
    tcp.write_all(&[0xff, 0xfe]).expect("write");
    let mut answer = String::new();
    let _ = tcp.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");

    // A submission the rule set cannot score: every problem, with its engine code and path.
    let dq = read("examples/subdistrict-dq.json");
    let v = json(&dq);
    let (key, _) = v["values"]
        .as_object()
        .expect("values")
        .iter()
        .find(|(_, x)| x.is_boolean())
        .expect("a bool value");
    let mut wrong = v.clone();
    wrong["values"][key] = serde_json::json!("yes");
    let (status, body) = post(&s, score, &wrong.to_string());
    assert_eq!(status, 422, "{body}");
    let e = json(&body);
    assert_eq!(e["error"]["code"], "value.type");
    assert_eq!(e["error"]["path"], format!("/values/{key}"));
    // Empty required inputs: refused unless provisional, as `kpi score`.
    let mut empty = v.clone();
    empty["values"][key] = serde_json::Value::Null;
    let (status, body) = post(&s, score, &empty.to_string());
    assert_eq!((status, code(&body).as_str()), (422, "value.missing"));
    let (status, body) = post(&s, &format!("{score}?provisional=true"), &empty.to_string());
    assert_eq!(status, 200, "{body}");
    assert_eq!(json(&body)["status"], "provisional");
    // A batch with one bad entry: refused, the path starting with its index.
    wrong["unit"]["id"] = serde_json::json!("another-unit");
    let (status, body) = post(
        &s,
        "/v1/rule-sets/subdistrict/batch",
        &format!("[{dq}, {}]", wrong),
    );
    assert_eq!(status, 422);
    assert_eq!(json(&body)["error"]["path"], format!("/1/values/{key}"));

    let (status, body) = post(&s, "/v1/rule-sets/nope/score", &dq);
    assert_eq!(
        (status, code(&body).as_str()),
        (404, "http.unknown_rule_set")
    );
    let (status, body) = post(
        &s,
        "/v1/verify",
        r#"{"report": {}, "submission": {}, "extra": 1}"#,
    );
    assert_eq!(status, 422);
    let e = json(&body);
    let problems: Vec<&str> = e["error"]["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| p["code"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(problems, ["field.unknown"]);
    let (status, body) = post(&s, "/v1/diff", r#"{"old": 1, "new": "subdistrict"}"#);
    assert_eq!((status, code(&body).as_str()), (422, "field.type"));
    let (status, body) = post(&s, "/v1/diff", r#"{"old": "nope", "new": "subdistrict"}"#);
    assert_eq!(
        (status, code(&body).as_str()),
        (404, "http.unknown_rule_set")
    );
    let (status, body) = post(
        &s,
        "/v1/verify",
        &format!(r#"{{"report": {{"x": [}}, "submission": {dq}}}"#),
    );
    assert_eq!((status, code(&body).as_str()), (400, "json.syntax"));
}

#[test]
fn a_probe_too_large_for_one_base_is_refused_as_the_cli_refuses_it() {
    let s = Server::start(&[], None);
    // A generated 1,000-item rule set (benches/make_rules.py, seeded) probed against itself: its
    // planned work per base is over the budget, so the probe is refused before anything is scored.
    let made = Command::new("python3")
        .args(["benches/make_rules.py", "1000"])
        .current_dir(root())
        .output()
        .expect("python3 runs benches/make_rules.py");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let rules = String::from_utf8(made.stdout).expect("utf-8");
    let started = Instant::now();
    let (status, answer) = post(
        &s,
        "/v1/diff",
        &format!(r#"{{"old": {rules}, "new": {rules}, "probe": true}}"#),
    );
    assert_eq!(status, 422, "{answer}");
    assert_eq!(code(&answer), "limit.work", "{answer}");
    assert!(answer.contains("无法探测"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(30));
    // The CLI says the same of the same rule sets.
    let dir = TempDir::new("probe-too-large");
    let file = dir.0.join("rules.json");
    std::fs::write(&file, &rules).expect("writes");
    let path = file.to_string_lossy().to_string();
    let o = Command::new(env!("CARGO_BIN_EXE_kpi"))
        .args(["diff", "--probe", "--old", &path, "--new", &path])
        .output()
        .expect("run kpi");
    let said = String::from_utf8_lossy(&o.stderr);
    assert_ne!(o.status.code(), Some(0));
    assert!(said.contains("limit.work"), "{said}");
}

#[test]
fn concurrent_clients_all_get_their_own_report() {
    let s = Arc::new(Server::start(&["--workers", "4"], None));
    let rules = kpi_wasm::RuleSet::builtin("subdistrict").expect("built-in");
    // Every unit of examples/ and variations of them, each with its expected report.
    let mut cases: Vec<(String, String)> = Vec::new();
    for f in files("examples/units").into_iter().chain([root()
        .join("examples/subdistrict-dq.json")
        .to_string_lossy()
        .into_owned()])
    {
        let text = std::fs::read_to_string(&f).expect("file");
        for k in 0..4 {
            let text = text.replacen("\"name\": \"", &format!("\"name\": \"{k}号"), 1);
            let sub = kpi_wasm::Submission::from_json(&text).expect("reads");
            let expected = rules.score(&sub).expect("scores").to_json_pretty() + "\n";
            cases.push((text, expected));
        }
    }
    let cases = Arc::new(cases);
    let threads: Vec<_> = (0..16)
        .map(|t| {
            let (s, cases) = (s.clone(), cases.clone());
            std::thread::spawn(move || {
                let agent = agent();
                for i in 0..50 {
                    let (text, expected) = &cases[(t * 7 + i) % cases.len()];
                    let resp = agent
                        .post(format!("{}/v1/rule-sets/subdistrict/score", s.url))
                        .send(text.as_str())
                        .expect("request");
                    assert_eq!(resp.status().as_u16(), 200);
                    let body = resp.into_body().read_to_string().expect("body");
                    assert_eq!(&body, expected, "thread {t} request {i}");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("a client thread failed");
    }
}

/// Polls `GET /v1/rule-sets` until `ok` holds of it (the folder is checked every 2 s).
fn wait_for(s: &Server, what: &str, ok: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
    let start = Instant::now();
    loop {
        let v = json(&get(s, "/v1/rule-sets").1);
        if ok(&v) {
            return v;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{what}: still {v}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn version_of(v: &serde_json::Value, address: &str) -> Option<String> {
    v["rule_sets"]
        .as_array()?
        .iter()
        .find(|r| r["address"] == address)
        .and_then(|r| r["version"].as_str().map(str::to_string))
}

#[test]
fn the_rule_set_folder_is_reloaded_when_a_file_changes() {
    let dir = TempDir::new("reload");
    let rules = read("tests/cases/deduct/rules.json");
    let id = json(&rules)["id"].as_str().expect("id").to_string();
    let version = json(&rules)["version"]
        .as_str()
        .expect("version")
        .to_string();
    let file = dir.0.join("mine.json");
    std::fs::write(&file, &rules).expect("write");
    let s = Server::start(&["--rules-dir", &dir.0.to_string_lossy()], None);
    let listing = json(&get(&s, "/v1/rule-sets").1);
    assert_eq!(version_of(&listing, &id), Some(version.clone()));

    // A submission for it scores as `kpi score` does with the file.
    let sub = files("tests/cases/deduct")
        .into_iter()
        .find(|f| f.ends_with(".sub.json"))
        .expect("a submission");
    let (status, body) = post(
        &s,
        &format!("/v1/rule-sets/{id}/score"),
        &std::fs::read_to_string(&sub).expect("sub"),
    );
    let (expected, cli_code) = cli(&[
        "score",
        "--rules",
        &file.to_string_lossy(),
        &sub,
        "--format",
        "json",
    ]);
    if cli_code == Some(0) {
        assert_eq!((status, body), (200, expected));
    }

    // A new version replaces it.
    let next = rules.replacen(
        &format!("\"version\": \"{version}\""),
        "\"version\": \"next\"",
        1,
    );
    assert_ne!(next, rules, "the version is written as expected");
    std::fs::write(&file, &next).expect("write");
    wait_for(&s, "the new version", |v| {
        version_of(v, &id).as_deref() == Some("next")
    });

    // A broken edit: reported, and the previous version keeps serving.
    std::fs::write(&file, "{\"format\": \"kpi-rules/1\",").expect("write");
    let v = wait_for(&s, "the broken file reported", |v| {
        v["rule_sets"].as_array().is_some_and(|a| {
            a.iter()
                .any(|r| r["address"] == id.as_str() && r["problems"].is_array())
        })
    });
    assert_eq!(version_of(&v, &id).as_deref(), Some("next"));
    assert!(s.log().iter().any(|l| l.contains("继续使用上一版")));

    // Two files with one id: that id is refused, and the listing says why.
    std::fs::write(&file, &next).expect("write");
    std::fs::write(dir.0.join("copy.json"), &next).expect("write");
    let v = wait_for(&s, "the conflict", |v| {
        v["conflicts"].as_array().is_some_and(|c| !c.is_empty())
    });
    assert_eq!(v["conflicts"][0]["id"], id.as_str());
    let (status, body) = post(&s, &format!("/v1/rule-sets/{id}/score"), "{}");
    assert_eq!(
        (status, code(&body).as_str()),
        (409, "http.rule_set_conflict")
    );

    // Removing one serves the id again.
    std::fs::remove_file(dir.0.join("copy.json")).expect("remove");
    wait_for(&s, "the conflict resolved", |v| {
        version_of(v, &id).as_deref() == Some("next")
    });
}

#[test]
fn shutdown_finishes_the_request_in_flight() {
    let s = Server::start(&[], None);
    let dq = read("examples/subdistrict-dq.json");
    let (half, rest) = dq.as_bytes().split_at(dq.len() / 2);
    let mut tcp = TcpStream::connect(("127.0.0.1", s.port)).expect("connect");
    write!(
        tcp,
        "POST /v1/rule-sets/subdistrict/score HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        dq.len()
    )
    .expect("headers");
    tcp.write_all(half).expect("half the body");
    tcp.flush().expect("flush");
    std::thread::sleep(Duration::from_millis(300));
    let pid = s.child.id().to_string();
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(killed.success());
    // New connections are refused once the signal is handled.
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", s.port)).is_ok() {
        assert!(start.elapsed() < Duration::from_secs(10), "still accepting");
        std::thread::sleep(Duration::from_millis(50));
    }
    tcp.write_all(rest).expect("the rest of the body");
    let mut answer = String::new();
    tcp.read_to_string(&mut answer).expect("the answer");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"grade\": \"良好\""));
    let mut s = s;
    let status = s.child.wait().expect("exit");
    assert_eq!(status.code(), Some(0));
    assert!(s.log().iter().any(|l| l.contains("已停止")));
}

#[test]
fn a_folder_rule_set_takes_the_address_of_a_builtin_one() {
    let dir = TempDir::new("shadow");
    let text = read("rules/subdistrict.json");
    let version = json(&text)["version"]
        .as_str()
        .expect("version")
        .to_string();
    let mine = text.replacen(
        &format!("\"version\": \"{version}\""),
        "\"version\": \"2099.1\"",
        1,
    );
    assert_ne!(mine, text);
    std::fs::write(dir.0.join("district.json"), &mine).expect("write");
    let s = Server::start(&["--rules-dir", &dir.0.to_string_lossy()], None);
    let v = json(&get(&s, "/v1/rule-sets").1);
    assert_eq!(version_of(&v, "subdistrict").as_deref(), Some("2099.1"));
    let builtin = format!("subdistrict@{version}");
    assert_eq!(version_of(&v, &builtin).as_deref(), Some(version.as_str()));
    let addresses: Vec<&str> = v["rule_sets"]
        .as_array()
        .expect("rule_sets")
        .iter()
        .map(|r| r["address"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        addresses.iter().filter(|a| **a == "subdistrict").count(),
        1,
        "{addresses:?}"
    );
    // A submission for the built-in version still finds it when verified.
    let dq = read("examples/subdistrict-dq.json");
    let (status, report) = post(&s, &format!("/v1/rule-sets/{builtin}/score"), &dq);
    assert_eq!(status, 200, "{report}");
    let (status, body) = post(
        &s,
        "/v1/verify",
        &format!(r#"{{"report": {report}, "submission": {dq}}}"#),
    );
    assert_eq!(
        (status, json(&body)["ok"].as_bool()),
        (200, Some(true)),
        "{body}"
    );
}
