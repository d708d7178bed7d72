//! `ticketd backup` on the real binary (procs.rs): a snapshot taken while
//! a server takes a steady load of writes holds every write acknowledged
//! before it began, passes `check`, and serves its data once restored the
//! way docs/operations.md says; a directory's snapshots are rotated by
//! `--keep` without touching anything else; a file is never overwritten;
//! bad flags and PostgreSQL are refused, writing nothing.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;

use chrono::{NaiveDateTime, Utc};
use serde_json::json;

use crate::crash::{all_fulltickets, id};
use crate::gc::upload;
use crate::procs::{Finished, PATIENCE, POLL, Sandbox, client, send};

/// A ticket the server acknowledged: when its request was sent, and when
/// its answer arrived.
struct Acked {
    id: i64,
    title: String,
    sent: Instant,
    at: Instant,
}

/// Create tickets through `base` until `stop`, counting the acknowledged
/// ones in `acked`. An answer that is not a 2xx acknowledges nothing.
async fn write_until(
    base: String,
    writer: usize,
    stop: Arc<AtomicBool>,
    acked: Arc<AtomicUsize>,
) -> Vec<Acked> {
    let client = client();
    let mut done = Vec::new();
    for n in 0.. {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let title = format!("writer {writer} ticket {n}");
        let request = client
            .post(format!("{base}/api/v1/ticket/"))
            .json(&json!({"owner": "load@example.com", "title": title}));
        let sent = Instant::now();
        if let Ok((status, body)) = send(request).await
            && status.is_success()
        {
            done.push(Acked {
                id: id(&body),
                title,
                sent,
                at: Instant::now(),
            });
            acked.fetch_add(1, Ordering::SeqCst);
        }
    }
    done
}

/// Wait until `acked` reaches `count`, at most [`PATIENCE`].
async fn wait_for(acked: &AtomicUsize, count: usize) {
    let deadline = Instant::now() + PATIENCE;
    while acked.load(Ordering::SeqCst) < count {
        assert!(
            Instant::now() < deadline,
            "only {} of {count} writes were acknowledged within {PATIENCE:?}",
            acked.load(Ordering::SeqCst)
        );
        tokio::time::sleep(POLL).await;
    }
}

/// The file a successful backup says it wrote, after checking that it
/// printed the file's size too.
fn written(done: &Finished) -> PathBuf {
    assert!(done.status.success(), "{}", done.shown());
    let path = done
        .stdout
        .lines()
        .find_map(|line| line.strip_prefix("wrote "))
        .and_then(|rest| rest.rsplit_once(": "))
        .map(|(path, _)| PathBuf::from(path))
        .unwrap_or_else(|| panic!("no `wrote PATH: SIZE` line: {}", done.shown()));
    let size = std::fs::metadata(&path)
        .unwrap_or_else(|err| panic!("{}: {err}\n{}", path.display(), done.shown()))
        .len();
    assert!(
        done.stdout.contains(&format!("{size} bytes")),
        "the size {size} is not printed: {}",
        done.shown()
    );
    path
}

fn sqlite_url(file: &Path) -> String {
    format!("sqlite://{}", file.display())
}

/// The restore of docs/operations.md, into a fresh data dir: the snapshot
/// becomes `ticketd.db`, and the blob directory copied after the backup
/// becomes `blobs/`.
fn restore(snapshot: &Path, blobs: &Path) -> Sandbox {
    let restored = Sandbox::new();
    let data = restored.path("data");
    std::fs::create_dir(&data).expect("data dir");
    std::fs::copy(snapshot, data.join("ticketd.db")).expect("copy the snapshot");
    let copied = Command::new("cp")
        .arg("-a")
        .arg(blobs)
        .arg(data.join("blobs"))
        .status()
        .expect("run cp");
    assert!(copied.success(), "cp -a {}", blobs.display());
    restored
}

