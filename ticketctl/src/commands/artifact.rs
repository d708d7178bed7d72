//! `artifact add` (by reference, or by uploading a file to the blob
//! store) and `artifact get`; the artifacts of a full ticket as `ticket
//! show` and `ticket logs` name them.

use std::path::PathBuf;

use shared::models::FullTicket;
use shared::requests::{NewSubticketArtifact, NewTicketArtifact};
use shared::{ArtifactType, Ref};

use super::answer;
use crate::cli::{ArtifactAddArgs, ArtifactCommand, ArtifactGetArgs};
use crate::client::Client;
use crate::config::Settings;
use crate::download::{self, Target};
use crate::error::CliError;
use crate::output::uri_id;
use crate::upload::file_digest;

pub fn run(command: ArtifactCommand, settings: &Settings, client: &Client) -> Result<(), CliError> {
    match command {
        ArtifactCommand::Add(args) => add(args, settings, client),
        ArtifactCommand::Get(args) => get(args, settings, client),
    }
}

fn add(args: ArtifactAddArgs, settings: &Settings, client: &Client) -> Result<(), CliError> {
    // The owner first: a missing one is "no such ticket" (exit 3), found
    // before a file is uploaded for nothing.
    match (args.ticket, args.subticket) {
        (Some(id), _) => drop(client.ticket(id)?),
        (None, Some(id)) => drop(client.subticket(id)?),
        (None, None) => return Err(CliError::usage("give --ticket ID or --subticket ID")),
    }
    let reference = match (&args.reference, &args.file) {
        (Some(reference), _) => {
            shared::validate::reference(reference)
                .map_err(|e| CliError::usage(format!("--reference: {e}")))?;
            reference.clone()
        }
        (None, Some(path)) => {
            let (_, digest) = file_digest(path)?;
            if !client.blob_exists(&digest)? {
                client.put_blob(&digest, path, &args.name)?;
            }
            format!("/api/v1/blob/{digest}")
        }
        (None, None) => return Err(CliError::usage("give --reference URL or --file PATH")),
    };
    let kind = args.kind.to_string();
    let (added, owner) = match (args.ticket, args.subticket) {
        (Some(id), _) => (
            client
                .create(&NewTicketArtifact {
                    name: args.name,
                    ticket: Ref::Id(id as i64),
                    reference,
                    kind,
                })?
                .map(|a| (a.kind, a.name)),
            format!("ticket {id}"),
        ),
        (None, Some(id)) => (
            client
                .create(&NewSubticketArtifact {
                    name: args.name,
                    subticket: Ref::Id(id as i64),
                    reference,
                    kind,
                })?
                .map(|a| (a.kind, a.name)),
            format!("subticket {id}"),
        ),
        (None, None) => return Err(CliError::usage("give --ticket ID or --subticket ID")),
    };
    answer(settings, &added, |(kind, name)| {
        format!("added {kind} artifact `{name}` to {owner}")
    });
    Ok(())
}

/// `--json` with a command that writes an artifact's content, not objects.
pub fn refuse_json(settings: &Settings, command: &str) -> Result<(), CliError> {
    if settings.json {
        return Err(CliError::usage_hint(
            format!("--json: `{command}` writes artifacts' content, not JSON"),
            "`ticketctl --json ticket show ID` lists a ticket's artifacts as JSON",
        ));
    }
    Ok(())
}

fn get(args: ArtifactGetArgs, settings: &Settings, client: &Client) -> Result<(), CliError> {
    refuse_json(settings, "artifact get")?;
    let (name, reference) = if args.subticket {
        let a = client.subticket_artifact(args.id)?.model;
        (a.name, a.reference)
    } else {
        let a = client.ticket_artifact(args.id)?.model;
        (a.name, a.reference)
    };
    let path = match args.output {
        Some(path) if path.as_os_str() == "-" => None,
        // Into a directory, as cp and wget -P do.
        Some(dir) if dir.is_dir() => Some(dir.join(download::file_name(&name)?)),
        Some(path) => Some(path),
        None => Some(PathBuf::from(download::file_name(&name)?)),
    };
    let target = match path {
        None => Target::Stdout,
        Some(path) => Target::File {
            path,
            clobber: args.clobber,
        },
    };
    target.check()?;
    let fetched = client.fetch(&reference)?;
    let checked = if fetched.sha256.is_some() {
        ", SHA-256 checked"
    } else {
        ""
    };
    let bar = progress(client, &target, fetched.size, &name);
    let size = download::save(fetched, &target, &bar)?;
    if let (Target::File { path, .. }, false) = (&target, settings.quiet) {
        eprintln!("saved {} ({size} bytes{checked})", path.display());
    }
    Ok(())
}

