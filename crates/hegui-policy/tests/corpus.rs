//! Measures on ../shared/corpus/policies (its licence keeps it out of the repository; under
//! `CI=true` its absence fails): PI mentions against CA4P `data` spans (develop half and
//! check half), practices against CA4P `purpose` and `share` spans, APPCH permission groups,
//! the labelled elements, OPP-115 segments, throughput. Figures are printed; the assertions
//! hold the targets the issue sets where the data allow.

use std::path::{Path, PathBuf};
use std::time::Instant;

use hegui_model::{ElementValue, PiCategory};
use serde_json::Value;

#[path = "../../../testing/skip.rs"]
mod skip;

/// The shared corpus, or none outside CI when it is absent; under CI (`CI=true`) a missing
/// corpus fails the test, so a green run always means the corpus was read.
fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/policies");
    let present = dir.join("ground_truth_examples.json").is_file();
    if !present {
        skip::corpus_missing("hegui-policy corpus tests", "../shared/corpus/policies");
    }
    present.then_some(dir)
}

fn files(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|it| it.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.retain(|p| p.to_string_lossy().ends_with(suffix));
    v.sort();
    v
}

fn value_of(v: &Value) -> ElementValue {
    match v {
        Value::Bool(b) => ElementValue::Bool(*b),
        _ => ElementValue::PARTIAL,
    }
}

#[test]
fn elements_on_the_labelled_examples() {
    let Some(dir) = corpus() else { return };
    let truth: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("ground_truth_examples.json")).expect("read"),
    )
    .expect("json");
    let mut pairs = Vec::new();
    for p in truth["policies"].as_array().expect("policies") {
        let id = p["id"].as_str().expect("id");
        let bytes = std::fs::read(dir.join(format!("zh/ca4p483/{id}.txt"))).expect("policy");
        let facts =
            hegui_policy::analyse(id, &bytes, hegui_knowledge::sdk_catalog()).expect("analyse");
        eprintln!(
            "{id}: doc_type ours {} truth {}",
            facts.doc_type, p["doc_type"]
        );
        for (name, label) in p["labels"].as_object().expect("labels") {
            let ours = facts.elements.get(name).map(|e| e.value).expect("element");
            let want = value_of(&label["value"]);
            eprintln!("{id} {name}: ours {} truth {}", ours.id(), want.id());
            pairs.push((ours, want));
        }
    }
    let classes = [
        ElementValue::TRUE,
        ElementValue::PARTIAL,
        ElementValue::FALSE,
    ];
    let mut f1s = Vec::new();
    for c in classes {
        let tp = pairs.iter().filter(|(o, w)| *o == c && *w == c).count() as f64;
        let fp = pairs.iter().filter(|(o, w)| *o == c && *w != c).count() as f64;
        let fn_ = pairs.iter().filter(|(o, w)| *o != c && *w == c).count() as f64;
        let p = if tp + fp > 0.0 { tp / (tp + fp) } else { 1.0 };
        let r = if tp + fn_ > 0.0 { tp / (tp + fn_) } else { 1.0 };
        let f1 = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        eprintln!(
            "value {}: precision {p:.2} recall {r:.2} F1 {f1:.2}",
            c.id()
        );
        f1s.push(f1);
    }
    let accuracy = pairs.iter().filter(|(o, w)| o == w).count() as f64 / pairs.len() as f64;
    let macro_f1 = f1s.iter().sum::<f64>() / f1s.len() as f64;
    eprintln!(
        "elements: accuracy {accuracy:.2}, macro-F1 {macro_f1:.2} over {} labels",
        pairs.len()
    );
    // Lenient is the costly direction for a regulator: `true` where the label is `false`
    // hides a finding.
    let lenient = pairs
        .iter()
        .filter(|(o, w)| *o == ElementValue::TRUE && *w == ElementValue::FALSE)
        .count();
    assert!(accuracy >= 0.7, "element accuracy {accuracy:.2}");
    assert!(macro_f1 >= 0.9, "element macro-F1 {macro_f1:.2}");
    assert_eq!(lenient, 0, "elements judged true where the label is false");
}

