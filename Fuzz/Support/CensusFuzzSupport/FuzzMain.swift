import CCensusFuzz
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What the shared `main` of every fuzz target needs to know about it.
public struct FuzzTarget: Sendable {
    /// The target's name (its executable, and its directory under `Fuzz/Targets`).
    public var name: String
    /// Directories, relative to the package root, whose files seed the corpus.
    public var fixtureDirectories: [String]
    /// Turns one fixture file (its path relative to the package root, and its bytes) into zero or more
    /// inputs in this target's format.
    public var seeds: @Sendable (_ path: String, _ bytes: [UInt8]) -> [[UInt8]]
    /// Inputs written by hand for what the fixtures do not cover.
    public var extraSeeds: [[UInt8]]

    public init(
        name: String, fixtureDirectories: [String], extraSeeds: [[UInt8]] = [],
        seeds: @escaping @Sendable (_ path: String, _ bytes: [UInt8]) -> [[UInt8]]
    ) {
        self.name = name
        self.fixtureDirectories = fixtureDirectories
        self.seeds = seeds
        self.extraSeeds = extraSeeds
    }
}

/// The callback libFuzzer calls once per input.
public typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

/// The `main` of every fuzz target.
///
/// `TARGET --census-seeds ROOT OUT` writes the seed corpus (fixtures under `ROOT` turned into this
/// target's input format, plus the hand-written seeds) into `OUT` and exits; any other arguments go
/// to libFuzzer unchanged (`-max_total_time=`, corpus directories, crash files to replay).
public enum FuzzMain {
    public static func run(_ target: FuzzTarget, _ callback: FuzzCallback) -> Never {
        let arguments = CommandLine.arguments
        if arguments.count == 4, arguments[1] == "--census-seeds" {
            exit(writeSeeds(target, root: arguments[2], out: arguments[3]))
        }
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, callback))
    }

    private static func writeSeeds(_ target: FuzzTarget, root: String, out: String) -> Int32 {
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch {
            FileHandle.standardError.write(Data("\(target.name): cannot create \(out): \(error)\n".utf8))
            return 1
        }
        var written = 0
        func write(_ bytes: [UInt8], _ label: String) {
            let safe = String(label.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" })
            let path = "\(out)/seed-\(written)-\(safe)"
            if fm.createFile(atPath: path, contents: Data(bytes)) { written += 1 }
        }
        for directory in target.fixtureDirectories {
            let base = "\(root)/\(directory)"
            guard let walker = fm.enumerator(atPath: base) else {
                FileHandle.standardError.write(Data("\(target.name): no fixture directory \(base)\n".utf8))
                continue
            }
            var files: [String] = []
            while let relative = walker.nextObject() as? String {
                var isDirectory: ObjCBool = false
                if fm.fileExists(atPath: "\(base)/\(relative)", isDirectory: &isDirectory), !isDirectory.boolValue {
                    files.append(relative)
                }
            }
            for relative in files.sorted() {
                guard let data = fm.contents(atPath: "\(base)/\(relative)") else { continue }
                for seed in target.seeds("\(directory)/\(relative)", [UInt8](data)) {
                    write(seed, relative)
                }
            }
        }
        for seed in target.extraSeeds { write(seed, "extra") }
        print("\(target.name): \(written) seeds in \(out)")
        return 0
    }
}

/// Stops the run when a property does not hold: the message goes to stderr and `abort()` makes
/// libFuzzer save the input as a crash.
@inline(__always)
public func fuzzCheck(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID,
    line: UInt = #line
) {
    if !condition() {
        let text = "property failed at \(file):\(line): \(message())\n"
        _ = text.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
        abort()
    }
}
