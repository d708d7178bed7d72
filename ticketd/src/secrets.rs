//! Keeping database passwords out of everything `ticketd` prints: a URL
//! is shown only through [`redact_url`], and [`Secrets`] scrubs whatever
//! else reaches stderr (log lines of libraries, error chains), in case a
//! library quotes part of the URL on its own.

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::Mutex;
use std::time::Duration;

use tracing_subscriber::fmt::MakeWriter;

/// What a secret is replaced with.
pub const MASK: &str = "***";

/// Shorter secrets are not scrubbed from free text: replacing every
/// occurrence of two letters would garble the log and hide nothing.
const MIN_SCRUBBED_LEN: usize = 4;

/// Query parameters whose value is a secret (`password`, `sslpassword`,
/// `passwd`, `pwd`, `secret`, `token`, matched case-insensitively as parts
/// of the name).
fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    ["pass", "pwd", "secret", "token"]
        .iter()
        .any(|part| key.contains(part))
}

/// The URL as `url` understands it, or `None` when it cannot be read
/// unambiguously: unparsable, or with a `#` (no database URL has a
/// fragment, so a `#` is most likely part of a password).
fn parse(url: &str) -> Option<url::Url> {
    url::Url::parse(url)
        .ok()
        .filter(|parsed| parsed.fragment().is_none())
}

/// The scheme and the mask, for a URL that cannot be read: nothing of it
/// but its scheme can be told apart from a secret.
fn opaque(url: &str) -> String {
    match scheme_of(url) {
        Some(scheme) => format!("{scheme}://{MASK}"),
        None => MASK.to_string(),
    }
}

/// `postgres` of `postgres://…`, when the text starts with a valid scheme.
fn scheme_of(url: &str) -> Option<&str> {
    let (scheme, _) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

/// A database URL with every secret replaced by `***`, for logs and
/// errors: the password of `user:password@`, the values of password-like
/// query parameters, and all but the scheme of a URL that cannot be parsed.
/// A URL without secrets is returned as written.
pub fn redact_url(url: &str) -> String {
    let Some(mut parsed) = parse(url) else {
        return opaque(url);
    };
    let mut changed = false;
    if parsed.password().is_some() {
        // Only URLs that cannot have a password refuse one; this one has one.
        let _ = parsed.set_password(Some(MASK));
        changed = true;
    }
    let pairs: Vec<(String, String)> = parsed
        .query_pairs()
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    if pairs.iter().any(|(key, _)| is_secret_key(key)) {
        let masked = pairs.iter().map(|(key, value)| {
            let value = if is_secret_key(key) { MASK } else { value };
            (key.as_str(), value)
        });
        parsed.query_pairs_mut().clear().extend_pairs(masked);
        changed = true;
    }
    if changed {
        parsed.to_string()
    } else {
        url.to_string()
    }
}

/// The secrets of one database URL, to be scrubbed from free text.
#[derive(Debug, Clone, Default)]
pub struct Secrets(Vec<String>);

impl Secrets {
    /// Everything of `url` that [`redact_url`] hides, in each form it may
    /// take in a message: as written, percent-decoded, and JSON-escaped.
    pub fn of(url: &str) -> Secrets {
        let mut found = Vec::new();
        match parse(url) {
            Some(parsed) => {
                found.extend(parsed.password().map(str::to_string));
                for raw in parsed.query().unwrap_or_default().split('&') {
                    let key = form_decode(raw.split('=').next().unwrap_or_default());
                    if let Some((_, value)) = raw.split_once('=')
                        && is_secret_key(&key)
                    {
                        found.push(value.to_string());
                    }
                }
            }
            None => {
                // Everything after the scheme, and the part that looks like a
                // password (from the first `:` after `//` to the last `@`).
                let rest = match scheme_of(url) {
                    Some(scheme) => &url[scheme.len() + 1..],
                    None => url,
                };
                found.push(rest.to_string());
                let authority = rest.trim_start_matches('/');
                if let (Some(colon), Some(at)) = (authority.find(':'), authority.rfind('@'))
                    && colon < at
                {
                    found.push(authority[colon + 1..at].to_string());
                }
            }
        }
        let mut all = Vec::new();
        for secret in found {
            let decoded = form_decode(&secret);
            let percent_decoded = form_decode(&secret.replace('+', "%2B"));
            for form in [secret, decoded, percent_decoded] {
                let quoted = serde_json::Value::String(form.clone()).to_string();
                all.push(quoted[1..quoted.len() - 1].to_string());
                all.push(form);
            }
        }
        all.retain(|secret| secret.len() >= MIN_SCRUBBED_LEN);
        // Longest first, so that a secret containing another is replaced whole.
        all.sort_by_key(|secret| std::cmp::Reverse(secret.len()));
        all.dedup();
        Secrets(all)
    }

    /// These secrets and `secret` too (the S3 secret key), as written and
    /// JSON-escaped.
    pub fn and(mut self, secret: Option<&str>) -> Secrets {
        if let Some(secret) = secret.filter(|s| s.len() >= MIN_SCRUBBED_LEN) {
            let quoted = serde_json::Value::String(secret.to_string()).to_string();
            self.0.push(quoted[1..quoted.len() - 1].to_string());
            self.0.push(secret.to_string());
            self.0.sort_by_key(|secret| std::cmp::Reverse(secret.len()));
            self.0.dedup();
        }
        self
    }

    /// `text` with every secret replaced by `***`.
    pub fn scrub(&self, text: &str) -> String {
        let mut text = text.to_string();
        for secret in &self.0 {
            if text.contains(secret.as_str()) {
                text = text.replace(secret.as_str(), MASK);
            }
        }
        text
    }
}

/// A query-string component decoded (`%XX`, and `+` as a space).
fn form_decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", text.replace('&', "%26")).as_bytes())
        .next()
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default()
}

