import Foundation
import Testing

@testable import CensusGit

/// Repositories that try to make git run programs: every configuration key and hook that names a
/// command points at a script that creates a marker file named after the vector. Every public
/// operation of CensusGit is run on them; no marker may appear.
struct HostileRepositories {
    static let hooks = [
        "applypatch-msg", "pre-applypatch", "post-applypatch", "pre-commit", "pre-merge-commit", "prepare-commit-msg",
        "commit-msg", "post-commit", "pre-rebase", "post-checkout", "post-merge", "pre-push", "pre-receive", "update",
        "proc-receive", "post-receive", "post-update", "reference-transaction", "push-to-checkout", "pre-auto-gc",
        "post-rewrite", "sendemail-validate", "fsmonitor-watchman", "p4-changelist", "p4-prepare-changelist",
        "p4-post-changelist", "p4-pre-submit", "post-index-change",
    ]

    let sandbox: Sandbox
    let markers: String
    let work: String
    let bare: String
    let commit: String

    init() throws {
        sandbox = try Sandbox()
        markers = sandbox.path + "/markers"
        try FileManager.default.createDirectory(atPath: markers, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: sandbox.path + "/evil", withIntermediateDirectories: true)
        // Built while still harmless: the content includes a .gitattributes that routes every file
        // through the hostile filter, diff and merge drivers.
        commit = try sandbox.repositoryWithFiles(
            "work", [".gitattributes": "* filter=x diff=x merge=x\n", "main.c": "int main(void) { return 0; }\n"])
        work = sandbox.path + "/work"
        try sandbox.git(
            ["clone", "-q", "--bare", "--template=", "file://" + work, sandbox.path + "/bare.git"], network: true)
        bare = sandbox.path + "/bare.git"
        try arm(gitDirectory: work + "/.git", in: "work")
        try arm(gitDirectory: bare, in: "bare.git")
    }

    /// A script that records that `vector` ran.
    func script(_ vector: String) throws -> String {
        let path = sandbox.path + "/evil/" + vector
        // Exits at once without reading its input: a filter process that waited for it would
        // deadlock with the git waiting for its handshake.
        try sandbox.write(path, "#!/bin/sh\ntouch '\(markers)/\(vector)'\nexit 0\n", executable: true)
        return path
    }

    func arm(gitDirectory: String, in repository: String) throws {
        let settings: [(String, String)] = [
            ("core.fsmonitor", try script("core.fsmonitor")),
            ("core.hooksPath", sandbox.path + "/evil-hooks"),
            ("core.pager", try script("core.pager")),
            ("core.sshCommand", try script("core.sshCommand")),
            ("core.gitProxy", try script("core.gitProxy")),
            ("core.askPass", try script("core.askPass")),
            ("core.editor", try script("core.editor")),
            ("sequence.editor", try script("sequence.editor")),
            ("core.alternateRefsCommand", try script("core.alternateRefsCommand")),
            ("diff.external", try script("diff.external")),
            ("diff.x.command", try script("diff.x.command")),
            ("diff.x.textconv", try script("diff.x.textconv")),
            ("filter.x.smudge", try script("filter.x.smudge")),
            ("filter.x.clean", try script("filter.x.clean")),
            ("filter.x.process", try script("filter.x.process")),
            ("filter.x.required", "true"),
            ("filter.lfs.smudge", try script("filter.lfs.smudge")),
            ("filter.lfs.process", try script("filter.lfs.process")),
            ("merge.x.driver", try script("merge.x.driver")),
            ("credential.helper", "!" + (try script("credential.helper"))),
            ("gpg.program", try script("gpg.program")),
            ("log.showSignature", "true"),
            ("uploadpack.packObjectsHook", try script("uploadpack.packObjectsHook")),
            ("alias.ls-tree", "!" + (try script("alias.ls-tree"))),
            ("alias.cat-file", "!" + (try script("alias.cat-file"))),
            ("pager.ls-tree", try script("pager.ls-tree")),
            ("pager.cat-file", try script("pager.cat-file")),
            ("gc.auto", "1"),
            ("gc.autoDetach", "false"),
            ("protocol.allow", "always"),
            ("protocol.ext.allow", "always"),
            // A promisor remote whose URL is a command: reading any absent object would run it
            // through a lazy fetch.
            ("core.repositoryFormatVersion", "1"),
            ("extensions.partialClone", "origin"),
            ("remote.origin.url", "ext::" + (try script("remote.ext-transport"))),
            ("remote.origin.promisor", "true"),
            ("remote.origin.uploadpack", try script("remote.origin.uploadpack")),
            ("remote.evil.url", "file://" + sandbox.path + "/nowhere"),
            ("remote.evil.uploadpack", try script("remote.evil.uploadpack")),
        ]
        for (key, value) in settings {
            try sandbox.git(["config", "--file", gitDirectory + "/config", key, value])
        }
        for hook in Self.hooks {
            for directory in [gitDirectory + "/hooks", sandbox.path + "/evil-hooks"] {
                try sandbox.write(
                    directory + "/" + hook, "#!/bin/sh\ntouch '\(markers)/hook-\(hook)'\n", executable: true)
            }
        }
        _ = repository
    }

