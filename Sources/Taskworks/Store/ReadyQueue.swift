/// A min-queue for claim order that costs O(1) when elements arrive in order, as new tasks do
/// (same priority, each created after the last), and O(log n) otherwise.
///
/// Elements no smaller than the last one appended go to a first-in-first-out run; any other
/// element (a retry of an older task, a higher priority) goes to a ``BinaryHeap``. The smallest
/// element is the smaller of the run's head and the heap's minimum, so the order is exactly a
/// heap's.
struct ReadyQueue<Element: Comparable & Sendable>: Sendable {
    /// Sorted ascending from ``runStart`` on.
    private var run: [Element] = []
    private var runStart = 0
    private var heap = BinaryHeap<Element>()

    var isEmpty: Bool { runStart == run.count && heap.isEmpty }
    var count: Int { run.count - runStart + heap.count }

    var min: Element? {
        let head = runStart < run.count ? run[runStart] : nil
        guard let heapMin = heap.min else { return head }
        guard let head else { return heapMin }
        return heapMin < head ? heapMin : head
    }

    mutating func insert(_ element: Element) {
        if runStart == run.count || !(element < run[run.count - 1]) {
            run.append(element)
        } else {
            heap.insert(element)
        }
    }

    @discardableResult
    mutating func popMin() -> Element? {
        if runStart < run.count, heap.min.map({ !($0 < run[runStart]) }) ?? true {
            let head = run[runStart]
            runStart += 1
            if runStart == run.count {
                run.removeAll(keepingCapacity: true)
                runStart = 0
            } else if runStart >= 1024 && runStart * 2 >= run.count {
                // Taken elements are dropped in bulk: amortised O(1), and memory stays
                // proportional to what is queued.
                run.removeFirst(runStart)
                runStart = 0
            }
            return head
        }
        return heap.popMin()
    }
}
