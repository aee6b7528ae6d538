import CodeCensus

/// What `census --version` prints: one `key: value` line each for the release, the commit it was
/// built from (recorded by the CensusBuildInfo plug-in), the Linguist release of the language data,
/// and the number of languages.
///
/// ```
/// census 0.1.0
/// commit: 5c7e0d4f0a4b2e8c9d1f3a6b7c8d9e0f1a2b3c4d
/// linguist: 7.22.1
/// languages: 737
/// ```
enum VersionText {
    static var text: String {
        let commit = BuildInfo.commit + (BuildInfo.modified ? " (with uncommitted changes)" : "")
        return """
            census \(CensusVersion.string)
            commit: \(commit)
            linguist: \(LanguageTable.linguistVersion)
            languages: \(LanguageTable.count)
            """
    }
}
