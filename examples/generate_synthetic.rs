//! Generates the synthetic data shipped with the crate:
//!
//! - `data/gii/synthetic_2025.csv`: 139 synthetic economies (`SYN001` ...,
//!   "Synthetic economy 001" ...) on the 78 indicators of the GII 2025
//!   framework, with an income group, a region and a GDP per capita;
//! - `data/pii/synthetic_2025.csv`: 34 synthetic provinces (`SP01` ...) on the
//!   31 PII indicators known from public sources, with a kind (city or
//!   province) and a GRDP per capita.
//!
//! **None of these numbers describes a real economy or province.** They are
//! drawn from a seeded ChaCha8 stream: a latent development level drives GDP
//! per capita and an innovation factor, each indicator loads on that factor
//! with noise and is mapped onto a plausible scale for its type (0-100 for
//! composite indices, 1-7 for survey questions, positive values for hard
//! data). Some indicators are heavy-tailed (log-normal with a large spread: the
//! GII treatment must log-transform them), some have a few extreme values
//! (winsorisation suffices), the two GII "bads" fall as the factor rises, and
//! about 11% of the GII values (4% of the PII values) are missing, with a few
//! economies missing so much that they fall short of the GII's coverage rule.
//!
//! Values are rounded to 4 significant digits. Only the raw 64-bit stream of
//! `ChaCha8Rng` is used (uniforms and normals are derived here), so the files
//! do not depend on the distribution code of a `rand` version; the integration
//! tests regenerate them and check that they are identical.
//!
//! `cargo run --example generate_synthetic` rewrites both files.

use std::fmt::Write as _;
use std::path::PathBuf;

use composite_index::NodeSpec;
use composite_index::instances::{gii, pii};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Seed of the GII data.
pub const GII_SEED: u64 = 20_250_916;
/// Seed of the PII data.
pub const PII_SEED: u64 = 20_250_034;
/// Where the GII data go, relative to the crate root.
pub const GII_PATH: &str = "data/gii/synthetic_2025.csv";
/// Where the PII data go, relative to the crate root.
pub const PII_PATH: &str = "data/pii/synthetic_2025.csv";

/// Indicators drawn heavy-tailed (log-normal, spread 1.6): the GII treatment
/// cannot fix them by winsorising 5 points and applies `gii_log`.
const GII_HEAVY: [&str; 8] = [
    "2.3.3", "4.2.2", "4.2.5", "5.2.5", "6.1.3", "6.2.2", "7.1.3", "7.3.2",
];
/// Indicators with two or three extreme values (winsorisation suffices).
const GII_OUTLIERS: [&str; 5] = ["3.2.1", "4.3.3", "5.3.4", "6.3.1", "7.2.2"];
/// Economies with much missing data (index into the unit list).
const GII_SPARSE_UNITS: [usize; 4] = [17, 58, 101, 133];

const PII_HEAVY: [&str; 3] = ["6.0.1", "6.0.2", "6.0.3"];
const PII_OUTLIERS: [&str; 2] = ["4.0.1", "7.1.3"];

struct Stream(ChaCha8Rng);

impl Stream {
    fn new(seed: u64) -> Self {
        Self(ChaCha8Rng::seed_from_u64(seed))
    }

