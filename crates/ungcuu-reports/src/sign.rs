//! Ed25519 signatures over a canonical JSON bundle of a report, so a recipient can check that
//! the data of an issued report is the data that was signed. Pure functions: the caller keeps
//! the 32-byte seed (key generation draws it from the operating system through `getrandom`).
//!
//! Canonical JSON here: objects with keys sorted by their UTF-8 bytes, no insignificant
//! whitespace, strings escaped as serde_json escapes them, numbers as serde_json prints them.
//! The form structs hold only strings, integers, booleans, arrays and objects, so this is stable.

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A report, what kind of form it is, and the signature over both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedBundle {
    /// "mau03", "mau04" or "mau05".
    pub kind: String,
    /// The report as JSON.
    pub report: Value,
    /// The signer's public key, hex.
    pub public_key: String,
    /// The Ed25519 signature of [`signed_bytes`] for this kind and report, hex.
    pub signature: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SignError {
    #[error("the operating system gave no random bytes: {0}")]
    Random(String),
    #[error("the report could not be serialised: {0}")]
    Data(String),
    #[error("the public key is malformed")]
    BadKey,
    #[error("the signature is malformed")]
    BadSignature,
    #[error("the signature does not match the report")]
    Mismatch,
    #[error("the bundle is signed by another key")]
    WrongSigner,
}

/// A new private key seed from the operating system's random source.
pub fn generate_seed() -> Result<[u8; 32], SignError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| SignError::Random(e.to_string()))?;
    Ok(seed)
}

/// The public key (hex) of a seed.
pub fn public_key_hex(seed: &[u8; 32]) -> String {
    hex::encode(SigningKey::from_bytes(seed).verifying_key().to_bytes())
}

/// The exact bytes that are signed: the canonical JSON of `{"kind": …, "report": …}`.
pub fn signed_bytes(kind: &str, report: &Value) -> Vec<u8> {
    let mut out = String::new();
    let bundle = serde_json::json!({ "kind": kind, "report": report });
    write_canonical(&bundle, &mut out);
    out.into_bytes()
}

/// Canonical JSON text of a value (see the module documentation).
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write_canonical(v, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(v, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Signs a report with the key of `seed`.
pub fn sign<T: Serialize>(
    seed: &[u8; 32],
    kind: &str,
    report: &T,
) -> Result<SignedBundle, SignError> {
    let report = serde_json::to_value(report).map_err(|e| SignError::Data(e.to_string()))?;
    let key = SigningKey::from_bytes(seed);
    let signature = key.sign(&signed_bytes(kind, &report));
    Ok(SignedBundle {
        kind: kind.to_string(),
        report,
        public_key: hex::encode(key.verifying_key().to_bytes()),
        signature: hex::encode(signature.to_bytes()),
    })
}

/// Checks a bundle's signature against the key it names.
pub fn verify(bundle: &SignedBundle) -> Result<(), SignError> {
    verify_detached(
        &bundle.public_key,
        &signed_bytes(&bundle.kind, &bundle.report),
        &bundle.signature,
    )
}

/// Checks a detached signature (hex) over exactly `bytes` with a public key (hex): what a
/// recipient does with the `.json` file of a sent report, its `.json.sig` and the key
/// `ungcuu keys show` prints. Surrounding whitespace of the hex texts is ignored.
pub fn verify_detached(public_key: &str, bytes: &[u8], signature: &str) -> Result<(), SignError> {
    let key: [u8; 32] = hex::decode(public_key.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(SignError::BadKey)?;
    let key = VerifyingKey::from_bytes(&key).map_err(|_| SignError::BadKey)?;
    let sig: [u8; 64] = hex::decode(signature.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(SignError::BadSignature)?;
    key.verify_strict(bytes, &Signature::from_bytes(&sig))
        .map_err(|_| SignError::Mismatch)
}

/// Checks the signature and that the signer is the expected key (hex).
pub fn verify_from(bundle: &SignedBundle, public_key: &str) -> Result<(), SignError> {
    if !bundle.public_key.eq_ignore_ascii_case(public_key) {
        return Err(SignError::WrongSigner);
    }
    verify(bundle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample;

    #[test]
    fn a_signed_report_verifies_and_any_change_breaks_it() {
        let seed = generate_seed().unwrap();
        let bundle = sign(&seed, "mau03", &sample::mau03()).unwrap();
        assert_eq!(verify(&bundle), Ok(()));
        assert_eq!(verify_from(&bundle, &public_key_hex(&seed)), Ok(()));

        // Survives a round trip through JSON text (key order and spacing do not matter).
        let text = serde_json::to_string_pretty(&bundle).unwrap();
        let back: SignedBundle = serde_json::from_str(&text).unwrap();
        assert_eq!(verify(&back), Ok(()));

        let mut changed = bundle.clone();
        changed.report["reporter"]["name"] = Value::String("Sở Y tế".into());
        assert_eq!(verify(&changed), Err(SignError::Mismatch));

        let mut other_kind = bundle.clone();
        other_kind.kind = "mau04".into();
        assert_eq!(verify(&other_kind), Err(SignError::Mismatch));

        let other = generate_seed().unwrap();
        assert_ne!(other, seed);
        assert_eq!(
            verify_from(&bundle, &public_key_hex(&other)),
            Err(SignError::WrongSigner)
        );
        let mut forged = bundle.clone();
        forged.public_key = public_key_hex(&other);
        assert_eq!(verify(&forged), Err(SignError::Mismatch));

        let mut bad = bundle;
        bad.signature = "zz".into();
        assert_eq!(verify(&bad), Err(SignError::BadSignature));
    }

    #[test]
    fn canonical_json_sorts_keys_and_is_deterministic() {
        let a: Value = serde_json::from_str(r#"{"b":1,"a":{"d":[1,"đ"],"c":null}}"#).unwrap();
        assert_eq!(canonical_json(&a), r#"{"a":{"c":null,"d":[1,"đ"]},"b":1}"#);
        // A known key signs the same bytes the same way every time.
        let seed = [7u8; 32];
        let one = sign(&seed, "mau05", &sample::mau05()).unwrap();
        let two = sign(&seed, "mau05", &sample::mau05()).unwrap();
        assert_eq!(one.signature, two.signature);
    }
}
