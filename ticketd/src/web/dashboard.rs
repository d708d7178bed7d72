//! `GET /`: the tickets at a glance. Counts per step (kept by the
//! database, read by key), the queue in order, the tickets in progress with
//! their progress, and the recent failures with their reasons; narrowed by
//! owner, step and title from the query string, so that a view can be
//! bookmarked.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use shared::Step;
use shared::models::WorkflowState;
use url::form_urlencoded;

use super::view::{self, Stage, When};
use super::{Layout, render};
use crate::api::{ApiError, query_pairs};
use crate::state::AppState;
use crate::store::{Condition, Count, ListQuery, Lookup, OrderBy, TICKET, TicketRow};

/// The longest owner and title filters: an address, and a ticket's title.
const MAX_OWNER_CHARS: usize = 254;
const MAX_TITLE_CHARS: usize = 255;

/// What the query string narrows the page to.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Filters {
    /// Tickets of this owner, exactly as submitted.
    pub owner: Option<String>,
    /// Tickets at this step only.
    pub step: Option<Step>,
    /// Tickets whose title contains this, in any case.
    pub title: Option<String>,
}

impl Filters {
    /// Parse `?owner=&step=&title=`: empty values are no filter (a form
    /// sends its empty fields); any other parameter, one given twice, or a
    /// value that cannot be one is a 400 that says which and why.
    pub fn parse(query: Option<&str>) -> Result<Filters, ApiError> {
        let mut filters = Filters::default();
        let mut seen: Vec<String> = Vec::new();
        for (name, value) in query_pairs(query)? {
            if seen.contains(&name) {
                return Err(ApiError::invalid_filter(format!(
                    "{name}: given more than once; give each filter once"
                )));
            }
            let value = value.trim();
            if value.contains('\0') {
                return Err(ApiError::invalid_filter(format!(
                    "{name}: a value must not contain a NUL character"
                )));
            }
            let too_long = |max: usize| {
                ApiError::invalid_filter(format!(
                    "{name}: at most {max} characters (got {})",
                    value.chars().count()
                ))
            };
            let set = (!value.is_empty()).then(|| value.to_string());
            match name.as_str() {
                "owner" if value.chars().count() > MAX_OWNER_CHARS => {
                    return Err(too_long(MAX_OWNER_CHARS));
                }
                "owner" => filters.owner = set,
                "title" if value.chars().count() > MAX_TITLE_CHARS => {
                    return Err(too_long(MAX_TITLE_CHARS));
                }
                "title" => filters.title = set,
                "step" if value.is_empty() => {}
                "step" => {
                    let step = value
                        .parse::<Step>()
                        .map_err(|problem| ApiError::invalid_filter(format!("step: {problem}")))?;
                    filters.step = Some(step);
                }
                _ => {
                    return Err(ApiError::invalid_filter(format!(
                        "`{name}` is not a filter of this page; its filters are owner, step and title"
                    )));
                }
            }
            seen.push(name);
        }
        Ok(filters)
    }

    /// Whether owner or title narrow the lists (the step only picks them).
    fn narrows(&self) -> bool {
        self.owner.is_some() || self.title.is_some()
    }

    /// The page's URL with these filters and `step` instead of this one's.
    fn url_with_step(&self, step: Option<Step>) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        if let Some(owner) = &self.owner {
            query.append_pair("owner", owner);
        }
        if let Some(step) = step {
            query.append_pair("step", step.slug());
        }
        if let Some(title) = &self.title {
            query.append_pair("title", title);
        }
        let query = query.finish();
        if query.is_empty() {
            "/".to_string()
        } else {
            format!("/?{query}")
        }
    }

    /// The conditions of the tickets at `step` that these filters let through.
    fn conditions(&self, step: Step) -> Vec<Condition> {
        let mut conditions = vec![Condition::Compare {
            column: "current_workflow_step",
            lookup: Lookup::Exact,
            values: vec![step.code().into()],
        }];
        if let Some(owner) = &self.owner {
            conditions.push(Condition::Compare {
                column: "owner",
                lookup: Lookup::Exact,
                values: vec![owner.clone().into()],
            });
        }
        if let Some(title) = &self.title {
            conditions.push(Condition::Compare {
                column: "title",
                lookup: Lookup::IContains,
                values: vec![title.clone().into()],
            });
        }
        conditions
    }
}

/// One list of the page: the tickets at one step, by when they entered it
/// (`in_step_since`: queued, started the stage, failed, completed).
struct Plan {
    step: Step,
    heading: &'static str,
    /// The section's element id, which live.js replaces.
    id: &'static str,
    /// Longest in the step first (a queue, work in progress), or the most
    /// recent first (a record).
    oldest_first: bool,
    limit: i64,
    empty: &'static str,
    /// The time each row shows.
    time_label: &'static str,
}

