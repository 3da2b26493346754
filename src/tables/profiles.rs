//! The tables of economy profiles.

use super::{Cell, Table};
use crate::insights::{EconomyProfile, Performance, SignalKind};

/// The profiles as two tables, for CSV files and the workbook:
///
/// - `profile_summary`: one row per unit: `uCode, uName, score, rank, of`, the
///   rank within each group (`rank_in_<column>`, `of_in_<column>`), the number
///   of strengths, weaknesses and indicators led, the development covariate,
///   expected score, residual and performance, and the median, 5th and 95th
///   percentile ranks of the uncertainty analysis;
/// - `profiles`: one row per unit and node (index, aggregates, indicators):
///   `uCode, uName, iCode, iName, level, value, score, rank, of, signal, leads`.
pub fn profiles(profiles: &[EconomyProfile]) -> [Table; 2] {
    let group_cols: Vec<String> = {
        let mut v: Vec<String> = Vec::new();
        for p in profiles {
            for g in &p.groups {
                if !v.contains(&g.column) {
                    v.push(g.column.clone());
                }
            }
        }
        v
    };
    let mut header: Vec<String> = ["uCode", "uName", "score", "rank", "of"]
        .map(String::from)
        .to_vec();
    for g in &group_cols {
        header.push(format!("group_{g}"));
        header.push(format!("rank_in_{g}"));
        header.push(format!("of_in_{g}"));
    }
    header.extend(
        [
            "strengths",
            "weaknesses",
            "indicators_led",
            "covariate",
            "covariate_value",
            "expected_score",
            "residual",
            "performance",
            "median_rank",
            "q05_rank",
            "q95_rank",
        ]
        .map(String::from),
    );
    let mut summary = Table::new("profile_summary", header)
        .describe("Economy profiles: each unit's score, rank, ranks within groups, strengths, weaknesses, leads, development fit and rank interval.")
        .keys(2);
    summary.score_columns = vec![2];
    let mut nodes = Table::new(
        "profiles",
        [
            "uCode", "uName", "iCode", "iName", "level", "value", "score", "rank", "of", "signal",
            "leads",
        ],
    )
    .describe("Economy profiles: each unit's value, score and rank on every node, with its strengths, weaknesses and the indicators it leads.")
    .keys(4);
    for p in profiles {
        let mut row = vec![
            Cell::text(p.unit.clone()),
            Cell::text(p.name.clone()),
            Cell::opt(p.overall.score),
            Cell::rank(p.overall.rank),
            Cell::count(p.overall.of),
        ];
        for g in &group_cols {
            match p.groups.iter().find(|x| &x.column == g) {
                Some(x) => row.extend([
                    Cell::text(x.rank.group.clone()),
                    Cell::rank(Some(x.rank.rank)),
                    Cell::count(x.rank.of),
                ]),
                None => row.extend([Cell::Empty, Cell::Empty, Cell::Empty]),
            }
        }
        row.extend([
            Cell::count(p.strengths.len()),
            Cell::count(p.weaknesses.len()),
            Cell::count(p.leads.len()),
        ]);
        match &p.development {
            Some(d) => row.extend([
                Cell::text(d.covariate.clone()),
                Cell::num(d.value),
                Cell::num(d.expected),
                Cell::num(d.residual),
                Cell::text(match d.performance {
                    Performance::Above => "above",
                    Performance::AsExpected => "as_expected",
                    Performance::Below => "below",
                }),
            ]),
            None => row.extend([
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
            ]),
        }
        match &p.uncertainty {
            Some(s) => row.extend([
                Cell::num(s.median_rank),
                Cell::num(s.q05_rank),
                Cell::num(s.q95_rank),
            ]),
            None => row.extend([Cell::Empty, Cell::Empty, Cell::Empty]),
        }
        summary.push(row);
        for s in std::iter::once(&p.overall)
            .chain(&p.aggregates)
            .chain(&p.indicators)
        {
            nodes.push(vec![
                Cell::text(p.unit.clone()),
                Cell::text(p.name.clone()),
                Cell::text(s.code.clone()),
                Cell::text(s.name.clone()),
                Cell::count(s.level as usize),
                Cell::opt(s.value),
                Cell::opt(s.score),
                Cell::rank(s.rank),
                Cell::count(s.of),
                Cell::text(match s.signal {
                    Some(SignalKind::Strength) => "strength",
                    Some(SignalKind::Weakness) => "weakness",
                    None => "",
                }),
                Cell::Bool(s.leads),
            ]);
        }
    }
    [summary, nodes]
}
