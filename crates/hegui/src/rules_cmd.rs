//! `hegui rules` and `hegui rules explain`.

use anyhow::bail;
use hegui_knowledge::clause;
use hegui_model::Lang;
use hegui_rules::{RULES, by_code};
use serde_json::json;

use crate::cli::{RulesAction, RulesArgs};
use crate::exit;
use crate::scan_cmd::lang_of;

pub fn run(args: RulesArgs) -> anyhow::Result<u8> {
    let lang = lang_of(args.lang);
    match args.action {
        None => list(lang, args.json),
        Some(RulesAction::Explain { code }) => explain(&code, lang, args.json),
    }
}

fn list(lang: Lang, as_json: bool) -> anyhow::Result<u8> {
    if as_json {
        let rules: Vec<_> = RULES
            .iter()
            .map(|r| {
                json!({
                    "code": r.meta.code, "name": r.meta.name,
                    "title": { "zh": r.meta.title_zh, "en": r.meta.title_en },
                    "severity": r.meta.severity.id(), "cites": r.meta.cites,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&rules)?);
        return Ok(exit::OK);
    }
    // Columns as wide as their longest value, so long slugs do not push titles out of line.
    let code_w = RULES.iter().map(|r| r.meta.code.len()).max().unwrap_or(0);
    let name_w = RULES.iter().map(|r| r.meta.name.len()).max().unwrap_or(0);
    for r in RULES {
        let title = if lang == Lang::Zh {
            r.meta.title_zh
        } else {
            r.meta.title_en
        };
        println!(
            "{:<code_w$} {:<8} {:<name_w$} {}  [{}]",
            r.meta.code,
            r.meta.severity.id(),
            r.meta.name,
            title,
            r.meta.cites.join(", ")
        );
    }
    println!(
        "\n{}",
        if lang == Lang::Zh {
            "详情：hegui rules explain <代码>"
        } else {
            "Details: hegui rules explain <CODE>"
        }
    );
    Ok(exit::OK)
}

fn explain(code: &str, lang: Lang, as_json: bool) -> anyhow::Result<u8> {
    let Some(rule) = by_code(code) else {
        bail!("no rule with code {code}; `hegui rules` lists them");
    };
    let m = &rule.meta;
    if as_json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({ "code": m.code, "name": m.name, "doc": m.doc }))?
        );
        return Ok(exit::OK);
    }
    let title = if lang == Lang::Zh {
        m.title_zh
    } else {
        m.title_en
    };
    println!("{} {} — {}\n", m.code, m.name, title);
    println!("severity: {}\n", m.severity.id());
    println!("{}", m.doc.trim_end());
    println!();
    for cite in m.cites {
        if let Some(c) = clause(cite) {
            let text = if lang == Lang::Zh { &c.zh } else { &c.en };
            println!("  {cite:<16} {} {}: {}", c.source, c.reference, text);
        }
    }
    Ok(exit::OK)
}
