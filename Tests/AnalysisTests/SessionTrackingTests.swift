import DMProtocol
import Foundation
import HTTP1
import Packets
import Reassembly
import Testing

@testable import Analysis

private typealias S = SessionScenarios
private typealias Post = DMHarness.Post
private typealias Reply = DMHarness.Reply

private let commandsGet = #"{"CMD":[["GET","urn:oma:mo:oma-dm-devinfo:1.0/d1/FwV"]]}"#
private let statusOK = #"{"Status":[{"sc":200}]}"#

/// The session model: how sessions are found, what they record and how they end.
@Suite("DM session tracking")
struct SessionTrackingTests {
    @Test("A session: notification attached, server-initiated, packages in order, commands paired with results")
    func modelA() throws {
        let run = DMHarness.run(S.sessionA())
        let session = try #require(run.sessions.first)
        #expect(session.index == 1)
        #expect(session.dialect == .a)
        #expect(session.devID == S.devID)
        #expect(session.sessionID == nil)
        #expect(session.initiatedBy == .server)
        #expect(session.notification?.notification.notificationID == 0x1234)
        #expect(session.packages.map(\.kind) == [.notification, .initiation, .request, .response, .request])
        #expect(session.packageCount == 5)
        #expect(session.outcome == .ended(frame: FrameNumber(rawValue: 5)))
        #expect(session.client.address == DMHarness.device.address)
        #expect(session.server == DMHarness.server)
        let pairings = session.packages[3].pairings
        #expect(pairings.map(\.command.name) == [.hget, .get, .exec, .cont])
        #expect(pairings.map { $0.result?.code } == [200, 304, 202, 200])
        #expect(session.start < session.end)
    }

    @Test("CR session: SessionID and DevID from SessionInfo, ReasonForSession 1200 without a notification seen")
    func modelCR() throws {
        let run = DMHarness.run(S.sessionCR(notification: nil))
        let session = try #require(run.sessions.first)
        #expect(session.dialect == .cr)
        #expect(session.sessionID == "A17")
        #expect(session.devID == S.devID)
        #expect(session.initiatedBy == .server)
        #expect(session.notification == nil)
        #expect(run.findings.isEmpty)
    }

    @Test("client-initiated A session with no notification")
    func clientInitiated() throws {
        let initiation = S.initiationA.replacingOccurrences(of: "ServerInitiatedMgmt", with: "ClientInitiatedMgmt")
        let run = DMHarness.run(S.sessionA(notification: nil, initiation: initiation))
        #expect(run.sessions.first?.initiatedBy == .client)
        #expect(run.findings.isEmpty, "\(run.rules)")
    }

    @Test("a session spanning two connections and a CONT to another host stays one session")
    func twoConnectionsAndHosts() throws {
        let commands =
            #"{"CMD":[["DELETE","urn:oma:mo:oma-fumo:1.0/apps/Tmp"],["CONT","http://dm2.example:8080/more?s=1"]]}"#
        let otherServer = Endpoint(address: .v4(0x0A00_0007), port: 8080)
        let run = DMHarness.run([
            .post(
                .initiation(
                    S.initiationA.replacingOccurrences(of: "ServerInitiatedMgmt", with: "ClientInitiatedMgmt"),
                    reply: commands)),
            .post(
                .response(
                    #"{"Status":[{"sc":200},{"sc":200}]}"#,
                    reply: #"{"CMD":[["DELETE","urn:oma:mo:oma-fumo:1.0/apps/Tmp2"]]}"#
                ).with {
                    $0.connection = 2
                    $0.server = otherServer
                    $0.host = "dm2.example:8080"
                    $0.target = "/more?s=1"
                }),
            .post(
                .response(statusOK, reply: S.endA).with {
                    $0.connection = 3
                    $0.server = otherServer
                    $0.host = "dm2.example:8080"
                    $0.target = "/more?s=1"
                }),
        ])
        #expect(run.sessions.count == 1)
        #expect(run.sessions.first?.connections == [1, 2, 3])
        #expect(run.findings.isEmpty, "\(run.findings.map(\.message))")
    }

