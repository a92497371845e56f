//! `cargo run -p xtask -- <task>`:
//! - `layering`: fail when a crate depends on one it must not (see `ALLOWED`).
//! - `docs [--check]`: write (or check) docs/rules/*.md and docs/schema/hegui-report-1.json
//!   from the code.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use serde_json::Value;

/// Which workspace crates each crate may depend on (normal dependencies). The arrows point
/// one way: format readers and the model know nobody; extractors know readers, model and
/// knowledge; rules know model and knowledge only; reports know the model; the pipeline
/// knows everything below it; the binary sits on top.
const ALLOWED: &[(&str, &[&str])] = &[
    ("hegui-model", &[]),
    ("hegui-archive", &[]),
    ("hegui-dex", &[]),
    ("hegui-axml", &[]),
    ("hegui-knowledge", &["hegui-model"]),
    (
        "hegui-android",
        &[
            "hegui-model",
            "hegui-knowledge",
            "hegui-archive",
            "hegui-dex",
            "hegui-axml",
        ],
    ),
    (
        "hegui-ios",
        &["hegui-model", "hegui-knowledge", "hegui-archive"],
    ),
    (
        "hegui-miniprogram",
        &["hegui-model", "hegui-knowledge", "hegui-archive"],
    ),
    ("hegui-mpsandbox", &["hegui-model", "hegui-knowledge"]),
    ("hegui-policy", &["hegui-model", "hegui-knowledge"]),
    (
        "hegui-trace",
        &["hegui-model", "hegui-knowledge", "hegui-archive"],
    ),
    ("hegui-calendar", &[]),
    (
        "hegui-platform",
        &[
            "hegui-model",
            "hegui-knowledge",
            "hegui-report",
            "hegui-scan",
            "hegui-calendar",
        ],
    ),
    ("hegui-rules", &["hegui-model", "hegui-knowledge"]),
    ("hegui-report", &["hegui-model"]),
    (
        "hegui-scan",
        &[
            "hegui-model",
            "hegui-knowledge",
            "hegui-archive",
            "hegui-dex",
            "hegui-axml",
            "hegui-ios",
            "hegui-miniprogram",
            "hegui-mpsandbox",
            "hegui-policy",
            "hegui-trace",
            "hegui-android",
            "hegui-rules",
            "hegui-report",
        ],
    ),
    (
        "hegui",
        &[
            "hegui-model",
            "hegui-knowledge",
            "hegui-archive",
            "hegui-rules",
            "hegui-report",
            "hegui-scan",
            "hegui-policy",
            "hegui-trace",
            "hegui-calendar",
            "hegui-platform",
        ],
    ),
    ("xtask", &["hegui-rules", "hegui-report", "hegui-knowledge"]),
];

