//! Reading a whole list (API-NOTES §1.7). Prolific has no single convention: some lists
//! link to their next page (`_links.next`), some only count their items (`meta.count`),
//! and the spec gives many neither. So a list is read page by page: a `next` link is
//! followed while there is one; where the answer says nothing of a next page, the next
//! page number (`page=2`, `3`, …) is asked for until `meta.count` items are read, a page
//! comes back empty, or Prolific answers that there is no such page.
//!
//! A list is only ever called complete when nothing suggests otherwise: anything that
//! cuts the reading short (too many pages, a link to another host, a server that answers
//! the same page again) marks it `possibly_truncated`, and callers that search a list
//! refuse to conclude "not there" from it ([`Listed::newest_match`], [`Listed::whole`]).
//!
//! A page shorter than the `page_size` asked for is not taken as the last: a server may
//! cap the page size silently, so only `meta.count`, an empty page or a 404 past the end
//! tells.

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

use crate::models::{Listed, NextLink, RawPage};
use crate::{ApiBase, Client, ProlificError};

/// A list is read for at most this many pages, so a server that always has another page
/// cannot keep the app busy forever. At Prolific's default of 20 a page, that is ten
/// thousand items.
const MAX_PAGES: usize = 500;

/// The next page to ask for, and how it was found.
struct NextPage {
    url: String,
    /// Given by the server's own `next` link (not a page number Batchdesk made up).
    linked: bool,
}

impl Client {
    /// Every page of the list at `first` (see the module's notes). Only ever follows links
    /// to this client's own API, so the token is never sent to another host.
    pub(crate) async fn list<T: DeserializeOwned>(
        &self,
        first: String,
    ) -> Result<Listed<T>, ProlificError> {
        let mut reader = ListReader::new(&first)?;
        let mut next = Some(NextPage {
            url: first,
            linked: false,
        });
        while let Some(page) = next.take() {
            if reader.pages == MAX_PAGES {
                tracing::warn!("a list has more than {MAX_PAGES} pages; reading stopped");
                reader.cut_short = true;
                break;
            }
            match self
                .call_json::<RawPage, ()>(Method::GET, &page.url, None)
                .await
            {
                Ok(answer) => next = reader.read(answer, &self.base),
                // Past the last page Prolific (Django REST framework) answers 404
                // "Invalid page.": the list ended. After a `next` link it had promised
                // more, so the list changed under the reading.
                Err(ProlificError::NotFound { .. }) if reader.pages > 0 => {
                    reader.cut_short |= page.linked;
                }
                Err(error) => return Err(error),
            }
        }
        reader.finish()
    }
}

/// What has been read of one list so far.
struct ListReader {
    first: Url,
    pages: usize,
    items: Vec<Value>,
    /// The latest page's items, to notice a server that answers the same page again.
    latest: Vec<Value>,
    /// The latest `meta.count`, when the list gives one.
    announced: Option<u64>,
    /// Something stopped the reading before the list said it had ended.
    cut_short: bool,
}

impl ListReader {
    fn new(first: &str) -> Result<Self, ProlificError> {
        let first = Url::parse(first).map_err(|error| ProlificError::Unexpected {
            status: 0,
            detail: Some(error.to_string()),
        })?;
        Ok(Self {
            first,
            pages: 0,
            items: Vec::new(),
            latest: Vec::new(),
            announced: None,
            cut_short: false,
        })
    }

    /// Takes in one page and says which page comes next, if any.
    fn read(&mut self, page: RawPage, base: &ApiBase) -> Option<NextPage> {
        if !page.results.is_empty() && page.results == self.latest {
            // A server that does not page by number answers its first page again: what
            // lies beyond it cannot be known.
            tracing::warn!("a list answered the same page twice; reading stopped");
            self.cut_short = true;
            return None;
        }
        self.pages += 1;
        if let Some(count) = page.meta.and_then(|meta| meta.count) {
            self.announced = Some(count);
        }
        let next = page.next_link();
        self.items.extend(page.results.iter().cloned());
        let empty = page.results.is_empty();
        self.latest = page.results;
        match next {
            NextLink::Href(href) if base.owns(&href) => Some(NextPage {
                url: href,
                linked: true,
            }),
            NextLink::Href(_) => {
                tracing::warn!("not following a next link to another host");
                self.cut_short = true;
                None
            }
            NextLink::End => None,
            NextLink::Unsaid if empty || self.all_announced_read() => None,
            NextLink::Unsaid => Some(NextPage {
                url: self.numbered(self.pages + 1),
                linked: false,
            }),
        }
    }

