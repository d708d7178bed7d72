//! Saving an artifact's content as it arrives, 64 KiB at a time whatever
//! its size: to a file, written under a temporary name beside it and
//! renamed into place only once it is whole and, where its SHA-256 is
//! known, matches it; or to stdout.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use indicatif::ProgressBar;
use sha2::{Digest, Sha256};

use crate::client::Fetched;
use crate::error::{CliError, exit};

/// Where the content goes.
pub enum Target {
    Stdout,
    /// A file, replaced if it exists only when `clobber`.
    File {
        path: PathBuf,
        clobber: bool,
    },
}

impl Target {
    /// Refuse before downloading anything when the file exists and may not
    /// be replaced (the rename at the end refuses a file that appeared
    /// since).
    pub fn check(&self) -> Result<(), CliError> {
        match self {
            Target::File {
                path,
                clobber: false,
            } if path.symlink_metadata().is_ok() => Err(exists(path)),
            _ => Ok(()),
        }
    }
}

fn exists(path: &Path) -> CliError {
    CliError::usage_hint(
        format!("{} exists already; nothing was downloaded", path.display()),
        "pass --clobber to replace it, or -o to write elsewhere (-o - for stdout)",
    )
}

/// A file name for an artifact's `name`, which the server stores as given:
/// its last `/`-separated part, refused if that is empty, `.`, `..` or has
/// control characters.
pub fn file_name(name: &str) -> Result<String, CliError> {
    let last = name.rsplit('/').next().unwrap_or_default();
    if last.is_empty() || last == "." || last == ".." || last.chars().any(char::is_control) {
        return Err(CliError::usage_hint(
            format!("the artifact's name `{name}` is no file name to write to"),
            "name the file with -o FILE (-o - for stdout)",
        ));
    }
    Ok(last.to_string())
}

/// Write `fetched` to `target`, showing `bar`; the number of bytes.
pub fn save(fetched: Fetched, target: &Target, bar: &ProgressBar) -> Result<u64, CliError> {
    let result = match target {
        Target::Stdout => {
            let mut stdout = std::io::stdout().lock();
            let aftermath = "what was written to stdout is not the artifact";
            copy(fetched, &mut StdoutSink(&mut stdout), bar, aftermath)
        }
        Target::File { path, clobber } => to_file(fetched, path, *clobber, bar),
    };
    bar.finish_and_clear();
    result
}

fn to_file(
    fetched: Fetched,
    path: &Path,
    clobber: bool,
    bar: &ProgressBar,
) -> Result<u64, CliError> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let cannot_write =
        |e: std::io::Error| CliError::usage(format!("cannot write {}: {e}", path.display()));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".ticketctl-").suffix(".part");
    // `rw-rw-rw-` less the umask, as curl and wget leave a download
    // (tempfile's own default is private).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temp = builder.tempfile_in(dir).map_err(cannot_write)?;
    // On any error `temp` is dropped, and the partial file with it.
    let aftermath = format!("nothing was written to {}", path.display());
    let written = copy(fetched, temp.as_file_mut(), bar, &aftermath)?;
    temp.as_file().sync_all().map_err(cannot_write)?;
    let persisted = if clobber {
        temp.persist(path)
    } else {
        temp.persist_noclobber(path)
    };
    persisted.map_err(|e| match e.error.kind() {
        std::io::ErrorKind::AlreadyExists => exists(path),
        _ => cannot_write(e.error),
    })?;
    Ok(written)
}

/// Stdout, where a closed pipe (`| head`) ends the program quietly with 0.
struct StdoutSink<'a, W: Write>(&'a mut W);

impl<W: Write> Write for StdoutSink<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf).inspect_err(quit_on_broken_pipe)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush().inspect_err(quit_on_broken_pipe)
    }
}

fn quit_on_broken_pipe(err: &std::io::Error) {
    if err.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(i32::from(exit::OK));
    }
}

/// Write bytes to stdout as they are (a log's header); a closed pipe ends
/// the program quietly with 0.
pub fn print_raw(bytes: &[u8]) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    let mut sink = StdoutSink(&mut stdout);
    sink.write_all(bytes)
        .and_then(|()| sink.flush())
        .map_err(|e| CliError::Io(format!("cannot write to stdout: {e}")))
}

/// Copy the body into `out`, hashing it, and check its SHA-256 if known;
/// `aftermath` says what an error leaves behind.
fn copy(
    mut fetched: Fetched,
    out: &mut impl Write,
    bar: &ProgressBar,
    aftermath: &str,
) -> Result<u64, CliError> {
    let mut sha = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut written = 0u64;
    loop {
        let n = fetched
            .body
            .read(&mut buffer)
            .map_err(|e| CliError::Fetch {
                message: format!(
                    "the download of {} broke off after {written} bytes ({e}); {aftermath}",
                    fetched.url
                ),
                hint: "try again".into(),
                code: exit::REQUEST_FAILED,
            })?;
        if n == 0 {
            break;
        }
        sha.update(&buffer[..n]);
        out.write_all(&buffer[..n])
            .map_err(|e| CliError::Io(format!("cannot write the download: {e}")))?;
        written += n as u64;
        bar.inc(n as u64);
    }
    out.flush()
        .map_err(|e| CliError::Io(format!("cannot write the download: {e}")))?;
    let got = hex::encode(sha.finalize());
    match fetched.sha256 {
        Some(want) if want != got => Err(CliError::Fetch {
            message: format!(
                "{} does not match its SHA-256: expected {want}, got {got} ({written} bytes); {aftermath}",
                fetched.url
            ),
            hint: "the server's copy or the transfer is damaged; try again, and if it persists tell the server's operator".into(),
            code: exit::REQUEST_FAILED,
        }),
        _ => Ok(written),
    }
}

#[cfg(test)]
mod tests {
    use super::file_name;

    #[test]
    fn an_artifacts_name_becomes_its_last_part_or_is_refused() {
        assert_eq!(file_name("build.log").ok().as_deref(), Some("build.log"));
        assert_eq!(
            file_name("logs/armhf/build.log").ok().as_deref(),
            Some("build.log")
        );
        assert_eq!(file_name("../../.bashrc").ok().as_deref(), Some(".bashrc"));
        for bad in ["", "logs/", ".", "..", "a/..", "a\nb", "bell\u{7}"] {
            let err = file_name(bad).expect_err(bad);
            assert_eq!(err.exit_code(), crate::error::exit::USAGE, "{bad:?}");
            assert!(
                err.hint().unwrap_or_default().contains("-o FILE"),
                "{bad:?}"
            );
        }
    }
}
