//! Starting the application for a test.

use std::net::SocketAddr;
use std::path::PathBuf;
use tokio::sync::oneshot;
use ungcuu_core::{Actor, Config, Core, RateLimits};
use ungcuu_store::Db;
use uuid::Uuid;

/// The database engine a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A fresh SQLite file in a temporary directory.
    Sqlite,
    /// A fresh PostgreSQL database created from a migrated template.
    Postgres,
}

/// The backend chosen by `UNGCUU_TEST_BACKEND` (`sqlite`, the default, or `postgres`).
pub fn backend_from_env() -> Backend {
    match std::env::var("UNGCUU_TEST_BACKEND").as_deref() {
        Ok("postgres") => Backend::Postgres,
        _ => Backend::Sqlite,
    }
}

fn postgres_base_url() -> String {
    std::env::var("UNGCUU_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn with_db(base: &str, db: &str) -> String {
    let (head, _) = base.rsplit_once('/').unwrap_or((base, ""));
    format!("{head}/{db}")
}

/// The migrated template every PostgreSQL test database is copied from. Its name carries a
/// hash of the migrations, so a changed migration gets a new template.
async fn postgres_template() -> String {
    use fnv::digest;
    let sql: String = ungcuu_store::MIGRATIONS_POSTGRES
        .iter()
        .map(|m| m.sql)
        .collect();
    let name = format!("ungcuu_tpl_{}", &digest(&sql)[..16]);
    let base = postgres_base_url();
    let admin = Db::connect(&base)
        .await
        .expect("PostgreSQL for tests is reachable");
    let mut c = admin.conn().await.expect("connection");
    // Serialises template creation across test threads and test binaries.
    sqlx::query("SELECT pg_advisory_lock(5526114)")
        .execute(&mut *c)
        .await
        .expect("advisory lock");
    let exists = sqlx::query("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(name.clone())
        .fetch_optional(&mut *c)
        .await
        .expect("pg_database")
        .is_some();
    if !exists {
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .execute(&mut *c)
            .await
            .expect("create template");
        let tpl = Db::connect(&with_db(&base, &name)).await.expect("template");
        tpl.migrate().await.expect("migrate template");
        tpl.close().await;
    }
    sqlx::query("SELECT pg_advisory_unlock(5526114)")
        .execute(&mut *c)
        .await
        .expect("unlock");
    drop(c);
    admin.close().await;
    name
}

mod fnv {
    /// A short stable digest (FNV-1a, 64 bit, hex) — enough to name a template.
    pub fn digest(s: &str) -> String {
        let mut h: u64 = 0xcbf29ce484222325;
        for b in s.bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
        format!("{h:016x}{:016x}", s.len())
    }
}

/// A running application with its own database and data directory.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    /// The listening address.
    pub addr: SocketAddr,
    /// The use cases, for arranging data directly.
    pub core: Core,
    /// The backend.
    pub backend: Backend,
    /// The data directory (mail outbox, files).
    pub data_dir: PathBuf,
    /// The database URL (for running the binary against the same database).
    pub database_url: String,
    /// A client that follows no redirects and keeps no cookies.
    pub client: reqwest::Client,
    pg_db: Option<String>,
    stop: Option<oneshot::Sender<()>>,
    _tmp: tempfile::TempDir,
}

/// Starts the application on the backend chosen by the environment.
pub async fn spawn_app() -> TestApp {
    spawn_app_on(backend_from_env()).await
}

/// Starts the application on `backend`, on port 0, with a fresh database.
pub async fn spawn_app_on(backend: Backend) -> TestApp {
    spawn_with(backend, None, TEST_LIMITS).await
}

impl TestApp {
    /// Like [`spawn_app`] with mail sent to `smtp_url`.
    pub async fn with_smtp(smtp_url: &str) -> TestApp {
        spawn_with(backend_from_env(), Some(smtp_url.to_string()), TEST_LIMITS).await
    }

    /// Like [`spawn_app`] with the given rate limits, for the tests of the limits themselves.
    pub async fn with_limits(limits: RateLimits) -> TestApp {
        spawn_with(backend_from_env(), None, limits).await
    }
}

/// Rate limits of an ordinary test app: far above what any test does, because tests sign in
/// many times from 127.0.0.1 within a minute. Tests of the limits use [`TestApp::with_limits`].
pub const TEST_LIMITS: RateLimits = RateLimits {
    login: 1_000,
    api: 100_000,
    window: std::time::Duration::from_secs(60),
};

async fn spawn_with(backend: Backend, smtp_url: Option<String>, limits: RateLimits) -> TestApp {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (url, pg_db) = match backend {
        Backend::Sqlite => (
            format!(
                "sqlite://{}?mode=rwc",
                tmp.path().join("ungcuu.sqlite3").display()
            ),
            None,
        ),
        Backend::Postgres => {
            let tpl = postgres_template().await;
            let name = format!("ungcuu_t_{}", Uuid::new_v4().simple());
            let base = postgres_base_url();
            let admin = Db::connect(&base).await.expect("postgres");
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "CREATE DATABASE \"{name}\" TEMPLATE \"{tpl}\""
            )))
            .execute(admin.pool())
            .await
            .expect("create test database");
            admin.close().await;
            (with_db(&base, &name), Some(name))
        }
    };
    let db = Db::connect(&url).await.expect("connect test database");
    db.migrate().await.expect("migrate");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let public = format!("http://{addr}");
    let core = Core::new(
        db,
        Config {
            data_dir: tmp.path().to_path_buf(),
            public_url: public.clone(),
            smtp_url,
            mail_from: "ungcuu <ungcuu@test.invalid>".into(),
            rate_limits: limits,
        },
    );
    let web = ungcuu_web::WebConfig::from_public_url(&public);
    let (stop, stopped) = oneshot::channel::<()>();
    let c2 = core.clone();
    tokio::spawn(async move {
        let _ = ungcuu_web::serve(listener, c2, web, async {
            let _ = stopped.await;
        })
        .await;
    });
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    TestApp {
        url: public,
        addr,
        core,
        backend,
        data_dir: tmp.path().to_path_buf(),
        database_url: url,
        client,
        pg_db,
        stop: Some(stop),
        _tmp: tmp,
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(name) = self.pg_db.take() {
            // Dropped from a separate thread with its own runtime: Drop cannot await, and the
            // test's runtime may be shutting down.
            let base = postgres_base_url();
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                if let Ok(rt) = rt {
                    rt.block_on(async move {
                        if let Ok(admin) = Db::connect(&base).await {
                            let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                                "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                            )))
                            .execute(admin.pool())
                            .await;
                            admin.close().await;
                        }
                    });
                }
            })
            .join();
        }
    }
}

