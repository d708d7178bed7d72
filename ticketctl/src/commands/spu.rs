//! `spu create`: the seed's separate call for a source package upload.

use shared::Ref;
use shared::requests::NewUpload;

use super::answer;
use crate::cli::SpuCommand;
use crate::client::{Client, Page};
use crate::config::Settings;
use crate::error::CliError;

pub fn run(command: SpuCommand, settings: &Settings, client: &Client) -> Result<(), CliError> {
    let SpuCommand::Create { source, version } = command;
    shared::validate::version(&version).map_err(|e| CliError::usage(format!("--version: {e}")))?;
    let sourcepackage = match source.parse::<i64>() {
        Ok(id) => Ref::Id(id),
        Err(_) => {
            let page = Page::new(Some(1)).filter("name", Some(&source));
            let found = client.source_packages(&page)?;
            let Some(package) = found.model.into_iter().next() else {
                return Err(CliError::usage_hint(
                    format!("there is no source package `{source}`"),
                    format!("add it with `ticketctl package add {source}`"),
                ));
            };
            Ref::Text(package.resource_uri)
        }
    };
    let upload = client.create(&NewUpload {
        sourcepackage,
        version,
    })?;
    answer(settings, &upload, |u| {
        format!("created upload {} ({source} {})", u.id, u.version)
    });
    Ok(())
}