#[test]
fn data_type_span_recall_on_ca4p() {
    let Some(dir) = corpus() else { return };
    let (mut found, mut total, mut specific_found, mut specific_total) = (0, 0, 0, 0);
    let mut missed = Vec::new();
    for spans in files(&dir.join("zh/ca4p483"), ".spans.jsonl") {
        for line in std::fs::read_to_string(&spans).expect("read").lines() {
            let v: Value = serde_json::from_str(line).expect("json");
            if v["label"] != "data" {
                continue;
            }
            let text = v["text"].as_str().unwrap_or_default();
            let mentions = hegui_policy::data_mentions(text);
            let generic_only = mentions.iter().all(|(_, c)| c.is_none());
            total += 1;
            if !mentions.is_empty() {
                found += 1;
            } else {
                missed.push(text.to_string());
            }
            if !generic_only || mentions.is_empty() {
                specific_total += 1;
                specific_found += usize::from(!mentions.is_empty());
            }
        }
    }
    let recall = found as f64 / total as f64;
    eprintln!(
        "CA4P data-type spans: recall {recall:.3} ({found}/{total}); spans naming a specific type: {specific_found}/{specific_total}; missed: {missed:?}"
    );
    assert!(recall >= 0.8, "data-type recall {recall:.3}");
}

/// APPCH permission groups and the PI categories that belong to each, as Android groups them
/// (READ_PHONE_STATE gives device identifiers and network details; IP addresses locate).
fn group_categories(group: &str) -> &'static [PiCategory] {
    use PiCategory::*;
    match group {
        "PHONE" => &[
            DeviceId,
            AndroidId,
            MacAddress,
            AdvertisingId,
            PhoneNumber,
            CallLog,
            DeviceInfo,
            NetworkInfo,
            WifiInfo,
        ],
        "LOCATION" => &[Location, NetworkInfo, WifiInfo],
        "STORAGE" => &[Media, Usage],
        "CAMERA" => &[Camera, Biometrics, Media],
        "MICROPHONE" => &[Microphone],
        "CONTACTS" => &[Contacts, Accounts, Profile],
        "CALENDAR" => &[Calendar],
        "SMS" => &[Sms],
        "SENSORS" => &[Sensors, Health],
        _ => &[],
    }
}

#[test]
fn permission_groups_on_appch() {
    let Some(dir) = corpus() else { return };
    let (mut agree, mut found, mut total) = (0, 0, 0);
    for ann in files(&dir.join("zh/appch"), ".txt.ann") {
        let text = std::fs::read_to_string(&ann).expect("read");
        for tag in text.split("[@").skip(1) {
            let Some((phrase, rest)) = tag.split_once('#') else {
                continue;
            };
            let group: String = rest
                .split_whitespace()
                .nth(1)
                .unwrap_or_default()
                .chars()
                .take_while(char::is_ascii_uppercase)
                .collect();
            total += 1;
            let cats: Vec<PiCategory> = hegui_policy::data_mentions(phrase)
                .into_iter()
                .filter_map(|(_, c)| c)
                .collect();
            if !cats.is_empty() {
                found += 1;
            }
            if cats.iter().any(|c| group_categories(&group).contains(c)) {
                agree += 1;
            }
        }
    }
    let agreement = agree as f64 / total as f64;
    eprintln!(
        "APPCH permission groups: agreement {agreement:.3} ({agree}/{total}); a category found for {found}/{total}"
    );
    assert!(
        agreement >= 0.5,
        "permission-group agreement {agreement:.3}"
    );
}

