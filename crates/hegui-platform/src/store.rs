//! Object storage for packages and reports, addressed by SHA-256: a local folder by default
//! (`object_store`'s local file system), any S3-compatible store at scale. Objects are
//! streamed in and out in chunks, never held whole in memory.

use std::path::Path as FsPath;
use std::sync::Arc;

use futures_util::StreamExt;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, PutPayload, WriteMultipart};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Chunk size for streaming an object in or out.
const CHUNK: usize = 8 << 20;

#[derive(Clone)]
pub struct Store {
    inner: Arc<dyn ObjectStore>,
    /// A local folder's store, also kept as itself: files move in and out of it with the
    /// file system's own copy (or a hard link), not chunk by chunk through a stream, which
    /// measured ten times slower for a 3 MB package.
    local: Option<Arc<LocalFileSystem>>,
    /// Where it is, for messages.
    pub location: String,
}

/// The key of a package: `artifacts/ab/abcdef…` (two-level fan-out keeps folders small).
pub fn artifact_key(sha256: &str) -> String {
    format!("artifacts/{}/{sha256}", sha256.get(..2).unwrap_or("00"))
}

/// Where stores and pipelines drop packages for submission by key: the only keys a caller
/// may name, so no one submits another tenant's evidence by guessing its key.
pub const INTAKE_PREFIX: &str = "intake/";

/// A caller-named intake key, checked: under [`INTAKE_PREFIX`], no empty, `.` or `..`
/// segment, printable, bounded.
pub fn intake_key(key: &str) -> anyhow::Result<&str> {
    let key = key.trim();
    anyhow::ensure!(
        key.starts_with(INTAKE_PREFIX) && key.len() <= 1024,
        "object key {key:?}: submit keys under {INTAKE_PREFIX} (at most 1024 bytes)"
    );
    let bad_segment = key
        .split('/')
        .skip(1)
        .any(|s| s.is_empty() || s == "." || s == ".." || s.chars().any(char::is_control));
    anyhow::ensure!(
        !bad_segment,
        "object key {key:?}: an empty, `.` or `..` segment"
    );
    Ok(key)
}

/// The key of a report: one per package and ruleset.
pub fn report_key(sha256: &str, ruleset: &str) -> String {
    format!(
        "reports/{}/{sha256}-{ruleset}.json",
        sha256.get(..2).unwrap_or("00")
    )
}

impl Store {
    /// A local folder (created if missing).
    pub fn local(dir: &FsPath) -> anyhow::Result<Store> {
        std::fs::create_dir_all(dir)
            .map_err(|e| anyhow::anyhow!("object folder {}: {e}", dir.display()))?;
        let local = Arc::new(
            LocalFileSystem::new_with_prefix(dir)
                .map_err(|e| anyhow::anyhow!("object folder {}: {e}", dir.display()))?,
        );
        Ok(Store {
            inner: local.clone(),
            local: Some(local),
            location: dir.display().to_string(),
        })
    }

    /// `--store`: a folder path, `file://PATH`, or `s3://BUCKET[/PREFIX]` for any
    /// S3-compatible store (MinIO, Ceph, OSS, COS, OBS). S3 settings come from the usual
    /// environment: `AWS_ENDPOINT` (the store's URL), `AWS_ACCESS_KEY_ID`,
    /// `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, `AWS_ALLOW_HTTP=true` for a plain-HTTP
    /// endpoint, `AWS_VIRTUAL_HOSTED_STYLE_REQUEST=true` where the store wants it.
    pub fn open(spec: &str) -> anyhow::Result<Store> {
        if let Some(path) = spec.strip_prefix("file://") {
            return Store::local(FsPath::new(path));
        }
        if let Some(rest) = spec.strip_prefix("s3://") {
            return Store::s3(spec, rest);
        }
        if spec.contains("://") {
            anyhow::bail!(
                "object store {spec:?}: expected a folder, file://PATH or s3://BUCKET[/PREFIX]"
            );
        }
        Store::local(FsPath::new(spec))
    }

    fn s3(spec: &str, rest: &str) -> anyhow::Result<Store> {
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        anyhow::ensure!(!bucket.is_empty(), "object store {spec:?}: no bucket");
        let s3 = object_store::aws::AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .build()
            .map_err(|e| anyhow::anyhow!("object store {spec}: {e}"))?;
        let prefix = prefix.trim_matches('/');
        let inner: Arc<dyn ObjectStore> = if prefix.is_empty() {
            Arc::new(s3)
        } else {
            Arc::new(object_store::prefix::PrefixStore::new(s3, prefix))
        };
        Ok(Store {
            inner,
            local: None,
            location: spec.to_string(),
        })
    }

    pub async fn exists(&self, key: &str) -> anyhow::Result<bool> {
        match self.inner.head(&Path::from(key)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(anyhow::anyhow!("{}: {key}: {e}", self.location)),
        }
    }

