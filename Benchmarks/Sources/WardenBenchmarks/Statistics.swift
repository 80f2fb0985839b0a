#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Median and tail of a set of samples, in nanoseconds.
struct Statistics {
    let samples: [Double]

    init(_ samples: [Double]) { self.samples = samples.sorted() }

    func percentile(_ p: Double) -> Double {
        guard !samples.isEmpty else { return .nan }
        let index = min(samples.count - 1, Int((Double(samples.count - 1) * p).rounded()))
        return samples[index]
    }

    var median: Double { percentile(0.5) }
    var p99: Double { percentile(0.99) }
}

/// A duration in nanoseconds, printed in the unit that suits it.
func formatNanoseconds(_ value: Double) -> String {
    func rounded(_ value: Double) -> String { String((value * 100).rounded() / 100) }
    if value < 1_000 { return rounded(value) + " ns" }
    if value < 1_000_000 { return rounded(value / 1_000) + " µs" }
    return rounded(value / 1_000_000) + " ms"
}

/// Nanoseconds on the monotonic clock.
func monotonicNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}
