extension String {
    /// Whether any character is a control character (Unicode general category Cc: C0, DEL, C1).
    /// Printable ASCII, the common case for ids and names, is decided from the bytes alone.
    var containsControlCharacters: Bool {
        var allPrintableASCII = true
        for byte in utf8 {
            if byte < 0x20 || byte == 0x7F { return true }
            if byte >= 0x80 {
                allPrintableASCII = false
                break
            }
        }
        if allPrintableASCII { return false }
        return unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
