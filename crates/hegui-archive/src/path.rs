use crate::ArchiveError;

/// Turn an entry name into a safe relative path (forward slashes, no `..`, no root, no drive,
/// no NUL), or refuse it with `path-traversal`. Empty components and `.` are dropped.
pub fn sanitize_path(name: &str) -> Result<String, ArchiveError> {
    let refuse = |detail: &str| ArchiveError::PathTraversal {
        entry: name.to_string(),
        detail: detail.to_string(),
    };
    if name.contains('\0') {
        return Err(refuse("NUL byte in name"));
    }
    let unified = name.replace('\\', "/");
    if unified.starts_with('/') {
        return Err(refuse("absolute path"));
    }
    let bytes = unified.as_bytes();
    if bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic() {
        return Err(refuse("drive letter"));
    }
    let mut parts = Vec::new();
    for part in unified.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err(refuse("`..` component")),
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        return Err(refuse("empty path"));
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_ordinary_names() {
        assert_eq!(
            sanitize_path("assets/www/index.html").ok().as_deref(),
            Some("assets/www/index.html")
        );
        assert_eq!(sanitize_path("./a//b").ok().as_deref(), Some("a/b"));
    }

    #[test]
    fn refuses_escapes() {
        for bad in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "C:\\win",
            "a\\..\\..\\x",
            "a\0b",
            "",
        ] {
            let err = sanitize_path(bad).err();
            assert_eq!(err.map(|e| e.code()), Some("path-traversal"), "{bad:?}");
        }
    }
}
