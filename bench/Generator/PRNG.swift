/// SplitMix64: a small, fast, seedable generator. Every byte the generator writes comes from
/// one of these, so the same arguments always give the same files.
struct PRNG {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A generator for a named sub-stream (a file, a log), independent of the order in which
    /// streams are used.
    init(seed: UInt64, stream: String) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in stream.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        state = seed ^ h
        _ = next(); _ = next()
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<n (n > 0).
    @inline(__always)
    mutating func int(_ n: Int) -> Int {
        Int(truncatingIfNeeded: (next() >> 11) % UInt64(max(1, n)))
    }

    /// Uniform in lo...hi.
    @inline(__always)
    mutating func int(_ lo: Int, _ hi: Int) -> Int { lo + int(hi - lo + 1) }

    /// Uniform in [0, 1).
    @inline(__always)
    mutating func unit() -> Double { Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0) }

    @inline(__always)
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// Exponentially distributed with the given mean (inter-arrival times of a Poisson process).
    mutating func exponential(mean: Double) -> Double {
        let u = unit()
        return -mean * log1pNeg(u)
    }

    /// Roughly log-normal: `median` scaled by e^(sigma·N(0,1)), N approximated by 4 uniforms.
    mutating func logNormal(median: Double, sigma: Double) -> Double {
        let n = (unit() + unit() + unit() + unit() - 2.0) * 1.732
        return median * pow2(sigma * n * 1.4427)
    }

    mutating func pick<T>(_ a: [T]) -> T { a[int(a.count)] }

    /// Index drawn by cumulative weights (`cum` ascending, last = total).
    mutating func weighted(_ cum: [Double]) -> Int {
        let x = unit() * cum[cum.count - 1]
        var lo = 0, hi = cum.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cum[mid] > x { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}

/// Cumulative sums of weights, for `PRNG.weighted`.
func cumulative(_ w: [Double]) -> [Double] {
    var out: [Double] = []
    out.reserveCapacity(w.count)
    var s = 0.0
    for x in w { s += x; out.append(s) }
    return out
}

@inline(__always)
private func log1pNeg(_ u: Double) -> Double {
    // -log(1-u) without Foundation: log(x) = log2(x)·ln 2.
    let x = 1.0 - u
    return x <= 0 ? -40 : fastLog(x)
}

@inline(__always)
private func fastLog(_ x: Double) -> Double {
    // Natural log via frexp-style decomposition and a short series; accurate to ~1e-9,
    // more than enough for traffic timing.
    var m = x
    var e = 0
    while m < 0.5 { m *= 2; e -= 1 }
    while m >= 1.0 { m *= 0.5; e += 1 }
    // m in [0.5, 1): ln(m) = 2·atanh((m-1)/(m+1))
    let t = (m - 1) / (m + 1)
    let t2 = t * t
    var term = t, sum = 0.0
    var k = 1.0
    for _ in 0..<12 { sum += term / k; term *= t2; k += 2 }
    return 2 * sum + Double(e) * 0.693_147_180_559_945_3
}

@inline(__always)
private func pow2(_ y: Double) -> Double {
    // 2^y for moderate y via repeated squaring of the fractional part's series.
    let n = y.rounded(.down)
    let f = (y - n) * 0.693_147_180_559_945_3
    var term = 1.0, sum = 1.0
    for k in 1..<14 { term *= f / Double(k); sum += term }
    var r = sum
    var i = Int(n)
    if i > 0 { while i > 0 { r *= 2; i -= 1 } } else { while i < 0 { r *= 0.5; i += 1 } }
    return r
}
