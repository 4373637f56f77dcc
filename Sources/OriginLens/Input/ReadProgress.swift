import Foundation

/// Progress of a long read for a person watching: bytes read of the total (on-disk bytes, so
/// compressed bytes for gzip files), rate, elapsed and remaining time, as one line that
/// rewrites itself (`\r`). The command line creates one only when standard error is a terminal
/// and `--quiet` is not given; the library feeds it from the raw file reads (one call per read
/// of up to 256 KiB, never per line) and writes at most ten times a second, starting after half
/// a second (a quick run shows nothing). Safe to feed from several threads.
public final class ReadProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let write: (String) -> Void
    private let now: () -> UInt64
    private let delayNs: UInt64
    private let intervalNs: UInt64
    private var startNs: UInt64
    private var lastNs: UInt64 = 0
    private var total: Int64 = 0
    private var done: Int64 = 0
    private var shown = false
    private var lastWidth = 0

    /// `write` receives the text to put on the terminal (carriage returns included); `now` is
    /// a monotonic clock in nanoseconds (injected by tests).
    public init(write: @escaping (String) -> Void, now: @escaping () -> UInt64 = ReadProgress.monotonicNs,
                delay: Double = 0.5, interval: Double = 0.1) {
        self.write = write
        self.now = now
        self.delayNs = UInt64(delay * 1e9)
        self.intervalNs = UInt64(interval * 1e9)
        self.startNs = now()
    }

    /// Progress on standard error (for the command line, when it is a terminal).
    public static func standardError() -> ReadProgress {
        ReadProgress(write: { s in
            s.utf8CString.withUnsafeBufferPointer { b in _ = Foundation.write(2, b.baseAddress, b.count - 1) }
        })
    }

    public static func monotonicNs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// Sets the bytes the whole read will take (0: unknown, as for standard input) and
    /// restarts the clock.
    public func begin(totalBytes: Int64) {
        lock.lock(); defer { lock.unlock() }
        total = max(0, totalBytes)
        done = 0
        startNs = now()
    }

    /// Counts `n` more bytes read; redraws when the interval has passed.
    public func add(_ n: Int) {
        guard n > 0 else { return }
        lock.lock(); defer { lock.unlock() }
        done += Int64(n)
        let t = now()
        guard t &- startNs >= delayNs, t &- lastNs >= intervalNs else { return }
        lastNs = t
        let text = ReadProgress.line(done: done, total: total, elapsedNs: t &- startNs)
        // Pad over a longer previous line instead of relying on terminal escapes.
        let pad = max(0, lastWidth - text.count)
        lastWidth = text.count
        shown = true
        write("\r" + text + String(repeating: " ", count: pad))
    }

    /// Clears the line (when anything was shown), so that what follows starts clean.
    public func finish() {
        lock.lock(); defer { lock.unlock() }
        guard shown else { return }
        write("\r" + String(repeating: " ", count: lastWidth) + "\r")
        shown = false
        lastWidth = 0
    }

    /// `read 312 MB of 1.07 GB (29 %), 612 MB/s, 0:01 elapsed, 0:02 left`; without a total:
    /// `read 312 MB, 612 MB/s, 0:01 elapsed`.
    public static func line(done: Int64, total: Int64, elapsedNs: UInt64) -> String {
        let secs = Double(elapsedNs) / 1e9
        let rate = secs > 0 ? Double(done) / secs : 0
        var s = "read " + bytes(done)
        if total > 0 {
            let d = min(done, total)
            s += " of " + bytes(total) + " (\(Int((Double(d) / Double(total) * 100).rounded(.down))) %)"
        }
        s += ", " + bytes(Int64(rate)) + "/s, " + clock(secs) + " elapsed"
        if total > 0, rate > 0 {
            s += ", " + clock(Double(max(0, total - done)) / rate) + " left"
        }
        return s
    }

    /// Decimal units: `980 B`, `12.3 kB`, `312 MB`, `1.07 GB`, `2.50 TB`.
    public static func bytes(_ n: Int64) -> String {
        let v = Double(n)
        func three(_ x: Double, _ unit: String) -> String {
            (x >= 100 ? String(format: "%.0f", x) : x >= 10 ? String(format: "%.1f", x) : String(format: "%.2f", x)) + " " + unit
        }
        if v < 1000 { return "\(n) B" }
        if v < 1e6 { return three(v / 1e3, "kB") }
        if v < 1e9 { return three(v / 1e6, "MB") }
        if v < 1e12 { return three(v / 1e9, "GB") }
        return three(v / 1e12, "TB")
    }

    /// `0:07`, `12:30`, `1:02:33`.
    public static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.isFinite ? max(0, seconds).rounded() : 0)
        let h = s / 3600, m = (s % 3600) / 60, r = s % 60
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, r) : String(format: "%d:%02d", m, r)
    }
}
