//! The catalogue of bad inputs (issue 10): one row per kind of bad input, run
//! through the command line on a copy of the shipped example. Each row states the
//! exit code and words the one-sentence error must contain to name the culprit
//! (file, line, unit, column, node or key); for every row, files already in the
//! output folder must be left exactly as they were, with no temporary file left
//! behind. Inputs that are valid (a BOM, blank and NA cells, a zero weight...)
//! have rows too, with what their output must show.
#![cfg(feature = "cli")]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::cli::{cli, example, example_imeta, scratch, stderr, stdout};

/// One bad input.
struct Case {
    name: &'static str,
    /// Makes the bad input in the case's folder (which holds copies of the
    /// example's `spec.toml` and `data.csv`).
    setup: fn(&Path),
    /// The command; `DIR/x` is a file of the case's folder, `OUT` the output folder.
    args: &'static [&'static str],
    /// Exit code.
    code: i32,
    /// Words the error sentence (or, for code 0, the output) must contain.
    expect: &'static [&'static str],
    /// Further checks of a successful run: `(folder, stdout + stderr)`.
    check: Option<fn(&Path, &str)>,
}

/// Replaces `from` (which must be there) by `to` in a file of `dir`.
fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from:?} not in {file}");
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn spec(dir: &Path, from: &str, to: &str) {
    edit(dir, "spec.toml", from, to);
}

fn data(dir: &Path, from: &str, to: &str) {
    edit(dir, "data.csv", from, to);
}

/// The XBR row of the example data starts like this (tertiary is 31.9).
const XBR: &str = "XBR,Brightwater,South,1.409,4.18,31.9";
/// The XCE row (tertiary 27.8).
const XCE: &str = "XCE,Cedarvale,East,4.558,3.08,27.8";

/// A tertiary-enrolment cell of XBR replaced by `cell`.
fn xbr_tertiary(dir: &Path, cell: &str) {
    data(
        dir,
        XBR,
        &format!("XBR,Brightwater,South,1.409,4.18,{cell}"),
    );
}

fn column(dir: &Path, file: &str, name: &str) -> BTreeMap<String, String> {
    let mut rdr = csv::Reader::from_path(dir.join(file)).unwrap();
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_owned).collect();
    let j = header.iter().position(|h| h == name).unwrap();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_owned(), r[j].to_owned())
        })
        .collect()
}

/// Every data cell of every data set and of results.csv is a finite number or empty.
fn all_cells_finite(dir: &Path) {
    let out = dir.join("out");
    let mut files = vec![out.join("results.csv")];
    files.extend(
        std::fs::read_dir(out.join("datasets"))
            .unwrap()
            .map(|e| e.unwrap().path()),
    );
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for bad in ["inf", "NaN"] {
            assert!(!text.contains(bad), "{bad} in {}", f.display());
        }
    }
}

