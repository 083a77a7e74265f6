import Packets
import Reassembly
import Testing

@testable import Analysis

/// `RequestURI`: absolute http/https URIs normalised for comparison (DM-TRN-005/006, DM-P2-004).
@Suite("request URI")
struct RequestURITests {
    @Test(
        "absolute URIs parse and normalise",
        arguments: [
            ("http://dm.example/dm", "http://dm.example/dm"),
            ("HTTP://DM.Example:80/dm?x=1#frag", "http://dm.example/dm?x=1"),
            ("https://user:pw@Server:8443", "https://server:8443/"),
            ("https://h?q", "https://h/?q"),
            ("http://[2001:DB8::1]:8080/a", "http://[2001:db8::1]:8080/a"),
            ("http://[::1]/", "http://[::1]/"),
            ("Https://h:443/x", "https://h/x"),
            ("http://h:/x", "http://h/x"),
            ("http://hôst.example/päth", "http://hôst.example/päth"),
        ])
    func parses(text: String, expected: String) throws {
        let uri = try #require(RequestURI(absolute: text))
        #expect(uri.description == expected)
    }

    @Test(
        "anything else is not an absolute http(s) URI",
        arguments: [
            "", "/dm", "h", "http:/x", "http//x", "httpx://h/", "ftp://h/", "http://", "http:///path",
            "http://h:99999/", "http://h:12a/", "http://[::1/", "http://@/", "https:", "http://:80/",
        ])
    func rejects(text: String) {
        #expect(RequestURI(absolute: text) == nil)
    }

    @Test("origin-form targets take the Host header, else the server address")
    func originForm() {
        let server = Endpoint(address: .v4(0x0A00_0002), port: 8080)
        #expect(RequestURI(target: "/dm", host: "DM.example:81", server: server).description == "http://dm.example:81/dm")
        #expect(RequestURI(target: "/dm", host: nil, server: server).description == "http://10.0.0.2:8080/dm")
        #expect(RequestURI(target: "", host: "h", server: server).description == "http://h/")
    }
}
