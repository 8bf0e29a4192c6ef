//! Backup and restore.
//!
//! On SQLite a backup is one tar archive: a consistent copy of the live database (`VACUUM
//! INTO`, so the server keeps serving), every regular file of the blob store and the mail
//! outbox, and `manifest.json` naming each file with its size and SHA-256. The manifest is
//! written last, so an archive cut short has none. Restoring reads the whole archive into a
//! temporary directory beside the target, checks every entry against the manifest and the
//! audit chain against the recorded head, and only then renames it into place: a refused
//! archive leaves nothing behind. On PostgreSQL the backup is `pg_dump`'s custom format.

use crate::Core;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use thiserror::Error;
use ungcuu_store::audit::Verdict;
use ungcuu_store::{Backend, Db, StoreError};

/// What the archive says it is, in `manifest.json`.
pub const FORMAT: &str = "ungcuu-backup";
/// The archive layout this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// The data-directory folders copied besides the database.
pub const FILE_DIRS: &[&str] = &["blobs", "outbox"];

const MANIFEST: &str = "manifest.json";
const DB_ENTRY: &str = "db/ungcuu.sqlite3";
/// Where the database lives in a data directory (the default `--database-url`).
pub const DB_FILE: &str = "ungcuu.sqlite3";
// A manifest lists paths and hashes: a few hundred bytes per file. Anything larger is not ours
// and is not read into memory.
const MAX_MANIFEST: u64 = 64 << 20;
const BLOCK: u64 = 512;

/// How a backup or a restore can fail.
#[derive(Debug, Error)]
pub enum BackupError {
    /// A file could not be read or written.
    #[error("{context}: {source}")]
    Io {
        /// What was being done, with the path.
        context: String,
        /// The cause.
        #[source]
        source: io::Error,
    },
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The archive is corrupt, partial, unsafe or not an ungcuu backup.
    #[error("archive refused: {0}")]
    Refused(String),
    /// The restore target already holds something.
    #[error(
        "{0} is not empty: restore only into an empty or missing data directory (move the current one aside first)"
    )]
    NotEmpty(PathBuf),
    /// The database copy failed `PRAGMA integrity_check`.
    #[error("the database copy failed its integrity check: {0}")]
    Integrity(String),
    /// `pg_dump` is not on PATH; the message carries the command to run.
    #[error(
        "pg_dump was not found on PATH; install the PostgreSQL client (Debian: apt-get install postgresql-client) or run:\n  {command}"
    )]
    PgDumpMissing {
        /// The command line to run by hand.
        command: String,
    },
    /// `pg_dump` ran and failed.
    #[error("pg_dump failed ({status}): {stderr}")]
    PgDumpFailed {
        /// Its exit status.
        status: String,
        /// The end of what it printed.
        stderr: String,
    },
    /// The request cannot be done here (wrong backend, bad path).
    #[error("{0}")]
    Unsupported(String),
}

/// Result of a backup or restore step.
pub type Result<T, E = BackupError> = std::result::Result<T, E>;

fn io_err(context: impl Into<String>) -> impl FnOnce(io::Error) -> BackupError {
    let context = context.into();
    move |source| BackupError::Io { context, source }
}

fn refused(msg: impl Into<String>) -> BackupError {
    BackupError::Refused(msg.into())
}

/// `manifest.json`: what the archive holds and how to check it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`FORMAT_VERSION`] of the build that wrote it.
    pub format_version: u32,
    /// When the backup was taken (UTC, RFC 3339).
    pub created_at: String,
    /// Version of the ungcuu that wrote it.
    pub ungcuu_version: String,
    /// `sqlite`.
    pub backend: String,
    /// Migration versions applied in the copied database.
    pub schema_versions: Vec<i64>,
    /// The audit chain head in the copied database.
    pub audit_head: AuditHead,
    /// Every file in the archive besides the manifest.
    pub files: Vec<FileEntry>,
}

/// An audit chain head: the last event's sequence number and hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditHead {
    /// Number of events (the last sequence number).
    pub seq: i64,
    /// Hash of the last event.
    pub hash: String,
}

/// One file of the archive as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Path inside the archive (`db/ungcuu.sqlite3`, `blobs/...`, `outbox/...`).
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256, lower-case hex.
    pub sha256: String,
}

/// What a backup wrote.
#[derive(Debug, Clone)]
pub struct BackupReport {
    /// The file written.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// The archive's manifest (SQLite); `None` for a `pg_dump` file.
    pub manifest: Option<Manifest>,
    /// Symbolic links and special files under the copied folders, left out (never followed).
    pub skipped: Vec<String>,
}

