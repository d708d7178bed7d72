//! Reading a source upload from its `.changes` or `.dsc` file (deb822,
//! clear-signed or not; the signature is not checked) and checking every
//! file it lists against its checksum before anything is sent.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use md5::Md5;
use sha2::{Digest, Sha256};
use shared::validate;

use crate::error::CliError;

/// A file of an upload, checked and hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadFile {
    pub name: String,
    pub path: PathBuf,
    pub size: u64,
    pub sha256: String,
}

/// One source upload: its name, version and files (the control file first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceUpload {
    pub source: String,
    pub version: String,
    pub files: Vec<UploadFile>,
    /// What its control file says about the change (nothing for SOURCE=VERSION).
    pub about: About,
}

/// The fields of a control file that describe the change, as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct About {
    /// The control file's name.
    pub file: String,
    pub changed_by: Option<String>,
    pub maintainer: Option<String>,
    pub launchpad_bugs_fixed: Option<String>,
    pub closes: Option<String>,
    /// The changelog entry (`Changes` of a .changes), one string per line.
    pub changes: Vec<String>,
}

/// The text inside a clear-signed message (RFC 4880 §7), or the text itself.
pub fn strip_signature(text: &str) -> String {
    if !text
        .trim_start()
        .starts_with("-----BEGIN PGP SIGNED MESSAGE-----")
    {
        return text.to_string();
    }
    let mut lines = text
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN PGP SIGNED MESSAGE-----"))
        .skip(1);
    // Armor headers ("Hash: SHA512") end at the first empty line.
    for line in lines.by_ref() {
        if line.trim().is_empty() {
            break;
        }
    }
    let mut body = String::new();
    for line in lines {
        if line.starts_with("-----BEGIN PGP SIGNATURE-----") {
            break;
        }
        body.push_str(line.strip_prefix("- ").unwrap_or(line));
        body.push('\n');
    }
    body
}

fn hash_file(path: &Path) -> std::io::Result<(u64, String, String)> {
    let mut file = std::fs::File::open(path)?;
    let mut sha = Sha256::new();
    let mut md5 = Md5::new();
    let mut size = 0u64;
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        sha.update(&buffer[..n]);
        md5.update(&buffer[..n]);
    }
    Ok((
        size,
        hex::encode(sha.finalize()),
        hex::encode(md5.finalize()),
    ))
}

/// Hash a file for the blob store.
pub fn file_digest(path: &Path) -> Result<(u64, String), CliError> {
    let (size, sha, _) = hash_file(path)
        .map_err(|e| CliError::usage(format!("cannot read {}: {e}", path.display())))?;
    Ok((size, sha))
}

/// A listed file: its expected size and checksum of one kind.
struct Listed {
    name: String,
    size: u64,
    sha256: Option<String>,
    md5: Option<String>,
}

fn listed_files(
    paragraph: &deb822_lossless::Paragraph,
    control: &str,
) -> Result<Vec<Listed>, CliError> {
    let parse_lines = |field: &str, sha: bool| -> Result<Vec<Listed>, CliError> {
        let Some(value) = paragraph.get(field) else {
            return Ok(vec![]);
        };
        value
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|line| {
                let parts: Vec<&str> = line.split_whitespace().collect();
                let (Some(sum), Some(size), Some(name)) =
                    (parts.first(), parts.get(1), parts.last())
                else {
                    return Err(CliError::usage(format!(
                        "{control}: malformed {field} line `{line}`"
                    )));
                };
                let size = size.parse().map_err(|_| {
                    CliError::usage(format!("{control}: malformed size in `{line}`"))
                })?;
                if name.contains('/') || name.starts_with('.') {
                    return Err(CliError::usage(format!(
                        "{control}: refusing the file name `{name}`"
                    )));
                }
                let sum = sum.to_ascii_lowercase();
                Ok(Listed {
                    name: name.to_string(),
                    size,
                    sha256: sha.then(|| sum.clone()),
                    md5: (!sha).then_some(sum),
                })
            })
            .collect()
    };
    let by_sha = parse_lines("Checksums-Sha256", true)?;
    if !by_sha.is_empty() {
        return Ok(by_sha);
    }
    let by_md5 = parse_lines("Files", false)?;
    if by_md5.is_empty() {
        // dpkg-source and dput refuse such a file too: there is nothing
        // to upload and nothing to check.
        return Err(CliError::usage_hint(
            format!("{control} lists no files: it has no Files or Checksums-Sha256 field"),
            "a .dsc or .changes lists the files of the upload with their checksums; \
             rebuild it with dpkg-buildpackage -S",
        ));
    }
    Ok(by_md5)
}

