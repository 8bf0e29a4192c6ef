//! Backup and restore: an archive taken while the server takes writes restores to exactly one
//! consistent snapshot; corrupt, partial or malicious archives are refused and leave nothing;
//! PostgreSQL goes through pg_dump and pg_restore.

use serde_json::json;
use sqlx::Row;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use ungcuu_store::Db;
use ungcuu_store::audit::Verdict;
use ungcuu_testkit::{Backend, TestApp, spawn_app};

const BIN: &str = env!("CARGO_BIN_EXE_ungcuu");

/// Runs the binary off the async threads (the server under test shares the runtime);
/// returns (exit code, stdout, stderr).
async fn ungcuu(args: Vec<String>, env: Vec<(&'static str, String)>) -> (i32, String, String) {
    tokio::task::spawn_blocking(move || {
        let out = Command::new(BIN)
            .args(&args)
            .env("UNGCUU_LOG", "warn")
            .envs(env)
            .output()
            .expect("run ungcuu");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    })
    .await
    .unwrap()
}

fn args(parts: &[&dyn AsRef<std::ffi::OsStr>]) -> Vec<String> {
    parts
        .iter()
        .map(|p| p.as_ref().to_string_lossy().to_string())
        .collect()
}

async fn backup_with_binary(app: &TestApp, out: &Path) -> (i32, String, String) {
    ungcuu(
        args(&[
            &"--database-url",
            &app.database_url,
            &"--data-dir",
            &app.data_dir,
            &"backup",
            &"--out",
            &out,
        ]),
        vec![],
    )
    .await
}

async fn restore_with_binary(archive: &Path, data_dir: &Path) -> (i32, String, String) {
    ungcuu(
        args(&[&"--data-dir", &data_dir, &"restore", &"--from", &archive]),
        vec![],
    )
    .await
}

fn sqlite_url(path: &Path) -> String {
    ungcuu_store::backup::sqlite_url(path, "rw").unwrap()
}

/// Every row of a query as text, for comparing databases column by column.
async fn rows(db: &Db, sql: &'static str) -> Vec<Vec<Option<String>>> {
    let rows = sqlx::query(sql).fetch_all(db.pool()).await.unwrap();
    rows.iter()
        .map(|r| {
            (0..r.len())
                .map(|i| match r.try_get::<Option<String>, _>(i) {
                    Ok(v) => v,
                    Err(_) => r
                        .try_get::<Option<i64>, _>(i)
                        .unwrap()
                        .map(|n| n.to_string()),
                })
                .collect()
        })
        .collect()
}

async fn count(db: &Db, sql: &'static str) -> i64 {
    sqlx::query(sql)
        .fetch_one(db.pool())
        .await
        .unwrap()
        .try_get(0)
        .unwrap()
}

fn skip_unless(app: &TestApp, backend: Backend) -> bool {
    if app.backend != backend {
        eprintln!("skipped: this test is for {backend:?}");
        return true;
    }
    false
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_write_load_restores_one_consistent_snapshot() {
    let app = spawn_app().await;
    if skip_unless(&app, Backend::Sqlite) {
        return;
    }
    let f = app.fixture().await;
    write(
        &app.data_dir.join("blobs/ab/cdef01"),
        b"evidence \x00\xff bytes",
    );
    write(
        &app.data_dir.join("outbox/0001.eml"),
        b"Subject: test\r\n\r\nbody",
    );
    write(&app.data_dir.join("outbox/0002.eml.tmp"), b"half a mess");
    std::os::unix::fs::symlink("/etc/hostname", app.data_dir.join("blobs/link")).unwrap();

    // Write load: organisations created through the API, one after another, until told to stop.
    let stop = Arc::new(AtomicBool::new(false));
    let created = Arc::new(AtomicUsize::new(0));
    let load = {
        let (stop, created) = (stop.clone(), created.clone());
        let (client, url, token, province) = (
            app.client.clone(),
            app.url.clone(),
            f.admin.2.clone(),
            f.province,
        );
        tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) {
                n += 1;
                let r = client
                    .post(format!("{url}/api/v1/organizations"))
                    .bearer_auth(&token)
                    .json(&json!({"slug": format!("tai-{n}"), "name": format!("Đơn vị tải {n}"), "kind": "unit", "parent_id": province}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status().as_u16(), 201, "{:?}", r.text().await);
                created.fetch_add(1, Ordering::SeqCst);
            }
        })
    };
    while created.load(Ordering::SeqCst) < 5 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }

    let db = &app.core.db;
    let orgs_before = count(db, "SELECT COUNT(*) FROM organizations").await;
    let work = tempfile::tempdir().unwrap();
    let archive = work.path().join("ungcuu backup's #1.tar");
    let (code, _, err) = backup_with_binary(&app, &archive).await;
    let orgs_after = count(db, "SELECT COUNT(*) FROM organizations").await;
    stop.store(true, Ordering::SeqCst);
    load.await.unwrap();
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("backup written to"), "{err}");
    assert!(
        err.contains("blobs/link"),
        "the skipped link is named: {err}"
    );
    assert!(
        orgs_after > orgs_before,
        "writes went on during the backup ({orgs_before} → {orgs_after})"
    );
    assert!(!work.path().join("ungcuu backup's #1.tar.tmp").exists());
    assert_eq!(
        std::fs::read_dir(work.path()).unwrap().count(),
        1,
        "nothing but the archive is left beside it"
    );

    let target = work.path().join("restored");
    let (code, _, err) = restore_with_binary(&archive, &target).await;
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("audit chain verified"), "{err}");

    // The files: regular ones restored byte for byte; the link and the write in progress not.
    assert_eq!(
        std::fs::read(target.join("blobs/ab/cdef01")).unwrap(),
        b"evidence \x00\xff bytes"
    );
    assert_eq!(
        std::fs::read(target.join("outbox/0001.eml")).unwrap(),
        b"Subject: test\r\n\r\nbody"
    );
    assert!(
        std::fs::symlink_metadata(target.join("blobs/link")).is_err(),
        "links are not restored"
    );
    assert!(!target.join("outbox/0002.eml.tmp").exists());

    // The database: one snapshot between the two counts, every row identical to the source.
    let restored = Db::connect(&sqlite_url(&target.join("ungcuu.sqlite3")))
        .await
        .unwrap();
    let orgs = count(&restored, "SELECT COUNT(*) FROM organizations").await;
    eprintln!("organisations: {orgs_before} before the backup, {orgs} in it, {orgs_after} after");
    assert!(
        (orgs_before..=orgs_after).contains(&orgs),
        "{orgs_before} <= {orgs} <= {orgs_after}"
    );
    for sql in [
        "SELECT * FROM organizations ORDER BY id",
        "SELECT * FROM users ORDER BY id",
        "SELECT * FROM memberships ORDER BY id",
        "SELECT * FROM api_tokens ORDER BY id",
    ] {
        let source: BTreeSet<_> = rows(db, sql).await.into_iter().collect();
        let copy = rows(&restored, sql).await;
        assert!(!copy.is_empty(), "{sql}");
        for r in &copy {
            assert!(
                source.contains(r),
                "{sql}: restored row not in the source: {r:?}"
            );
        }
    }
    let source_events = rows(db, "SELECT * FROM audit_events ORDER BY seq").await;
    let copy_events = rows(&restored, "SELECT * FROM audit_events ORDER BY seq").await;
    assert!(copy_events.len() < source_events.len());
    assert_eq!(
        copy_events[..],
        source_events[..copy_events.len()],
        "the restored audit log is a prefix of the source's"
    );
    // Consistent, not merely a prefix: each organisation and its audit event were committed
    // together, so the snapshot has both or neither.
    assert_eq!(
        count(
            &restored,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'org.create'"
        )
        .await,
        orgs
    );
    let mut c = restored.conn().await.unwrap();
    let verdict = ungcuu_store::audit::verify(&mut c).await.unwrap();
    drop(c);
    let Verdict::Intact { count: events, .. } = verdict else {
        panic!("restored chain broken: {verdict:?}")
    };
    assert_eq!(events as usize, copy_events.len());
    assert!(
        err.contains(&format!("{events} events")),
        "the summary names the head: {err}"
    );
    restored.close().await;

    // The restored directory is a working data directory for the binary.
    let (code, out, err) =
        ungcuu(args(&[&"--data-dir", &target, &"audit", &"verify"]), vec![]).await;
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&format!("intact: {events} events")), "{out}");
}

