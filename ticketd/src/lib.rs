//! `ticketd`: the ticket system daemon. Config → storage → domain rules →
//! HTTP, one direction of dependency. The binary is a thin `main.rs`; tests
//! run the same [`server::serve`] in-process.
#![deny(unsafe_code)]

pub mod api;
pub mod blobs;
pub mod cli;
pub mod config;
pub mod connections;
pub mod domain;
pub mod health;
pub mod lost_database;
pub mod memory;
pub mod metrics;
pub mod ops;
pub mod request_limits;
pub mod secrets;
pub mod server;
pub mod state;
pub mod store;
