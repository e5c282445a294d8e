//! Pages of list responses. Every generated list response type implements [`Page`],
//! which is how the client finds a page's items and the way to the next page.

use super::liberal::{optional, read, Read};
use super::object::{decode_object, skip_value, Key, Object};
use serde::de::MapAccess;
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::marker::PhantomData;

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
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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

/// Names the member that holds a [`FlatPage`]'s items (`calls`).
pub trait ItemsMember {
    /// The member's name in the JSON page.
    const NAME: &'static str;
}

/// A page of a list that keeps its paging members beside its items, as
/// api_v2010 does: `{"calls": […], "next_page_uri": …, "page": 0, …}`. Every such
/// list shares this one type (`M` names its items member), instead of a
/// struct per list: api_v2010 has 61 of them, and they were a tenth of its
/// build time.
pub struct FlatPage<T, M> {
    /// This page's items: the `M::NAME` member (`calls`). An absent member is
    /// an empty page.
    pub items: Vec<T>,
    /// The URI of the first page, relative to the API host.
    pub first_page_uri: Option<String>,
    /// The URI of the next page, relative to the API host; `None` (or empty) on
    /// the last page.
    pub next_page_uri: Option<String>,
    /// The URI of the previous page, relative to the API host.
    pub previous_page_uri: Option<String>,
    /// The URI of this page, relative to the API host.
    pub uri: Option<String>,
    /// The index of this page, from 0.
    pub page: Option<i64>,
    /// The maximum number of items per page.
    pub page_size: Option<i64>,
    /// The index of this page's first item.
    pub start: Option<i64>,
    /// The index of this page's last item.
    pub end: Option<i64>,
    member: PhantomData<fn() -> M>,
}

impl<T, M: ItemsMember> Page for FlatPage<T, M> {
    type Item = T;

    fn next_page(&self) -> Option<NextPage> {
        self.next_page_uri
            .as_ref()
            .filter(|uri| !uri.is_empty())
            .map(|uri| NextPage::Uri(uri.clone()))
    }

    fn into_items(self) -> Vec<T> {
        self.items
    }
}

// By hand rather than derived: a derive would require `M` (a marker) to
// implement the traits too.
impl<T: Clone, M> Clone for FlatPage<T, M> {
    fn clone(&self) -> Self {
        FlatPage {
            items: self.items.clone(),
            first_page_uri: self.first_page_uri.clone(),
            next_page_uri: self.next_page_uri.clone(),
            previous_page_uri: self.previous_page_uri.clone(),
            uri: self.uri.clone(),
            page: self.page,
            page_size: self.page_size,
            start: self.start,
            end: self.end,
            member: PhantomData,
        }
    }
}

impl<T: PartialEq, M> PartialEq for FlatPage<T, M> {
    fn eq(&self, other: &Self) -> bool {
        self.items == other.items
            && self.first_page_uri == other.first_page_uri
            && self.next_page_uri == other.next_page_uri
            && self.previous_page_uri == other.previous_page_uri
            && self.uri == other.uri
            && self.page == other.page
            && self.page_size == other.page_size
            && self.start == other.start
            && self.end == other.end
    }
}

impl<T: fmt::Debug, M: ItemsMember> fmt::Debug for FlatPage<T, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FlatPage")
            .field(M::NAME, &self.items)
            .field("first_page_uri", &self.first_page_uri)
            .field("next_page_uri", &self.next_page_uri)
            .field("previous_page_uri", &self.previous_page_uri)
            .field("uri", &self.uri)
            .field("page", &self.page)
            .field("page_size", &self.page_size)
            .field("start", &self.start)
            .field("end", &self.end)
            .finish()
    }
}

impl<T: Serialize, M: ItemsMember> Serialize for FlatPage<T, M> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use super::object::WriteMembers as _;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry(M::NAME, &self.items)?;
        m.optional("first_page_uri", self.first_page_uri.as_ref())?;
        m.optional("next_page_uri", self.next_page_uri.as_ref())?;
        m.optional("previous_page_uri", self.previous_page_uri.as_ref())?;
        m.optional("uri", self.uri.as_ref())?;
        m.optional("page", self.page.as_ref())?;
        m.optional("page_size", self.page_size.as_ref())?;
        m.optional("start", self.start.as_ref())?;
        m.optional("end", self.end.as_ref())?;
        m.end()
    }
}

