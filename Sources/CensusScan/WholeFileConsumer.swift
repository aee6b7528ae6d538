/// Another reader of some of the files a scan counts (`census scan --go-source`: the Go parser),
/// given each wanted file's whole content from the scan's own reads, so no file is read twice.
///
/// The scan asks ``wants(path:)`` for every regular file it opens below a directory root (not for
/// a root that is itself a file); a wanted file is read to its end into the worker's buffer (grown
/// when the file is larger, and kept for later files), handed to ``consume(path:content:)`` and
/// then counted from those same bytes. Counting, classification and the report are the same as
/// without a consumer. Files the scan does not read (ignored, hidden, symbolic links it does not
/// follow, unreadable ones) are never consumed: the consumer's owner reads those itself.
public protocol WholeFileConsumer: Sendable {
    /// Whether the file at `path` (relative to the scanned root: the directory given, or the
    /// scanned subdirectory of a git tree; `/`-separated) is wanted.
    func wants(path: UnsafeBufferPointer<UInt8>) -> Bool
    /// A wanted file's whole content, on the worker thread that read it; the bytes are valid only
    /// during the call. Not called when reading the file failed part way.
    func consume(path: UnsafeBufferPointer<UInt8>, content: UnsafeRawBufferPointer)
}
