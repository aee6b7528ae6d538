import Foundation
import Testing

@testable import CensusGit

/// A repository with every kind of entry, built through plumbing so names and modes are exact.
struct Fixture {
    static let largeSize = 5 * 1024 * 1024
    /// The large blob's byte at `offset`: a pattern that repeats only every 251 × 256 bytes.
    static func largeByte(_ offset: Int) -> UInt8 { UInt8(truncatingIfNeeded: offset % 251 &+ offset / 251) }
    static let lfsPointer = """
        version https://git-lfs.github.com/spec/v1
        oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393
        size 12345

        """
    /// A file name with a newline and a byte that is not UTF-8.
    static let oddName: [UInt8] = Array("src/odd\nname".utf8) + [0xff] + Array(".c".utf8)
    static let submoduleCommit = "0123456789abcdef0123456789abcdef01234567"

    let sandbox: Sandbox
    let repository: String
    let commit: String
    /// path → (mode, blob id, content)
    var expected: [[UInt8]: (mode: UInt32, id: String, content: [UInt8])] = [:]

    init() throws {
        sandbox = try Sandbox()
        repository = try sandbox.initRepository("work")
        let large = (0..<Self.largeSize).map(Self.largeByte)
        let files: [(String, [UInt8], [UInt8])] = [
            ("100644", Array("hello.txt".utf8), Array("hello\n".utf8)),
            ("100644", Array("empty".utf8), []),
            ("100755", Array("bin/run.sh".utf8), Array("#!/bin/sh\necho hi\n".utf8)),
            ("100644", Self.oddName, Array("int x;\n".utf8)),
            ("120000", Array("link".utf8), Array("hello.txt".utf8)),
            ("100644", Array("assets/big.bin".utf8), Array(Self.lfsPointer.utf8)),
            ("100644", Array("data/large.dat".utf8), large),
        ]
        var entries: [(mode: String, id: String, path: [UInt8])] = []
        for (mode, path, content) in files {
            let id = try sandbox.blob(content, in: "work")
            entries.append((mode, id, path))
            expected[path] = (UInt32(mode, radix: 8)!, id, content)
        }
        entries.append(("160000", Self.submoduleCommit, Array("vendor/lib".utf8)))
        let tree = try sandbox.tree(entries, in: "work")
        commit = try sandbox.commit(tree, date: "1600000000 +0000", in: "work")
        try sandbox.git(["update-ref", "refs/heads/main", commit], in: "work")
    }
}

@Suite("Reading a revision without a checkout")
struct TreeAndBlobTests {
    @Test("ls-tree listing: modes, ids, sizes and raw-byte paths of every entry kind")
    func listing() throws {
        let fixture = try Fixture()
        let repository = try GitRepository(path: fixture.repository, runner: fixture.sandbox.runner)
        #expect(!repository.isBare)
        #expect(repository.gitDirectory == fixture.repository + "/.git")
        let listing = try repository.listTree()
        #expect(listing.commit == (try GitObjectID.make(fixture.commit)))
        #expect(listing.entries.count == fixture.expected.count + 1)
        for entry in listing.entries where entry.kind != .submodule {
            let expected = try #require(fixture.expected[Array(entry.path)], "unexpected path \(entry.path)")
            #expect(entry.mode == expected.mode)
            #expect(entry.id == (try GitObjectID.make(expected.id)))
            #expect(entry.size == expected.content.count)
        }
        let odd = try #require(listing.entry(atPath: Fixture.oddName))
        #expect(odd.kind == .file)
        #expect(try #require(listing.entry(atPath: Array("bin/run.sh".utf8))).kind == .executable)
        let link = try #require(listing.entry(atPath: Array("link".utf8)))
        #expect(link.kind == .symlink)
        #expect(link.size == 9)
        let submodule = try #require(listing.entry(atPath: Array("vendor/lib".utf8)))
        #expect(submodule.kind == .submodule)
        #expect(submodule.mode == 0o160000)
        #expect(submodule.size == nil)
        #expect(submodule.id == (try GitObjectID.make(Fixture.submoduleCommit)))
        let empty = try #require(listing.entry(atPath: Array("empty".utf8)))
        #expect(empty.size == 0)
        // The same listing by branch name and by commit id.
        #expect(try repository.listTree("main").entries == listing.entries)
        #expect(try repository.listTree(commit: listing.commit).entries == listing.entries)
    }

