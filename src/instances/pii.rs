//! Vietnam's Provincial Innovation Index (PII, Chỉ số Đổi mới sáng tạo cấp địa
//! phương) as a configured instance.
//!
//! The Ministry of Science and Technology (MoST) builds the PII on the GII
//! model. Editions 2023 and 2024 cover 63 provinces; the 2025 edition covers
//! the 34 provincial units formed by the mid-2025 merger ([`PROVINCES_2025`]).
//!
//! # What is known, and how surely
//!
//! | fact | confidence |
//! |---|---|
//! | 7 pillars (5 input, 2 output), Vietnamese and English names ([`PILLARS`]) | [`Confidence::Published`] |
//! | 52 indicators, 18 sub-pillars in all ([`N_INDICATORS`], [`N_SUB_PILLARS`]) | [`Confidence::Reported`] |
//! | input = mean of pillars 1-5, output = mean of pillars 6-7, PII = mean of both ([`AGGREGATION_PROVENANCE`]) | [`Confidence::Verified`]: Bac Ninh's published 2025 pillar scores give its published 48.76 |
//! | sub-pillars 7.1 and 7.2 and their indicators | [`Confidence::Reported`] |
//! | 31 other indicators and their pillars ([`INDICATORS_KNOWN`]) | each row's `placement`: `Reported` (confirmed by the press) or `Inferred` (likely) |
//! | scores 0-100 with the best province at 100: min-max as in the GII | [`Confidence::Inferred`] |
//! | outlier, weight and missing-data rules: the GII's ([`METHOD_PROVENANCE`]) | [`Confidence::Inferred`] |
//! | the 34 units of 2025 ([`PROVINCES_2025`]; the short codes are this project's, not official) | [`Confidence::Reported`] |
//! | published scores ([`PUBLISHED`]) | [`Confidence::Reported`] (press and provincial releases) |
//!
//! # The framework is partial
//!
//! The official list of the 52 indicators is not public. [`framework`] builds
//! the tree that is known: the index `PII`, sub-indices `IN` and `OUT`, the 7
//! pillars (`"1"` to `"7"`), the two published sub-pillars of pillar 7 (`"7.1"`,
//! `"7.2"`) and, for pillars 1 to 6 whose sub-pillars are not known, one
//! placeholder sub-pillar each (`"1.0"` ... `"6.0"`) holding the indicators
//! known in that pillar, coded `"<pillar>.0.<k>"` (pillar 7's are `"7.1.k"`,
//! `"7.2.k"`). Pillar scores computed on that tree are the mean of the known
//! indicators, not MoST's. [`FRAMEWORK_IS_PARTIAL`] says so in code.
//!
//! # Method
//!
//! [`spec`] applies the GII method ([`gii::method_steps`])
//! to that tree; [`run`] adds the GII's coverage flags and the efficiency ratio
//! `OUT / IN` ([`GiiRun`]). [`from_pillar_scores`] and [`from_sub_index_scores`]
//! aggregate published pillar or sub-index scores with the PII's own means.
//!
//! References: Ministry of Science and Technology of Viet Nam, *Bộ Chỉ số Đổi
//! mới sáng tạo cấp địa phương (PII)*, 2023, 2024 and 2025 editions, as
//! reported by the Vietnamese press and provincial releases.

use crate::data::Dataset;
use crate::error::Result;
use crate::framework::{FrameworkSpec, NodeSpec};
use crate::pipeline::Pipeline;
use crate::results::Results;
use crate::spec::IndexSpec;

use super::gii::{self, GiiOptions, GiiRun};
use super::{Confidence, Provenance, spec_from_level};

/// Number of indicators of the official PII (2025).
pub const N_INDICATORS: usize = 52;
/// Number of sub-pillars of the official PII.
pub const N_SUB_PILLARS: usize = 18;
/// Number of pillars.
pub const N_PILLARS: usize = 7;
/// The tree of [`framework`] holds only the indicators known, not the official 52.
pub const FRAMEWORK_IS_PARTIAL: bool = true;

/// Provenance of the aggregation (input, output and index as plain means).
pub const AGGREGATION_PROVENANCE: Provenance = Provenance::new(
    "verified from published 2025 figures: Bac Ninh's seven pillar scores give its published \
     48.76, Hue's two sub-indices its published 49.37",
    Confidence::Verified,
);

