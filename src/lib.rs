//! composite-index (WIP skeleton)
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod data;
pub mod error;
pub mod prepare;
pub mod stats;

pub use error::{Error, FrameworkProblem, Result};
