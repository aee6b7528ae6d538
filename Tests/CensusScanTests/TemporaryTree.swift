import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A directory under the system's temporary directory, removed when the value is released.
final class TemporaryTree {
    let path: String

    init(_ name: String = #function) {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let template = NSTemporaryDirectory() + "census-\(safe)-XXXXXX"
        var bytes = Array(template.utf8CString)
        let result = bytes.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(result != nil, "mkdtemp failed")
        path = String(decoding: bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit {
        // Restore permissions the tests took away, then remove everything.
        _ = try? FileManager.default.subpathsOfDirectory(atPath: path).forEach {
            chmod(path + "/" + $0, 0o755)
        }
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes a file (creating parent directories).
    @discardableResult
    func write(_ relative: String, _ text: String) -> String { write(relative, bytes: Array(text.utf8)) }

    @discardableResult
    func write(_ relative: String, bytes: [UInt8]) -> String {
        let full = path + "/" + relative
        try? FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: full, contents: Data(bytes))
        return full
    }

    /// Writes a file whose name is raw bytes (not necessarily UTF-8) inside `directory`.
    func write(directory: String, rawName: [UInt8], _ text: String) {
        let dir = path + "/" + directory
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var full = Array(dir.utf8) + [UInt8(ascii: "/")] + rawName
        full.append(0)
        let fd = full.withUnsafeBufferPointer { p in
            p.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        }
        precondition(fd >= 0)
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    func mkdir(_ relative: String) {
        try? FileManager.default.createDirectory(atPath: path + "/" + relative, withIntermediateDirectories: true)
    }

    func symlink(_ relative: String, to target: String) {
        _ = Glibc.symlink(target, path + "/" + relative)
    }

    func fifo(_ relative: String) {
        _ = mkfifo(path + "/" + relative, 0o644)
    }
}
