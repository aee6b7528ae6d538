#if canImport(Glibc)
import Glibc
#endif
import CCensusBytes
import CensusPatterns
import Synchronization

/// Linguist's rules compiled once: the full detection strategy, and the checks that keep vendored,
/// documentation and generated files out of the language breakdown.
///
/// Detection follows Linguist 7.22.1's order — modeline, exact file name, shebang, extension, XML
/// header, man-page extension, content heuristics — each narrowing the candidates of the one
/// before; where a choice remains, the documented default of `Data/languages.yml` stands in for
/// Linguist's statistical classifier. All checks read at most the file's first 128 KiB, as
/// Linguist does (heuristics: the first 50 KiB).
public final class LinguistEngine: Sendable {
    /// The engine for the shipped rules, compiled on first use.
    public static let shared = LinguistEngine()

    /// How much of a file Linguist reads for detection and generated checks.
    public static let prefixLimit = 128 * 1024
    /// How much of it the content heuristics read.
    public static let heuristicsLimit = 50 * 1024

    let vendored: PathRuleSet
    let documentation: PathRuleSet
    let generatedPaths: PathRuleSet
    /// The three path rule sets above with one prefilter pass (for ``classify(path:name:data:overrides:basicDetection:)``).
    let pathRules: PathRuleGroup
    /// Referred to without counting (on two threads the reference counting of these shared
    /// rules cost more than most of their checks); `contentRuleObjects` owns them.
    let generatedContent: [Unmanaged<CompiledContentRule>]
    private let contentRuleObjects: [CompiledContentRule]
    /// Compiled on first use: a scan meets only a few of the 93 disambiguations.
    private let compiledDisambiguations: [LazyDisambiguation]
    /// Lower-cased extension → the first disambiguation (in file order) that lists it.
    let disambiguationByExtension: ByteKeyTable<Int>
    /// Extension → generated content rules that apply (exact, then ignoring case), in rule order.
    let contentRulesByExtension: ByteKeyTable<Int>
    let contentRulesByExtensionIgnoringCase: ByteKeyTable<Int>
    /// Content rules that name no extension (path pattern only).
    let contentRulesForAnyExtension: [Int]
    let genericExtensions: ByteKeyTable<LanguageID>
    /// Extension → the generated-by-extension rule (index into ``LinguistRules/generatedExtensions``).
    let generatedExtensions: ByteKeyTable<Int>
    // Compiled on first use, like the data's patterns (most files never need them).
    let emacsModeline: DeferredRegex
    let vimModeline: DeferredRegex
    let manpageName: DeferredRegex
    let pegParser: DeferredRegex
    let postscriptData: DeferredRegex
    let postscriptCreator: [DeferredRegex]
    let xml: LanguageID?
    let roff: LanguageID?
    let roffManpage: LanguageID?
    /// Per language: whether its type counts toward the breakdown, and the language it counts as.
    let countsByType: [Bool]
    let breakdownGroups: [LanguageID]

    /// Compiles every pattern that is otherwise compiled on first use, and names those that do not
    /// compile (empty for the shipped data; tested). Slow: for tests and `census explain`-style checks.
    package func compileProblems() -> [String] {
        var problems = vendored.compileProblems() + documentation.compileProblems() + generatedPaths.compileProblems()
        for regex in [emacsModeline, vimModeline, manpageName, pegParser, postscriptData] + postscriptCreator {
            if case .failure(let error) = regex.compile() { problems.append("\(regex.pattern): \(error)") }
        }
        for rule in contentRuleObjects {
            for regex in [rule.pathPattern].compactMap({ $0 }) + rule.allPatterns {
                if case .failure(let error) = regex.compile() { problems.append("generated.\(rule.name): \(regex.pattern): \(error)") }
            }
        }
        return problems
    }

