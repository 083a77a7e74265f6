import DMProtocol
import Packets

/// DM-P2-*: Package#2 commands (reference §4, §6.6). Shapes of CMD/Cmds come from the decoder's issues.
struct RequestRules: RuleFamily {
    var implementedRules: [String] {
        [
            "DM-P2-001", "DM-P2-002", "DM-P2-003", "DM-P2-004", "DM-P2-005", "DM-P2-006", "DM-P2-007", "DM-P2-008",
            "DM-P3-009",
        ]
    }

    func packageAdded(_ package: SessionPackage, to session: inout Session, context: inout RuleContext) {
        guard let request = package.decoding?.request else { return }
        let commands = request.commands ?? []
        for (position, command) in commands.enumerated() {
            check(command, at: position, in: package, session: session, context: &context)
        }
        // DM-P2-005 (HEUR, approved §5.3.9): END at most once and last.
        let ends = commands.indices.filter { commands[$0].name == .end }
        if ends.count > 1 {
            context.report(
                "DM-P2-005", "\(package.reference) contains END \(ends.count) times; once is enough.",
                frames: package.frames, session: session)
        }
        if let first = ends.first, first != commands.count - 1 {
            let after = commands[(first + 1)...].map(\.name.text).joined(separator: ", ")
            context.report(
                "DM-P2-005",
                "\(package.reference) has commands after END (\(after)); the client still executes them, but END should come last.",
                frames: package.frames, session: session)
        }
        // DM-P2-006 (HEUR): an empty Package#2 forces an empty Package#3. A missing CMD is DM-P2-001's.
        if request.commands?.isEmpty == true || (request.commands == nil && request.dialect == .cr) {
            context.report(
                "DM-P2-006",
                "\(package.reference) has no commands and no END: the session can only go on with an empty Package#3.",
                frames: package.frames, session: session)
        }
        checkAlertAnswers(package, request, session: session, context: &context)
        if request.commands?.first?.form == .a {
            checkAnnouncedMOs(package, commands, session: session, context: &context)
        }
    }

    /// DM-P3-009 (HEUR): ClientURIs address MOs and instances announced in the Package#1's MOS.
    private func checkAnnouncedMOs(
        _ package: SessionPackage, _ commands: [Command], session: Session, context: inout RuleContext
    ) {
        guard let announced = session.state.announcedMOs else { return }
        for (position, command) in commands.enumerated() {
            for argument in command.arguments(.clientURI) {
                guard let uri = argument.clientURI else { continue }
                guard let miids = announced[uri.normalizedMOID] else {
                    context.report(
                        "DM-P3-009",
                        "Command \(position) (\(command.name.text)) of \(package.reference) addresses \(uri.moid), which the session's MOS does not list.",
                        frames: package.frames, session: session)
                    continue
                }
                if case .miid(let miid) = uri.instance, !miids.isEmpty, !miids.contains(miid) {
                    context.report(
                        "DM-P3-009",
                        "Command \(position) (\(command.name.text)) of \(package.reference) addresses instance \"\(miid)\" of \(uri.moid), which the session's MOS does not list (\(miids.joined(separator: ", "))).",
                        frames: package.frames, session: session)
                }
            }
        }
    }

    private func check(
        _ command: Command, at position: Int, in package: SessionPackage, session: Session, context: inout RuleContext
    ) {
        let label = "Command \(position) (\(command.name.text)) of \(package.reference)"
        guard command.name.isKnown else {
            // DM-P2-001 (A) / DM-P2-002 (CR): one of the twelve names, exactly as written.
            let rule = command.form == .a ? "DM-P2-001" : "DM-P2-002"
            let upper = command.name.text.uppercased()
            let hint = CommandName(upper).isKnown ? "; names are case-sensitive (\(upper))" : ""
            context.report(
                rule, "\(label) is an unknown command\(hint).", frames: package.frames, session: session)
            return
        }
        // DM-P2-003 (approved §5.3): argument counts.
        if !command.hasValidArgumentCount, let signature = command.name.signature {
            context.report(
                "DM-P2-003",
                "\(label) has \(command.arguments.count) argument\(command.arguments.count == 1 ? "" : "s"); \(command.name.text) takes \(Self.describe(signature)).",
                frames: package.frames, session: session)
        }
        // DM-P2-004 (reference §5.5): ServerURIs are absolute http(s); ClientURIs parse and resolve.
        for (index, argument) in command.arguments.enumerated() {
            guard let text = argument.text else { continue }  // a non-string is the decoder's
            let problem: String?
            switch argument.role {
            case .serverURI:
                problem = RequestURI(absolute: text) == nil ? "is not an absolute http/https ServerURI" : nil
            case .clientURI:
                if let uri = argument.clientURI {
                    let unresolved = uri.unresolvedXNames
                    problem =
                        unresolved.isEmpty
                        ? nil
                        : "uses x-name(s) \(unresolved.map { "(\($0))" }.joined(separator: ", ")) that no nv= field resolves"
                } else {
                    problem = "is not a ClientURI (MOID \"/\" instance \"/\" path)"
                }
            case .moid:
                problem = argument.shape == .moid ? nil : "is not an MO identifier"
            case .extra, .other:
                problem = nil
            }
            if let problem {
                context.report(
                    "DM-P2-004", "Argument \(index + 1) of \(label), \"\(text)\", \(problem).", frames: package.frames,
                    session: session)
            }
        }
    }

    /// `ServerURI [ClientURI]` style text of a signature.
    static func describe(_ signature: CommandSignature) -> String {
        func name(_ role: ArgumentRole) -> String {
            switch role {
            case .serverURI: "ServerURI"
            case .clientURI: "ClientURI"
            case .moid: "MOID"
            case .extra, .other: "value"
            }
        }
        var parts = signature.required.map(name)
        if signature.repeatsLast, let last = parts.last { parts[parts.count - 1] = last + "+" }
        parts += signature.optional.map { "[\(name($0))]" }
        return parts.isEmpty ? "no arguments" : parts.joined(separator: " ")
    }

    /// DM-P2-007 (CR: one Results entry per alert of the previous client package) and DM-P2-008
    /// (A: the server never answers alerts).
    private func checkAlertAnswers(
        _ package: SessionPackage, _ request: Request, session: Session, context: inout RuleContext
    ) {
        let isA = request.commands?.first?.form == .a || (request.commands == nil && session.dialect == .a)
        if isA {
            if request.alertResults != nil || request.unknownMembers.contains(where: { $0.name == "Status" }) {
                context.report(
                    "DM-P2-008",
                    "\(package.reference) answers client alerts (Results/Status); in the approved format the server never answers alerts.",
                    frames: package.frames, session: session)
            }
            return
        }
        guard request.dialect == .cr, let previous = session.state.lastClientPackage, let decoded = previous.package
        else { return }
        let alerts: Int
        switch decoded {
        case .initiation(let initiation): alerts = initiation.alerts?.count ?? 0
        case .response(let response): alerts = response.alerts?.count ?? 0
        case .request: return
        }
        let answers = request.alertResults?.count ?? 0
        guard answers != alerts else { return }
        context.report(
            "DM-P2-007",
            "\(package.reference) has \(answers) Results entr\(answers == 1 ? "y" : "ies") for the \(alerts) alert\(alerts == 1 ? "" : "s") of \(previous.reference); one per alert, in order.",
            frames: package.frames + [previous.frame], session: session)
    }
}
