//! The one typed client of the ticketd API: every endpoint a command
//! uses, the auth header, retries, and decoding of answers into the
//! `shared` models and of error bodies. Commands never build URLs.

use std::io::IsTerminal;
use std::path::Path;
use std::time::Duration;

use reqwest::blocking::{Body, RequestBuilder, Response};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use shared::ErrorBody;
use shared::blobs::BlobStored;
use shared::bundle::BundleRequest;
use shared::models::{
    BinaryPackage, FullTicket, ListResponse, Person, SourcePackage, SourcePackageUpload, Subticket,
    SubticketArtifact, Ticket, TicketArtifact, WhoAmI,
};
use shared::packagelist::PackageListSummary;
use shared::requests::{Creates, StatusChange};
use url::Url;

use crate::config::Settings;
use crate::error::{CliError, exit};

/// Waits between attempts of a retried request.
const BACKOFF: [Duration; 4] = [
    Duration::from_millis(500),
    Duration::from_secs(1),
    Duration::from_secs(2),
    Duration::from_secs(4),
];

/// How long a blob upload or an artifact download may take: as long as a
/// large file takes.
const TRANSFER_TIMEOUT: Duration = Duration::from_secs(24 * 3600);

/// A page request: filters, and how many objects (`None`: all pages).
pub struct Page {
    pub query: Vec<(String, String)>,
    pub limit: Option<u32>,
}

impl Page {
    /// Every object (`limit` `None`) or the first `limit`, unfiltered.
    pub fn new(limit: Option<u32>) -> Self {
        Page {
            query: Vec::new(),
            limit,
        }
    }

    /// In this order (`-created`: newest first).
    pub fn order_by(mut self, order: &str) -> Self {
        self.query.push(("order_by".into(), order.to_string()));
        self
    }

    /// Filter on `name=value`, when there is a value.
    pub fn filter(mut self, name: &str, value: Option<impl ToString>) -> Self {
        if let Some(value) = value {
            self.query.push((name.to_string(), value.to_string()));
        }
        self
    }
}

/// The objects of a list as fetched, and how many match in all.
pub struct Listed<T> {
    pub answer: Answer<Vec<T>>,
    pub matching: Matching,
}

/// How many objects a list's filters match, over all its pages.
#[derive(Debug, Clone, Copy, Default)]
pub struct Matching {
    pub count: u64,
    /// The server stopped counting: at least `count` match.
    pub at_least: bool,
}

/// A 2xx answer: the `shared` model it holds, and its JSON as the server
/// sent it, which `--json` prints.
pub struct Answer<T> {
    pub model: T,
    pub json: Value,
}

impl<T> Answer<T> {
    /// The same answer with another view of its model.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Answer<U> {
        Answer {
            model: f(self.model),
            json: self.json,
        }
    }
}

impl<T: DeserializeOwned> Answer<T> {
    /// `json` as a `T`; JSON that is no `T` is an unexpected answer.
    fn decode(status: StatusCode, json: Value) -> Result<Answer<T>, CliError> {
        match serde_path_to_error::deserialize(&json) {
            Ok(model) => Ok(Answer { model, json }),
            Err(e) => Err(CliError::Unexpected {
                status: status.as_u16(),
                text: format!("unreadable answer: {e}"),
            }),
        }
    }
}

impl<T> Answer<Vec<T>> {
    /// The first object of a list, with its own JSON.
    pub fn into_first(self) -> Option<Answer<T>> {
        let Value::Array(objects) = self.json else {
            return None;
        };
        Some(Answer {
            model: self.model.into_iter().next()?,
            json: objects.into_iter().next()?,
        })
    }
}

/// An artifact's content as it arrives, and what it must be.
pub struct Fetched {
    pub body: Response,
    /// Where it comes from, for messages.
    pub url: String,
    /// The SHA-256 its bytes must have: known for this server's blobs,
    /// whose URL carries it.
    pub sha256: Option<String>,
    /// Its length, when the answer says.
    pub size: Option<u64>,
}

