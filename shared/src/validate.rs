//! Field validation shared by server and client: Debian package names and
//! versions, plain e-mail addresses, lengths and references. Each check
//! returns `Err(problem)` phrased to follow `"field: "`.

use std::str::FromStr;

/// Longest `title`.
pub const TITLE_MAX: usize = 255;
/// Longest `description` or `message` (64 KiB).
pub const TEXT_MAX: usize = 64 * 1024;
/// Longest person `name` (the seed's model).
pub const PERSON_NAME_MAX: usize = 4096;
/// Longest package name or version.
pub const PACKAGE_FIELD_MAX: usize = 255;
/// Longest artifact `name`.
pub const ARTIFACT_NAME_MAX: usize = 1024;
/// Longest `reference` (and item of a ticket's `references`).
pub const REFERENCE_MAX: usize = 4096;
/// Most `references` of one ticket.
pub const REFERENCES_MAX: usize = 100;
/// Longest `ppa`.
pub const PPA_MAX: usize = 255;
/// Longest `base_image`.
pub const BASE_IMAGE_MAX: usize = 1024;
/// Longest e-mail address (RFC 5321 path limit).
pub const EMAIL_MAX: usize = 254;

/// A length check counted in characters.
pub fn length(text: &str, min: usize, max: usize) -> Result<(), String> {
    let n = text.chars().count();
    if n < min {
        if min == 1 {
            return Err("must not be empty".into());
        }
        return Err(format!("must be at least {min} characters"));
    }
    if n > max {
        return Err(format!("must be at most {max} characters (got {n})"));
    }
    Ok(())
}

/// A Debian source or binary package name (Policy 5.6.1, 5.6.7): at least
/// two characters of `[a-z0-9+.-]`, starting with a letter or digit.
pub fn package_name(name: &str) -> Result<(), String> {
    let allowed = "must be a Debian package name: lower-case letters, digits, `+`, `-`, `.`, \
                   at least 2 characters, starting with a letter or digit";
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let rest_ok = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '+' | '-' | '.'));
    if !first_ok || !rest_ok || name.len() < 2 {
        return Err(allowed.into());
    }
    length(name, 2, PACKAGE_FIELD_MAX)
}

/// A Debian version (Policy 5.6.12): `[epoch:]upstream_version[-debian_revision]`.
/// The epoch is digits; the upstream version starts with a digit and holds
/// `[A-Za-z0-9.+~-:]` (a `-` only when there is a revision, a `:` only
/// when there is an epoch); the revision holds `[A-Za-z0-9+.~]`.
pub fn version(text: &str) -> Result<(), String> {
    length(text, 1, PACKAGE_FIELD_MAX)?;
    let parsed = debversion::Version::from_str(text)
        .map_err(|_| format!("`{text}` is not a Debian version ([epoch:]upstream[-revision])"))?;
    if !parsed
        .upstream_version
        .starts_with(|c: char| c.is_ascii_digit())
    {
        return Err(format!(
            "`{text}` is not a Debian version: the upstream version must start with a digit"
        ));
    }
    if parsed.epoch.is_none() && parsed.upstream_version.contains(':') {
        return Err(format!(
            "`{text}` is not a Debian version: a `:` needs an epoch before it"
        ));
    }
    if text.ends_with('-') {
        return Err(format!(
            "`{text}` is not a Debian version: the revision after `-` is empty"
        ));
    }
    Ok(())
}

/// One plain address, `local@domain`: no display name, no white space, at
/// most 254 characters.
pub fn email(text: &str) -> Result<(), String> {
    let problem = || "must be one plain e-mail address (local@domain)".to_string();
    if text.is_empty() {
        return Err("must not be empty".into());
    }
    if text.chars().count() > EMAIL_MAX {
        return Err(format!("must be at most {EMAIL_MAX} characters"));
    }
    if text.chars().any(|c| {
        c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | '"' | '(' | ')')
    }) {
        return Err(problem());
    }
    let Some((local, domain)) = text.rsplit_once('@') else {
        return Err(problem());
    };
    if local.is_empty() || local.contains('@') || domain.is_empty() {
        return Err(problem());
    }
    let labels_ok = domain
        .split('.')
        .all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'));
    if !labels_ok {
        return Err(problem());
    }
    Ok(())
}

/// What a reference may be, for error messages.
const REFERENCE_FORMS: &str =
    "must be an http:// or https:// URL or a /api/v1/blob/SHA256 of this server";

/// A ticket's `references` item or an artifact's `reference`: an `http` or
/// `https` URL, or a blob of this server (whose existence only the server
/// can check). Nothing else, so that a page rendering references as links
/// cannot be made to run `javascript:` or `data:` URLs.
pub fn reference(text: &str) -> Result<(), String> {
    length(text, 1, REFERENCE_MAX)?;
    if blob_reference(text).is_some() {
        return Ok(());
    }
    if text.starts_with("/api/v1/blob/") {
        return Err(
            "must be /api/v1/blob/ followed by 64 lower-case hex digits (a SHA-256)".into(),
        );
    }
    // The URL parser drops tabs and newlines silently; the text is stored as sent.
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("{REFERENCE_FORMS}, without white space"));
    }
    match url::Url::parse(text) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => Ok(()),
        Ok(url) => Err(format!(
            "the scheme `{}:` is not allowed; {REFERENCE_FORMS}",
            url.scheme()
        )),
        Err(_) => Err(REFERENCE_FORMS.into()),
    }
}