/// What a restore put in place.
#[derive(Debug, Clone)]
pub struct RestoreReport {
    /// The data directory now holding the restored files.
    pub data_dir: PathBuf,
    /// The archive's manifest.
    pub manifest: Manifest,
    /// Events of the audit chain verified in the restored database.
    pub audit_events: i64,
}

/// Takes a backup to `out`: a checked archive on SQLite, `pg_dump --format=custom` on
/// PostgreSQL. The file appears under its name only once complete.
pub async fn backup(core: &Core, out: &Path) -> Result<BackupReport> {
    backup_from(&core.db, &core.config.data_dir, out).await
}

/// [`backup`] for a database and data directory opened without a [`Core`]: the command line
/// backs up without applying migrations first, so the copy is the database as it stands.
pub async fn backup_from(db: &Db, data_dir: &Path, out: &Path) -> Result<BackupReport> {
    match db.backend() {
        Backend::Sqlite => backup_sqlite(db, data_dir, out).await,
        Backend::Postgres => pg_dump(&ungcuu_store::backup::connection_url(db), out).await,
    }
}

fn parent_of(p: &Path) -> PathBuf {
    match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `<out>.tmp`, beside `out`, so the rename that publishes it stays on one file system.
fn tmp_name(out: &Path) -> Result<PathBuf> {
    let name = out.file_name().ok_or_else(|| {
        BackupError::Unsupported(format!("{} does not name a file", out.display()))
    })?;
    let mut tmp = name.to_os_string();
    tmp.push(".tmp");
    Ok(out.with_file_name(tmp))
}

async fn backup_sqlite(db: &Db, data_dir: &Path, out: &Path) -> Result<BackupReport> {
    let data_dir = data_dir.to_path_buf();
    let out = out.to_path_buf();
    check_out_path(&data_dir, &out)?;
    let parent = parent_of(&out);
    // The copy of the database is made beside the archive rather than in /tmp, which may be a
    // small RAM disk; the directory and the copy are removed when `stage` drops.
    let stage = tempfile::Builder::new()
        .prefix(".ungcuu-backup-")
        .tempdir_in(&parent)
        .map_err(io_err(format!(
            "cannot create a temporary directory in {}",
            parent.display()
        )))?;
    let copy = stage.path().join(DB_FILE);
    ungcuu_store::backup::vacuum_into(db, &copy).await?;

    // Versions and head are read from the copy, not the live database, so they describe
    // exactly the snapshot in the archive even while writers carry on.
    let mut c = ungcuu_store::backup::open_copy(&copy).await?;
    let problems = ungcuu_store::backup::integrity_check(&mut c).await?;
    if !problems.is_empty() {
        return Err(BackupError::Integrity(problems.join("; ")));
    }
    let schema_versions = ungcuu_store::backup::schema_versions(&mut c).await?;
    let (seq, hash, _) = ungcuu_store::audit::head(&mut c).await?;
    ungcuu_store::backup::close_copy(c).await?;

    let head = AuditHead { seq, hash };
    let report = tokio::task::spawn_blocking(move || {
        let r = write_archive(&data_dir, &copy, &out, schema_versions, head);
        drop(stage);
        r
    })
    .await
    .map_err(|e| BackupError::Unsupported(format!("backup task failed: {e}")))??;
    Ok(report)
}

/// Refuses an output that is a folder or a database (`--out data/ungcuu.sqlite3` would replace
/// the live database with its own backup).
fn check_out_file(out: &Path) -> Result<()> {
    if out.is_dir() {
        return Err(BackupError::Unsupported(format!(
            "{} is a directory; give a file name such as {}",
            out.display(),
            out.join("ungcuu-backup.tar").display()
        )));
    }
    let mut magic = [0u8; 16];
    if File::open(out)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok()
        && &magic == b"SQLite format 3\0"
    {
        return Err(BackupError::Unsupported(format!(
            "{} is a SQLite database; the backup would replace it",
            out.display()
        )));
    }
    Ok(())
}

/// Refuses an output inside the copied folders: the archive would end up copying itself.
fn check_out_path(data_dir: &Path, out: &Path) -> Result<()> {
    check_out_file(out)?;
    let parent = parent_of(out);
    let Ok(parent) = parent.canonicalize() else {
        return Err(BackupError::Unsupported(format!(
            "the folder {} does not exist",
            parent.display()
        )));
    };
    for d in FILE_DIRS {
        if let Ok(dir) = data_dir.join(d).canonicalize()
            && parent.starts_with(&dir)
        {
            return Err(BackupError::Unsupported(format!(
                "write the backup outside {}: that folder is part of the backup",
                dir.display()
            )));
        }
    }
    Ok(())
}

fn write_archive(
    data_dir: &Path,
    db_copy: &Path,
    out: &Path,
    schema_versions: Vec<i64>,
    audit_head: AuditHead,
) -> Result<BackupReport> {
    let Collected { files, skipped } = collect_files(data_dir)?;
    let tmp = tmp_name(out)?;
    let result = (|| {
        let file = create_private(&tmp, false)
            .map_err(io_err(format!("cannot create {}", tmp.display())))?;
        let mut tar = tar::Builder::new(io::BufWriter::new(file));
        let mut listed = Vec::with_capacity(files.len() + 1);
        listed.push(append_file(&mut tar, DB_ENTRY, db_copy)?);
        for (name, path) in &files {
            listed.push(append_file(&mut tar, name, path)?);
        }
        let manifest = Manifest {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            created_at: ungcuu_domain::timefmt::rfc3339(ungcuu_domain::timefmt::now()),
            ungcuu_version: env!("CARGO_PKG_VERSION").into(),
            backend: Backend::Sqlite.name().into(),
            schema_versions,
            audit_head,
            files: listed,
        };
        let json = serde_json::to_vec_pretty(&manifest)
            .map_err(|e| BackupError::Unsupported(format!("cannot encode the manifest: {e}")))?;
        let mut header = regular_header(json.len() as u64, now_secs());
        tar.append_data(&mut header, MANIFEST, json.as_slice())
            .map_err(io_err(format!("cannot write {}", tmp.display())))?;
        let file = tar
            .into_inner()
            .map_err(io_err(format!("cannot write {}", tmp.display())))?
            .into_inner()
            .map_err(|e| e.into_error())
            .map_err(io_err(format!("cannot write {}", tmp.display())))?;
        file.sync_all()
            .map_err(io_err(format!("cannot sync {}", tmp.display())))?;
        drop(file);
        // Read back what reached the disk before calling it a backup.
        let checked = read_archive(&tmp, None)?;
        if checked != manifest {
            return Err(refused(
                "the archive read back differs from what was written",
            ));
        }
        fs::rename(&tmp, out).map_err(io_err(format!(
            "cannot rename {} to {}",
            tmp.display(),
            out.display()
        )))?;
        sync_dir(&parent_of(out))?;
        let bytes = fs::metadata(out)
            .map_err(io_err(format!("cannot read {}", out.display())))?
            .len();
        Ok(BackupReport {
            path: out.to_path_buf(),
            bytes,
            manifest: Some(manifest),
            skipped: skipped.clone(),
        })
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn regular_header(size: u64, mtime: u64) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(tar::EntryType::Regular);
    h.set_size(size);
    // The archive holds password hashes: whatever unpacks it should not make them readable.
    h.set_mode(0o600);
    h.set_mtime(mtime);
    h
}

/// Creates a file readable by its owner only (it may hold password hashes).
fn create_private(path: &Path, new: bool) -> io::Result<File> {
    let mut o = OpenOptions::new();
    o.write(true);
    if new {
        o.create_new(true);
    } else {
        o.create(true).truncate(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_err(format!("cannot sync {}", dir.display())))
}

/// Counts and hashes what passes through.
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
    count: u64,
}

impl<R> Hashing<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            hasher: Sha256::new(),
            count: 0,
        }
    }
    fn hex(self) -> String {
        hex::encode(self.hasher.finalize())
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.count += n as u64;
        Ok(n)
    }
}