    @Test("blobs read whole through one cat-file process, the symlink's target included")
    func readWhole() throws {
        let fixture = try Fixture()
        let repository = try GitRepository(path: fixture.repository, runner: fixture.sandbox.runner)
        let listing = try repository.listTree()
        let reader = repository.makeBlobReader()
        for entry in listing.entries where entry.kind != .submodule {
            let expected = try #require(fixture.expected[Array(entry.path)])
            let contents = try #require(try reader.read(entry.id, limit: 8 << 20).value)
            #expect(contents.kind == .blob)
            #expect(contents.size == expected.content.count)
            #expect(contents.bytes == expected.content, "content of \(String(decoding: entry.path, as: UTF8.self))")
        }
        let link = try #require(listing.entry(atPath: Array("link".utf8)))
        #expect(try reader.read(link.id).value?.bytes == Array("hello.txt".utf8))
        #expect(reader.processStarts == 1)
        // A limit cuts the read short and says so.
        let hello = try #require(listing.entry(atPath: Array("hello.txt".utf8)))
        let cut = try #require(try reader.read(hello.id, limit: 3).value)
        #expect(cut.bytes == Array("hel".utf8))
        #expect(cut.isTruncated)
        #expect(try reader.read(hello.id).value?.bytes == Array("hello\n".utf8))
        #expect(reader.processStarts == 1)
    }

