//! The HTML report's time line: per run, one lane for consent, one for foreground /
//! background, one per party for collection and requests, one for permissions and starts.
//! Positions are computed here; the template only draws.

use std::collections::BTreeMap;

use hegui_model::{Lang, Party, TraceFacts, TraceRun};
use serde::Serialize;

const WIDTH: f64 = 960.0;
const LABEL: f64 = 190.0;
const LANE: f64 = 26.0;
const MAX_PARTY_LANES: usize = 8;

#[derive(Serialize)]
pub struct RunView {
    pub run_id: String,
    pub seconds: String,
    pub width: f64,
    pub height: f64,
    pub lanes: Vec<Lane>,
    pub ticks: Vec<Tick>,
}

#[derive(Serialize)]
pub struct Lane {
    pub label: String,
    pub y: f64,
    pub marks: Vec<Mark>,
    pub segments: Vec<Segment>,
}

#[derive(Serialize)]
pub struct Mark {
    pub x: f64,
    pub kind: String,
    pub title: String,
}

#[derive(Serialize)]
pub struct Segment {
    pub x: f64,
    pub w: f64,
    pub kind: String,
}

#[derive(Serialize)]
pub struct Tick {
    pub x: f64,
    pub label: String,
}

pub fn runs(trace: &TraceFacts, lang: Lang) -> Vec<RunView> {
    trace.runs.iter().take(20).map(|r| run(r, lang)).collect()
}

fn run(r: &TraceRun, lang: Lang) -> RunView {
    let zh = lang == Lang::Zh;
    let t0 = r
        .start
        .t_ms
        .min(r.marks.iter().map(|m| m.t_ms).min().unwrap_or(r.start.t_ms));
    let t1 = r.end.t_ms.max(t0 + 1000);
    let span = (t1 - t0) as f64;
    let x = |t: i64| LABEL + (t - t0) as f64 / span * (WIDTH - LABEL - 10.0);
    let mut consent = Lane::new(if zh { "隐私政策" } else { "privacy notice" });
    let mut state = Lane::new(if zh {
        "前台 / 后台"
    } else {
        "foreground / background"
    });
    let mut other = Lane::new(if zh {
        "权限与启动"
    } else {
        "permissions & starts"
    });
    let mut parties: BTreeMap<&Party, Lane> = BTreeMap::new();
    let mut fg_since: Option<(i64, &str)> = None;
    for m in &r.marks {
        let title = format!(
            "seq {} · {}{}",
            m.seq,
            m.kind,
            m.detail
                .as_ref()
                .map(|d| format!(" {d}"))
                .unwrap_or_default()
        );
        let mark = Mark {
            x: x(m.t_ms),
            kind: m.kind.clone(),
            title,
        };
        match m.kind.as_str() {
            "consent_shown" | "consent_accepted" | "consent_rejected" => consent.marks.push(mark),
            "foreground" | "background" => {
                if let Some((since, kind)) = fg_since {
                    state.segments.push(Segment {
                        x: x(since),
                        w: (x(m.t_ms) - x(since)).max(1.0),
                        kind: kind.into(),
                    });
                }
                fg_since = Some((m.t_ms, m.kind.as_str()));
            }
            "collect" | "network" => {
                let party = m.party.as_ref().unwrap_or(&Party::Unknown);
                if parties.len() < MAX_PARTY_LANES || parties.contains_key(party) {
                    parties
                        .entry(party)
                        .or_insert_with(|| Lane::new(&party.to_string()))
                        .marks
                        .push(mark);
                }
            }
            _ => other.marks.push(mark),
        }
    }
    if let Some((since, kind)) = fg_since {
        state.segments.push(Segment {
            x: x(since),
            w: (x(t1) - x(since)).max(1.0),
            kind: kind.into(),
        });
    }
    let mut lanes = vec![consent, state];
    lanes.extend(parties.into_values());
    lanes.push(other);
    for (i, lane) in lanes.iter_mut().enumerate() {
        lane.y = 20.0 + i as f64 * LANE;
    }
    let height = 20.0 + lanes.len() as f64 * LANE + 20.0;
    let ticks = (0..=4)
        .map(|i| {
            let t = t0 + (span * f64::from(i) / 4.0) as i64;
            Tick {
                x: x(t),
                label: format!("{:.1}s", (t - t0) as f64 / 1000.0),
            }
        })
        .collect();
    RunView {
        run_id: r.run_id.clone(),
        seconds: format!("{:.1}", span / 1000.0),
        width: WIDTH,
        height,
        lanes,
        ticks,
    }
}

impl Lane {
    fn new(label: &str) -> Self {
        Self {
            label: label.to_string(),
            y: 0.0,
            marks: Vec::new(),
            segments: Vec::new(),
        }
    }
}
