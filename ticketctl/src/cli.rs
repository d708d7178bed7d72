//! The `ticketctl` command line: the clap tree and nothing else.

use std::ffi::OsStr;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::LazyLock;

use clap::builder::{EnumValueParser, PossibleValue, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use shared::{ArtifactType, Status, Step};

/// Command-line client of ticketd, the ticket system of the CI engine.
///
/// Settings come from flags, then TICKETCTL_* variables, then the config
/// file (`ticketctl config show` prints where it is).
#[derive(Debug, Parser)]
#[command(name = "ticketctl", version, propagate_version = true)]
#[command(
    after_help = "Examples:\n  ticketctl submit ../foo_1.2-3.dsc --title 'Fix the frobnicator' \\\n      --description 'LP: #12345'\n  ticketctl ticket list --open\n  ticketctl status set 7 --step image-testing --status in-progress"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes, before or after its name.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Server origin, without /api/v1 [default: http://127.0.0.1:8000]
    #[arg(
        long,
        global = true,
        env = "TICKETCTL_SERVER",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub server: Option<String>,
    /// API token (see `ticketctl login`)
    #[arg(
        long,
        global = true,
        env = "TICKETCTL_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,
    /// Print the server's JSON instead of tables
    #[arg(long, global = true)]
    pub json: bool,
    /// Never prompt; fail with a usage error where input is missing
    #[arg(long, global = true)]
    pub no_input: bool,
    /// Print less (no progress bars)
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more (each request)
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Show times in UTC instead of the local zone
    #[arg(long, global = true)]
    pub utc: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Submit a change: one ticket with one subticket per upload, in one call
    #[command(
        after_help = "Examples:\n  ticketctl submit ../foo_1.2-3_source.changes --title 'Fix crash' \\\n      --description 'LP: #1'\n  ticketctl submit foo=1.2-3 bar=2.0-1 --title 'Transition' \\\n      --description 'Rebuild' --no-queue"
    )]
    Submit(SubmitArgs),
    /// Tickets: list, show, create, complete, fail
    #[command(
        subcommand,
        after_help = "Examples:\n  ticketctl ticket list --open\n  ticketctl ticket show 7"
    )]
    Ticket(TicketCommand),
    /// Follow a ticket as it moves, one line per change, until it completes or fails
    #[command(
        after_help = "Exits 0 when the ticket completes, 6 when it fails (with where, why and\nwhich logs to read), at once if it already has; 3 if there is no such\nticket; 7 if --timeout comes first. A lost connection or a restarted\nserver is resumed from the last change seen. Ctrl-C stops watching (the\nticket goes on) and says how to resume.\n\nExamples:\n  ticketctl watch 7\n  ticketctl watch 7 --timeout 2h\n  ticketctl watch 7 --json | jq -r .message"
    )]
    Watch {
        /// Ticket id
        id: u64,
        /// Give up after this long, e.g. 90s, 30m, 2h (exit 7)
        #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
        timeout: Option<std::time::Duration>,
    },
    /// Source package uploads, one at a time (`submit` makes them for you)
    #[command(
        subcommand,
        after_help = "Example:\n  ticketctl spu create --source foo --version 1.2-3"
    )]
    Spu(SpuCommand),
    /// Subtickets, one at a time (`submit` makes them for you)
    #[command(
        subcommand,
        after_help = "Example:\n  ticketctl subticket create --ticket 7 --spu 12"
    )]
    Subticket(SubticketCommand),
    /// Move a ticket or subticket through the workflow (for landers)
    #[command(
        subcommand,
        after_help = "Example:\n  ticketctl status set 7 --step image-testing --status in-progress"
    )]
    Status(StatusCommand),
    /// Attach artifacts (logs, results, images, files) to tickets and subtickets, and download them
    #[command(
        subcommand,
        after_help = "Examples:\n  ticketctl artifact add --ticket 7 --type LOGS --name log --file build.log\n  ticketctl artifact get --subticket 12"
    )]
    Artifact(ArtifactCommand),
    /// Source and binary packages of the project manager
    #[command(
        subcommand,
        after_help = "Examples:\n  ticketctl package list\n  ticketctl package import packages.json --prune"
    )]
    Package(PackageCommand),
    /// People and teams
    #[command(subcommand, after_help = "Example:\n  ticketctl person list --teams")]
    Person(PersonCommand),
    /// Show or change the config file
    #[command(
        subcommand,
        after_help = "Examples:\n  ticketctl config set server https://tickets.example\n  ticketctl config show"
    )]
    Config(ConfigCommand),
    /// Store a new token after checking it with the server; the old one is replaced only if the new one works
    #[command(
        after_help = "The token comes from --token (or TICKETCTL_TOKEN), else from stdin with --with-token or when piped, else from a hidden prompt; never from the saved config.\n\nExamples:\n  ticketctl login\n  ticketctl login --server https://tickets.example --with-token < token.txt"
    )]
    Login {
        /// Read the token from stdin (one line)
        #[arg(long)]
        with_token: bool,
    },
    /// Show the server, the token's name and role, and where each setting came from
    #[command(
        after_help = "Settings come from a flag, else a TICKETCTL_* variable, else the config file; the owner from the config file, else DEBEMAIL. The token itself is never shown.\n\nExamples:\n  ticketctl whoami\n  ticketctl whoami --json"
    )]
    Whoami,
    /// Forget the saved token
    #[command(after_help = "Example:\n  ticketctl logout")]
    Logout,
    /// Print a shell completion script
    #[command(
        after_help = "Example:\n  ticketctl completions bash \\\n      > ~/.local/share/bash-completion/completions/ticketctl"
    )]
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
pub struct SubmitArgs {
    /// .changes or .dsc files, or SOURCE=VERSION for an upload without files
    #[arg(required = true, value_name = "PATH.changes|PATH.dsc|SOURCE=VERSION")]
    pub uploads: Vec<String>,
    /// Ticket title [default: the first change in a .changes' changelog entry; else asked for on a terminal]
    #[arg(long)]
    pub title: Option<String>,
    /// Ticket description [default: a .changes' changelog entry; else asked for on a terminal]
    #[arg(long)]
    pub description: Option<String>,
    /// Launchpad bug number [default: the first of the upload's Launchpad-Bugs-Fixed, else Closes]
    #[arg(long, value_name = "N")]
    pub bug: Option<String>,
    /// Owner address [default: the token's owner if it is bound to one, else the upload's Changed-By, else Maintainer, else the `owner` setting, else DEBEMAIL]
    #[arg(long, value_name = "EMAIL")]
    pub owner: Option<String>,
    /// Assignee of every subticket [default: the owner]
    #[arg(long, value_name = "EMAIL")]
    pub assignee: Option<String>,
    /// PPA dedicated to the ticket
    #[arg(long)]
    pub ppa: Option<String>,
    /// Image to develop and test against
    #[arg(long, value_name = "IMG")]
    pub base_image: Option<String>,
    /// Create the ticket at step 0 (New) instead of queueing it
    #[arg(long)]
    pub no_queue: bool,
    /// Submit .changes or .dsc uploads even if a ticket has them already
    #[arg(long)]
    pub resubmit: bool,
    /// Then follow the new ticket as `ticketctl watch` does (exit 0, 6 or 7)
    #[arg(long, conflicts_with = "no_queue")]
    pub wait: bool,
    /// With --wait: give up after this long, e.g. 30m, 2h (exit 7)
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration, requires = "wait")]
    pub timeout: Option<std::time::Duration>,
}