    /// Upload a local file in chunks (into a local store: copied beside its place, then
    /// renamed, so a reader never sees half an object).
    pub async fn put_file(&self, key: &str, file: &FsPath) -> anyhow::Result<()> {
        let err = |e: &dyn std::fmt::Display| anyhow::anyhow!("{}: {key}: {e}", self.location);
        if let Some(local) = &self.local {
            let dest = local
                .path_to_filesystem(&Path::from(key))
                .map_err(|e| err(&e))?;
            let source = file.to_path_buf();
            return tokio::task::spawn_blocking(move || {
                let dir = dest.parent().ok_or_else(|| anyhow::anyhow!("no parent"))?;
                std::fs::create_dir_all(dir)?;
                let staged = tempfile::NamedTempFile::new_in(dir)?;
                std::fs::copy(&source, staged.path())?;
                staged.persist(&dest)?;
                anyhow::Ok(())
            })
            .await?
            .map_err(|e| err(&e));
        }
        let upload = self
            .inner
            .put_multipart(&Path::from(key))
            .await
            .map_err(|e| err(&e))?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, CHUNK);
        let mut reader = tokio::fs::File::open(file).await.map_err(|e| err(&e))?;
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = reader.read(&mut buf).await.map_err(|e| err(&e))?;
            if n == 0 {
                break;
            }
            // Bounded memory: at most a few chunks in flight.
            writer.wait_for_capacity(4).await.map_err(|e| err(&e))?;
            writer.write(&buf[..n]);
        }
        writer.finish().await.map_err(|e| err(&e))?;
        Ok(())
    }

    pub async fn put_bytes(&self, key: &str, bytes: Vec<u8>) -> anyhow::Result<()> {
        self.inner
            .put(&Path::from(key), PutPayload::from(bytes))
            .await
            .map_err(|e| anyhow::anyhow!("{}: {key}: {e}", self.location))?;
        Ok(())
    }

    /// Download an object into a local file, refusing one larger than `max` bytes (from a
    /// local store: a hard link, or a copy across file systems).
    pub async fn get_to_file(&self, key: &str, dest: &FsPath, max: u64) -> anyhow::Result<u64> {
        let err = |e: &dyn std::fmt::Display| anyhow::anyhow!("{}: {key}: {e}", self.location);
        if let Some(local) = &self.local {
            let source = local
                .path_to_filesystem(&Path::from(key))
                .map_err(|e| err(&e))?;
            let dest = dest.to_path_buf();
            return tokio::task::spawn_blocking(move || {
                let size = std::fs::metadata(&source)?.len();
                anyhow::ensure!(size <= max, "larger than {max} bytes");
                if std::fs::hard_link(&source, &dest).is_err() {
                    std::fs::copy(&source, &dest)?;
                }
                anyhow::Ok(size)
            })
            .await?
            .map_err(|e| err(&e));
        }
        let got = self
            .inner
            .get(&Path::from(key))
            .await
            .map_err(|e| err(&e))?;
        let mut stream = got.into_stream();
        let mut out = tokio::fs::File::create(dest).await.map_err(|e| err(&e))?;
        let mut total = 0u64;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| err(&e))?;
            total += chunk.len() as u64;
            if total > max {
                anyhow::bail!("{}: {key}: larger than {max} bytes", self.location);
            }
            out.write_all(&chunk).await.map_err(|e| err(&e))?;
        }
        out.flush().await.map_err(|e| err(&e))?;
        Ok(total)
    }

    /// SHA-256 and size of an object, streamed; refused past `max` bytes.
    pub async fn hash(&self, key: &str, max: u64) -> anyhow::Result<(String, u64)> {
        use sha2::Digest;
        let mut hasher = sha2::Sha256::new();
        let size = self
            .each_chunk(key, max, |chunk| hasher.update(chunk))
            .await?;
        Ok((hex::encode(hasher.finalize()), size))
    }

    /// Stream an object chunk by chunk into `f`, refusing it past `max` bytes; its size.
    async fn each_chunk(
        &self,
        key: &str,
        max: u64,
        mut f: impl FnMut(&[u8]),
    ) -> anyhow::Result<u64> {
        let err = |e: &dyn std::fmt::Display| anyhow::anyhow!("{}: {key}: {e}", self.location);
        let got = self
            .inner
            .get(&Path::from(key))
            .await
            .map_err(|e| err(&e))?;
        let mut stream = got.into_stream();
        let mut total = 0u64;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| err(&e))?;
            total += chunk.len() as u64;
            if total > max {
                anyhow::bail!("{}: {key}: larger than {max} bytes", self.location);
            }
            f(&chunk);
        }
        Ok(total)
    }

    /// Copy an object inside the store (server-side where the store can).
    pub async fn copy(&self, from: &str, to: &str) -> anyhow::Result<()> {
        self.inner
            .copy(&Path::from(from), &Path::from(to))
            .await
            .map_err(|e| anyhow::anyhow!("{}: copying {from} to {to}: {e}", self.location))
    }

    /// A small object (a report) read whole, refusing one larger than `max` bytes.
    pub async fn get_bytes(&self, key: &str, max: u64) -> anyhow::Result<Vec<u8>> {
        let mut out = Vec::new();
        self.each_chunk(key, max, |chunk| out.extend_from_slice(chunk))
            .await?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn intake_keys_stay_in_intake() {
        use super::intake_key;
        assert!(intake_key("intake/store-a/app.apk").is_ok());
        assert!(intake_key("artifacts/ab/abcdef").is_err());
        assert!(intake_key("intake/../artifacts/ab/x").is_err());
        assert!(intake_key("intake//x").is_err());
        assert!(intake_key("intake/").is_err());
        assert!(intake_key("reports/x").is_err());
    }
}
