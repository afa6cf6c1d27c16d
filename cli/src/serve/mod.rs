//! `kpi serve`: the scoring service for OA back ends, an HTTP JSON API over the engine (README,
//! "评分服务"). axum on tokio: the async threads only move bytes; every engine call runs on the
//! blocking pool, at most `--workers` at a time, and every request has a time limit.
//!
//! Binds 127.0.0.1 by default. On any other address it refuses to start without an API token
//! (`KPI_API_TOKEN`), which every request but `GET /healthz` must then carry as a bearer token;
//! the token is compared in constant time. One access-log line per request on stderr (never
//! bodies or tokens). SIGINT or SIGTERM stops accepting connections and lets the requests in
//! flight finish.

use crate::Fail;
use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{get, post};
use kpi_wasm::Problem;
use sha2::{Digest, Sha256};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime};
use subtle::ConstantTimeEq;
use tokio::sync::Semaphore;

mod api;
mod openapi;
mod registry;

use registry::{Entry, Folder, Registry};

/// The arguments of `kpi serve`.
#[derive(clap::Args)]
pub struct ServeArgs {
    /// 监听地址；默认只监听本机。监听其他地址时必须设置环境变量 KPI_API_TOKEN（至少16个字符）
    #[arg(long, default_value = "127.0.0.1:8787")]
    listen: String,
    /// 规则集目录：其中的 *.json 考核细则按 id 提供，文件变化后自动重新载入（每2秒检查一次）
    #[arg(long)]
    rules_dir: Option<PathBuf>,
    /// 同时执行的评分任务数（默认为 CPU 核数）
    #[arg(long)]
    workers: Option<usize>,
    /// 每个请求的时限（秒），超时返回 503
    #[arg(long, default_value_t = 30)]
    timeout: u64,
}

/// Every route, as the OpenAPI document lists it (a test checks the two agree).
#[cfg_attr(not(test), allow(dead_code))]
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/healthz"),
    ("get", "/v1/rule-sets"),
    ("post", "/v1/rule-sets/{id}/score"),
    ("post", "/v1/rule-sets/{id}/batch"),
    ("post", "/v1/check"),
    ("post", "/v1/diff"),
    ("post", "/v1/verify"),
    ("get", "/openapi.json"),
];

/// How often the rule-set folder is checked for changes.
const POLL: Duration = Duration::from_secs(2);

/// Shared by every request.
pub struct App {
    registry: RwLock<Arc<Registry>>,
    builtins: Vec<Arc<Entry>>,
    permits: Arc<Semaphore>,
    timeout: Duration,
    /// SHA-256 of the API token, when one is set.
    token: Option<[u8; 32]>,
}

impl App {
    /// The rule sets as they are now (a consistent view, even while a reload swaps them).
    fn registry(&self) -> Arc<Registry> {
        self.registry
            .read()
            .map(|r| r.clone())
            .unwrap_or_else(|e| e.into_inner().clone())
    }

    /// Runs engine work on the blocking pool, at most `--workers` at a time; the work answers
    /// `Ok` or `Err`, both a response.
    async fn engine<F>(&self, work: F) -> Response
    where
        F: FnOnce() -> Result<Response, Response> + Send + 'static,
    {
        // The semaphore is never closed: waiting for a permit ends with one.
        let Ok(permit) = self.permits.clone().acquire_owned().await else {
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "http.internal",
                "评分任务队列不可用",
            );
        };
        let task = tokio::task::spawn_blocking(move || {
            let response = work().unwrap_or_else(|refused| refused);
            drop(permit);
            response
        });
        task.await.unwrap_or_else(|_| {
            error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "http.internal",
                "评分时发生内部错误",
            )
        })
    }
}