const QUEUE: Plan = Plan {
    step: Step::Queued,
    heading: "Queue",
    id: "queue",
    oldest_first: true,
    limit: 50,
    empty: "The queue is empty.",
    time_label: "Queued",
};

const FAILURES: Plan = Plan {
    step: Step::Failed,
    heading: "Recent failures",
    id: "failures",
    oldest_first: false,
    limit: 20,
    empty: "No failures.",
    time_label: "Failed",
};

/// Tickets in progress: one list per stage after the queue, as many rows
/// each as the queue shows when that stage alone is asked for.
fn in_progress(step: Step, alone: bool) -> Plan {
    Plan {
        step,
        heading: step.display_name(),
        id: match step {
            Step::PackageBuilding => "step-200",
            Step::ImageBuilding => "step-300",
            Step::ImageTesting => "step-400",
            _ => "step-500",
        },
        oldest_first: true,
        limit: if alone { 50 } else { 20 },
        empty: "None.",
        time_label: "In this step since",
    }
}

/// The lists the page shows for a step filter: by default the queue, the
/// stages in progress and the failures; for one step, its list alone (New
/// and Complete only then).
fn plans(step: Option<Step>) -> Vec<Plan> {
    match step {
        None => {
            let mut plans = vec![QUEUE];
            plans.extend(view::STAGES[1..].iter().map(|&s| in_progress(s, false)));
            plans.push(FAILURES);
            plans
        }
        Some(Step::Queued) => vec![QUEUE],
        Some(Step::Failed) => vec![Plan {
            limit: 50,
            ..FAILURES
        }],
        Some(Step::New) => vec![Plan {
            step: Step::New,
            heading: "New (not queued yet)",
            id: "new",
            oldest_first: false,
            limit: 50,
            empty: "No new tickets.",
            time_label: "Submitted",
        }],
        Some(Step::Complete) => vec![Plan {
            step: Step::Complete,
            heading: "Recently completed",
            id: "complete",
            oldest_first: false,
            limit: 50,
            empty: "No completed tickets.",
            time_label: "Completed",
        }],
        Some(step) => vec![in_progress(step, true)],
    }
}

impl Plan {
    /// The page of tickets: a range of the index of tickets by step and
    /// `in_step_since` (of one owner's, with `owner`), stopped after
    /// `limit` rows. The queue is in the order of `fullticket/`'s
    /// `queue_position`.
    fn query(&self, filters: &Filters) -> ListQuery {
        ListQuery {
            table: &TICKET,
            conditions: filters.conditions(self.step),
            order: OrderBy {
                column: "in_step_since",
                descending: !self.oldest_first,
            },
            limit: self.limit,
            offset: 0,
        }
    }
}

/// One ticket in a list.
struct Row {
    id: i64,
    title: String,
    owner: String,
    stages: Vec<Stage>,
    state: String,
    /// A failed ticket's reason, on one line.
    reason: Option<String>,
    time: When,
}

fn row(ticket: &TicketRow) -> Row {
    let state: WorkflowState = ticket.state();
    let reason = (ticket.current_workflow_step == Step::Failed).then(|| {
        let why = ticket
            .failure_message
            .as_deref()
            .map(view::one_line)
            .filter(|line| !line.is_empty())
            .unwrap_or_else(|| "no reason given".to_string());
        match ticket.failed_subticket_id {
            Some(subticket) => format!("subticket {subticket}: {why}"),
            None => why,
        }
    });
    Row {
        id: ticket.id,
        title: ticket.title.clone(),
        owner: ticket.owner.clone(),
        stages: view::stages(&state),
        state: view::state_text(&state),
        reason,
        time: view::when(crate::store::timestamp(ticket.in_step_since)),
    }
}

/// One list as shown.
struct Section {
    id: &'static str,
    heading: &'static str,
    /// How many tickets the list has in all (`1000+` when counting stopped).
    total: String,
    rows: Vec<Row>,
    /// Rows are numbered: the queue unfiltered, where the number is the
    /// ticket's place.
    numbered: bool,
    /// `and 12 more`, when the list holds more than it shows.
    more: Option<String>,
    empty: &'static str,
    time_label: &'static str,
}

/// A step's count, linking to its list.
struct StepCount {
    name: &'static str,
    slug: &'static str,
    n: i64,
    href: String,
    selected: bool,
}

/// A choice of the step filter.
struct StepChoice {
    slug: &'static str,
    name: &'static str,
    selected: bool,
}

