//! Atomic file writes for the library's own writers.
//!
//! Every file the library writes ([`Results::write_csv_dir`](crate::results::Results::write_csv_dir),
//! the panel's `write_csv_dir`, the workbook's `save`, the HTML report's `write`)
//! goes first to a temporary file beside its target (`.<name>.<pid>.<n>.tmp`, in
//! the same folder, so the rename stays on one file system) and is renamed over
//! the target only when every file of the call has been written completely. A
//! call that fails half-way (a full disk, a value that cannot be encoded, a
//! panic in the caller's writer) removes its temporary files and leaves the
//! existing files exactly as they were: no truncated file and no mixed set of old
//! and new files. The command-line tool does the same for its outputs.
//!
//! The renames of [`Staged::commit`] are each atomic, one after the other; only a
//! rename that fails after an earlier one succeeded (which needs the folder to
//! change under the call) can leave a mixed set, and the error then names the
//! file.

use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::{Error, Result};

fn io_error(path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Files staged as temporary files beside their targets; renamed over the
/// targets by [`Staged::commit`], deleted when dropped without a commit.
#[derive(Debug, Default)]
pub(crate) struct Staged {
    /// `(temporary file, target)`, in the order staged.
    files: Vec<(PathBuf, PathBuf)>,
}

impl Staged {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Stages `path`, whose bytes `fill` writes. The folder must exist.
    pub(crate) fn file(
        &mut self,
        path: &Path,
        fill: impl FnOnce(&mut BufWriter<&File>) -> Result<()>,
    ) -> Result<()> {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = path
            .file_name()
            .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
        let (tmp, file) = loop {
            let tmp = dir.join(format!(
                ".{name}.{}.{}.tmp",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ));
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&tmp)
            {
                Ok(f) => break (tmp, f),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(io_error(path, e)),
            }
        };
        // Registered before writing, so a failure below deletes it.
        self.files.push((tmp, path.to_path_buf()));
        let mut w = BufWriter::new(&file);
        fill(&mut w)?;
        w.flush().map_err(|e| io_error(path, e))?;
        drop(w);
        file.sync_all().map_err(|e| io_error(path, e))?;
        Ok(())
    }

    /// Renames every staged file over its target, in the order staged.
    pub(crate) fn commit(mut self) -> Result<()> {
        // A folder in a target's place would fail its rename after the earlier
        // renames: refuse before renaming anything (the drop deletes the staged
        // files).
        if let Some((_, target)) = self.files.iter().find(|(_, t)| t.is_dir()) {
            return Err(io_error(
                target,
                std::io::Error::new(
                    std::io::ErrorKind::IsADirectory,
                    "a folder has the file's name; nothing was written",
                ),
            ));
        }
        let files = std::mem::take(&mut self.files);
        let mut pending = files.into_iter();
        while let Some((tmp, target)) = pending.next() {
            if let Err(e) = std::fs::rename(&tmp, &target) {
                let _ = std::fs::remove_file(&tmp);
                for (t, _) in pending {
                    let _ = std::fs::remove_file(&t);
                }
                return Err(io_error(&target, e));
            }
        }
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        for (tmp, _) in &self.files {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// Writes one file atomically (see the [module docs](self)).
#[cfg(any(feature = "workbook", feature = "report", test))]
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut staged = Staged::new();
    staged.file(path, |w| w.write_all(bytes).map_err(|e| io_error(path, e)))?;
    staged.commit()
}

/// Creates `dir` and its missing parents.
pub(crate) fn create_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("ci-atomic-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn listing(d: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_failed_set_leaves_the_old_files_and_no_temporary_file() {
        let d = scratch("fail");
        std::fs::write(d.join("a.csv"), "old a").unwrap();
        std::fs::write(d.join("b.csv"), "old b").unwrap();
        let mut s = Staged::new();
        s.file(&d.join("a.csv"), |w| {
            w.write_all(b"new a").map_err(|e| io_error(&d, e))
        })
        .unwrap();
        let err = s.file(&d.join("b.csv"), |w| {
            w.write_all(b"half").map_err(|e| io_error(&d, e))?;
            Err(Error::SpecParse {
                message: "a value cannot be encoded".into(),
            })
        });
        assert!(err.is_err());
        drop(s);
        assert_eq!(std::fs::read_to_string(d.join("a.csv")).unwrap(), "old a");
        assert_eq!(std::fs::read_to_string(d.join("b.csv")).unwrap(), "old b");
        assert_eq!(listing(&d), ["a.csv", "b.csv"]);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_committed_set_replaces_every_file() {
        let d = scratch("ok");
        std::fs::write(d.join("a.csv"), "old a").unwrap();
        let mut s = Staged::new();
        for (n, t) in [("a.csv", "new a"), ("b.csv", "new b")] {
            s.file(&d.join(n), |w| {
                w.write_all(t.as_bytes()).map_err(|e| io_error(&d, e))
            })
            .unwrap();
        }
        s.commit().unwrap();
        assert_eq!(std::fs::read_to_string(d.join("a.csv")).unwrap(), "new a");
        assert_eq!(std::fs::read_to_string(d.join("b.csv")).unwrap(), "new b");
        assert_eq!(listing(&d), ["a.csv", "b.csv"]);
        write_file(&d.join("a.csv"), b"again").unwrap();
        assert_eq!(std::fs::read_to_string(d.join("a.csv")).unwrap(), "again");
        assert_eq!(listing(&d), ["a.csv", "b.csv"]);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_folder_in_a_targets_place_stops_the_set_before_any_rename() {
        let d = scratch("dir");
        std::fs::write(d.join("a.csv"), "old a").unwrap();
        std::fs::create_dir(d.join("b.csv")).unwrap();
        let mut s = Staged::new();
        for n in ["a.csv", "b.csv"] {
            s.file(&d.join(n), |w| {
                w.write_all(b"new").map_err(|e| io_error(&d, e))
            })
            .unwrap();
        }
        let e = s.commit().unwrap_err().to_string();
        assert!(e.contains("b.csv"), "{e}");
        assert_eq!(std::fs::read_to_string(d.join("a.csv")).unwrap(), "old a");
        assert_eq!(listing(&d), ["a.csv", "b.csv"]);
        std::fs::remove_dir_all(&d).unwrap();
    }
}
