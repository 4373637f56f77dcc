/// STUB — replaced by the journal helper.
public final class JournalExportReader: RecordReader {
    private let lines: LineReader
    public var lineNumber: Int { lines.lineNumber }
    public var tooLongRecords: Int { lines.tooLongRecords }
    public var tooLongExamples: [Int] { lines.tooLongExamples }
    public var bytesRead: Int64 { lines.bytesRead }
    public private(set) var truncatedEntries = 0
    public private(set) var warnings: [String] = []
    public init(source: ByteSource, maxRecordBytes: Int = 1 << 20) {
        lines = LineReader(source: source, maxLineBytes: maxRecordBytes)
    }
    public func next() throws -> UnsafeRawBufferPointer? { try lines.next() }
}
