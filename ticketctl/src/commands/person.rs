//! `person list|add`.

use shared::lenient::FlexBool;
use shared::requests::NewPerson;

use super::answer;
use crate::cli::PersonCommand;
use crate::client::{Client, Page};
use crate::config::Settings;
use crate::error::CliError;
use crate::output::table;

pub fn run(command: PersonCommand, settings: &Settings, client: &Client) -> Result<(), CliError> {
    match command {
        PersonCommand::List {
            name,
            email,
            teams,
            people,
        } => {
            let page = Page::new(None)
                .filter("name__istartswith", name)
                .filter("email__istartswith", email)
                .filter("is_team", (teams || people).then_some(teams));
            answer(settings, &client.persons(&page)?, |people| {
                let rows = people
                    .iter()
                    .map(|p| {
                        let kind = if p.is_team { "team" } else { "person" };
                        vec![
                            p.id.to_string(),
                            p.name.clone(),
                            p.email.clone(),
                            kind.to_string(),
                        ]
                    })
                    .collect();
                table(&["ID", "NAME", "EMAIL", "KIND"], rows)
            });
            Ok(())
        }
        PersonCommand::Add { name, email, team } => {
            shared::validate::email(&email)
                .map_err(|e| CliError::usage(format!("--email: {e}")))?;
            let person = client.create(&NewPerson {
                name,
                email,
                is_team: FlexBool(team),
            })?;
            answer(settings, &person, |p| {
                let kind = if team { "team" } else { "person" };
                format!("added {kind} {} (id {})", p.name, p.id)
            });
            Ok(())
        }
    }
}
