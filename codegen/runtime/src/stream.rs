//! `stream()`: the items of a list across all its pages, fetched lazily one page
//! at a time, so memory stays that of one page however long the list is.

use super::client::Client;
use super::encode::Request;
use super::{Error, NextPage, Page};
use serde::de::DeserializeOwned;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

type PageFuture<P> = Pin<Box<dyn Future<Output = Result<(Client, Request, P), Error>> + Send>>;

/// The items of a list, page after page (what a list builder's `stream()` returns).
///
/// Nothing is sent until the first item is asked for; the next page is fetched
/// only when the current one is used up. Read it with [`next`](Self::next), or
/// as a [`futures_core::Stream`]. After an error the stream ends.
///
/// A next-page URL is followed only if it has the scheme, host and port the
/// first page came from, or (with a base-URL override) is on the API's own host,
/// in which case its path and query are sent to the override; otherwise the
/// stream yields [`Error::Pagination`] and sends nothing there (credentials
/// included).
///
/// The stream cannot loop forever: a next page (URL or token) equal to one of
/// the last [`RECENT_PAGES`] ones, or [`MAX_EMPTY_PAGES`] empty pages in a row
/// that still link onwards, end it with [`Error::Pagination`].
#[must_use = "a stream does nothing until it is read"]
pub struct ItemStream<P: Page> {
    state: State<P>,
    items: std::vec::IntoIter<P::Item>,
    /// Items still allowed by [`limit`](Self::limit).
    remaining: Option<usize>,
    /// The query parameter a `meta.next_token` goes back in (`PageToken`).
    token_param: Option<&'static str>,
    /// The list's page-size query parameter (`PageSize`) and the largest value
    /// the spec allows, which [`limit`](Self::limit) sets when the caller did not.
    page_size: Option<(&'static str, i64)>,
    /// Fingerprints of the last next-page links followed, newest last.
    recent: std::collections::VecDeque<u64>,
    /// Empty pages in a row.
    empty_run: usize,
}

/// How many recent next-page links a stream remembers: a list that links back
/// to any of them is looping. A fingerprint is 8 bytes, so this is 512 bytes.
pub const RECENT_PAGES: usize = 64;

/// How many empty pages in a row a stream follows before it gives up: a list
/// whose pages are all empty but always link onwards never ends.
pub const MAX_EMPTY_PAGES: usize = 5;

enum State<P> {
    /// The first request, or why it could not be built.
    Start(Result<(Client, Request), Error>),
    Fetching(PageFuture<P>),
    /// The current page is being read; then this request (or error, or the end).
    Between(Option<Result<(Client, Request), Error>>),
    Done,
}

// No field is ever pinned in place: the one future is boxed.
impl<P: Page> Unpin for ItemStream<P> {}

impl<P> ItemStream<P>
where
    P: Page + DeserializeOwned + Send + 'static,
{
    #[doc(hidden)]
    pub fn new(first: Result<(Client, Request), Error>, token_param: Option<&'static str>) -> Self {
        ItemStream {
            state: State::Start(first),
            items: Vec::new().into_iter(),
            remaining: None,
            token_param,
            page_size: None,
            recent: std::collections::VecDeque::new(),
            empty_run: 0,
        }
    }

    /// Names the list's page-size query parameter and its largest allowed value.
    #[doc(hidden)]
    pub fn page_size_param(mut self, name: &'static str, max: i64) -> Self {
        self.page_size = Some((name, max));
        self
    }

    /// Stops after `n` items, requesting no page beyond the one that holds the
    /// `n`th item.
    ///
    /// As Twilio's SDKs do with `list(limit=n)`, a list whose page size the
    /// caller did not set asks for pages of `n` items (at most the largest page
    /// the API allows), so a short limit costs one small page rather than one
    /// of the API's default size.
    pub fn limit(mut self, n: usize) -> Self {
        self.remaining = Some(n);
        if let (Some((name, max)), State::Start(Ok((_, req)))) = (self.page_size, &mut self.state) {
            if n > 0 && !req.has_query(name) {
                let size = i64::try_from(n).unwrap_or(i64::MAX).min(max);
                req.set_query(name, size.to_string());
            }
        }
        self
    }

    /// The next item, `None` at the end of the list (or of the limit).
    pub async fn next(&mut self) -> Option<Result<P::Item, Error>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    /// Reads every remaining item into a `Vec` (for short lists: the whole list is then in memory).
    ///
    /// An error part-way (a later page that fails) returns only the error, and
    /// the items read before it are dropped; [`collect_into`](Self::collect_into)
    /// keeps them.
    pub async fn collect(self) -> Result<Vec<P::Item>, Error> {
        let mut out = Vec::new();
        self.collect_into(&mut out).await?;
        Ok(out)
    }

    /// Appends every remaining item to `out`. On an error part-way, the items
    /// read before it are already in `out`, so a caller can keep what it has
    /// (and, for a URL-paged list, resume from the last page with `get_page`).
    pub async fn collect_into(mut self, out: &mut Vec<P::Item>) -> Result<(), Error> {
        while let Some(item) = self.next().await {
            out.push(item?);
        }
        Ok(())
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<P::Item, Error>>> {
        loop {
            if self.remaining == Some(0) {
                self.state = State::Done;
                self.items = Vec::new().into_iter();
                return Poll::Ready(None);
            }
            if let Some(item) = self.items.next() {
                if let Some(r) = &mut self.remaining {
                    *r -= 1;
                }
                return Poll::Ready(Some(Ok(item)));
            }
            let next = match std::mem::replace(&mut self.state, State::Done) {
                State::Done | State::Between(None) => return Poll::Ready(None),
                State::Start(first) | State::Between(Some(first)) => first,
                State::Fetching(mut fut) => match fut.as_mut().poll(cx) {
                    Poll::Pending => {
                        self.state = State::Fetching(fut);
                        return Poll::Pending;
                    }
                    Poll::Ready(Err(e)) => return Poll::Ready(Some(Err(e))),
                    Poll::Ready(Ok((client, req, page))) => {
                        let next = page.next_page();
                        // Where to go next is settled now, but acted on (or its
                        // error reported) only once this page's items are used up.
                        let items = page.into_items();
                        let next = next.map(|n| {
                            self.check_progress(&n, items.is_empty())?;
                            next_request(&client, req, n, self.token_param).map(|r| (client, r))
                        });
                        self.items = items.into_iter();
                        self.state = State::Between(next);
                        continue;
                    }
                },
            };
            match next {
                Err(e) => return Poll::Ready(Some(Err(e))),
                Ok((client, req)) => self.state = State::Fetching(Box::pin(fetch(client, req))),
            }
        }
    }
}

impl<P: Page> ItemStream<P> {
    /// Fails if following `next` (after a page that was `empty` or not) would
    /// revisit a recent page or extend a run of empty pages past the bound.
    fn check_progress(&mut self, next: &NextPage, empty: bool) -> Result<(), Error> {
        use std::hash::{Hash, Hasher};
        self.empty_run = if empty { self.empty_run + 1 } else { 0 };
        let text = match next {
            NextPage::Url(t) | NextPage::Uri(t) | NextPage::Token(t) => t,
        };
        if self.empty_run >= MAX_EMPTY_PAGES {
            return Err(rejected(
                text,
                format!("{MAX_EMPTY_PAGES} empty pages in a row still link onwards: the list never ends"),
            ));
        }
        // Same hasher keys every time, so equal links have equal fingerprints.
        let mut h = std::collections::hash_map::DefaultHasher::new();
        next.hash(&mut h);
        let fingerprint = h.finish();
        if self.recent.contains(&fingerprint) {
            return Err(rejected(
                text,
                "the API gave this next page before: the list would loop".into(),
            ));
        }
        if self.recent.len() == RECENT_PAGES {
            self.recent.pop_front();
        }
        self.recent.push_back(fingerprint);
        Ok(())
    }
}

impl<P> futures_core::Stream for ItemStream<P>
where
    P: Page + DeserializeOwned + Send + 'static,
{
    type Item = Result<P::Item, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

impl<P: Page> std::fmt::Debug for ItemStream<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItemStream")
            .field("buffered", &self.items.len())
            .field("remaining", &self.remaining)
            .finish_non_exhaustive()
    }
}

async fn fetch<P: DeserializeOwned>(
    client: Client,
    req: Request,
) -> Result<(Client, Request, P), Error> {
    let url = client.url_for(&req)?;
    let page = client.send(&req, url).await?.decode::<P>()?.into_body();
    Ok((client, req, page))
}

/// `first` (a list's request) sent to `url` instead: a next-page URL (or
/// api_v2010 URI) that an earlier page of the same list gave, as Twilio's
/// `get_page` does. It must be on the scheme, host and port the list is
/// requested from, like every next page the stream follows.
#[doc(hidden)]
pub fn at_page_url(
    first: Result<(Client, Request), Error>,
    url: String,
) -> Result<(Client, Request), Error> {
    let (client, req) = first?;
    // A path (api_v2010's `next_page_uri`) is relative to the API host.
    let next = if url.starts_with('/') {
        NextPage::Uri(url)
    } else {
        NextPage::Url(url)
    };
    let req = next_request(&client, req, next, None)?;
    Ok((client, req))
}

/// The request for the page after `req`. A URL must stay on the scheme, host and
/// port `req` was sent to; a token replaces the page-token query parameter.
fn next_request(
    client: &Client,
    mut req: Request,
    next: NextPage,
    token_param: Option<&'static str>,
) -> Result<Request, Error> {
    let relative = matches!(next, NextPage::Uri(_));
    match next {
        NextPage::Url(text) | NextPage::Uri(text) => {
            let current = client.url_for(&req)?;
            // A URI is relative to the API's host. With an override, resolve it
            // there, so that it is moved below the override's path prefix like
            // an absolute link to that host; otherwise where the list is.
            let relative_to = match (relative, client.base_override()) {
                (true, Some(_)) => client.canonical_base(req.base_url)?,
                _ => current.clone(),
            };
            let mut url = relative_to
                .join(&text)
                .map_err(|e| rejected(&text, format!("not a URL: {e}")))?;
            if !url.username().is_empty() || url.password().is_some() {
                return Err(rejected(&text, "it carries credentials".into()));
            }
            if !same_origin(&url, &current) {
                // With a base-URL override (a mock, a proxy) the API still links
                // to its own host: such a link is followed through the override,
                // so nothing (credentials included) goes anywhere else.
                let api_hosts = [
                    client.canonical_base(req.base_url)?,
                    client.regional_base(req.base_url)?,
                ];
                match client.base_override() {
                    Some(base) if api_hosts.iter().any(|h| same_origin(&url, h)) => {
                        url = rebase(base, &url);
                    }
                    _ => {
                        let origin = current.origin().ascii_serialization();
                        return Err(rejected(
                            &text,
                            format!("it is not on {origin}, where the list was requested"),
                        ));
                    }
                }
            }
            req.next_url = Some(url);
        }
        NextPage::Token(token) => {
            let name = token_param.ok_or_else(|| {
                rejected(
                    &token,
                    "this list has no page-token parameter to send it in".into(),
                )
            })?;
            req.set_query(name, token);
        }
    }
    Ok(req)
}

fn same_origin(a: &reqwest::Url, b: &reqwest::Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// `link`'s path and query on `base` (after `base`'s own path prefix, if any).
fn rebase(base: &reqwest::Url, link: &reqwest::Url) -> reqwest::Url {
    let mut url = base.clone();
    let prefix = base.path().trim_end_matches('/');
    url.set_path(&format!("{prefix}{}", link.path()));
    url.set_query(link.query());
    url
}

fn rejected(url: &str, reason: String) -> Error {
    Error::Pagination {
        next_page: url.chars().take(200).collect(),
        reason,
    }
}