#[test]
fn throughput_on_every_policy() {
    let Some(dir) = corpus() else { return };
    let mut inputs = Vec::new();
    for sub in ["zh/ca4p483", "zh/appch", "zh/viodroid"] {
        inputs.extend(files(&dir.join(sub), ".txt"));
    }
    inputs.extend(files(&dir.join("zh/ca4p483"), ".orig.html"));
    inputs.extend(files(&dir.join("en/opp115/sanitized_policies"), ".html"));
    let texts: Vec<Vec<u8>> = inputs
        .iter()
        .map(|p| std::fs::read(p).expect("read"))
        .collect();
    let bytes: usize = texts.iter().map(Vec::len).sum();
    let started = Instant::now();
    for (path, t) in inputs.iter().zip(&texts) {
        let facts =
            hegui_policy::analyse(&path.to_string_lossy(), t, hegui_knowledge::sdk_catalog());
        assert!(facts.is_ok(), "{}: {:?}", path.display(), facts.err());
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "throughput: {} policies ({:.1} MB) in {secs:.2}s = {:.0} policies/s (debug or release as built)",
        texts.len(),
        bytes as f64 / 1e6,
        texts.len() as f64 / secs
    );
}

/// A CA4P span: label and code-point range into the `.txt`.
struct Span {
    label: String,
    start: usize,
    end: usize,
}

struct Ca4pDoc {
    id: String,
    text: Vec<char>,
    bytes: Vec<u8>,
    spans: Vec<Span>,
}

fn ca4p(dir: &Path) -> Vec<Ca4pDoc> {
    let mut out = Vec::new();
    for spans in files(&dir.join("zh/ca4p483"), ".spans.jsonl") {
        let name = spans.to_string_lossy().to_string();
        let id = name
            .trim_end_matches(".spans.jsonl")
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string();
        let bytes = std::fs::read(name.replace(".spans.jsonl", ".txt")).expect("text");
        let text = String::from_utf8_lossy(&bytes).chars().collect();
        let spans = std::fs::read_to_string(&spans)
            .expect("read")
            .lines()
            .map(|l| {
                let v: Value = serde_json::from_str(l).expect("json");
                Span {
                    label: v["label"].as_str().unwrap_or_default().to_string(),
                    start: v["start"].as_u64().unwrap_or(0) as usize,
                    end: v["end"].as_u64().unwrap_or(0) as usize,
                }
            })
            .collect();
        out.push(Ca4pDoc {
            id,
            text,
            bytes,
            spans,
        });
    }
    out
}

/// Development half and check half, by the parity of the CA4P id: the vocabulary was grown
/// on the even ids, and the odd ids say whether it generalises.
fn half(id: &str) -> &'static str {
    match id.parse::<u32>().map(|n| n % 2) {
        Ok(0) => "dev",
        _ => "check",
    }
}

/// Words that make a `data` span generic ("您的个人信息", "上述信息"): left out of the
/// term-level measure, as the issue defines it.
fn is_generic(term: &str) -> bool {
    let mut rest = term.to_string();
    for w in [
        "您",
        "你",
        "用户",
        "的",
        "相关",
        "有关",
        "这些",
        "上述",
        "前述",
        "该等",
        "此类",
        "此",
        "某些",
        "其他",
        "其它",
        "必要",
        "额外",
        "部分",
        "授权",
        "个人",
        "敏感",
        "隐私",
        "非",
        "公开",
        "未成年人",
        "儿童",
        "青少年",
        "基本",
        "特定",
        "所有",
        "任何",
        "各类",
        "一些",
        "更多",
        "以下",
        "下列",
        "其",
        "等",
        "去标识化",
        "匿名化",
        "加密",
        "处理",
        "后",
    ] {
        rest = rest.replace(w, "");
    }
    matches!(rest.trim(), "" | "信息" | "数据" | "内容" | "资讯" | "身份")
}

/// The terms of a `data` span: compound spans (`头像、昵称`) split at list joiners, with
/// their code-point ranges.
fn terms_of(doc: &Ca4pDoc, span: &Span) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut start = span.start;
    let joiner = |c: char| "、，,/／;；（）()：:和及与或 \n".contains(c);
    for i in span.start..=span.end {
        let c = doc.text.get(i).copied();
        if i == span.end || c.is_some_and(joiner) {
            let term: String = doc.text[start..i.min(doc.text.len())].iter().collect();
            let term = term.trim_matches(|c: char| c == '*' || c == '等' || c.is_whitespace());
            if !term.is_empty() && !is_generic(term) {
                out.push((start, i, term.to_string()));
            }
            start = i + 1;
        }
    }
    out
}

