use thiserror::Error;

/// What a repository call can fail with. SQL text never leaves this crate in a message a
/// user sees; the web layer logs the detail and answers generically.
#[derive(Debug, Error)]
pub enum StoreError {
    /// A named unique constraint was violated (the name says which field).
    #[error("unique constraint violated: {0}")]
    Unique(String),
    /// A foreign key pointed nowhere.
    #[error("reference to a missing row")]
    ForeignKey,
    /// A stored value could not be read back (bad UUID, time, enum name).
    #[error("corrupt value in column {0}")]
    Corrupt(&'static str),
    /// The database is unreachable, busy beyond its timeout, or another driver failure.
    #[error("database error: {0}")]
    Db(sqlx::Error),
    /// Migrations stored in the database disagree with the ones compiled in.
    #[error("migration {0} changed after it was applied")]
    MigrationChanged(i64),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            if db.is_unique_violation() {
                let name = db
                    .constraint()
                    .map(str::to_string)
                    .unwrap_or_else(|| db.message().to_string());
                return StoreError::Unique(name);
            }
            if db.is_foreign_key_violation() {
                return StoreError::ForeignKey;
            }
        }
        StoreError::Db(e)
    }
}

impl StoreError {
    /// True when a unique constraint on `column` (or its named constraint) was violated.
    /// SQLite reports `table.column`, PostgreSQL the constraint name; both contain the column.
    pub fn is_unique_on(&self, column: &str) -> bool {
        matches!(self, StoreError::Unique(s) if s.contains(column))
    }
}
