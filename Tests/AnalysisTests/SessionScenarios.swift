import DMProtocol

@testable import Analysis

/// Clean DM conversations in both dialects (reference Appendix A, extended) from which the rule
/// tests derive violations one change at a time.
enum SessionScenarios {
    static let devID = DMHarness.devID

    // MARK: Dialect A, server-initiated, CONT, END

    /// DM 2.0 notification: SERVER-ID, PREFERRED-CON-TYPE WLAN, NOTIFICATION-ID 4660, digest, REQ-MOS.
    static func notificationA(id: UInt16 = 0x1234, requestsMOs: Bool = true, serverID: String? = "dms.example")
        -> [UInt8]
    {
        let content = DM20NotificationContent(
            serverID: serverID, preferredConnectionTypes: [.wlan], notificationID: id,
            digest: [UInt8](repeating: 0xAB, count: 32), requestsMOs: requestsMOs)
        return (try? NotificationEncoder.encode(content)) ?? []
    }

    static let initiationA = """
        {"MOS":[{"MOID":"urn:oma:mo:oma-dm-devinfo:1.0","MIID":["d1"]},{"MOID":"urn:oma:mo:oma-fumo:1.0","MIID":["apps"]}],
         "Alert":[{"AlertType":"urn:oma:at:dm:2.0:ServerInitiatedMgmt","DataType":"int","Data":{"NotificationID":4660}}]}
        """
    static let commandsA = """
        {"CMD":[["HGET","http://repo.example/fw","urn:oma:mo:oma-fumo:1.0/apps/PkgURL"],
                ["GET","urn:oma:mo:oma-dm-devinfo:1.0/d1/FwV?cv=17"],
                ["EXEC","urn:oma:mo:oma-fumo:1.0/apps/Update","http://dms.example/async"],
                ["CONT","http://dms.example/next"]]}
        """
    static let statusA = #"{"Status":[{"sc":200},{"sc":304},{"sc":202},{"sc":200}]}"#
    static let endA = #"{"CMD":[["END"]]}"#

    /// Notification, P1 → P2 (HGET, GET cv, EXEC async, CONT), P3 to the CONT URI → P2 END.
    static func sessionA(
        notification: [UInt8]? = notificationA(), initiation: String = initiationA, commands: String = commandsA,
        status: String = statusA, end: String = endA, statusTarget: String = "/next"
    ) -> [DMHarness.Event] {
        var events: [DMHarness.Event] = []
        if let notification { events.append(.notification(notification)) }
        events.append(.post(.initiation(initiation, reply: commands)))
        events.append(.post(.response(status, reply: end, target: statusTarget)))
        return events
    }

    // MARK: CR dialect, server-initiated, one round, END

    /// CR draft notification: SERVER-ID and Requested-MO-CV for MO index 1 (reference §2.3.4).
    static let notificationCR: [UInt8] =
        [0x21, 0x00, 0x10, 0x0B] + Array("dms.example".utf8) + [0x60, 0x0B, 0x00, 0x01]
        + [0x68, 0x68, 0x97, 0x69, 0x6A, 0x7C, 0x87, 0x6B, 0x7E]

    static func initiationCR(
        sessionID: String = "A17", pkgSeq: String = "1", reason: String = "1200", devID: String = devID,
        modDevID: String = devID, extra: String = ""
    ) -> String {
        """
        {"SessionInfo":{"DevID":"\(devID)","SessionID":"\(sessionID)","PkgSeq":\(pkgSeq),"ReasonForSession":\(reason)},
         "MOD":[{"URI":"oma:mo:oma-dm-devinfo:1.0/","MO":{"DevID":"\(modDevID)","Man":"Acme","Mod":"X1"}}]\(extra)}
        """
    }

    static func commandsCR(sessionID: String = "A17", pkgSeq: String = "2", extra: String = "") -> String {
        """
        {"SessionInfo":{"SessionID":"\(sessionID)","PkgSeq":\(pkgSeq),"AcceptMO":"application/vnd.oma.dm.mo+json"},
         "Cmds":[{"HPOST":["https://repo.example/up/1","oma:mo:oma-dm-devdetail:1.0/"]},{"GET":["oma:mo:oma-dm-devinfo:1.0/FwV"]}]\(extra)}
        """
    }

    static func resultsCR(sessionID: String = "A17", pkgSeq: String = "3", devID: String = devID, extra: String = "")
        -> String
    {
        """
        {"SessionInfo":{"DevID":"\(devID)","SessionID":"\(sessionID)","PkgSeq":\(pkgSeq)},
         "Results":[{"Code":200},{"Code":200,"MOD":{"URI":"oma:mo:oma-dm-devinfo:1.0/FwV","MO":{"FwV":"1.4.2"}}}]\(extra)}
        """
    }

    static func endCR(sessionID: String = "A17", pkgSeq: String = "4") -> String {
        #"{"SessionInfo":{"SessionID":"\#(sessionID)","PkgSeq":\#(pkgSeq)},"Cmds":[{"END":[]}]}"#
    }

    /// A CR POST: no OMADM-DevID header (the DevID is in SessionInfo).
    static func crPost(_ post: DMHarness.Post) -> DMHarness.Post { post.with { $0.devID = nil } }

    static func sessionCR(
        notification: [UInt8]? = notificationCR, initiation: String = initiationCR(), commands: String = commandsCR(),
        results: String = resultsCR(), end: String = endCR()
    ) -> [DMHarness.Event] {
        var events: [DMHarness.Event] = []
        if let notification { events.append(.notification(notification)) }
        events.append(.post(crPost(.initiation(initiation, reply: commands))))
        events.append(.post(crPost(.response(results, reply: end))))
        return events
    }
}
