//! composite-index (WIP skeleton)
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod aggregate;
pub mod data;
pub mod error;
pub mod framework;
pub mod normalise;
pub mod prepare;
pub mod stats;

pub use error::{Error, FrameworkProblem, Result};
