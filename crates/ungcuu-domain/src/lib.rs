//! Pure types and rules of ungcuu. No IO lives here: everything is testable without a database.

pub mod audit;
pub mod clocks;
pub mod constituency;
pub mod coordination;
pub mod csv;
pub mod evidence;
pub mod incident;
pub mod intake;
pub mod notice;
pub mod org;
pub mod permissions;
pub mod systems;
pub mod tasks;
pub mod text;
pub mod timefmt;
pub mod validate;

pub use org::{OrgKind, Role};
pub use permissions::{Action, Membership, Principal, Visibility};
