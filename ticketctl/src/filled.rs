//! What `submit` fills in from the uploads themselves, as dput and the
//! archive read them: the owner from `Changed-By` (then `Maintainer`), the
//! bug from `Launchpad-Bugs-Fixed` (then `Closes`), and the title and
//! description from the changelog entry. A flag always wins; `submit` says
//! what it filled and from where.

use shared::validate;

use crate::upload::SourceUpload;

/// A value read from an upload, with where it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filled {
    pub value: String,
    /// The field and file, e.g. "Changed-By of foo_1.2-3_source.changes".
    pub from: String,
}

/// Every ticket field the uploads say something about; the first upload
/// that says something wins.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FromUploads {
    pub owner: Option<Filled>,
    pub bug: Option<Filled>,
    pub title: Option<Filled>,
    pub description: Option<Filled>,
}

/// The address in `Full Name <address>`, or the whole value trimmed.
pub fn address(value: &str) -> String {
    match (value.find('<'), value.rfind('>')) {
        (Some(start), Some(end)) if start < end => value[start + 1..end].trim().to_string(),
        _ => value.trim().to_string(),
    }
}

pub fn from_uploads(uploads: &[SourceUpload]) -> FromUploads {
    let first = |pick: &dyn Fn(&SourceUpload) -> Option<(String, &'static str)>| {
        uploads.iter().find_map(|upload| {
            pick(upload).map(|(value, field)| Filled {
                value,
                from: format!("{field} of {}", upload.about.file),
            })
        })
    };
    FromUploads {
        owner: first(&|u| {
            let about = &u.about;
            (about
                .changed_by
                .as_deref()
                .map(|v| (address(v), "Changed-By")))
            .or_else(|| {
                about
                    .maintainer
                    .as_deref()
                    .map(|v| (address(v), "Maintainer"))
            })
        }),
        bug: first(&|u| {
            let about = &u.about;
            first_number(about.launchpad_bugs_fixed.as_deref())
                .map(|n| (n, "Launchpad-Bugs-Fixed"))
                .or_else(|| first_number(about.closes.as_deref()).map(|n| (n, "Closes")))
        }),
        title: first(&|u| title(&entry(&u.about.changes)).map(|t| (t, "the changelog entry"))),
        description: first(&|u| {
            let lines = entry(&u.about.changes);
            (!lines.is_empty()).then(|| {
                (
                    clip(&lines.join("\n"), validate::TEXT_MAX),
                    "the changelog entry",
                )
            })
        }),
    }
}

/// The first bug number of a space-separated list (`12345 67890`).
fn first_number(list: Option<&str>) -> Option<String> {
    list?
        .split([' ', ','])
        .map(|n| n.trim().trim_start_matches('#'))
        .find(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .map(str::to_string)
}

/// The lines of a changelog entry as a `Changes` field holds it, trimmed:
/// without its heading (`foo (1.2-3) unstable; urgency=medium`), the ` .`
/// that stand for blank lines, and blank lines.
fn entry(changes: &[String]) -> Vec<&str> {
    let mut lines = changes
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty() && *l != ".")
        .peekable();
    if lines.peek().is_some_and(|l| l.contains("urgency=")) {
        lines.next();
    }
    lines.collect()
}

fn is_bullet(line: &str) -> bool {
    ["* ", "- ", "+ "].iter().any(|b| line.starts_with(b))
}

/// The entry's first change, joined from its wrapped lines; the first line
/// when it has no bullets. `[ Name ]` lines name a co-maintainer, not a change.
fn title(lines: &[&str]) -> Option<String> {
    let changes: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| !(l.starts_with('[') && l.ends_with(']')))
        .collect();
    let start = changes.iter().position(|l| is_bullet(l)).unwrap_or(0);
    let first = changes.get(start)?;
    let mut text = first
        .get(2..)
        .filter(|_| is_bullet(first))
        .unwrap_or(first)
        .to_string();
    for more in changes[start + 1..].iter().take_while(|l| !is_bullet(l)) {
        text.push(' ');
        text.push_str(more);
    }
    Some(clip(&text, validate::TITLE_MAX))
}

/// `text` cut to at most `max` characters, with "…" where it was cut.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max - 1).collect();
    format!("{kept}…")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upload::About;

    fn upload(about: About) -> SourceUpload {
        SourceUpload {
            source: "hello".into(),
            version: "2.10-3".into(),
            files: vec![],
            about,
        }
    }

    fn changes(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn a_changes_file_fills_every_field() {
        let about = About {
            file: "hello_2.10-3_source.changes".into(),
            changed_by: Some("Santiago Vila <sanvila@debian.org>".into()),
            maintainer: Some("Debian QA <qa@example.org>".into()),
            launchpad_bugs_fixed: None,
            closes: Some("871622 893083".into()),
            changes: changes(
                "\nhello (2.10-3) unstable; urgency=medium\n.\n  [ Jane Doe ]\n  * Add some autopkgtests,\n    run on every upload.\n  * Add Vcs fields.",
            ),
        };
        let filled = from_uploads(&[upload(about)]);
        let from = "of hello_2.10-3_source.changes";
        assert_eq!(
            filled.owner,
            Some(Filled {
                value: "sanvila@debian.org".into(),
                from: format!("Changed-By {from}")
            })
        );
        assert_eq!(
            filled.bug.map(|b| (b.value, b.from)),
            Some(("871622".into(), format!("Closes {from}")))
        );
        assert_eq!(
            filled.title.map(|t| t.value).as_deref(),
            Some("Add some autopkgtests, run on every upload.")
        );
        assert_eq!(
            filled.description.map(|d| d.value).as_deref(),
            Some("[ Jane Doe ]\n* Add some autopkgtests,\nrun on every upload.\n* Add Vcs fields.")
        );
    }

    #[test]
    fn launchpad_bugs_win_over_closes_and_maintainer_stands_in_for_changed_by() {
        let about = About {
            file: "foo.dsc".into(),
            maintainer: Some("qa@example.org".into()),
            launchpad_bugs_fixed: Some("#12345".into()),
            closes: Some("1".into()),
            ..About::default()
        };
        let filled = from_uploads(&[upload(About::default()), upload(about)]);
        assert_eq!(
            filled.owner.map(|o| o.value).as_deref(),
            Some("qa@example.org")
        );
        assert_eq!(filled.bug.map(|b| b.value).as_deref(), Some("12345"));
        assert_eq!(filled.title, None, "a .dsc has no changelog entry");
    }

    #[test]
    fn a_long_first_change_is_clipped_to_a_title() {
        let long = format!("* {}", "é".repeat(300));
        let title = title(&[long.as_str()]).expect("a title");
        assert_eq!(title.chars().count(), validate::TITLE_MAX);
        assert!(title.ends_with('…'));
    }
}