/// The error an answer of `status` with the body `text` carries.
fn refusal(status: StatusCode, text: &str) -> CliError {
    match serde_json::from_str::<ErrorBody>(text) {
        Ok(body) => CliError::Server {
            status: status.as_u16(),
            body,
        },
        Err(_) => CliError::Unexpected {
            status: status.as_u16(),
            text: text.chars().take(200).collect(),
        },
    }
}

pub struct Client {
    http: reqwest::blocking::Client,
    /// `--server` as a URL, ending in `/`: what blob references are
    /// relative to, and what the token may be sent to.
    base: Url,
    api: Url,
    origin: String,
    token: Option<String>,
    verbose: bool,
    quiet: bool,
}

impl Client {
    pub fn new(settings: &Settings) -> Result<Client, CliError> {
        let origin = settings.server.trim_end_matches('/').to_string();
        // An easy slip: the API's root instead of the server's origin.
        if let Some(bare) = origin.strip_suffix("/api/v1") {
            return Err(CliError::usage_hint(
                format!(
                    "--server `{}` names the API, not the server",
                    settings.server
                ),
                format!("drop /api/v1: --server {bare}"),
            ));
        }
        let api = Url::parse(&format!("{origin}/api/v1/")).map_err(|e| {
            CliError::usage_hint(
                format!("--server `{}` is not a URL: {e}", settings.server),
                "pass e.g. --server http://127.0.0.1:8000",
            )
        })?;
        if !matches!(api.scheme(), "http" | "https") {
            return Err(CliError::usage(format!(
                "--server must be an http:// or https:// URL, not `{}`",
                settings.server
            )));
        }
        let http = reqwest::blocking::Client::builder()
            .user_agent(concat!("ticketctl/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| CliError::Io(format!("cannot set up HTTP: {e}")))?;
        // `http://host/prefix/api/v1/` → `http://host/prefix/`.
        let base = api.join("../..").unwrap_or_else(|_| api.clone());
        Ok(Client {
            http,
            base,
            api,
            origin,
            token: settings.token.clone(),
            verbose: settings.verbose,
            quiet: settings.quiet,
        })
    }

    /// The absolute URL of a full ticket, for printing.
    pub fn ticket_link(&self, id: i64) -> String {
        self.url(&format!("fullticket/{id}/")).to_string()
    }

    fn url(&self, path: &str) -> Url {
        // Paths are our own constants and ids; joining cannot fail.
        self.api.join(path).unwrap_or_else(|_| self.api.clone())
    }

    /// The absolute URL of an artifact's reference: a blob of this server
    /// (`/api/v1/blob/…`) joined onto `--server`, an absolute URL as it is.
    pub fn link(&self, reference: &str) -> String {
        match reference.strip_prefix('/') {
            Some(path) => self
                .base
                .join(path)
                .map_or_else(|_| reference.to_string(), String::from),
            None => reference.to_string(),
        }
    }

    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.request_to(method, self.url(path), true)
    }

    /// A request to any URL; the token goes along only if `with_token`.
    fn request_to(&self, method: Method, url: Url, with_token: bool) -> RequestBuilder {
        if self.verbose {
            eprintln!("> {method} {url}");
        }
        let builder = self.http.request(method, url);
        match &self.token {
            Some(token) if with_token => builder.bearer_auth(token),
            _ => builder,
        }
    }

    fn send(&self, builder: RequestBuilder) -> Result<Response, CliError> {
        let response = builder.send().map_err(|e| CliError::Network {
            server: self.origin.clone(),
            detail: describe(&e),
        })?;
        if self.verbose {
            eprintln!("< {}", response.status());
        }
        Ok(response)
    }

    /// A 2xx answer as a `T`, or the error it carries.
    fn decode<T: DeserializeOwned>(&self, response: Response) -> Result<Answer<T>, CliError> {
        let status = response.status();
        let text = response.text().map_err(|e| CliError::Network {
            server: self.origin.clone(),
            detail: describe(&e),
        })?;
        if status.is_success() {
            let json = serde_json::from_str(&text).map_err(|e| CliError::Unexpected {
                status: status.as_u16(),
                text: format!("unreadable answer ({e}): {text}"),
            })?;
            return Answer::decode(status, json);
        }
        Err(refusal(status, &text))
    }

    /// `events/?ticket=ID` after the event `after`, open and read as it
    /// arrives: no overall timeout (a stream lasts as long as the ticket
    /// moves; `watch` notices a dead one by its missing heartbeats).
    pub fn event_stream(&self, ticket: u64, after: i64) -> Result<Response, CliError> {
        let builder = self
            .request(Method::GET, &format!("events/?ticket={ticket}"))
            .header("Last-Event-ID", after.to_string())
            .header(reqwest::header::ACCEPT, "text/event-stream")
            .timeout(TRANSFER_TIMEOUT);
        let response = self.send(builder)?;
        if response.status().is_success() {
            return Ok(response);
        }
        let status = response.status();
        Err(refusal(status, &response.text().unwrap_or_default()))
    }

    fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(String, String)],
    ) -> Result<Answer<T>, CliError> {
        self.decode(self.send(self.request(Method::GET, path).query(query))?)
    }

    fn write<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: &B,
    ) -> Result<Answer<T>, CliError> {
        self.decode(self.send(self.request(method, path).json(body))?)
    }

    /// Objects of a list, following `next` until `limit` or the end; the
    /// answer's JSON is the array of them.
    fn list<T: DeserializeOwned>(
        &self,
        path: &str,
        page: &Page,
    ) -> Result<Answer<Vec<T>>, CliError> {
        Ok(self.list_counted(path, page)?.answer)
    }

    /// [`Client::list`], with how many objects match in all.
    fn list_counted<T: DeserializeOwned>(
        &self,
        path: &str,
        page: &Page,
    ) -> Result<Listed<T>, CliError> {
        let mut matching = None;
        let mut objects = Vec::new();
        let per_page = page.limit.map_or(1000, |n| n.clamp(1, 1000));
        let mut offset = 0u64;
        loop {
            let mut query = page.query.clone();
            query.push(("limit".into(), per_page.to_string()));
            query.push(("offset".into(), offset.to_string()));
            let answer: ListResponse<Value> = self.get(path, &query)?.model;
            matching.get_or_insert(Matching {
                count: u64::try_from(answer.meta.total_count).unwrap_or(0),
                at_least: answer.meta.total_count_capped,
            });
            let got = answer.objects.len() as u64;
            objects.extend(answer.objects);
            let wanted = page.limit.map(u64::from);
            if answer.meta.next.is_none()
                || got == 0
                || wanted.is_some_and(|w| objects.len() as u64 >= w)
            {
                break;
            }
            offset += got;
        }
        if let Some(limit) = page.limit {
            objects.truncate(limit as usize);
        }
        Ok(Listed {
            answer: Answer::decode(StatusCode::OK, Value::Array(objects))?,
            matching: matching.unwrap_or_default(),
        })
    }

    pub fn whoami(&self) -> Result<WhoAmI, CliError> {
        Ok(self.whoami_answer()?.model)
    }

    pub fn whoami_answer(&self) -> Result<Answer<WhoAmI>, CliError> {
        self.get("whoami/", &[])
    }

    pub fn tickets(&self, open: bool, page: &Page) -> Result<Listed<Ticket>, CliError> {
        self.list_counted(if open { "opentickets/" } else { "ticket/" }, page)
    }

    pub fn ticket(&self, id: u64) -> Result<Answer<Ticket>, CliError> {
        self.get(&format!("ticket/{id}/"), &[])
    }

    pub fn subticket(&self, id: u64) -> Result<Answer<Subticket>, CliError> {
        self.get(&format!("subticket/{id}/"), &[])
    }

    pub fn full_ticket(&self, id: u64) -> Result<Answer<FullTicket>, CliError> {
        self.get(&format!("fullticket/{id}/"), &[])
    }

    pub fn ticket_artifact(&self, id: u64) -> Result<Answer<TicketArtifact>, CliError> {
        self.get(&format!("ticketartifact/{id}/"), &[])
    }

    pub fn subticket_artifact(&self, id: u64) -> Result<Answer<SubticketArtifact>, CliError> {
        self.get(&format!("subticketartifact/{id}/"), &[])
    }

    /// Start fetching what an artifact's reference names: a blob of this
    /// server (with the token; its digest is the SHA-256 to check), or an
    /// absolute URL elsewhere (without the token, which is this server's
    /// alone; redirects to another host drop it too).
    pub fn fetch(&self, reference: &str) -> Result<Fetched, CliError> {
        let link = self.link(reference);
        let url = Url::parse(&link).map_err(|e| CliError::Unexpected {
            status: 200,
            text: format!("the artifact's reference `{reference}` is not a URL: {e}"),
        })?;
        let ours = url.origin() == self.base.origin() && url.path().starts_with(self.base.path());
        let sha256 = if ours && url.query().is_none() {
            let path = format!("/{}", &url.path()[self.base.path().len()..]);
            shared::validate::blob_reference(&path).map(str::to_string)
        } else {
            None
        };
        let request = self
            .request_to(Method::GET, url, ours)
            .timeout(TRANSFER_TIMEOUT);
        let response = if ours {
            self.send(request)?
        } else {
            request.send().map_err(|e| CliError::Fetch {
                message: format!("cannot fetch {link}: {}", describe(&e)),
                hint: "the artifact lives outside ticketd, at its reference: check that its host is reachable".into(),
                code: exit::REQUEST_FAILED,
            })?
        };
        let status = response.status();
        if !status.is_success() {
            if ours {
                return Err(self
                    .decode::<Value>(response)
                    .err()
                    .unwrap_or(CliError::Unexpected {
                        status: status.as_u16(),
                        text: format!("GET {link}"),
                    }));
            }
            return Err(CliError::Fetch {
                message: format!("{link} answered {status}"),
                hint: "the artifact lives outside ticketd, at its reference: open it in a browser, or ask whoever attached it".into(),
                code: exit::of_status(status.as_u16()),
            });
        }
        Ok(Fetched {
            size: response.content_length(),
            body: response,
            url: link,
            sha256,
        })
    }

    /// A progress bar on stderr for `size` bytes (a running count when the
    /// size is unknown), hidden when stderr is not a terminal, or with -q.
    pub fn progress(&self, size: Option<u64>, label: &str) -> indicatif::ProgressBar {
        if self.quiet || !std::io::stderr().is_terminal() {
            return indicatif::ProgressBar::hidden();
        }
        let (bar, template) = match size {
            Some(size) => (
                indicatif::ProgressBar::new(size),
                "{msg:30!} {bar:30} {bytes}/{total_bytes} {bytes_per_sec}",
            ),
            None => (
                indicatif::ProgressBar::no_length(),
                "{msg:30!} {spinner} {bytes} {bytes_per_sec}",
            ),
        };
        if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        bar.set_message(label.to_string());
        bar
    }

    /// `POST` a new object to its resource (`ticket/` for a `NewTicket`);
    /// the object created.
    pub fn create<B: Creates>(&self, body: &B) -> Result<Answer<B::Created>, CliError> {
        self.write(Method::POST, &format!("{}/", B::RESOURCE), body)
    }

    pub fn change_ticket_status(
        &self,
        id: u64,
        change: &StatusChange,
    ) -> Result<Answer<Ticket>, CliError> {
        self.write(Method::PATCH, &format!("updateticketstatus/{id}/"), change)
    }

    pub fn change_subticket_status(
        &self,
        id: u64,
        change: &StatusChange,
    ) -> Result<Answer<Subticket>, CliError> {
        self.write(
            Method::PATCH,
            &format!("updatesubticketstatus/{id}/"),
            change,
        )
    }

    pub fn source_packages(&self, page: &Page) -> Result<Answer<Vec<SourcePackage>>, CliError> {
        self.list("sourcepackage/", page)
    }

    pub fn binary_packages(&self, page: &Page) -> Result<Answer<Vec<BinaryPackage>>, CliError> {
        self.list("binarypackage/", page)
    }

    pub fn uploads(&self, page: &Page) -> Result<Answer<Vec<SourcePackageUpload>>, CliError> {
        self.list("spu/", page)
    }

    pub fn subtickets(&self, page: &Page) -> Result<Answer<Vec<Subticket>>, CliError> {
        self.list("subticket/", page)
    }

    pub fn source_package(&self, id: u64) -> Result<Answer<SourcePackage>, CliError> {
        self.get(&format!("sourcepackage/{id}/"), &[])
    }

    /// The project manager's import; `entries` is the JSON list as read.
    pub fn import_packages(
        &self,
        entries: &Value,
        prune: bool,
    ) -> Result<Answer<PackageListSummary>, CliError> {
        let path = if prune {
            "packagelist/?prune=true"
        } else {
            "packagelist/"
        };
        self.write(Method::POST, path, entries)
    }

    pub fn persons(&self, page: &Page) -> Result<Answer<Vec<Person>>, CliError> {
        self.list("person/", page)
    }

    /// Whether the server has the blob already.
    pub fn blob_exists(&self, digest: &str) -> Result<bool, CliError> {
        let response = self.send(self.request(Method::HEAD, &format!("blob/{digest}")))?;
        match response.status() {
            StatusCode::OK => Ok(true),
            StatusCode::NOT_FOUND => Ok(false),
            // A HEAD answer has no body: ask again where the server says
            // why, so that a refused token reads as in every other command.
            StatusCode::UNAUTHORIZED => Err(self.whoami().err().unwrap_or(CliError::Unexpected {
                status: 401,
                text: "the blob store refused the token".into(),
            })),
            status => Err(CliError::Unexpected {
                status: status.as_u16(),
                text: "HEAD on the blob store".into(),
            }),
        }
    }

    /// Upload a file to the blob store with a progress bar on stderr
    /// (hidden when stderr is not a terminal, or with -q).
    pub fn put_blob(&self, digest: &str, path: &Path, label: &str) -> Result<BlobStored, CliError> {
        let file = std::fs::File::open(path)
            .map_err(|e| CliError::usage(format!("cannot read {}: {e}", path.display())))?;
        let size = file.metadata()?.len();
        let bar = self.progress(Some(size), label);
        let body = Body::sized(bar.wrap_read(file), size);
        let request = self
            .request(Method::PUT, &format!("blob/{digest}"))
            .header("content-type", "application/octet-stream")
            .timeout(TRANSFER_TIMEOUT)
            .body(body);
        let result = self.decode(self.send(request)?);
        bar.finish_and_clear();
        result.map(|stored| stored.model)
    }

    /// POST a bundle with an `Idempotency-Key`, retrying network errors and
    /// 5xx answers with backoff; `(created, full ticket)`.
    pub fn submit_bundle(
        &self,
        bundle: &BundleRequest,
        key: &str,
    ) -> Result<(bool, Answer<FullTicket>), CliError> {
        let mut attempt = 0;
        loop {
            let request = self
                .request(Method::POST, "bundle/")
                .header("Idempotency-Key", key)
                .json(bundle);
            let outcome = self.send(request).and_then(|response| {
                let created = response.status() == StatusCode::CREATED;
                self.decode(response).map(|body| (created, body))
            });
            let retryable = match &outcome {
                Err(CliError::Network { .. }) => true,
                Err(CliError::Server { status, .. } | CliError::Unexpected { status, .. }) => {
                    *status >= 500
                }
                _ => false,
            };
            if !retryable || attempt >= BACKOFF.len() {
                return outcome;
            }
            if !self.quiet {
                eprintln!(
                    "retrying the submission in {:?} ({})",
                    BACKOFF[attempt],
                    outcome
                        .as_ref()
                        .err()
                        .map(ToString::to_string)
                        .unwrap_or_default()
                );
            }
            std::thread::sleep(BACKOFF[attempt]);
            attempt += 1;
        }
    }
}

fn describe(err: &reqwest::Error) -> String {
    if err.is_timeout() {
        return "the request timed out".into();
    }
    if err.is_connect() {
        return "connection refused or unreachable".into();
    }
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        text = format!("{text}: {inner}");
        source = inner.source();
    }
    text
}
