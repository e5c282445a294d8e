//! Pages of list responses. Every generated list response type implements [`Page`],
//! which is how the client finds a page's items and the way to the next page.

/// One page of a list: its items and where the next page is.
pub trait Page {
    /// One item of the list.
    type Item;
    /// Where the next page is, or `None` on the last page.
    fn next_page(&self) -> Option<NextPage>;
    /// The items of this page, in the order the API returned them.
    fn into_items(self) -> Vec<Self::Item>;
}

/// Where the next page of a list is, as the API reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NextPage {
    /// An absolute URL (`meta.next_page_url`).
    Url(String),
    /// A path and query relative to the API host (api_v2010's `next_page_uri`).
    Uri(String),
    /// A token to send back as the list operation's page-token parameter
    /// (`meta.next_token`).
    Token(String),
}
