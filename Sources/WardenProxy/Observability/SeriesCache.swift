import Prometheus

/// The labeled series `WardenMetrics` has made so far, by their label values.
///
/// The registry could find them again, but only after validating names and hashing label arrays under its own
/// lock; this keeps a recorded decision to one lock and one dictionary lookup.
struct SeriesCache: Sendable {
    struct CallKey: Hashable, Sendable {
        var server: String
        var tool: String
        var decision: String
    }

    struct UpstreamKey: Hashable, Sendable {
        var server: String
        var outcome: String
    }

    var calls: [CallKey: Counter] = [:]
    var upstream: [UpstreamKey: DurationHistogram] = [:]
    var restarts: [String: Counter] = [:]
    /// Tool names in use as label values, counted against `WardenMetrics.maxToolLabels`.
    var toolLabels: Set<String> = []
}