fn append_file<W: Write>(tar: &mut tar::Builder<W>, name: &str, path: &Path) -> Result<FileEntry> {
    let file = File::open(path).map_err(io_err(format!("cannot read {}", path.display())))?;
    let meta = file
        .metadata()
        .map_err(io_err(format!("cannot read {}", path.display())))?;
    let size = meta.len();
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let mut header = regular_header(size, mtime);
    // Exactly the size in the header is read: a file that grows meanwhile is cut at that size
    // (the header must not lie); one that shrinks is caught below.
    let mut reader = Hashing::new(file.take(size));
    tar.append_data(&mut header, name, &mut reader)
        .map_err(io_err(format!(
            "cannot add {} to the archive",
            path.display()
        )))?;
    if reader.count != size {
        return Err(BackupError::Unsupported(format!(
            "{} shrank while it was being copied; take the backup again",
            path.display()
        )));
    }
    Ok(FileEntry {
        path: name.to_string(),
        size,
        sha256: reader.hex(),
    })
}

/// The files to archive, as (archive path, file), and the names left out.
#[derive(Default)]
struct Collected {
    files: Vec<(String, PathBuf)>,
    skipped: Vec<String>,
}

/// Every regular file under the copied folders, in a stable order, and what was left out.
/// Symbolic links are never followed: a link could pull in any file on the machine.
fn collect_files(data_dir: &Path) -> Result<Collected> {
    let mut c = Collected::default();
    for d in FILE_DIRS {
        walk(&data_dir.join(d), d, &mut c)?;
    }
    Ok(c)
}

