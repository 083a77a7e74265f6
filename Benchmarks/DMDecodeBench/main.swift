// Throughput of the DM package decoders on typical bodies: packages/s and MB/s.
//
//   scripts/bench/dm-decode [--seconds S]
//
// Built only when DMDISSECT_BENCH=1 (see the bottom of Package.swift). The bodies are built here,
// deterministically, in the shape mkbench.py gives DM sessions: a Package#2 of six commands and a
// Package#3 with one status per command and MO data for the GETs, in both dialects, multipart Package#3s
// with GET data (approved Appendix F; the last column is then the multipart split alone), and a DM 2.0
// notification in a WSP push. Each case runs for the given time (default 1 s) in five rounds; the
// median round is reported.
import DMProtocol
import Foundation

struct Case {
    var name: String
    var contentType: String
    var body: [UInt8]
}

func json(_ text: String) -> [UInt8] { Array(text.utf8) }

let devID = "IMEI:356938035643809"
let moData = (0..<12).map { "\"Node\($0)\":\"value-\($0)-" + String(repeating: "x", count: 40) + "\"" }.joined(
    separator: ",")
let cases: [Case] = [
    Case(
        name: "Package#2, A dialect, 6 commands",
        contentType: "application/vnd.oma.dm.request+json",
        body: json(
            """
            {"CMD":[["HGET","https://repo.example/fw/pkgurl?dev=\(devID)","urn:oma:mo:oma-fumo:1.0/apps/DownloadAndUpdate/PkgURL"],\
            ["GET","urn:oma:mo:oma-dm-devinfo:1.0//FwV?cv=17"],["GET","urn:oma:mo:oma-dm-devdetail:1.0//"],\
            ["HPOST","https://repo.example/up/\(devID)","urn:oma:mo:oma-dm-devdetail:1.0//Ext"],\
            ["EXEC","urn:oma:mo:oma-fumo:1.0/apps/DownloadAndUpdate","https://dms.example/async/\(devID)"],\
            ["CONT","https://dms.example/dm/session/7f3a9c"]]}
            """)),
    Case(
        name: "Package#3, A dialect, 6 statuses",
        contentType: "application/vnd.oma.dm.response+json",
        body: json(
            """
            {"Status":[{"sc":200,"URI":["urn:oma:mo:oma-fumo:1.0/apps/DownloadAndUpdate/PkgURL"]},{"sc":304},\
            {"sc":200,"URI":["urn:oma:mo:oma-dm-devdetail:1.0//"]},{"sc":200},{"sc":202},{"sc":200}],\
            "Alert":[{"AlertType":"urn:oma:at:fumo:1.0:OperationComplete","SourceURI":"urn:oma:mo:oma-fumo:1.0/apps",\
            "DataType":"application/json","Data":{"Result":200,"Detail":"\(String(repeating: "d", count: 200))"}}]}
            """)),
    Case(
        name: "Package#3, CR dialect, results with MO data",
        contentType: "application/vnd.oma.dm.response+json",
        body: json(
            """
            {"SessionInfo":{"DevID":"\(devID)","SessionID":"A17","PkgSeq":3},\
            "Results":[{"Code":200},{"Code":200,"MOD":{"URI":"oma:mo:oma-dm-devinfo:1.0/","MO":{\(moData)}}},\
            {"Code":200,"MOD":{"URI":"oma:mo:oma-dm-devdetail:1.0/","MO":{\(moData)}}},{"Code":404},{"Code":200}]}
            """)),
]

