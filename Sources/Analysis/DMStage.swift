import DMProtocol
import HTTP1
import Packets
import Reassembly

/// The DM layer of the pipeline: finds DM packages in HTTP exchanges and notifications in UDP
/// datagrams, decodes them and feeds the session tracker, in frame order.
///
/// Call order: `packet` for every decoded frame (before its HTTP stage runs, so that a TCP reset is
/// known when the exchange it cut arrives), `exchange` for every HTTP exchange, `finish` at the end
/// of each input file; `drain` after any of them hands out findings and closed sessions.
package struct DMStage {
    private var tracker: SessionTracker
    private var resets: [ConnectionPair: FrameNumber] = [:]
    private var resetOrder: [ConnectionPair] = []
    private let notificationPorts: Set<Int>
    private let maxRememberedResets: Int
    private let decoderOptions: PackageDecoder.Options
    /// Notifications decoded, DM exchanges seen.
    package private(set) var notificationCount = 0
    package private(set) var dmExchangeCount = 0
    /// Decoder limits hit (JSON, items per package, multipart).
    private var decodeLimitHits: [RunLimit: Int] = [:]
    /// Decoder and session tracker limits hit over the run.
    package var limitHits: [RunLimit: Int] { decodeLimitHits.merging(tracker.limitHits, uniquingKeysWith: +) }

    /// A connection's two endpoints in the order a segment travelled.
    private struct ConnectionPair: Hashable {
        var from: Endpoint
        var to: Endpoint
    }

    package init(options: SessionTrackingOptions) {
        tracker = SessionTracker(options: options)
        notificationPorts = options.notificationPorts
        maxRememberedResets = options.limits.maxRememberedResets
        decoderOptions = options.decoderOptions
    }

    /// The input file the next frames come from.
    package mutating func setFileIndex(_ index: Int) { tracker.setFileIndex(index) }

    /// One decoded frame: UDP notifications, TCP resets and FINs, and the capture clock.
    package mutating func packet(_ packet: borrowing DecodedPacket) {
        advance(to: packet.timestamp)
        guard let source = packet.sourceAddress, let destination = packet.destinationAddress else { return }
        switch packet.transport {
        case .udp(let udp):
            guard packet.payload.count >= 2 else { return }
            datagram(
                packet.payload, from: Endpoint(address: source, port: udp.sourcePort),
                to: Endpoint(address: destination, port: udp.destinationPort), frame: packet.frame,
                time: packet.timestamp)
        case .tcp(let tcp):
            if tcp.flags.contains(.rst) {
                reset(
                    from: Endpoint(address: source, port: tcp.sourcePort),
                    to: Endpoint(address: destination, port: tcp.destinationPort), frame: packet.frame)
            } else if tcp.flags.contains(.fin) {
                tracker.finished(
                    from: Endpoint(address: source, port: tcp.sourcePort),
                    to: Endpoint(address: destination, port: tcp.destinationPort), frame: packet.frame)
            }
        default:
            return
        }
    }

    /// Capture time moved on (closes idle sessions, expires notifications).
    package mutating func advance(to time: Timestamp) { tracker.advance(to: time) }

    /// A UDP payload (borrowed for the call): decoded when it is a DM notification.
    package mutating func datagram(
        _ payload: UnsafeRawBufferPointer, from source: Endpoint, to destination: Endpoint, frame: FrameNumber,
        time: Timestamp
    ) {
        let sourcePort = Int(source.port.rawValue)
        let destinationPort = Int(destination.port.rawValue)
        guard
            let datagram = NotificationDetector.decode(
                udpPayload: payload, sourcePort: sourcePort, destinationPort: destinationPort,
                notificationPorts: notificationPorts)
        else { return }
        notificationCount += 1
        tracker.notification(
            datagram, frame: frame, time: time, device: destination.address, sender: source.address,
            sourcePort: sourcePort, destinationPort: destinationPort)
    }

    /// A TCP segment with RST from `source` to `destination`.
    package mutating func reset(from source: Endpoint, to destination: Endpoint, frame: FrameNumber) {
        tracker.reset(from: source, to: destination, frame: frame)
        let pair = ConnectionPair(from: source, to: destination)
        if resets.updateValue(frame, forKey: pair) == nil { resetOrder.append(pair) }
        while resetOrder.count > maxRememberedResets { resets[resetOrder.removeFirst()] = nil }
    }

    /// One HTTP exchange; ignored unless its request or response carries a DM package
    /// (reference §1.3 media types, or an `OMADM-DevID` header).
    package mutating func exchange(_ exchange: HTTPExchange) {
        guard let request = exchange.request else { return }
        let requestHeaders = request.head.headers
        let requestType = requestHeaders.mediaType
        let requestKind = requestType.flatMap { DMMediaType(rawValue: $0)?.packageKind }
        let hasDevID = DMHeader.lenientValue(DMHeader.devID, in: Self.fields(requestHeaders)) != nil
        let response = exchange.response
        let responseKind = response?.head.headers.mediaType.flatMap { DMMediaType(rawValue: $0)?.packageKind }
        /// Not a DM exchange: side traffic of the device (data repository, web server; DM-P3-008).
        func side() {
            var side = SideRequest(
                method: request.head.method,
                uri: RequestURI(
                    target: request.head.target, host: requestHeaders.first("Host"), server: exchange.connection.server),
                status: response?.head.status, frame: request.firstFrame)
            // MO data travels in uploads (HPUT/HPOST, SUB change reports) and in HGET answers.
            if !request.body.isEmpty, !Self.isIncomplete(request.flags),
                let data = MODataDecoding.decode(
                    contentType: requestHeaders.first("Content-Type"), headers: Self.fields(requestHeaders),
                    body: request.body, options: decoderOptions)
            {
                side.moData = data
                side.moDataInRequest = true
            } else if let response, !response.body.isEmpty, !Self.isIncomplete(response.flags),
                let data = MODataDecoding.decode(
                    contentType: response.head.headers.first("Content-Type"), headers: Self.fields(response.head.headers),
                    body: response.body, options: decoderOptions)
            {
                side.moData = data
            }
            tracker.sideExchange(side, client: exchange.connection.client.address)
        }
        guard requestKind != nil || hasDevID || responseKind != nil else { return side() }

        // The client package: by media type; a multipart/form-data POST with OMADM-DevID, or one
        // answered by a Package#2, is a Package#3 with GET data (approved Appendix F); any other
        // body with OMADM-DevID is classified by its content (DM-CT-008).
        let isMultipart = requestType == ContentTypeRules.multipartFormData && (hasDevID || responseKind == .request)
        var client: SessionPackage?
        if requestKind != nil || hasDevID || isMultipart {
            let decoding = decode(request, headers: requestHeaders)
            let kind = decoding?.kind ?? requestKind ?? (isMultipart ? .response : nil)
            if let kind {
                if kind == .request {
                    // DM-TRN-002: a Package#2 body in a request.
                    dmExchangeCount += 1
                    tracker.reportStray(
                        frames: Self.frames(request), inRequest: true, method: request.head.method)
                    return
                }
                client = package(
                    SessionPackage.Kind(kind), message: request, headers: requestHeaders, decoding: decoding,
                    exchange: exchange,
                    status: response?.head.status)
            }
        }
        guard let client else {
            // E.g. an HGET's GET that carries OMADM-DevID: side traffic, unless a Package#2 answers it.
            guard let response, responseKind == .request else { return side() }
            dmExchangeCount += 1
            tracker.reportStray(frames: Self.frames(response), inRequest: false, method: request.head.method)
            return
        }
        dmExchangeCount += 1
        var server: SessionPackage?
        if let response {
            let responseHeaders = response.head.headers
            let isDMType = responseKind != nil
            if isDMType || !response.body.isEmpty || Self.isIncomplete(response.flags) {
                let decoding = decode(response, headers: responseHeaders)
                // Without a DM media type, only a body that decodes as a package counts as one.
                if isDMType || decoding?.package != nil {
                    server = package(
                        .request, message: response, headers: responseHeaders, decoding: decoding, exchange: exchange,
                        status: response.head.status)
                }
            }
        }
        var reset: FrameNumber?
        if response == nil {
            let connection = exchange.connection
            let found = [
                resets[ConnectionPair(from: connection.client, to: connection.server)],
                resets[ConnectionPair(from: connection.server, to: connection.client)],
            ].compactMap { $0 }.filter { $0 >= request.lastFrame }
            reset = found.min()
        }
        tracker.exchange(
            SessionTracker.ExchangeInput(
                client: client, server: server, connection: exchange.connection, status: response?.head.status,
                responseFrame: response?.firstFrame, resetFrame: reset))
    }

    /// End of an input file.
    package mutating func finish() {
        tracker.finish()
        resets.removeAll()
        resetOrder.removeAll()
    }

    /// When true, `drain` hands out every package as it joins its session (streaming output).
    package var publishesPackages: Bool {
        get { tracker.publishesPackages }
        set { tracker.publishesPackages = newValue }
    }

    /// Hands out the packages, findings and closed sessions produced since the last call.
    package mutating func drain(
        onPackage: (Int, SessionPackage) -> Void = { _, _ in }, onFinding: (Finding) -> Void,
        onSession: (Session) -> Void
    ) {
        guard tracker.hasOutput else { return }
        for (session, package) in tracker.takeAddedPackages() { onPackage(session, package) }
        for finding in tracker.takeFindings() { onFinding(finding) }
        for session in tracker.takeClosedSessions() { onSession(session) }
    }

    // MARK: Helpers

    private mutating func decode<Head>(_ message: HTTPMessage<Head>, headers: HTTPHeaders) -> PackageDecoding? {
        guard !Self.isIncomplete(message.flags) else { return nil }
        let decoding = PackageDecoder.decode(
            contentType: headers.first("Content-Type"), headers: Self.fields(headers), body: message.body,
            options: decoderOptions)
        for issue in decoding.issues {
            if let limit = issue.limit { decodeLimitHits[RunLimit.decoding(limit), default: 0] += 1 }
        }
        return decoding
    }

    private func package<Head>(
        _ kind: SessionPackage.Kind, message: HTTPMessage<Head>, headers: HTTPHeaders, decoding: PackageDecoding?,
        exchange: HTTPExchange, status: Int?
    ) -> SessionPackage {
        let request = exchange.request
        let target = request?.head.target ?? ""
        let fields = Self.fields(headers)
        var uri = RequestURI(target: target, host: request?.head.headers.first("Host"), server: exchange.connection.server)
        if exchange.tls != nil, uri.scheme == "http" { uri.scheme = "https" }  // decrypted from TLS
        var carrier = PackageCarrier(
            connection: exchange.connection.index, method: request?.head.method ?? "",
            target: target,
            uri: uri,
            status: status, contentType: headers.first("Content-Type"), bodyBytes: message.payloadLength,
            isBodyIncomplete: Self.isIncomplete(message.flags),
            accept: kind == .request ? nil : headers.first("Accept"),
            omadmAccept: DMHeader.lenientValue(DMHeader.accept, in: fields)?.value,
            devIDHeader: DMHeader.lenientValue(DMHeader.devID, in: fields)?.value,
            clientEndpoint: exchange.connection.client, serverEndpoint: exchange.connection.server)
        carrier.tls = exchange.tls
        return SessionPackage(
            kind: kind, pkgSeq: decoding?.package?.sessionInfo?.pkgSeq, frames: Self.frames(message),
            time: message.firstTime, lastTime: message.lastTime, carrier: carrier, decoding: decoding)
    }

    /// A body that was not completely captured and stored cannot be decoded.
    static func isIncomplete(_ flags: HTTPMessageFlags) -> Bool {
        !flags.isDisjoint(with: [.gap, .truncated, .bodySkipped, .bodyCapped, .notDecoded, .framingError])
    }

    static func frames<Head>(_ message: HTTPMessage<Head>) -> [FrameNumber] {
        message.firstFrame == message.lastFrame ? [message.firstFrame] : [message.firstFrame, message.lastFrame]
    }

    static func fields(_ headers: HTTPHeaders) -> HTTPHeaderFields {
        headers.map { (name: $0.name, value: $0.value) }
    }
}
