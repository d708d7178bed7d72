//! Integration tests of `ticketd` over real HTTP, each on SQLite and on
//! PostgreSQL. One binary, many modules: linking dominates build time.

#[macro_use]
mod helpers;

mod auth;
mod backup;
mod binary;
mod blobs;
mod browser;
mod bundle;
mod cluster;
mod crash;
mod damage;
mod errors;
mod event_stream;
mod gc;
mod group_commit;
mod indexes;
mod input;
mod limits;
mod object_store;
mod openapi;
mod operator;
mod ops;
mod outage;
mod ownership;
mod packagelist;
mod procs;
mod progress;
mod regressions;
mod resources;
mod restarts;
mod secrets;
mod storage;
mod tokens;
mod transfer;
mod upgrades;
mod web;
mod workflow;
mod workflow_document;