/// Provenance of the method below the pillars (treatment, min-max, sub-pillar means).
pub const METHOD_PROVENANCE: Provenance = Provenance::new(
    "not published by MoST; the GII's rules are used because the PII is built on the GII model, \
     and scores run 0-100 with the best province at 100 as min-max gives",
    Confidence::Inferred,
);

/// Provenance of the framework counts and pillar names.
pub const FRAMEWORK_PROVENANCE: Provenance = Provenance::new(
    "MoST PII releases as reported by the Vietnamese press (7 pillars, 18 sub-pillars, 52 \
     indicators); the indicator list itself is not public",
    Confidence::Reported,
);

/// A node above the indicators: index, sub-index or pillar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PiiNode {
    /// Code (`"PII"`, `"IN"`, `"OUT"`, `"1"` ... `"7"`).
    pub code: &'static str,
    /// English name.
    pub name_en: &'static str,
    /// Vietnamese name.
    pub name_vi: &'static str,
    /// Parent code.
    pub parent: Option<&'static str>,
}

/// The index and its two sub-indices.
pub const TOP: [PiiNode; 3] = [
    PiiNode {
        code: "PII",
        name_en: "Provincial Innovation Index",
        name_vi: "Chỉ số Đổi mới sáng tạo cấp địa phương",
        parent: None,
    },
    PiiNode {
        code: "IN",
        name_en: "Innovation input sub-index",
        name_vi: "Chỉ số phụ đầu vào",
        parent: Some("PII"),
    },
    PiiNode {
        code: "OUT",
        name_en: "Innovation output sub-index",
        name_vi: "Chỉ số phụ đầu ra",
        parent: Some("PII"),
    },
];

/// The seven pillars, with Vietnamese and English names ([`Confidence::Published`]).
pub const PILLARS: [PiiNode; 7] = [
    PiiNode {
        code: "1",
        name_en: "Institutions",
        name_vi: "Thể chế",
        parent: Some("IN"),
    },
    PiiNode {
        code: "2",
        name_en: "Human capital and R&D",
        name_vi: "Vốn con người và Nghiên cứu và phát triển",
        parent: Some("IN"),
    },
    PiiNode {
        code: "3",
        name_en: "Infrastructure",
        name_vi: "Cơ sở hạ tầng",
        parent: Some("IN"),
    },
    PiiNode {
        code: "4",
        name_en: "Market sophistication",
        name_vi: "Trình độ phát triển của thị trường",
        parent: Some("IN"),
    },
    PiiNode {
        code: "5",
        name_en: "Business sophistication",
        name_vi: "Trình độ phát triển của doanh nghiệp",
        parent: Some("IN"),
    },
    PiiNode {
        code: "6",
        name_en: "Knowledge, creativity and technology products",
        name_vi: "Sản phẩm tri thức, sáng tạo và công nghệ",
        parent: Some("OUT"),
    },
    PiiNode {
        code: "7",
        name_en: "Impact",
        name_vi: "Tác động",
        parent: Some("OUT"),
    },
];

/// A sub-pillar of the partial tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PiiSubPillar {
    /// Code (`"7.1"`, or `"1.0"` for a placeholder).
    pub code: &'static str,
    /// English name.
    pub name_en: &'static str,
    /// Pillar number.
    pub pillar: u8,
    /// `false` for the placeholders of pillars whose sub-pillars are not known.
    pub published: bool,
}

