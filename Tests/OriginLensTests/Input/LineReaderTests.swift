import Testing
@testable import OriginLens

@Suite struct LineReaderTests {
    @Test func splitsLFAndCRLFAndKeepsLastUnterminatedLine() throws {
        let r = LineReader(source: MemorySource("a\nb\r\n\nc"), maxLineBytes: 64, chunkSize: 3)
        #expect(try readLines(r) == ["a", "b", "", "c"])
        #expect(r.lineNumber == 4)
        #expect(r.tooLongRecords == 0)
    }

    @Test func linesSpanningManySmallReads() throws {
        let text = (0..<200).map { "line number \($0) " + String(repeating: "x", count: $0 % 37) }.joined(separator: "\n") + "\n"
        let r = LineReader(source: MemorySource(text), maxLineBytes: 100, chunkSize: 5)
        let lines = try readLines(r)
        #expect(lines.count == 200)
        #expect(lines[199] == "line number 199 " + String(repeating: "x", count: 199 % 37))
    }

    @Test func tooLongLinesAreCountedAndSkippedWithoutBuffering() throws {
        let long = String(repeating: "y", count: 10_000)
        let r = LineReader(source: MemorySource("ok1\n\(long)\nok2\n\(long)"), maxLineBytes: 100, chunkSize: 64)
        #expect(try readLines(r) == ["ok1", "ok2"])
        #expect(r.tooLongRecords == 2)
        #expect(r.tooLongExamples == [2, 4])
        #expect(r.lineNumber == 4)
    }

    @Test func lineExactlyAtTheLimitIsKept() throws {
        let s = String(repeating: "z", count: 100)
        let r = LineReader(source: MemorySource("\(s)\n\(s)z\n"), maxLineBytes: 100, chunkSize: 16)
        #expect(try readLines(r) == [s])
        #expect(r.tooLongRecords == 1)
    }

    @Test func nulAndInvalidUTF8PassThroughAsBytes() throws {
        let bytes: [UInt8] = [0x61, 0x00, 0x62, 0x0A, 0xFF, 0xFE, 0xC3, 0x0A]
        let r = LineReader(source: MemorySource(bytes), maxLineBytes: 64)
        var got: [[UInt8]] = []
        while let l = try r.next() { got.append(Array(l)) }
        #expect(got == [[0x61, 0x00, 0x62], [0xFF, 0xFE, 0xC3]])
    }

    @Test func peekDoesNotConsume() throws {
        let r = LineReader(source: MemorySource("\n\nfirst\nsecond\n"), maxLineBytes: 64)
        let peeked = try r.peekLines(maxLines: 5)
        #expect(peeked.map { String(decoding: $0, as: UTF8.self) } == ["first", "second"])
        #expect(try readLines(r) == ["", "", "first", "second"])
    }

    @Test func emptyInput() throws {
        let r = LineReader(source: MemorySource(""), maxLineBytes: 64)
        #expect(try r.next() == nil)
        #expect(r.lineNumber == 0)
    }
}
