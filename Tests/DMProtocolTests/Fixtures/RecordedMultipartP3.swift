// Extracted at development time from SampleCaptures/http-multipart-p3.pcap (connection 1, exchanges 1 and 2):
//   tshark -r SampleCaptures/http-multipart-p3.pcap -q -z follow,tcp,raw,0
// The multipart body is 727 bytes, SHA-256 2b01db88f2ba87d50acb2690835532c1688afdc74fb0a7704d7c92aaa569e526, as in
// SampleCaptures/http-multipart-p3.pcap.exchanges.json (the recording client's own record of what it sent).

/// The recorded capture's bodies: the Package#2, the multipart Package#3 that answers it, and its Content-Type.
enum RecordedMultipartP3 {
    static let contentType = "multipart/form-data; boundary=dmdissect-p3-7d1f0c2a9b"

    /// Package#2 (HTTP response of exchange 1): four GETs.
    static let package2 =
        "{\"CMD\":[[\"GET\",\"urn:oma:mo:oma-dm-devinfo:1.0//FwV\"],[\"GET\",\"urn:oma:mo:oma-dm-devinfo:1.0//Ext/Missing/0001\"],[\"GET\",\"urn:oma:mo:oma-dm-devinfo:1.0//\"],[\"GET\",\"urn:oma:mo:oma-dm-devinfo:1.0//DevID\"]]}"

    /// Package#3 (HTTP request of exchange 2), multipart/form-data with CRLF line ends.
    static let body = """
        --dmdissect-p3-7d1f0c2a9b\r\n\
        Content-Disposition: form-data\r\n\
        Content-Type: application/vnd.oma.dm.response+json\r\n\
        \r\n\
        {"Status":[{"sc":200},{"sc":404},{"sc":200},{"sc":200}]}\r\n\
        --dmdissect-p3-7d1f0c2a9b\r\n\
        Content-Disposition: form-data; name="0"\r\n\
        Content-Type: text/plain\r\n\
        \r\n\
        1.0.3\r\n\
        --dmdissect-p3-7d1f0c2a9b\r\n\
        Content-Disposition: form-data; name="2"\r\n\
        Content-Type: application/dmmo+json\r\n\
        \r\n\
        [{"ClientURI":"urn:oma:mo:oma-dm-devinfo:1.0//","MOData":{"DevID":"IMEI:356938035643809","Man":"dmdissect","Mod":"sample-client","DmV":"2.0","Lang":"en-US","FwV":"1.0.3","SwV":"1.0","HwV":"A"}}]\r\n\
        --dmdissect-p3-7d1f0c2a9b\r\n\
        Content-Disposition: form-data; name="3"\r\n\
        Content-Type: text/plain\r\n\
        \r\n\
        IMEI:356938035643809\r\n\
        --dmdissect-p3-7d1f0c2a9b--\r\n
        """

    /// Package#2 that answers it (HTTP response of exchange 2).
    static let nextPackage2 = #"{"CMD":[["GET","urn:oma:mo:oma-dm-devinfo:1.0//Ext/Missing/0002"]]}"#
}
