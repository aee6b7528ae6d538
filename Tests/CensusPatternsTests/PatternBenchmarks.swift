import Foundation
import Testing

@testable import CensusPatterns

/// Benchmarks on the Linux kernel tree, run by bench/patterns-bench.sh (CENSUS_BENCH=1, release
/// build). Each also checks that the fast path agrees with the straightforward one, and, when
/// Ruby is installed, that Ruby decides every file the same way.
@Suite("Pattern benchmarks", .serialized, .enabled(if: ProcessInfo.processInfo.environment["CENSUS_BENCH"] == "1"))
struct PatternBenchmarks {
    static let kernel = ProcessInfo.processInfo.environment["CENSUS_BENCH_KERNEL"]
        ?? "/tmp/census-bench/linux-source-6.1"

    /// Every file path under the tree, relative to it.
    static func kernelPaths() throws -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: kernel) else {
            throw ReferenceError(message: "cannot walk \(kernel)")
        }
        var paths: [String] = []
        while let path = walker.nextObject() as? String {
            if walker.fileAttributes?[.type] as? FileAttributeType == .typeRegular { paths.append(path) }
        }
        return paths.sorted()
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    /// The fastest of `runs` timings of `body`.
    static func best(_ runs: Int = 5, _ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        var fastest = Double.infinity
        for _ in 0..<runs { fastest = min(fastest, seconds(clock.measure(body))) }
        return fastest
    }

    @Test func pathRules() throws {
        let paths = try Self.kernelPaths()
        let pathBytes = paths.map { Array($0.utf8) }
        let vendor = try LinguistPatterns.vendor.map { try ByteRegex($0, options: .utf8) }
        let documentation = try LinguistPatterns.documentation.map { try ByteRegex($0, options: .utf8) }
        let rules = vendor + documentation
        let isVendor = rules.indices.map { $0 < vendor.count }

        // Prefilter: one LiteralSet over every rule's required literals.
        var literals: [(bytes: [UInt8], caseInsensitive: Bool)] = []
        var owner: [Int] = []
        var unfiltered: [Int] = []
        for (index, rule) in rules.enumerated() {
            let required = rule.requiredLiteralsIgnoringCase
            if required.isEmpty { unfiltered.append(index) }
            for literal in required {
                literals.append(literal)
                owner.append(index)
            }
        }
        let prefilter = LiteralSet(literals)
        let vendorUnion = try ByteRegex(LinguistPatterns.vendor.joined(separator: "|"), options: .utf8)
        let documentationUnion = try ByteRegex(LinguistPatterns.documentation.joined(separator: "|"), options: .utf8)

        var naive = [UInt8](repeating: 0, count: paths.count)
        var filtered = [UInt8](repeating: 0, count: paths.count)
        var unions = [UInt8](repeating: 0, count: paths.count)
        let naiveTime = Self.best(3) {
            for (p, path) in pathBytes.enumerated() {
                var flags: UInt8 = 0
                path.withUnsafeBytes { text in
                    for (index, rule) in rules.enumerated() where rule.matches(text) {
                        flags |= isVendor[index] ? 1 : 2
                    }
                }
                naive[p] = flags
            }
        }
        let unionTime = Self.best(3) {
            for (p, path) in pathBytes.enumerated() {
                path.withUnsafeBytes { text in
                    unions[p] = (vendorUnion.matches(text) ? 1 : 0) | (documentationUnion.matches(text) ? 2 : 0)
                }
            }
        }
        let filteredTime = Self.best(5) {
            for (p, path) in pathBytes.enumerated() {
                var flags: UInt8 = 0
                path.withUnsafeBytes { text in
                    for index in unfiltered where rules[index].matches(text) { flags |= isVendor[index] ? 1 : 2 }
                    prefilter.scan(text) { literal in
                        let index = owner[literal]
                        let bit: UInt8 = isVendor[index] ? 1 : 2
                        if flags & bit == 0, rules[index].matches(text) { flags |= bit }
                    }
                }
                filtered[p] = flags
            }
        }
        #expect(naive == filtered)
        #expect(naive == unions)
        let count = Double(paths.count)
        print(
            """
            path rules (vendor.yml + documentation.yml, \(rules.count) regexps) on \(paths.count) kernel paths:
              prefiltered (LiteralSet + ByteRegex on candidates): \(String(format: "%.0f", filteredTime / count * 1e9)) ns/path, \(String(format: "%.1f", filteredTime * 1e3)) ms total; \(unfiltered.count) rules without a required literal
              naive loop over all \(rules.count) regexps:           \(String(format: "%.0f", naiveTime / count * 1e9)) ns/path
              two union regexps as Linguist builds them:      \(String(format: "%.0f", unionTime / count * 1e9)) ns/path
              vendored: \(naive.filter { $0 & 1 != 0 }.count), documentation: \(naive.filter { $0 & 2 != 0 }.count)
            """)

        // Ruby on the same paths, through Linguist's own union regexps.
        guard RubyReference.executable != nil else {
            print(RubyReference.skipMessage)
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("census-bench-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let list = directory.appendingPathComponent("paths.txt")
        try paths.joined(separator: "\n").appending("\n").write(to: list, atomically: true, encoding: .utf8)
        let gem = "/usr/lib/x86_64-linux-gnu/rubygems-integration/3.1.0/gems/github-linguist-\(LinguistPatterns.version)/lib/linguist"
        let output = try RubyReference.evaluate(
            """
            require 'yaml'
            v = Regexp.new(YAML.load_file('\(gem)/vendor.yml').join('|'))
            d = Regexp.new(YAML.load_file('\(gem)/documentation.yml').join('|'))
            t = Time.now
            flags = File.readlines('\(list.path)', chomp: true).map { |p| (p =~ v ? 1 : 0) | (p =~ d ? 2 : 0) }
            STDERR.puts Time.now - t
            puts flags.join("\\n")
            """)
        let ruby = output.split(separator: "\n").compactMap { UInt8($0) }
        #expect(ruby == naive)
        print("  Ruby (Linguist's regexps) agrees on \(zip(ruby, naive).filter { $0 == $1 }.count) of \(paths.count) paths")
    }

    @Test func headerHeuristics() throws {
        let headers = try Self.kernelPaths().filter { $0.hasSuffix(".h") }
        var contents: [[UInt8]] = []
        for path in headers {
            guard let handle = FileHandle(forReadingAtPath: Self.kernel + "/" + path) else { continue }
            contents.append([UInt8](try handle.read(upToCount: 50 * 1024) ?? Data()))
            try handle.close()
        }
        let named = Dictionary(uniqueKeysWithValues: LinguistPatterns.heuristics.map { ($0.label, $0.patterns) })
        let objectiveC = try ByteRegex(linguistUnion(named["named_patterns.objectivec"] ?? []))
        let cpp = try ByteRegex(linguistUnion(named["named_patterns.cpp"] ?? []))
        let bytes = contents.reduce(0) { $0 + $1.count }
        var verdicts = [UInt8](repeating: 0, count: contents.count)
        let time = Self.best(5) {
            for (index, data) in contents.enumerated() {
                data.withUnsafeBytes { text in
                    verdicts[index] = objectiveC.matches(text) ? 1 : cpp.matches(text) ? 2 : 0
                }
            }
        }
        // Both patterns over every file (the cost when the first does not decide).
        let bothTime = Self.best(3) {
            for data in contents {
                data.withUnsafeBytes { text in
                    _ = objectiveC.matches(text)
                    _ = cpp.matches(text)
                }
            }
        }
        let objectiveCTime = Self.best(3) {
            for data in contents { data.withUnsafeBytes { _ = objectiveC.matches($0) } }
        }
        let cppTime = Self.best(3) {
            for data in contents { data.withUnsafeBytes { _ = cpp.matches($0) } }
        }
        // What census runs first (CompiledDisambiguation's one pass): both as one alternation.
        let both = try ByteRegex(
            linguistUnion([linguistUnion(named["named_patterns.objectivec"] ?? []), linguistUnion(named["named_patterns.cpp"] ?? [])]))
        var unionVerdicts = [Bool](repeating: false, count: contents.count)
        let unionTime = Self.best(5) {
            for (index, data) in contents.enumerated() { data.withUnsafeBytes { unionVerdicts[index] = both.matches($0) } }
        }
        #expect(unionVerdicts == verdicts.map { $0 != 0 })
        let cppSearchTime = Self.best(3) {
            for data in contents { data.withUnsafeBytes { _ = cpp.matches($0, literalsAlreadyFound: true) } }
        }
        print(
            """
            .h heuristics (named patterns objectivec, then cpp) on the first 50 KiB of \(contents.count) kernel headers, \(String(format: "%.1f", Double(bytes) / 1e6)) MB:
              \(String(format: "%.1f", time * 1e3)) ms, \(String(format: "%.0f", Double(bytes) / time / 1e6)) MB/s (Objective-C \(verdicts.filter { $0 == 1 }.count), C++ \(verdicts.filter { $0 == 2 }.count), C \(verdicts.filter { $0 == 0 }.count))
              both patterns on every file: \(String(format: "%.1f", bothTime * 1e3)) ms, \(String(format: "%.0f", 2 * Double(bytes) / bothTime / 1e6)) MB/s per pattern pass
              one alternation of both (census's first pass; C headers need no other): \(String(format: "%.1f", unionTime * 1e3)) ms
              objectivec alone: \(String(format: "%.1f", objectiveCTime * 1e3)) ms; cpp alone: \(String(format: "%.1f", cppTime * 1e3)) ms (search without the literal check: \(String(format: "%.1f", cppSearchTime * 1e3)) ms)
            """)

        guard RubyReference.executable != nil else {
            print(RubyReference.skipMessage)
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("census-bench-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let list = directory.appendingPathComponent("headers.txt")
        try headers.map { Self.kernel + "/" + $0 }.joined(separator: "\n").appending("\n").write(
            to: list, atomically: true, encoding: .utf8)
        let gem = "/usr/lib/x86_64-linux-gnu/rubygems-integration/3.1.0/gems/github-linguist-\(LinguistPatterns.version)/lib/linguist"
        let output = try RubyReference.evaluate(
            """
            require 'yaml'
            n = YAML.load_file('\(gem)/heuristics.yml')['named_patterns']
            re = lambda { |v| v.is_a?(Array) ? Regexp.union(v.map { |s| Regexp.new(s) }) : Regexp.new(v) }
            objc = re.call(n['objectivec']); cpp = re.call(n['cpp'])
            File.readlines('\(list.path)', chomp: true).each do |f|
              data = File.open(f, 'rb') { |io| io.read(50 * 1024) } || ''.b
              puts(objc.match(data) ? 1 : cpp.match(data) ? 2 : 0)
            end
            """)
        let ruby = output.split(separator: "\n").compactMap { UInt8($0) }
        #expect(ruby == verdicts)
        print("  Ruby (Linguist's regexps) agrees on \(zip(ruby, verdicts).filter { $0 == $1 }.count) of \(verdicts.count) headers")
    }

    /// Every heuristic regexp (as Linguist builds them: unions of pattern lists) on every tenth
    /// kernel header: worst cases, since these headers match almost none of them.
    @Test func allHeuristics() throws {
        let headers = try Self.kernelPaths().filter { $0.hasSuffix(".h") }.enumerated().filter { $0.offset % 10 == 0 }.map(\.element)
        var contents: [[UInt8]] = []
        for path in headers {
            guard let handle = FileHandle(forReadingAtPath: Self.kernel + "/" + path) else { continue }
            contents.append([UInt8](try handle.read(upToCount: 50 * 1024) ?? Data()))
            try handle.close()
        }
        var patterns: [String] = []
        for entry in LinguistPatterns.heuristics where !patterns.contains(linguistUnion(entry.patterns)) {
            patterns.append(linguistUnion(entry.patterns))
        }
        let regexes = try patterns.map { try ByteRegex($0) }
        let bytes = contents.reduce(0) { $0 + $1.count }
        var hits = [[UInt8]](repeating: [], count: regexes.count)
        var times = [Double](repeating: 0, count: regexes.count)
        for (index, regex) in regexes.enumerated() {
            var row = [UInt8](repeating: 0, count: contents.count)
            times[index] = Self.best(1) {
                for (file, data) in contents.enumerated() where regex.matches(data) { row[file] = 1 }
            }
            hits[index] = row
        }
        let total = times.reduce(0, +)
        let slowest = times.indices.sorted { times[$0] > times[$1] }.prefix(3)
        print(
            """
            all \(regexes.count) heuristic regexps on the first 50 KiB of \(contents.count) kernel headers (every tenth), \(String(format: "%.1f", Double(bytes) / 1e6)) MB:
              \(String(format: "%.0f", total * 1e3)) ms, \(String(format: "%.0f", Double(bytes) * Double(regexes.count) / total / 1e6)) MB/s per regexp on average; slowest: \(slowest.map { String(format: "%.0f MB/s", Double(bytes) / times[$0] / 1e6) }.joined(separator: ", "))
            """)

        guard RubyReference.executable != nil else {
            print(RubyReference.skipMessage)
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("census-bench-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let list = directory.appendingPathComponent("headers.txt")
        let patternFile = directory.appendingPathComponent("patterns.txt")
        try headers.map { Self.kernel + "/" + $0 }.joined(separator: "\n").appending("\n").write(
            to: list, atomically: true, encoding: .utf8)
        try patterns.map { RubyReference.hex(Array($0.utf8)) }.joined(separator: "\n").appending("\n").write(
            to: patternFile, atomically: true, encoding: .utf8)
        let output = try RubyReference.evaluate(
            """
            files = File.readlines('\(list.path)', chomp: true).map { |f| File.open(f, 'rb') { |io| io.read(50 * 1024) } || ''.b }
            t = Time.now
            rows = File.readlines('\(patternFile.path)', chomp: true).map do |hex|
              r = Regexp.new([hex].pack('H*').force_encoding('UTF-8'))
              files.map { |d| r.match(d) ? '1' : '0' }.join
            end
            puts Time.now - t
            puts rows
            """)
        var lines = output.split(separator: "\n").map(String.init)
        let rubySeconds = Double(lines.removeFirst()) ?? 0
        let ours = hits.map { String($0.map { $0 == 1 ? "1" : "0" }) }
        #expect(lines == ours)
        let pairs = zip(lines, ours).reduce(0) { $0 + zip($1.0, $1.1).filter { $0 == $1 }.count }
        print(
            "  Ruby: \(String(format: "%.0f", rubySeconds * 1e3)) ms for the same work; agrees on \(pairs) of \(regexes.count * contents.count) regexp × file pairs"
        )
    }
}
