//! Errors of the command line: one readable sentence each, naming the file, line
//! and column, and an exit code (1 for the spec or data, 2 for usage).

use std::path::Path;
use std::process::ExitCode;

use composite_index::Error;

/// What went wrong, already worded for a person.
#[derive(Debug)]
pub(crate) enum CliError {
    /// The specification, the data or a computation failed (exit code 1).
    Data(String),
    /// The command line was wrong (exit code 2).
    Usage(String),
}

impl CliError {
    /// The sentence to print after `error: `.
    pub(crate) fn message(&self) -> &str {
        match self {
            Self::Data(m) | Self::Usage(m) => m,
        }
    }

    /// The process exit code.
    pub(crate) fn exit_code(&self) -> ExitCode {
        match self {
            Self::Data(_) => ExitCode::from(1),
            Self::Usage(_) => ExitCode::from(2),
        }
    }
}

/// Result of a command: its exit code, or an error.
pub(crate) type CliResult = Result<ExitCode, CliError>;

/// Words a crate error that arose while reading or using `file`.
pub(crate) fn in_file(file: &Path, e: &Error) -> CliError {
    CliError::Data(sentence(Some(file), e))
}

/// Words a crate error not tied to one file (a computation).
pub(crate) fn computing(what: &str, e: &Error) -> CliError {
    CliError::Data(format!("{what}: {}", end(&sentence(None, e))))
}

/// An I/O failure on `path`.
pub(crate) fn io(path: &Path, action: &str, e: &std::io::Error) -> CliError {
    CliError::Data(format!(
        "cannot {action} {}: {}.",
        path.display(),
        lower(&e.to_string())
    ))
}

fn lower(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if f.is_uppercase() && c.clone().next().is_some_and(char::is_lowercase) => {
            f.to_lowercase().chain(c).collect()
        }
        _ => s.to_owned(),
    }
}

/// Ends a sentence with a full stop (unless it ends with punctuation already).
pub(crate) fn end(s: &str) -> String {
    let s = s.trim_end();
    if s.ends_with(['.', '!', '?']) {
        s.to_owned()
    } else {
        format!("{s}.")
    }
}

/// One sentence for a crate error, prefixed with the file when given. Rows of data
/// errors become file lines (the header is line 1).
pub(crate) fn sentence(file: Option<&Path>, e: &Error) -> String {
    let f = file.map(|p| p.display().to_string());
    let at = |rest: String| match &f {
        Some(f) => end(&format!("{f}{rest}")),
        None => end(rest.trim_start_matches([',', ':', ' '])),
    };
    match e {
        Error::NonNumeric {
            row,
            unit,
            column,
            value,
        } => {
            let why = not_a_number(value);
            let help = if why.ends_with("is not a number") {
                " (write a number, or leave the cell empty or NA when the value is missing)"
            } else {
                ""
            };
            at(format!(
                ", line {} (unit {unit:?}), column {column:?}: {why}{help}",
                row + 1
            ))
        }
        Error::NoData { context, message } => end(&format!(
            "{}: no data rows: {message}",
            f.as_deref().unwrap_or(context)
        )),
        Error::InfiniteValue {
            row,
            unit,
            column,
            value,
        } => at(format!(
            ", line {} (unit {unit:?}), column {column:?}: the value {value} is infinite; only finite numbers and missing values are accepted",
            row + 1
        )),
        Error::DuplicateUnit {
            code,
            first_row,
            second_row,
        } => at(format!(
            ": unit code {code:?} appears twice, on lines {} and {}",
            first_row + 1,
            second_row + 1
        )),
        Error::EmptyUnitCode { row } => at(format!(", line {}: the unit code is empty", row + 1)),
        Error::Csv {
            context,
            line,
            message,
        } => {
            let loc = line.map(|l| format!(", line {l}")).unwrap_or_default();
            end(&format!(
                "{}{loc}: malformed CSV: {}",
                f.as_deref().unwrap_or(context),
                strip_csv_prefix(message)
            ))
        }
        Error::MissingColumn { column, context } => end(&format!(
            "{}: there is no column {column:?}",
            f.as_deref().unwrap_or(context)
        )),
        Error::DuplicateColumn { column, context } => end(&format!(
            "{}: the column {column:?} appears twice",
            f.as_deref().unwrap_or(context)
        )),
        Error::SpecParse { message } => at(spec_parse(message)),
        Error::Framework(problems) => {
            let list: Vec<String> = problems
                .iter()
                .take(crate::output::MAX_LISTED)
                .map(ToString::to_string)
                .collect();
            let more = problems.len().saturating_sub(list.len());
            at(format!(
                ": the framework has {} problem{}: {}{}",
                composite_index::error::thousands(problems.len()),
                if problems.len() == 1 { "" } else { "s" },
                list.join("; "),
                if more > 0 {
                    format!("; and {} more", composite_index::error::thousands(more))
                } else {
                    String::new()
                }
            ))
        }
        Error::Table { .. } => end(&e.to_string()),
        Error::Io { path, source } => end(&format!(
            "cannot read or write {path}: {}",
            lower(&source.to_string())
        )),
        other => at(format!(": {other}")),
    }
}