/// Heavy server-side crates the engine must never pull in, even transitively.
const SERVER_ONLY: &[&str] = &[
    "tokio", "sqlx", "rustls", "hyper", "axum", "reqwest", "openssl",
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("layering") => layering(),
        Some("docs") => docs(args.iter().any(|a| a == "--check")),
        _ => Err("usage: cargo run -p xtask -- layering | docs [--check]".to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn layering() -> Result<(), String> {
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(root())
        .output()
        .map_err(|e| format!("cargo metadata: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let meta: Value = serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())?;
    let members: Vec<&str> = meta["workspace_members"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let packages = meta["packages"].as_array().ok_or("no packages")?;
    let name_of: BTreeMap<&str, &str> = packages
        .iter()
        .filter_map(|p| Some((p["id"].as_str()?, p["name"].as_str()?)))
        .collect();
    let mut problems = Vec::new();
    for id in &members {
        let name = name_of.get(id).copied().unwrap_or("?");
        let Some((_, allowed)) = ALLOWED.iter().find(|(n, _)| *n == name) else {
            problems.push(format!(
                "{name}: not in xtask's layering table; add it with the crates it may use"
            ));
            continue;
        };
        let pkg = packages
            .iter()
            .find(|p| p["id"].as_str() == Some(id))
            .ok_or("member not found")?;
        for dep in pkg["dependencies"].as_array().into_iter().flatten() {
            let dep_name = dep["name"].as_str().unwrap_or("");
            let normal = dep["kind"].is_null();
            if normal
                && (dep_name.starts_with("hegui") || dep_name == "xtask")
                && !allowed.contains(&dep_name)
            {
                problems.push(format!("{name} must not depend on {dep_name}"));
            }
        }
    }
    // Transitive check: no engine crate reaches a server-only crate.
    let nodes = meta["resolve"]["nodes"]
        .as_array()
        .ok_or("no resolve graph")?;
    let deps_of: BTreeMap<&str, Vec<&str>> = nodes
        .iter()
        .filter_map(|n| {
            let id = n["id"].as_str()?;
            let deps = n["deps"]
                .as_array()?
                .iter()
                .filter(|d| {
                    d["dep_kinds"]
                        .as_array()
                        .is_some_and(|k| k.iter().any(|k| k["kind"].is_null()))
                })
                .filter_map(|d| d["pkg"].as_str())
                .collect();
            Some((id, deps))
        })
        .collect();
    for id in &members {
        let name = name_of.get(id).copied().unwrap_or("?");
        // The platform is the server; the binary carries it behind its default `platform`
        // feature. The engine below them stays free of server crates.
        if name == "hegui-platform" || name == "hegui" {
            continue;
        }
        let mut stack = vec![*id];
        let mut seen = std::collections::BTreeSet::new();
        while let Some(current) = stack.pop() {
            if !seen.insert(current) {
                continue;
            }
            let dep_name = name_of.get(current).copied().unwrap_or("");
            if SERVER_ONLY.contains(&dep_name) {
                problems.push(format!("{name} pulls in server-only crate {dep_name}"));
            }
            stack.extend(deps_of.get(current).into_iter().flatten().copied());
        }
    }
    if problems.is_empty() {
        println!(
            "layering: {} workspace crates follow the dependency rules",
            members.len()
        );
        Ok(())
    } else {
        Err(format!("layering violations:\n  {}", problems.join("\n  ")))
    }
}

/// The rule doc comment without the one space rustdoc keeps after `///`.
fn doc_text(doc: &str) -> String {
    doc.lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

fn generated() -> BTreeMap<PathBuf, String> {
    let mut files = BTreeMap::new();
    let mut index = String::from(
        "<!-- Generated by `cargo run -p xtask -- docs`; do not edit. -->\n# 规则 / Rules\n\n| code | name | severity | 标题 | title | cites |\n|---|---|---|---|---|---|\n",
    );
    for rule in hegui_rules::RULES {
        let m = &rule.meta;
        index.push_str(&format!(
            "| [{0}]({0}.md) | `{1}` | {2} | {3} | {4} | {5} |\n",
            m.code,
            m.name,
            m.severity.id(),
            m.title_zh,
            m.title_en,
            m.cites.join(", ")
        ));
        let mut page = format!(
            "<!-- Generated by `cargo run -p xtask -- docs` from crates/hegui-rules; do not edit. -->\n# {} {}\n\n**{}** / {}\n\n- severity: `{}`\n- status: {:?}\n\n",
            m.code,
            m.name,
            m.title_zh,
            m.title_en,
            m.severity.id(),
            m.status
        );
        page.push_str(&doc_text(m.doc));
        page.push_str("\n\n### 条款 / Clauses cited\n\n");
        for cite in m.cites {
            if let Some(c) = hegui_knowledge::clause(cite) {
                page.push_str(&format!(
                    "- `{}` ({} {}): {} — {}\n",
                    cite, c.source, c.reference, c.zh, c.en
                ));
            }
        }
        files.insert(PathBuf::from(format!("docs/rules/{}.md", m.code)), page);
    }
    files.insert(PathBuf::from("docs/rules/README.md"), index);
    files.insert(PathBuf::from("docs/sdks.md"), sdk_catalogue_page());
    files.insert(
        PathBuf::from("docs/schema/hegui-report-1.json"),
        hegui_report::report_schema(),
    );
    files
}

/// The SDK catalogue as a table, by category (third parties first, platform libraries last).
fn sdk_catalogue_page() -> String {
    let catalog = hegui_knowledge::sdk_catalog();
    let mut entries: Vec<&hegui_knowledge::Sdk> = catalog.iter().collect();
    entries.sort_by(|a, b| {
        (a.is_framework(), &a.category, &a.id).cmp(&(b.is_framework(), &b.category, &b.id))
    });
    let third_party = entries.iter().filter(|s| !s.is_framework()).count();
    let mut page = format!(
        "<!-- Generated by `cargo run -p xtask -- docs` from crates/hegui-knowledge/data/sdks; do not edit. -->\n\
         # 第三方 SDK 目录 / SDK catalogue\n\n\
         {third_party} third-party SDKs and {} platform libraries. Findings name them as `sdk:<id>`; \
         `hegui sdks show <id>` prints every signature. Entry format and how to add one: \
         [crates/hegui-knowledge/data/sdks/README.md](../crates/hegui-knowledge/data/sdks/README.md).\n\n\
         | id | 名称 / name | 运营方 / operator | category | collects | prefixes |\n|---|---|---|---|---|---|\n",
        entries.len() - third_party
    );
    for s in entries {
        let collects: Vec<&str> = s.collects.iter().map(|c| c.id()).collect();
        let prefixes: Vec<String> = s.prefixes.iter().map(|p| format!("`{p}`")).collect();
        let name = match &s.policy_url {
            Some(url) => format!("[{} / {}]({url})", s.name.zh, s.name.en),
            None => format!("{} / {}", s.name.zh, s.name.en),
        };
        page.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            s.id,
            name.replace('|', "\\|"),
            s.vendor.replace('|', "\\|"),
            s.category,
            collects.join(", "),
            prefixes.join(" ")
        ));
    }
    page
}

fn docs(check: bool) -> Result<(), String> {
    let root = root();
    let mut stale = Vec::new();
    for (path, text) in generated() {
        let full = root.join(&path);
        let current = std::fs::read_to_string(&full).unwrap_or_default();
        if current == text {
            continue;
        }
        if check {
            stale.push(path.display().to_string());
        } else {
            if let Some(dir) = full.parent() {
                std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
            }
            std::fs::write(&full, text).map_err(|e| e.to_string())?;
            println!("wrote {}", path.display());
        }
    }
    if stale.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "generated docs are stale (run `cargo run -p xtask -- docs`):\n  {}",
            stale.join("\n  ")
        ))
    }
}
