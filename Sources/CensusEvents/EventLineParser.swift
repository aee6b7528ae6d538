/// Where one line's value lies: a byte range of the line, or absent.
///
/// A string's range excludes its quotes; `escaped` says it holds backslash escapes, which are
/// decoded only when the value is copied out (``EventBatch``), so most fields are never copied.
public struct LineSpan: Sendable, Equatable {
    public var start: Int
    /// -1 when absent (missing, `null`, or of another JSON type than expected).
    public var count: Int
    public var escaped: Bool

    public static let absent = LineSpan(start: 0, count: -1, escaped: false)

    public var isPresent: Bool { count >= 0 }
}

/// Why a line is not an event census can keep. The column is the byte offset in the line (from 1).
public struct MalformedLine: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: String, Sendable {
        case notJSON = "not JSON"
        case notObject = "JSON but not an object"
        case unterminatedString = "a string is not closed"
        case badEscape = "a bad escape in a string"
        case controlCharacter = "a raw control character in a string"
        case badNumber = "a malformed number"
        case badLiteral = "a malformed true, false or null"
        case expectedColon = "expected ':' after a key"
        case expectedCommaOrEnd = "expected ',' or the end of an object or array"
        case expectedKey = "expected a quoted key"
        case tooDeep = "nested deeper than 512 levels"
        case trailingText = "text after the event's object"
        case tooLong = "longer than the longest line census reads"
        case missingType = "no \"type\" string"
        case missingCreatedAt = "no \"created_at\" string"
        case badCreatedAt = "\"created_at\" is not a time census reads"
    }

    public var reason: Reason
    /// 1-based byte offset in the line where the problem was found.
    public var column: Int

    public init(_ reason: Reason, column: Int) {
        self.reason = reason
        self.column = column
    }

    public var description: String { "\(reason.rawValue) (column \(column))" }
}

/// The fields census keeps of one event, as found on its line: ranges into the line's bytes plus
/// the few numbers (docs/events.md, "Fields kept").
///
/// Both shapes of GH Archive fill it: the Events API shape (`id`, `repo.name`, `actor.login`, UTC
/// times, language only at `payload.pull_request.base.repo.language`) and the Timeline shape of
/// 2012-2014 (`repository.owner`/`.name`/`.language`, `actor` a string or null,
/// `actor_attributes.company`/`.location`, `-08:00` times, a `url` and no id).
public struct ParsedEvent: Sendable {
    /// `id`, when it is a string of digits or an integer.
    public var id: Int64?
    public var type: LineSpan = .absent
    /// `created_at` as seconds since 1970 (UTC).
    public var createdAt: Int64 = 0
    public var createdAtText: LineSpan = .absent
    /// `actor.login` or the Timeline's `actor` string.
    public var actor: LineSpan = .absent
    /// Events API: `repo.name` (`owner/name`).
    public var repoFullName: LineSpan = .absent
    /// Timeline: `repository.owner` and `repository.name`.
    public var repoOwner: LineSpan = .absent
    public var repoName: LineSpan = .absent
    /// `repo.id` or `repository.id`.
    public var repoID: Int64?
    /// Timeline: `repository.language`.
    public var repositoryLanguage: LineSpan = .absent
    /// `payload.pull_request.base.repo.language`.
    public var pullRequestLanguage: LineSpan = .absent
    /// Timeline: `actor_attributes.company` and `.location`.
    public var company: LineSpan = .absent
    public var location: LineSpan = .absent
    /// `payload.action`.
    public var action: LineSpan = .absent
    /// `payload.ref_type`, or the 2011 form `payload.object`.
    public var refType: LineSpan = .absent
    /// `payload.pull_request.merged`: 1, 0, or -1 when absent (2011 and the trimmed payloads of
    /// October 2025 on do not say).
    public var merged: Int8 = -1
    /// The Timeline's `url` (part of its dedupe key).
    public var url: LineSpan = .absent
    /// Whether the line had Timeline fields (`repository`, `actor_attributes`, or `actor` as a
    /// string or null).
    public var isTimeline = false

