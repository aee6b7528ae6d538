// go.mod parsing: see GoModFile.swift.
