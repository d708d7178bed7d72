//! Parsing a JSON body costs memory in proportion to what the parsed value
//! keeps, never a tree of the whole body (each `serde_json::Value` is 32
//! bytes, for as little as 2 bytes of body). Measured with a counting
//! allocator, in a test binary of its own so that nothing else allocates
//! meanwhile.

use std::alloc::System;

use shared::requests::NewTicket;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// The bytes requested while `f` runs: a bound on the most it held at once.
fn allocated_by(f: impl FnOnce()) -> usize {
    let region = Region::new(GLOBAL);
    f();
    let change = region.change();
    change.bytes_allocated + usize::try_from(change.bytes_reallocated).unwrap_or(0)
}

#[test]
fn parsing_a_body_allocates_at_most_twice_its_size() {
    // About a megabyte of the cheapest JSON values.
    let zeros = vec!["0"; 500_000].join(",");
    let cases = [
        (
            format!(r#"{{"owner": "a@b.c", "title": "t", "x": [{zeros}]}}"#),
            "an unknown field",
        ),
        (format!("[{zeros}]"), "an array where an object belongs"),
        (
            format!(r#"{{"owner": "a@b.c", "title": "t", "description": [{zeros}]}}"#),
            "a field of the wrong type",
        ),
        (
            format!(r#"{{"owner": "a@b.c", "title": "\u0000", "x": [{zeros}]}}"#),
            "a NUL character",
        ),
        (
            format!(
                r#"{{"owner": "a@b.c", "title": "t", "description": "{}"}}"#,
                "a".repeat(1 << 20)
            ),
            "a valid body",
        ),
    ];
    for (body, what) in cases {
        let bytes = allocated_by(|| {
            let _ = ticketd::api::parse_body::<NewTicket>(body.as_bytes());
        });
        assert!(
            bytes <= 2 * body.len(),
            "{what}: {bytes} bytes allocated to parse a body of {}",
            body.len()
        );
    }
}
