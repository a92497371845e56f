//! The bytes of an artifact: memory-mapped from a file, or owned (nested archives, tests).

use std::fs::File;
use std::ops::Deref;
use std::path::Path;

use crate::{ArchiveError, Limits};

/// Read-only bytes of an artifact.
pub enum Source {
    Mapped(memmap2::Mmap),
    Owned(Vec<u8>),
}

impl Source {
    /// Map a file read-only. Files over `limits.max_file_size` are refused before mapping.
    pub fn open(path: &Path, limits: &Limits) -> Result<Self, ArchiveError> {
        let io = |e: std::io::Error| ArchiveError::Io {
            path: path.display().to_string(),
            detail: e.to_string(),
        };
        let file = File::open(path).map_err(io)?;
        let size = file.metadata().map_err(io)?.len();
        if size > limits.max_file_size {
            return Err(ArchiveError::FileTooLarge {
                size,
                limit: limits.max_file_size,
            });
        }
        if size == 0 {
            return Ok(Self::Owned(Vec::new()));
        }
        // SAFETY: the map is read-only and private to this process. If another process
        // truncates the file while we scan it the kernel raises SIGBUS; inputs are handed to
        // the scanner as finished files, so we accept that in exchange for not copying
        // multi-GiB packages into memory.
        #[allow(unsafe_code)]
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(io)?;
        Ok(Self::Mapped(map))
    }
}

impl Deref for Source {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Self::Mapped(m) => m,
            Self::Owned(v) => v,
        }
    }
}

impl AsRef<[u8]> for Source {
    fn as_ref(&self) -> &[u8] {
        self
    }
}