fn walk(dir: &Path, rel: &str, c: &mut Collected) -> Result<()> {
    let meta = match fs::symlink_metadata(dir) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_err(format!("cannot read {}", dir.display()))(e)),
    };
    if !meta.is_dir() {
        c.skipped.push(rel.to_string());
        return Ok(());
    }
    let mut entries = fs::read_dir(dir)
        .map_err(io_err(format!("cannot read {}", dir.display())))?
        .collect::<io::Result<Vec<_>>>()
        .map_err(io_err(format!("cannot read {}", dir.display())))?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name();
        let Some(name) = name.to_str() else {
            return Err(BackupError::Unsupported(format!(
                "{} has a name that is not UTF-8; rename it and take the backup again",
                e.path().display()
            )));
        };
        let path = format!("{rel}/{name}");
        let ft = e
            .file_type()
            .map_err(io_err(format!("cannot read {}", e.path().display())))?;
        if ft.is_dir() {
            walk(&e.path(), &path, c)?;
        } else if ft.is_file() {
            // `*.tmp` files are writes in progress (the outbox writes `<id>.eml.tmp`, syncs,
            // then renames): half a file is not worth keeping.
            if !name.ends_with(".tmp") {
                c.files.push((path, e.path()));
            }
        } else {
            c.skipped.push(path);
        }
    }
    Ok(())
}

/// A safe archive path: relative, UTF-8, `/`-separated plain names only. Anything else (an
/// absolute path, `..`, `.`, an empty component, a backslash) could write outside the target.
fn safe_name(raw: &[u8]) -> Option<String> {
    let s = std::str::from_utf8(raw).ok()?;
    if s.is_empty() || s.starts_with('/') || s.contains(['\\', '\0']) {
        return None;
    }
    if s.split('/').any(|c| c.is_empty() || c == "." || c == "..") {
        return None;
    }
    Some(s.to_string())
}

/// Where an archive entry goes inside a data directory.
fn target_of(name: &str) -> Option<&str> {
    if name == DB_ENTRY {
        return Some(DB_FILE);
    }
    FILE_DIRS
        .iter()
        .any(|d| {
            name.strip_prefix(d)
                .is_some_and(|rest| rest.starts_with('/'))
        })
        .then_some(name)
}

/// Checks an archive without unpacking it: every entry safe and matching the manifest's size
/// and SHA-256, nothing missing, nothing extra, the archive complete. Returns the manifest.
pub fn verify_archive(archive: &Path) -> Result<Manifest> {
    read_archive(archive, None)
}

