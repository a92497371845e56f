//! `--run`: a mini-program run in hegui's sandbox, judged like any trace.

use hegui_model::{Report, ScanError};

/// The sandbox's outcome, or why it could not run.
pub(crate) struct Run {
    display: String,
    outcome: Result<hegui_mpsandbox::Outcome, String>,
}

/// The run's events, for the trace reader.
pub(crate) struct RunTrace {
    pub display: String,
    pub jsonl: String,
}

/// Run the package whose scripts `sources` holds.
pub(crate) fn run(
    sources: Result<hegui_miniprogram::Sources, String>,
    display: &str,
    limits: &hegui_mpsandbox::Limits,
) -> Run {
    let outcome = sources.map(|s| {
        let program = hegui_mpsandbox::Program {
            appid: s.appid,
            scripts: s.scripts,
            app_config: s.app_config,
        };
        hegui_mpsandbox::run(&program, limits)
    });
    Run {
        display: format!("{display}#{}", hegui_mpsandbox::TOOL),
        outcome,
    }
}

impl Run {
    /// Put the run's summary in the mini-program facts (and a budget overrun in the errors);
    /// the events to read as a trace.
    pub(crate) fn attach_to(self, report: &mut Report) -> Option<RunTrace> {
        match self.outcome {
            Err(e) => {
                report.errors.push(ScanError::new(
                    "sandbox-not-run",
                    format!("the package could not be run: {e}"),
                    Some(&self.display),
                ));
                None
            }
            Ok(outcome) => {
                if let Some(what) = &outcome.run.budget_exceeded {
                    report.errors.push(ScanError::new(
                        "sandbox-budget-exceeded",
                        format!("the run stopped when its {what} budget ran out; the events before are judged"),
                        Some(&self.display),
                    ));
                }
                if let Some(mp) = report.facts.miniprogram.as_mut() {
                    mp.run = Some(outcome.run);
                }
                Some(RunTrace {
                    display: self.display,
                    jsonl: outcome.jsonl,
                })
            }
        }
    }
}
