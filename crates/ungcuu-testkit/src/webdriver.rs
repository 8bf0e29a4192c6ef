//! A small W3C WebDriver client that drives headless Chromium through a private
//! `chromedriver`, so browser tests need nothing beyond two Debian packages.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use reqwest::Method;
use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::process::{Child, Command};

/// Where Debian's `chromium` package puts the browser.
pub const CHROMIUM_PATH: &str = "/usr/bin/chromium";
/// Where Debian's `chromium-driver` package puts the driver.
pub const CHROMEDRIVER_PATH: &str = "/usr/bin/chromedriver";
/// The W3C key under which WebDriver returns element references.
pub const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

const STARTUP_TIMEOUT: Duration = Duration::from_secs(20);
// A wedged driver must fail the test rather than hang the whole suite.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(90);
const POLL_INTERVAL: Duration = Duration::from_millis(100);

/// Shorthand for results of WebDriver calls.
pub type Result<T, E = WdError> = std::result::Result<T, E>;

/// Everything that can go wrong while driving the browser.
#[derive(Debug)]
pub enum WdError {
    /// The driver process could not be started or did not become ready.
    Launch(String),
    /// The HTTP exchange with the driver failed (connection, timeout, bad body).
    Http(reqwest::Error),
    /// The driver answered with a W3C error object.
    WebDriver {
        /// The HTTP status the driver used.
        status: u16,
        /// The W3C error code, such as `no such element`.
        error: String,
        /// The driver's human-readable explanation.
        message: String,
        /// The whole `value` object, kept for debugging.
        json: Value,
    },
    /// The driver answered, but not with the shape the protocol promises.
    Protocol(String),
    /// A wait gave up.
    Timeout(String),
    /// Writing a screenshot or similar local file failed.
    Io(std::io::Error),
}

impl WdError {
    /// Whether the driver reported the W3C error code `code`.
    pub fn is_webdriver_error(&self, code: &str) -> bool {
        matches!(self, WdError::WebDriver { error, .. } if error == code)
    }
}

impl fmt::Display for WdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WdError::Launch(msg) => write!(f, "could not start chromedriver/chromium: {msg}"),
            WdError::Http(err) => write!(f, "HTTP error talking to chromedriver: {err}"),
            WdError::WebDriver {
                status,
                error,
                message,
                json,
            } => {
                // chromedriver's stacktrace is a list of native addresses: noise in a test log.
                let mut shown = json.clone();
                if let Some(obj) = shown.as_object_mut() {
                    obj.remove("stacktrace");
                }
                write!(
                    f,
                    "WebDriver error `{error}` (HTTP {status}): {message}; response: {shown}"
                )
            }
            WdError::Protocol(msg) => write!(f, "unexpected WebDriver response: {msg}"),
            WdError::Timeout(msg) => write!(f, "timed out: {msg}"),
            WdError::Io(err) => write!(f, "I/O error: {err}"),
        }
    }
}

impl std::error::Error for WdError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WdError::Http(err) => Some(err),
            WdError::Io(err) => Some(err),
            _ => None,
        }
    }
}

impl From<reqwest::Error> for WdError {
    fn from(err: reqwest::Error) -> Self {
        WdError::Http(err)
    }
}

impl From<std::io::Error> for WdError {
    fn from(err: std::io::Error) -> Self {
        WdError::Io(err)
    }
}

/// The HTTP side of one session, shared by the browser and its elements so that
/// elements can outlive the borrow they were found through.
#[derive(Debug)]
struct Session {
    http: reqwest::Client,
    /// `http://127.0.0.1:<port>/session/<id>`
    url: String,
}

impl Session {
    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Result<Value> {
        send(&self.http, method, &format!("{}{path}", self.url), body).await
    }

    async fn get(&self, path: &str) -> Result<Value> {
        self.call(Method::GET, path, None).await
    }

    async fn post(&self, path: &str, body: Value) -> Result<Value> {
        self.call(Method::POST, path, Some(body)).await
    }
}

