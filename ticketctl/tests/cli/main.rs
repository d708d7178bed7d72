//! End to end: the real `ticketctl` binary against the real `ticketd`
//! binary, one fresh server per test (CLI.md is the contract).

mod exit_codes;
mod harness;
mod lists;
mod prompts;
mod settings;
mod submit;
mod workflow;
