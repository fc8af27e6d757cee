//! A real SMTP server for tests: the application sends to it over TCP and the test reads
//! what arrived.
//!
//! The server runs on a thread of its own with its own single-threaded runtime rather than
//! on the test's runtime. The application sends with a blocking SMTP client, and a server
//! sharing a current-thread runtime with a blocked caller would never answer; the thread
//! also lets `stop` close the listener and every connection before it returns, so the very
//! next connection attempt is refused.

// Not every test uses every part of this module.
#![allow(dead_code)]

use std::borrow::Cow;
use std::io::ErrorKind;
use std::net::{Ipv4Addr, TcpListener as StdListener};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use mail_parser::{Address, MessageParser, MimeHeaders, PartType};
use tokio::io::{
    AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader, ReadBuf,
};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, watch};

/// Largest message accepted, also advertised with `SIZE`.
const MAX_MESSAGE: usize = 32 * 1024 * 1024;
/// Longest command line read; a longer one ends the connection.
const MAX_COMMAND: u64 = 4096;
const HOSTNAME: &str = "smtp-sink.test";

/// One message as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    /// Envelope sender (`MAIL FROM`), without angle brackets; empty for a null sender.
    pub mail_from: String,
    /// Envelope recipients (`RCPT TO`), without angle brackets, in order.
    pub rcpt_to: Vec<String>,
    /// The message as sent after `DATA`: headers and body, CRLF line ends, dot-unstuffed,
    /// without the terminating `.` line.
    pub data: Vec<u8>,
}

impl Received {
    /// The message parsed, for anything `mail` does not cover.
    pub fn parsed(&self) -> mail_parser::Message<'_> {
        MessageParser::default()
            .parse(&self.data)
            .unwrap_or_else(|| panic!("received message does not parse: {:?}", self.text()))
    }

    /// The message decoded into plain owned fields, for one-line assertions.
    pub fn mail(&self) -> Mail {
        Mail::from_message(&self.parsed())
    }

    /// The raw message as text (lossy), for assertions on encoding details.
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.data)
    }
}

/// A received message decoded. Bodies have their line ends turned into `\n`.
#[derive(Debug, Clone, Default)]
pub struct Mail {
    /// Address of the `From` header.
    pub from: Option<String>,
    /// Addresses of the `To` header.
    pub to: Vec<String>,
    /// Addresses of the `Cc` header.
    pub cc: Vec<String>,
    /// Decoded `Subject`, empty when missing.
    pub subject: String,
    /// First `text/plain` body, if the message has one (never derived from HTML).
    pub text: Option<String>,
    /// First `text/html` body, if the message has one.
    pub html: Option<String>,
    /// Every part that is not a body: attachments and inline images alike.
    pub attachments: Vec<Attachment>,
    /// Top-level headers in order, names as sent, values unfolded and trimmed but not decoded.
    pub headers: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct Attachment {
    /// File name from `Content-Disposition` or `Content-Type`.
    pub name: Option<String>,
    /// `type/subtype`, lower case.
    pub content_type: String,
    /// `Content-ID` without angle brackets, as an HTML body refers to it with `cid:`.
    pub content_id: Option<String>,
    /// Whether `Content-Disposition` is `inline`.
    pub inline: bool,
    /// Decoded content.
    pub data: Vec<u8>,
}

impl Attachment {
    /// The content as text (lossy), for text attachments such as calendars.
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.data)
    }
}

