/// Decoding of a `multipart/form-data` Package#3 (approved Appendix F, reference §0.3 "Where GET data
/// goes"): part 0 is the Package#3 JSON, every other part is the data of one GET.
enum MultipartPackage {
    /// The only multipart media type DM 2.0 uses.
    static let formData = "multipart/form-data"

    /// Splits `body` and decodes its parts; offsets in every issue are into `body`.
    ///
    /// How the kind is known: the first part is decoded as a package whatever its `name`, by its own
    /// Content-Type when that is a DM package type, else by its JSON shape (`PackageDecoder.guessKind`,
    /// `kindSource == .body`). A kind other than Package#3 is reported (multipart carries only
    /// Package#3s); GET-data parts are kept only on a Package#3.
    static func decode(
        mediaType: MediaType, headers: HTTPHeaderFields, body: UnsafeRawBufferPointer,
        options: PackageDecoder.Options
    ) -> PackageDecoding {
        let split = MultipartBody.split(body, mediaType: mediaType, limits: options.multipartLimits)
        guard let first = split.parts.first else {
            var result = PackageDecoding(mediaType: mediaType, issues: split.issues, multipart: split)
            if split.issues.contains(where: { $0.kind == .truncatedMultipart }) {
                // Boundary found but no complete part (cut inside part 0): say what is missing.
                result.issues.append(
                    DecodeError(
                        .malformedMultipart, "The multipart body has no complete first part, so no Package#3.",
                        offset: split.truncatedPart?.offset ?? body.count))
            }
            return result
        }
        // A nested multipart first part is not decoded as one (no recursion on hostile input).
        let firstType = first.contentType.flatMap { $0.essence.hasPrefix("multipart/") ? nil : $0 }
        let firstTypeText = firstType == nil ? nil : first.header(DMHeader.contentType)
        let firstBody = UnsafeRawBufferPointer(rebasing: body[first.bodyRange])
        var result = PackageDecoder.decodeJSON(
            mediaType: firstType, typeText: firstTypeText, headers: headers, body: firstBody, options: options)
        result.mediaType = mediaType
        result.multipart = split
        let base = first.bodyRange.lowerBound
        result.issues = split.issues + result.issues.map { $0.shifted(by: base) }
        if let kind = result.kind, kind != .response {
            result.issues.append(
                DecodeError(
                    .malformedMultipart,
                    "The first part of a multipart/form-data body is a \(kind.rawValue) package; only a Package#3 is sent as multipart (approved Appendix F).",
                    offset: first.offset))
        }
        guard case .response(var response) = result.package else { return result }
        for part in split.parts.dropFirst() {
            let decoded = getDataPart(part, body: body, options: options)
            result.issues += decoded.issues
            response.getData.append(decoded)
        }
        result.package = .response(response)
        return result
    }

    /// One GET-data part: name, media type and decoded content (a copy: it outlives the body).
    static func getDataPart(
        _ part: MultipartPart, body: UnsafeRawBufferPointer, options: PackageDecoder.Options
    ) -> GETDataPart {
        let disposition = part.disposition
        let contentTypeText = part.header(DMHeader.contentType)
        let mediaType = contentTypeText.flatMap(MediaType.init)
        let (content, issues) = GETDataPart.content(
            of: UnsafeRawBufferPointer(rebasing: body[part.bodyRange]), mediaType: mediaType,
            hasContentType: contentTypeText != nil, baseOffset: part.bodyRange.lowerBound, options: options)
        var allIssues = issues
        if let disposition, !disposition.isFormData {
            allIssues.insert(
                DecodeError(
                    .malformedMultipart,
                    "A part's Content-Disposition is '\(disposition.type)', not 'form-data' (RFC 7578 §4.2).",
                    offset: part.offset),
                at: 0)
        } else if disposition == nil {
            allIssues.insert(
                DecodeError(
                    .malformedMultipart, "A part has no Content-Disposition (RFC 7578 §4.2).", offset: part.offset),
                at: 0)
        }
        let name = disposition?.name
        return GETDataPart(
            name: name, commandIndex: name.flatMap(GETDataPart.commandIndex(fromName:)), mediaType: mediaType,
            filename: disposition?.filename, content: content, partIndex: part.index, offset: part.offset,
            bodyRange: part.bodyRange, issues: allIssues)
    }
}
