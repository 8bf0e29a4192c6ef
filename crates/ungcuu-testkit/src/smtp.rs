//! An in-process SMTP server that accepts everything and keeps it in memory, so
//! tests can exercise the real mail transport and then inspect what was sent.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

const HOSTNAME: &str = "ungcuu-testkit";
// Bounds memory if a client misbehaves; far above anything the app sends.
const MAX_LINE: u64 = 64 * 1024;
const MAX_MESSAGE: usize = 32 * 1024 * 1024;

/// One message as the sink received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMail {
    /// The envelope sender from `MAIL FROM`, without angle brackets (empty for `<>`).
    pub from: String,
    /// The envelope recipients from every `RCPT TO`, in order.
    pub to: Vec<String>,
    /// The message as transmitted, dot-unstuffed; every line, the last included, ends in CRLF.
    pub data: Vec<u8>,
}

impl ReceivedMail {
    /// The message as text, lossily, for assertions on headers and plain bodies.
    pub fn data_str(&self) -> String {
        String::from_utf8_lossy(&self.data).into_owned()
    }
}

#[derive(Debug)]
struct Shared {
    messages: Mutex<Vec<ReceivedMail>>,
    /// Counts messages so waiters can sleep instead of polling.
    count: watch::Sender<usize>,
    failures_left: AtomicUsize,
}

/// A running SMTP sink; it stops serving when dropped.
#[derive(Debug)]
pub struct SmtpSink {
    /// The loopback address the sink listens on.
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    server: JoinHandle<()>,
}

impl SmtpSink {
    /// Starts a sink on a free loopback port that accepts every message.
    pub async fn start() -> SmtpSink {
        Self::start_failing(0).await
    }

    /// Starts a sink whose first `n_failures` DATA commands get `451`, to test retries.
    pub async fn start_failing(n_failures: usize) -> SmtpSink {
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
            .await
            .expect("SMTP sink: bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("SMTP sink: local_addr");
        let shared = Arc::new(Shared {
            messages: Mutex::new(Vec::new()),
            count: watch::channel(0).0,
            failures_left: AtomicUsize::new(n_failures),
        });
        let server = tokio::spawn(serve(listener, Arc::clone(&shared)));
        SmtpSink {
            addr,
            shared,
            server,
        }
    }

    /// The sink as an `smtp://` URL, the form the app's configuration takes.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.addr.port())
    }

    /// The port the sink listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Every message received so far, oldest first.
    pub fn messages(&self) -> Vec<ReceivedMail> {
        lock(&self.shared.messages).clone()
    }

    /// Waits until at least `n` messages have arrived and returns all of them.
    ///
    /// # Panics
    /// When `timeout` passes first, naming how many did arrive.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<ReceivedMail> {
        let mut rx = self.shared.count.subscribe();
        let waited = tokio::time::timeout(timeout, rx.wait_for(|count| *count >= n)).await;
        if waited.is_err() {
            let got = self.messages();
            panic!(
                "SMTP sink: expected at least {n} message(s) within {timeout:?}, got {}: {got:#?}",
                got.len()
            );
        }
        self.messages()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        // Aborting the accept loop drops its JoinSet, which aborts every connection.
        self.server.abort();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panicking test thread must not hide the mail from the rest of the test.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(session(stream, Arc::clone(&shared)));
                }
                // Transient (e.g. too many open files); keep serving.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            // Reap finished connections so the set does not grow without bound.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// The envelope being built between `MAIL FROM` and the end of `DATA`.
#[derive(Default)]
struct Transaction {
    from: Option<String>,
    to: Vec<String>,
}

async fn session(stream: TcpStream, shared: Arc<Shared>) {
    // I/O errors just mean the client went away; there is nobody to report to.
    let _ = converse(stream, &shared).await;
}