/// The sub-pillars of [`framework`]: the two published ones of pillar 7
/// ([`Confidence::Reported`]) and one placeholder per other pillar.
pub const SUB_PILLARS: [PiiSubPillar; 8] = [
    PiiSubPillar {
        code: "1.0",
        name_en: "Institutions: known indicators (sub-pillars not published)",
        pillar: 1,
        published: false,
    },
    PiiSubPillar {
        code: "2.0",
        name_en: "Human capital and R&D: known indicators (sub-pillars not published)",
        pillar: 2,
        published: false,
    },
    PiiSubPillar {
        code: "3.0",
        name_en: "Infrastructure: known indicators (sub-pillars not published)",
        pillar: 3,
        published: false,
    },
    PiiSubPillar {
        code: "4.0",
        name_en: "Market sophistication: known indicators (sub-pillars not published)",
        pillar: 4,
        published: false,
    },
    PiiSubPillar {
        code: "5.0",
        name_en: "Business sophistication: known indicators (sub-pillars not published)",
        pillar: 5,
        published: false,
    },
    PiiSubPillar {
        code: "6.0",
        name_en: "Knowledge, creativity and technology products: known indicators (sub-pillars not published)",
        pillar: 6,
        published: false,
    },
    PiiSubPillar {
        code: "7.1",
        name_en: "Impact on production and business",
        pillar: 7,
        published: true,
    },
    PiiSubPillar {
        code: "7.2",
        name_en: "Socio-economic impact",
        pillar: 7,
        published: true,
    },
];

/// An indicator known from public sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PiiIndicator {
    /// Code given by this crate (`"<pillar>.0.<k>"`, `"7.1.<k>"`, `"7.2.<k>"`), not MoST's.
    pub code: &'static str,
    /// English name as reported.
    pub name: &'static str,
    /// Pillar number.
    pub pillar: u8,
    /// Sub-pillar code in [`SUB_PILLARS`].
    pub sub_pillar: &'static str,
    /// Unit of measurement as reported (`"n/a"` when not reported).
    pub unit: &'static str,
    /// +1 when higher is better.
    pub direction: i8,
    /// How sure its placement in the pillar is: `Reported` (confirmed by the
    /// press) or `Inferred` (likely).
    pub placement: Confidence,
    /// Where it was named.
    pub source: &'static str,
}

/// Kind of a provincial unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum UnitKind {
    /// A centrally governed city (thành phố trực thuộc trung ương).
    City,
    /// A province (tỉnh).
    Province,
}

/// A provincial unit of 2025.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Province {
    /// Short code chosen by this project (not an official code).
    pub code: &'static str,
    /// Name in Vietnamese.
    pub name: &'static str,
    /// Name without diacritics (for terminals and file names).
    pub name_ascii: &'static str,
    /// City or province.
    pub kind: UnitKind,
}

impl Province {
    /// A table row.
    pub const fn new(
        code: &'static str,
        name: &'static str,
        name_ascii: &'static str,
        kind: UnitKind,
    ) -> Self {
        Self {
            code,
            name,
            name_ascii,
            kind,
        }
    }
}

/// The province of a short code (or of a Vietnamese or ASCII name).
pub fn province(code_or_name: &str) -> Option<&'static Province> {
    let s = code_or_name.trim();
    PROVINCES_2025.iter().find(|p| {
        p.code.eq_ignore_ascii_case(s) || p.name == s || p.name_ascii.eq_ignore_ascii_case(s)
    })
}

/// A published PII result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PublishedPii {
    /// Edition year.
    pub edition: u16,
    /// Province name as published.
    pub province: &'static str,
    /// Short code in [`PROVINCES_2025`] (2025 rows only).
    pub code: Option<&'static str>,
    /// Rank.
    pub rank: u32,
    /// PII score (2 decimals).
    pub score: f64,
    /// Input sub-index score, when published.
    pub input: Option<f64>,
    /// Output sub-index score, when published.
    pub output: Option<f64>,
    /// Pillar scores 1-7, when published.
    pub pillars: [Option<f64>; 7],
    /// Number of units ranked.
    pub units_ranked: u32,
    /// Where the figures come from (all [`Confidence::Reported`]).
    pub source: &'static str,
}

/// The published rows of one edition year.
pub fn published(year: u16) -> impl Iterator<Item = &'static PublishedPii> {
    PUBLISHED.iter().filter(move |p| p.edition == year)
}

/// The partial PII tree; see the [module docs](self). Indicators carry their
/// unit and direction; all weights are 1.
pub fn framework() -> FrameworkSpec {
    let mut nodes = Vec::new();
    for n in TOP.iter().chain(&PILLARS) {
        nodes.push(NodeSpec::new(n.code, n.parent).name(n.name_en));
    }
    for s in &SUB_PILLARS {
        let pillar = s.pillar.to_string();
        nodes.push(NodeSpec::new(s.code, Some(&pillar)).name(s.name_en));
    }
    for i in INDICATORS_KNOWN {
        let mut n = NodeSpec::new(i.code, Some(i.sub_pillar))
            .name(i.name)
            .direction(f64::from(i.direction));
        n.unit = (i.unit != "n/a").then(|| i.unit.to_owned());
        nodes.push(n);
    }
    FrameworkSpec::new(nodes)
}

