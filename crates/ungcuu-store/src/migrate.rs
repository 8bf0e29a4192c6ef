//! Migrations, one folder per backend with the same numbering. Applied in order, each in its
//! own transaction, with a checksum so an edited migration is refused instead of half-applied.

use crate::db::{Backend, Db};
use crate::{Result, StoreError};
use sha2::{Digest, Sha256};
use sqlx::Row;

/// One migration file.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// Its number.
    pub version: i64,
    /// Its name.
    pub name: &'static str,
    /// Its SQL.
    pub sql: &'static str,
}

/// SQLite migrations.
pub const MIGRATIONS_SQLITE: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        sql: include_str!("../migrations/sqlite/0001_foundation.sql"),
    },
    Migration {
        version: 2,
        name: "accounts",
        sql: include_str!("../migrations/sqlite/0002_accounts.sql"),
    },
    Migration {
        version: 3,
        name: "rate_limits",
        sql: include_str!("../migrations/sqlite/0003_rate_limits.sql"),
    },
    Migration {
        version: 4,
        name: "network",
        sql: include_str!("../migrations/sqlite/0004_network.sql"),
    },
    Migration {
        version: 5,
        name: "systems",
        sql: include_str!("../migrations/sqlite/0005_systems.sql"),
    },
    Migration {
        version: 6,
        name: "constituency",
        sql: include_str!("../migrations/sqlite/0006_constituency.sql"),
    },
    Migration {
        version: 7,
        name: "incidents",
        sql: include_str!("../migrations/sqlite/0007_incidents.sql"),
    },
    Migration {
        version: 8,
        name: "evidence",
        sql: include_str!("../migrations/sqlite/0008_evidence.sql"),
    },
    Migration {
        version: 9,
        name: "clocks",
        sql: include_str!("../migrations/sqlite/0009_clocks.sql"),
    },
    Migration {
        version: 10,
        name: "documents",
        sql: include_str!("../migrations/sqlite/0010_documents.sql"),
    },
    Migration {
        version: 11,
        name: "tasks",
        sql: include_str!("../migrations/sqlite/0011_tasks.sql"),
    },
    Migration {
        version: 12,
        name: "email_intake",
        sql: include_str!("../migrations/sqlite/0012_email_intake.sql"),
    },
    Migration {
        version: 13,
        name: "coordination",
        sql: include_str!("../migrations/sqlite/0013_coordination.sql"),
    },
    Migration {
        version: 14,
        name: "notices",
        sql: include_str!("../migrations/sqlite/0014_notices.sql"),
    },
    Migration {
        version: 15,
        name: "outcomes",
        sql: include_str!("../migrations/sqlite/0015_outcomes.sql"),
    },
    Migration {
        version: 16,
        name: "network_members",
        sql: include_str!("../migrations/sqlite/0016_network_members.sql"),
    },
];

/// PostgreSQL migrations.
pub const MIGRATIONS_POSTGRES: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        sql: include_str!("../migrations/postgres/0001_foundation.sql"),
    },
    Migration {
        version: 2,
        name: "accounts",
        sql: include_str!("../migrations/postgres/0002_accounts.sql"),
    },
    Migration {
        version: 3,
        name: "rate_limits",
        sql: include_str!("../migrations/postgres/0003_rate_limits.sql"),
    },
    Migration {
        version: 4,
        name: "network",
        sql: include_str!("../migrations/postgres/0004_network.sql"),
    },
    Migration {
        version: 5,
        name: "systems",
        sql: include_str!("../migrations/postgres/0005_systems.sql"),
    },
    Migration {
        version: 6,
        name: "constituency",
        sql: include_str!("../migrations/postgres/0006_constituency.sql"),
    },
    Migration {
        version: 7,
        name: "incidents",
        sql: include_str!("../migrations/postgres/0007_incidents.sql"),
    },
    Migration {
        version: 8,
        name: "evidence",
        sql: include_str!("../migrations/postgres/0008_evidence.sql"),
    },
    Migration {
        version: 9,
        name: "clocks",
        sql: include_str!("../migrations/postgres/0009_clocks.sql"),
    },
    Migration {
        version: 10,
        name: "documents",
        sql: include_str!("../migrations/postgres/0010_documents.sql"),
    },
    Migration {
        version: 11,
        name: "tasks",
        sql: include_str!("../migrations/postgres/0011_tasks.sql"),
    },
    Migration {
        version: 12,
        name: "email_intake",
        sql: include_str!("../migrations/postgres/0012_email_intake.sql"),
    },
    Migration {
        version: 13,
        name: "coordination",
        sql: include_str!("../migrations/postgres/0013_coordination.sql"),
    },
    Migration {
        version: 14,
        name: "notices",
        sql: include_str!("../migrations/postgres/0014_notices.sql"),
    },
    Migration {
        version: 15,
        name: "outcomes",
        sql: include_str!("../migrations/postgres/0015_outcomes.sql"),
    },
    Migration {
        version: 16,
        name: "network_members",
        sql: include_str!("../migrations/postgres/0016_network_members.sql"),
    },
];

