import CodeCensus
