//! The regulation catalogue: clause ids that findings cite.

use std::collections::HashMap;
use std::sync::OnceLock;

use hegui_model::PiCategory;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Clause {
    pub id: String,
    pub source: String,
    #[serde(rename = "ref")]
    pub reference: String,
    pub zh: String,
    pub en: String,
    pub channels: Vec<String>,
    pub automation: String,
    /// `app`, `sdk`, `mini_program`, `distribution_platform`.
    #[serde(default)]
    pub applies_to: Vec<String>,
}

impl Clause {
    pub fn applies_to(&self, target: &str) -> bool {
        self.applies_to.iter().any(|a| a == target)
    }
}

/// One of the 39 app types of the 2021 rules on necessary PI (常见类型移动互联网应用程序
/// 必要个人信息范围规定) and the PI its basic function needs.
#[derive(Debug, Clone, Deserialize)]
pub struct AppType {
    pub no: u32,
    /// `网上购物类`.
    pub app_type: String,
    pub app_type_en: String,
    pub basic_function: String,
    /// The regulation's own words.
    pub necessary_pi: Vec<String>,
    /// The basic function needs no PI at all.
    pub no_pi_needed: bool,
    /// Keyword normalisation of `necessary_pi` (not part of the regulation).
    pub pi_tags: Vec<String>,
}

impl AppType {
    /// The PI categories the basic function needs.
    pub fn necessary_categories(&self) -> Vec<PiCategory> {
        use PiCategory::*;
        let mut out: Vec<PiCategory> = self
            .pi_tags
            .iter()
            .filter_map(|t| {
                Some(match t.as_str() {
                    "location" | "trajectory" | "trip_origin_destination" | "travel_itinerary" => {
                        Location
                    }
                    "phone_number" => PhoneNumber,
                    "payment_record" | "bank_card_number" | "financial_account" | "payee_info"
                    | "property_info" | "seat_info" | "hotel_booking" | "event_ticket"
                    | "parcel_info" => Payment,
                    "account" | "im_contact_list" => Accounts,
                    "name"
                    | "id_document_number"
                    | "id_document_expiry"
                    | "id_document_image"
                    | "driver_license"
                    | "vehicle_identification"
                    | "vehicle_registration"
                    | "license_plate"
                    | "passenger_type" => Identity,
                    "address" | "age" | "gender" | "marital_status" | "resume" => Profile,
                    "health_condition" | "medical_appointment" => Health,
                    _ => return None,
                })
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

/// The 39 app types.
pub fn app_types() -> &'static [AppType] {
    &table().2
}

/// An app type by number (`6`), Chinese name (`网上购物类`, `网上购物`) or English name
/// (`Online shopping`, any case).
pub fn app_type(key: &str) -> Option<&'static AppType> {
    let key = key.trim();
    app_types().iter().find(|t| {
        key.parse::<u32>().ok() == Some(t.no)
            || t.app_type == key
            || t.app_type.trim_end_matches('类') == key
            || t.app_type_en.eq_ignore_ascii_case(key)
    })
}

#[derive(Debug, Default, Deserialize)]
struct Catalogue {
    clauses: Vec<Clause>,
    #[serde(default)]
    necessary_pi: Vec<AppType>,
}

type Tables = (Vec<Clause>, HashMap<String, usize>, Vec<AppType>);

fn table() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let c: Catalogue = crate::load("catalogue", include_str!("../data/catalogue.json"));
        let index = c
            .clauses
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        (c.clauses, index, c.necessary_pi)
    })
}

pub fn catalogue() -> &'static [Clause] {
    &table().0
}

pub fn clause(id: &str) -> Option<&'static Clause> {
    let (all, index, _) = table();
    index.get(id).and_then(|&i| all.get(i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_types_by_number_and_name() {
        assert_eq!(app_types().len(), 39);
        let shop = app_type("6").expect("by number");
        assert_eq!(shop.app_type, "网上购物类");
        assert_eq!(app_type("网上购物").map(|t| t.no), Some(6));
        assert_eq!(app_type("online SHOPPING").map(|t| t.no), Some(6));
        assert!(app_type("40").is_none() && app_type("").is_none());
        assert_eq!(
            shop.necessary_categories(),
            [
                PiCategory::PhoneNumber,
                PiCategory::Identity,
                PiCategory::Payment,
                PiCategory::Profile
            ]
        );
        // Types whose basic function needs no PI have no categories at all.
        assert!(
            app_types()
                .iter()
                .filter(|t| t.no_pi_needed)
                .all(|t| t.necessary_categories().is_empty())
        );
    }
}
