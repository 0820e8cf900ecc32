//! Page-number paging, as Prolific's lists do it (Django REST framework's): `page`
//! counts from 1 (`last` names the last page) and `page_size` sets how many items a page
//! holds. Every list the server answers is paged this way, whether or not the spec lists
//! the two parameters for it: Prolific pages its classic lists, and the spec is silent
//! on the others (Task Builder batches and responses), so the stricter side is taken.
//!
//! The default page is small on purpose, so that any practice list of a few items spans
//! pages and every client test reads more than one. A larger `page_size` is honoured up
//! to [`MAX_PAGE_SIZE`], beyond which it is capped without a word, as Django REST
//! framework caps it (Prolific's maximum is undocumented; a small one is the stricter
//! side). A `page_size` that is not a positive whole number is ignored, as there.
//!
//! What a list answers besides `results` follows its response schema in the spec and
//! nothing more: `meta.count` only where the schema has `meta`, `_links` only where it
//! has `_links`. Prolific's own CLI reads both on other classic lists too, but the spec
//! does not promise them there; leaving them out (the stricter reading) makes a client
//! that depends on them fail here rather than on Prolific.

use std::collections::{BTreeMap, HashMap};

use axum::Json;
use serde_json::{Value, json};

use crate::error::ApiError;

/// How many items a page holds when `page_size` is not given.
pub(crate) const DEFAULT_PAGE_SIZE: usize = 3;

/// The most a page holds, whatever `page_size` asks.
pub(crate) const MAX_PAGE_SIZE: usize = 10;

/// The page a request asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PageRequest {
    number: PageNumber,
    size: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PageNumber {
    Number(usize),
    Last,
}

impl PageRequest {
    /// `page` and `page_size` from a request's query. A `page` that is not a whole
    /// number from 1 is answered 404 "Invalid page.", as Prolific does.
    pub(crate) fn from_query(query: &HashMap<String, String>) -> Result<Self, ApiError> {
        let number = match query.get("page").map(String::as_str) {
            None => PageNumber::Number(1),
            Some("last") => PageNumber::Last,
            Some(text) => match text.parse::<usize>() {
                Ok(number) if number >= 1 => PageNumber::Number(number),
                _ => return Err(ApiError::invalid_page()),
            },
        };
        let size = query
            .get("page_size")
            .and_then(|text| text.parse::<usize>().ok())
            .filter(|size| *size >= 1)
            .map_or(DEFAULT_PAGE_SIZE, |size| size.min(MAX_PAGE_SIZE));
        Ok(Self { number, size })
    }

    /// The asked-for page of `items`. Page 1 of an empty list is an empty page; any page
    /// past the last is 404 "Invalid page.".
    pub(crate) fn cut(self, items: Vec<Value>) -> Result<Page, ApiError> {
        let count = items.len();
        let last = count.div_ceil(self.size).max(1);
        let number = match self.number {
            PageNumber::Last => last,
            PageNumber::Number(number) if number <= last => number,
            PageNumber::Number(_) => return Err(ApiError::invalid_page()),
        };
        let results = items
            .into_iter()
            .skip((number - 1) * self.size)
            .take(self.size)
            .collect();
        Ok(Page {
            results,
            count,
            number,
            last,
            size: self.size,
        })
    }
}

/// One page of a list, ready to answer in the shape its schema documents.
#[derive(Clone, Debug)]
pub(crate) struct Page {
    results: Vec<Value>,
    count: usize,
    number: usize,
    last: usize,
    size: usize,
}

impl Page {
    /// `{results}`: for the lists whose schema documents nothing else.
    pub(crate) fn results_only(self) -> Json<Value> {
        Json(json!({ "results": self.results }))
    }

    /// `{results, meta: {count}}`: for the lists whose schema documents `meta.count`.
    pub(crate) fn counted(self) -> Json<Value> {
        Json(json!({ "results": self.results, "meta": { "count": self.count } }))
    }

