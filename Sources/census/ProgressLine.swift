import ArgumentParser
import CodeCensus
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// `--progress` and `--quiet`, for every command that can run long (`@OptionGroup var output:
/// ProgressOptions`).
struct ProgressOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "A live status line on standard error: auto (when it is a terminal), always or never.", valueName: "when"))
    var progress: ProgressMode = .auto

    @Flag(help: "No status line and no summary lines; errors and warnings are still printed.")
    var quiet = false

    var settings: ProgressSettings { ProgressSettings(progress: progress, quiet: quiet) }
}

/// ``ProgressOptions``'s values as plain data.
struct ProgressSettings: Equatable {
    var progress: ProgressMode = .auto
    var quiet = false
}

enum ProgressMode: String, CaseIterable, ExpressibleByArgument {
    case auto, always, never
}

/// One live status line on standard error while a long run works: what is being done, counts
/// done (of the total, when known), a rate, the time elapsed and an estimate of the time left.
///
/// ```
/// Scanning repositories · 2/3 repositories · 45,210 files (12,400/s) · 0:04 · about 0:02 left
/// ```
///
/// The work updates ``ProgressCounter``s (one atomic add each, in the library's threads); a thread
/// of the line's own reads them and redraws at most ten times a second, only when the text
/// changed, cut to the terminal's width so it never wraps. `finish()` erases it. Messages written
/// with `warn` while it is shown appear above it. It is drawn only when standard error is a
/// terminal (`--progress auto`, not for `TERM=dumb`) or when asked (`--progress always`), never
/// with `--progress never` or `--quiet`; when it is off nothing is started and nothing drawn.
/// `NO_COLOR` turns its dimming off.
final class ProgressLine: Sendable {
    /// One count shown on the line.
    struct Item: Sendable {
        var counter: ProgressCounter
        /// The plural noun of the count ("files", "commits").
        var unit: String
        /// Whether a rate per second is shown after the count.
        var showsRate: Bool
        /// Whether the counter's total is shown (not when it is only the part known so far).
        var showsTotal: Bool

        init(_ counter: ProgressCounter, _ unit: String, rate: Bool = false, total: Bool = true) {
            self.counter = counter
            self.unit = unit
            self.showsRate = rate
            self.showsTotal = total
        }
    }

    private struct State {
        var detail: String?
        var finished = false
    }

    let title: String
    let items: [Item]
    let isEnabled: Bool
    private let colored: Bool
    private let started = ContinuousClock.now
    private let state = Mutex(State())

    /// A line that is never drawn (for code paths that take a line but run quietly).
    static let off = ProgressLine(title: "", items: [], enabled: false, colored: false)

    /// A line that is not started (``start(_:_:_:)`` starts one); tests read its text.
    init(title: String, items: [Item], enabled: Bool, colored: Bool) {
        self.title = title
        self.items = items
        self.isEnabled = enabled
        self.colored = colored
    }

    /// Starts showing `title` and `items` (when the options and standard error allow it).
    static func start(_ options: ProgressOptions, _ title: String, _ items: [Item]) -> ProgressLine {
        start(options.settings, title, items)
    }

    static func start(_ options: ProgressSettings, _ title: String, _ items: [Item]) -> ProgressLine {
        let enabled: Bool
        switch options.progress {
        case _ where options.quiet: enabled = false
        case .never: enabled = false
        case .always: enabled = true
        case .auto: enabled = isatty(2) == 1 && environment("TERM") != "dumb"
        }
        guard enabled else { return .off }
        let noColor = environment("NO_COLOR").map { !$0.isEmpty } ?? false
        let line = ProgressLine(
            title: title, items: items, enabled: true, colored: !noColor && environment("TERM") != "dumb")
        // The first draw comes after 100 ms: a run shorter than that shows nothing.
        line.startTicking()
        return line
    }

    /// What is being worked on now, after the title (a repository's name); escaped for the terminal.
    func setDetail(_ detail: String?) {
        guard isEnabled else { return }
        state.withLock { $0.detail = detail.map { Escaping.display($0) } }
    }

    /// Erases the line for good (later redraws do nothing).
    func finish() {
        guard isEnabled else { return }
        let wasFinished = state.withLock { state in
            defer { state.finished = true }
            return state.finished
        }
        if !wasFinished { StatusLine.erase() }
    }