/// Read liberally, as a generated struct is (see `liberal`): an odd paging
/// member is `None`, an item that is not an object is left out.
impl<T: Read<read::Model>, M: ItemsMember> Object for FlatPage<T, M> {
    const NAME: &'static str = "FlatPage";

    fn from_members<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut page = FlatPage {
            items: Vec::new(),
            first_page_uri: None,
            next_page_uri: None,
            previous_page_uri: None,
            uri: None,
            page: None,
            page_size: None,
            start: None,
            end: None,
            member: PhantomData,
        };
        let name = Self::NAME;
        while let Some(key) = map.next_key::<Key>()? {
            match key.as_str() {
                "first_page_uri" => {
                    page.first_page_uri =
                        optional::<read::Text, _, _>(&mut map, name, "first_page_uri")?
                }
                "next_page_uri" => {
                    page.next_page_uri =
                        optional::<read::Text, _, _>(&mut map, name, "next_page_uri")?
                }
                "previous_page_uri" => {
                    page.previous_page_uri =
                        optional::<read::Text, _, _>(&mut map, name, "previous_page_uri")?
                }
                "uri" => page.uri = optional::<read::Text, _, _>(&mut map, name, "uri")?,
                "page" => page.page = optional::<read::Num, _, _>(&mut map, name, "page")?,
                "page_size" => {
                    page.page_size = optional::<read::Num, _, _>(&mut map, name, "page_size")?
                }
                "start" => page.start = optional::<read::Num, _, _>(&mut map, name, "start")?,
                "end" => page.end = optional::<read::Num, _, _>(&mut map, name, "end")?,
                member if member == M::NAME => {
                    page.items = optional::<read::Model, Vec<T>, _>(&mut map, name, M::NAME)?
                        .unwrap_or_default()
                }
                _ => skip_value(&mut map)?,
            }
        }
        Ok(page)
    }
}

impl<'de, T: Read<read::Model>, M: ItemsMember> Deserialize<'de> for FlatPage<T, M> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        decode_object(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Calls;
    impl ItemsMember for Calls {
        const NAME: &'static str = "calls";
    }

    #[derive(Debug, Clone, PartialEq)]
    struct Call {
        sid: Option<String>,
    }

    crate::object_serde!(Call { sid: "sid" optional(Text) });

    #[test]
    fn a_flat_page_reads_its_named_items_member_and_writes_it_back() {
        let text = r#"{"calls":[{"sid":"CA1"}],"first_page_uri":"/a?Page=0","next_page_uri":"/a?Page=2","uri":"/a?Page=1","page":1,"page_size":1,"start":1,"end":1}"#;
        let page: FlatPage<Call, Calls> = serde_json::from_str(text).unwrap();
        assert_eq!(
            page.items,
            vec![Call {
                sid: Some("CA1".into())
            }]
        );
        assert_eq!(page.next_page(), Some(NextPage::Uri("/a?Page=2".into())));
        assert_eq!(serde_json::to_string(&page).unwrap(), text);
        assert!(format!("{page:?}").starts_with("FlatPage { calls: ["));
        let last: FlatPage<Call, Calls> =
            serde_json::from_str(r#"{"next_page_uri":null,"messages":[1],"calls":null}"#).unwrap();
        assert_eq!((last.next_page(), last.items), (None, vec![]));
    }

    #[test]
    fn a_flat_page_reads_odd_paging_members_and_items_liberally() {
        let text = r#"{"calls":[{"sid":7},"CA2",null,{"sid":"CA3"}],"next_page_uri":"/a?Page=2","page":"1","page_size":"N/A","start":{},"end":1.0}"#;
        let page: FlatPage<Call, Calls> = serde_json::from_str(text).unwrap();
        let sids: Vec<_> = page.items.iter().map(|c| c.sid.as_deref()).collect();
        assert_eq!(sids, [Some("7"), Some("CA3")]);
        assert_eq!(
            (page.page, page.page_size, page.start, page.end),
            (Some(1), None, None, Some(1))
        );
        assert_eq!(page.next_page(), Some(NextPage::Uri("/a?Page=2".into())));
        let odd: FlatPage<Call, Calls> =
            serde_json::from_str(r#"{"calls":{"sid":"CA1"}}"#).unwrap();
        assert!(odd.items.is_empty());
    }
}
