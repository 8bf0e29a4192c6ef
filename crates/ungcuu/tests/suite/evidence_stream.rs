//! A 1 GiB evidence upload streams to the store: the server process (the real binary, so its
//! memory is measured alone) stays far below the size of the file, and the stored hash equals
//! the hash of what was sent.

use crate::incidents::report_body;
use reqwest::Method;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use ungcuu_testkit::spawn_app;

const GIB: u64 = 1 << 30;
const CHUNK: usize = 1 << 20;

/// Resident memory of a process in KiB (Linux).
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

#[tokio::test]
async fn a_one_gib_upload_streams_without_the_server_growing_and_hashes_match() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let officer = &f.officer_a.2;
    let (s, i) = app
        .send_json(
            Method::POST,
            "/api/v1/incidents",
            officer,
            &report_body(f.org_a, "Ảnh đĩa máy chủ bị mã hoá"),
        )
        .await;
    assert_eq!(s, 201, "{i}");
    let id = i["id"].as_str().unwrap().to_string();
    {
        let mut c = app.core.db.conn().await.unwrap();
        ungcuu_store::settings::set(
            &mut c,
            ungcuu_core::evidence::LIMIT_KEY,
            &(2 * GIB).to_string(),
            time::OffsetDateTime::now_utc(),
        )
        .await
        .unwrap();
    }
    // A second process on the same database: the real binary, whose memory we can read alone.
    let data = tempfile::tempdir().unwrap();
    let (mut child, url, _) = crate::cli::serve(&app.database_url, data.path(), &[]);
    let pid = child.id();
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let before = rss_kib(pid).expect("rss");
    let peak = Arc::new(AtomicU64::new(before));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, done) = (peak.clone(), done.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                if let Some(r) = rss_kib(pid) {
                    peak.fetch_max(r, Ordering::Relaxed);
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        })
    };
    // Chunked, without a length, in 1 MiB pieces of varying bytes.
    let mut tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "POST /api/v1/incidents/{id}/evidence?name=disk.img HTTP/1.1\r\nHost: {addr}\r\n\
         Authorization: Bearer {officer}\r\nContent-Type: application/octet-stream\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    let mut sent = Sha256::new();
    let mut chunk = vec![0u8; CHUNK];
    for n in 0..(GIB as usize / CHUNK) {
        for (k, b) in chunk.iter_mut().enumerate().step_by(4096) {
            *b = (n ^ k) as u8;
        }
        sent.update(&chunk);
        tcp.write_all(format!("{CHUNK:x}\r\n").as_bytes())
            .await
            .unwrap();
        tcp.write_all(&chunk).await.unwrap();
        tcp.write_all(b"\r\n").await.unwrap();
    }
    tcp.write_all(b"0\r\n\r\n").await.unwrap();
    let mut answer = Vec::new();
    tcp.read_to_end(&mut answer).await.unwrap();
    done.store(true, Ordering::Relaxed);
    sampler.join().unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    let expected = hex::encode(sent.finalize());
    assert!(answer.contains(&expected), "{answer}");
    assert!(answer.contains(&format!("\"size\":{GIB}")), "{answer}");
    let grew_mib = (peak.load(Ordering::Relaxed).saturating_sub(before)) / 1024;
    // Buffering the body would cost at least 1024 MiB; streaming costs a few buffers.
    assert!(
        grew_mib < 128,
        "the server grew by {grew_mib} MiB for a 1 GiB upload"
    );
    eprintln!("1 GiB upload: server RSS {before} KiB before, grew by {grew_mib} MiB at peak");
}
