import Foundation
import Testing

/// MO data (application/dmmo+json) wherever it travels: an HGET answer, HPUT and HPOST uploads,
/// shown beside the command that caused them (recorded with the data repository of dm_peer.py).
@Suite("MO data in side traffic")
struct SideTrafficTests {
    @Test("HGET, HPUT and HPOST carry their HTTP request and its MO data in the JSON result")
    func json() throws {
        let result = try CLI.run(["--format", "json", "SampleCaptures/dm-clean-a-data-repository.pcap"])
        #expect(result.status == 0)
        let document = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let packages = ((document?["sessions"] as? [[String: Any]])?.first?["packages"] as? [[String: Any]]) ?? []
        let results = packages.flatMap { ($0["results"] as? [[String: Any]]) ?? [] }
        let sides = results.compactMap { item -> (String, [String: Any])? in
            guard let command = item["command"] as? String, let side = item["sideRequest"] as? [String: Any] else { return nil }
            return (command, side)
        }
        #expect(sides.map(\.0) == ["HGET", "HPUT", "HPOST"])
        #expect(sides.map { $0.1["method"] as? String } == ["GET", "PUT", "POST"])
        #expect(sides.map { $0.1["moDataIn"] as? String } == ["response", "request", "request"])
        #expect(sides.allSatisfy { $0.1["mediaType"] as? String == "application/dmmo+json" })
        let hget = (sides.first?.1["moData"] as? [[String: Any]])?.first
        #expect(hget?["clientURI"] as? String == "urn:oma:mo:oma-fumo:1.0/apps/DownloadAndUpdate/PkgURL")
    }

    @Test("the timeline shows the request beside its command")
    func timeline() throws {
        let result = try CLI.run(["SampleCaptures/dm-clean-a-data-repository.pcap"])
        #expect(result.stdout.contains("HGET 200 OK ← HTTP GET 200 f11, MO data (1 item)"))
        #expect(result.stdout.contains("HPOST 200 OK ← HTTP POST 200 f17, MO data (1 item)"))
    }
}
