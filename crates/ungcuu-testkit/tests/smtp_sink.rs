//! The SMTP sink must look like a real server to lettre, the client the app uses.

use std::time::Duration;

use base64::Engine as _;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use ungcuu_testkit::smtp::SmtpSink;

const WAIT: Duration = Duration::from_secs(10);

fn mailer(sink: &SmtpSink) -> AsyncSmtpTransport<Tokio1Executor> {
    AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(sink.addr.port())
        .timeout(Some(WAIT))
        .build()
}

/// What the sink should store for `message`: SMTP ends the data with the
/// last line's CRLF, which lettre's `formatted()` leaves off.
fn on_the_wire(message: &Message) -> Vec<u8> {
    let mut bytes = message.formatted();
    if !bytes.ends_with(b"\r\n") {
        bytes.extend_from_slice(b"\r\n");
    }
    bytes
}

fn mailbox(s: &str) -> Mailbox {
    s.parse().expect("valid mailbox")
}

/// Decodes the `=?utf-8?b?...?=` words lettre uses for non-ASCII headers.
fn decode_header(data: &str, name: &str) -> String {
    let prefix = format!("{name}: ");
    let mut lines = data.split("\r\n");
    let first = lines
        .by_ref()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no {name} header in {data}"));
    let mut raw = first[prefix.len()..].to_owned();
    for cont in lines.take_while(|l| l.starts_with(' ') || l.starts_with('\t')) {
        raw.push_str(cont);
    }
    // RFC 2047: whitespace between two encoded words is not part of the text.
    let mut out = Vec::new();
    let mut previous_encoded = false;
    for (i, word) in raw.split_whitespace().enumerate() {
        let encoded = word
            .strip_prefix("=?utf-8?b?")
            .and_then(|w| w.strip_suffix("?="));
        if i > 0 && !(previous_encoded && encoded.is_some()) {
            out.push(b' ');
        }
        match encoded {
            Some(b64) => out.extend(
                base64::engine::general_purpose::STANDARD
                    .decode(b64)
                    .unwrap(),
            ),
            None => out.extend_from_slice(word.as_bytes()),
        }
        previous_encoded = encoded.is_some();
    }
    String::from_utf8(out).unwrap()
}

#[tokio::test]
async fn receives_plain_mail_from_lettre() {
    let sink = SmtpSink::start().await;
    assert_eq!(sink.url(), format!("smtp://127.0.0.1:{}", sink.addr.port()));
    assert!(sink.messages().is_empty());

    let message = Message::builder()
        .from(mailbox("Dispatch <dispatch@example.org>"))
        .to(mailbox("a@example.org"))
        .cc(mailbox("b@example.org"))
        .bcc(mailbox("c@example.org"))
        .subject("Plain subject")
        .header(ContentType::TEXT_PLAIN)
        .body(String::from("line one\n.leading dot\n.\nlast line"))
        .unwrap();
    mailer(&sink).send(message.clone()).await.unwrap();

    let got = sink.wait_for(1, WAIT).await;
    assert_eq!(got.len(), 1);
    let mail = &got[0];
    assert_eq!(mail.from, "dispatch@example.org");
    assert_eq!(mail.to, ["a@example.org", "b@example.org", "c@example.org"]);
    // Byte-for-byte equality proves dot-stuffing was undone exactly.
    assert_eq!(
        mail.data_str(),
        String::from_utf8(on_the_wire(&message)).unwrap()
    );
    assert!(
        mail.data_str()
            .contains("\r\n.leading dot\r\n.\r\nlast line")
    );
    assert!(!mail.data_str().contains("Bcc:"));
}

#[tokio::test]
async fn keeps_vietnamese_subject_and_body_intact() {
    let sink = SmtpSink::start().await;
    let subject = "Xác nhận đăng ký – Ứng cứu khẩn cấp cho phường Bến Nghé";
    let body_text =
        "Chào chị Nguyễn Thị Ánh,\n.Dòng này bắt đầu bằng dấu chấm.\nTrân trọng,\nĐội ứng cứu";

    // 8bit sends raw UTF-8 over the wire (needs 8BITMIME); the default picks
    // quoted-printable. The app may use either, so both must survive.
    let eight_bit = Message::builder()
        .from(mailbox("Ứng Cứu <noreply@example.org>"))
        .to(mailbox("Nguyễn Thị Ánh <anh@example.org>"))
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(
            Body::new_with_encoding(body_text.to_owned(), ContentTransferEncoding::EightBit)
                .unwrap(),
        )
        .unwrap();
    let quoted = Message::builder()
        .from(mailbox("noreply@example.org"))
        .to(mailbox("anh@example.org"))
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(body_text.to_owned())
        .unwrap();

    let transport = mailer(&sink);
    transport.send(eight_bit.clone()).await.unwrap();
    transport.send(quoted.clone()).await.unwrap();
    let got = sink.wait_for(2, WAIT).await;

    let raw = got[0].data_str();
    assert_eq!(got[0].data, on_the_wire(&eight_bit));
    assert_eq!(got[0].to, ["anh@example.org"]);
    assert_eq!(decode_header(&raw, "Subject"), subject);
    assert!(raw.contains("Content-Transfer-Encoding: 8bit"), "{raw}");
    assert!(
        raw.ends_with(
            "\r\n\r\nChào chị Nguyễn Thị Ánh,\r\n.Dòng này bắt đầu bằng dấu chấm.\r\nTrân trọng,\r\nĐội ứng cứu\r\n"
        ),
        "{raw}"
    );

    assert_eq!(got[1].data, on_the_wire(&quoted));
    assert_eq!(decode_header(&got[1].data_str(), "Subject"), subject);
}