/// The PII as a ready specification: the partial [`framework`] and the GII
/// method ([`Confidence::Inferred`], see [`METHOD_PROVENANCE`]).
pub fn spec() -> IndexSpec {
    gii::spec_for(framework()).with_name("Provincial Innovation Index (partial framework)")
}

/// Computes the PII on `data` (columns named by the indicator codes of
/// [`INDICATORS_KNOWN`]) with the GII's coverage rule and efficiency ratio;
/// see [`gii::run_spec`].
///
/// # Errors
/// As [`gii::run_spec`].
pub fn run(data: Dataset, options: &GiiOptions) -> Result<GiiRun> {
    gii::run_spec(spec(), data, options)
}

/// Aggregates pillar scores (data columns `"1"` to `"7"`) into the sub-indices
/// and the index with the PII's aggregation step.
///
/// # Errors
/// [`Error::Framework`](crate::Error::Framework) when a pillar column is absent;
/// the errors of [`Pipeline::run`].
pub fn from_pillar_scores(data: Dataset) -> Result<Results> {
    Pipeline::new(spec_from_level(&spec(), 3)?, data)?.run()
}

/// Aggregates sub-index scores (data columns `"IN"`, `"OUT"`) into the index.
///
/// # Errors
/// As [`from_pillar_scores`].
pub fn from_sub_index_scores(data: Dataset) -> Result<Results> {
    Pipeline::new(spec_from_level(&spec(), 4)?, data)?.run()
}

/// The 34 provincial units of 2025 (after the mid-2025 merger), with this
/// project's short codes ([`Confidence::Reported`]; codes not official).
pub const PROVINCES_2025: [Province; 34] = [
    Province::new("HNI", "Hà Nội", "Ha Noi", UnitKind::City),
    Province::new(
        "HCM",
        "Thành phố Hồ Chí Minh",
        "Thanh pho Ho Chi Minh",
        UnitKind::City,
    ),
    Province::new("HPG", "Hải Phòng", "Hai Phong", UnitKind::City),
    Province::new("DNG", "Đà Nẵng", "Da Nang", UnitKind::City),
    Province::new("CTO", "Cần Thơ", "Can Tho", UnitKind::City),
    Province::new("HUE", "Huế", "Hue", UnitKind::City),
    Province::new("TQG", "Tuyên Quang", "Tuyen Quang", UnitKind::Province),
    Province::new("CBG", "Cao Bằng", "Cao Bang", UnitKind::Province),
    Province::new("LCU", "Lai Châu", "Lai Chau", UnitKind::Province),
    Province::new("LCI", "Lào Cai", "Lao Cai", UnitKind::Province),
    Province::new("TNN", "Thái Nguyên", "Thai Nguyen", UnitKind::Province),
    Province::new("DBN", "Điện Biên", "Dien Bien", UnitKind::Province),
    Province::new("LSN", "Lạng Sơn", "Lang Son", UnitKind::Province),
    Province::new("SLA", "Sơn La", "Son La", UnitKind::Province),
    Province::new("PTO", "Phú Thọ", "Phu Tho", UnitKind::Province),
    Province::new("BNH", "Bắc Ninh", "Bac Ninh", UnitKind::Province),
    Province::new("QNH", "Quảng Ninh", "Quang Ninh", UnitKind::Province),
    Province::new("HYN", "Hưng Yên", "Hung Yen", UnitKind::Province),
    Province::new("NBH", "Ninh Bình", "Ninh Binh", UnitKind::Province),
    Province::new("THA", "Thanh Hóa", "Thanh Hoa", UnitKind::Province),
    Province::new("NAN", "Nghệ An", "Nghe An", UnitKind::Province),
    Province::new("HTH", "Hà Tĩnh", "Ha Tinh", UnitKind::Province),
    Province::new("QTI", "Quảng Trị", "Quang Tri", UnitKind::Province),
    Province::new("QNG", "Quảng Ngãi", "Quang Ngai", UnitKind::Province),
    Province::new("GLI", "Gia Lai", "Gia Lai", UnitKind::Province),
    Province::new("KHA", "Khánh Hòa", "Khanh Hoa", UnitKind::Province),
    Province::new("LDG", "Lâm Đồng", "Lam Dong", UnitKind::Province),
    Province::new("DLK", "Đắk Lắk", "Dak Lak", UnitKind::Province),
    Province::new("DNI", "Đồng Nai", "Dong Nai", UnitKind::Province),
    Province::new("TNH", "Tây Ninh", "Tay Ninh", UnitKind::Province),
    Province::new("VLG", "Vĩnh Long", "Vinh Long", UnitKind::Province),
    Province::new("DTP", "Đồng Tháp", "Dong Thap", UnitKind::Province),
    Province::new("CMU", "Cà Mau", "Ca Mau", UnitKind::Province),
    Province::new("AGG", "An Giang", "An Giang", UnitKind::Province),
];