/// Reads the whole archive, writing the files under `dest` when given (which must be a fresh
/// directory), and checks it against its manifest.
fn read_archive(archive: &Path, dest: Option<&Path>) -> Result<Manifest> {
    let mut file =
        File::open(archive).map_err(io_err(format!("cannot open {}", archive.display())))?;
    check_end_marker(&mut file, archive)?;
    let mut tar = tar::Archive::new(BufReader::new(file));
    let entries = tar
        .entries()
        .map_err(|e| refused(format!("not a tar archive ({e})")))?;
    let mut seen: BTreeMap<String, (u64, String)> = BTreeMap::new();
    let mut manifest: Option<Vec<u8>> = None;
    for entry in entries {
        let mut entry =
            entry.map_err(|e| refused(format!("unreadable entry ({e}): truncated or corrupt")))?;
        let raw = entry.path_bytes().into_owned();
        let Some(name) = safe_name(&raw) else {
            return Err(refused(format!(
                "unsafe path {:?} (absolute, `..` or malformed)",
                String::from_utf8_lossy(&raw)
            )));
        };
        if !entry.header().entry_type().is_file() {
            return Err(refused(format!(
                "{name} is not a regular file (links, devices and folders are never restored)"
            )));
        }
        if seen.contains_key(&name) || (name == MANIFEST && manifest.is_some()) {
            return Err(refused(format!("{name} appears twice")));
        }
        let size = entry.size();
        if name == MANIFEST {
            if size > MAX_MANIFEST {
                return Err(refused(format!("{MANIFEST} is implausibly large")));
            }
            let mut buf = Vec::with_capacity(size as usize);
            entry
                .read_to_end(&mut buf)
                .map_err(|e| refused(format!("cannot read {MANIFEST} ({e})")))?;
            if buf.len() as u64 != size {
                return Err(refused(format!("{MANIFEST} is truncated")));
            }
            manifest = Some(buf);
            continue;
        }
        let Some(target) = target_of(&name) else {
            return Err(refused(format!("unexpected entry {name}")));
        };
        let mut reader = Hashing::new(&mut entry);
        match dest {
            Some(dest) => {
                let path = dest.join(target);
                if let Some(dir) = path.parent() {
                    fs::create_dir_all(dir)
                        .map_err(io_err(format!("cannot create {}", dir.display())))?;
                }
                // create_new: an entry never overwrites or writes through anything already
                // there, including a link planted by an earlier entry (none can be, but this
                // does not rely on it).
                let mut f = create_private(&path, true)
                    .map_err(io_err(format!("cannot create {}", path.display())))?;
                io::copy(&mut reader, &mut f).map_err(|e| {
                    refused(format!("cannot read {name} ({e}): truncated or corrupt"))
                })?;
                f.sync_all()
                    .map_err(io_err(format!("cannot sync {}", path.display())))?;
            }
            None => {
                io::copy(&mut reader, &mut io::sink()).map_err(|e| {
                    refused(format!("cannot read {name} ({e}): truncated or corrupt"))
                })?;
            }
        }
        if reader.count != size {
            return Err(refused(format!("{name} is truncated")));
        }
        seen.insert(name, (size, reader.hex()));
    }
    let Some(manifest) = manifest else {
        return Err(refused(format!(
            "{MANIFEST} is missing: not a complete ungcuu backup"
        )));
    };
    let manifest = parse_manifest(&manifest)?;
    let mut listed = BTreeMap::new();
    for f in &manifest.files {
        if listed.insert(f.path.as_str(), f).is_some() {
            return Err(refused(format!("{} is listed twice in {MANIFEST}", f.path)));
        }
        match seen.get(&f.path) {
            None => {
                return Err(refused(format!(
                    "{} is listed in {MANIFEST} but missing from the archive",
                    f.path
                )));
            }
            Some((size, _)) if *size != f.size => {
                return Err(refused(format!(
                    "{} has {size} bytes, {MANIFEST} says {}",
                    f.path, f.size
                )));
            }
            Some((_, sha)) if !sha.eq_ignore_ascii_case(&f.sha256) => {
                return Err(refused(format!(
                    "{} does not match its SHA-256 in {MANIFEST}: the archive is corrupt",
                    f.path
                )));
            }
            Some(_) => {}
        }
    }
    if let Some(extra) = seen.keys().find(|k| !listed.contains_key(k.as_str())) {
        return Err(refused(format!(
            "{extra} is in the archive but not in {MANIFEST}"
        )));
    }
    if !listed.contains_key(DB_ENTRY) {
        return Err(refused(format!("{DB_ENTRY} is missing")));
    }
    Ok(manifest)
}

/// A tar archive ends with two zero blocks. Their absence means the file was cut short,
/// even when the cut falls between two entries, which the tar reader cannot tell from a
/// regular end.
fn check_end_marker(file: &mut File, archive: &Path) -> Result<()> {
    let len = file
        .metadata()
        .map_err(io_err(format!("cannot read {}", archive.display())))?
        .len();
    let truncated = || {
        refused(format!(
            "{} is truncated or not a tar archive (no end-of-archive marker)",
            archive.display()
        ))
    };
    if len < 3 * BLOCK || len % BLOCK != 0 {
        return Err(truncated());
    }
    let mut tail = [0u8; 2 * BLOCK as usize];
    file.seek(SeekFrom::Start(len - 2 * BLOCK))
        .and_then(|_| file.read_exact(&mut tail))
        .and_then(|_| file.seek(SeekFrom::Start(0)).map(|_| ()))
        .map_err(io_err(format!("cannot read {}", archive.display())))?;
    if tail.iter().any(|b| *b != 0) {
        return Err(truncated());
    }
    Ok(())
}