/// Sends one WebDriver command and unwraps the `value` envelope.
async fn send(
    http: &reqwest::Client,
    method: Method,
    url: &str,
    body: Option<Value>,
) -> Result<Value> {
    let mut req = http.request(method, url);
    if let Some(body) = body {
        req = req.json(&body);
    }
    let resp = req.send().await?;
    let status = resp.status();
    let text = resp.text().await?;
    let parsed: Value = serde_json::from_str(&text).map_err(|e| {
        WdError::Protocol(format!("HTTP {status} with non-JSON body ({e}): {text}"))
    })?;
    let value = match parsed {
        Value::Object(mut obj) => obj.remove("value").unwrap_or(Value::Null),
        other => {
            return Err(WdError::Protocol(format!(
                "HTTP {status} without a value envelope: {other}"
            )));
        }
    };
    if status.is_success() {
        return Ok(value);
    }
    let field = |name: &str| {
        value
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    Err(WdError::WebDriver {
        status: status.as_u16(),
        error: field("error"),
        message: field("message"),
        json: value,
    })
}

fn as_string(value: Value, what: &str) -> Result<String> {
    match value {
        Value::String(s) => Ok(s),
        other => Err(WdError::Protocol(format!(
            "{what}: expected a string, got {other}"
        ))),
    }
}

fn free_port() -> Result<u16> {
    // The port is free again before chromedriver binds it; `start_driver`
    // retries if something else took it in between.
    let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))?;
    Ok(listener.local_addr()?.port())
}

/// A headless Chromium session behind a chromedriver process owned by this value.
#[derive(Debug)]
pub struct Browser {
    session: Arc<Session>,
    driver: Child,
    /// Holds the Chromium profile and the driver log; removed when the browser goes.
    workdir: TempDir,
    closed: bool,
}

impl Browser {
    /// Whether both Chromium and chromedriver are installed where Debian puts them.
    pub fn available() -> bool {
        Path::new(CHROMIUM_PATH).exists() && Path::new(CHROMEDRIVER_PATH).exists()
    }