    @Test("a 5 MB blob streams through a 4 KiB buffer in chunks, never whole")
    func largeBlobInChunks() throws {
        let fixture = try Fixture()
        let repository = try GitRepository(path: fixture.repository, runner: fixture.sandbox.runner)
        let entry = try #require(try repository.listTree().entry(atPath: Array("data/large.dat".utf8)))
        #expect(entry.size == Fixture.largeSize)
        let reader = repository.makeBlobReader()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 1)
        defer { buffer.deallocate() }
        var offset = 0
        var chunks = 0
        var mismatches = 0
        var largest = 0
        let result = try reader.stream(entry.id, through: buffer) { chunk in
            chunks += 1
            largest = max(largest, chunk.count)
            for byte in chunk {
                if byte != Fixture.largeByte(offset) { mismatches += 1 }
                offset += 1
            }
        }
        #expect(result.value == Fixture.largeSize)
        #expect(offset == Fixture.largeSize)
        #expect(mismatches == 0)
        #expect(largest <= 4096)
        #expect(chunks >= Fixture.largeSize / 4096)
        // The next object comes through the same process.
        let hello = try #require(try repository.listTree().entry(atPath: Array("hello.txt".utf8)))
        #expect(try reader.read(hello.id).value?.bytes == Array("hello\n".utf8))
        #expect(reader.processStarts == 1)
    }

    @Test("an object abandoned part-way: small ones are skipped, large ones end the process")
    func abandonedReads() throws {
        let fixture = try Fixture()
        let repository = try GitRepository(path: fixture.repository, runner: fixture.sandbox.runner)
        let listing = try repository.listTree()
        let reader = repository.makeBlobReader()
        let run = try #require(listing.entry(atPath: Array("bin/run.sh".utf8)))
        let large = try #require(listing.entry(atPath: Array("data/large.dat".utf8)))
        let hello = try #require(listing.entry(atPath: Array("hello.txt".utf8)))
        var first = [UInt8](repeating: 0, count: 4)
        let partial = try reader.withObject(run.id) { stream in
            first.withUnsafeMutableBytes { stream.read(into: $0.baseAddress!, count: 4) }
        }
        #expect(partial.value == 4)
        #expect(first == Array("#!/b".utf8))
        #expect(try reader.read(hello.id).value?.bytes == Array("hello\n".utf8))
        #expect(reader.processStarts == 1)
        // 5 MB left unread: cheaper to restart git than to pipe it through.
        let prefix = try reader.withObject(large.id) { stream -> [UInt8] in
            var bytes = [UInt8](repeating: 0, count: 100)
            let n = bytes.withUnsafeMutableBytes { stream.read(into: $0.baseAddress!, count: 100) }
            #expect(stream.remaining == Fixture.largeSize - n)
            return Array(bytes[..<n])
        }
        #expect(prefix.value == (0..<prefix.value!.count).map(Fixture.largeByte))
        #expect(try reader.read(hello.id).value?.bytes == Array("hello\n".utf8))
        #expect(reader.processStarts == 2)
    }

    @Test("a missing object is reported for that object and the reader goes on")
    func missingObjectThenNext() throws {
        let fixture = try Fixture()
        let repository = try GitRepository(path: fixture.repository, runner: fixture.sandbox.runner)
        let listing = try repository.listTree()
        let reader = repository.makeBlobReader()
        let submodule = try #require(listing.entry(atPath: Array("vendor/lib".utf8)))
        let result = try reader.read(submodule.id)
        guard case .missing(let error) = result else {
            Issue.record("expected a missing object, got \(result)")
            return
        }
        #expect(error.code == .missingObject)
        #expect(error.repository == fixture.repository)
        #expect(error.command == reader.command)
        #expect(error.gitMessage.contains("\(Fixture.submoduleCommit) missing"))
        let hello = try #require(listing.entry(atPath: Array("hello.txt".utf8)))
        #expect(try reader.read(hello.id).value?.bytes == Array("hello\n".utf8))
        #expect(reader.processStarts == 1)
    }

    @Test("objects asked for ahead: read in order, out of order, missing, and past a restart")
    func prefetchedObjects() throws {
        let fixture = try Fixture()
        let repository = try GitRepository(path: fixture.repository, runner: fixture.sandbox.runner)
        let listing = try repository.listTree()
        let path = { (name: String) throws -> GitTreeEntry in try #require(listing.entry(atPath: Array(name.utf8))) }
        let hello = try path("hello.txt"), run = try path("bin/run.sh"), empty = try path("empty")
        let large = try path("data/large.dat"), lfs = try path("assets/big.bin"), submodule = try path("vendor/lib")
        let reader = repository.makeBlobReader()
        // git 2.36 and later: requests as commands, answers buffered until `flush`.
        #expect(reader.command == (GitBlobReader.knowsBatchCommand(repository.runner.version) ? GitBlobReader.bufferedCommand : GitBlobReader.command))
        func content(_ entry: GitTreeEntry) throws -> [UInt8]? { try reader.read(entry.id, limit: 8 << 20).value?.bytes }
        // In the order asked: each answer is the one asked for.
        try reader.prefetch([hello.id, run.id, empty.id, lfs.id])
        #expect(try content(hello) == Array("hello\n".utf8))
        #expect(try content(run) == Array("#!/bin/sh\necho hi\n".utf8))
        #expect(try content(empty) == [])
        #expect(try content(lfs) == Array(Fixture.lfsPointer.utf8))
        #expect(reader.processStarts == 1)
        // Out of order: the answers before the one read are dropped; one never asked for is asked then.
        try reader.prefetch([hello.id, run.id, empty.id])
        #expect(try content(empty) == [])
        #expect(try content(hello) == Array("hello\n".utf8))
        // A missing object among them is reported for itself, the others read.
        try reader.prefetch([run.id, submodule.id, hello.id])
        #expect(try content(run) == Array("#!/bin/sh\necho hi\n".utf8))
        guard case .missing(let error) = try reader.read(submodule.id) else {
            Issue.record("expected the submodule's commit to be missing")
            return
        }
        #expect(error.gitMessage.contains("\(Fixture.submoduleCommit) missing"))
        #expect(try content(hello) == Array("hello\n".utf8))
        #expect(reader.processStarts == 1)
        // A large object left unread ends the process: the objects asked for after it are asked again.
        try reader.prefetch([large.id, hello.id, run.id])
        let start = try reader.withObject(large.id) { stream -> Int in
            var bytes = [UInt8](repeating: 0, count: 10)
            return bytes.withUnsafeMutableBytes { stream.read(into: $0.baseAddress!, count: 10) }
        }
        #expect(start.value == 10)
        #expect(try content(hello) == Array("hello\n".utf8))
        #expect(try content(run) == Array("#!/bin/sh\necho hi\n".utf8))
        #expect(reader.processStarts == 2)
        // The large one whole, asked ahead with the others.
        try reader.prefetch([hello.id, large.id, run.id])
        #expect(try content(hello) == Array("hello\n".utf8))
        #expect(try content(large) == (0..<Fixture.largeSize).map(Fixture.largeByte))
        #expect(try content(run) == Array("#!/bin/sh\necho hi\n".utf8))
        #expect(reader.processStarts == 2)
    }

    @Test("cat-file --batch-command from git 2.36")
    func batchCommandVersions() {
        #expect(!GitBlobReader.knowsBatchCommand("2.35.1"))
        #expect(!GitBlobReader.knowsBatchCommand("2.9.5"))
        #expect(!GitBlobReader.knowsBatchCommand("1.99"))
        #expect(!GitBlobReader.knowsBatchCommand(""))
        #expect(GitBlobReader.knowsBatchCommand("2.36.0"))
        #expect(GitBlobReader.knowsBatchCommand("2.39.5"))
        #expect(GitBlobReader.knowsBatchCommand("2.43.0.windows.1"))
        #expect(GitBlobReader.knowsBatchCommand("3.0.0"))
    }

    @Test("the LFS pointer is recognised from its listing size and content")
    func lfsPointerInTree() throws {
        let fixture = try Fixture()
        let repository = try GitRepository(path: fixture.repository, runner: fixture.sandbox.runner)
        let listing = try repository.listTree()
        let reader = repository.makeBlobReader()
        var pointers: [String: GitLFSPointer] = [:]
        for entry in listing.entries where entry.mayBeLFSPointer {
            if let bytes = try reader.read(entry.id).value?.bytes, let pointer = GitLFSPointer(parsing: bytes) {
                pointers[String(decoding: entry.path, as: UTF8.self)] = pointer
            }
        }
        #expect(Array(pointers.keys) == ["assets/big.bin"])
        #expect(pointers["assets/big.bin"]?.oid == "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393")
        #expect(pointers["assets/big.bin"]?.size == 12345)
        let large = try #require(listing.entry(atPath: Array("data/large.dat".utf8)))
        #expect(!large.mayBeLFSPointer)
    }

    @Test("bare and non-bare repositories list the same revision identically")
    func bareAndNonBare() throws {
        let fixture = try Fixture()
        try fixture.sandbox.git(
            [
                "clone", "-q", "--bare", "--template=", "file://" + fixture.repository,
                fixture.sandbox.path + "/bare.git",
            ],
            network: true)
        let work = try GitRepository(path: fixture.repository, runner: fixture.sandbox.runner)
        let bare = try GitRepository(path: fixture.sandbox.path + "/bare.git", runner: fixture.sandbox.runner)
        #expect(bare.isBare)
        #expect(bare.gitDirectory == fixture.sandbox.path + "/bare.git")
        let a = try work.listTree("main")
        let b = try bare.listTree("main")
        #expect(a.commit == b.commit)
        #expect(a.entries == b.entries)
        #expect(a.entries.count == 8)
        let large = try #require(b.entry(atPath: Array("data/large.dat".utf8)))
        #expect(try bare.makeBlobReader().read(large.id, limit: 10).value?.bytes == (0..<10).map(Fixture.largeByte))
    }
}

