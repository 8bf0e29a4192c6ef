//! `ungcuu`: one binary for the whole system. With no configuration it keeps everything in
//! `./data` on an embedded SQLite database; a PostgreSQL URL makes it one of several replicas.

use clap::{Args, Parser, Subcommand};
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
use ungcuu_core::{Actor, Config, Core, CoreError, RateLimits};
use ungcuu_store::Db;
use ungcuu_store::audit::Verdict;

mod backup_cmd;
mod bench_cmd;

#[derive(Parser, Debug)]
#[command(
    name = "ungcuu",
    version,
    about = "Cyber-security incident response for a Vietnamese province (ứng cứu sự cố an toàn thông tin mạng)"
)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Debug)]
struct Global {
    /// Where the SQLite database, the mail outbox and stored files live.
    #[arg(long, global = true, env = "UNGCUU_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,
    /// `postgres://user@host/db` for PostgreSQL; default: SQLite at DATA_DIR/ungcuu.sqlite3.
    #[arg(long, global = true, env = "UNGCUU_DATABASE_URL")]
    database_url: Option<String>,
    /// The address people open (links, Origin check, cookie security); default: http://LISTEN.
    #[arg(long, global = true, env = "UNGCUU_PUBLIC_URL")]
    public_url: Option<String>,
    /// `smtp://[user:password@]host[:port]`; without it mail is written to DATA_DIR/outbox.
    #[arg(long, global = true, env = "UNGCUU_SMTP_URL", hide_env_values = true)]
    smtp_url: Option<String>,
    /// The From address of outgoing mail.
    #[arg(
        long,
        global = true,
        env = "UNGCUU_MAIL_FROM",
        default_value = "ungcuu <ungcuu@localhost>"
    )]
    mail_from: String,
    /// Sign-in attempts allowed per client address per minute (0: no limit).
    #[arg(
        long,
        global = true,
        env = "UNGCUU_LOGIN_LIMIT",
        default_value_t = RateLimits::DEFAULT.login
    )]
    login_limit: u32,
    /// API requests allowed per token per minute (0: no limit).
    #[arg(
        long,
        global = true,
        env = "UNGCUU_API_LIMIT",
        default_value_t = RateLimits::DEFAULT.api
    )]
    api_limit: u32,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Runs the web server and the job worker.
    Serve {
        /// Address and port to listen on.
        #[arg(long, env = "UNGCUU_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        /// Loads the demo province (idempotent) and prints the demo password once.
        #[arg(long)]
        demo: bool,
    },
    /// Applies database migrations and exits.
    Migrate,
    /// Administration.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// The audit chain.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Background jobs.
    #[command(subcommand)]
    Jobs(JobsCommand),
    /// Writes a backup: one checked archive on SQLite (safe while serving), pg_dump on PostgreSQL.
    Backup {
        /// The file to write; an existing one is replaced only once the new backup is complete.
        #[arg(long)]
        out: PathBuf,
    },
    /// Restores a backup archive into an empty data directory (PostgreSQL: explains pg_restore).
    Restore {
        /// The archive written by `ungcuu backup`.
        #[arg(long)]
        from: PathBuf,
    },
    /// Measures a capability on this machine (no database needed) and prints the figures.
    #[command(subcommand)]
    Bench(BenchCommand),
    /// The installation's signing key (reports sent to the national coordinator).
    #[command(subcommand)]
    Keys(KeysCommand),
}

