/// A text value of a batch: a range of its arena, or NULL.
public struct EventText: Sendable, Equatable {
    public var offset: UInt32
    /// `UInt32.max` for NULL.
    public var length: UInt32

    public static let null = EventText(offset: 0, length: .max)
    public var isNull: Bool { length == .max }
}

/// Where a repository's language was seen: the ranks of docs/events.md ("Repository language").
public enum LanguageSource: Int, Sendable, CaseIterable, CustomStringConvertible {
    /// A census scan of the repository in the store (resolved when asking, not stored here).
    case scan = 0
    /// The Timeline's `repository.language` (before 2015).
    case timeline = 1
    /// `payload.pull_request.base.repo.language`.
    case pullRequest = 2
    /// `--repo-languages FILE.csv`.
    case file = 3

    public var description: String {
        switch self {
        case .scan: return "scan"
        case .timeline: return "timeline"
        case .pullRequest: return "pull-request"
        case .file: return "file"
        }
    }
}

/// One sighting of a repository's language, the latest of its batch for that repository and source.
public struct LanguageObservation: Sendable, Equatable {
    public var repo: EventText
    public var language: EventText
    public var source: LanguageSource
    /// The event's time (UTC seconds): the latest sighting wins.
    public var seenAt: Int64
}

/// The events read from one input, ready for the store: columns of numbers and of text ranges
/// into one byte arena, so a batch of a hundred thousand events is a handful of allocations.
///
/// Text columns (``Column``) are UTF-8, escapes decoded. A batch also carries the repository
/// languages its events showed, one per repository and source (the latest).
public struct EventBatch: Sendable {
    /// The text columns, in the order of ``texts``.
    public enum Column: Int, CaseIterable, Sendable {
        case type, repo, org, actor, action, refType, company, country, region
    }
    public static let columnCount = Column.allCases.count

    public private(set) var arena: [UInt8] = []
    /// The dedupe key (docs/events.md, "Dedupe"): the event id, or a negative hash of the
    /// Timeline's type, actor, repository, time and URL.
    public private(set) var keys: [Int64] = []
    /// `created_at` in UTC seconds.
    public private(set) var times: [Int64] = []
    /// `repo.id` / `repository.id`, 0 when absent.
    public private(set) var repoIDs: [Int64] = []
    /// 1 merged, 0 not, -1 unknown.
    public private(set) var merged: [Int8] = []
    public private(set) var bots: [Bool] = []
    /// ``columnCount`` per event.
    public private(set) var texts: [EventText] = []
    public private(set) var languages: [LanguageObservation] = []
    /// Index of ``languages`` by the hash of (lowercased repository, source).
    private var languageIndex: [UInt64: Int] = [:]

    public init() {}

    public var count: Int { keys.count }

    /// The bytes of a text value (empty for NULL).
    public func bytes(_ text: EventText) -> ArraySlice<UInt8> {
        if text.isNull { return [] }
        return arena[Int(text.offset)..<Int(text.offset + text.length)]
    }

    /// A text value as a `String`, nil for NULL (for tests and messages; the store binds bytes).
    public func string(_ text: EventText) -> String? {
        text.isNull ? nil : String(decoding: bytes(text), as: UTF8.self)
    }

    public func text(_ event: Int, _ column: Column) -> EventText {
        texts[event * Self.columnCount + column.rawValue]
    }

    public func string(_ event: Int, _ column: Column) -> String? { string(text(event, column)) }

    // MARK: - Building

    /// Copies a value of a line into the arena (escapes decoded; ASCII letters lowercased when
    /// `lowercase`: GitHub's logins and repository names do not depend on case).
    @inline(__always)
    mutating func append(_ span: LineSpan, of line: UnsafePointer<UInt8>, lowercase: Bool = false) -> EventText {
        guard span.isPresent else { return .null }
        let start = arena.count
        let offset = UInt32(truncatingIfNeeded: start)
        if span.escaped {
            JSONText.appendUnescaped(line + span.start, count: span.count, to: &arena)
        } else {
            arena.append(contentsOf: UnsafeBufferPointer(start: line + span.start, count: span.count))
        }
        if lowercase {
            arena.withUnsafeMutableBufferPointer { bytes in
                for index in start..<bytes.count { bytes[index] = EventKey.lowercase(bytes[index]) }
            }
        }
        return EventText(offset: offset, length: UInt32(truncatingIfNeeded: arena.count) - offset)
    }

    @inline(__always)
    mutating func append(bytes: UnsafeBufferPointer<UInt8>?) -> EventText {
        guard let bytes else { return .null }
        let offset = UInt32(truncatingIfNeeded: arena.count)
        arena.append(contentsOf: bytes)
        return EventText(offset: offset, length: UInt32(bytes.count))
    }

    /// Appends two values joined by `/` (the Timeline's owner and name), lowercased; NULL when
    /// either is absent.
    @inline(__always)
    mutating func appendJoined(_ first: LineSpan, _ second: LineSpan, of line: UnsafePointer<UInt8>) -> EventText {
        guard first.isPresent, second.isPresent, first.count > 0, second.count > 0 else { return .null }
        let offset = UInt32(truncatingIfNeeded: arena.count)
        _ = append(first, of: line, lowercase: true)
        arena.append(UInt8(ascii: "/"))
        _ = append(second, of: line, lowercase: true)
        return EventText(offset: offset, length: UInt32(truncatingIfNeeded: arena.count) - offset)
    }

    /// The owner part of a repository already in the arena (`owner/name` → `owner`).
    @inline(__always)
    func ownerOf(_ repo: EventText) -> EventText {
        guard !repo.isNull else { return .null }
        var index = Int(repo.offset)
        let end = index + Int(repo.length)
        while index < end {
            if arena[index] == UInt8(ascii: "/") {
                return EventText(offset: repo.offset, length: UInt32(index) - repo.offset)
            }
            index += 1
        }
        return repo
    }

