//! Streaming raw-deflate decoding cut at explicit limits.

use flate2::{Decompress, FlushDecompress, Status};

use crate::{ArchiveError, Budget, Limits};

/// Deflate never expands more than about 1032:1, so the output of `n` compressed bytes is
/// bounded before we look at what the header claims.
const DEFLATE_MAX_EXPANSION: u64 = 1032;
/// Ratios are only judged past this size: tiny, highly repetitive files are normal.
const RATIO_CHECK_FLOOR: usize = 1 << 20;
const GROW_STEP: usize = 1 << 20;

/// Inflate `input` (raw deflate) for `entry`, refusing to produce more than the limits allow.
pub(crate) fn inflate_bounded(
    input: &[u8],
    declared_size: u64,
    entry: &str,
    limits: &Limits,
    budget: &Budget,
) -> Result<Vec<u8>, ArchiveError> {
    let hard_cap = limits.max_entry_size;
    let plausible = (input.len() as u64)
        .saturating_mul(DEFLATE_MAX_EXPANSION)
        .saturating_add(1024);
    let initial = declared_size.min(plausible).min(hard_cap).min(64 << 20);
    let mut out: Vec<u8> = Vec::with_capacity(usize::try_from(initial).unwrap_or(0).max(256));
    let mut inflater = Decompress::new(false);

    loop {
        if out.len() == out.capacity() {
            let len = out.len() as u64;
            if len >= hard_cap {
                return Err(ArchiveError::EntryTooLarge {
                    entry: entry.to_string(),
                    limit: hard_cap,
                });
            }
            let step = (out.len().max(GROW_STEP) as u64).min(hard_cap - len);
            out.reserve_exact(usize::try_from(step).unwrap_or(GROW_STEP));
        }
        let consumed = usize::try_from(inflater.total_in()).unwrap_or(usize::MAX);
        let rest = input.get(consumed..).unwrap_or(&[]);
        let out_before = out.len();
        let status = inflater
            .decompress_vec(rest, &mut out, FlushDecompress::Finish)
            .map_err(|e| ArchiveError::CorruptEntry {
                entry: entry.to_string(),
                detail: e.to_string(),
            })?;
        let produced = out.len() - out_before;
        budget.take(produced as u64, entry)?;

        if out.len() > RATIO_CHECK_FLOOR {
            let ratio = out.len() as u64 / (inflater.total_in().max(1));
            if ratio > limits.max_ratio {
                return Err(ArchiveError::ZipBomb {
                    entry: entry.to_string(),
                    ratio: limits.max_ratio,
                });
            }
        }
        match status {
            Status::StreamEnd => return Ok(out),
            Status::Ok | Status::BufError => {
                let no_progress = produced == 0
                    && usize::try_from(inflater.total_in()).unwrap_or(usize::MAX) == consumed;
                if no_progress && out.len() < out.capacity() {
                    return Err(ArchiveError::CorruptEntry {
                        entry: entry.to_string(),
                        detail: format!(
                            "deflate stream ends early after {} of {} compressed bytes",
                            consumed,
                            input.len()
                        ),
                    });
                }
            }
        }
    }
}
