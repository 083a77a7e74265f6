import Analysis
import DMProtocol
import Packets

/// DM sessions, packages and findings as the `dmdissect/1` JSON contract describes them
/// (docs/json-output.md). Strings from the capture go in as they are: JSON escaping makes them
/// safe, and consumers get the exact text.
public struct SessionJSON: Sendable {
    /// How times are written.
    public var precision: TimestampPrecision
    /// The 1-based input file, written on sessions and findings when several files are read.
    public var fileNumber: Int?

    /// An encoder.
    public init(precision: TimestampPrecision, fileNumber: Int? = nil) {
        self.precision = precision
        self.fileNumber = fileNumber
    }

    /// One session with its packages and `findings`.
    public func session(_ session: Session, findings: [Finding], unlistedFindings: Int = 0) -> JSONValue {
        var object = JSONObject()
        object.set("index", JSONBuild.int(session.index))
        object.set("file", int: fileNumber)
        object.set("dialect", .string(session.dialect.rawValue))
        object.set("sessionID", string: session.sessionID)
        object.set("devID", string: session.devID)
        object.set("client", .string(session.client.description))
        object.set("server", .string(session.server.description))
        object.set("connections", .array(session.connections.map { JSONBuild.int($0) }))
        object.set("initiatedBy", .string(session.initiatedBy.rawValue))
        object.set("reason", string: session.reason.map(Self.reasonName))
        object.set("outcome", .string(session.outcome?.name ?? "incomplete"))
        object.set("outcomeDetail", outcomeDetail(session.outcome))
        object.set("missingStart", flag: session.isMissingStart)
        object.set("start", .string(TimeFormat.iso8601(session.start, precision: precision)))
        object.set("end", .string(TimeFormat.iso8601(session.end, precision: precision)))
        object.set("durationMs", Self.milliseconds(session.start.nanoseconds(to: session.end)))
        object.set("roundTrips", JSONBuild.int(session.packages.filter { $0.kind == .request }.count))
        object.set("packageCount", JSONBuild.int(session.packageCount))
        object.set("packagesNotStored", session.droppedPackages > 0 ? JSONBuild.int(session.droppedPackages) : nil)
        object.set("packages", .array(session.packages.map { package($0) }))
        object.set("findings", .array(findings.map { finding($0) }))
        object.set("findingsNotListed", unlistedFindings > 0 ? JSONBuild.int(unlistedFindings) : nil)
        return object.value
    }

    /// One package (`session` is its session's index, for the JSONL feed).
    public func package(_ package: SessionPackage, session: Int? = nil) -> JSONValue {
        var object = JSONObject()
        object.set("session", int: session)
        object.set("kind", .string(package.kind.rawValue))
        object.set("label", .string(package.kind.label))
        object.set("pkgSeq", int: package.pkgSeq)
        object.set("time", .string(TimeFormat.iso8601(package.time, precision: precision)))
        object.set("frames", JSONBuild.frames(package.frames))
        if let carrier = package.carrier { object.set("http", http(carrier)) }
        if let record = package.notification, package.kind == .notification {
            object.set("notification", NotificationJSON.encode(record, precision: precision))
        }
        object.set("contentNotKept", flag: package.isContentDropped)
        if let decoding = package.decoding { add(decoding, pairings: package.pairings, to: &object) }
        return object.value
    }

    /// One finding.
    public func finding(_ finding: Finding) -> JSONValue {
        var object = JSONObject()
        object.set("rule", .string(finding.rule))
        object.set("severity", .string(finding.severity.rawValue))
        object.set("message", .string(finding.message))
        object.set("frames", JSONBuild.frames(finding.frames))
        object.set("file", int: fileNumber.map { _ in finding.fileIndex + 1 })
        object.set("offset", int: finding.offset)
        object.set("session", int: finding.session)
        return object.value
    }

    // MARK: Parts

