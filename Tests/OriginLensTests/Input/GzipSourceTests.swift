import Testing
@testable import OriginLens

@Suite struct GzipSourceTests {
    let text1 = (0..<500).map { "first member line \($0)" }.joined(separator: "\n") + "\n"
    let text2 = "second member\n"

    @Test func inflatesOneMember() throws {
        let gz = GzipSource(MemorySource(GzipWriter.compress(text1)))
        #expect(try readAll(gz, chunk: 100) == Array(text1.utf8))
        #expect(gz.members == 1)
        #expect(gz.warnings.isEmpty)
    }

    @Test func readsConcatenatedMembers() throws {
        let data = GzipWriter.compress(text1) + GzipWriter.compress(text2) + GzipWriter.compress("")
        let gz = GzipSource(MemorySource(data), inputBufferSize: 13)
        #expect(try readAll(gz, chunk: 50) == Array((text1 + text2).utf8))
        #expect(gz.members == 3)
        #expect(gz.warnings.isEmpty)
        #expect(!gz.damaged)
    }

    @Test func memberBoundaryAcrossInputReads() throws {
        // Every input buffer size from 1 to 40 bytes puts the member boundary (and the magic
        // bytes) at a different place.
        let data = GzipWriter.compress(text2) + GzipWriter.compress(text2)
        for size in 1...40 {
            let gz = GzipSource(MemorySource(data), inputBufferSize: size)
            #expect(try readAll(gz, chunk: 9) == Array((text2 + text2).utf8), "input buffer \(size)")
            #expect(gz.warnings.isEmpty, "input buffer \(size)")
        }
    }

    @Test func truncatedStreamKeepsTheDataBeforeTheCut() throws {
        let full = GzipWriter.compress(text1, level: 1)
        let cut = Array(full.prefix(full.count / 2))
        let gz = GzipSource(MemorySource(cut))
        let out = try readAll(gz, chunk: 64)
        #expect(out.count > 100)
        #expect(Array(text1.utf8).starts(with: out))
        #expect(gz.damaged)
        #expect(gz.warnings.count == 1)
        #expect(gz.warnings[0].contains("truncated gzip stream"))
        #expect(gz.warnings[0].contains("offset \(cut.count)"))
    }

    @Test func trailingGarbageIsReportedAndIgnored() throws {
        let data = GzipWriter.compress(text2) + Array("GARBAGE!".utf8)
        let gz = GzipSource(MemorySource(data))
        #expect(try readAll(gz) == Array(text2.utf8))
        #expect(gz.warnings.count == 1)
        #expect(gz.warnings[0].contains("trailing garbage"))
        #expect(gz.warnings[0].contains("8 bytes"))
    }

    @Test func zeroPaddingIsReportedButNotDamage() throws {
        let data = GzipWriter.compress(text2) + [UInt8](repeating: 0, count: 512)
        let gz = GzipSource(MemorySource(data))
        #expect(try readAll(gz) == Array(text2.utf8))
        #expect(gz.warnings.first?.contains("zero padding") == true)
        #expect(!gz.damaged)
    }

    @Test func badCRCIsCorruption() throws {
        var data = GzipWriter.compress(text1)
        data[data.count - 6] ^= 0xFF   // inside the CRC32 trailer
        let gz = GzipSource(MemorySource(data))
        let out = try readAll(gz, chunk: 4096)
        #expect(out == Array(text1.utf8))   // the data itself was intact
        #expect(gz.damaged)
        #expect(gz.warnings.first?.contains("incorrect data check") == true)
    }

    @Test func corruptDeflateDataStopsWithOffset() throws {
        var data = GzipWriter.compress(text1)
        for i in 20..<40 { data[i] = 0xFF }
        let gz = GzipSource(MemorySource(data))
        _ = try readAll(gz, chunk: 4096)
        #expect(gz.damaged)
        #expect(gz.warnings.first?.contains("corrupt gzip data at compressed byte offset") == true)
    }

    @Test func magicOnlyIsTruncated() throws {
        let gz = GzipSource(MemorySource([0x1F, 0x8B]))
        #expect(try readAll(gz).isEmpty)
        #expect(gz.damaged)
    }

    @Test func openerDetectsGzipByMagicNotName() throws {
        let dir = TempDir()
        let plainNamedGz = dir.write("plain.log.gz", text2)
        let gzNamedPlain = dir.write("packed.log", GzipWriter.compress(text2))
        let a = try InputOpener.openSource(path: plainNamedGz)
        #expect(!a.gzip)
        #expect(try readAll(a.source) == Array(text2.utf8))
        let b = try InputOpener.openSource(path: gzNamedPlain)
        #expect(b.gzip)
        #expect(try readAll(b.source) == Array(text2.utf8))
    }
}