    /// Uniform in [0, 1) from the top 53 bits.
    fn uniform(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Standard normal (Box-Muller, one value per pair of uniforms).
    fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.uniform();
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// Uniform integer in 0..n.
    fn below(&mut self, n: usize) -> usize {
        ((self.uniform() * n as f64) as usize).min(n - 1)
    }
}

/// Rounds to 4 significant digits and formats; empty for NaN.
fn fmt4(v: f64) -> String {
    if v.is_nan() {
        return String::new();
    }
    if v == 0.0 {
        return "0".into();
    }
    let digits = (3 - v.abs().log10().floor() as i32).clamp(0, 12) as usize;
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

/// The indicator nodes of a shipped framework, in framework order.
fn indicators(
    fw: composite_index::Result<&'static composite_index::Framework>,
) -> Vec<&'static NodeSpec> {
    // The shipped specifications are part of the crate (and tested), not input.
    let fw = fw.expect("the GII and PII specifications ship with the crate");
    fw.indicators().iter().map(|&i| fw.node(i)).collect()
}

/// Draws one indicator column from the innovation factor `z`.
#[allow(clippy::too_many_arguments)]
fn column(
    s: &mut Stream,
    z: &[f64],
    kind: Option<&str>,
    direction: f64,
    heavy: bool,
    outliers: bool,
    miss: &[f64],
) -> Vec<f64> {
    let n = z.len();
    let loading = 0.45 + 0.45 * s.uniform();
    let noise = (1.0 - loading * loading).sqrt();
    let scale = 10f64.powf(-0.5 + 3.0 * s.uniform());
    let x: Vec<f64> = z
        .iter()
        .map(|&zi| loading * zi + noise * s.normal())
        .collect();
    let mut v: Vec<f64> = x
        .iter()
        .map(|&xi| match (kind, heavy) {
            (_, true) => 2.0 + scale * (1.6 * xi).exp(),
            (Some("index"), _) => (50.0 + 16.0 * xi).clamp(0.0, 100.0),
            (Some("survey"), _) => (4.0 + 0.8 * xi).clamp(1.0, 7.0),
            _ => scale * (0.3 * direction * xi).exp(),
        })
        .collect();
    if outliers {
        let k = 2 + s.below(2);
        for _ in 0..k {
            let i = s.below(n);
            v[i] *= 8.0 + 4.0 * s.uniform();
        }
    }
    for (i, vi) in v.iter_mut().enumerate() {
        if s.uniform() < miss[i] {
            *vi = f64::NAN;
        }
    }
    v
}

/// The GII synthetic data as CSV text.
pub fn gii_csv() -> String {
    let mut s = Stream::new(GII_SEED);
    let n = 139;
    let d: Vec<f64> = (0..n).map(|_| s.normal()).collect();
    let z: Vec<f64> = d.iter().map(|&di| 0.8 * di + 0.6 * s.normal()).collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| d[a].total_cmp(&d[b]));
    let mut income = vec![""; n];
    for (k, &i) in order.iter().enumerate() {
        let q = k as f64 / n as f64;
        income[i] = if q < 0.2 {
            "Low income"
        } else if q < 0.5 {
            "Lower middle income"
        } else if q < 0.75 {
            "Upper middle income"
        } else {
            "High income"
        };
    }
    let regions = [
        "Region A", "Region B", "Region C", "Region D", "Region E", "Region F",
    ];
    let region: Vec<&str> = (0..n).map(|_| regions[s.below(regions.len())]).collect();
    let gdp: Vec<f64> = d
        .iter()
        .map(|&di| (9.3 + 1.1 * di + 0.15 * s.normal()).exp())
        .collect();
    let inds = indicators(gii::framework(2025));
    let mut cols = Vec::with_capacity(inds.len());
    for ind in &inds {
        let base = if ind.kind.as_deref() == Some("survey") {
            0.16
        } else {
            0.092
        };
        let miss: Vec<f64> = (0..n)
            .map(|i| {
                if GII_SPARSE_UNITS.contains(&i) {
                    0.55
                } else {
                    base
                }
            })
            .collect();
        cols.push(column(
            &mut s,
            &z,
            ind.kind.as_deref(),
            ind.direction,
            GII_HEAVY.contains(&ind.code.as_str()),
            GII_OUTLIERS.contains(&ind.code.as_str()),
            &miss,
        ));
    }
    let mut out = String::from("uCode,uName,Income,Region,GDPpc");
    for ind in &inds {
        out.push(',');
        out.push_str(&ind.code);
    }
    out.push('\n');
    for i in 0..n {
        let _ = write!(
            out,
            "SYN{:03},Synthetic economy {:03},{},{},{}",
            i + 1,
            i + 1,
            income[i],
            region[i],
            fmt4(gdp[i])
        );
        for c in &cols {
            out.push(',');
            out.push_str(&fmt4(c[i]));
        }
        out.push('\n');
    }
    out
}

/// The PII synthetic data as CSV text.
pub fn pii_csv() -> String {
    let mut s = Stream::new(PII_SEED);
    let n = 34;
    let d: Vec<f64> = (0..n).map(|_| s.normal()).collect();
    let z: Vec<f64> = d.iter().map(|&di| 0.8 * di + 0.6 * s.normal()).collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| d[b].total_cmp(&d[a]));
    // The six most developed units are the cities, as in 2025 (6 cities, 28 provinces).
    let mut kind = vec!["Province"; n];
    for &i in order.iter().take(6) {
        kind[i] = "City";
    }
    let grdp: Vec<f64> = d
        .iter()
        .map(|&di| (4.4 + 0.45 * di + 0.1 * s.normal()).exp())
        .collect();
    let miss = vec![0.04; n];
    let mut cols = Vec::new();
    let inds = indicators(pii::framework(2025));
    for ind in &inds {
        let kind = if matches!(ind.unit.as_deref(), Some("score" | "index")) {
            Some("index")
        } else {
            Some("data")
        };
        cols.push(column(
            &mut s,
            &z,
            kind,
            ind.direction,
            PII_HEAVY.contains(&ind.code.as_str()),
            PII_OUTLIERS.contains(&ind.code.as_str()),
            &miss,
        ));
    }
    let mut out = String::from("uCode,uName,Kind,GRDPpc");
    for ind in &inds {
        out.push(',');
        out.push_str(&ind.code);
    }
    out.push('\n');
    for i in 0..n {
        let _ = write!(
            out,
            "SP{:02},Synthetic province {:02},{},{}",
            i + 1,
            i + 1,
            kind[i],
            fmt4(grdp[i])
        );
        for c in &cols {
            out.push(',');
            out.push_str(&fmt4(c[i]));
        }
        out.push('\n');
    }
    out
}

/// Share of empty indicator cells in a CSV written by this file (columns after `skip`).
pub fn missing_share(csv: &str, skip: usize) -> f64 {
    let (mut empty, mut total) = (0usize, 0usize);
    for line in csv.lines().skip(1) {
        for cell in line.split(',').skip(skip) {
            total += 1;
            if cell.is_empty() {
                empty += 1;
            }
        }
    }
    empty as f64 / total.max(1) as f64
}

fn main() -> std::io::Result<()> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for (path, text, skip) in [(GII_PATH, gii_csv(), 5), (PII_PATH, pii_csv(), 4)] {
        let p = root.join(path);
        if let Some(dir) = p.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&p, &text)?;
        println!(
            "wrote {} ({} rows, {:.1}% missing) -- synthetic data, not real units",
            p.display(),
            text.lines().count() - 1,
            100.0 * missing_share(&text, skip)
        );
    }
    Ok(())
}
