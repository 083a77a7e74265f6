/// Which configured limit a `.limitExceeded` decode problem hit, so that a run can count the hits per
/// limit (the summary's and the JSON `stats.limits` table).
public enum DecodeLimit: String, Hashable, Sendable, CaseIterable {
    /// `JSONLimits.maxInputSize`: the whole JSON text.
    case jsonSize
    /// `JSONLimits.maxDepth`: nesting of arrays and objects.
    case jsonDepth
    /// `JSONLimits.maxStringLength`: one string or member name.
    case jsonString
    /// `JSONLimits.maxNumberLength`: one number literal.
    case jsonNumber
    /// `JSONLimits.maxContainerCount` and `maxValueCount`: elements of one container, values of the document.
    case jsonValues
    /// `PackageDecoder.Options.maxItemsPerPackage`: commands of a Package#2, status items of a Package#3.
    case packageItems
    /// `MultipartLimits`: parts of a body, header bytes and fields of a part.
    case multipart
}
