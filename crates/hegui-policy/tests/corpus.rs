//! Measures on ../shared/corpus/policies when it is present (its licence keeps it out of the
//! repository): element labels of the two schema examples, data-type span recall on CA4P,
//! permission-group agreement on APPCH, throughput. Figures are printed; the assertions are
//! floors that catch regressions, below the targets the issue sets.

use std::path::{Path, PathBuf};
use std::time::Instant;

use hegui_model::{ElementValue, PiCategory};
use serde_json::Value;

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/policies");
    dir.join("ground_truth_examples.json")
        .is_file()
        .then_some(dir)
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
    let Some(dir) = corpus() else {
        eprintln!("note: ../shared/corpus/policies not present; corpus test skipped");
        return;
    };
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
    assert!(accuracy >= 0.7, "element accuracy {accuracy:.2}");
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
