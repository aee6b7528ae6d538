/// Which company an organisation belongs to: an `org,company` table that overrides the company
/// manifests give (or default to), for example to attribute `kubernetes-sigs` to `Google`.
///
/// The file is CSV (or TSV, when its first line has a tab), two columns: org, company. A first row
/// reading `org,company` is a header and skipped. Orgs are matched without case. Blank lines and
/// `#` comments are skipped; a row without both values is reported and skipped; an org listed
/// twice keeps its first company, with a warning.
public struct CompanyMap: Sendable, Equatable {
    /// Company by lowercased org.
    public private(set) var companies: [String: String]
    /// Rows that were skipped or ignored.
    public var diagnostics: [CorpusDiagnostic]

    /// A map from org to company (orgs lowercased; for two orgs equal without case, the company
    /// of the one first in sorted order is kept).
    public init(_ companies: [String: String] = [:]) {
        var table: [String: String] = [:]
        for (org, company) in companies.sorted(by: { $0.key < $1.key }) where table[org.lowercased()] == nil {
            table[org.lowercased()] = company
        }
        self.companies = table
        self.diagnostics = []
    }

    /// The company of `org` (matched without case), if the map has one.
    public func company(forOrg org: String) -> String? {
        companies[org.lowercased()]
    }

    /// Reads the map at `path`.
    ///
    /// - Throws: ``CorpusError`` with ``CorpusError/Code/unreadableFile`` naming the file and why.
    public static func load(path: String) throws(CorpusError) -> CompanyMap {
        parse(bytes: try CorpusFileReader.read(path), origin: path)
    }

    /// Reads a map from its bytes; `origin` names the file in diagnostics.
    public static func parse(bytes: [UInt8], origin: String) -> CompanyMap {
        let body = CorpusManifest.droppingByteOrderMark(bytes)
        let firstLine = body.prefix { $0 != UInt8(ascii: "\n") }
        let delimiter = firstLine.contains(UInt8(ascii: "\t")) ? UInt8(ascii: "\t") : UInt8(ascii: ",")
        var map = CompanyMap()
        var firstLineOfOrg: [String: Int] = [:]
        var isFirstRecord = true
        func report(_ severity: CorpusDiagnostic.Severity, _ line: Int, _ message: String) {
            map.diagnostics.append(
                CorpusDiagnostic(severity: severity, location: CorpusSourceLocation(file: origin, line: line), message: message))
        }
        for item in DelimitedRecords.read(body, delimiter: delimiter) {
            switch item {
            case .malformed(let malformed):
                report(.error, malformed.line, malformed.message)
            case .record(let record):
                let cells = record.fields.map { $0.trimmingPadding() }
                defer { isFirstRecord = false }
                if isFirstRecord && cells.count >= 2 && cells[0].lowercased() == "org" && cells[1].lowercased() == "company" {
                    continue
                }
                guard cells.count >= 2, !cells[0].isEmpty, !cells[1].isEmpty else {
                    report(.error, record.line, "expected org\(delimiter == UInt8(ascii: ",") ? "," : "<tab>")company with both values; row skipped")
                    continue
                }
                if cells.count > 2 && cells[2...].contains(where: { !$0.isEmpty }) {
                    report(.warning, record.line, "more than two values; only org and company are read")
                }
                let org = cells[0].lowercased()
                if let first = firstLineOfOrg[org] {
                    report(.warning, record.line, "org '\(cells[0])' is already mapped on line \(first); this row is ignored")
                    continue
                }
                firstLineOfOrg[org] = record.line
                map.companies[org] = cells[1]
            }
        }
        return map
    }
}
