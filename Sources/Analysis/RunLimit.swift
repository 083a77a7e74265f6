import DMProtocol
import HTTP1
import Packets

/// One resource limit of a run. Every limit that bounds memory or work on hostile input is one of
/// these: it has a safe default, most can be set on the command line (`option`), and every hit is
/// counted and reported in the summary and in the JSON `stats.limits` table (docs/security.md).
public enum RunLimit: String, CaseIterable, Sendable, Hashable {
    /// TCP flows in the table; a hit evicts the least recently active flow (TCP-EVICTED).
    case flows = "max-flows"
    /// Out-of-order bytes buffered over all flows (TCP-LIMIT).
    case reassemblyMemory = "max-reassembly-memory"
    /// Out-of-order bytes buffered for one direction of a flow (TCP-LIMIT).
    case flowBuffer = "max-flow-buffer"
    /// Out-of-order segments buffered for one direction of a flow (TCP-LIMIT).
    case flowSegments = "max-flow-segments"
    /// Bytes of IP fragments buffered over all datagrams (IP-FRAG-LIMIT).
    case fragmentMemory = "max-fragment-memory"
    /// IP datagrams being reassembled at once (IP-FRAG-LIMIT).
    case fragmentDatagrams = "max-fragment-datagrams"
    /// Bytes and fragments of one reassembled datagram: fixed at the IP maximum (IP-FRAG-LIMIT).
    case fragmentDatagramSize = "fragment-datagram-size"
    /// Bytes of an HTTP start line plus header section (HTTP-HEADER-LIMIT).
    case headerSize = "max-header-size"
    /// Bytes of an HTTP body kept for decoding (HTTP-BODY-LIMIT).
    case bodySize = "max-body-size"
    /// Bytes a gzip/deflate body may decode to (HTTP-DECODE-LIMIT).
    case decodedSize = "max-decoded-size"
    /// Requests awaiting their response on one connection (HTTP-PIPELINE-LIMIT).
    case pipelined = "max-pipelined"
    /// Bytes of one JSON package (DM-CT-007).
    case jsonSize = "max-json-size"
    /// Nesting depth of a JSON package (DM-CT-007).
    case jsonDepth = "max-json-depth"
    /// Bytes of one JSON string (DM-CT-007).
    case jsonString = "max-json-string"
    /// Values of a JSON package, and elements of one array or object (DM-CT-007).
    case jsonValues = "max-json-values"
    /// Bytes of one JSON number literal: fixed (DM-CT-007).
    case jsonNumber = "json-number-length"
    /// Commands of a Package#2, status items of a Package#3, decoded and checked (DM-P2-004, DM-P3-010).
    case packageItems = "max-package-items"
    /// Parts of a multipart Package#3, header bytes and fields of a part: fixed (DM-CT-007).
    case multipart = "multipart-parts"
    /// DM sessions open at once; a hit closes the least recently active (DM-TRK-002).
    case sessions = "max-sessions"
    /// Packages stored per session; later ones are checked, not kept (DM-TRK-002).
    case sessionPackages = "max-session-packages"
    /// Commands, results and MO items stored per session with their content (DM-TRK-002).
    case sessionItems = "max-session-items"
    /// Notifications waiting for their Package#1 (DM-TRK-002).
    case pendingNotifications = "max-pending-notifications"

    /// The command-line option that sets it (`--max-flows`), or nil for a fixed limit.
    public var option: String? { rawValue.hasPrefix("max-") ? "--" + rawValue : nil }

    /// True when the value is a byte count (shown with a unit; the options take K, M, G suffixes).
    public var isBytes: Bool {
        switch self {
        case .reassemblyMemory, .flowBuffer, .fragmentMemory, .fragmentDatagramSize, .headerSize, .bodySize,
            .decodedSize, .jsonSize, .jsonString, .jsonNumber:
            true
        default: false
        }
    }

    /// What a hit does, in a few words, for the summary.
    public var what: String {
        switch self {
        case .flows: "flows evicted"
        case .reassemblyMemory, .flowBuffer, .flowSegments: "holes given up"
        case .fragmentMemory, .fragmentDatagrams, .fragmentDatagramSize: "datagrams dropped"
        case .headerSize: "messages dropped"
        case .bodySize: "bodies cut"
        case .decodedSize: "bodies not decoded"
        case .pipelined: "requests dropped"
        case .jsonSize, .jsonDepth, .jsonString, .jsonValues, .jsonNumber: "packages not decoded"
        case .packageItems: "packages partly decoded"
        case .multipart: "bodies partly split"
        case .sessions: "sessions closed early"
        case .sessionPackages, .sessionItems: "packages not kept"
        case .pendingNotifications: "notifications not correlated"
        }
    }

