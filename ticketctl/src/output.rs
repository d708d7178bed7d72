//! Output: data on stdout (tables or the server's JSON), messages on
//! stderr. A closed stdout (`| head`) ends the program quietly with 0.
//!
//! Colour goes through anstream, which drops it when the stream is no
//! terminal, or NO_COLOR is set, or CLICOLOR=0 (CLICOLOR_FORCE forces it),
//! as cargo and gh do. Times are shown in the local zone, named, unless
//! `--utc`.

use std::io::Write;
use std::sync::OnceLock;

use anstyle::{AnsiColor, Style};
use chrono::{DateTime, Utc};
use comfy_table::{Attribute, Cell, Color, ContentArrangement, Table, presets};
use jiff::tz::TimeZone;
use serde_json::Value;

/// The zone times are shown in, set once from `--utc` before any output.
static ZONE: OnceLock<TimeZone> = OnceLock::new();

/// Show times in UTC (`--utc`) or the local zone (TZ, else the system's).
pub fn use_utc(utc: bool) {
    let zone = if utc {
        TimeZone::UTC
    } else {
        TimeZone::try_system().unwrap_or(TimeZone::UTC)
    };
    let _ = ZONE.set(zone);
}

fn zone() -> &'static TimeZone {
    ZONE.get_or_init(|| TimeZone::UTC)
}

/// `time` in the shown zone as `strftime` `format`; UTC if it is out of
/// jiff's range (it never is for a time the server sent).
fn in_zone(time: &DateTime<Utc>, format: &str) -> String {
    match jiff::Timestamp::from_microsecond(time.timestamp_micros()) {
        Ok(stamp) => stamp.to_zoned(zone().clone()).strftime(format).to_string(),
        Err(_) => time.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

/// A time in a list: `2026-11-25 07:27 CET`.
pub fn when(time: &DateTime<Utc>) -> String {
    in_zone(time, "%Y-%m-%d %H:%M %Z")
}

/// A time to the second, as `ticket show` gives it: `2026-11-25 07:27:43 CET`.
pub fn when_exact(time: &DateTime<Utc>) -> String {
    in_zone(time, "%Y-%m-%d %H:%M:%S %Z")
}

/// A duration in words a person reads at a glance: `45s`, `12m`, `1h 20m`,
/// `3d 4h`.
pub fn span(seconds: i64) -> String {
    let s = seconds.max(0);
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m", s / 60),
        3600..86_400 => match (s % 3600) / 60 {
            0 => format!("{}h", s / 3600),
            m => format!("{}h {m}m", s / 3600),
        },
        _ => match (s % 86_400) / 3600 {
            0 => format!("{}d", s / 86_400),
            h => format!("{}d {h}h", s / 86_400),
        },
    }
}

/// Where a ticket stands and when it should be done, as `ticket show` and
/// `watch` say it: how long in its step, its place in the queue, and the
/// expected completion, as label and text; none of it when the server does
/// not say (an older server, or a finished ticket).
pub fn whereabouts(
    full: &shared::models::FullTicket,
    now: DateTime<Utc>,
) -> Vec<(&'static str, String)> {
    let mut lines = Vec::new();
    if let Some(since) = full.in_step_since {
        let step = &full.ticket.state.current_workflow_step_display;
        lines.push((
            "In step:",
            format!(
                "{} in {step} (since {})",
                span((now - since).num_seconds()),
                when(&since)
            ),
        ));
    }
    if let Some(ahead) = full.queue_position {
        let queue = match ahead {
            0 => "next in the queue".to_string(),
            1 => "1 ticket ahead in the queue".to_string(),
            n => format!("{n} tickets ahead in the queue"),
        };
        lines.push(("Queue:", queue));
    }
    if let Some(eta) = &full.eta {
        let estimate = match eta.expected_completion {
            Some(done) => format!(
                "complete around {} (in about {}), from the {} tickets completed last",
                when(&done),
                span((done - now).num_seconds()),
                eta.window
            ),
            None => "no estimate yet: too few tickets have completed".to_string(),
        };
        lines.push(("ETA:", estimate));
    }
    lines
}

/// A time of day, as `watch` prints each change: `07:27:43`.
pub fn clock(time: &DateTime<Utc>) -> String {
    in_zone(time, "%H:%M:%S")
}

/// Whether stdout takes colour, by the same rules anstream applies.
fn stdout_colour() -> bool {
    anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
}

/// The colour a step or status name stands out in: red for failure, green
/// for success, yellow for work under way.
fn state_colour(name: &str) -> Option<AnsiColor> {
    match name {
        "Failed" => Some(AnsiColor::Red),
        "Complete" | "Succeeded" => Some(AnsiColor::Green),
        "In Progress" => Some(AnsiColor::Yellow),
        _ => None,
    }
}

/// A step or status name, coloured by what it means (stripped again by
/// anstream where colour is off).
pub fn state(name: &str) -> String {
    match state_colour(name) {
        Some(colour) => paint(Style::new().fg_color(Some(colour.into())), name),
        None => name.to_string(),
    }
}

/// `text` in `style`.
pub fn paint(style: Style, text: &str) -> String {
    format!("{style}{text}{style:#}")
}

/// Bold red, as a failure's heading.
pub const ALARM: Style = Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red)));

