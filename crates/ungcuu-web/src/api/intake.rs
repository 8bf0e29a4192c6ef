//! API of the e-mail intake: a raw RFC 822 message in, a draft incident (or a reply on one)
//! with the message and its attachments as evidence out.

use super::evidence::EvidenceOut;
use super::extract::Caller;
use super::{Problem, ok};
use crate::State;
use crate::ctx::Ctx;
use crate::error::{core_problem, problem};
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::post;
use serde::Serialize;
use ungcuu_core::CoreError;
use ungcuu_core::intake::{self as core_intake, Received};
use utoipa::ToSchema;
use uuid::Uuid;

/// The description of these endpoints, merged into the API document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(receive_email), components(schemas(IntakeOut)))]
pub struct IntakeDoc;

/// Routes of the intake API.
pub(crate) fn router() -> Router<State> {
    Router::new().route("/api/v1/intake/email", post(receive_email))
}

/// What became of a message.
#[derive(Debug, Serialize, ToSchema)]
pub struct IntakeOut {
    /// The incident it opened or joined.
    pub incident_id: Uuid,
    /// `new` (a draft incident in `received`) or `reply` (a timeline entry of the thread's
    /// incident).
    pub outcome: String,
    /// True when this Message-ID was received before: the earlier result, nothing written.
    pub duplicate: bool,
    /// The Message-ID as stored (`sha256:<hex>` of the bytes when the message had none).
    pub message_id: String,
    /// Where to read the incident.
    pub incident_url: String,
    /// The evidence written: the raw message first, then each attachment.
    pub evidence: Vec<EvidenceOut>,
    /// Indicators found in the subject and text that were new to the incident.
    pub indicators_added: usize,
}

impl From<Received> for IntakeOut {
    fn from(r: Received) -> Self {
        IntakeOut {
            incident_url: format!("/api/v1/incidents/{}", r.incident_id),
            incident_id: r.incident_id,
            outcome: if r.new_incident { "new" } else { "reply" }.into(),
            duplicate: r.duplicate,
            message_id: r.message_id,
            evidence: r.evidence.into_iter().map(EvidenceOut::from).collect(),
            indicators_added: r.indicators_added,
        }
    }
}

fn too_large(ctx: &Ctx) -> Response {
    problem(
        ctx,
        StatusCode::PAYLOAD_TOO_LARGE,
        ctx.t(core_intake::TOO_LARGE),
        vec![],
    )
}

/// Receives an e-mail as a report: the body is the raw message (`message/rfc822`). A new
/// message opens a draft incident in `received` owned by the sender's organisation (when the
/// From address is an account whose organisation you may report for) or yours; a reply
/// (In-Reply-To/References naming a received message of an incident you handle) joins that
/// incident. The message and its attachments become evidence; indicators in the subject and
/// text are added. The same Message-ID again answers 200 with the earlier result.
#[utoipa::path(post, path = "/api/v1/intake/email", request_body(content = Vec<u8>, content_type = "message/rfc822"), responses((status = 201, body = IntakeOut, description = "A new incident, or a reply joined to one"), (status = 200, body = IntakeOut, description = "Received before: the earlier result"), (status = 403, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem, description = "Empty, not an e-mail, or no usable From (field `message` or `from`)")))]
pub(crate) async fn receive_email(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let is_rfc822 = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("message/rfc822"));
    if !is_rfc822 {
        return problem(
            &ctx,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Send the raw e-mail as message/rfc822.",
            vec![],
        );
    }
    let limit = match core_intake::limit(&st.core).await {
        Ok(l) => l,
        Err(e) => return core_problem(&ctx, e),
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return too_large(&ctx);
    }
    // Read at most one byte more than the limit, so "over" is told from "exactly at".
    let cap = usize::try_from(limit.saturating_add(1)).unwrap_or(usize::MAX);
    let raw = match axum::body::to_bytes(body, cap).await {
        Ok(b) => b,
        Err(e) => {
            tracing::warn!(request_id = %ctx.request_id, "intake body: {e}");
            return too_large(&ctx);
        }
    };
    match core_intake::receive(&st.core, &ctx.actor(), &raw).await {
        Ok(r) => {
            let status = if r.duplicate {
                StatusCode::OK
            } else {
                StatusCode::CREATED
            };
            ok(status, IntakeOut::from(r))
        }
        Err(CoreError::Invalid(v)) if v.iter().any(|f| f.code == core_intake::TOO_LARGE) => {
            too_large(&ctx)
        }
        Err(e) => core_problem(&ctx, e),
    }
}
