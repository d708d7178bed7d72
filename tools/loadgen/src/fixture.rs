//! Test data made through the API before a measurement: tickets for the
//! read scenarios, tickets with 10 subtickets and 30 artifacts for
//! `fullticket`, queued tickets for the status walk. Every seeding call must
//! succeed; a failure stops the run with the server's answer.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, bail};
use serde_json::{Value, json};

use crate::client::{Answer, Conn, Target};
use crate::rng::Rng;
use crate::walker::{self, Walk};

/// The uploads of a submission: the same three as
/// `tools/submission-timing.py`.
pub const UPLOADS: [(&str, &str); 3] = [("foo", "1.2-3"), ("bar", "2.0-1"), ("baz", "0.9-2")];

/// Owners of seeded tickets: `dev0@example.com` … `dev9@example.com`.
pub const OWNERS: u64 = 10;

/// Ids the read scenarios pick from.
#[derive(Debug, Clone)]
pub enum Ids {
    List(Vec<i64>),
    /// Every id in `lo..=hi` (an existing database, assumed dense).
    Range(i64, i64),
}

impl Ids {
    pub fn pick(&self, rng: &mut Rng) -> i64 {
        match self {
            Ids::List(ids) => ids.get(rng.index(ids.len())).copied().unwrap_or(1),
            Ids::Range(lo, hi) => lo + rng.below((hi - lo + 1).max(1) as u64) as i64,
        }
    }
}

/// What the read scenarios need to know about the data on the server.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// Ids for `ticket/{id}/` and `id__gt`.
    pub tickets: Ids,
    /// Ids for `fullticket/{id}/`.
    pub fulltickets: Ids,
    /// `total_count` of `ticket/` after seeding.
    pub total: u64,
    /// Titles start with this, then digits (`title__startswith=` + digit).
    pub title_prefix: String,
    /// The highest event id when the fixture was made (the pollers' cursor).
    pub last_event: i64,
}

/// Run `count` jobs over `workers` connections; results in job order.
pub async fn parallel<R, F, Fut>(
    target: &Target,
    workers: usize,
    count: usize,
    job: F,
) -> anyhow::Result<Vec<R>>
where
    R: Send + 'static,
    F: Fn(Conn, usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = (Conn, anyhow::Result<R>)> + Send,
{
    let next = Arc::new(AtomicUsize::new(0));
    let job = Arc::new(job);
    let mut tasks = Vec::new();
    for _ in 0..workers.clamp(1, count.max(1)) {
        let (next, job, target) = (next.clone(), job.clone(), target.clone());
        tasks.push(tokio::spawn(async move {
            let mut conn = Conn::new(target);
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= count {
                    return Ok(done);
                }
                let (back, result) = job(conn, i).await;
                conn = back;
                match result {
                    Ok(r) => done.push((i, r)),
                    Err(err) => {
                        // Stop the others early.
                        next.store(count, Ordering::Relaxed);
                        return Err(err);
                    }
                }
            }
        }));
    }
    let mut all = Vec::with_capacity(count);
    for task in tasks {
        all.extend(task.await.context("a seeding task panicked")??);
    }
    all.sort_by_key(|(i, _)| *i);
    Ok(all.into_iter().map(|(_, r)| r).collect())
}

/// The answer if it is a 2xx, else an error naming the call.
pub fn expect_ok(what: &str, answer: Answer) -> anyhow::Result<Answer> {
    if answer.is_success() {
        Ok(answer)
    } else {
        bail!(
            "{what}: {} {}",
            answer.status,
            String::from_utf8_lossy(&answer.body[..answer.body.len().min(300)])
        )
    }
}

/// `field` of a JSON object as an integer.
pub fn id_of(value: &Value, field: &str) -> anyhow::Result<i64> {
    value
        .get(field)
        .and_then(Value::as_i64)
        .with_context(|| format!("no integer `{field}` in {value}"))
}

/// `field` of a JSON object as a string.
pub fn str_of<'a>(value: &'a Value, field: &str) -> anyhow::Result<&'a str> {
    value
        .get(field)
        .and_then(Value::as_str)
        .with_context(|| format!("no string `{field}` in {value}"))
}

/// A bundle body: the three uploads with two `SPU` artifacts each (the
/// shape of `tools/submission-timing.py`), plus `ticket_artifacts` ticket
/// artifacts.
pub fn bundle_body(
    title: &str,
    owner: &str,
    n: u64,
    ticket_artifacts: usize,
    queue: bool,
) -> Value {
    let uploads: Vec<Value> = UPLOADS
        .iter()
        .map(|(source, version)| {
            json!({
                "sourcepackage": source, "version": version,
                "artifacts": [
                    {"name": format!("{source}_{version}.dsc"),
                     "reference": format!("https://files.example/{source}/{n}.dsc"), "type": "SPU"},
                    {"name": format!("{source}_{version}.tar.xz"),
                     "reference": format!("https://files.example/{source}/{n}.tar.xz"), "type": "SPU"},
                ]
            })
        })
        .collect();
    let artifacts: Vec<Value> = (0..ticket_artifacts)
        .map(|i| {
            let kind = ["LOGS", "RESULTS", "IMAGE"][i % 3];
            json!({"name": format!("artifact-{i}.txt"),
                   "reference": format!("https://files.example/ticket/{n}/{i}"), "type": kind})
        })
        .collect();
    json!({
        "ticket": {"title": title, "owner": owner, "description": "loadgen submission"},
        "uploads": uploads,
        "artifacts": artifacts,
        "queue": queue,
    })
}

