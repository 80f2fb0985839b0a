extension JSONNumber {
    /// A number whose value the reader already computed, so parsing an integer does not parse its text twice.
    init(literal: String, value: Double) {
        self.literal = literal
        self.value = value
    }
}
