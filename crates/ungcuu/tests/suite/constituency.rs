//! The constituency: entries by field with localised errors, the CSV import and its dry run,
//! lookups with their reason, the index shared across replicas, entries derived from an
//! information system, the cross-organisation matrix, the pages, the demo data, and lookups of
//! real feed IPs against a linear scan.

use reqwest::Method;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::time::Duration;
use ungcuu_core::constituency::{self as cs, NewEntry};
use ungcuu_core::{Actor, Core, CoreError};
use ungcuu_domain::constituency::{Domain, Entry, Kind, Query, scan};
use ungcuu_store::Db;
use ungcuu_testkit::{Fixture, PASSWORD, TestApp, WebSession, spawn_app};
use uuid::Uuid;

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn add(app: &TestApp, token: &str, org: Uuid, kind: &str, value: &str) -> (u16, Value) {
    app.send_json(
        Method::POST,
        &format!("/api/v1/organizations/{org}/constituency"),
        token,
        &json!({"kind": kind, "value": value}),
    )
    .await
}

async fn lookup(app: &TestApp, token: &str, q: &str) -> (u16, Value) {
    app.get_json(&format!("/api/v1/constituency/lookup?q={}", enc(q)), token)
        .await
}

async fn import(app: &TestApp, token: &str, csv: &str, dry_run: bool) -> (u16, Value) {
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/constituency/import?dry_run={dry_run}"),
            token,
        )
        .header("content-type", "text/csv")
        .body(csv.to_string())
        .send()
        .await
        .unwrap();
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

