//! `POL`: rules over a privacy policy's text; `XC`: the policy against the package.

pub mod agreement_not_policy;
pub mod element_missing;
pub mod no_complaint_channel;
pub mod pi_not_declared;
pub mod response_too_slow;
pub mod sdk_not_listed;
pub mod sensitive_unmarked;

use hegui_model::{Evidence, PolicyFacts, TextSpan};

/// Evidence at a span of the policy.
pub(crate) fn span_evidence(policy: &PolicyFacts, span: &TextSpan) -> Evidence {
    Evidence::Span {
        file: policy.source.clone(),
        start: span.start,
        end: span.end,
        quote: span.quote.clone(),
    }
}

/// Evidence that the policy says nothing: its source and size.
pub(crate) fn whole_policy(policy: &PolicyFacts) -> Evidence {
    Evidence::Note {
        text: format!(
            "{} ({} characters, {}, {})",
            policy.source, policy.chars, policy.language, policy.doc_type
        ),
    }
}
