import CensusGoModules

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension GoPackageLoader {
    /// Where a directory's import path and module come from.
    struct Placement {
        var importPath: String
        var module: String
        var isVendored: Bool
        var isStandard: Bool
    }

    /// The import-path layout of a tree: GOPATH (`src/` above the root) or modules (go.mod files).
    struct Layout: Sendable {
        var kind: GoLoadOptions.Layout
        /// GOPATH: the absolute `src` directory and the root's import path below it.
        var sourceRoot: String?
        var rootPrefix = ""
        var isGoroot = false
        /// Module paths by directory (relative to the root) that holds a go.mod; go.mod files
        /// below a `vendor` directory (`go mod vendor` copies them) start no module.
        var modules: [String: String] = [:]
        /// Vendored packages' modules, from each module's `vendor/modules.txt` (import path →
        /// module path).
        var vendoredModules: [String: String] = [:]
        /// The module whose go.mod is above the root: its path and the root's path below it.
        var outerModule: (path: String, below: String)?
        var rootPath: String?
        /// The root's import path for a tree without go.mod files (a repository's key).
        var importPathPrefix: String?

        init(tree: some GoSourceTree, directories: [GoDirectoryListing], index: [String: Int], requested: GoLoadOptions.Layout) {
            rootPath = tree.rootPath
            importPathPrefix = tree.importPathPrefix
            let reader = tree.makeReader()
            for d in directories where d.hasGoMod && !Self.isInVendor(d.path) {
                let path = d.path.isEmpty ? "go.mod" : d.path + "/go.mod"
                var module: String?
                _ = reader.withContents(of: path) { bytes in
                    module = GoModFile(parsing: Array(bytes), fileName: path).module?.path
                }
                if let module, !module.isEmpty { modules[d.path] = module }
            }
            var vendored: [String: String] = [:]
            for directory in modules.keys {
                let vendor = directory.isEmpty ? "vendor" : directory + "/vendor"
                guard index[vendor] != nil else { continue }
                _ = reader.withContents(of: vendor + "/modules.txt") { bytes in
                    for module in GoVendorManifest(parsing: bytes, fileName: vendor + "/modules.txt").modules {
                        for package in module.packages { vendored[package] = module.path }
                    }
                }
            }
            vendoredModules = vendored
            if let root = tree.rootPath {
                // A go.mod above the root, and a GOPATH `src` at or above it.
                var components = root.split(separator: "/").map(String.init)
                var below: [String] = []
                while !components.isEmpty {
                    let dir = "/" + components.joined(separator: "/")
                    if !below.isEmpty, outerModule == nil, modules[""] == nil,
                        let bytes = try? WholeFileReader.read(dir + "/go.mod"),
                        let path = GoModFile(parsing: bytes, fileName: dir + "/go.mod").module?.path, !path.isEmpty
                    {
                        outerModule = (path, below.reversed().joined(separator: "/"))
                    }
                    if sourceRoot == nil && components.last == "src" {
                        sourceRoot = dir
                        rootPrefix = below.reversed().joined(separator: "/")
                        if let bytes = try? WholeFileReader.read(dir + "/go.mod"),
                            GoModFile(parsing: bytes, fileName: "go.mod").module?.path == "std"
                        {
                            isGoroot = true
                        }
                    }
                    below.append(components.removeLast())
                }
            }
            if sourceRoot == nil, modules.isEmpty, outerModule == nil, let prefix = importPathPrefix {
                // A repository without go.mod: GOPATH-era code, placed at its import path.
                rootPrefix = prefix
                kind = requested == .module ? .module : .gopath
                return
            }
            switch requested {
            case .gopath: kind = sourceRoot == nil ? .module : .gopath
            case .module: kind = .module
            case .auto:
                if isGoroot || (sourceRoot != nil && modules[""] == nil && outerModule == nil) {
                    kind = .gopath
                } else {
                    kind = .module
                }
            }
        }

        /// The import path, module and flags of a directory (relative to the root).
        func place(_ directory: String) -> Placement {
            let module = nearestModule(directory)
            switch kind {
            case .gopath:
                let importPath = join(rootPrefix, directory)
                let vendored = importPath == "vendor" || importPath.hasPrefix("vendor/") || importPath.contains("/vendor/")
                // A vendored copy belongs to the module it was copied from, not to the vendoring one.
                let vendoredPath = Self.belowLastVendor(importPath)
                let name =
                    vendored && vendoredPath != nil
                    ? Self.guessModule(vendoredPath ?? importPath, isStandard: false)
                    : module?.path ?? Self.guessModule(importPath, isStandard: isGoroot)
                return Placement(importPath: importPath, module: name, isVendored: vendored, isStandard: isGoroot)
            case .module, .auto:
                guard let module else {
                    if let prefix = importPathPrefix {
                        let importPath = join(prefix, directory)
                        let vendoredPath = Self.belowLastVendor(importPath)
                        return Placement(
                            importPath: importPath, module: vendoredPath.map { Self.guessModule($0, isStandard: false) } ?? prefix,
                            isVendored: vendoredPath != nil, isStandard: false)
                    }
                    let importPath = rootPath.map { "_" + join($0, directory) } ?? directory
                    return Placement(
                        importPath: importPath, module: Self.guessModule(directory, isStandard: false), isVendored: false,
                        isStandard: false)
                }
                let standard = module.path == "std" || module.path == "cmd"
                if module.below.hasPrefix("vendor/") && !standard {
                    let vendored = String(module.below.dropFirst("vendor/".count))
                    return Placement(
                        importPath: vendored, module: vendoredModules[vendored] ?? Self.guessModule(vendored, isStandard: false),
                        isVendored: true, isStandard: false)
                }
                let importPath = module.path == "std" ? module.below : join(module.path, module.below)
                let vendored = importPath.hasPrefix("vendor/") || importPath.contains("/vendor/")
                return Placement(importPath: importPath, module: module.path, isVendored: vendored, isStandard: standard)
            }
        }

        /// The nearest go.mod at or above the directory: its module path and the directory below it.
        func nearestModule(_ directory: String) -> (path: String, below: String)? {
            var dir = directory
            var below: [Substring] = []
            while true {
                if let path = modules[dir] { return (path, below.reversed().joined(separator: "/")) }
                if dir.isEmpty { break }
                if let slash = dir.lastIndex(of: "/") {
                    below.append(dir[dir.index(after: slash)...])
                    dir = String(dir[..<slash])
                } else {
                    below.append(Substring(dir))
                    dir = ""
                }
            }
            guard let outer = outerModule else { return nil }
            return (outer.path, join(outer.below, below.reversed().joined(separator: "/")))
        }

        /// Whether a directory (relative) is inside a `vendor` directory.
        static func isInVendor(_ directory: String) -> Bool {
            directory.split(separator: "/").dropLast().contains("vendor")
        }

        /// The import path below the last `vendor` element (`a/vendor/x/y` → `x/y`).
        static func belowLastVendor(_ path: String) -> String? {
            let elements = path.split(separator: "/", omittingEmptySubsequences: false)
            guard let k = elements.lastIndex(of: "vendor"), k + 1 < elements.count else { return nil }
            return elements[(k + 1)...].joined(separator: "/")
        }

        func join(_ a: String, _ b: String) -> String { a.isEmpty ? b : b.isEmpty ? a : a + "/" + b }

        /// A module for code without a go.mod: `std` for the distribution, else the repository
        /// root an import path names (`host/owner/repo` on the common code hosts, `gopkg.in/x.vN`,
        /// `golang.org/x/name`), else the first two elements.
        static func guessModule(_ importPath: String, isStandard: Bool) -> String {
            if isStandard { return importPath.hasPrefix("cmd/") || importPath == "cmd" ? "cmd" : "std" }
            let e = importPath.split(separator: "/")
            guard let first = e.first else { return importPath }
            if !first.contains(".") { return String(first) }
            switch first {
            case "github.com", "gitlab.com", "bitbucket.org", "golang.org", "go.etcd.io", "k8s.io", "sigs.k8s.io", "code.google.com":
                if first == "gopkg.in" { break }
                return e.prefix(first == "k8s.io" ? 2 : 3).joined(separator: "/")
            case "gopkg.in":
                return e.prefix(e.count >= 2 && e[1].contains(".v") ? 2 : 3).joined(separator: "/")
            default:
                return e.prefix(2).joined(separator: "/")
            }
            return e.prefix(3).joined(separator: "/")
        }
    }

    /// Resolves imports as the go command does in GOPATH mode (vendor directories and the
    /// minimal module compatibility of `/vN` paths), and checks internal imports.
    struct ImportResolver {
        let layout: Layout
        let tree: any GoSourceTree
        let directories: [GoDirectoryListing]
        let index: [String: Int]
        var cache: [String: (Bool, Bool)] = [:]
        var goModCache: [String: String] = [:]

        init(layout: Layout, tree: some GoSourceTree, directories: [GoDirectoryListing], index: [String: Int]) {
            self.layout = layout
            self.tree = tree
            self.directories = directories
            self.index = index
        }

        mutating func resolve(_ package: inout GoPackage) {
            package.imports = package.rawImports.map { $0 == "C" ? $0 : resolve($0, from: package) }
            package.testImports = unique(package.rawTestImports.map { resolve($0, from: package) })
            package.xTestImports = unique(package.rawXTestImports.map { resolve($0, from: package) })
            for path in package.imports where !isAllowedInternal(path, from: package) {
                package.problems.append(
                    GoSourceProblem(
                        path: package.directory.isEmpty ? "." : package.directory,
                        message: "use of internal package \(path) not allowed (imported by \(package.importPath))"))
            }
        }

        func unique(_ paths: [String]) -> [String] {
            GoPackageLoader.sortedBytes(Set(paths))
        }

        func isAllowedInternal(_ path: String, from package: GoPackage) -> Bool {
            let elements = path.split(separator: "/", omittingEmptySubsequences: false)
            guard let k = elements.lastIndex(of: "internal") else { return true }
            if package.isVendored || path.contains("vendor/") { return true }
            let parent = elements[..<k].joined(separator: "/")
            if parent.isEmpty { return package.isStandard || !(package.importPath.split(separator: "/").first ?? "").contains(".") }
            return package.importPath == parent || package.importPath.hasPrefix(parent + "/")
        }

        mutating func resolve(_ path: String, from package: GoPackage) -> String {
            guard !path.hasPrefix("./"), !path.hasPrefix("../"), path != ".", path != ".." else { return path }
            switch layout.kind {
            case .gopath:
                if let vendored = vendored(path, from: package.importPath) { return vendored }
                return moduleImportPath(path, from: package.importPath)
            case .module, .auto:
                // GOROOT's std and cmd import their vendored packages by `vendor/…` and
                // `cmd/vendor/…` paths in module mode too (go list -json there says so).
                if package.isStandard, layout.sourceRoot != nil, let vendored = vendored(path, from: package.importPath) {
                    return vendored
                }
                return path
            }
        }

        /// `vendoredImportPath`: the deepest `vendor/PATH` with `.go` files at or above the package.
        mutating func vendored(_ path: String, from parent: String) -> String? {
            var prefix = parent
            while true {
                let vendorDir = prefix.isEmpty ? "vendor" : prefix + "/vendor"
                if info(vendorDir).0 {
                    let target = vendorDir + "/" + path
                    let t = info(target)
                    if t.0 && t.1 { return target }
                }
                if prefix.isEmpty { return nil }
                prefix = prefix.lastIndex(of: "/").map { String(prefix[..<$0]) } ?? ""
            }
        }

        /// `moduleImportPath`: in code with a go.mod, `x/y/v2/z` is `x/y/z` when `x/y/v2/z` does
        /// not exist and `x/y/go.mod` says `module x/y/v2`.
        mutating func moduleImportPath(_ path: String, from parent: String) -> String {
            guard findVersionElement(path[...]) != nil else { return path }
            var prefix = parent
            var haveGoMod = false
            while true {
                if !goModPath(prefix).isEmpty {
                    haveGoMod = true
                    break
                }
                if prefix.isEmpty { break }
                prefix = prefix.lastIndex(of: "/").map { String(prefix[..<$0]) } ?? ""
            }
            guard haveGoMod else { return path }
            if info(path).0 { return path }
            var limit = path.endIndex
            while limit > path.startIndex {
                guard let (i, j) = findVersionElement(path[..<limit]) else { return path }
                let head = String(path[..<i])
                if info(head).0 {
                    let module = goModPath(head)
                    if !module.isEmpty {
                        if module == String(path[..<j]) { return head + String(path[j...]) }
                        return path
                    }
                }
                limit = i
            }
            return path
        }

        /// The last `/vN` element (N ≥ 2, no leading zero): the index of its slash and its end.
        func findVersionElement(_ path: Substring) -> (String.Index, String.Index)? {
            var j = path.endIndex
            var i = path.endIndex
            while i > path.startIndex {
                i = path.index(before: i)
                if path[i] == "/" {
                    let element = path[path.index(after: i)..<j]
                    if isVersionElement(element) { return (i, j) }
                    j = i
                }
            }
            return nil
        }

        func isVersionElement(_ s: Substring) -> Bool {
            let u = Array(s.utf8)
            if u.count < 2 || u[0] != UInt8(ascii: "v") || u[1] == UInt8(ascii: "0") || (u[1] == UInt8(ascii: "1") && u.count == 2) {
                return false
            }
            return u.dropFirst().allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        }

        /// Whether an import-path-shaped directory (below the GOPATH `src`) exists, and whether it
        /// holds `.go` files.
        mutating func info(_ importPathDir: String) -> (Bool, Bool) {
            if let hit = cache[importPathDir] { return hit }
            var result = (false, false)
            var found = false
            let prefix = layout.rootPrefix
            if prefix.isEmpty || importPathDir == prefix || importPathDir.hasPrefix(prefix + "/") {
                let relative = prefix.isEmpty ? importPathDir : String(importPathDir.dropFirst(min(importPathDir.count, prefix.count + 1)))
                if let k = index[relative] {
                    result = (true, !directories[k].goFiles.isEmpty)
                    found = true
                }
            }
            if !found, let src = layout.sourceRoot, let fsTree = tree as? GoDirectoryTree {
                result = fsTree.directoryInfo(src + "/" + importPathDir)
            }
            cache[importPathDir] = result
            return result
        }

        /// The module path of `dir/go.mod` (empty when there is none).
        mutating func goModPath(_ importPathDir: String) -> String {
            if let hit = goModCache[importPathDir] { return hit }
            var module = ""
            if let src = layout.sourceRoot {
                let file = (importPathDir.isEmpty ? src : src + "/" + importPathDir) + "/go.mod"
                if let bytes = try? WholeFileReader.read(file) {
                    module = GoModFile(parsing: bytes, fileName: file).module?.path ?? ""
                }
            }
            goModCache[importPathDir] = module
            return module
        }
    }
}

/// Small whole files (go.mod) read with `open`/`read(2)`.
enum WholeFileReader {
    struct Failure: Error {}

    static func read(_ path: String) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw Failure() }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure()
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
            if out.count > 16 << 20 { throw Failure() }
        }
        return out
    }
}
