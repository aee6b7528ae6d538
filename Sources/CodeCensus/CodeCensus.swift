@_exported import CensusCounting
@_exported import CensusLanguages
@_exported import CensusReports
@_exported import CensusScan