/// The ticket id and subticket ids of a `bundle/` (fullticket) answer.
pub fn bundle_ids(full: &Value) -> anyhow::Result<(i64, Vec<i64>)> {
    let ticket = id_of(full, "id")?;
    let subtickets = full
        .get("subtickets")
        .and_then(Value::as_array)
        .with_context(|| format!("no `subtickets` in the bundle answer of ticket {ticket}"))?
        .iter()
        .map(|s| id_of(s, "id"))
        .collect::<anyhow::Result<_>>()?;
    Ok((ticket, subtickets))
}

/// Submit one bundle; the new ticket's id and its subtickets' ids.
pub async fn submit_bundle(conn: &mut Conn, body: &Value) -> anyhow::Result<(i64, Vec<i64>)> {
    let answer = conn.post_json("/api/v1/bundle/", body).await?;
    bundle_ids(&expect_ok("POST /api/v1/bundle/", answer)?.json()?)
}

/// A fresh walk for a queued ticket; one in 20 fails somewhere.
pub fn new_walk(rng: &mut Rng, ticket: i64, subtickets: &[i64]) -> Walk {
    let failure = rng.one_in(20).then(|| walker::Failure {
        // `len` means the ticket itself fails.
        subticket: rng.index(subtickets.len() + 1),
        step: rng.index(walker::STEPS.len()),
    });
    Walk::new(ticket, subtickets, failure)
}

/// Seed `count` tickets by bundles for `ticket/` and list pages, and spread
/// them over a few states so that status filters match something: a
/// quarter each stay queued (100/0), build (200/100), test (400/200), or
/// complete (1000/1000).
pub async fn seed_tickets(
    target: &Target,
    workers: usize,
    tag: &str,
    count: usize,
) -> anyhow::Result<Vec<i64>> {
    let tag = tag.to_string();
    parallel(target, workers, count, move |mut conn, i| {
        let tag = tag.clone();
        async move {
            let result = async {
                let owner = format!("dev{}@example.com", i as u64 % OWNERS);
                let body = bundle_body(&format!("lg-{tag}-{i}"), &owner, i as u64, 0, true);
                let (id, _) = submit_bundle(&mut conn, &body).await?;
                let state = match i % 4 {
                    1 => Some((200, 100)),
                    2 => Some((400, 200)),
                    3 => Some((1000, 1000)),
                    _ => None,
                };
                if let Some((step, status)) = state {
                    let path = format!("/api/v1/updateticketstatus/{id}/");
                    let body = json!({"current_workflow_step": step, "status": status});
                    expect_ok(&path, conn.patch_json(&path, &body).await?)?;
                }
                Ok(id)
            }
            .await;
            (conn, result)
        }
    })
    .await
}

/// Seed `count` tickets with 10 subtickets and 30 artifacts each: a bundle
/// (3 uploads with 2 artifacts each, 10 ticket artifacts, not queued), then
/// 7 more uploads and subtickets with 2 artifacts each through `spu/`,
/// `subticket/` and `subticketartifact/`, then queueing the ticket.
pub async fn seed_fulltickets(
    target: &Target,
    workers: usize,
    tag: &str,
    count: usize,
) -> anyhow::Result<Vec<i64>> {
    let tag = tag.to_string();
    parallel(target, workers, count, move |mut conn, i| {
        let tag = tag.clone();
        async move {
            let result = async {
                let body = bundle_body(&format!("lg-{tag}-full-{i}"), "dev@example.com", i as u64, 10, false);
                let answer = conn.post_json("/api/v1/bundle/", &body).await?;
                let full = expect_ok("POST /api/v1/bundle/", answer)?.json()?;
                let id = id_of(&full, "id")?;
                let ticket_uri = format!("/api/v1/ticket/{id}/");
                let source = full
                    .pointer("/subtickets/0/source_package_upload/sourcepackage/resource_uri")
                    .and_then(Value::as_str)
                    .context("no source package in the bundle answer")?
                    .to_string();
                for extra in 0..7 {
                    let body = json!({"sourcepackage": source, "version": format!("1.{extra}-{i}")});
                    let spu = expect_ok("POST /api/v1/spu/", conn.post_json("/api/v1/spu/", &body).await?)?
                        .json()?;
                    let body = json!({"source_package_upload": str_of(&spu, "resource_uri")?,
                                      "ticket": ticket_uri});
                    let sub = expect_ok(
                        "POST /api/v1/subticket/",
                        conn.post_json("/api/v1/subticket/", &body).await?,
                    )?
                    .json()?;
                    let sub_uri = str_of(&sub, "resource_uri")?.to_string();
                    for (name, kind) in [("build.log", "LOGS"), ("source.dsc", "SPU")] {
                        let body = json!({"name": name, "subticket": sub_uri, "type": kind,
                                          "reference": format!("https://files.example/full/{i}/{extra}/{name}")});
                        expect_ok(
                            "POST /api/v1/subticketartifact/",
                            conn.post_json("/api/v1/subticketartifact/", &body).await?,
                        )?;
                    }
                }
                let path = format!("/api/v1/updateticketstatus/{id}/");
                let body = json!({"current_workflow_step": 100, "status": 0});
                expect_ok(&path, conn.patch_json(&path, &body).await?)?;
                Ok(id)
            }
            .await;
            (conn, result)
        }
    })
    .await
}