/// The byte offset where the header of entry `name` starts.
fn entry_offset(archive: &[u8], name: &str) -> usize {
    let mut a = tar::Archive::new(archive);
    for e in a.entries().unwrap() {
        let e = e.unwrap();
        if e.path_bytes().as_ref() == name.as_bytes() {
            return e.raw_header_position() as usize;
        }
    }
    panic!("no entry {name}")
}

/// A copy of `good` with `extra` added before the manifest. `extra` gets the builder so it can
/// write headers the tar crate itself would refuse to make.
fn with_extra(good: &[u8], extra: impl FnOnce(&mut tar::Builder<Vec<u8>>)) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    let mut a = tar::Archive::new(good);
    let mut manifest = None;
    for e in a.entries().unwrap() {
        let mut e = e.unwrap();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut e, &mut data).unwrap();
        if e.path_bytes().as_ref() == b"manifest.json" {
            manifest = Some((e.header().clone(), data));
        } else {
            b.append(e.header(), data.as_slice()).unwrap();
        }
    }
    extra(&mut b);
    let (h, data) = manifest.unwrap();
    b.append(&h, data.as_slice()).unwrap();
    b.into_inner().unwrap()
}

fn raw_entry(b: &mut tar::Builder<Vec<u8>>, name: &[u8], kind: tar::EntryType, link: &[u8]) {
    let mut h = tar::Header::new_old();
    h.as_old_mut().name[..name.len()].copy_from_slice(name);
    h.as_old_mut().linkname[..link.len()].copy_from_slice(link);
    h.set_entry_type(kind);
    h.set_mode(0o644);
    let data: &[u8] = if kind == tar::EntryType::Regular {
        b"evil"
    } else {
        b""
    };
    h.set_size(data.len() as u64);
    h.set_cksum();
    b.append(&h, data).unwrap();
}

