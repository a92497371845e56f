//! What the user saw and tapped (`ui_snapshot`, `ui_action`), and what followed: downloads,
//! installs and store pages (notice 164 task 7), and PI asked for on a reward screen or right
//! after a tap on a reward (task 8).
//!
//! Screens, taps and the events that may follow them are kept per run, bounded, and matched
//! by time when the trace ends, so dumps read after the trace (a folder of `uiautomator dump`
//! files handed in beside it) line up with its taps.

use hegui_knowledge::UiVocabulary;
use hegui_model::{
    DownloadKind, DownloadStart, PiCategory, RewardRequest, RewardScreen, SeqTime, TappedElement,
    TraceFacts,
};

use crate::event::{Event, UiElement};
use crate::import::uiautomator::parse_dump;

const MAX_SCREENS: usize = 5_000;
/// Labelled elements kept per screen (to name a tap that carries only bounds or an id).
const MAX_ELEMENTS: usize = 500;
const MAX_TAPS: usize = 20_000;
const MAX_FOLLOWERS: usize = 20_000;
const MAX_REWARD_SCREENS: usize = 1_000;
/// Labels quoted per reward screen.
const MAX_LABELS: usize = 8;

/// PI a reward may be offered for (notice 164 task 8 names ID numbers, faces, fingerprints;
/// T/TAF 078.3 adds what the permission prompts hand over).
const ASKED_PI: &[PiCategory] = &[
    PiCategory::Identity,
    PiCategory::Biometrics,
    PiCategory::Camera,
    PiCategory::Contacts,
    PiCategory::Location,
    PiCategory::Microphone,
    PiCategory::DeviceId,
];

struct Element {
    label: String,
    resource_id: Option<String>,
    rect: Option<(i64, i64, i64, i64)>,
}

struct Screen {
    run: usize,
    at: SeqTime,
    name: Option<String>,
    elements: Vec<Element>,
}

struct Tap {
    run: usize,
    at: SeqTime,
    label: String,
    resource_id: Option<String>,
    rect: Option<(i64, i64, i64, i64)>,
}

/// A download or a PI request waiting to be matched with the tap before it.
struct Follower<T> {
    run: usize,
    at: SeqTime,
    what: T,
}

pub(crate) struct UiTracker {
    vocab: &'static UiVocabulary,
    download_window_ms: i64,
    reward_window_ms: i64,
    screens: Vec<Screen>,
    taps: Vec<Tap>,
    downloads: Vec<Follower<(DownloadKind, String)>>,
    requests: Vec<Follower<(String, PiCategory)>>,
    reward_screens: Vec<(usize, RewardScreen)>,
    pub(crate) truncated: bool,
}

impl UiTracker {
    pub(crate) fn new(download_window_ms: i64, reward_window_ms: i64) -> Self {
        Self {
            vocab: hegui_knowledge::ui_vocabulary(),
            download_window_ms,
            reward_window_ms,
            screens: Vec::new(),
            taps: Vec::new(),
            downloads: Vec::new(),
            requests: Vec::new(),
            reward_screens: Vec::new(),
            truncated: false,
        }
    }

    /// A `ui_snapshot`: its elements, or the dump it carries. A bad dump is an error for the
    /// caller to report; the event is then ignored.
    pub(crate) fn snapshot(
        &mut self,
        ev: &Event<'_>,
        run: usize,
        at: SeqTime,
    ) -> Result<(), String> {
        let parsed;
        let elements: &[UiElement] = match (&ev.elements, ev.xml.as_deref()) {
            (Some(list), _) => list,
            (None, Some(xml)) => {
                parsed = parse_dump(xml)?.elements;
                &parsed
            }
            (None, None) => &[],
        };
        let name = ev.screen.as_deref().map(str::to_string);
        self.reward_screen(elements, run, at, name.as_deref());
        if self.screens.len() >= MAX_SCREENS {
            self.truncated = true;
            return Ok(());
        }
        let kept = elements
            .iter()
            .filter(|e| !e.label().is_empty() || e.resource_id.is_some())
            .take(MAX_ELEMENTS)
            .map(|e| Element {
                label: e.label().to_string(),
                resource_id: e.resource_id.clone(),
                rect: e.rect(),
            })
            .collect();
        self.screens.push(Screen {
            run,
            at,
            name,
            elements: kept,
        });
        Ok(())
    }

