#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Byte-wise substring search for already case-folded text over the UTF-8 bytes (`memchr` for the
/// first byte, `memcmp` for the rest), with no allocation per call. Literal by construction: no
/// character is special. Searching valid UTF-8 for valid UTF-8 bytes only matches on character
/// boundaries.
enum SubstringSearch {
    static func contains(_ haystack: String, _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        var haystack = haystack
        return haystack.withUTF8 { hay in
            needle.withUnsafeBytes { pattern in
                guard let hayBase = hay.baseAddress, let patternBase = pattern.baseAddress,
                    hay.count >= pattern.count
                else { return false }
                let first = Int32(pattern[0])
                let last = hay.count - pattern.count
                var offset = 0
                while offset <= last {
                    guard let found = memchr(hayBase + offset, first, last - offset + 1) else { return false }
                    let position = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - hayBase
                    if memcmp(hayBase + position, patternBase, pattern.count) == 0 { return true }
                    offset = position + 1
                }
                return false
            }
        }
    }
}
