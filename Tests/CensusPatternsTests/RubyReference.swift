import Foundation
import Testing

@testable import CensusPatterns

/// One pattern × input pair to compare with Ruby.
struct ReferenceCase {
    var pattern: String
    var options: ByteRegex.Options = []
    var input: [UInt8]
}

/// What Ruby reported for one case.
enum RubyOutcome: Equatable {
    /// Byte ranges of the match and of each group (nil: did not participate).
    case match([Range<Int>?])
    case noMatch
    /// `Regexp.new` raised (the message).
    case compileError(String)
    /// Matching raised (an encoding error, for instance).
    case raised(String)
    /// Matching took longer than the harness allows.
    case timeout
}

/// Runs cases through `/usr/bin/ruby` (or the first `ruby` on PATH): `Regexp.new(pattern, options)`
/// with the pattern as a UTF-8 string, as Linguist builds its regexps from YAML, matched against
/// the input as a binary (ASCII-8BIT) string, as Linguist reads files, or as a UTF-8 string for
/// cases with `.utf8` (paths).
enum RubyReference {
    static let executable: String? = {
        var candidates = ["/usr/bin/ruby"]
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            candidates.append("\(directory)/ruby")
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static let skipMessage = "ruby not found: the comparison with Ruby's regular expressions is skipped"

    private static let script = #"""
        require 'timeout'
        cache = {}
        out = File.open(ARGV[1], 'w')
        File.foreach(ARGV[0]) do |line|
          pattern_hex, flags, input_hex = line.chomp.split("\t", -1)
          pattern = [pattern_hex].pack('H*').force_encoding('UTF-8')
          options = 0
          options |= Regexp::IGNORECASE if flags.include?('i')
          options |= Regexp::MULTILINE if flags.include?('m')
          options |= Regexp::EXTENDED if flags.include?('x')
          regexp = cache[[pattern, options]] ||= begin
            Regexp.new(pattern, options)
          rescue RegexpError, ArgumentError => e
            e
          end
          if regexp.is_a?(Exception)
            out.puts "E #{regexp.message.gsub(/\s+/, ' ')}"
            next
          end
          input = [input_hex].pack('H*')
          input.force_encoding(flags.include?('u') ? 'UTF-8' : 'ASCII-8BIT')
          begin
            m = Timeout.timeout(2) { regexp.match(input) }
            if m.nil?
              out.puts 'N'
            else
              groups = (0...m.size).map do |i|
                b = m.begin(i)
                if b.nil?
                  '-'
                else
                  s = input[0, b].bytesize
                  "#{s}:#{s + m[i].bytesize}"
                end
              end
              out.puts "M #{groups.join(' ')}"
            end
          rescue Timeout::Error
            out.puts 'T'
          rescue => e
            out.puts "R #{e.class}"
          end
        end
        out.close
        """#

    /// Ruby's outcome for each case, in order.
    static func run(_ cases: [ReferenceCase]) throws -> [RubyOutcome] {
        guard let ruby = executable else { return [] }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("census-patterns-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let scriptURL = directory.appendingPathComponent("reference.rb")
        let casesURL = directory.appendingPathComponent("cases.tsv")
        let outputURL = directory.appendingPathComponent("results.txt")
        try script.write(to: scriptURL, atomically: true, encoding: .utf8)
        var lines = ""
        lines.reserveCapacity(cases.count * 64)
        for item in cases {
            var flags = ""
            if item.options.contains(.caseInsensitive) { flags += "i" }
            if item.options.contains(.multiline) { flags += "m" }
            if item.options.contains(.extended) { flags += "x" }
            if item.options.contains(.utf8) { flags += "u" }
            lines += hex(Array(item.pattern.utf8)) + "\t" + flags + "\t" + hex(item.input) + "\n"
        }
        try lines.write(to: casesURL, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ruby)
        process.arguments = ["-W0", scriptURL.path, casesURL.path, outputURL.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let output = try String(contentsOf: outputURL, encoding: .utf8)
        let results = output.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(parse)
        guard results.count == cases.count else {
            throw ReferenceError(message: "ruby returned \(results.count) results for \(cases.count) cases")
        }
        return results
    }

    /// Runs Ruby code and returns its standard output (for small queries).
    static func evaluate(_ code: String) throws -> String {
        guard let ruby = executable else { return "" }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("census-patterns-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let scriptURL = directory.appendingPathComponent("query.rb")
        let outputURL = directory.appendingPathComponent("out.txt")
        try code.write(to: scriptURL, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ruby)
        process.arguments = ["-W0", scriptURL.path]
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        let handle = try FileHandle(forWritingTo: outputURL)
        process.standardOutput = handle
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return try String(contentsOf: outputURL, encoding: .utf8)
    }

    private static func parse(_ line: Substring) -> RubyOutcome {
        switch line.first {
        case "N": return .noMatch
        case "T": return .timeout
        case "E": return .compileError(String(line.dropFirst(2)))
        case "R": return .raised(String(line.dropFirst(2)))
        default:
            let groups = line.dropFirst(2).split(separator: " ").map { field -> Range<Int>? in
                let parts = field.split(separator: ":")
                guard parts.count == 2, let from = Int(parts[0]), let to = Int(parts[1]) else { return nil }
                return from..<to
            }
            return .match(groups)
        }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var result = [UInt8]()
        result.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            result.append(digits[Int(byte >> 4)])
            result.append(digits[Int(byte & 15)])
        }
        return String(decoding: result, as: UTF8.self)
    }
}

struct ReferenceError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// The result of comparing a batch of cases with Ruby.
struct ReferenceComparison {
    var compared = 0
    var matched = 0
    var skipped = 0
    var mismatches: [String] = []
    /// Patterns Ruby rejects and this engine accepts (allowed, but listed).
    var acceptedBeyondRuby: Set<String> = []
    /// Disagreements in the documented area where Onigmo's results depend on how it compiles a
    /// repeat (a repeated body that can match empty and holds a group or a backreference).
    var emptyLoopDifferences: [String] = []

    /// Compares our engine with Ruby on every case; `captures` also compares group ranges.
    static func run(_ cases: [ReferenceCase], captures: Bool = false) throws -> ReferenceComparison {
        let ruby = try RubyReference.run(cases)
        var result = ReferenceComparison()
        var compiled: [String: Result<ByteRegex, ByteRegexError>] = [:]
        func disagree(_ item: ReferenceCase, _ message: String) {
            if inEmptyLoopArea(item) {
                result.emptyLoopDifferences.append(message)
            } else {
                result.mismatches.append(message)
            }
        }
        for (item, expected) in zip(cases, ruby) {
            let key = "\(item.options.rawValue)/\(item.pattern)"
            let regex: Result<ByteRegex, ByteRegexError>
            if let cached = compiled[key] {
                regex = cached
            } else {
                do {
                    regex = .success(try ByteRegex(item.pattern, options: item.options))
                } catch {
                    regex = .failure(error)
                }
                compiled[key] = regex
            }
            switch (expected, regex) {
            case (.compileError, .failure):
                result.compared += 1
            case (.compileError(let message), .success):
                result.acceptedBeyondRuby.insert("/\(item.pattern)/ (Ruby: \(message))")
            case (.timeout, _), (.raised, _):
                result.skipped += 1
            case (_, .failure(let error)):
                result.mismatches.append("\(error) but Ruby compiles it")
            case (.noMatch, .success(let regex)):
                result.compared += 1
                let ours = regex.search(item.input)
                if ours != .noMatch {
                    disagree(item, describe(item, expected: "no match", got: "\(ours)"))
                }
            case (.match(let groups), .success(let regex)):
                result.compared += 1
                result.matched += 1
                if captures {
                    let ours = regex.captures(in: item.input)
                    if ours != groups {
                        disagree(item, describe(item, expected: "\(groups)", got: "\(ours.map { "\($0)" } ?? "nil")"))
                    }
                } else {
                    let ours = regex.search(item.input)
                    if ours != .match(groups[0] ?? 0..<0) {
                        disagree(item, describe(item, expected: "\(groups[0].map { "\($0)" } ?? "?")", got: "\(ours)"))
                    }
                }
            }
        }
        return result
    }

    /// True when the pattern is in an area where Onigmo's results depend on how it compiles and
    /// executes captures (docs/patterns.md): a repeated body that can match the empty string and
    /// holds a group or a backreference (Onigmo unrolls such a repeat or runs it with an empty
    /// check depending on its compiled size), or a backreference inside its own group.
    static func inEmptyLoopArea(_ item: ReferenceCase) -> Bool {
        let flags = RegexFlags(fold: false, dotAll: false, extended: false)
        guard let parsed = try? RegexParser.parse(item.pattern, flags: flags, utf8Mode: item.options.contains(.utf8)) else {
            return false
        }
        let emptyLoop = parsed.root.contains { node in
            guard case .repetition(let body, _, let maximum, _) = node, maximum != 1, body.isNullable else { return false }
            return body.contains { inner in
                switch inner {
                case .capture, .backreference: return true
                default: return false
                }
            }
        }
        // A backreference inside the group it refers to: Onigmo does not always restore a
        // group's end when backtracking out of it, and such a reference sees the stale value.
        let selfReference = parsed.root.contains { node in
            guard case .capture(let group, let body) = node else { return false }
            return body.contains { inner in
                if case .backreference(let groups, _) = inner { return groups.contains(group) }
                return false
            }
        }
        return emptyLoop || selfReference || startsWithAssertedDotStar(parsed.root)
    }

    /// Zero-width assertions, then `.*` or `.+` (greedy): Onigmo's search then tries only line
    /// starts (or only 0 with `m`), assuming `.*` could have started the match earlier, and can
    /// miss a match that exists (Ruby: `" foo" =~ /\b.*foo/` is nil).
    static func startsWithAssertedDotStar(_ root: RegexNode) -> Bool {
        var node = root
        var sawAssertion = false
        while true {
            switch node {
            case .capture(_, let body), .atomic(let body):
                node = body
            case .concat(let items):
                guard let index = items.firstIndex(where: {
                    switch $0 {
                    case .assertion, .look: return false
                    default: return true
                    }
                }) else { return false }
                if index > 0 { sawAssertion = true }
                node = items[index]
            case .repetition(let body, _, -1, let kind) where kind != .lazy:
                guard sawAssertion else { return false }
                switch body {
                case .byteSet(let set): return set.count >= 255
                case .charClass: return true
                default: return false
                }
            default:
                return false
            }
        }
    }

    private static func describe(_ item: ReferenceCase, expected: String, got: String) -> String {
        let input = String(decoding: item.input.prefix(120), as: UTF8.self).debugDescription
        return "/\(item.pattern)/ options \(item.options.rawValue) on \(input) (\(item.input.count) bytes): Ruby \(expected), ours \(got)"
    }
}