/// Create a New ticket without uploads; its id.
pub async fn create_bare_ticket(conn: &mut Conn, title: &str) -> anyhow::Result<i64> {
    let body = json!({"title": title, "owner": "dev@example.com", "description": "loadgen walk"});
    let answer = conn.post_json("/api/v1/ticket/", &body).await?;
    id_of(&expect_ok("POST /api/v1/ticket/", answer)?.json()?, "id")
}

/// Deal `walks` round-robin into one pool per worker.
fn deal(walks: impl Iterator<Item = Walk>, workers: usize) -> Vec<Vec<Walk>> {
    let mut pools: Vec<Vec<Walk>> = (0..workers).map(|_| Vec::new()).collect();
    for (i, walk) in walks.enumerate() {
        if let Some(pool) = pools.get_mut(i % workers.max(1)) {
            pool.push(walk);
        }
    }
    pools
}

/// Submit `count` bundles left New (`"queue": false`), 3 uploads with 2
/// artifacts each, from many owners: a site's backlog.
pub async fn seed_backlog(
    target: &Target,
    workers: usize,
    tag: &str,
    count: usize,
) -> anyhow::Result<()> {
    let tag = tag.to_string();
    parallel(target, workers, count, move |mut conn, i| {
        let owner = format!("dev{}@example.com", i as u64 % OWNERS);
        let body = bundle_body(&format!("lg-{tag}-backlog-{i}"), &owner, i as u64, 0, false);
        async move {
            let result = submit_bundle(&mut conn, &body).await.map(|_| ());
            (conn, result)
        }
    })
    .await?;
    Ok(())
}

/// Seed `per_worker` tickets for each of `workers` walkers: queued
/// 3-upload tickets for `status`, or, with `bare`, New tickets without
/// uploads for `walk`.
pub async fn seed_walks(
    target: &Target,
    workers: usize,
    per_worker: usize,
    tag: &str,
    bare: bool,
) -> anyhow::Result<Vec<Vec<Walk>>> {
    let tag = tag.to_string();
    let count = workers * per_worker;
    let tickets = parallel(target, workers, count, move |mut conn, i| {
        let tag = tag.clone();
        async move {
            let result = if bare {
                let title = format!("lg-{tag}-bare-{i}");
                create_bare_ticket(&mut conn, &title)
                    .await
                    .map(|id| (id, Vec::new()))
            } else {
                let title = format!("lg-{tag}-walk-{i}");
                let body = bundle_body(&title, "lander@example.com", i as u64, 0, true);
                submit_bundle(&mut conn, &body).await
            };
            (conn, result)
        }
    })
    .await?;
    let mut rng = Rng::from_time(count as u64);
    let walks = tickets.iter().map(|(ticket, subtickets)| {
        if bare {
            Walk::from_new(*ticket)
        } else {
            new_walk(&mut rng, *ticket, subtickets)
        }
    });
    Ok(deal(walks, workers))
}

/// Learn what an existing database holds (with `--seed-tickets 0`): the
/// id range and count of tickets, and a title prefix.
pub async fn discover(conn: &mut Conn) -> anyhow::Result<(Ids, u64, String)> {
    let answer = conn.get("/api/v1/ticket/?limit=1&order_by=-id").await?;
    let page = expect_ok("GET /api/v1/ticket/", answer)?.json()?;
    let total = page
        .pointer("/meta/total_count")
        .and_then(Value::as_u64)
        .context("no meta.total_count in the ticket list")?;
    let last = page
        .pointer("/objects/0")
        .context("there are no tickets: seed some (--seed-tickets N or `loadgen seed-db`)")?;
    let max = id_of(last, "id")?;
    let prefix = str_of(last, "title")?
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .to_string();
    Ok((Ids::Range(1, max), total, prefix))
}

/// The total count of tickets and the highest event id.
pub async fn counts(conn: &mut Conn) -> anyhow::Result<(u64, i64)> {
    let answer = conn.get("/api/v1/ticket/?limit=1").await?;
    let total = expect_ok("GET /api/v1/ticket/", answer)?
        .json()?
        .pointer("/meta/total_count")
        .and_then(Value::as_u64)
        .context("no meta.total_count in the ticket list")?;
    let answer = conn.get("/api/v1/event/?limit=1&order_by=-id").await?;
    let last_event = expect_ok("GET /api/v1/event/", answer)?
        .json()?
        .pointer("/objects/0/id")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    Ok((total, last_event))
}