#[derive(Subcommand, Debug)]
enum KeysCommand {
    /// Prints the Ed25519 public key, hex (64 digits), that verifies the `.json.sig` signatures
    /// of the report bundles; the key is created on first use.
    Show,
    /// Checks a report bundle as the national coordinator receives it: the `.json` file, its
    /// detached `.json.sig` signature, and the sender's public key (hex; default: this
    /// installation's). Prints "valid" and exits 0, or says why not and exits 1.
    Verify {
        /// The `.json` file (exactly the signed bytes).
        bundle: PathBuf,
        /// The `.json.sig` file (hex).
        signature: PathBuf,
        /// The sender's public key, hex (64 digits), as its `ungcuu keys show` printed it.
        #[arg(long)]
        key: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
enum BenchCommand {
    /// Constituency lookups per second on one thread, with a HashMap baseline from the same run.
    Constituency {
        /// IP ranges in the generated constituency.
        #[arg(long, default_value_t = 10_000)]
        ranges: usize,
        /// Domains in the generated constituency.
        #[arg(long, default_value_t = 10_000)]
        domains: usize,
        /// Lookups per run.
        #[arg(long, default_value_t = 1_000_000)]
        lookups: usize,
        /// Runs; the median is reported.
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Seed: the same seed gives the same constituency and queries.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Subcommand, Debug)]
enum AdminCommand {
    /// Creates an organisation.
    CreateOrg {
        /// Code used in URLs (lower-case letters, digits, dashes).
        #[arg(long)]
        slug: String,
        /// Full name.
        #[arg(long)]
        name: String,
        /// province, coordinator, csirt, steering, leadership, finance, department, district, commune, unit, contractor, national.
        #[arg(long)]
        kind: String,
        /// Slug of the parent organisation.
        #[arg(long)]
        parent: Option<String>,
        /// Abbreviation.
        #[arg(long)]
        short_name: Option<String>,
    },
    /// Creates a person with a role in an organisation; the password is read from standard input.
    CreateUser {
        /// E-mail (the sign-in name).
        #[arg(long)]
        email: String,
        /// Full name.
        #[arg(long)]
        name: String,
        /// Slug of the organisation.
        #[arg(long)]
        org: String,
        /// admin, coordinator, officer, approver, responder, steering, finance, viewer.
        #[arg(long)]
        role: String,
        /// Read the password from standard input (required).
        #[arg(long)]
        password_stdin: bool,
    },
    /// Creates an API token for a person and prints it alone on standard output.
    CreateToken {
        /// The person's e-mail.
        #[arg(long)]
        email: String,
        /// What the token is for.
        #[arg(long)]
        label: String,
    },
    /// Loads the demo province (idempotent).
    LoadDemo,
}

#[derive(Subcommand, Debug)]
enum AuditCommand {
    /// Checks the whole chain; exit 0 when intact, otherwise prints the first bad entry.
    Verify {
        /// Also prove the chain still extends this checkpoint (from `audit checkpoint`).
        #[arg(long)]
        from_checkpoint: Option<PathBuf>,
    },
    /// Prints the chain head as a JSON checkpoint to keep elsewhere (or sign).
    Checkpoint,
}

#[derive(Subcommand, Debug)]
enum JobsCommand {
    /// Runs every due job now and exits.
    Drain,
}

fn database_url(g: &Global) -> String {
    match &g.database_url {
        Some(u) => u.clone(),
        None => format!(
            "sqlite://{}?mode=rwc",
            g.data_dir.join("ungcuu.sqlite3").display()
        ),
    }
}

async fn open(g: &Global, public_url: String) -> Result<Core, String> {
    std::fs::create_dir_all(&g.data_dir)
        .map_err(|e| format!("cannot create data directory {}: {e}", g.data_dir.display()))?;
    let url = database_url(g);
    let db = Db::connect(&url)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))?;
    let applied = db
        .migrate()
        .await
        .map_err(|e| format!("migration failed: {e}"))?;
    if applied > 0 {
        tracing::info!(applied, backend = db.backend().name(), "migrations applied");
    }
    Ok(Core::new(
        db,
        Config {
            data_dir: g.data_dir.clone(),
            public_url,
            smtp_url: g.smtp_url.clone(),
            mail_from: g.mail_from.clone(),
            rate_limits: RateLimits {
                login: g.login_limit,
                api: g.api_limit,
                ..RateLimits::DEFAULT
            },
        },
    ))
}

