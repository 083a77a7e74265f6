import DMProtocol
import Packets

/// DM-P3-*: Package#3 results against the commands of the preceding Package#2 (reference §4, §5.1,
/// §6.6). Result member types come from the decoder's issues; DM-P3-010 waits for the multipart
/// decoder (issue 12).
struct ResponseRules: RuleFamily {
    var implementedRules: [String] {
        [
            "DM-P3-001", "DM-P3-002", "DM-P3-003", "DM-P3-004", "DM-P3-006", "DM-P3-007", "DM-P3-008", "DM-P3-010",
            "DM-HDR-003",
        ]
    }

    func packageAdded(_ package: SessionPackage, to session: inout Session, context: inout RuleContext) {
        guard let response = package.decoding?.response else { return }
        if let previous = session.state.lastRequest, let request = previous.decoding?.request, !request.containsEnd,
            let commands = request.commands, let results = response.results
        {
            // DM-P3-001 (approved §7.2.1.3 schema, S-SEED 8.4): one result per command, same order.
            if results.count != commands.count {
                context.report(
                    "DM-P3-001",
                    "\(package.reference) has \(results.count) result\(results.count == 1 ? "" : "s") for the \(commands.count) command\(commands.count == 1 ? "" : "s") of the Package#2 in frame \(previous.frame).",
                    frames: [previous.frame] + package.frames, session: session)
            }
        }
        let isA = response.dialect == .a || (response.dialect != .cr && session.isDialectA)
        if isA, let decoding = package.decoding { checkGETData(package, decoding, session: session, context: &context) }
        for pairing in package.pairings {
            guard let result = pairing.result, let code = result.code else { continue }
            check(pairing, code: code, result: result, isA: isA, package: package, session: session, context: &context)
            checkSideTraffic(pairing, code: code, package: package, session: session, context: &context)
        }
    }

    private func check(
        _ pairing: CommandPairing, code: Int64, result: CommandResult, isA: Bool, package: SessionPackage,
        session: Session, context: inout RuleContext
    ) {
        let command = pairing.command
        let label = "Result \(pairing.position) of \(package.reference) (\(code) for \(command.name.text))"
        let frames = package.frames + (session.state.lastRequest.map { [$0.frame] } ?? [])
        // DM-P3-002 / DM-P3-006 (approved Appendix C): the only valid codes, on the commands they apply to.
        switch StatusCodeTable.validity(of: code, for: command.name, hasCacheValidator: command.hasCacheValidator) {
        case .valid: break
        case .unknownCode:
            let legacy = StatusCodeTable.describe(code).map { " (\($0.name) is a DM 1.x code)" } ?? ""
            context.report(
                "DM-P3-002", "\(label): \(code) is not a DM 2.0 status code\(legacy).", frames: frames, session: session
            )
        case .notApplicable:
            if code == 304, isA {
                context.report(
                    "DM-P3-006", "\(label): 304 Not Modified answers only GET, HPUT or HPOST.", frames: frames,
                    session: session)
            } else {
                let name = StatusCodeTable.info(for: code)?.name ?? ""
                context.report(
                    "DM-P3-002", "\(label): \(code) \(name) does not apply to \(command.name.text).", frames: frames,
                    session: session)
            }
        case .needsCacheValidator:
            if isA {
                context.report(
                    "DM-P3-006",
                    "\(label): 304 Not Modified needs a cv= field in the command's ClientURI, and it has none.",
                    frames: frames, session: session)
            }
        }
        guard isA else { return }
        let isSuccess = (200..<300).contains(code)
        // DM-P3-006: with 304 no data is attached.
        if code == 304, !result.data.isEmpty {
            context.report(
                "DM-P3-006", "\(label): a 304 Not Modified result carries MO data.", frames: frames, session: session)
        }
        // DM-P3-003 (approved §5.3.1): HGET without ClientURI lists where the client stored the data.
        if command.name == .hget, isSuccess, command.arguments(.clientURI).isEmpty, result.uris.isEmpty {
            context.report(
                "DM-P3-003",
                "\(label): an HGET without ClientURI succeeded but its status lists no ClientURI in URI (where the client stored the data).",
                frames: frames, session: session)
        }
        // DM-P3-004 (approved §5.3.5): EXEC with a ServerURI reports asynchronously, 202.
        if command.name == .exec, !command.arguments(.serverURI).isEmpty, isSuccess, code != 202 {
            context.report(
                "DM-P3-004",
                "\(label): an EXEC with a ServerURI must be answered 202 Accepted (the final result follows later as an alert).",
                frames: frames, session: session)
        }
    }

