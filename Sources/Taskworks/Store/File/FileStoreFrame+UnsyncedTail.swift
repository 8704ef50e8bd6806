extension FileStoreFrame {
    /// The fewest zero bytes inside a record, with data after them, that can be a lost disk
    /// block: a sector.
    static let smallestLostBlock = 512

    /// Whether the bytes from `offset` to the end of a journal are what a power loss can leave
    /// after the last record that reached the disk: `nil` when they are, otherwise why not.
    ///
    /// A filesystem that extends a file before its data reaches the disk (XFS, ext4 with
    /// `data=writeback`, any filesystem for a page it never wrote) leaves zeros where unsynced
    /// records were, in whole pages, so zeros can start inside a record and be followed by the
    /// rest of a record (a fragment up to its newline), by whole records written later, by more
    /// zeros, or by a record cut short at the end. None of it was acknowledged: a record is
    /// acknowledged after an `fsync` that flushes every byte before it, and the zeros are bytes
    /// that were never flushed. Zeros with data after them must look like a lost write, not like
    /// a damaged byte: they start where a record starts (a whole unsynced write lost) or span at
    /// least ``smallestLostBlock`` bytes (a disk block lost inside a record). Anything else
    /// (non-zero bytes that are not a record where one must start, a record that fails its
    /// checksum without zeros in it, a few zero bytes inside a record: a flipped bit turns a space
    /// into one) is damage a power loss does not cause, and is reported.
    static func unsyncedTailProblem(_ bytes: UnsafeRawBufferPointer, from offset: Int) -> String? {
        var position = offset
        var sawZeros = false
        var afterZeros = false
        var atRecordStart = true
        while position < bytes.count {
            if bytes[position] == 0 {
                let runStart = position
                while position < bytes.count, bytes[position] == 0 { position += 1 }
                let length = position - runStart
                if position < bytes.count, !atRecordStart, length < smallestLostBlock {
                    return
                        "\(length) zero bytes inside a record, \(runStart) bytes into the tail, with data after "
                        + "them: a power loss loses whole writes or disk blocks, not a few bytes"
                }
                sawZeros = true
                afterZeros = true
                atRecordStart = false
                continue
            }
            switch scan(bytes, at: position) {
            case .frame(_, let next):
                position = next
                afterZeros = false
                atRecordStart = true
            case .zeroed(let zeroAt):
                position = zeroAt
                atRecordStart = false
            case .incomplete where !afterZeros:
                return nil  // a record cut short at the end of the file
            case .corrupt(let reason) where !afterZeros:
                return sawZeros ? "\(position) bytes into the tail, after zero bytes: \(reason)" : reason
            case .incomplete, .corrupt:
                // The rest of a record whose start was zeroed: up to its newline, or more zeros.
                guard
                    let stop = bytes[position...].firstIndex(where: { $0 == 0 || $0 == UInt8(ascii: "\n") })
                else { return nil }
                afterZeros = bytes[stop] == 0
                atRecordStart = !afterZeros
                position = afterZeros ? stop : stop + 1
            }
        }
        return nil
    }
}
