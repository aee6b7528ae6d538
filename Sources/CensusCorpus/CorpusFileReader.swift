/// Reads manifests and maps whole (``WholeFile``), as ``CorpusError``s.
enum CorpusFileReader {
    /// The bytes of the file at `path`.
    ///
    /// - Throws: ``CorpusError`` with ``CorpusError/Code/unreadableFile`` naming the path and the
    ///   system's reason.
    static func read(_ path: String) throws(CorpusError) -> [UInt8] {
        do {
            return try WholeFile.read(path)
        } catch {
            throw CorpusError(.unreadableFile, input: path, message: "cannot \(error.operation) the file: \(error.reason)")
        }
    }
}
