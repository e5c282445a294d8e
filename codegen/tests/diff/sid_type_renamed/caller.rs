//! Written against old.json: names the SID type `ThingSid`, which the new crate
//! calls `WidgetSid` (same prefix). The diff says major, so this must not compile.
use api::prelude::*;
pub async fn call(client: &api::Client) -> Result<(), api::Error> {
    let sid = api::sids::ThingSid::parse("THaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").expect("valid");
    client.test_v1().things().fetch(sid).send().await?;
    Ok(())
}