    private func http(_ carrier: PackageCarrier) -> JSONValue {
        var object = JSONObject()
        object.set("method", .string(carrier.method))
        object.set("uri", .string(carrier.target))
        object.set("absoluteURI", .string(carrier.uri.description))
        object.set("status", int: carrier.status)
        object.set("contentType", string: carrier.contentType)
        object.set("bodyBytes", JSONBuild.int(carrier.bodyBytes))
        object.set("bodyIncomplete", flag: carrier.isBodyIncomplete)
        object.set("devIDHeader", string: carrier.devIDHeader)
        object.set("connection", JSONBuild.int(carrier.connection))
        if let tls = carrier.tls {
            var security = JSONObject()
            security.set("version", .string(tls.version))
            security.set("cipherSuite", .string(tls.cipherSuite))
            security.set("sni", string: tls.serverName)
            security.set("decryptedWith", .string("key log"))
            object.set("tls", security.value)
        }
        return object.value
    }

    private func add(_ decoding: PackageDecoding, pairings: [CommandPairing], to object: inout JSONObject) {
        object.set("dialect", decoding.package.map { .string(Self.dialectName($0.dialect)) })
        switch decoding.package {
        case .initiation(let initiation):
            object.set("sessionInfo", initiation.sessionInfo.map(sessionInfo))
            object.set("mos", initiation.mos.map { .array($0.map(mosEntry)) })
            object.set("moData", initiation.moData.map { .array($0.map(moData)) })
            object.set("alerts", initiation.alerts.map { .array($0.map(alert)) })
        case .request(let request):
            object.set("sessionInfo", request.sessionInfo.map(sessionInfo))
            object.set("commands", request.commands.map { .array($0.map(command)) })
            object.set("alertResults", request.alertResults.map { .array($0.map { result($0, command: nil) }) })
            object.set("alerts", request.alerts.map { .array($0.map(alert)) })
        case .response(let response):
            object.set("sessionInfo", response.sessionInfo.map(sessionInfo))
            let results = response.results ?? []
            object.set(
                "results",
                response.results == nil
                    ? nil
                    : .array(
                        results.enumerated().map { position, item in
                            // The pairing's copy of the result carries the GET data of its part.
                            let pairing = position < pairings.count ? pairings[position] : nil
                            guard case .object(var members) = result(pairing?.result ?? item, command: pairing?.command)
                            else { return .null }
                            if let side = pairing?.sideRequest { members.append(JSONMember("sideRequest", sideRequest(side))) }
                            return .object(members)
                        }))
            object.set("alerts", response.alerts.map { .array($0.map(alert)) })
        case nil:
            break
        }
        if !decoding.issues.isEmpty { object.set("decodeIssues", .array(decoding.issues.map(issue))) }
        if let document = decoding.document { object.set("body", document.value) }
    }

    private func sessionInfo(_ info: SessionInfo) -> JSONValue {
        var object = JSONObject()
        object.set("sessionID", string: info.sessionID)
        object.set("pkgSeq", int: info.pkgSeq)
        object.set("devID", string: info.devID)
        object.set("reasonForSession", int: info.reasonForSession)
        return object.value
    }

    private func mosEntry(_ entry: MOSEntry) -> JSONValue {
        var object = JSONObject()
        object.set("moid", string: entry.moid)
        object.set("miids", entry.miids.map(JSONBuild.strings))
        object.set("paths", entry.paths.map(JSONBuild.strings))
        object.set("ddf", string: entry.ddf)
        return object.value
    }

    private func moData(_ data: MOData) -> JSONValue {
        var object = JSONObject()
        object.set("clientURI", string: data.clientURI)
        object.set("cv", string: data.cv)
        object.set("ddf", string: data.ddf)
        object.set("tree", data.tree)
        return object.value
    }

    private func command(_ command: Command) -> JSONValue {
        var object = JSONObject()
        object.set("name", .string(command.name.text))
        object.set("args", .array(command.arguments.map { $0.value }))
        object.set("argRoles", JSONBuild.strings(command.arguments.map(\.role.rawValue)))
        object.set("unreadable", flag: command.isUnreadable)
        return object.value
    }

    private func result(_ result: CommandResult, command: Command?) -> JSONValue {
        var object = JSONObject()
        object.set("command", command.map { .string($0.name.text) })
        object.set("code", int: result.code)
        object.set("codeName", string: result.status?.name)
        object.set("bareInteger", flag: result.isBareInteger)
        object.set("unreadable", flag: result.isUnreadable)
        if !result.uris.isEmpty { object.set("uris", JSONBuild.strings(result.uris)) }
        if !result.data.isEmpty { object.set("moData", .array(result.data.map(moData))) }
        if let part = result.getData { object.set("getData", getData(part)) }
        return object.value
    }

