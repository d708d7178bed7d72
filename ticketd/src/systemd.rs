//! What systemd hands `ticketd serve` and expects back from it: the
//! listening socket of a `.socket` unit (socket activation,
//! `sd_listen_fds(3)`), and the readiness protocol of `Type=notify`
//! (`sd_notify(3)`). The units are in `dist/systemd/`; docs/operations.md
//! ("Restarts") says how they keep a restart from dropping a connection.

use std::net::TcpListener;

use anyhow::{Context, bail};
use sd_notify::NotifyState;

/// The variable that lists the names of the passed sockets; `listenfd`
/// unsets `LISTEN_FDS` and `LISTEN_PID` but not this one.
const LISTEN_FDNAMES: &str = "LISTEN_FDNAMES";

/// The listening socket systemd passed (`LISTEN_FDS=1`, `LISTEN_PID` this
/// process), non-blocking, or `None` when none was passed to this process.
/// The variables are unset, so that no child inherits them.
///
/// Call it before any other thread starts (first thing in `main`, before
/// the async runtime): changing the environment is sound only while no
/// other thread may read it.
pub fn take_listener() -> anyhow::Result<Option<TcpListener>> {
    if std::env::var_os("LISTEN_FDS").is_none() {
        return Ok(None);
    }
    // Empty when LISTEN_PID names another process: the sockets are not
    // ours (a parent's variables leaked into our environment).
    let mut passed = listenfd::ListenFd::from_env();
    forget_fd_names();
    let listener = match passed.len() {
        0 => return Ok(None),
        1 => passed
            .take_tcp_listener(0)
            .context("the socket systemd passed (LISTEN_FDS) is not a TCP socket; give ticketd.socket a ListenStream= of HOST:PORT or PORT")?
            .context("the socket systemd passed (LISTEN_FDS) was taken already")?,
        n => bail!(
            "systemd passed {n} sockets (LISTEN_FDS={n}); ticketd serves one: give its .socket unit a single ListenStream="
        ),
    };
    if !rustix::net::sockopt::socket_acceptconn(&listener)
        .context("cannot inspect the socket systemd passed (LISTEN_FDS)")?
    {
        bail!(
            "the socket systemd passed (LISTEN_FDS) does not listen; ticketd.socket needs Accept=no and a ListenStream="
        );
    }
    // tokio's listener needs it; the socket is shared with systemd and the
    // next ticketd, which accept from it the same way.
    listener
        .set_nonblocking(true)
        .context("cannot make the socket systemd passed non-blocking")?;
    Ok(Some(listener))
}

#[expect(
    unsafe_code,
    reason = "std::env::remove_var is unsafe (edition 2024); see the SAFETY note"
)]
fn forget_fd_names() {
    // SAFETY: called from `take_listener`, which runs in `main` before the
    // runtime or any other thread exists: nothing reads the environment
    // concurrently.
    unsafe { std::env::remove_var(LISTEN_FDNAMES) };
}

/// Tell systemd (`Type=notify`) that the service is ready: the database is
/// migrated and answers. Nothing happens without `$NOTIFY_SOCKET`.
pub fn notify_ready(status: &str) {
    notify(&[NotifyState::Ready, NotifyState::Status(status)]);
}

/// Tell systemd that the service is stopping: it finishes the requests in
/// flight, then exits.
pub fn notify_stopping(status: &str) {
    notify(&[NotifyState::Stopping, NotifyState::Status(status)]);
}

/// A `STATUS=` line for `systemctl status`.
pub fn notify_status(status: &str) {
    notify(&[NotifyState::Status(status)]);
}

fn notify(states: &[NotifyState]) {
    if let Err(err) = sd_notify::notify(states) {
        tracing::warn!(%err, "cannot notify systemd ($NOTIFY_SOCKET)");
    }
}
