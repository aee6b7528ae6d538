/// The table of every language census knows, generated from `Data/languages.yml`, with lookups.
///
/// `all`, `count` and the ambiguity defaults live in `LanguageTable+Generated.swift`; this file adds the
/// indexes detection uses.
public enum LanguageTable {
    /// The language with this exact name, or with this name or alias compared case-insensitively
    /// ("c++", "golang", "vim").
    public static func named(_ name: String) -> Language? {
        if let id = indexes.byName[name] { return all[id.index] }
        if let id = byLowercasedNameOrAlias[name.lowercased()] { return all[id.index] }
        return nil
    }

    public static subscript(id: LanguageID) -> Language { all[id.index] }

    static let indexes = Indexes()

    /// Names and aliases, lowercased (for ``named(_:)`` when the exact name is not found): built
    /// on first use, apart from the detection indexes, which do not need it.
    private static let byLowercasedNameOrAlias: [String: LanguageID] = {
        var byAlias: [String: LanguageID] = [:]
        byAlias.reserveCapacity(all.count * 3)
        for language in all {
            byAlias[language.name.lowercased()] = language.id
            for alias in language.aliases where byAlias[alias.lowercased()] == nil {
                byAlias[alias.lowercased()] = language.id
            }
        }
        return byAlias
    }()

    /// Builds the lookup indexes now (names, aliases, extensions, file names, interpreters) rather
    /// than on the first lookup: for a thread that warms them while another builds the rest.
    public static func prepare() { _ = indexes }

    struct Indexes: Sendable {
        let byName: [String: LanguageID]
        let extensions: ByteKeyTable<LanguageID>
        let filenames: ByteKeyTable<LanguageID>
        let interpreters: ByteKeyTable<LanguageID>
        /// The longest extension in the table, in bytes (".cmake.in"): longer suffixes need no lookup.
        let longestExtension: Int
        let extensionDefaults: ByteKeyTable<LanguageID>
        let interpreterDefaults: ByteKeyTable<LanguageID>
        let filenameDefaults: ByteKeyTable<LanguageID>

        init() {
            var byName: [String: LanguageID] = [:]
            byName.reserveCapacity(LanguageTable.all.count)
            var extensions: [(String, LanguageID)] = []
            var filenames: [(String, LanguageID)] = []
            var interpreters: [(String, LanguageID)] = []
            var longest = 0
            for language in LanguageTable.all {
                byName[language.name] = language.id
                for e in language.extensions {
                    extensions.append((e, language.id))
                    longest = max(longest, e.utf8.count)
                }
                for f in language.filenames { filenames.append((f, language.id)) }
                for i in language.interpreters { interpreters.append((i, language.id)) }
            }
            self.byName = byName
            self.extensions = ByteKeyTable(extensions, foldsCase: true)
            self.filenames = ByteKeyTable(filenames, foldsCase: false)
            self.interpreters = ByteKeyTable(interpreters, foldsCase: false)
            self.longestExtension = longest
            self.extensionDefaults = ByteKeyTable(
                LanguageTable.extensionDefaults.compactMap { key, name in byName[name].map { (key, $0) } },
                foldsCase: true)
            self.interpreterDefaults = ByteKeyTable(
                LanguageTable.interpreterDefaults.compactMap { key, name in byName[name].map { (key, $0) } },
                foldsCase: false)
            self.filenameDefaults = ByteKeyTable(
                LanguageTable.filenameDefaults.compactMap { key, name in byName[name].map { (key, $0) } },
                foldsCase: false)
        }
    }
}