/// Read a `.changes` or `.dsc` and check every file it lists, which must
/// lie beside it. Any missing or mismatching file is a usage error naming it.
pub fn read_control(path: &Path) -> Result<SourceUpload, CliError> {
    let control = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::usage(format!("cannot read {control}: {e}")))?;
    let deb822 = deb822_lossless::Deb822::from_str(&strip_signature(&text))
        .map_err(|e| CliError::usage(format!("{control} is not a deb822 file: {e}")))?;
    let paragraph = deb822
        .paragraphs()
        .next()
        .ok_or_else(|| CliError::usage(format!("{control} is empty")))?;
    let field = |name: &str| {
        paragraph
            .get(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .ok_or_else(|| CliError::usage(format!("{control} has no {name} field")))
    };
    // A .changes may say `Source: foo (1.2-1)` for a binNMU; the name is the first word.
    let source = field("Source")?
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string();
    let version = field("Version")?;
    validate::package_name(&source)
        .map_err(|e| CliError::usage(format!("{control}: Source: {e}")))?;
    validate::version(&version).map_err(|e| CliError::usage(format!("{control}: Version: {e}")))?;

    let dir = path.parent().unwrap_or(Path::new("."));
    let (size, sha256) = file_digest(path)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| control.clone());
    let mut files = vec![UploadFile {
        name,
        path: path.to_path_buf(),
        size,
        sha256,
    }];
    for listed in listed_files(&paragraph, &control)? {
        let file_path = dir.join(&listed.name);
        let (size, sha256, md5) = hash_file(&file_path).map_err(|e| {
            CliError::usage_hint(
                format!(
                    "{} (listed in {control}) cannot be read: {e}",
                    file_path.display()
                ),
                "every file a .changes or .dsc lists must be in the same directory",
            )
        })?;
        let expected = listed
            .sha256
            .as_deref()
            .map(|s| (s, &sha256, "SHA-256"))
            .or(listed.md5.as_deref().map(|m| (m, &md5, "MD5")));
        if size != listed.size {
            return Err(CliError::usage_hint(
                format!(
                    "{} is {size} bytes but {control} says {}",
                    file_path.display(),
                    listed.size
                ),
                "the file changed after the upload was built; rebuild it or fetch it again",
            ));
        }
        if let Some((want, got, kind)) = expected
            && want != got.as_str()
        {
            return Err(CliError::usage_hint(
                format!(
                    "{} does not match its {kind} checksum in {control} (expected {want}, got {got})",
                    file_path.display()
                ),
                "the file changed after the upload was built; rebuild it or fetch it again",
            ));
        }
        files.push(UploadFile {
            name: listed.name,
            path: file_path,
            size,
            sha256,
        });
    }
    let text_field = |name: &str| {
        paragraph
            .get(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let about = About {
        changed_by: text_field("Changed-By"),
        maintainer: text_field("Maintainer"),
        launchpad_bugs_fixed: text_field("Launchpad-Bugs-Fixed"),
        closes: text_field("Closes"),
        changes: paragraph
            .get("Changes")
            .map(|v| v.lines().map(str::to_string).collect())
            .unwrap_or_default(),
        file: files[0].name.clone(),
    };
    Ok(SourceUpload {
        source,
        version,
        files,
        about,
    })
}

/// `SOURCE=VERSION`: an upload without files.
pub fn parse_source_version(arg: &str) -> Option<Result<SourceUpload, CliError>> {
    let (source, version) = arg.split_once('=')?;
    Some((|| {
        validate::package_name(source)
            .map_err(|e| CliError::usage(format!("`{arg}`: source {e}")))?;
        validate::version(version).map_err(|e| CliError::usage(format!("`{arg}`: version {e}")))?;
        Ok(SourceUpload {
            source: source.to_string(),
            version: version.to_string(),
            files: vec![],
            about: About::default(),
        })
    })())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, content: &[u8]) -> String {
        std::fs::write(dir.join(name), content).expect("write");
        hex::encode(Sha256::digest(content))
    }

    fn dsc(dir: &Path, tarball: &[u8], listed_sha: Option<String>) -> PathBuf {
        let sha = listed_sha.unwrap_or_else(|| write(dir, "foo_1.2.orig.tar.gz", tarball));
        write(dir, "foo_1.2.orig.tar.gz", tarball);
        let text = format!(
            "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nFormat: 3.0 (quilt)\nSource: foo\nVersion: 1.2-3\n\
             Checksums-Sha256:\n {sha} {} foo_1.2.orig.tar.gz\n\n-----BEGIN PGP SIGNATURE-----\n\nabc\n-----END PGP SIGNATURE-----\n",
            tarball.len()
        );
        let path = dir.join("foo_1.2-3.dsc");
        std::fs::write(&path, text).expect("write");
        path
    }

    #[test]
    fn a_clear_signed_dsc_lists_its_files_with_checksums() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dsc(dir.path(), b"tarball", None);
        let upload = read_control(&path).expect("valid");
        assert_eq!(
            (upload.source.as_str(), upload.version.as_str()),
            ("foo", "1.2-3")
        );
        let names: Vec<_> = upload.files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["foo_1.2-3.dsc", "foo_1.2.orig.tar.gz"]);
    }

    #[test]
    fn a_mismatching_file_is_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dsc(dir.path(), b"tarball", Some("0".repeat(64)));
        let err = read_control(&path).expect_err("mismatch");
        assert!(
            err.to_string()
                .contains("foo_1.2.orig.tar.gz does not match its SHA-256"),
            "{err}"
        );
    }

    #[test]
    fn a_missing_file_is_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dsc(dir.path(), b"tarball", None);
        std::fs::remove_file(dir.path().join("foo_1.2.orig.tar.gz")).expect("rm");
        let err = read_control(&path).expect_err("missing");
        assert!(
            err.to_string().contains("foo_1.2.orig.tar.gz (listed in"),
            "{err}"
        );
    }

    #[test]
    fn a_changes_file_with_only_md5_sums_is_checked_too() {
        let dir = tempfile::tempdir().expect("tempdir");
        let content = b"a source tarball";
        std::fs::write(dir.path().join("foo_1.2.tar.xz"), content).expect("write");
        let md5 = hex::encode(Md5::digest(content));
        let text = format!(
            "Format: 1.8\nSource: foo (1.2-1)\nVersion: 1.2-1+b1\nFiles:\n {md5} {} devel optional foo_1.2.tar.xz\n",
            content.len()
        );
        let path = dir.path().join("foo_1.2-1+b1_source.changes");
        std::fs::write(&path, text).expect("write");
        let upload = read_control(&path).expect("valid");
        assert_eq!(
            (upload.source.as_str(), upload.version.as_str()),
            ("foo", "1.2-1+b1")
        );
        assert_eq!(upload.files[1].sha256, hex::encode(Sha256::digest(content)));
        std::fs::write(dir.path().join("foo_1.2.tar.xz"), b"a source tarbalL").expect("tamper");
        let err = read_control(&path).expect_err("md5 mismatch");
        assert!(err.to_string().contains("MD5"), "{err}");
    }

    #[test]
    fn a_control_file_that_lists_no_files_is_refused_naming_the_fields() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("foo_1.2-1.dsc");
        std::fs::write(&path, "Format: 3.0 (quilt)\nSource: foo\nVersion: 1.2-1\n").expect("write");
        let err = read_control(&path).expect_err("refused");
        assert_eq!(err.exit_code(), crate::error::exit::USAGE);
        assert!(
            err.to_string()
                .contains("no Files or Checksums-Sha256 field"),
            "{err}"
        );
    }

    #[test]
    fn dash_escaped_lines_are_unescaped() {
        let text = "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nSource: foo\n- -not a header\n-----BEGIN PGP SIGNATURE-----\nx\n";
        assert_eq!(strip_signature(text), "Source: foo\n-not a header\n");
    }

    #[test]
    fn source_equals_version_is_checked() {
        assert!(matches!(parse_source_version("foo=1.2-3"), Some(Ok(_))));
        assert!(matches!(parse_source_version("Foo=1.2"), Some(Err(_))));
        assert!(parse_source_version("foo.dsc").is_none());
    }
}

