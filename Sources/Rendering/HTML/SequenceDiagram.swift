import Analysis

/// An inline SVG sequence diagram of one session: lanes for the notification sender, the device
/// and the DM server; one arrow per package, labelled with its kind, PkgSeq and content digest;
/// packages with findings get a marker coloured by the worst severity (its tooltip lists them).
struct SequenceDiagram {
    let session: Session
    let findings: [Finding]

    private static let width = 900
    private static let rowHeight = 34
    private static let top = 56
    private static let pushLane = 90
    private static let deviceLane = 300
    private static let serverLane = 760

    var svg: String {
        let rows = session.packages.count
        let height = Self.top + rows * Self.rowHeight + 24
        var out =
            "<svg class=\"sequence\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.width)\" height=\"\(height)\" viewBox=\"0 0 \(Self.width) \(height)\" role=\"img\" aria-label=\"sequence diagram of session \(session.index)\">"
        let hasPush = session.packages.contains { $0.kind == .notification }
        var lanes = [(Self.deviceLane, "Device " + session.client.address.description), (Self.serverLane, "DM server " + session.server.description)]
        if hasPush { lanes.insert((Self.pushLane, "Notification sender"), at: 0) }
        for (x, name) in lanes {
            out += "<text class=\"lane\" x=\"\(x)\" y=\"20\" text-anchor=\"middle\">\(HTMLText.escape(name))</text>"
            out += "<line class=\"lifeline\" x1=\"\(x)\" y1=\"30\" x2=\"\(x)\" y2=\"\(height - 10)\"/>"
        }
        for (row, package) in session.packages.enumerated() {
            out += arrow(package, y: Self.top + row * Self.rowHeight + 14)
        }
        out += "</svg>"
        return out
    }

    private func arrow(_ package: SessionPackage, y: Int) -> String {
        let (from, to): (Int, Int)
        let kind: String
        switch package.kind {
        case .notification: (from, to, kind) = (Self.pushLane, Self.deviceLane, "p0")
        case .initiation: (from, to, kind) = (Self.deviceLane, Self.serverLane, "p1")
        case .request: (from, to, kind) = (Self.serverLane, Self.deviceLane, "p2")
        case .response: (from, to, kind) = (Self.deviceLane, Self.serverLane, "p3")
        }
        var label = "P" + String(package.kind.label.last ?? "?")
        if let seq = package.pkgSeq { label += " #\(seq)" }
        label += " [f\(package.frames.first?.rawValue ?? 0)]"
        let digest = PackageDigest.text(package)
        if !digest.isEmpty { label += " " + digest }
        // Left-aligned above the arrow, cut to the space between the two lanes (12px monospace
        // is about 7.3px per character); the whole text is in the tooltip.
        let left = min(from, to) + 8
        let fits = max(8, (abs(to - from) - 16) * 10 / 73)
        let frames = Set(package.frames)
        let concerned = findings.filter { !frames.isDisjoint(with: $0.frames) }
        var out = "<g class=\"package \(kind)\">"
        out += "<title>\(HTMLText.escape(package.kind.label + ", frames " + package.frames.map { String($0.rawValue) }.joined(separator: ",") + (digest.isEmpty ? "" : ": " + digest)))</title>"
        out += "<line class=\"arrow\" x1=\"\(from)\" y1=\"\(y)\" x2=\"\(to)\" y2=\"\(y)\" marker-end=\"url(#dmd-arrow)\"/>"
        out += "<text class=\"label\" x=\"\(left)\" y=\"\(y - 6)\">\(HTMLText.escape(HTMLText.short(label, fits)))</text>"
        out += "</g>"
        if let worst = concerned.map(\.severity).max() {
            let text = concerned.map { "\($0.severity.rawValue) \($0.rule): \($0.message)" }.joined(separator: "\n")
            out += "<g class=\"finding-mark \(worst.rawValue)\"><title>\(HTMLText.escape(text))</title>"
            out += "<circle cx=\"\(to == Self.serverLane ? to - 14 : to + 14)\" cy=\"\(y)\" r=\"7\"/></g>"
        }
        return out
    }
}