    @Test("outcomes: HTTP error aborts, reset aborts, new Package#1 abandons, idle, end of capture")
    func outcomes() throws {
        let error = DMHarness.run([
            .post(
                .initiation(S.initiationA, reply: "").with { $0.reply = Reply(status: 503, contentType: nil, body: "") }
            )
        ])
        #expect(error.sessions.first?.outcome == .abortedByHTTPError(status: 503, frame: FrameNumber(rawValue: 2)))

        let unanswered = DMHarness.run([.post(.initiation(S.initiationA, reply: nil))])
        #expect(unanswered.sessions.first?.outcome == .incomplete)

        let abandoned = DMHarness.run([
            .post(.initiation(S.initiationA, reply: commandsGet)), .post(.initiation(S.initiationA, reply: S.endA)),
        ])
        #expect(
            abandoned.sessions.map(\.outcome) == [
                .abandoned(frame: FrameNumber(rawValue: 3)), .ended(frame: FrameNumber(rawValue: 4)),
            ])

        let idle = DMHarness.run([.post(.initiation(S.initiationA, reply: commandsGet)), .wait(seconds: 301)])
        #expect(idle.sessions.first?.outcome == .idle)
        let notIdle = DMHarness.run([.post(.initiation(S.initiationA, reply: commandsGet)), .wait(seconds: 299)])
        #expect(notIdle.sessions.first?.outcome == .incomplete)
        #expect(notIdle.findings("DM-END-002").isEmpty)
    }

    @Test("a TCP reset after an unanswered request aborts the session; one before it does not")
    func resetAborts() throws {
        let aborted = DMHarness.run([
            .post(.initiation(S.initiationA, reply: commandsGet)),
            .post(.response(statusOK, reply: nil).with { $0.resetAfterRequest = true }),
        ])
        #expect(aborted.sessions.first?.outcome == .abortedByReset(frame: FrameNumber(rawValue: 4)))

        let waiting = DMHarness.run([.post(.initiation(S.initiationA, reply: commandsGet)), .reset(connection: 1)])
        #expect(waiting.sessions.first?.outcome == .abortedByReset(frame: FrameNumber(rawValue: 3)))
        let resumed = DMHarness.run([
            .post(.initiation(S.initiationA, reply: commandsGet)), .reset(connection: 1),
            .post(.response(statusOK, reply: S.endA).with { $0.connection = 2 }),
        ])
        #expect(resumed.sessions.first?.outcome == .ended(frame: FrameNumber(rawValue: 5)))

        let earlier = DMHarness.run([
            .post(.initiation(S.initiationA, reply: commandsGet)), .reset(connection: 1),
            .post(.response(statusOK, reply: nil)),
        ])
        #expect(earlier.sessions.first?.outcome == .incomplete)
    }

    @Test("401 asks for credentials and does not abort; a Package#3 after it is no DM-TRN-004")
    func unauthorized() throws {
        let run = DMHarness.run([
            .post(
                .initiation(S.initiationA, reply: "").with { $0.reply = Reply(status: 401, contentType: nil, body: "") }
            ),
            .post(.response(statusOK, reply: S.endA)),
        ])
        #expect(run.findings("DM-TRN-004").isEmpty)
        #expect(run.sessions.count == 1)
    }

    @Test(
        "near misses: multipart Package#3, echo PkgSeq decided automatically, notification window not over at the end")
    func nearMisses() throws {
        let multipart = DMHarness.run(
            S.sessionA().enumerated().map { index, event in
                guard index == 2, case .post(var post) = event else { return event }
                post.contentType = "multipart/form-data; boundary=x"
                post.body = "--x\r\n\r\n{}\r\n--x--\r\n"
                return .post(post)
            })
        #expect(multipart.findings("DM-CT-003").isEmpty)
        #expect(multipart.sessions.count == 1)

        let echo = DMHarness.run(
            S.sessionCR(
                commands: S.commandsCR(pkgSeq: "1"), results: S.resultsCR(pkgSeq: "2"), end: S.endCR(pkgSeq: "2")))
        #expect(echo.findings.isEmpty, "\(echo.rules)")

        let early = DMHarness.run([.notification(S.notificationA()), .wait(seconds: 100)])
        #expect(early.findings.isEmpty)
        let inWindow = DMHarness.run(
            [.notification(S.notificationA()), .wait(seconds: 250)] + S.sessionA(notification: nil))
        #expect(inWindow.findings.isEmpty, "\(inWindow.rules)")
        #expect(inWindow.sessions.first?.notification != nil)
        let late = DMHarness.run(
            [.notification(S.notificationA()), .wait(seconds: 400)] + S.sessionA(notification: nil))
        #expect(late.findings("DM-NC-001").count == 1)
        #expect(late.sessions.first?.notification == nil)
        var narrow = SessionTrackingOptions()
        narrow.notificationWindowSeconds = 60
        let narrowed = DMHarness.run(
            [.notification(S.notificationA()), .wait(seconds: 100)] + S.sessionA(notification: nil), options: narrow)
        #expect(narrowed.findings("DM-NC-001").count == 1)
    }

    @Test("the NOTIFICATION-ID picks the notification a Package#1 answers, not time order")
    func notificationByID() throws {
        let run = DMHarness.run(
            [
                .notification(S.notificationA(id: 0x1234)), .notification(S.notificationA(id: 0x9999)),
            ] + S.sessionA(notification: nil) + [.wait(seconds: 400)])
        #expect(run.sessions.first?.notification?.notification.notificationID == 0x1234)
        #expect(run.findings("DM-NC-001").map(\.frames) == [[FrameNumber(rawValue: 2)]])
    }

    @Test("findings carry their session index; sessions are released when they close")
    func findingsAndRelease() throws {
        var harness = DMHarness()
        for event in S.sessionA(status: #"{"Status":[{"sc":200}]}"#) { harness.feed(event) }
        #expect(harness.sessions.count == 1)  // closed at END, before the end of the capture
        #expect(harness.findings.allSatisfy { $0.session == 1 })
        #expect(harness.sessions.first?.findingCount == harness.findings.count)
        harness.finish()
        #expect(harness.sessions.count == 1)
    }

    @Test("the package limit keeps counting but stops storing")
    func packageLimit() throws {
        var options = SessionTrackingOptions()
        options.limits.maxPackagesPerSession = 3
        let run = DMHarness.run(S.sessionA(), options: options)
        let session = try #require(run.sessions.first)
        #expect(session.packages.count == 3)
        #expect(session.packageCount == 5)
        #expect(session.droppedPackages == 2)
        #expect(run.findings("DM-TRK-002").count == 1)
    }
}

