//! `package list|show|add|import`: the project manager's packages.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;
use shared::models::BinaryPackage;
use shared::requests::NewSourcePackage;

use super::answer;
use crate::cli::PackageCommand;
use crate::client::{Client, Page};
use crate::config::Settings;
use crate::error::CliError;
use crate::output::{self, table, uri_id};

pub fn run(command: PackageCommand, settings: &Settings, client: &Client) -> Result<(), CliError> {
    match command {
        PackageCommand::List {
            binary,
            name,
            limit,
            all,
        } => {
            let page = Page::new((!all).then_some(limit)).filter("name__startswith", name);
            if binary {
                let binaries = client.binary_packages(&page)?;
                let sources = if settings.json {
                    HashMap::new()
                } else {
                    source_names(client, &binaries.model)?
                };
                answer(settings, &binaries, |binaries| {
                    let rows = binaries
                        .iter()
                        .map(|b| {
                            let id = uri_id(&b.sourcepackage);
                            vec![
                                b.id.to_string(),
                                b.name.clone(),
                                b.version.clone(),
                                sources.get(&id).cloned().unwrap_or(id),
                                b.seeded.to_string(),
                            ]
                        })
                        .collect();
                    table(&["ID", "BINARY", "VERSION", "SOURCE", "SEEDED"], rows)
                });
            } else {
                answer(settings, &client.source_packages(&page)?, |sources| {
                    let rows = sources
                        .iter()
                        .map(|p| vec![p.id.to_string(), p.name.clone()])
                        .collect();
                    table(&["ID", "SOURCE PACKAGE"], rows)
                });
            }
            Ok(())
        }
        PackageCommand::Show { package } => {
            let source = match package.parse::<u64>() {
                Ok(id) => client.source_package(id)?,
                Err(_) => {
                    let page = Page::new(Some(1)).filter("name", Some(&package));
                    client
                        .source_packages(&page)?
                        .into_first()
                        .ok_or_else(|| CliError::Server {
                            status: 404,
                            body: shared::ErrorBody::new(
                                shared::ErrorCode::NotFound,
                                format!("there is no source package `{package}`"),
                            ),
                        })?
                }
            };
            let id = source.model.id.to_string();
            let of_source = || Page::new(None).filter("sourcepackage", Some(&id));
            let binaries = client.binary_packages(&of_source())?;
            let uploads = client.uploads(&of_source())?;
            if settings.json {
                let mut all = source.json;
                if let Value::Object(fields) = &mut all {
                    fields.insert("binaries".into(), binaries.json);
                    fields.insert("uploads".into(), uploads.json);
                }
                output::json(&all);
                return Ok(());
            }
            let mut out = format!(
                "Source package {} (id {id})\n\nBinaries\n",
                source.model.name
            );
            let rows: Vec<_> = binaries
                .model
                .iter()
                .map(|b| vec![b.name.clone(), b.version.clone(), b.seeded.to_string()])
                .collect();
            out.push_str(&if rows.is_empty() {
                "  none\n".into()
            } else {
                table(&["BINARY", "VERSION", "SEEDED"], rows) + "\n"
            });
            out.push_str("\nUploads\n");
            let rows: Vec<_> = uploads
                .model
                .iter()
                .map(|u| {
                    vec![
                        u.id.to_string(),
                        u.version.clone(),
                        output::when(&u.created),
                    ]
                })
                .collect();
            out.push_str(&if rows.is_empty() {
                "  none".into()
            } else {
                table(&["ID", "VERSION", "CREATED"], rows)
            });
            output::print(&out);
            Ok(())
        }
        PackageCommand::Add { name } => {
            shared::validate::package_name(&name)
                .map_err(|e| CliError::usage(format!("`{name}`: {e}")))?;
            answer(settings, &client.create(&NewSourcePackage { name })?, |p| {
                format!("added source package {} (id {})", p.name, p.id)
            });
            Ok(())
        }
        PackageCommand::Import { file, prune } => {
            let raw = std::fs::read(&file)
                .map_err(|e| CliError::usage(format!("cannot read {}: {e}", file.display())))?;
            let entries: Value = serde_json::from_slice(&raw)
                .map_err(|e| CliError::usage(format!("{} is not JSON: {e}", file.display())))?;
            if !entries.is_array() {
                return Err(CliError::usage(format!(
                    "{} must hold a JSON list of {{\"binary\", \"source\", \"version\"}}",
                    file.display()
                )));
            }
            answer(settings, &client.import_packages(&entries, prune)?, |s| {
                format!(
                    "binaries: {} created, {} updated, {} unchanged, {} removed; source packages: {} created",
                    s.created, s.updated, s.unchanged, s.removed, s.sources_created
                )
            });
            Ok(())
        }
    }
}

/// The names of the binaries' source packages, by id: a few requests of
/// `id__in`, not one per binary.
fn source_names(
    client: &Client,
    binaries: &[BinaryPackage],
) -> Result<HashMap<String, String>, CliError> {
    let ids: BTreeSet<String> = binaries.iter().map(|b| uri_id(&b.sourcepackage)).collect();
    let ids: Vec<String> = ids.into_iter().collect();
    let mut names = HashMap::new();
    for chunk in ids.chunks(100) {
        let page = Page::new(None).filter("id__in", Some(chunk.join(",")));
        for source in client.source_packages(&page)?.model {
            names.insert(source.id.to_string(), source.name);
        }
    }
    Ok(names)
}
