import Analysis
import DMProtocol

/// The one-line content digest of a package in the timeline: commands with their key argument,
/// result codes with names (and the GET data beside the GET it answers), alerts. Capture text is
/// escaped.
enum PackageDigest {
    /// Text after the package label.
    static func text(_ package: SessionPackage) -> String {
        var parts: [String] = []
        // The lock: decrypted from TLS with a key log.
        if let tls = package.carrier?.tls { parts.append("🔒 TLS \(tls.version)") }
        if let status = package.carrier?.status, status != 200 { parts.append("HTTP \(status)") }
        if package.isContentDropped { return (parts + ["content not kept (session memory limit)"]).joined(separator: ", ") }
        if let record = package.notification, package.kind == .notification {
            parts.append(notification(record.notification))
        }
        switch package.package {
        case .initiation(let initiation):
            for alert in initiation.alerts ?? [] { parts.append(self.alert(alert)) }
            if let reason = initiation.sessionInfo?.reasonForSession { parts.append("ReasonForSession \(reason)") }
            if let mos = initiation.mos { parts.append("MOS \(mos.count)") }
            if let mod = initiation.moData, !mod.isEmpty { parts.append("MOD \(mod.count)") }
        case .request(let request):
            parts += (request.commands ?? []).map(command)
            for alert in request.alerts ?? [] { parts.append(self.alert(alert)) }
        case .response:
            if package.pairings.isEmpty {
                parts += (package.decoding?.response?.results ?? []).map { result($0, command: nil) }
            } else {
                parts += package.pairings.map { pairing in
                    var text =
                        pairing.result.map { result($0, command: pairing.command) } ?? "\(pairing.command.name.text): no status"
                    if let side = pairing.sideRequest { text += " ← " + sideRequest(side) }
                    return text
                }
            }
            for alert in package.decoding?.response?.alerts ?? [] { parts.append(self.alert(alert)) }
        case nil:
            if package.kind != .notification {
                parts.append(package.decoding?.hasErrors == true ? "undecodable package" : "no package")
            }
        }
        if package.decoding?.hasErrors == true, package.package != nil { parts.append("decode errors") }
        return parts.joined(separator: ", ")
    }

    private static func notification(_ notification: DMProtocol.Notification) -> String {
        var text = "\(notification.format)"
        if let server = notification.serverID { text += " SERVER-ID \"\(TerminalText.escape(server))\"" }
        if let id = notification.notificationID { text += " NOTIFICATION-ID \(id)" }
        if let id = notification.sessionID { text += " sessionid \(id)" }
        return text
    }

    private static func command(_ command: Command) -> String {
        var text = command.name.text
        if let key = command.arguments.first(where: { $0.role == .clientURI || $0.role == .moid })
            ?? command.arguments.first
        {
            text += " " + TerminalText.escape(key.text ?? JSONWriter().string(key.value))
        }
        return text
    }

    private static func result(_ result: CommandResult, command: Command?) -> String {
        var text = command.map { "\($0.name.text) " } ?? ""
        if let code = result.code {
            text += "\(code)"
            if let name = result.status?.name { text += " \(name)" }
        } else {
            text += "no code"
        }
        if let data = result.getData {
            switch data.content {
            case .text(let value):
                let shown = value.count > 40 ? String(value.prefix(40)) + "…" : value
                text += " = \"\(TerminalText.escape(shown))\""
            case .binary(let bytes): text += " = \(bytes.count) bytes \(GETDataPart.hexPreview(bytes, limit: 8))"
            case .moSerialization(let items): text += " = MO data (\(items.count) item\(items.count == 1 ? "" : "s"))"
            }
        } else if !result.data.isEmpty {
            text += " + MOD"
        }
        return text
    }

    /// `HTTP GET 200 f13, MO data (1 item)`: the request an HGET/HPUT/HPOST made.
    private static func sideRequest(_ side: SideRequest) -> String {
        var text = "HTTP \(side.method) \(side.status.map(String.init) ?? "unanswered") f\(side.frame.rawValue)"
        if let data = side.moData {
            let count = data.items?.count ?? 0
            text += ", MO data (\(count) item\(count == 1 ? "" : "s"))"
            if !data.issues.isEmpty { text += " with \(data.issues.count) issue\(data.issues.count == 1 ? "" : "s")" }
        }
        return text
    }

    private static func alert(_ alert: Alert) -> String {
        if let type = alert.alertType {
            let short = type.split(separator: ":").last.map(String.init) ?? type
            return "alert \(TerminalText.escape(short))"
        }
        return "alert \(alert.code.map(String.init) ?? "?")"
    }
}