@Suite("Object ids")
struct ObjectIDTests {
    @Test("SHA-1 and SHA-256 ids, either case; anything else refused")
    func parsing() throws {
        let sha1 = try GitObjectID.make("0123456789ABCDEFabcdef0123456789abcdef01")
        #expect(sha1.byteCount == 20)
        #expect(sha1.description == "0123456789abcdefabcdef0123456789abcdef01")
        let sha256 = try GitObjectID.make(String(repeating: "f0", count: 32))
        #expect(sha256.byteCount == 32)
        #expect(sha256.description == String(repeating: "f0", count: 32))
        #expect(GitObjectID(String(repeating: "a", count: 39)) == nil)
        #expect(GitObjectID(String(repeating: "g", count: 40)) == nil)
        #expect(GitObjectID("") == nil)
        #expect(
            try GitObjectID.make("00" + String(repeating: "f", count: 38))
                < GitObjectID.make("01" + String(repeating: "0", count: 38)))
    }

    @Test("every byte other than a hexadecimal digit refused, in every word; digits read and printed back")
    func everyByte() throws {
        let digits = Array("0123456789abcdefABCDEF".utf8)
        for length in [40, 64] {
            // Each digit at each position (so in the first, a middle and the last word) reads back.
            for position in [0, 15, 16, 31, 32, 39, length - 1] {
                for digit in digits {
                    var hex = [UInt8](repeating: UInt8(ascii: "0"), count: length)
                    hex[position] = digit
                    let id = try #require(GitObjectID(hex: hex))
                    #expect(Array(id.description.utf8) == hex.map { $0 | ($0 >= UInt8(ascii: "A") ? 0x20 : 0) })
                    #expect(GitObjectID(hex: hex[...]) == id)  // the ArraySlice the log parser hands over
                }
                for byte in UInt8.min...UInt8.max where !digits.contains(byte) {
                    var hex = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    hex[position] = byte
                    #expect(GitObjectID(hex: hex) == nil, "byte \(byte) at \(position) of \(length)")
                }
            }
        }
        // Ordered as the bytes are, across every word.
        let ordered = (0..<40).map { String(repeating: "0", count: $0) + "1" + String(repeating: "0", count: 39 - $0) }
        let ids = try ordered.map { try GitObjectID.make($0) }
        #expect(ids.sorted() == ids.reversed())
        #expect(Set(ids).count == 40)
    }
}

