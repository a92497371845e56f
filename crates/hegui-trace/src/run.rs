//! Per-run state: consent phase and app state over time, recomputed from the events.

use hegui_model::{AppState, ConsentPhase, SeqTime, TimelineMark, TraceRun};

/// Marks kept per run for the report's time line, by kind of mark.
const MAX_COLLECT_MARKS: usize = 300;
const MAX_OTHER_MARKS: usize = 300;

pub struct RunState {
    pub facts: TraceRun,
    /// Wall clock minus monotonic clock, learnt from the first event that has both.
    wall_offset_ms: Option<i64>,
    /// Consent transitions (time, phase after it), in time order.
    transitions: Vec<(i64, ConsentPhase)>,
    initial: ConsentPhase,
    pub state: AppState,
    pub started_by_user: bool,
    pub last_user_action_ms: Option<i64>,
    collect_marks: usize,
    other_marks: usize,
}

impl RunState {
    pub fn new(run_id: &str, at: SeqTime, consent_inherited: bool) -> Self {
        Self {
            facts: TraceRun {
                run_id: run_id.to_string(),
                start: at,
                end: at,
                consent_inherited,
                consent_shown: None,
                consent_accepted: None,
                consent_rejected: None,
                preticked: false,
                collected: 0,
                marks: Vec::new(),
            },
            wall_offset_ms: None,
            transitions: Vec::new(),
            initial: if consent_inherited {
                ConsentPhase::AfterConsent
            } else {
                ConsentPhase::BeforeConsent
            },
            state: AppState::Unknown,
            started_by_user: false,
            last_user_action_ms: None,
            collect_marks: 0,
            other_marks: 0,
        }
    }

    /// The event's time in ms: the monotonic clock (immune to wall-clock jumps) mapped onto
    /// the wall clock, else the wall clock.
    pub fn time_of(&mut self, wall_ms: Option<i64>, mono_ns: Option<u64>) -> i64 {
        let mono_ms = mono_ns.map(|n| i64::try_from(n / 1_000_000).unwrap_or(i64::MAX));
        match (wall_ms, mono_ms, self.wall_offset_ms) {
            (_, Some(m), Some(off)) => m.saturating_add(off),
            (Some(w), Some(m), None) => {
                self.wall_offset_ms = Some(w.saturating_sub(m));
                w
            }
            (Some(w), None, _) => w,
            (None, Some(m), None) => m,
            (None, None, _) => self.facts.end.t_ms,
        }
    }

    pub fn touch(&mut self, at: SeqTime) {
        if at.t_ms >= self.facts.end.t_ms || at.seq > self.facts.end.seq {
            self.facts.end = SeqTime {
                seq: at.seq.max(self.facts.end.seq),
                t_ms: at.t_ms.max(self.facts.end.t_ms),
            };
        }
    }

    pub fn phase_at(&self, t_ms: i64) -> ConsentPhase {
        self.transitions
            .iter()
            .rev()
            .find(|(t, _)| *t <= t_ms)
            .map_or(self.initial, |(_, p)| *p)
    }

    fn transition(&mut self, t_ms: i64, phase: ConsentPhase) {
        const MAX_TRANSITIONS: usize = 256;
        if self.transitions.len() >= MAX_TRANSITIONS {
            return;
        }
        let at = self.transitions.partition_point(|(t, _)| *t <= t_ms);
        self.transitions.insert(at, (t_ms, phase));
    }

    pub fn consent_shown(&mut self, at: SeqTime, preticked: bool) {
        self.facts.consent_shown.get_or_insert(at);
        self.facts.preticked |= preticked;
        self.mark(at, "consent_shown", None, None);
    }

    pub fn consent_accepted(&mut self, at: SeqTime) {
        self.facts.consent_accepted.get_or_insert(at);
        self.transition(at.t_ms, ConsentPhase::AfterConsent);
        self.mark(at, "consent_accepted", None, None);
    }

    pub fn consent_rejected(&mut self, at: SeqTime) {
        self.facts.consent_rejected = Some(at);
        self.transition(at.t_ms, ConsentPhase::AfterRejection);
        self.mark(at, "consent_rejected", None, None);
    }

    pub fn set_state(&mut self, at: SeqTime, state: AppState) {
        if self.state != state {
            self.state = state;
            let kind = match state {
                AppState::Foreground => "foreground",
                AppState::Background => "background",
                AppState::Unknown => return,
            };
            self.mark(at, kind, None, None);
        }
    }

    pub fn mark(
        &mut self,
        at: SeqTime,
        kind: &str,
        party: Option<&hegui_model::Party>,
        detail: Option<&str>,
    ) -> bool {
        let (count, cap) = if kind == "collect" || kind == "network" {
            (&mut self.collect_marks, MAX_COLLECT_MARKS)
        } else {
            (&mut self.other_marks, MAX_OTHER_MARKS)
        };
        if *count >= cap {
            return false;
        }
        *count += 1;
        self.facts.marks.push(TimelineMark {
            seq: at.seq,
            t_ms: at.t_ms,
            kind: kind.to_string(),
            party: party.cloned(),
            detail: detail.map(str::to_string),
        });
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seq: u64, t_ms: i64) -> SeqTime {
        SeqTime { seq, t_ms }
    }

    #[test]
    fn consent_phase_follows_time_not_arrival() {
        let mut r = RunState::new("r1", at(0, 1000), false);
        assert_eq!(r.phase_at(1500), ConsentPhase::BeforeConsent);
        r.consent_accepted(at(5, 2000));
        assert_eq!(r.phase_at(1999), ConsentPhase::BeforeConsent);
        assert_eq!(r.phase_at(2000), ConsentPhase::AfterConsent);
        r.consent_rejected(at(9, 3000));
        assert_eq!(r.phase_at(3500), ConsentPhase::AfterRejection);
        let inherited = RunState::new("r2", at(10, 4000), true);
        assert_eq!(inherited.phase_at(0), ConsentPhase::AfterConsent);
    }

    #[test]
    fn monotonic_time_survives_a_wall_clock_jump() {
        let mut r = RunState::new("r1", at(0, 0), false);
        assert_eq!(r.time_of(Some(10_000), Some(1_000_000_000)), 10_000);
        // The wall clock jumped back an hour; the monotonic clock says 2 s passed.
        assert_eq!(
            r.time_of(Some(10_000 - 3_600_000), Some(3_000_000_000)),
            12_000
        );
    }
}
