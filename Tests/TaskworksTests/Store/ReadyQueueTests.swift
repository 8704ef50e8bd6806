import Testing

@testable import Taskworks

@Suite("Ready queue")
struct ReadyQueueTests {
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func popsInTheSameOrderAsSortingWhateverTheArrivalOrder(seed: UInt64) {
        var random = SplitMix64(seed: seed)  // a failing seed replays
        var queue = ReadyQueue<Int>()
        var reference: [Int] = []
        var last = 0
        for _ in 0..<5000 {
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<5:
                // Mostly in order (new tasks), sometimes older (retries) or far ahead.
                let value =
                    Bool.random(using: &random) ? last + 1 : Int.random(in: -100...last + 50, using: &random)
                last = max(last, value)
                queue.insert(value)
                reference.append(value)
            default:
                reference.sort()
                let expected = reference.isEmpty ? nil : reference.removeFirst()
                #expect(queue.min == expected)
                #expect(queue.popMin() == expected)
            }
            #expect(queue.count == reference.count)
        }
        reference.sort()
        var drained: [Int] = []
        while let value = queue.popMin() { drained.append(value) }
        #expect(drained == reference)
        #expect(queue.isEmpty)
    }

    @Test func aLongInOrderRunIsTakenInOrderAndDropsTakenElements() {
        var queue = ReadyQueue<Int>()
        for value in 0..<10_000 { queue.insert(value) }
        for value in 0..<9_000 { #expect(queue.popMin() == value) }
        #expect(queue.count == 1_000)
        queue.insert(-1)  // older than everything queued: comes out first
        #expect(queue.popMin() == -1)
        #expect(queue.popMin() == 9_000)
    }
}
