import Foundation
import Testing

/// Live capture (`-i`) on real traffic, through scripts/check-live: a DM session driven over real
/// sockets while dmdissect listens, stopped by SIGINT, by -c, and by SIGTERM on a veth pair in a
/// network namespace. Needs root (CI runs as root); every wait in the script has a time-out.
@Suite("live capture", .serialized, .enabled(if: getuid() == 0, "live capture needs root"))
struct LiveCaptureTests {
    static func check(_ arguments: [String]) throws -> CLI.Result {
        try CLI.runTool("python3", ["scripts/check-live", "--dmdissect", CLI.binary.path] + arguments)
    }

    @Test("-i lo, stopped with Ctrl-C: the session, its packages, counters", arguments: [["--mode", "sigint"], ["--mode", "sigint", "--format", "jsonl"]])
    func interrupted(arguments: [String]) throws {
        let result = try Self.check(arguments)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    @Test("-i lo -c 10: stops by itself, the open session closes as incomplete")
    func counted() throws {
        let result = try Self.check(["--mode", "count"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    @Test("-i lo --session ID -w: only the selected session's frames, from its handshake and notification on")
    func sessionExport() throws {
        let result = try Self.check(["--mode", "session-export"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    @Test("-i on a veth pair to a network namespace, stopped with SIGTERM")
    func namespace() throws {
        let result = try Self.check(["--mode", "netns"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    @Test("-D lists lo; errors are one line with exit 2 or 3")
    func interfacesAndErrors() throws {
        let list = try CLI.run(["-D"])
        #expect(list.status == 0)
        #expect(list.stdout.split(separator: "\n").contains { $0.contains(".lo") && $0.contains("Loopback") })
        let missing = try CLI.run(["-i", "no-such-if0", "--duration", "1"])
        #expect(missing.status == 3)
        #expect(missing.stderr == "dmdissect: no-such-if0: cannot capture: no such interface\n")
        let badFilter = try CLI.run(["-i", "lo", "-f", "tcp port", "--duration", "1"])
        #expect(badFilter.status == 2)
        #expect(badFilter.stderr.hasPrefix("dmdissect: invalid filter 'tcp port'"))
        let badUser = try CLI.run(["-i", "lo", "-Z", "no-such-user-x", "--duration", "1"])
        #expect(badUser.status == 2)
        let both = try CLI.run(["-i", "lo", "SampleCaptures/http-loopback.pcap"])
        #expect(both.status == 2)
    }

    @Test("a limit hit live is reported next to the drop counters")
    func limitHitReported() throws {
        // A real HTTP server and client on lo; dmdissect listens with a header cap of 10 bytes.
        let script = #"""
            set -e
            port=$((20000 + RANDOM % 20000))
            dir=$(mktemp -d)
            # The server must be gone when the script ends, whatever happens: a leftover child keeps
            # the test's process handle open. SIGKILL, because the test runner's children inherit
            # an ignored SIGTERM.
            trap 'pkill -KILL -f "http.server $port" || true; rm -rf "$dir"' EXIT
            python3 -m http.server "$port" --bind 127.0.0.1 --directory "$dir" >/dev/null 2>&1 &
            for _ in $(seq 50); do python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 1)" "$port" 2>/dev/null && break; sleep 0.1; done
            "$1" -i lo -f "tcp port $port" --duration 4 --max-header-size 10 >/dev/null 2>"$dir/err" &
            dmd=$!
            for _ in $(seq 50); do grep -q "listening on" "$dir/err" && break; sleep 0.1; done
            for _ in 1 2; do
                python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:'+sys.argv[1]+'/', timeout=5).read()" "$port"
            done
            wait "$dmd"
            cat "$dir/err"
            """#
        let result = try CLI.runTool("bash", ["-c", script, "live-limit", CLI.binary.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("packets dropped by kernel"), "\(result.stdout)")
        #expect(result.stdout.contains("limits hit: --max-header-size 10 bytes: 4 hits (messages dropped)"), "\(result.stdout)")
    }

    @Test("--duration stops; -Z nobody drops root after opening; -w keeps the frames")
    func durationAndPrivileges() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dmdissect-live-\(getpid()).pcap").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        // nobody may not write into the temporary directory: create the file for it first.
        #expect(FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o666]))
        let started = Date()
        let result = try CLI.run(["-i", "lo", "-f", "udp port 9", "--duration", "1", "-Z", "nobody", "-w", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(result.stderr.contains("0 packets captured"))
        #expect(result.stderr.contains("packets dropped by kernel"))
        // The written file is a valid (empty) capture.
        let back = try CLI.run(["--format", "summary", path])
        #expect(back.status == 0, "\(back.stderr)")
    }
}
