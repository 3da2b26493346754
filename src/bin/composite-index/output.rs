//! Writing files and printing to the terminal.
//!
//! Every command writes its files through an [`Outputs`] set: each file goes to a
//! temporary file in its target folder as it is produced, and only
//! [`Outputs::commit`], called once everything has been computed and written,
//! renames them over their targets. A command that fails (or is interrupted)
//! before the commit leaves the existing files exactly as they were: no
//! truncated file, no mixed set of old and new outputs. This is how cargo and
//! ripgrep write their files; new commands should write through [`Outputs`] too
//! (or [`write_atomic`] for a single file).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use composite_index::report::Chart;

use crate::errors::{CliError, io};

/// Prints a line on standard output, ignoring a closed pipe (`| head`).
pub(crate) fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
}

/// Prints `warning: <line>` on standard error.
pub(crate) fn warn(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "warning: {line}");
}

/// At most this many items of a long list are printed one per line.
pub(crate) const MAX_LISTED: usize = 20;

/// The files of one command, staged as temporary files beside their targets and
/// renamed over them together by [`Outputs::commit`]. Dropped without a commit,
/// it deletes the temporary files and the folders it created, so the targets are
/// untouched. See the [module docs](self).
#[derive(Debug, Default)]
pub(crate) struct Outputs {
    staged: Vec<(PathBuf, tempfile::NamedTempFile)>,
    /// Folders created for the outputs, in creation order (removed again on failure).
    created: Vec<PathBuf>,
    committed: bool,
}

impl Outputs {
    /// An empty set.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Creates `dir` and its missing parents, remembering those it created.
    fn make_dir(&mut self, dir: &Path) -> Result<(), CliError> {
        let mut missing = Vec::new();
        let mut d = Some(dir);
        while let Some(p) = d {
            if p.as_os_str().is_empty() || p.is_dir() {
                break;
            }
            missing.push(p.to_path_buf());
            d = p.parent();
        }
        for p in missing.into_iter().rev() {
            match std::fs::create_dir(&p) {
                Ok(()) => self.created.push(p),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && p.is_dir() => {}
                Err(e) => return Err(io(&p, "create the directory", &e)),
            }
        }
        Ok(())
    }

    /// Stages the file `path`, whose bytes `fill` writes.
    ///
    /// # Errors
    /// The folder cannot be created or the temporary file cannot be written.
    pub(crate) fn file(
        &mut self,
        path: &Path,
        fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), CliError> {
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        self.make_dir(&dir)?;
        let name = path
            .file_name()
            .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        #[cfg(unix)]
        {
            // Ordinary permissions (0666 less the umask), not tempfile's private 0600.
            use std::os::unix::fs::PermissionsExt as _;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let mut tmp = builder
            .tempfile_in(&dir)
            .map_err(|e| io(path, "write", &e))?;
        {
            let mut w = std::io::BufWriter::new(tmp.as_file_mut());
            fill(&mut w)
                .and_then(|()| w.flush())
                .map_err(|e| io(path, "write", &e))?;
        }
        self.staged.retain(|(p, _)| p != path);
        self.staged.push((path.to_path_buf(), tmp));
        Ok(())
    }

    /// Stages a text file.
    ///
    /// # Errors
    /// As [`Outputs::file`].
    pub(crate) fn text(&mut self, path: &Path, text: &str) -> Result<(), CliError> {
        self.file(path, |w| w.write_all(text.as_bytes()))
    }

    /// Stages a value as pretty JSON.
    ///
    /// # Errors
    /// Serialisation fails, or as [`Outputs::file`].
    pub(crate) fn json<T: serde::Serialize>(
        &mut self,
        path: &Path,
        value: &T,
    ) -> Result<(), CliError> {
        let text = serde_json::to_string_pretty(value)
            .map_err(|e| CliError::Data(format!("cannot write {}: {e}.", path.display())))?;
        self.text(path, &text)
    }

    /// Stages a CSV table.
    ///
    /// # Errors
    /// A row could not be encoded, or as [`Outputs::file`].
    pub(crate) fn csv(&mut self, path: &Path, table: CsvTable) -> Result<(), CliError> {
        let bytes = table.into_bytes(path)?;
        self.file(path, |w| w.write_all(&bytes))
    }

    /// Stages a table of the library as `<dir>/<name>.csv` and returns the path.
    ///
    /// # Errors
    /// The table cannot be encoded, or as [`Outputs::file`].
    pub(crate) fn table(
        &mut self,
        dir: &Path,
        table: &composite_index::tables::Table,
    ) -> Result<PathBuf, CliError> {
        let path = dir.join(format!("{}.csv", table.name));
        let text = table
            .to_csv()
            .map_err(|e| CliError::Data(format!("cannot write {}: {e}.", path.display())))?;
        self.text(&path, &text)?;
        Ok(path)
    }

    /// Stages a workbook.
    ///
    /// # Errors
    /// The workbook cannot be made (a table beyond Excel's limits), or as
    /// [`Outputs::file`].
    pub(crate) fn workbook(
        &mut self,
        path: &Path,
        book: &composite_index::workbook::Workbook,
    ) -> Result<(), CliError> {
        let bytes = book
            .to_bytes()
            .map_err(|e| crate::errors::computing(&format!("writing {}", path.display()), &e))?;
        self.file(path, |w| w.write_all(&bytes))
    }

    /// Stages each chart as `<dir>/<name>.svg` and returns the paths.
    ///
    /// # Errors
    /// As [`Outputs::file`].
    pub(crate) fn charts(
        &mut self,
        dir: &Path,
        charts: &[Chart],
    ) -> Result<Vec<PathBuf>, CliError> {
        let mut paths = Vec::with_capacity(charts.len());
        for c in charts {
            let path = dir.join(format!("{}.svg", c.name));
            self.text(&path, &c.svg)?;
            paths.push(path);
        }
        Ok(paths)
    }

    /// Renames every staged file over its target and returns the targets, in the
    /// order they were staged.
    ///
    /// # Errors
    /// A rename fails (the files renamed before it are in place; the message says
    /// which file failed).
    pub(crate) fn commit(mut self) -> Result<Vec<PathBuf>, CliError> {
        self.committed = true;
        let mut done = Vec::with_capacity(self.staged.len());
        for (path, tmp) in std::mem::take(&mut self.staged) {
            tmp.persist(&path)
                .map_err(|e| io(&path, "replace", &e.error))?;
            done.push(path);
        }
        Ok(done)
    }
}

impl Drop for Outputs {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        // The temporary files delete themselves; then the folders made for them.
        self.staged.clear();
        for dir in self.created.iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// Writes one file atomically (a temporary file in the same folder, renamed over
/// the target), creating its folder if needed.
///
/// # Errors
/// The file cannot be written.
pub(crate) fn write_atomic(path: &Path, bytes: impl AsRef<[u8]>) -> Result<(), CliError> {
    let mut out = Outputs::new();
    out.file(path, |w| w.write_all(bytes.as_ref()))?;
    out.commit().map(|_| ())
}

/// A CSV table being built in memory, written in one go.
#[derive(Debug)]
pub(crate) struct CsvTable {
    w: csv::Writer<Vec<u8>>,
    error: Option<String>,
}

impl CsvTable {
    /// A table with this header.
    pub(crate) fn new<S: AsRef<str>>(header: &[S]) -> Self {
        let mut t = Self {
            w: csv::Writer::from_writer(Vec::new()),
            error: None,
        };
        t.row(header.iter().map(AsRef::as_ref));
        t
    }

