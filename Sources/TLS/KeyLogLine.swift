/// One line of an NSS key log, parsed.
enum KeyLogLine: Equatable {
    /// Blank, a comment, or a label dmdissect does not use.
    case ignored
    /// A secret for a connection.
    case entry(ClientRandom, KeyLogLabel, [UInt8])
    /// Not a key log line; the reason never quotes the line.
    case bad(String)

    /// Longer lines are cut here (and then fail to parse): the longest valid line is a label, a
    /// 64-digit random and a 96-digit secret.
    static let maximumLength = 1024

    static func parse(_ line: [UInt8]) -> KeyLogLine {
        let fields = line.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D })
        guard let first = fields.first else { return .ignored }
        if first.first == UInt8(ascii: "#") { return .ignored }
        let labelText = String(decoding: first, as: UTF8.self)
        guard let label = KeyLogLabel(rawValue: labelText) else {
            // Another key log label (EXPORTER_SECRET, CLIENT_EARLY_TRAFFIC_SECRET, RSA, …) is
            // fine; anything that is not even label-shaped is not.
            let isLabel = first.allSatisfy { (0x41...0x5A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
            return isLabel ? .ignored : .bad("not a key log line (expected LABEL CLIENT_RANDOM SECRET)")
        }
        guard fields.count == 3 else {
            return .bad("\(label.rawValue) needs 3 fields, the line has \(fields.count)")
        }
        guard let randomBytes = hexBytes(fields[1]), let random = ClientRandom(randomBytes) else {
            return .bad("\(label.rawValue): the client random is not 64 hex digits")
        }
        guard let secret = hexBytes(fields[2]) else {
            return .bad("\(label.rawValue): the secret is not hex")
        }
        guard label.secretLengths.contains(secret.count) else {
            let lengths = label.secretLengths.map(String.init).joined(separator: " or ")
            return .bad("\(label.rawValue): the secret has \(secret.count) bytes, expected \(lengths)")
        }
        return .entry(random, label, secret)
    }

    /// Bytes of an even number of hex digits, or nil.
    static func hexBytes(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count / 2)
        var high: UInt8? = nil
        for character in text {
            guard let nibble = hexValue(character) else { return nil }
            if let value = high {
                bytes.append(value << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return bytes
    }

    private static func hexValue(_ character: UInt8) -> UInt8? {
        switch character {
        case 0x30...0x39: character - 0x30
        case 0x41...0x46: character - 0x41 + 10
        case 0x61...0x66: character - 0x61 + 10
        default: nil
        }
    }
}
