import CensusPatterns

/// The table of every language census knows, generated from `Data/languages.yml`, with lookups.
///
/// `all`, `count` and the ambiguity defaults live in `LanguageTable+Generated.swift`; this file adds the
/// indexes detection uses.
public enum LanguageTable {
    /// The language with this exact name, or with this name or alias compared case-insensitively
    /// ("c++", "golang", "vim").
    public static func named(_ name: String) -> Language? {
        if let id = indexes.byName.lookup(name).first { return all[id.index] }
        if let id = byLowercasedNameOrAlias[name.lowercased()] { return all[id.index] }
        return nil
    }

    /// `named(name)?.id`, without copying the language when the name is exact (the common case:
    /// the engine's build looks up a few hundred exact names).
    static func id(named name: String) -> LanguageID? {
        var exact = name
        let found = exact.withUTF8 { bytes -> LanguageID? in
            let range = indexes.byName.range(bytes)
            return range.isEmpty ? nil : indexes.byName.value(at: range.lowerBound)
        }
        return found ?? named(name)?.id
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

    /// Makes the lookup indexes ready now (names, extensions, file names, interpreters and the
    /// documented defaults) rather than on the first lookup. They are generated with the table
    /// (`LanguageIndexes+Generated.swift`), so this builds nothing and needs no `all`.
    public static func prepare() { _ = indexes }

    /// The layouts of the lookup indexes (generated beside the table by
    /// `census-generate-languages`, which builds them with ``IndexLayouts/init(languages:extensionDefaults:interpreterDefaults:filenameDefaults:)``'s rules).
    struct IndexLayouts: Equatable, Sendable {
        /// Exact names.
        let byName: ByteKeyLayout
        /// Extensions, ignoring ASCII case.
        let extensions: ByteKeyLayout
        let filenames: ByteKeyLayout
        let interpreters: ByteKeyLayout
        /// The longest extension in the table, in bytes (".sublime-color-scheme"): longer suffixes need no lookup.
        let longestExtension: Int
        /// The documented first choices, by key (sorted), to the language's number.
        let extensionDefaults: ByteKeyLayout
        let interpreterDefaults: ByteKeyLayout
        let filenameDefaults: ByteKeyLayout

        init(
            byName: ByteKeyLayout, extensions: ByteKeyLayout, filenames: ByteKeyLayout,
            interpreters: ByteKeyLayout, longestExtension: Int, extensionDefaults: ByteKeyLayout,
            interpreterDefaults: ByteKeyLayout, filenameDefaults: ByteKeyLayout
        ) {
            self.byName = byName
            self.extensions = extensions
            self.filenames = filenames
            self.interpreters = interpreters
            self.longestExtension = longestExtension
            self.extensionDefaults = extensionDefaults
            self.interpreterDefaults = interpreterDefaults
            self.filenameDefaults = filenameDefaults
        }

        /// Built from the languages and the defaults (tests compare this with the generated layouts).
        init(
            languages: [Language], extensionDefaults: [String: String], interpreterDefaults: [String: String],
            filenameDefaults: [String: String]
        ) {
            var byName: [(String, Int32)] = []
            var extensions: [(String, Int32)] = []
            var filenames: [(String, Int32)] = []
            var interpreters: [(String, Int32)] = []
            var longest = 0
            var numbers: [String: Int32] = [:]
            for language in languages {
                let id = Int32(language.id.rawValue)
                byName.append((language.name, id))
                numbers[language.name] = id
                for e in language.extensions {
                    extensions.append((e, id))
                    longest = max(longest, e.utf8.count)
                }
                for f in language.filenames { filenames.append((f, id)) }
                for i in language.interpreters { interpreters.append((i, id)) }
            }
            func defaults(_ table: [String: String]) -> [(String, Int32)] {
                table.keys.sorted().compactMap { key in numbers[table[key]!].map { (key, $0) } }
            }
            self.init(
                byName: ByteKeyLayout(byName, foldsCase: false),
                extensions: ByteKeyLayout(extensions, foldsCase: true),
                filenames: ByteKeyLayout(filenames, foldsCase: false),
                interpreters: ByteKeyLayout(interpreters, foldsCase: false),
                longestExtension: longest,
                extensionDefaults: ByteKeyLayout(defaults(extensionDefaults), foldsCase: true),
                interpreterDefaults: ByteKeyLayout(defaults(interpreterDefaults), foldsCase: false),
                filenameDefaults: ByteKeyLayout(defaults(filenameDefaults), foldsCase: false))
        }
    }

    struct Indexes: Sendable {
        let byName: ByteKeyTable<LanguageID>
        let extensions: ByteKeyTable<LanguageID>
        let filenames: ByteKeyTable<LanguageID>
        let interpreters: ByteKeyTable<LanguageID>
        /// The longest extension in the table, in bytes (".sublime-color-scheme"): longer suffixes need no lookup.
        let longestExtension: Int
        let extensionDefaults: ByteKeyTable<LanguageID>
        let interpreterDefaults: ByteKeyTable<LanguageID>
        let filenameDefaults: ByteKeyTable<LanguageID>

        init(_ layouts: IndexLayouts = LanguageTable.generatedIndexLayouts) {
            byName = ByteKeyTable(layouts.byName)
            extensions = ByteKeyTable(layouts.extensions)
            filenames = ByteKeyTable(layouts.filenames)
            interpreters = ByteKeyTable(layouts.interpreters)
            longestExtension = layouts.longestExtension
            extensionDefaults = ByteKeyTable(layouts.extensionDefaults)
            interpreterDefaults = ByteKeyTable(layouts.interpreterDefaults)
            filenameDefaults = ByteKeyTable(layouts.filenameDefaults)
        }
    }
}
