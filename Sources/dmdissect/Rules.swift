import Analysis
import ArgumentParser
import Rendering

/// `dmdissect rules`: the rule catalogue.
struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List the rule catalogue: id, severity, dialect, level and what is checked.",
        discussion: """
            Rules marked [not checked: …] are in the catalogue but cannot be judged from a capture; \
            the reason is given. All the others have a checker.
            """
    )

    func run() throws {
        let implemented = RuleChecker.implementedRules
        let sink = OutputSink()
        for rule in RuleCatalogue.rules {
            var severity = rule.severity.rawValue
            if let inA = rule.severityInA { severity += "/A:" + inA.rawValue }
            let pad = { (text: String, width: Int) in text + String(repeating: " ", count: max(1, width - text.count)) }
            var line =
                pad(rule.id, 12) + pad(severity, 16) + pad(rule.dialects.text, 7) + pad(rule.level.rawValue, 7)
                + rule.summary
            if let reason = RuleChecker.rulesWithoutChecker[rule.id] {
                line += " [not checked: \(reason)]"
            } else if !implemented.contains(rule.id) {
                line += " [not checked yet]"
            }
            sink?.line(line)
        }
        sink?.flush()
    }
}
