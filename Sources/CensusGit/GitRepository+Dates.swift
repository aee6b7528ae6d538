extension GitRepository {
    /// The last commit before a moment (`git rev-list -1 --first-parent --before=…`), following
    /// the first parents from `revision`, so the answer is the mainline's state at that moment;
    /// nil when every commit is later.
    ///
    /// - Parameters:
    ///   - secondsSince1970: the moment, UTC.
    ///   - revision: where to start (`HEAD` by default).
    public func lastCommit(before secondsSince1970: Int64, from revision: String = "HEAD") throws -> GitObjectID? {
        let start = try resolveCommit(revision)
        let command = ["rev-list", "-1", "--first-parent", "--before=@\(secondsSince1970 - 1)", start.description]
        let output = try runner.run(command, at: location)
        let text = output.text
        if text.isEmpty { return nil }
        guard let id = GitObjectID(text) else {
            throw GitError(
                .protocolError, repository: displayName, command: command, gitMessage: text,
                message: "unexpected output from git rev-list")
        }
        return id
    }
}