fn parse_manifest(bytes: &[u8]) -> Result<Manifest> {
    // The format fields are read first, so a manifest from a newer build is named as such
    // instead of failing on a field this build does not know.
    let v: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| refused(format!("{MANIFEST} is not valid JSON ({e})")))?;
    if v.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(refused(format!(
            "{MANIFEST} is not an ungcuu backup manifest"
        )));
    }
    match v.get("format_version").and_then(|f| f.as_u64()) {
        Some(n) if n == u64::from(FORMAT_VERSION) => {}
        Some(n) => {
            return Err(refused(format!(
                "archive format version {n}; this ungcuu reads version {FORMAT_VERSION} (use a newer ungcuu)"
            )));
        }
        None => return Err(refused(format!("{MANIFEST} has no format version"))),
    }
    let m: Manifest =
        serde_json::from_value(v).map_err(|e| refused(format!("{MANIFEST} is malformed ({e})")))?;
    if m.backend != Backend::Sqlite.name() {
        return Err(refused(format!(
            "the archive is from the {} backend; only SQLite archives are restored here",
            m.backend
        )));
    }
    Ok(m)
}

/// Restores an archive into `data_dir`, which must be missing or empty. Needs no running
/// server. Everything is unpacked and checked (sizes, hashes, the audit chain against the
/// manifest's head) in a temporary directory beside the target, then renamed into place, so a
/// refused archive leaves nothing.
pub async fn restore(archive: &Path, data_dir: &Path) -> Result<RestoreReport> {
    check_target(data_dir)?;
    let parent = parent_of(data_dir);
    fs::create_dir_all(&parent).map_err(io_err(format!("cannot create {}", parent.display())))?;
    let stage = tempfile::Builder::new()
        .prefix(".ungcuu-restore-")
        .tempdir_in(&parent)
        .map_err(io_err(format!(
            "cannot create a temporary directory in {}",
            parent.display()
        )))?;
    let (archive_owned, stage_path) = (archive.to_path_buf(), stage.path().to_path_buf());
    let manifest =
        tokio::task::spawn_blocking(move || read_archive(&archive_owned, Some(&stage_path)))
            .await
            .map_err(|e| BackupError::Unsupported(format!("restore task failed: {e}")))??;

    let known: Vec<i64> = ungcuu_store::MIGRATIONS_SQLITE
        .iter()
        .map(|m| m.version)
        .collect();
    if let Some(v) = manifest.schema_versions.iter().find(|v| !known.contains(v)) {
        return Err(refused(format!(
            "the backup has schema version {v}, unknown to this ungcuu {}: restore it with ungcuu {} or newer",
            env!("CARGO_PKG_VERSION"),
            manifest.ungcuu_version
        )));
    }
    let audit_events = check_restored_db(&stage.path().join(DB_FILE), &manifest).await?;

    // Publish: the empty target (if any) is removed and the checked directory takes its name.
    // remove_dir fails on a directory that is no longer empty, so a file that appeared since
    // the first check is never lost.
    let stage_path = stage.keep();
    let publish = (|| {
        sync_dir(&stage_path)?;
        match fs::remove_dir(data_dir) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) if e.kind() == io::ErrorKind::DirectoryNotEmpty => {
                return Err(BackupError::NotEmpty(data_dir.to_path_buf()));
            }
            Err(e) => return Err(io_err(format!("cannot replace {}", data_dir.display()))(e)),
        }
        fs::rename(&stage_path, data_dir).map_err(io_err(format!(
            "cannot rename {} to {}",
            stage_path.display(),
            data_dir.display()
        )))?;
        sync_dir(&parent)
    })();
    if let Err(e) = publish {
        let _ = fs::remove_dir_all(&stage_path);
        return Err(e);
    }
    Ok(RestoreReport {
        data_dir: data_dir.to_path_buf(),
        manifest,
        audit_events,
    })
}

fn check_target(data_dir: &Path) -> Result<()> {
    match fs::symlink_metadata(data_dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_err(format!("cannot read {}", data_dir.display()))(e)),
        Ok(m) if m.file_type().is_symlink() => Err(BackupError::Unsupported(format!(
            "{} is a symbolic link; give the directory it points to",
            data_dir.display()
        ))),
        Ok(m) if !m.is_dir() => Err(BackupError::Unsupported(format!(
            "{} exists and is not a directory",
            data_dir.display()
        ))),
        Ok(_) => {
            let mut it = fs::read_dir(data_dir)
                .map_err(io_err(format!("cannot read {}", data_dir.display())))?;
            if it.next().is_some() {
                Err(BackupError::NotEmpty(data_dir.to_path_buf()))
            } else {
                Ok(())
            }
        }
    }
}