/// Bold cyan, as the label of a hint.
pub const HINT: Style = Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Cyan)));

/// Write to stdout, colour dropped where it does not belong; a broken pipe
/// exits 0 at once.
pub fn print(text: &str) {
    let mut stdout = anstream::stdout().lock();
    let result = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.write_all(b"\n"))
        .and_then(|()| stdout.flush());
    if let Err(err) = result {
        if err.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write to stdout: {err}");
        std::process::exit(1);
    }
}

/// Pretty JSON on stdout.
pub fn json(value: &Value) {
    print(&serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string()));
}

/// A table fitted to the terminal (or to `COLUMNS`).
pub fn table(headers: &[&str], rows: Vec<Vec<String>>) -> String {
    table_styled(headers, rows, &[], true)
}

/// [`table`], with the cells of the `states` columns (step and status
/// names) coloured by what they mean.
pub fn table_with_states(headers: &[&str], rows: Vec<Vec<String>>, states: &[usize]) -> String {
    table_styled(headers, rows, states, true)
}

/// A table fitted to the terminal if `fit`, else with no cell wrapped
/// however long its lines: a URL broken over lines cannot be copied.
pub fn table_fitted(headers: &[&str], rows: Vec<Vec<String>>, fit: bool) -> String {
    table_styled(headers, rows, &[], fit)
}

/// A table with bold headers, the `states` columns coloured, fitted to
/// the terminal if `fit`.
fn table_styled(headers: &[&str], rows: Vec<Vec<String>>, states: &[usize], fit: bool) -> String {
    let mut table = Table::new();
    table
        .load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(
            headers
                .iter()
                .map(|h| Cell::new(h).add_attribute(Attribute::Bold)),
        );
    // comfy-table styles cells itself, after fitting them; it must follow
    // the same choice as the stream the table goes to.
    if stdout_colour() {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    if !fit {
        table.set_content_arrangement(ContentArrangement::Disabled);
    } else if let Some(width) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<u16>().ok())
    {
        table.set_width(width);
    } else if table.width() == Some(0) {
        // A terminal that reports no size (script(1), some consoles):
        // fitting the table to 0 columns would stack it one letter wide.
        table.set_content_arrangement(ContentArrangement::Disabled);
    }
    for row in rows {
        table.add_row(row.into_iter().enumerate().map(|(i, text)| {
            let colour = states.contains(&i).then(|| state_colour(&text)).flatten();
            let cell = Cell::new(text);
            match colour {
                // The dark ones are the standard ANSI colours, as anstyle's.
                Some(AnsiColor::Red) => cell.fg(Color::DarkRed),
                Some(AnsiColor::Green) => cell.fg(Color::DarkGreen),
                Some(_) => cell.fg(Color::DarkYellow),
                None => cell,
            }
        }));
    }
    table.to_string()
}

/// The id at the end of a resource URI (`/api/v1/ticket/7/` → `7`).
pub fn uri_id(uri: &str) -> String {
    uri.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(uri)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::span;

    #[test]
    fn spans_read_at_a_glance() {
        for (seconds, words) in [
            (-5, "0s"),
            (45, "45s"),
            (60, "1m"),
            (725, "12m"),
            (3600, "1h"),
            (4800, "1h 20m"),
            (86_400, "1d"),
            (273_600, "3d 4h"),
        ] {
            assert_eq!(span(seconds), words, "{seconds} s");
        }
    }
}