    /// The limit a decode problem names.
    static func decoding(_ limit: DecodeLimit) -> RunLimit {
        switch limit {
        case .jsonSize: .jsonSize
        case .jsonDepth: .jsonDepth
        case .jsonString: .jsonString
        case .jsonNumber: .jsonNumber
        case .jsonValues: .jsonValues
        case .packageItems: .packageItems
        case .multipart: .multipart
        }
    }

    /// The limit an HTTP anomaly reports, if it is a limit hit.
    static func http(_ kind: HTTPAnomaly.Kind) -> RunLimit? {
        switch kind {
        case .headerLimit: .headerSize
        case .bodyLimit: .bodySize
        case .decodeLimit: .decodedSize
        case .pipelineLimit: .pipelined
        default: nil
        }
    }

    /// The limit a fragment reassembly event reports.
    static func fragments(_ kind: FragmentLimitKind) -> RunLimit {
        switch kind {
        case .bufferedBytes: .fragmentMemory
        case .pendingDatagrams: .fragmentDatagrams
        case .datagramBytes, .fragmentsPerDatagram: .fragmentDatagramSize
        }
    }
}

/// A limit as configured for a run, and how often it was hit.
public struct LimitUsage: Sendable, Hashable {
    /// Which limit.
    public var limit: RunLimit
    /// Its value in this run (bytes or a count).
    public var value: Int
    /// Times it was hit.
    public var hits: Int

    /// A limit's value and hits.
    public init(limit: RunLimit, value: Int, hits: Int) {
        self.limit = limit
        self.value = value
        self.hits = hits
    }
}

extension RunLimit {
    /// Where the limit's value lives in `RunOptions`: one table that both reading the value
    /// (`RunOptions.value(of:)`) and setting it (`RunOptions.set(_:to:)`) go through.
    var keyPath: WritableKeyPath<RunOptions, Int> {
        switch self {
        case .flows: \.reassemblyLimits.maxFlows
        case .reassemblyMemory: \.reassemblyLimits.maxBufferedBytes
        case .flowBuffer: \.reassemblyLimits.maxBufferedBytesPerDirection
        case .flowSegments: \.reassemblyLimits.maxBufferedSegmentsPerDirection
        case .fragmentMemory: \.fragmentLimits.maxBufferedBytes
        case .fragmentDatagrams: \.fragmentLimits.maxPendingDatagrams
        case .fragmentDatagramSize: \.fragmentLimits.maxDatagramBytes
        case .headerSize: \.httpConfiguration.limits.maxHeaderSectionSize
        case .bodySize: \.httpConfiguration.limits.maxStoredBodySize
        case .decodedSize: \.httpConfiguration.limits.maxDecodedBodySize
        case .pipelined: \.httpConfiguration.limits.maxOutstandingRequests
        case .jsonSize: \.sessionTracking.decoderOptions.limits.maxInputSize
        case .jsonDepth: \.sessionTracking.decoderOptions.limits.maxDepth
        case .jsonString: \.sessionTracking.decoderOptions.limits.maxStringLength
        case .jsonValues: \.sessionTracking.decoderOptions.limits.maxValueCount
        case .jsonNumber: \.sessionTracking.decoderOptions.limits.maxNumberLength
        case .packageItems: \.sessionTracking.decoderOptions.maxItemsPerPackage
        case .multipart: \.sessionTracking.decoderOptions.multipartLimits.maxParts
        case .sessions: \.sessionTracking.limits.maxOpenSessions
        case .sessionPackages: \.sessionTracking.limits.maxPackagesPerSession
        case .sessionItems: \.sessionTracking.limits.maxStoredItemsPerSession
        case .pendingNotifications: \.sessionTracking.limits.maxPendingNotifications
        }
    }
}

extension RunOptions {
    /// The configured value of `limit`.
    public func value(of limit: RunLimit) -> Int { self[keyPath: limit.keyPath] }

    /// Sets `limit` to `value`; a fixed limit (no `option`) is left alone.
    public mutating func set(_ limit: RunLimit, to value: Int) {
        guard limit.option != nil else { return }
        self[keyPath: limit.keyPath] = value
    }
}
