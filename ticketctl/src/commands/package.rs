//! `package list|show|add|import`: the project manager's packages.

use serde_json::Value;

use super::answer;
use crate::cli::PackageCommand;
use crate::client::{Client, Page};
use crate::config::Settings;
use crate::error::CliError;
use crate::output::{self, table, text, uri_id};

pub fn run(command: PackageCommand, settings: &Settings, client: &Client) -> Result<(), CliError> {
    match command {
        PackageCommand::List {
            binary,
            name,
            limit,
            all,
        } => {
            let query = name
                .map(|n| vec![("name__startswith".to_string(), n)])
                .unwrap_or_default();
            let page = Page {
                query,
                limit: (!all).then_some(limit),
            };
            let objects = if binary {
                client.binary_packages(&page)?
            } else {
                client.source_packages(&page)?
            };
            if settings.json {
                output::json(&Value::Array(objects));
            } else if binary {
                let rows = objects
                    .iter()
                    .map(|b| {
                        vec![
                            text(b, "id"),
                            text(b, "name"),
                            text(b, "version"),
                            uri_id(&text(b, "sourcepackage")),
                            text(b, "seeded"),
                        ]
                    })
                    .collect();
                output::print(&table(
                    &["ID", "BINARY", "VERSION", "SOURCE ID", "SEEDED"],
                    rows,
                ));
            } else {
                let rows = objects
                    .iter()
                    .map(|p| vec![text(p, "id"), text(p, "name")])
                    .collect();
                output::print(&table(&["ID", "SOURCE PACKAGE"], rows));
            }
            Ok(())
        }
        PackageCommand::Show { package } => {
            let source = match package.parse::<u64>() {
                Ok(id) => client.source_package(id)?,
                Err(_) => {
                    let page = Page {
                        query: vec![("name".into(), package.clone())],
                        limit: Some(1),
                    };
                    client
                        .source_packages(&page)?
                        .into_iter()
                        .next()
                        .ok_or_else(|| CliError::Server {
                            status: 404,
                            body: shared::ErrorBody::new(
                                shared::ErrorCode::NotFound,
                                format!("there is no source package `{package}`"),
                            ),
                        })?
                }
            };
            let id = text(&source, "id");
            let binaries = client.binary_packages(&Page {
                query: vec![("sourcepackage".into(), id.clone())],
                limit: None,
            })?;
            let uploads = client.uploads(&Page {
                query: vec![("sourcepackage".into(), id.clone())],
                limit: None,
            })?;
            if settings.json {
                let mut all = source.clone();
                all["binaries"] = Value::Array(binaries);
                all["uploads"] = Value::Array(uploads);
                output::json(&all);
                return Ok(());
            }
            let mut out = format!(
                "Source package {} (id {id})\n\nBinaries\n",
                text(&source, "name")
            );
            let rows: Vec<_> = binaries
                .iter()
                .map(|b| vec![text(b, "name"), text(b, "version"), text(b, "seeded")])
                .collect();
            out.push_str(&if rows.is_empty() {
                "  none\n".into()
            } else {
                table(&["BINARY", "VERSION", "SEEDED"], rows) + "\n"
            });
            out.push_str("\nUploads\n");
            let rows: Vec<_> = uploads
                .iter()
                .map(|u| {
                    vec![
                        text(u, "id"),
                        text(u, "version"),
                        output::when(u, "created"),
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
            let value = client.create_source_package(&name)?;
            answer(
                settings,
                &value,
                format!(
                    "added source package {} (id {})",
                    text(&value, "name"),
                    text(&value, "id")
                ),
            );
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
            let value = client.import_packages(&entries, prune)?;
            answer(
                settings,
                &value,
                format!(
                    "binaries: {} created, {} updated, {} unchanged, {} removed; source packages: {} created",
                    text(&value, "created"),
                    text(&value, "updated"),
                    text(&value, "unchanged"),
                    text(&value, "removed"),
                    text(&value, "sources_created")
                ),
            );
            Ok(())
        }
    }
}
