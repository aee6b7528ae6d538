import CensusLanguages

extension Scanner {
    /// Starts building the detection engine (Linguist's rules: the language key tables, the path
    /// prefilter) on two other threads, for a run that is about to scan: the command line is
    /// read meanwhile, and the first file a worker reads finds the engine ready or nearly so. On a
    /// small tree that start-up is most of the run (issue 18); a run that meets no file (an empty
    /// directory) builds the engine for nothing, on cores that were idle.
    ///
    /// Safe to call at any time and more than once (``EngineWarmUp/start()``): workers wait for
    /// the engine asleep (``EngineWarmUp/engineWhenReady()``), not spinning in Swift's once.
    public static func prepareDetection() {
        EngineWarmUp.start()
    }
}