const CASES: &[Case] = &[
    // ---------------------------------------------------------------- files
    Case {
        name: "ragged row",
        setup: |d| data(d, XBR, "XBR,Brightwater,South"),
        args: &["run", "DIR/spec.toml", "--out", "OUT"],
        code: 1,
        expect: &["data.csv, line 3", "fields"],
        check: None,
    },
    Case {
        name: "wrong delimiter",
        setup: |d| {
            let text = std::fs::read_to_string(d.join("data.csv")).unwrap();
            std::fs::write(d.join("data.csv"), text.replace(',', ";")).unwrap();
        },
        args: &["run", "DIR/spec.toml", "--out", "OUT"],
        code: 1,
        expect: &["data.csv, line 1", "separated by \";\""],
        check: None,
    },
    Case {
        name: "byte-order mark",
        setup: |d| {
            let text = std::fs::read_to_string(d.join("data.csv")).unwrap();
            std::fs::write(d.join("data.csv"), format!("\u{feff}{text}")).unwrap();
        },
        args: &["run", "DIR/spec.toml", "--out", "OUT"],
        code: 0,
        expect: &["20 units"],
        check: Some(|d, _| {
            assert_eq!(column(&d.join("out"), "results.csv", "uCode").len(), 20);
        }),
    },
    Case {
        name: "not UTF-8",
        setup: |d| {
            let mut bytes = std::fs::read(d.join("data.csv")).unwrap();
            let at = bytes.windows(11).position(|w| w == b"Brightwater").unwrap();
            bytes[at + 5] = 0xE9; // "Brigh\xe9water", Latin-1
            std::fs::write(d.join("data.csv"), bytes).unwrap();
        },
        args: &["run", "DIR/spec.toml", "--out", "OUT"],
        code: 1,
        expect: &["data.csv, line 3", "not UTF-8"],
        check: None,
    },
    Case {
        name: "duplicate header",
        setup: |d| data(d, "tertiary,researchers", "tertiary,tertiary"),
        args: &["run", "DIR/spec.toml", "--out", "OUT"],
        code: 1,
        expect: &["data.csv", "\"tertiary\" appears twice"],
        check: None,
    },
    Case {
        name: "duplicate unit",
        setup: |d| data(d, "XCE,Cedarvale", "XBR,Cedarvale"),
        args: &["run", "DIR/spec.toml", "--out", "OUT"],
        code: 1,
        expect: &["data.csv", "\"XBR\" appears twice, on lines 3 and 4"],
        check: None,
    },
    Case {
        name: "blank and NA cells",
        setup: |d| {
            xbr_tertiary(d, "NA");
            data(d, XCE, "XCE,Cedarvale,East,4.558,3.08,");
        },
        args: &["run", "DIR/spec.toml", "--out", "OUT"],
        code: 0,
        expect: &["20 units"],
        check: Some(|d, _| {
            let raw = column(&d.join("out"), "datasets/raw.csv", "tertiary");
            assert_eq!((raw["XBR"].as_str(), raw["XCE"].as_str()), ("", ""));
            assert_eq!(raw.values().filter(|v| v.is_empty()).count(), 2);
        }),
    },
    Case {
        name: "decimal comma",
        setup: |d| xbr_tertiary(d, "\"31,9\""),
        args: &["run", "DIR/spec.toml", "--out", "OUT"],
        code: 1,
        expect: &[
            "line 3 (unit \"XBR\"), column \"tertiary\"",
            "\"31,9\"",
            "decimal comma",
        ],
        check: None,
    },
    Case {
        name: "infinity",
        setup: |d| xbr_tertiary(d, "inf"),
        args: &["run", "DIR/spec.toml", "--out", "OUT"],
        code: 1,
        expect: &["line 3 (unit \"XBR\"), column \"tertiary\"", "infinite"],
        check: None,
    },
    Case {
        name: "number beyond f64",
        setup: |d| xbr_tertiary(d, "1e400"),
        args: &["run", "DIR/spec.toml", "--out", "OUT"],
        code: 1,
        expect: &[
            "line 3 (unit \"XBR\"), column \"tertiary\"",
            "\"1e400\"",
            "beyond the range",
        ],
        check: None,
    },
    Case {
        name: "values near the limits of f64",
        setup: |d| {
            xbr_tertiary(d, "1.7e308");
            data(d, XCE, "XCE,Cedarvale,East,4.558,3.08,-1.7e308");
            // No outlier treatment of this column: min-max sees the values as they are.
            spec(
                d,
                "winmax = 5",
                "winmax = 5\noverrides = { tertiary = { treatment = \"none\" } }",
            );
        },
        args: &["run", "DIR/spec.toml", "--out", "OUT"],
        code: 0,
        expect: &["20 units"],
        check: Some(|d, _| {
            all_cells_finite(d);
            let n = column(&d.join("out"), "datasets/normalised.csv", "tertiary");
            assert_eq!((n["XBR"].as_str(), n["XCE"].as_str()), ("100", "0"));
            let index = column(&d.join("out"), "results.csv", "Index");
            assert!(index.values().all(|v| !v.is_empty()), "{index:?}");
        }),
    },
    Case {
        name: "header only",
        setup: |d| {
            let text = std::fs::read_to_string(d.join("data.csv")).unwrap();
            std::fs::write(d.join("data.csv"), text.lines().next().unwrap()).unwrap();
        },
        args: &["run", "DIR/spec.toml", "--out", "OUT"],
        code: 1,
        expect: &["data.csv", "no data rows"],
        check: None,
    },
    Case {
        name: "one unit",
        setup: |d| {
            let text = std::fs::read_to_string(d.join("data.csv")).unwrap();
            let two: Vec<&str> = text.lines().take(2).collect();
            std::fs::write(d.join("data.csv"), two.join("\n")).unwrap();
        },
        args: &["run", "DIR/spec.toml", "--out", "OUT"],
        code: 1,
        expect: &["only one unit has a value"],
        check: None,
    },
    Case {
        name: "zero denominator",
        setup: |d| data(d, "XBR,Brightwater,South,1.409", "XBR,Brightwater,South,0"),
        args: &["run", "DIR/spec.toml", "--out", "OUT"],
        code: 0,
        expect: &[
            "warning: unit \"XBR\", indicator \"researchers\": the denominator \"Population\" is 0",
        ],
        check: None,
    },
    Case {
        name: "zero denominator in validate",
        setup: |d| data(d, "XBR,Brightwater,South,1.409", "XBR,Brightwater,South,0"),
        args: &["validate", "DIR/spec.toml"],
        code: 0,
        expect: &[
            "warning: unit \"XBR\", indicator \"patents\": the denominator \"Population\" is 0",
        ],
        check: None,
    },
    Case {
        name: "constant column",
        setup: |d| {
            let text = std::fs::read_to_string(d.join("data.csv")).unwrap();
            let rows: Vec<String> = text
                .lines()
                .enumerate()
                .map(|(i, l)| {
                    let mut f: Vec<&str> = l.split(',').collect();
                    if i > 0 {
                        f[5] = "0.1";
                    }
                    f.join(",")
                })
                .collect();
            std::fs::write(d.join("data.csv"), rows.join("\n")).unwrap();
        },
        args: &["run", "DIR/spec.toml", "--out", "OUT"],
        code: 1,
        expect: &["\"tertiary\"", "min_max", "constant"],
        check: None,
    },
    Case {
        name: "all-missing indicator",
        setup: |d| {
            let text = std::fs::read_to_string(d.join("data.csv")).unwrap();
            let rows: Vec<String> = text
                .lines()
                .enumerate()
                .map(|(i, l)| {
                    let mut f: Vec<&str> = l.split(',').collect();
                    if i > 0 {
                        f[5] = "NA";
                    }
                    f.join(",")
                })
                .collect();
            std::fs::write(d.join("data.csv"), rows.join("\n")).unwrap();
        },
        args: &["run", "DIR/spec.toml", "--out", "OUT"],
        code: 1,
        expect: &["\"tertiary\"", "no non-missing values"],
        check: None,
    },
    Case {
        name: "all-missing unit",
        setup: |d| {
            let text = std::fs::read_to_string(d.join("data.csv")).unwrap();
            let rows: Vec<String> = text
                .lines()
                .map(|l| {
                    let mut f: Vec<&str> = l.split(',').collect();
                    if f[0] == "XBR" {
                        for c in f.iter_mut().skip(4) {
                            *c = "";
                        }
                    }
                    f.join(",")
                })
                .collect();
            std::fs::write(d.join("data.csv"), rows.join("\n")).unwrap();
        },
        args: &["run", "DIR/spec.toml", "--out", "OUT"],
        code: 0,
        expect: &["20 units"],
        check: Some(|d, _| {
            let index = column(&d.join("out"), "results.csv", "Index");
            assert_eq!(index["XBR"], "");
            assert_eq!(index.values().filter(|v| v.is_empty()).count(), 1);
        }),
    },
    Case {
        name: "all-missing unit in validate",
        setup: |d| {
            let text = std::fs::read_to_string(d.join("data.csv")).unwrap();
            let rows: Vec<String> = text
                .lines()
                .map(|l| {
                    let mut f: Vec<&str> = l.split(',').collect();
                    if f[0] == "XBR" {
                        for c in f.iter_mut().skip(4) {
                            *c = "NA";
                        }
                    }
                    f.join(",")
                })
                .collect();
            std::fs::write(d.join("data.csv"), rows.join("\n")).unwrap();
        },
        args: &["validate", "DIR/spec.toml"],
        code: 0,
        expect: &["warning: unit \"XBR\" has no indicator value at all"],
        check: None,
    },
    // ---------------------------------------------------------------- the framework
    Case {
        name: "unknown code",
        setup: |d| {
            spec(
                d,
                "default = { method = \"min_max\", lo = 0, hi = 100 }",
                "default = { method = \"min_max\", lo = 0, hi = 100 }\noverrides = { tertiery = { method = \"rank\" } }",
            )
        },
        args: &["run", "DIR/spec.toml", "--out", "OUT"],
        code: 1,
        expect: &["spec.toml", "\"tertiery\"", "did you mean \"tertiary\"?"],
        check: None,
    },
    Case {
        name: "cycle",
        setup: |d| {
            spec(
                d,
                "code = \"IN\"\nname = \"Input sub-index\"\nparent = \"Index\"",
                "code = \"IN\"\nname = \"Input sub-index\"\nparent = \"HC\"",
            )
        },
        args: &["run", "DIR/spec.toml", "--out", "OUT"],
        code: 1,
        expect: &["spec.toml", "cycle among nodes", "IN", "HC"],
        check: None,
    },
    Case {
        name: "orphan",
        setup: |d| {
            spec(
                d,
                "code = \"HC\"\nname = \"Human capital\"\nparent = \"IN\"",
                "code = \"HC\"\nname = \"Human capital\"\nparent = \"Inptu\"",
            )
        },
        args: &["run", "DIR/spec.toml", "--out", "OUT"],
        code: 1,
        expect: &[
            "spec.toml",
            "\"HC\" has parent \"Inptu\", which does not exist",
        ],
        check: None,
    },
    Case {
        name: "misspelt parent",
        setup: |d| {
            spec(
                d,
                "code = \"KNO\"\nname = \"Knowledge outputs\"\nparent = \"OUT\"",
                "code = \"KNO\"\nname = \"Knowledge outputs\"\nparent = \"OUTT\"",
            )
        },
        args: &["run", "DIR/spec.toml", "--out", "OUT"],
        code: 1,
        expect: &["\"KNO\" has parent \"OUTT\"", "did you mean \"OUT\"?"],
        check: None,
    },
    Case {
        name: "zero weight",
        setup: |d| {
            spec(
                d,
                "code = \"HC\"\nname = \"Human capital\"",
                "code = \"HC\"\nname = \"Human capital\"\nweight = 0",
            )
        },
        args: &["validate", "DIR/spec.toml"],
        code: 0,
        expect: &["warning: node \"HC\" has weight 0, so it takes no part in \"IN\""],
        check: None,
    },
    Case {
        name: "negative weight",
        setup: |d| {
            spec(
                d,
                "code = \"HC\"\nname = \"Human capital\"",
                "code = \"HC\"\nname = \"Human capital\"\nweight = -1",
            )
        },
        args: &["run", "DIR/spec.toml", "--out", "OUT"],
        code: 1,
        expect: &["spec.toml", "\"HC\" has negative weight -1"],
        check: None,
    },
    Case {
        name: "NaN weight",
        setup: |d| {
            spec(
                d,
                "code = \"HC\"\nname = \"Human capital\"",
                "code = \"HC\"\nname = \"Human capital\"\nweight = nan",
            )
        },
        args: &["run", "DIR/spec.toml", "--out", "OUT"],
        code: 1,
        expect: &["spec.toml", "\"HC\" has a non-finite weight"],
        check: None,
    },
    Case {
        name: "all-zero sibling weights",
        setup: |d| {
            for (code, name) in [
                ("HC", "Human capital"),
                ("INF", "Infrastructure"),
                ("BUS", "Business environment"),
            ] {
                let from = format!("code = \"{code}\"\nname = \"{name}\"");
                spec(d, &from, &format!("{from}\nweight = 0"));
            }
        },
        args: &["run", "DIR/spec.toml", "--out", "OUT"],
        code: 1,
        expect: &["spec.toml", "all children of \"IN\" have weight zero"],
        check: None,
    },
    // ---------------------------------------------------------------- the specification
    Case {
        name: "unknown spec key",
        setup: |d| {
            spec(
                d,
                "code = \"HC\"\nname = \"Human capital\"",
                "code = \"HC\"\nname = \"Human capital\"\nweigth = 2",
            )
        },
        args: &["run", "DIR/spec.toml", "--out", "OUT"],
        code: 1,
        expect: &[
            "spec.toml, line 32, column 1",
            "`weigth`",
            "did you mean `weight`?",
        ],
        check: None,
    },
    Case {
        name: "misspelt stage",
        setup: |d| spec(d, "stage = \"normalise\"", "stage = \"normalize\""),
        args: &["run", "DIR/spec.toml", "--out", "OUT"],
        code: 1,
        expect: &[
            "spec.toml, line",
            "`normalize`",
            "did you mean `normalise`?",
        ],
        check: None,
    },
    Case {
        name: "wrong TOML type",
        setup: |d| spec(d, "dat_thresh = 0.5", "dat_thresh = \"half\""),
        args: &["run", "DIR/spec.toml", "--out", "OUT"],
        code: 1,
        expect: &["spec.toml, line 139, column 14", "\"half\"", "expected f64"],
        check: None,
    },
    Case {
        name: "harmonic mean of z-scores",
        setup: |d| {
            spec(
                d,
                "default = { method = \"min_max\", lo = 0, hi = 100 }",
                "default = { method = \"z_score\" }",
            );
            spec(
                d,
                "default = { method = \"arithmetic_mean\" }",
                "default = { method = \"harmonic_mean\" }",
            );
        },
        args: &["run", "DIR/spec.toml", "--out", "OUT"],
        code: 1,
        expect: &[
            "harmonic_mean",
            "for unit \"",
            "when computing \"",
            "positive values",
        ],
        check: None,
    },
    Case {
        name: "screening removes every unit",
        setup: |d| {
            // Every unit misses its last indicator; screening asks for all of them.
            let text = std::fs::read_to_string(d.join("data.csv")).unwrap();
            let rows: Vec<String> = text
                .lines()
                .enumerate()
                .map(|(i, l)| {
                    let mut f: Vec<&str> = l.split(',').collect();
                    if i > 0 {
                        *f.last_mut().unwrap() = "";
                    }
                    f.join(",")
                })
                .collect();
            std::fs::write(d.join("data.csv"), rows.join("\n")).unwrap();
            spec(
                d,
                "[[steps]]\nstage = \"denominate\"",
                "[[steps]]\nstage = \"screen\"\nby = { by = \"missing_data\", dat_thresh = 1.0 }\n\n[[steps]]\nstage = \"denominate\"",
            );
        },
        args: &["run", "DIR/spec.toml", "--out", "OUT"],
        code: 1,
        expect: &[
            "step 0 (screen)",
            "every one of the 20 units",
            "dat_thresh = 1",
        ],
        check: None,
    },
    Case {
        name: "missing specification",
        setup: |_| {},
        args: &["run", "DIR/nothing.toml", "--out", "OUT"],
        code: 1,
        expect: &["nothing.toml: no such file"],
        check: None,
    },
    Case {
        name: "missing data file",
        setup: |d| spec(d, "csv = \"data.csv\"", "csv = \"gone.csv\""),
        args: &["run", "DIR/spec.toml", "--out", "OUT"],
        code: 1,
        expect: &["gone.csv"],
        check: None,
    },
    // ---------------------------------------------------------------- options and outputs
    Case {
        name: "sobol zero",
        setup: |_| {},
        args: &[
            "uncertainty",
            "DIR/spec.toml",
            "--out",
            "OUT",
            "--runs",
            "20",
            "--sobol",
            "0",
            "--quiet",
        ],
        code: 2,
        expect: &["--sobol 0"],
        check: None,
    },
    Case {
        name: "unknown node option",
        setup: |_| {},
        args: &["run", "DIR/spec.toml", "--out", "OUT", "--node", "INN"],
        code: 2,
        expect: &["--node \"INN\"", "did you mean \"IN\"?"],
        check: None,
    },
    Case {
        name: "unwritable output",
        setup: |d| {
            // "charts" is a file where the charts folder should go: the data sets
            // and results are written first, then the charts fail.
            std::fs::write(d.join("out/charts"), "in the way").unwrap();
        },
        args: &["run", "DIR/spec.toml", "--out", "OUT"],
        code: 1,
        expect: &["charts"],
        check: None,
    },
    Case {
        name: "output is a file",
        setup: |d| std::fs::write(d.join("out.txt"), "a file").unwrap(),
        args: &["run", "DIR/spec.toml", "--out", "DIR/out.txt"],
        code: 1,
        expect: &["out.txt"],
        check: Some(|d, _| {
            assert_eq!(
                std::fs::read_to_string(d.join("out.txt")).unwrap(),
                "a file"
            );
        }),
    },
    Case {
        name: "fake xlsx",
        setup: |d| std::fs::write(d.join("GII-2025.xlsx"), "uCode,x\nA,1\n").unwrap(),
        args: &["gii", "--workbook", "DIR/GII-2025.xlsx", "--out", "OUT"],
        code: 1,
        expect: &["GII-2025.xlsx"],
        check: None,
    },
    // ---------------------------------------------------------------- COINr tables
    Case {
        name: "COINr tables with an empty framework and a bad iData cell",
        setup: |d| {
            example_imeta(&d.join("iMeta.csv"));
            std::fs::copy(d.join("data.csv"), d.join("iData.csv")).unwrap();
            edit(d, "iData.csv", XBR, "XBR,Brightwater,South,1.409,4.18,abc");
            coinr_spec(d, "");
        },
        args: &[
            "validate",
            "DIR/coinr.toml",
            "--imeta",
            "DIR/iMeta.csv",
            "--idata",
            "DIR/iData.csv",
        ],
        code: 1,
        expect: &["line 3 (unit \"XBR\"), column \"tertiary\""],
        check: Some(|_, out| assert!(!out.contains("no nodes"), "{out}")),
    },
    Case {
        name: "COINr tables and the spec's weight sets",
        setup: |d| {
            example_imeta(&d.join("iMeta.csv"));
            std::fs::copy(d.join("data.csv"), d.join("iData.csv")).unwrap();
            coinr_spec(d, "[framework.weight_sets.Custom]\nIN = 2\n");
        },
        args: &[
            "run",
            "DIR/coinr.toml",
            "--imeta",
            "DIR/iMeta.csv",
            "--idata",
            "DIR/iData.csv",
            "--out",
            "OUT",
        ],
        code: 0,
        expect: &["20 units"],
        check: Some(|d, _| {
            assert_eq!(column(&d.join("out"), "results.csv", "uCode").len(), 20);
        }),
    },
];

