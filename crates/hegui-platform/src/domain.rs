//! Apps, versions, engine results and findings: what a report says, kept queryable.
//!
//! A report (hegui's, or another engine's imported as SARIF) is stored whole as evidence;
//! its findings are copied into rows so they can be searched by app, SDK, rule, catalogue
//! item and severity. Each (version, engine) keeps the findings of its latest result.

use hegui_model::{Party, Report, Severity};
use serde_json::Value;
use sqlx::{AnyConnection, Row};

use crate::db::now_ms;
use crate::sql::Sql;

/// What identifies a version of an app in a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionFacts {
    pub platform: String,
    pub app_key: String,
    pub name: Option<String>,
    pub version: Option<String>,
    /// SHA-256 of the first signing certificate (Android).
    pub signer_sha256: Option<String>,
    pub sdks: Vec<SdkRow>,
    /// The listing's unified social credit code, which names the owning enterprise.
    pub licence_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdkRow {
    pub id: String,
    pub name: String,
    pub vendor: String,
    pub category: String,
}

/// One finding as stored, from whichever engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingRow {
    pub code: String,
    pub severity: Severity,
    pub party: String,
    pub pi: Option<String>,
    pub fingerprint: String,
    pub title: (String, String),
    pub message: (String, String),
    pub cites: Vec<String>,
}

/// The version a report is about; none for reports of no app (a policy text, a trace).
pub fn version_facts(report: &Report) -> Option<VersionFacts> {
    if report.app.id.is_empty() {
        return None;
    }
    let signer_sha256 = report
        .facts
        .android
        .as_ref()
        .and_then(|a| a.certificates.first())
        .map(|c| c.sha256.clone());
    Some(VersionFacts {
        platform: report.app.platform.clone(),
        app_key: report.app.id.clone(),
        name: report.app.name.clone(),
        version: report.app.version.clone(),
        signer_sha256,
        sdks: report
            .sdks
            .iter()
            .filter(|s| !s.is_framework())
            .map(|s| SdkRow {
                id: s.id.clone(),
                name: s.name.clone(),
                vendor: s.vendor.clone(),
                category: s.category.clone(),
            })
            .collect(),
        licence_id: report
            .facts
            .listing
            .as_ref()
            .and_then(|l| l.licence_id.clone()),
    })
}

pub fn finding_rows(report: &Report) -> Vec<FindingRow> {
    report
        .findings
        .iter()
        .map(|f| FindingRow {
            code: f.code.clone(),
            severity: f.severity,
            party: f.party.to_string(),
            pi: f.pi.map(|c| c.id().to_string()),
            fingerprint: f.fingerprint.clone(),
            title: (f.title.zh.clone(), f.title.en.clone()),
            message: (f.message.zh.clone(), f.message.en.clone()),
            cites: f.cites.clone(),
        })
        .collect()
}

pub fn severity_rank(s: Severity) -> i64 {
    match s {
        Severity::Info => 0,
        Severity::Low => 1,
        Severity::Medium => 2,
        Severity::High => 3,
        Severity::Critical => 4,
    }
}