/// Sentences (code-point ranges) that the annotators worked on: any span but SEGMENT.
fn annotated_sentences(doc: &Ca4pDoc) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in doc.text.iter().enumerate() {
        if "。；;！？!?\n".contains(*c) || i + 1 == doc.text.len() {
            let end = i + 1;
            if doc
                .spans
                .iter()
                .any(|s| s.label != "SEGMENT" && s.start < end && start < s.end)
            {
                out.push((start, end));
            }
            start = end;
        }
    }
    out
}

#[derive(Default)]
struct Tally {
    found: usize,
    total: usize,
    correct: usize,
    reported: usize,
}

#[test]
fn pi_mentions_against_ca4p_data_spans() {
    let Some(dir) = corpus() else { return };
    let verbose = std::env::var("HEGUI_EVAL_VERBOSE").is_ok();
    let mut tallies: std::collections::BTreeMap<&str, Tally> = Default::default();
    for doc in ca4p(&dir) {
        let facts = hegui_policy::analyse(&doc.id, &doc.bytes, hegui_knowledge::sdk_catalog())
            .expect("analyse");
        let tally = tallies.entry(half(&doc.id)).or_default();
        let mentions: Vec<(usize, usize)> = facts
            .pi_mentions
            .iter()
            .filter_map(|m| m.span.source)
            .map(|s| (s.start as usize, s.end as usize))
            .collect();
        for span in doc.spans.iter().filter(|s| s.label == "data") {
            for (start, end, term) in terms_of(&doc, span) {
                tally.total += 1;
                if mentions.iter().any(|(s, e)| *s < end && start < *e) {
                    tally.found += 1;
                } else if verbose && half(&doc.id) == "dev" {
                    eprintln!("MISS {} {term}", doc.id);
                }
            }
        }
        let sentences = annotated_sentences(&doc);
        for (m, (s, e)) in facts.pi_mentions.iter().zip(&mentions) {
            if !sentences.iter().any(|(a, b)| a <= s && e <= b) {
                continue;
            }
            tally.reported += 1;
            let hit = doc
                .spans
                .iter()
                .any(|d| d.label == "data" && d.start < *e && *s < d.end);
            tally.correct += usize::from(hit);
            if !hit && verbose && half(&doc.id) == "dev" {
                eprintln!("EXTRA {} {} ({})", doc.id, m.term, m.pi_type);
            }
        }
    }
    let mut all = Tally::default();
    for (name, t) in &tallies {
        eprintln!(
            "CA4P data terms, {name} half: recall {:.3} ({}/{}), precision {:.3} ({}/{})",
            t.found as f64 / t.total.max(1) as f64,
            t.found,
            t.total,
            t.correct as f64 / t.reported.max(1) as f64,
            t.correct,
            t.reported
        );
        all.found += t.found;
        all.total += t.total;
        all.correct += t.correct;
        all.reported += t.reported;
    }
    let recall = all.found as f64 / all.total.max(1) as f64;
    let precision = all.correct as f64 / all.reported.max(1) as f64;
    eprintln!("CA4P data terms, all: recall {recall:.3}, precision {precision:.3}");
    assert!(recall >= 0.9, "term recall {recall:.3}");
    assert!(precision >= 0.8, "mention precision {precision:.3}");
}

/// Whether a span of ours (with its source offsets) overlaps a CA4P span.
fn overlaps_source(span: Option<&hegui_model::TextSpan>, s: &Span) -> bool {
    span.and_then(|t| t.source)
        .is_some_and(|src| (src.start as usize) < s.end && s.start < src.end as usize)
}

