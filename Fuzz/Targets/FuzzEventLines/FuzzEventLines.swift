// Fuzz target: GH Archive event lines, the JSON line decoder of `census events ingest`
// (EventLineParser, then EventFileReader's copy of the kept fields into an EventBatch), in both
// shapes: the Events API's (`repo.name`, `actor.login`, UTC times) and the Timeline's of
// 2012-2014 (`repository.owner`/`.name`, `actor` a string, `-08:00` times, no id).
//
// Input: the bytes of an events file (JSON lines, not compressed). Checks:
// - the reader counts every line, and each is an event, a blank line or a malformed one, the
//   same lines as the line parser alone finds; the batch holds one row per event;
// - each row agrees with its line's parse: time, repository id, merge flag, dedupe key (the id
//   when there is a positive one, else a negative Timeline hash); the repository, its owner and
//   the actor are lowercased and the owner is the repository's part before `/`;
// - every span the parser reports lies inside the line between two quotes, marked escaped
//   exactly when it holds a backslash; `created_at` reads back to the same second, and the
//   ISO form of that second reads back to it too;
// - the line parsed twice, and parsed again with blanks around it, gives the same fields;
//   reading the whole input twice gives the same batch;
// - against Foundation's JSON parser: a line it reads as an object is never refused for its
//   syntax (only for a missing or unreadable `type`/`created_at`, or nesting beyond 512; lines
//   with a trailing comma, which Foundation accepts and JSON does not, are left out); when
//   `type`, `created_at`, `actor`, `repo` and `name`/`login` occur once each and no `\u` escape
//   could spell a key, the event's type, time, actor and repository are the ones Foundation reads.
import CensusEvents
import CensusFuzzSupport
import Foundation

nonisolated(unsafe) private var reader = EventFileReader(people: EventPeople())
nonisolated(unsafe) private var runs = 0
nonisolated(unsafe) private let parser = EventLineParser()

/// The lines of an events file as the reader splits them: at line feeds, the last one only when
/// something follows the final line feed.
private func splitLines(_ bytes: UnsafeRawBufferPointer) -> [UnsafeRawBufferPointer] {
    var lines: [UnsafeRawBufferPointer] = []
    var start = 0
    for index in 0..<bytes.count where bytes[index] == 0x0A {
        lines.append(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        start = index + 1
    }
    if start < bytes.count { lines.append(UnsafeRawBufferPointer(rebasing: bytes[start...])) }
    return lines
}

private func isBlank(_ line: UnsafeRawBufferPointer) -> Bool {
    line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
}

private func spans(_ e: ParsedEvent) -> [(String, LineSpan)] {
    [
        ("type", e.type), ("created_at", e.createdAtText), ("actor", e.actor), ("repo.name", e.repoFullName),
        ("repository.owner", e.repoOwner), ("repository.name", e.repoName), ("repository.language", e.repositoryLanguage),
        ("pull_request language", e.pullRequestLanguage), ("company", e.company), ("location", e.location),
        ("action", e.action), ("ref_type", e.refType), ("url", e.url),
    ]
}

/// Everything a parse found, spans shifted by `shift`, as one comparable string.
private func fingerprint(_ e: ParsedEvent, shift: Int = 0) -> String {
    var text = "\(String(describing: e.id)) \(e.createdAt) \(String(describing: e.repoID)) \(e.merged) \(e.isTimeline)"
    for (name, span) in spans(e) {
        text += span.isPresent ? " \(name)@\(span.start - shift)+\(span.count)\(span.escaped ? "e" : "")" : " \(name)-"
    }
    return text
}

private func parse(_ line: UnsafeRawBufferPointer) -> Result<ParsedEvent?, MalformedLine> {
    do throws(MalformedLine) {
        return .success(try parser.parse(line))
    } catch {
        return .failure(error)
    }
}

private func checkSpans(_ event: ParsedEvent, _ line: UnsafeRawBufferPointer) {
    for (name, span) in spans(event) where span.isPresent {
        fuzzCheck(
            span.start >= 1 && span.start + span.count < line.count, "\(name) span \(span) outside a line of \(line.count) bytes")
        fuzzCheck(
            line[span.start - 1] == 0x22 && line[span.start + span.count] == 0x22, "\(name) span \(span) is not between quotes")
        let hasBackslash = line[span.start..<(span.start + span.count)].contains(0x5C)
        fuzzCheck(span.escaped == hasBackslash, "\(name) span \(span): escaped \(span.escaped), backslash \(hasBackslash)")
    }
    let time = event.createdAtText
    let reread = line.baseAddress.flatMap {
        EventTime.parse($0.assumingMemoryBound(to: UInt8.self) + time.start, count: time.count)
    }
    fuzzCheck(reread == event.createdAt, "created_at reads as \(String(describing: reread)), parsed \(event.createdAt)")
    let iso = Array(EventTime.iso(event.createdAt).utf8)
    if iso.count == 20 {
        let back = iso.withUnsafeBufferPointer { EventTime.parse($0.baseAddress!, count: $0.count) }
        fuzzCheck(back == event.createdAt, "\(String(decoding: iso, as: UTF8.self)) reads as \(String(describing: back))")
    }
}

private func occurrences(_ needle: String, in line: UnsafeRawBufferPointer) -> Int {
    let pattern = Array(needle.utf8)
    guard line.count >= pattern.count else { return 0 }
    var found = 0
    for start in 0...(line.count - pattern.count)
    where line[start] == pattern[0] && line[start..<(start + pattern.count)].elementsEqual(pattern) {
        found += 1
    }
    return found
}

private func lowercased(_ text: String) -> String {
    String(decoding: text.utf8.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }, as: UTF8.self)
}

