import DMProtocol
import Testing

@testable import Analysis

/// Every implemented rule: a clean conversation does not trigger it, one change does.
@Suite("DM rule checker")
struct RuleCheckerTests {
    @Test("the clean A session (notification, CONT, END) has no finding and is tracked as one session")
    func cleanA() throws {
        let run = DMHarness.run(SessionScenarios.sessionA())
        #expect(run.findings.isEmpty, "\(run.findings.map { "\($0.rule) \($0.message)" })")
        #expect(run.sessions.count == 1)
    }

    @Test("the clean CR session (notification, MOD, END) has no finding")
    func cleanCR() throws {
        let run = DMHarness.run(SessionScenarios.sessionCR())
        #expect(run.findings.isEmpty, "\(run.findings.map { "\($0.rule) \($0.message)" })")
        #expect(run.sessions.count == 1)
    }
}