/// Starts the service and runs it until SIGINT or SIGTERM.
pub fn serve(args: ServeArgs) -> Result<(), Fail> {
    let addr = parse_listen(&args.listen)?;
    let token = std::env::var("KPI_API_TOKEN")
        .ok()
        .filter(|t| !t.is_empty());
    if let Some(t) = &token {
        if t.chars().count() < 16 {
            return Err(Fail(
                "KPI_API_TOKEN 太短：至少16个字符（建议用随机生成的32个字符以上）".into(),
                2,
            ));
        }
    } else if !addr.ip().is_loopback() {
        return Err(Fail(
            format!(
                "拒绝启动：监听 {addr} 不是本机地址，必须先设置环境变量 KPI_API_TOKEN（API 令牌，至少16个字符），请求须带 Authorization: Bearer <令牌>"
            ),
            2,
        ));
    }
    let mut folder = match &args.rules_dir {
        Some(dir) if !dir.is_dir() => {
            return Err(Fail(
                format!("规则集目录 {} 不存在或不是目录", dir.display()),
                2,
            ));
        }
        Some(dir) => Some(Folder::new(dir)),
        None => None,
    };
    for line in folder.as_mut().map(Folder::scan).unwrap_or_default() {
        eprintln!("{line}");
    }
    let builtins = registry::builtins();
    let registry = Registry::build(&builtins, folder.as_ref());
    let workers = args
        .workers
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
        .max(1);
    let app = Arc::new(App {
        registry: RwLock::new(Arc::new(registry)),
        builtins,
        permits: Arc::new(Semaphore::new(workers)),
        timeout: Duration::from_secs(args.timeout.max(1)),
        token: token.map(|t| Sha256::digest(t.as_bytes()).into()),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Fail(format!("无法启动：{e}"), 2))?;
    runtime.block_on(run(app, addr, folder))
}

/// `127.0.0.1:8787`, `[::1]:8787`, `localhost:8787` or `0.0.0.0:8787`.
fn parse_listen(listen: &str) -> Result<SocketAddr, Fail> {
    let text = listen.replace("localhost:", "127.0.0.1:");
    text.parse().map_err(|_| {
        Fail(
            format!("无法识别的监听地址「{listen}」，应为 IP:端口，如 127.0.0.1:8787"),
            2,
        )
    })
}

async fn run(app: Arc<App>, addr: SocketAddr, folder: Option<Folder>) -> Result<(), Fail> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Fail(format!("无法监听 {addr}：{e}"), 2))?;
    let bound = listener
        .local_addr()
        .map_err(|e| Fail(format!("无法监听 {addr}：{e}"), 2))?;
    let reg = app.registry();
    eprintln!(
        "kpi serve：评分服务已启动，http://{bound}（{}个规则集；{}个评分任务并行；请求时限{}秒；{}）",
        reg.len(),
        app.permits.available_permits(),
        app.timeout.as_secs(),
        if app.token.is_some() {
            "需要 API 令牌"
        } else {
            "仅本机访问，无令牌"
        }
    );
    // The bound address alone on stdout, for scripts and tests that listen on port 0.
    println!("http://{bound}");
    use std::io::Write;
    let _ = std::io::stdout().flush();

    if let Some(folder) = folder {
        tokio::spawn(watch(app.clone(), folder));
    }
    let router = router(app.clone());
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await
    .map_err(|e| Fail(format!("服务出错：{e}"), 1))?;
    eprintln!("kpi serve：已停止（进行中的请求均已完成）");
    Ok(())
}

fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/healthz", get(api::healthz))
        .route("/v1/rule-sets", get(api::rule_sets))
        .route("/v1/rule-sets/{id}/score", post(api::score))
        .route("/v1/rule-sets/{id}/batch", post(api::batch))
        .route("/v1/check", post(api::check))
        .route("/v1/diff", post(api::diff))
        .route("/v1/verify", post(api::verify))
        .route("/openapi.json", get(api::openapi))
        .fallback(api::no_route)
        .method_not_allowed_fallback(api::wrong_method)
        .layer(axum::middleware::from_fn_with_state(app.clone(), guard))
        .with_state(app)
}

/// Resolves on SIGINT or SIGTERM.
async fn shutdown() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    eprintln!("kpi serve：收到停止信号，不再接受新连接，等待进行中的请求完成");
}

/// Polls the folder every two seconds and swaps in a new registry when a file changed.
async fn watch(app: Arc<App>, folder: Folder) {
    let mut folder = Some(folder);
    loop {
        tokio::time::sleep(POLL).await;
        let Some(mut f) = folder.take() else { return };
        let scanned = tokio::task::spawn_blocking(move || {
            let log = f.scan();
            (f, log)
        })
        .await;
        let Ok((f, log)) = scanned else { return };
        if !log.is_empty() {
            for line in &log {
                eprintln!("{line}");
            }
            let next = Arc::new(Registry::build(&app.builtins, Some(&f)));
            match app.registry.write() {
                Ok(mut r) => *r = next,
                Err(e) => *e.into_inner() = next,
            }
        }
        folder = Some(f);
    }
}

