//! The worker inside `serve`: claims due jobs with a lease and runs them. With several
//! replicas each claims different jobs; a job whose worker died is taken again when its lease
//! runs out.

use crate::{Core, CoreError, Result};
use time::Duration;
use ungcuu_domain::timefmt::now;
use ungcuu_store::jobs::{self, Job};
use uuid::Uuid;

/// How long a claim holds before another worker may take the job.
pub const LEASE: Duration = Duration::minutes(5);

async fn run(core: &Core, job: &Job) -> Result<()> {
    let payload: serde_json::Value = serde_json::from_str(&job.payload)
        .map_err(|e| CoreError::Internal(format!("bad payload: {e}")))?;
    match job.kind.as_str() {
        crate::mail::JOB_KIND => {
            let id = payload["mail_id"]
                .as_str()
                .and_then(|s| Uuid::parse_str(s).ok())
                .ok_or_else(|| CoreError::Internal("mail job without mail_id".into()))?;
            crate::mail::deliver(core, id).await
        }
        crate::clocks::SCAN_JOB => crate::clocks::scan(core, now()).await.map(|_| ()),
        crate::notices::DIGEST_JOB => crate::notices::send_digests(core, now()).await.map(|_| ()),
        other => Err(CoreError::Internal(format!("unknown job kind {other}"))),
    }
}

/// Claims and runs one due job; false when none was due.
pub async fn run_one(core: &Core, worker: &str) -> Result<bool> {
    let job = {
        let mut tx = core.db.begin().await?;
        let j = jobs::claim(&mut tx, worker, now(), LEASE).await?;
        ungcuu_store::commit(tx).await?;
        j
    };
    let Some(job) = job else {
        return Ok(false);
    };
    let outcome = run(core, &job).await;
    let mut c = core.db.conn().await?;
    match outcome {
        Ok(()) => jobs::complete(&mut c, job.id, now()).await?,
        Err(e) => {
            let retry = (job.attempts < job.max_attempts)
                .then(|| now() + crate::mail::backoff(job.attempts));
            tracing::warn!(job = %job.id, kind = %job.kind, attempts = job.attempts, error = %e, "job failed");
            jobs::fail(&mut c, job.id, &e.to_string(), retry, now()).await?;
        }
    }
    Ok(true)
}

/// Runs every job due now (tests and the CLI use this to drain the queue).
pub async fn drain(core: &Core, worker: &str) -> Result<usize> {
    let mut n = 0;
    while run_one(core, worker).await? {
        n += 1;
    }
    Ok(n)
}

/// The worker loop: runs until `stop` turns true.
pub async fn worker(core: Core, mut stop: tokio::sync::watch::Receiver<bool>) {
    let name = format!("worker-{}", Uuid::new_v4());
    let mut next_scan = std::time::Instant::now();
    loop {
        if *stop.borrow() {
            return;
        }
        if std::time::Instant::now() >= next_scan {
            next_scan = std::time::Instant::now() + crate::clocks::SCAN_EVERY;
            if let Err(e) = crate::clocks::enqueue_scan(&core).await {
                tracing::error!(error = %e, "could not enqueue the clock scan");
            }
            if let Err(e) = crate::notices::enqueue_digest_scan(&core).await {
                tracing::error!(error = %e, "could not enqueue the digest scan");
            }
        }
        let idle = match run_one(&core, &name).await {
            Ok(ran) => !ran,
            Err(e) => {
                tracing::error!(error = %e, "job worker error");
                true
            }
        };
        if idle {
            tokio::select! {
                _ = tokio::time::sleep(std::time::Duration::from_secs(1)) => {}
                _ = stop.changed() => {}
            }
        }
    }
}
