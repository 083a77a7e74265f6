/// How an HTTP exchange travelled when it came out of a decrypted TLS connection: what the
/// handshake negotiated, as text for the outputs (`"tls": {"version": "1.3", "cipherSuite":
/// "TLS_AES_256_GCM_SHA384", "sni": "dms.example"}`). Never holds key material.
public struct TransportSecurity: Hashable, Sendable {
    /// The negotiated version: `1.2`, `1.3` (or `0x7F1C` for a number without a name).
    public var version: String
    /// The IANA name of the negotiated cipher suite (`TLS_AES_256_GCM_SHA384`), or its number in hex.
    public var cipherSuite: String
    /// The ClientHello's server_name, if any: printable ASCII, other bytes written as `\xNN`.
    public var serverName: String?

    /// A description.
    public init(version: String, cipherSuite: String, serverName: String?) {
        self.version = version
        self.cipherSuite = cipherSuite
        self.serverName = serverName
    }
}
