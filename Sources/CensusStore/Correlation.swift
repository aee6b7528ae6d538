/// Pearson's correlation of two series over the periods both have: the one implementation behind
/// `census correlate` (history timelines) and `census events compare` (`--with-metric`, `--with-series`).
/// Series are ``SeriesPoint``s (period label, value), as stored mention series are read back.
public struct TimelineCorrelation: Sendable, Equatable {
    /// nil when fewer than two common periods, or a series is constant over them.
    public var r: Double?
    /// The periods both series have.
    public var points: Int

    public init(_ a: [TimelinePoint], _ b: [TimelinePoint]) {
        self.init(
            a.map { SeriesPoint(period: $0.period, value: Double($0.value)) },
            b.map { SeriesPoint(period: $0.period, value: Double($0.value)) })
    }

    /// Pairs the values of the periods both series have (a period listed twice in `b` keeps its
    /// first value) and computes r = Σ(x−x̄)(y−ȳ) / √(Σ(x−x̄)² Σ(y−ȳ)²).
    public init(_ a: [SeriesPoint], _ b: [SeriesPoint]) {
        let other = Dictionary(b.map { ($0.period, $0.value) }, uniquingKeysWith: { first, _ in first })
        let pairs = a.compactMap { p in other[p.period].map { (p.value, $0) } }
        points = pairs.count
        guard pairs.count >= 2 else {
            r = nil
            return
        }
        let n = Double(pairs.count)
        let meanX = pairs.reduce(0) { $0 + $1.0 } / n
        let meanY = pairs.reduce(0) { $0 + $1.1 } / n
        var sxy = 0.0
        var sxx = 0.0
        var syy = 0.0
        for (x, y) in pairs {
            sxy += (x - meanX) * (y - meanY)
            sxx += (x - meanX) * (x - meanX)
            syy += (y - meanY) * (y - meanY)
        }
        r = sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : nil
    }
}