    /// Starts chromedriver on a free port and opens a fresh headless session.
    pub async fn launch() -> Result<Browser> {
        if !Self::available() {
            return Err(WdError::Launch(format!(
                "{CHROMIUM_PATH} or {CHROMEDRIVER_PATH} is missing (apt-get install chromium chromium-driver)"
            )));
        }
        let workdir = tempfile::Builder::new()
            .prefix("ungcuu-browser-")
            .tempdir()?;
        let profile = workdir.path().join("profile");
        std::fs::create_dir(&profile)?;
        let log_path = workdir.path().join("chromedriver.log");

        let http = reqwest::Client::builder()
            // A proxy from the environment must never see loopback driver traffic.
            .no_proxy()
            .timeout(REQUEST_TIMEOUT)
            .build()?;
        let (driver, base) = match start_driver(&http, &log_path).await {
            Ok(started) => started,
            Err(err) => return Err(with_log(err, &log_path)),
        };

        let args = [
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-quic".to_owned(),
            "--window-size=1280,900".to_owned(),
            format!("--user-data-dir={}", profile.display()),
        ];
        let caps = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "timeouts": { "pageLoad": 30_000, "script": 30_000 },
                    "goog:chromeOptions": {
                        "binary": CHROMIUM_PATH,
                        "args": args,
                    },
                },
            },
        });
        let created = match send(&http, Method::POST, &format!("{base}/session"), Some(caps)).await
        {
            Ok(v) => v,
            Err(err) => return Err(with_log(err, &log_path)),
        };
        let id = created
            .get("sessionId")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                WdError::Protocol(format!("new session without sessionId: {created}"))
            })?;
        Ok(Browser {
            session: Arc::new(Session {
                http,
                url: format!("{base}/session/{id}"),
            }),
            driver,
            workdir,
            closed: false,
        })
    }

    /// Navigates and waits for the page load to finish.
    pub async fn goto(&self, url: &str) -> Result<()> {
        self.session.post("/url", json!({ "url": url })).await?;
        Ok(())
    }

    /// The URL of the current top-level page.
    pub async fn current_url(&self) -> Result<String> {
        as_string(self.session.get("/url").await?, "current url")
    }

    /// The serialized DOM of the current page.
    pub async fn page_source(&self) -> Result<String> {
        as_string(self.session.get("/source").await?, "page source")
    }

    /// The current document title.
    pub async fn title(&self) -> Result<String> {
        as_string(self.session.get("/title").await?, "title")
    }

    /// The first element matching `css`; a `no such element` error if none does.
    pub async fn find(&self, css: &str) -> Result<Element> {
        let value = self
            .session
            .post("/element", json!({ "using": "css selector", "value": css }))
            .await?;
        Element::from_value(&self.session, &value)
    }

    /// Every element matching `css`, possibly none.
    pub async fn find_all(&self, css: &str) -> Result<Vec<Element>> {
        let value = self
            .session
            .post(
                "/elements",
                json!({ "using": "css selector", "value": css }),
            )
            .await?;
        let Value::Array(items) = value else {
            return Err(WdError::Protocol(format!(
                "find elements: not an array: {value}"
            )));
        };
        items
            .iter()
            .map(|item| Element::from_value(&self.session, item))
            .collect()
    }

    /// Polls for an element matching `css` until it exists or `timeout` passes.
    pub async fn wait_for(&self, css: &str, timeout: Duration) -> Result<Element> {
        let deadline = Instant::now() + timeout;
        loop {
            match self.find(css).await {
                Ok(el) => return Ok(el),
                Err(err) if err.is_webdriver_error("no such element") => {
                    if Instant::now() >= deadline {
                        return Err(WdError::Timeout(format!(
                            "no element matched `{css}` within {timeout:?}"
                        )));
                    }
                }
                Err(err) => return Err(err),
            }
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    }

    /// A PNG of the viewport.
    pub async fn screenshot_png(&self) -> Result<Vec<u8>> {
        let b64 = as_string(self.session.get("/screenshot").await?, "screenshot")?;
        base64::engine::general_purpose::STANDARD
            .decode(b64.as_bytes())
            .map_err(|e| WdError::Protocol(format!("screenshot is not base64: {e}")))
    }

    /// Writes a PNG of the viewport to `path`, creating parent directories.
    pub async fn save_screenshot(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let png = self.screenshot_png().await?;
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            tokio::fs::create_dir_all(parent).await?;
        }
        tokio::fs::write(path, png).await?;
        Ok(())
    }

    /// Saves a screenshot that survives the test, so a failure can be looked at.
    ///
    /// It goes to `$UNGCUU_SCREENSHOT_DIR/<name>.png`, or to
    /// `<temp dir>/ungcuu-screenshots/<name>.png` when that variable is unset.
    pub async fn keep_screenshot(&self, name: &str) -> Result<PathBuf> {
        let dir = match std::env::var_os("UNGCUU_SCREENSHOT_DIR") {
            Some(dir) if !dir.is_empty() => PathBuf::from(dir),
            _ => std::env::temp_dir().join("ungcuu-screenshots"),
        };
        // Test names contain `::`; never let a name escape the directory.
        let safe: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let path = dir.join(format!("{safe}.png"));
        self.save_screenshot(&path).await?;
        Ok(path)
    }

    /// All cookies visible to the current page, as the driver reports them.
    pub async fn cookies(&self) -> Result<Vec<Value>> {
        match self.session.get("/cookie").await? {
            Value::Array(items) => Ok(items),
            other => Err(WdError::Protocol(format!("cookies: not an array: {other}"))),
        }
    }

    /// Runs `script` as a function body with `arguments` bound to `args`; returns its result.
    pub async fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.session
            .post("/execute/sync", json!({ "script": script, "args": args }))
            .await
    }

    /// Ends the session (which quits Chromium) and stops chromedriver.
    pub async fn close(mut self) -> Result<()> {
        self.closed = true;
        let deleted = self.session.call(Method::DELETE, "", None).await;
        let _ = self.driver.kill().await;
        deleted.map(|_| ())
    }

    /// The directory holding the profile and `chromedriver.log`, for debugging.
    pub fn workdir(&self) -> &Path {
        self.workdir.path()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.closed {
            // Only reached when a test bailed out early: without the session
            // delete, Chromium would outlive its killed driver.
            quit_session_blocking(&self.session.url);
        }
        let _ = self.driver.start_kill();
    }
}

/// Deletes the session with a plain blocking socket, since Drop cannot await.
fn quit_session_blocking(session_url: &str) {
    use std::io::{Read, Write};
    use std::net::TcpStream;

    let Some(rest) = session_url.strip_prefix("http://") else {
        return;
    };
    let Some((host, path)) = rest.split_once('/') else {
        return;
    };
    let Ok(addr) = host.parse::<SocketAddr>() else {
        return;
    };
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(1)) else {
        return;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
    let request = format!(
        "DELETE /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
    );
    if stream.write_all(request.as_bytes()).is_err() {
        return;
    }
    // Waiting for the answer is what gives Chromium time to shut down. The
    // driver keeps the connection open, so stop at the end of the body rather
    // than at EOF.
    let mut response = Vec::new();
    let mut chunk = [0u8; 1024];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => response.extend_from_slice(&chunk[..n]),
        }
        if response_complete(&response) {
            return;
        }
    }
}

/// Whether `buf` holds a whole HTTP response with a `Content-Length` body.
fn response_complete(buf: &[u8]) -> bool {
    let Some(head_end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&buf[..head_end]);
    let length = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse::<usize>().ok())
        .unwrap_or(0);
    buf.len() >= head_end + 4 + length
}