/// The app and version of a package, created or updated: (app id, version id).
pub async fn upsert_version(
    conn: &mut AnyConnection,
    sha256: &str,
    facts: &VersionFacts,
) -> anyhow::Result<(i64, i64)> {
    let now = now_ms();
    let app: i64 = sqlx::query(
        "INSERT INTO apps (platform, app_key, name, created_ms) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (platform, app_key) DO UPDATE SET name = COALESCE(EXCLUDED.name, apps.name) \
         RETURNING id",
    )
    .bind(&facts.platform)
    .bind(&facts.app_key)
    .bind(&facts.name)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    // A store listing naming an enterprise's credit code makes it the owner, once.
    if let Some(code) = &facts.licence_id {
        sqlx::query(
            "UPDATE apps SET owner_org_id = (SELECT id FROM orgs WHERE credit_code = $1 \
             AND kind = 'enterprise') WHERE id = $2 AND owner_org_id IS NULL",
        )
        .bind(code.trim().to_uppercase())
        .bind(app)
        .execute(&mut *conn)
        .await?;
    }
    let version: i64 = sqlx::query(
        "INSERT INTO versions (app_id, artifact_sha256, version, signer_sha256, created_ms) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (app_id, artifact_sha256) DO UPDATE SET \
         version = COALESCE(EXCLUDED.version, versions.version), \
         signer_sha256 = COALESCE(EXCLUDED.signer_sha256, versions.signer_sha256) RETURNING id",
    )
    .bind(app)
    .bind(sha256)
    .bind(&facts.version)
    .bind(&facts.signer_sha256)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    sqlx::query("DELETE FROM version_sdks WHERE version_id = $1")
        .bind(version)
        .execute(&mut *conn)
        .await?;
    if !facts.sdks.is_empty() {
        let mut q = Sql::new(
            "INSERT INTO version_sdks (version_id, sdk_id, name, vendor, category) VALUES ",
        );
        for (i, sdk) in facts.sdks.iter().enumerate() {
            q.push(if i == 0 { "(" } else { ", (" });
            q.int(version)
                .push(", ")
                .text(&sdk.id)
                .push(", ")
                .text(&sdk.name);
            q.push(", ")
                .text(&sdk.vendor)
                .push(", ")
                .text(&sdk.category)
                .push(")");
        }
        q.push(" ON CONFLICT (version_id, sdk_id) DO NOTHING");
        q.execute_on(conn).await?;
    }
    Ok((app, version))
}

/// Rows per INSERT: well under SQLite's 32766 bound parameters (17 a finding, 3 a cite).
const FINDINGS_PER_STATEMENT: usize = 400;
const CITES_PER_STATEMENT: usize = 2000;

/// Where a result came from.
#[derive(Debug, Clone)]
pub struct ResultSource<'a> {
    pub engine: &'a str,
    /// `hegui-report` or `sarif`.
    pub format: &'a str,
    pub analysis_id: Option<i64>,
    pub report_key: &'a str,
    pub report_sha256: &'a str,
    pub imported_by: Option<i64>,
}

