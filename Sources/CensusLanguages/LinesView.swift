#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The lines of a file's first bytes as Ruby's `data.split("\n", -1)` makes them, which is how
/// Linguist reads a file for its generated-file checks: split at `\n` only, a trailing empty line
/// after a final `\n`, and one empty line for empty data.
///
/// Lines are found on demand by scanning from the start or the end; nothing is allocated.
struct LinesView {
    let data: UnsafeRawBufferPointer
    private var cachedCount: Int?

    init(_ data: UnsafeRawBufferPointer) {
        self.data = data
    }

    /// The number of lines: newlines + 1 (Ruby keeps the empty field after the last `\n`).
    mutating func count() -> Int {
        if let c = cachedCount { return c }
        var newlines = 0
        if let base = data.baseAddress {
            var p = base
            var remaining = data.count
            while remaining > 0, let hit = memchr(p, 0x0A, remaining) {
                newlines += 1
                let next = UnsafeRawPointer(hit) + 1
                remaining -= next - p
                p = next
            }
        }
        // Ruby: "".split("\n", -1) == [] — no lines at all for empty data.
        let c = data.isEmpty ? 0 : newlines + 1
        cachedCount = c
        return c
    }

    /// Whether there are at least `n` lines, scanning only as far as needed.
    mutating func hasAtLeast(_ n: Int) -> Bool {
        if n <= 0 { return true }
        if let c = cachedCount { return c >= n }
        if data.isEmpty { return false }
        var start = 0
        var lines = 1
        while lines < n {
            guard let nl = nextNewline(from: start) else { return false }
            lines += 1
            start = nl + 1
        }
        return true
    }

    /// Calls `body` with each of the first `n` lines in order until it returns `true`.
    /// - Returns: whether `body` returned `true`.
    func anyOfFirst(_ n: Int, _ body: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        guard !data.isEmpty else { return false }
        var start = 0
        var k = 0
        while k < n {
            let end = nextNewline(from: start)
            if body(UnsafeRawBufferPointer(rebasing: data[start ..< (end ?? data.count)])) { return true }
            guard let e = end else { return false }
            start = e + 1
            k += 1
        }
        return false
    }

    /// Calls `body` with each of the last `n` lines, last first, until it returns `true`.
    func anyOfLast(_ n: Int, _ body: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        guard !data.isEmpty else { return false }
        var end = data.count
        var k = 0
        while k < n {
            let nl = previousNewline(before: end)
            if body(UnsafeRawBufferPointer(rebasing: data[((nl ?? -1) + 1) ..< end])) { return true }
            guard let n = nl else { return false }
            end = n
            k += 1
        }
        return false
    }

    /// Line `index` (0-based; negative counts from the end), without its `\n`, or `nil`.
    mutating func line(_ index: Int) -> UnsafeRawBufferPointer? {
        if data.isEmpty { return nil }
        if index >= 0 {
            var start = 0
            var current = 0
            while current < index {
                guard let nl = nextNewline(from: start) else { return nil }
                start = nl + 1
                current += 1
            }
            let end = nextNewline(from: start) ?? data.count
            return UnsafeRawBufferPointer(rebasing: data[start ..< end])
        }
        var end = data.count
        var current = -1
        while current > index {
            guard let nl = previousNewline(before: end) else { return nil }
            end = nl
            current -= 1
        }
        let start = (previousNewline(before: end) ?? -1) + 1
        return UnsafeRawBufferPointer(rebasing: data[start ..< end])
    }

    private func nextNewline(from start: Int) -> Int? {
        guard start < data.count, let base = data.baseAddress, let hit = memchr(base + start, 0x0A, data.count - start)
        else { return nil }
        return UnsafeRawPointer(hit) - base
    }

    private func previousNewline(before end: Int) -> Int? {
        var i = end - 1
        while i >= 0 {
            if data[i] == 0x0A { return i }
            i -= 1
        }
        return nil
    }

    /// The characters of the data as Ruby counts them for a UTF-8 string: bytes that do not
    /// continue a multi-byte sequence.
    func characterCount() -> Int {
        var n = 0
        for b in data where b & 0xC0 != 0x80 { n += 1 }
        return n
    }
}