/// Whether a comma outside strings is followed (after blanks) by `}` or `]`: JSON (RFC 8259) has
/// no trailing commas and census refuses them, but Foundation's parser accepts them (finding 4 of
/// docs/reliability.md), so such lines are left out of the comparison.
private func hasTrailingComma(_ line: UnsafeRawBufferPointer) -> Bool {
    var inString = false
    var index = 0
    while index < line.count {
        let byte = line[index]
        if inString {
            if byte == 0x5C {
                index += 1
            } else if byte == 0x22 {
                inString = false
            }
        } else if byte == 0x22 {
            inString = true
        } else if byte == UInt8(ascii: ",") {
            var next = index + 1
            while next < line.count, [0x20, 0x09, 0x0D].contains(line[next]) { next += 1 }
            if next < line.count, line[next] == UInt8(ascii: "}") || line[next] == UInt8(ascii: "]") { return true }
        }
        index += 1
    }
    return false
}

/// The line against Foundation's reading of it; `row` is the line's row in `batch`, if it has one.
private func checkAgainstFoundation(
    _ line: UnsafeRawBufferPointer, _ result: Result<ParsedEvent?, MalformedLine>, batch: EventBatch, row: Int?
) {
    // Foundation refuses what JSON refuses (invalid UTF-8, raw controls in strings, bad numbers),
    // and reads leniently nothing census refuses; deep nesting is each parser's own limit.
    var depth = 0
    var deepest = 0
    for byte in line {
        if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") { depth += 1; deepest = max(deepest, depth) }
    }
    guard deepest < 500, !hasTrailingComma(line),
        let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
    else { return }
    switch result {
    case .success(nil):
        fuzzCheck(false, "Foundation reads an object on a line census finds blank")
    case .failure(let problem):
        fuzzCheck(
            [.missingType, .missingCreatedAt, .badCreatedAt].contains(problem.reason),
            "Foundation reads an object, census refuses the line: \(problem)")
    case .success(let event?):
        guard let row, occurrences("\\u", in: line) == 0 else { return }
        if occurrences("\"type\"", in: line) == 1 {
            fuzzCheck(object["type"] as? String == batch.string(row, .type), "type: Foundation \(String(describing: object["type"]))")
        }
        if occurrences("\"created_at\"", in: line) == 1, let text = object["created_at"] as? String {
            let seconds = Array(text.utf8).withUnsafeBufferPointer { EventTime.parse($0.baseAddress!, count: $0.count) }
            fuzzCheck(seconds == event.createdAt, "created_at: Foundation \(text), census \(event.createdAt)")
        }
        if occurrences("\"actor\"", in: line) == 1 {
            if let actor = object["actor"] as? String {
                fuzzCheck(batch.string(row, .actor) == lowercased(actor), "actor: Foundation \(actor)")
            } else if occurrences("\"login\"", in: line) == 1, let actor = object["actor"] as? [String: Any],
                let login = actor["login"] as? String
            {
                fuzzCheck(batch.string(row, .actor) == lowercased(login), "actor.login: Foundation \(login)")
            }
        }
        if occurrences("\"repo\"", in: line) == 1, occurrences("\"name\"", in: line) == 1,
            occurrences("\"repository\"", in: line) == 0, let repo = object["repo"] as? [String: Any],
            let name = repo["name"] as? String
        {
            let expected = name.isEmpty || name == "/" ? nil : lowercased(name)
            fuzzCheck(batch.string(row, .repo) == expected, "repo.name: Foundation \(name)")
        }
    }
}

