/// A min-heap of candidate merges ordered by rank, then by left position.
struct BigramHeap {
    struct Bigram {
        var rank: Int32
        var left: Int32
        var leftID: Int32
        var rightID: Int32
        var result: Int32

        @inline(__always)
        static func precedes(_ a: Bigram, _ b: Bigram) -> Bool {
            a.rank != b.rank ? a.rank < b.rank : a.left < b.left
        }
    }

    private var items: [Bigram] = []

    mutating func push(_ item: Bigram) {
        items.append(item)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Bigram.precedes(items[i], items[parent]) else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> Bigram? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var smallest = i
                if l < items.count, Bigram.precedes(items[l], items[smallest]) { smallest = l }
                if r < items.count, Bigram.precedes(items[r], items[smallest]) { smallest = r }
                if smallest == i { break }
                items.swapAt(i, smallest)
                i = smallest
            }
        }
        return top
    }
}
