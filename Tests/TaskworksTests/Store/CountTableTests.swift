import Testing

@testable import Taskworks

@Suite("Count table")
struct CountTableTests {
    struct Key: Hashable {
        let type: Int32
        let creator: Int32
        let status: TaskStatus
    }

    @Test(arguments: [(3, 2), (40, 1), (1, 50), (33, 17)])
    func agreesWithADictionaryAsTypesAndCreatorsGrow(types: Int, creators: Int) {
        var table = InMemoryTaskIndex.CountTable()
        var reference: [Key: Int] = [:]
        var generator = SplitMix64(seed: UInt64(types * 1000 + creators))
        for _ in 0..<3000 {
            // New numbers show up over time, as interning hands them out.
            let key = Key(
                type: Int32.random(in: 0..<Int32(types), using: &generator),
                creator: Int32.random(in: 0..<Int32(creators), using: &generator),
                status: TaskStatus.allCases.randomElement(using: &generator) ?? .pending)
            let delta = Bool.random(using: &generator) ? 1 : -1
            table.adjust(type: key.type, creator: key.creator, status: key.status, by: delta)
            reference[key, default: 0] += delta
        }
        for creator in 0..<Int32(creators) {
            var seen: [Key: Int] = [:]
            table.forEach(creator: creator) { type, status, count in
                seen[Key(type: type, creator: creator, status: status)] = count
            }
            #expect(seen == reference.filter { $0.key.creator == creator && $0.value != 0 })
        }
        var overall: [Key: Int] = [:]
        table.forEach(creator: nil) { type, status, count in
            overall[Key(type: type, creator: 0, status: status)] = count
        }
        var expected: [Key: Int] = [:]
        for (key, count) in reference {
            expected[Key(type: key.type, creator: 0, status: key.status), default: 0] += count
        }
        #expect(overall == expected.filter { $0.value != 0 })
        var none = 0
        table.forEach(creator: Int32(creators + 5)) { _, _, _ in none += 1 }
        #expect(none == 0)
    }
}