@Suite("ls-tree output parsing")
struct ListingParserTests {
    static let hex = String(repeating: "ab", count: 20)

    @Test("sizes padded or absent, and a path holding spaces, tabs and a newline")
    func wellFormed() throws {
        let text = "100644 blob \(Self.hex)      12\ta b\tc\nd\0160000 commit \(Self.hex)       -\tsub\0"
        let listing = try GitTreeListing.parse(
            Array(text.utf8), sizes: true, commit: try GitObjectID.make(Self.hex), location: GitLocation(display: "/r"),
            command: ["ls-tree"])
        #expect(listing.entries.map(\.size) == [12, nil])
        #expect(listing.entries.map { Array($0.path) } == [Array("a b\tc\nd".utf8), Array("sub".utf8)])
        let short = try GitTreeListing.parse(
            Array("100755 blob \(Self.hex)\tx\0".utf8), sizes: false, commit: try GitObjectID.make(Self.hex),
            location: GitLocation(display: "/r"), command: ["ls-tree"])
        #expect(short.entries.first?.kind == .executable)
    }

    @Test(
        "malformed output is an error naming the repository",
        arguments: [
            "100644 blob abc      1\tpath\0",  // short id
            "10064x blob \(hex)      1\tpath\0",  // bad mode
            "100644 blob \(hex)      1\t\0",  // empty path
            "100644 blob \(hex)      1path\0",  // no tab
            "100644 blob \(hex)      1x\tpath\0",  // bad size
            "040000 tree \(hex)      -\tdir\0",  // a tree: -r never lists one
            "100644 blob \(hex)      1\tpath",  // cut off before its NUL
        ])
    func malformed(text: String) throws {
        let error = try #require(throws: GitError.self) {
            try GitTreeListing.parse(
                Array(text.utf8), sizes: true, commit: try GitObjectID.make(Self.hex),
                location: GitLocation(display: "/r"),
                command: ["ls-tree"])
        }
        #expect(error.code == .protocolError)
        #expect(error.repository == "/r")
    }
}

@Suite("Git LFS pointers")
struct LFSPointerTests {
    static let oid = "oid sha256:" + String(repeating: "ab", count: 32) + "\n"

    @Test(
        "pointer files per git-lfs's spec",
        arguments: [
            ("version https://git-lfs.github.com/spec/v1\n" + oid + "size 12\n", 12),
            // The pre-release version name git-lfs still accepts.
            ("version https://hawser.github.com/spec/v1\n" + oid + "size 0\n", 0),
            // Extension keys sort before "oid".
            (
                "version https://git-lfs.github.com/spec/v1\next-0-foo sha256:" + String(repeating: "1", count: 64)
                    + "\n" + oid
                    + "size 7\n", 7
            ),
            // git-lfs tolerates a missing final newline.
            ("version https://git-lfs.github.com/spec/v1\n" + oid + "size 99", 99),
        ])
    func accepted(text: String, size: Int) throws {
        let pointer = try #require(GitLFSPointer(parsing: Array(text.utf8)))
        #expect(pointer.size == size)
        #expect(pointer.oid == String(repeating: "ab", count: 32))
    }

    @Test(
        "not pointers",
        arguments: [
            "",
            "hello\n",
            "version https://git-lfs.github.com/spec/v2\n" + oid + "size 12\n",  // unknown version
            "version https://git-lfs.github.com/spec/v1\nsize 12\n" + oid,  // keys out of order
            "version https://git-lfs.github.com/spec/v1\n" + oid,  // no size
            "version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12\n",  // short oid
            "version https://git-lfs.github.com/spec/v1\noid md5:" + String(repeating: "ab", count: 32) + "\nsize 1\n",
            "version https://git-lfs.github.com/spec/v1\n" + oid + "size -1\n",
            "version https://git-lfs.github.com/spec/v1\r\n" + oid + "size 12\n",  // CRLF
            "version https://git-lfs.github.com/spec/v1\n" + oid + "size 12\nzzz " + String(repeating: "x", count: 1000)
                + "\n",
        ])
    func rejected(text: String) {
        #expect(GitLFSPointer(parsing: Array(text.utf8)) == nil)
    }
}
