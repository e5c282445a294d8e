//! Request types callers build, run by `cargo xtask test` inside the crate
//! generated from `codegen/tests/fixtures/request_bodies.json`. This file is
//! another crate: every body below is built only through the constructors and
//! setters the generator emits (the structs are `#[non_exhaustive]`), and the
//! JSON or form that reaches a wiremock server is asserted, member by member.

use fixture_request_bodies::runtime::RetryPolicy;
use fixture_request_bodies::test_v1::models::{
    AppleTypingIndicatorRequest, AppleTypingIndicatorRequestChannel,
    AppleTypingIndicatorRequestEvent, Contact, CreateProfileBody, Gift, LineItem,
    TypingIndicatorRequest, WhatsAppTypingIndicatorRequest,
    WhatsAppTypingIndicatorRequestChannel,
};
use fixture_request_bodies::{Client, Credentials, Error};
use fixture_request_bodies::prelude::*;
use serde_json::json;
use wiremock::matchers::{body_json, body_string, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(base: &str) -> Client {
    Client::builder(Credentials::auth_token("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "t"))
        .base_url(base)
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap()
}

async fn expect(server: &MockServer, m: &str, p: &str, matcher: impl wiremock::Match + 'static) {
    Mock::given(method(m))
        .and(path(p))
        .and(matcher)
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn one_of_body_sends_the_chosen_alternative() -> Result<(), Error> {
    let server = MockServer::start().await;
    let p = "/v1/Indicators/Typing.json";
    expect(&server, "POST", p, body_json(json!({"channel": "WHATSAPP", "messageId": "SM0123456789abcdef0123456789abcdef"}))).await;
    expect(&server, "POST", p, body_json(json!({"channel": "APPLE", "from": "apple:biz", "to": "apple:urn:mbid:x", "event": "END"}))).await;
    let c = client(&server.uri());
    let whatsapp = WhatsAppTypingIndicatorRequest::new(
        WhatsAppTypingIndicatorRequestChannel::Whatsapp,
        // A SID member takes the validated type: parsed (and checked) by the caller.
        "SM0123456789abcdef0123456789abcdef".parse().unwrap(),
    );
    let r = c
        .test_v1()
        .typing_indicator()
        .create(TypingIndicatorRequest::WhatsAppTypingIndicatorRequest(whatsapp))
        .send()
        .await?;
    assert_eq!(r.ok, Some(true));
    let apple = AppleTypingIndicatorRequest::new(
        AppleTypingIndicatorRequestChannel::Apple,
        "apple:biz",
        "apple:urn:mbid:x",
    )
    .event(AppleTypingIndicatorRequestEvent::End);
    c.test_v1()
        .typing_indicator()
        .create(TypingIndicatorRequest::AppleTypingIndicatorRequest(apple))
        .send()
        .await?;
    Ok(())
}

/// The discriminator is the alternative's, whatever the struct's public field
/// holds: another alternative's tag or an unknown one is replaced on the wire.
#[tokio::test]
async fn one_of_body_is_sent_with_its_alternatives_own_tag() -> Result<(), Error> {
    let server = MockServer::start().await;
    let p = "/v1/Indicators/Typing.json";
    expect(&server, "POST", p, body_json(json!({"channel": "WHATSAPP", "messageId": "SM0123456789abcdef0123456789abcdef"}))).await;
    expect(&server, "POST", p, body_json(json!({"channel": "APPLE", "from": "apple:biz", "to": "apple:urn:mbid:x"}))).await;
    let c = client(&server.uri());
    let whatsapp = WhatsAppTypingIndicatorRequest::new(
        WhatsAppTypingIndicatorRequestChannel::Other("APPLE".into()),
        "SM0123456789abcdef0123456789abcdef".parse().unwrap(),
    );
    c.test_v1()
        .typing_indicator()
        .create(TypingIndicatorRequest::WhatsAppTypingIndicatorRequest(whatsapp))
        .send()
        .await?;
    let mut apple = AppleTypingIndicatorRequest::new(
        AppleTypingIndicatorRequestChannel::Other("WHATSAPP".into()),
        "apple:biz",
        "apple:urn:mbid:x",
    );
    // The field is public: set after construction, it is replaced all the same.
    apple.channel = AppleTypingIndicatorRequestChannel::Other("unknown".into());
    c.test_v1()
        .typing_indicator()
        .create(TypingIndicatorRequest::AppleTypingIndicatorRequest(apple))
        .send()
        .await?;
    Ok(())
}

#[tokio::test]
async fn all_of_body_is_one_struct_and_unset_members_are_not_sent() -> Result<(), Error> {
    let server = MockServer::start().await;
    expect(&server, "POST", "/v1/Profiles", body_json(json!({"email": "a@example.com", "Name": "Ann", "Age": 42, "tags": ["x"]}))).await;
    let c = client(&server.uri());
    let body = CreateProfileBody::new("a@example.com", "Ann").age(42).tags(vec!["x".into()]);
    c.test_v1().profiles().create().body(body).send().await?;
    Ok(())
}

#[tokio::test]
async fn nested_request_objects_are_built_with_new_and_setters() -> Result<(), Error> {
    let server = MockServer::start().await;
    expect(
        &server,
        "POST",
        "/v1/Orders",
        body_json(json!({
            "address": {"email": "a@example.com", "phone": "+15005550006"},
            "items": [
                {"sku": "A-1", "quantity": 2},
                {"sku": "B-2", "quantity": 1, "price": 9.5, "gift": {"deliver_on": "2024-07-31", "message": "hi", "wrap": true}}
            ],
            "note": "leave at door"
        })),
    )
    .await;
    let c = client(&server.uri());
    let address = Contact::new("a@example.com").phone("+15005550006");
    let day = time::Date::from_calendar_date(2024, time::Month::July, 31).unwrap();
    let gift = Gift::new(day).message("hi").wrap(true);
    let items = vec![
        LineItem::new("A-1", 2),
        LineItem::new("B-2", 1).price(9.5).gift(gift),
    ];
    c.test_v1()
        .orders()
        .create(address, items)
        .note("leave at door")
        .send()
        .await?;
    Ok(())
}

#[tokio::test]
async fn collapsible_maps_go_as_prefixed_pairs() -> Result<(), Error> {
    let server = MockServer::start().await;
    let p = "/v1/PhoneNumbers/+15005550006";
    Mock::given(method("GET"))
        .and(path(p))
        .and(query_param("AddOns", "whitepages"))
        .and(query_param("AddOns.whitepages.mode", "full"))
        .and(query_param("AddOns.whitepages.depth", "2"))
        .and(query_param("AddOns.nomorobo", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .expect(1)
        .mount(&server)
        .await;
    expect(&server, "POST", p, body_string("Label.team.name=blue&Label.vip=true&FriendlyName=x")).await;
    let c = client(&server.uri());
    let data = serde_json::from_value(json!({"whitepages": {"mode": "full", "depth": 2}, "nomorobo": true})).unwrap();
    // The derived names: no operationId in the spec.
    c.test_v1()
        .phone_numbers()
        .fetch("+15005550006")
        .add_ons(vec!["whitepages".to_string()])
        .add_ons_data(data)
        .send()
        .await?;
    // No member is sent under the parameter's own name.
    let sent = &server.received_requests().await.unwrap()[0];
    assert!(!sent.url.query().unwrap_or("").contains("AddOnsData"), "{}", sent.url);
    let labels = serde_json::from_value(json!({"team": {"name": "blue"}, "vip": true})).unwrap();
    c.test_v1()
        .phone_numbers()
        .update("+15005550006")
        .labels(labels)
        .friendly_name("x")
        .send()
        .await?;
    Ok(())
}

#[tokio::test]
async fn number_with_an_integer_format_is_a_checked_integer() {
    // Nothing listens here: a request that got past the check would fail to connect.
    let c = client("http://127.0.0.1:9");
    let r = c.test_v1().phone_numbers().fetch("+15005550006").limit(11).send().await;
    match r {
        Err(Error::InvalidArgument { param, .. }) => assert_eq!(param, "Limit"),
        other => panic!("expected InvalidArgument, got {other:?}"),
    }
}
