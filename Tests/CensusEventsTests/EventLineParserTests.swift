import Testing

@testable import CensusEvents

/// The line parser on events written for these tests in each of GH Archive's shapes. Expected
/// times were computed with Python's `datetime.fromisoformat(...).timestamp()`.
@Suite struct EventLineParserTests {
    /// Parses one line and reads its fields back as strings.
    struct Fields {
        var event: ParsedEvent
        var bytes: [UInt8]

        init(_ line: String) throws {
            bytes = Array(line.utf8)
            let parsed = try bytes.withUnsafeBytes { try EventLineParser().parse($0) }
            event = try #require(parsed)
        }

        func text(_ span: LineSpan) -> String? {
            guard span.isPresent else { return nil }
            var out: [UInt8] = []
            bytes.withUnsafeBufferPointer { buffer in
                JSONText.appendUnescaped(buffer.baseAddress! + span.start, count: span.count, to: &out)
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    static let eventsAPIPullRequest = """
        {"id":"2489436569","type":"PullRequestEvent","actor":{"id":1,"login":"alice","url":"https://api.github.com/users/alice"},\
        "repo":{"id":42,"name":"acme/widget","url":"https://api.github.com/repos/acme/widget"},"payload":{"action":"closed",\
        "number":3,"pull_request":{"merged":true,"title":"Fix \\"it\\"","head":{"repo":{"language":"Rust"}},\
        "base":{"ref":"main","repo":{"id":42,"language":"Go"}},"labels":[{"name":"x"},[],{}],"additions":1.5e3}},\
        "public":true,"created_at":"2015-01-01T03:00:01Z","org":{"login":"acme"}}
        """

    @Test func eventsAPIShape() throws {
        let f = try Fields(Self.eventsAPIPullRequest)
        #expect(f.event.id == 2_489_436_569)
        #expect(f.text(f.event.type) == "PullRequestEvent")
        #expect(f.event.createdAt == 1_420_081_201)
        #expect(f.text(f.event.actor) == "alice")
        #expect(f.text(f.event.repoFullName) == "acme/widget")
        #expect(f.event.repoID == 42)
        #expect(f.text(f.event.action) == "closed")
        #expect(f.event.merged == 1)
        // The base repository's language, not the head's.
        #expect(f.text(f.event.pullRequestLanguage) == "Go")
        #expect(!f.event.repositoryLanguage.isPresent)
        #expect(!f.event.isTimeline)
    }

    @Test func timelineShape() throws {
        let line = """
            {"created_at":"2013-02-15T00:00:39-08:00","payload":{"action":"opened","issue":{"id":1}},"public":true,\
            "type":"IssuesEvent","url":"https://github.com/bob/tool/issues/1","actor":"bob","actor_attributes":\
            {"login":"bob","company":"Caf\\u00e9 \\"Co\\" \\ud83d\\ude00","location":"Shenzhen, China"},\
            "repository":{"id":7,"name":"tool","owner":"bob","language":"Go","organization":"bob","fork":false}}
            """
        let f = try Fields(line)
        #expect(f.event.id == nil)
        #expect(f.event.isTimeline)
        #expect(f.event.createdAt == 1_360_915_239)
        #expect(f.text(f.event.actor) == "bob")
        #expect(f.text(f.event.repoOwner) == "bob")
        #expect(f.text(f.event.repoName) == "tool")
        #expect(f.text(f.event.repositoryLanguage) == "Go")
        #expect(f.text(f.event.company) == "Café \"Co\" 😀")
        #expect(f.text(f.event.location) == "Shenzhen, China")
        #expect(f.text(f.event.url) == "https://github.com/bob/tool/issues/1")
        #expect(f.event.merged == -1)
    }

    @Test func timelineNullActorAndNoRepository() throws {
        let f = try Fields(
            #"{"actor":null,"created_at":"2014-02-15T23:30:00-08:00","payload":{"id":9,"action":"create"},"public":true,"type":"GistEvent","url":"https://gist.github.com/9"}"#
        )
        #expect(f.event.isTimeline)
        #expect(!f.event.actor.isPresent)
        #expect(!f.event.repoName.isPresent && !f.event.repoFullName.isPresent)
        #expect(f.event.createdAt == 1_392_535_800)
    }

    @Test func early2011CreateEventObject() throws {
        let f = try Fields(
            #"{"repo":{"id":5,"url":"https://api.github.dev/repos/carol/new","name":"carol/new"},"type":"CreateEvent","public":true,"created_at":"2011-02-15T00:00:11Z","payload":{"name":"new","object":"repository","object_name":null},"actor":{"login":"carol","id":3},"id":"1132219738"}"#
        )
        #expect(f.text(f.event.refType) == "repository")
        #expect(f.event.createdAt == 1_297_728_011)
        #expect(f.event.id == 1_132_219_738)
    }

    @Test func trimmed2025Payloads() throws {
        let pull = try Fields(
            #"{"id":"52000000001","type":"PullRequestEvent","actor":{"id":1,"login":"dave","display_login":"dave"},"repo":{"id":9,"name":"org/x","url":"u"},"payload":{"action":"closed","number":8,"pull_request":{"url":"u","id":1,"number":8,"head":{"ref":"f","sha":"abc","repo":{"id":9,"url":"u","name":"x"}},"base":{"ref":"main","sha":"def","repo":{"id":9,"url":"u","name":"x"}}}},"public":true,"created_at":"2025-11-01T10:00:00Z"}"#
        )
        #expect(pull.event.merged == -1)
        #expect(!pull.event.pullRequestLanguage.isPresent)
        #expect(pull.text(pull.event.action) == "closed")
        #expect(pull.event.createdAt == 1_761_991_200)
        let push = try Fields(
            #"{"id":"52000000002","type":"PushEvent","actor":{"login":"dave"},"repo":{"name":"org/x"},"payload":{"repository_id":9,"push_id":1,"ref":"refs/heads/main","head":"abc","before":"def"},"public":true,"created_at":"2025-11-01T10:00:01Z"}"#
        )
        #expect(push.text(push.event.type) == "PushEvent")
    }

    @Test func earlyTimelineSlashTime() throws {
        let f = try Fields(#"{"type":"WatchEvent","created_at":"2012/03/10 22:47:05 -0800","actor":"x"}"#)
        #expect(f.event.createdAt == 1_331_448_425)
    }

    @Test(arguments: [
        ("not json at all", MalformedLine.Reason.notJSON),
        ("[1, 2, 3]", .notObject),
        ("\"a string\"", .notObject),
        ("42", .notObject),
        (#"{"type":"PushEvent"}"#, .missingCreatedAt),
        (#"{"created_at":"2015-01-01T00:00:00Z"}"#, .missingType),
        (#"{"type":"PushEvent","created_at":"yesterday"}"#, .badCreatedAt),
        (#"{"type":"PushEvent","created_at":"2015-02-30T00:00:00Z"}"#, .badCreatedAt),
        (#"{"type":"PushEvent","created_at":"2015-01-01T00:00:00Z""#, .expectedCommaOrEnd),
        (#"{"type":"PushEvent","created_at":"2015-01-01T00:00:00Z"} x"#, .trailingText),
        (#"{"type":"Push"#, .unterminatedString),
        (#"{"type":"P\qush","created_at":"2015-01-01T00:00:00Z"}"#, .badEscape),
        (#"{"type":"PushEvent","created_at":"2015-01-01T00:00:00Z","n":01}"#, .expectedCommaOrEnd),
        (#"{"type":"PushEvent","created_at":"2015-01-01T00:00:00Z","n":tru}"#, .badLiteral),
        (#"{"type" "PushEvent"}"#, .expectedColon),
        (#"{type:"PushEvent"}"#, .expectedKey),
        // A trailing comma in an object census reads (JSON has none; Foundation's parser accepts
        // them: finding 4 of docs/reliability.md, Fuzz/Regressions/FuzzEventLines).
        (#"{"type":"PushEvent","created_at":"2015-01-01T00:00:00Z","repository":{"name":"w","has_issues":true,}}"#, .expectedKey),
        (#"{"type":"PushEvent","created_at":"2015-01-01T00:00:00Z",}"#, .expectedKey),
        // Skipped containers: brackets must match and close, strings must close and escape well.
        (#"{"type":"PushEvent","created_at":"2015-01-01T00:00:00Z","payload":{"a":[1,2}}}"#, .expectedCommaOrEnd),
        (#"{"type":"PushEvent","created_at":"2015-01-01T00:00:00Z","payload":{"a":[1,2]"#, .expectedCommaOrEnd),
        (#"{"type":"PushEvent","created_at":"2015-01-01T00:00:00Z","payload":{"a":"b}"#, .unterminatedString),
        (#"{"type":"PushEvent","created_at":"2015-01-01T00:00:00Z","payload":{"a":"\x"}}"#, .badEscape),
    ])
    func malformedLines(line: String, reason: MalformedLine.Reason) {
        let bytes = Array(line.utf8)
        #expect(throws: MalformedLine.self) { _ = try bytes.withUnsafeBytes { try EventLineParser().parse($0) } }
        do {
            _ = try bytes.withUnsafeBytes { try EventLineParser().parse($0) }
        } catch let error as MalformedLine {
            #expect(error.reason == reason, "\(line)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func rawControlByteInStringIsRefused() {
        let bytes: [UInt8] = Array(#"{"type":"Push"#.utf8) + [0x01] + Array(#"Event","created_at":"2015-01-01T00:00:00Z"}"#.utf8)
        do {
            _ = try bytes.withUnsafeBytes { try EventLineParser().parse($0) }
            Issue.record("a raw control byte was accepted")
        } catch let error as MalformedLine {
            #expect(error.reason == .controlCharacter)
            #expect(error.column == 14)  // 13 bytes before it
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func nestingIsBounded() {
        let deep = #"{"type":"X","created_at":"2015-01-01T00:00:00Z","p":"# + String(repeating: "[", count: 100_000)
        let bytes = Array(deep.utf8)
        do {
            _ = try bytes.withUnsafeBytes { try EventLineParser().parse($0) }
            Issue.record("accepted")
        } catch let error as MalformedLine {
            #expect(error.reason == .tooDeep)
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func blankLineIsNoEvent() throws {
        let bytes = Array("   \r".utf8)
        #expect(try bytes.withUnsafeBytes { try EventLineParser().parse($0) } == nil)
    }

    /// The eight-byte gate of the string scanner: every position of a quote, backslash or control
    /// byte inside a word must be seen.
    @Test func stringGateFindsEveryStopByte() throws {
        for length in 0..<20 {
            for stop in [UInt8(ascii: "\""), UInt8(ascii: "\\")] where length > 0 {
                var value = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                value[length - 1] = stop
                if stop == UInt8(ascii: "\\") { value.append(UInt8(ascii: "n")) } else { value.insert(UInt8(ascii: "\\"), at: length - 1) }
                let line = Array(#"{"type":""#.utf8) + value + Array(#"","created_at":"2015-01-01T00:00:00Z"}"#.utf8)
                let f = try line.withUnsafeBytes { try EventLineParser().parse($0) }
                #expect(f?.type.count == value.count)
            }
        }
    }

    @Test func timelineKeyIsStableAndNegative() {
        let a = EventKey.timeline(
            type: Array("WatchEvent".utf8), actor: Array("bob".utf8), repo: Array("bob/tool".utf8), time: 1,
            url: Array("u".utf8), action: Array("started".utf8))
        let b = EventKey.timeline(
            type: Array("WatchEvent".utf8), actor: Array("bob".utf8), repo: Array("bob/tool".utf8), time: 1,
            url: Array("u".utf8), action: Array("started".utf8))
        let c = EventKey.timeline(
            type: Array("WatchEvent".utf8), actor: Array("bob".utf8), repo: Array("bob/tool".utf8), time: 2,
            url: Array("u".utf8), action: Array("started".utf8))
        #expect(a == b)
        #expect(a != c)
        #expect(a < 0 && c < 0)
    }

    @Test func timeFormats() {
        func seconds(_ text: String) -> Int64? {
            Array(text.utf8).withUnsafeBufferPointer { EventTime.parse($0.baseAddress!, count: $0.count) }
        }
        #expect(seconds("2015-01-01T03:00:01Z") == 1_420_081_201)
        #expect(seconds("2015-01-01T03:00:01.250Z") == 1_420_081_201)
        #expect(seconds("2015-01-01T03:00:01") == 1_420_081_201)
        #expect(seconds("2013-02-15T00:00:39-0800") == 1_360_915_239)
        #expect(seconds("2013-02-15T00:00:39-08:00") == 1_360_915_239)
        #expect(seconds("2013-02-15T00:00:39+8:00") == nil)
        #expect(seconds("2013-13-15T00:00:39Z") == nil)
        #expect(EventTime.iso(1_360_915_239) == "2013-02-15T08:00:39Z")
    }
}
