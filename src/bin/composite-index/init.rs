//! `init`: a starter specification from a COINr-style iMeta table or a JRC COIN
//! Tool workbook.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use composite_index::framework::{Framework, FrameworkSpec};
use composite_index::io::{IMeta, read_imeta};
use composite_index::prelude::IndexSpec;

use crate::errors::{CliError, CliResult, in_file, io, sentence};
use crate::output::{say, write_atomic};

/// Options of `init`.
#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// COINr-style iMeta table: Level, iCode, iName, Direction, Weight, Parent, Type (and optionally Denominator, Target, Unit).
    #[arg(long, value_name = "IMETA.csv", required_unless_present = "coin_tool")]
    pub(crate) meta: Option<PathBuf>,
    /// A JRC COIN Tool workbook: the framework of its Database and Framework sheets.
    #[arg(long, value_name = "FILE.xlsx", conflicts_with = "meta")]
    pub(crate) coin_tool: Option<PathBuf>,
    /// Where to write the specification.
    #[arg(long, short, value_name = "FILE.toml", default_value = "spec.toml")]
    pub(crate) out: PathBuf,
    /// Name of the index written in the specification.
    #[arg(long)]
    pub(crate) name: Option<String>,
    /// Replace the output file if it exists.
    #[arg(long)]
    pub(crate) force: bool,
}

#[derive(serde::Serialize)]
struct FrameworkOnly<'a> {
    framework: &'a FrameworkSpec,
}

/// Runs `init`.
pub(crate) fn init(args: &InitArgs) -> CliResult {
    if args.out.exists() && !args.force {
        return Err(CliError::Usage(format!(
            "{} exists already; pass --force to replace it, or --out to write elsewhere",
            args.out.display()
        )));
    }
    let (source, meta) = match (&args.meta, &args.coin_tool) {
        (Some(path), _) => {
            let file = std::fs::File::open(path).map_err(|e| io(path, "open", &e))?;
            let meta =
                read_imeta(file, &path.display().to_string()).map_err(|e| in_file(path, &e))?;
            (Source::Imeta(path.clone()), meta)
        }
        (None, Some(path)) => {
            let ct = composite_index::io::read_coin_tool(
                path,
                &composite_index::io::CoinToolOptions::default(),
            )
            .map_err(|e| in_file(path, &e))?;
            let meta = IMeta {
                framework: ct.framework,
                ..IMeta::default()
            };
            (Source::CoinTool(path.clone()), meta)
        }
        (None, None) => {
            return Err(CliError::Usage(
                "give --meta iMeta.csv or --coin-tool FILE.xlsx".into(),
            ));
        }
    };
    let meta_path = source.path();
    if meta.framework.nodes.is_empty() {
        return Err(CliError::Data(format!(
            "{}: no row has Type Indicator or Aggregate, so there is no framework to write.",
            meta_path.display()
        )));
    }
    let framework = Framework::new(meta.framework.clone(), None);
    let fw_text = toml::to_string_pretty(&FrameworkOnly {
        framework: &meta.framework,
    })
    .map_err(|e| CliError::Data(format!("cannot write the framework as TOML: {e}.")))?;
    let has_denominators = meta.framework.nodes.iter().any(|n| {
        n.denominator
            .as_deref()
            .is_some_and(|d| !d.trim().is_empty())
    });
    let name = args.name.clone().unwrap_or_else(|| {
        framework.as_ref().map_or_else(
            |_| "My index".to_owned(),
            |fw| fw.name(fw.root()).to_owned(),
        )
    });
    let text = starter(&name, &source, &fw_text, has_denominators, &meta.groups);
    // The file must read back as a valid specification.
    IndexSpec::from_toml(&text).map_err(|e| {
        CliError::Data(format!(
            "the starter specification does not read back: {}",
            sentence(None, &e)
        ))
    })?;
    write_atomic(&args.out, &text)?;
    let fw = framework.map_err(|e| in_file(meta_path, &e));
    match fw {
        Ok(fw) => say(&format!(
            "Wrote {}: {} nodes in {} levels ({} indicators), {} steps.",
            args.out.display(),
            meta.framework.nodes.len(),
            fw.n_levels(),
            fw.indicators().len(),
            if has_denominators { 4 } else { 3 }
        )),
        Err(e) => say(&format!(
            "Wrote {}, but its framework has problems to fix first: {}",
            args.out.display(),
            e.message()
        )),
    }
    say(&format!(
        "Next: composite-index validate {} {}",
        args.out.display(),
        source.data_options()
    ));
    Ok(ExitCode::SUCCESS)
}

/// Where the framework comes from.
enum Source {
    /// A COINr iMeta table.
    Imeta(PathBuf),
    /// A COIN Tool workbook.
    CoinTool(PathBuf),
}

impl Source {
    fn path(&self) -> &std::path::Path {
        match self {
            Self::Imeta(p) | Self::CoinTool(p) => p,
        }
    }

    /// The data options of the commands that run the written specification.
    fn data_options(&self) -> String {
        match self {
            Self::Imeta(p) => format!("--imeta {} --idata iData.csv", p.display()),
            Self::CoinTool(p) => format!("--coin-tool {}", p.display()),
        }
    }
}

fn starter(
    name: &str,
    source: &Source,
    framework: &str,
    denominate: bool,
    groups: &[String],
) -> String {
    let quoted = toml::Value::String(name.to_owned()).to_string();
    let (meta, data) = (source.path().display(), source.data_options());
    let mut s = format!(
        "# Starter specification written by `composite-index init` from {meta}.\n\
         # Check it with:  composite-index validate THIS_FILE {data}\n\
         # Run it with:    composite-index run THIS_FILE {data} --out out\n\
         # Every key is documented in the crate docs (composite_index::spec); unknown keys\n\
         # are rejected, so a typo is an error rather than a silent default.\n\n\
         spec_version = 1\nname = {quoted}\n\n\
         # ---------------------------------------------------------------- the framework\n\
         # One [[framework.nodes]] table per node, from {meta}. `weight` is relative among\n\
         # siblings; `direction = -1` marks an indicator where lower is better.\n\n"
    );
    s.push_str(framework.trim_end());
    s.push_str(
        "\n\n# ---------------------------------------------------------------- the pipeline\n\
         # Steps run in the order written; each writes a data set named after it.\n",
    );
    if denominate {
        s.push_str(
            "\n[[steps]]\nstage = \"denominate\"            # x / denominator, for indicators with a Denominator in iMeta\n",
        );
    }
    let group = groups.first().map_or("GROUP_COLUMN", String::as_str);
    s.push_str(&format!(
        "\n# To fill missing values, uncomment (methods: mean, median, group_mean, group_median, em):\n\
         # [[steps]]\n\
         # stage = \"impute\"\n\
         # method = {{ method = \"group_mean\", group = \"{group}\" }}\n\
         \n[[steps]]\nstage = \"treat\"                   # outliers: COINr's defaults (winsorise up to 5 points, then log_ct)\n\
         \n[[steps]]\nstage = \"normalise\"\ndefault = {{ method = \"min_max\", lo = 0, hi = 100 }}\n\
         \n[[steps]]\nstage = \"aggregate\"\ndefault = {{ method = \"arithmetic_mean\" }}   # or geometric_mean, harmonic_mean...\n"
    ));
    s
}
