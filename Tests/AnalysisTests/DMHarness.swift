import DMProtocol
import HTTP1
import Packets
import Reassembly

@testable import Analysis

/// Drives `DMStage` directly with constructed HTTP exchanges, notifications and resets: each
/// exchange takes two frames (request, response) and one second of capture time unless told otherwise.
struct DMHarness {
    /// An HTTP response carrying (or not) a Package#2.
    struct Reply {
        var status = 200
        var contentType: String? = "application/vnd.oma.dm.request+json"
        var body: String
        var headers: [(String, String)] = []
    }

    /// One client POST and its answer.
    struct Post {
        var method = "POST"
        var target = "/dm"
        var host: String? = "dms.example"
        var contentType: String?
        var accept: String? = "application/vnd.oma.dm.request+json"
        var devID: String? = DMHarness.devID
        var headers: [(String, String)] = []
        var body: String
        /// nil: no response seen.
        var reply: Reply?
        var connection = 1
        /// A TCP reset from the client follows the request (before any answer).
        var resetAfterRequest = false
        var client = DMHarness.device
        var server = DMHarness.server
    }

    enum Event {
        case post(Post)
        case notification([UInt8], port: UInt16 = 2948)
        /// A TCP reset on `connection` (client to server).
        case reset(connection: Int)
        /// Let capture time pass.
        case wait(seconds: Int64)
    }

    static let devID = "IMEI:356938035643809"
    static let device = Endpoint(address: .v4(0x0A00_0002), port: 51514)
    static let server = Endpoint(address: .v4(0x0A00_0001), port: 80)
    static let pushServer = Endpoint(address: .v4(0x0A00_0003), port: 9200)

    var stage: DMStage
    var findings: [Finding] = []
    var sessions: [Session] = []
    private var frame: UInt64 = 0
    private var seconds: Int64 = 1_800_000_000
    private var exchangeIndex = 0

    init(options: SessionTrackingOptions = SessionTrackingOptions()) {
        stage = DMStage(options: options)
    }

    /// Runs `events` and finishes the file.
    static func run(_ events: [Event], options: SessionTrackingOptions = SessionTrackingOptions()) -> DMHarness {
        var harness = DMHarness(options: options)
        for event in events { harness.feed(event) }
        harness.finish()
        return harness
    }

    mutating func feed(_ event: Event) {
        switch event {
        case .post(let post): exchange(post)
        case .notification(let bytes, let port):
            let time = tick()
            let number = nextFrame()
            stage.advance(to: time)
            bytes.withUnsafeBytes {
                stage.datagram(
                    $0, from: Self.pushServer, to: Endpoint(address: Self.device.address, port: Port(rawValue: port)),
                    frame: number, time: time)
            }
        case .reset(let connection):
            let time = tick()
            let number = nextFrame()
            stage.advance(to: time)
            stage.reset(from: endpoint(Self.device, connection), to: Self.server, frame: number)
        case .wait(let delta):
            seconds += delta
            stage.advance(to: Timestamp(seconds: seconds, nanoseconds: 0))
        }
        drain()
    }

    mutating func finish() {
        stage.finish()
        drain()
    }

    /// The frames the next exchange will use: request, response.
    var nextFrames: (request: UInt64, response: UInt64) { (frame + 1, frame + 2) }

    private mutating func drain() {
        stage.drain(onFinding: { findings.append($0) }, onSession: { sessions.append($0) })
    }

    private mutating func nextFrame() -> FrameNumber {
        frame += 1
        return FrameNumber(rawValue: frame)
    }

    private mutating func tick() -> Timestamp {
        seconds += 1
        return Timestamp(seconds: seconds, nanoseconds: 0)
    }

    /// The device endpoint of connection `n` (a new source port per connection).
    private func endpoint(_ base: Endpoint, _ connection: Int) -> Endpoint {
        Endpoint(address: base.address, port: Port(rawValue: base.port.rawValue &+ UInt16(connection)))
    }

    private mutating func exchange(_ post: Post) {
        exchangeIndex += 1
        let requestTime = tick()
        stage.advance(to: requestTime)
        let requestFrame = nextFrame()
        var fields: [(name: String, value: String)] = []
        if let host = post.host { fields.append(("Host", host)) }
        if let type = post.contentType { fields.append(("Content-Type", type)) }
        if let accept = post.accept { fields.append(("Accept", accept)) }
        if let devID = post.devID { fields.append(("OMADM-DevID", devID)) }
        fields += post.headers.map { (name: $0.0, value: $0.1) }
        let body = Array(post.body.utf8)
        let request = HTTPRequest(
            head: HTTPRequestHead(
                method: post.method, target: post.target, version: .http1_1, headers: HTTPHeaders(fields)),
            body: body, wireBodyLength: body.count, payloadLength: body.count, framing: .contentLength(body.count),
            firstFrame: requestFrame, firstTime: requestTime, lastFrame: requestFrame, lastTime: requestTime)
        var response: HTTPResponse?
        if let reply = post.reply {
            let responseFrame = nextFrame()
            let responseTime = Timestamp(seconds: requestTime.seconds, nanoseconds: 500_000_000)
            var replyFields: [(name: String, value: String)] = []
            if let type = reply.contentType { replyFields.append(("Content-Type", type)) }
            replyFields += reply.headers.map { (name: $0.0, value: $0.1) }
            let replyBody = Array(reply.body.utf8)
            response = HTTPResponse(
                head: HTTPResponseHead(
                    version: .http1_1, status: reply.status, reason: "", headers: HTTPHeaders(replyFields)),
                body: replyBody, wireBodyLength: replyBody.count, payloadLength: replyBody.count,
                framing: .contentLength(replyBody.count), firstFrame: responseFrame, firstTime: responseTime,
                lastFrame: responseFrame, lastTime: responseTime)
        }
        if post.resetAfterRequest {
            stage.reset(from: endpoint(post.client, post.connection), to: post.server, frame: nextFrame())
        }
        let connection = ConnectionInfo(
            index: post.connection, client: endpoint(post.client, post.connection), server: post.server,
            firstFrame: requestFrame, firstTime: requestTime, isPickedUpMidStream: false)
        stage.exchange(HTTPExchange(connection: connection, index: exchangeIndex, request: request, response: response))
    }

    // MARK: Queries

    /// Rule ids of the findings, in order.
    var rules: [String] { findings.map(\.rule) }

    /// Findings of `rule`.
    func findings(_ rule: String) -> [Finding] { findings.filter { $0.rule == rule } }
}

extension DMHarness.Post {
    /// A Package#1 POST.
    static func initiation(_ body: String, reply: String?, status: Int = 200) -> Self {
        Self(
            contentType: "application/vnd.oma.dm.initiation+json", body: body,
            reply: reply.map { DMHarness.Reply(status: status, body: $0) })
    }

    /// A Package#3 POST.
    static func response(_ body: String, reply: String?, target: String = "/dm", status: Int = 200) -> Self {
        Self(
            target: target, contentType: "application/vnd.oma.dm.response+json", body: body,
            reply: reply.map { DMHarness.Reply(status: status, body: $0) })
    }

    /// The same POST with `change` applied.
    func with(_ change: (inout Self) -> Void) -> Self {
        var copy = self
        change(&copy)
        return copy
    }
}
