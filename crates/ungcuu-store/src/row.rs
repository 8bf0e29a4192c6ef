//! Reading typed values out of rows. Ids and times are text on both backends.

use crate::StoreError;
use sqlx::Row;
use sqlx::any::AnyRow;
use time::OffsetDateTime;
use uuid::Uuid;

pub(crate) trait RowExt {
    fn text(&self, col: &'static str) -> Result<String, StoreError>;
    fn opt_text(&self, col: &'static str) -> Result<Option<String>, StoreError>;
    fn int(&self, col: &'static str) -> Result<i64, StoreError>;
    fn opt_int(&self, col: &'static str) -> Result<Option<i64>, StoreError>;
    fn uuid(&self, col: &'static str) -> Result<Uuid, StoreError>;
    fn opt_uuid(&self, col: &'static str) -> Result<Option<Uuid>, StoreError>;
    fn time(&self, col: &'static str) -> Result<OffsetDateTime, StoreError>;
    fn opt_time(&self, col: &'static str) -> Result<Option<OffsetDateTime>, StoreError>;
    fn parsed<T: std::str::FromStr>(&self, col: &'static str) -> Result<T, StoreError>;
}

impl RowExt for AnyRow {
    fn text(&self, col: &'static str) -> Result<String, StoreError> {
        Ok(self.try_get::<String, _>(col)?)
    }
    fn opt_text(&self, col: &'static str) -> Result<Option<String>, StoreError> {
        Ok(self.try_get::<Option<String>, _>(col)?)
    }
    fn int(&self, col: &'static str) -> Result<i64, StoreError> {
        Ok(self.try_get::<i64, _>(col)?)
    }
    fn opt_int(&self, col: &'static str) -> Result<Option<i64>, StoreError> {
        Ok(self.try_get::<Option<i64>, _>(col)?)
    }
    fn uuid(&self, col: &'static str) -> Result<Uuid, StoreError> {
        Uuid::parse_str(&self.text(col)?).map_err(|_| StoreError::Corrupt(col))
    }
    fn opt_uuid(&self, col: &'static str) -> Result<Option<Uuid>, StoreError> {
        self.opt_text(col)?
            .map(|s| Uuid::parse_str(&s).map_err(|_| StoreError::Corrupt(col)))
            .transpose()
    }
    fn time(&self, col: &'static str) -> Result<OffsetDateTime, StoreError> {
        ungcuu_domain::timefmt::from_db(&self.text(col)?).ok_or(StoreError::Corrupt(col))
    }
    fn opt_time(&self, col: &'static str) -> Result<Option<OffsetDateTime>, StoreError> {
        self.opt_text(col)?
            .map(|s| ungcuu_domain::timefmt::from_db(&s).ok_or(StoreError::Corrupt(col)))
            .transpose()
    }
    fn parsed<T: std::str::FromStr>(&self, col: &'static str) -> Result<T, StoreError> {
        self.text(col)?
            .parse()
            .map_err(|_| StoreError::Corrupt(col))
    }
}

/// Formats a time for a bind parameter.
pub(crate) fn ts(t: OffsetDateTime) -> String {
    ungcuu_domain::timefmt::to_db(t)
}