/// Opens the unpacked database read-only (so its bytes stay those of the archive) and checks
/// that its schema and audit chain are the ones the manifest recorded. Returns the number of
/// events verified.
async fn check_restored_db(db: &Path, manifest: &Manifest) -> Result<i64> {
    let mut c = ungcuu_store::backup::open_copy(db).await?;
    let result = async {
        let versions = ungcuu_store::backup::schema_versions(&mut c).await?;
        if versions != manifest.schema_versions {
            return Err(refused(format!(
                "the database has schema versions {versions:?}, {MANIFEST} says {:?}",
                manifest.schema_versions
            )));
        }
        let count = match ungcuu_store::audit::verify(&mut c).await? {
            Verdict::Intact { count, .. } => count,
            Verdict::Broken { seq, reason } => {
                return Err(refused(format!(
                    "the audit chain in the backup is broken at event {seq}: {reason}"
                )));
            }
        };
        let (seq, hash, _) = ungcuu_store::audit::head(&mut c).await?;
        if seq != manifest.audit_head.seq || hash != manifest.audit_head.hash {
            return Err(refused(format!(
                "the audit chain head is #{seq} {hash}, {MANIFEST} says #{} {}",
                manifest.audit_head.seq, manifest.audit_head.hash
            )));
        }
        Ok(count)
    }
    .await;
    ungcuu_store::backup::close_copy(c).await?;
    result
}

