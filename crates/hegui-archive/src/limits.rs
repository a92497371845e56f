use std::sync::atomic::{AtomicU64, Ordering};

use crate::ArchiveError;

/// Explicit bounds on everything an archive controls. Defaults suit real app stores' packages
/// (the largest games are a few GiB of assets; code and manifests are far smaller).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest input file accepted at all.
    pub max_file_size: u64,
    pub max_entries: u64,
    /// Largest single inflated entry we will materialise.
    pub max_entry_size: u64,
    /// Total bytes inflated from one artifact, nested archives included.
    pub max_total_inflated: u64,
    /// Inflated:compressed ratio above which an entry is a bomb (checked once output > 1 MiB).
    pub max_ratio: u64,
    /// Zip-in-zip depth (XAPK → APK is depth 1).
    pub max_depth: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_size: 8 << 30,
            max_entries: 200_000,
            max_entry_size: 1 << 30,
            max_total_inflated: 4 << 30,
            max_ratio: 1_000,
            max_depth: 3,
        }
    }
}

/// A shared inflation budget for one artifact (thread-safe: entries are read in parallel).
#[derive(Debug)]
pub struct Budget {
    used: AtomicU64,
    limit: u64,
}

impl Budget {
    pub fn new(limits: &Limits) -> Self {
        Self {
            used: AtomicU64::new(0),
            limit: limits.max_total_inflated,
        }
    }

    /// Take `n` bytes from the budget, or fail naming the entry.
    pub fn take(&self, n: u64, entry: &str) -> Result<(), ArchiveError> {
        let before = self.used.fetch_add(n, Ordering::Relaxed);
        if before.saturating_add(n) > self.limit {
            return Err(ArchiveError::TotalTooLarge {
                entry: entry.to_string(),
                limit: self.limit,
            });
        }
        Ok(())
    }

    pub fn used(&self) -> u64 {
        self.used.load(Ordering::Relaxed)
    }
}