private func checkRow(_ batch: EventBatch, _ row: Int, _ event: ParsedEvent) {
    fuzzCheck(batch.times[row] == event.createdAt, "row \(row): time \(batch.times[row]), parsed \(event.createdAt)")
    fuzzCheck(batch.repoIDs[row] == (event.repoID ?? 0), "row \(row): repository id \(batch.repoIDs[row])")
    fuzzCheck(batch.merged[row] == event.merged, "row \(row): merged \(batch.merged[row]), parsed \(event.merged)")
    if let id = event.id, id > 0 {
        fuzzCheck(batch.keys[row] == id, "row \(row): key \(batch.keys[row]) for id \(id)")
    } else {
        fuzzCheck(batch.keys[row] < 0, "row \(row): key \(batch.keys[row]) of an event without a positive id")
    }
    let type = batch.text(row, .type)
    fuzzCheck(!type.isNull && type.length > 0, "row \(row): no type")
    for column in [EventBatch.Column.repo, .org, .actor] {
        let bytes = batch.bytes(batch.text(row, column))
        fuzzCheck(!bytes.contains { $0 &- 0x41 < 26 }, "row \(row): \(column) is not lowercased")
    }
    let repo = batch.text(row, .repo)
    let org = batch.text(row, .org)
    if repo.isNull {
        fuzzCheck(org.isNull, "row \(row): an owner without a repository")
    } else {
        let repoBytes = batch.bytes(repo)
        let owner = repoBytes.firstIndex(of: UInt8(ascii: "/")).map { repoBytes[..<$0] } ?? repoBytes
        fuzzCheck(batch.bytes(org).elementsEqual(owner), "row \(row): owner is not the repository's first part")
    }
}

private func sameBatch(_ a: EventBatch, _ b: EventBatch) -> Bool {
    guard a.count == b.count, a.keys == b.keys, a.times == b.times, a.repoIDs == b.repoIDs, a.merged == b.merged,
        a.bots == b.bots, a.languages.count == b.languages.count
    else { return false }
    for row in 0..<a.count {
        for column in EventBatch.Column.allCases where a.string(row, column) != b.string(row, column) { return false }
    }
    return true
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEventLines(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    // The reader's actor cache grows with the logins it has seen: a fresh one now and then.
    runs += 1
    if runs % 4096 == 0 { reader = EventFileReader(people: EventPeople()) }
    guard let reader else {
        fuzzCheck(false, "setup failed: no gzip decoder")
        return 0
    }
    let input = UnsafeRawBufferPointer(start: size > 0 ? data : nil, count: size)
    let bytes = [UInt8](input)
    let (batch, report) = reader.read(bytes: bytes, name: "fuzz.json")
    let (again, _) = reader.read(bytes: bytes, name: "fuzz.json")
    fuzzCheck(sameBatch(batch, again), "reading the input twice gives two batches")

    let lines = splitLines(input)
    fuzzCheck(report.lines == lines.count, "reader counted \(report.lines) lines of \(lines.count)")
    fuzzCheck(report.filtered == 0 && report.failure == nil, "filtered \(report.filtered), failure \(String(describing: report.failure))")
    fuzzCheck(batch.count == report.events, "\(batch.count) rows for \(report.events) events")

    var events = 0
    var malformed = 0
    for line in lines {
        let result = parse(line)
        let row: Int?
        switch result {
        case .success(nil):
            fuzzCheck(isBlank(line), "a line that is not blank parsed as blank")
            row = nil
        case .failure(let problem):
            fuzzCheck(!isBlank(line), "a blank line refused: \(problem)")
            fuzzCheck(problem.column >= 1 && problem.column <= line.count + 1, "\(problem) on a line of \(line.count) bytes")
            malformed += 1
            row = nil
        case .success(let event?):
            fuzzCheck(events < batch.count, "more events than rows")
            checkSpans(event, line)
            if events < batch.count { checkRow(batch, events, event) }
            row = events
            events += 1
            // The same line parsed again, and with blanks around it.
            if case .success(let twice?) = parse(line) {
                fuzzCheck(fingerprint(twice) == fingerprint(event), "two parses differ")
            } else {
                fuzzCheck(false, "the second parse fails")
            }
            let padded = [0x20, 0x09] + [UInt8](line) + [0x0D, 0x20]
            let paddedResult = padded.withUnsafeBytes { parse($0) }
            if case .success(let shifted?) = paddedResult {
                fuzzCheck(fingerprint(shifted, shift: 2) == fingerprint(event), "blanks around the line change its fields")
            } else {
                fuzzCheck(false, "blanks around the line make it fail: \(paddedResult)")
            }
        }
        checkAgainstFoundation(line, result, batch: batch, row: row)
    }
    fuzzCheck(events == report.events, "parser finds \(events) events, reader \(report.events)")
    fuzzCheck(malformed == report.malformed, "parser finds \(malformed) malformed lines, reader \(report.malformed)")
    return 0
}

/// A fixture file as seeds: the whole file, and each of its lines alone. Pretty-printed JSON (the
/// shared raw events of each year) is first made one line by Foundation.
private func seeds(_ path: String, _ bytes: [UInt8]) -> [[UInt8]] {
    if path.hasSuffix("_raw.json") {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)),
            let line = try? JSONSerialization.data(withJSONObject: object)
        else { return [] }
        return [[UInt8](line)]
    }
    guard path.hasSuffix(".json") else { return [] }
    return [bytes] + bytes.split(separator: 0x0A).prefix(40).map { [UInt8]($0) }
}

