//! Pagination: a list response is recognised by its shape, the same way for every
//! Twilio API, so any list gets page metadata and (in the runtime) page following.
//!
//! A GET's JSON body is a page when it is an object with exactly one array member
//! (the items) and a way to the next page:
//! - `meta.next_page_url`: an absolute URL (Flex, Messaging and the other v1+ APIs);
//! - `meta.next_token` (or `meta.nextToken`): a token sent back as the
//!   `PageToken` (or `pageToken`, or `Token`) query parameter (Flex Teams
//!   owners, Numbers port-in requests, the IAM v1 style);
//! - a flat `next_page_uri` beside the items, relative to the host (api_v2010).
//!
//! Anything else is an ordinary response: `send()` still returns it whole.

use super::{At, Lowerer};
use crate::error::Result;
use crate::ir::{Field, Location, Method, ModelKind, PageSize, PageStyle, Pagination, Param, Type};

/// The query parameter that sets how many items a page holds.
const PAGE_SIZE_PARAM: &str = "PageSize";

/// The largest page Twilio serves (and its SDKs ask for) when a spec gives no
/// `maximum` for the page size.
const TWILIO_MAX_PAGE_SIZE: i64 = 1000;

/// Query parameters that carry a page token back, in order of preference.
const TOKEN_PARAMS: [&str; 3] = ["PageToken", "pageToken", "Token"];

/// The `meta` members that carry the next page's token, in order of preference.
const TOKEN_MEMBERS: [&str; 2] = ["next_token", "nextToken"];

impl Lowerer<'_> {
    pub(super) fn pagination(
        &self,
        method: Method,
        body: Option<&Type>,
        params: &[Param],
        at: &At,
    ) -> Result<Option<Pagination>> {
        let Some(fields) = body.and_then(|t| self.struct_fields(t)) else {
            return Ok(None);
        };
        if method != Method::Get {
            return Ok(None);
        }
        let mut arrays = fields.iter().filter_map(|f| match &f.ty {
            Type::Array(item) => Some((f, item)),
            _ => None,
        });
        let (Some((items, item)), None) = (arrays.next(), arrays.next()) else {
            return Ok(None);
        };
        let meta = fields
            .iter()
            .find(|f| f.wire_name == "meta")
            .and_then(|f| self.struct_fields(&f.ty));
        // A next-page member must be text; anything else is a shape we cannot follow.
        let has = |fields: &[Field], name: &str| -> Result<bool> {
            match fields.iter().find(|f| f.wire_name == name) {
                None => Ok(false),
                Some(f) if f.ty == Type::String => Ok(true),
                Some(_) => Err(at.push("responses").error(format!(
                    "list response member `{name}` must be a string (it locates the next page)"
                ))),
            }
        };
        let token_member = match meta {
            Some(meta) => {
                let mut found = None;
                for name in TOKEN_MEMBERS {
                    if found.is_none() && has(meta, name)? {
                        found = Some(name);
                    }
                }
                found
            }
            None => None,
        };
        let style = match (meta, token_member) {
            (Some(meta), _) if has(meta, "next_page_url")? => PageStyle::MetaNextPageUrl,
            (Some(_), Some(token_member)) => {
                let token_param = TOKEN_PARAMS
                    .iter()
                    .find_map(|name| {
                        params
                            .iter()
                            .find(|p| p.location == Location::Query && p.wire_name == *name)
                    })
                    .ok_or_else(|| {
                        at.push("parameters").error(format!(
                            "the response is a token-paged list (`meta.{token_member}`) but the operation has no `{}` query parameter to send the token back",
                            TOKEN_PARAMS.join("` or `")
                        ))
                    })?;
                if token_param.ty != Type::String {
                    return Err(at.push("parameters").error(format!(
                        "page token parameter `{}` must be a string: it carries `meta.{token_member}` back",
                        token_param.wire_name
                    )));
                }
                PageStyle::MetaNextToken {
                    token_param: token_param.wire_name.clone(),
                    token_member: token_member.to_string(),
                }
            }
            _ if has(fields, "next_page_uri")? => PageStyle::FlatNextPageUri,
            _ => return Ok(None),
        };
        Ok(Some(Pagination {
            items_field: items.wire_name.clone(),
            item: (**item).clone(),
            style,
            page_size: page_size(params),
        }))
    }

    /// The fields of a struct model, if `ty` names one.
    fn struct_fields(&self, ty: &Type) -> Option<&[Field]> {
        let Type::Model { module, name } = ty else {
            return None;
        };
        match &self.models.get(module)?.get(name)?.kind {
            ModelKind::Struct { fields } => Some(fields),
            ModelKind::Enum { .. } | ModelKind::OneOf { .. } => None,
        }
    }
}

/// The list's integer `PageSize` query parameter, with the largest value its
/// `maximum` allows (an exclusive bound is one less).
fn page_size(params: &[Param]) -> Option<PageSize> {
    let p = params.iter().find(|p| {
        p.location == Location::Query
            && p.wire_name == PAGE_SIZE_PARAM
            && matches!(p.ty, Type::I32 | Type::I64)
    })?;
    let spec_max = p.constraints.maximum.as_ref().and_then(|b| {
        let v: i64 = b.value.parse().ok()?;
        Some(if b.exclusive { v - 1 } else { v })
    });
    Some(PageSize {
        wire_name: p.wire_name.clone(),
        max: spec_max.unwrap_or(TWILIO_MAX_PAGE_SIZE),
    })
}
