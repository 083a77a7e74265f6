/// MO data found in an HTTP message outside the JSON packages (issue 12 item 8): an HGET response from a
/// data repository, an HPUT/HPOST upload to one, a SUB change report, or a multipart Package#3 part.
///
/// Associating the message with the command that caused it (rule DM-P3-008) is the session tracker's
/// job; this type only recognises and decodes the data.
public struct MODataDecoding: Hashable, Sendable {
    /// How the body was recognised as MO data.
    public enum Format: String, Hashable, Sendable {
        /// `application/dmmo+json` (approved §7.2.1.4): an array of `{DDF?, ClientURI, CV?, MOData}`.
        case dmmoJSON
        /// `application/vnd.oma.dm.mo+json` (the CR draft's `AcceptMO` example): `{URI, MO}` or an array of them.
        case crJSON
        /// No MO media type (none, or `application/json`) but the JSON has the MO serialization shape.
        case guessedJSON
        /// TNDS (`application/vnd.syncml.dmtnds+xml` / `+wbxml`, reference §3.4): recognised, not decoded.
        case tnds
    }

    public var format: Format
    /// The parsed Content-Type, when there was one.
    public var mediaType: MediaType?
    /// The MO items; `nil` when the body is not readable JSON of the right shape, or TNDS.
    public var items: [MOData]?
    /// The parsed body, for rendering.
    public var document: JSONDocument?
    /// Problems with offsets into the body.
    public var issues: [DecodeError]

    /// The TNDS media types (IANA-registered; reference §3.4, S-IANA-TNDS).
    public static let tndsMediaTypes: Set<String> = [
        "application/vnd.syncml.dmtnds+xml", "application/vnd.syncml.dmtnds+wbxml",
    ]

    /// Recognises and decodes MO data in an HTTP message (request or response); `nil` when the message
    /// does not carry MO data. `contentType` is the Content-Type value; when `nil` it is taken from
    /// `headers`. `body` is only read during the call.
    ///
    /// Recognition: an MO media type decides; without one (no Content-Type, or `application/json`) the
    /// body is parsed and accepted when it has the MO serialization shape (an array of objects with
    /// `ClientURI` or `MOData`, or one such object), with a deviation warning naming the media type.
    public static func decode(
        contentType: String?, headers: HTTPHeaderFields, body: UnsafeRawBufferPointer,
        options: PackageDecoder.Options = .default
    ) -> MODataDecoding? {
        let typeText = contentType ?? DMHeader.value(DMHeader.contentType, in: headers)
        let mediaType = typeText.flatMap(MediaType.init)
        let essence = mediaType?.essence
        var result: MODataDecoding
        switch essence {
        case DMMediaType.moSerialization.rawValue?:
            result = decode(body, format: .dmmoJSON, options: options)
        case DMMediaType.crMOData.rawValue?:
            result = decode(body, format: .crJSON, options: options)
        case let type? where tndsMediaTypes.contains(type):
            result = MODataDecoding(
                format: .tnds, items: nil, document: nil,
                issues: [DecodeError(.notice, "TNDS MO data (\(type)) is recognised but not decoded.")])
        case nil, "application/json"?:
            guard !body.isEmpty, let document = try? JSONParser.parse(body, limits: options.limits),
                hasMOShape(document.value)
            else { return nil }
            result = decode(body, format: .guessedJSON, options: options)
            result.issues.insert(
                DecodeError(
                    .schemaDeviation,
                    "MO data is sent as \(essence ?? "no media type"); its media type is \(DMMediaType.moSerialization.rawValue).",
                    offset: 0),
                at: 0)
        default:
            return nil
        }
        result.mediaType = mediaType
        return result
    }

    /// Decodes an HTTP body held in an array.
    public static func decode(
        contentType: String?, headers: HTTPHeaderFields, body: [UInt8], options: PackageDecoder.Options = .default
    ) -> MODataDecoding? {
        body.withUnsafeBytes { decode(contentType: contentType, headers: headers, body: $0, options: options) }
    }

    /// True for an array of objects each having `ClientURI`, `MOData`, `URI` or `MO`, or one such object.
    static func hasMOShape(_ value: JSONValue) -> Bool {
        func isItem(_ item: JSONValue) -> Bool {
            guard let members = item.objectValue else { return false }
            return members.contains { ["ClientURI", "MOData", "URI", "MO"].contains($0.name) }
        }
        if let elements = value.arrayValue { return !elements.isEmpty && elements.allSatisfy(isItem) }
        return isItem(value)
    }

    /// Decodes `body` as JSON MO data of `format` (`.tnds` is not JSON and gives no items).
    static func decode(
        _ body: UnsafeRawBufferPointer, format: Format, options: PackageDecoder.Options
    ) -> MODataDecoding {
        let document: JSONDocument
        do {
            document = try JSONParser.parse(body, limits: options.limits)
        } catch {
            return MODataDecoding(format: format, items: nil, document: nil, issues: [error])
        }
        var reader = SchemaReader(options: options)
        var items: [MOData]?
        switch document.value {
        case .array(let elements):
            items = elements.enumerated().compactMap { index, element in
                reader.moData(element, at: JSONPath.root.appending(index: index))
            }
        case .object:
            // The CR draft sends one {URI, MO} object; the approved serialization is always an array.
            if format != .crJSON {
                reader.report(
                    .schemaDeviation, "An MO serialization should be an array; a single object was sent.", at: .root)
            }
            items = reader.moData(document.value, at: .root).map { [$0] }
        default:
            reader.report(
                .wrongJSONType, "An MO serialization must be an array, not \(document.value.typeName).", at: .root)
        }
        return MODataDecoding(
            format: format, items: items, document: document, issues: document.issues + reader.resolvedIssues(in: body))
    }
}
