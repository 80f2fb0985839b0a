/// Which containers enclose the scanner's position, one bit per level, so closing brackets can be matched without
/// allocating anything for the first 64 levels.
struct ContainerStack {
    private(set) var count = 0
    private var bits: UInt64 = 0
    private var spilled: [UInt64] = []

    var isEmpty: Bool { count == 0 }

    /// Whether the innermost open container is an object (otherwise it is an array).
    var isObjectOnTop: Bool { bits & (1 << UInt64((count - 1) & 63)) != 0 }

    mutating func push(isObject: Bool) {
        if count > 0 && count & 63 == 0 {
            spilled.append(bits)
            bits = 0
        }
        let mask: UInt64 = 1 << UInt64(count & 63)
        if isObject { bits |= mask } else { bits &= ~mask }
        count += 1
    }

    mutating func pop() {
        count -= 1
        if count > 0 && count & 63 == 0 { bits = spilled.removeLast() }
    }
}