impl Mail {
    fn from_message(message: &mail_parser::Message<'_>) -> Mail {
        // Other text/* types (a calendar sent as the body) also count as text bodies.
        let text = message
            .text_bodies()
            .filter(|part| part.content_type().is_none() || part.is_content_type("text", "plain"))
            .find_map(|part| match &part.body {
                PartType::Text(text) => Some(unix_lines(text)),
                _ => None,
            });
        let html = message.html_bodies().find_map(|part| match &part.body {
            PartType::Html(html) => Some(unix_lines(html)),
            _ => None,
        });
        let attachments = message
            .attachments()
            .map(|part| Attachment {
                name: part.attachment_name().map(str::to_owned),
                content_type: part
                    .content_type()
                    .map(|ct| match ct.subtype() {
                        Some(sub) => format!("{}/{}", ct.ctype(), sub),
                        None => ct.ctype().to_owned(),
                    })
                    .unwrap_or_default()
                    .to_ascii_lowercase(),
                content_id: part
                    .content_id()
                    .map(|id| id.trim_matches(['<', '>']).to_owned()),
                inline: part
                    .content_disposition()
                    .is_some_and(|cd| cd.ctype().eq_ignore_ascii_case("inline")),
                data: part.contents().to_vec(),
            })
            .collect();
        let headers = message
            .headers_raw()
            .map(|(name, value)| (name.to_owned(), unfold(value)))
            .collect();
        Mail {
            from: message.from().and_then(|a| addresses(a).into_iter().next()),
            to: message.to().map(addresses).unwrap_or_default(),
            cc: message.cc().map(addresses).unwrap_or_default(),
            subject: message.subject().unwrap_or_default().to_owned(),
            text,
            html,
            attachments,
            headers,
        }
    }

    /// First top-level header of that name (any case), unfolded, not decoded.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The attachment with that file name; panics listing the names there are.
    pub fn attachment(&self, name: &str) -> &Attachment {
        self.attachments
            .iter()
            .find(|a| a.name.as_deref() == Some(name))
            .unwrap_or_else(|| {
                let names: Vec<_> = self.attachments.iter().map(|a| &a.name).collect();
                panic!(
                    "no attachment named {name:?} in {:?}: {names:?}",
                    self.subject
                )
            })
    }
}

fn addresses(address: &Address<'_>) -> Vec<String> {
    let addrs: Vec<_> = match address {
        Address::List(list) => list.iter().collect(),
        Address::Group(groups) => groups.iter().flat_map(|g| &g.addresses).collect(),
    };
    addrs
        .into_iter()
        .filter_map(|a| a.address.as_deref().map(str::to_owned))
        .collect()
}

fn unix_lines(text: &str) -> String {
    text.replace("\r\n", "\n")
}

