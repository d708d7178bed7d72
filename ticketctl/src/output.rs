//! Output: data on stdout (tables or the server's JSON), messages on
//! stderr. A closed stdout (`| head`) ends the program quietly with 0.

use std::io::Write;

use chrono::{DateTime, Utc};
use comfy_table::{ContentArrangement, Table, presets};
use serde_json::Value;

/// Write to stdout; a broken pipe exits 0 at once.
pub fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
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
    let mut table = Table::new();
    table
        .load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(headers.to_vec());
    if let Some(width) = std::env::var("COLUMNS")
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
        table.add_row(row);
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

/// `2026-11-25T06:27:43.123456Z` → `2026-11-25 06:27`.
pub fn when(time: &DateTime<Utc>) -> String {
    time.format("%Y-%m-%d %H:%M").to_string()
}