    public init() {
        // Every pattern is parsed and compiled on first use (most content rules are for extensions
        // a scan may not meet; parsing them all here was a third of the engine's build). One that
        // does not compile never matches; ``compileProblems()`` names them (none in the shipped
        // data; tested).
        func deferred(_ pattern: String) -> DeferredRegex { DeferredRegex(unparsed: pattern, requiredLiterals: []) }
        contentRuleObjects = LinguistRules.generatedContentRules.map { rule in
            CompiledContentRule(rule: rule, compile: deferred)
        }
        generatedContent = contentRuleObjects.map { Unmanaged.passUnretained($0) }
        compiledDisambiguations = LinguistRules.disambiguations.map { LazyDisambiguation($0) }
        var byExtension: [(String, Int)] = []
        for (k, d) in LinguistRules.disambiguations.enumerated() {
            for e in d.extensions { byExtension.append((e.lowercased(), k)) }
        }
        disambiguationByExtension = ByteKeyTable(byExtension, foldsCase: true)
        var exact: [(String, Int)] = []
        var folded: [(String, Int)] = []
        var anyExtension: [Int] = []
        for (k, rule) in LinguistRules.generatedContentRules.enumerated() {
            for e in rule.extensions { exact.append((e, k)) }
            for e in rule.extensionsIgnoringCase { folded.append((e, k)) }
            if rule.extensions.isEmpty && rule.extensionsIgnoringCase.isEmpty { anyExtension.append(k) }
        }
        contentRulesByExtension = ByteKeyTable(exact, foldsCase: false)
        contentRulesByExtensionIgnoringCase = ByteKeyTable(folded, foldsCase: true)
        contentRulesForAnyExtension = anyExtension
        generatedExtensions = ByteKeyTable(
            LinguistRules.generatedExtensions.enumerated().flatMap { k, rule in rule.extensions.map { ($0, k) } }, foldsCase: false)
        genericExtensions = ByteKeyTable(
            LinguistRules.genericExtensions.map { ($0, LanguageID(rawValue: 0)) }, foldsCase: true)
        // The modeline patterns of Linguist's strategy/modeline.rb (facts), in Ruby syntax.
        emacsModeline = deferred(
            #"(?-m)-\*-(?:[ \t]*(?=[^:;\s]+[ \t]*-\*-)|(?:.*?[ \t;]|(?<=-\*-))[ \t]*mode[ \t]*:[ \t]*)([^:;\s]+)(?=[ \t;]|(?<![-*])-\*-).*?-\*-"#)
        vimModeline = deferred(
            #"(?-m)(?:(?:^|[ \t])(?:vi|Vi(?=m))(?:m[<=>]?[0-9]+|m)?|[ \t]ex)(?=:(?=[ \t]*set?[ \t][^\r\n:]+:)|:(?![ \t]*set?[ \t]))(?:(?:[ \t]*:[ \t]*|[ \t])\w*(?:[ \t]*=(?:[^\\\s]|\\.)*)?)*[ \t:](?:filetype|ft|syntax)[ \t]*=(\w+)(?=$|\s|:)"#)
        manpageName = DeferredRegex(
            unparsed: #"(?i)\.(?:[1-9](?![0-9])[a-z_0-9]*|0p|n|man|mdoc)(?:\.in)?$"#, requiredLiterals: [], forShortTexts: true)
        pegParser = deferred(#"^(?:[^/]|/[^*])*/\*(?:[^*]|\*[^/])*Generated by PEG.js"#)
        postscriptData = deferred(#"^\s*(?:currentfile eexec\s+|/sfnts\s+\[\s<)"#)  // Linguist 9.6
        postscriptCreator = [
            #"[0-9]|draw|mpage|ImageMagick|inkscape|MATLAB"#, #"PCBNEW|pnmtops|\(Unknown\)|Serif Affinity|Filterimage -tops"#,
        ].map(deferred)
        // The table may be being built by another thread (``EngineWarmUp``): wait asleep.
        EngineWarmUp.waitForTables()
        xml = LanguageTable.id(named: "XML")
        roff = LanguageTable.id(named: "Roff")
        roffManpage = LanguageTable.id(named: "Roff Manpage")
        // Field by field through the table's buffer: mapping over the languages copied each one
        // (a dozen references counted up and down, 829 times, on the path the first file waits for).
        (countsByType, breakdownGroups) = LanguageTable.all.withUnsafeBufferPointer { languages in
            var types: [Bool] = []
            var groups: [LanguageID] = []
            types.reserveCapacity(languages.count)
            groups.reserveCapacity(languages.count)
            for index in languages.indices {
                types.append(Self.breakdownType(languages[index].type))
                if let group = languages[index].group, let id = LanguageTable.id(named: group) {
                    groups.append(id)
                } else {
                    groups.append(languages[index].id)
                }
            }
            return (types, groups)
        }
        // Last: another thread may be building them (``EngineWarmUp``).
        EngineWarmUp.waitForPathRules()
        let paths = PathRules.shared
        vendored = paths.vendored
        documentation = paths.documentation
        generatedPaths = paths.generatedPaths
        pathRules = paths.group
    }

    // MARK: - Exclusions

    /// The category Linguist's path rules alone give `path` (vendored, documentation, generated by
    /// path or extension, or own), with one prefilter pass for the three rule sets; for callers
    /// without the file's content, such as history walks.
    public func pathCategory(_ path: UnsafeRawBufferPointer) -> FileCategory {
        pathRules.firstMatches(path) { m in
            if m[0] >= 0 { return .vendored }
            if m[1] >= 0 { return .documentation }
            let empty = UnsafeRawBufferPointer(start: nil, count: 0)
            return generatedRule(path: path, data: empty, pathRule: m[2] >= 0 ? m[2] : nil) != nil ? .generated : .own
        }
    }

    /// The vendor.yml pattern `path` matches (index into ``LinguistRules/vendoredPatterns``), or `nil`.
    public func vendoredRule(_ path: UnsafeRawBufferPointer) -> Int? { pathRules.firstMatches(path) { $0[0] >= 0 ? $0[0] : nil } }

    /// The documentation.yml pattern `path` matches, or `nil`.
    public func documentationRule(_ path: UnsafeRawBufferPointer) -> Int? { pathRules.firstMatches(path) { $0[1] >= 0 ? $0[1] : nil } }

    /// The name of the generated-file rule that applies, or `nil`.
    ///
    /// - Parameters:
    ///   - path: the path relative to the repository top.
    ///   - data: the file's first bytes (at most ``prefixLimit`` are read).
    public func generatedRule(path: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer) -> String? {
        generatedRule(path: path, data: data, pathRule: pathRules.firstMatches(path) { $0[2] >= 0 ? $0[2] : nil })
    }

    /// ``generatedRule(path:data:)`` with the path pattern that matches already known.
    func generatedRule(path: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer, pathRule: Int?) -> String? {
        if let k = pathRule { return LinguistRules.generatedPathPatterns[k].name }
        let ext = Self.rubyExtname(path)
        if !ext.isEmpty, let k = generatedExtensions.range(ext.bindMemory(to: UInt8.self)).first {
            return LinguistRules.generatedExtensions[generatedExtensions.value(at: k)].name
        }
        let prefix = UnsafeRawBufferPointer(rebasing: data[..<min(data.count, Self.prefixLimit)])
        var lines = LinesView(prefix)
        let extBytes = ext.bindMemory(to: UInt8.self)
        let exact = contentRulesByExtension.range(extBytes)
        let folded = contentRulesByExtensionIgnoringCase.range(extBytes)
        // The three lists are each in rule order; merged so that `census explain` names the
        // first rule that holds, in file order. (Indexing, not binding the rule to a local: on
        // two threads the reference counting of shared rules costs more than the checks.)
        var (e, f, a) = (exact.lowerBound, folded.lowerBound, 0)
        while true {
            let nextExact = e < exact.upperBound ? contentRulesByExtension.value(at: e) : Int.max
            let nextFolded = f < folded.upperBound ? contentRulesByExtensionIgnoringCase.value(at: f) : Int.max
            let nextAny = a < contentRulesForAnyExtension.count ? contentRulesForAnyExtension[a] : Int.max
            let next = min(nextExact, nextFolded, nextAny)
            if next == Int.max { break }
            if nextExact == next { e += 1 }
            if nextFolded == next { f += 1 }
            if nextAny == next { a += 1 }
            let byExtension = nextExact == next || nextFolded == next
            let holds = generatedContent[next]._withUnsafeGuaranteedRef { rule in
                rule.applies(path: path, extension: ext, extensionMatched: byExtension) && rule.holds(&lines)
            }
            if holds { return generatedContent[next]._withUnsafeGuaranteedRef { $0.name } }
        }
        return computedGenerated(ext: ext, lines: &lines, data: prefix)
    }

    /// `File.extname` of the path's last component: from its last `.` (not a leading one).
    static func rubyExtname(_ path: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var nameStart = path.count
        while nameStart > 0 && path[nameStart - 1] != UInt8(ascii: "/") { nameStart -= 1 }
        var dot = path.count - 1
        while dot > nameStart && path[dot] != UInt8(ascii: ".") { dot -= 1 }
        // A name that is only a leading dot and a word (".bashrc") has no extension.
        guard dot > nameStart, dot >= 0, path[dot] == UInt8(ascii: ".") else {
            return UnsafeRawBufferPointer(rebasing: path[path.count...])
        }
        return UnsafeRawBufferPointer(rebasing: path[dot...])
    }

    static func equal(_ bytes: UnsafeRawBufferPointer, _ text: String, ignoringCase: Bool) -> Bool {
        equal(bytes, text.utf8, ignoringCase: ignoringCase)
    }

    static func equal<Other: Collection<UInt8>>(_ bytes: UnsafeRawBufferPointer, _ other: Other, ignoringCase: Bool) -> Bool {
        guard bytes.count == other.count else { return false }
        for (a, b) in zip(bytes, other) {
            if ignoringCase ? ByteKeyLayout.lower(a) != ByteKeyLayout.lower(b) : a != b { return false }
        }
        return true
    }

    // MARK: - Detection

    /// Detects a file's language with Linguist's full strategy.
    ///
    /// - Parameters:
    ///   - name: the file's base name.
    ///   - data: the file's first bytes (at most ``prefixLimit`` are read).
    /// - Returns: the detection, or `nil` when no strategy knows the file.
    /// Whether `name` can match ``manpageName`` at all: that pattern needs a `.` followed by a
    /// digit 1-9, `0` (of `0p`), `n` or `m` (of `man`, `mdoc`), in either case. Most names the
    /// check meets (`LICENSE`, `VERSION`, `.gitignore`) have none, and need not compile it.
    static func mayBeManpageName(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        guard name.count >= 2 else { return false }
        for k in 0 ..< name.count - 1 where name[k] == UInt8(ascii: ".") {
            let next = name[k + 1] | 0x20
            if (name[k + 1] >= UInt8(ascii: "0") && name[k + 1] <= UInt8(ascii: "9")) || next == UInt8(ascii: "n")
                || next == UInt8(ascii: "m")
            {
                return true
            }
        }
        return false
    }

    public func detect(name: UnsafeBufferPointer<UInt8>, data: UnsafeRawBufferPointer) -> LanguageDetection? {
        let prefix = UnsafeRawBufferPointer(rebasing: data[..<min(data.count, Self.prefixLimit)])
        if let language = modeline(prefix) {
            return LanguageDetection(language: language, strategy: .modeline)
        }
        var result = LanguageDetector().narrow(fileName: name, prefix: prefix, skipGenericExtensions: genericExtensions)
        if case .decided(let detection) = result { return detection }
        guard case .undecided(var candidates, var narrowedBy, let extensionStart, let interpreter) = result else { return nil }

        if candidates.isEmpty, let xml, Self.hasXMLHeader(prefix) {
            return LanguageDetection(language: xml, strategy: .xml)
        }
        if candidates.isEmpty, let roff, let roffManpage, Self.mayBeManpageName(name),
            manpageName.matches(UnsafeRawBufferPointer(name))
        {
            candidates = [roffManpage, roff]
            narrowedBy = .manpage
        }
        // Heuristics: the first disambiguation for the name's ending decides, whatever the candidates.
        if let k = disambiguation(for: name) {
            let sample = UnsafeRawBufferPointer(rebasing: prefix[..<min(prefix.count, Self.heuristicsLimit)])
            switch compiledDisambiguations[k].decide(sample) {
            case .one(let language):
                return LanguageDetection(language: language, strategy: .heuristics, candidates: candidates)
            case .several(let languages):
                candidates = languages
                narrowedBy = .heuristics
            case .none:
                break
            }
        }
        result = .undecided(candidates: candidates, narrowedBy: narrowedBy, extensionStart: extensionStart, interpreter: interpreter)
        return LanguageDetector().choose(result, fileName: name)
    }

    /// Every disambiguation compiled (tests check that all patterns compile).
    package var disambiguations: [CompiledDisambiguation] { compiledDisambiguations.map(\.compiled) }

    /// The first disambiguation whose extension the lower-cased name ends with (Linguist's
    /// `matches?`): a table lookup per `.` in the name instead of trying all 93.
    func disambiguation(for name: UnsafeBufferPointer<UInt8>) -> Int? {
        var best: Int? = nil
        var i = 0
        while i < name.count {
            if name[i] == UInt8(ascii: ".") {
                for r in disambiguationByExtension.range(UnsafeBufferPointer(rebasing: name[i...])) {
                    let k = disambiguationByExtension.value(at: r)
                    best = min(best ?? k, k)
                }
            }
            i += 1
        }
        return best
    }

    /// Linguist's modeline strategy: a Vim or Emacs modeline in the first or last five lines.
    ///
    /// - Complexity: a byte scan of those lines; the patterns run only when one holds `-*-`,
    ///   `filetype`, `syntax` or `ft=` (allocates only then).
    package func modeline(_ data: UnsafeRawBufferPointer) -> LanguageID? {
        guard !data.isEmpty else { return nil }
        // A cheap gate first: the markers in regions that hold the first and last five lines
        // whatever Linguist's line counting does (up to the tenth line-end byte, since a line
        // end is at most two; from the seventh-last one, since its walk back visits at most
        // six). Most files have no marker there, and their exact lines are never computed.
        let (gateHeadEmacs, gateHeadVim) = Self.modelineMarkers(UnsafeRawBufferPointer(rebasing: data[..<Self.afterLineEndBytes(data, 10)]))
        let (gateFootEmacs, gateFootVim) = Self.modelineMarkers(UnsafeRawBufferPointer(rebasing: data[Self.lineEndByteFromEnd(data, 7)...]))
        guard gateHeadEmacs || gateHeadVim || gateFootEmacs || gateFootVim else { return nil }
        return modelineExact(data)
    }

    /// The modeline strategy without the gate (tests check that the gate changes no answer).
    package func modelineExact(_ data: UnsafeRawBufferPointer) -> LanguageID? {
        guard !data.isEmpty else { return nil }
        let headerEnd = Self.firstLinesEnd(data, lines: 5)
        let (footerStart, dropLastLine) = Self.lastLinesStart(data, lines: 5)
        let header = UnsafeRawBufferPointer(rebasing: data[..<headerEnd])
        let footer = UnsafeRawBufferPointer(rebasing: data[footerStart...])
        // One pass over each part finds the markers both kinds need: `-*-` for Emacs; `vi:`,
        // `vim…`, `Vim…` or ` ex:` for Vim (which also sets `filetype=`, `ft=` or `syntax=`, so
        // needs a `=`). Most files have none, and end here.
        let (headerEmacs, headerVim) = Self.modelineMarkers(header)
        let (footerEmacs, footerVim) = Self.modelineMarkers(footer)
        let emacs = headerEmacs || footerEmacs
        let assigns = Self.contains(header, byte: UInt8(ascii: "=")) || Self.contains(footer, byte: UInt8(ascii: "="))
        func vimOption(_ t: UnsafeRawBufferPointer) -> Bool {
            Self.find(t, "filetype") || Self.find(t, "syntax") || Self.hasFtAssignment(t)
        }
        let vim = (headerVim || footerVim) && assigns && (vimOption(header) || vimOption(footer))
        guard emacs || vim else { return nil }
        // Linguist: `header = first_lines(5).join("\n")`, `footer = last_lines(5).join("\n")`,
        // then the patterns run on `header + footer`.
        let headerText = Self.joinedLines(header, dropLast: false)
        if Self.contains(headerText, "UseVimball") { return nil }
        let text = headerText + Self.joinedLines(footer, dropLast: dropLastLine)
        return text.withUnsafeBytes { joined -> LanguageID? in
            for deferred in [emacs ? emacsModeline : nil, vim ? vimModeline : nil].compactMap({ $0 }) {
                guard case .success(let regex) = deferred.compile(), regex.matches(joined) else { continue }
                if let groups = regex.captures(in: joined), groups.count > 1, let captured = groups[1] {
                    let alias = String(decoding: UnsafeRawBufferPointer(rebasing: joined[captured]), as: UTF8.self)
                    return LanguageTable.named(alias)?.id
                }
            }
            return nil
        }
    }

    /// Whether `text` holds `-*-` (an Emacs modeline's delimiter), and whether it holds a place
    /// where a Vim modeline can start: `vi`, `vim`, `Vim` (optionally with a version such as
    /// `vim600` or `vim<700`) or ` ex`, right before a `:`. Both searches go from `memchr` hit to
    /// hit (`-` and `:`), which most lines do not have at all.
    static func modelineMarkers(_ text: UnsafeRawBufferPointer) -> (emacs: Bool, vim: Bool) {
        guard text.count >= 3, let base = text.baseAddress else { return (false, false) }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        let count = text.count
        var emacs = false
        var offset = 0
        while offset < count - 2, let hit = memchr(base + offset, Int32(UInt8(ascii: "-")), count - 2 - offset) {
            let i = UnsafeRawPointer(hit) - base
            if bytes[i + 1] == UInt8(ascii: "*") && bytes[i + 2] == UInt8(ascii: "-") {
                emacs = true
                break
            }
            offset = i + 1
        }
        var vim = false
        offset = 2
        while offset < count, let hit = memchr(base + offset, Int32(UInt8(ascii: ":")), count - offset) {
            let colon = UnsafeRawPointer(hit) - base
            offset = colon + 1
            // Back over a version (`600`, `<700`), then up to two `m`s (`vim`, `vimm`): a superset
            // of Linguist's `(?:vi|Vi(?=m))(?:m(?:[<=>]?[0-9]+|m)?)?`; its pattern decides later.
            var j = colon - 1
            while j >= 0 && ((bytes[j] >= 0x30 && bytes[j] <= 0x39) || bytes[j] == 0x3C || bytes[j] == 0x3D || bytes[j] == 0x3E) {
                j -= 1
            }
            var ms = 0
            while j >= 0 && ms < 2 && bytes[j] == UInt8(ascii: "m") {
                j -= 1
                ms += 1
            }
            guard j >= 1 else { continue }
            if bytes[j] == UInt8(ascii: "i") && (bytes[j - 1] == UInt8(ascii: "v") || bytes[j - 1] == UInt8(ascii: "V")) {
                vim = true
                break
            }
            if bytes[j] == UInt8(ascii: "x") && bytes[j - 1] == UInt8(ascii: "e") && j >= 2 && (bytes[j - 2] == 0x20 || bytes[j - 2] == 0x09) {
                vim = true
                break
            }
        }
        return (emacs, vim)
    }

    /// Bits of the 64 bytes from `block` (fewer at the end) that are `\n` or `\r`.
    @inline(__always)
    static func lineEndMask(_ base: UnsafePointer<UInt8>, _ block: Int, _ count: Int) -> UInt64 {
        if count - block >= 64 { return census_byte_mask64(base + block, 0x0A) | census_byte_mask64(base + block, 0x0D) }
        var mask: UInt64 = 0
        for k in 0..<(count - block) where base[block + k] == 0x0A || base[block + k] == 0x0D { mask |= 1 << UInt64(k) }
        return mask
    }

    /// Just after the `n`-th `\n` or `\r` byte, or after the last one when there are fewer (0 when none).
    package static func afterLineEndBytes(_ data: UnsafeRawBufferPointer, _ n: Int) -> Int {
        guard let base = data.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return 0 }
        var remaining = n
        var last = 0
        var block = 0
        while block < data.count {
            var mask = lineEndMask(base, block, data.count)
            let found = mask.nonzeroBitCount
            if found < remaining {
                if mask != 0 { last = block + 64 - mask.leadingZeroBitCount }
                remaining -= found
                block += 64
                continue
            }
            for _ in 1..<remaining { mask &= mask - 1 }
            return block + mask.trailingZeroBitCount + 1
        }
        return last
    }

    /// The position of the `n`-th `\n` or `\r` byte from the end, or 0 when there are fewer.
    package static func lineEndByteFromEnd(_ data: UnsafeRawBufferPointer, _ n: Int) -> Int {
        guard let base = data.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return 0 }
        var remaining = n
        var end = data.count  // the blocks end here, going back
        while end > 0 {
            let block = max(end - 64, 0)
            // Only the bytes before `end`: the 64 bytes from `block` may run past it.
            var mask = lineEndMask(base, block, end)
            let found = mask.nonzeroBitCount
            if found < remaining {
                remaining -= found
                end = block
                continue
            }
            for _ in 1..<remaining { mask &= ~(UInt64(1) << UInt64(63 - mask.leadingZeroBitCount)) }
            return block + 63 - mask.leadingZeroBitCount
        }
        return 0
    }

    /// True when one of the 8 bytes is `\n` or `\r`.
    @inline(__always)
    static func wordHasLineEnd(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let a = word ^ (ones &* 0x0A)
        let b = word ^ (ones &* 0x0D)
        return ((a &- ones) & ~a & highs) | ((b &- ones) & ~b & highs) != 0
    }

    /// The length of the line end at `j` (`\r\n` is 2), which holds `\r` or `\n`.
    @inline(__always)
    static func lineEndLength(_ data: UnsafeRawBufferPointer, _ j: Int) -> Int {
        data[j] == 0x0D && j + 1 < data.count && data[j + 1] == 0x0A ? 2 : 1
    }

    /// Where Linguist's `first_lines(n)` ends: just after the n-th line end (`\r\n`, `\r` or
    /// `\n`), or after the last one when there are fewer (0 when there is none).
    static func firstLinesEnd(_ data: UnsafeRawBufferPointer, lines n: Int) -> Int {
        var end = 0
        var seen = 0
        var i = 0
        while seen < n, i < data.count {
            if i + 8 <= data.count, !wordHasLineEnd(data.loadUnaligned(fromByteOffset: i, as: UInt64.self)) {
                i += 8
                continue
            }
            if data[i] == 0x0A || data[i] == 0x0D {
                i += lineEndLength(data, i)
                end = i
                seen += 1
            } else {
                i += 1
            }
        }
        return end
    }

    /// Where Linguist's `last_lines(n)` starts, and whether it drops the last piece of what
    /// follows (the empty one after a final line end). A faithful copy of its steps: it walks
    /// back with `rindex` one line end at a time, where `\r\n` counts twice (first its `\n`,
    /// then the `\r\n` that starts one byte earlier), and a final line end adds one line to the
    /// count; at position 0, `rindex`'s negative start wraps to the end of the text.
    static func lastLinesStart(_ data: UnsafeRawBufferPointer, lines: Int) -> (start: Int, dropLast: Bool) {
        let count = data.count
        var n = lines
        var i = count
        var k = count
        var seen = 0
        var endsWithLineEnd = false
        while seen < n {
            var position = i - 1
            if position < 0 { position += count }
            guard position >= 0, let j = lastLineEnd(data, atOrBefore: position) else { break }
            let length = lineEndLength(data, j)
            if seen == 0, j + length == i {
                endsWithLineEnd = true
                n += 1
            }
            i = j
            k = j + length
            seen += 1
        }
        return (k, endsWithLineEnd)
    }

    /// The last `\r` or `\n` at or before `position`.
    static func lastLineEnd(_ data: UnsafeRawBufferPointer, atOrBefore position: Int) -> Int? {
        var j = position
        while j >= 0 {
            if j >= 7, !wordHasLineEnd(data.loadUnaligned(fromByteOffset: j - 7, as: UInt64.self)) {
                j -= 8
                continue
            }
            if data[j] == 0x0A || data[j] == 0x0D { return j }
            j -= 1
        }
        return nil
    }

    /// Ruby's `text.split(newlines, -1)`, without its last piece when asked, joined with `\n`:
    /// every line end becomes `\n`.
    static func joinedLines(_ text: UnsafeRawBufferPointer, dropLast: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var i = 0
        var lastBreak = -1  // where in `out` the last line end went
        while i < text.count {
            let b = text[i]
            if b == 0x0A || b == 0x0D {
                lastBreak = out.count
                out.append(0x0A)
                i += lineEndLength(text, i)
            } else {
                out.append(b)
                i += 1
            }
        }
        if dropLast {
            // The last piece is what follows the last line end (all of the text if none).
            out.removeSubrange(max(lastBreak, 0)...)
        }
        return out
    }

    static func contains(_ text: UnsafeRawBufferPointer, byte: UInt8) -> Bool {
        guard let base = text.baseAddress, !text.isEmpty else { return false }
        return memchr(base, Int32(byte), text.count) != nil
    }

    static func find(_ haystack: UnsafeRawBufferPointer, _ needle: StaticString) -> Bool {
        let n = needle.utf8CodeUnitCount
        guard n > 0, haystack.count >= n, let base = haystack.baseAddress else { return false }
        let first = Int32(needle.utf8Start[0])
        var offset = 0
        while offset <= haystack.count - n, let hit = memchr(base + offset, first, haystack.count - n + 1 - offset) {
            let at = UnsafeRawPointer(hit) - base
            if memcmp(base + at, needle.utf8Start, n) == 0 { return true }
            offset = at + 1
        }
        return false
    }

    /// `ft` followed by blanks and `=` (Vim's short option name).
    static func hasFtAssignment(_ text: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        while i + 2 < text.count {
            if text[i] == UInt8(ascii: "f") && text[i + 1] == UInt8(ascii: "t") {
                var j = i + 2
                while j < text.count && (text[j] == 0x20 || text[j] == 0x09) { j += 1 }
                if j < text.count && text[j] == UInt8(ascii: "=") { return true }
            }
            i += 1
        }
        return false
    }

    static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard haystack.count >= n.count else { return false }
        for i in 0 ... (haystack.count - n.count) where haystack[i] == n[0] && Array(haystack[i ..< i + n.count]) == n {
            return true
        }
        return false
    }

    /// Linguist's XML strategy: its Ruby pattern `/<?xml version=/` makes the `<` optional, so
    /// `xml version=` anywhere in the first two lines suffices.
    static func hasXMLHeader(_ data: UnsafeRawBufferPointer) -> Bool {
        find(UnsafeRawBufferPointer(rebasing: data[..<firstLinesEnd(data, lines: 2)]), "xml version=")
    }
}

/// A disambiguation compiled when it is first needed, once, by whichever thread needs it first.
///
/// Double-checked: readers take an acquire load of `ready` and never lock once it is set; the lock
/// only orders the first compilation.
final class LazyDisambiguation: @unchecked Sendable {
    let source: Disambiguation
    private let ready = Atomic<Bool>(false)
    private let lock = Mutex<Void>(())
    /// Written once under `lock` before `ready` is released; read only after `ready` is acquired.
    private nonisolated(unsafe) var value: CompiledDisambiguation?
    /// `value`, to use without reference counting (set with it; `value` keeps it alive).
    private nonisolated(unsafe) var unowned: Unmanaged<CompiledDisambiguation>?

    init(_ source: Disambiguation) { self.source = source }

    /// ``CompiledDisambiguation/decide(_:)``, compiling first if needed; once compiled, without
    /// taking a reference (whose counting, shared by all threads, is measurable on every `.h`).
    func decide(_ data: UnsafeRawBufferPointer) -> CompiledDisambiguation.Decision {
        if ready.load(ordering: .acquiring), let unowned { return unowned._withUnsafeGuaranteedRef { $0.decide(data) } }
        return compiled.decide(data)
    }

    var compiled: CompiledDisambiguation {
        if ready.load(ordering: .acquiring), let value { return value }
        return lock.withLock { _ in
            if let value { return value }
            let d = CompiledDisambiguation(source) { try? ByteRegex($0) }
            value = d
            unowned = Unmanaged.passUnretained(d)
            ready.store(true, ordering: .releasing)
            return d
        }
    }
}

/// Linguist's path rules and their one prefilter, built once for every engine.
struct PathRules: Sendable {
    static let shared = PathRules()

    let vendored: PathRuleSet
    let documentation: PathRuleSet
    let generatedPaths: PathRuleSet
    let group: PathRuleGroup

    init() {
        vendored = PathRuleSet(LinguistRules.vendoredPatterns, literals: LinguistRules.vendoredLiterals)
        documentation = PathRuleSet(LinguistRules.documentationPatterns, literals: LinguistRules.documentationLiterals)
        generatedPaths = PathRuleSet(
            LinguistRules.generatedPathPatterns.map(\.pattern), literals: LinguistRules.generatedPathLiterals)
        group = PathRuleGroup([vendored, documentation, generatedPaths])
    }
}