    public init() {}
}

/// Reads one line of GH Archive JSON in a single pass over its bytes: the top-level object's
/// members are walked, the fields census keeps are located (``ParsedEvent``), and every other
/// value is skipped while being checked against JSON's grammar, so a damaged line is refused
/// rather than half read.
///
/// No allocation, no Foundation: the line is read in place.
///
/// - Complexity: O(n) in the line's length; nesting is limited to 512 levels.
public struct EventLineParser {
    public init() {}

    /// The event on `line` (without its line feed), nil for a blank line.
    ///
    /// - Throws: ``MalformedLine`` for a line that is not one JSON object with a `type` and a
    ///   readable `created_at`.
    public func parse(_ line: UnsafeRawBufferPointer) throws(MalformedLine) -> ParsedEvent? {
        guard let base = line.baseAddress, line.count > 0 else { return nil }
        var scanner = JSONScanner(base: base.assumingMemoryBound(to: UInt8.self), count: line.count)
        scanner.skipSpace()
        if scanner.atEnd { return nil }
        guard scanner.peek == UInt8(ascii: "{") else {
            // A valid JSON value that is not an object, or not JSON at all.
            let start = scanner.position
            let isValue: Bool
            do throws(MalformedLine) {
                try scanner.skipValue()
                scanner.skipSpace()
                isValue = scanner.atEnd
            } catch {
                isValue = false
            }
            throw MalformedLine(isValue ? .notObject : .notJSON, column: start + 1)
        }
        var event = ParsedEvent()
        try scanner.readEvent(&event)
        scanner.skipSpace()
        if !scanner.atEnd { throw MalformedLine(.trailingText, column: scanner.position + 1) }
        guard event.type.isPresent, event.type.count > 0 else { throw MalformedLine(.missingType, column: 1) }
        guard event.createdAtText.isPresent else { throw MalformedLine(.missingCreatedAt, column: 1) }
        guard let seconds = EventTime.parse(scanner.base + event.createdAtText.start, count: event.createdAtText.count)
        else { throw MalformedLine(.badCreatedAt, column: event.createdAtText.start + 1) }
        event.createdAt = seconds
        return event
    }
}

/// The cursor over one line.
struct JSONScanner {
    let base: UnsafePointer<UInt8>
    let count: Int
    var position = 0
    var depth = 0

    static let maximumDepth = 512

    init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    var atEnd: Bool { position >= count }
    var peek: UInt8 { base[position] }

    func failure(_ reason: MalformedLine.Reason) -> MalformedLine {
        MalformedLine(reason, column: min(position, count) + 1)
    }

