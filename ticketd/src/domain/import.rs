//! The project manager's import: bring binary and source packages in line
//! with a list of `{binary, source, version}` in one transaction, with
//! batched statements (a whole distribution is tens of thousands of rows).

use std::collections::{HashMap, HashSet};

use shared::error::FieldErrors;
use shared::packagelist::{PackageListEntry, PackageListSummary};

use super::DomainError;
use crate::store::{BinaryUpsert, Store, now_micros};

/// At most this many field errors are answered; one is enough to fix.
const MAX_REPORTED: usize = 50;

fn validate(entries: &[PackageListEntry]) -> Result<(), DomainError> {
    let mut errors = FieldErrors::default();
    let mut first_seen: HashMap<&str, usize> = HashMap::new();
    for (i, entry) in entries.iter().enumerate() {
        if errors.0.len() >= MAX_REPORTED {
            break;
        }
        entry.validate(i, &mut errors);
        if let Some(first) = first_seen.insert(entry.binary.as_str(), i) {
            errors.add(
                format!("entries[{i}].binary"),
                format!(
                    "`{}` is listed twice (first at entries[{first}])",
                    entry.binary
                ),
            );
        }
    }
    errors.into_result().map_err(DomainError::Validation)
}

/// Apply `entries`; with `prune`, binaries not listed are removed.
pub async fn import(
    store: &Store,
    entries: &[PackageListEntry],
    prune: bool,
) -> Result<PackageListSummary, DomainError> {
    validate(entries)?;
    let now = now_micros();
    let mut tx = store.write().await?;
    let existing: HashMap<String, _> = tx
        .binary_states()
        .await?
        .into_iter()
        .map(|b| (b.name.clone(), b))
        .collect();
    let mut sources = tx.source_package_ids().await?;
    let missing: Vec<&str> = entries
        .iter()
        .map(|e| e.source.as_str())
        .filter(|s| !sources.contains_key(*s))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut summary = PackageListSummary {
        sources_created: missing.len() as u64,
        ..Default::default()
    };
    sources.extend(tx.ensure_source_packages(&missing, now).await?);

    let mut upserts = Vec::new();
    for entry in entries {
        let sourcepackage_id = *sources.get(&entry.source).ok_or_else(|| {
            DomainError::Internal(
                format!("source package {} missing after insert", entry.source).into(),
            )
        })?;
        let current = existing.get(&entry.binary);
        let seeded = entry.seeded.or(current.map(|c| c.seeded)).unwrap_or(false);
        match current {
            None => summary.created += 1,
            Some(c)
                if c.sourcepackage_id == sourcepackage_id
                    && c.version == entry.version
                    && c.seeded == seeded =>
            {
                summary.unchanged += 1;
                continue;
            }
            Some(_) => summary.updated += 1,
        }
        upserts.push(BinaryUpsert {
            name: entry.binary.clone(),
            sourcepackage_id,
            version: entry.version.clone(),
            seeded,
        });
    }
    tx.upsert_binaries(&upserts, now).await?;
    if prune {
        let listed: HashSet<&str> = entries.iter().map(|e| e.binary.as_str()).collect();
        let gone: Vec<i64> = existing
            .values()
            .filter(|b| !listed.contains(b.name.as_str()))
            .map(|b| b.id)
            .collect();
        summary.removed = gone.len() as u64;
        tx.delete_binaries(&gone).await?;
    }
    tx.commit().await?;
    Ok(summary)
}
