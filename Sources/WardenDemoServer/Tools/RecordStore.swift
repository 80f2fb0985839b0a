/// The demo server's records: an in-memory map from id to value, seeded so reads work from the first call.
struct RecordStore {
    private var values: [String: String] = [
        "r-1": "Claim 1042: approved",
        "r-2": "Claim 1043: pending review",
        "legal-7": "Contract 7: under legal hold",
    ]

    func value(for id: String) -> String? { values[id] }

    mutating func set(_ value: String, for id: String) { values[id] = value }

    /// Removes the record and says whether there was one.
    mutating func remove(_ id: String) -> Bool { values.removeValue(forKey: id) != nil }
}
