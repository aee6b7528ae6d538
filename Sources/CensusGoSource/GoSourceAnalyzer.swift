/// What one file declares and references, from one pass of the tokenizer over all its bytes: the
/// exported top-level names by kind, exported methods with their receiver types, and qualified
/// references `X.Name` where `X` may name an import, by syntactic position.
struct GoFileSummary {
    var types: [String] = []
    var functions: [String] = []
    var variables: [String] = []
    var constants: [String] = []
    /// Exported methods: (receiver type, method).
    var methods: [(String, String)] = []
    /// References by (local name, selected name): calls `X.N(`, literals `X.N{`, others.
    var references: [ReferenceKey: ReferenceCounts] = [:]
    /// The first syntax error: lexical errors and unbalanced brackets.
    var error: (line: Int, column: Int, message: String)?

    struct ReferenceKey: Hashable {
        var local: String
        var name: String
    }

    struct ReferenceCounts {
        var calls = 0
        var literals = 0
        var others = 0
    }
}

/// A light Go parser over tokens: no syntax tree, only the state needed to find top-level
/// declarations, receivers, control-clause headers (where `{` opens a block, not a literal) and
/// selector expressions. Method calls through values cannot be resolved without type checking and
/// are not attempted.
enum GoSourceAnalyzer {
    /// Analyses `bytes` (a whole file). `locals` are the identifiers that may name an import.
    static func analyze(_ bytes: UnsafeRawBufferPointer, locals: Set<String>) -> GoFileSummary {
        var summary = GoFileSummary()
        // The candidate names as bytes in one flat array: a selector's X is compared without
        // making a String or touching a reference count.
        var localFlat: [UInt8] = []
        var localRanges: [(start: Int, count: Int)] = []
        for name in locals {
            localRanges.append((localFlat.count, name.utf8.count))
            localFlat.append(contentsOf: name.utf8)
        }
        func isLocal(_ t: GoToken) -> Bool {
            let n = t.end - t.start
            for r in localRanges where r.count == n && localFlat[r.start] == bytes[t.start] {
                var k = 1
                while k < n && localFlat[r.start + k] == bytes[t.start + k] { k += 1 }
                if k == n { return true }
            }
            return false
        }
        var scanner = GoTokenizer(bytes, start: bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0)
        var brackets: [UInt8] = []  // open brackets
        var bracketLines: [(Int32, Int32)] = []
        var controls: [Int] = []  // bracket depths at which an if/for/switch header is open
        var bracketError: (line: Int, column: Int, message: String)?

        // Declarations.
        enum Pending { case none, name(GoKeyword), group(GoKeyword), receiver, methodName }
        var pending = Pending.none
        var group: (kind: GoKeyword, depth: Int)?
        var specStart = false
        var listContinues = false  // after `a,` in a var/const spec
        var receiverDepth = -1
        var receiverType = ""
        var method: String?  // receiver type waiting for the method's name
        var lastListKind = GoKeyword.var

        // References.
        var prev2 = GoToken(kind: .eof, start: 0, end: 0)
        var prev1 = GoToken(kind: .eof, start: 0, end: 0)
        var prev0 = GoToken(kind: .eof, start: 0, end: 0)
        // References waiting for what follows them; `X.N[` … `]` is decided after its closing
        // bracket, and references inside the brackets wait above it.
        struct Open {
            var key: GoFileSummary.ReferenceKey
            var bracketDepth: Int
            var literalAllowed: Bool
            var callAllowed: Bool
        }
        var open: [Open] = []

        func isExported(_ t: GoToken) -> Bool {
            GoBytes.isExported(UnsafeRawBufferPointer(rebasing: bytes[t.start..<t.end]))
        }

        func declare(_ kind: GoKeyword, _ t: GoToken) {
            guard isExported(t) else { return }
            let name = scanner.text(t)
            switch kind {
            case .type: summary.types.append(name)
            case .func: summary.functions.append(name)
            case .var: summary.variables.append(name)
            case .const: summary.constants.append(name)
            default: break
            }
        }
        func record(_ key: GoFileSummary.ReferenceKey, _ next: GoToken, literalAllowed: Bool, callAllowed: Bool = true) {
            var counts = summary.references[key] ?? GoFileSummary.ReferenceCounts()
            if next.kind == .op && next.op == UInt8(ascii: "(") && callAllowed {
                counts.calls += 1
            } else if next.kind == .op && next.op == UInt8(ascii: "{") && literalAllowed {
                counts.literals += 1
            } else {
                counts.others += 1
            }
            summary.references[key] = counts
        }

        while true {
            let token = scanner.next()
            if token.kind == .eof { break }
            let depth = brackets.count

            // References waiting for what follows them.
            if var last = open.last, last.bracketDepth < 0 {
                if token.kind == .op && token.op == UInt8(ascii: "[") {
                    last.bracketDepth = depth
                    open[open.count - 1] = last
                } else {
                    record(last.key, token, literalAllowed: last.literalAllowed, callAllowed: last.callAllowed)
                    open.removeLast()
                }
            }
            while let last = open.last, last.bracketDepth >= 0, depth <= last.bracketDepth {
                if depth < last.bracketDepth {
                    open.removeLast()  // unbalanced: give up on it
                    continue
                }
                // depth == bracketDepth: the closing bracket was the previous token.
                if prev0.kind == .op && prev0.op == UInt8(ascii: "]") {
                    record(last.key, token, literalAllowed: last.literalAllowed, callAllowed: last.callAllowed)
                    open.removeLast()
                } else {
                    break
                }
            }

            switch token.kind {
            case .op:
                switch token.op {
                case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"):
                    if token.op == UInt8(ascii: "{"), let last = controls.last, last == depth {
                        controls.removeLast()
                    }
                    if case .group = pending, token.op == UInt8(ascii: "(") {
                        if case .group(let kind) = pending { group = (kind, depth + 1) }
                        specStart = true
                        pending = .none
                    } else if case .receiver = pending, token.op == UInt8(ascii: "(") {
                        receiverDepth = depth + 1
                        receiverType = ""
                        pending = .none
                    } else if case .name = pending {
                        pending = .none
                    } else if case .methodName = pending {
                        pending = .none
                        method = nil
                    }
                    brackets.append(token.op)
                    bracketLines.append((token.line, token.column))
                case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
                    let opener: UInt8 =
                        token.op == UInt8(ascii: ")") ? UInt8(ascii: "(") : token.op == UInt8(ascii: "]") ? UInt8(ascii: "[") : UInt8(ascii: "{")
                    if brackets.last == opener {
                        brackets.removeLast()
                        bracketLines.removeLast()
                    } else {
                        if bracketError == nil {
                            bracketError = (Int(token.line), Int(token.column), "unexpected \(Character(Unicode.Scalar(token.op)))")
                        }
                        if let k = brackets.lastIndex(of: opener) {
                            brackets.removeSubrange(k...)
                            bracketLines.removeSubrange(k...)
                        }
                    }
                    let newDepth = brackets.count
                    while let last = controls.last, last > newDepth { controls.removeLast() }
                    if let g = group, newDepth < g.depth { group = nil }
                    if receiverDepth >= 0 && newDepth < receiverDepth {
                        receiverDepth = -1
                        method = receiverType
                        pending = .methodName
                    }
                case UInt8(ascii: ","):
                    if let g = group, depth == g.depth, listContinues { specStart = true }
                    if case .none = pending, group == nil, listContinues, depth == 0 { pending = .name(lastListKind) }
                default:
                    if case .name = pending { pending = .none }
                    if case .methodName = pending { pending = .none }
                    listContinues = false
                }
                if token.op != UInt8(ascii: ",") { listContinues = false }
            case .semicolon:
                if let g = group, depth == g.depth { specStart = true }
                listContinues = false
                pending = .none
            case .keyword:
                let keyword = GoKeyword(rawValue: token.op) ?? .none
                switch keyword {
                case .if, .for, .switch:
                    controls.append(depth)
                case .func where depth == 0 && (prev0.kind == .semicolon || prev0.kind == .eof):
                    pending = .receiver  // or the name: decided by the next token
                case .type where depth == 0, .var where depth == 0, .const where depth == 0:
                    pending = .group(keyword)
                default:
                    pending = .none
                }
                listContinues = false
            case .identifier:
                // Declarations.
                switch pending {
                case .receiver:
                    declare(.func, token)
                    pending = .none
                case .group(let kind):
                    declare(kind, token)
                    lastListKind = kind
                    listContinues = kind != .type
                    pending = .none
                case .name(let kind):
                    declare(kind, token)
                    listContinues = kind != .type
                    pending = .none
                case .methodName:
                    if let receiver = method, isExported(token) {
                        summary.methods.append((receiver, scanner.text(token)))
                    }
                    method = nil
                    pending = .none
                case .none:
                    if let g = group, depth == g.depth, specStart {
                        declare(g.kind, token)
                        specStart = false
                        listContinues = g.kind != .type
                    } else {
                        listContinues = false
                    }
                }
                if receiverDepth >= 0 && depth == receiverDepth { receiverType = scanner.text(token) }
                // References: X . N where X is not itself selected.
                if prev0.kind == .op && prev0.op == UInt8(ascii: "."), prev1.kind == .identifier,
                    !(prev2.kind == .op && prev2.op == UInt8(ascii: ".")), isExported(token)
                {
                    if isLocal(prev1) {
                        let local = scanner.text(prev1)
                        // `X.T{` is a composite literal of T unless `{` opens a block: in an
                        // if/for/switch header, or after a result type (`) X.T {`, `) *X.T {`,
                        // `chan X.T {`), and unless T is the element type of a slice, array or map
                        // literal (`]X.T{`, `]*X.T{`).
                        let afterType =
                            (prev2.kind == .op
                                && (prev2.op == UInt8(ascii: ")") || prev2.op == UInt8(ascii: "]") || prev2.op == UInt8(ascii: "*")))
                            || (prev2.kind == .keyword && GoKeyword(rawValue: prev2.op) == .chan)
                        open.append(
                            Open(
                                key: GoFileSummary.ReferenceKey(local: local, name: scanner.text(token)), bracketDepth: -1,
                                literalAllowed: controls.last != depth && !afterType,
                                // `[]X.T(v)` converts to a slice type: not a call of X.T.
                                callAllowed: !(prev2.kind == .op && prev2.op == UInt8(ascii: "]"))))
                    }
                }
            default:
                listContinues = false
                if case .name = pending { pending = .none }
            }
            prev2 = prev1
            prev1 = prev0
            prev0 = token
        }
        for o in open { record(o.key, GoToken(kind: .eof, start: 0, end: 0), literalAllowed: false) }
        if bracketError == nil, let last = bracketLines.last, let opener = brackets.last {
            bracketError = (Int(last.0), Int(last.1), "\(Character(Unicode.Scalar(opener))) is never closed")
        }
        var first: (line: Int, column: Int, message: String)?
        if let e = scanner.error { first = (Int(e.line), Int(e.column), e.message) }
        if let b = bracketError, first == nil || (b.line, b.column) < (first!.line, first!.column) { first = b }
        summary.error = first
        return summary

    }
}
