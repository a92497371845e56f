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
    /// Where it is, for messages.
    pub location: String,
}

/// The key of a package: `artifacts/ab/abcdef…` (two-level fan-out keeps folders small).
pub fn artifact_key(sha256: &str) -> String {
    format!("artifacts/{}/{sha256}", sha256.get(..2).unwrap_or("00"))
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
        let inner = LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| anyhow::anyhow!("object folder {}: {e}", dir.display()))?;
        Ok(Store {
            inner: Arc::new(inner),
            location: dir.display().to_string(),
        })
    }

    /// `--store`: a folder path or `file://PATH`.
    pub fn open(spec: &str) -> anyhow::Result<Store> {
        if let Some(path) = spec.strip_prefix("file://") {
            return Store::local(FsPath::new(path));
        }
        if spec.contains("://") {
            anyhow::bail!(
                "object store {spec:?}: this build stores objects in a local folder \
                 (a path or file://PATH)"
            );
        }
        Store::local(FsPath::new(spec))
    }

    pub async fn exists(&self, key: &str) -> anyhow::Result<bool> {
        match self.inner.head(&Path::from(key)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(anyhow::anyhow!("{}: {key}: {e}", self.location)),
        }
    }

    /// Upload a local file in chunks.
    pub async fn put_file(&self, key: &str, file: &FsPath) -> anyhow::Result<()> {
        let err = |e: &dyn std::fmt::Display| anyhow::anyhow!("{}: {key}: {e}", self.location);
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

    /// Download an object into a local file, refusing one larger than `max` bytes.
    pub async fn get_to_file(&self, key: &str, dest: &FsPath, max: u64) -> anyhow::Result<u64> {
        let err = |e: &dyn std::fmt::Display| anyhow::anyhow!("{}: {key}: {e}", self.location);
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

    /// A small object (a report) read whole, refusing one larger than `max` bytes.
    pub async fn get_bytes(&self, key: &str, max: u64) -> anyhow::Result<Vec<u8>> {
        let err = |e: &dyn std::fmt::Display| anyhow::anyhow!("{}: {key}: {e}", self.location);
        let got = self
            .inner
            .get(&Path::from(key))
            .await
            .map_err(|e| err(&e))?;
        let mut stream = got.into_stream();
        let mut out = Vec::new();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| err(&e))?;
            if (out.len() + chunk.len()) as u64 > max {
                anyhow::bail!("{}: {key}: larger than {max} bytes", self.location);
            }
            out.extend_from_slice(&chunk);
        }
        Ok(out)
    }
}
