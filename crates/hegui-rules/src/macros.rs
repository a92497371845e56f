/// Declare a rule: its doc comment (kept as [`RuleMeta::doc`](crate::RuleMeta)) and metadata.
///
/// ```text
/// declare_rule! {
///     /// ## 检测内容 / What it detects
///     /// ...
///     pub struct MyRule {
///         code: "AND999",
///         name: "my-rule",
///         title: ("中文标题", "English title"),
///         severity: Medium,
///         cites: ["MIIT164-05"],
///         needs: [AndroidStatic],
///         fix: ("中文整改建议", "How to fix"),
///         since: "0.1.0",
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:expr])*
        pub struct $name:ident {
            code: $code:literal,
            name: $slug:literal,
            title: ($title_zh:literal, $title_en:literal),
            severity: $severity:ident,
            cites: [$($cite:literal),* $(,)?],
            needs: [$($need:ident),* $(,)?],
            fix: ($fix_zh:literal, $fix_en:literal),
            since: $since:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $name {
            pub const META: $crate::RuleMeta = $crate::RuleMeta {
                code: $code,
                name: $slug,
                title_zh: $title_zh,
                title_en: $title_en,
                severity: hegui_model::Severity::$severity,
                cites: &[$($cite),*],
                needs: &[$($crate::Source::$need),*],
                fix_zh: $fix_zh,
                fix_en: $fix_en,
                status: $crate::RuleStatus::Stable { since: $since },
                doc: concat!($($doc, "\n"),*),
            };
        }
    };
}
