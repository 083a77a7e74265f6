/// One 802.1Q / 802.1ad tag: the tag protocol identifier and the tag control information.
public struct VLANTag: Hashable, Sendable {
    /// The EtherType that introduced the tag (0x8100, 0x88A8 or 0x9100).
    public var tagProtocol: EtherType
    /// The 16-bit tag control information (PCP, DEI, VID).
    public var controlInformation: UInt16

    /// A tag.
    @inlinable
    public init(tagProtocol: EtherType, controlInformation: UInt16) {
        self.tagProtocol = tagProtocol
        self.controlInformation = controlInformation
    }

    /// VLAN identifier, 0…4095.
    @inlinable
    public var id: UInt16 { controlInformation & 0x0FFF }
    /// Priority code point, 0…7.
    @inlinable
    public var priority: UInt8 { UInt8(truncatingIfNeeded: controlInformation >> 13) }  // 3 bits left
    /// Drop eligible indicator.
    @inlinable
    public var isDropEligible: Bool { controlInformation & 0x1000 != 0 }
}

/// The VLAN tags of a frame, outermost first, stored inline (no allocation).
///
/// Holds up to `capacity` tags; `totalCount` also counts tags beyond that (they are parsed
/// and skipped, but not kept).
public struct VLANTags: RandomAccessCollection, Hashable, Sendable {
    /// Tags kept inline.
    public static let capacity = 4

    // Each tag is `tpid << 16 | tci`; tags 0 and 1 in `low`, 2 and 3 in `high` (tag 0 in the top half).
    private var low: UInt64 = 0
    private var high: UInt64 = 0
    private var stored: UInt8 = 0
    /// Number of tags in the frame, including any beyond `capacity`.
    public private(set) var totalCount: Int = 0

    /// No tags.
    public init() {}

    /// Appends a tag (dropped, but counted, beyond `capacity`).
    public mutating func append(_ tag: VLANTag) {
        totalCount += 1
        guard Int(stored) < Self.capacity else { return }
        let packed = UInt64(tag.tagProtocol.rawValue) << 16 | UInt64(tag.controlInformation)
        let shift = UInt64(32 * (1 - Int(stored) % 2))
        if stored < 2 { low |= packed << shift } else { high |= packed << shift }
        stored += 1
    }

    /// `0`.
    public var startIndex: Int { 0 }
    /// Number of tags kept.
    public var endIndex: Int { Int(stored) }

    /// The tag at `position` (outermost is 0).
    public subscript(position: Int) -> VLANTag {
        let word = position < 2 ? low : high
        let packed = word >> UInt64(32 * (1 - position % 2))
        // Each field is exactly 16 bits of the packed 32-bit value.
        return VLANTag(
            tagProtocol: EtherType(rawValue: UInt16(truncatingIfNeeded: packed >> 16)),
            controlInformation: UInt16(truncatingIfNeeded: packed))
    }
}
