/// Parser of the server credentials file (format: `docs/credentials.md`).
///
/// One server per line: the server id, then `key=value` fields (`secret`/`password`, `nonce` (repeatable),
/// `auth-data`). `#` starts a comment outside quotes. Values are bare words, double-quoted strings with
/// backslash escapes, or bare `hex:…` / `base64:…` for binary values. A line with an error is skipped and
/// reported with its line and byte column; the other lines still load.
public enum CredentialsFile {
    /// Parses the file's bytes (UTF-8; reading the file is the caller's job).
    public static func parse(_ bytes: [UInt8]) -> (store: CredentialStore, errors: [DecodeError]) {
        var store = CredentialStore()
        var errors: [DecodeError] = []
        var lineStart = 0
        var lineNumber = 1
        while lineStart <= bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            var contentEnd = lineEnd
            if contentEnd > lineStart, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }  // CRLF files
            var line = LineParser(bytes: bytes, start: lineStart, end: contentEnd, lineNumber: lineNumber)
            switch line.parse() {
            case .success(let server?):
                if !store.add(server) {
                    errors.append(
                        line.error("Server '\(server.serverID)' is already defined on an earlier line.", at: lineStart))
                }
            case .success(nil):
                break
            case .failure(let error):
                errors.append(error)
            }
            if lineEnd >= bytes.count { break }
            lineStart = lineEnd + 1
            lineNumber += 1
        }
        return (store, errors)
    }

    /// Parses the file's text.
    public static func parse(_ text: String) -> (store: CredentialStore, errors: [DecodeError]) {
        parse(Array(text.utf8))
    }
}

/// One line of the credentials file.
private struct LineParser {
    let bytes: [UInt8]
    let start: Int
    let end: Int
    let lineNumber: Int
    var index: Int

    init(bytes: [UInt8], start: Int, end: Int, lineNumber: Int) {
        self.bytes = bytes
        self.start = start
        self.end = end
        self.lineNumber = lineNumber
        self.index = start
    }

    /// A word: its bytes after unquoting, whether any part was quoted, and where an unquoted `=` was.
    struct Word {
        var bytes: [UInt8] = []
        var offset: Int
        var isQuoted = false
        /// Position in `bytes` of the first unquoted `=`.
        var equals: Int?
    }

    /// The server on this line, `nil` for a blank or comment line, or the line's first error.
    mutating func parse() -> Result<ServerCredentials?, DecodeError> {
        guard String(validating: bytes[start..<end], as: UTF8.self) != nil else {
            return .failure(error("The line is not valid UTF-8.", at: start))
        }
        var words: [Word] = []
        while true {
            skipSpaces()
            guard index < end, bytes[index] != UInt8(ascii: "#") else { break }
            switch readWord() {
            case .success(let word): words.append(word)
            case .failure(let error): return .failure(error)
            }
        }
        guard let first = words.first else { return .success(nil) }
        guard first.equals == nil || first.isQuoted else {
            return .failure(error("A line starts with the server id; quote it if it contains '='.", at: first.offset))
        }
        guard !first.bytes.isEmpty, let serverID = String(validating: first.bytes, as: UTF8.self) else {
            return .failure(error("The server id is empty.", at: first.offset))
        }
        var server = ServerCredentials(serverID: serverID, secret: [], line: lineNumber)
        var hasSecret = false
        var hasAuthData = false
        for word in words.dropFirst() {
            guard let equals = word.equals else {
                return .failure(error("Expected key=value after the server id.", at: word.offset))
            }
            let key = String(decoding: word.bytes[..<equals], as: UTF8.self).lowercased()
            let rawValue = Array(word.bytes[(equals + 1)...])
            let value: [UInt8]
            switch decodeValue(rawValue, isQuoted: word.isQuoted) {
            case .success(let decoded): value = decoded
            case .failure(let failure): return .failure(error(failure.message, at: word.offset))
            }
            switch key {
            case "secret", "password":
                guard !hasSecret else { return .failure(error("The secret is given twice.", at: word.offset)) }
                hasSecret = true
                server.secret = value
            case "nonce":
                server.nonces.append(value)
            case "auth-data", "authdata":
                guard !hasAuthData else { return .failure(error("auth-data is given twice.", at: word.offset)) }
                hasAuthData = true
                server.authData = value
            default:
                return .failure(
                    error("Unknown key '\(key)'; expected secret, password, nonce or auth-data.", at: word.offset))
            }
        }
        guard hasSecret else {
            return .failure(error("Server '\(serverID)' has no secret=… field.", at: first.offset))
        }
        return .success(server)
    }

