import DMProtocol
import Reassembly
import Testing

@testable import Analysis

/// One change to a clean conversation (which triggers nothing, `RuleCheckerTests`) per rule:
/// the change must produce a finding of that rule, with the expected severity.
struct Violation: Sendable, CustomTestStringConvertible {
    var rule: String
    var what: String
    var events: [DMHarness.Event]
    var severity: Finding.Severity
    var options = SessionTrackingOptions()

    var testDescription: String { "\(rule): \(what)" }
}

private typealias S = SessionScenarios
private typealias Post = DMHarness.Post
private typealias Reply = DMHarness.Reply

private func a(
    notification: [UInt8]? = S.notificationA(), initiation: String = S.initiationA, commands: String = S.commandsA,
    status: String = S.statusA, end: String = S.endA, statusTarget: String = "/next"
) -> [DMHarness.Event] {
    S.sessionA(
        notification: notification, initiation: initiation, commands: commands, status: status, end: end,
        statusTarget: statusTarget)
}

private func cr(
    notification: [UInt8]? = S.notificationCR, initiation: String = S.initiationCR(), commands: String = S.commandsCR(),
    results: String = S.resultsCR(), end: String = S.endCR()
) -> [DMHarness.Event] {
    S.sessionCR(notification: notification, initiation: initiation, commands: commands, results: results, end: end)
}

/// `events` with the Post at `position` (counting only posts) changed.
private func changing(_ events: [DMHarness.Event], post position: Int, _ change: (inout Post) -> Void) -> [DMHarness
    .Event]
{
    var seen = 0
    return events.map { event in
        guard case .post(var post) = event else { return event }
        defer { seen += 1 }
        guard seen == position else { return event }
        change(&post)
        return .post(post)
    }
}

private func options20(_ options: [(Int, [UInt8])], version: Int = 2, reserved: Int = 0) -> [UInt8] {
    (try? NotificationEncoder.encodeOptions(
        version: version, options: options.map { (number: $0.0, value: $0.1) }, reserved: reserved)) ?? []
}

private let server = Array("dms.example".utf8)
private let digest = [UInt8](repeating: 0xAB, count: 32)
private let dm12 = (try? NotificationEncoder.encodeDM12(serverID: "com.example.dms", sessionID: 1234)) ?? []

private let commandsNoCont = #"{"CMD":[["GET","urn:oma:mo:oma-dm-devinfo:1.0/d1/FwV"]]}"#
private let statusNoCont = #"{"Status":[{"sc":200}]}"#
private let statusOK = statusNoCont

extension Violation {
    static let all: [Violation] =
        transport + contentTypes + sessionIdentity + notificationSyntax + correlation + contents + ending + tracker

    static let transport: [Violation] = [
        Violation(
            rule: "DM-TRN-001", what: "Package#3 sent with PUT", events: changing(a(), post: 1) { $0.method = "PUT" },
            severity: .error),
        Violation(
            rule: "DM-TRN-002", what: "Package#2 body in a request",
            events: a() + [.post(Post(contentType: "application/vnd.oma.dm.request+json", body: S.endA, reply: nil))],
            severity: .error),
        Violation(
            rule: "DM-TRN-002", what: "Package#2 answering a GET",
            events: a() + [
                .post(
                    Post(
                        method: "GET", target: "/x", contentType: nil, accept: nil, devID: nil, body: "",
                        reply: Reply(body: S.endA)))
            ],
            severity: .error),
        Violation(
            rule: "DM-TRN-003", what: "Package#2 in a 202 response",
            events: changing(a(), post: 0) { $0.reply?.status = 202 }, severity: .warning),
        Violation(
            rule: "DM-TRN-004", what: "Package#3 after HTTP 500",
            events: [
                .post(
                    .initiation(S.initiationA, reply: "").with {
                        $0.reply = Reply(status: 500, contentType: "text/plain", body: "oops")
                    }),
                .post(.response(statusNoCont, reply: S.endA)),
            ],
            severity: .error),
        Violation(
            rule: "DM-TRN-005", what: "Package#3 not sent to the CONT URI", events: a(statusTarget: "/dm"),
            severity: .error),
        Violation(
            rule: "DM-TRN-006", what: "Package#3 to another URI without CONT",
            events: a(commands: commandsNoCont, status: statusNoCont, statusTarget: "/other"), severity: .warning),
        Violation(
            rule: "DM-TRN-007", what: "406 although Accept admits the Package#2 type",
            events: [
                .post(
                    .initiation(S.initiationA, reply: nil).with {
                        $0.reply = Reply(status: 406, contentType: nil, body: "")
                    })
            ],
            severity: .warning),
    ]

