//! The client: one per API (real or practice) and token. Calls are grouped by
//! capability (`datasets.rs`, `batches.rs`, `transfer.rs`); every request goes through
//! the [`Transport`], which owns timeouts, retries and deprecation notes.

use std::future::Future;

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use reqwest::{Method, RequestBuilder};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::models::{Listed, Project, User, Workspace, WorkspaceBalance};
use crate::transport::{ApiWarning, ClientOptions, Failure, Safety, Transport};
use crate::{ApiBase, ApiToken, ProlificError};

/// A client for one Prolific API (real or practice) and one token.
#[derive(Clone, Debug)]
pub struct Client {
    pub(crate) transport: Transport,
    pub(crate) base: ApiBase,
    authorization: HeaderValue,
}

impl Client {
    /// A client with the default timeouts and retry policy.
    pub fn new(base: ApiBase, token: &ApiToken) -> Result<Self, ProlificError> {
        Self::with_options(base, token, ClientOptions::default())
    }

    pub fn with_options(
        base: ApiBase,
        token: &ApiToken,
        options: ClientOptions,
    ) -> Result<Self, ProlificError> {
        let mut authorization = HeaderValue::from_str(&format!("Token {}", token.expose_secret()))
            .map_err(|_| ProlificError::InvalidToken)?;
        // Marks the header so that reqwest and hyper never print it.
        authorization.set_sensitive(true);
        Ok(Self {
            transport: Transport::new(options)?,
            base,
            authorization,
        })
    }

    pub fn base(&self) -> &ApiBase {
        &self.base
    }

    /// Deprecation notes Prolific has sent so far (each once), for the app to show.
    pub fn warnings(&self) -> Vec<ApiWarning> {
        self.transport.warnings()
    }

    /// `GET /api/v1/users/me/`: who the token belongs to. The way to check a token.
    pub async fn users_me(&self) -> Result<User, ProlificError> {
        self.get_json("/api/v1/users/me/").await
    }

    /// `GET /api/v1/workspaces/`, every page.
    pub async fn workspaces(&self) -> Result<Listed<Workspace>, ProlificError> {
        self.list(self.base.join("/api/v1/workspaces/")).await
    }

    /// `GET /api/v1/workspaces/{id}/`, with its projects.
    pub async fn workspace(&self, workspace_id: &str) -> Result<Workspace, ProlificError> {
        self.get_json(&format!("/api/v1/workspaces/{}/", segment(workspace_id)))
            .await
    }

    /// `GET /api/v1/workspaces/{id}/balance/`: what can be spent, in minor units.
    pub async fn workspace_balance(
        &self,
        workspace_id: &str,
    ) -> Result<WorkspaceBalance, ProlificError> {
        self.get_json(&format!(
            "/api/v1/workspaces/{}/balance/",
            segment(workspace_id)
        ))
        .await
    }

    /// `GET /api/v1/workspaces/{id}/projects/`, every page.
    pub async fn projects(&self, workspace_id: &str) -> Result<Listed<Project>, ProlificError> {
        self.list(self.base.join(&format!(
            "/api/v1/workspaces/{}/projects/",
            segment(workspace_id)
        )))
        .await
    }

