//! What an operator runs the service with: metrics for Prometheus, backups and restores.

pub mod backup;
pub mod figures;
pub mod metrics;
