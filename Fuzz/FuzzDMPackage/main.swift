// libFuzzer entry point for the DM JSON side: the JSON parser, the package decoders for every
// media type (and for none), and the MO serialization decoder. Built only with DMDISSECT_FUZZ=1.
import DMProtocol

/// Media types tried on every input: the three package types, a foreign type (kind from the body),
/// and a stray-`;` spelling.
private let contentTypes: [String?] = [
    "application/vnd.oma.dm.initiation+json",
    "application/vnd.oma.dm.request+json",
    "application/vnd.oma.dm.response+json;",
    "text/plain",
    nil,
]

/// Headers the A dialect reads, so their code paths run too.
private let headers: HTTPHeaderFields = [("OMADM-DevID", "IMEI:356938035643809"), ("OMADM_Accept", "application/json")]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // libFuzzer owns `data` for the duration of the call only.
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    if let document = try? JSONParser.parse(bytes) {
        // Writing and re-parsing must give the same tree.
        let written = JSONWriter().bytes(document.value)
        guard let again = try? JSONParser.parse(written), again.value == document.value else {
            fatalError("JSONWriter output does not re-parse to the same value")
        }
    }
    for contentType in contentTypes {
        let decoded = PackageDecoder.decode(contentType: contentType, headers: headers, body: bytes)
        if decoded.package == nil, decoded.issues.isEmpty {
            fatalError("a package decode returned neither a package nor an issue")
        }
        for command in decoded.request?.commands ?? [] {
            for argument in command.arguments { _ = argument.clientURI }
        }
    }
    _ = PackageDecoder.decodeMOSerialization(bytes)
    if let text = String(validating: bytes, as: UTF8.self) { _ = try? ClientURI(text) }
    return 0
}
