//! Efficiency analysis: how well units turn inputs into outputs, measured
//! against the best-practice frontier of the other units.
//!
//! An index such as the GII reports a crude efficiency ratio (output
//! sub-index over input sub-index). Data envelopment analysis ([`dea`](fn@dea))
//! instead compares each unit with the combinations of units that use no more
//! of any input to make no less of any output, and names those **peers**: the
//! units to learn from. It works on chosen input and output columns of any data
//! set (the pillars of the aggregated data set, raw indicators, or a matrix),
//! like the [`audit`](crate::audit) functions, through a
//! [`DataView`](crate::audit::DataView).
//!
//! | analysis | file | models |
//! |---|---|---|
//! | [`dea`](fn@dea) | `dea.rs` | CCR and BCC, input- and output-oriented; peers, lambdas, slacks |
//!
//! Benefit of the Doubt, the same programme with one constant input, is an
//! aggregation method ([`AggregateMethod::BenefitOfTheDoubt`](crate::AggregateMethod::BenefitOfTheDoubt)).
//!
//! ```
//! use composite_index::efficiency::{dea, DeaModel, Orientation, Returns};
//! use composite_index::prelude::*;
//!
//! # fn main() -> composite_index::Result<()> {
//! let data = Dataset::from_columns(
//!     vec!["A".into(), "B".into(), "C".into()],
//!     vec![
//!         ("spend".into(), vec![2.0, 4.0, 4.0]),
//!         ("output".into(), vec![2.0, 3.0, 2.0]),
//!     ],
//! )?;
//! let r = dea(&data, &["spend"], &["output"], DeaModel::new(Returns::Constant, Orientation::Input))?;
//! assert_eq!(r.efficiency[0], 1.0);
//! assert_eq!(r.describe(2, "C"), "C's frontier peers are A (1.00)");
//! # Ok(())
//! # }
//! ```

pub mod dea;

pub use dea::{DeaModel, DeaResults, Orientation, Returns, dea};
