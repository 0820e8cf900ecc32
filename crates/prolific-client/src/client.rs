//! One HTTP client per destination, built once, with timeouts and a user agent.

use std::time::Duration;

use reqwest::Method;
use reqwest::header::{AUTHORIZATION, HeaderValue, RETRY_AFTER};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::models::{Listed, Page, Project, User, Workspace, WorkspaceBalance};
use crate::{ApiBase, ApiToken, ProlificError};

/// A list is followed for at most this many pages, so a server that keeps answering
/// with a `next` link cannot keep the app busy forever.
const MAX_PAGES: usize = 200;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const TOTAL_TIMEOUT: Duration = Duration::from_secs(60);

/// A client for one Prolific API (real or practice) and one token.
#[derive(Clone, Debug)]
pub struct Client {
    http: reqwest::Client,
    base: ApiBase,
    authorization: HeaderValue,
}

impl Client {
    pub fn new(base: ApiBase, token: &ApiToken) -> Result<Self, ProlificError> {
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(TOTAL_TIMEOUT)
            .user_agent(concat!("Batchdesk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(ProlificError::from_transport)?;
        let mut authorization = HeaderValue::from_str(&format!("Token {}", token.expose_secret()))
            .map_err(|_| ProlificError::InvalidToken)?;
        // Marks the header so that reqwest and hyper never print it.
        authorization.set_sensitive(true);
        Ok(Self {
            http,
            base,
            authorization,
        })
    }

    pub fn base(&self) -> &ApiBase {
        &self.base
    }

    /// `GET /api/v1/users/me/`: who the token belongs to. The way to check a token.
    pub async fn users_me(&self) -> Result<User, ProlificError> {
        self.get_json("/api/v1/users/me/").await
    }

    /// `GET /api/v1/workspaces/`, every page.
    pub async fn workspaces(&self) -> Result<Listed<Workspace>, ProlificError> {
        self.list("/api/v1/workspaces/").await
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
        self.list(&format!(
            "/api/v1/workspaces/{}/projects/",
            segment(workspace_id)
        ))
        .await
    }

    /// `POST /api/v1/workspaces/{id}/projects/`. Creates something, so it is never
    /// repeated on its own: after an unclear failure, look for the project by title.
    pub async fn create_project(
        &self,
        workspace_id: &str,
        title: &str,
    ) -> Result<Project, ProlificError> {
        #[derive(Serialize)]
        struct NewProject<'a> {
            title: &'a str,
        }
        self.send_json(
            Method::POST,
            &self.base.join(&format!(
                "/api/v1/workspaces/{}/projects/",
                segment(workspace_id)
            )),
            Some(&NewProject { title }),
        )
        .await
    }

    /// Follows `_links.next` until it is null, only ever to this client's own API, so
    /// the token is never sent to another host. Flags a list shorter than `meta.count`.
    async fn list<T: DeserializeOwned>(&self, path: &str) -> Result<Listed<T>, ProlificError> {
        let mut url = self.base.join(path);
        let mut items = Vec::new();
        let mut announced = None;
        for _ in 0..MAX_PAGES {
            let page: Page<T> = self.send_json(Method::GET, &url, None::<&()>).await?;
            announced = announced.or(page.meta.and_then(|meta| meta.count));
            items.extend(page.results);
            match page
                .links
                .and_then(|links| links.next)
                .and_then(|next| next.href)
            {
                Some(next) if self.base.owns(&next) => url = next,
                Some(next) => {
                    tracing::warn!(%next, "not following a next link to another host");
                    break;
                }
                None => break,
            }
        }
        let received = u64::try_from(items.len()).unwrap_or(u64::MAX);
        Ok(Listed {
            possibly_truncated: announced.is_some_and(|count| count > received),
            items,
        })
    }

    async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T, ProlificError> {
        self.send_json(Method::GET, &self.base.join(path), None::<&()>)
            .await
    }

    async fn send_json<T: DeserializeOwned, B: Serialize + Sync + ?Sized>(
        &self,
        method: Method,
        url: &str,
        body: Option<&B>,
    ) -> Result<T, ProlificError> {
        let mut request = self
            .http
            .request(method, url)
            .header(AUTHORIZATION, self.authorization.clone());
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request
            .send()
            .await
            .map_err(ProlificError::from_transport)?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = response
            .bytes()
            .await
            .map_err(ProlificError::from_transport)?;
        if !status.is_success() {
            return Err(ProlificError::from_answer(
                status.as_u16(),
                retry_after,
                &body,
            ));
        }
        serde_json::from_slice(&body).map_err(|error| ProlificError::Unexpected {
            status: status.as_u16(),
            detail: Some(error.to_string()),
        })
    }
}

/// An id as one path segment: ids come from Prolific or the researcher's own store, but
/// a stray `/` or `?` must never change which endpoint is called. Percent-encodes every
/// byte but letters, digits, `-`, `_` and `~`.
fn segment(id: &str) -> String {
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