fn explain(e: CoreError) -> String {
    match e {
        CoreError::Invalid(errs) => errs
            .iter()
            .map(|f| format!("{}: {}", f.field, f.code))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let g = &cli.global;
    match cli.command {
        Command::Serve { listen, demo } => serve(g, &listen, demo).await,
        Command::Migrate => {
            open(g, String::new()).await?;
            eprintln!("migrations are up to date");
            Ok(())
        }
        Command::Admin(cmd) => admin(g, cmd).await,
        Command::Audit(AuditCommand::Verify { from_checkpoint }) => {
            let core = open(g, String::new()).await?;
            let verdict = match from_checkpoint {
                Some(path) => {
                    let text = std::fs::read_to_string(&path)
                        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                    let cp: ungcuu_core::audit::Checkpoint = serde_json::from_str(&text)
                        .map_err(|e| format!("{} is not a checkpoint: {e}", path.display()))?;
                    if cp.format != ungcuu_core::audit::CHECKPOINT_FORMAT {
                        return Err(format!(
                            "{} has unknown format {}",
                            path.display(),
                            cp.format
                        ));
                    }
                    ungcuu_core::audit::verify_against(&core, &cp)
                        .await
                        .map_err(explain)?
                }
                None => ungcuu_core::audit::verify(&core).await.map_err(explain)?,
            };
            match verdict {
                Verdict::Intact { count, head } => {
                    println!("audit chain intact: {count} events, head {head}");
                    Ok(())
                }
                Verdict::Broken { seq, reason } => {
                    Err(format!("audit chain broken at event {seq}: {reason}"))
                }
            }
        }
        Command::Audit(AuditCommand::Checkpoint) => {
            let core = open(g, g.public_url.clone().unwrap_or_default()).await?;
            let cp = ungcuu_core::audit::checkpoint(&core, &Actor::cli())
                .await
                .map_err(explain)?;
            println!(
                "{}",
                serde_json::to_string_pretty(&cp).map_err(|e| e.to_string())?
            );
            Ok(())
        }
        Command::Backup { out } => backup_cmd::backup(g, &out).await,
        Command::Restore { from } => backup_cmd::restore(g, &from).await,
        Command::Bench(BenchCommand::Constituency {
            ranges,
            domains,
            lookups,
            runs,
            seed,
        }) => bench_cmd::constituency_bench(&bench_cmd::Options {
            ranges,
            domains,
            lookups,
            runs,
            seed,
        }),
        Command::Keys(KeysCommand::Show) => {
            let core = open(g, String::new()).await?;
            let key = ungcuu_core::sending::public_key(&core)
                .await
                .map_err(explain)?;
            println!("{key}");
            Ok(())
        }
        Command::Keys(KeysCommand::Verify {
            bundle,
            signature,
            key,
        }) => {
            let key = match key {
                Some(k) => k,
                None => {
                    let core = open(g, String::new()).await?;
                    ungcuu_core::sending::public_key(&core)
                        .await
                        .map_err(explain)?
                }
            };
            let bytes =
                std::fs::read(&bundle).map_err(|e| format!("reading {}: {e}", bundle.display()))?;
            let sig = std::fs::read_to_string(&signature)
                .map_err(|e| format!("reading {}: {e}", signature.display()))?;
            match ungcuu_core::sending::verify_bundle(&key, &bytes, &sig) {
                Ok(()) => {
                    println!("valid");
                    Ok(())
                }
                Err(e) => Err(format!("INVALID: {e}")),
            }
        }
        Command::Jobs(JobsCommand::Drain) => {
            let core = open(g, String::new()).await?;
            let n = ungcuu_core::jobs::drain(&core, "cli")
                .await
                .map_err(explain)?;
            eprintln!("{n} jobs run");
            Ok(())
        }
    }
}

async fn admin(g: &Global, cmd: AdminCommand) -> Result<(), String> {
    let core = open(g, g.public_url.clone().unwrap_or_default()).await?;
    let actor = Actor::cli();
    match cmd {
        AdminCommand::CreateOrg {
            slug,
            name,
            kind,
            parent,
            short_name,
        } => {
            let parent_id = match parent {
                Some(p) => Some(
                    ungcuu_core::orgs::by_slug(&core, &actor, &p)
                        .await
                        .map_err(|_| format!("no organisation with slug {p}"))?
                        .id,
                ),
                None => None,
            };
            let org = ungcuu_core::orgs::create(
                &core,
                &actor,
                ungcuu_core::orgs::NewOrg {
                    slug,
                    name,
                    short_name,
                    kind,
                    parent_id,
                },
            )
            .await
            .map_err(explain)?;
            println!("{}", org.id);
            Ok(())
        }
        AdminCommand::CreateUser {
            email,
            name,
            org,
            role,
            password_stdin,
        } => {
            if !password_stdin {
                return Err("pass --password-stdin and the password on standard input".into());
            }
            let mut password = String::new();
            std::io::stdin()
                .read_to_string(&mut password)
                .map_err(|e| format!("cannot read the password: {e}"))?;
            let password = password.trim_end_matches(['\r', '\n']).to_string();
            let org_id = ungcuu_core::orgs::by_slug(&core, &actor, &org)
                .await
                .map_err(|_| format!("no organisation with slug {org}"))?
                .id;
            let user = ungcuu_core::users::create(
                &core,
                &actor,
                ungcuu_core::users::NewUser {
                    email,
                    name,
                    password: Some(password),
                    org_id: Some(org_id),
                    role,
                    locale: None,
                },
            )
            .await
            .map_err(explain)?;
            println!("{}", user.id);
            Ok(())
        }
        AdminCommand::CreateToken { email, label } => {
            let user = {
                let mut c = core.db.conn().await.map_err(|e| e.to_string())?;
                ungcuu_store::users::by_email(&mut c, &email)
                    .await
                    .map_err(|e| e.to_string())?
                    .ok_or_else(|| format!("no user with e-mail {email}"))?
            };
            let (_, secret) = ungcuu_core::tokens::create_for(&core, &actor, user.id, &label)
                .await
                .map_err(explain)?;
            println!("{secret}");
            Ok(())
        }
        AdminCommand::LoadDemo => {
            print_demo(ungcuu_core::demo::load(&core).await.map_err(explain)?);
            Ok(())
        }
    }
}

fn print_demo(d: ungcuu_core::demo::DemoLoad) {
    match d.password {
        Some(p) => {
            eprintln!(
                "demo province loaded: {} organisations, {} people",
                d.orgs_created,
                d.users_created.len()
            );
            for e in &d.users_created {
                eprintln!("  {e}");
            }
            eprintln!("demo password for these accounts (shown once): {p}");
        }
        None if d.orgs_created > 0 => {
            eprintln!("demo organisations completed ({} added)", d.orgs_created)
        }
        None => eprintln!("demo province already loaded: nothing changed"),
    }
}

async fn serve(g: &Global, listen: &str, demo: bool) -> Result<(), String> {
    let started = std::time::Instant::now();
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let public_url = g
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{addr}"));
    let web = ungcuu_web::WebConfig::from_public_url(&public_url);
    if !web.secure_cookies {
        tracing::warn!(%public_url, "serving plain http on a non-loopback address: cookies are not Secure; put TLS in front and set --public-url https://...");
    }
    let core = open(g, web.public_url.clone()).await?;
    if demo {
        print_demo(ungcuu_core::demo::load(&core).await.map_err(explain)?);
    }
    if let Some(token) = ungcuu_core::setup::prepare(&core).await.map_err(explain)? {
        eprintln!(
            "no accounts yet: open this one-time link to set up ungcuu:\n  {}/setup/{token}",
            web.public_url
        );
    }
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(ungcuu_core::jobs::worker(core.clone(), stop_rx));
    tracing::info!(url = %web.public_url, backend = core.db.backend().name(), startup_ms = started.elapsed().as_millis() as u64, "ungcuu is ready");
    eprintln!("ungcuu is ready at {}", web.public_url);
    let shutdown = async move {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    .expect("signal handler");
            tokio::select! {
                _ = ctrl_c => {}
                _ = term.recv() => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = ctrl_c.await;
        }
        let _ = stop_tx.send(true);
    };
    ungcuu_web::serve(listener, core.clone(), web, shutdown)
        .await
        .map_err(|e| e.to_string())?;
    let _ = worker.await;
    core.db.close().await;
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("UNGCUU_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::FAILURE
        }
    }
}
