//! The checked-in shell completions (`completions/`) and man pages
//! (`man/`) of both binaries must match what the command trees generate.
//! Run `UPDATE_GENERATED=1 cargo test -p ticketctl generated` to refresh them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::{Command, CommandFactory};
use clap_complete::Shell;

use crate::error::exit;

const REFRESH: &str = "UPDATE_GENERATED=1 cargo test -p ticketctl generated";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every man page of `command` and its subcommands, by file name.
fn man_pages(
    command: &Command,
    prefix: &str,
    section: &str,
    pages: &mut BTreeMap<String, Vec<u8>>,
) {
    let name = if prefix.is_empty() {
        command.get_name().to_string()
    } else {
        format!("{prefix}-{}", command.get_name())
    };
    let mut page = command.clone().name(name.clone());
    // clap's `help` subcommand gets no page of its own (it is `--help`), so
    // the SUBCOMMANDS list must not name one: hidden, clap_mangen leaves it out.
    if page.find_subcommand("help").is_some() {
        page = page.mut_subcommand("help", |help| help.hide(true));
    }
    let mut out = Vec::new();
    clap_mangen::Man::new(page)
        .section(section)
        .render(&mut out)
        .expect("render man page");
    let mut out = no_fill_examples(&out);
    if name == "ticketctl" {
        out = with_exit_status(&out);
    }
    pages.insert(format!("{name}.{section}"), out);
    for sub in command
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        man_pages(sub, &name, section, pages);
    }
}

/// What each exit code of `ticketctl` means, as its man page says.
const EXIT_STATUS: &[(u8, &str)] = &[
    (exit::OK, "Success."),
    (
        exit::REQUEST_FAILED,
        "The request failed: the server is unreachable, answered 5xx, or timed out.",
    ),
    (
        exit::USAGE,
        "Usage error or invalid input, caught before sending or refused by the server (400, 413, 415).",
    ),
    (exit::NOT_FOUND, "Not found (404)."),
    (
        exit::CONFLICT,
        "Conflict (409): an illegal transition, a duplicate, or nothing to change.",
    ),
    (
        exit::REFUSED,
        "Authentication or permission refused (401, 403).",
    ),
    (
        exit::TICKET_FAILED,
        "watch, or submit --wait, ended on a failed ticket.",
    ),
    (
        exit::STILL_RUNNING,
        "watch --timeout, or submit --wait --timeout, ran out while the ticket was still moving.",
    ),
];

/// The page with an EXIT STATUS section before its VERSION.
fn with_exit_status(page: &[u8]) -> Vec<u8> {
    let mut section = String::from(".SH \"EXIT STATUS\"\n");
    for (code, meaning) in EXIT_STATUS {
        section.push_str(&format!(".TP\n{code}\n{meaning}\n"));
    }
    let text = String::from_utf8_lossy(page);
    match text.find(".SH VERSION") {
        Some(at) => format!("{}{section}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{section}").into_bytes(),
    }
}

/// The page with its examples in a no-fill, unhyphenated block: man would
/// otherwise justify a long example over two lines and hyphenate a flag
/// (`--de‐ scription`), and it could not be copied.
fn no_fill_examples(page: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    let mut out = String::with_capacity(text.len() + 32);
    let mut in_examples = false;
    for line in text.lines() {
        if in_examples && (line.starts_with(".SH") || line.is_empty()) {
            out.push_str(".fi\n.hy\n");
            in_examples = false;
        }
        out.push_str(line);
        out.push('\n');
        if line == "Examples:" || line == "Example:" {
            out.push_str(".nh\n.nf\n");
            in_examples = true;
        }
    }
    if in_examples {
        out.push_str(".fi\n.hy\n");
    }
    out.into_bytes()
}

fn completions(command: &Command, pages: &mut BTreeMap<String, Vec<u8>>) {
    let name = command.get_name().to_string();
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::Elvish,
        Shell::PowerShell,
    ] {
        let file = match shell {
            Shell::Bash => format!("{name}.bash"),
            Shell::Zsh => format!("_{name}"),
            Shell::Fish => format!("{name}.fish"),
            Shell::Elvish => format!("{name}.elv"),
            _ => format!("_{name}.ps1"),
        };
        let mut out = Vec::new();
        clap_complete::generate(shell, &mut command.clone(), &name, &mut out);
        pages.insert(file, out);
    }
}