/// Spawns chromedriver and waits for it to answer, on a fresh port each try:
/// another process may grab the port between our probe and the driver's bind.
async fn start_driver(http: &reqwest::Client, log_path: &Path) -> Result<(Child, String)> {
    let mut attempt = 1;
    loop {
        let port = free_port()?;
        let mut driver = Command::new(CHROMEDRIVER_PATH)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log_path.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Covers every early return before `Browser` (and its Drop) exists.
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| WdError::Launch(format!("spawning {CHROMEDRIVER_PATH}: {e}")))?;
        let base = format!("http://127.0.0.1:{port}");
        match wait_ready(http, &base, &mut driver).await {
            Ok(()) => return Ok((driver, base)),
            Err(_) if attempt < 3 && driver.try_wait().ok().flatten().is_some() => attempt += 1,
            Err(err) => return Err(err),
        }
    }
}

async fn wait_ready(http: &reqwest::Client, base: &str, driver: &mut Child) -> Result<()> {
    let deadline = Instant::now() + STARTUP_TIMEOUT;
    let status_url = format!("{base}/status");
    loop {
        if let Some(exit) = driver.try_wait()? {
            return Err(WdError::Launch(format!(
                "chromedriver exited before becoming ready: {exit}"
            )));
        }
        let probe = http
            .get(&status_url)
            .timeout(Duration::from_secs(2))
            .send()
            .await;
        if let Ok(resp) = probe
            && let Ok(body) = resp.json::<Value>().await
            && body["value"]["ready"] == Value::Bool(true)
        {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(WdError::Launch(format!(
                "chromedriver at {base} not ready after {STARTUP_TIMEOUT:?}"
            )));
        }
        tokio::time::sleep(POLL_INTERVAL).await;
    }
}

/// Appends the tail of the driver log, which usually names the real cause
/// (a missing library, a crashed renderer, a bad flag).
fn with_log(err: WdError, log_path: &Path) -> WdError {
    let log = std::fs::read_to_string(log_path).unwrap_or_default();
    let lines: Vec<&str> = log.lines().collect();
    let tail = lines[lines.len().saturating_sub(30)..].join("\n");
    if tail.is_empty() {
        return err;
    }
    WdError::Launch(format!("{err}\n--- chromedriver log (tail) ---\n{tail}"))
}

/// A reference to a DOM element in the browser that found it.
#[derive(Debug, Clone)]
pub struct Element {
    session: Arc<Session>,
    id: String,
}

impl Element {
    fn from_value(session: &Arc<Session>, value: &Value) -> Result<Element> {
        let id = value
            .get(ELEMENT_KEY)
            .and_then(Value::as_str)
            .ok_or_else(|| WdError::Protocol(format!("not an element reference: {value}")))?;
        Ok(Element {
            session: Arc::clone(session),
            id: id.to_owned(),
        })
    }

    /// The driver's opaque id for this element.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// This element as a script argument for [`Browser::execute`].
    pub fn to_json(&self) -> Value {
        json!({ ELEMENT_KEY: self.id })
    }

    fn path(&self, command: &str) -> String {
        format!("/element/{}/{command}", self.id)
    }

    /// Clicks the element's centre, scrolling it into view first.
    pub async fn click(&self) -> Result<()> {
        self.session.post(&self.path("click"), json!({})).await?;
        Ok(())
    }

    /// Types `text` into the element, as a user would key it in.
    pub async fn send_keys(&self, text: &str) -> Result<()> {
        self.session
            .post(&self.path("value"), json!({ "text": text }))
            .await?;
        Ok(())
    }

    /// Empties an input or textarea.
    pub async fn clear(&self) -> Result<()> {
        self.session.post(&self.path("clear"), json!({})).await?;
        Ok(())
    }

    /// The rendered, visible text.
    pub async fn text(&self) -> Result<String> {
        as_string(self.session.get(&self.path("text")).await?, "element text")
    }

    /// The HTML attribute `name`, or `None` when it is absent.
    pub async fn attr(&self, name: &str) -> Result<Option<String>> {
        match self
            .session
            .get(&self.path(&format!("attribute/{name}")))
            .await?
        {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(s)),
            other => Ok(Some(other.to_string())),
        }
    }

    /// The DOM property `name` (e.g. `value`, `checked`) as JSON.
    pub async fn property(&self, name: &str) -> Result<Value> {
        self.session
            .get(&self.path(&format!("property/{name}")))
            .await
    }
}
