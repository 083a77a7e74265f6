import TLS

/// A TLS connection of the run as it ended (decrypted or not), for the listing of connections:
/// endpoints, SNI, version, cipher suite, bytes, frames and whether the content was read.
public struct ListedTLSConnection: Hashable, Sendable {
    /// The input file it belongs to (0-based index among the inputs).
    public var fileIndex: Int
    /// What the TLS layer knows about it.
    public var summary: TLSConnectionSummary

    /// A listed connection.
    public init(fileIndex: Int, summary: TLSConnectionSummary) {
        self.fileIndex = fileIndex
        self.summary = summary
    }
}
