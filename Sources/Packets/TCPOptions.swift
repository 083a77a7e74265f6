/// The options of a TCP header, parsed into fixed fields (no allocation).
public struct TCPOptions: Hashable, Sendable {
    /// Maximum segment size (kind 2).
    public var mss: UInt16?
    /// Window scale shift count (kind 3).
    public var windowScale: UInt8?
    /// SACK permitted (kind 4).
    public var sackPermitted: Bool = false
    /// Timestamps (kind 8).
    public var timestamps: TCPTimestamps?
    /// SACK blocks (kind 5), up to 4 (the most 40 option bytes can hold).
    public var sackBlocks: SACKBlocks = .init()
    /// Every option kind in wire order, including NOP and EOL (at most 40).
    public var kinds: TCPOptionKinds = .init()
    /// The option list is malformed (an option runs past the header or has a bad length);
    /// parsing stopped there and an event was reported.
    public var isMalformed: Bool = false

    /// No options.
    public init() {}
}

/// The TCP timestamps option (RFC 7323 §3).
public struct TCPTimestamps: Hashable, Sendable {
    /// TSval.
    public var value: UInt32
    /// TSecr.
    public var echo: UInt32

    /// A timestamps option.
    @inlinable
    public init(value: UInt32, echo: UInt32) {
        self.value = value
        self.echo = echo
    }
}

/// A TCP option kind (IANA "TCP Option Kind Numbers").
public struct TCPOptionKind: RawRepresentable, Hashable, Sendable {
    /// The wire value.
    public var rawValue: UInt8

    /// Wraps a wire value.
    @inlinable
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// End of option list.
    public static let endOfList = TCPOptionKind(rawValue: 0)
    /// No operation (padding).
    public static let noOperation = TCPOptionKind(rawValue: 1)
    /// Maximum segment size.
    public static let mss = TCPOptionKind(rawValue: 2)
    /// Window scale.
    public static let windowScale = TCPOptionKind(rawValue: 3)
    /// SACK permitted.
    public static let sackPermitted = TCPOptionKind(rawValue: 4)
    /// SACK blocks.
    public static let sack = TCPOptionKind(rawValue: 5)
    /// Timestamps.
    public static let timestamps = TCPOptionKind(rawValue: 8)
}

/// The kinds of a TCP option list in wire order, stored inline (40 bytes: the longest list).
public struct TCPOptionKinds: RandomAccessCollection, Hashable, Sendable {
    /// Kinds kept; a 40-byte option area cannot hold more.
    public static let capacity = 40

    private var words: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
    private var stored: UInt8 = 0

    /// An empty list.
    public init() {}

    /// Appends a kind (ignored beyond `capacity`).
    public mutating func append(_ kind: TCPOptionKind) {
        let index = Int(stored)
        guard index < Self.capacity else { return }
        let bits = UInt64(kind.rawValue) << UInt64(8 * (index % 8))
        switch index / 8 {
        case 0: words.0 |= bits
        case 1: words.1 |= bits
        case 2: words.2 |= bits
        case 3: words.3 |= bits
        default: words.4 |= bits
        }
        stored += 1
    }

    /// `0`.
    public var startIndex: Int { 0 }
    /// Number of kinds.
    public var endIndex: Int { Int(stored) }

    /// The kind at `position`.
    public subscript(position: Int) -> TCPOptionKind {
        let word: UInt64
        switch position / 8 {
        case 0: word = words.0
        case 1: word = words.1
        case 2: word = words.2
        case 3: word = words.3
        default: word = words.4
        }
        return TCPOptionKind(rawValue: UInt8(truncatingIfNeeded: word >> UInt64(8 * (position % 8))))  // one byte
    }

    /// Equal when the same kinds are in the same order.
    public static func == (lhs: TCPOptionKinds, rhs: TCPOptionKinds) -> Bool {
        lhs.elementsEqual(rhs)
    }

    /// Hashes the kinds in order.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(stored)
        for kind in self { hasher.combine(kind) }
    }
}

/// One SACK block: the left and right edges of a received range (RFC 2018).
public struct SACKBlock: Hashable, Sendable {
    /// First sequence number of the block.
    public var left: SequenceNumber
    /// Sequence number just after the block.
    public var right: SequenceNumber

    /// A block.
    @inlinable
    public init(left: SequenceNumber, right: SequenceNumber) {
        self.left = left
        self.right = right
    }
}

/// Up to four SACK blocks, stored inline.
public struct SACKBlocks: RandomAccessCollection, Hashable, Sendable {
    /// Blocks kept; 40 option bytes hold at most 4 (2 + 4 × 8 = 34).
    public static let capacity = 4

    private var blocks: (SACKBlock, SACKBlock, SACKBlock, SACKBlock)
    private var stored: UInt8 = 0

    /// No blocks.
    public init() {
        let zero = SACKBlock(left: SequenceNumber(0), right: SequenceNumber(0))
        blocks = (zero, zero, zero, zero)
    }

    /// Appends a block (ignored beyond `capacity`).
    public mutating func append(_ block: SACKBlock) {
        switch stored {
        case 0: blocks.0 = block
        case 1: blocks.1 = block
        case 2: blocks.2 = block
        case 3: blocks.3 = block
        default: return
        }
        stored += 1
    }

    /// `0`.
    public var startIndex: Int { 0 }
    /// Number of blocks.
    public var endIndex: Int { Int(stored) }

    /// The block at `position`.
    public subscript(position: Int) -> SACKBlock {
        switch position {
        case 0: blocks.0
        case 1: blocks.1
        case 2: blocks.2
        default: blocks.3
        }
    }

    /// Equal when the same blocks are in the same order.
    public static func == (lhs: SACKBlocks, rhs: SACKBlocks) -> Bool { lhs.elementsEqual(rhs) }

    /// Hashes the blocks in order.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(stored)
        for block in self { hasher.combine(block) }
    }
}
