extension GoModFile {
    /// The file as `go mod edit -json` prints it, byte for byte: the same fields in the same order,
    /// indented with tabs, `null` for an empty `Require`, `Exclude`, `Replace` or `Retract`, empty
    /// optional fields left out, strings escaped as Go's `encoding/json` escapes them, and a final
    /// newline.
    ///
    /// Fields the Go 1.19 toolchain does not know are written only when the file has them, in the
    /// places newer toolchains put them: `Toolchain` after `Go`, `GoDebug` after it, `Tool` and
    /// `Ignore` after `Retract`. So the output equals Go 1.19's (and the golden files') for every file
    /// that toolchain accepts; Go 1.24 and later add `"Tool": null` (and 1.25 `"Ignore": null`) to
    /// every file, which this output leaves out. See docs/gomod.md.
    ///
    /// - Complexity: O(n) in the size of the parsed file.
    public func goModEditJSON() -> String {
        var w = GoJSONWriter(lossyText: lossyText)
        w.open("{")
        w.key("Module")
        w.open("{")
        w.field("Path", module?.path ?? "")
        if let deprecated = module?.deprecated, !deprecated.isEmpty { w.field("Deprecated", deprecated) }
        w.close("}")
        if let goVersion, !goVersion.isEmpty { w.field("Go", goVersion) }
        if let toolchain, !toolchain.isEmpty { w.field("Toolchain", toolchain) }
        if !godebug.isEmpty {
            w.array("GoDebug", godebug) { w, g in
                w.field("Key", g.key)
                w.field("Value", g.value)
            }
        }
        w.array("Require", requirements) { w, r in
            w.field("Path", r.path)
            if !r.version.isEmpty { w.field("Version", r.version) }
            if r.isIndirect { w.field("Indirect", true) }
        }
        w.array("Exclude", exclusions) { w, x in
            w.field("Path", x.path)
            if !x.version.isEmpty { w.field("Version", x.version) }
        }
        w.array("Replace", replacements) { w, r in
            w.key("Old")
            w.moduleVersion(r.old)
            w.key("New")
            w.moduleVersion(r.new)
        }
        w.array("Retract", retractions) { w, r in
            if !r.low.isEmpty { w.field("Low", r.low) }
            if !r.high.isEmpty { w.field("High", r.high) }
            if let rationale = r.rationale, !rationale.isEmpty { w.field("Rationale", rationale) }
        }
        if !tools.isEmpty {
            w.array("Tool", tools) { w, t in w.field("Path", t.path) }
        }
        if !ignoredPaths.isEmpty {
            w.array("Ignore", ignoredPaths) { w, i in w.field("Path", i.path) }
        }
        w.close("}")
        w.out.append(UInt8(ascii: "\n"))
        return String(decoding: w.out, as: UTF8.self)
    }
}

/// Writes JSON as Go's `json.MarshalIndent(v, "", "\t")` lays it out.
struct GoJSONWriter {
    var out: [UInt8] = []
    private var depth = 0
    /// For each open object or array, whether it has had a member yet.
    private var hasMember: [Bool] = []
    /// Whether a key was just written, so the next value follows it on the same line.
    private var afterKey = false
    private let lossyText: [String: [UInt8]]

    init(lossyText: [String: [UInt8]]) {
        self.lossyText = lossyText
        out.reserveCapacity(4096)
    }

    private mutating func newline() {
        out.append(UInt8(ascii: "\n"))
        for _ in 0..<depth { out.append(UInt8(ascii: "\t")) }
    }

    /// Before a value: nothing after a key; otherwise, as a member of the enclosing array, a comma
    /// after the previous member, a newline and the indentation.
    private mutating func beginValue() {
        if afterKey {
            afterKey = false
            return
        }
        beginMember()
    }

    private mutating func beginMember() {
        guard let last = hasMember.last else { return }
        if last { out.append(UInt8(ascii: ",")) }
        hasMember[hasMember.count - 1] = true
        newline()
    }

    mutating func open(_ bracket: Unicode.Scalar) {
        beginValue()
        out.append(UInt8(ascii: bracket))
        depth += 1
        hasMember.append(false)
    }

    mutating func close(_ bracket: Unicode.Scalar) {
        depth -= 1
        if hasMember.removeLast() { newline() }
        out.append(UInt8(ascii: bracket))
    }

    mutating func key(_ name: String) {
        beginMember()
        string(name)
        out.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
        afterKey = true
    }

    private mutating func string(_ value: String) {
        if let raw = lossyText[value] {
            raw.withUnsafeBytes { GoText.appendJSONString($0, to: &out) }
        } else {
            value.withUTF8Bytes { GoText.appendJSONString($0, to: &out) }
        }
    }

    private mutating func literal(_ text: StaticString) {
        beginValue()
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func field(_ name: String, _ value: String) {
        key(name)
        beginValue()
        string(value)
    }

    mutating func field(_ name: String, _ value: Bool) {
        key(name)
        literal(value ? "true" : "false")
    }

    /// `"name": null` for an empty list, else an array of objects written by `body`.
    mutating func array<Element>(_ name: String, _ elements: [Element], _ body: (inout GoJSONWriter, Element) -> Void) {
        key(name)
        if elements.isEmpty {
            literal("null")
            return
        }
        open("[")
        for element in elements {
            open("{")
            body(&self, element)
            close("}")
        }
        close("]")
    }

    /// A `module.Version` object: `Path`, and `Version` when there is one.
    mutating func moduleVersion(_ m: GoModuleVersion) {
        open("{")
        field("Path", m.path)
        if let version = m.version, !version.isEmpty { field("Version", version) }
        close("}")
    }
}
