//! Native benchmarks of the engine (Criterion): loading each built-in rule set, scoring one
//! submission (from JSON text to report JSON, and the scoring alone), one change to a live form,
//! batches of 100 to 20,000 (kept and streamed),
//! a diff of 10,000 submissions, and how cost grows with the number of items (10 → 1,000).
//!
//!     cargo bench --bench engine                 # everything (about 10 minutes)
//!     cargo bench --bench engine -- score/       # one group
//!     cargo bench --bench engine -- limits/      # the largest input the limits accept
//!
//! Every iteration scores a different submission (seeded, generated up front, not timed) and no
//! result is kept between calls: a figure is what a caller gets. See BENCHMARKS.md.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kpi_wasm::json::{Map, Value};
use kpi_wasm::{FormBound, RuleSet, Submission, ToJson};
use std::hint::black_box;

#[path = "worst_case.rs"]
mod worst_case;
use std::time::Duration;

/// A small, seeded generator (xorshift), so that inputs are the same from run to run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// `n` valid, varied submissions for `rules` as JSON text: every input filled within the bounds
/// the form description gives (so judged scores stay within their item's points).
fn submissions(rules: &RuleSet, n: usize, seed: u64) -> Vec<String> {
    let form = rules.form();
    let mut rng = Rng(seed | 1);
    let literal = |b: &Option<FormBound>| match b {
        Some(FormBound::Value(v)) => kpi_wasm::parse_decimal(v),
        _ => None,
    };
    (0..n)
        .map(|k| {
            let mut values = Map::new();
            let mut numbers: Vec<(String, rust_decimal::Decimal)> = Vec::new();
            for input in &form.inputs {
                let v = match input.kind {
                    "count" => {
                        let hi = literal(&input.max)
                            .map_or(6, |d| d.trunc().to_string().parse().unwrap_or(6));
                        let c = [0, 0, 0, 1, 1, 2, 3, 6][rng.below(8) as usize].min(hi);
                        numbers.push((input.id.to_string(), c.into()));
                        Value::String(c.to_string())
                    }
                    "percent" => Value::String(format!("{}.{}", 80 + rng.below(20), rng.below(10))),
                    "number" => {
                        let lo = literal(&input.min).unwrap_or_default();
                        let hi =
                            literal(&input.max).unwrap_or(lo + rust_decimal::Decimal::ONE_HUNDRED);
                        let d =
                            lo + (hi - lo) * rust_decimal::Decimal::new(rng.below(101) as i64, 2);
                        Value::String(d.round_dp(2).min(hi).to_string())
                    }
                    "bool" => Value::Bool(rng.below(2) == 0),
                    "choice" => Value::string(
                        input.options[rng.below(input.options.len() as u64) as usize].as_str(),
                    ),
                    _ => Value::string("备注"),
                };
                values.insert(input.id.to_string(), v);
            }
            // Bounds naming another input (hazards_fixed <= hazards_found).
            for input in &form.inputs {
                if let Some(FormBound::Input { input: other }) = &input.max {
                    if let Some((_, hi)) = numbers.iter().find(|(id, _)| id == other) {
                        values.insert(input.id.to_string(), Value::String(hi.to_string()));
                    }
                }
            }
            let mut doc = Map::new();
            doc.insert("format".into(), Value::string("kpi-submission/1"));
            let mut r = Map::new();
            r.insert("id".into(), Value::string(rules.id()));
            r.insert("version".into(), Value::string(rules.version()));
            doc.insert("rules".into(), Value::Object(r));
            let mut unit = Map::new();
            unit.insert("id".into(), Value::String(format!("u{k:06}")));
            unit.insert("name".into(), Value::String(format!("单位{k}")));
            doc.insert("unit".into(), Value::Object(unit));
            doc.insert("values".into(), Value::Object(values));
            Value::Object(doc).to_json()
        })
        .collect()
}