/// Published PII scores (press and provincial releases, [`Confidence::Reported`]).
pub const PUBLISHED: &[PublishedPii] = &[
    PublishedPii {
        edition: 2025,
        province: "Hà Nội",
        code: Some("HNI"),
        rank: 1,
        score: 65.68,
        input: None,
        output: None,
        pillars: [None, None, None, None, None, None, None],
        units_ranked: 34,
        source: "press coverage of PII 2025",
    },
    PublishedPii {
        edition: 2025,
        province: "Thành phố Hồ Chí Minh",
        code: Some("HCM"),
        rank: 2,
        score: 59.33,
        input: None,
        output: None,
        pillars: [None, None, None, None, None, None, None],
        units_ranked: 34,
        source: "press coverage of PII 2025",
    },
    PublishedPii {
        edition: 2025,
        province: "Quảng Ninh",
        code: Some("QNH"),
        rank: 3,
        score: 58.41,
        input: None,
        output: None,
        pillars: [None, None, None, None, None, None, None],
        units_ranked: 34,
        source: "press coverage of PII 2025",
    },
    PublishedPii {
        edition: 2025,
        province: "Hải Phòng",
        code: Some("HPG"),
        rank: 4,
        score: 58.09,
        input: None,
        output: None,
        pillars: [None, None, None, None, None, None, None],
        units_ranked: 34,
        source: "press coverage of PII 2025",
    },
    PublishedPii {
        edition: 2025,
        province: "Huế",
        code: Some("HUE"),
        rank: 5,
        score: 49.37,
        input: Some(51.5),
        output: Some(47.23),
        pillars: [None, None, None, None, None, None, None],
        units_ranked: 34,
        source: "press coverage of PII 2025",
    },
    PublishedPii {
        edition: 2025,
        province: "Bắc Ninh",
        code: Some("BNH"),
        rank: 6,
        score: 48.76,
        input: None,
        output: None,
        pillars: [
            Some(59.17),
            Some(39.99),
            Some(62.3),
            Some(47.43),
            Some(56.4),
            Some(28.74),
            Some(60.2),
        ],
        units_ranked: 34,
        source: "provincial press release on PII 2025",
    },
    PublishedPii {
        edition: 2025,
        province: "Đồng Nai",
        code: Some("DNI"),
        rank: 12,
        score: 44.92,
        input: None,
        output: None,
        pillars: [None, None, None, None, None, None, None],
        units_ranked: 34,
        source: "provincial press",
    },
    PublishedPii {
        edition: 2025,
        province: "Gia Lai",
        code: Some("GLI"),
        rank: 21,
        score: 37.66,
        input: None,
        output: None,
        pillars: [None, None, None, None, None, None, None],
        units_ranked: 34,
        source: "provincial press",
    },
    PublishedPii {
        edition: 2024,
        province: "Hà Nội",
        code: None,
        rank: 1,
        score: 60.76,
        input: None,
        output: None,
        pillars: [None, None, None, None, None, None, None],
        units_ranked: 63,
        source: "press coverage of PII 2024",
    },
    PublishedPii {
        edition: 2024,
        province: "Bình Dương",
        code: None,
        rank: 8,
        score: 45.49,
        input: None,
        output: None,
        pillars: [None, None, None, None, None, None, None],
        units_ranked: 63,
        source: "provincial press",
    },
    PublishedPii {
        edition: 2024,
        province: "Bắc Ninh",
        code: None,
        rank: 11,
        score: 42.83,
        input: None,
        output: None,
        pillars: [None, None, None, None, None, None, None],
        units_ranked: 63,
        source: "provincial press",
    },
    PublishedPii {
        edition: 2024,
        province: "Long An",
        code: None,
        rank: 12,
        score: 42.05,
        input: None,
        output: None,
        pillars: [None, None, None, None, None, None, None],
        units_ranked: 63,
        source: "provincial press",
    },
    PublishedPii {
        edition: 2024,
        province: "Cao Bằng",
        code: None,
        rank: 63,
        score: 23.95,
        input: None,
        output: None,
        pillars: [None, None, None, None, None, None, None],
        units_ranked: 63,
        source: "press coverage of PII 2024",
    },
    PublishedPii {
        edition: 2023,
        province: "Hà Nội",
        code: None,
        rank: 1,
        score: 62.86,
        input: None,
        output: None,
        pillars: [None, None, None, None, None, None, None],
        units_ranked: 63,
        source: "press coverage of PII 2023",
    },
    PublishedPii {
        edition: 2023,
        province: "Thành phố Hồ Chí Minh",
        code: None,
        rank: 2,
        score: 55.85,
        input: None,
        output: None,
        pillars: [None, None, None, None, None, None, None],
        units_ranked: 63,
        source: "press coverage of PII 2023",
    },
    PublishedPii {
        edition: 2023,
        province: "Hải Phòng",
        code: None,
        rank: 3,
        score: 52.32,
        input: None,
        output: None,
        pillars: [None, None, None, None, None, None, None],
        units_ranked: 63,
        source: "press coverage of PII 2023",
    },
    PublishedPii {
        edition: 2023,
        province: "Đà Nẵng",
        code: None,
        rank: 4,
        score: 50.7,
        input: None,
        output: None,
        pillars: [None, None, None, None, None, None, None],
        units_ranked: 63,
        source: "press coverage of PII 2023",
    },
    PublishedPii {
        edition: 2023,
        province: "Cần Thơ",
        code: None,
        rank: 5,
        score: 49.66,
        input: None,
        output: None,
        pillars: [None, None, None, None, None, None, None],
        units_ranked: 63,
        source: "press coverage of PII 2023",
    },
    PublishedPii {
        edition: 2023,
        province: "Bắc Ninh",
        code: None,
        rank: 6,
        score: 49.2,
        input: None,
        output: None,
        pillars: [None, None, None, None, None, None, None],
        units_ranked: 63,
        source: "press coverage of PII 2023",
    },
    PublishedPii {
        edition: 2023,
        province: "Bà Rịa–Vũng Tàu",
        code: None,
        rank: 7,
        score: 49.18,
        input: None,
        output: None,
        pillars: [None, None, None, None, None, None, None],
        units_ranked: 63,
        source: "press coverage of PII 2023",
    },
    PublishedPii {
        edition: 2023,
        province: "Bình Dương",
        code: None,
        rank: 8,
        score: 48.64,
        input: None,
        output: None,
        pillars: [None, None, None, None, None, None, None],
        units_ranked: 63,
        source: "press coverage of PII 2023",
    },
    PublishedPii {
        edition: 2023,
        province: "Quảng Ninh",
        code: None,
        rank: 9,
        score: 48.03,
        input: None,
        output: None,
        pillars: [None, None, None, None, None, None, None],
        units_ranked: 63,
        source: "press coverage of PII 2023",
    },
    PublishedPii {
        edition: 2023,
        province: "Thái Nguyên",
        code: None,
        rank: 10,
        score: 47.75,
        input: None,
        output: None,
        pillars: [None, None, None, None, None, None, None],
        units_ranked: 63,
        source: "press coverage of PII 2023",
    },
    PublishedPii {
        edition: 2023,
        province: "Cao Bằng",
        code: None,
        rank: 63,
        score: 22.18,
        input: None,
        output: None,
        pillars: [None, None, None, None, None, None, None],
        units_ranked: 63,
        source: "press coverage of PII 2023",
    },
];