/// Every name in `dir`.
fn names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .expect("list the directory")
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .into_string()
                .expect("a UTF-8 name")
        })
        .collect()
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .and_then(|name| name.to_str())
        .expect("a file name")
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_write_load_holds_every_write_acknowledged_before_it_began() {
    let sandbox = Sandbox::new();
    let server = sandbox.serve(None, &["--no-auth"]).await;
    let stop = Arc::new(AtomicBool::new(false));
    let acked = Arc::new(AtomicUsize::new(0));
    let writers: Vec<_> = (0..4)
        .map(|writer| {
            tokio::spawn(write_until(
                server.base.clone(),
                writer,
                stop.clone(),
                acked.clone(),
            ))
        })
        .collect();
    wait_for(&acked, 200).await;

    let began = Instant::now();
    let to = format!("{}/", sandbox.path("backups").display());
    // The writers go on on the other thread while this one waits.
    let done = tokio::task::block_in_place(|| sandbox.run_on(None, &["backup", "--to", &to]));
    let ended = Instant::now();
    wait_for(&acked, acked.load(Ordering::SeqCst) + 50).await;
    stop.store(true, Ordering::SeqCst);
    let mut all = Vec::new();
    for writer in writers {
        all.extend(writer.await.expect("a writer"));
    }
    let snapshot = written(&done);
    assert_eq!(snapshot.parent(), Some(sandbox.path("backups").as_path()));

    let before: Vec<&Acked> = all.iter().filter(|w| w.at < began).collect();
    let during = all.iter().filter(|w| began <= w.at && w.at < ended).count();
    assert!(
        during > 0,
        "no write was acknowledged while the backup ran: it was not taken under load"
    );

    let restored = restore(&snapshot, &sandbox.path("data/blobs"));
    let checked = restored.run_on(None, &["check"]);
    assert!(checked.status.success(), "{}", checked.shown());
    assert!(
        checked.stdout.contains("integrity: ok"),
        "{}",
        checked.shown()
    );
    let copy = restored.serve(None, &["--no-auth"]).await;
    let tickets = all_fulltickets(&copy).await;
    for write in &before {
        let ticket = tickets.get(&write.id).unwrap_or_else(|| {
            panic!(
                "ticket {} ({}) was acknowledged before the backup began and is not in it \
                 ({} of {} writes acknowledged before it; {during} while it ran)",
                write.id,
                write.title,
                before.len(),
                all.len()
            )
        });
        assert_eq!(ticket["title"], write.title.as_str(), "{ticket}");
    }
    // A write sent after the backup ended cannot be in it.
    let after: Vec<i64> = all
        .iter()
        .filter(|w| w.sent >= ended)
        .map(|w| w.id)
        .collect();
    assert!(!after.is_empty(), "no write was sent after the backup");
    assert!(
        after.iter().all(|id| !tickets.contains_key(id)),
        "the snapshot holds writes made after it"
    );
    assert!(copy.stop().success());
    assert!(server.stop().success());
}

#[tokio::test]
async fn a_snapshot_restored_with_the_blobs_copied_after_it_serves_tickets_artifacts_and_blobs() {
    let sandbox = Sandbox::new();
    let server = sandbox.serve(None, &["--no-auth"]).await;
    let ticket = server
        .post(
            "/api/v1/ticket/",
            json!({"owner": "o@example.com", "title": "kept by the backup"}),
        )
        .await;
    let content = b"a build log the snapshot references";
    let digest = upload(&server, content).await;
    let artifact = server
        .post(
            "/api/v1/ticketartifact/",
            json!({"name": "build.log", "ticket": ticket["resource_uri"], "type": "LOGS",
                   "reference": format!("/api/v1/blob/{digest}")}),
        )
        .await;
    let file = sandbox.path("ticketd-before-upgrade.db");
    let file = file.to_str().expect("a UTF-8 path");
    let snapshot = written(&sandbox.run_on(None, &["backup", "--to", file]));
    // Written after the snapshot: not in it.
    server
        .post(
            "/api/v1/ticket/",
            json!({"owner": "o@example.com", "title": "after the backup"}),
        )
        .await;
    // The blobs are copied after the database, as documented, and the
    // service may be gone by the time the copy is restored.
    let restored = restore(&snapshot, &sandbox.path("data/blobs"));
    assert!(server.stop().success());
    drop(sandbox);

    let copy = restored.serve(None, &["--no-auth"]).await;
    let tickets = all_fulltickets(&copy).await;
    let titles: Vec<&str> = tickets
        .values()
        .filter_map(|t| t["title"].as_str())
        .collect();
    assert_eq!(titles, ["kept by the backup"]);
    let got = copy
        .get(&format!("/api/v1/ticketartifact/{}/", id(&artifact)))
        .await;
    assert_eq!(got["reference"], format!("/api/v1/blob/{digest}"));
    let blob = client()
        .get(copy.url(&format!("/api/v1/blob/{digest}")))
        .send()
        .await
        .expect("GET blob");
    assert!(blob.status().is_success(), "{:?}", blob.status());
    assert_eq!(blob.bytes().await.expect("the blob").as_ref(), content);
    assert!(copy.stop().success());
}

