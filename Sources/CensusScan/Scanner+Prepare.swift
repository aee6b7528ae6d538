import CensusLanguages
import Dispatch

extension Scanner {
    /// Starts building the detection engine (Linguist's rules: the language key tables, the path
    /// prefilter) on another thread, for a run that is about to scan: the command line is parsed
    /// meanwhile, and the first file a worker reads finds the engine ready or nearly so. On a small
    /// tree that start-up is most of the run (issue 18); a run that meets no file (an empty
    /// directory) builds the engine for nothing, on a core that was idle.
    ///
    /// Safe to call at any time and more than once: the engine is built once
    /// (``LinguistEngine/shared``), and a worker that needs it first waits for that one build.
    ///
    /// The build is split over two threads, about half each: Linguist's path rules with their
    /// prefilter on one; the language table's indexes, then the rest of the engine (which takes
    /// the path rules last) on the other.
    public static func prepareDetection() {
        DispatchQueue.global(qos: .userInitiated).async { LinguistEngine.preparePathRules() }
        DispatchQueue.global(qos: .userInitiated).async {
            LanguageTable.prepare()
            _ = LinguistEngine.shared
        }
    }
}
