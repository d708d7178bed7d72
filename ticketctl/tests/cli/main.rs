//! End to end: the real `ticketctl` binary against the real `ticketd`
//! binary, one fresh server per test.

mod exit_codes;
mod harness;
mod help;
mod lists;
mod logs;
mod look;
mod ownership;
mod prompts;
mod settings;
mod submit;
mod watch;
mod workflow;
