import Foundation

/// Reads another source on a background thread, a few chunks ahead: inflating (or reading)
/// overlaps with parsing on the caller's thread. Memory is bounded by `slots × chunkSize`;
/// the producer waits when every slot is full (back-pressure).
public final class ThreadedSource: ByteSource, @unchecked Sendable {
    private let inner: ByteSource
    private let chunkSize: Int
    private var buffers: [UnsafeMutableRawBufferPointer]
    private var lengths: [Int]
    private let lock = NSCondition()
    private var filled = 0          // slots ready for the consumer
    private var head = 0            // next slot to consume
    private var tail = 0            // next slot to fill
    private var producerDone = false
    private var cancelled = false
    private var failure: Error?
    private var offsetInHead = 0
    private var thread: Thread?
    private var innerConsumed: Int64 = 0
    private var innerWarnings: [String] = []

    public var warnings: [String] { lock.lock(); defer { lock.unlock() }; return innerWarnings }
    public var consumedBytes: Int64 { lock.lock(); defer { lock.unlock() }; return innerConsumed }

    public init(_ inner: ByteSource, chunkSize: Int = 512 << 10, slots: Int = 4) {
        self.inner = inner
        self.chunkSize = chunkSize
        buffers = (0..<max(2, slots)).map { _ in .allocate(byteCount: chunkSize, alignment: 64) }
        lengths = Array(repeating: 0, count: max(2, slots))
        let t = Thread { [unowned self] in self.produce() }
        t.stackSize = 1 << 20
        thread = t
        t.start()
    }

    deinit {
        lock.lock()
        cancelled = true
        lock.broadcast()
        while !producerDone { lock.wait() }
        lock.unlock()
        for b in buffers { b.deallocate() }
    }

    private func produce() {
        var done = false
        while !done {
            lock.lock()
            while filled == buffers.count && !cancelled { lock.wait() }
            if cancelled { producerDone = true; lock.broadcast(); lock.unlock(); return }
            let slot = tail
            lock.unlock()
            var n = 0
            var err: Error? = nil
            do { n = try inner.read(into: buffers[slot]) } catch { err = error }
            lock.lock()
            innerConsumed = inner.consumedBytes
            innerWarnings = inner.warnings
            if let err { failure = err; done = true }
            else if n == 0 { done = true }
            else {
                lengths[slot] = n
                tail = (tail + 1) % buffers.count
                filled += 1
            }
            if done { producerDone = true }
            lock.broadcast()
            lock.unlock()
        }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        lock.lock()
        while filled == 0 && !producerDone { lock.wait() }
        if filled == 0 {
            let f = failure
            lock.unlock()
            if let f { throw f }
            return 0
        }
        let slot = head
        lock.unlock()
        let available = lengths[slot] - offsetInHead
        let n = min(available, buffer.count)
        buffer.baseAddress!.copyMemory(from: buffers[slot].baseAddress! + offsetInHead, byteCount: n)
        offsetInHead += n
        if offsetInHead == lengths[slot] {
            offsetInHead = 0
            lock.lock()
            head = (head + 1) % buffers.count
            filled -= 1
            lock.broadcast()
            lock.unlock()
        }
        return n
    }
}