#[cfg(test)]
mod fuzz {
    use proptest::prelude::*;

    use super::*;

    /// Every committed seed of `fuzz/corpus/control` (and every reproducer
    /// of a crash found since) is read or refused as a usage error.
    #[test]
    fn every_corpus_control_file_is_read_or_refused() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/control");
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).expect("the control corpus") {
            let path = entry.expect("corpus entry").path();
            if let Err(err) = read_control(&path) {
                assert_eq!(
                    err.exit_code(),
                    crate::error::exit::USAGE,
                    "{}: {err}",
                    path.display()
                );
            }
            seen += 1;
        }
        assert!(seen >= 10, "{seen} seeds");
    }

    proptest! {
        // Whatever a .changes or .dsc holds, reading it answers Ok or a usage
        // error; it never panics.
        #[test]
        fn any_control_file_is_read_or_refused(
            lines in prop::collection::vec(
                prop_oneof![
                    "(Source|Version|Checksums-Sha256|Files|Format): .{0,30}",
                    " [0-9a-f]{0,64} [0-9]{0,5} [a-z0-9._-]{0,20}",
                    "-----BEGIN PGP (SIGNED MESSAGE|SIGNATURE)-----",
                    "- .{0,10}",
                    ".{0,40}",
                ],
                0..12,
            ),
        ) {
            let dir = tempfile::tempdir().expect("tempdir");
            let path = dir.path().join("x.dsc");
            std::fs::write(&path, lines.join("\n")).expect("write");
            if let Err(err) = read_control(&path) {
                prop_assert_eq!(err.exit_code(), crate::error::exit::USAGE);
            }
        }
    }
}