#[test]
fn practices_against_ca4p_purpose_and_share_spans() {
    use hegui_model::PracticeAction::*;
    let Some(dir) = corpus() else { return };
    let (mut purposes, mut purposes_found, mut shares, mut shares_found) = (0, 0, 0, 0);
    let mut by_half: std::collections::BTreeMap<&str, [usize; 4]> = Default::default();
    let verbose = std::env::var("HEGUI_EVAL_VERBOSE").is_ok();
    for doc in ca4p(&dir) {
        let facts = hegui_policy::analyse(&doc.id, &doc.bytes, hegui_knowledge::sdk_catalog())
            .expect("analyse");
        for span in &doc.spans {
            match span.label.as_str() {
                "purpose" => {
                    purposes += 1;
                    let hit = facts
                        .practices
                        .iter()
                        .any(|p| overlaps_source(p.purpose.as_ref(), span));
                    purposes_found += usize::from(hit);
                    let h = by_half.entry(half(&doc.id)).or_default();
                    h[0] += 1;
                    h[1] += usize::from(hit);
                    if !hit
                        && verbose
                        && std::env::var("HEGUI_EVAL_HALF")
                            .map_or(half(&doc.id) == "dev", |h| h == half(&doc.id))
                    {
                        let t: String = doc.text[span.start..span.end].iter().collect();
                        let in_practice = facts
                            .practices
                            .iter()
                            .any(|p| overlaps_source(Some(&p.sentence), span));
                        eprintln!("PURPOSE-MISS {} {in_practice} {t}", doc.id);
                    }
                }
                "share" => {
                    shares += 1;
                    let hit = facts.practices.iter().any(|p| {
                        matches!(p.action, Share | Entrust | Disclose | TransferAbroad)
                            && overlaps_source(Some(&p.sentence), span)
                    });
                    shares_found += usize::from(hit);
                    let h = by_half.entry(half(&doc.id)).or_default();
                    h[2] += 1;
                    h[3] += usize::from(hit);
                    if !hit && verbose && half(&doc.id) == "dev" {
                        let t: String = doc.text[span.start.saturating_sub(20)..span.end + 10]
                            .iter()
                            .collect();
                        eprintln!("SHARE-MISS {} {t}", doc.id);
                    }
                }
                _ => {}
            }
        }
    }
    for (name, [p, pf, s, sf]) in &by_half {
        eprintln!(
            "{name} half: purposes {:.3} ({pf}/{p}), shares {:.3} ({sf}/{s})",
            *pf as f64 / (*p).max(1) as f64,
            *sf as f64 / (*s).max(1) as f64
        );
    }
    let purpose_rate = purposes_found as f64 / purposes.max(1) as f64;
    let share_rate = shares_found as f64 / shares.max(1) as f64;
    eprintln!(
        "CA4P purpose spans in a practice's purpose: {purpose_rate:.3} ({purposes_found}/{purposes}); share spans in a share/entrust/disclose practice: {share_rate:.3} ({shares_found}/{shares})"
    );
    assert!(purpose_rate >= 0.75, "purpose overlap {purpose_rate:.3}");
    assert!(share_rate >= 0.8, "share practices {share_rate:.3}");
}