    /// Adds a row.
    pub(crate) fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let cells: Vec<String> = cells.into_iter().map(|s| s.as_ref().to_owned()).collect();
        if let Err(e) = self.w.write_record(&cells) {
            self.error.get_or_insert(e.to_string());
        }
    }

    /// The encoded table (`path` names it in errors).
    fn into_bytes(self, path: &Path) -> Result<Vec<u8>, CliError> {
        if let Some(e) = self.error {
            return Err(CliError::Data(format!(
                "cannot write {}: {e}.",
                path.display()
            )));
        }
        self.w
            .into_inner()
            .map_err(|e| CliError::Data(format!("cannot write {}: {e}.", path.display())))
    }
}

/// A number for a CSV cell: shortest round-trip representation, empty when missing.
pub(crate) fn cell(v: f64) -> String {
    if v.is_finite() {
        v.to_string()
    } else {
        String::new()
    }
}

/// An optional number for a CSV cell.
pub(crate) fn opt_cell(v: Option<f64>) -> String {
    v.map_or_else(String::new, cell)
}

/// A list for a message: the first `max` items joined with `sep`, then
/// "and N more" for the rest.
pub(crate) fn capped<S: AsRef<str>>(items: &[S], max: usize, sep: &str) -> String {
    composite_index::error::capped_list(items.iter().map(AsRef::as_ref), items.len(), max, sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!(
            "composite-index-output-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn nothing_is_replaced_before_the_commit() {
        let d = scratch("commit");
        let a = d.join("a.txt");
        std::fs::write(&a, "old").unwrap();
        let mut out = Outputs::new();
        out.text(&a, "new").unwrap();
        out.text(&d.join("sub/b.txt"), "b").unwrap();
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "old");
        assert!(!d.join("sub/b.txt").exists());
        let written = out.commit().unwrap();
        assert_eq!(written.len(), 2);
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(d.join("sub/b.txt")).unwrap(), "b");
        // Only the targets are left: no temporary file.
        let names: Vec<_> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn a_dropped_set_leaves_no_trace() {
        let d = scratch("drop");
        let a = d.join("a.txt");
        std::fs::write(&a, "old").unwrap();
        {
            let mut out = Outputs::new();
            out.text(&a, "new").unwrap();
            out.text(&d.join("new/deeper/c.txt"), "c").unwrap();
            // An error here (the command fails): the set is dropped.
        }
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "old");
        assert!(!d.join("new").exists());
        assert_eq!(std::fs::read_dir(&d).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn files_get_ordinary_permissions() {
        use std::os::unix::fs::PermissionsExt as _;
        let d = scratch("perm");
        write_atomic(&d.join("x.txt"), "x").unwrap();
        let mode = std::fs::metadata(d.join("x.txt"))
            .unwrap()
            .permissions()
            .mode();
        assert_ne!(mode & 0o044, 0, "readable by group or others: {mode:o}");
    }

    #[test]
    fn long_lists_are_capped() {
        let v: Vec<String> = (0..100_000).map(|i| format!("n{i}")).collect();
        let s = capped(&v, 3, ", ");
        assert_eq!(s, "n0, n1, n2 and 99,997 more");
    }
}