/// Names in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn corrupt_partial_or_unsafe_archives_are_refused_and_leave_the_target_empty() {
    let app = spawn_app().await;
    if skip_unless(&app, Backend::Sqlite) {
        return;
    }
    app.fixture().await;
    write(&app.data_dir.join("blobs/ab/cdef01"), b"evidence");
    let work = tempfile::tempdir().unwrap();
    let good_path = work.path().join("good.tar");
    let report = ungcuu_core::backup::backup(&app.core, &good_path)
        .await
        .unwrap();
    let manifest = report.manifest.unwrap();
    assert_eq!(manifest.files.len(), 2);
    assert_eq!(
        ungcuu_core::backup::verify_archive(&good_path).unwrap(),
        manifest
    );
    let good = std::fs::read(&good_path).unwrap();

    let db_at = entry_offset(&good, "db/ungcuu.sqlite3");
    let manifest_at = entry_offset(&good, "manifest.json");
    let mut flipped = good.clone();
    // Well inside the database file: past the entry's header and the SQLite header.
    flipped[db_at + 512 + 5000] ^= 0xff;
    let mut no_manifest = good[..manifest_at].to_vec();
    no_manifest.extend_from_slice(&[0u8; 1024]);
    let mut bad_hash = good.clone();
    let hash = manifest.files[0].sha256.as_bytes();
    let at = good
        .windows(hash.len())
        .rposition(|w| w == hash)
        .expect("hash in manifest");
    bad_hash[at] = if bad_hash[at] == b'0' { b'1' } else { b'0' };

    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("a flipped byte in the database", flipped, "SHA-256"),
        (
            "a flipped hash in the manifest",
            bad_hash,
            "does not match its SHA-256",
        ),
        (
            "cut in the middle",
            good[..good.len() / 2 + 100].to_vec(),
            "truncated",
        ),
        (
            "cut between two entries",
            good[..manifest_at].to_vec(),
            "truncated",
        ),
        (
            "the end marker cut off",
            good[..good.len() - 1024].to_vec(),
            "truncated",
        ),
        ("no manifest", no_manifest, "manifest.json is missing"),
        (
            "a ../evil entry",
            with_extra(&good, |b| {
                raw_entry(b, b"../evil", tar::EntryType::Regular, b"")
            }),
            "unsafe path",
        ),
        (
            "an absolute path",
            with_extra(&good, |b| {
                raw_entry(b, b"/tmp/ungcuu-evil", tar::EntryType::Regular, b"")
            }),
            "unsafe path",
        ),
        (
            "a nested .. entry",
            with_extra(&good, |b| {
                raw_entry(b, b"blobs/../../evil", tar::EntryType::Regular, b"")
            }),
            "unsafe path",
        ),
        (
            "a symbolic link",
            with_extra(&good, |b| {
                raw_entry(b, b"blobs/link", tar::EntryType::Symlink, b"/etc/passwd")
            }),
            "not a regular file",
        ),
        (
            "a hard link",
            with_extra(&good, |b| {
                raw_entry(b, b"blobs/hard", tar::EntryType::Link, b"db/ungcuu.sqlite3")
            }),
            "not a regular file",
        ),
        (
            "a device",
            with_extra(&good, |b| {
                raw_entry(b, b"blobs/dev", tar::EntryType::Char, b"")
            }),
            "not a regular file",
        ),
        (
            "a file the manifest does not list",
            with_extra(&good, |b| {
                raw_entry(b, b"blobs/extra", tar::EntryType::Regular, b"")
            }),
            "not in manifest.json",
        ),
        (
            "not an archive at all",
            b"SQLite format 3\0 nothing else".to_vec(),
            "truncated or not a tar archive",
        ),
    ];
    for (what, bytes, expect) in cases {
        let case = tempfile::tempdir().unwrap();
        let archive = case.path().join("case.tar");
        std::fs::write(&archive, &bytes).unwrap();
        let target = case.path().join("data");
        std::fs::create_dir(&target).unwrap();
        let (code, _, err) = restore_with_binary(&archive, &target).await;
        assert_ne!(code, 0, "{what}: accepted");
        assert!(
            err.starts_with("error: archive refused: ") && err.contains(expect),
            "{what}: {err}"
        );
        assert!(listing(&target).is_empty(), "{what}: target not empty");
        assert_eq!(
            listing(case.path()),
            ["case.tar", "data"],
            "{what}: leftovers beside the target"
        );
        assert!(!Path::new("/tmp/ungcuu-evil").exists());
        assert!(!work.path().join("evil").exists());
    }

    // The untouched archive restores, into a directory that does not exist yet.
    let target = work.path().join("new/data");
    let (code, _, err) = restore_with_binary(&good_path, &target).await;
    assert_eq!(code, 0, "{err}");
    assert_eq!(listing(&target), ["blobs", "ungcuu.sqlite3"]);
    assert_eq!(
        std::fs::read(target.join("blobs/ab/cdef01")).unwrap(),
        b"evidence"
    );
}

