//! `efficiency`: data envelopment analysis of chosen inputs and outputs of a
//! run, with peers, lambdas, slacks and the frontier chart.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use composite_index::efficiency::{DeaModel, DeaResults, Orientation, Returns, dea};
use composite_index::report::FrontierChart;

use crate::InputArgs;
use crate::errors::{CliError, CliResult, computing};
use crate::load;
use crate::output::{CsvTable, Outputs, cell, opt_cell, say};

/// Options of `efficiency`.
#[derive(Debug, Args)]
pub(crate) struct EfficiencyArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,
    /// Output directory (created if needed; files in it are replaced).
    #[arg(long, short, value_name = "DIR")]
    pub(crate) out: PathBuf,
    /// Input columns (nodes or indicators), comma-separated [default: the children of the index's first child].
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub(crate) inputs: Vec<String>,
    /// Output columns, comma-separated [default: the children of the index's second child].
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub(crate) outputs: Vec<String>,
    /// Returns to scale: constant (CCR) or variable (BCC).
    #[arg(long, value_enum, default_value_t = Rts::Constant)]
    pub(crate) returns: Rts,
    /// Orientation: shrink inputs (input) or expand outputs (output).
    #[arg(long, value_enum, default_value_t = Orient::Output)]
    pub(crate) orientation: Orient,
    /// Data set whose columns are analysed.
    #[arg(long, value_name = "NAME", default_value = "aggregated")]
    pub(crate) dataset: String,
    /// Efficiency ratio on the chart's x axis, as OUTPUT/INPUT node codes [default: the index's second child over its first, else the sum of the outputs over the sum of the inputs].
    #[arg(long, value_name = "NUM/DEN")]
    pub(crate) ratio: Option<String>,
    /// Unit highlighted on the chart, with lines to its peers.
    #[arg(long, value_name = "CODE")]
    pub(crate) highlight: Option<String>,
}

/// Returns to scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Rts {
    /// Constant returns (CCR).
    Constant,
    /// Variable returns (BCC).
    Variable,
}

/// Orientation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Orient {
    /// Input-oriented (theta <= 1).
    Input,
    /// Output-oriented (phi >= 1; score 1/phi).
    Output,
}