    /// `POST /api/v1/workspaces/{id}/projects/`. Creates something, so it is never
    /// blindly repeated: after an unclear failure it looks for a project of this title
    /// first, and only creates again when there is none.
    pub async fn create_project(
        &self,
        workspace_id: &str,
        title: &str,
    ) -> Result<Project, ProlificError> {
        #[derive(Serialize)]
        struct NewProject<'a> {
            title: &'a str,
        }
        let url = self.base.join(&format!(
            "/api/v1/workspaces/{}/projects/",
            segment(workspace_id)
        ));
        self.create_or_find(&url, &NewProject { title }, || async {
            self.projects(workspace_id)
                .await?
                .newest_match("projects in this workspace", |project| {
                    project.title == title
                })
        })
        .await
    }

    /// A request to the API, with the token. Only ever built for this client's base
    /// URL (`base.join`) or links it owns (`base.owns`).
    pub(crate) fn api(&self, method: Method, url: &str) -> RequestBuilder {
        self.transport
            .api
            .request(method, url)
            .header(AUTHORIZATION, self.authorization.clone())
    }

    /// `path` on this client's API with a query, each value encoded.
    pub(crate) fn join_query(
        &self,
        path: &str,
        pairs: &[(&str, &str)],
    ) -> Result<String, ProlificError> {
        let mut url =
            url::Url::parse(&self.base.join(path)).map_err(|error| ProlificError::Unexpected {
                status: 0,
                detail: Some(error.to_string()),
            })?;
        if !pairs.is_empty() {
            url.query_pairs_mut().extend_pairs(pairs);
        }
        Ok(url.into())
    }

    pub(crate) async fn get_json<T: DeserializeOwned>(
        &self,
        path: &str,
    ) -> Result<T, ProlificError> {
        self.call_json(Method::GET, &self.base.join(path), None::<&()>)
            .await
    }

    /// A call that is safe to repeat (GET, or a PUT/PATCH of a whole value), retried
    /// under the policy. POSTs that create go through [`Self::create_or_find`].
    pub(crate) async fn call_json<T: DeserializeOwned, B: Serialize + Sync + ?Sized>(
        &self,
        method: Method,
        url: &str,
        body: Option<&B>,
    ) -> Result<T, ProlificError> {
        let safety = if method == Method::GET {
            Safety::Idempotent
        } else {
            Safety::Create
        };
        self.send_json(safety, method, url, body).await
    }

    pub(crate) async fn send_json<T: DeserializeOwned, B: Serialize + Sync + ?Sized>(
        &self,
        safety: Safety,
        method: Method,
        url: &str,
        body: Option<&B>,
    ) -> Result<T, ProlificError> {
        let body = body.map(encode).transpose()?;
        let (status, bytes) = self
            .transport
            .execute(safety, || {
                let request = self.api(method.clone(), url);
                match &body {
                    Some(body) => request
                        .header(CONTENT_TYPE, "application/json")
                        .body(body.clone()),
                    None => request,
                }
            })
            .await
            .map_err(Failure::into_api_error)?;
        decode(status.as_u16(), &bytes)
    }

    /// POSTs something that must not happen twice and that cannot be looked for
    /// afterwards (a payment, a message). Failures that prove nothing was done (no
    /// connection, 429) are retried by the transport; any other failure is handed back
    /// as it is, for the caller to tell an unclear one ([`Failure::is_ambiguous`]) from
    /// a refusal. `body` is JSON already written ([`encode`]), when there is one.
    pub(crate) async fn post_once(
        &self,
        url: &str,
        body: Option<&[u8]>,
    ) -> Result<bytes::Bytes, Failure> {
        self.transport
            .execute(Safety::Create, || {
                let request = self.api(Method::POST, url);
                match body {
                    Some(body) => request
                        .header(CONTENT_TYPE, "application/json")
                        .body(body.to_vec()),
                    None => request,
                }
            })
            .await
            .map(|(_, answer)| answer)
    }

    /// POSTs something new (or a change that must happen once, like publishing).
    /// Failures that prove nothing was made (no connection, 429) are retried by the
    /// transport. After an unclear one (a timeout, a dropped connection, a 5xx) the POST
    /// may have worked, so `find` looks for what it would have made (or done); only
    /// when that finds nothing is the POST sent again.
    pub(crate) async fn create_or_find<T, B, F, Fut>(
        &self,
        url: &str,
        body: &B,
        find: F,
    ) -> Result<T, ProlificError>
    where
        T: DeserializeOwned,
        B: Serialize + Sync + ?Sized,
        F: Fn() -> Fut + Sync,
        Fut: Future<Output = Result<Option<T>, ProlificError>> + Send,
    {
        let body = encode(body)?;
        let mut retry = self.transport.retry_state();
        loop {
            let sent = self
                .transport
                .execute(Safety::Create, || {
                    self.api(Method::POST, url)
                        .header(CONTENT_TYPE, "application/json")
                        .body(body.clone())
                })
                .await;
            let failure = match sent {
                Ok((status, bytes)) => return decode(status.as_u16(), &bytes),
                Err(failure) if failure.is_ambiguous() => failure,
                Err(failure) => return Err(failure.into_api_error()),
            };
            tracing::warn!("a create call failed unclearly; looking for what it made");
            if let Some(found) = find().await? {
                tracing::info!("found what the earlier attempt created");
                return Ok(found);
            }
            // Nothing was made, so sending again is as safe as a read.
            retry
                .wait_or_give_up(failure, Safety::Idempotent)
                .await
                .map_err(Failure::into_api_error)?;
        }
    }

    /// DELETEs something. After an unclear failure the DELETE may have worked, so
    /// `gone` reads whether the thing is gone (a 404 counts as gone); only while it is
    /// still there is the DELETE sent again.
    pub(crate) async fn delete_or_confirm<F, Fut>(
        &self,
        url: &str,
        gone: F,
    ) -> Result<(), ProlificError>
    where
        F: Fn() -> Fut + Sync,
        Fut: Future<Output = Result<bool, ProlificError>> + Send,
    {
        let mut retry = self.transport.retry_state();
        loop {
            let sent = self
                .transport
                .execute(Safety::Create, || self.api(Method::DELETE, url))
                .await;
            let failure = match sent {
                Ok(_) => return Ok(()),
                Err(failure) if failure.is_ambiguous() => failure,
                Err(failure) => return Err(failure.into_api_error()),
            };
            match gone().await {
                Ok(true) | Err(ProlificError::NotFound { .. }) => return Ok(()),
                Err(error) => return Err(error),
                Ok(false) => retry
                    .wait_or_give_up(failure, Safety::Idempotent)
                    .await
                    .map_err(Failure::into_api_error)?,
            }
        }
    }
}

pub(crate) fn encode<B: Serialize + ?Sized>(body: &B) -> Result<Vec<u8>, ProlificError> {
    serde_json::to_vec(body).map_err(|error| ProlificError::Unexpected {
        status: 0,
        detail: Some(format!("the request could not be written: {error}")),
    })
}

pub(crate) fn decode<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, ProlificError> {
    serde_json::from_slice(body).map_err(|error| ProlificError::Unexpected {
        status,
        detail: Some(error.to_string()),
    })
}

/// An id as one path segment: ids come from Prolific or the researcher's own store, but
/// a stray `/` or `?` must never change which endpoint is called. Percent-encodes every
/// byte but letters, digits, `-`, `_` and `~`.
pub(crate) fn segment(id: &str) -> String {
    id.bytes()
        .map(|byte| match byte {
            // Ids are hex, UUIDs or similar; `.` is encoded too, so `..` can never climb.
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'~' => {
                char::from(byte).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::segment;

    #[test]
    fn ids_stay_inside_their_path_segment() {
        assert_eq!(
            segment("6278acb09062db3b35bcbeb0"),
            "6278acb09062db3b35bcbeb0"
        );
        assert_eq!(segment("0192a3b5-e8f9-7a0b"), "0192a3b5-e8f9-7a0b");
        assert_eq!(segment("../users/me"), "%2E%2E%2Fusers%2Fme");
        assert_eq!(segment(".."), "%2E%2E");
        assert_eq!(segment("a?b#c é.txt"), "a%3Fb%23c%20%C3%A9%2Etxt");
    }
}
