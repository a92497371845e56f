use std::collections::BTreeSet;

use hegui_knowledge::permission_info;
use hegui_model::{Confidence, ListingFacts, Party, PiCategory, Severity};

use super::listing_evidence;
use crate::rules::android::manifest_evidence;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 上架信息展示的权限与安装包实际申请的不一致：安装包申请了危险权限，上架信息却没有列出
    /// （按权限名或所打开的信息类别比对）；或上架信息列出的权限安装包并未申请（提示级）。
    ///
    /// The permissions the listing shows differ from the package's: the package requests a
    /// dangerous permission the listing does not show (matched by name, or by the kind of
    /// information it opens when the listing gives labels), or the listing shows a permission
    /// the package does not request (info).
    ///
    /// ## 为何违规 / Why it matters
    /// 164 号文第 9 项要求分发平台如实明示权限；上架信息与安装包不符，用户据以决定是否下载的信息
    /// 就是错的。T/TAF 078.6 §3.1 要求权限列表与应用一致。
    ///
    /// Notice 164 item 9 requires the listing to show the permissions truthfully; a listing
    /// that differs from the package misleads the user who decides to install from it.
    ///
    /// ## 示例 / Example
    /// 清单申请 `ACCESS_FINE_LOCATION`，上架信息只列出“相机”。
    ///
    /// The manifest requests `ACCESS_FINE_LOCATION`; the listing shows only 相机 (camera).
    ///
    /// ## 整改建议 / How to fix
    /// 按提交上架的安装包更新权限列表；删除安装包中不需要的权限。
    ///
    /// Update the listing from the package submitted; drop permissions the app does not need.
    ///
    /// ## 依据 / References
    /// MIIT164-09, TTAF078.6-3.1
    pub struct PermissionsDiffer {
        code: "STO003",
        name: "listing-permissions-differ",
        title: ("上架信息的权限与安装包不符", "Listed permissions differ from the package's"),
        severity: Medium,
        cites: ["MIIT164-09", "TTAF078.6-3.1"],
        needs: [Listing, AndroidManifest],
        fix: (
            "按提交上架的安装包更新上架页面的权限列表。",
            "Update the listing's permission list from the package submitted."
        ),
        since: "0.6.0",
    }
}

impl PermissionsDiffer {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let (Some(listing), Some(android)) = (ctx.listing(), ctx.android()) else {
            return;
        };
        // No list at all is STO001's finding, not a list that differs.
        if !listing.permissions_shown {
            return;
        }
        let listed_names: BTreeSet<&str> = listing
            .permissions
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        let listed_categories = listed_categories(listing);
        for name in &android.permissions {
            let Some(info) = permission_info(name).filter(|i| i.level == "dangerous") else {
                continue;
            };
            let by_label = !info.categories.is_empty()
                && info
                    .categories
                    .iter()
                    .all(|c| listed_categories.contains(c));
            if listed_names.contains(name.as_str()) || by_label {
                continue;
            }
            out.push(
                Violation::new(
                    format!("安装包申请了危险权限 {name}，上架信息没有列出。"),
                    format!("The package requests the dangerous permission {name}; the listing does not show it."),
                    Party::App,
                    format!("unlisted:{name}"),
                )
                .evidence([
                    manifest_evidence("manifest/uses-permission", name, None),
                    listing_evidence(listing, "permissions", None),
                ]),
            );
        }
        let requested: BTreeSet<&str> = android.permissions.iter().map(String::as_str).collect();
        for p in &listing.permissions {
            // Labels cannot be checked by name; only listed permission names are.
            if !p.name.contains("permission.") || requested.contains(p.name.as_str()) {
                continue;
            }
            out.push(
                Violation::new(
                    format!("上架信息列出了权限 {}，但安装包没有申请。", p.name),
                    format!(
                        "The listing shows {}, which the package does not request.",
                        p.name
                    ),
                    Party::App,
                    format!("not-requested:{}", p.name),
                )
                .severity(Severity::Info)
                .confidence(Confidence::Medium)
                .evidence([listing_evidence(
                    listing,
                    "permissions",
                    Some(&p.name),
                )]),
            );
        }
    }
}

/// PI categories the listed permissions open, by name or by label.
fn listed_categories(listing: &ListingFacts) -> BTreeSet<PiCategory> {
    listing
        .permissions
        .iter()
        .flat_map(|p| p.categories.iter().copied())
        .collect()
}

#[cfg(test)]
mod tests {
    use hegui_model::{Facts, ListedPermission};

    use super::*;
    use crate::testing::{android, listing, run_facts_pub};

    fn run(permissions: &[&str], listed: Vec<ListedPermission>) -> Vec<(String, Severity)> {
        let mut a = android();
        a.permissions = permissions.iter().map(|p| p.to_string()).collect();
        let mut l = listing();
        l.permissions = listed;
        let facts = Facts {
            android: Some(a),
            listing: Some(l),
            ..Facts::default()
        };
        run_facts_pub(&PermissionsDiffer::META, PermissionsDiffer::check, &facts)
            .findings
            .into_iter()
            .map(|f| (f.message.en, f.severity))
            .collect()
    }

    fn listed(name: &str, categories: Vec<PiCategory>) -> ListedPermission {
        ListedPermission {
            name: name.into(),
            purpose: Some("用途".into()),
            categories,
        }
    }

    #[test]
    fn unlisted_dangerous_permission() {
        let found = run(
            &[
                "android.permission.CAMERA",
                "android.permission.ACCESS_FINE_LOCATION",
                "android.permission.INTERNET",
            ],
            vec![listed(
                "android.permission.CAMERA",
                vec![PiCategory::Camera],
            )],
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].0.contains("ACCESS_FINE_LOCATION"));
    }

    #[test]
    fn label_covers_by_category_and_extra_name_is_info() {
        let found = run(
            &["android.permission.ACCESS_FINE_LOCATION"],
            vec![
                listed("位置信息", vec![PiCategory::Location]),
                listed(
                    "android.permission.READ_CONTACTS",
                    vec![PiCategory::Contacts],
                ),
            ],
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].0.contains("READ_CONTACTS"));
        assert_eq!(found[0].1, Severity::Info);
    }
}
