import Packets
import Reassembly

/// Pairs responses with requests, first in first out, per connection, and delivers exchanges to
/// the sink in order (Suricata's per-flow transaction list, with `maxOutstandingRequests` as its
/// `MAX_TRANSACTIONS`).
struct ExchangeQueue {
    /// The request side of an exchange.
    enum RequestSlot {
        /// Head parsed, body still coming; the method decides the response's framing.
        case inProgress(method: String)
        /// Boxed (`indirect`): an entry waiting for its response then costs tens of bytes, not the
        /// size of two inline messages (issue 8: memory per open flow).
        indirect case complete(HTTPRequest)
        /// Lost in a capture gap or dropped at a header cap: a response still answers it.
        case lost
        /// An unpaired response's exchange.
        case absent
    }

    /// The response side of an exchange.
    enum ResponseSlot {
        case awaiting
        indirect case complete(HTTPResponse)
        /// Lost in a capture gap or at a header cap.
        case lost
    }

    struct Entry {
        var index: Int
        var request: RequestSlot
        var interimResponses: [HTTPResponse] = []
        var response: ResponseSlot = .awaiting
        var anomalies: [HTTPAnomaly] = []

        var isDeliverable: Bool {
            if case .inProgress = request { return false }
            if case .awaiting = response { return false }
            return true
        }
    }

    let connection: ConnectionInfo
    let sink: any HTTPSink
    let maxOutstandingRequests: Int
    /// Undelivered exchanges in index order.
    private var entries: [Entry] = []
    /// Position in `entries` of the first exchange still waiting for its final response.
    private var awaitingResponse = 0
    private var nextIndex = 1
    private(set) var deliveredCount = 0
    private(set) var droppedRequests = 0

    init(connection: ConnectionInfo, sink: any HTTPSink, maxOutstandingRequests: Int) {
        self.connection = connection
        self.sink = sink
        self.maxOutstandingRequests = maxOutstandingRequests
    }

    /// A request head was parsed: its exchange index, or nil when the request is dropped because
    /// too many are outstanding (reported once per connection, counted always).
    mutating func openRequest(method: String, frame: FrameNumber) -> Int? {
        guard entries.count < maxOutstandingRequests else {
            droppedRequests += 1
            if droppedRequests == 1 {
                report(
                    HTTPAnomaly(
                        kind: .pipelineLimit, connectionIndex: connection.index, direction: .clientToServer, frame: frame,
                        message: "More than \(maxOutstandingRequests) requests await a response; further ones are dropped."))
            }
            return nil
        }
        return append(request: .inProgress(method: method))
    }

    /// The request with `index` is complete.
    mutating func completeRequest(_ request: HTTPRequest, index: Int, anomalies: [HTTPAnomaly]) {
        guard let position = position(of: index) else { return anomalies.forEach(report) }
        entries[position].request = .complete(request)
        entries[position].anomalies.append(contentsOf: anomalies)
        deliverReady()
    }

    /// A request whose head never completed (gap, header cap): keep its place in the FIFO.
    mutating func requestLost(anomalies: [HTTPAnomaly]) {
        guard entries.count < maxOutstandingRequests else { return anomalies.forEach(report) }
        let index = append(request: .lost)
        entries[position(of: index)!].anomalies = anomalies  // just appended
        deliverReady()
    }

    /// The method of the request the next response answers, if known.
    var methodAwaitingResponse: String? {
        guard awaitingResponse < entries.count else { return nil }
        switch entries[awaitingResponse].request {
        case .inProgress(let method): return method
        case .complete(let request): return request.head.method
        case .lost, .absent: return nil
        }
    }

    /// A response is complete: interim ones join the awaiting exchange, a final one closes it.
    mutating func completeResponse(_ response: HTTPResponse, anomalies: [HTTPAnomaly]) {
        guard awaitingResponse < entries.count else {
            var entry = Entry(index: nextIndex, request: .absent, response: .complete(response), anomalies: anomalies)
            nextIndex += 1
            entry.anomalies.append(
                HTTPAnomaly(
                    kind: .unpairedResponse, connectionIndex: connection.index, direction: .serverToClient,
                    frame: response.firstFrame, message: "A \(response.head.status) response arrived with no request outstanding."))
            entries.append(entry)
            awaitingResponse = entries.count
            return deliverReady()
        }
        entries[awaitingResponse].anomalies.append(contentsOf: anomalies)
        if response.head.isInterim {
            entries[awaitingResponse].interimResponses.append(response)
        } else {
            entries[awaitingResponse].response = .complete(response)
            awaitingResponse += 1
        }
        deliverReady()
    }

    /// A response whose head never completed: the awaiting request is taken as answered.
    mutating func responseLost(anomalies: [HTTPAnomaly]) {
        guard awaitingResponse < entries.count else { return anomalies.forEach(report) }
        entries[awaitingResponse].response = .lost
        entries[awaitingResponse].anomalies.append(contentsOf: anomalies)
        awaitingResponse += 1
        deliverReady()
    }

    /// An anomaly no exchange carries.
    func report(_ anomaly: HTTPAnomaly) {
        sink.anomaly(anomaly)
    }

    /// The connection ended: deliver everything, unanswered requests with a nil response.
    mutating func deliverAll() {
        for entry in entries { deliver(entry) }
        entries.removeAll()
        awaitingResponse = 0
    }

    private mutating func append(request: RequestSlot) -> Int {
        entries.append(Entry(index: nextIndex, request: request))
        nextIndex += 1
        return nextIndex - 1
    }

    private func position(of index: Int) -> Int? {
        guard let first = entries.first?.index, index >= first, index - first < entries.count else { return nil }
        return index - first
    }

    private mutating func deliverReady() {
        var count = 0
        while count < entries.count && entries[count].isDeliverable {
            deliver(entries[count])
            count += 1
        }
        guard count > 0 else { return }
        entries.removeFirst(count)  // at most maxOutstandingRequests entries to move
        awaitingResponse = max(0, awaitingResponse - count)
    }

    private mutating func deliver(_ entry: Entry) {
        var request: HTTPRequest?
        if case .complete(let complete) = entry.request { request = complete }
        var response: HTTPResponse?
        if case .complete(let complete) = entry.response { response = complete }
        deliveredCount += 1
        sink.exchange(
            HTTPExchange(
                connection: connection, index: entry.index, request: request, interimResponses: entry.interimResponses,
                response: response, anomalies: entry.anomalies))
    }
}