#[test]
fn permission_groups_per_appch_document() {
    let Some(dir) = corpus() else { return };
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    let verbose = std::env::var("HEGUI_EVAL_VERBOSE").is_ok();
    for ann in files(&dir.join("zh/appch"), ".txt.ann") {
        let text = std::fs::read_to_string(&ann).expect("read");
        let mut truth: Vec<String> = text
            .split("#敏感权限类型 ")
            .skip(1)
            .map(|rest| rest.chars().take_while(char::is_ascii_uppercase).collect())
            .collect();
        truth.sort();
        truth.dedup();
        let plain = ann.to_string_lossy().trim_end_matches(".ann").to_string();
        let bytes = std::fs::read(&plain).expect("policy");
        let facts =
            hegui_policy::analyse(&plain, &bytes, hegui_knowledge::sdk_catalog()).expect("analyse");
        let ours: Vec<&str> = facts
            .permission_groups
            .iter()
            .map(|g| g.group.as_str())
            .collect();
        for g in &ours {
            if truth.iter().any(|t| t == g) {
                tp += 1;
            } else {
                fp += 1;
                if verbose {
                    eprintln!("GROUP-EXTRA {plain} {g}");
                }
            }
        }
        for t in &truth {
            if !ours.contains(&t.as_str()) {
                fn_ += 1;
                if verbose {
                    eprintln!("GROUP-MISS {plain} {t}");
                }
            }
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    eprintln!(
        "APPCH permission groups per document: precision {precision:.3}, recall {recall:.3} ({tp} right, {fp} extra, {fn_} missed)"
    );
    assert!(precision >= 0.9, "group precision {precision:.3}");
    assert!(recall >= 0.9, "group recall {recall:.3}");
}

/// OPP-115 (English): segments the annotators gave a practice category hold a practice of
/// ours in that category, and ours fall in segments with that category.
#[test]
fn practices_against_opp115_segments() {
    let Some(dir) = corpus() else { return };
    let ours_to_theirs = [
        ("first_party_collection_use", "First Party Collection/Use"),
        (
            "third_party_sharing_collection",
            "Third Party Sharing/Collection",
        ),
        ("data_retention", "Data Retention"),
    ];
    let (mut found, mut labelled, mut right, mut reported) = (0, 0, 0, 0);
    let root = dir.join("en/opp115");
    for html in files(&root.join("sanitized_policies"), ".html") {
        let name = html
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let text = std::fs::read_to_string(&html).expect("policy");
        // Code-point range of each segment (`|||` separates them).
        let mut segments = Vec::new();
        let mut at = 0usize;
        for part in text.split("|||") {
            let len = part.chars().count();
            segments.push((at, at + len));
            at += len + 3;
        }
        let csv = std::fs::read_to_string(root.join(format!("consolidation_0.75/{name}.csv")))
            .expect("annotations");
        let mut categories: Vec<Vec<String>> = vec![Vec::new(); segments.len()];
        for line in csv.lines() {
            let cols: Vec<&str> = line.splitn(7, ',').collect();
            let (Some(seg), Some(cat)) = (cols.get(4), cols.get(5)) else {
                continue;
            };
            if let Some(c) = seg
                .parse::<usize>()
                .ok()
                .and_then(|s| categories.get_mut(s))
            {
                c.push(cat.to_string());
            }
        }
        let facts = hegui_policy::analyse(&name, text.as_bytes(), hegui_knowledge::sdk_catalog())
            .expect("analyse");
        let segment_of = |p: &hegui_model::Practice| {
            let src = p.sentence.source?;
            segments
                .iter()
                .position(|(a, b)| *a <= src.start as usize && (src.start as usize) < *b)
        };
        for (ours, theirs) in ours_to_theirs {
            for (i, cats) in categories.iter().enumerate() {
                if cats.iter().any(|c| c == theirs) {
                    labelled += 1;
                    found += usize::from(
                        facts
                            .practices
                            .iter()
                            .any(|p| p.opp115 == ours && !p.denied && segment_of(p) == Some(i)),
                    );
                }
            }
            for p in facts
                .practices
                .iter()
                .filter(|p| p.opp115 == ours && !p.denied)
            {
                if let Some(i) = segment_of(p) {
                    reported += 1;
                    right += usize::from(categories[i].iter().any(|c| c == theirs));
                }
            }
        }
    }
    let recall = found as f64 / labelled.max(1) as f64;
    let precision = right as f64 / reported.max(1) as f64;
    eprintln!(
        "OPP-115 segments with a practice of their category: recall {recall:.3} ({found}/{labelled}); our practices in a segment of their category: precision {precision:.3} ({right}/{reported})"
    );
    // Three policies only: a floor that catches a broken English reading, not a target.
    assert!(recall >= 0.5 && precision >= 0.5, "OPP-115 practices");
}