/// Splits the password out of a URL, so it can travel in `PGPASSWORD` instead of the command
/// line, where any local user can read it in the process list.
fn split_password(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_string(), None);
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let Some((userinfo, host)) = authority.rsplit_once('@') else {
        return (url.to_string(), None);
    };
    let Some((user, password)) = userinfo.split_once(':') else {
        return (url.to_string(), None);
    };
    (
        format!("{scheme}://{user}@{host}{tail}"),
        Some(percent_decode(password)),
    )
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex_val(b[i + 1]), hex_val(b[i + 2]))
        {
            out.push(h << 4 | l);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_val(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Quotes a word for a POSIX shell when it needs it.
fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-:@=+,%".contains(&b))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

fn with_password_hint(cmd: String, password: &Option<String>) -> String {
    match password {
        Some(_) => format!("PGPASSWORD=... {cmd}"),
        None => cmd,
    }
}

/// The command that makes a PostgreSQL backup, password left out of the URL.
pub fn pg_dump_command(url: &str, out: &Path) -> String {
    let (url, password) = split_password(url);
    with_password_hint(
        format!(
            "pg_dump --format=custom --file {} {}",
            shell_quote(&out.to_string_lossy()),
            shell_quote(&url)
        ),
        &password,
    )
}

/// The command that restores a `pg_dump` file into a PostgreSQL database, password left out.
pub fn pg_restore_command(url: &str, archive: &Path) -> String {
    let (url, password) = split_password(url);
    with_password_hint(
        format!(
            "pg_restore --clean --if-exists -d {} {}",
            shell_quote(&url),
            shell_quote(&archive.to_string_lossy())
        ),
        &password,
    )
}

/// True when `path` starts like a `pg_dump` custom-format file.
pub fn is_pg_dump(path: &Path) -> bool {
    let mut magic = [0u8; 5];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok()
        && &magic == b"PGDMP"
}

/// Runs `pg_dump --format=custom` into `<out>.tmp`, checks its exit status and the file's
/// magic, syncs it and renames it to `out`.
pub async fn pg_dump(url: &str, out: &Path) -> Result<BackupReport> {
    check_out_file(out)?;
    let tmp = tmp_name(out)?;
    let (bare_url, password) = split_password(url);
    let mut cmd = tokio::process::Command::new("pg_dump");
    cmd.arg("--format=custom")
        .arg("--file")
        .arg(&tmp)
        .arg(&bare_url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true);
    if let Some(p) = &password {
        cmd.env("PGPASSWORD", p);
    }
    let output = match cmd.output().await {
        Ok(o) => o,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(BackupError::PgDumpMissing {
                command: pg_dump_command(url, out),
            });
        }
        Err(e) => return Err(io_err("cannot run pg_dump")(e)),
    };
    let finish = || -> Result<BackupReport> {
        if !output.status.success() {
            let text = String::from_utf8_lossy(&output.stderr);
            let text = text.trim();
            // The last lines say why; a long dump log is cut from the front.
            let start = text
                .char_indices()
                .rev()
                .nth(2000)
                .map(|(i, _)| i)
                .unwrap_or(0);
            return Err(BackupError::PgDumpFailed {
                status: output.status.to_string(),
                stderr: text[start..].to_string(),
            });
        }
        if !is_pg_dump(&tmp) {
            return Err(BackupError::Unsupported(format!(
                "pg_dump exited successfully but {} is not a custom-format dump",
                tmp.display()
            )));
        }
        File::open(&tmp)
            .and_then(|f| f.sync_all())
            .map_err(io_err(format!("cannot sync {}", tmp.display())))?;
        fs::rename(&tmp, out).map_err(io_err(format!(
            "cannot rename {} to {}",
            tmp.display(),
            out.display()
        )))?;
        sync_dir(&parent_of(out))?;
        let bytes = fs::metadata(out)
            .map_err(io_err(format!("cannot read {}", out.display())))?
            .len();
        Ok(BackupReport {
            path: out.to_path_buf(),
            bytes,
            manifest: None,
            skipped: Vec::new(),
        })
    };
    let r = finish();
    if r.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_are_safe() {
        for bad in [
            &b"/etc/passwd"[..],
            b"../evil",
            b"blobs/../../evil",
            b"blobs/./x",
            b"blobs//x",
            b"blobs/x/",
            b"",
            b"blobs\\..\\x",
            b"blobs/\xff",
        ] {
            assert_eq!(safe_name(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
        assert_eq!(safe_name(b"blobs/ab/cd").as_deref(), Some("blobs/ab/cd"));
    }

    #[test]
    fn entries_map_into_the_data_directory_or_nowhere() {
        assert_eq!(target_of("db/ungcuu.sqlite3"), Some("ungcuu.sqlite3"));
        assert_eq!(target_of("blobs/ab/cd"), Some("blobs/ab/cd"));
        assert_eq!(target_of("outbox/x.eml"), Some("outbox/x.eml"));
        assert_eq!(target_of("blobsy/x"), None);
        assert_eq!(target_of("blobs"), None);
        assert_eq!(target_of("ungcuu.sqlite3"), None);
        assert_eq!(target_of("db/other"), None);
    }

    #[test]
    fn the_password_leaves_the_url_and_is_decoded() {
        assert_eq!(
            split_password("postgres://u:p%40ss%3Aw@db.example:5432/ungcuu?sslmode=require"),
            (
                "postgres://u@db.example:5432/ungcuu?sslmode=require".to_string(),
                Some("p@ss:w".to_string())
            )
        );
        assert_eq!(
            split_password("postgres://u@h/db"),
            ("postgres://u@h/db".to_string(), None)
        );
        assert_eq!(
            split_password("postgres://h/db?x=a@b"),
            ("postgres://h/db?x=a@b".to_string(), None)
        );
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%41"), "%zzA");
        assert_eq!(percent_decode("%é%4"), "%é%4");
    }

    #[test]
    fn commands_quote_what_the_shell_would_split_and_hide_the_password() {
        let c = pg_restore_command("postgres://u:secret@h/db", Path::new("/b/it's here.dump"));
        assert_eq!(
            c,
            "PGPASSWORD=... pg_restore --clean --if-exists -d postgres://u@h/db '/b/it'\\''s here.dump'"
        );
        assert!(!c.contains("secret"));
        assert_eq!(
            pg_dump_command("postgres://u@h/db", Path::new("x.dump")),
            "pg_dump --format=custom --file x.dump postgres://u@h/db"
        );
    }

    #[test]
    fn an_empty_file_or_one_without_the_end_marker_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.tar");
        fs::write(&p, b"").unwrap();
        assert!(matches!(verify_archive(&p), Err(BackupError::Refused(_))));
        fs::write(&p, vec![1u8; 4096]).unwrap();
        assert!(matches!(verify_archive(&p), Err(BackupError::Refused(_))));
        // A well-formed but empty tar: complete, yet not a backup.
        fs::write(&p, vec![0u8; 2048]).unwrap();
        let e = verify_archive(&p).unwrap_err().to_string();
        assert!(e.contains("manifest.json is missing"), "{e}");
    }
}
