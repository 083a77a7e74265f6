extension StringProtocol {
    /// True when the string starts with `prefix`, a lower-case ASCII literal, in any ASCII case
    /// (`"URN:oma"` starts with `"urn:"`). Compares UTF-8 bytes: no Character iteration, no
    /// lower-cased copy (URIs are checked for every package and command).
    package func hasASCIIPrefixIgnoringCase(_ prefix: StaticString) -> Bool {
        prefix.withUTF8Buffer { expected in
            var bytes = utf8.makeIterator()
            for wanted in expected {
                guard let byte = bytes.next() else { return false }
                let isLetter = wanted >= UInt8(ascii: "a") && wanted <= UInt8(ascii: "z")
                guard byte == wanted || (isLetter && byte | 0x20 == wanted) else { return false }
            }
            return true
        }
    }
}