fn checksum(sql: &str) -> String {
    hex::encode(Sha256::digest(sql.as_bytes()))
}

impl Db {
    /// Applies the migrations not yet applied. Safe to run from several replicas at once on
    /// PostgreSQL (an advisory lock serialises them).
    pub async fn migrate(&self) -> Result<usize> {
        let list = match self.backend() {
            Backend::Sqlite => MIGRATIONS_SQLITE,
            Backend::Postgres => MIGRATIONS_POSTGRES,
        };
        let mut conn = self.conn().await?;
        if self.backend() == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_lock(72210417)")
                .execute(&mut *conn)
                .await?;
        }
        let result = self.apply(list).await;
        if self.backend() == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_unlock(72210417)")
                .execute(&mut *conn)
                .await?;
        }
        result
    }

    async fn apply(&self, list: &[Migration]) -> Result<usize> {
        sqlx::raw_sql(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version    BIGINT NOT NULL PRIMARY KEY,
                name       TEXT NOT NULL,
                checksum   TEXT NOT NULL,
                applied_at TEXT NOT NULL)",
        )
        .execute(self.pool())
        .await?;
        let rows = sqlx::query("SELECT version, checksum FROM schema_migrations")
            .fetch_all(self.pool())
            .await?;
        let applied: Vec<(i64, String)> = rows
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect::<Result<_, sqlx::Error>>()?;
        let mut count = 0;
        for m in list {
            let sum = checksum(m.sql);
            if let Some((_, stored)) = applied.iter().find(|(v, _)| *v == m.version) {
                if *stored != sum {
                    return Err(StoreError::MigrationChanged(m.version));
                }
                continue;
            }
            let mut tx = self.begin().await?;
            sqlx::raw_sql(sqlx::AssertSqlSafe(m.sql))
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO schema_migrations (version, name, checksum, applied_at)
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(m.version)
            .bind(m.name)
            .bind(sum)
            .bind(ungcuu_domain::timefmt::to_db(ungcuu_domain::timefmt::now()))
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            count += 1;
        }
        Ok(count)
    }

    /// Every (table, column) of the schema, for the parity test between backends.
    pub async fn schema_columns(&self) -> Result<Vec<(String, String)>> {
        let sql = match self.backend() {
            Backend::Sqlite => {
                "SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY 1, 2"
            }
            Backend::Postgres => {
                "SELECT table_name::text AS t, column_name::text AS c FROM information_schema.columns
                 WHERE table_schema = current_schema() ORDER BY 1, 2"
            }
        };
        let rows = sqlx::query(sql).fetch_all(self.pool()).await?;
        rows.iter()
            .map(|r| Ok((r.try_get::<String, _>("t")?, r.try_get::<String, _>("c")?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_have_the_same_migration_numbers_and_names() {
        let a: Vec<_> = MIGRATIONS_SQLITE
            .iter()
            .map(|m| (m.version, m.name))
            .collect();
        let b: Vec<_> = MIGRATIONS_POSTGRES
            .iter()
            .map(|m| (m.version, m.name))
            .collect();
        assert_eq!(a, b);
    }
}
