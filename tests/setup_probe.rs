//! The setup wizard's live tests over the real clients, against both simulators.

use secrecy::SecretString;
use shoptet_raynet_sync::front::dashboard::ClientProbe;
use shoptet_raynet_sync::http::RetryPolicy;
use shoptet_raynet_sync::sim::raynet::{self, RaynetSim};
use shoptet_raynet_sync::sim::shoptet::{DEMO_ADDON_OAUTH_TOKEN, ShoptetSim};
use shoptet_raynet_sync::tui::SetupProbe;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probes_show_the_shop_and_the_crm_in_both_auth_modes() {
    let shop = ShoptetSim::demo();
    let crm = RaynetSim::demo();
    let s = shop.start(0).await.unwrap();
    let r = crm.start(0).await.unwrap();
    let probe = ClientProbe::new(RetryPolicy::fast());

    let facts =
        probe.test_shoptet(s.url.clone(), SecretString::from(shop.token().to_string()), None).await.unwrap();
    assert_eq!(facts.eshop_id, 312457);
    assert_eq!(facts.default_currency, "CZK");
    assert!(facts.statuses.iter().any(|c| c.id == -3), "{:?}", facts.statuses);

    let addon = probe
        .test_shoptet(
            s.url.clone(),
            SecretString::from(DEMO_ADDON_OAUTH_TOKEN.to_string()),
            Some(s.url.clone()),
        )
        .await
        .expect("addon mode exchanges the OAuth token at the e-shop");
    assert_eq!(addon.eshop_id, 312457);

    let wrong =
        probe.test_shoptet(s.url.clone(), SecretString::from("nope".to_string()), None).await.unwrap_err();
    assert!(wrong.contains("401"), "readable reason: {wrong}");
    assert!(!wrong.contains("nope"), "never echoes the token: {wrong}");

    let crm_facts = probe
        .test_raynet(
            raynet::base_url(&r),
            crm.instance().into(),
            crm.username().into(),
            SecretString::from(crm.api_key().to_string()),
        )
        .await
        .unwrap();
    let mut owners: Vec<i64> = crm_facts.users.iter().map(|u| u.id).collect();
    owners.sort();
    assert_eq!(owners, vec![12, 15], "users are offered by their PERSON id");
    assert!(crm_facts.phases.iter().any(|p| p.label == "Nový"));
    assert!(crm_facts.currencies.iter().any(|c| c == "EUR"));
}
