//! Running the `composite-index` binary in tests (feature `cli`): a scratch
//! folder per test, the command, and its exit code and one-sentence error.

use std::path::PathBuf;
use std::process::{Command, Output};

pub fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn example(file: &str) -> PathBuf {
    manifest().join("data/example").join(file)
}

pub fn fixture(file: &str) -> PathBuf {
    manifest().join("tests/fixtures/cli").join(file)
}

/// A fresh, empty directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("cli")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn cli<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let out = Command::new(env!("CARGO_BIN_EXE_composite-index"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the binary runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "panic trace on stderr:\n{err}"
    );
    out
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[track_caller]
pub fn ok(o: &Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(0),
        "expected success\nstdout:\n{}\nstderr:\n{}",
        stdout(o),
        stderr(o)
    );
    stdout(o)
}

/// Asserts the exit code and that stderr is one `error: ...` sentence; returns it.
#[track_caller]
pub fn fails(o: &Output, code: i32) -> String {
    assert_eq!(
        o.status.code(),
        Some(code),
        "expected exit code {code}\nstdout:\n{}\nstderr:\n{}",
        stdout(o),
        stderr(o)
    );
    let err = stderr(o);
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line expected on stderr:\n{err}");
    assert!(lines[0].starts_with("error: "), "{err}");
    assert!(
        lines[0].ends_with('.'),
        "a sentence ends with a full stop: {err}"
    );
    lines[0].to_owned()
}

/// An iMeta table for the shipped example (its data file is then a valid iData).
pub fn example_imeta(path: &std::path::Path) {
    let spec = composite_index::IndexSpec::from_path(example("spec.toml")).unwrap();
    let mut text = String::from("Level,iCode,iName,Direction,Weight,Parent,Type,Denominator\n");
    let parents: Vec<&str> = spec
        .framework
        .nodes
        .iter()
        .filter_map(|n| n.parent.as_deref())
        .collect();
    for n in &spec.framework.nodes {
        let kind = if parents.contains(&n.code.as_str()) {
            "Aggregate"
        } else {
            "Indicator"
        };
        text.push_str(&format!(
            ",{},\"{}\",{},{},{},{kind},{}\n",
            n.code,
            n.name.as_deref().unwrap_or(""),
            n.direction,
            n.weight,
            n.parent.as_deref().unwrap_or(""),
            n.denominator.as_deref().unwrap_or("")
        ));
    }
    text.push_str(",Region,Region,,,,Group,\n,Population,Population,,,,Denominator,\n");
    std::fs::write(path, text).unwrap();
}