/// Two organisations side by side under one province, each with an officer, plus an
/// administrator and a coordinator: the arrangement most isolation tests need.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// The province.
    pub province: Uuid,
    /// The coordinator organisation.
    pub coordinator_org: Uuid,
    /// Organisation A.
    pub org_a: Uuid,
    /// A unit under A.
    pub unit_a: Uuid,
    /// Organisation B.
    pub org_b: Uuid,
    /// A unit under B.
    pub unit_b: Uuid,
    /// Administrator (e-mail, password, token).
    pub admin: (String, String, String),
    /// Coordinator.
    pub coordinator: (String, String, String),
    /// Officer of A.
    pub officer_a: (String, String, String),
    /// Officer of B.
    pub officer_b: (String, String, String),
    /// Ids of the people, same order.
    pub user_ids: [Uuid; 4],
}

/// The password every fixture account has.
pub const PASSWORD: &str = "correct horse battery staple";

impl TestApp {
    /// Creates an organisation directly (as the command line would).
    pub async fn org(&self, slug: &str, kind: &str, parent: Option<Uuid>) -> Uuid {
        ungcuu_core::orgs::create(
            &self.core,
            &Actor::cli(),
            ungcuu_core::orgs::NewOrg {
                slug: slug.into(),
                name: format!("Tổ chức {slug}"),
                short_name: None,
                kind: kind.into(),
                parent_id: parent,
            },
        )
        .await
        .expect("create org")
        .id
    }

    /// Creates a person with a role and an API token; returns (id, e-mail, token).
    pub async fn user(&self, email: &str, org: Uuid, role: &str) -> (Uuid, String, String) {
        let u = ungcuu_core::users::create(
            &self.core,
            &Actor::cli(),
            ungcuu_core::users::NewUser {
                email: email.into(),
                name: format!("Người dùng {email}"),
                password: Some(PASSWORD.into()),
                org_id: Some(org),
                role: role.into(),
                locale: None,
            },
        )
        .await
        .expect("create user");
        let (_, token) = ungcuu_core::tokens::create_for(&self.core, &Actor::cli(), u.id, "test")
            .await
            .expect("token");
        (u.id, u.email, token)
    }

    /// The standard two-organisation arrangement.
    pub async fn fixture(&self) -> Fixture {
        let province = self.org("tinh", "province", None).await;
        let coordinator_org = self.org("dieu-phoi", "coordinator", Some(province)).await;
        let org_a = self.org("so-a", "department", Some(province)).await;
        let unit_a = self.org("don-vi-a", "unit", Some(org_a)).await;
        let org_b = self.org("so-b", "department", Some(province)).await;
        let unit_b = self.org("don-vi-b", "unit", Some(org_b)).await;
        let (ia, admin_e, admin_t) = self.user("admin@test.vn", coordinator_org, "admin").await;
        let (ic, coord_e, coord_t) = self
            .user("coord@test.vn", coordinator_org, "coordinator")
            .await;
        let (oa, a_e, a_t) = self.user("officer-a@test.vn", org_a, "officer").await;
        let (ob, b_e, b_t) = self.user("officer-b@test.vn", org_b, "officer").await;
        Fixture {
            province,
            coordinator_org,
            org_a,
            unit_a,
            org_b,
            unit_b,
            admin: (admin_e, PASSWORD.into(), admin_t),
            coordinator: (coord_e, PASSWORD.into(), coord_t),
            officer_a: (a_e, PASSWORD.into(), a_t),
            officer_b: (b_e, PASSWORD.into(), b_t),
            user_ids: [ia, ic, oa, ob],
        }
    }

    /// A request builder with a bearer token.
    pub fn api(&self, method: reqwest::Method, path: &str, token: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, format!("{}{}", self.url, path))
            .bearer_auth(token)
    }

    /// GET with a token; returns status and JSON (Null when the body is not JSON).
    pub async fn get_json(&self, path: &str, token: &str) -> (u16, serde_json::Value) {
        let r = self
            .api(reqwest::Method::GET, path, token)
            .send()
            .await
            .expect("request");
        let s = r.status().as_u16();
        (s, r.json().await.unwrap_or(serde_json::Value::Null))
    }

    /// A JSON request with a token; returns status and JSON.
    pub async fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: &serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let r = self
            .api(method, path, token)
            .json(body)
            .send()
            .await
            .expect("request");
        let s = r.status().as_u16();
        (s, r.json().await.unwrap_or(serde_json::Value::Null))
    }

    /// Number of audit events stored.
    pub async fn audit_count(&self) -> i64 {
        ungcuu_core::audit::head(&self.core).await.expect("head").0
    }
}