    @inline(__always)
    mutating func skipSpace() {
        while position < count {
            let byte = base[position]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                position += 1
            } else {
                return
            }
        }
    }

    // MARK: - Values

    /// A string at the cursor (which is at its opening quote): its range without the quotes.
    @inline(__always)
    mutating func string() throws(MalformedLine) -> LineSpan {
        position += 1
        let start = position
        var escaped = false
        // Eight bytes at a time while none of them is a quote, a backslash or a control byte.
        while position + 8 <= count {
            let word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
            if !Self.mayEndString(word) {
                position += 8
                continue
            }
            break
        }
        while true {
            guard position < count else { throw failure(.unterminatedString) }
            let byte = base[position]
            if byte == 0x22 {
                let span = LineSpan(start: start, count: position - start, escaped: escaped)
                position += 1
                return span
            }
            if byte == 0x5C {
                escaped = true
                try skipEscape()
                continue
            }
            if byte < 0x20 { throw failure(.controlCharacter) }
            position += 1
            // Back to eight at a time after an ordinary byte.
            while position + 8 <= count {
                let word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
                if Self.mayEndString(word) { break }
                position += 8
            }
        }
    }

    /// Whether any byte of the word is `"`, `\` or below 0x20.
    @inline(__always)
    static func mayEndString(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let hasQuote = (quote &- ones) & ~quote & highs
        let hasBackslash = (backslash &- ones) & ~backslash & highs
        let hasControl = (word &- ones &* 0x20) & ~word & highs
        return (hasQuote | hasBackslash | hasControl) != 0
    }

    /// The escape at the cursor (at its backslash).
    mutating func skipEscape() throws(MalformedLine) {
        position += 1
        guard position < count else { throw failure(.unterminatedString) }
        switch base[position] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            position += 1
        case UInt8(ascii: "u"):
            guard position + 4 < count else { throw failure(.badEscape) }
            for offset in 1...4 where JSONText.hexValue(base[position + offset]) == nil {
                throw failure(.badEscape)
            }
            position += 5
        default:
            throw failure(.badEscape)
        }
    }

    /// A number at the cursor, checked against JSON's grammar; its integer value when it is an
    /// integer that fits.
    @discardableResult
    mutating func number() throws(MalformedLine) -> Int64? {
        var negative = false
        if base[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        guard position < count, JSONText.isDigit(base[position]) else { throw failure(.badNumber) }
        var value: Int64 = 0
        var fits = true
        if base[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            while position < count, JSONText.isDigit(base[position]) {
                let (times, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times.addingReportingOverflow(Int64(base[position] &- 0x30))
                if o1 || o2 { fits = false }
                value = sum
                position += 1
            }
        }
        var integral = true
        if position < count, base[position] == UInt8(ascii: ".") {
            integral = false
            position += 1
            guard position < count, JSONText.isDigit(base[position]) else { throw failure(.badNumber) }
            while position < count, JSONText.isDigit(base[position]) { position += 1 }
        }
        if position < count, base[position] | 0x20 == UInt8(ascii: "e") {
            integral = false
            position += 1
            if position < count, base[position] == UInt8(ascii: "+") || base[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < count, JSONText.isDigit(base[position]) else { throw failure(.badNumber) }
            while position < count, JSONText.isDigit(base[position]) { position += 1 }
        }
        guard integral, fits else { return nil }
        return negative ? -value : value
    }

    /// `true`, `false` or `null` at the cursor: 1, 0, or -1 for null.
    @discardableResult
    mutating func literal() throws(MalformedLine) -> Int8 {
        func matches(_ text: StaticString) -> Bool {
            let length = text.utf8CodeUnitCount
            guard position + length <= count else { return false }
            let bytes = text.utf8Start
            for offset in 0..<length where base[position + offset] != bytes[offset] { return false }
            return true
        }
        switch base[position] {
        case UInt8(ascii: "t") where matches("true"):
            position += 4
            return 1
        case UInt8(ascii: "f") where matches("false"):
            position += 5
            return 0
        case UInt8(ascii: "n") where matches("null"):
            position += 4
            return -1
        default:
            throw failure(.badLiteral)
        }
    }

    /// Skips any value at the cursor. Scalars are checked against JSON's grammar; objects and
    /// arrays census does not read are skipped by ``skipContainer()``, which checks their strings
    /// and the nesting of their brackets only.
    mutating func skipValue() throws(MalformedLine) {
        guard position < count else { throw failure(.notJSON) }
        switch base[position] {
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "{"), UInt8(ascii: "["): try skipContainer()
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"): try literal()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
        default: throw failure(.notJSON)
        }
    }

    /// Skips an object or array at the cursor: strings are found eight bytes at a time and their
    /// escapes checked, brackets must nest and match (an object closed by `]` is refused; checked
    /// to 64 levels, counted to 512), and a
    /// line that ends inside is refused; the text between strings and brackets (numbers, literals,
    /// commas, colons) is passed over without checking its grammar.
    ///
    /// - Complexity: O(n) in the container's length, about one comparison per byte outside strings
    ///   and one per eight bytes inside them.
    mutating func skipContainer() throws(MalformedLine) {
        // The open brackets, as a bit stack (1 = object); deeper than 64 levels goes on in `depth`.
        var kinds: UInt64 = 0
        let start = depth
        while true {
            guard position < count else { throw failure(.expectedCommaOrEnd) }
            let byte = base[position]
            switch byte {
            case UInt8(ascii: "\""):
                try skipString()
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                try enter()
                let level = depth - start - 1
                if level < 64 {
                    if byte == UInt8(ascii: "{") { kinds |= 1 << UInt64(level) } else { kinds &= ~(1 << UInt64(level)) }
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                let level = depth - start - 1
                if level < 64 {
                    let isObject = kinds & (1 << UInt64(level)) != 0
                    if isObject != (byte == UInt8(ascii: "}")) { throw failure(.expectedCommaOrEnd) }
                }
                depth -= 1
                position += 1
                if depth == start { return }
                continue
            default:
                break
            }
            position += 1
        }
    }

    /// A string at the cursor, its escapes checked but not its control bytes (a skipped value).
    @inline(__always)
    mutating func skipString() throws(MalformedLine) {
        position += 1
        while true {
            while position + 8 <= count {
                let word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
                let ones: UInt64 = 0x0101_0101_0101_0101
                let highs: UInt64 = 0x8080_8080_8080_8080
                let quote = word ^ (ones &* 0x22)
                let backslash = word ^ (ones &* 0x5C)
                if ((quote &- ones) & ~quote & highs) | ((backslash &- ones) & ~backslash & highs) != 0 { break }
                position += 8
            }
            guard position < count else { throw failure(.unterminatedString) }
            let byte = base[position]
            if byte == 0x22 {
                position += 1
                return
            }
            if byte == 0x5C {
                try skipEscape()
            } else {
                position += 1
            }
        }
    }

    mutating func enter() throws(MalformedLine) {
        depth += 1
        if depth > Self.maximumDepth { throw failure(.tooDeep) }
    }

    /// A key and its colon; the cursor is left at the value.
    @inline(__always)
    mutating func key() throws(MalformedLine) -> LineSpan {
        skipSpace()
        guard position < count, base[position] == UInt8(ascii: "\"") else { throw failure(.expectedKey) }
        let name = try string()
        skipSpace()
        guard position < count, base[position] == UInt8(ascii: ":") else { throw failure(.expectedColon) }
        position += 1
        skipSpace()
        guard position < count else { throw failure(.notJSON) }
        return name
    }

    /// After a member: true at the closing byte (consumed), false after a comma.
    @inline(__always)
    mutating func endOfMember(close: UInt8) throws(MalformedLine) -> Bool {
        skipSpace()
        guard position < count else { throw failure(.expectedCommaOrEnd) }
        let byte = base[position]
        position += 1
        if byte == UInt8(ascii: ",") { return false }
        if byte == close { return true }
        position -= 1
        throw failure(.expectedCommaOrEnd)
    }

    /// Whether the key is exactly `name` (keys census looks for hold no escapes).
    @inline(__always)
    func keyIs(_ key: LineSpan, _ name: StaticString) -> Bool {
        let length = name.utf8CodeUnitCount
        guard key.count == length, !key.escaped else { return false }
        let bytes = name.utf8Start
        for offset in 0..<length where base[key.start + offset] != bytes[offset] { return false }
        return true
    }

    /// A string value, or absent for any other type (skipped).
    @inline(__always)
    mutating func optionalString() throws(MalformedLine) -> LineSpan {
        if base[position] == UInt8(ascii: "\"") { return try string() }
        try skipValue()
        return .absent
    }

    /// An integer value (a number or a string of digits), or nil (skipped).
    mutating func optionalInteger() throws(MalformedLine) -> Int64? {
        let byte = base[position]
        if byte == UInt8(ascii: "-") || JSONText.isDigit(byte) { return try number() }
        if byte == UInt8(ascii: "\"") {
            let span = try string()
            return JSONText.integer(base + span.start, count: span.count)
        }
        try skipValue()
        return nil
    }

    /// Walks an object at the cursor calling `member` for each key with the cursor at the value;
    /// `member` must consume the value. A non-object value is skipped and false returned.
    @inline(__always)
    mutating func object(_ member: (inout JSONScanner, LineSpan) throws(MalformedLine) -> Void) throws(MalformedLine)
        -> Bool
    {
        guard base[position] == UInt8(ascii: "{") else {
            try skipValue()
            return false
        }
        try enter()
        position += 1
        skipSpace()
        if position < count, base[position] == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return true
        }
        while true {
            let name = try key()
            try member(&self, name)
            if try endOfMember(close: UInt8(ascii: "}")) { break }
        }
        depth -= 1
        return true
    }

    // MARK: - The event

    /// The top-level object, at its `{`.
    mutating func readEvent(_ event: inout ParsedEvent) throws(MalformedLine) {
        _ = try object { (s: inout JSONScanner, name: LineSpan) throws(MalformedLine) in
            switch name.count {
            case 2 where s.keyIs(name, "id"):
                event.id = try s.optionalInteger()
            case 4 where s.keyIs(name, "type"):
                event.type = try s.optionalString()
            case 10 where s.keyIs(name, "created_at"):
                event.createdAtText = try s.optionalString()
            case 5 where s.keyIs(name, "actor"):
                switch s.peek {
                case UInt8(ascii: "\""):
                    event.isTimeline = true
                    event.actor = try s.string()
                case UInt8(ascii: "{"):
                    _ = try s.object { (s: inout JSONScanner, name: LineSpan) throws(MalformedLine) in
                        if s.keyIs(name, "login") { event.actor = try s.optionalString() } else { try s.skipValue() }
                    }
                default:
                    if s.peek == UInt8(ascii: "n") { event.isTimeline = true }
                    try s.skipValue()
                }
            case 16 where s.keyIs(name, "actor_attributes"):
                event.isTimeline = true
                _ = try s.object { (s: inout JSONScanner, name: LineSpan) throws(MalformedLine) in
                    if s.keyIs(name, "company") {
                        event.company = try s.optionalString()
                    } else if s.keyIs(name, "location") {
                        event.location = try s.optionalString()
                    } else if s.keyIs(name, "login"), !event.actor.isPresent {
                        event.actor = try s.optionalString()
                    } else {
                        try s.skipValue()
                    }
                }
            case 4 where s.keyIs(name, "repo"):
                _ = try s.object { (s: inout JSONScanner, name: LineSpan) throws(MalformedLine) in
                    if s.keyIs(name, "name") {
                        event.repoFullName = try s.optionalString()
                    } else if s.keyIs(name, "id") {
                        event.repoID = try s.optionalInteger()
                    } else {
                        try s.skipValue()
                    }
                }
            case 10 where s.keyIs(name, "repository"):
                event.isTimeline = true
                _ = try s.object { (s: inout JSONScanner, name: LineSpan) throws(MalformedLine) in
                    if s.keyIs(name, "name") {
                        event.repoName = try s.optionalString()
                    } else if s.keyIs(name, "owner") {
                        event.repoOwner = try s.optionalString()
                    } else if s.keyIs(name, "language") {
                        event.repositoryLanguage = try s.optionalString()
                    } else if s.keyIs(name, "id") {
                        event.repoID = try s.optionalInteger()
                    } else {
                        try s.skipValue()
                    }
                }
            case 7 where s.keyIs(name, "payload"):
                try s.readPayload(&event)
            case 3 where s.keyIs(name, "url"):
                event.url = try s.optionalString()
            default:
                try s.skipValue()
            }
        }
    }

    /// `payload`: the action, the ref type (or 2011's `object`), and a pull request's merge and
    /// base repository language.
    mutating func readPayload(_ event: inout ParsedEvent) throws(MalformedLine) {
        _ = try object { (s: inout JSONScanner, name: LineSpan) throws(MalformedLine) in
            switch name.count {
            case 6 where s.keyIs(name, "action"):
                event.action = try s.optionalString()
            case 8 where s.keyIs(name, "ref_type"):
                event.refType = try s.optionalString()
            case 6 where s.keyIs(name, "object"):
                // 2011: "object": "repository" | "branch" | "tag" in CreateEvent and DeleteEvent.
                let value = try s.optionalString()
                if !event.refType.isPresent { event.refType = value }
            case 12 where s.keyIs(name, "pull_request"):
                _ = try s.object { (s: inout JSONScanner, name: LineSpan) throws(MalformedLine) in
                    if s.keyIs(name, "merged") {
                        let byte = s.peek
                        if byte == UInt8(ascii: "t") || byte == UInt8(ascii: "f") || byte == UInt8(ascii: "n") {
                            let value = try s.literal()
                            if value >= 0 { event.merged = value }
                        } else {
                            try s.skipValue()
                        }
                    } else if s.keyIs(name, "base") {
                        _ = try s.object { (s: inout JSONScanner, name: LineSpan) throws(MalformedLine) in
                            if s.keyIs(name, "repo") {
                                _ = try s.object { (s: inout JSONScanner, name: LineSpan) throws(MalformedLine) in
                                    if s.keyIs(name, "language") {
                                        event.pullRequestLanguage = try s.optionalString()
                                    } else {
                                        try s.skipValue()
                                    }
                                }
                            } else {
                                try s.skipValue()
                            }
                        }
                    } else {
                        try s.skipValue()
                    }
                }
            default:
                try s.skipValue()
            }
        }
    }
}

/// Small byte helpers for JSON text.
enum JSONText {
    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - 0x30)
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - 0x57)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - 0x37)
        default: return nil
        }
    }

    /// The value of 1 to 18 decimal digits, nil for anything else.
    static func integer(_ bytes: UnsafePointer<UInt8>, count: Int) -> Int64? {
        guard count > 0, count <= 18 else { return nil }
        var value: Int64 = 0
        for index in 0..<count {
            let digit = bytes[index] &- 0x30
            guard digit < 10 else { return nil }
            value = value * 10 + Int64(digit)
        }
        return value
    }

    /// Appends a JSON string's content (without quotes) to `out`, decoding its escapes; a lone
    /// surrogate becomes U+FFFD. The content was checked by the scanner.
    static func appendUnescaped(_ bytes: UnsafePointer<UInt8>, count: Int, to out: inout [UInt8]) {
        var index = 0
        while index < count {
            let byte = bytes[index]
            guard byte == 0x5C, index + 1 < count else {
                out.append(byte)
                index += 1
                continue
            }
            let kind = bytes[index + 1]
            index += 2
            switch kind {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard let unit = hex4(bytes + index, count - index) else {
                    out += [0xEF, 0xBF, 0xBD]
                    continue
                }
                index += 4
                var scalar = unit
                if (0xD800..<0xDC00).contains(unit) {
                    if index + 6 <= count, bytes[index] == 0x5C, bytes[index + 1] == UInt8(ascii: "u"),
                        let low = hex4(bytes + index + 2, count - index - 2), (0xDC00..<0xE000).contains(low)
                    {
                        scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    } else {
                        scalar = 0xFFFD
                    }
                } else if (0xDC00..<0xE000).contains(unit) {
                    scalar = 0xFFFD
                }
                appendUTF8(scalar, to: &out)
            default: out.append(kind)  // \" \\ \/
            }
        }
    }

    static func hex4(_ bytes: UnsafePointer<UInt8>, _ available: Int) -> UInt32? {
        guard available >= 4 else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            guard let digit = hexValue(bytes[offset]) else { return nil }
            value = value << 4 | digit
        }
        return value
    }

    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
