@_exported import CensusFiles

/// Where a repository (or a problem) was found: a manifest file and a line in it.
public typealias CorpusSourceLocation = SourceLine

/// A problem in one line or item of a manifest or company map (see ``LineDiagnostic``).
public typealias CorpusDiagnostic = LineDiagnostic
