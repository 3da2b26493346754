//! Economy profiles (`run --profiles`, `uncertainty --profiles`): one HTML page
//! per unit, an index page, and the profile tables as CSV (and in the workbook).

use std::path::Path;

use clap::Args;
use composite_index::insights::{DevelopmentCovariate, EconomyProfileOptions, economy_profiles};
use composite_index::report::profile_pages;
use composite_index::tables::Table;
use composite_index::uncertainty::UncertaintyResults;
use composite_index::{Pipeline, Results};

use crate::errors::{CliError, computing};
use crate::output::{Outputs, say};

/// Options of the economy profiles.
#[derive(Debug, Clone, Args)]
pub(crate) struct ProfileArgs {
    /// Write economy profiles: OUT/profiles/<unit>.html (one page per unit, with OUT/profiles/index.html), profiles.csv and profile_summary.csv.
    #[arg(long)]
    pub(crate) profiles: bool,
    /// Group columns to rank within in the profiles, comma-separated [default: every group column].
    #[arg(
        long,
        value_name = "COLS",
        value_delimiter = ',',
        requires = "profiles"
    )]
    pub(crate) profile_groups: Vec<String>,
    /// What a unit is called in the profiles (economies, provinces...).
    #[arg(
        long,
        value_name = "WORD",
        default_value = "units",
        requires = "profiles"
    )]
    pub(crate) noun: String,
    /// Development covariate of the profiles: a numeric column, or NUM/DEN for a ratio (GDP/Population); the index is fitted on its natural log.
    #[arg(long, value_name = "COL[/COL]", requires = "profiles")]
    pub(crate) development: Option<String>,
}

/// Stages the profiles when asked; returns their tables (for the workbook).
///
/// # Errors
/// Unknown columns (usage), failed fits or writes (data).
pub(crate) fn write_profiles(
    args: &ProfileArgs,
    pipeline: &Pipeline,
    results: &Results,
    uncertainty: Option<&UncertaintyResults>,
    out: &Path,
    files: &mut Outputs,
) -> Result<Vec<Table>, CliError> {
    if !args.profiles {
        return Ok(Vec::new());
    }
    let data = pipeline.data();
    for g in &args.profile_groups {
        if data.group(g).is_none() {
            return Err(CliError::Usage(format!(
                "--profile-groups: {g:?} is not a group column of the data (it has {})",
                list(data.groups().iter().map(|g| g.name.as_str()))
            )));
        }
    }
    let development = match &args.development {
        None => None,
        Some(spec) => {
            let (num, den) = match spec.split_once('/') {
                Some((a, b)) => (a.trim(), Some(b.trim())),
                None => (spec.trim(), None),
            };
            for c in std::iter::once(num).chain(den) {
                if data.denominator(c).is_none() {
                    return Err(CliError::Usage(format!(
                        "--development: {c:?} is not a numeric column of the data (it has {})",
                        list(data.denominators().iter().map(|d| d.name.as_str()))
                    )));
                }
            }
            let mut d = DevelopmentCovariate::new(num);
            if let Some(den) = den {
                d = d.per(den);
            }
            Some(d)
        }
    };
    let options = EconomyProfileOptions {
        groups: (!args.profile_groups.is_empty()).then(|| args.profile_groups.clone()),
        noun: args.noun.clone(),
        development,
        ..EconomyProfileOptions::default()
    };
    let profiles = economy_profiles(pipeline, results, &options, uncertainty)
        .map_err(|e| computing("making the economy profiles", &e))?;
    let (pages, index) = profile_pages(pipeline, results, &profiles)
        .map_err(|e| computing("drawing the economy profiles", &e))?;
    let dir = out.join("profiles");
    for p in &pages {
        files.text(&dir.join(&p.file), &p.page.to_html())?;
    }
    files.text(&dir.join("index.html"), &index.to_html())?;
    let tables = composite_index::tables::profiles(&profiles);
    for t in &tables {
        files.table(out, t)?;
    }
    say(&format!(
        "Wrote {} economy profiles to {} (open index.html), profiles.csv and profile_summary.csv.",
        pages.len(),
        dir.display()
    ));
    Ok(tables.into())
}

fn list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let v: Vec<&str> = items.collect();
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}