/// What `ticket list` sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TicketSort {
    Created,
    Updated,
    Id,
    Title,
}

impl TicketSort {
    /// The list's `order_by`: times and ids newest first, titles A to Z;
    /// `reverse` turns it round.
    pub fn order_by(self, reverse: bool) -> String {
        let (field, newest_first) = match self {
            TicketSort::Created => ("created", true),
            TicketSort::Updated => ("updated", true),
            TicketSort::Id => ("id", true),
            TicketSort::Title => ("title", false),
        };
        if newest_first != reverse {
            format!("-{field}")
        } else {
            field.to_string()
        }
    }
}

/// A step or status by name or code: any spelling `shared` parses, while
/// help and the completions offer the names.
#[derive(Clone)]
struct NameOrCode<T: 'static> {
    all: &'static [T],
    slug: fn(T) -> &'static str,
}

impl<T> TypedValueParser for NameOrCode<T>
where
    T: FromStr<Err = String> + Copy + Send + Sync + 'static,
{
    type Value = T;

    fn parse_ref(
        &self,
        command: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        let text = value.to_string_lossy();
        text.parse::<T>().map_err(|problem| {
            let flag = arg
                .and_then(clap::Arg::get_long)
                .map(|long| format!("--{long}: "))
                .unwrap_or_default();
            clap::Error::raw(
                clap::error::ErrorKind::InvalidValue,
                format!("{flag}{problem}\n"),
            )
            .with_cmd(command)
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            self.all.iter().map(|v| PossibleValue::new((self.slug)(*v))),
        ))
    }
}

