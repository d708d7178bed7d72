//! The pages' static files, compiled into the binary: served at
//! `/static/{version}/{name}`, where the version is the start of the file's
//! SHA-256, so that a browser may keep a file for a year and still never
//! use an old one after an upgrade. A request for another version (a page
//! from an older or newer `ticketd` behind the same proxy) gets this
//! binary's file, not to be kept.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::api::ApiError;

/// One static file.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const FILES: &[Asset] = &[
    Asset {
        name: "web.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../../assets/web/web.css"),
    },
    Asset {
        name: "live.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../assets/web/live.js"),
    },
    Asset {
        name: "icon.svg",
        content_type: "image/svg+xml",
        bytes: include_bytes!("../../assets/web/icon.svg"),
    },
];

/// Hex digits of the SHA-256 that version a file.
const VERSION_DIGITS: usize = 16;

/// Each file's version, in the order of [`FILES`].
static VERSIONS: LazyLock<Vec<String>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|file| hex::encode(Sha256::digest(file.bytes))[..VERSION_DIGITS].to_string())
        .collect()
});

/// The paths the pages link to, each with its file's version.
#[derive(Debug)]
pub struct AssetPaths {
    pub css: String,
    pub js: String,
    pub icon: String,
}

/// [`AssetPaths`] of this binary's files.
pub fn paths() -> &'static AssetPaths {
    static PATHS: LazyLock<AssetPaths> = LazyLock::new(|| AssetPaths {
        css: path_of("web.css"),
        js: path_of("live.js"),
        icon: path_of("icon.svg"),
    });
    &PATHS
}

fn path_of(name: &str) -> String {
    let version = FILES
        .iter()
        .zip(VERSIONS.iter())
        .find(|(file, _)| file.name == name)
        .map_or("", |(_, version)| version.as_str());
    format!("/static/{version}/{name}")
}

/// `GET /static/{version}/{name}`. The `ETag` is the version, so that a
/// browser revalidating a file gets a `304`.
pub async fn serve(
    Path((version, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let Some((file, current)) = FILES
        .iter()
        .zip(VERSIONS.iter())
        .find(|(file, _)| file.name == name)
    else {
        return Err(ApiError::not_found(format!(
            "there is no static file `{name}`"
        )));
    };
    let etag = format!("\"{current}\"");
    let cache = if version == *current {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| {
            tags.split(',')
                .any(|tag| tag.trim() == etag || tag.trim() == "*")
        });
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static(file.content_type),
            )],
            file.bytes,
        )
            .into_response()
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_has_a_versioned_path() {
        let paths = paths();
        for (path, name) in [
            (&paths.css, "web.css"),
            (&paths.js, "live.js"),
            (&paths.icon, "icon.svg"),
        ] {
            let version = path
                .strip_prefix("/static/")
                .and_then(|rest| rest.strip_suffix(&format!("/{name}")))
                .unwrap_or_else(|| panic!("{path}"));
            assert_eq!(version.len(), VERSION_DIGITS, "{path}");
        }
    }
}