#[tokio::test]
async fn fails_the_first_deliveries_then_accepts() {
    let sink = SmtpSink::start_failing(2).await;
    let transport = mailer(&sink);
    let message = Message::builder()
        .from(mailbox("noreply@example.org"))
        .to(mailbox("x@example.org"))
        .subject("Thử lại")
        .body(String::from("lần thứ ba mới được"))
        .unwrap();

    for attempt in 1..=2 {
        let err = transport.send(message.clone()).await.unwrap_err();
        assert!(err.is_transient(), "attempt {attempt}: {err}");
        assert_eq!(
            err.status().map(|c| c.to_string()).as_deref(),
            Some("451"),
            "attempt {attempt}: {err}"
        );
    }
    assert!(sink.messages().is_empty());

    transport.send(message.clone()).await.unwrap();
    let got = sink.wait_for(1, WAIT).await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].data, on_the_wire(&message));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_many_connections_at_once() {
    let sink = SmtpSink::start().await;
    let mut tasks = Vec::new();
    for i in 0..8 {
        let transport = mailer(&sink);
        tasks.push(tokio::spawn(async move {
            let message = Message::builder()
                .from(mailbox("noreply@example.org"))
                .to(mailbox(&format!("user{i}@example.org")))
                .subject(format!("Tin nhắn {i}"))
                .body(format!("nội dung {i}"))
                .unwrap();
            transport.send(message).await.unwrap();
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let got = sink.wait_for(8, WAIT).await;
    let mut recipients: Vec<String> = got.iter().map(|m| m.to[0].clone()).collect();
    recipients.sort();
    let mut expected: Vec<String> = (0..8).map(|i| format!("user{i}@example.org")).collect();
    expected.sort();
    assert_eq!(recipients, expected);
}

/// Speaks SMTP by hand, for the commands and edge cases lettre never sends.
struct RawClient {
    reader: BufReader<tokio::net::tcp::OwnedReadHalf>,
    writer: tokio::net::tcp::OwnedWriteHalf,
}

impl RawClient {
    async fn connect(sink: &SmtpSink) -> RawClient {
        let (read, writer) = TcpStream::connect(sink.addr).await.unwrap().into_split();
        let mut client = RawClient {
            reader: BufReader::new(read),
            writer,
        };
        assert!(client.reply().await.starts_with("220 "));
        client
    }

    /// Reads a full (possibly multi-line) reply.
    async fn reply(&mut self) -> String {
        let mut all = String::new();
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line).await.unwrap();
            assert!(line.ends_with("\r\n"), "reply line without CRLF: {line:?}");
            all.push_str(&line);
            if line.as_bytes().get(3) != Some(&b'-') {
                return all;
            }
        }
    }

    async fn cmd(&mut self, line: &str) -> String {
        self.writer
            .write_all(format!("{line}\r\n").as_bytes())
            .await
            .unwrap();
        self.reply().await
    }

    async fn expect(&mut self, line: &str, code: &str) {
        let reply = self.cmd(line).await;
        assert!(
            reply.starts_with(code),
            "{line:?} -> {reply:?}, wanted {code}"
        );
    }
}

#[tokio::test]
async fn speaks_the_protocol_by_hand() {
    let sink = SmtpSink::start().await;
    let mut c = RawClient::connect(&sink).await;

    let ehlo = c.cmd("EHLO tester").await;
    assert!(ehlo.starts_with("250-"), "{ehlo}");
    assert!(ehlo.contains("8BITMIME"), "{ehlo}");
    c.expect("HELO tester", "250").await;
    c.expect("NOOP", "250").await;
    c.expect("VRFY someone", "502").await;
    c.expect("STARTTLS", "502").await;
    c.expect("RCPT TO:<a@example.org>", "503").await;
    c.expect("DATA", "503").await;
    c.expect("MAIL FROM:<first@example.org>", "250").await;
    c.expect("DATA", "503").await;
    c.expect("RCPT TO:<a@example.org>", "250").await;
    c.expect("RSET", "250").await;
    c.expect("RCPT TO:<a@example.org>", "503").await;

    c.expect("mail from:<sender@example.org> BODY=8BITMIME", "250")
        .await;
    c.expect("rcpt to:<one@example.org>", "250").await;
    c.expect("RCPT TO:<two@example.org>", "250").await;
    c.expect("DATA", "354").await;
    c.writer
        .write_all(b"Subject: raw\r\n\r\n..stuffed\r\n...\r\nplain\r\n.\r\n")
        .await
        .unwrap();
    assert!(c.reply().await.starts_with("250"));

    // A second message on the same connection needs a fresh envelope.
    c.expect("DATA", "503").await;
    c.expect("MAIL FROM:<>", "250").await;
    c.expect("RCPT TO:<three@example.org>", "250").await;
    c.expect("DATA", "354").await;
    c.writer.write_all(b"bare\r\n.\r\n").await.unwrap();
    assert!(c.reply().await.starts_with("250"));
    c.expect("QUIT", "221").await;

    let got = sink.wait_for(2, WAIT).await;
    assert_eq!(got[0].from, "sender@example.org");
    assert_eq!(got[0].to, ["one@example.org", "two@example.org"]);
    assert_eq!(
        got[0].data,
        b"Subject: raw\r\n\r\n.stuffed\r\n..\r\nplain\r\n"
    );
    assert_eq!(got[1].from, "");
    assert_eq!(got[1].to, ["three@example.org"]);
    assert_eq!(got[1].data, b"bare\r\n");
}

#[tokio::test]
#[should_panic(expected = "expected at least 1 message")]
async fn wait_for_panics_when_nothing_arrives() {
    let sink = SmtpSink::start().await;
    sink.wait_for(1, Duration::from_millis(200)).await;
}