fn check(dir: &Path, expected: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let update = std::env::var_os("UPDATE_GENERATED").is_some();
    if update {
        std::fs::create_dir_all(dir).expect("create dir");
    }
    let mut stale = Vec::new();
    for (file, content) in expected {
        let path = dir.join(file);
        if std::fs::read(&path).ok().as_deref() != Some(content.as_slice()) {
            if update {
                std::fs::write(&path, content).expect("write generated file");
            } else {
                stale.push(path.display().to_string());
            }
        }
    }
    // Files for commands that no longer exist.
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !expected.contains_key(&name) && name != "README.md" {
            if update {
                std::fs::remove_file(entry.path()).expect("remove stale file");
            } else {
                stale.push(format!("{} (no longer generated)", entry.path().display()));
            }
        }
    }
    stale
}

#[test]
fn generated_completions_and_man_pages_are_current() {
    let mut ticketctl = crate::cli::Cli::command();
    ticketctl.build();
    let mut ticketd = ticketd::cli::Cli::command();
    ticketd.build();

    let mut shells = BTreeMap::new();
    completions(&ticketctl, &mut shells);
    completions(&ticketd, &mut shells);
    let mut pages = BTreeMap::new();
    man_pages(&ticketctl, "", "1", &mut pages);
    man_pages(&ticketd, "", "8", &mut pages);

    // Every page a SUBCOMMANDS list names (`ticketd\-token(8)`) is one of them.
    for (file, page) in &pages {
        for line in String::from_utf8_lossy(page).lines() {
            let named = line.replace("\\-", "-");
            if let Some((name, section)) = named.strip_suffix(')').and_then(|n| n.split_once('('))
                && !name.contains(' ')
                && (section == "1" || section == "8")
            {
                assert!(
                    pages.contains_key(&format!("{name}.{section}")),
                    "{file} refers to {named}, which is not generated"
                );
            }
        }
    }

    let mut stale = check(&workspace().join("completions"), &shells);
    stale.extend(check(&workspace().join("man"), &pages));
    assert!(
        stale.is_empty(),
        "generated files are stale; refresh them with `{REFRESH}`:\n  {}",
        stale.join("\n  ")
    );
}

/// The examples of `command` alone: the indented lines of its `after_help`.
fn own_examples(command: &Command) -> Vec<String> {
    let help = command
        .get_after_help()
        .map(|h| h.to_string())
        .unwrap_or_default();
    help.lines()
        .filter_map(|line| line.strip_prefix("  "))
        .map(|example| example.trim().to_string())
        .collect()
}

/// Every example of `command` and its subcommands (the indented lines of
/// their `after_help`), with the man page it is in.
fn examples(command: &Command, prefix: &str, section: &str, out: &mut Vec<(String, String)>) {
    let name = if prefix.is_empty() {
        command.get_name().to_string()
    } else {
        format!("{prefix}-{}", command.get_name())
    };
    for example in own_examples(command) {
        out.push((format!("{name}.{section}"), example));
    }
    for sub in command
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        examples(sub, &name, section, out);
    }
}

#[test]
fn man_page_examples_render_whole_at_80_columns_so_they_can_be_copied() {
    let mut all = Vec::new();
    examples(&crate::cli::Cli::command(), "", "1", &mut all);
    examples(&ticketd::cli::Cli::command(), "", "8", &mut all);
    assert!(all.len() > 30, "{} examples", all.len());
    let mut broken = Vec::new();
    for (page, example) in &all {
        let rendered = std::process::Command::new("man")
            .arg("-l")
            .arg(workspace().join("man").join(page))
            .env("MANWIDTH", "80")
            .env("MAN_KEEP_FORMATTING", "")
            .output()
            .expect("man(1) renders the page (man-db, groff)");
        let text = String::from_utf8_lossy(&rendered.stdout);
        if !text.lines().any(|l| l.trim() == example.as_str()) {
            broken.push(format!("{page}: {example}"));
        }
    }
    assert!(
        broken.is_empty(),
        "examples that man splits or hyphenates at 80 columns:\n  {}",
        broken.join("\n  ")
    );
}

/// `command` and every subcommand below it, as `--help` shows them.
fn every_command(command: &Command, out: &mut Vec<Command>) {
    out.push(command.clone());
    for sub in command
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        every_command(sub, out);
    }
}

#[test]
fn help_examples_fit_80_columns_so_help_does_not_wrap_them() {
    let mut wrapped = Vec::new();
    for top in [crate::cli::Cli::command(), ticketd::cli::Cli::command()] {
        let mut top = top.term_width(80);
        top.build();
        let mut commands = Vec::new();
        every_command(&top, &mut commands);
        for mut command in commands {
            let examples_here = own_examples(&command);
            let help = command.render_long_help().to_string();
            for example in examples_here {
                if !help.lines().any(|l| l.trim() == example) {
                    wrapped.push(format!("{}: {example}", command.get_name()));
                }
            }
        }
    }
    assert!(
        wrapped.is_empty(),
        "examples that --help wraps at 80 columns:\n  {}",
        wrapped.join("\n  ")
    );
}
