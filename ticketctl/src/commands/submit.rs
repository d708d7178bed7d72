//! `submit`: the Bundle API, client side. Every file is checked before
//! anything is sent, each is uploaded once to the blob store, then one
//! bundle POST with an `Idempotency-Key` creates everything.

use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::Path;

use shared::ArtifactType;
use shared::bundle::{BundleArtifact, BundleRequest, BundleUpload};
use shared::lenient::BugId;
use shared::requests::NewTicket;

use crate::cli::SubmitArgs;
use crate::client::{Client, Page};
use crate::config::Settings;
use crate::error::CliError;
use crate::filled::{self, Filled};
use crate::output;
use crate::upload::{self, SourceUpload};

/// Whether we may prompt: a terminal on stdin and no `--no-input`.
pub fn interactive(settings: &Settings) -> bool {
    !settings.no_input && std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// A value from its flag, else a prompt, else a usage error naming the flag.
fn required(
    value: Option<String>,
    flag: &str,
    prompt: &str,
    allow_empty: bool,
    settings: &Settings,
) -> Result<String, CliError> {
    if let Some(value) = value {
        return Ok(value);
    }
    if !interactive(settings) {
        return Err(CliError::usage_hint(
            format!("{flag} is required"),
            format!("pass {flag} (no prompt without a terminal or with --no-input)"),
        ));
    }
    dialoguer::Input::<String>::new()
        .with_prompt(prompt)
        .allow_empty(allow_empty)
        .interact_text()
        .map_err(|e| CliError::usage(format!("{flag}: no answer ({e})")))
}

/// The owner: `--owner`, else `filled_in` (the token's binding or what the
/// uploads say), else the `owner` setting, else DEBEMAIL.
fn owner(
    flag: Option<String>,
    filled_in: Option<Filled>,
    settings: &Settings,
    filled: &mut Vec<(&'static str, Filled)>,
) -> Result<String, CliError> {
    let (owner, from) = match (flag, filled_in) {
        (Some(flag), _) => (flag, None),
        (None, Some(upload)) => (upload.value.clone(), Some(upload)),
        (None, None) => {
            let owner = settings.owner.clone().ok_or_else(|| {
                CliError::usage_hint(
                    "no owner for the ticket",
                    "pass --owner EMAIL, run `ticketctl config set owner EMAIL`, or set DEBEMAIL",
                )
            })?;
            (owner, None)
        }
    };
    shared::validate::email(&owner).map_err(|e| {
        let from = from
            .as_ref()
            .map(|f| format!(" (from {})", f.from))
            .unwrap_or_default();
        CliError::usage_hint(format!("owner `{owner}`{from}: {e}"), "pass --owner EMAIL")
    })?;
    filled.extend(from.map(|f| ("owner", f)));
    Ok(owner)
}

/// `flag`, else the value the uploads gave, noted in `filled`.
fn flag_or_filled(
    flag: Option<String>,
    name: &'static str,
    from_uploads: Option<Filled>,
    filled: &mut Vec<(&'static str, Filled)>,
) -> Option<String> {
    flag.or_else(|| {
        let upload = from_uploads?;
        let value = upload.value.clone();
        filled.push((name, upload));
        Some(value)
    })
}

/// Say on stderr what was filled in, and from where.
fn report_filled(filled: &[(&'static str, Filled)]) {
    if filled.is_empty() {
        return;
    }
    eprintln!("filled in (a flag overrides each):");
    for (name, f) in filled {
        let value = match f.value.lines().count() {
            0 | 1 => f.value.clone(),
            n => format!("{n} lines"),
        };
        eprintln!("  {name}: {value} ({})", f.from);
    }
}

/// Refuse uploads of files that a ticket has already, as dput refuses a
/// repeated upload, unless `--resubmit`. SOURCE=VERSION names no files and
/// may repeat (a rebuild of a published version).
fn refuse_resubmission(uploads: &[SourceUpload], client: &Client) -> Result<(), CliError> {
    let mut already = Vec::new();
    for upload in uploads.iter().filter(|u| !u.files.is_empty()) {
        let same = Page::new(Some(100))
            .filter("sourcepackage__name", Some(&upload.source))
            .filter("version", Some(&upload.version));
        let ids: Vec<String> = client
            .uploads(&same)?
            .model
            .iter()
            .map(|spu| spu.id.to_string())
            .collect();
        if ids.is_empty() {
            continue;
        }
        let latest = Page::new(Some(1))
            .order_by("-updated")
            .filter("source_package_upload__in", Some(ids.join(",")));
        if let Some(sub) = client.subtickets(&latest)?.model.first() {
            already.push((upload, output::uri_id(&sub.ticket).to_string()));
        }
    }
    let Some((_, last_ticket)) = already.last() else {
        return Ok(());
    };
    let each: Vec<String> = already
        .iter()
        .map(|(u, ticket)| format!("{} {} in ticket {ticket}", u.source, u.version))
        .collect();
    Err(CliError::Unchanged {
        message: format!("already submitted: {}; nothing was sent", each.join(", ")),
        hint: format!(
            "`ticketctl ticket show {last_ticket}` shows where it is; pass --resubmit to submit it again"
        ),
    })
}

fn new_key() -> Result<String, CliError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| CliError::Io(format!("no randomness: {e}")))?;
    Ok(hex::encode(bytes))
}

pub fn run(args: SubmitArgs, settings: &Settings, client: &Client) -> Result<(), CliError> {
    // Everything local is checked before anything is sent.
    let mut uploads: Vec<SourceUpload> = Vec::new();
    for arg in &args.uploads {
        let upload = match upload::parse_source_version(arg) {
            Some(parsed) => parsed?,
            None if arg.ends_with(".changes") || arg.ends_with(".dsc") => {
                upload::read_control(Path::new(arg))?
            }
            None => {
                return Err(CliError::usage_hint(
                    format!("`{arg}` is neither a .changes or .dsc file nor SOURCE=VERSION"),
                    "e.g. `ticketctl submit ../foo_1.2-3.dsc` or `ticketctl submit foo=1.2-3`",
                ));
            }
        };
        uploads.push(upload);
    }
    if !args.resubmit {
        refuse_resubmission(&uploads, client)?;
    }
    let from_uploads = filled::from_uploads(&uploads);
    let mut filled = Vec::new();
    // A token bound to an owner may submit only for that owner: it is the
    // default then, before what the upload says.
    let bound = match (&args.owner, &settings.token) {
        (None, Some(_)) => client.whoami().ok().and_then(|who| who.owner),
        _ => None,
    }
    .map(|value| Filled {
        value,
        from: "the token's binding".into(),
    });
    let owner = owner(
        args.owner,
        bound.or(from_uploads.owner),
        settings,
        &mut filled,
    )?;
    if let Some(assignee) = &args.assignee {
        shared::validate::email(assignee)
            .map_err(|e| CliError::usage(format!("--assignee: {e}")))?;
    }
    let title = flag_or_filled(args.title, "title", from_uploads.title, &mut filled);
    let description = flag_or_filled(
        args.description,
        "description",
        from_uploads.description,
        &mut filled,
    );
    let bug = flag_or_filled(args.bug, "bug", from_uploads.bug, &mut filled);
    if !interactive(settings) {
        // Name every missing flag at once, not one per attempt.
        let missing: Vec<&str> = [
            ("--title", title.is_none()),
            ("--description", description.is_none()),
        ]
        .into_iter()
        .filter_map(|(flag, missing)| missing.then_some(flag))
        .collect();
        if missing.len() > 1 {
            let flags = missing.join(" and ");
            return Err(CliError::usage_hint(
                format!("{flags} are required"),
                format!("pass {flags} (no prompt without a terminal or with --no-input)"),
            ));
        }
    }
    if !settings.quiet {
        report_filled(&filled);
    }
    let title = required(title, "--title", "Title", false, settings)?;
    let description = required(description, "--description", "Description", true, settings)?;

    let mut sent = HashSet::new();
    for file in uploads.iter().flat_map(|u| &u.files) {
        if !sent.insert(file.sha256.clone()) {
            continue;
        }
        if client.blob_exists(&file.sha256)? {
            if settings.verbose {
                eprintln!("{}: already on the server", file.name);
            }
            continue;
        }
        client.put_blob(&file.sha256, &file.path, &file.name)?;
    }

    let bundle = BundleRequest {
        ticket: NewTicket {
            owner,
            title,
            description: Some(description),
            bug_id: BugId(bug.filter(|b| !b.is_empty())),
            ppa: args.ppa,
            base_image: args.base_image,
            references: None,
        },
        uploads: uploads
            .iter()
            .map(|u| BundleUpload {
                sourcepackage: u.source.clone(),
                version: u.version.clone(),
                assignee: args.assignee.clone(),
                artifacts: u
                    .files
                    .iter()
                    .map(|f| BundleArtifact {
                        name: f.name.clone(),
                        reference: format!("/api/v1/blob/{}", f.sha256),
                        kind: ArtifactType::Spu.to_string(),
                    })
                    .collect(),
            })
            .collect(),
        artifacts: vec![],
        queue: !args.no_queue,
    };
    let (_, full) = client.submit_bundle(&bundle, &new_key()?)?;
    if settings.json && args.wait {
        // One object per line, as the events that follow.
        output::print(&full.json.to_string());
    } else if settings.json {
        output::json(&full.json);
    } else {
        let ticket = &full.model.ticket;
        output::print(&format!(
            "ticket {}: {}",
            ticket.id,
            client.ticket_link(ticket.id)
        ));
        if !settings.quiet {
            let plural = if uploads.len() == 1 { "" } else { "s" };
            eprintln!(
                "{} with {} upload{plural}, {}",
                ticket.title,
                uploads.len(),
                ticket.state.current_workflow_step_display
            );
        }
    }
    if args.wait {
        let id = u64::try_from(full.model.ticket.id)
            .map_err(|_| CliError::Io("the server answered a negative ticket id".into()))?;
        return super::watch::run(id, args.timeout, settings, client);
    }
    Ok(())
}
