use hegui_model::Party;

use super::listing_evidence;
use crate::{Context, Findings, Violation, declare_rule};

declare_rule! {
    /// ## 检测内容 / What it detects
    /// 应用商店的上架页面没有展示权限列表，或列出的权限没有说明用途。
    ///
    /// The store listing shows no permission list, or lists permissions without saying what
    /// each is used for.
    ///
    /// ## 为何违规 / Why it matters
    /// 工信部 164 号文第 9 项“应用分发平台上的 APP 信息明示不到位”要求分发平台明示应用申请的权限及其
    /// 用途；T/TAF 078.6 §3.1 把权限列表和用途列为上架页面的必备信息。用户在下载前就应知道应用会要什么。
    ///
    /// Notice 164 item 9 requires distribution platforms to show an app's permissions and
    /// their purposes; T/TAF 078.6 §3.1 lists them among what a store page must show. Users
    /// should know what an app will ask for before they install it.
    ///
    /// ## 示例 / Example
    /// 商店数据中没有 `permissions` 字段；或 `{"name": "android.permission.CAMERA"}` 没有 `purpose`。
    ///
    /// The feed line has no `permissions` field, or lists `android.permission.CAMERA` with no
    /// `purpose`.
    ///
    /// ## 整改建议 / How to fix
    /// 在上架信息中逐项列出应用申请的权限，并用用户能理解的话说明每项权限的用途。
    ///
    /// List every permission the app requests on the store page, each with its purpose in
    /// plain words.
    ///
    /// ## 依据 / References
    /// MIIT164-09, TTAF078.6-3.1
    pub struct PermissionsNotShown {
        code: "STO001",
        name: "listing-permissions-not-shown",
        title: ("上架页面未展示权限及用途", "Store listing does not show permissions and their purposes"),
        severity: Medium,
        cites: ["MIIT164-09", "TTAF078.6-3.1"],
        needs: [Listing],
        fix: (
            "在上架信息中逐项列出申请的权限及其用途。",
            "List each permission the app requests on the store page, with its purpose."
        ),
        since: "0.6.0",
    }
}

impl PermissionsNotShown {
    pub fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(listing) = ctx.listing() else { return };
        if !listing.permissions_shown {
            out.push(
                Violation::new(
                    format!("{}的上架信息没有展示权限列表。", listing.store),
                    format!("The listing on {} shows no permission list.", listing.store),
                    Party::App,
                    "permissions",
                )
                .evidence([listing_evidence(listing, "permissions", None)]),
            );
            return;
        }
        for p in &listing.permissions {
            if p.purpose.as_deref().is_some_and(|s| !s.trim().is_empty()) {
                continue;
            }
            out.push(
                Violation::new(
                    format!("上架信息列出了权限“{}”，但没有说明用途。", p.name),
                    format!(
                        "The listing shows the permission \"{}\" without its purpose.",
                        p.name
                    ),
                    Party::App,
                    format!("purpose:{}", p.name),
                )
                .evidence([listing_evidence(
                    listing,
                    "permissions.purpose",
                    Some(&p.name),
                )]),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use hegui_model::{Facts, ListedPermission};

    use super::*;
    use crate::testing::{listing, run_facts_pub};

    fn run(l: hegui_model::ListingFacts) -> Vec<String> {
        let facts = Facts {
            listing: Some(l),
            ..Facts::default()
        };
        run_facts_pub(
            &PermissionsNotShown::META,
            PermissionsNotShown::check,
            &facts,
        )
        .findings
        .into_iter()
        .map(|f| f.message.en)
        .collect()
    }

    #[test]
    fn missing_list_and_missing_purposes() {
        let mut l = listing();
        l.permissions_shown = false;
        l.permissions.clear();
        assert_eq!(run(l.clone()).len(), 1);

        l.permissions_shown = true;
        l.permissions = vec![
            ListedPermission {
                name: "android.permission.CAMERA".into(),
                purpose: Some("扫码".into()),
                categories: vec![],
            },
            ListedPermission {
                name: "位置".into(),
                purpose: Some("  ".into()),
                categories: vec![],
            },
        ];
        let found = run(l);
        assert_eq!(found.len(), 1);
        assert!(found[0].contains("位置"), "{found:?}");
    }

    #[test]
    fn complete_listing_passes() {
        assert!(run(listing()).is_empty());
    }
}
