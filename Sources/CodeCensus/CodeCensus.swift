// CodeCensus: the library's front door. Importing it brings in every module a user of the library
// needs: languages and detection, line counting, scanning, and reports.
@_exported import CensusCorpus
@_exported import CensusCounting
@_exported import CensusGit
@_exported import CensusGoModules
@_exported import CensusGoSource
@_exported import CensusLanguages
@_exported import CensusReports
@_exported import CensusScan
@_exported import CensusStore
@_exported import CensusHistory
@_exported import CensusPeople
@_exported import CensusEvents
@_exported import CensusProgress
@_exported import CensusDocuments

/// The version of CodeCensus, as `census --version` prints it.
public enum CensusVersion {
    public static let string = "0.1.0"
}