    /// A screen offering a reward and asking for PI, as one label ("实名认证领红包") or in
    /// labels side by side.
    fn reward_screen(
        &mut self,
        elements: &[UiElement],
        run: usize,
        at: SeqTime,
        name: Option<&str>,
    ) {
        let mut rewards: Vec<String> = Vec::new();
        let mut asks: Vec<PiCategory> = Vec::new();
        let mut labels: Vec<String> = Vec::new();
        let mut together = false;
        for e in elements {
            let label = e.label();
            if label.is_empty() {
                continue;
            }
            let r = self.vocab.rewards_in(label);
            let a: Vec<PiCategory> = self
                .vocab
                .asks_in(label)
                .into_iter()
                .filter(|p| ASKED_PI.contains(p))
                .collect();
            if r.is_empty() && a.is_empty() {
                continue;
            }
            together |= !r.is_empty() && !a.is_empty();
            for w in r {
                if !rewards.iter().any(|x| x == w) {
                    rewards.push(w.to_string());
                }
            }
            for p in a {
                if !asks.contains(&p) {
                    asks.push(p);
                }
            }
            if labels.len() < MAX_LABELS && !labels.iter().any(|l| l == label) {
                labels.push(label.to_string());
            }
        }
        if rewards.is_empty() || asks.is_empty() {
            return;
        }
        if self.reward_screens.len() >= MAX_REWARD_SCREENS {
            self.truncated = true;
            return;
        }
        self.reward_screens.push((
            run,
            RewardScreen {
                at,
                run_id: String::new(),
                screen: name.map(str::to_string),
                rewards,
                asks,
                labels,
                together,
            },
        ));
    }

    /// A `ui_action` tap.
    pub(crate) fn tap(&mut self, ev: &Event<'_>, run: usize, at: SeqTime) {
        if self.taps.len() >= MAX_TAPS {
            self.truncated = true;
            return;
        }
        let target = ev.target.as_ref();
        self.taps.push(Tap {
            run,
            at,
            label: target.map_or("", UiElement::label).to_string(),
            resource_id: target.and_then(|t| t.resource_id.clone()),
            rect: target.and_then(UiElement::rect),
        });
    }

    pub(crate) fn download(&mut self, run: usize, at: SeqTime, kind: DownloadKind, what: String) {
        push_follower(
            &mut self.downloads,
            run,
            at,
            (kind, what),
            &mut self.truncated,
        );
    }

    /// A permission request or a collection of PI a reward may have asked for.
    pub(crate) fn pi_request(&mut self, run: usize, at: SeqTime, request: String, pi: PiCategory) {
        if ASKED_PI.contains(&pi) {
            push_follower(
                &mut self.requests,
                run,
                at,
                (request, pi),
                &mut self.truncated,
            );
        }
    }

    /// Match the downloads and requests with the taps before them; `run_ids` names the runs.
    pub(crate) fn finish(mut self, run_ids: &[String], facts: &mut TraceFacts) {
        self.screens.sort_by_key(|s| (s.run, s.at.t_ms, s.at.seq));
        self.taps.sort_by_key(|t| (t.run, t.at.t_ms, t.at.seq));
        let run_id = |run: usize| run_ids.get(run).cloned().unwrap_or_default();
        for f in std::mem::take(&mut self.downloads) {
            let tap = self.tap_before(f.run, f.at, self.download_window_ms);
            facts.downloads.push(DownloadStart {
                at: f.at,
                run_id: run_id(f.run),
                kind: f.what.0,
                what: f.what.1,
                tap,
            });
        }
        for f in std::mem::take(&mut self.requests) {
            let Some(tap) = self.tap_before(f.run, f.at, self.reward_window_ms) else {
                continue;
            };
            if self.vocab.rewards_in(&tap.label).is_empty() {
                continue;
            }
            facts.reward_requests.push(RewardRequest {
                at: f.at,
                run_id: run_id(f.run),
                tap,
                request: f.what.0,
                pi: f.what.1,
            });
        }
        for (run, mut screen) in std::mem::take(&mut self.reward_screens) {
            screen.run_id = run_id(run);
            facts.reward_screens.push(screen);
        }
        facts.truncated |= self.truncated;
    }