/// A rule set of `n` items (a multiple of 10, at most 1,000: two inputs each) in sections of ten,
/// each item reading its own inputs, the rules taking turns: fixed deductions, a rate, bands, a
/// formula.
fn synthetic_rules(n: usize) -> String {
    let p = rust_decimal::Decimal::ONE_HUNDRED / rust_decimal::Decimal::from(n);
    let (half, quarter, tenth) = (
        p / rust_decimal::Decimal::TWO,
        p / rust_decimal::Decimal::from(4),
        p / rust_decimal::Decimal::TEN,
    );
    let mut inputs = Vec::new();
    let mut sections = Vec::new();
    for s in 0..n / 10 {
        let mut items = Vec::new();
        for k in s * 10..s * 10 + 10 {
            inputs.push(format!(
                r#"{{"id":"c{k}","label":"问题{k}（项）","type":"count"}}"#
            ));
            inputs.push(format!(
                r#"{{"id":"p{k}","label":"比率{k}","type":"percent"}}"#
            ));
            let rule = match k % 4 {
                0 => format!(
                    r#""deduct":[{{"if":"p{k} < 60","points":"{half}","reason":"比率{k}过低"}},{{"per":"c{k}","points":"{quarter}","reason":"发现问题"}}]"#
                ),
                1 => format!(
                    r#""rate":{{"value":"p{k}","target":"95","mode":"step","step":"1","points_per_step":"{tenth}"}}"#
                ),
                2 => format!(
                    r#""bands":{{"value":"p{k}","bands":[{{"min":"0","max":"60","score":"0"}},{{"min":"60","max":"90","score":"{half}"}},{{"min":"90","max":"100","score":"{p}"}}]}}"#
                ),
                _ => format!(r#""formula":"{p} * p{k} / 100 - c{k} * {tenth}""#),
            };
            let cap = if k % 4 < 2 {
                format!(r#""cap":"{p}","#)
            } else {
                String::new()
            };
            items.push(format!(
                r#"{{"id":"{s}.{k}","title":"考核项目{k}","points":"{p}","basis":"示例项目",{cap}"applicable":"c{k} < 9",{rule}}}"#
            ));
        }
        sections.push(format!(
            r#"{{"id":"s{s}","title":"第{s}部分","points":"{}","items":[{}]}}"#,
            p * rust_decimal::Decimal::TEN,
            items.join(",")
        ));
    }
    format!(
        r#"{{"format":"kpi-rules/1","id":"synthetic-{n}","version":"1","title":"{n}项考核细则（基准测试）","period":"2026","unit_kind":"subdistrict","full_score":"100","inputs":[{}],"sections":[{}],"adjustments":[{{"id":"acc","title":"事故控制","cap":"20","deduct":[{{"per":"c0","points":"2","reason":"发生事故"}}]}}],"vetoes":[{{"id":"v1","title":"较大事故","when":"c1 >= 6","effect":"fail"}}],"grades":[{{"name":"优秀","min":"90"}},{{"name":"良好","min":"80"}},{{"name":"合格","min":"60"}},{{"name":"不合格","min":"0"}}]}}"#,
        inputs.join(","),
        sections.join(",")
    )
}

fn builtin(id: &str) -> RuleSet {
    RuleSet::builtin(id).unwrap_or_else(|| panic!("built-in {id} loads"))
}

fn parse_all(texts: &[String]) -> Vec<Submission> {
    texts
        .iter()
        .map(|t| {
            Submission::from_json(t).unwrap_or_else(|e| panic!("generated submission reads: {e}"))
        })
        .collect()
}

fn load(c: &mut Criterion) {
    let mut g = c.benchmark_group("load");
    for id in kpi_wasm::BUILTIN_IDS {
        let text = kpi_wasm::builtin_source(id).unwrap_or_default();
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(*id, |b| {
            b.iter(|| RuleSet::from_json(black_box(text)).map(|r| r.item_count()))
        });
    }
    g.finish();
}

fn score(c: &mut Criterion) {
    let mut g = c.benchmark_group("score");
    g.throughput(Throughput::Elements(1));
    for id in kpi_wasm::BUILTIN_IDS {
        let rules = builtin(id);
        let texts = submissions(&rules, 2000, 2026);
        let subs = parse_all(&texts);
        // JSON text in, report JSON out: what the CLI's jsonl and the wasm scoreJson do.
        let mut i = 0;
        g.bench_function(BenchmarkId::new("text_to_json", id), |b| {
            b.iter(|| {
                i = (i + 1) % texts.len();
                rules.score_text(black_box(&texts[i])).map(|r| r.to_json())
            })
        });
        // The scoring alone: a parsed submission to a report.
        let mut i = 0;
        g.bench_function(BenchmarkId::new("parsed_to_report", id), |b| {
            b.iter(|| {
                i = (i + 1) % subs.len();
                rules.score(black_box(&subs[i])).map(|r| r.sections.len())
            })
        });
    }
    g.finish();
}

/// A live form (`RuleSet::live`): each iteration sets one input of the form to the value another
/// generated submission gives it, input after input (a form being filled in), and gets back the
/// total, grade, status and the items that changed.
fn live(c: &mut Criterion) {
    let mut g = c.benchmark_group("live");
    g.throughput(Throughput::Elements(1));
    for id in kpi_wasm::BUILTIN_IDS {
        let rules = builtin(id);
        let texts = submissions(&rules, 500, 11);
        let subs = parse_all(&texts);
        // (input id, value JSON) pairs, the inputs in form order, the values from unit to unit.
        let edits: Vec<(String, String)> = subs
            .iter()
            .flat_map(|s| s.values.iter())
            .map(|(k, v)| (k.clone(), v.to_json()))
            .collect();
        let Some(first) = subs.first() else { continue };
        let mut form = rules
            .live(first)
            .unwrap_or_else(|e| panic!("{id} starts live: {e}"));
        let mut i = 0;
        g.bench_function(BenchmarkId::new("set", id), |b| {
            b.iter(|| {
                i = (i + 1) % edits.len();
                let (input, value) = &edits[i];
                form.set(black_box(input), black_box(value))
                    .map(|c| c.items.len())
            })
        });
        // The full report of the live form, for comparison with scoring it afresh.
        g.bench_function(BenchmarkId::new("report", id), |b| {
            b.iter(|| form.report().map(|r| r.sections.len()))
        });
    }
    g.finish();
}

fn scaling(c: &mut Criterion) {
    let mut g = c.benchmark_group("items");
    g.throughput(Throughput::Elements(1));
    for n in [10, 100, 1000] {
        let rules = RuleSet::from_json(&synthetic_rules(n))
            .unwrap_or_else(|e| panic!("synthetic rules load: {e}"));
        let texts = submissions(&rules, 500, 7);
        let mut i = 0;
        g.bench_function(BenchmarkId::new("score_text_to_json", n), |b| {
            b.iter(|| {
                i = (i + 1) % texts.len();
                rules.score_text(black_box(&texts[i])).map(|r| r.to_json())
            })
        });
        let text = synthetic_rules(n);
        g.bench_function(BenchmarkId::new("load", n), |b| {
            b.iter(|| RuleSet::from_json(black_box(&text)).map(|r| r.item_count()))
        });
    }
    g.finish();
}

fn batch(c: &mut Criterion) {
    let rules = builtin("subdistrict");
    let texts = submissions(&rules, 20_000, 99);
    let all = parse_all(&texts);
    let mut g = c.benchmark_group("batch");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    // 20,000: about the most the work budget admits for this rule set (limits::MAX_WORK).
    for n in [100, 1_000, 10_000, 20_000] {
        g.throughput(Throughput::Elements(n as u64));
        // A different slice each time (the last one is all of them).
        let mut start = 0;
        g.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| {
                start = (start + n) % (all.len() - n + 1);
                rules
                    .score_batch(black_box(&all[start..start + n]))
                    .results
                    .len()
            })
        });
    }
    // The same 20,000 as a streamed batch (what `kpi score` does for a rule set that reads no
    // peers): both passes from JSON text, each finished report written as JSON and dropped.
    g.throughput(Throughput::Elements(texts.len() as u64));
    g.bench_function("stream_text_to_json/20000", |b| {
        b.iter(|| {
            let Some(mut stream) = rules.stream() else {
                return 0;
            };
            for t in &texts {
                let _ = stream.add(kpi_wasm::BatchInput::Text(black_box(t)));
            }
            stream.rank();
            texts
                .iter()
                .enumerate()
                .filter_map(|(i, t)| stream.report(i, kpi_wasm::BatchInput::Text(t)).ok())
                .map(|r| r.to_json().len())
                .sum::<usize>()
        })
    });
    g.finish();
}

