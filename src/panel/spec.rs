//! How a specification's steps run over a panel: per year, pooled, or fitted on
//! a reference year.

use crate::error::{Error, Result};

/// Where a step's parameters are fitted in a panel run (serde: internally tagged
/// by `fit`).
///
/// ```toml
/// [panel]
/// normalise = { fit = "pooled" }                  # COINr's global = TRUE
/// treat = { fit = "reference", year = 2023 }      # thresholds fitted on 2023
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(tag = "fit", rename_all = "snake_case", deny_unknown_fields)
)]
#[non_exhaustive]
pub enum FitScope {
    /// Each edition on its own data, as each edition is published (the default).
    /// Note: COINr's `Normalise()` on a purse pools the years unless told
    /// `global = FALSE`; this crate normalises per year unless told otherwise.
    PerYear {},
    /// On all editions pooled (units x years), then applied to every edition:
    /// COINr's `global = TRUE` for normalisation (METHODS 7.3).
    Pooled {},
    /// On one edition, then applied to every edition without refitting:
    /// goalposts, thresholds or imputation values fixed on a reference year.
    Reference {
        /// The reference edition's time.
        year: f64,
    },
}

impl Default for FitScope {
    fn default() -> Self {
        Self::PerYear {}
    }
}

impl FitScope {
    /// A short description for reports ("per year", "pooled over all editions",
    /// "fitted on 2023").
    pub fn describe(&self) -> String {
        match self {
            Self::PerYear {} => "per year".into(),
            Self::Pooled {} => "pooled over all editions".into(),
            Self::Reference { year } => format!("fitted on {year}"),
        }
    }
}

/// The panel options of a specification (its `[panel]` table): where each
/// learning step is fitted. Every step not listed (denominate, screen,
/// aggregate, which learn nothing from other units) runs per year.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(default, deny_unknown_fields)
)]
#[non_exhaustive]
pub struct PanelSpec {
    /// Where imputation values (means, medians, group values, EM model) are fitted.
    pub impute: FitScope,
    /// Where treatment thresholds (winsorisation limits, log decisions) are fitted.
    pub treat: FitScope,
    /// Where normalisation parameters (ranges, means and sds, goalposts) are fitted.
    pub normalise: FitScope,
}

impl PanelSpec {
    /// Every step per year (the default).
    pub fn per_year() -> Self {
        Self::default()
    }

    /// Sets where normalisation is fitted.
    #[must_use]
    pub fn normalise(mut self, scope: FitScope) -> Self {
        self.normalise = scope;
        self
    }

    /// Sets where treatment is fitted.
    #[must_use]
    pub fn treat(mut self, scope: FitScope) -> Self {
        self.treat = scope;
        self
    }

    /// Sets where imputation is fitted.
    #[must_use]
    pub fn impute(mut self, scope: FitScope) -> Self {
        self.impute = scope;
        self
    }

    /// The scope of a stage (`"impute"`, `"treat"`, `"normalise"`; per year for
    /// the others).
    pub fn scope_of(&self, stage: &str) -> FitScope {
        match stage {
            "impute" => self.impute,
            "treat" => self.treat,
            "normalise" => self.normalise,
            _ => FitScope::PerYear {},
        }
    }

    /// Checks that reference years are among `times`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the stage and the year.
    pub fn validate(&self, times: &[f64]) -> Result<()> {
        for (stage, scope) in [
            ("impute", self.impute),
            ("treat", self.treat),
            ("normalise", self.normalise),
        ] {
            if let FitScope::Reference { year } = scope
                && !times.contains(&year)
            {
                let known: Vec<String> = times.iter().map(f64::to_string).collect();
                return Err(Error::invalid(
                    "panel",
                    stage,
                    None,
                    format!(
                        "reference year {year} is not an edition of the panel ({})",
                        known.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(all(test, feature = "serde"))]
mod tests {
    use super::*;

    #[test]
    fn reads_scopes_and_rejects_unknown_keys() {
        let s: PanelSpec = toml::from_str(
            "normalise = { fit = \"pooled\" }\ntreat = { fit = \"reference\", year = 2023 }\n",
        )
        .unwrap();
        assert_eq!(s.normalise, FitScope::Pooled {});
        assert_eq!(s.treat, FitScope::Reference { year: 2023.0 });
        assert_eq!(s.impute, FitScope::PerYear {});
        assert!(toml::from_str::<PanelSpec>("normalize = { fit = \"pooled\" }").is_err());
        assert!(toml::from_str::<PanelSpec>("treat = { fit = \"global\" }").is_err());
        assert!(s.validate(&[2022.0, 2023.0]).is_ok());
        assert!(s.validate(&[2024.0]).is_err());
        assert_eq!(s.treat.describe(), "fitted on 2023");
    }
}