fn step() -> NameOrCode<Step> {
    NameOrCode {
        all: Step::ALL,
        slug: Step::slug,
    }
}

fn status() -> NameOrCode<Status> {
    NameOrCode {
        all: Status::ALL,
        slug: Status::slug,
    }
}

#[derive(Debug, Subcommand)]
pub enum TicketCommand {
    /// List tickets
    #[command(
        after_help = "Newest first. On a terminal, says on stderr when more tickets match than it shows.\n\nExamples:\n  ticketctl ticket list --open\n  ticketctl ticket list --step image-testing --all --json\n  ticketctl ticket list --sort updated --limit 50\n  ticketctl ticket list --reverse"
    )]
    List {
        /// Only tickets neither Failed nor Complete
        #[arg(long)]
        open: bool,
        /// Only tickets at this step (name or code)
        #[arg(long, value_name = "NAME|CODE", value_parser = step())]
        step: Option<Step>,
        /// Only tickets of this owner
        #[arg(long, value_name = "EMAIL")]
        owner: Option<String>,
        /// Sort by: created, updated or id (newest first), title (A to Z)
        #[arg(long, value_enum, value_name = "KEY", default_value_t = TicketSort::Created)]
        sort: TicketSort,
        /// The other way round: oldest (or Z) first
        #[arg(long)]
        reverse: bool,
        /// At most this many (1 or more)
        #[arg(
            long,
            value_name = "N",
            default_value_t = 20,
            value_parser = clap::value_parser!(u32).range(1..),
            conflicts_with = "all"
        )]
        limit: u32,
        /// Every matching ticket, all pages
        #[arg(long)]
        all: bool,
    },
    /// Show everything about a ticket: failure report, subtickets, artifacts, history
    #[command(after_help = "Example:\n  ticketctl ticket show 7")]
    Show {
        /// Ticket id
        id: u64,
    },
    /// Print the logs of a failed ticket: its failed subticket's LOGS and its own
    #[command(
        after_help = "Each log follows a header line, `==> subticket 4 (foo 1.2-3): build.log <==`.\nBlobs are checked against their SHA-256 (exit 1 if one does not match).\nA ticket that has not failed: exit 4 (--all shows its logs anyway);\none that failed without LOGS attached: exit 3.\n\nExamples:\n  ticketctl ticket logs 7\n  ticketctl ticket logs 7 --all | less\n  ticketctl ticket logs 7 --dir logs"
    )]
    Logs {
        /// Ticket id
        id: u64,
        /// The LOGS of the ticket and of every subticket, failed or not
        #[arg(long)]
        all: bool,
        /// Save them as files instead, DIR/subticket-N/NAME and DIR/ticket-N/NAME
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Replace files under DIR that exist
        #[arg(long, requires = "dir")]
        clobber: bool,
    },
    /// Create a ticket alone, at step New (`submit` makes the ticket, its uploads and subtickets in one go)
    #[command(
        after_help = "Example:\n  ticketctl ticket create --title 'My first ticket' --owner dev@example.com"
    )]
    Create {
        #[arg(long)]
        title: String,
        #[arg(long, value_name = "EMAIL")]
        owner: String,
        #[arg(long)]
        description: Option<String>,
        /// Launchpad bug number
        #[arg(long, value_name = "N")]
        bug: Option<String>,
    },
    /// Mark a ticket Complete (1000/1000), and its unfinished subtickets with it
    #[command(after_help = "Example:\n  ticketctl ticket complete 7")]
    Complete {
        /// Ticket id
        id: u64,
    },
    /// Mark a ticket Failed at the step it is in
    #[command(after_help = "Example:\n  ticketctl ticket fail 7 --message 'mirror unreachable'")]
    Fail {
        /// Ticket id
        id: u64,
        /// Why it failed
        #[arg(long)]
        message: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum SpuCommand {
    /// Create a source package upload
    #[command(after_help = "Example:\n  ticketctl spu create --source foo --version 1.2-3")]
    #[command(disable_version_flag = true)]
    Create {
        /// Source package name or id
        #[arg(long, value_name = "NAME|ID")]
        source: String,
        /// Debian version
        #[arg(long)]
        version: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum SubticketCommand {
    /// Add a subticket to a ticket still at step 0
    #[command(after_help = "Example:\n  ticketctl subticket create --ticket 7 --spu 12")]
    Create {
        /// Ticket id
        #[arg(long, value_name = "ID")]
        ticket: u64,
        /// Source package upload id
        #[arg(long, value_name = "ID")]
        spu: u64,
        /// Assignee [default: the ticket's owner]
        #[arg(long, value_name = "EMAIL")]
        assignee: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum StatusCommand {
    /// Set the step and status of a ticket (or, with --subticket, a subticket)
    #[command(
        after_help = "Examples:\n  ticketctl status set 7 --step package-building --status in-progress\n  ticketctl status set --subticket 12 --step 200 --status failed \\\n      --message 'FTBFS on armhf'\n  ticketctl status set 7 --step queued --status not-started --force"
    )]
    Set(StatusSetArgs),
}

#[derive(Debug, Args)]
pub struct StatusSetArgs {
    /// Ticket id
    #[arg(required_unless_present = "subticket", conflicts_with = "subticket")]
    pub id: Option<u64>,
    /// Subticket id, instead of a ticket
    #[arg(long, value_name = "ID")]
    pub subticket: Option<u64>,
    /// Step, by name (image-testing) or code (400)
    #[arg(long, value_parser = step())]
    pub step: Step,
    /// Status, by name (in-progress) or code (100)
    #[arg(long, value_parser = status())]
    pub status: Status,
    /// Why (kept in the history)
    #[arg(long)]
    pub message: Option<String>,
    /// Override the workflow rules (admin tokens only)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum ArtifactCommand {
    /// Attach an artifact, by reference or by uploading a file
    #[command(
        after_help = "Examples:\n  ticketctl artifact add --ticket 7 --type LOGS --name build.log \\\n      --file build.log\n  ticketctl artifact add --subticket 12 --type RESULTS --name autopkgtest \\\n      --reference https://ci.example/r/12"
    )]
    Add(ArtifactAddArgs),
    /// Download an artifact: a file of the server's blob store, checked against its SHA-256, or what its URL names
    #[command(
        after_help = "Writes to the artifact's name (NAME) in the current directory unless -o says\notherwise, and never over an existing file without --clobber (exit 2).\nA blob that does not match its SHA-256 is not kept (exit 1). The token\ngoes only to the server, never to another host.\n\nExamples:\n  ticketctl artifact get 3\n  ticketctl artifact get --subticket 12 -o build-armhf.log\n  ticketctl artifact get --subticket 12 -o - | less"
    )]
    Get(ArtifactGetArgs),
}

