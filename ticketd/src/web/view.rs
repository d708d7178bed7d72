//! What the pages' templates show, made from the API's models: the
//! progress across the five stages, times, one-line reasons and links.

use chrono::{DateTime, Utc};
use shared::models::WorkflowState;
use shared::{Status, Step};

/// The stages a ticket goes through between New and Complete, in order.
pub const STAGES: [Step; 5] = [
    Step::Queued,
    Step::PackageBuilding,
    Step::ImageBuilding,
    Step::ImageTesting,
    Step::PackagePublishing,
];

/// One stage of a progress bar or stepper.
#[derive(Debug, Clone)]
pub struct Stage {
    pub name: &'static str,
    /// The CSS class: `done`, `waiting`, `active`, `passed` (the stage
    /// succeeded and the next has not started), `failed` or `pending`.
    pub class: &'static str,
    /// How far it got: `done`, `In Progress`, `failed here`, `not reached`.
    pub how: String,
}

/// The five stages of a ticket or subticket at `state`.
pub fn stages(state: &WorkflowState) -> Vec<Stage> {
    let step = state.current_workflow_step;
    STAGES
        .iter()
        .map(|&stage| {
            let class = match step {
                Step::Complete => "done",
                Step::Failed => match state.failed_step {
                    Some(failed) if stage < failed => "done",
                    Some(failed) if stage == failed => "failed",
                    _ => "pending",
                },
                _ if stage < step => "done",
                _ if stage == step => match state.status {
                    Status::NotStarted => "waiting",
                    Status::InProgress => "active",
                    Status::Succeeded | Status::Complete => "passed",
                    Status::Failed => "failed",
                },
                _ => "pending",
            };
            let how = match class {
                "done" => "done".to_string(),
                "failed" => "failed here".to_string(),
                "pending" => "not reached".to_string(),
                _ => state.status_display.clone(),
            };
            Stage {
                name: stage.display_name(),
                class,
                how,
            }
        })
        .collect()
}

/// Where a ticket or subticket is, in words: `Image Building: In
/// Progress`, `Failed at Package Building`, `Complete`.
pub fn state_text(state: &WorkflowState) -> String {
    match state.current_workflow_step {
        Step::Complete => "Complete".to_string(),
        Step::Failed => match state.failed_step {
            Some(step) => format!("Failed at {}", step.display_name()),
            None => "Failed".to_string(),
        },
        _ => format!(
            "{}: {}",
            state.current_workflow_step_display, state.status_display
        ),
    }
}

/// A time as the pages show it, and as `<time datetime>` takes it.
#[derive(Debug, Clone)]
pub struct When {
    pub text: String,
    pub iso: String,
}

pub fn when(time: DateTime<Utc>) -> When {
    When {
        text: time.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        iso: time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    }
}

/// The longest one-line reason a list shows, in characters.
const REASON_CHARS: usize = 160;

/// The first non-blank line of `message`, cut to a list's width.
pub fn one_line(message: &str) -> String {
    let line = message
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or("");
    let mut shown: String = line.chars().take(REASON_CHARS).collect();
    if shown.len() < line.len() || message.trim().lines().nth(1).is_some() {
        shown.push('…');
    }
    shown
}

/// A link to an artifact or reference.
#[derive(Debug, Clone)]
pub struct Link {
    /// Where it points; `None` for a reference no page may link to (only
    /// `http(s)` URLs and this server's blobs are).
    pub href: Option<String>,
    pub label: String,
    /// For a blob of this server: the file name a download is saved as.
    pub download: Option<String>,
}

/// The prefix of this server's blob references.
const BLOB_PREFIX: &str = "/api/v1/blob/";

/// A link to `reference`, shown as `name` (or, without one, a short form
/// of the reference: a blob's digest would fill a line).
pub fn link(reference: &str, name: Option<&str>) -> Link {
    let blob = reference.strip_prefix(BLOB_PREFIX);
    // The API refuses any other reference (docs/api.md, "Bodies"); a page
    // still links only to these, whatever the database holds.
    let linkable = blob.is_some_and(|digest| digest.bytes().all(|b| b.is_ascii_hexdigit()))
        || reference.starts_with("https://")
        || reference.starts_with("http://");
    let label = match (name, blob) {
        (Some(name), _) => name.to_string(),
        (None, Some(digest)) => format!("blob {}…", digest.get(..12).unwrap_or(digest)),
        (None, None) => reference.to_string(),
    };
    Link {
        href: linkable.then(|| reference.to_string()),
        download: blob.and(name).map(str::to_string),
        label,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(step: Step, status: Status, failed: Option<Step>) -> Vec<&'static str> {
        stages(&WorkflowState::new(step, status, failed))
            .iter()
            .map(|s| s.class)
            .collect()
    }

    #[test]
    fn stages_show_what_is_done_where_it_is_and_what_is_left() {
        assert_eq!(classes(Step::New, Status::NotStarted, None), ["pending"; 5]);
        assert_eq!(
            classes(Step::ImageBuilding, Status::InProgress, None),
            ["done", "done", "active", "pending", "pending"]
        );
        assert_eq!(
            classes(Step::Queued, Status::NotStarted, None),
            ["waiting", "pending", "pending", "pending", "pending"]
        );
        assert_eq!(
            classes(Step::Failed, Status::Failed, Some(Step::ImageTesting)),
            ["done", "done", "done", "failed", "pending"]
        );
        assert_eq!(classes(Step::Complete, Status::Complete, None), ["done"; 5]);
    }

    #[test]
    fn a_reason_is_one_line_and_short() {
        assert_eq!(one_line("FTBFS on armhf"), "FTBFS on armhf");
        assert_eq!(one_line("\n  first\nsecond"), "first…");
        assert_eq!(one_line(&"x".repeat(500)).chars().count(), REASON_CHARS + 1);
    }

    #[test]
    fn only_web_and_blob_references_become_links() {
        let digest = "ab".repeat(32);
        let blob = link(&format!("/api/v1/blob/{digest}"), Some("build.log"));
        assert_eq!(
            blob.href.as_deref(),
            Some(&*format!("/api/v1/blob/{digest}"))
        );
        assert_eq!(blob.download.as_deref(), Some("build.log"));
        assert_eq!(
            link(&format!("/api/v1/blob/{digest}"), None).label,
            "blob abababababab…"
        );
        assert!(link("https://ci.example/r/7", None).href.is_some());
        assert!(link("javascript:alert(1)", None).href.is_none());
        assert!(link("/api/v1/blob/x\"y", None).href.is_none());
    }
}
