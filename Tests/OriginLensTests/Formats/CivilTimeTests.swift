import Testing
@testable import OriginLens

@Suite struct CivilTimeTests {
    @Test func daysRoundTrip() {
        #expect(CivilTime.daysFromCivil(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilTime.daysFromCivil(year: 2024, month: 1, day: 15) == 19737)
        let c = CivilTime.civilFromDays(19737)
        #expect(c.year == 2024 && c.month == 1 && c.day == 15)
    }

    @Test func rfc3339Formatting() {
        #expect(CivilTime.rfc3339(1_705_314_225_000_000) == "2024-01-15T10:23:45Z")
        #expect(CivilTime.rfc3339(1_705_314_225_123_456, fraction: true) == "2024-01-15T10:23:45.123456Z")
    }

    @Test func parseISOWithOffsets() throws {
        let cases: [(String, Int64)] = [
            ("2024-01-15T10:23:45Z", 1_705_314_225_000_000),
            ("2024-01-15T11:23:45+01:00", 1_705_314_225_000_000),
            ("2024-01-15T11:23:45+0100", 1_705_314_225_000_000),
            ("2024-01-15T10:23:45.123456Z", 1_705_314_225_123_456),
        ]
        for (text, want) in cases {
            let r = UnsafeRawBufferPointer.withBytes(of: text) { CivilTime.parseISO($0, at: 0) }
            #expect(r?.us == want, "\(text)")
            #expect(r?.hadZone == true)
        }
    }
}
