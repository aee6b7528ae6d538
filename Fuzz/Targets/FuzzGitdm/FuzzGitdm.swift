// Fuzz target: gitdm rule files and the affiliation CSV, then attribution through them.
//
// Input: one selector byte (modulo 6: affiliations, domain-map, aliases, company-names-mapping,
// company-map, csv), the file up to the first NUL, then e-mail addresses separated by `\n` to
// attribute at a fixed day. Checks that every diagnostic names a line of the file and that
// attribution answers (the same way twice) for every address.
import CensusFuzzSupport
import CensusPeople

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGitdm(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let format = AffiliationDatabase.Format.allCases[Int(input.byte()) % AffiliationDatabase.Format.allCases.count]
    let bytes = [UInt8](input.take(upTo: 0))
    var breaks = 1
    for b in bytes where b == 0x0A || b == 0x0D { breaks += 1 }
    var database = AffiliationDatabase()
    database.parse(bytes: bytes, format: format, origin: "fuzz/\(format.rawValue)")
    for d in database.diagnostics {
        fuzzCheck(d.location.line >= 1 && d.location.line <= breaks, "diagnostic on line \(d.location.line) of \(breaks): \(d)")
    }
    _ = database.counts
    var emails = 0
    while !input.isAtEnd && emails < 16 {
        let email = String(decoding: input.take(upTo: 0x0A), as: UTF8.self)
        emails += 1
        let first = database.company(email: email, date: "2020-06-15")
        let second = database.company(email: email, date: "2020-06-15")
        fuzzCheck(first == second, "attribution of \(email) is not deterministic")
        _ = database.canonicalEmail(email)
        _ = database.history(email: email)
    }
    return 0
}

@main enum Main {
    static func main() {
        FuzzMain.run(
            FuzzTarget(
                name: "FuzzGitdm",
                fixtureDirectories: ["Tests/CensusPeopleTests/Fixtures"],
                extraSeeds: [[0] + Array("jdoe: jdoe!example.com, j.doe!corp.example\n\tAcme Inc. until 2019-01-01\n\tInitech\n\0jdoe@example.com\nj.doe@corp.example".utf8)]
            ) { path, bytes in
                let name = path.split(separator: "/").last.map(String.init) ?? ""
                let index: Int
                switch name {
                case let n where n.hasPrefix("developers_affiliations") || n == "bad-affiliations.txt": index = 0
                case "domain-map", "bad-domain-map": index = 1
                case "aliases": index = 2
                case "company-names-mapping": index = 3
                case "company-map": index = 4
                case let n where n.hasSuffix(".csv"): index = 5
                default: return []
                }
                return [[UInt8(index)] + bytes + [0] + Array("someone@example.com\nx@y".utf8)]
            },
            fuzzGitdm)
    }
}