/// `", line L, column C: message"` from a TOML or JSON parser message.
fn spec_parse(message: &str) -> String {
    // TOML: "TOML parse error at line 3, column 5\n  |\n3 | x\n  | ^\nmessage\n"
    if let Some(first) = message.lines().next()
        && let Some(pos) = first.strip_prefix("TOML parse error at ")
    {
        let text: Vec<&str> = message
            .lines()
            .skip(1)
            .filter(|l| {
                let t = l.trim_start();
                !(t.is_empty()
                    || t.starts_with('|')
                    || t.split_once('|').is_some_and(|(n, _)| {
                        n.trim().chars().all(|c| c.is_ascii_digit()) && !n.trim().is_empty()
                    }))
            })
            .collect();
        return format!(", {pos}: {}", text.join(" ").trim());
    }
    // JSON: "message at line 3 column 5"
    if let Some((msg, pos)) = message.rsplit_once(" at line ")
        && let Some((line, col)) = pos.split_once(" column ")
    {
        return format!(", line {line}, column {col}: {msg}");
    }
    format!(": {message}")
}

/// Why a cell's text is not a number, with the likely fix.
pub(crate) fn not_a_number(value: &str) -> String {
    let t = value.trim();
    if t.parse::<f64>().is_ok_and(f64::is_infinite) {
        return format!(
            "{value:?} is beyond the range of 64-bit numbers (about ±1.8e308); rescale the indicator"
        );
    }
    if t.contains(',') && t.replacen(',', ".", 1).parse::<f64>().is_ok() {
        return format!(
            "{value:?} is not a number: a decimal comma? write {}",
            t.replacen(',', ".", 1)
        );
    }
    format!("{value:?} is not a number")
}

fn strip_csv_prefix(m: &str) -> String {
    // "CSV error: record 2 (line: 3, byte: 10): found record with 3 fields, but the previous record has 2 fields"
    let m = m.strip_prefix("CSV error: ").unwrap_or(m);
    match m.split_once("): ") {
        Some((head, rest)) if head.starts_with("record ") => rest.to_owned(),
        _ => m.to_owned(),
    }
}

/// Prints a clap error as one sentence and returns its exit code (0 for help
/// and version, 2 otherwise).
pub(crate) fn clap_error(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            ExitCode::from(2)
        }
        _ => {
            let text = e.render().to_string();
            let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
            let mut first = lines
                .next()
                .unwrap_or("invalid command line")
                .trim_start_matches("error:")
                .trim()
                .to_owned();
            if first.ends_with(':') {
                // "the following required arguments were not provided:" + one line each.
                let items: Vec<&str> = text
                    .lines()
                    .skip(1)
                    .take_while(|l| l.starts_with("  ") && !l.trim().is_empty())
                    .map(str::trim)
                    .collect();
                first = format!("{} {}", first, items.join(", "));
            }
            let tip = lines
                .find_map(|l| l.strip_prefix("tip:"))
                .map(|t| format!(" ({})", t.trim()))
                .unwrap_or_default();
            let usage = text
                .lines()
                .find_map(|l| l.trim().strip_prefix("Usage:"))
                .map(str::trim)
                .and_then(|u| u.split_whitespace().nth(1))
                .filter(|sub| !sub.starts_with(['-', '<', '[']))
                .map_or_else(
                    || "composite-index --help".to_owned(),
                    |sub| format!("composite-index {sub} --help"),
                );
            eprintln!("error: {first}{tip}; see '{usage}'.");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_message_becomes_one_line() {
        let m = "TOML parse error at line 3, column 1\n  |\n3 | foo = 1\n  | ^^^\nunknown field `foo`, expected `spec_version`\n";
        assert_eq!(
            spec_parse(m),
            ", line 3, column 1: unknown field `foo`, expected `spec_version`"
        );
        assert_eq!(
            spec_parse("missing field `framework` at line 1 column 2"),
            ", line 1, column 2: missing field `framework`"
        );
    }

    #[test]
    fn data_rows_become_lines() {
        let e = Error::NonNumeric {
            row: 2,
            unit: "B".into(),
            column: "x".into(),
            value: "abc".into(),
        };
        let s = sentence(Some(Path::new("d.csv")), &e);
        assert!(s.starts_with("d.csv, line 3 (unit \"B\"), column \"x\": \"abc\" is not a number"));
        assert!(s.ends_with('.'));
    }
}
