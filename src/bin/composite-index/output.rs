//! Writing files and printing to the terminal.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use composite_index::report::Chart;

use crate::errors::{CliError, io};

/// Prints a line on standard output, ignoring a closed pipe (`| head`).
pub(crate) fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
}

/// Creates a directory and its parents.
///
/// # Errors
/// The directory cannot be created.
pub(crate) fn mkdir(dir: &Path) -> Result<(), CliError> {
    std::fs::create_dir_all(dir).map_err(|e| io(dir, "create the directory", &e))
}

/// Writes a text file.
///
/// # Errors
/// The file cannot be written.
pub(crate) fn write(path: &Path, text: &str) -> Result<(), CliError> {
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
    {
        mkdir(parent)?;
    }
    std::fs::write(path, text).map_err(|e| io(path, "write", &e))
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

    /// Writes the table to `path`.
    ///
    /// # Errors
    /// The file cannot be written.
    pub(crate) fn save(self, path: &Path) -> Result<(), CliError> {
        if let Some(e) = self.error {
            return Err(CliError::Data(format!(
                "cannot write {}: {e}.",
                path.display()
            )));
        }
        let bytes = self
            .w
            .into_inner()
            .map_err(|e| CliError::Data(format!("cannot write {}: {e}.", path.display())))?;
        let text = String::from_utf8_lossy(&bytes);
        write(path, &text)
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

/// Writes each chart as `<dir>/<name>.svg` and returns the paths.
///
/// # Errors
/// A file cannot be written.
pub(crate) fn write_charts(dir: &Path, charts: &[Chart]) -> Result<Vec<PathBuf>, CliError> {
    let mut paths = Vec::with_capacity(charts.len());
    for c in charts {
        let path = dir.join(format!("{}.svg", c.name));
        write(&path, &c.svg)?;
        paths.push(path);
    }
    Ok(paths)
}

/// Writes a value as pretty JSON.
///
/// # Errors
/// Serialisation or writing fails.
pub(crate) fn write_json<T: serde::Serialize>(path: &Path, value: &T) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::Data(format!("cannot write {}: {e}.", path.display())))?;
    write(path, &text)
}

/// Writes `bytes` to `path` without ever leaving a half-written file: the bytes
/// go to a temporary file in the same folder, which then replaces `path` in one
/// rename. Every output of the workbook, profile, chart and statistics options
/// is written through this function.
///
/// # Errors
/// The folder cannot be created, or the file cannot be written or renamed.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    mkdir(&dir)?;
    let name = path
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(path, "write", &e));
    }
    Ok(())
}

/// Writes a table of the library as `<dir>/<name>.csv` (through [`write_atomic`])
/// and returns the path.
///
/// # Errors
/// The table cannot be written.
pub(crate) fn save_table(
    dir: &Path,
    table: &composite_index::tables::Table,
) -> Result<PathBuf, CliError> {
    let path = dir.join(format!("{}.csv", table.name));
    let text = table
        .to_csv()
        .map_err(|e| CliError::Data(format!("cannot write {}: {e}.", path.display())))?;
    write_atomic(&path, text.as_bytes())?;
    Ok(path)
}

/// Writes a workbook to `path` (through [`write_atomic`]).
///
/// # Errors
/// The workbook cannot be made (a table beyond Excel's limits) or written.
pub(crate) fn save_workbook(
    path: &Path,
    book: &composite_index::workbook::Workbook,
) -> Result<(), CliError> {
    let bytes = book
        .to_bytes()
        .map_err(|e| crate::errors::computing(&format!("writing {}", path.display()), &e))?;
    write_atomic(path, &bytes)
}
