//! Giving memory back after a burst, on glibc's allocator.
//!
//! - By default glibc serves a large buffer from its arenas once an equal
//!   one has been freed (its mmap threshold rises up to 32 MiB), so a burst
//!   of 16 MiB bodies leaves hundreds of MB in the arenas.
//!   [`tune_allocator`] keeps buffers of 128 KiB and more in mappings of
//!   their own, which go back to the system when freed.
//! - glibc gives each new thread an arena of its own, up to eight per core.
//!   SQLite's list statements run under `block_in_place`, which hands the
//!   runtime to fresh threads, so under load a dozen arenas each kept its
//!   own free memory (+20 MB). [`tune_allocator`] allows one arena per
//!   core: the runtime's threads.
//! - glibc also keeps what a thread freed in that thread's arena, so after
//!   a burst of bodies or pages the process would stay at its high-water
//!   mark. [`spawn_trimmer`] calls `malloc_trim(0)`, which returns every
//!   arena's free pages. It locks each arena while it walks it, so it runs
//!   when the server has gone quiet after a burst (and under a steady load
//!   at most once a minute), on a blocking thread.
//!
//! BENCHMARKS.md ("Abuse") has the measurements.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::metrics::Metrics;

/// How often the trimmer looks at the request count.
const TICK: Duration = Duration::from_secs(5);
/// Under a load that never pauses, the longest time between two trims.
const MAX_BETWEEN_TRIMS: Duration = Duration::from_secs(60);

/// The smallest buffer glibc gives its own mapping (its default starts
/// here too, but then rises).
const MMAP_THRESHOLD: libc::c_int = 128 * 1024;

/// Fix glibc's mmap threshold at [`MMAP_THRESHOLD`] and its arenas at one
/// per core (see the module's documentation), each unless the operator
/// tuned it with `GLIBC_TUNABLES`. Called first thing in `main`.
pub fn tune_allocator() {
    let tunables = std::env::var("GLIBC_TUNABLES").unwrap_or_default();
    if !GLIBC {
        return;
    }
    if !tunables.contains("malloc.mmap_threshold") {
        set_malloc_parameter(M_MMAP_THRESHOLD, MMAP_THRESHOLD);
    }
    if !tunables.contains("malloc.arena_max") {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        set_malloc_parameter(
            M_ARENA_MAX,
            libc::c_int::try_from(cores).unwrap_or(libc::c_int::MAX),
        );
    }
}

/// Trim the allocator after each burst of requests (see the module's
/// documentation). Does nothing where the allocator is not glibc's.
pub fn spawn_trimmer(metrics: Arc<Metrics>) {
    if !GLIBC {
        return;
    }
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(TICK);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut seen = metrics.requests_answered();
        let mut served_since_trim = false;
        let mut last_trim = Instant::now();
        loop {
            ticks.tick().await;
            let answered = metrics.requests_answered();
            let quiet = answered == seen;
            served_since_trim |= !quiet;
            seen = answered;
            let due = quiet || last_trim.elapsed() >= MAX_BETWEEN_TRIMS;
            if served_since_trim && due {
                served_since_trim = false;
                last_trim = Instant::now();
                match tokio::task::spawn_blocking(trim).await {
                    Ok(released) => tracing::debug!(
                        released,
                        took_us = last_trim.elapsed().as_micros() as u64,
                        "gave free heap memory back to the system"
                    ),
                    Err(err) => tracing::warn!(%err, "the allocator trim did not run"),
                }
            }
        }
    });
}

/// Whether the allocator is glibc's, which these calls are for.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const GLIBC: bool = true;
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
const GLIBC: bool = false;

/// Return the free pages of every glibc arena to the system; whether any
/// came back.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[expect(
    unsafe_code,
    reason = "malloc_trim is a C function; see the SAFETY note"
)]
fn trim() -> bool {
    // SAFETY: malloc_trim takes no pointer and touches only the
    // allocator's own state, under the allocator's own locks; glibc allows
    // it from any thread at any time.
    unsafe { libc::malloc_trim(0) == 1 }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
use libc::{M_ARENA_MAX, M_MMAP_THRESHOLD};
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
const M_ARENA_MAX: libc::c_int = 0;
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
const M_MMAP_THRESHOLD: libc::c_int = 0;

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[expect(unsafe_code, reason = "mallopt is a C function; see the SAFETY note")]
fn set_malloc_parameter(parameter: libc::c_int, value: libc::c_int) {
    // SAFETY: mallopt takes no pointer and sets one of the allocator's
    // parameters under the allocator's own lock; a fixed threshold or
    // arena count only changes where later allocations come from.
    unsafe { libc::mallopt(parameter, value) };
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn set_malloc_parameter(_parameter: libc::c_int, _value: libc::c_int) {}

/// Other allocators (musl's, macOS's) give memory back themselves or have
/// no such call.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn trim() -> bool {
    false
}
