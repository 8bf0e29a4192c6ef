use ungcuu_store::Db;

#[tokio::test]
async fn sqlite_and_postgresql_migrations_produce_the_same_tables_and_columns() {
    let pg_url = std::env::var("UNGCUU_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let Ok(admin) = Db::connect(&pg_url).await else {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("PostgreSQL is required in CI");
        }
        eprintln!("SKIPPED: no PostgreSQL at {pg_url}");
        return;
    };
    let name = format!("ungcuu_parity_{}", uuid_simple());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(admin.pool())
        .await
        .unwrap();
    let (head, _) = pg_url.rsplit_once('/').unwrap();
    let pg = Db::connect(&format!("{head}/{name}")).await.unwrap();
    pg.migrate().await.unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let lite = Db::connect(&format!(
        "sqlite://{}?mode=rwc",
        tmp.path().join("p.sqlite3").display()
    ))
    .await
    .unwrap();
    lite.migrate().await.unwrap();
    let a = lite.schema_columns().await.unwrap();
    let b = pg.schema_columns().await.unwrap();
    pg.close().await;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE \"{name}\" WITH (FORCE)"
    )))
    .execute(admin.pool())
    .await
    .unwrap();
    assert!(a.len() > 50, "{a:?}");
    assert_eq!(a, b);
}

fn uuid_simple() -> String {
    format!(
        "{:x}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    )
}

#[tokio::test]
async fn sqlite_runs_in_wal_with_foreign_keys_and_full_sync() {
    let tmp = tempfile::tempdir().unwrap();
    let db = Db::connect(&format!(
        "sqlite://{}?mode=rwc",
        tmp.path().join("w.sqlite3").display()
    ))
    .await
    .unwrap();
    use sqlx::Row;
    let mode: String = sqlx::query("PRAGMA journal_mode")
        .fetch_one(db.pool())
        .await
        .unwrap()
        .get(0);
    let fk: i64 = sqlx::query("PRAGMA foreign_keys")
        .fetch_one(db.pool())
        .await
        .unwrap()
        .get(0);
    let sync: i64 = sqlx::query("PRAGMA synchronous")
        .fetch_one(db.pool())
        .await
        .unwrap()
        .get(0);
    assert_eq!(mode, "wal");
    assert_eq!(fk, 1);
    assert_eq!(sync, 2, "FULL");
}
