//! `specs`: the index specifications shipped with composite-index (the GII and
//! PII editions): list them, print one, or copy one into a folder to adapt it.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use composite_index::instances;

use crate::errors::{CliError, CliResult, sentence};
use crate::output::{Outputs, say};

/// Options of `specs`.
#[derive(Debug, Args)]
pub(crate) struct SpecsArgs {
    /// A shipped specification (e.g. gii-2025): print its TOML, or copy it with --out.
    #[arg(value_name = "NAME")]
    pub(crate) name: Option<String>,
    /// Write the specification and the tables it names into this folder, to adapt them.
    #[arg(long, short, value_name = "DIR", requires = "name")]
    pub(crate) out: Option<PathBuf>,
    /// Replace files that exist in --out.
    #[arg(long, requires = "out")]
    pub(crate) force: bool,
}

/// Runs `specs`.
pub(crate) fn specs(args: &SpecsArgs) -> CliResult {
    let Some(name) = args.name.as_deref() else {
        return list();
    };
    let name = name.strip_suffix(".toml").unwrap_or(name);
    let spec = instances::spec(name)
        .map_err(|e| CliError::Usage(sentence(None, &e).trim_end_matches('.').to_owned()))?;
    let toml_name = format!("{name}.toml");
    let mut files = vec![toml_name.clone()];
    files.extend(spec.framework.source().map(str::to_owned));
    let Some(out) = &args.out else {
        say(instances::file(&toml_name).unwrap_or_default().trim_end());
        return Ok(ExitCode::SUCCESS);
    };
    let paths: Vec<PathBuf> = files.iter().map(|f| out.join(f)).collect();
    if !args.force
        && let Some(p) = paths.iter().find(|p| p.exists())
    {
        return Err(CliError::Usage(format!(
            "{} exists already; pass --force to replace it, or --out to write elsewhere",
            p.display()
        )));
    }
    let mut out_files = Outputs::new();
    for (f, p) in files.iter().zip(&paths) {
        let text = instances::file(f).ok_or_else(|| {
            CliError::Data(format!(
                "the shipped specification {name} names {f}, which is not shipped."
            ))
        })?;
        out_files.text(p, text)?;
    }
    out_files.commit()?;
    say(&format!(
        "Wrote {} to {}. Edit them, then: composite-index run {} --data my.csv --out out",
        files.join(" and "),
        out.display(),
        out.join(&toml_name).display()
    ));
    Ok(ExitCode::SUCCESS)
}

fn list() -> CliResult {
    say("Specifications shipped with composite-index (use the name as SPEC):");
    for name in instances::names() {
        let spec = instances::spec(name).map_err(|e| CliError::Data(sentence(None, &e)))?;
        let fw = instances::framework(name).map_err(|e| CliError::Data(sentence(None, &e)))?;
        say(&format!(
            "  {name:<10} {} ({} indicators, {} nodes)",
            spec.name.as_deref().unwrap_or(name),
            fw.indicators().len(),
            fw.len()
        ));
    }
    say("\nRun one on your data:   composite-index run gii-2025 --data my.csv --out out");
    say("Print one:              composite-index specs gii-2025");
    say("Copy one to adapt it:   composite-index specs gii-2025 --out my-gii");
    Ok(ExitCode::SUCCESS)
}
