//! `ticketd`: the ticket system daemon. Each module uses only the layers
//! below it, drawn in docs/architecture.md and checked by
//! `tests/architecture.rs`: storage, then the domain rules, the shared
//! state, the HTTP API, the web pages and the server, and on top the
//! settings and `main.rs`, the composition root. Tests run the same [`server::serve`] in-process.
#![deny(unsafe_code)]

pub mod api;
pub mod blobs;
pub mod cli;
pub mod commands;
pub mod config;
pub mod connections;
pub mod domain;
pub mod feed;
pub mod health;
pub mod lost_database;
pub mod memory;
pub mod metrics;
pub mod request_limits;
pub mod secrets;
pub mod server;
pub mod state;
pub mod store;
pub mod systemd;
pub mod web;
