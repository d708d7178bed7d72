//! `artifact add`: by reference, or by uploading a file to the blob store.

use shared::Ref;
use shared::requests::{NewSubticketArtifact, NewTicketArtifact};

use super::answer;
use crate::cli::ArtifactCommand;
use crate::client::Client;
use crate::config::Settings;
use crate::error::CliError;
use crate::upload::file_digest;

pub fn run(command: ArtifactCommand, settings: &Settings, client: &Client) -> Result<(), CliError> {
    let ArtifactCommand::Add(args) = command;
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