fn diff(c: &mut Criterion) {
    let old = builtin("subdistrict");
    let new_text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/subdistrict-2027.json"
    ))
    .unwrap_or_default();
    let new = RuleSet::from_json(&new_text).unwrap_or_else(|e| panic!("2027 rules load: {e}"));
    let sets = [
        parse_all(&submissions(&old, 10_000, 5)),
        parse_all(&submissions(&old, 10_000, 6)),
    ];
    let mut g = c.benchmark_group("diff");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.throughput(Throughput::Elements(10_000));
    let mut turn = 0;
    g.bench_function("10000", |b| {
        b.iter(|| {
            turn += 1;
            old.diff(black_box(&new), black_box(&sets[turn % 2]))
                .summary
                .changed
        })
    });
    g.finish();
}

/// The largest input the limits accept (SECURITY.md): loading it, and scoring one submission.
fn limits(c: &mut Criterion) {
    let text = worst_case::rules();
    let rules = RuleSet::from_json(&text).unwrap_or_else(|e| panic!("worst case loads: {e}"));
    let subs: Vec<String> = (0..5).map(worst_case::submission).collect();
    let mut g = c.benchmark_group("limits");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("worst_case_load", |b| {
        b.iter(|| RuleSet::from_json(black_box(&text)).map(|r| r.item_count()))
    });
    let mut i = 0;
    g.bench_function("worst_case_score_text_to_json", |b| {
        b.iter(|| {
            i = (i + 1) % subs.len();
            rules
                .score_text(black_box(&subs[i]))
                .map(|r| r.to_json().len())
        })
    });
    g.finish();
}

criterion_group!(benches, load, score, live, scaling, batch, diff, limits);
criterion_main!(benches);
