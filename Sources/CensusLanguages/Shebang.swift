/// Reads the interpreter out of a `#!` line the way GitHub Linguist does.
///
/// `#!/usr/bin/env python3` → `python3`; `#!/usr/bin/env -S deno run` → `deno`;
/// `#!/usr/local/bin/python3.11` → `python3` (one trailing `.N` is dropped); `#! perl -w` → `perl`;
/// `#!/bin/sh` followed within five lines by `exec tclsh "$0" "$@"` → `tclsh`.
public enum Shebang {
    /// The interpreter named by the shebang at the start of `data`, as bytes, or `nil`.
    ///
    /// - Parameter data: the first bytes of a file; only the first line (and, for `sh`, the first
    ///   five lines) are read.
    /// - Returns: a slice of `data` or of a small buffer; never longer than the first line.
    public static func interpreter(in data: UnsafeRawBufferPointer) -> [UInt8]? {
        let bytes = data.bindMemory(to: UInt8.self)
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "#"), bytes[1] == UInt8(ascii: "!") else { return nil }
        var lineEnd = 0
        while lineEnd < bytes.count && bytes[lineEnd] != 0x0A { lineEnd += 1 }

        // `^#!\s*\S+`: the interpreter's path.
        var i = 2
        while i < lineEnd && isSpace(bytes[i]) { i += 1 }
        let pathStart = i
        while i < lineEnd && !isSpace(bytes[i]) { i += 1 }
        guard i > pathStart else { return nil }
        // `path.split('/').last`, where the path token includes the `#!` and spaces before it.
        var pathEnd = i
        while pathEnd > 0 && bytes[pathEnd - 1] == UInt8(ascii: "/") && pathEnd > pathStart { pathEnd -= 1 }
        var lastStart = pathEnd
        while lastStart > pathStart && bytes[lastStart - 1] != UInt8(ascii: "/") { lastStart -= 1 }
        // When the path has no slash, Ruby's split keeps the `#!` prefix, which is stripped below.
        var script: [UInt8] = lastStart == pathStart ? Array(bytes[0 ..< pathEnd]) : Array(bytes[lastStart ..< pathEnd])

        if script == Array("env".utf8) {
            while i < lineEnd && isSpace(bytes[i]) { i += 1 }
            // Skip options (`-S`, `-vS`, `--debug`) and assignments (`FOO=bar`), each followed by spaces.
            while i < lineEnd {
                let tokenStart = i
                while i < lineEnd && !isSpace(bytes[i]) { i += 1 }
                let token = bytes[tokenStart ..< i]
                guard i < lineEnd, isEnvOption(token) || isAssignment(token) else {
                    i = tokenStart
                    break
                }
                while i < lineEnd && isSpace(bytes[i]) { i += 1 }
            }
            let start = i
            while i < lineEnd && !isSpace(bytes[i]) { i += 1 }
            guard i > start else { return nil }
            script = Array(bytes[start ..< i])
        }

        // `sub(/(\.\d+)$/, '')`: python2.7 → python2.
        var end = script.count
        while end > 0 && isDigit(script[end - 1]) { end -= 1 }
        if end < script.count && end > 0 && script[end - 1] == UInt8(ascii: ".") {
            script.removeSubrange((end - 1)...)
        }
        // `sub(/^#!\s*/, '')`
        if script.count >= 2 && script[0] == UInt8(ascii: "#") && script[1] == UInt8(ascii: "!") {
            var k = 2
            while k < script.count && isSpace(script[k]) { k += 1 }
            script.removeSubrange(0 ..< k)
        }

        if script == Array("sh".utf8), let exec = execHack(bytes) { script = exec }

        if script == Array("osascript".utf8) {
            // `-l LANGUAGE` names a language that may have no interpreter of its own.
            var k = i
            while k + 1 < lineEnd {
                if bytes[k] == UInt8(ascii: "-") && bytes[k + 1] == UInt8(ascii: "l") { return nil }
                k += 1
            }
        }
        // File.basename
        if let slash = script.lastIndex(of: UInt8(ascii: "/")) { script.removeSubrange(...slash) }
        return script
    }

    /// `/exec (\w+).+\$0.+\$@/` on one of the first five lines: the word after `exec`.
    private static func execHack(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var lineStart = 0
        for _ in 0 ..< 5 {
            guard lineStart < bytes.count else { return nil }
            var lineEnd = lineStart
            while lineEnd < bytes.count && bytes[lineEnd] != 0x0A { lineEnd += 1 }
            let line = Array(bytes[lineStart ..< lineEnd])
            if let word = matchExec(line) { return word }
            lineStart = lineEnd + 1
        }
        return nil
    }

    private static func matchExec(_ line: [UInt8]) -> [UInt8]? {
        let exec = Array("exec ".utf8)
        guard line.count > exec.count else { return nil }
        for start in 0 ... (line.count - exec.count) where Array(line[start ..< start + exec.count]) == exec {
            let wordStart = start + exec.count
            var wordEnd = wordStart
            while wordEnd < line.count && isWord(line[wordEnd]) { wordEnd += 1 }
            // Greedy `\w+`, then shorter, as a backtracking regex would try.
            var end = wordEnd
            while end > wordStart {
                if let dollarZero = find(line, "$0", from: end + 1),
                    find(line, "$@", from: dollarZero + 3) != nil
                {
                    return Array(line[wordStart ..< end])
                }
                end -= 1
            }
        }
        return nil
    }

    private static func find(_ line: [UInt8], _ needle: String, from: Int) -> Int? {
        let n = Array(needle.utf8)
        guard from >= 0, line.count >= n.count, from <= line.count - n.count else { return nil }
        for k in from ... (line.count - n.count) where line[k] == n[0] && line[k + 1] == n[1] {
            return k
        }
        return nil
    }

    private static func isEnvOption(_ token: UnsafeBufferPointer<UInt8>.SubSequence) -> Bool {
        guard let first = token.first, first == UInt8(ascii: "-") else { return false }
        let rest = token.dropFirst()
        if rest.first == UInt8(ascii: "-") { return rest.count >= 2 }  // `--\S+`
        return rest.allSatisfy { "i0uCSv".utf8.contains($0) }  // `-[i0uCSv]*`
    }

    private static func isAssignment(_ token: UnsafeBufferPointer<UInt8>.SubSequence) -> Bool {
        // `\S+=\S+`: an `=` with at least one byte on each side.
        guard let eq = token.dropFirst().firstIndex(of: UInt8(ascii: "=")) else { return false }
        return eq < token.endIndex - 1
    }

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
    @inline(__always) static func isWord(_ b: UInt8) -> Bool {
        isDigit(b) || (b | 0x20) &- 0x61 < 26 || b == UInt8(ascii: "_")
    }
}
