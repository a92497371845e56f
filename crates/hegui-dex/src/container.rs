//! DEX 041 containers: several DEX sections back to back in one file.
//!
//! Each section starts with a 0x78-byte header whose `file_size` is the size of
//! the section, `header_offset` its position, and `container_size` the size of
//! the whole file. Offsets in every section are from the start of the file, so
//! sections can share data.

use crate::{Dex, DexError, Limits};

impl<'a> Dex<'a> {
    /// Parses every DEX section of `data`.
    ///
    /// For versions 035 to 040 (or a 041 file without the container fields)
    /// this returns the one file. For a 041 container it follows `file_size`
    /// from header to header until `container_size` is reached; every section
    /// must be a well-formed 041 header at the position it declares.
    pub fn parse_container(data: &'a [u8], limits: &Limits) -> Result<Vec<Dex<'a>>, DexError> {
        let first = Dex::parse(data, limits)?;
        if !first.header.is_container() {
            return Ok(vec![first]);
        }
        let container_size = first.header.container_size as usize;
        let mut sections = Vec::new();
        let mut next = Some(first);
        let mut base = 0usize;
        loop {
            let dex = match next.take() {
                Some(d) => d,
                None => Dex::parse_at(data, base, limits)?,
            };
            if !dex.header.is_container() || dex.header.container_size as usize != container_size {
                return Err(DexError::BadContainer {
                    offset: base as u64,
                    reason: "section does not carry the container_size of the first section",
                    value: u64::from(dex.header.container_size),
                });
            }
            // file_size >= header_size >= 0x78 was checked: `base` grows.
            base += dex.header.file_size as usize;
            sections.push(dex);
            if base >= container_size {
                return Ok(sections);
            }
        }
    }
}
