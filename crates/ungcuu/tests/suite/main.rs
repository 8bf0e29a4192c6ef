//! The application-level suite: every test starts the whole application on the backend chosen
//! by `UNGCUU_TEST_BACKEND` (scripts/test runs it on SQLite and on PostgreSQL).

mod accounts;
mod api;
mod audit;
mod auth;
mod backup;
mod browser;
mod browser_constituency;
mod browser_documents;
mod browser_incident;
mod browser_systems;
mod cli;
mod clocks;
mod constituency;
mod coordination;
mod documents;
mod documents_form;
mod documents_network;
mod evidence;
mod evidence_stream;
mod incidents;
mod intake;
mod jobs_mail;
mod limits;
mod matrix;
mod network;
mod notices;
mod outcomes;
mod schema;
mod screenshots;
mod setup;
mod severity_page;
mod systems;
mod tasks;
mod xss;
