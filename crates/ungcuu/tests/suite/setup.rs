use ungcuu_testkit::{WebSession, spawn_app};

#[tokio::test]
async fn the_setup_link_creates_province_coordinator_and_admin_once_then_dies() {
    let app = spawn_app().await;
    let token = ungcuu_core::setup::prepare(&app.core)
        .await
        .unwrap()
        .expect("empty database gets a link");
    let s = WebSession::new(&app.url);
    let page = s.get(&format!("/setup/{token}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Thiết lập ban đầu"));
    // Invalid input: errors by field, nothing written, the link still works.
    let bad = s
        .post(
            &format!("/setup/{token}"),
            &[
                ("province_name", "Tỉnh Đồng Tháp"),
                ("province_slug", "Dong Thap"),
                ("coordinator_name", "Sở KH&CN"),
                ("coordinator_slug", "so-khcn"),
                ("admin_name", "Quản trị"),
                ("admin_email", "not-an-email"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Mã chỉ gồm 2-64 chữ thường"));
    assert!(bad.body.contains("Địa chỉ thư điện tử không hợp lệ."));
    assert!(bad.body.contains("Mật khẩu phải có ít nhất 10 ký tự."));
    assert_eq!(app.audit_count().await, 0);
    let ok = s
        .post(
            &format!("/setup/{token}"),
            &[
                ("province_name", "Tỉnh Đồng Tháp"),
                ("province_slug", "dong-thap"),
                ("coordinator_name", "Sở Khoa học và Công nghệ"),
                ("coordinator_slug", "so-khcn"),
                ("admin_name", "Quản Trị Viên"),
                ("admin_email", "qtv@dongthap.gov.vn"),
                ("password", "mật khẩu thật dài"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert_eq!(s.get(&format!("/setup/{token}")).await.status, 404);
    let again = s
        .post(
            &format!("/setup/{token}"),
            &[
                ("province_name", "X"),
                ("province_slug", "xx"),
                ("coordinator_name", "Y"),
                ("coordinator_slug", "yy"),
                ("admin_name", "Z"),
                ("admin_email", "z@z.vn"),
                ("password", "mật khẩu thật dài"),
            ],
        )
        .await;
    assert_eq!(again.status, 404);
    let admin = WebSession::new(&app.url);
    assert_eq!(
        admin
            .login("qtv@dongthap.gov.vn", "mật khẩu thật dài")
            .await
            .status,
        303
    );
    let orgs = admin.get("/orgs").await;
    assert!(orgs.body.contains("Tỉnh Đồng Tháp") && orgs.body.contains("Sở Khoa học và Công nghệ"));
    assert!(
        ungcuu_core::setup::prepare(&app.core)
            .await
            .unwrap()
            .is_none(),
        "no new link once people exist"
    );
}

#[tokio::test]
async fn an_unknown_setup_token_is_not_found() {
    let app = spawn_app().await;
    let s = WebSession::new(&app.url);
    assert_eq!(s.get("/setup/nonsense").await.status, 404);
}