    /// The text of the line now, uncut and without colour.
    func text(elapsed: Duration) -> String {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var parts = [title + (state.withLock { $0.detail }.map { " " + $0 } ?? "")]
        var estimate: Double?
        for item in items {
            let done = item.counter.done
            var part: String
            if item.showsTotal, let total = item.counter.total {
                part = "\(Self.grouped(done))/\(Self.grouped(total)) \(item.unit)"
                if estimate == nil, done > 0, seconds >= 1, total >= done {
                    estimate = Double(total - done) * seconds / Double(done)
                }
            } else {
                part = "\(Self.grouped(done)) \(item.unit)"
            }
            if item.showsRate, seconds >= 0.5 {
                part += " (\(Self.rate(Double(done) / seconds))/s)"
            }
            parts.append(part)
        }
        parts.append(Self.clock(seconds))
        if let estimate { parts.append("about \(Self.clock(estimate)) left") }
        return parts.joined(separator: " · ")
    }

    private func redraw() {
        let text = self.text(elapsed: ContinuousClock.now - started)
        let shown = Self.cut(text, to: Self.columns() - 1)
        let drawn = colored ? "\u{1B}[2m" + shown + "\u{1B}[0m" : shown
        // Drawn under the state's lock so that finish() cannot come between the check and the draw.
        state.withLock { state in
            if !state.finished { StatusLine.draw(drawn) }
        }
    }

    /// A detached thread of the line's own redraws it every 100 ms until `finish()`.
    private func startTicking() {
        let retained = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { argument in
            guard let argument else { return nil }
            let line = Unmanaged<ProgressLine>.fromOpaque(argument).takeRetainedValue()
            while !line.state.withLock({ $0.finished }) {
                usleep(100_000)
                line.redraw()
            }
            return nil
        }, retained)
        if created == 0 {
            pthread_detach(thread)
        } else {
            Unmanaged<ProgressLine>.fromOpaque(retained).release()
        }
    }

    // MARK: - Formatting

    /// 1234567 → "1,234,567".
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (k, digit) in digits.enumerated() {
            if k > 0 && (digits.count - k) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }

    /// A rate: whole numbers from 10 up, one decimal below.
    static func rate(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        if value >= 10 { return grouped(Int(value.rounded())) }
        return ScanRenderer.fixedDecimal(value, decimals: 1)
    }

    /// Seconds as m:ss, or h:mm:ss from an hour up.
    static func clock(_ seconds: Double) -> String {
        let whole = seconds.isFinite ? max(0, Int(seconds.rounded(.down))) : 0
        let (h, m, s) = (whole / 3600, whole / 60 % 60, whole % 60)
        let ss = s < 10 ? "0\(s)" : "\(s)"
        if h > 0 { return "\(h):" + (m < 10 ? "0\(m)" : "\(m)") + ":" + ss }
        return "\(m):" + ss
    }

    /// `text` cut to `width` characters, ending in "…" when cut.
    static func cut(_ text: String, to width: Int) -> String {
        guard width > 1, text.count > width else { return text }
        return String(text.prefix(width - 1)) + "…"
    }

    /// The width of the terminal on standard error (80 when it cannot be told).
    static func columns() -> Int {
        var size = winsize()
        if ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    private static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}

/// The status line as drawn on standard error, shared by every writer of standard error so that a
/// message never lands in the middle of the line: the line is erased, the message written, and
/// the line drawn again below it.
enum StatusLine {
    /// The text drawn now (with its escapes), or nil.
    private static let shown = Mutex<String?>(nil)

    static func draw(_ text: String) {
        shown.withLock { shown in
            if shown == text { return }
            writeAll(2, "\r" + text + "\u{1B}[K")
            shown = text
        }
    }

    static func erase() {
        shown.withLock { shown in
            if shown != nil { writeAll(2, "\r\u{1B}[K") }
            shown = nil
        }
    }

    /// Writes `message` (whole lines) to standard error above the line.
    static func write(_ message: String) {
        shown.withLock { shown in
            guard let line = shown else {
                writeAll(2, message)
                return
            }
            writeAll(2, "\r\u{1B}[K" + message + "\r" + line + "\u{1B}[K")
        }
    }
}
