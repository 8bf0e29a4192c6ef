use reqwest::Method;
use serde_json::json;
use std::time::Duration;
use ungcuu_testkit::smtp::SmtpSink;
use ungcuu_testkit::{TestApp, spawn_app};

#[tokio::test]
async fn without_smtp_mail_is_written_to_the_outbox_folder_and_logged() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let (s, b) = app
        .send_json(
            Method::POST,
            "/api/v1/mail/test",
            &f.admin.2,
            &json!({"to": "vncert@test.vn"}),
        )
        .await;
    assert_eq!(s, 202);
    let id = b["id"].as_str().unwrap().to_string();
    assert_eq!(
        ungcuu_core::jobs::drain(&app.core, "test").await.unwrap(),
        1
    );
    let path = app.data_dir.join("outbox").join(format!("{id}.eml"));
    let eml = std::fs::read_to_string(&path).expect("eml written");
    assert!(eml.contains("To: vncert@test.vn"));
    assert!(eml.contains("Subject: "));
    let mut c = app.core.db.conn().await.unwrap();
    let mail = ungcuu_store::outbox::get(&mut c, id.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(mail.status, "written");
    let log = ungcuu_store::outbox::deliveries(&mut c, mail.id)
        .await
        .unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].1, "ok");
    // An officer may not use the mail settings test.
    assert_eq!(
        app.send_json(
            Method::POST,
            "/api/v1/mail/test",
            &f.officer_a.2,
            &json!({"to": "x@test.vn"})
        )
        .await
        .0,
        403
    );
    assert_eq!(
        app.send_json(
            Method::POST,
            "/api/v1/mail/test",
            &f.admin.2,
            &json!({"to": "not an address"})
        )
        .await
        .0,
        422
    );
}

#[tokio::test]
async fn mail_goes_through_a_real_smtp_conversation_with_vietnamese_intact() {
    let sink = SmtpSink::start().await;
    let app = TestApp::with_smtp(&sink.url()).await;
    let f = app.fixture().await;
    let (s, _) = app
        .send_json(
            Method::POST,
            "/api/v1/mail/test",
            &f.admin.2,
            &json!({"to": "doi-ung-cuu@test.vn"}),
        )
        .await;
    assert_eq!(s, 202);
    ungcuu_core::jobs::drain(&app.core, "test").await.unwrap();
    let got = sink.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(got[0].to, vec!["doi-ung-cuu@test.vn".to_string()]);
    let data = got[0].data_str();
    assert!(data.contains("multipart/alternative"));
    let decoded = ungcuu_testkit::mail_text(&data);
    assert!(
        decoded.contains("Đây là thư kiểm tra cấu hình gửi thư của ungcuu."),
        "{decoded}"
    );
}

#[tokio::test]
async fn a_refused_delivery_is_retried_later_and_nothing_is_lost() {
    let sink = SmtpSink::start_failing(1).await;
    let app = TestApp::with_smtp(&sink.url()).await;
    let f = app.fixture().await;
    let (_, b) = app
        .send_json(
            Method::POST,
            "/api/v1/mail/test",
            &f.admin.2,
            &json!({"to": "a@test.vn"}),
        )
        .await;
    let id = uuid::Uuid::parse_str(b["id"].as_str().unwrap()).unwrap();
    ungcuu_core::jobs::drain(&app.core, "test").await.unwrap();
    let mut c = app.core.db.conn().await.unwrap();
    assert_eq!(
        ungcuu_store::outbox::get(&mut c, id)
            .await
            .unwrap()
            .unwrap()
            .status,
        "pending"
    );
    // Make the retry due now instead of waiting for the back-off.
    sqlx::query("UPDATE jobs SET run_at = '2000-01-01T00:00:00.000000Z' WHERE status = 'queued'")
        .execute(&mut *c)
        .await
        .unwrap();
    ungcuu_core::jobs::drain(&app.core, "test").await.unwrap();
    let mail = ungcuu_store::outbox::get(&mut c, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(mail.status, "sent");
    let log = ungcuu_store::outbox::deliveries(&mut c, id).await.unwrap();
    assert_eq!(
        log.iter().map(|l| l.1.as_str()).collect::<Vec<_>>(),
        ["error", "ok"]
    );
    assert_eq!(sink.messages().len(), 1);
}

#[tokio::test]
async fn a_job_is_claimed_by_one_worker_and_taken_again_when_its_lease_runs_out() {
    let app = spawn_app().await;
    let mut c = app.core.db.conn().await.unwrap();
    ungcuu_store::jobs::enqueue(&mut c, "noop", &json!({}), ungcuu_domain::timefmt::now(), 3)
        .await
        .unwrap();
    let now = ungcuu_domain::timefmt::now();
    let lease = time::Duration::minutes(5);
    let first = ungcuu_store::jobs::claim(&mut c, "w1", now, lease)
        .await
        .unwrap();
    assert!(first.is_some());
    assert!(
        ungcuu_store::jobs::claim(&mut c, "w2", now, lease)
            .await
            .unwrap()
            .is_none(),
        "leased jobs are not claimed twice"
    );
    let later = now + time::Duration::minutes(6);
    let again = ungcuu_store::jobs::claim(&mut c, "w2", later, lease)
        .await
        .unwrap()
        .expect("expired lease is claimable");
    assert_eq!(again.id, first.unwrap().id);
    assert_eq!(again.attempts, 2);
}

#[tokio::test]
async fn concurrent_workers_never_run_the_same_job_twice() {
    let app = spawn_app().await;
    {
        let mut c = app.core.db.conn().await.unwrap();
        for _ in 0..40 {
            ungcuu_store::jobs::enqueue(
                &mut c,
                "noop",
                &json!({}),
                ungcuu_domain::timefmt::now(),
                3,
            )
            .await
            .unwrap();
        }
    }
    let mut tasks = Vec::new();
    for w in 0..4 {
        let core = app.core.clone();
        tasks.push(tokio::spawn(async move {
            let mut got = Vec::new();
            loop {
                let mut tx = core.db.begin().await.unwrap();
                let j = ungcuu_store::jobs::claim(
                    &mut tx,
                    &format!("w{w}"),
                    ungcuu_domain::timefmt::now(),
                    time::Duration::minutes(5),
                )
                .await
                .unwrap();
                ungcuu_store::commit(tx).await.unwrap();
                match j {
                    Some(j) => got.push(j.id),
                    None => break got,
                }
            }
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let n = all.len();
    all.sort();
    all.dedup();
    assert_eq!(n, 40);
    assert_eq!(all.len(), 40);
}