    var markersCreated: [String] { sandbox.contents(ofDirectory: "markers") }
}

@Suite("Hardening against hostile repositories")
struct HardeningTests {
    /// Every public operation on one repository; errors are expected for some (absent objects,
    /// an unknown revision) and are not the point: no marker may appear.
    func exercise(_ repository: GitRepository, commit: String) throws {
        #expect(try repository.resolveCommit().description == commit)
        _ = try? repository.resolveCommit("nosuch")
        let listing = try repository.listTree()
        #expect(listing.entries.count == 2)
        let reader = repository.makeBlobReader()
        for entry in listing.entries {
            #expect(try reader.read(entry.id).value != nil)
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16, alignment: 1)
        defer { buffer.deallocate() }
        for entry in listing.entries {
            _ = try reader.stream(entry.id, through: buffer) { _ in }
        }
        // Absent objects: in a promisor repository git would try a lazy fetch through the remote.
        let absent = try GitObjectID.make("0123456789abcdef0123456789abcdef01234567")
        #expect(try reader.read(absent).error?.code == .missingObject)
        #expect(try reader.read(listing.entries[0].id).value != nil)
        _ = try repository.absentObjects(commit: listing.commit)
        let info = try repository.info()
        // A shallow clone (through the cache) cannot count its history: unknown, not 1.
        #expect(info.commitCount == (try repository.isShallow() ? nil : 1))
        _ = try repository.walkHistory(GitHistoryOptions()) { _ in }
        var careful = GitHistoryOptions()
        careful.blobIDs = true
        careful.resumeAfter = try repository.resolveCommit()
        _ = try repository.walkHistory(careful) { _ in }
        _ = try repository.isShallow()
        _ = try repository.defaultBranch()
        _ = try repository.remoteURL()
    }

    @Test("non-bare and bare repositories with hostile config, hooks and attributes run nothing")
    func localRepositories() throws {
        let hostile = try HostileRepositories()
        for path in [hostile.work, hostile.bare] {
            let repository = try GitRepository(path: path, runner: hostile.sandbox.runner)
            try exercise(repository, commit: hostile.commit)
        }
        #expect(hostile.markersCreated == [])
    }

    @Test("cloning and updating hostile repositories through the cache runs nothing")
    func throughTheCache() throws {
        let hostile = try HostileRepositories()
        let cache = try GitCache(root: hostile.sandbox.path + "/cache", runner: hostile.sandbox.runner)
        for path in [hostile.work, hostile.bare] {
            let url = "file://" + path
            let cloned = try cache.repository(for: url)
            try exercise(cloned, commit: hostile.commit)
            let updated = try cache.repository(for: url, history: .full)
            try exercise(updated, commit: hostile.commit)
            var offline = cache
            offline.offline = true
            try exercise(try offline.repository(for: url), commit: hostile.commit)
        }
        // The partial kinds (a cache of their own, so no full clone stands in for them): cloned,
        // updated, their metadata, and history walked with and without lines.
        let partialCache = try GitCache(root: hostile.sandbox.path + "/partial-cache", runner: hostile.sandbox.runner)
        for path in [hostile.work, hostile.bare] {
            for kind in [GitCache.History.commits, .blobless] {
                for _ in 0 ..< 2 {
                    let partial = try partialCache.repository(for: "file://" + path, history: kind)
                    #expect(try partial.commitInfo().commit.id.description == hostile.commit)
                    _ = try partial.historyMetadata(commit: try partial.resolveCommit())
                    var attribution = GitHistoryOptions()
                    attribution.lines = false
                    _ = try partial.walkHistory(attribution) { _ in }
                    if kind == .blobless {
                        var lines = GitHistoryOptions()
                        lines.blobIDs = true
                        _ = try partial.walkHistory(lines) { _ in }
                    }
                }
            }
        }
        #expect(hostile.markersCreated == [])
    }

    @Test("the control: everyday git does run the hostile commands")
    func control() throws {
        let hostile = try HostileRepositories()
        // Without census's hardening: fsmonitor on status, the smudge filter on checkout, hooks on commit.
        try plainGit(["status"], in: hostile.work)
        try plainGit(["checkout", "--", "main.c"], in: hostile.work)
        try plainGit(["commit", "--allow-empty", "-m", "x"], in: hostile.work)
        // The lazy-fetch vector is live too: with lazy fetching and the ext transport allowed back,
        // reading an absent object through census's own reader runs the remote's command.
        var weakened = hostile.sandbox.runner
        weakened.extraEnvironment["GIT_NO_LAZY_FETCH"] = "0"
        weakened.extraEnvironment["GIT_ALLOW_PROTOCOL"] = "ext"
        let repository = try GitRepository(path: hostile.bare, runner: weakened)
        _ = try repository.makeBlobReader().read(try GitObjectID.make("0123456789abcdef0123456789abcdef01234567"))
        let created = hostile.markersCreated
        #expect(created.contains("remote.ext-transport"))
        #expect(created.contains("core.fsmonitor"))
        #expect(created.contains("filter.x.process") || created.contains("filter.x.smudge"))
        #expect(created.contains("hook-pre-commit"))
    }
}