    /// DM-P3-008 (HEUR, approved §5.3.1–5.3.3): an HGET/HPUT/HPOST reported 2xx made its HTTP
    /// request to the ServerURI between the Package#2 and the Package#3, and the repository did not
    /// refuse it. Only for plain-http ServerURIs whose host the capture shows serving HTTP at all.
    private func checkSideTraffic(
        _ pairing: CommandPairing, code: Int64, package: SessionPackage, session: Session, context: inout RuleContext
    ) {
        guard let method = SessionTracker.sideMethod(pairing.command.name), (200..<300).contains(code),
            let text = pairing.command.arguments(.serverURI).first?.text,
            let uri = RequestURI(absolute: text), uri.scheme == "http",
            context.visibleHosts.contains("\(uri.host):\(uri.port)")
        else { return }
        let frames = package.frames + (session.state.lastRequest.map { [$0.frame] } ?? [])
        let label =
            "Command \(pairing.position) (\(pairing.command.name.text)) of the Package#2 in frame \(session.state.lastRequest?.frame.description ?? "?")"
        // The tracker matched the request when it paired the command with its result.
        guard let request = pairing.sideRequest else {
            context.report(
                "DM-P3-008",
                "\(label) is reported \(code) in \(package.reference), but the device sent no HTTP \(method) to \(uri) in between.",
                frames: frames, session: session)
            return
        }
        if let status = request.status, status >= 400 {
            context.report(
                "DM-P3-008",
                "\(label) is reported \(code) in \(package.reference), but the repository answered its HTTP \(method) (frame \(request.frame)) with \(status).",
                frames: frames + [request.frame], session: session)
        }
    }

    /// DM-P3-010 (approved Appendix F): GET data travels in multipart/form-data parts named by the
    /// GET's position; the matching itself is the decoder's (`matchingGETData`), against the
    /// Package#2 this Package#3 answers (structure and names only when that one was not captured).
    private func checkGETData(
        _ package: SessionPackage, _ decoding: PackageDecoding, session: Session, context: inout RuleContext
    ) {
        guard context.isEnabled("DM-P3-010") else { return }
        let previous = session.state.lastRequest?.decoding?.request
        guard previous?.containsEnd != true else { return }  // DM-END-001's business
        let commands = session.state.lastRequest == nil ? nil : previous?.commands
        let frames = package.frames + (session.state.lastRequest.map { [$0.frame] } ?? [])
        let match = decoding.matchingGETData(previousCommands: commands)
        for finding in match.findings {
            let offset = finding.offset.map { " (body offset \($0))" } ?? ""
            context.report(
                "DM-P3-010", "\(package.reference)\(offset): \(finding.message)", frames: frames, session: session,
                severity: finding.severity == .error ? .error : .warning)
        }
        guard let commands, let results = match.response?.results else { return }
        if let devID = session.state.devIDHeader {
            checkDevInfoData(
                package, commands: commands, results: results, devID: devID, session: session, context: &context)
        }
        checkCacheValidators(package, commands: commands, results: results, session: session, context: &context)
    }

    /// DM-P3-007 (HEUR, approved §11.2): MO data of a successful GET on an MO instance root (no `cv=`
    /// in the ClientURI) should come with its cache validator `CV`. HPUT/HPOST uploads go to the data
    /// repository and are not checked here.
    private func checkCacheValidators(
        _ package: SessionPackage, commands: [Command], results: [CommandResult], session: Session,
        context: inout RuleContext
    ) {
        for (index, command) in commands.enumerated() where command.name == .get && index < results.count {
            guard let code = results[index].code, (200..<300).contains(code), !command.hasCacheValidator,
                let uri = command.arguments(.clientURI).first?.clientURI, uri.path.allSatisfy(\.isEmpty),
                let items = results[index].getData?.moData
            else { continue }
            for item in items where item.cv == nil {
                context.report(
                    "DM-P3-007",
                    "GET \(index) of \(package.reference) returned the MO instance \(item.clientURI ?? uri.text) without a CV cache validator.",
                    frames: package.frames, session: session)
            }
        }
    }

    /// DM-HDR-003 (SHOULD, approved §5.2.2, §12): DevInfo data a GET returned (the `DevID` leaf as
    /// text, or a DevInfo MO serialization) carries the device's `OMADM-DevID`.
    private func checkDevInfoData(
        _ package: SessionPackage, commands: [Command], results: [CommandResult], devID: String, session: Session,
        context: inout RuleContext
    ) {
        for (index, command) in commands.enumerated() where command.name == .get && index < results.count {
            guard let part = results[index].getData, let uri = command.arguments(.clientURI).first?.clientURI,
                SessionIdentityRules.isDevInfo(uri.moid + "/")
            else { continue }
            var values: [String] = []
            switch part.content {
            case .text(let text):
                if uri.path.last == "DevID" { values.append(text.trimmingCharacters(in: " \t\r\n")) }
            case .moSerialization(let items):
                values += items.compactMap { SessionIdentityRules.devIDLeaf(in: $0.tree) }
            case .binary:
                break
            }
            for value in values where value != devID {
                context.report(
                    "DM-HDR-003",
                    "GET \(index) of \(package.reference) returned DevInfo DevID \"\(value)\", but the session's OMADM-DevID is \"\(devID)\".",
                    frames: package.frames, session: session)
            }
        }
    }
}

extension String {
    /// Without leading and trailing characters from `set`.
    func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
