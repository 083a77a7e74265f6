// libFuzzer entry point for the UDP side: the WSP push decoder and the notification detector the UDP
// layer calls, on the push port and elsewhere. Built only with DMDISSECT_FUZZ=1 (see scripts/fuzz).
import DMProtocol

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // libFuzzer owns `data` for the duration of the call only.
    let payload = UnsafeRawBufferPointer(start: data, count: size)
    let bytes = [UInt8](payload)
    let (push, issues) = WSPDecoder.decodePush(bytes)
    if let push {
        guard push.bodyRange.lowerBound <= push.bodyRange.upperBound, push.bodyRange.upperBound == bytes.count,
            push.headersOffset + push.headersLength == push.bodyRange.lowerBound
        else { fatalError("inconsistent push ranges: \(push)") }
    } else if !issues.contains(where: { $0.error.isError }) {
        fatalError("no push and no error")
    }
    for (source, destination) in [(9200, 2948), (40000, 53), (2948, 9200)] {
        guard
            let datagram = NotificationDetector.decode(
                udpPayload: payload, sourcePort: source, destinationPort: destination)
        else { continue }
        guard datagram.notificationOffset + datagram.notification.bytes.count == bytes.count else {
            fatalError("the notification is not the tail of the datagram")
        }
        for issue in datagram.issues {
            if let offset = issue.error.offset, offset < 0 || offset > bytes.count {
                fatalError("issue offset \(offset) outside the datagram: \(issue)")
            }
        }
    }
    return 0
}