async fn entries(app: &TestApp, f: &Fixture, org: Uuid) -> Vec<Value> {
    let (s, page) = app
        .get_json(
            &format!("/api/v1/organizations/{org}/constituency?limit=200"),
            &f.admin.2,
        )
        .await;
    assert_eq!(s, 200, "{page}");
    page["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn officers_add_entries_and_anyone_signed_in_finds_the_owner_and_the_reason() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let a = &f.officer_a.2;
    for (kind, value, stored) in [
        ("cidr", "203.0.113.0/24", "203.0.113.0/24"),
        ("cidr", "2001:DB8:100::/48", "2001:db8:100::/48"),
        ("domain", ".SYT.dongthap.gov.vn", "syt.dongthap.gov.vn"),
        ("asn", "as45899", "AS45899"),
    ] {
        let (s, e) = add(&app, a, f.org_a, kind, value).await;
        assert_eq!(s, 201, "{value}: {e}");
        assert_eq!(e["value"], stored);
        assert_eq!(e["source"], "manual");
    }
    // An officer manages the organisations under its own too; the narrower range answers.
    let (s, _) = add(&app, a, f.unit_a, "cidr", "203.0.113.128/26").await;
    assert_eq!(s, 201);

    let b = &f.officer_b.2;
    let owner = |v: &Value| {
        v["found"]["organization"]["id"]
            .as_str()
            .map(str::to_string)
    };
    let (s, v) = lookup(&app, b, "203.0.113.7").await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(owner(&v), Some(f.org_a.to_string()));
    assert_eq!(v["found"]["entry_value"], "203.0.113.0/24");
    assert_eq!(v["found"]["how"], "in_range");
    assert_eq!(
        v["reason"],
        "203.0.113.7 thuộc dải 203.0.113.0/24 do Tổ chức so-a quản lý."
    );
    // The answer names the owner and the entry that matched, nothing else.
    let keys: HashSet<&str> = v["found"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        HashSet::from([
            "organization",
            "entry_kind",
            "entry_value",
            "how",
            "contested"
        ])
    );
    let (_, v) = lookup(&app, b, "203.0.113.130").await;
    assert_eq!(owner(&v), Some(f.unit_a.to_string()));
    let (_, v) = lookup(&app, b, "::ffff:203.0.113.7").await;
    assert_eq!(v["query"]["value"], "203.0.113.7");
    assert_eq!(owner(&v), Some(f.org_a.to_string()));
    let (_, v) = lookup(&app, b, "2001:db8:100::5").await;
    assert_eq!(owner(&v), Some(f.org_a.to_string()));
    let (_, v) = lookup(&app, b, "https://user:pw@WWW.syt.dongthap.gov.vn:8443/a?b").await;
    assert_eq!(v["query"]["read_from"], "url");
    assert_eq!(v["query"]["value"], "www.syt.dongthap.gov.vn");
    assert_eq!(v["found"]["how"], "subdomain");
    assert_eq!(owner(&v), Some(f.org_a.to_string()));
    let (_, v) = lookup(&app, b, "canbo@syt.dongthap.gov.vn").await;
    assert_eq!(v["query"]["read_from"], "email");
    assert_eq!(v["found"]["how"], "same_domain");
    for q in ["AS45899", "45899"] {
        let (_, v) = lookup(&app, b, q).await;
        assert_eq!(owner(&v), Some(f.org_a.to_string()), "{q}");
        assert_eq!(v["found"]["how"], "same_asn");
    }
    let (s, v) = lookup(&app, b, "198.51.100.1").await;
    assert_eq!(s, 200);
    assert!(v["found"].is_null());
    assert_eq!(
        v["reason"],
        "Chưa có cơ quan, đơn vị nào nhận 198.51.100.1."
    );
    let r = app
        .api(
            Method::GET,
            "/api/v1/constituency/lookup?q=203.0.113.7",
            &f.coordinator.2,
        )
        .header("cookie", "ungcuu_lang=en")
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        v["reason"],
        "203.0.113.7 is in 203.0.113.0/24, claimed by Tổ chức so-a."
    );
    // Without credentials there is no answer.
    let r = app
        .client
        .get(format!(
            "{}/api/v1/constituency/lookup?q=203.0.113.7",
            app.url
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    // Every endpoint is in the OpenAPI document.
    let (_, doc) = app.get_json("/api/openapi.json", a).await;
    for p in [
        "/api/v1/organizations/{id}/constituency",
        "/api/v1/constituency/{id}",
        "/api/v1/constituency/import",
        "/api/v1/constituency/lookup",
        "/api/v1/constituency/conflicts",
    ] {
        assert!(doc["paths"].get(p).is_some(), "{p} missing from OpenAPI");
    }
}

#[tokio::test]
async fn bad_input_is_refused_by_field_with_a_clear_message_in_both_languages_and_writes_nothing() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let a = &f.officer_a.2;
    let before = app.audit_count().await;
    for (kind, value, field, says) in [
        (
            "cidr",
            "203.0.113.7/24",
            "value",
            "phần host khác 0: hãy nhập địa chỉ đầu dải",
        ),
        ("cidr", "203.0.113.0/33", "value", "Độ dài tiền tố"),
        (
            "cidr",
            "300.1.1.0/24",
            "value",
            "Dải địa chỉ IP không hợp lệ",
        ),
        ("domain", "bad_label.vn", "value", "Tên miền không hợp lệ"),
        ("domain", "sởytế.vn", "value", "punycode"),
        ("domain", "localhost", "value", "ít nhất hai nhãn"),
        ("asn", "AS0", "value", "Số hiệu mạng (ASN) không hợp lệ"),
        ("asn", "", "value", "bắt buộc"),
        ("galaxy", "x", "kind", "Loại phải là cidr"),
    ] {
        let (s, b) = add(&app, a, f.org_a, kind, value).await;
        assert_eq!(s, 422, "{kind} {value}: {b}");
        assert_eq!(b["errors"][0]["field"], field, "{value}");
        let msg = b["errors"][0]["message"].as_str().unwrap();
        assert!(msg.contains(says), "{value}: {msg}");
    }
    let (s, b) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/organizations/{}/constituency", f.org_a),
            a,
            &json!({"kind": "domain", "value": "a.vn", "note": "x".repeat(501)}),
        )
        .await;
    assert_eq!(s, 422);
    assert_eq!(b["errors"][0]["field"], "note");
    let (s, b) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/organizations/{}/constituency", f.org_a),
            a,
            &json!({"kind": "domain", "value": "a.vn", "organization_id": f.org_b}),
        )
        .await;
    assert_eq!(s, 422, "no mass assignment");
    assert_eq!(b["errors"][0]["field"], "organization_id");
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/organizations/{}/constituency", f.org_a),
            a,
        )
        .header("cookie", "ungcuu_lang=en")
        .json(&json!({"kind": "cidr", "value": "203.0.113.7/24"}))
        .send()
        .await
        .unwrap();
    let b: Value = r.json().await.unwrap();
    assert!(
        b["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("host bits set"),
        "{b}"
    );
    for (q, says) in [
        ("not a host", "Không nhận ra"),
        ("", "bắt buộc"),
        ("sởytế.vn", "punycode"),
    ] {
        let (s, b) = lookup(&app, a, q).await;
        assert_eq!(s, 422, "{q}: {b}");
        assert_eq!(b["errors"][0]["field"], "q");
        assert!(
            b["errors"][0]["message"].as_str().unwrap().contains(says),
            "{q}: {b}"
        );
    }
    assert_eq!(app.audit_count().await, before, "nothing was written");
    assert!(entries(&app, &f, f.org_a).await.is_empty());
    // The same value twice in one organisation is refused; in another it is a conflict.
    assert_eq!(add(&app, a, f.org_a, "domain", "a.vn").await.0, 201);
    let (s, b) = add(&app, a, f.org_a, "domain", "A.VN.").await;
    assert_eq!(s, 422);
    assert_eq!(b["errors"][0]["field"], "value");
    assert!(
        b["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("đã có mục này")
    );
    assert_eq!(entries(&app, &f, f.org_a).await.len(), 1);
}

#[tokio::test]
async fn an_import_checks_every_row_and_writes_nothing_on_a_dry_run_or_a_bad_row() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let a = &f.officer_a.2;
    let good = "organization_slug,kind,value,note\n\
                so-a,cidr,198.51.100.0/28,\"Phòng máy, tầng 2\"\n\
                so-a,domain,so-a.example.vn\n\
                don-vi-a,asn,AS64500\n";
    let bad = format!(
        "{good}so-a,cidr,198.51.100.7/28\n\
         so-b,domain,b.example.vn\n\
         so-a,domain,SO-A.example.vn\n\
         so-a,cidr\n\
         khong-co,asn,AS1\n"
    );
    let before = app.audit_count().await;
    for dry_run in [false, true] {
        let (s, b) = import(&app, a, &bad, dry_run).await;
        let errors = if dry_run {
            assert_eq!(s, 200, "{b}");
            assert_eq!(b["written"], false);
            b["errors"].clone()
        } else {
            assert_eq!(s, 422, "{b}");
            assert_eq!(
                b["detail"],
                "Có dòng không hợp lệ nên chưa ghi gì. Hãy sửa các dòng dưới đây rồi thử lại."
            );
            b["errors"].clone()
        };
        let got: Vec<(i64, &str)> = errors
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["line"].as_i64().unwrap(), e["field"].as_str().unwrap()))
            .collect();
        assert_eq!(
            got,
            vec![
                (5, "value"),
                (6, "organization_slug"),
                (7, "value"),
                (8, "line"),
                (9, "organization_slug"),
            ],
            "{errors}"
        );
        // The organisation B exists but is not A's to manage: the row says the same as for
        // one that does not exist.
        assert_eq!(errors[1]["message"], errors[4]["message"]);
    }
    assert!(entries(&app, &f, f.org_a).await.is_empty());
    assert!(entries(&app, &f, f.unit_a).await.is_empty());
    let (_, log) = app
        .get_json("/api/v1/audit?action=constituency.&limit=50", &f.admin.2)
        .await;
    assert!(log["items"].as_array().unwrap().is_empty(), "{log}");
    let after_refusals = app.audit_count().await;
    assert_eq!(
        after_refusals,
        before + 2,
        "one denial recorded per refused file"
    );

    let (s, b) = import(&app, a, good, true).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(
        (
            b["rows"].as_i64(),
            b["added"].as_i64(),
            b["written"].as_bool()
        ),
        (Some(3), Some(3), Some(false))
    );
    assert!(
        entries(&app, &f, f.org_a).await.is_empty(),
        "a dry run writes nothing"
    );
    assert_eq!(app.audit_count().await, after_refusals);

    let (s, b) = import(&app, a, good, false).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["written"], true);
    assert_eq!(b["added"], 3);
    let sha = b["sha256"].as_str().unwrap().to_string();
    assert_eq!(sha.len(), 64);
    let in_a = entries(&app, &f, f.org_a).await;
    assert_eq!(in_a.len(), 2);
    assert_eq!(in_a[0]["note"], "Phòng máy, tầng 2");
    assert_eq!(in_a[0]["source"], "import");
    assert_eq!(entries(&app, &f, f.unit_a).await.len(), 1);
    assert_eq!(app.audit_count().await, after_refusals + 1, "one event");
    let (_, log) = app
        .get_json(
            "/api/v1/audit?action=constituency.import&limit=5",
            &f.admin.2,
        )
        .await;
    let ev = &log["items"][0];
    assert_eq!(ev["summary"]["counts"]["added"], 3);
    assert_eq!(ev["summary"]["content_sha256"], sha.as_str());
    let (_, v) = lookup(&app, &f.officer_b.2, "AS64500").await;
    assert_eq!(v["found"]["organization"]["id"], f.unit_a.to_string());

    // The same file again changes nothing.
    let (s, b) = import(&app, a, good, false).await;
    assert_eq!(s, 200);
    assert_eq!(
        (b["added"].as_i64(), b["existing"].as_i64()),
        (Some(0), Some(3))
    );

    // Another type is refused; a file over the 1 MiB of other requests is accepted here.
    let r = app
        .api(Method::POST, "/api/v1/constituency/import", a)
        .json(&json!({"rows": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
    let mut big = String::new();
    for i in 0..60_000u32 {
        big.push_str(&format!(
            "so-a,cidr,10.{}.{}.0/24,ghi chú cho dòng số {i}\n",
            i / 256,
            i % 256
        ));
    }
    assert!(big.len() > 2 * 1024 * 1024);
    let (s, b) = import(&app, a, &big, true).await;
    assert_eq!(s, 200, "{}", b["detail"]);
    assert_eq!(b["added"], 60_000);
    let huge = "x".repeat(11 * 1024 * 1024);
    let r = app
        .api(Method::POST, "/api/v1/constituency/import", a)
        .header("content-type", "text/csv")
        .body(huge)
        .send()
        .await;
    if let Ok(r) = r {
        assert_eq!(r.status(), 413);
    }
    assert_eq!(entries(&app, &f, f.org_a).await.len(), 2);
}

#[tokio::test]
async fn a_replica_sees_a_change_made_through_another_core_on_the_same_database() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let replica = Core::new(
        Db::connect(&app.database_url).await.unwrap(),
        app.core.config.clone(),
    );
    let cli = Actor::cli();
    let found = |a: &cs::Answer| a.found.as_ref().map(|x| x.org.id);
    let a = cs::lookup(&app.core, &cli, "192.0.2.9").await.unwrap();
    assert_eq!(found(&a), None);
    let warm = app.core.constituency.snapshot().generation;
    let e = cs::create(
        &replica,
        &cli,
        f.org_b,
        NewEntry {
            kind: "cidr".into(),
            value: "192.0.2.0/24".into(),
            note: None,
        },
    )
    .await
    .unwrap();
    // The replica that changed it reloaded at once; the other still holds its old index...
    assert_eq!(replica.constituency.snapshot().generation, warm + 1);
    let stale = app.core.constituency.snapshot();
    assert_eq!(stale.generation, warm);
    assert!(
        stale
            .index
            .lookup_ip("192.0.2.9".parse().unwrap())
            .is_none()
    );
    // ...which a bounded-delay caller keeps within its delay...
    let within = cs::index_within(&app.core, Duration::from_secs(3600))
        .await
        .unwrap();
    assert_eq!(within.generation, warm);
    // ...and the next lookup, which checks the generation, replaces.
    let a = cs::lookup(&app.core, &cli, "192.0.2.9").await.unwrap();
    assert_eq!(found(&a), Some(f.org_b));
    let (_, v) = lookup(&app, &f.officer_a.2, "192.0.2.200").await;
    assert_eq!(v["found"]["organization"]["id"], f.org_b.to_string());
    cs::delete(&replica, &cli, e.id).await.unwrap();
    let (_, v) = lookup(&app, &f.officer_a.2, "192.0.2.200").await;
    assert!(v["found"].is_null(), "{v}");
    assert_eq!(app.core.constituency.snapshot().generation, warm + 2);
}

#[tokio::test]
async fn entries_derived_from_an_information_system_are_replaced_as_a_set() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let cli = Actor::cli();
    let e = |k: Kind, v: &str| Entry::parse(k, v).unwrap();
    let system = Uuid::now_v7();
    assert_eq!(
        add(&app, &f.admin.2, f.org_a, "cidr", "203.0.113.0/24")
            .await
            .0,
        201
    );
    let ch = cs::replace_derived(
        &app.core,
        &cli,
        f.org_a,
        system,
        &[
            e(Kind::Cidr, "198.51.100.10"),
            e(Kind::Domain, "portal.so-a.vn"),
            e(Kind::Cidr, "203.0.113.0/24"),
        ],
    )
    .await
    .unwrap();
    assert_eq!((ch.added, ch.removed, ch.skipped), (2, 0, 1));
    let list = entries(&app, &f, f.org_a).await;
    let derived: Vec<&Value> = list.iter().filter(|x| x["source"] == "system").collect();
    assert_eq!(derived.len(), 2);
    assert!(
        derived
            .iter()
            .all(|x| x["source_ref"] == system.to_string())
    );
    let (_, v) = lookup(&app, &f.officer_b.2, "http://portal.so-a.vn/").await;
    assert_eq!(v["found"]["organization"]["id"], f.org_a.to_string());
    // The same set again changes nothing and records nothing.
    let before = app.audit_count().await;
    let ch = cs::replace_derived(
        &app.core,
        &cli,
        f.org_a,
        system,
        &[
            e(Kind::Domain, "portal.so-a.vn"),
            e(Kind::Cidr, "198.51.100.10/32"),
        ],
    )
    .await
    .unwrap();
    assert_eq!((ch.added, ch.removed, ch.kept), (0, 0, 2));
    assert_eq!(app.audit_count().await, before);
    // A smaller set removes the rest; inside a caller's transaction that rolls back, nothing.
    let mut tx = app.core.db.begin().await.unwrap();
    let ch = cs::replace_derived_in(
        &mut tx,
        &cli,
        f.org_a,
        system,
        &[],
        ungcuu_domain::timefmt::now(),
    )
    .await
    .unwrap();
    assert_eq!(ch.removed, 2);
    drop(tx);
    assert_eq!(entries(&app, &f, f.org_a).await.len(), 3);
    let ch = cs::replace_derived(
        &app.core,
        &cli,
        f.org_a,
        system,
        &[e(Kind::Domain, "portal.so-a.vn")],
    )
    .await
    .unwrap();
    assert_eq!((ch.removed, ch.kept), (1, 1));
    let (_, v) = lookup(&app, &f.officer_b.2, "198.51.100.10").await;
    assert!(v["found"].is_null());
    assert_eq!(entries(&app, &f, f.org_a).await.len(), 2);
    // Another organisation's officer cannot set A's derived entries.
    let (principal, _) = ungcuu_core::auth::principal(&app.core, f.user_ids[3])
        .await
        .unwrap();
    let officer_b = Actor::person(principal, &f.officer_b.0, None);
    let r = cs::replace_derived(&app.core, &officer_b, f.org_a, system, &[]).await;
    assert!(matches!(r, Err(CoreError::NotFound)), "{r:?}");
}