    mutating func appendRow(
        key: Int64, time: Int64, repoID: Int64, merged: Int8, bot: Bool, type: EventText, repo: EventText,
        actor: EventText, action: EventText, refType: EventText, company: EventText, country: EventText,
        region: EventText
    ) {
        keys.append(key)
        times.append(time)
        repoIDs.append(repoID)
        self.merged.append(merged)
        bots.append(bot)
        texts.append(type)
        texts.append(repo)
        texts.append(ownerOf(repo))
        texts.append(actor)
        texts.append(action)
        texts.append(refType)
        texts.append(company)
        texts.append(country)
        texts.append(region)
    }

    /// Records a sighting of a repository's language, keeping the latest per repository and
    /// source (ties: the greater language name, so the answer does not depend on reading order).
    mutating func observe(repo: EventText, language: EventText, source: LanguageSource, at time: Int64) {
        guard !repo.isNull, !language.isNull, language.length > 0 else { return }
        var hash = EventKey.Hasher()
        for byte in bytes(repo) { hash.add(EventKey.lowercase(byte)) }
        hash.add(UInt8(source.rawValue))
        let key = hash.value
        let observation = LanguageObservation(repo: repo, language: language, source: source, seenAt: time)
        if let index = languageIndex[key], sameRepository(languages[index].repo, repo) {
            let current = languages[index]
            if time > current.seenAt
                || (time == current.seenAt && bytes(current.language).lexicographicallyPrecedes(bytes(language)))
            {
                languages[index] = observation
            }
            return
        }
        // A new repository (or, vanishingly rarely, a hash shared with another: kept apart unreduced).
        if languageIndex[key] == nil { languageIndex[key] = languages.count }
        languages.append(observation)
    }

    private func sameRepository(_ a: EventText, _ b: EventText) -> Bool {
        guard a.length == b.length else { return false }
        let x = bytes(a)
        let y = bytes(b)
        return zip(x, y).allSatisfy { EventKey.lowercase($0) == EventKey.lowercase($1) }
    }

    /// Drops arena bytes appended after the first `count` (an event left out after its values
    /// were copied).
    mutating func truncateArena(to count: Int) {
        arena.removeSubrange(count...)
    }

    /// Empties the batch, keeping its capacity.
    public mutating func removeAll() {
        arena.removeAll(keepingCapacity: true)
        keys.removeAll(keepingCapacity: true)
        times.removeAll(keepingCapacity: true)
        repoIDs.removeAll(keepingCapacity: true)
        merged.removeAll(keepingCapacity: true)
        bots.removeAll(keepingCapacity: true)
        texts.removeAll(keepingCapacity: true)
        languages.removeAll(keepingCapacity: true)
        languageIndex.removeAll(keepingCapacity: true)
    }
}

/// The dedupe key of an event (docs/events.md, "Dedupe").
///
/// An event with an `id` is keyed by it (GitHub's ids are positive). A Timeline event has none: its
/// key is the negative of a 63-bit hash (FNV-1a over the fields, then a 64-bit finaliser) of its
/// type, actor, repository (`owner/name`, lowercased), time (UTC seconds), URL and
/// `payload.action`, each field followed by the byte 0xFF, which UTF-8 never holds. The same event
/// read from two files, or twice, has one key. The action is part of the key because the Timeline
/// records an issue opened and closed (or a gist created and updated) in the same second under one
/// URL: without it the shared hour file of 2013-02-15 loses 18 real events.
public enum EventKey {
    /// FNV-1a, 64 bits, with MurmurHash3's finaliser for avalanche.
    public struct Hasher {
        var state: UInt64 = 0xcbf2_9ce4_8422_2325

        public init() {}

        @inline(__always)
        public mutating func add(_ byte: UInt8) {
            state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }

        @inline(__always)
        public mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
            for byte in bytes { add(byte) }
        }

        public mutating func add(_ value: Int64) {
            var v = UInt64(bitPattern: value)
            for _ in 0..<8 {
                add(UInt8(truncatingIfNeeded: v))
                v >>= 8
            }
        }

        public var value: UInt64 {
            var h = state
            h ^= h >> 33
            h = h &* 0xff51_afd7_ed55_8ccd
            h ^= h >> 33
            h = h &* 0xc4ce_b9fe_1a85_ec53
            h ^= h >> 33
            return h
        }
    }

    @inline(__always)
    static func lowercase(_ byte: UInt8) -> UInt8 {
        byte &- 0x41 < 26 ? byte | 0x20 : byte
    }

    /// The key of a Timeline event from its decoded field bytes.
    public static func timeline(
        type: some Collection<UInt8>, actor: some Collection<UInt8>, repo: some Collection<UInt8>, time: Int64,
        url: some Collection<UInt8>, action: some Collection<UInt8>
    ) -> Int64 {
        var hasher = Hasher()
        for byte in type { hasher.add(byte) }
        hasher.add(UInt8(0xFF))
        for byte in actor { hasher.add(byte) }
        hasher.add(UInt8(0xFF))
        for byte in repo { hasher.add(byte) }
        hasher.add(UInt8(0xFF))
        hasher.add(time)
        hasher.add(UInt8(0xFF))
        for byte in url { hasher.add(byte) }
        hasher.add(UInt8(0xFF))
        for byte in action { hasher.add(byte) }
        hasher.add(UInt8(0xFF))
        return -Int64(hasher.value & 0x7FFF_FFFF_FFFF_FFFF) - 1
    }
}