    /// The last tap of `run` at most `window_ms` before `at`, named from the screen shown
    /// when it happened if the tap itself carries no label.
    fn tap_before(&self, run: usize, at: SeqTime, window_ms: i64) -> Option<TappedElement> {
        // Both lists are sorted by (run, time, seq).
        let i = self
            .taps
            .partition_point(|t| (t.run, t.at.t_ms, t.at.seq) <= (run, at.t_ms, at.seq));
        let tap = i
            .checked_sub(1)
            .and_then(|i| self.taps.get(i))
            .filter(|t| t.run == run && at.t_ms - t.at.t_ms <= window_ms)?;
        let j = self
            .screens
            .partition_point(|s| (s.run, s.at.t_ms) <= (run, tap.at.t_ms));
        let screen = j
            .checked_sub(1)
            .and_then(|j| self.screens.get(j))
            .filter(|s| s.run == run);
        let mut label = tap.label.clone();
        let mut resource_id = tap.resource_id.clone();
        if label.is_empty()
            && let Some(e) = screen.and_then(|s| element_at(s, tap))
        {
            label = e.label.clone();
            resource_id = resource_id.or_else(|| e.resource_id.clone());
        }
        Some(TappedElement {
            at: tap.at,
            label,
            resource_id,
            screen: screen.and_then(|s| s.name.clone()),
        })
    }
}

/// The element a tap hit: the same resource id with a label, else the smallest labelled
/// element holding the centre of the tap's bounds.
fn element_at<'s>(screen: &'s Screen, tap: &Tap) -> Option<&'s Element> {
    if let Some(id) = &tap.resource_id
        && let Some(e) = screen
            .elements
            .iter()
            .find(|e| e.resource_id.as_ref() == Some(id) && !e.label.is_empty())
    {
        return Some(e);
    }
    let (l, t, r, b) = tap.rect?;
    let (x, y) = ((l + r) / 2, (t + b) / 2);
    screen
        .elements
        .iter()
        .filter(|e| !e.label.is_empty())
        .filter_map(|e| {
            let (el, et, er, eb) = e.rect?;
            (el <= x && x <= er && et <= y && y <= eb).then_some((e, (er - el) * (eb - et)))
        })
        .min_by_key(|(_, area)| *area)
        .map(|(e, _)| e)
}

fn push_follower<T>(
    list: &mut Vec<Follower<T>>,
    run: usize,
    at: SeqTime,
    what: T,
    truncated: &mut bool,
) {
    if list.len() < MAX_FOLLOWERS {
        list.push(Follower { run, at, what });
    } else {
        *truncated = true;
    }
}

/// A download or an install an API call shows: its category (`download.enqueue`,
/// `package.install`) or its API (`DownloadManager.enqueue`, a committed `PackageInstaller`
/// session).
pub(crate) fn download_api(ev: &Event<'_>) -> Option<(DownloadKind, String)> {
    let (cls, method) = match &ev.api {
        Some(api) if api.method.is_empty() => api.cls.split_once('#').unwrap_or((&api.cls, "")),
        Some(api) => (&*api.cls, &*api.method),
        None => ("", ""),
    };
    let kind = match (ev.category.as_deref(), cls, method) {
        (Some("download.enqueue"), ..) | (_, "android.app.DownloadManager", "enqueue") => {
            DownloadKind::Download
        }
        (Some("package.install"), ..)
        | (_, "android.content.pm.PackageInstaller$Session", "commit") => DownloadKind::Install,
        _ => return None,
    };
    let what = if cls.is_empty() {
        ev.category.as_deref().unwrap_or("").to_string()
    } else {
        format!("{cls}#{method}")
    };
    Some((kind, what))
}

/// A store page, the package installer or an `.apk` an intent opens.
pub(crate) fn download_intent(ev: &Event<'_>, target: &str) -> Option<(DownloadKind, String)> {
    let vocab = hegui_knowledge::ui_vocabulary();
    let url = ev.url.as_deref().unwrap_or("");
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("market://") || vocab.stores.iter().any(|s| s == target) {
        let what = if url.is_empty() { target } else { url };
        return Some((DownloadKind::Store, what.to_string()));
    }
    if vocab.installers.iter().any(|s| s == target)
        || ev.action.as_deref() == Some("android.intent.action.INSTALL_PACKAGE")
    {
        return Some((DownloadKind::Install, target.to_string()));
    }
    let parts = crate::url::split(url);
    is_apk_path(parts.path).then(|| {
        (
            DownloadKind::Download,
            format!("{}://{}{}", parts.scheme, parts.host, parts.path),
        )
    })
}

/// A URL path naming an Android package file.
pub(crate) fn is_apk_path(path: &str) -> bool {
    path.len() > 4
        && path
            .get(path.len() - 4..)
            .is_some_and(|ext| ext.eq_ignore_ascii_case(".apk"))
}