/// The progress bar of a download: none on stdout when stdout is a
/// terminal, where the content itself shows.
pub fn progress(
    client: &Client,
    target: &Target,
    size: Option<u64>,
    label: &str,
) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    match target {
        Target::Stdout if std::io::stdout().is_terminal() => indicatif::ProgressBar::hidden(),
        _ => client.progress(size, label),
    }
}

/// What an artifact of a full ticket hangs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum On {
    Ticket(i64),
    Subticket(i64),
}

/// An artifact of a full ticket, with what `ticketctl` needs to name it.
#[derive(Debug, Clone)]
pub struct Located<'a> {
    pub on: On,
    /// `None` for a reference of the failure report that matches no
    /// artifact (it cannot happen in one answer of the server).
    pub id: Option<i64>,
    pub name: &'a str,
    pub kind: ArtifactType,
    pub reference: &'a str,
    /// `foo 1.2-3`, for a subticket's artifact.
    pub upload: Option<String>,
}

impl Located<'_> {
    /// The command line that downloads it.
    pub fn get_command(&self) -> Option<String> {
        let id = self.id?;
        Some(match self.on {
            On::Ticket(_) => format!("ticketctl artifact get {id}"),
            On::Subticket(_) => format!("ticketctl artifact get --subticket {id}"),
        })
    }

    /// `subticket 4 (foo 1.2-3)` or `ticket 7`.
    pub fn owner(&self) -> String {
        match (self.on, &self.upload) {
            (On::Subticket(id), Some(upload)) => format!("subticket {id} ({upload})"),
            (On::Subticket(id), None) => format!("subticket {id}"),
            (On::Ticket(id), _) => format!("ticket {id}"),
        }
    }
}

/// Every artifact of a full ticket: the ticket's, then each subticket's.
pub fn located(full: &FullTicket) -> Vec<Located<'_>> {
    let ticket = full.artifacts.iter().map(|a| Located {
        on: On::Ticket(full.ticket.id),
        id: Some(a.id),
        name: &a.name,
        kind: a.kind,
        reference: &a.reference,
        upload: None,
    });
    let subtickets = full.subtickets.iter().flat_map(|s| {
        let upload = &s.source_package_upload;
        s.artifacts.iter().map(move |a| Located {
            on: On::Subticket(s.id),
            id: Some(a.id),
            name: &a.name,
            kind: a.kind,
            reference: &a.reference,
            upload: Some(format!("{} {}", upload.sourcepackage.name, upload.version)),
        })
    });
    ticket.chain(subtickets).collect()
}

/// The artifacts that the references of a failure report (its `logs` or
/// `results`) name, in its order: each is looked up among the failed
/// subticket's artifacts of `kind`, then the ticket's.
pub fn reported<'a>(
    full: &'a FullTicket,
    kind: ArtifactType,
    references: &'a [String],
) -> Vec<Located<'a>> {
    let culprit = full
        .failure
        .as_ref()
        .and_then(|f| f.subticket.as_deref())
        .and_then(|uri| uri_id(uri).parse::<i64>().ok());
    let mut candidates: Vec<Located<'a>> = located(full)
        .into_iter()
        .filter(|a| a.kind == kind)
        .filter(|a| a.on == On::Ticket(full.ticket.id) || Some(a.on) == culprit.map(On::Subticket))
        .collect();
    // The report lists the subticket's first.
    candidates.sort_by_key(|a| matches!(a.on, On::Ticket(_)));
    let mut used = vec![false; candidates.len()];
    references
        .iter()
        .map(|reference| {
            let found = candidates
                .iter()
                .enumerate()
                .position(|(i, a)| !used[i] && a.reference == reference.as_str());
            match found {
                Some(i) => {
                    used[i] = true;
                    candidates[i].clone()
                }
                None => Located {
                    on: On::Ticket(full.ticket.id),
                    id: None,
                    name: reference.rsplit('/').next().unwrap_or(reference),
                    kind,
                    reference,
                    upload: None,
                },
            }
        })
        .collect()
}