/// The 31 indicators named in public sources (of the official 52), with the
/// confidence of their placement.
pub const INDICATORS_KNOWN: &[PiiIndicator] = &[
    PiiIndicator {
        code: "1.0.1",
        name: "Dynamism of the provincial government (PCI sub-index)",
        pillar: 1,
        sub_pillar: "1.0",
        unit: "score",
        direction: 1,
        placement: Confidence::Inferred,
        source: "press (Long An 2024 profile)",
    },
    PiiIndicator {
        code: "1.0.2",
        name: "Support policy for small and medium enterprises",
        pillar: 1,
        sub_pillar: "1.0",
        unit: "n/a",
        direction: 1,
        placement: Confidence::Inferred,
        source: "press",
    },
    PiiIndicator {
        code: "1.0.3",
        name: "Public administration reform index (PAR Index)",
        pillar: 1,
        sub_pillar: "1.0",
        unit: "score",
        direction: 1,
        placement: Confidence::Inferred,
        source: "press: other indices feed the PII",
    },
    PiiIndicator {
        code: "1.0.4",
        name: "Provincial governance and public administration performance (PAPI)",
        pillar: 1,
        sub_pillar: "1.0",
        unit: "score",
        direction: 1,
        placement: Confidence::Inferred,
        source: "press: other indices feed the PII",
    },
    PiiIndicator {
        code: "1.0.5",
        name: "Digital transformation index (DTI)",
        pillar: 1,
        sub_pillar: "1.0",
        unit: "score",
        direction: 1,
        placement: Confidence::Inferred,
        source: "press: other indices feed the PII",
    },
    PiiIndicator {
        code: "2.0.1",
        name: "Average spending on education and training",
        pillar: 2,
        sub_pillar: "2.0",
        unit: "n/a",
        direction: 1,
        placement: Confidence::Reported,
        source: "press (Bac Ninh 2023)",
    },
    PiiIndicator {
        code: "2.0.2",
        name: "R&D personnel",
        pillar: 2,
        sub_pillar: "2.0",
        unit: "n/a",
        direction: 1,
        placement: Confidence::Reported,
        source: "press",
    },
    PiiIndicator {
        code: "2.0.3",
        name: "R&D expenditure",
        pillar: 2,
        sub_pillar: "2.0",
        unit: "n/a",
        direction: 1,
        placement: Confidence::Reported,
        source: "press",
    },
    PiiIndicator {
        code: "2.0.4",
        name: "Science and technology organisations per 10000 people",
        pillar: 2,
        sub_pillar: "2.0",
        unit: "per 10000 pop.",
        direction: 1,
        placement: Confidence::Reported,
        source: "press",
    },
    PiiIndicator {
        code: "2.0.5",
        name: "Share of trained workers aged 15 and over",
        pillar: 2,
        sub_pillar: "2.0",
        unit: "%",
        direction: 1,
        placement: Confidence::Inferred,
        source: "press",
    },
    PiiIndicator {
        code: "3.0.1",
        name: "Digital infrastructure",
        pillar: 3,
        sub_pillar: "3.0",
        unit: "n/a",
        direction: 1,
        placement: Confidence::Reported,
        source: "press",
    },
    PiiIndicator {
        code: "4.0.1",
        name: "FDI / GRDP",
        pillar: 4,
        sub_pillar: "4.0",
        unit: "% of GRDP",
        direction: 1,
        placement: Confidence::Inferred,
        source: "press",
    },
    PiiIndicator {
        code: "4.0.2",
        name: "Average annual business capital of enterprises",
        pillar: 4,
        sub_pillar: "4.0",
        unit: "VND",
        direction: 1,
        placement: Confidence::Inferred,
        source: "press",
    },
    PiiIndicator {
        code: "5.0.1",
        name: "Share of firms with R&D activity",
        pillar: 5,
        sub_pillar: "5.0",
        unit: "% of firms",
        direction: 1,
        placement: Confidence::Reported,
        source: "press",
    },
    PiiIndicator {
        code: "5.0.2",
        name: "Share of firms with innovation activity",
        pillar: 5,
        sub_pillar: "5.0",
        unit: "% of firms",
        direction: 1,
        placement: Confidence::Reported,
        source: "press",
    },
    PiiIndicator {
        code: "5.0.3",
        name: "Firms with ISO certificates per 1000 firms",
        pillar: 5,
        sub_pillar: "5.0",
        unit: "per 1000 firms",
        direction: 1,
        placement: Confidence::Inferred,
        source: "press",
    },
    PiiIndicator {
        code: "5.0.4",
        name: "S&T service and professional firms per 1000 firms",
        pillar: 5,
        sub_pillar: "5.0",
        unit: "per 1000 firms",
        direction: 1,
        placement: Confidence::Inferred,
        source: "press",
    },
    PiiIndicator {
        code: "5.0.5",
        name: "Labour-training spending as a share of firm spending",
        pillar: 5,
        sub_pillar: "5.0",
        unit: "%",
        direction: 1,
        placement: Confidence::Inferred,
        source: "press",
    },
    PiiIndicator {
        code: "6.0.1",
        name: "Patents",
        pillar: 6,
        sub_pillar: "6.0",
        unit: "scaled count",
        direction: 1,
        placement: Confidence::Reported,
        source: "press",
    },
    PiiIndicator {
        code: "6.0.2",
        name: "Utility solutions",
        pillar: 6,
        sub_pillar: "6.0",
        unit: "scaled count",
        direction: 1,
        placement: Confidence::Reported,
        source: "press",
    },
    PiiIndicator {
        code: "6.0.3",
        name: "Plant varieties",
        pillar: 6,
        sub_pillar: "6.0",
        unit: "scaled count",
        direction: 1,
        placement: Confidence::Reported,
        source: "press",
    },
    PiiIndicator {
        code: "6.0.4",
        name: "Industrial design applications per 10000 people",
        pillar: 6,
        sub_pillar: "6.0",
        unit: "per 10000 pop.",
        direction: 1,
        placement: Confidence::Reported,
        source: "press",
    },
    PiiIndicator {
        code: "6.0.5",
        name: "Trademark applications per 1000 firms",
        pillar: 6,
        sub_pillar: "6.0",
        unit: "per 1000 firms",
        direction: 1,
        placement: Confidence::Reported,
        source: "press",
    },
    PiiIndicator {
        code: "7.1.1",
        name: "Industrial production index",
        pillar: 7,
        sub_pillar: "7.1",
        unit: "index",
        direction: 1,
        placement: Confidence::Reported,
        source: "press (2025)",
    },
    PiiIndicator {
        code: "7.1.2",
        name: "OCOP products rated 4 stars or more",
        pillar: 7,
        sub_pillar: "7.1",
        unit: "count",
        direction: 1,
        placement: Confidence::Reported,
        source: "press (2025)",
    },
    PiiIndicator {
        code: "7.1.3",
        name: "Export value / GRDP",
        pillar: 7,
        sub_pillar: "7.1",
        unit: "%",
        direction: 1,
        placement: Confidence::Reported,
        source: "press (2025)",
    },
    PiiIndicator {
        code: "7.1.4",
        name: "Labour productivity growth rate",
        pillar: 7,
        sub_pillar: "7.1",
        unit: "%",
        direction: 1,
        placement: Confidence::Reported,
        source: "press (2025)",
    },
    PiiIndicator {
        code: "7.2.1",
        name: "Poverty reduction rate",
        pillar: 7,
        sub_pillar: "7.2",
        unit: "%",
        direction: 1,
        placement: Confidence::Reported,
        source: "press (2025)",
    },
    PiiIndicator {
        code: "7.2.2",
        name: "Employed persons / total population",
        pillar: 7,
        sub_pillar: "7.2",
        unit: "%",
        direction: 1,
        placement: Confidence::Reported,
        source: "press (2025)",
    },
    PiiIndicator {
        code: "7.2.3",
        name: "Average income per capita",
        pillar: 7,
        sub_pillar: "7.2",
        unit: "VND",
        direction: 1,
        placement: Confidence::Reported,
        source: "press (2025)",
    },
    PiiIndicator {
        code: "7.2.4",
        name: "Human Development Index",
        pillar: 7,
        sub_pillar: "7.2",
        unit: "index",
        direction: 1,
        placement: Confidence::Reported,
        source: "press (2025)",
    },
];
