import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Version 4 UUIDs from the system's cryptographic random source, fetched 4 KiB at a time:
/// one `getrandom` call per 256 ids instead of one per id (task creation is a hot path).
final class RandomUUIDSource: Sendable {
    /// `count` cryptographically random bytes in one call (glibc's `arc4random_buf`, which reads
    /// the kernel's generator).
    static func randomBytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { buffer in
            if let base = buffer.baseAddress { arc4random_buf(base, buffer.count) }
        }
        return bytes
    }

    static let shared = RandomUUIDSource()

    private struct Pool {
        var bytes: [UInt8] = []
        var offset = 0
    }

    private let pool = LockedState(Pool())

    func next() -> UUID {
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        pool.withLock { pool in
            if pool.offset + 16 > pool.bytes.count {
                pool.bytes = RandomUUIDSource.randomBytes(4096)
                pool.offset = 0
            }
            let offset = pool.offset
            pool.bytes.withUnsafeBytes { source in
                withUnsafeMutableBytes(of: &raw) { target in
                    target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + 16]))
                }
            }
            pool.offset += 16
        }
        raw.6 = (raw.6 & 0x0F) | 0x40  // version 4
        raw.8 = (raw.8 & 0x3F) | 0x80  // RFC 4122 variant
        return UUID(uuid: raw)
    }
}