async fn converse(stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    let mut tx = Transaction::default();

    reply(&mut write, &format!("220 {HOSTNAME} ESMTP test sink ready")).await?;
    loop {
        let Some(line) = read_line(&mut reader).await? else {
            return Ok(());
        };
        let line = String::from_utf8_lossy(&line);
        let (verb, arg) = match line.split_once(' ') {
            Some((verb, arg)) => (verb.to_ascii_uppercase(), arg.trim()),
            None => (line.trim().to_ascii_uppercase(), ""),
        };
        match verb.as_str() {
            "EHLO" => {
                tx = Transaction::default();
                let client = if arg.is_empty() { "client" } else { arg };
                reply(
                    &mut write,
                    &format!(
                        "250-{HOSTNAME} greets {client}\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE {MAX_MESSAGE}"
                    ),
                )
                .await?;
            }
            "HELO" => {
                tx = Transaction::default();
                reply(&mut write, &format!("250 {HOSTNAME}")).await?;
            }
            "MAIL" => match path_arg(arg, "FROM:") {
                Some(from) => {
                    tx = Transaction {
                        from: Some(from),
                        to: Vec::new(),
                    };
                    reply(&mut write, "250 2.1.0 OK").await?;
                }
                None => reply(&mut write, "501 5.5.4 syntax: MAIL FROM:<address>").await?,
            },
            "RCPT" => {
                if tx.from.is_none() {
                    reply(&mut write, "503 5.5.1 need MAIL before RCPT").await?;
                } else if let Some(to) = path_arg(arg, "TO:") {
                    tx.to.push(to);
                    reply(&mut write, "250 2.1.5 OK").await?;
                } else {
                    reply(&mut write, "501 5.5.4 syntax: RCPT TO:<address>").await?;
                }
            }
            "DATA" => {
                if tx.from.is_none() || tx.to.is_empty() {
                    reply(&mut write, "503 5.5.1 need MAIL and RCPT before DATA").await?;
                    continue;
                }
                let fail = shared
                    .failures_left
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok();
                if fail {
                    tx = Transaction::default();
                    reply(&mut write, "451 4.3.0 try again later").await?;
                    continue;
                }
                reply(&mut write, "354 end data with <CR><LF>.<CR><LF>").await?;
                let Some(data) = read_data(&mut reader).await? else {
                    return Ok(());
                };
                let envelope = std::mem::take(&mut tx);
                let Some(data) = data else {
                    reply(&mut write, "552 5.3.4 message too big").await?;
                    continue;
                };
                let queued = {
                    let mut messages = lock(&shared.messages);
                    messages.push(ReceivedMail {
                        from: envelope.from.unwrap_or_default(),
                        to: envelope.to,
                        data,
                    });
                    messages.len()
                };
                shared.count.send_replace(queued);
                reply(&mut write, &format!("250 2.0.0 OK queued as {queued}")).await?;
            }
            "RSET" => {
                tx = Transaction::default();
                reply(&mut write, "250 2.0.0 OK").await?;
            }
            "NOOP" => reply(&mut write, "250 2.0.0 OK").await?,
            "QUIT" => {
                reply(&mut write, &format!("221 2.0.0 {HOSTNAME} closing")).await?;
                return Ok(());
            }
            _ => reply(&mut write, "502 5.5.2 command not implemented").await?,
        }
    }
}

async fn reply(write: &mut (impl AsyncWriteExt + Unpin), text: &str) -> std::io::Result<()> {
    // One write per reply: split writes meet Nagle plus delayed ACK and cost
    // ~40 ms per command.
    let mut line = String::with_capacity(text.len() + 2);
    line.push_str(text);
    line.push_str("\r\n");
    write.write_all(line.as_bytes()).await?;
    write.flush().await
}

/// Reads one line without its terminator; `None` at end of stream.
/// Bare LF is accepted as well as CRLF, since lenient clients exist.
async fn read_line(reader: &mut (impl AsyncBufRead + Unpin)) -> std::io::Result<Option<Vec<u8>>> {
    let mut line = Vec::new();
    let n = (&mut *reader)
        .take(MAX_LINE)
        .read_until(b'\n', &mut line)
        .await?;
    if n == 0 {
        return Ok(None);
    }
    if line.last() == Some(&b'\n') {
        line.pop();
        if line.last() == Some(&b'\r') {
            line.pop();
        }
    } else if n as u64 == MAX_LINE {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "SMTP line too long",
        ));
    } else {
        // The client closed mid-line; nothing after it can be a valid command.
        return Ok(None);
    }
    Ok(Some(line))
}

/// Reads a DATA body up to the lone `.` line, undoing dot-stuffing.
/// Outer `None`: the client vanished. Inner `None`: the message was too big
/// (still read to its end so the conversation stays in step).
async fn read_data(
    reader: &mut (impl AsyncBufRead + Unpin),
) -> std::io::Result<Option<Option<Vec<u8>>>> {
    let mut data = Vec::new();
    let mut too_big = false;
    loop {
        let Some(line) = read_line(reader).await? else {
            return Ok(None);
        };
        if line == b"." {
            return Ok(Some((!too_big).then_some(data)));
        }
        let line = line.strip_prefix(b".").unwrap_or(&line);
        if data.len() + line.len() + 2 > MAX_MESSAGE {
            too_big = true;
            data.clear();
        }
        if !too_big {
            data.extend_from_slice(line);
            data.extend_from_slice(b"\r\n");
        }
    }
}

/// Extracts the address from `FROM:<a@b> PARAMS` or `TO:<a@b>`.
fn path_arg(arg: &str, keyword: &str) -> Option<String> {
    let head = arg.get(..keyword.len())?;
    if !head.eq_ignore_ascii_case(keyword) {
        return None;
    }
    let rest = arg[keyword.len()..].trim_start();
    if let Some(inner) = rest.strip_prefix('<') {
        let end = inner.find('>')?;
        return Some(inner[..end].to_owned());
    }
    // Some clients omit the brackets; take the first word.
    let addr = rest.split_whitespace().next()?;
    Some(addr.to_owned())
}