#[derive(Debug, Args)]
pub struct ArtifactGetArgs {
    /// Artifact id: a ticket's artifact, or with --subticket a subticket's
    pub id: u64,
    /// ID is a subticket artifact's id (`ticket show` lists both kinds)
    #[arg(long)]
    pub subticket: bool,
    /// Write to FILE (DIR/NAME if a directory), stdout with `-` [default: NAME]
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace FILE if it exists
    #[arg(long)]
    pub clobber: bool,
}

/// `shared::ArtifactType` as clap's `ValueEnum`: its wire names (`LOGS`).
#[derive(Debug, Clone, Copy)]
struct ArtifactTypeArg(ArtifactType);

impl ValueEnum for ArtifactTypeArg {
    fn value_variants<'a>() -> &'a [Self] {
        static ALL: LazyLock<Vec<ArtifactTypeArg>> = LazyLock::new(|| {
            ArtifactType::ALL
                .iter()
                .copied()
                .map(ArtifactTypeArg)
                .collect()
        });
        &ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.0.as_str()))
    }
}

/// The parser of `--type`.
fn artifact_type() -> impl TypedValueParser<Value = ArtifactType> {
    EnumValueParser::<ArtifactTypeArg>::new().map(|arg| arg.0)
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("owner").required(true).args(["ticket", "subticket"])))]
#[command(group(clap::ArgGroup::new("source").required(true).args(["reference", "file"])))]
pub struct ArtifactAddArgs {
    /// Ticket id
    #[arg(long, value_name = "ID")]
    pub ticket: Option<u64>,
    /// Subticket id
    #[arg(long, value_name = "ID")]
    pub subticket: Option<u64>,
    /// Artifact type (tickets: RESULTS, LOGS, IMAGE; subtickets: SPU, RESULTS, LOGS)
    #[arg(long = "type", value_parser = artifact_type(), ignore_case = true)]
    pub kind: ArtifactType,
    /// Artifact name
    #[arg(long)]
    pub name: String,
    /// An absolute URL where the artifact lives
    #[arg(long, value_name = "URL")]
    pub reference: Option<String>,
    /// A file to upload to the server's blob store
    #[arg(long, value_name = "PATH")]
    pub file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum PackageCommand {
    /// List source packages (or binary packages with --binary)
    #[command(
        after_help = "Examples:\n  ticketctl package list\n  ticketctl package list --binary --all --json"
    )]
    List {
        /// List binary packages instead
        #[arg(long)]
        binary: bool,
        /// Only names starting with this
        #[arg(long, value_name = "PREFIX")]
        name: Option<String>,
        #[arg(long, value_name = "N", default_value_t = 20, conflicts_with = "all")]
        limit: u32,
        /// All pages
        #[arg(long)]
        all: bool,
    },
    /// Show a source package with its binaries and uploads
    #[command(after_help = "Example:\n  ticketctl package show foo")]
    Show {
        /// Source package name or id
        package: String,
    },
    /// Add a source package
    #[command(after_help = "Example:\n  ticketctl package add my-package")]
    Add {
        /// Debian source package name
        name: String,
    },
    /// Import the project manager's package list (admin)
    #[command(after_help = "Example:\n  ticketctl package import packages.json --prune")]
    Import {
        /// A JSON list of objects with "binary", "source" and "version"
        file: PathBuf,
        /// Also remove binaries that are not listed
        #[arg(long)]
        prune: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    /// List people and teams
    #[command(after_help = "Example:\n  ticketctl person list --teams")]
    List {
        /// Names starting with this (case-insensitive)
        #[arg(long)]
        name: Option<String>,
        /// Addresses starting with this (case-insensitive)
        #[arg(long)]
        email: Option<String>,
        /// Only teams
        #[arg(long, conflicts_with = "people")]
        teams: bool,
        /// Only people
        #[arg(long)]
        people: bool,
    },
    /// Add a person or team (admin)
    #[command(
        after_help = "Example:\n  ticketctl person add --name 'CI Engineering' --email ci@lists.example --team"
    )]
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        /// It is a team
        #[arg(long)]
        team: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Set a setting: server, token or owner
    #[command(after_help = "Example:\n  ticketctl config set server https://tickets.example")]
    Set {
        /// server, token or owner
        #[arg(value_parser = ["server", "token", "owner"])]
        key: String,
        value: String,
    },
    /// Show the settings in effect and where the config file is
    #[command(after_help = "Example:\n  ticketctl config show")]
    Show,
}

#[cfg(test)]
mod tests {
    use clap::Parser;
    use shared::ArtifactType;

    use super::{ArtifactCommand, Cli, Command};

    #[test]
    fn artifact_types_are_shared_names_in_any_case() {
        for (spelling, kind) in [("logs", ArtifactType::Logs), ("SPU", ArtifactType::Spu)] {
            let cli = Cli::try_parse_from([
                "ticketctl",
                "artifact",
                "add",
                "--ticket",
                "1",
                "--type",
                spelling,
                "--name",
                "n",
                "--reference",
                "https://ci.example/r",
            ])
            .expect("a valid command line");
            let Command::Artifact(ArtifactCommand::Add(args)) = cli.command else {
                panic!("parsed as another command");
            };
            assert_eq!(args.kind, kind);
        }
    }
}
