//! People and teams.

use super::list_query::params;
use super::transaction::Tx;
use super::{PersonRow, StoreError};

impl Tx {
    pub async fn insert_person(
        &mut self,
        name: &str,
        email: &str,
        is_team: bool,
        now: i64,
    ) -> Result<PersonRow, StoreError> {
        self.fetch_one(
            "INSERT INTO person (name, email, is_team, created) VALUES ($1, $2, $3, $4) RETURNING *",
            &params![name, email, is_team, now],
        )
        .await
    }
}
