import DMProtocol
import Packets

/// DM-ALR-*: alerts (reference §3.3, §6.6). Member types come from the decoder's issues.
struct AlertRules: RuleFamily {
    var implementedRules: [String] { ["DM-ALR-001", "DM-ALR-002", "DM-ALR-003"] }

    /// The `Mark` values of approved §7.2.1.5.
    static let marks: Set<String> = [
        "fatal", "critical", "minor", "warning", "informational", "harmless", "indeterminate",
    ]

    func packageAdded(_ package: SessionPackage, to session: inout Session, context: inout RuleContext) {
        guard let decoded = package.package else { return }
        let alerts: [Alert]
        switch decoded {
        case .initiation(let initiation): alerts = initiation.alerts ?? []
        case .response(let response): alerts = response.alerts ?? []
        case .request(let request):
            // DM-ALR-003 (S-ZH §4): alerts go client → server only.
            if let alerts = request.alerts, !alerts.isEmpty {
                context.report(
                    "DM-ALR-003",
                    "\(package.reference) carries \(alerts.count) alert\(alerts.count == 1 ? "" : "s"); alerts flow from client to server only.",
                    frames: package.frames, session: session)
            }
            return
        }
        for (position, alert) in alerts.enumerated() where alert.form == .a {
            // DM-ALR-001: Mark is one of seven values.
            if let mark = alert.mark, !Self.marks.contains(mark) {
                context.report(
                    "DM-ALR-001",
                    "Alert \(position) of \(package.reference) has Mark \"\(mark)\", which is none of fatal, critical, minor, warning, informational, harmless, indeterminate.",
                    frames: package.frames, session: session)
            }
        }
    }
}
