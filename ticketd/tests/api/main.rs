//! Integration tests of `ticketd` over real HTTP, each on SQLite and on
//! PostgreSQL. One binary, many modules: linking dominates build time.

#[macro_use]
mod helpers;

mod ops;
mod process;
mod workflow;
