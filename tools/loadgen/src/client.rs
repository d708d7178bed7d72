//! A minimal HTTP/1.1 client: one keep-alive connection per worker, on
//! hyper's connection-level API. No pool, no redirects, no TLS: the least
//! CPU per request, so that the generator is not what a benchmark measures.

use std::time::Duration;

use anyhow::{Context, bail};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HOST, HeaderValue};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// Where the server is and how to talk to it; shared by every connection.
#[derive(Debug, Clone)]
pub struct Target {
    /// `host:port` to connect to.
    pub addr: String,
    /// The `Host` header (the URL's authority).
    pub host: HeaderValue,
    /// `Bearer …`, when a token was given.
    pub auth: Option<HeaderValue>,
    /// How long one request may take before it counts as a transport error.
    pub timeout: Duration,
}

impl Target {
    /// Parse `http://host[:port][/]`; HTTPS is not supported (benchmarks
    /// run on loopback).
    pub fn new(url: &str, token: Option<&str>, timeout: Duration) -> anyhow::Result<Target> {
        let rest = url
            .strip_prefix("http://")
            .with_context(|| format!("--url must start with http:// (got `{url}`)"))?;
        let authority = rest.split('/').next().unwrap_or_default();
        if authority.is_empty() {
            bail!("--url has no host: `{url}`");
        }
        if rest.trim_end_matches('/') != authority {
            bail!("--url must not have a path (the API lives under /api/v1/): `{url}`");
        }
        let addr = if authority
            .rsplit_once(':')
            .is_some_and(|(_, port)| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()))
        {
            authority.to_string()
        } else {
            format!("{authority}:80")
        };
        let host = HeaderValue::from_str(authority).context("invalid host in --url")?;
        let auth = token
            .map(|t| HeaderValue::from_str(&format!("Bearer {t}")))
            .transpose()
            .context("the token is not a valid header value")?;
        Ok(Target {
            addr,
            host,
            auth,
            timeout,
        })
    }
}

/// Why a request got no HTTP answer.
#[derive(Debug)]
pub struct TransportError(pub String);

impl std::fmt::Display for TransportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TransportError {}

/// An answer: status and the whole body.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub body: Bytes,
}

impl Answer {
    pub fn is_success(&self) -> bool {
        self.status.is_success()
    }

    /// The body as JSON, for the few places that need ids out of it.
    pub fn json(&self) -> anyhow::Result<serde_json::Value> {
        serde_json::from_slice(&self.body).with_context(|| {
            format!(
                "answer {} is not JSON: {}",
                self.status,
                String::from_utf8_lossy(&self.body[..self.body.len().min(200)])
            )
        })
    }
}

/// One keep-alive connection, (re)opened on demand.
pub struct Conn {
    target: Target,
    sender: Option<SendRequest<Full<Bytes>>>,
    /// Connections opened, the first included.
    pub connects: u64,
}

impl Conn {
    pub fn new(target: Target) -> Conn {
        Conn {
            target,
            sender: None,
            connects: 0,
        }
    }

    async fn connect(&mut self) -> Result<&mut SendRequest<Full<Bytes>>, TransportError> {
        let stream = TcpStream::connect(&self.target.addr)
            .await
            .map_err(|e| TransportError(format!("connect {}: {e}", self.target.addr)))?;
        stream
            .set_nodelay(true)
            .map_err(|e| TransportError(format!("set TCP_NODELAY: {e}")))?;
        let (sender, connection) = http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| TransportError(format!("HTTP handshake: {e}")))?;
        tokio::spawn(async move {
            // The error, if any, surfaces on the next send as well.
            let _ = connection.await;
        });
        self.connects += 1;
        Ok(self.sender.insert(sender))
    }

    /// Send one request and read the whole answer. Any failure to get an
    /// answer drops the connection, so the next call opens a fresh one.
    pub async fn send(
        &mut self,
        method: Method,
        path: &str,
        body: Option<Bytes>,
    ) -> Result<Answer, TransportError> {
        let timeout = self.target.timeout;
        match tokio::time::timeout(timeout, self.send_inner(method, path, body)).await {
            Ok(Ok(answer)) => Ok(answer),
            Ok(Err(err)) => {
                self.sender = None;
                Err(err)
            }
            Err(_) => {
                self.sender = None;
                Err(TransportError(format!("no answer within {timeout:?}")))
            }
        }
    }

    async fn send_inner(
        &mut self,
        method: Method,
        path: &str,
        body: Option<Bytes>,
    ) -> Result<Answer, TransportError> {
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header(HOST, self.target.host.clone());
        if let Some(auth) = &self.target.auth {
            builder = builder.header(AUTHORIZATION, auth.clone());
        }
        if body.is_some() {
            builder = builder.header(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        let request = builder
            .body(Full::new(body.unwrap_or_default()))
            .map_err(|e| TransportError(format!("cannot build request for {path}: {e}")))?;
        let reuse = self.sender.as_ref().is_some_and(|s| !s.is_closed());
        let mut sender = if reuse {
            match self.sender.as_mut() {
                Some(sender) => sender,
                None => self.connect().await?,
            }
        } else {
            self.connect().await?
        };
        if sender.ready().await.is_err() {
            // The server closed the idle connection: one fresh try.
            sender = self.connect().await?;
        }
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| TransportError(format!("{path}: {e}")))?;
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| TransportError(format!("{path}: reading the body: {e}")))?
            .to_bytes();
        Ok(Answer { status, body })
    }

    pub async fn get(&mut self, path: &str) -> Result<Answer, TransportError> {
        self.send(Method::GET, path, None).await
    }

    pub async fn post_json(
        &mut self,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<Answer, TransportError> {
        self.send(Method::POST, path, Some(Bytes::from(body.to_string())))
            .await
    }

    pub async fn patch_json(
        &mut self,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<Answer, TransportError> {
        self.send(Method::PATCH, path, Some(Bytes::from(body.to_string())))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urls() -> anyhow::Result<()> {
        let t = Target::new("http://127.0.0.1:8000/", None, Duration::from_secs(1))?;
        assert_eq!(t.addr, "127.0.0.1:8000");
        assert_eq!(t.host, "127.0.0.1:8000");
        let t = Target::new("http://localhost", Some("s3cret"), Duration::from_secs(1))?;
        assert_eq!(t.addr, "localhost:80");
        assert_eq!(t.auth, Some(HeaderValue::from_static("Bearer s3cret")));
        assert!(Target::new("https://x", None, Duration::from_secs(1)).is_err());
        assert!(Target::new("http://x/api", None, Duration::from_secs(1)).is_err());
        Ok(())
    }
}
