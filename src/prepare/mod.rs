//! Preparation stages that come before normalisation: denominate, impute, screen, treat.