#[derive(Template)]
#[template(path = "web/dashboard.html")]
struct Dashboard {
    layout: Layout,
    owner: String,
    title: String,
    steps: Vec<StepChoice>,
    counts: Vec<StepCount>,
    total: i64,
    sections: Vec<Section>,
    filtered: bool,
}

/// `GET /`.
pub async fn page(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let filters = Filters::parse(query.as_deref())?;
    // The stream starts after the newest event the page can show: read
    // first, everything up to it is in the snapshot read next.
    let cursor = state.store.latest_event_id().await?;
    let mut tx = state.store.read().await?;
    let by_step = tx.tickets_by_step().await?;
    let kept = |step: Step| {
        by_step
            .iter()
            .find(|(s, _)| *s == step)
            .map_or(0, |(_, n)| *n)
    };
    let mut sections = Vec::new();
    for plan in plans(filters.step) {
        let query = plan.query(&filters);
        let max_bytes = state.limits.max_page_bytes;
        // Unfiltered, the kept count is exact and costs nothing; filtered,
        // the list counts its matches, up to a cap.
        let (rows, count) = if filters.narrows() {
            tx.list::<TicketRow>(&query, max_bytes).await?
        } else {
            let rows = tx.list_page::<TicketRow>(&query, max_bytes).await?;
            let total = kept(plan.step);
            (
                rows,
                Count {
                    total,
                    capped: false,
                },
            )
        };
        let shown = rows.len() as i64;
        let more = (count.total > shown).then(|| {
            let n = count.total - shown;
            if count.capped {
                format!("and at least {n} more")
            } else {
                format!("and {n} more")
            }
        });
        sections.push(Section {
            id: plan.id,
            heading: plan.heading,
            total: if count.capped {
                format!("{}+", count.total)
            } else {
                count.total.to_string()
            },
            rows: rows.iter().map(row).collect(),
            numbered: plan.step == Step::Queued && !filters.narrows(),
            more,
            empty: plan.empty,
            time_label: plan.time_label,
        });
    }
    drop(tx);
    let page = Dashboard {
        layout: Layout::live(
            "Tickets",
            format!("/api/v1/events/?last_event_id={cursor}"),
            DASHBOARD_REFRESH_MS,
        ),
        owner: filters.owner.clone().unwrap_or_default(),
        title: filters.title.clone().unwrap_or_default(),
        steps: Step::ALL
            .iter()
            .map(|&step| StepChoice {
                slug: step.slug(),
                name: step.display_name(),
                selected: filters.step == Some(step),
            })
            .collect(),
        counts: by_step
            .iter()
            .map(|&(step, n)| StepCount {
                name: step.display_name(),
                slug: step.slug(),
                n,
                href: Filters::default().url_with_step(Some(step)),
                selected: filters.step == Some(step),
            })
            .collect(),
        total: by_step.iter().map(|(_, n)| n).sum(),
        sections,
        filtered: filters.narrows() || filters.step.is_some(),
    };
    render(&page)
}

/// How long live.js gathers events before it refreshes the page: at a busy
/// site every second brings events, and one refresh a second is plenty.
const DASHBOARD_REFRESH_MS: u32 = 1000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_from_a_bookmarkable_query() {
        let parsed = Filters::parse(Some(
            "owner=dev%40example.com&step=image-testing&title=crash",
        ))
        .expect("valid");
        assert_eq!(
            parsed,
            Filters {
                owner: Some("dev@example.com".into()),
                step: Some(Step::ImageTesting),
                title: Some("crash".into()),
            }
        );
        assert_eq!(
            parsed.url_with_step(Some(Step::Queued)),
            "/?owner=dev%40example.com&step=queued&title=crash"
        );
        // An empty form.
        assert_eq!(
            Filters::parse(Some("owner=&step=&title=")).expect("valid"),
            Filters::default()
        );
        assert_eq!(
            Filters::parse(Some("step=400")).expect("valid").step,
            Some(Step::ImageTesting)
        );
    }

    #[test]
    fn bad_filters_are_400s_that_say_why() {
        for (query, says) in [
            ("step=building", "step: `building` is not a workflow step"),
            ("colour=red", "`colour` is not a filter of this page"),
            ("owner=a&owner=b", "owner: given more than once"),
            ("title=%00", "title: a value must not contain a NUL"),
            ("title=%ff", "title: is not UTF-8"),
        ] {
            let err = Filters::parse(Some(query)).expect_err(query);
            assert_eq!(err.status, axum::http::StatusCode::BAD_REQUEST, "{query}");
            assert!(
                err.body.error.message.contains(says),
                "{query}: {}",
                err.body.error.message
            );
        }
        let long = format!("title={}", "x".repeat(MAX_TITLE_CHARS + 1));
        assert!(Filters::parse(Some(&long)).is_err());
    }
}