/// Runs `efficiency`.
pub(crate) fn efficiency(args: &EfficiencyArgs) -> CliResult {
    let input = load::load(&args.input)?;
    let pipeline = load::pipeline(&input)?;
    let results = pipeline
        .run()
        .map_err(|e| computing(&format!("running {}", input.spec_path.display()), &e))?;
    let fw = pipeline.framework();
    let root_kids: Vec<String> = fw
        .children(fw.root())
        .iter()
        .map(|&c| fw.code(c).to_owned())
        .collect();
    let children_of = |k: usize| -> Vec<String> {
        root_kids
            .get(k)
            .and_then(|c| fw.index_of(c))
            .map(|i| {
                fw.children(i)
                    .iter()
                    .map(|&c| fw.code(c).to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let pick = |given: &[String], k: usize, what: &str| -> Result<Vec<String>, CliError> {
        if !given.is_empty() {
            return Ok(given.to_vec());
        }
        let d = children_of(k);
        if d.is_empty() {
            return Err(CliError::Usage(format!(
                "give --{what}: the index of {} has no {} child with children to default to",
                input.spec_path.display(),
                if k == 0 { "first" } else { "second" }
            )));
        }
        Ok(d)
    };
    let (inputs, outputs) = (
        pick(&args.inputs, 0, "inputs")?,
        pick(&args.outputs, 1, "outputs")?,
    );
    let data = results.dataset(&args.dataset).ok_or_else(|| {
        let names: Vec<&str> = results.datasets().iter().map(|s| s.name()).collect();
        CliError::Usage(format!(
            "--dataset {:?} is not a data set of this pipeline (it has {})",
            args.dataset,
            names.join(", ")
        ))
    })?;
    let model = DeaModel::new(
        match args.returns {
            Rts::Constant => Returns::Constant,
            Rts::Variable => Returns::Variable,
        },
        match args.orientation {
            Orient::Input => Orientation::Input,
            Orient::Output => Orientation::Output,
        },
    );
    let ins: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let outs: Vec<&str> = outputs.iter().map(String::as_str).collect();
    let r = dea(data, &ins, &outs, model).map_err(|e| computing("the efficiency analysis", &e))?;
    // The ratio on the x axis.
    let col = |c: &str| -> Result<&[f64], CliError> {
        data.column(c).ok_or_else(|| {
            CliError::Usage(format!(
                "--ratio names {c:?}, which is not a column of the {} data set",
                data.name()
            ))
        })
    };
    let ratio: Vec<Option<f64>> = match (&args.ratio, root_kids.len()) {
        (Some(spec), _) => {
            let (num, den) = spec.split_once('/').ok_or_else(|| {
                CliError::Usage(format!(
                    "--ratio {spec:?}: write it as OUTPUT/INPUT node codes"
                ))
            })?;
            let (a, b) = (col(num.trim())?, col(den.trim())?);
            a.iter()
                .zip(b)
                .map(|(&x, &y)| (y != 0.0 && x.is_finite() && y.is_finite()).then(|| x / y))
                .collect()
        }
        (None, 2)
            if data.column(&root_kids[0]).is_some() && data.column(&root_kids[1]).is_some() =>
        {
            let (a, b) = (col(&root_kids[1])?, col(&root_kids[0])?);
            a.iter()
                .zip(b)
                .map(|(&x, &y)| (y != 0.0).then(|| x / y))
                .collect()
        }
        _ => {
            let sum = |cs: &[String]| -> Result<Vec<f64>, CliError> {
                let cols: Vec<&[f64]> = cs.iter().map(|c| col(c)).collect::<Result<_, _>>()?;
                Ok((0..data.unit_codes().len())
                    .map(|u| cols.iter().map(|c| c[u]).sum())
                    .collect())
            };
            let (a, b) = (sum(&outputs)?, sum(&inputs)?);
            a.iter()
                .zip(&b)
                .map(|(&x, &y)| (y != 0.0).then(|| x / y))
                .collect()
        }
    };
    let mut files = Outputs::new();
    let names = unit_names(&pipeline, data);
    let path = args.out.join("efficiency.csv");
    files.csv(&path, table(&r, &ratio, &names))?;
    let lambda_path = args.out.join("lambdas.csv");
    let mut lt = CsvTable::new(
        &std::iter::once("uCode".to_owned())
            .chain(r.units.iter().cloned())
            .collect::<Vec<_>>(),
    );
    for (o, u) in r.units.iter().enumerate() {
        lt.row(
            std::iter::once(u.clone()).chain((0..r.units.len()).map(|j| cell(r.lambdas[(o, j)]))),
        );
    }
    files.csv(&lambda_path, lt)?;
    let mut chart = FrontierChart::from_dea(&r, &ratio, &names)
        .map_err(|e| computing("drawing the frontier chart", &e))?;
    if let Some(h) = &args.highlight {
        let o = r.unit_index(h).ok_or_else(|| {
            CliError::Usage(format!("--highlight {h:?} is not a unit of the analysis"))
        })?;
        chart = chart.highlight(&r, o);
    }
    let svg = chart
        .to_svg()
        .map_err(|e| computing("drawing the frontier chart", &e))?;
    let chart_path = args.out.join("frontier.svg");
    files.text(&chart_path, &svg)?;
    files.commit()?;
    let on = (0..r.units.len()).filter(|&o| r.is_efficient(o)).count();
    say(&format!(
        "DEA ({}) of {} units: inputs {}; outputs {}. {on} on the frontier, {} with several optimal peer sets.",
        model.name(),
        r.units.len(),
        inputs.join(", "),
        outputs.join(", "),
        r.unique.iter().filter(|u| !**u).count()
    ));
    if let Some(h) = &args.highlight
        && let Some(o) = r.unit_index(h)
    {
        say(&r.describe(o, &names[o]));
    }
    say(&format!(
        "Wrote {}, {} and {}.",
        path.display(),
        lambda_path.display(),
        chart_path.display()
    ));
    Ok(ExitCode::SUCCESS)
}

fn unit_names(
    pipeline: &composite_index::Pipeline,
    data: &composite_index::results::StageData,
) -> Vec<String> {
    let all = pipeline.data().unit_names();
    data.units()
        .iter()
        .zip(data.unit_codes().iter())
        .map(|(&r, c)| {
            all.get(r)
                .filter(|n| !n.is_empty())
                .cloned()
                .unwrap_or_else(|| c.clone())
        })
        .collect()
}

/// One row per unit: score, efficiency, ratio, efficiency flags, peers, slacks.
fn table(r: &DeaResults, ratio: &[Option<f64>], names: &[String]) -> CsvTable {
    let mut header: Vec<String> = [
        "uCode",
        "uName",
        "score",
        "efficiency",
        "ratio",
        "efficient",
        "unique",
        "peers",
    ]
    .map(String::from)
    .to_vec();
    header.extend(r.inputs.iter().map(|c| format!("slack_{c}")));
    header.extend(r.outputs.iter().map(|c| format!("slack_{c}")));
    let mut t = CsvTable::new(&header);
    let scores = r.scores();
    for (o, u) in r.units.iter().enumerate() {
        let peers: Vec<String> = r.peers(o).iter().map(|(p, l)| format!("{p}:{l}")).collect();
        let mut row = vec![
            u.clone(),
            names[o].clone(),
            cell(scores[o]),
            cell(r.efficiency[o]),
            opt_cell(ratio[o]),
            r.is_efficient(o).to_string(),
            r.unique[o].to_string(),
            peers.join(";"),
        ];
        row.extend(r.input_slacks.row(o).iter().map(|&v| cell(v)));
        row.extend(r.output_slacks.row(o).iter().map(|&v| cell(v)));
        t.row(row);
    }
    t
}