#[test]
fn keep_removes_the_oldest_of_its_own_snapshots_and_touches_nothing_else() {
    let sandbox = Sandbox::new();
    let migrated = sandbox.run_on(None, &["migrate"]);
    assert!(migrated.status.success(), "{}", migrated.shown());
    let dir = sandbox.path("snapshots");
    std::fs::create_dir(&dir).expect("snapshot dir");
    let others = [
        "notes.txt",
        "ticketd.db",
        "ticketd-latest.db",
        "ticketd-20200101T000000Z.db.gz",
        "ticketd-20200101T000000Z-01.db",
    ];
    for name in others {
        std::fs::write(dir.join(name), name).expect("another file");
    }
    // A directory with a snapshot's name is not a snapshot either.
    std::fs::create_dir(dir.join("ticketd-20190101T000000Z.db")).expect("a directory");
    let old = [
        "ticketd-20200101T000000Z.db",
        "ticketd-20200102T000000Z.db",
        "ticketd-20200102T000000Z-2.db",
    ];
    for name in old {
        std::fs::write(dir.join(name), "an old snapshot").expect("an old snapshot");
    }
    let to = dir.to_str().expect("a UTF-8 path");

    let first = sandbox.run_on(None, &["backup", "--to", to, "--keep", "3"]);
    let first_file = written(&first);
    assert!(
        first.stdout.contains(&format!(
            "removed {} (keeping the newest 3)",
            dir.join(old[0]).display()
        )),
        "{}",
        first.shown()
    );
    let stamp = name_of(&first_file)
        .strip_prefix("ticketd-")
        .and_then(|rest| rest.strip_suffix(".db"))
        .map(str::to_string)
        .unwrap_or_else(|| panic!("not ticketd-STAMP.db: {}", first.shown()));
    let at = NaiveDateTime::parse_from_str(&stamp, "%Y%m%dT%H%M%SZ")
        .unwrap_or_else(|err| panic!("{stamp}: {err}"))
        .and_utc();
    assert!((Utc::now() - at).num_seconds().abs() < 600, "{stamp}");

    // Twice more, perhaps in the same second: each gets a name of its own.
    let second_file = written(&sandbox.run_on(None, &["backup", "--to", to, "--keep", "2"]));
    let third = sandbox.run_on(None, &["backup", "--to", to, "--keep", "2"]);
    let third_file = written(&third);
    let mut expected: BTreeSet<String> = others.iter().map(|n| n.to_string()).collect();
    expected.insert("ticketd-20190101T000000Z.db".to_string());
    expected.insert(name_of(&second_file));
    expected.insert(name_of(&third_file));
    assert_eq!(names(&dir), expected, "{}", third.shown());
    assert!(
        third
            .stdout
            .contains(&format!("removed {}", first_file.display())),
        "{}",
        third.shown()
    );
    for name in others {
        assert_eq!(
            std::fs::read_to_string(dir.join(name)).expect("read"),
            name,
            "{name} was changed"
        );
    }
    for kept in [&second_file, &third_file] {
        let checked = sandbox.run_on(Some(&sqlite_url(kept)), &["check"]);
        assert!(checked.status.success(), "{}", checked.shown());
    }
}