/// The target of the access log's events (one per request).
pub const ACCESS_LOG_TARGET: &str = "ticketd::access";

/// How long an access-log line may wait before it is written.
const ACCESS_LOG_DELAY: Duration = Duration::from_millis(10);

/// Access-log bytes held before the request that adds to them writes them.
const ACCESS_LOG_BUFFER: usize = 256 * 1024;

/// What the log writers share: the secrets, and access-log lines not yet
/// written.
struct Shared {
    secrets: Secrets,
    pending: Mutex<Vec<u8>>,
}

impl Shared {
    /// Write out the waiting access-log lines, then `more`, in order.
    fn write_out(&self, more: &[u8]) -> io::Result<()> {
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        let mut stderr = io::stderr().lock();
        if !pending.is_empty() {
            stderr.write_all(&pending)?;
            pending.clear();
        }
        stderr.write_all(more)
    }
}

/// A [`MakeWriter`] for the log: stderr, with [`Secrets`] scrubbed from
/// every event (the formatter hands over one whole event per write).
///
/// The access log's lines ([`ACCESS_LOG_TARGET`], one per request) are
/// gathered and written together, by a thread every 10 ms or by the
/// request that fills 256 KiB, so that a request pays for a line's
/// formatting and a copy, not for a system call. Every other event is
/// written at once, after the access lines before it. A `kill -9` may lose
/// the last 10 ms of access lines; [`LogFlush`] writes them out at exit.
#[derive(Clone)]
pub struct ScrubbedStderr(Arc<Shared>);

/// Drop it before exiting: every line logged before is then on stderr.
pub struct LogFlush(Arc<Shared>);

impl Drop for LogFlush {
    fn drop(&mut self) {
        let _ = self.0.write_out(&[]);
    }
}

