import Foundation

/// Builds capture containers (pcap, pcapng) byte by byte for tests of the readers.
/// These are file-format fixtures, not captures of traffic.
enum ContainerBuilder {
    struct Record {
        var seconds: UInt32
        var fraction: UInt32
        var data: [UInt8]
        var originalLength: Int? = nil
    }

    /// Classic pcap: magic a1b2c3d4 (or a1b23c4d for nanoseconds), in little or big endian.
    static func pcap(linkType: UInt32 = 1, nanoseconds: Bool = false, bigEndian: Bool = false, snaplen: UInt32 = 65535, records: [Record]) -> [UInt8] {
        var out: [UInt8] = []
        func u32(_ v: UInt32) { out += bigEndian ? be32(v) : le32(v) }
        func u16(_ v: UInt16) { out += bigEndian ? [UInt8(v >> 8), UInt8(v & 0xFF)] : [UInt8(v & 0xFF), UInt8(v >> 8)] }
        u32(nanoseconds ? 0xA1B2_3C4D : 0xA1B2_C3D4)
        u16(2); u16(4); u32(0); u32(0); u32(snaplen); u32(linkType)
        for record in records {
            u32(record.seconds); u32(record.fraction)
            u32(UInt32(record.data.count)); u32(UInt32(record.originalLength ?? record.data.count))
            out += record.data
        }
        return out
    }

    struct Block {
        var type: UInt32
        var body: [UInt8]
    }

    /// A pcapng file from blocks, little-endian unless `bigEndian`.
    static func pcapng(bigEndian: Bool = false, blocks: [Block]) -> [UInt8] {
        var out: [UInt8] = []
        func enc(_ v: UInt32) -> [UInt8] { bigEndian ? be32(v) : le32(v) }
        // Section header: byte-order magic, version 1.0, section length -1.
        var shb = enc(0x1A2B_3C4D)
        shb += bigEndian ? [0, 1, 0, 0] : [1, 0, 0, 0]
        shb += [UInt8](repeating: 0xFF, count: 8)
        for block in [Block(type: 0x0A0D_0D0A, body: shb)] + blocks {
            var body = block.body
            while body.count % 4 != 0 { body.append(0) }
            let total = UInt32(body.count + 12)
            out += enc(block.type) + enc(total) + body + enc(total)
        }
        return out
    }

    static func idb(linkType: UInt16, snaplen: UInt32 = 0, tsresol: UInt8? = nil, name: String? = nil, bigEndian: Bool = false) -> Block {
        func enc(_ v: UInt32) -> [UInt8] { bigEndian ? be32(v) : le32(v) }
        func enc16(_ v: UInt16) -> [UInt8] { bigEndian ? [UInt8(v >> 8), UInt8(v & 0xFF)] : [UInt8(v & 0xFF), UInt8(v >> 8)] }
        var body = enc16(linkType) + [0, 0] + enc(snaplen)
        func option(_ code: UInt16, _ value: [UInt8]) {
            body += enc16(code) + enc16(UInt16(value.count)) + value
            while body.count % 4 != 0 { body.append(0) }
        }
        if let name { option(2, Array(name.utf8)) }
        if let tsresol { option(9, [tsresol]) }
        if name != nil || tsresol != nil { option(0, []) }
        return Block(type: 1, body: body)
    }

    static func epb(interface: UInt32, timestamp: UInt64, data: [UInt8], originalLength: Int? = nil, bigEndian: Bool = false) -> Block {
        func enc(_ v: UInt32) -> [UInt8] { bigEndian ? be32(v) : le32(v) }
        let body = enc(interface) + enc(UInt32(timestamp >> 32)) + enc(UInt32(timestamp & 0xFFFF_FFFF))
            + enc(UInt32(data.count)) + enc(UInt32(originalLength ?? data.count)) + data
        return Block(type: 6, body: body)
    }

    static func spb(data: [UInt8]) -> Block {
        Block(type: 3, body: le32(UInt32(data.count)) + data)
    }

    static func dsb(type: UInt32, secrets: [UInt8]) -> Block {
        Block(type: 0x0A, body: le32(type) + le32(UInt32(secrets.count)) + secrets)
    }

    static func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)] }
    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }

    /// Writes `bytes` to a fresh temporary file and returns its path.
    static func write(_ bytes: [UInt8], name: String = "capture") throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dmdissect-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// gzip-compresses a file with the system's gzip (always present on Debian).
    static func gzip(_ path: String, to destination: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "gzip -n -c \"$0\" > \"$1\"", path, destination]
        try process.run()
        process.waitUntilExit()
    }

    /// A minimal Ethernet/IPv4/UDP frame (content is irrelevant to the container readers).
    static func udpFrame(port: UInt16) -> [UInt8] {
        var frame = [UInt8](repeating: 0, count: 12) + [0x08, 0x00]
        frame += [0x45, 0, 0, 32, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]
        frame += [0x30, 0x39, UInt8(port >> 8), UInt8(port & 0xFF), 0, 12, 0, 0, 1, 2, 3, 4]
        return frame
    }

    /// A minimal Ethernet/IPv4/TCP SYN frame.
    static func tcpFrame(port: UInt16) -> [UInt8] {
        var frame = [UInt8](repeating: 0, count: 12) + [0x08, 0x00]
        frame += [0x45, 0, 0, 40, 0, 1, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]
        frame += [0x30, 0x39, UInt8(port >> 8), UInt8(port & 0xFF), 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xFF, 0xFF, 0, 0, 0, 0]
        return frame
    }
}