/// Small lines written for this target: each era's shape, and the edges of the grammar.
private let handWritten: [String] = [
    #"{"id":"2489651045","type":"CreateEvent","actor":{"id":665991,"login":"Pet-R","gravatar_id":""},"repo":{"id":28688495,"name":"Pet-R/Demo"},"payload":{"ref":"master","ref_type":"branch","pusher_type":"user"},"public":true,"created_at":"2015-01-01T03:00:00Z"}"#,
    #"{"created_at":"2013-02-15T00:00:39-08:00","payload":{"action":"started"},"public":true,"type":"WatchEvent","url":"https://github.com/Owner/Tool","actor":"someone","actor_attributes":{"login":"someone","company":"Acme, Inc.","location":"Berlin, Germany"},"repository":{"id":42,"name":"Tool","owner":"Owner","language":"Go"}}"#,
    #"{"created_at":"2012/03/10 22:47:05 -0800","type":"PullRequestEvent","actor":null,"payload":{"action":"closed","pull_request":{"merged":true,"base":{"repo":{"language":"C"}}}},"repository":{"name":"x","url":"https://github.com//x"},"url":"https://github.com/y/x/pull/1"}"#,
    #"{"type":"CreateEvent","created_at":"2011-02-15T00:00:00Z","payload":{"object":"tag"},"repo":{"name":"/"},"id":7}"#,
    #"{"type":"Push\u0045vent","created_at":"2024-02-29T23:59:60.123Z","actor":{"login":"A\"b\\c\/d\ud83d\ude00"},"repo":{"name":"O\u0000/N"},"id":-5}"#,
    #"  {"type" : "X" , "created_at" : "2020-01-01T00:00:00+0530" , "a" : [1, -2.5e+3, true, false, null, {"b":[]}] }  "#,
    #"{"type":"X","created_at":"2020-01-01T00:00:00Z"} trailing"#,
    #"[1,2,3]"#,
    #"{"type":"X","created_at":"not a time"}"#,
    "",
    "   \r",
]

/// One real raw event of each type and year, 2011-2016, from the shared data when it is there
/// (`$CENSUS_SHARED`, else `../shared` of the working directory): seeds only, never committed.
private func sharedSeeds() -> [[UInt8]] {
    let shared = ProcessInfo.processInfo.environment["CENSUS_SHARED"] ?? "../shared"
    let base = "\(shared)/data/gharchive/fixtures"
    let fm = FileManager.default
    guard CommandLine.arguments.count > 1, CommandLine.arguments[1] == "--census-seeds",
        let walker = fm.enumerator(atPath: base)
    else { return [] }
    var found: [[UInt8]] = []
    while let relative = walker.nextObject() as? String {
        if relative.hasSuffix("_raw.json"), let data = fm.contents(atPath: "\(base)/\(relative)") {
            found += seeds(relative, [UInt8](data))
        }
    }
    return found
}

@main enum Main {
    static func main() {
        FuzzMain.run(
            FuzzTarget(
                name: "FuzzEventLines",
                fixtureDirectories: ["Tests/CensusEventsTests/Fixtures"],
                extraSeeds: handWritten.map { Array($0.utf8) } + [Array(handWritten.joined(separator: "\n").utf8)]
                    + sharedSeeds(),
                seeds: seeds),
            fuzzEventLines)
    }
}
