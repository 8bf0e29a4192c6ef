use thiserror::Error;
use time::OffsetDateTime;
use ungcuu_domain::validate::FieldError;
use ungcuu_store::StoreError;

/// How a use case can fail. The web layer maps each to a status and a localised message.
#[derive(Debug, Error)]
pub enum CoreError {
    /// Not signed in, or the credentials are wrong.
    #[error("not authenticated")]
    Unauthenticated,
    /// Too many failed sign-ins; try again after this time.
    #[error("account locked until {0}")]
    Locked(OffsetDateTime),
    /// The object exists but the person may not do this to it.
    #[error("forbidden")]
    Forbidden,
    /// Like [`CoreError::Forbidden`], with the translation key of a message saying why (who
    /// may do it instead).
    #[error("forbidden: {0}")]
    ForbiddenWith(&'static str),
    /// No such object, or one the person may not see (the two look the same on purpose).
    #[error("not found")]
    NotFound,
    /// Input failed validation.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// A setup link that was used or never existed.
    #[error("gone")]
    Gone,
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Something else failed (hashing, file system, mail).
    #[error("internal: {0}")]
    Internal(String),
}

impl CoreError {
    /// One invalid field.
    pub fn field(field: &str, code: &'static str) -> Self {
        CoreError::Invalid(vec![FieldError::new(field, code)])
    }
}
