import Analysis
import DMProtocol
import Packets

/// A Package#0 (notification) in the `dmdissect/1` JSON: where it went and its decoded fields.
enum NotificationJSON {
    /// `record` as a JSON object.
    static func encode(_ record: NotificationRecord, precision: TimestampPrecision) -> JSONValue {
        let notification = record.notification
        var object = JSONObject()
        object.set("index", JSONBuild.int(record.index))
        object.set("frame", JSONBuild.int(record.frame.rawValue))
        object.set("time", .string(TimeFormat.iso8601(record.time, precision: precision)))
        object.set("device", .string("\(record.device)"))
        object.set("sender", .string("\(record.sender)"))
        object.set("sourcePort", JSONBuild.int(record.sourcePort))
        object.set("destinationPort", JSONBuild.int(record.destinationPort))
        object.set("wapPush", flag: record.datagram.push != nil)
        object.set("format", .string(notification.format.description))
        object.set("version", JSONBuild.int(notification.version))
        object.set("serverID", string: notification.serverID)
        object.set("notificationID", int: notification.notificationID.map(Int.init))
        object.set("sessionID", int: notification.sessionID.map(Int.init))
        if let trigger = notification.trigger {
            object.set("uiMode", .string("\(trigger.uiMode)"))
            object.set("initiator", .string("\(trigger.initiator)"))
        }
        if notification.trigger == nil {
            object.set("options", .array(notification.options.map(option)))
        }
        object.set("digest", notification.digest.map { .string(hex($0)) })
        object.set("bytes", JSONBuild.int(notification.bytes.count))
        if !record.datagram.issues.isEmpty {
            object.set(
                "issues",
                .array(
                    record.datagram.issues.map { issue in
                        var item = JSONObject()
                        item.set("check", .string(issue.check.rawValue))
                        item.set("severity", .string(issue.error.isError ? "error" : "warning"))
                        item.set("message", .string(issue.error.message))
                        item.set("offset", int: issue.error.offset)
                        return item.value
                    }))
        }
        return object.value
    }

    private static func option(_ option: NotificationOption) -> JSONValue {
        var object = JSONObject()
        object.set("number", JSONBuild.int(option.number))
        object.set("name", string: option.name)
        object.set("length", JSONBuild.int(option.value.count))
        switch option.interpreted {
        case .string(let text): object.set("value", .string(text))
        case .unsignedInteger(let value): object.set("value", JSONBuild.int(value))
        case .connectionTypes(let types): object.set("value", JSONBuild.strings(types.map(\.description)))
        case .timestamp(let seconds): object.set("value", JSONBuild.int(seconds))
        case .digest(let bytes): object.set("value", .string(hex(bytes)))
        case .empty: break
        case .requestedMOCV(let index, let validator):
            var value = JSONObject()
            value.set("moIndex", JSONBuild.int(Int(index)))
            value.set("validator", .string(hex(validator)))
            object.set("value", value.value)
        case .opaque(let bytes): object.set("hex", .string(hex(bytes)))
        }
        return object.value
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