    private func sideRequest(_ side: SideRequest) -> JSONValue {
        var object = JSONObject()
        object.set("method", .string(side.method))
        object.set("uri", .string(side.uri.description))
        object.set("status", int: side.status)
        object.set("frame", JSONBuild.int(side.frame.rawValue))
        if let data = side.moData {
            object.set("moDataIn", .string(side.moDataInRequest ? "request" : "response"))
            object.set("mediaType", string: data.mediaType?.description)
            object.set("moData", data.items.map { .array($0.map(moData)) })
            if !data.issues.isEmpty { object.set("moDataIssues", .array(data.issues.map(issue))) }
        }
        return object.value
    }

    private func getData(_ part: GETDataPart) -> JSONValue {
        var object = JSONObject()
        object.set("part", JSONBuild.int(part.partIndex))
        object.set("name", string: part.name)
        object.set("mediaType", string: part.mediaType?.description)
        object.set("filename", string: part.filename)
        object.set("bytes", JSONBuild.int(part.size))
        switch part.content {
        case .text(let text): object.set("text", .string(text))
        case .binary(let bytes): object.set("hexPreview", .string(GETDataPart.hexPreview(bytes)))
        case .moSerialization(let items): object.set("moData", .array(items.map(moData)))
        }
        return object.value
    }

    private func alert(_ alert: Alert) -> JSONValue {
        var object = JSONObject()
        object.set("code", int: alert.code)
        object.set("type", string: alert.alertType)
        object.set("mark", .string(alert.effectiveMark))
        object.set("markDefaulted", flag: alert.isMarkDefaulted)
        object.set("correlator", string: alert.correlator)
        object.set("sourceURI", string: alert.sourceURI)
        object.set("targetURI", string: alert.targetURI)
        object.set("dataType", string: alert.dataType)
        object.set("data", alert.data)
        return object.value
    }

    private func issue(_ issue: DecodeError) -> JSONValue {
        var object = JSONObject()
        object.set("severity", .string(issue.severity == .error ? "error" : "warning"))
        object.set("message", .string(issue.message))
        object.set("path", string: issue.path)
        object.set("offset", int: issue.offset)
        return object.value
    }

    private func outcomeDetail(_ outcome: SessionOutcome?) -> JSONValue? {
        var object = JSONObject()
        switch outcome {
        case .ended(let frame): object.set("endFrame", JSONBuild.int(Int64(frame.rawValue)))
        case .abortedByHTTPError(let status, let frame):
            object.set("cause", .string("http-error"))
            object.set("status", JSONBuild.int(status))
            object.set("frame", JSONBuild.int(Int64(frame.rawValue)))
        case .abortedByReset(let frame):
            object.set("cause", .string("tcp-reset"))
            object.set("frame", JSONBuild.int(Int64(frame.rawValue)))
        case .abandoned(let frame):
            object.set("cause", .string("new-package1"))
            object.set("frame", JSONBuild.int(Int64(frame.rawValue)))
        case .idle, .incomplete, .evicted, nil:
            return nil
        }
        return object.value
    }

    /// `nanoseconds` as a JSON number of milliseconds with three decimals.
    static func milliseconds(_ nanoseconds: Int64) -> JSONValue {
        let micros = nanoseconds / 1000
        let sign = micros < 0 ? "-" : ""
        let magnitude = micros.magnitude
        let fraction = String(magnitude % 1000)
        let text = "\(sign)\(magnitude / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
        return .number(JSONNumber(text: text, int64: nil, double: Double(micros) / 1000))
    }

    static func dialectName(_ dialect: Dialect) -> String {
        switch dialect {
        case .a: "A"
        case .cr: "CR"
        case .mixed: "mixed"
        case .undetermined: "unknown"
        }
    }

    static func reasonName(_ reason: SessionReason) -> String {
        switch reason {
        case .serverInitiated: "server-initiated"
        case .clientInitiated: "client-initiated"
        case .bootstrapComplete: "bootstrap-complete"
        case .otherCode(let code): "code \(code)"
        }
    }
}