#[tokio::test]
async fn restore_refuses_a_data_directory_that_is_not_empty_and_leaves_it_alone() {
    let app = spawn_app().await;
    if skip_unless(&app, Backend::Sqlite) {
        return;
    }
    app.fixture().await;
    let work = tempfile::tempdir().unwrap();
    let archive = work.path().join("b.tar");
    let (code, _, err) = backup_with_binary(&app, &archive).await;
    assert_eq!(code, 0, "{err}");

    let target = work.path().join("data");
    write(&target.join("keep.txt"), b"mine");
    let (code, _, err) = restore_with_binary(&archive, &target).await;
    assert_ne!(code, 0);
    assert!(err.contains("is not empty"), "{err}");
    assert_eq!(listing(&target), ["keep.txt"]);
    assert_eq!(std::fs::read(target.join("keep.txt")).unwrap(), b"mine");
    assert_eq!(listing(work.path()), ["b.tar", "data"]);

    // A file where the directory should be is refused too.
    let (code, _, err) = restore_with_binary(&archive, &target.join("keep.txt")).await;
    assert_ne!(code, 0);
    assert!(err.contains("is not a directory"), "{err}");

    // An output that would replace the live database, or land in a copied folder, is refused.
    let live = app.data_dir.join("ungcuu.sqlite3");
    let (code, _, err) = backup_with_binary(&app, &live).await;
    assert_ne!(code, 0);
    assert!(err.contains("is a SQLite database"), "{err}");
    assert!(app.core.db.ping().await);
    std::fs::create_dir_all(app.data_dir.join("outbox")).unwrap();
    let (code, _, err) = backup_with_binary(&app, &app.data_dir.join("outbox/b.tar")).await;
    assert_ne!(code, 0);
    assert!(err.contains("part of the backup"), "{err}");
    assert!(listing(&app.data_dir.join("outbox")).is_empty());

    // Backing up a data directory that has no database invents nothing.
    let empty = work.path().join("empty");
    let (code, _, err) = ungcuu(
        args(&[
            &"--data-dir",
            &empty,
            &"backup",
            &"--out",
            &work.path().join("x.tar"),
        ]),
        vec![],
    )
    .await;
    assert_ne!(code, 0);
    assert!(err.contains("no database at"), "{err}");
    assert!(!empty.exists() && !work.path().join("x.tar").exists());
}

