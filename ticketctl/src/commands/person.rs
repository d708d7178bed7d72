//! `person list|add`.

use serde_json::Value;
use shared::flex::FlexBool;
use shared::requests::NewPerson;

use super::answer;
use crate::cli::PersonCommand;
use crate::client::{Client, Page};
use crate::config::Settings;
use crate::error::CliError;
use crate::output::{self, table, text};

pub fn run(command: PersonCommand, settings: &Settings, client: &Client) -> Result<(), CliError> {
    match command {
        PersonCommand::List {
            name,
            email,
            teams,
            people,
        } => {
            let mut query = Vec::new();
            if let Some(name) = name {
                query.push(("name__istartswith".to_string(), name));
            }
            if let Some(email) = email {
                query.push(("email__istartswith".to_string(), email));
            }
            if teams || people {
                query.push(("is_team".to_string(), teams.to_string()));
            }
            let objects = client.persons(&Page { query, limit: None })?;
            if settings.json {
                output::json(&Value::Array(objects));
            } else {
                let rows = objects
                    .iter()
                    .map(|p| {
                        let kind = if p["is_team"] == Value::Bool(true) {
                            "team"
                        } else {
                            "person"
                        };
                        vec![
                            text(p, "id"),
                            text(p, "name"),
                            text(p, "email"),
                            kind.to_string(),
                        ]
                    })
                    .collect();
                output::print(&table(&["ID", "NAME", "EMAIL", "KIND"], rows));
            }
            Ok(())
        }
        PersonCommand::Add { name, email, team } => {
            shared::validate::email(&email)
                .map_err(|e| CliError::usage(format!("--email: {e}")))?;
            let value = client.create_person(&NewPerson {
                name,
                email,
                is_team: FlexBool(team),
            })?;
            answer(
                settings,
                &value,
                format!(
                    "added {} {} (id {})",
                    if team { "team" } else { "person" },
                    text(&value, "name"),
                    text(&value, "id")
                ),
            );
            Ok(())
        }
    }
}