/// A blob reference of this server, `/api/v1/blob/{64 lower-case hex}`;
/// returns the digest.
pub fn blob_reference(text: &str) -> Option<&str> {
    let digest = text.strip_prefix("/api/v1/blob/")?;
    let digest = digest.strip_suffix('/').unwrap_or(digest);
    (digest.len() == 64
        && digest
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
    .then_some(digest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn debian_versions_follow_policy() {
        for good in [
            "1.0",
            "1.2-3",
            "1:2.0-1",
            "2:1.0~rc1-0ubuntu1",
            "1.0+dfsg-1.1",
            "0.9",
            "1:2:3-4",
            "1.0-1-1",
        ] {
            assert_eq!(version(good), Ok(()), "{good}");
        }
        for bad in [
            "", "abc", "1.0_1", "a:1.0", "1.0-", "1 0", "1:", ":1.0", "-1", "1.0-a_b", "x1.0",
        ] {
            assert!(version(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn package_names_follow_policy() {
        for good in ["foo", "libfoo1", "g++", "lib.foo-bar+x", "0ad"] {
            assert_eq!(package_name(good), Ok(()), "{good}");
        }
        for bad in [
            "",
            "a",
            "Foo",
            "-foo",
            "+foo",
            "foo_bar",
            "foo bar",
            "my-package!",
        ] {
            assert!(package_name(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn emails_are_one_plain_address() {
        assert_eq!(email("owner@example.com"), Ok(()));
        assert_eq!(email("test@example.com"), Ok(()));
        for bad in [
            "",
            "owner",
            "a@",
            "@b",
            "A <a@b.c>",
            "a@b.c, d@e.f",
            " a@b.c",
            "a@@b",
            "a@b..c",
        ] {
            assert!(email(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn references_are_http_urls_or_blobs() {
        let digest = "a".repeat(64);
        for good in [
            "http://path.to/artifact/".to_string(),
            "https://bugs.example/1?x=y#z".into(),
            "HTTPS://Example.org".into(),
            format!("/api/v1/blob/{digest}"),
        ] {
            assert_eq!(reference(&good), Ok(()), "{good}");
        }
        for bad in [
            "path/to/x",
            "http://a b",
            "https://a\tb",
            "",
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "data:text/html,x",
            "file:///etc/passwd",
            "ftp://x.example/",
            "lp:foo",
            "http:",
            "/api/v1/blob/xyz",
        ] {
            let problem = reference(bad).expect_err(bad);
            assert!(
                ["http", "empty", "SHA-256"]
                    .iter()
                    .any(|w| problem.contains(w)),
                "{bad}: {problem}"
            );
        }
        assert!(reference(&format!("https://x.example/{}", "a".repeat(REFERENCE_MAX))).is_err());
        assert_eq!(
            blob_reference(&format!("/api/v1/blob/{digest}")),
            Some(digest.as_str())
        );
        assert_eq!(blob_reference("/api/v1/blob/xyz"), None);
    }

    proptest! {
        // Every version built from the policy grammar is accepted.
        #[test]
        fn versions_built_from_the_grammar_are_accepted(
            epoch in proptest::option::of(0u32..100),
            upstream in "[0-9][A-Za-z0-9.+~]{0,20}",
            revision in proptest::option::of("[A-Za-z0-9+.~]{1,10}"),
        ) {
            let mut text = String::new();
            if let Some(e) = epoch { text.push_str(&format!("{e}:")); }
            text.push_str(&upstream);
            if let Some(r) = &revision { text.push('-'); text.push_str(r); }
            prop_assert_eq!(version(&text), Ok(()));
        }

        // A character outside the grammar anywhere makes it invalid.
        #[test]
        fn versions_with_foreign_characters_are_refused(
            head in "[0-9][a-z0-9.]{0,5}",
            bad in "[_ /!@#$%^&*()=\\[\\]{}\"';,<>?|\\\\]",
            tail in "[a-z0-9.]{0,5}",
        ) {
            let text = format!("{head}{bad}{tail}");
            prop_assert!(version(&text).is_err());
        }

        // Names from the policy grammar pass; upper case never does.
        #[test]
        fn package_names_from_the_grammar_are_accepted(name in "[a-z0-9][a-z0-9+.-]{1,40}") {
            prop_assert_eq!(package_name(&name), Ok(()));
        }

        #[test]
        fn package_names_with_upper_case_are_refused(name in "[a-z0-9]{0,5}[A-Z][a-z0-9]{0,5}") {
            prop_assert!(package_name(&name).is_err());
        }
    }
}