/// `postgres://.../db` with another database name.
fn other_db(url: &str, name: &str) -> String {
    let (head, _) = url.rsplit_once('/').unwrap();
    format!("{head}/{name}")
}

#[tokio::test]
async fn postgres_backups_go_through_pg_dump_and_restore_explains_pg_restore() {
    let app = spawn_app().await;
    if skip_unless(&app, Backend::Postgres) {
        return;
    }
    app.fixture().await;
    let head = app.audit_count().await;
    let work = tempfile::tempdir().unwrap();
    let dump = work.path().join("ungcuu.dump");
    let (code, _, err) = backup_with_binary(&app, &dump).await;
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("pg_dump"), "{err}");
    let bytes = std::fs::read(&dump).unwrap();
    assert!(bytes.len() > 1000 && bytes.starts_with(b"PGDMP"));
    assert_eq!(listing(work.path()), ["ungcuu.dump"]);

    // Without pg_dump on PATH the command to run is printed, and the exit status says failure.
    let (code, _, err) = ungcuu(
        args(&[
            &"--database-url",
            &app.database_url,
            &"backup",
            &"--out",
            &work.path().join("other.dump"),
        ]),
        vec![("PATH", "/nonexistent".to_string())],
    )
    .await;
    assert_ne!(code, 0);
    assert!(
        err.contains("pg_dump --format=custom --file"),
        "explains pg_dump: {err}"
    );
    assert!(!work.path().join("other.dump").exists());

    // restore explains pg_restore for a PostgreSQL URL, and for a pg_dump file given alone.
    let (code, _, err) = ungcuu(
        args(&[
            &"--database-url",
            &app.database_url,
            &"restore",
            &"--from",
            &dump,
        ]),
        vec![],
    )
    .await;
    assert_ne!(code, 0);
    assert!(err.contains("pg_restore --clean --if-exists -d"), "{err}");
    let command = err
        .lines()
        .find(|l| l.trim_start().starts_with("pg_restore"))
        .unwrap()
        .trim()
        .to_string();
    let (code, _, err) = restore_with_binary(&dump, &work.path().join("data")).await;
    assert_ne!(code, 0);
    assert!(err.contains("pg_restore --clean --if-exists"), "{err}");
    assert!(!work.path().join("data").exists());

    // The explained command works: restoring the dump into a new database gives back the same
    // audit chain.
    let name = format!("ungcuu_t_restore_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(app.core.db.pool())
        .await
        .unwrap();
    let target_url = other_db(&app.database_url, &name);
    let command = command.replace(&app.database_url, &target_url);
    let out = tokio::task::spawn_blocking(move || {
        Command::new("sh").arg("-c").arg(&command).output().unwrap()
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let restored = Db::connect(&target_url).await.unwrap();
    let mut c = restored.conn().await.unwrap();
    assert_eq!(
        ungcuu_store::audit::verify(&mut c).await.unwrap(),
        Verdict::Intact {
            count: head,
            head: ungcuu_store::audit::head(&mut c).await.unwrap().1
        }
    );
    drop(c);
    restored.close().await;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE \"{name}\" WITH (FORCE)"
    )))
    .execute(app.core.db.pool())
    .await
    .unwrap();
}