fn unfold(value: &str) -> String {
    value
        .split(['\r', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// State shared between the server thread and the test.
struct Shared {
    messages: Mutex<Vec<Received>>,
    /// Number of messages accepted so far, for `wait_for`.
    count: watch::Sender<usize>,
    /// Reply to the end of `DATA` instead of accepting.
    data_reply: Mutex<Option<(u16, &'static str)>>,
    /// How long the end of `DATA` waits before its reply (a slow server).
    data_delay: Mutex<Duration>,
    connections: AtomicUsize,
    refused: AtomicUsize,
}

/// A running SMTP server on 127.0.0.1 that keeps every message it accepts. Dropping it
/// stops it.
pub struct SmtpSink {
    port: u16,
    shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl SmtpSink {
    /// Starts a server on a free port.
    pub async fn start() -> SmtpSink {
        let listener = StdListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1:0");
        Self::serve(listener)
    }

    /// Starts a server on that port, typically one a stopped sink had, so that a client
    /// configured with it finds a server again. Retries for a while if the port is busy.
    pub async fn start_on(port: u16) -> SmtpSink {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            match StdListener::bind((Ipv4Addr::LOCALHOST, port)) {
                Ok(listener) => return Self::serve(listener),
                Err(e) if e.kind() == ErrorKind::AddrInUse && Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => panic!("cannot bind SMTP sink to 127.0.0.1:{port}: {e}"),
            }
        }
    }

    fn serve(listener: StdListener) -> SmtpSink {
        let port = listener.local_addr().expect("listener address").port();
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let (count, _) = watch::channel(0);
        let shared = Arc::new(Shared {
            messages: Mutex::new(Vec::new()),
            count,
            data_reply: Mutex::new(None),
            data_delay: Mutex::new(Duration::ZERO),
            connections: AtomicUsize::new(0),
            refused: AtomicUsize::new(0),
        });
        let (shutdown, shutdown_rx) = oneshot::channel();
        let thread_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name(format!("smtp-sink-{port}"))
            .spawn(move || run_server(listener, thread_shared, shutdown_rx))
            .expect("spawn SMTP sink thread");
        SmtpSink {
            port,
            shared,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// What the application is configured with.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Messages accepted so far, in order of acceptance.
    pub fn messages(&self) -> Vec<Received> {
        lock(&self.shared.messages).clone()
    }

    /// Connections accepted so far, to tell whether a client reuses them.
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }

    /// Messages refused so far because of `set_reply_to_data`, to count delivery attempts.
    pub fn refused(&self) -> usize {
        self.shared.refused.load(Ordering::SeqCst)
    }

    /// Waits until at least `n` messages have been accepted and returns them all; panics
    /// with a list of what did arrive if that takes longer than `timeout`.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Received> {
        let mut count = self.shared.count.subscribe();
        let reached = tokio::time::timeout(timeout, count.wait_for(|&c| c >= n)).await;
        // The sender lives in `self`, so the only failure is the timeout.
        if !matches!(reached, Ok(Ok(_))) {
            let got = self.messages();
            let list: Vec<String> = got.iter().map(describe).collect();
            panic!(
                "expected {n} message(s) on {} within {timeout:?}, got {}:\n{}",
                self.url(),
                got.len(),
                if list.is_empty() {
                    "  (none)".to_owned()
                } else {
                    list.join("\n")
                }
            );
        }
        self.messages()
    }

    /// Stops the server: when this returns, the listener and every open connection are
    /// closed, so clients get "connection refused" or a reset.
    pub fn stop(mut self) {
        self.shut_down();
    }

    /// Makes the end of `DATA` answer with that code and text instead of accepting (a 4xx
    /// code is a temporary refusal, 5xx a permanent one; after 421 the server also closes
    /// the connection); refused messages are not kept. `None` goes back to accepting.
    pub fn set_reply_to_data(&self, reply: Option<(u16, &'static str)>) {
        *lock(&self.shared.data_reply) = reply;
    }

    /// Makes every message wait this long, once received, before it is accepted: a
    /// client stopped meanwhile leaves a message the server keeps.
    pub fn set_data_delay(&self, delay: Duration) {
        *lock(&self.shared.data_delay) = delay;
    }

    fn shut_down(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            // Joining waits for the server's runtime to be dropped, which closes the sockets.
            if thread.join().is_err() && !std::thread::panicking() {
                panic!("SMTP sink thread on port {} panicked", self.port);
            }
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.shut_down();
    }
}

fn describe(m: &Received) -> String {
    let subject = MessageParser::default()
        .parse(&m.data)
        .and_then(|p| p.subject().map(str::to_owned))
        .unwrap_or_default();
    format!(
        "  from <{}> to {:?}, {} bytes, subject {subject:?}",
        m.mail_from,
        m.rcpt_to,
        m.data.len()
    )
}

/// Poisoning only means another test thread panicked; the data is still usable.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

fn run_server(listener: StdListener, shared: Arc<Shared>, shutdown: oneshot::Receiver<()>) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("SMTP sink runtime");
    runtime.block_on(async move {
        let listener = TcpListener::from_std(listener).expect("register listener");
        let accept = async {
            loop {
                match listener.accept().await {
                    Ok((stream, _)) => {
                        shared.connections.fetch_add(1, Ordering::SeqCst);
                        tokio::spawn(session(stream, Arc::clone(&shared)));
                    }
                    // Running out of descriptors and the like: try again shortly.
                    Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
                }
            }
        };
        tokio::select! {
            _ = shutdown => {}
            () = accept => {}
        }
    });
    // Dropping the runtime drops every connection task and with it its socket.
    drop(runtime);
}

/// Where a connection is in the SMTP dialogue.
#[derive(Default)]
struct Transaction {
    greeted: bool,
    mail_from: Option<String>,
    rcpt_to: Vec<String>,
}

async fn session(stream: TcpStream, shared: Arc<Shared>) {
    let _ = stream.set_nodelay(true);
    let mut conn = BufReader::new(QuickAck(stream));
    // Errors mean the client went away; there is nobody left to tell.
    let _ = converse(&mut conn, &shared).await;
}

async fn converse<S>(conn: &mut BufReader<S>, shared: &Shared) -> std::io::Result<()>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    // Replies not yet written.
    let mut out = format!("220 {HOSTNAME} ESMTP test sink\r\n");
    let mut tx = Transaction::default();
    let mut line = Vec::new();
    loop {
        // Pipelining: answer a batch of commands with one write, once no further complete
        // command is already waiting.
        if !out.is_empty() && !conn.buffer().contains(&b'\n') {
            send(conn, &mut out).await?;
        }
        line.clear();
        let n = (&mut *conn)
            .take(MAX_COMMAND)
            .read_until(b'\n', &mut line)
            .await?;
        if n == 0 {
            return Ok(());
        }
        if line.last() != Some(&b'\n') {
            if n as u64 == MAX_COMMAND {
                out.push_str("500 5.5.6 line too long\r\n");
                send(conn, &mut out).await?;
            }
            return Ok(());
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        let (verb, arg) = match text.split_once(' ') {
            Some((v, a)) => (v.to_ascii_uppercase(), a.trim()),
            None => (text.to_ascii_uppercase(), ""),
        };
        match verb.as_str() {
            "EHLO" | "HELO" => {
                tx = Transaction {
                    greeted: true,
                    ..Transaction::default()
                };
                if verb == "EHLO" {
                    out.push_str(&format!(
                        "250-{HOSTNAME}\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n\
                         250 SIZE {MAX_MESSAGE}\r\n"
                    ));
                } else {
                    out.push_str(&format!("250 {HOSTNAME}\r\n"));
                }
            }
            "MAIL" => out.push_str(if !tx.greeted {
                "503 5.5.1 send EHLO first\r\n"
            } else if tx.mail_from.is_some() {
                "503 5.5.1 nested MAIL command\r\n"
            } else {
                match path_arg(arg, "FROM:") {
                    None => "501 5.5.4 syntax: MAIL FROM:<address>\r\n",
                    Some((_, params)) if declared_size(params) > MAX_MESSAGE => {
                        "552 5.3.4 message too big\r\n"
                    }
                    Some((from, _)) => {
                        tx.mail_from = Some(from);
                        "250 2.1.0 sender ok\r\n"
                    }
                }
            }),
            "RCPT" => out.push_str(if tx.mail_from.is_none() {
                "503 5.5.1 send MAIL first\r\n"
            } else {
                match path_arg(arg, "TO:") {
                    Some((to, _)) if !to.is_empty() => {
                        tx.rcpt_to.push(to);
                        "250 2.1.5 recipient ok\r\n"
                    }
                    _ => "501 5.5.4 syntax: RCPT TO:<address>\r\n",
                }
            }),
            "DATA" if tx.mail_from.is_none() || tx.rcpt_to.is_empty() => {
                out.push_str("503 5.5.1 send MAIL and RCPT first\r\n");
            }
            "DATA" => {
                out.push_str("354 end data with <CR><LF>.<CR><LF>\r\n");
                send(conn, &mut out).await?;
                let data = read_data(conn).await?;
                let mail_from = tx.mail_from.take().unwrap_or_default();
                let rcpt_to = std::mem::take(&mut tx.rcpt_to);
                let refusal = *lock(&shared.data_reply);
                match (data, refusal) {
                    (None, _) => out.push_str("552 5.3.4 message too big\r\n"),
                    (Some(_), Some((code, text))) => {
                        shared.refused.fetch_add(1, Ordering::SeqCst);
                        out.push_str(&format!("{code} {text}\r\n"));
                        // 421 means the server is closing the channel, and so it does.
                        if code == 421 {
                            return send(conn, &mut out).await;
                        }
                    }
                    (Some(data), None) => {
                        let delay = *lock(&shared.data_delay);
                        if !delay.is_zero() {
                            tokio::time::sleep(delay).await;
                        }
                        let mut messages = lock(&shared.messages);
                        messages.push(Received {
                            mail_from,
                            rcpt_to,
                            data,
                        });
                        let id = messages.len();
                        drop(messages);
                        shared.count.send_modify(|c| *c += 1);
                        out.push_str(&format!("250 2.0.0 ok: queued as {id}\r\n"));
                    }
                }
            }
            "RSET" => {
                tx.mail_from = None;
                tx.rcpt_to.clear();
                out.push_str("250 2.0.0 ok\r\n");
            }
            "NOOP" => out.push_str("250 2.0.0 ok\r\n"),
            "QUIT" => {
                out.push_str(&format!("221 2.0.0 {HOSTNAME} closing\r\n"));
                return send(conn, &mut out).await;
            }
            _ => out.push_str("502 5.5.2 command not recognized\r\n"),
        }
    }
}

async fn send<S: AsyncWrite + Unpin>(conn: &mut S, out: &mut String) -> std::io::Result<()> {
    conn.write_all(out.as_bytes()).await?;
    out.clear();
    Ok(())
}

/// A connection that acknowledges received data at once. Clients with Nagle's algorithm
/// on write a message and its final dot separately and would wait for the delayed ACK,
/// about 40 ms, on every message.
struct QuickAck(TcpStream);

impl AsyncRead for QuickAck {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.0).poll_read(cx, buf);
        if buf.filled().len() > before {
            // The kernel drops back to delayed ACKs by itself, so this is renewed per read.
            #[cfg(target_os = "linux")]
            let _ = socket2::SockRef::from(&self.0).set_tcp_quickack(true);
        }
        polled
    }
}

impl AsyncWrite for QuickAck {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

/// Reads the message after `354` up to the lone `.` line and undoes dot-stuffing. `None`
/// when it is larger than `MAX_MESSAGE` (the rest is still read, to stay in step).
async fn read_data<R: AsyncRead + Unpin>(
    reader: &mut BufReader<R>,
) -> std::io::Result<Option<Vec<u8>>> {
    let mut data = Vec::new();
    let mut too_big = false;
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).await? == 0 {
            return Err(ErrorKind::UnexpectedEof.into());
        }
        if line == b".\r\n" || line == b".\n" {
            return Ok((!too_big).then_some(data));
        }
        let content = line.strip_prefix(b".").unwrap_or(&line);
        if data.len() + content.len() > MAX_MESSAGE {
            too_big = true;
            data = Vec::new();
        }
        if !too_big {
            data.extend_from_slice(content);
        }
    }
}

/// Splits `FROM:<a@b> PARAM=1` into the address and the parameters. Accepts a space after
/// the colon and a missing pair of brackets, as lenient servers do.
fn path_arg<'a>(arg: &'a str, keyword: &str) -> Option<(String, &'a str)> {
    let head = arg.get(..keyword.len())?;
    if !head.eq_ignore_ascii_case(keyword) {
        return None;
    }
    let rest = arg[keyword.len()..].trim_start();
    if let Some(inner) = rest.strip_prefix('<') {
        let end = inner.find('>')?;
        Some((inner[..end].to_owned(), inner[end + 1..].trim()))
    } else {
        let (addr, params) = rest.split_once(' ').unwrap_or((rest, ""));
        Some((addr.to_owned(), params.trim()))
    }
}

fn declared_size(params: &str) -> usize {
    params
        .split_ascii_whitespace()
        .find_map(|p| {
            let (k, v) = p.split_once('=')?;
            k.eq_ignore_ascii_case("SIZE").then(|| v.parse().ok())?
        })
        .unwrap_or(0)
}
