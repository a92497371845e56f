//! Who sees what, as SQL: every query of tenant data goes through these predicates, so
//! scoping is done by the database, server-side, the same way everywhere.
//!
//! - the ministry sees everything;
//! - a provincial bureau sees what organisations of its province own or submitted;
//! - an enterprise, lab or store sees the apps it owns and what it submitted itself (a
//!   store's listings come in as its own submissions).
//!
//! A version is visible when its app's owner is in the caller's set of organisations, or
//! when an organisation of that set submitted its package. An app is visible when one of
//! its versions is, or when it owns it.

use crate::auth::Caller;
use crate::sql::Sql;

/// `(… ids of the organisations whose data the caller may see …)`, or none for the ministry.
pub(crate) fn org_set(caller: &Caller, q: &mut Sql) {
    match (caller.org_kind.as_str(), &caller.province) {
        ("bureau", Some(province)) => {
            q.push("(SELECT id FROM orgs WHERE province = ")
                .text(province)
                .push(" OR id = ")
                .int(caller.org_id)
                .push(")");
        }
        _ => {
            q.push("(").int(caller.org_id).push(")");
        }
    }
}

/// Appends a condition true for the versions (alias `alias`) the caller may see.
pub fn version_visible(caller: &Caller, alias: &str, q: &mut Sql) {
    if caller.sees_everything() {
        q.push("1 = 1");
        return;
    }
    q.push(&format!(
        "(EXISTS (SELECT 1 FROM apps sa WHERE sa.id = {alias}.app_id AND sa.owner_org_id IN "
    ));
    org_set(caller, q);
    q.push(&format!(
        ") OR EXISTS (SELECT 1 FROM scans ss JOIN analyses sn ON sn.id = ss.analysis_id \
         WHERE sn.artifact_sha256 = {alias}.artifact_sha256 AND ss.org_id IN "
    ));
    org_set(caller, q);
    q.push("))");
}

/// Appends a condition true for the apps (alias `alias`) the caller may see.
pub fn app_visible(caller: &Caller, alias: &str, q: &mut Sql) {
    if caller.sees_everything() {
        q.push("1 = 1");
        return;
    }
    q.push(&format!("({alias}.owner_org_id IN "));
    org_set(caller, q);
    q.push(&format!(
        " OR EXISTS (SELECT 1 FROM versions sv WHERE sv.app_id = {alias}.id AND "
    ));
    version_visible(caller, "sv", q);
    q.push("))");
}

/// Whether the caller may act on an organisation's behalf (assign it apps, add its users):
/// the ministry on any; a bureau on its province's; others on their own.
pub fn may_manage_org(caller: &Caller, org_id: i64, org_province: Option<&str>) -> bool {
    caller.sees_everything()
        || caller.org_id == org_id
        || (caller.org_kind == "bureau"
            && caller.province.is_some()
            && caller.province.as_deref() == org_province)
}

/// Appends a condition true for the scans (alias `alias`) the caller may see: those its
/// set of organisations submitted.
pub fn scan_visible(caller: &Caller, alias: &str, q: &mut Sql) {
    if caller.sees_everything() {
        q.push("1 = 1");
        return;
    }
    q.push(&format!("{alias}.org_id IN "));
    org_set(caller, q);
}

/// Appends a condition true for the cases (alias `alias`) the caller may see: those its
/// set of organisations opened, and those on apps it owns.
pub fn case_visible(caller: &Caller, alias: &str, q: &mut Sql) {
    if caller.sees_everything() {
        q.push("1 = 1");
        return;
    }
    q.push(&format!("({alias}.opened_by_org IN "));
    org_set(caller, q);
    q.push(&format!(
        " OR EXISTS (SELECT 1 FROM apps ca WHERE ca.id = {alias}.app_id AND ca.owner_org_id IN "
    ));
    org_set(caller, q);
    q.push("))");
}