impl ScrubbedStderr {
    pub fn new(secrets: Secrets) -> (ScrubbedStderr, LogFlush) {
        let shared = Arc::new(Shared {
            secrets,
            pending: Mutex::new(Vec::new()),
        });
        let flushed = Arc::downgrade(&shared);
        // Without the thread, access lines wait for the next other event,
        // a full buffer or the exit.
        let _ = std::thread::Builder::new()
            .name("ticketd-log".into())
            .spawn(move || {
                while let Some(shared) = flushed.upgrade() {
                    let _ = shared.write_out(&[]);
                    drop(shared);
                    std::thread::sleep(ACCESS_LOG_DELAY);
                }
            });
        (ScrubbedStderr(shared.clone()), LogFlush(shared))
    }
}

impl<'a> MakeWriter<'a> for ScrubbedStderr {
    type Writer = ScrubbingWriter<'a>;

    fn make_writer(&'a self) -> ScrubbingWriter<'a> {
        ScrubbingWriter {
            shared: &self.0,
            gathered: false,
        }
    }

    fn make_writer_for(&'a self, meta: &tracing::Metadata<'_>) -> ScrubbingWriter<'a> {
        ScrubbingWriter {
            shared: &self.0,
            gathered: meta.target() == ACCESS_LOG_TARGET,
        }
    }
}

/// One event's writer; see [`ScrubbedStderr`].
pub struct ScrubbingWriter<'a> {
    shared: &'a Shared,
    /// An access-log line, written with the others later.
    gathered: bool,
}

impl io::Write for ScrubbingWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        let text = if self.shared.secrets.0.is_empty() {
            text
        } else {
            self.shared.secrets.scrub(&text).into()
        };
        if !self.gathered {
            self.shared.write_out(text.as_bytes())?;
            return Ok(buf.len());
        }
        let mut pending = self
            .shared
            .pending
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        pending.extend_from_slice(text.as_bytes());
        if pending.len() >= ACCESS_LOG_BUFFER {
            io::stderr().lock().write_all(&pending)?;
            pending.clear();
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_masked_in_every_form_of_url() {
        for (url, shown) in [
            ("postgres://u:secret@h/db", "postgres://u:***@h/db"),
            (
                "postgres://host/db?user=u&password=S3cret",
                "postgres://host/db?user=u&password=***",
            ),
            (
                "postgres://host/db?sslmode=require&SSLPassword=S3cret",
                "postgres://host/db?sslmode=require&SSLPassword=***",
            ),
            (
                "postgres://h/db?passwd=S3cret",
                "postgres://h/db?passwd=***",
            ),
            ("postgres://weird:p#ss/w@rd?x@host/db", "postgres://***"),
            ("not a url with S3cret", "***"),
            ("sqlite:///var/lib/t.db", "sqlite:///var/lib/t.db"),
            ("sqlite:///var/my dir/t.db", "sqlite:///var/my dir/t.db"),
            (
                "postgres://u@h/db?sslmode=require",
                "postgres://u@h/db?sslmode=require",
            ),
        ] {
            assert_eq!(redact_url(url), shown, "{url}");
        }
        let spaced = redact_url("postgres://u:my S3cret@h/db");
        assert!(!spaced.contains("S3cret"), "{spaced}");
    }

    #[test]
    fn secrets_are_scrubbed_from_free_text_in_every_encoding() {
        let secrets = Secrets::of("postgres://u:p%40ss%20word@h/db?sslpassword=An%2Bother&x=keep");
        let text = "a p%40ss%20word b p@ss word c An+other d An%2Bother e keep";
        assert_eq!(secrets.scrub(text), "a *** b *** c *** d *** e keep");
        let opaque = Secrets::of("postgres://weird:p#ss/w@rd?x@host/db");
        let scrubbed = opaque.scrub("cannot parse postgres://weird:p#ss/w@rd?x@host/db");
        assert!(!scrubbed.contains("p#ss/w@rd?x"), "{scrubbed}");
        let quoted = Secrets::of("postgres://u:quo\"te\\d@h/db");
        let json = serde_json::json!({"url": "quo\"te\\d"}).to_string();
        assert!(
            !quoted.scrub(&json).contains("te\\\\d"),
            "{}",
            quoted.scrub(&json)
        );
    }
}
