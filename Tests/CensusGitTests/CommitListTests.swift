import Foundation
import Testing

@testable import CensusGit

@Suite("A walk's order in a temporary file")
struct CommitListTests {
    /// 5,000 made-up ids: more than one write buffer and one block of `firstIndex`.
    static let ids: [GitObjectID] = (0..<5000).map { n in
        GitObjectID(hex: Array(String(format: "%08x", n * 7919).utf8) + Array(repeating: UInt8(ascii: "a"), count: 32))!
    }

    @Test("ids read back by range and found by position, the file as git's --stdin reads it")
    func roundTrip() throws {
        let list = try GitCommitList()
        for id in Self.ids { try list.append(id) }
        #expect(list.count == 5000 && list.lineLength == 41)
        #expect(try list.ids(0 ..< 3) == Array(Self.ids[0 ..< 3]))
        #expect(try list.ids(4090 ..< 4100) == Array(Self.ids[4090 ..< 4100]))
        #expect(try list.ids(4999 ..< 5000) == [Self.ids[4999]])
        #expect(try list.ids(7 ..< 7).isEmpty)
        #expect(try list.firstIndex(of: Self.ids[4321]) == 4321)
        #expect(try list.firstIndex(of: try GitObjectID.make("ffffffffffffffffffffffffffffffffffffffff")) == nil)
        try list.rewind()
        var bytes = [UInt8](repeating: 0, count: 5000 * 41 + 1)
        let n = bytes.withUnsafeMutableBytes { read(list.descriptor, $0.baseAddress!, $0.count) }
        #expect(n == 5000 * 41)
        let expected = Self.ids.map { $0.description + "\n" }.joined()
        #expect(String(decoding: bytes[..<max(0, n)], as: UTF8.self) == expected)
    }

    @Test("ids of another length are refused")
    func oneLength() throws {
        let list = try GitCommitList()
        try list.append(Self.ids[0])
        let long = try #require(GitObjectID(hex: Array(repeating: UInt8(ascii: "b"), count: 64)))
        #expect(throws: SystemCallError.self) { try list.append(long) }
        #expect(list.count == 1)
    }
}
