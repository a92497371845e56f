//! Errors and resource limits.

/// Why a binary XML document or a resource table could not be read.
///
/// Every variant names the byte offset (from the start of the input) where the
/// problem was found and what the reader expected there. [`AxmlError::code`]
/// gives a stable, kebab-case identifier for programmatic use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AxmlError {
    /// The binary XML input ends before a structure the reader needs.
    #[error("truncated binary XML at offset {offset}: expected {expected}")]
    TruncatedAxml {
        /// Offset where more data was needed.
        offset: usize,
        /// What the reader expected to find.
        expected: String,
    },
    /// The binary XML input is not binary XML or is damaged beyond recovery.
    #[error("malformed binary XML at offset {offset}: expected {expected}")]
    MalformedAxml {
        /// Offset of the offending structure.
        offset: usize,
        /// What the reader expected to find.
        expected: String,
    },
    /// Elements are nested deeper than [`Limits::max_depth`].
    #[error(
        "binary XML nested too deep at offset {offset}: depth {depth} exceeds the limit of {limit}"
    )]
    TooDeep {
        /// Offset of the start element that went too deep.
        offset: usize,
        /// The depth that element would have had.
        depth: usize,
        /// The configured limit.
        limit: usize,
    },
    /// The resource table input ends before a structure the reader needs.
    #[error("truncated resource table at offset {offset}: expected {expected}")]
    TruncatedArsc {
        /// Offset where more data was needed.
        offset: usize,
        /// What the reader expected to find.
        expected: String,
    },
    /// The resource table input is not a resource table or is damaged beyond recovery.
    #[error("malformed resource table at offset {offset}: expected {expected}")]
    MalformedArsc {
        /// Offset of the offending structure.
        offset: usize,
        /// What the reader expected to find.
        expected: String,
    },
    /// A string pool chunk cannot be interpreted at all.
    #[error("bad string pool at offset {offset}: expected {expected}")]
    BadStringPool {
        /// Offset of the string pool chunk.
        offset: usize,
        /// What the reader expected to find.
        expected: String,
    },
    /// A resource limit from [`Limits`] was exceeded.
    #[error("limit exceeded at offset {offset}: {what} exceeds the limit of {limit}")]
    LimitExceeded {
        /// Offset where the limit was hit.
        offset: usize,
        /// Which limit.
        what: &'static str,
        /// The configured limit.
        limit: usize,
    },
}

impl AxmlError {
    /// A stable kebab-case code for this error kind.
    pub fn code(&self) -> &'static str {
        match self {
            AxmlError::TruncatedAxml { .. } => "truncated-axml",
            AxmlError::MalformedAxml { .. } => "malformed-axml",
            AxmlError::TooDeep { .. } => "axml-too-deep",
            AxmlError::TruncatedArsc { .. } => "truncated-arsc",
            AxmlError::MalformedArsc { .. } => "malformed-arsc",
            AxmlError::BadStringPool { .. } => "bad-string-pool",
            AxmlError::LimitExceeded { .. } => "limit-exceeded",
        }
    }

    /// The input offset the error refers to.
    pub fn offset(&self) -> usize {
        match self {
            AxmlError::TruncatedAxml { offset, .. }
            | AxmlError::MalformedAxml { offset, .. }
            | AxmlError::TooDeep { offset, .. }
            | AxmlError::TruncatedArsc { offset, .. }
            | AxmlError::MalformedArsc { offset, .. }
            | AxmlError::BadStringPool { offset, .. }
            | AxmlError::LimitExceeded { offset, .. } => *offset,
        }
    }
}

/// Bounds on the work and memory one parse may use.
///
/// Inputs are attacker-controlled; every count read from the input is also
/// capped by the number of bytes that could actually hold it, so these limits
/// only matter for large but well-formed inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Deepest element nesting accepted (the root element has depth 1).
    /// Keep it modest: the element tree is dropped, cloned and compared
    /// recursively, so its depth is stack depth.
    pub max_depth: usize,
    /// Most elements accepted in one document.
    pub max_elements: usize,
    /// Most strings accepted in one string pool (after capping the declared
    /// count by the bytes available).
    pub max_string_pool_strings: usize,
    /// Most bytes of decoded string text one document parse, or one
    /// [`crate::ResourceTable::values`] call, may produce.
    pub max_total_string_bytes: usize,
    /// Most resource-table entries plus map items accepted in one table.
    pub max_table_entries: usize,
    /// Longest reference chain followed when resolving a resource value.
    pub max_reference_depth: usize,
    /// Most anomaly notes kept; further ones are counted but not stored.
    pub max_anomalies: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 256,
            max_elements: 1_000_000,
            max_string_pool_strings: 4_000_000,
            max_total_string_bytes: 64 << 20,
            max_table_entries: 8_000_000,
            max_reference_depth: 32,
            max_anomalies: 256,
        }
    }
}

/// Collects notes about lenient fixes, bounded in number.
#[derive(Debug)]
pub(crate) struct Anomalies {
    notes: Vec<String>,
    max: usize,
    suppressed: usize,
}

impl Anomalies {
    pub(crate) fn new(max: usize) -> Self {
        Anomalies {
            notes: Vec::new(),
            max,
            suppressed: 0,
        }
    }

    pub(crate) fn push(&mut self, note: impl Into<String>) {
        if self.notes.len() < self.max {
            self.notes.push(note.into());
        } else {
            self.suppressed = self.suppressed.saturating_add(1);
        }
    }

    pub(crate) fn finish(mut self) -> Vec<String> {
        if self.suppressed > 0 {
            self.notes.push(format!(
                "{} further anomalies not recorded",
                self.suppressed
            ));
        }
        self.notes
    }
}
