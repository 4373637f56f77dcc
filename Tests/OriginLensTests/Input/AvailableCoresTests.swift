import Testing
@testable import OriginLens

@Suite struct AvailableCoresTests {
    @Test func cpuListsAreCounted() {
        #expect(Ingestor.cpuListCount("\t0-1") == 2)
        #expect(Ingestor.cpuListCount(" 0") == 1)
        #expect(Ingestor.cpuListCount("0-3,8,10-11") == 7)
        #expect(Ingestor.cpuListCount("") == nil)
        #expect(Ingestor.cpuListCount("x") == nil)
        #expect(Ingestor.cpuListCount("3-1") == nil)
        #expect(Ingestor.availableCores() >= 1)
    }
}
