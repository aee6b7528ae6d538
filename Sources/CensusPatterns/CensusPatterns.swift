// Byte regular expressions: see ByteRegex.swift.
