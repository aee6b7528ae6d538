// The scan pipeline; see Scanner.swift.