/// Around every request: the API token, the time limit, and the access-log line.
async fn guard(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "-".to_string(), |c| c.0.to_string());
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let response = if !authorized(&app, &req) {
        let mut r = error(
            StatusCode::UNAUTHORIZED,
            "http.unauthorized",
            "缺少或错误的 API 令牌：请在请求头中加 Authorization: Bearer <KPI_API_TOKEN>",
        );
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"kpi\""),
        );
        r
    } else {
        match tokio::time::timeout(app.timeout, next.run(req)).await {
            Ok(r) => r,
            Err(_) => error(
                StatusCode::SERVICE_UNAVAILABLE,
                "http.timeout",
                &format!("请求超过时限（{}秒），未完成", app.timeout.as_secs()),
            ),
        }
    };
    let bytes = axum::body::HttpBody::size_hint(response.body())
        .exact()
        .map_or_else(|| "-".to_string(), |n| n.to_string());
    eprintln!(
        "{} {peer} \"{method} {path}\" {} {bytes} {:.3}ms",
        timestamp(SystemTime::now()),
        response.status().as_u16(),
        start.elapsed().as_secs_f64() * 1000.0
    );
    response
}

/// Whether the request may proceed: no token configured, `/healthz`, or the right bearer token.
fn authorized(app: &App, req: &Request) -> bool {
    let Some(want) = &app.token else { return true };
    if req.uri().path() == "/healthz" {
        return true;
    }
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map_or("", |(_, t)| t);
    let digest: [u8; 32] = Sha256::digest(given.trim().as_bytes()).into();
    bool::from(digest.ct_eq(want))
}

/// RFC 3339 in UTC with milliseconds, without a date library.
fn timestamp(t: SystemTime) -> String {
    let d = t.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let (days, rem) = ((secs / 86_400) as i64, secs % 86_400);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        d.subsec_millis()
    )
}

/// A JSON response.
fn json(status: StatusCode, body: String) -> Response {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
        .body(Body::from(body))
        .unwrap_or_default()
}

/// `{"error": {"code", "message", "path", "problems"}}`: the first problem's code and path, its
/// message (with how many more there are), and every problem.
fn problems(status: StatusCode, problems: &[Problem]) -> Response {
    use kpi_wasm::ToJson;
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let first = problems.first();
    let message = match problems.len() {
        0 | 1 => first.map_or_else(String::new, |p| p.message.clone()),
        n => format!(
            "{}（另有{}个问题）",
            first.map_or("", |p| p.message.as_str()),
            n - 1
        ),
    };
    json(
        status,
        format!(
            "{{\"error\":{{\"code\":{},\"message\":{},\"path\":{},\"problems\":{}}}}}\n",
            q(first.map_or("", |p| p.code.as_str())),
            q(&message),
            q(first.map_or("", |p| p.path.as_str())),
            problems.to_json()
        ),
    )
}

/// An error of the service itself (`http.*` codes), in the same shape.
fn error(status: StatusCode, code: &str, message: &str) -> Response {
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    json(
        status,
        format!(
            "{{\"error\":{{\"code\":{c},\"message\":{m},\"path\":\"\",\"problems\":[{{\"code\":{c},\"path\":\"\",\"message\":{m}}}]}}}}\n",
            c = q(code),
            m = q(message)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339_utc() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_millis(1_796_473_261_042);
        assert_eq!(timestamp(t), "2026-12-05T12:21:01.042Z");
        assert_eq!(
            timestamp(SystemTime::UNIX_EPOCH),
            "1970-01-01T00:00:00.000Z"
        );
        let leap = SystemTime::UNIX_EPOCH + Duration::from_secs(951_782_400);
        assert_eq!(timestamp(leap), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn every_route_is_documented_and_every_documented_route_exists() {
        let doc: serde_json::Value =
            serde_json::from_str(&openapi::document()).expect("the document is JSON");
        let mut documented: Vec<(String, String)> = Vec::new();
        for (path, ops) in doc["paths"].as_object().expect("paths") {
            for method in ops.as_object().expect("operations").keys() {
                documented.push((method.clone(), path.clone()));
            }
        }
        documented.sort();
        let mut routes: Vec<(String, String)> = ROUTES
            .iter()
            .map(|(m, p)| (m.to_string(), p.to_string()))
            .collect();
        routes.sort();
        assert_eq!(documented, routes);
    }
}
