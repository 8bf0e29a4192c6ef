//! `ungcuu backup` and `ungcuu restore`: thin wrappers printing a summary on standard error.

use crate::{Global, database_url};
use std::path::Path;
use ungcuu_core::backup::{self as bk, BackupReport, RestoreReport};
use ungcuu_store::{Backend, Db};

/// Writes a backup of the configured database and data directory to `out`.
pub async fn backup(g: &Global, out: &Path) -> Result<(), String> {
    let url = database_url(g);
    let report = match Backend::from_url(&url) {
        // pg_dump connects by itself; nothing to open here.
        Some(Backend::Postgres) => bk::pg_dump(&url, out).await.map_err(|e| e.to_string())?,
        Some(Backend::Sqlite) => {
            let default_db = g.data_dir.join(bk::DB_FILE);
            // The default URL creates a missing file; a backup must not invent an empty one.
            if g.database_url.is_none() && !default_db.is_file() {
                return Err(format!(
                    "no database at {}: nothing to back up (check --data-dir)",
                    default_db.display()
                ));
            }
            // Opened without migrating: a backup taken before an upgrade must hold the
            // database as it was, not as the new binary would make it.
            let db = Db::connect(&url)
                .await
                .map_err(|e| format!("cannot open the database: {e}"))?;
            let r = bk::backup_from(&db, &g.data_dir, out).await;
            db.close().await;
            r.map_err(|e| e.to_string())?
        }
        None => return Err("unsupported database URL: use sqlite:// or postgres://".into()),
    };
    print_backup(&report);
    Ok(())
}

fn print_backup(r: &BackupReport) {
    match &r.manifest {
        Some(m) => {
            let db = m
                .files
                .iter()
                .find(|f| f.path.starts_with("db/"))
                .map_or(0, |f| f.size);
            eprintln!(
                "backup written to {}: {} files, {} bytes (database {} bytes), schema {:?}, audit chain head #{} {}",
                r.path.display(),
                m.files.len(),
                r.bytes,
                db,
                m.schema_versions,
                m.audit_head.seq,
                m.audit_head.hash
            );
        }
        None => {
            eprintln!(
                "PostgreSQL backup written by pg_dump to {}: {} bytes (custom format; restore with pg_restore)",
                r.path.display(),
                r.bytes
            );
            eprintln!(
                "note: the dump holds the database only; copy the folders {} of the data directory separately",
                bk::FILE_DIRS.join(" and ")
            );
        }
    }
    if !r.skipped.is_empty() {
        eprintln!(
            "warning: {} symbolic links or special files left out (never followed): {}",
            r.skipped.len(),
            r.skipped.join(", ")
        );
    }
}

/// Restores `from` into the (empty) data directory; for PostgreSQL explains pg_restore.
pub async fn restore(g: &Global, from: &Path) -> Result<(), String> {
    if let Some(url) = &g.database_url
        && Backend::from_url(url) == Some(Backend::Postgres)
    {
        // Restoring over a live PostgreSQL database is destructive and depends on how the
        // replicas are run, so it is left to the operator, with the exact command.
        return Err(format!(
            "PostgreSQL is restored with pg_restore from a file written by `ungcuu backup`; stop every replica, then run:\n  {}",
            bk::pg_restore_command(url, from)
        ));
    }
    if bk::is_pg_dump(from) {
        return Err(format!(
            "{} is a pg_dump file: restore it into PostgreSQL with\n  {}",
            from.display(),
            bk::pg_restore_command("postgres://USER@HOST/DATABASE", from)
        ));
    }
    let r = bk::restore(from, &g.data_dir)
        .await
        .map_err(|e| e.to_string())?;
    print_restore(&r);
    let restored = g.data_dir.join(bk::DB_FILE);
    if let Some(url) = &g.database_url
        && !same_file(&sqlite_path(url), &restored)
    {
        eprintln!(
            "note: the database was restored to {}; --database-url points elsewhere",
            restored.display()
        );
    }
    Ok(())
}

fn print_restore(r: &RestoreReport) {
    let m = &r.manifest;
    let bytes: u64 = m.files.iter().map(|f| f.size).sum();
    eprintln!(
        "restored {} files ({} bytes) into {} from the backup of {} (ungcuu {}); audit chain verified: {} events, head #{} {} as recorded",
        m.files.len(),
        bytes,
        r.data_dir.display(),
        m.created_at,
        m.ungcuu_version,
        r.audit_events,
        m.audit_head.seq,
        m.audit_head.hash
    );
}

/// The file of a `sqlite://` URL (query string dropped).
fn sqlite_path(url: &str) -> std::path::PathBuf {
    let u = url.split('?').next().unwrap_or(url);
    Path::new(
        u.trim_start_matches("sqlite://")
            .trim_start_matches("sqlite:"),
    )
    .to_path_buf()
}

fn same_file(a: &Path, b: &Path) -> bool {
    a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}
