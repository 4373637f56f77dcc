import Foundation
import Testing
@testable import OriginLens

@Suite struct PathTextTests {
    @Test func lastComponent() {
        #expect(PathText.lastComponent("a/b/c.log") == "c.log")
        #expect(PathText.lastComponent("a/b/") == "b")
        #expect(PathText.lastComponent("/") == "/")
        #expect(PathText.lastComponent("x") == "x")
        #expect(PathText.lastComponent("-") == "-")
        #expect(PathText.lastComponent("/x") == "x")
        #expect(PathText.lastComponent("") == "")
    }

    @Test func deletingLastComponent() {
        #expect(PathText.deletingLastComponent("a/b/c.log") == "a/b")
        #expect(PathText.deletingLastComponent("/x") == "/")
        #expect(PathText.deletingLastComponent("x") == "")
        #expect(PathText.deletingLastComponent("-") == "")
        #expect(PathText.deletingLastComponent("a//b") == "a")
        #expect(PathText.deletingLastComponent("a/b/") == "a")
        #expect(PathText.deletingLastComponent("/") == "/")
        #expect(PathText.deletingLastComponent("//x") == "/")
        #expect(PathText.deletingLastComponent("") == "")
    }

    @Test func appending() {
        #expect(PathText.appending("dir", "x.md") == "dir/x.md")
        #expect(PathText.appending("dir/", "x.md") == "dir/x.md")
        #expect(PathText.appending("", "x.md") == "x.md")
        #expect(PathText.appending("/", "x.md") == "/x.md")
    }

    /// The rotation planner takes one-character names and standard input.
    @Test func rotationPositionOfShortNames() {
        #expect(RotationPosition(path: "a").family.hasSuffix("a"))
        _ = RotationPosition(path: "-")
        _ = RotationPosition(path: "/")
        _ = RotationPosition(path: "")
    }
}
