import DMProtocol
import Packets

/// DM-P1-*: Package#1 contents (reference §3, §6.6). Member types come from the decoder's issues.
struct InitiationRules: RuleFamily {
    var implementedRules: [String] { ["DM-P1-001", "DM-P1-002", "DM-P1-003"] }

    func packageAdded(_ package: SessionPackage, to session: inout Session, context: inout RuleContext) {
        guard let initiation = package.decoding?.initiation else { return }
        if initiation.dialect == .a || initiation.dialect == .mixed {
            checkSessionAlert(package, initiation, session: session, context: &context)
        }
        if initiation.dialect == .cr {
            // DM-P1-003 (HEUR): the CR example's MOS items have MOID, DDF and Path; MOID is the decoder's.
            for (position, entry) in (initiation.mos ?? []).enumerated() {
                var missing: [String] = []
                if entry.ddf == nil { missing.append("DDF") }
                if entry.paths == nil { missing.append("Path") }
                guard !missing.isEmpty else { continue }
                context.report(
                    "DM-P1-003",
                    "MOS item \(position) of \(package.reference) has no \(missing.joined(separator: " and ")) (the CR example gives MOID, DDF and Path).",
                    frames: package.frames, session: session)
            }
        }
    }

    /// DM-P1-002 (approved §5.2.2, Appendix D): exactly one session alert.
    private func checkSessionAlert(
        _ package: SessionPackage, _ initiation: Initiation, session: Session, context: inout RuleContext
    ) {
        let sessionAlerts = (initiation.alerts ?? []).filter { $0.sessionReason != nil }
        if sessionAlerts.isEmpty {
            context.report(
                "DM-P1-002",
                "\(package.reference) has no session alert (urn:oma:at:dm:2.0:ServerInitiatedMgmt, ClientInitiatedMgmt or BootstrapComplete) in its Alert array.",
                frames: package.frames, session: session)
        } else if sessionAlerts.count > 1 {
            let types = sessionAlerts.compactMap(\.alertType).joined(separator: ", ")
            context.report(
                "DM-P1-002",
                "\(package.reference) has \(sessionAlerts.count) session alerts (\(types)); one is expected.",
                frames: package.frames, session: session, severity: .warning)
        }
    }
}