    /// Why a value could not be decoded.
    struct ValueError: Error {
        var message: String
    }

    /// `hex:` and `base64:` apply to wholly unquoted values; everything else is the text's UTF-8 bytes.
    private func decodeValue(_ value: [UInt8], isQuoted: Bool) -> Result<[UInt8], ValueError> {
        guard !isQuoted else { return .success(value) }
        if value.starts(with: Array("hex:".utf8)) {
            let digits = value.dropFirst(4)
            guard digits.count % 2 == 0, let decoded = decodeHex(digits) else {
                return .failure(ValueError(message: "The hex: value is not an even number of hex digits."))
            }
            return .success(decoded)
        }
        if value.starts(with: Array("base64:".utf8)) {
            guard let decoded = DigestBase64.decode(value.dropFirst(7)) else {
                return .failure(ValueError(message: "The base64: value is not valid Base64."))
            }
            return .success(decoded)
        }
        return .success(value)
    }

    private func decodeHex(_ digits: ArraySlice<UInt8>) -> [UInt8]? {
        var output: [UInt8] = []
        var high: UInt8?
        for digit in digits {
            guard let nibble = hexValue(digit) else { return nil }
            if let pending = high {
                output.append(pending << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return high == nil ? output : nil
    }

    private func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private mutating func skipSpaces() {
        while index < end, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
    }

    /// Reads bare characters and quoted strings up to whitespace, `#` or the end of the line.
    private mutating func readWord() -> Result<Word, DecodeError> {
        var word = Word(offset: index)
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "#") { break }
            if byte == UInt8(ascii: "\"") {
                word.isQuoted = true
                let quoteOffset = index
                index += 1
                var isClosed = false
                while index < end {
                    let inner = bytes[index]
                    index += 1
                    if inner == UInt8(ascii: "\"") {
                        isClosed = true
                        break
                    }
                    if inner == UInt8(ascii: "\\") {
                        switch readEscape() {
                        case .success(let escaped): word.bytes.append(escaped)
                        case .failure(let error): return .failure(error)
                        }
                    } else {
                        word.bytes.append(inner)
                    }
                }
                guard isClosed else { return .failure(error("The quoted string is not closed.", at: quoteOffset)) }
                continue
            }
            if byte == UInt8(ascii: "="), word.equals == nil { word.equals = word.bytes.count }
            word.bytes.append(byte)
            index += 1
        }
        return .success(word)
    }

    /// After a backslash: `\\ \" \n \r \t \0 \xHH`.
    private mutating func readEscape() -> Result<UInt8, DecodeError> {
        let escapeOffset = index - 1
        guard index < end else { return .failure(error("A backslash ends the line.", at: escapeOffset)) }
        let code = bytes[index]
        index += 1
        switch code {
        case UInt8(ascii: "\\"): return .success(UInt8(ascii: "\\"))
        case UInt8(ascii: "\""): return .success(UInt8(ascii: "\""))
        case UInt8(ascii: "n"): return .success(0x0A)
        case UInt8(ascii: "r"): return .success(0x0D)
        case UInt8(ascii: "t"): return .success(0x09)
        case UInt8(ascii: "0"): return .success(0x00)
        case UInt8(ascii: "x"):
            guard end - index >= 2, let high = hexValue(bytes[index]), let low = hexValue(bytes[index + 1]) else {
                return .failure(error("\\x needs two hex digits.", at: escapeOffset))
            }
            index += 2
            return .success(high << 4 | low)
        default:
            return .failure(error("Unknown escape '\\\(Character(Unicode.Scalar(code)))'.", at: escapeOffset))
        }
    }

    func error(_ message: String, at offset: Int) -> DecodeError {
        DecodeError(.malformedCredentials, message, offset: offset, line: lineNumber, column: offset - start + 1)
    }
}