    fn read_count(&self) -> u64 {
        u64::try_from(self.items.len()).unwrap_or(u64::MAX)
    }

    fn all_announced_read(&self) -> bool {
        self.announced
            .is_some_and(|count| self.read_count() >= count)
    }

    /// The first URL with `page=number` (any other query kept, `page_size` included).
    fn numbered(&self, number: usize) -> String {
        let mut url = self.first.clone();
        let kept: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(name, _)| name != "page")
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        url.query_pairs_mut()
            .clear()
            .extend_pairs(kept)
            .append_pair("page", &number.to_string());
        url.into()
    }

    fn finish<T: DeserializeOwned>(self) -> Result<Listed<T>, ProlificError> {
        let possibly_truncated = self.cut_short
            || self
                .announced
                .is_some_and(|count| count > self.read_count());
        let items = self
            .items
            .into_iter()
            .map(serde_json::from_value)
            .collect::<Result<Vec<T>, _>>()
            .map_err(|error| ProlificError::Unexpected {
                status: 200,
                detail: Some(error.to_string()),
            })?;
        Ok(Listed {
            items,
            possibly_truncated,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn base() -> ApiBase {
        ApiBase::parse("https://api.example.org").unwrap_or_else(|error| panic!("{error}"))
    }

    fn reader() -> ListReader {
        ListReader::new("https://api.example.org/api/v1/submissions/?study=s&page_size=100")
            .unwrap_or_else(|error| panic!("{error}"))
    }

    fn page(value: serde_json::Value) -> RawPage {
        serde_json::from_value(value).unwrap_or_else(|error| panic!("{error}"))
    }

    #[test]
    fn a_page_that_says_nothing_of_the_next_is_followed_by_number() {
        let mut reader = reader();
        let next = reader.read(page(json!({"results": [1, 2]})), &base());
        let next = next.unwrap_or_else(|| panic!("a next page"));
        assert_eq!(
            next.url,
            "https://api.example.org/api/v1/submissions/?study=s&page_size=100&page=2"
        );
        assert!(!next.linked);
        let third = reader.read(page(json!({"results": [3]})), &base());
        assert!(third.is_some_and(|next| next.url.ends_with("&page=3")));
        assert!(reader.read(page(json!({"results": []})), &base()).is_none());
        let listed: Listed<u32> = reader.finish().unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(listed.items, [1, 2, 3]);
        assert!(!listed.possibly_truncated);
    }

    #[test]
    fn meta_count_ends_a_list_without_links_and_flags_one_that_ends_early() {
        let mut whole = reader();
        let answer = page(json!({"results": [1, 2], "meta": {"count": 2}}));
        assert!(whole.read(answer, &base()).is_none());
        assert!(!whole.finish::<u32>().is_ok_and(|l| l.possibly_truncated));

        let mut short = reader();
        let answer = page(json!({"results": [1, 2], "meta": {"count": 5}}));
        assert!(short.read(answer, &base()).is_some());
        let empty = page(json!({"results": [], "meta": {"count": 5}}));
        assert!(short.read(empty, &base()).is_none());
        assert!(short.finish::<u32>().is_ok_and(|l| l.possibly_truncated));
    }

    #[test]
    fn a_null_next_link_ends_the_list_and_a_repeated_page_cuts_it_short() {
        let mut linked = reader();
        let last = page(json!({"results": [1], "_links": {"next": {"href": null}}}));
        assert!(linked.read(last, &base()).is_none());
        assert!(linked.finish::<u32>().is_ok_and(|l| !l.possibly_truncated));

        let mut repeated = reader();
        assert!(
            repeated
                .read(page(json!({"results": [1, 2]})), &base())
                .is_some()
        );
        assert!(
            repeated
                .read(page(json!({"results": [1, 2]})), &base())
                .is_none()
        );
        let listed = repeated
            .finish::<u32>()
            .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(listed.items, [1, 2], "the repeat is not kept");
        assert!(listed.possibly_truncated);
    }
}
