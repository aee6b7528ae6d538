// Manifests and cohorts.
