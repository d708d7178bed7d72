//! The failure report of a failed ticket: where, what, the logs and the
//! results apart, and one sentence on what the developer should do next.

use shared::models::{Failure, FullSubticket, TicketArtifact};
use shared::{ArtifactType, Step};

/// What to do after a failure at `step`.
pub fn action(step: Step) -> &'static str {
    match step {
        Step::New | Step::Queued => {
            "The engine could not start on this ticket: check that every upload is complete and submit a new ticket; if it happens again, contact the CI team."
        }
        Step::PackageBuilding => {
            "Fix the package so that it builds (see the build logs), then submit a new ticket with the corrected upload."
        }
        Step::ImageBuilding => {
            "The image could not be built with these packages: read the logs for the dependency or installability problem, fix the package and submit a new ticket."
        }
        Step::ImageTesting => {
            "Read the RESULTS artifacts to see which tests failed, fix the package or its tests, and submit a new ticket."
        }
        Step::PackagePublishing => {
            "Publishing failed, which is an infrastructure fault rather than a problem with your change: retry the ticket or contact the CI team."
        }
        Step::Failed | Step::Complete => {
            "Read the logs of this ticket and its subtickets, then submit a new ticket or contact the CI team."
        }
    }
}

/// The references of the artifacts of type `kind`: the failed subticket's
/// first, then the ticket's.
fn references(
    kind: ArtifactType,
    culprit: Option<&FullSubticket>,
    ticket_artifacts: &[TicketArtifact],
) -> Vec<String> {
    let subticket = culprit
        .into_iter()
        .flat_map(|s| s.artifacts.iter().map(|a| (a.kind, &a.reference)));
    let ticket = ticket_artifacts.iter().map(|a| (a.kind, &a.reference));
    subticket
        .chain(ticket)
        .filter(|(k, _)| *k == kind)
        .map(|(_, reference)| reference.clone())
        .collect()
}

/// The report for a ticket failed at `step`, by the subticket with id
/// `failed_subticket` (or directly, when `None`).
pub fn report(
    step: Step,
    message: Option<String>,
    failed_subticket: Option<i64>,
    subtickets: &[FullSubticket],
    ticket_artifacts: &[TicketArtifact],
) -> Failure {
    let culprit = failed_subticket.and_then(|id| subtickets.iter().find(|s| s.id == id));
    Failure {
        step,
        step_display: step.display_name().to_string(),
        subticket: culprit.map(|s| s.resource_uri.clone()),
        source_package: culprit.map(|s| s.source_package_upload.sourcepackage.name.clone()),
        version: culprit.map(|s| s.source_package_upload.version.clone()),
        message,
        logs: references(ArtifactType::Logs, culprit, ticket_artifacts),
        results: references(ArtifactType::Results, culprit, ticket_artifacts),
        action: action(step).to_string(),
    }
}