#[tokio::test]
async fn an_officer_of_a_reaches_no_entry_of_b_and_only_the_coordinator_sees_conflicts() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let (s, mine) = add(&app, &f.officer_a.2, f.org_a, "cidr", "192.0.2.0/24").await;
    assert_eq!(s, 201);
    assert_eq!(
        add(&app, &f.officer_a.2, f.org_a, "cidr", "10.0.0.0/8")
            .await
            .0,
        201
    );
    let (s, theirs) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/organizations/{}/constituency", f.org_b),
            &f.officer_b.2,
            &json!({"kind": "cidr", "value": "192.0.2.0/24", "note": "ghi chú riêng của B"}),
        )
        .await;
    assert_eq!(s, 201);
    assert_eq!(
        add(&app, &f.officer_b.2, f.org_b, "cidr", "10.1.0.0/16")
            .await
            .0,
        201
    );
    let b_entry = theirs["id"].as_str().unwrap();
    let a = &f.officer_a.2;
    for (method, path, body) in [
        (
            Method::GET,
            format!("/api/v1/organizations/{}/constituency", f.org_b),
            None,
        ),
        (
            Method::GET,
            format!("/api/v1/organizations/{}/constituency", f.unit_b),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/organizations/{}/constituency", f.org_b),
            Some(json!({"kind": "domain", "value": "chiem.vn"})),
        ),
        (Method::GET, format!("/api/v1/constituency/{b_entry}"), None),
        (
            Method::DELETE,
            format!("/api/v1/constituency/{b_entry}"),
            None,
        ),
        (Method::GET, "/api/v1/constituency/conflicts".into(), None),
    ] {
        let mut req = app.api(method.clone(), &path, a);
        if let Some(b) = &body {
            req = req.json(b);
        }
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        let text = r.text().await.unwrap();
        assert!(
            matches!(status, 403 | 404),
            "{method} {path} answered {status}: {text}"
        );
        assert!(
            !text.contains("ghi chú riêng") && !text.contains("Tổ chức so-b"),
            "{method} {path} leaked: {text}"
        );
    }
    let (s, b) = import(&app, a, "so-b,domain,chiem.vn\n", false).await;
    assert_eq!(s, 422);
    assert_eq!(b["errors"][0]["field"], "organization_slug");
    assert_eq!(entries(&app, &f, f.org_b).await.len(), 2, "B unchanged");
    // B's officer equally cannot touch A's entry.
    let r = app
        .api(
            Method::DELETE,
            &format!("/api/v1/constituency/{}", mine["id"].as_str().unwrap()),
            &f.officer_b.2,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);

    // Looking up B's address works for A and names B, and nothing more of B.
    let (s, v) = lookup(&app, a, "10.1.2.3").await;
    assert_eq!(s, 200);
    assert_eq!(v["found"]["organization"]["id"], f.org_b.to_string());
    let text = v.to_string();
    assert!(!text.contains("ghi chú") && !text.contains(b_entry));
    // The same range claimed twice: the earlier claim answers and the answer says so.
    let (_, v) = lookup(&app, &f.officer_b.2, "192.0.2.1").await;
    assert_eq!(v["found"]["organization"]["id"], f.org_a.to_string());
    assert_eq!(v["found"]["contested"], true);
    assert!(
        v["reason"]
            .as_str()
            .unwrap()
            .contains("cơ quan, đơn vị khác")
    );

    for token in [&f.coordinator.2, &f.admin.2] {
        let (s, list) = app.get_json("/api/v1/constituency/conflicts", token).await;
        assert_eq!(s, 200, "{list}");
        let list = list.as_array().unwrap();
        let dup = list.iter().find(|c| c["kind"] == "duplicate").unwrap();
        let orgs: Vec<&str> = dup["claims"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["organization_id"].as_str().unwrap())
            .collect();
        assert_eq!(orgs, [f.org_a.to_string(), f.org_b.to_string()]);
        let nested = list.iter().find(|c| c["kind"] == "nested").unwrap();
        assert_eq!(nested["claims"][0]["value"], "10.0.0.0/8");
        assert_eq!(nested["claims"][1]["value"], "10.1.0.0/16");
        assert_eq!(nested["claims"][1]["organization_name"], "Tổ chức so-b");
    }
    // Pages: the officer finds the owner but sees no conflicts; the coordinator does.
    let s = WebSession::new(&app.url);
    assert_eq!(s.login(&f.officer_a.0, PASSWORD).await.status, 303);
    let r = s.get("/constituency?q=10.1.2.3").await;
    assert_eq!(r.status, 200);
    assert!(
        r.body
            .contains("10.1.2.3 thuộc dải 10.1.0.0/16 do Tổ chức so-b quản lý.")
    );
    assert!(!r.body.contains("id=\"conflicts\""));
    assert!(
        !r.body.contains("id=\"lookup-owner\""),
        "B's page is not A's to open"
    );
    for path in [
        format!("/orgs/{}/constituency", f.org_b),
        format!("/orgs/{}/constituency", f.unit_b),
    ] {
        let r = s.get(&path).await;
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.body.contains("ghi chú riêng"));
    }
    let c = WebSession::new(&app.url);
    assert_eq!(c.login(&f.coordinator.0, PASSWORD).await.status, 303);
    let r = c.get("/constituency").await;
    assert!(r.body.contains("id=\"conflicts\""));
    assert!(r.body.contains("10.1.0.0/16"));
}