/// A specification taking its framework from iMeta; with `weight_sets`, it also
/// holds weight sets and aggregates with the set "Custom".
fn coinr_spec(dir: &Path, weight_sets: &str) {
    let (framework, weights) = if weight_sets.is_empty() {
        ("framework = { nodes = [] }\n".to_owned(), "")
    } else {
        (
            format!("[framework]\nnodes = []\n{weight_sets}"),
            "weights = \"Custom\"\n",
        )
    };
    std::fs::write(
        dir.join("coinr.toml"),
        format!(
            "spec_version = 1\n{framework}\n[[steps]]\nstage = \"normalise\"\n\n[[steps]]\nstage = \"aggregate\"\n{weights}"
        ),
    )
    .unwrap();
}

/// Every file under `dir` with its contents.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p.clone());
                out.insert(p, Vec::new());
            } else {
                out.insert(p.clone(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn run_case(case: &Case) -> Result<(), String> {
    let dir = scratch(&format!("bad-inputs/{}", case.name.replace(' ', "-")));
    for f in ["spec.toml", "data.csv"] {
        std::fs::copy(example(f), dir.join(f)).unwrap();
    }
    // Earlier outputs, which a failed command must leave as they are.
    let out = dir.join("out");
    std::fs::create_dir_all(out.join("datasets")).unwrap();
    for f in [
        "results.csv",
        "report.html",
        "datasets/raw.csv",
        "sobol.csv",
    ] {
        std::fs::write(out.join(f), format!("earlier {f}\n")).unwrap();
    }
    (case.setup)(&dir);
    let before = snapshot(&out);
    let args: Vec<String> = case
        .args
        .iter()
        .map(|a| {
            if *a == "OUT" {
                out.display().to_string()
            } else if let Some(f) = a.strip_prefix("DIR/") {
                dir.join(f).display().to_string()
            } else {
                (*a).to_owned()
            }
        })
        .collect();
    let o: Output = cli(&args);
    let (so, se) = (stdout(&o), stderr(&o));
    let code = o.status.code();
    if code != Some(case.code) {
        return Err(format!(
            "exit code {code:?}, expected {}\nstdout:\n{so}\nstderr:\n{se}",
            case.code
        ));
    }
    let text = if case.code == 0 {
        format!("{so}{se}")
    } else {
        let lines: Vec<&str> = se.lines().filter(|l| !l.trim().is_empty()).collect();
        if case.args[0] != "validate"
            && (lines.len() != 1 || !lines[0].starts_with("error: ") || !lines[0].ends_with('.'))
        {
            return Err(format!("not one error sentence on stderr:\n{se}"));
        }
        format!("{so}{se}")
    };
    for e in case.expect {
        if !text.contains(e) {
            return Err(format!("{e:?} not in the message:\n{text}"));
        }
    }
    if case.code != 0 {
        let after = snapshot(&out);
        if after != before {
            let changed: Vec<_> = after
                .keys()
                .chain(before.keys())
                .filter(|k| after.get(*k) != before.get(*k))
                .collect();
            return Err(format!("the output folder changed: {changed:?}"));
        }
    }
    if let Some(check) = case.check {
        // A failed check is reported with the other cases, not as a panic.
        std::panic::catch_unwind(|| check(&dir, &text)).map_err(|e| {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            format!("check failed: {msg}")
        })?;
    }
    Ok(())
}

#[test]
fn every_bad_input_is_caught_and_named_and_outputs_are_untouched() {
    let mut failures = Vec::new();
    for case in CASES {
        if let Err(e) = run_case(case) {
            failures.push(format!("[{}] {e}", case.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n\n")
    );
}
