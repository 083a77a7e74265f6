import Packets

/// What dmdissect reads from a ClientHello (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2).
struct ClientHello: Hashable, Sendable {
    /// The 32-byte random: the key log's name for the connection.
    var random: [UInt8]
    /// legacy_version.
    var legacyVersion: ProtocolVersion
    /// The supported_versions extension (RFC 8446 §4.2.1), GREASE values removed; empty without it.
    var offeredVersions: [ProtocolVersion]
    /// The host_name of the server_name extension (RFC 6066 §3), printable ASCII, other bytes as `\xNN`.
    var serverName: String?

    /// Parses a ClientHello body; nil when it is cut short or its lengths disagree.
    init?(body: UnsafeRawBufferPointer) {
        var reader = ByteReader(body)
        guard let version = reader.read(UInt16.self), let random = reader.read(count: 32),
            let sessionIDLength = reader.read(UInt8.self), reader.skip(Int(sessionIDLength)),
            let suitesLength = reader.read(UInt16.self), reader.skip(Int(suitesLength)),
            let compressionLength = reader.read(UInt8.self), reader.skip(Int(compressionLength))
        else { return nil }
        self.legacyVersion = ProtocolVersion(rawValue: version)
        self.random = Array(random)
        offeredVersions = []
        serverName = nil
        guard !reader.isAtEnd else { return }  // TLS 1.2 allows a hello without extensions
        guard let extensions = Extensions(&reader) else { return nil }
        for (type, data) in extensions.items {
            switch type {
            case 0: serverName = Self.hostName(in: data)
            case 43:
                var list = ByteReader(data)
                guard let length = list.read(UInt8.self), let versions = list.read(count: Int(length)) else { continue }
                var versionReader = ByteReader(versions)
                while let value = versionReader.read(UInt16.self) {
                    let offered = ProtocolVersion(rawValue: value)
                    if !offered.isGREASE { offeredVersions.append(offered) }
                }
            default: continue
            }
        }
    }

    /// The first host_name of a server_name extension.
    private static func hostName(in data: UnsafeRawBufferPointer) -> String? {
        var reader = ByteReader(data)
        guard let listLength = reader.read(UInt16.self), let list = reader.read(count: Int(listLength)) else {
            return nil
        }
        var entries = ByteReader(list)
        while let nameType = entries.read(UInt8.self), let length = entries.read(UInt16.self),
            let name = entries.read(count: Int(length))
        {
            if nameType == 0 { return printable(name) }
        }
        return nil
    }
}

/// What dmdissect reads from a ServerHello (RFC 8446 §4.1.3, RFC 5246 §7.4.1.3).
struct ServerHello: Hashable, Sendable {
    /// SHA-256("HelloRetryRequest"): the random of a HelloRetryRequest (RFC 8446 §4.1.3).
    static let helloRetryRequestRandom: [UInt8] = [
        0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
    ]

    /// The 32-byte random.
    var random: [UInt8]
    /// The negotiated version: supported_versions when present, else legacy_version.
    var version: ProtocolVersion
    /// The chosen cipher suite.
    var cipherSuite: CipherSuite
    /// The session id echoed (a TLS 1.2 resumption when it equals the ClientHello's).
    var sessionID: [UInt8]

    /// True for a HelloRetryRequest, which asks for a second ClientHello.
    var isHelloRetryRequest: Bool { random == Self.helloRetryRequestRandom }

    /// Parses a ServerHello body; nil when it is cut short or its lengths disagree.
    init?(body: UnsafeRawBufferPointer) {
        var reader = ByteReader(body)
        guard let legacyVersion = reader.read(UInt16.self), let random = reader.read(count: 32),
            let sessionIDLength = reader.read(UInt8.self), let sessionID = reader.read(count: Int(sessionIDLength)),
            let suite = reader.read(UInt16.self), reader.skip(1)
        else { return nil }
        self.random = Array(random)
        self.sessionID = Array(sessionID)
        cipherSuite = CipherSuite(rawValue: suite)
        version = ProtocolVersion(rawValue: legacyVersion)
        guard !reader.isAtEnd else { return }
        guard let extensions = Extensions(&reader) else { return nil }
        for (type, data) in extensions.items where type == 43 {
            if let selected = data.bigEndian(at: 0, as: UInt16.self), data.count == 2 {
                version = ProtocolVersion(rawValue: selected)
            }
        }
    }
}

/// A hello's extension block: `extensions<0..2^16-1>` of (type, opaque data<0..2^16-1>).
private struct Extensions {
    var items: [(UInt16, UnsafeRawBufferPointer)] = []

    /// Reads the block at the cursor; nil when an extension runs past the block.
    init?(_ reader: inout ByteReader) {
        guard let length = reader.read(UInt16.self), let block = reader.read(count: Int(length)) else { return nil }
        var entries = ByteReader(block)
        while !entries.isAtEnd {
            guard let type = entries.read(UInt16.self), let size = entries.read(UInt16.self),
                let data = entries.read(count: Int(size))
            else { return nil }
            items.append((type, data))
        }
    }
}

/// `bytes` as text that is safe on any terminal: printable ASCII kept, everything else (and the
/// backslash) as `\xNN`.
func printable(_ bytes: UnsafeRawBufferPointer) -> String {
    var text = ""
    text.reserveCapacity(bytes.count)
    for byte in bytes {
        if (0x21...0x7E).contains(byte) && byte != UInt8(ascii: "\\") {
            text.unicodeScalars.append(Unicode.Scalar(byte))
        } else {
            let digits = String(byte, radix: 16, uppercase: true)
            text += "\\x" + (digits.count == 1 ? "0" : "") + digits
        }
    }
    return text
}