#[tokio::test]
async fn the_pages_look_up_add_delete_and_import_without_javascript() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let s = WebSession::new(&app.url);
    assert_eq!(s.login(&f.officer_a.0, PASSWORD).await.status, 303);
    let r = s.get(&format!("/orgs/{}", f.org_a)).await;
    assert!(r.body.contains("id=\"org-constituency\""));
    assert!(r.body.contains("href=\"/constituency\""), "nav entry");
    let page = format!("/orgs/{}/constituency", f.org_a);
    let r = s.get(&page).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Tài nguyên Internet: Tổ chức so-a"));
    let r = s
        .post(
            &page,
            &[("kind", "cidr"), ("value", "203.0.113.7/24"), ("note", "")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"value-error\""));
    assert!(r.body.contains("phần host khác 0"));
    assert!(
        r.body.contains("value=\"203.0.113.7/24\""),
        "the form keeps what was typed"
    );
    let r = s
        .post(
            &page,
            &[
                ("kind", "cidr"),
                ("value", "203.0.113.0/24"),
                ("note", "Mạng nội bộ"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let r = s.get(&page).await;
    assert!(r.body.contains("Đã thêm mục."));
    assert!(r.body.contains("<code>203.0.113.0/24</code>"));
    let r = s.get("/constituency?q=http%3A%2F%2F203.0.113.9%2Fx").await;
    assert_eq!(r.status, 200);
    assert!(
        r.body
            .contains("203.0.113.9 thuộc dải 203.0.113.0/24 do Tổ chức so-a quản lý.")
    );
    assert!(r.body.contains("Tên máy được lấy từ URL."));
    assert!(r.body.contains(&format!(
        "href=\"/orgs/{}/constituency\" id=\"lookup-owner\"",
        f.org_a
    )));
    let r = s.get("/constituency?q=not+a+host").await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"q-error\""));

    // Import: a check writes nothing, a bad row is shown by line, a good file is written.
    let import = format!("/orgs/{}/constituency/import", f.org_a);
    let csv = "so-a,domain,so-a.example.vn\nso-a,asn,AS64501\n";
    s.get(&page).await;
    let r = s.post(&import, &[("csv", csv), ("mode", "check")]).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Mọi dòng đều hợp lệ"));
    assert!(r.body.contains("Số dòng: 2; mục mới: 2; đã có sẵn: 0."));
    assert_eq!(entries(&app, &f, f.org_a).await.len(), 1);
    let r = s
        .post(
            &import,
            &[("csv", &format!("{csv}so-a,asn,ASX\n")), ("mode", "import")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("<td>3</td><td><code>value</code></td>"));
    assert_eq!(entries(&app, &f, f.org_a).await.len(), 1);
    let r = s.post(&import, &[("csv", csv), ("mode", "import")]).await;
    assert_eq!(r.status, 303);
    assert_eq!(entries(&app, &f, f.org_a).await.len(), 3);

    // Delete needs the confirmation box.
    let id = entries(&app, &f, f.org_a).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    s.get(&page).await;
    let r = s.post(&format!("/constituency/{id}/delete"), &[]).await;
    assert_eq!(r.status, 400);
    let r = s
        .post(&format!("/constituency/{id}/delete"), &[("confirm", "yes")])
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location.as_deref(), Some(page.as_str()));
    assert_eq!(entries(&app, &f, f.org_a).await.len(), 2);
}

