//! `STO`: rules over an app's store listing (what the distribution platform shows users),
//! alone and against the package.

pub mod developer_missing;
pub mod permissions_differ;
pub mod permissions_not_shown;
pub mod pi_differs;

use hegui_model::{Evidence, ListingFacts};

/// Evidence at a field of the listing; `value` none = the field is missing.
pub(crate) fn listing_evidence(
    listing: &ListingFacts,
    field: &str,
    value: Option<&str>,
) -> Evidence {
    Evidence::Listing {
        source: listing.source.clone(),
        store: listing.store.clone(),
        field: field.to_string(),
        value: value.map(str::to_string),
    }
}
