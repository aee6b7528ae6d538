import Foundation

/// Where results are stored: an SQLite file or a ClickHouse database, as `--db` names it.
///
/// ```swift
/// let location = try StoreLocation.parse("clickhouse://census@ch1.internal:8123/census")
/// let store = try openStore(location, cluster: "census_cluster")
/// ```
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    /// An SQLite database file.
    case sqlite(path: String)
    /// A database on a ClickHouse server, reached over its HTTP interface.
    case clickhouse(ClickHouseEndpoint)

    /// Reads a `--db` value: `clickhouse://[user@]host[:port][/database]` for ClickHouse, anything
    /// else without a URL scheme for an SQLite file.
    ///
    /// The ClickHouse user defaults to `default`, the port to 8123 (the HTTP interface), the database
    /// to `default`. The password comes from ``ClickHouseEndpoint/passwordVariable`` in
    /// `environment` (empty when unset): never from the URL, which ends up in shell histories and
    /// process lists.
    ///
    /// - Throws: ``CensusStoreError`` `invalidLocation`: an empty value, a scheme other than
    ///   `clickhouse` (TLS, `https`, is not supported), a password in the URL, a bad port, host or
    ///   percent-encoding, or query parameters. The error shows the value with any password replaced
    ///   by `***`.
    public static func parse(
        _ text: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> StoreLocation {
        guard !text.isEmpty else {
            throw CensusStoreError(
                .invalidLocation, path: text,
                message: "the database location is empty: give a file path or clickhouse://user@host:8123/database")
        }
        guard let schemeEnd = text.range(of: "://"), isScheme(text[..<schemeEnd.lowerBound]) else {
            return .sqlite(path: text)
        }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        let rest = text[schemeEnd.upperBound...]
        let shown = redacted(text)
        func invalid(_ message: String) -> CensusStoreError {
            CensusStoreError(.invalidLocation, path: shown, message: message)
        }
        guard scheme == "clickhouse" else {
            if scheme == "https" || scheme == "clickhouses" {
                throw invalid(
                    "census speaks plain HTTP to ClickHouse, not TLS: use clickhouse://user@host:8123/database, through an SSH tunnel or a local proxy if the server is remote"
                )
            }
            throw invalid(
                "unknown scheme '\(scheme)': give a file path for SQLite, or clickhouse://user@host:8123/database")
        }
        if rest.contains("?") || rest.contains("#") {
            throw invalid("query parameters are not supported: give clickhouse://user@host:port/database")
        }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = rest[authorityEnd...].dropFirst()
        if path.hasSuffix("/") { path = path.dropLast() }

        var user = "default"
        var hostPort = authority
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            hostPort = authority[authority.index(after: at)...]
            if userInfo.contains(":") {
                throw invalid(
                    "the URL holds a password: remove it and set \(ClickHouseEndpoint.passwordVariable) instead")
            }
            guard let decoded = String(userInfo).removingPercentEncoding, !decoded.isEmpty else {
                throw invalid("the user name is empty or badly percent-encoded")
            }
            user = decoded
        }

        var host: Substring
        var portText: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { throw invalid("an IPv6 address lacks its ']'") }
            host = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            let after = hostPort[hostPort.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw invalid("unexpected text after the IPv6 address") }
                portText = after.dropFirst()
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = hostPort[..<colon]
            portText = hostPort[hostPort.index(after: colon)...]
        } else {
            host = hostPort
        }
        guard !host.isEmpty else { throw invalid("the host is missing: clickhouse://user@host:8123/database") }
        if host.contains(where: { $0 == "/" || $0 == "@" || $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 } == true }
        ) {
            throw invalid("the host '\(host)' is not a host name or address")
        }
        var port = ClickHouseEndpoint.defaultPort
        if let portText {
            guard let number = Int(portText), (1...65_535).contains(number) else {
                throw invalid("the port '\(portText)' is not a number from 1 to 65535")
            }
            port = number
        }
        var database = "default"
        if !path.isEmpty {
            guard let decoded = String(path).removingPercentEncoding, !decoded.isEmpty else {
                throw invalid("the database name is badly percent-encoded")
            }
            if decoded.contains("/") { throw invalid("the database name '\(decoded)' contains '/'") }
            database = decoded
        }
        let password = environment[ClickHouseEndpoint.passwordVariable] ?? ""
        return .clickhouse(
            ClickHouseEndpoint(host: String(host), port: port, user: user, password: password, database: database))
    }

    /// The path, or the ClickHouse URL without its password.
    public var description: String {
        switch self {
        case .sqlite(let path): return path
        case .clickhouse(let endpoint): return endpoint.description
        }
    }

    /// Whether `text` is a URL scheme (RFC 3986: a letter, then letters, digits, `+`, `-`, `.`), so
    /// that a file path such as `results/census.db` is never taken for a URL.
    static func isScheme(_ text: Substring) -> Bool {
        guard let first = text.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic else { return false }
        return text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                    || "+-.".unicodeScalars.contains(scalar))
        }
    }

    /// A URL with the password of `user:password@` replaced by `***`, for messages.
    static func redacted(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { "/?#".contains($0) }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@"),
            let colon = rest[..<at].firstIndex(of: ":")
        else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }
}

/// A ClickHouse database reached over the HTTP interface: server, user, password and database.
///
/// The password is never shown: not by ``description``, `debugDescription`, `dump` or a mirror.
public struct ClickHouseEndpoint: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The environment variable the password is read from.
    public static let passwordVariable = "CENSUS_CLICKHOUSE_PASSWORD"
    /// ClickHouse's HTTP port.
    public static let defaultPort = 8123

    /// A host name, or an IPv4 or IPv6 address (without brackets).
    public var host: String
    public var port: Int
    public var user: String
    /// Sent to the server only (HTTP Basic authentication).
    var password: String
    /// The database holding census's tables; created if missing.
    public var database: String

    public init(
        host: String, port: Int = defaultPort, user: String = "default", password: String = "", database: String
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
    }

    /// Whether a password is set (it is never shown).
    public var hasPassword: Bool { !password.isEmpty }

    /// `clickhouse://user@host:port/database`, without the password.
    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "clickhouse://\(user)@\(shownHost):\(port)/\(database)"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "host": host, "port": port, "user": user, "password": hasPassword ? "***" : "", "database": database,
            ])
    }

    /// `text` with every occurrence of the password replaced by `***`, for a message that may quote
    /// what the server or the system said.
    func redacting(_ text: String) -> String {
        guard !password.isEmpty else { return text }
        return text.replacingOccurrences(of: password, with: "***")
    }
}