#[tokio::test]
async fn the_demo_province_has_a_constituency_with_a_deliberate_duplicate() {
    let app = spawn_app().await;
    ungcuu_core::demo::load(&app.core).await.unwrap();
    assert_eq!(cs::load_demo(&app.core).await.unwrap(), 0, "idempotent");
    let cli = Actor::cli();
    for (q, slug) in [
        ("203.0.113.7", "so-tttt"),
        ("https://www.syt.dongthap.gov.vn/", "so-y-te"),
        ("portal.dongthap.gov.vn", "so-tttt"),
        ("192.0.2.9", "xa-my-tan"),
        ("192.0.2.3", "tp-cao-lanh"),
        ("2001:db8:100::1", "ttcntt"),
        ("AS45899", "vnpt-dong-thap"),
    ] {
        let a = cs::lookup(&app.core, &cli, q).await.unwrap();
        assert_eq!(a.found.map(|x| x.org.slug).as_deref(), Some(slug), "{q}");
    }
    let all = cs::conflicts(&app.core, &cli).await.unwrap();
    assert!(all.items.iter().any(|c| matches!(
        c,
        ungcuu_domain::constituency::Conflict::Duplicate { entry, .. }
            if entry.to_string() == "dichvucong.dongthap.gov.vn"
    )));
}