/// A multipart Package#3 (approved Appendix F): the status JSON, then one part per GET that returned 200.
func multipartPackage3(boundary: String, parts: [(name: String, type: String, content: [UInt8])]) -> [UInt8] {
    var body = json(
        "--\(boundary)\r\nContent-Disposition: form-data\r\nContent-Type: application/vnd.oma.dm.response+json\r\n\r\n"
            + #"{"Status":[{"sc":200},{"sc":304},{"sc":200},{"sc":200},{"sc":404},{"sc":200}]}"# + "\r\n")
    for part in parts {
        body += json(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\"\r\nContent-Type: \(part.type)\r\n\r\n"
        )
        body += part.content + json("\r\n")
    }
    return body + json("--\(boundary)--\r\n")
}
let dmmo = json(#"[{"ClientURI":"urn:oma:mo:oma-dm-devinfo:1.0//","CV":"17","MOData":{"DevInfo":{\#(moData)}}}]"#)
let multipartBoundary = "dmdissect-p3-7d1f0c2a9b"
let multipartCases: [Case] = [
    Case(
        name: "Package#3 multipart, 3 GET parts",
        contentType: "multipart/form-data; boundary=\(multipartBoundary)",
        body: multipartPackage3(
            boundary: multipartBoundary,
            parts: [
                ("0", "text/plain", json("1.0.3")), ("2", "application/dmmo+json", dmmo),
                ("5", "text/plain", json(devID)),
            ])),
    Case(
        name: "Package#3 multipart, 1 MiB binary part",
        contentType: "multipart/form-data; boundary=\(multipartBoundary)",
        body: multipartPackage3(
            boundary: multipartBoundary,
            // Every byte value, with line ends and dashes, so the boundary scan meets many line starts.
            parts: [("0", "application/octet-stream", (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 131) })])),
]

var content = DM20NotificationContent()
content.serverID = "dms.example.com"
content.notificationID = 4242
content.requestsMOs = true
let notification: [UInt8] = NotificationEncoder.wspPush(body: (try? NotificationEncoder.encode(content)) ?? [])

/// Runs `body` repeatedly for `seconds`, five rounds; returns the median operations per second.
func measure(seconds: Double, _ body: () -> Int) -> Double {
    var rates: [Double] = []
    let clock = ContinuousClock()
    for _ in 0..<5 {
        var operations = 0
        var checksum = 0
        let start = clock.now
        let deadline = start + .milliseconds(Int(seconds * 200))
        while clock.now < deadline {
            for _ in 0..<100 { checksum &+= body() }
            operations += 100
        }
        let elapsed = clock.now - start
        let secondsElapsed = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        rates.append(Double(operations) / secondsElapsed)
        if checksum == 42 { print("") }  // keeps the work observable
    }
    return rates.sorted()[2]
}

var seconds = 1.0
if let index = CommandLine.arguments.firstIndex(of: "--seconds"), index + 1 < CommandLine.arguments.count {
    seconds = Double(CommandLine.arguments[index + 1]) ?? 1.0
}

print("case".padding(toLength: 46, withPad: " ", startingAt: 0) + "bytes    decodes/s      MB/s   JSON parse only/s")
for test in cases {
    let headers: HTTPHeaderFields = [(name: "OMADM-DevID", value: devID)]
    let full = measure(seconds: seconds) {
        test.body.withUnsafeBytes {
            PackageDecoder.decode(contentType: test.contentType, headers: headers, body: $0).issues.count
        }
    }
    let parseOnly = measure(seconds: seconds) {
        (try? JSONParser.parse(test.body))?.issues.count ?? 0
    }
    let line =
        test.name.padding(toLength: 46, withPad: " ", startingAt: 0)
        + String(test.body.count).padding(toLength: 9, withPad: " ", startingAt: 0)
        + String(Int(full)).padding(toLength: 15, withPad: " ", startingAt: 0)
        + String(format: "%6.1f", full * Double(test.body.count) / 1e6) + "   " + String(Int(parseOnly))
    print(line)
}
for test in multipartCases {
    let headers: HTTPHeaderFields = [(name: "OMADM-DevID", value: devID)]
    let full = measure(seconds: seconds) {
        test.body.withUnsafeBytes {
            PackageDecoder.decode(contentType: test.contentType, headers: headers, body: $0).issues.count
        }
    }
    let mediaType = MediaType(test.contentType)
    let splitOnly = measure(seconds: seconds) {
        test.body.withUnsafeBytes { body in
            mediaType.map { MultipartBody.split(body, mediaType: $0).parts.count } ?? 0
        }
    }
    let line =
        test.name.padding(toLength: 46, withPad: " ", startingAt: 0)
        + String(test.body.count).padding(toLength: 9, withPad: " ", startingAt: 0)
        + String(Int(full)).padding(toLength: 15, withPad: " ", startingAt: 0)
        + String(format: "%6.1f", full * Double(test.body.count) / 1e6) + "   " + String(Int(splitOnly))
        + String(format: " (split only, %.1f MB/s)", splitOnly * Double(test.body.count) / 1e6)
    print(line)
}
let notificationRate = measure(seconds: seconds) {
    notification.withUnsafeBytes {
        NotificationDetector.decode(udpPayload: $0, sourcePort: 9200, destinationPort: 2948)?.issues.count ?? 0
    }
}
print(
    "DM 2.0 notification in WSP push".padding(toLength: 46, withPad: " ", startingAt: 0)
        + String(notification.count).padding(toLength: 9, withPad: " ", startingAt: 0) + String(Int(notificationRate)))