#[test]
fn a_backup_to_a_file_is_private_checked_and_never_overwritten() {
    let sandbox = Sandbox::new();
    let migrated = sandbox.run_on(None, &["migrate"]);
    assert!(migrated.status.success(), "{}", migrated.shown());
    let file = sandbox.path("copy.db");
    let to = file.to_str().expect("a UTF-8 path");
    let snapshot = written(&sandbox.run_on(None, &["backup", "--to", to]));
    assert_eq!(snapshot, file);
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(&file).expect("metadata").permissions(),
    );
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    let checked = sandbox.run_on(Some(&sqlite_url(&file)), &["check"]);
    assert!(checked.status.success(), "{}", checked.shown());
    assert!(
        checked.stdout.contains("integrity: ok"),
        "{}",
        checked.shown()
    );

    let before = std::fs::read(&file).expect("read the backup");
    let again = sandbox.run_on(None, &["backup", "--to", to]);
    assert_eq!(again.status.code(), Some(1), "{}", again.shown());
    assert!(
        again.stderr.contains("exists") && again.stderr.contains("never overwrites"),
        "{}",
        again.shown()
    );
    assert_eq!(std::fs::read(&file).expect("read"), before);

    let nowhere = sandbox.path("missing/copy.db");
    let refused = sandbox.run_on(
        None,
        &["backup", "--to", nowhere.to_str().expect("a UTF-8 path")],
    );
    assert_eq!(refused.status.code(), Some(1), "{}", refused.shown());
    assert!(
        refused.stderr.contains("does not exist"),
        "{}",
        refused.shown()
    );
    assert!(
        !names(&sandbox.path(""))
            .iter()
            .any(|n| n.contains("partial")),
        "a temporary file was left behind"
    );
}

#[test]
fn a_bad_keep_is_refused_naming_it_and_writes_nothing() {
    let sandbox = Sandbox::new();
    let migrated = sandbox.run_on(None, &["migrate"]);
    assert!(migrated.status.success(), "{}", migrated.shown());
    let dir = sandbox.path("snapshots/");
    let to = dir.to_str().expect("a UTF-8 path");
    for (keep, says) in [
        ("0", "must be at least 1"),
        ("-1", "expected the number of snapshots to keep"),
        ("seven", "expected the number of snapshots to keep"),
    ] {
        let keep = format!("--keep={keep}");
        let refused = sandbox.run_on(None, &["backup", "--to", to, &keep]);
        refused.assert_refused("--keep", says);
    }
    assert!(!dir.exists(), "the directory was made");

    let file = sandbox.path("copy.db");
    let to = file.to_str().expect("a UTF-8 path");
    let refused = sandbox.run_on(None, &["backup", "--to", to, "--keep", "2"]);
    assert_eq!(refused.status.code(), Some(1), "{}", refused.shown());
    assert!(
        refused.stderr.contains("--keep") && refused.stderr.contains("names a file"),
        "{}",
        refused.shown()
    );
    assert!(!file.exists(), "the file was written");
}

#[test]
fn a_postgres_database_is_refused_with_its_own_tools_named() {
    let sandbox = Sandbox::new();
    let dir = sandbox.path("snapshots/");
    let refused = sandbox.run_on(
        Some("postgres://ticketd:S3cret@127.0.0.1:9/ticketd"),
        &["backup", "--to", dir.to_str().expect("a UTF-8 path")],
    );
    assert_eq!(refused.status.code(), Some(1), "{}", refused.shown());
    for says in [
        "pg_dump -Fc",
        "pg_restore",
        "pg_basebackup",
        "ticketd export",
    ] {
        assert!(refused.stderr.contains(says), "{says}: {}", refused.shown());
    }
    assert!(!refused.stderr.contains("S3cret"), "{}", refused.shown());
    assert!(!dir.exists(), "the directory was made");
}

#[test]
fn a_missing_database_is_refused_and_not_created() {
    let sandbox = Sandbox::new();
    std::fs::create_dir(sandbox.path("data")).expect("data dir");
    let to = sandbox.path("snapshots/");
    let refused = sandbox.run_on(
        None,
        &["backup", "--to", to.to_str().expect("a UTF-8 path")],
    );
    assert_eq!(refused.status.code(), Some(1), "{}", refused.shown());
    assert!(
        refused.stderr.contains("there is no database at"),
        "{}",
        refused.shown()
    );
    assert!(!sandbox.path("data/ticketd.db").exists());
    assert!(!to.exists());
}