/// The feed samples shipped beside the repository, if they are there.
fn feeds_dir() -> Option<std::path::PathBuf> {
    let p = std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/fixtures/feeds"
    ));
    p.is_dir().then_some(p)
}

/// Splits one CSV line, honouring quotes (feed fields may hold commas).
fn split_csv(line: &str) -> Vec<String> {
    let (mut out, mut cur, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                cur.push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

#[tokio::test]
async fn lookups_of_real_feed_ips_agree_with_a_linear_scan() {
    let Some(dir) = feeds_dir() else {
        eprintln!(
            "\n=== SKIPPED: no feed samples at ../shared/fixtures/feeds (real-feed constituency test) ===\n"
        );
        return;
    };
    let (mut ips, mut hosts, mut asns) = (Vec::new(), Vec::new(), Vec::new());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    files.sort();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let mut lines = text.lines();
        let header = split_csv(lines.next().unwrap_or(""));
        let col = |name: &str| header.iter().position(|h| h == name);
        for line in lines {
            let cells = split_csv(line);
            let cell = |i: Option<usize>| {
                i.and_then(|i| cells.get(i))
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
            };
            ips.extend(cell(col("ip")));
            hosts.extend(cell(col("hostname")));
            hosts.extend(cell(col("http_host")));
            asns.extend(cell(col("asn")));
        }
    }
    assert!(ips.len() >= 100, "only {} IPs in {dir:?}", ips.len());
    // A constituency covering some of them, with nesting, a host route and one duplicate.
    let mut csv = String::new();
    let orgs = ["so-a", "so-b", "don-vi-a", "don-vi-b"];
    for (i, ip) in ips.iter().enumerate() {
        let o: Vec<u8> = ip.split('.').filter_map(|x| x.parse().ok()).collect();
        if o.len() != 4 {
            continue;
        }
        if i % 3 == 0 {
            csv.push_str(&format!(
                "{},cidr,{}.{}.{}.0/24\n",
                orgs[i % 4],
                o[0],
                o[1],
                o[2]
            ));
        }
        if i % 5 == 0 {
            csv.push_str(&format!(
                "{},cidr,{}.{}.0.0/16\n",
                orgs[(i + 1) % 4],
                o[0],
                o[1]
            ));
        }
        if i % 7 == 0 {
            csv.push_str(&format!("{},cidr,{ip}\n", orgs[(i + 2) % 4]));
        }
        if i == 9 {
            csv.push_str(&format!(
                "{},cidr,{}.{}.{}.0/24\n",
                orgs[(i + 1) % 4],
                o[0],
                o[1],
                o[2]
            ));
        }
    }
    csv.push_str("so-b,domain,vnpt.vn\nso-a,asn,45899\ndon-vi-b,asn,AS18403\n");
    for h in hosts.iter().step_by(2) {
        if let Some((_, parent)) = h.split_once('.')
            && let Ok(d) = Domain::parse(parent)
        {
            csv.push_str(&format!("don-vi-a,domain,{d}\n"));
        }
    }
    // Repeated rows (the same /16 twice) are refused as repeats: keep one of each.
    let mut seen = HashSet::new();
    let csv: String = csv
        .lines()
        .filter(|l| seen.insert(l.to_string()))
        .map(|l| format!("{l}\n"))
        .collect();
    let app = spawn_app().await;
    app.fixture().await;
    let cli = Actor::cli();
    let report = cs::import(&app.core, &cli, csv.as_bytes(), false)
        .await
        .unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert!(report.written);
    let claims = ungcuu_store::constituency::claims(&mut app.core.db.conn().await.unwrap())
        .await
        .unwrap();
    assert_eq!(claims.len(), report.added);
    let (mut checked, mut answered) = (0, 0);
    for q in ips.iter().chain(&hosts).chain(&asns) {
        let Ok(parsed) = Query::parse(q) else {
            assert!(cs::lookup(&app.core, &cli, q).await.is_err(), "{q}");
            continue;
        };
        let answer = cs::lookup(&app.core, &cli, q).await.unwrap();
        let expected = scan(&claims, &parsed.query);
        assert_eq!(
            answer
                .found
                .as_ref()
                .map(|f| (f.org.id, f.entry.clone(), f.how, f.contested)),
            expected.map(|h| (h.claim.org, h.claim.entry.clone(), h.how, h.contested)),
            "{q}"
        );
        checked += 1;
        answered += usize::from(answer.found.is_some());
    }
    eprintln!("real feeds: {checked} queries checked against a linear scan, {answered} answered");
    assert!(checked >= ips.len());
    assert!(
        answered > 0 && answered < checked,
        "{answered} of {checked}"
    );
}
