//! The only place SQL lives. One [`Db`] serves SQLite (embedded default) and PostgreSQL,
//! chosen by the URL; repositories take a connection so callers decide the transaction.

mod db;
mod error;
mod migrate;
mod row;
mod sql;

pub mod accounts;
pub mod audit;
pub mod backup;
pub mod clocks;
pub mod constituency;
pub mod coordination;
pub mod documents;
pub mod evidence;
pub mod grants;
pub mod incidents;
pub mod intake;
pub mod jobs;
pub mod network;
pub mod notices;
pub mod orgs;
pub mod outbox;
pub mod rate_limits;
pub mod sessions;
pub mod settings;
pub mod setup;
pub mod systems;
pub mod tasks;
pub mod tokens;
pub mod users;

pub use db::{Backend, Conn, Db, Tx, commit};
pub use error::StoreError;
pub use migrate::{MIGRATIONS_POSTGRES, MIGRATIONS_SQLITE, Migration};
/// The connection type repositories take (a pooled connection or a transaction derefs to it).
pub use sqlx::AnyConnection as Connection;

/// Result of a repository call.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A page of a keyset-paginated list.
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// The rows.
    pub items: Vec<T>,
    /// The cursor to pass as `after` for the next page, when there is one.
    pub next: Option<String>,
}

/// Caps a client-supplied page size.
pub fn page_limit(limit: Option<i64>) -> i64 {
    limit.unwrap_or(50).clamp(1, 200)
}
