//! End to end: the real ticketctl against the real ticketd.

mod commands;
mod harness;
mod submit;
