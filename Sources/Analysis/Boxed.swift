/// Stores a large value out of line, behind one immutable reference: a struct field of this type
/// costs a pointer instead of the value's size. Assigning allocates a new box (copy on write by
/// construction), so use it for fields that are replaced whole, not mutated in place.
///
/// `SessionState` keeps the session's last packages this way: inline they made every open session
/// about 3 KB, and the session table's storage (and its resizing) grew with that (issue 8).
@propertyWrapper
package struct Boxed<Value: Sendable & Hashable>: Sendable, Hashable {
    private final class Box: Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    private var box: Box

    package init(wrappedValue: Value) { box = Box(wrappedValue) }

    package var wrappedValue: Value {
        get { box.value }
        set { box = Box(newValue) }
    }

    package static func == (lhs: Boxed, rhs: Boxed) -> Bool { lhs.box === rhs.box || lhs.wrappedValue == rhs.wrappedValue }

    package func hash(into hasher: inout Hasher) { wrappedValue.hash(into: &hasher) }
}
