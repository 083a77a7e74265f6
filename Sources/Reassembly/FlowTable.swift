import Packets

/// The flows, in a slab found through a dictionary, threaded on two intrusive lists: open flows
/// from most to least recently active (the last one is the idle and eviction candidate), and
/// ended flows lingering from newest to oldest. Touching a flow, expiring the oldest and evicting
/// the least recently active are O(1); nothing is allocated per segment.
///
/// The list links live in their own array of plain values, apart from the flows: the per-segment
/// list updates then never copy a flow (whose consumer is an existential).
struct FlowTable {
    /// Which list a slot is on.
    enum List { case free, open, closed }

    /// A slot's place on its list.
    struct Link {
        /// Open: last segment time; closed: when it ended.
        var lastSeen: Timestamp
        var previous = -1
        var next = -1
        var list = List.free
    }

    /// First (newest) and last (oldest) slot of a list; -1 when empty.
    struct Ends {
        var first = -1
        var last = -1
    }

    /// The flows by slot; free slots hold `Flow.vacant`.
    var flows: [Flow] = []
    /// The list links by slot.
    private(set) var links: [Link] = []
    /// Indices of free slots.
    private var freeSlots: [Int] = []
    /// Slot of each flow in the table (open or lingering).
    private var index: [FlowKey: Int] = [:]
    /// Open flows, most recently active first.
    private(set) var open = Ends()
    /// Ended flows, most recently ended first.
    private(set) var closed = Ends()
    /// The last flow looked up: consecutive segments mostly belong to one flow, and comparing two
    /// keys is cheaper than hashing one.
    private var lastKey: FlowKey?
    private var lastSlot = -1

    /// Flows in the table (open and lingering).
    var count: Int { index.count }

    /// The slot of `key`'s flow.
    @inline(__always)
    mutating func slot(for key: FlowKey) -> Int? {
        if lastSlot >= 0, lastKey == key { return lastSlot }
        guard let slot = index[key] else { return nil }
        lastKey = key
        lastSlot = slot
        return slot
    }

    /// Adds an open flow as the most recently active; returns its slot.
    mutating func insert(_ flow: Flow, time: Timestamp) -> Int {
        let slot: Int
        if let reused = freeSlots.popLast() {
            slot = reused
            flows[slot] = flow
            links[slot] = Link(lastSeen: time)
        } else {
            slot = flows.count
            flows.append(flow)
            links.append(Link(lastSeen: time))
        }
        index[flow.key] = slot
        pushFirst(slot, on: .open)
        return slot
    }

    /// Marks an open flow active at `time` (moves it to the front).
    @inline(__always)
    mutating func touch(_ slot: Int, time: Timestamp) {
        if time > links[slot].lastSeen { links[slot].lastSeen = time }
        guard open.first != slot else { return }
        unlink(slot)
        pushFirst(slot, on: .open)
    }

    /// Moves an ended flow to the lingering list and drops its consumer.
    mutating func close(_ slot: Int, time: Timestamp) {
        unlink(slot)
        flows[slot].consumer = nil
        links[slot].lastSeen = time
        pushFirst(slot, on: .closed)
    }

    /// Removes a flow from the table.
    mutating func remove(_ slot: Int) {
        if slot == lastSlot {
            lastSlot = -1
            lastKey = nil
        }
        unlink(slot)
        index[flows[slot].key] = nil
        flows[slot] = .vacant
        freeSlots.append(slot)
    }

    /// True when the slot holds an ended, lingering flow.
    @inline(__always)
    func isClosed(_ slot: Int) -> Bool { links[slot].list == .closed }

    private mutating func unlink(_ slot: Int) {
        let previous = links[slot].previous
        let next = links[slot].next
        let list = links[slot].list
        if previous >= 0 {
            links[previous].next = next
        } else {
            setFirst(next, of: list)
        }
        if next >= 0 {
            links[next].previous = previous
        } else {
            setLast(previous, of: list)
        }
        links[slot].previous = -1
        links[slot].next = -1
        links[slot].list = .free
    }

    private mutating func pushFirst(_ slot: Int, on list: List) {
        let first = list == .open ? open.first : closed.first
        links[slot].previous = -1
        links[slot].next = first
        links[slot].list = list
        if first >= 0 {
            links[first].previous = slot
        } else {
            setLast(slot, of: list)
        }
        setFirst(slot, of: list)
    }

    private mutating func setFirst(_ slot: Int, of list: List) {
        switch list {
        case .open: open.first = slot
        case .closed: closed.first = slot
        case .free: break
        }
    }

    private mutating func setLast(_ slot: Int, of list: List) {
        switch list {
        case .open: open.last = slot
        case .closed: closed.last = slot
        case .free: break
        }
    }
}
