//! Written against old.json: names every kind of item the generated crate has
//! (resource modules and handles, builders, SID types, models, fields, enum
//! variants), as a caller would. An additive update must leave all of it in place.
use api::prelude::*;
use api::sids::{ServiceSid, ThingSid};
use api::test_v1::models::{Thing, ThingEnumColor};
use api::test_v1::gadgets::{GadgetsResource, ListServiceGadget};
use api::test_v1::things::{CreateThing, FetchThing, ListThing, ThingsResource, UpdateThing};

pub fn builders(things: &ThingsResource, sid: &ThingSid) -> (CreateThing, FetchThing, ListThing, UpdateThing) {
    (
        things.create("a thing").color(ThingEnumColor::Red),
        things.fetch(sid),
        things.list().page_size(10),
        things.update(sid),
    )
}

pub fn gadgets(client: &api::Client, service: &ServiceSid) -> ListServiceGadget {
    let resource: GadgetsResource = client.test_v1().gadgets(service);
    resource.list().page_size(10)
}

pub fn describe(thing: &Thing) -> String {
    format!(
        "{:?} {:?} {:?} {:?}",
        thing.sid, thing.friendly_name, thing.color, thing.created_date
    )
}