    static let contentTypes: [Violation] = [
        Violation(
            rule: "DM-CT-001", what: "Package#1 as application/json",
            events: changing(a(), post: 0) { $0.contentType = "application/json" }, severity: .error),
        Violation(
            rule: "DM-CT-002", what: "Package#2 as application/json",
            events: changing(a(), post: 0) { $0.reply?.contentType = "application/json" }, severity: .error),
        Violation(
            rule: "DM-CT-003", what: "Package#3 as text/plain",
            events: changing(a(), post: 1) { $0.contentType = "text/plain" }, severity: .error),
        Violation(
            rule: "DM-CT-004", what: "A Package#1 without Accept (SHOULD)",
            events: changing(a(), post: 0) { $0.accept = nil }, severity: .warning),
        Violation(
            rule: "DM-CT-004", what: "CR Package#1 Accept without the Package#2 type (MUST)",
            events: changing(cr(), post: 0) { $0.accept = "text/html" }, severity: .error),
        Violation(
            rule: "DM-CT-005", what: "CR Package#3 Accept differs",
            events: changing(cr(), post: 1) { $0.accept = "*/*" }, severity: .warning),
        Violation(
            rule: "DM-CT-006", what: "Package#2 type refused by q=0",
            events: changing(a(), post: 0) { $0.accept = "application/json, application/vnd.oma.dm.request+json;q=0" },
            severity: .error),
        Violation(
            rule: "DM-CT-007", what: "duplicate member",
            events: a(status: #"{"Status":[{"sc":200},{"sc":304},{"sc":202},{"sc":200}],"Status":[]}"#),
            severity: .error),
        Violation(
            rule: "DM-CT-001", what: "Package#1 without Content-Type, recognised by its body",
            events: changing(a(), post: 0) { $0.contentType = nil }, severity: .error),
        Violation(
            rule: "DM-CT-008", what: "mixed-dialect Package#1",
            events: a(
                initiation:
                    #"{"SessionInfo":{"DevID":"IMEI:356938035643809","SessionID":"1","PkgSeq":1,"ReasonForSession":1200},"MOS":[{"MOID":"urn:oma:mo:oma-dm-devinfo:1.0","MIID":["d1"]}],"Alert":[{"AlertType":"urn:oma:at:dm:2.0:ServerInitiatedMgmt","DataType":"int","Data":{"NotificationID":4660}}]}"#
            ),
            severity: .warning),
        Violation(
            rule: "DM-HDR-001", what: "Package#3 without OMADM-DevID",
            events: changing(a(), post: 1) { $0.devID = nil }, severity: .error),
        Violation(
            rule: "DM-HDR-002", what: "Package#3 with another OMADM-DevID",
            events: changing(a(), post: 1) { $0.devID = "IMEI:000000000000000" }, severity: .error),
        Violation(
            rule: "DM-HDR-004", what: "OMADM-Accept in a request",
            events: changing(a(), post: 0) { $0.headers = [("OMADM-Accept", "application/json")] }, severity: .warning),
        Violation(
            rule: "DM-HDR-004", what: "unparseable OMADM-Accept",
            events: changing(a(), post: 0) { $0.reply?.headers = [("OMADM-Accept", ";;")] }, severity: .warning),
    ]

    static let sessionIdentity: [Violation] = [
        Violation(
            rule: "DM-SES-001", what: "ReasonForSession not an integer",
            events: cr(initiation: S.initiationCR(reason: "\"x\"")), severity: .error),
        Violation(
            rule: "DM-SES-002", what: "Package#2 without PkgSeq",
            events: cr(
                commands:
                    #"{"SessionInfo":{"SessionID":"A17"},"Cmds":[{"HPOST":["https://repo.example/up/1","oma:mo:oma-dm-devdetail:1.0/"]},{"GET":["oma:mo:oma-dm-devinfo:1.0/FwV"]}]}"#
            ),
            severity: .error),
        Violation(
            rule: "DM-SES-003", what: "Package#3 without DevID",
            events: cr(
                results: #"{"SessionInfo":{"SessionID":"A17","PkgSeq":3},"Results":[{"Code":200},{"Code":200}]}"#),
            severity: .error),
        Violation(
            rule: "DM-SES-004", what: "Package#3 with another SessionID",
            events: cr(results: S.resultsCR(sessionID: "B99")), severity: .error),
        Violation(
            rule: "DM-SES-005", what: "a second Package#1 with the same SessionID",
            events: [
                .post(S.crPost(.initiation(S.initiationCR(), reply: S.commandsCR()))),
                .post(S.crPost(.initiation(S.initiationCR(), reply: S.commandsCR()))),
            ],
            severity: .warning),
        Violation(
            rule: "DM-DEV-001", what: "Package#3 with another DevID",
            events: cr(results: S.resultsCR(devID: "IMEI:111111111111111")), severity: .error),
        Violation(
            rule: "DM-DEV-002", what: "MOD DevInfo DevID differs",
            events: cr(initiation: S.initiationCR(modDevID: "IMEI:999999999999999")), severity: .error),
        Violation(
            rule: "DM-DEV-003", what: "DevID without scheme",
            events: changing(changing(a(), post: 0) { $0.devID = "356938035643809" }, post: 1) {
                $0.devID = "356938035643809"
            }, severity: .info),
        Violation(
            rule: "DM-SEQ-001", what: "Package#1 PkgSeq 2",
            events: cr(
                initiation: S.initiationCR(pkgSeq: "2"), commands: S.commandsCR(pkgSeq: "3"),
                results: S.resultsCR(pkgSeq: "4"), end: S.endCR(pkgSeq: "5")),
            severity: .warning),
        Violation(
            rule: "DM-SEQ-002", what: "client PkgSeq goes back", events: cr(results: S.resultsCR(pkgSeq: "1")),
            severity: .warning),
        Violation(
            rule: "DM-SEQ-003", what: "Package#2 PkgSeq fits no model", events: cr(commands: S.commandsCR(pkgSeq: "7")),
            severity: .warning),
        Violation(
            rule: "DM-SEQ-003", what: "echo numbering when count is configured",
            events: cr(
                commands: S.commandsCR(pkgSeq: "1"), results: S.resultsCR(pkgSeq: "2"), end: S.endCR(pkgSeq: "2")),
            severity: .warning, options: SessionTrackingOptions(pkgSeqModel: .fixed(.count))),
        Violation(
            rule: "DM-SEQ-004", what: "PkgSeq as a string", events: cr(initiation: S.initiationCR(pkgSeq: "\"1\"")),
            severity: .error),
    ]

    static let notificationSyntax: [Violation] = [
        Violation(
            rule: "DM-N0-001", what: "DM 1.2 notification cut short", events: [.notification(Array(dm12.prefix(30)))],
            severity: .error),
        Violation(
            rule: "DM-N0-002", what: "DM 1.2 empty server identifier",
            events: [.notification((try? NotificationEncoder.encodeDM12(serverID: "", sessionID: 1)) ?? [])],
            severity: .error),
        Violation(
            rule: "DM-N0-003", what: "DM 1.2 version 14",
            events: [
                .notification((try? NotificationEncoder.encodeDM12(serverID: "dms", sessionID: 1, version: 14)) ?? [])
            ], severity: .error),
        Violation(
            rule: "DM-N0-003", what: "DM 1.2 version 12 is informational",
            events: [
                .notification((try? NotificationEncoder.encodeDM12(serverID: "dms", sessionID: 1, version: 12)) ?? [])
            ], severity: .info),
        Violation(
            rule: "DM-N0-004", what: "DM 1.2 future-use bits set",
            events: [
                .notification((try? NotificationEncoder.encodeDM12(serverID: "dms", sessionID: 1, futureUse: 5)) ?? [])
            ], severity: .warning),
        Violation(
            rule: "DM-N0-010", what: "VER 3", events: [.notification(options20([(1, server)], version: 3))],
            severity: .warning),
        Violation(
            rule: "DM-N0-011", what: "a byte after the last option",
            events: [.notification(options20([(1, server)]) + [0x00])], severity: .error),
        Violation(
            rule: "DM-N0-013", what: "no SERVER-ID",
            events: [.notification(options20([(3, [0x12, 0x34]), (4, digest)]))], severity: .warning),
        Violation(
            rule: "DM-N0-014", what: "1-byte NOTIFICATION-ID",
            events: [.notification(options20([(1, server), (3, [0x12])]))], severity: .error),
        Violation(
            rule: "DM-N0-015", what: "31-byte digest",
            events: [.notification(options20([(1, server), (4, Array(digest.prefix(31)))]))], severity: .error),
        Violation(
            rule: "DM-N0-016", what: "REQ-MOS with a value",
            events: [.notification(options20([(1, server), (6, [1])]))], severity: .error),
        Violation(
            rule: "DM-N0-017", what: "PREFERRED-CON-TYPE 7",
            events: [.notification(options20([(1, server), (2, [7])]))], severity: .error),
        Violation(
            rule: "DM-N0-018", what: "2-byte Requested-MO-CV",
            events: [.notification(options20([(1, server), (7, [0, 1])]))], severity: .error),
        Violation(
            rule: "DM-N0-019", what: "RESERVED bits set",
            events: [.notification(options20([(1, server)], reserved: 1))], severity: .warning),
        Violation(
            rule: "DM-N0-019", what: "TIMESTAMP in 1970",
            events: [.notification(options20([(1, server), (5, [0, 0, 0, 10])]))], severity: .warning),
        Violation(
            rule: "DM-N0-020", what: "WSP push with a textual content type",
            events: [
                .notification(
                    [1, 6, UInt8(37 + 2)] + Array("application/vnd.syncml.notification".utf8) + [0, 0xAF, 0x87] + dm12)
            ],
            severity: .warning),
    ]

    static let correlation: [Violation] = [
        Violation(
            rule: "DM-NC-001", what: "notification without session",
            events: [.notification(S.notificationA()), .wait(seconds: 400)], severity: .info),
        Violation(
            rule: "DM-NC-004", what: "ClientInitiatedMgmt after a notification",
            events: a(
                initiation: S.initiationA.replacingOccurrences(of: "ServerInitiatedMgmt", with: "ClientInitiatedMgmt")),
            severity: .error),
        Violation(
            rule: "DM-NC-004", what: "another NOTIFICATION-ID",
            events: a(initiation: S.initiationA.replacingOccurrences(of: "4660", with: "4661")), severity: .error),
        Violation(
            rule: "DM-NC-005", what: "CR ReasonForSession 1201 after a notification",
            events: cr(initiation: S.initiationCR(reason: "1201")), severity: .warning),
        Violation(
            rule: "DM-NC-006", what: "no MOS after REQ-MOS",
            events: a(
                initiation:
                    #"{"Alert":[{"AlertType":"urn:oma:at:dm:2.0:ServerInitiatedMgmt","DataType":"int","Data":{"NotificationID":4660}}]}"#,
                commands: commandsNoCont, status: statusNoCont, statusTarget: "/dm"),
            severity: .error),
        Violation(
            rule: "DM-NC-007", what: "MOD although nothing was requested",
            events: cr(notification: options20([(1, server)])), severity: .error),
        Violation(
            rule: "DM-NC-008", what: "fewer MOD items than Requested-MO indices",
            events: cr(notification: options20([(1, server), (3, [0, 2]), (3, [0, 3])])), severity: .error),
        Violation(
            rule: "DM-NC-008", what: "a Requested-MO-CV MO answered without data (not modified)",
            events: cr(
                initiation:
                    #"{"SessionInfo":{"DevID":"IMEI:356938035643809","SessionID":"A17","PkgSeq":1,"ReasonForSession":1200}}"#
            ), severity: .info),
        Violation(
            rule: "DM-NC-010", what: "Package#1 to a host --server-map does not give the notification's server",
            events: a(), severity: .info,
            options: SessionTrackingOptions(serverHosts: ["dms.example": ["dm.other.example", "10.9.9.9"]])),
        Violation(
            rule: "DM-NC-009", what: "duplicate notification", events: [.notification(S.notificationA())] + a(),
            severity: .warning),
        Violation(
            rule: "DM-NC-009", what: "a second session for one NOTIFICATION-ID",
            events: a() + a(notification: nil), severity: .warning),
    ]

    static let contents: [Violation] = [
        Violation(
            rule: "DM-P1-001", what: "MOS item without MIID",
            events: a(initiation: S.initiationA.replacingOccurrences(of: #","MIID":["apps"]"#, with: "")),
            severity: .error),
        Violation(
            rule: "DM-P1-002", what: "no session alert",
            events: a(
                notification: nil,
                initiation: #"{"MOS":[],"Alert":[{"AlertType":"urn:oma:at:scomo:1.0:OperationComplete"}]}"#,
                commands: commandsNoCont, status: statusNoCont, statusTarget: "/dm"),
            severity: .error),
        Violation(
            rule: "DM-P1-003", what: "CR MOS item without DDF",
            events: cr(
                initiation: S.initiationCR(extra: #","MOS":[{"MOID":"oma:mo:oma-dm-devinfo:1.0","Path":["/"]}]"#)),
            severity: .warning),
        Violation(
            rule: "DM-P2-001", what: "unknown command",
            events: a(
                commands: #"{"CMD":[["get","urn:oma:mo:oma-dm-devinfo:1.0/d1/FwV"]]}"#, status: statusNoCont,
                statusTarget: "/dm"), severity: .error),
        Violation(
            rule: "DM-P2-001", what: "CMD item not an array",
            events: a(commands: #"{"CMD":["END"]}"#, statusTarget: "/dm"), severity: .error),
        Violation(
            rule: "DM-P2-002", what: "unknown CR command",
            events: cr(
                commands:
                    #"{"SessionInfo":{"SessionID":"A17","PkgSeq":2},"Cmds":[{"FOO":[]},{"GET":["oma:mo:oma-dm-devinfo:1.0/FwV"]}]}"#
            ), severity: .error),
        Violation(
            rule: "DM-P2-003", what: "HGET without arguments",
            events: a(commands: #"{"CMD":[["HGET"]]}"#, status: statusNoCont, statusTarget: "/dm"), severity: .error),
        Violation(
            rule: "DM-P2-004", what: "ftp ServerURI",
            events: a(
                commands: #"{"CMD":[["HGET","ftp://repo.example/fw"]]}"#,
                status: #"{"Status":[{"sc":200,"URI":["urn:oma:mo:oma-fumo:1.0/apps/PkgURL"]}]}"#, statusTarget: "/dm"),
            severity: .error),
        Violation(
            rule: "DM-P2-004", what: "unresolved x-name",
            events: a(
                commands: #"{"CMD":[["GET","urn:oma:mo:oma-fumo:1.0/(x)/State"]]}"#, status: statusNoCont,
                statusTarget: "/dm"), severity: .error),
        Violation(
            rule: "DM-P2-005", what: "END not last",
            events: a(
                commands: commandsNoCont, status: statusNoCont,
                end: #"{"CMD":[["END"],["GET","urn:oma:mo:oma-dm-devinfo:1.0/d1/FwV"]]}"#, statusTarget: "/dm"),
            severity: .warning),
        Violation(
            rule: "DM-P2-006", what: "no command",
            events: a(commands: #"{"CMD":[]}"#, status: #"{"Status":[]}"#, statusTarget: "/dm"), severity: .warning),
        Violation(
            rule: "DM-P2-007", what: "CR alert not answered",
            events: cr(
                initiation: S.initiationCR(extra: #","Alerts":[{"Code":1226,"Item":{"Source":"oma:mo:x:1.0/y"}}]"#)),
            severity: .error),
        Violation(
            rule: "DM-P2-008", what: "A Package#2 answers alerts",
            events: a(
                commands: #"{"CMD":[["GET","urn:oma:mo:oma-dm-devinfo:1.0/d1/FwV"]],"Results":[{"Code":200}]}"#,
                status: statusNoCont, statusTarget: "/dm"), severity: .warning),
        Violation(
            rule: "DM-P3-001", what: "one status missing",
            events: a(status: #"{"Status":[{"sc":200},{"sc":304},{"sc":202}]}"#), severity: .error),
        Violation(
            rule: "DM-P3-002", what: "status 299",
            events: a(status: #"{"Status":[{"sc":200},{"sc":304},{"sc":299},{"sc":200}]}"#), severity: .error),
        Violation(
            rule: "DM-P3-002", what: "202 for HGET",
            events: a(status: #"{"Status":[{"sc":202},{"sc":304},{"sc":202},{"sc":200}]}"#), severity: .error),
        Violation(
            rule: "DM-P3-002", what: "bare integer statuses", events: a(status: #"{"Status":[200,304,202,200]}"#),
            severity: .warning),
        Violation(
            rule: "DM-P3-003", what: "HGET without ClientURI lists no URI",
            events: a(
                commands: #"{"CMD":[["HGET","http://repo.example/fw"]]}"#, status: statusNoCont, statusTarget: "/dm"),
            severity: .error),
        Violation(
            rule: "DM-P3-004", what: "async EXEC answered 200",
            events: a(status: #"{"Status":[{"sc":200},{"sc":304},{"sc":200},{"sc":200}]}"#), severity: .error),
        Violation(
            rule: "DM-P3-006", what: "304 without cv",
            events: a(commands: commandsNoCont, status: #"{"Status":[{"sc":304}]}"#, statusTarget: "/dm"),
            severity: .error),
        Violation(
            rule: "DM-P3-008", what: "HGET reported 200 without a GET to its ServerURI",
            events: repository(path: "/other", status: 200), severity: .warning),
        Violation(
            rule: "DM-P3-008", what: "HGET reported 200 although the repository said 404",
            events: repository(path: "/fw", status: 404), severity: .warning),
        Violation(
            rule: "DM-P3-010", what: "GET answered 200 in a plain Package#3",
            events: a(commands: commandsNoCont, status: statusNoCont, statusTarget: "/dm"), severity: .error),
        Violation(
            rule: "DM-HDR-003", what: "GET of DevInfo/DevID returns another DevID",
            events: a(commands: #"{"CMD":[["GET","urn:oma:mo:oma-dm-devinfo:1.0//DevID"]]}"#, statusTarget: "/dm")
                .enumerated().map { index, event in
                    guard index == 2, case .post(var post) = event else { return event }
                    post.contentType = "multipart/form-data; boundary=b"
                    post.body =
                        "--b\r\nContent-Disposition: form-data\r\nContent-Type: application/vnd.oma.dm.response+json\r\n\r\n{\"Status\":[{\"sc\":200}]}\r\n--b\r\nContent-Disposition: form-data; name=\"0\"\r\nContent-Type: text/plain\r\n\r\nIMEI:000000000000001\r\n--b--\r\n"
                    return .post(post)
                },
            severity: .warning),
        Violation(
            rule: "DM-P3-007", what: "instance root returned without CV",
            events: getData(
                "urn:oma:mo:oma-dm-devinfo:1.0/d1/",
                part:
                    #"[{"ClientURI":"urn:oma:mo:oma-dm-devinfo:1.0/d1/","MOData":{"DevInfo":{"DevID":"IMEI:356938035643809"}}}]"#,
                type: "application/dmmo+json"),
            severity: .warning),
        Violation(
            rule: "DM-P3-009", what: "MO not in MOS",
            events: a(
                commands: #"{"CMD":[["GET","urn:oma:mo:oma-scomo:1.0/s1/State"]]}"#, status: statusNoCont,
                statusTarget: "/dm"), severity: .warning),
        Violation(
            rule: "DM-ALR-001", what: "unknown Mark",
            events: a(
                status:
                    #"{"Status":[{"sc":200},{"sc":304},{"sc":202},{"sc":200}],"Alert":[{"AlertType":"urn:oma:at:x:1.0:Y","Mark":"loud"}]}"#
            ), severity: .error),
        Violation(
            rule: "DM-ALR-001", what: "AlertType missing",
            events: a(status: #"{"Status":[{"sc":200},{"sc":304},{"sc":202},{"sc":200}],"Alert":[{"Mark":"minor"}]}"#),
            severity: .error),
        Violation(
            rule: "DM-ALR-002", what: "CR alert without Code",
            events: cr(results: S.resultsCR(extra: #","Alerts":[{"Correlator":"c1"}]"#)), severity: .error),
        Violation(
            rule: "DM-ALR-003", what: "alert in a Package#2",
            events: a(
                commands:
                    #"{"CMD":[["GET","urn:oma:mo:oma-dm-devinfo:1.0/d1/FwV"]],"Alert":[{"AlertType":"urn:oma:at:x:1.0:Y"}]}"#,
                status: statusNoCont, statusTarget: "/dm"), severity: .error),
    ]

    /// An HGET to the repository, the device's GET of `path` there (answered `status`), then the Package#3.
    static func repository(path: String, status: Int) -> [DMHarness.Event] {
        let repository = Endpoint(address: .v4(0x0A00_0063), port: 80)
        return [
            .post(
                .initiation(
                    S.initiationA,
                    reply: #"{"CMD":[["HGET","http://repo.example/fw","urn:oma:mo:oma-fumo:1.0/apps/PkgURL"]]}"#)),
            .post(
                Post(
                    method: "GET", target: path, host: "repo.example", contentType: nil, accept: nil, devID: nil,
                    body: "",
                    reply: Reply(status: status, contentType: "application/dmmo+json", body: "[]"), connection: 2,
                    server: repository)),
            .post(.response(statusOK, reply: S.endA)),
        ]
    }

    /// A session whose only command is `command`, answered 200 by a multipart Package#3 whose part 0 is `part`.
    static func getData(_ command: String, part: String, type: String) -> [DMHarness.Event] {
        a(commands: #"{"CMD":[["GET","\#(command)"]]}"#, statusTarget: "/dm").enumerated().map { index, event in
            guard index == 2, case .post(var post) = event else { return event }
            post.contentType = "multipart/form-data; boundary=b"
            post.body =
                "--b\r\nContent-Disposition: form-data\r\nContent-Type: application/vnd.oma.dm.response+json\r\n\r\n{\"Status\":[{\"sc\":200}]}\r\n--b\r\nContent-Disposition: form-data; name=\"0\"\r\nContent-Type: \(type)\r\n\r\n\(part)\r\n--b--\r\n"
            return .post(post)
        }
    }

    static let ending: [Violation] = [
        Violation(
            rule: "DM-END-001", what: "Package#3 after END",
            events: a() + [.post(.response(statusNoCont, reply: S.endA, target: "/next"))], severity: .error),
        Violation(
            rule: "DM-END-002", what: "idle after a Package#2 without END",
            events: [.post(.initiation(S.initiationA, reply: commandsNoCont)), .wait(seconds: 400)], severity: .warning),
    ]

    static let tracker: [Violation] = [
        Violation(
            rule: "DM-TRK-001", what: "two waiting sessions fit a Package#3 on a third connection",
            events: [
                .post(.initiation(S.initiationA, reply: commandsNoCont)),
                .post(
                    .initiation(S.initiationA, reply: commandsNoCont).with {
                        $0.client = .init(address: DMHarness.device.address, port: 51515)
                        $0.connection = 2
                    }),
                .post(
                    .response(statusNoCont, reply: S.endA).with {
                        $0.client = .init(address: DMHarness.device.address, port: 51516)
                        $0.connection = 3
                    }),
            ],
            severity: .info),
        Violation(
            rule: "DM-TRK-005", what: "a second session of the device while the first one's connection is open",
            events: [
                .post(.initiation(S.initiationA, reply: commandsNoCont)),
                .post(
                    .initiation(S.initiationA, reply: commandsNoCont).with {
                        $0.client = .init(address: DMHarness.device.address, port: 51515)
                        $0.connection = 2
                    }),
            ],
            severity: .info),
        Violation(
            rule: "DM-TRK-002", what: "open-session limit",
            events: [
                .post(.initiation(S.initiationA, reply: commandsNoCont)),
                .post(
                    .initiation(S.initiationA, reply: commandsNoCont).with {
                        $0.devID = "IMEI:111111111111111"
                        $0.client = .init(address: .v4(0x0A00_0005), port: 4000)
                    }),
            ],
            severity: .warning,
            options: {
                var options = SessionTrackingOptions()
                options.limits.maxOpenSessions = 1
                return options
            }()),
        Violation(
            rule: "DM-TRK-003", what: "Package#3 without Package#1",
            events: [.post(.response(statusNoCont, reply: S.endA))], severity: .info),
        Violation(
            rule: "DM-TRK-004", what: "bad MOD in a Package#1",
            events: cr(
                initiation:
                    #"{"SessionInfo":{"DevID":"IMEI:356938035643809","SessionID":"A17","PkgSeq":1,"ReasonForSession":1200},"MOD":[{"URI":5,"MO":{}}]}"#
            ), severity: .warning),
    ]
}

@Suite("DM rule violations")
struct RuleViolationTests {
    @Test("the change triggers its rule with its severity", arguments: Violation.all)
    func triggers(violation: Violation) {
        let run = DMHarness.run(violation.events, options: violation.options)
        let found = run.findings(violation.rule)
        #expect(!found.isEmpty, "no \(violation.rule); got \(run.findings.map { "\($0.rule): \($0.message)" })")
        #expect(found.contains { $0.severity == violation.severity }, "\(found.map { "\($0.severity) \($0.message)" })")
        #expect(found.allSatisfy { !$0.frames.isEmpty && !$0.message.isEmpty })
    }

    @Test("--ignore drops the finding, --rules keeps only the selected", arguments: Violation.all.prefix(6))
    func selection(violation: Violation) {
        var ignoring = violation.options
        ignoring.selection = RuleSelection(ignored: [violation.rule])
        #expect(DMHarness.run(violation.events, options: ignoring).findings(violation.rule).isEmpty)
        var only = violation.options
        only.selection = RuleSelection(included: [String(violation.rule.prefix(6))])
        let kept = DMHarness.run(violation.events, options: only).findings
        #expect(!kept.isEmpty)
        #expect(kept.allSatisfy { $0.rule.hasPrefix(String(violation.rule.prefix(6))) })
    }

    @Test("an HGET whose GET is seen and answered 200 is no DM-P3-008; nor one to a server the capture never shows")
    func repositorySeen() {
        #expect(DMHarness.run(Violation.repository(path: "/fw", status: 200)).findings.isEmpty)
        let unseen = DMHarness.run(
            Violation.repository(path: "/fw", status: 200).enumerated().filter { $0.offset != 1 }.map(\.element))
        #expect(unseen.findings.isEmpty)
    }

    @Test("an instance root returned with its CV, and matching DevInfo data, trigger nothing")
    func getDataClean() {
        let run = DMHarness.run(
            Violation.getData(
                "urn:oma:mo:oma-dm-devinfo:1.0/d1/",
                part:
                    #"[{"ClientURI":"urn:oma:mo:oma-dm-devinfo:1.0/d1/","CV":"17","MOData":{"DevInfo":{"DevID":"IMEI:356938035643809"}}}]"#,
                type: "application/dmmo+json"))
        #expect(run.findings.isEmpty, "\(run.findings.map(\.message))")
    }

    @Test("every rule with a checker has a triggering change here")
    func coverage() {
        let tested = Set(Violation.all.map(\.rule)).union(["DM-N0-005", "DM-N0-015"])  // DigestRuleTests
            .union((1...7).map { "DM-TLS-00\($0)" })  // the TLS layer's findings: Tests/TLSTests (EventTests and others)
        let untested = RuleChecker.implementedRules.subtracting(tested).sorted()
        #expect(untested.isEmpty, "\(untested)")
    }
}

/// Digest verification with user credentials (DM-N0-005, DM-N0-015): a wrong digest is an error,
/// a right one nothing, and without credentials for the server nothing is said.
@Suite("notification digests")
struct DigestRuleTests {
    static func store(_ secret: String) -> CredentialStore {
        CredentialsFile.parse(
            "dms.example secret=\(secret) nonce=nonce1\ncom.example.dms password=\(secret) nonce=nonce1\n"
        ).store
    }

    static let signed20: [UInt8] =
        (try? NotificationEncoder.encode(
            DM20NotificationContent(serverID: "dms.example", notificationID: 1), secret: Array("srvsecret".utf8))) ?? []
    static let signed12: [UInt8] =
        (try? NotificationEncoder.encodeDM12(
            serverID: "com.example.dms", sessionID: 1234, password: Array("srvsecret".utf8), nonce: Array("nonce1".utf8)
        )) ?? []

    @Test("DM 2.0 SHA-256 and DM 1.2 MD5 digests", arguments: [("DM-N0-015", signed20), ("DM-N0-005", signed12)])
    func digests(rule: String, bytes: [UInt8]) {
        var right = SessionTrackingOptions()
        right.credentials = Self.store("srvsecret")
        #expect(DMHarness.run([.notification(bytes)], options: right).findings.isEmpty)
        var wrong = SessionTrackingOptions()
        wrong.credentials = Self.store("other")
        #expect(DMHarness.run([.notification(bytes)], options: wrong).findings(rule).map(\.severity) == [.error])
        var unknown = SessionTrackingOptions()
        unknown.credentials = CredentialsFile.parse("elsewhere.example secret=x\n").store
        #expect(DMHarness.run([.notification(bytes)], options: unknown).findings.isEmpty)
    }
}
