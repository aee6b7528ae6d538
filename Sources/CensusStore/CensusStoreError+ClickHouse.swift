extension CensusStoreError.Code {
    /// A `--db` location that cannot be understood (an unknown scheme, a bad port, a password in
    /// the URL).
    public static let invalidLocation = CensusStoreError.Code("invalid location")
    /// The ClickHouse server could not be reached: no such host, connection refused, timed out.
    public static let unreachable = CensusStoreError.Code("unreachable")
    /// The ClickHouse server refused the user and password.
    public static let authenticationFailed = CensusStoreError.Code("authentication failed")
    /// The ClickHouse server answered with an error of its own (its message is the cause).
    public static let clickhouseFailure = CensusStoreError.Code("ClickHouse failure")
    /// The server's answer was not the HTTP or the tab-separated text census expects.
    public static let badResponse = CensusStoreError.Code("bad response")
}