/// Sessions of the recorded sample captures (A dialect, plain HTTP).
@Suite("DM sessions of recorded captures")
struct RecordedSessionTests {
    static func sessions(_ capture: String) throws -> (sessions: [Session], findings: [Finding]) {
        var sessions: [Session] = []
        let run = CaptureRun()
        try run.run(
            files: [HTTPGroundTruthTests.samples.appendingPathComponent(capture).path], onPacket: { _, _ in },
            onSession: { sessions.append($0) })
        return (sessions, run.findings)
    }

    /// The DM rules found, without DM-P3-010: these peers were recorded before the approved
    /// Appendix F was read and answer a GET with 200 in a plain Package#3 (a real DM-P3-010
    /// violation, checked by the dm-* captures).
    static func dmRules(_ findings: [Finding]) -> [String] {
        findings.map(\.rule).filter { $0 != "DM-P3-010" }
    }

    @Test("http-keepalive.pcap: one client-initiated session of 5 exchanges ending with END")
    func keepalive() throws {
        let (sessions, findings) = try Self.sessions("http-keepalive.pcap")
        let session = try #require(sessions.first)
        #expect(sessions.count == 1)
        #expect(session.packageCount == 10)
        #expect(
            session.packages.map(\.kind) == [.initiation]
                + Array(repeating: [.request, .response], count: 4).flatMap { $0 } + [.request])
        #expect(session.outcome == .ended(frame: FrameNumber(rawValue: 60)))
        #expect(session.initiatedBy == .client)
        #expect(session.dialect == .a)
        #expect(session.connections == [1])
        #expect(Self.dmRules(findings) == [])
    }

    @Test("http-loopback.pcap: one client-initiated session, 2 rounds, END")
    func loopback() throws {
        let (sessions, findings) = try Self.sessions("http-loopback.pcap")
        #expect(sessions.count == 1)
        let session = try #require(sessions.first)
        #expect(session.packages.map(\.kind) == [.initiation, .request, .response, .request])
        #expect(session.initiatedBy == .client)
        #expect(session.outcome == .ended(frame: FrameNumber(rawValue: 13)))
        #expect(session.devID == "IMEI:356938035643809")
        #expect(Self.dmRules(findings) == [])
    }

    @Test("http-midstream.pcap: a session picked up after its Package#1 is still tracked to its END")
    func midstream() throws {
        let (sessions, findings) = try Self.sessions("http-midstream.pcap")
        #expect(sessions.count == 1)
        #expect(sessions.first?.isMissingStart == true)
        #expect(sessions.first?.outcome == .ended(frame: FrameNumber(rawValue: 34)))
        #expect(Self.dmRules(findings) == ["DM-TRK-003"])
    }
}