    /// `{results, _links, meta}`: for the lists whose schema documents both. The links
    /// are `here` (a full URL without query) with the request's `query`, its `page` and
    /// `page_size` replaced.
    pub(crate) fn linked(self, here: &str, query: &HashMap<String, String>) -> Json<Value> {
        let link = |number: usize| {
            let mut pairs: BTreeMap<&str, String> = query
                .iter()
                .map(|(name, value)| (name.as_str(), value.clone()))
                .collect();
            pairs.insert("page", number.to_string());
            pairs.insert("page_size", self.size.to_string());
            let encoded: Vec<String> = pairs
                .iter()
                .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
                .collect();
            format!("{here}?{}", encoded.join("&"))
        };
        let next = (self.number < self.last).then(|| link(self.number + 1));
        let previous = (self.number > 1).then(|| link(self.number - 1));
        Json(json!({
            "results": self.results,
            "_links": {
                "self": {"href": link(self.number), "title": "Current"},
                "next": {"href": next, "title": "Next"},
                "previous": {"href": previous, "title": "Previous"},
                "last": {"href": link(self.last), "title": "Last"},
            },
            "meta": { "count": self.count },
        }))
    }
}

/// A query value percent-encoded (all but letters, digits and `-._~`).
fn encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(byte).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked(pairs: &[(&str, &str)]) -> Result<PageRequest, ApiError> {
        let query = pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        PageRequest::from_query(&query)
    }

    fn numbers(count: usize) -> Vec<Value> {
        (1..=count).map(|number| json!(number)).collect()
    }

    fn results(page: Page) -> Vec<Value> {
        page.results
    }

    #[test]
    fn pages_are_small_by_default_and_capped() {
        let first = asked(&[]).and_then(|request| request.cut(numbers(7)));
        assert!(first.is_ok_and(|page| results(page) == numbers(3)));
        let big = asked(&[("page_size", "1000")]).and_then(|request| request.cut(numbers(50)));
        assert!(big.is_ok_and(|page| page.results.len() == MAX_PAGE_SIZE && page.last == 5));
        // Not a positive whole number: the default, as Django REST framework does.
        for ignored in ["0", "-2", "many"] {
            let page = asked(&[("page_size", ignored)]).and_then(|r| r.cut(numbers(7)));
            assert!(page.is_ok_and(|page| page.results.len() == DEFAULT_PAGE_SIZE));
        }
    }

    #[test]
    fn a_page_past_the_end_or_below_one_is_invalid() {
        for invalid in ["0", "-1", "two", ""] {
            let refused = asked(&[("page", invalid)]).and_then(|r| r.cut(numbers(7)));
            assert!(refused.is_err_and(|error| error == ApiError::invalid_page()));
        }
        let past = asked(&[("page", "4")]).and_then(|request| request.cut(numbers(7)));
        assert!(past.is_err_and(|error| error == ApiError::invalid_page()));
        let last = asked(&[("page", "3")]).and_then(|request| request.cut(numbers(7)));
        assert!(last.is_ok_and(|page| results(page) == [json!(7)]));
        let named = asked(&[("page", "last")]).and_then(|request| request.cut(numbers(7)));
        assert!(named.is_ok_and(|page| page.number == 3));
        let empty = asked(&[]).and_then(|request| request.cut(Vec::new()));
        assert!(empty.is_ok_and(|page| page.results.is_empty() && page.count == 0));
    }

    #[test]
    fn links_keep_the_query_and_name_their_pages() {
        let query: HashMap<String, String> = [("state", "AWAITING REVIEW"), ("page", "2")]
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect();
        let page = PageRequest::from_query(&query).and_then(|request| request.cut(numbers(7)));
        let Ok(page) = page else {
            panic!("page 2 of 7 items");
        };
        let Json(answer) = page.linked("http://127.0.0.1:1/api/v1/filters/", &query);
        let href = |name: &str| answer["_links"][name]["href"].clone();
        assert_eq!(
            href("next"),
            "http://127.0.0.1:1/api/v1/filters/?page=3&page_size=3&state=AWAITING%20REVIEW"
        );
        assert_eq!(
            href("previous"),
            "http://127.0.0.1:1/api/v1/filters/?page=1&page_size=3&state=AWAITING%20REVIEW"
        );
        assert_eq!(answer["meta"]["count"], 7);
    }
}
