//! The SQL side of backups: a consistent copy of a live SQLite database, and the checks run on
//! a copy (integrity, schema versions) before it is packed or restored. Files and archives are
//! handled in `ungcuu-core`.

use crate::db::{Backend, Db};
use crate::{Result, StoreError};
use sqlx::any::AnyConnectOptions;
use sqlx::{AnyConnection, ConnectOptions, Connection, Row};
use std::path::Path;
use std::str::FromStr;

/// A `sqlite://` URL for a file path, every byte outside a safe set percent-encoded, so a
/// directory with spaces, `?`, `#` or `%` in its name still names the right file. `mode` is
/// `ro`, `rw` or `rwc`.
pub fn sqlite_url(path: &Path, mode: &str) -> Result<String> {
    let text = path.to_str().ok_or_else(|| {
        StoreError::Db(sqlx::Error::Configuration(
            format!("path is not valid UTF-8: {}", path.display()).into(),
        ))
    })?;
    let mut url = String::from("sqlite://");
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'-' | b'_' | b'~') {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url.push_str("?mode=");
    url.push_str(mode);
    Ok(url)
}

/// The URL the pool connects with, password included, for handing to `pg_dump`.
pub fn connection_url(db: &Db) -> String {
    db.pool().connect_options().database_url.to_string()
}

/// Writes a consistent copy of the live SQLite database to `dest` (which must not exist) with
/// `VACUUM INTO`. It reads one snapshot, so writers carry on and the copy holds exactly the
/// transactions committed before it started.
pub async fn vacuum_into(db: &Db, dest: &Path) -> Result<()> {
    if db.backend() != Backend::Sqlite {
        return Err(StoreError::Db(sqlx::Error::Configuration(
            "VACUUM INTO is for SQLite; use pg_dump for PostgreSQL".into(),
        )));
    }
    let dest = dest.to_str().ok_or_else(|| {
        StoreError::Db(sqlx::Error::Configuration(
            format!("path is not valid UTF-8: {}", dest.display()).into(),
        ))
    })?;
    // VACUUM INTO takes no bind parameter. The path is one we generated (a fresh temporary
    // directory), never user input; doubling single quotes keeps it one SQL string literal.
    let sql = format!("VACUUM INTO '{}'", dest.replace('\'', "''"));
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Opens one read-only connection to a SQLite file that is not the live database (a copy
/// being checked). Read-only, so checking a copy never changes its bytes.
pub async fn open_copy(path: &Path) -> Result<AnyConnection> {
    sqlx::any::install_default_drivers();
    let opts = AnyConnectOptions::from_str(&sqlite_url(path, "ro")?)?
        .log_statements(tracing::log::LevelFilter::Trace);
    Ok(AnyConnection::connect_with(&opts).await?)
}

/// Runs `PRAGMA integrity_check`; returns the problems found, empty when the file is sound.
pub async fn integrity_check(c: &mut AnyConnection) -> Result<Vec<String>> {
    let rows = sqlx::query("PRAGMA integrity_check").fetch_all(c).await?;
    let mut problems = Vec::new();
    for r in &rows {
        let line: String = r.try_get(0)?;
        if line != "ok" {
            problems.push(line);
        }
    }
    Ok(problems)
}

/// The migration versions applied, ascending.
pub async fn schema_versions(c: &mut AnyConnection) -> Result<Vec<i64>> {
    let rows = sqlx::query("SELECT version FROM schema_migrations ORDER BY version")
        .fetch_all(c)
        .await?;
    rows.iter().map(|r| Ok(r.try_get::<i64, _>(0)?)).collect()
}

/// Closes a connection opened with [`open_copy`], so the file can be moved or removed.
pub async fn close_copy(c: AnyConnection) -> Result<()> {
    Ok(c.close().await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_encode_every_unsafe_byte() {
        let u = sqlite_url(Path::new("/tmp/a b/x?y#z%1'/ungcuu.sqlite3"), "ro").unwrap();
        assert_eq!(
            u,
            "sqlite:///tmp/a%20b/x%3Fy%23z%251%27/ungcuu.sqlite3?mode=ro"
        );
    }

    #[tokio::test]
    async fn a_copy_taken_with_vacuum_into_passes_the_checks_and_opens_read_only() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("we'ird name?.sqlite3");
        let db = Db::connect(&sqlite_url(&src, "rwc").unwrap())
            .await
            .unwrap();
        db.migrate().await.unwrap();
        let copy = dir.path().join("co'py #1.sqlite3");
        vacuum_into(&db, &copy).await.unwrap();
        let mut c = open_copy(&copy).await.unwrap();
        assert!(integrity_check(&mut c).await.unwrap().is_empty());
        let all: Vec<i64> = crate::MIGRATIONS_SQLITE.iter().map(|m| m.version).collect();
        assert_eq!(schema_versions(&mut c).await.unwrap(), all);
        assert!(
            sqlx::query("DELETE FROM audit_head")
                .execute(&mut c)
                .await
                .is_err(),
            "the copy is opened read-only"
        );
        close_copy(c).await.unwrap();
        db.close().await;
    }
}
