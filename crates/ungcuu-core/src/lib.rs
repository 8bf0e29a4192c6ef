//! Use cases of ungcuu. Every change goes: load → authorise on the loaded row → mutate →
//! audit → enqueue follow-up work, in one transaction. No HTTP types here.

pub mod actor;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod clocks;
pub mod constituency;
pub mod coordination;
pub mod demo;
pub mod document_settings;
pub mod documents;
pub mod error;
pub mod evidence;
pub mod grants;
pub mod incidents;
pub mod intake;
pub mod jobs;
pub mod letters;
pub mod links;
pub mod live;
pub mod mail;
pub mod mfa;
pub mod network;
pub mod notices;
pub mod orgs;
pub mod rate_limit;
pub mod secrets;
pub mod sending;
pub mod setup;
pub mod steering;
pub mod systems;
pub mod tasks;
pub mod tokens;
pub mod users;

pub use actor::Actor;
pub use error::CoreError;
pub use rate_limit::RateLimits;

use std::path::PathBuf;
use ungcuu_store::Db;

/// Result of a use case.
pub type Result<T, E = CoreError> = std::result::Result<T, E>;

/// Settings the use cases need.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the SQLite file, the mail outbox folder and blobs live.
    pub data_dir: PathBuf,
    /// The address people open, used in links and e-mails.
    pub public_url: String,
    /// `smtp://host:port` (optionally with user:password@); `None` writes mail to files.
    pub smtp_url: Option<String>,
    /// The From address of outgoing mail.
    pub mail_from: String,
    /// Sign-in and API rate limits.
    pub rate_limits: RateLimits,
}

/// The shared state of the use cases: the database and settings.
#[derive(Debug, Clone)]
pub struct Core {
    /// Database.
    pub db: Db,
    /// Settings.
    pub config: Config,
    /// This process's constituency index, shared by every clone (each replica has its own).
    pub constituency: std::sync::Arc<constituency::Cache>,
}

impl Core {
    /// Builds the core.
    pub fn new(db: Db, config: Config) -> Self {
        Self {
            db,
            config,
            constituency: Default::default(),
        }
    }
}