/// Record a result on a version, replacing the findings of that engine's earlier one.
pub async fn record_result(
    conn: &mut AnyConnection,
    app_id: i64,
    version_id: i64,
    source: &ResultSource<'_>,
    findings: &[FindingRow],
) -> anyhow::Result<i64> {
    let now = now_ms();
    // Only a version this engine has reported on before has findings to replace.
    let earlier =
        sqlx::query("SELECT id FROM results WHERE version_id = $1 AND engine = $2 LIMIT 1")
            .bind(version_id)
            .bind(source.engine)
            .fetch_optional(&mut *conn)
            .await?
            .is_some();
    let result: i64 = sqlx::query(
        "INSERT INTO results (version_id, engine, format, analysis_id, report_key, report_sha256, \
         findings, imported_by, created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(version_id)
    .bind(source.engine)
    .bind(source.format)
    .bind(source.analysis_id)
    .bind(source.report_key)
    .bind(source.report_sha256)
    .bind(i64::try_from(findings.len()).unwrap_or(i64::MAX))
    .bind(source.imported_by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    if earlier {
        sqlx::query(
            "DELETE FROM finding_cites WHERE result_id IN \
             (SELECT id FROM results WHERE version_id = $1 AND engine = $2 AND id <> $3)",
        )
        .bind(version_id)
        .bind(source.engine)
        .bind(result)
        .execute(&mut *conn)
        .await?;
        sqlx::query("DELETE FROM findings WHERE version_id = $1 AND engine = $2")
            .bind(version_id)
            .bind(source.engine)
            .execute(&mut *conn)
            .await?;
    }
    // Written in batches: one statement per few hundred rows, not one per finding and
    // cite (which cost SQLite more than the rest of a job).
    for (chunk_no, chunk) in findings.chunks(FINDINGS_PER_STATEMENT).enumerate() {
        let mut q = Sql::new(
            "INSERT INTO findings (result_id, ordinal, version_id, app_id, engine, code, severity, \
             severity_rank, party, sdk, pi, fingerprint, title_zh, title_en, message_zh, \
             message_en, cites) VALUES ",
        );
        for (i, f) in chunk.iter().enumerate() {
            let ordinal = (chunk_no * FINDINGS_PER_STATEMENT + i) as i64;
            let sdk = match Party::parse(&f.party) {
                Party::Sdk(id) => id,
                _ => String::new(),
            };
            q.push(if i == 0 { "(" } else { ", (" });
            q.int(result).push(", ").int(ordinal).push(", ");
            q.int(version_id).push(", ").int(app_id).push(", ");
            q.text(source.engine).push(", ").text(&f.code).push(", ");
            q.text(f.severity.id())
                .push(", ")
                .int(severity_rank(f.severity));
            q.push(", ").text(&f.party).push(", ");
            if sdk.is_empty() {
                q.push("NULL");
            } else {
                q.text(&sdk);
            }
            q.push(", ");
            match &f.pi {
                Some(pi) => q.text(pi),
                None => q.push("NULL"),
            };
            q.push(", ").text(&f.fingerprint);
            q.push(", ").text(&f.title.0).push(", ").text(&f.title.1);
            q.push(", ")
                .text(&f.message.0)
                .push(", ")
                .text(&f.message.1);
            q.push(", ").text(&f.cites.join(",")).push(")");
        }
        q.execute_on(conn).await?;
    }
    let cites: Vec<(i64, &str)> = findings
        .iter()
        .enumerate()
        .flat_map(|(i, f)| {
            let mut own: Vec<&str> = f.cites.iter().map(String::as_str).collect();
            own.sort_unstable();
            own.dedup();
            own.into_iter().map(move |c| (i as i64, c))
        })
        .collect();
    for chunk in cites.chunks(CITES_PER_STATEMENT) {
        let mut q = Sql::new("INSERT INTO finding_cites (result_id, ordinal, cite) VALUES ");
        for (i, (ordinal, cite)) in chunk.iter().enumerate() {
            q.push(if i == 0 { "(" } else { ", (" });
            q.int(result)
                .push(", ")
                .int(*ordinal)
                .push(", ")
                .text(cite)
                .push(")");
        }
        q.execute_on(conn).await?;
    }
    Ok(result)
}

/// Flag the findings of `version_id` that a closed case of the app was about, on an
/// earlier version: recurrences, proposed for the public-notice list. "Later" is by version
/// id, the order in which the platform first saw the versions. Returns how many are new.
pub async fn flag_recurrences(
    conn: &mut AnyConnection,
    app_id: i64,
    version_id: i64,
) -> anyhow::Result<u64> {
    let done = sqlx::query(
        "INSERT INTO recurrences (app_id, case_id, fingerprint, code, earlier_version_id, \
         later_version_id, created_ms) \
         SELECT c.app_id, c.id, cf.fingerprint, cf.code, c.version_id, $2, $3 \
         FROM cases c JOIN case_findings cf ON cf.case_id = c.id \
         WHERE c.app_id = $1 AND c.state = 'closed' AND c.version_id < $2 \
         AND (c.retest_version_id IS NULL OR c.retest_version_id < $2) \
         AND EXISTS (SELECT 1 FROM findings f WHERE f.version_id = $2 \
                     AND f.fingerprint = cf.fingerprint) \
         ON CONFLICT (case_id, fingerprint, later_version_id) DO NOTHING",
    )
    .bind(app_id)
    .bind(version_id)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// Findings of a SARIF 2.1.0 log, or an error saying why it is not one.
///
/// Rule, severity, party and cites are read from hegui's own properties when present;
/// otherwise from the SARIF level and the rule's metadata. The fingerprint is the
/// result's own (partial) fingerprint, or one made of the rule and first location.
pub fn sarif_findings(log: &Value) -> anyhow::Result<Vec<FindingRow>> {
    let runs = log
        .get("runs")
        .and_then(Value::as_array)
        .ok_or_else(|| anyhow::anyhow!("not SARIF: no `runs` array"))?;
    let mut out = Vec::new();
    for run in runs {
        let rules = run
            .pointer("/tool/driver/rules")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let results = run
            .get("results")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for r in &results {
            out.push(sarif_finding(r, &rules)?);
        }
    }
    Ok(out)
}

fn sarif_finding(r: &Value, rules: &[Value]) -> anyhow::Result<FindingRow> {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    let rule = r
        .get("ruleIndex")
        .and_then(Value::as_u64)
        .and_then(|i| rules.get(usize::try_from(i).ok()?))
        .or_else(|| {
            let id = r.get("ruleId")?.as_str()?;
            rules
                .iter()
                .find(|x| x.get("id").and_then(Value::as_str) == Some(id))
        });
    let code = text(r.get("ruleId"))
        .or_else(|| text(rule.and_then(|x| x.get("id"))))
        .ok_or_else(|| anyhow::anyhow!("a SARIF result without a ruleId"))?;
    let props = r.get("properties");
    let severity = text(props.and_then(|p| p.get("severity")))
        .and_then(|s| Severity::parse(&s))
        .unwrap_or_else(|| {
            let level = text(r.get("level"))
                .or_else(|| text(rule.and_then(|x| x.pointer("/defaultConfiguration/level"))));
            match level.as_deref() {
                Some("error") => Severity::High,
                Some("note") => Severity::Low,
                Some("none") => Severity::Info,
                _ => Severity::Medium,
            }
        });
    let message = text(r.pointer("/message/text")).unwrap_or_default();
    let title = text(rule.and_then(|x| x.pointer("/shortDescription/text")))
        .or_else(|| text(rule.and_then(|x| x.get("name"))))
        .unwrap_or_else(|| code.clone());
    let cites: Vec<String> = props
        .and_then(|p| p.get("cites"))
        .or_else(|| rule.and_then(|x| x.pointer("/properties/cites")))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|c| text(Some(c))).collect())
        .unwrap_or_default();
    let location = r
        .pointer("/locations/0/physicalLocation/artifactLocation/uri")
        .and_then(Value::as_str)
        .unwrap_or("");
    let fingerprint = r
        .get("partialFingerprints")
        .or_else(|| r.get("fingerprints"))
        .and_then(Value::as_object)
        .and_then(|m| m.values().find_map(Value::as_str))
        .map(str::to_string)
        .unwrap_or_else(|| {
            crate::auth::sha256_hex(format!("{code}|{location}|{message}").as_bytes())
        });
    // SARIF messages are one language; hegui's carry "zh\nen".
    let (zh, en) = match message.split_once('\n') {
        Some((zh, en)) => (zh.to_string(), en.to_string()),
        None => (message.clone(), message.clone()),
    };
    let (title_zh, title_en) = match title.split_once(" / ") {
        Some((zh, en)) => (zh.to_string(), en.to_string()),
        None => (title.clone(), title),
    };
    Ok(FindingRow {
        code,
        severity,
        party: text(props.and_then(|p| p.get("party"))).unwrap_or_else(|| "unknown".into()),
        pi: None,
        fingerprint,
        title: (title_zh, title_en),
        message: (zh, en),
        cites,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn sarif_from_another_engine() {
        let log = serde_json::json!({
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {"name": "other", "rules": [
                    {"id": "X1", "shortDescription": {"text": "Reads IMEI"},
                     "defaultConfiguration": {"level": "error"},
                     "properties": {"cites": ["MIIT164-01"]}}
                ]}},
                "results": [
                    {"ruleId": "X1", "message": {"text": "getDeviceId called"},
                     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "classes.dex"}}}]},
                    {"ruleId": "X2", "level": "note", "message": {"text": "n"},
                     "partialFingerprints": {"k": "abc"}}
                ]
            }]
        });
        let rows = sarif_findings(&log).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].severity, Severity::High);
        assert_eq!(rows[0].cites, vec!["MIIT164-01".to_string()]);
        assert_eq!(rows[0].title.1, "Reads IMEI");
        assert_eq!(rows[0].fingerprint.len(), 64);
        assert_eq!(rows[1].severity, Severity::Low);
        assert_eq!(rows[1].fingerprint, "abc");
        assert!(sarif_findings(&serde_json::json!({"version": "2.1.0"})).is_err());
        assert!(sarif_findings(&serde_json::json!({"runs": [{"results": [{}]}]})).is_err());
    }
}
